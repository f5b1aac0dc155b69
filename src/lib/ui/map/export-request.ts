/**
 * What the 导出 tab sends and shows (issue 15 item 7), as plain functions of the workspace's state:
 * the POST body of /api/regions/<id>/report/<file>, the plan file (plan.json), the command line
 * that writes the same bytes (`npm run analyze -- … --plan plan.json`), and the file name the
 * server gave. tests/ui/export-request.test.ts runs the command and compares with the route.
 */
import { DEFAULT_STEP_PENALTY_S } from '$lib/engine/rules/defaults.ts';
import { isEmptyPlan, type StationPlan, type WalkSettings } from '$lib/engine/session/what-if.ts';

/** The files of the gap report, in the order of the buttons (server REPORT_FILES). */
export const EXPORT_FILES = [
	'report.xlsx',
	'report.pdf',
	'report.html',
	'areas.csv',
	'streets.csv',
	'districts.csv',
	'facilities.csv',
	'areas.geojson'
] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

/** What an export is of: the workspace's region, profile, settings and plan, and the date. */
export interface ExportState {
	regionId: string;
	profileId: string;
	settings: WalkSettings;
	plan: StationPlan;
	/** YYYY-MM-DD printed on the report. */
	date: string;
}

/** Today in the browser's time zone, YYYY-MM-DD (the date a user reads on the calendar). */
export function localDate(now: Date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The plan as plan.json holds it: `{ planned, moved, removed }` and nothing else. */
export function planFileOf(plan: StationPlan): StationPlan {
	return {
		planned: plan.planned.map(({ id, name, kind, floorAreaM2, position }) => ({
			id,
			name,
			kind,
			floorAreaM2,
			position: [position[0], position[1]]
		})),
		moved: Object.fromEntries(
			Object.entries(plan.moved).map(([id, [lon, lat]]) => [id, [lon, lat] as [number, number]])
		),
		removed: [...plan.removed]
	};
}

/** plan.json's text. */
export function planFileText(plan: StationPlan): string {
	return `${JSON.stringify(planFileOf(plan), null, 2)}\n`;
}

/** The POST body; an empty plan is left out (the region as it is). */
export function exportBody(state: ExportState) {
	return {
		profile: state.profileId,
		minutes: state.settings.maxMinutes,
		speedMps: state.settings.walkSpeedMps,
		stepPenaltyS: state.settings.stepPenaltyS,
		date: state.date,
		...(isEmptyPlan(state.plan) ? {} : { plan: planFileOf(state.plan) })
	};
}

/**
 * The command line that writes the same files, for the project folder: region, profile,
 * minutes, speed, the step penalty when it is not the default, the date, and `--plan plan.json`
 * for a plan. Numbers as JavaScript prints them, so the CLI reads back the same values.
 */
export function exportCommand(state: ExportState, out = 'out/report'): string {
	const { settings } = state;
	return [
		'npm run analyze --',
		`--region ${state.regionId}`,
		`--profile ${state.profileId}`,
		`--minutes ${settings.maxMinutes}`,
		`--speed-mps ${settings.walkSpeedMps}`,
		...(settings.stepPenaltyS === DEFAULT_STEP_PENALTY_S
			? []
			: [`--step-penalty-s ${settings.stepPenaltyS}`]),
		`--date ${state.date}`,
		...(isEmptyPlan(state.plan) ? [] : ['--plan plan.json']),
		`--out ${out}`
	].join(' ');
}

/** The name in a Content-Disposition (RFC 6266: `filename*=UTF-8''…` first), or `fallback`. */
export function dispositionName(disposition: string | null, fallback: string): string {
	const utf8 = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition ?? '');
	if (utf8) {
		try {
			return decodeURIComponent(utf8[1]);
		} catch {
			// a malformed escape: fall through to the plain name
		}
	}
	return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}
