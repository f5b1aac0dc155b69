/**
 * The gap report of a region as the server computes it for a download: the same chain as
 * `npm run analyze` (the region's walking graph from the same builder and options, computeCoverage,
 * analyzeRegion, the engine's report writers), so the same region, profile, settings, plan and
 * date give the same bytes as the CLI's report.xlsx / report.pdf / *.csv / report.html /
 * areas.geojson. The writers, the PDF footer and the plan's application live here once, and
 * scripts/analyze.ts calls them too.
 */
import { analyzeRegion } from '../engine/analysis/analyze.ts';
import type { Analysis } from '../engine/analysis/types.ts';
import { computeCoverage } from '../engine/coverage/coverage.ts';
import { WalkSearch } from '../engine/graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex } from '../engine/graph/snap.ts';
import type { PlanCounts } from '../engine/labels.ts';
import {
	analysisCsvFile,
	areasGeoJson,
	reportHtml,
	reportXlsx,
	type ReportMeta
} from '../engine/report/index.ts';
import {
	DEFAULT_CIRCLE_MINUTES,
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS
} from '../engine/rules/defaults.ts';
import {
	EMPTY_PLAN,
	facilitiesWithPlan,
	isEmptyPlan,
	type StationPlan
} from '../engine/session/what-if.ts';
import { reportTargets } from '../engine/targets/report-targets.ts';
import { deflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { planSchema, walkSettingsSchema } from './db/scenario-model.ts';
import { printPdf } from './pdf.ts';
import { defaultProfilesDir, loadProfile } from './profile-store.ts';
import { regionGraph } from './region-graph.ts';
import { readRegion, type LoadedRegion } from './region-store.ts';

export const REPORT_FILES = {
	'report.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'report.pdf': 'application/pdf',
	'report.html': 'text/html; charset=utf-8',
	'areas.csv': 'text/csv; charset=utf-8',
	'streets.csv': 'text/csv; charset=utf-8',
	'districts.csv': 'text/csv; charset=utf-8',
	'facilities.csv': 'text/csv; charset=utf-8',
	'areas.geojson': 'application/geo+json'
} as const;
export type ReportFile = keyof typeof REPORT_FILES;

export interface ReportSettings {
	profileId?: string;
	maxMinutes: number;
	walkSpeedMps: number;
	stepPenaltyS?: number;
	maxSnapM?: number;
	/** Date on the report, YYYY-MM-DD. */
	generatedAt: string;
	/** Stations planned, moved and removed (validated: planSchema); none = the region as it is. */
	plan?: StationPlan;
}

/** Counts of a plan for the reports, or null for an empty one (the baseline). */
export function planCounts(plan: StationPlan | undefined): PlanCounts | null {
	if (!plan || isEmptyPlan(plan)) return null;
	return {
		planned: plan.planned.length,
		moved: Object.keys(plan.moved).length,
		removed: plan.removed.length
	};
}

/**
 * The region with a plan applied to its facilities layer (engine facilitiesWithPlan).
 * @throws PlanError for a moved or removed id the region lacks, or a planned id already taken
 */
export function regionWithPlan(region: LoadedRegion, plan: StationPlan = EMPTY_PLAN): LoadedRegion {
	if (isEmptyPlan(plan)) return region;
	return {
		...region,
		layers: { ...region.layers, facilities: facilitiesWithPlan(region.layers.facilities, plan) }
	};
}

/**
 * The analysis and the report's meta (the targets on the report's date included), as
 * `npm run analyze` computes them: the targets from engine reportTargets, on the same network.
 */
export function regionReport(
	regionsDir: string,
	region: LoadedRegion,
	settings: ReportSettings
): { analysis: Analysis; meta: ReportMeta } {
	const { analysis, planned, network, walk } = regionRun(regionsDir, region, settings);
	const meta: ReportMeta = {
		generatedAt: settings.generatedAt,
		regionMeta: region.meta,
		plan: planCounts(settings.plan),
		targets: reportTargets({
			analysis,
			indicators: planned.indicators,
			residential: planned.layers.residential,
			facilities: planned.layers.facilities,
			network,
			maxSnapM: walk.maxSnapM,
			date: settings.generatedAt
		})
	};
	return { analysis, meta };
}

/** The analysis behind a report, as `npm run analyze` computes it (with the plan applied). */
function regionRun(regionsDir: string, region: LoadedRegion, settings: ReportSettings) {
	const id = region.meta.id;
	const planned = regionWithPlan(region, settings.plan);
	const profile = loadProfile(
		defaultProfilesDir(),
		settings.profileId ?? region.meta.defaultProfile
	);
	const walk = {
		maxMinutes: settings.maxMinutes,
		walkSpeedMps: settings.walkSpeedMps,
		stepPenaltyS: settings.stepPenaltyS ?? DEFAULT_STEP_PENALTY_S,
		maxSnapM: settings.maxSnapM ?? DEFAULT_MAX_SNAP_M
	};
	const graph = regionGraph(regionsDir, id);
	const network = graph ? { index: new SegmentIndex(graph), search: new WalkSearch(graph) } : null;
	const coverage = network
		? computeCoverage(
				network.index,
				network.search,
				planned.layers.residential ?? [],
				planned.layers.facilities ?? [],
				walk
			)
		: null;
	const analysis = analyzeRegion({
		meta: planned.meta,
		boundaries: planned.layers.boundaries,
		residential: planned.layers.residential,
		facilities: planned.layers.facilities,
		communities: planned.communities,
		profile,
		coverage,
		walk
	});
	return { analysis, planned, network, walk };
}

/** The footer of every page of report.pdf: region, profile, date, and 规划方案 for a plan. */
export function reportPdfFooter(analysis: Analysis, meta: ReportMeta): string {
	const { settings, profile } = analysis;
	return [
		settings.regionName,
		`${profile.id} v${profile.version}`,
		meta.generatedAt,
		...(meta.plan ? ['规划方案 plan'] : [])
	].join(' · ');
}

/**
 * Node's zlib for report.xlsx's entries over 4 MiB (a city's 居住区 sheet: 55 MB at level 1 in
 * 0.35 s, fflate 1.1–2.1 s). The download and `npm run analyze` both write through here, so
 * they keep giving the same bytes; a district's workbook never reaches zlib.
 */
const zlibDeflate = (data: Uint8Array, level: number): Uint8Array =>
	deflateRawSync(data, { level });

/**
 * One report file's bytes from an analysis: the CLI and the server both write with this.
 * @param residential the region's residential layer (areas.geojson takes the polygons from it)
 * @throws PdfUnavailableError for report.pdf without Chromium
 */
export async function reportFileBytes(
	file: ReportFile,
	analysis: Analysis,
	meta: ReportMeta,
	residential: LoadedRegion['layers']['residential']
): Promise<string | Uint8Array> {
	if (file === 'report.xlsx') return reportXlsx(analysis, meta, { deflateLarge: zlibDeflate });
	if (file === 'report.html') return reportHtml(analysis, meta);
	if (file === 'report.pdf')
		return printPdf(reportHtml(analysis, meta), reportPdfFooter(analysis, meta), {
			date: meta.generatedAt
		});
	if (file === 'areas.geojson') return areasGeoJson(analysis, residential ?? []);
	return analysisCsvFile(analysis, file);
}

/**
 * One report file's bytes.
 * @throws PlanError (a plan that does not fit the region), PdfUnavailableError (report.pdf)
 */
export async function regionReportFile(
	regionsDir: string,
	id: string,
	file: ReportFile,
	settings: ReportSettings
): Promise<string | Uint8Array> {
	const region = readRegion(regionsDir, id); // read once: the analysis and the writers share it
	const { analysis, meta } = regionReport(regionsDir, region, settings);
	return reportFileBytes(file, analysis, meta, region.layers.residential);
}

/**
 * The download's name: `<region>_<profile>_<date>_缺口报告[_方案].<ext>` (a CSV or GeoJSON keeps its
 * stem: `…_areas[_方案].csv`), and an ASCII fallback for old clients.
 */
export function reportFileName(
	regionId: string,
	profileId: string,
	date: string,
	file: ReportFile,
	plan: StationPlan | undefined
): { name: string; ascii: string } {
	const [stem, extension] = file.split('.');
	const planned = planCounts(plan) !== null;
	return {
		name: `${regionId}_${profileId}_${date}_${stem === 'report' ? '缺口报告' : stem}${planned ? '_方案' : ''}.${extension}`,
		ascii: `${regionId}_${date}_${planned ? 'plan_' : ''}${file}`
	};
}

/**
 * The body of POST /api/regions/<id>/report/<file>: what the map shows — profile, walking
 * settings, the report's date and the plan (planSchema, as saved with a scenario). Every field
 * may be left out: the region's profile, the default circle and speed, today, no plan.
 */
export const reportRequestSchema = z.strictObject({
	profile: z
		.string()
		.regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a profile id (lower-case letters, digits, hyphens)')
		.optional(),
	minutes: walkSettingsSchema.shape.maxMinutes.default(DEFAULT_CIRCLE_MINUTES),
	speedMps: walkSettingsSchema.shape.walkSpeedMps.default(DEFAULT_WALK_SPEED_MPS),
	stepPenaltyS: walkSettingsSchema.shape.stepPenaltyS.default(DEFAULT_STEP_PENALTY_S),
	date: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
		.optional(),
	plan: planSchema.optional()
});
export type ReportRequest = z.output<typeof reportRequestSchema>;
