/**
 * What the side panel's charts draw (issue 15, item 6): per-street bars of elders within and
 * outside the circle and of the floor-area deficit, and a histogram of elders by walking
 * minutes. Pure functions of one `SessionResult`, so the charts follow the plan: every what-if
 * run gives a new result and the components derive these again (18 areas, a handful of streets:
 * microseconds, nothing cached).
 *
 * The figures are the analysis' own: bars sum to the street rows, the histogram counts each
 * area's elders once (not areas), so its bins add up to `summary.elders` and its in-circle bins to
 * `summary.eldersCovered`. Unknown stays unknown: areas without an elders figure are counted per
 * bin (`areasEldersUnknown`), never as 0 elders silently; areas without a walking time (no
 * network) go to the `unknown` bin.
 */
import type { Analysis, AreaRow } from '$lib/engine/analysis/types.ts';
import { REPORT_UP_TO_MINUTES } from '$lib/engine/rules/defaults.ts';
import type { SessionResult } from '$lib/engine/session/what-if.ts';
import { MINUTE_STOPS } from './colors.ts';

// ---------------------------------------------------------------- per-street bars

export interface StreetBar {
	code: string | null;
	name: string;
	/** Elders with a known figure, persons. */
	elders: number;
	/** Areas of the street whose elders are unknown (not in `elders`). */
	eldersUnknownCount: number;
	/** Within the circle, persons; null without a network. */
	eldersCovered: number | null;
	/** elders − eldersCovered; null without a network. */
	eldersNotCovered: number | null;
	eldersCoveredShare: number | null;
	/** Floor-area deficit of community care facilities, m². */
	deficitM2: number;
	/** The same street without the plan (baseline); null when the result carries no comparison. */
	baseline: { eldersCovered: number | null; deficitM2: number } | null;
	/** Change against the baseline; null when unknown. */
	change: { eldersCovered: number | null; deficitM2: number } | null;
	usesEstimate: boolean;
}

export interface StreetChartData {
	/** Streets with residential areas, most elders first (an order the plan does not change). */
	bars: StreetBar[];
	/** The first `limit` bars, the ones drawn. */
	shown: StreetBar[];
	/** Bars not drawn (the table lists them). */
	more: number;
	/** Streets without any residential area (nothing to draw; the table shows them as —). */
	withoutAreas: number;
	/** Scale of the elders bars and of the deficit bars (baseline included), over all bars. */
	maxElders: number;
	maxDeficitM2: number;
	networkAvailable: boolean;
	/** Some figure rests on an estimate, or the plan changed a street. */
	usesEstimate: boolean;
	planChanged: boolean;
	/** Sums over the bars: the summary's elders, eldersCovered (null without network) and deficit. */
	totals: { elders: number; eldersCovered: number | null; deficitM2: number };
}

/** Charts show this many streets; the rest are in the street table. */
export const STREET_CHART_LIMIT = 8;

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Bars per street of one result.
 * @param limit streets drawn (default STREET_CHART_LIMIT)
 * @example streetChartData(workspace.result).shown.map((bar) => bar.eldersCovered)
 */
export function streetChartData(
	result: Pick<SessionResult, 'analysis'> & Partial<Pick<SessionResult, 'streets'>>,
	limit = STREET_CHART_LIMIT
): StreetChartData {
	const { analysis } = result;
	const networkAvailable = analysis.settings.networkAvailable;
	const deltas = new Map((result.streets ?? []).map((delta) => [delta.code, delta]));
	const bars: StreetBar[] = [];
	let withoutAreas = 0;
	for (const street of analysis.streets) {
		if (street.areas === 0) {
			withoutAreas++;
			continue;
		}
		const delta = deltas.get(street.code);
		const covered = networkAvailable ? street.eldersCovered : null;
		const change = delta
			? {
					eldersCovered: covered === null ? null : delta.eldersCoveredChange,
					deficitM2: delta.deficitM2Change
				}
			: null;
		bars.push({
			code: street.code,
			name: street.name,
			elders: street.elders,
			eldersUnknownCount: street.eldersUnknownCount,
			eldersCovered: covered,
			eldersNotCovered: covered === null ? null : street.elders - covered,
			eldersCoveredShare: covered === null ? null : street.eldersCoveredShare,
			deficitM2: street.deficitM2,
			baseline: change
				? {
						eldersCovered:
							covered === null || change.eldersCovered === null
								? null
								: covered - change.eldersCovered,
						deficitM2: round2(street.deficitM2 - change.deficitM2)
					}
				: null,
			change,
			usesEstimate: street.usesEstimate
		});
	}
	bars.sort(
		(a, b) =>
			b.elders - a.elders ||
			b.deficitM2 - a.deficitM2 ||
			a.name.localeCompare(b.name, 'zh-CN') ||
			String(a.code).localeCompare(String(b.code))
	);
	const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
	return {
		bars,
		shown: bars.slice(0, limit),
		more: Math.max(0, bars.length - limit),
		withoutAreas,
		maxElders: Math.max(0, ...bars.map((bar) => bar.elders)),
		maxDeficitM2: Math.max(
			0,
			...bars.flatMap((bar) => [bar.deficitM2, bar.baseline?.deficitM2 ?? 0])
		),
		networkAvailable,
		usesEstimate: bars.some((bar) => bar.usesEstimate),
		planChanged: bars.some(
			(bar) => (bar.change?.eldersCovered ?? 0) !== 0 || (bar.change?.deficitM2 ?? 0) !== 0
		),
		totals: {
			elders: sum(bars.map((bar) => bar.elders)),
			eldersCovered: networkAvailable ? sum(bars.map((bar) => bar.eldersCovered ?? 0)) : null,
			deficitM2: round2(sum(bars.map((bar) => bar.deficitM2)))
		}
	};
}

// ---------------------------------------------------------------- histogram of walking minutes

/**
 * within: inside the circle; beyond: a walking time past the circle, up to the report bound;
 * unreached: no facility within the report bound (or off the network, cut off from every
 * facility); unknown: no walking time at all (the region has no network).
 */
export type MinutesBinKind = 'within' | 'beyond' | 'unreached' | 'unknown';

export interface MinutesBin {
	kind: MinutesBinKind;
	/** Minutes, (from, to]; the first bin includes 0. null for unreached / unknown. */
	fromMinutes: number | null;
	toMinutes: number | null;
	/** Elders of the bin's areas (known figures), persons. */
	elders: number;
	areas: number;
	/** Of `elders`, those that are estimates (the area's elders field is estimated). */
	eldersEstimated: number;
	/** Areas in the bin whose elders are unknown (not in `elders`). */
	areasEldersUnknown: number;
}

export interface MinutesHistogram {
	bins: MinutesBin[];
	/** The circle the bins are split at, minutes. */
	maxMinutes: number;
	/** Walking times are known up to this bound, minutes (later: unreached). */
	reportUpToMinutes: number;
	/** Width of the bins up to the ramp's end, minutes. */
	binMinutes: number;
	networkAvailable: boolean;
	/** Σ bins' elders = summary.elders. */
	elders: number;
	/** Σ within bins' elders = summary.eldersCovered (when the circle is the analysis' own). */
	eldersWithin: number;
	/** The largest bin, persons (the y scale). */
	maxBinElders: number;
	usesEstimate: boolean;
	areasEldersUnknown: number;
}

/** The walking ramp's last stop, minutes (colors.ts): bins are fine up to here, coarse after. */
const RAMP_END_MINUTES = MINUTE_STOPS[MINUTE_STOPS.length - 1].minutes;
/** Bins inside the circle at most (wider bins for a wide circle). */
const MAX_WITHIN_BINS = 12;
const DEFAULT_BIN_MINUTES = 5;

export interface HistogramOptions {
	/** The circle, minutes (default: the analysis' own). */
	maxMinutes?: number;
	/** Default REPORT_UP_TO_MINUTES (rules/defaults.ts): the bound coverage reports times up to. */
	reportUpToMinutes?: number;
	/** Width of the fine bins, minutes (default 5; widened so the circle has ≤ 12 bins). */
	binMinutes?: number;
}

/** Upper edges of the bins: fine up to the circle and the ramp's end, then one or two coarse. */
function binEdges(maxMinutes: number, reportUpTo: number, width: number) {
	const within: number[] = [];
	for (let edge = width; edge < maxMinutes - 1e-9; edge += width) within.push(edge);
	within.push(maxMinutes);
	const beyond: number[] = [];
	if (reportUpTo > maxMinutes) {
		const fineEnd = Math.min(reportUpTo, Math.max(maxMinutes, RAMP_END_MINUTES));
		let edge = (Math.floor(maxMinutes / width + 1e-9) + 1) * width;
		for (; edge < fineEnd - 1e-9; edge += width) beyond.push(edge);
		if (fineEnd > maxMinutes) beyond.push(fineEnd);
		const rest = reportUpTo - fineEnd;
		// Two coarse bins when the rest halves on the fine grid (30–45, 45–60), else one.
		if (rest >= 4 * width && (rest / 2) % width === 0) beyond.push(fineEnd + rest / 2);
		if (rest > 0) beyond.push(reportUpTo);
	}
	return { within, beyond };
}

/**
 * Elders by walking minutes to the nearest facility, one area's elders in one bin.
 * @example minutesHistogram(result.analysis).bins.map((bin) => [bin.toMinutes, bin.elders])
 */
export function minutesHistogram(
	analysis: Pick<Analysis, 'areas' | 'settings'>,
	options: HistogramOptions = {}
): MinutesHistogram {
	const own = analysis.settings.maxMinutes;
	const maxMinutes = options.maxMinutes ?? own;
	const reportUpToMinutes = options.reportUpToMinutes ?? REPORT_UP_TO_MINUTES;
	const requested = options.binMinutes ?? DEFAULT_BIN_MINUTES;
	const binMinutes =
		maxMinutes / requested > MAX_WITHIN_BINS
			? Math.ceil(maxMinutes / MAX_WITHIN_BINS / requested) * requested
			: requested;
	const networkAvailable = analysis.settings.networkAvailable;
	const edges = binEdges(maxMinutes, reportUpToMinutes, binMinutes);
	const bin = (kind: MinutesBinKind, fromMinutes: number | null, toMinutes: number | null) => ({
		kind,
		fromMinutes,
		toMinutes,
		elders: 0,
		areas: 0,
		eldersEstimated: 0,
		areasEldersUnknown: 0
	});
	const within = edges.within.map((to, i) => bin('within', i ? edges.within[i - 1] : 0, to));
	const beyond = edges.beyond.map((to, i) =>
		bin('beyond', i ? edges.beyond[i - 1] : maxMinutes, to)
	);
	const unreached = bin('unreached', null, null);
	const unknown = bin('unknown', null, null);

	/** The first bin whose upper edge is at or above the minutes (the last one past them all). */
	const pick = (bins: MinutesBin[], minutes: number) =>
		bins.find((b) => minutes <= (b.toMinutes ?? Infinity) + 1e-9) ?? bins[bins.length - 1];
	// `covered` was decided on unrounded seconds: it decides inside / outside at the analysis'
	// own circle; another circle (a chart ahead of the next run) is decided on the minutes.
	const isWithin = (area: AreaRow, minutes: number) =>
		maxMinutes === own && area.covered !== null ? area.covered : minutes <= maxMinutes;

	for (const area of analysis.areas) {
		const minutes = area.minutesToNearest;
		let target: MinutesBin;
		if (!networkAvailable || area.covered === null) target = unknown;
		else if (minutes === null)
			// No time within the report bound: unreached, unless covered by a circle past the bound.
			target = area.covered && maxMinutes === own ? within[within.length - 1] : unreached;
		else if (isWithin(area, minutes)) target = pick(within, minutes);
		else target = beyond.length ? pick(beyond, Math.max(minutes, maxMinutes)) : unreached;
		target.areas++;
		if (area.elders === null) target.areasEldersUnknown++;
		else {
			target.elders += area.elders;
			if (area.estimatedFields.includes('elders')) target.eldersEstimated += area.elders;
		}
	}

	const bins = [...within, ...beyond, unreached, unknown];
	const total = (list: MinutesBin[], key: 'elders' | 'eldersEstimated' | 'areasEldersUnknown') =>
		list.reduce((sum, b) => sum + b[key], 0);
	return {
		bins,
		maxMinutes,
		reportUpToMinutes,
		binMinutes,
		networkAvailable,
		elders: total(bins, 'elders'),
		eldersWithin: total(within, 'elders'),
		maxBinElders: Math.max(0, ...bins.map((b) => b.elders)),
		usesEstimate: total(bins, 'eldersEstimated') > 0,
		areasEldersUnknown: total(bins, 'areasEldersUnknown')
	};
}
