/**
 * The gap report of a region as the server computes it for a download: the same chain as
 * `npm run analyze` (the region's walking graph from the same builder and options, computeCoverage,
 * analyzeRegion, the engine's report writers), so the same region, profile, settings and date give
 * the same bytes as the CLI's report.xlsx / *.csv / report.html / areas.geojson.
 */
import { analyzeRegion } from '../engine/analysis/analyze.ts';
import type { Analysis } from '../engine/analysis/types.ts';
import { computeCoverage } from '../engine/coverage/coverage.ts';
import { WalkSearch } from '../engine/graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex } from '../engine/graph/snap.ts';
import { analysisCsvFiles, areasGeoJson, reportHtml, reportXlsx } from '../engine/report/index.ts';
import { DEFAULT_STEP_PENALTY_S } from '../engine/rules/defaults.ts';
import { defaultProfilesDir, loadProfile } from './profile-store.ts';
import { regionGraph } from './region-graph.ts';
import { readRegion, type LoadedRegion } from './region-store.ts';

export const REPORT_FILES = {
	'report.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
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
}

/** The analysis behind a report, as `npm run analyze` computes it. */
export function regionAnalysis(
	regionsDir: string,
	region: LoadedRegion,
	settings: ReportSettings
): Analysis {
	const id = region.meta.id;
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
	const coverage = graph
		? computeCoverage(
				new SegmentIndex(graph),
				new WalkSearch(graph),
				region.layers.residential ?? [],
				region.layers.facilities ?? [],
				walk
			)
		: null;
	return analyzeRegion({
		meta: region.meta,
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities: region.layers.facilities,
		communities: region.communities,
		profile,
		coverage,
		walk
	});
}

/** One report file's bytes. */
export async function regionReportFile(
	regionsDir: string,
	id: string,
	file: ReportFile,
	settings: ReportSettings
): Promise<string | Uint8Array> {
	const region = readRegion(regionsDir, id); // read once: the analysis and the writers share it
	const analysis = regionAnalysis(regionsDir, region, settings);
	const meta = { generatedAt: settings.generatedAt, regionMeta: region.meta };
	if (file === 'report.xlsx') return reportXlsx(analysis, meta);
	if (file === 'report.html') return reportHtml(analysis, meta);
	if (file === 'areas.geojson') return areasGeoJson(analysis, region.layers.residential ?? []);
	return analysisCsvFiles(analysis)[file];
}
