/**
 * What the region CLIs (`npm run coverage`, `npm run analyze`) share: the region argument, the
 * walking settings, and the coverage of a region on its walking network (graph from the cache).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { computeCoverage, type CoverageResult } from '../../src/lib/engine/coverage/coverage.ts';
import { WalkSearch } from '../../src/lib/engine/graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex } from '../../src/lib/engine/graph/snap.ts';
import type { RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import {
	DEFAULT_CIRCLE_MINUTES,
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS,
	FRAIL_WALK_SPEED_MPS
} from '../../src/lib/engine/rules/defaults.ts';
import {
	defaultRegionsDir,
	readRegion,
	type LoadedRegion
} from '../../src/lib/server/region-store.ts';
import { PdfUnavailableError, printPdf } from '../../src/lib/server/pdf.ts';
import { loadRegionGraph } from '../graph-cache.ts';

export class CliError extends Error {}

/**
 * printPdf (src/lib/server/pdf.ts) with the PDF's dates pinned to the report date; a missing
 * Chromium is a CliError that says how to install it, set CHROMIUM_PATH, or pass --no-pdf.
 */
export async function printPdfForCli(
	html: string,
	footer: string,
	date: string
): Promise<Uint8Array> {
	try {
		return await printPdf(html, footer, { date });
	} catch (error) {
		if (error instanceof PdfUnavailableError)
			throw new CliError(`${error.message}, or pass --no-pdf`);
		throw error;
	}
}

/** `parseArgs` options for the walking settings, shared by every region CLI. */
export const WALK_OPTIONS = {
	minutes: { type: 'string', default: String(DEFAULT_CIRCLE_MINUTES) },
	'speed-mps': { type: 'string' },
	frail: { type: 'boolean', default: false },
	'step-penalty-s': { type: 'string', default: String(DEFAULT_STEP_PENALTY_S) },
	'max-snap-m': { type: 'string', default: String(DEFAULT_MAX_SNAP_M) }
} as const;

export interface WalkSettings {
	maxMinutes: number;
	walkSpeedMps: number;
	stepPenaltyS: number;
	maxSnapM: number;
}

function nonNegative(name: string, text: string): number {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value < 0)
		throw new CliError(`--${name} ${text}: expected a non-negative number`);
	return value;
}

/** Walking settings from parsed `WALK_OPTIONS` values; `--speed-mps` wins over `--frail`. */
export function walkSettingsOf(values: {
	minutes: string;
	'speed-mps'?: string;
	frail: boolean;
	'step-penalty-s': string;
	'max-snap-m': string;
}): WalkSettings {
	const walkSpeedMps = values['speed-mps']
		? nonNegative('speed-mps', values['speed-mps'])
		: values.frail
			? FRAIL_WALK_SPEED_MPS
			: DEFAULT_WALK_SPEED_MPS;
	if (walkSpeedMps === 0) throw new CliError('--speed-mps must be above 0');
	const maxMinutes = nonNegative('minutes', values.minutes);
	if (maxMinutes === 0) throw new CliError('--minutes must be above 0');
	return {
		maxMinutes,
		walkSpeedMps,
		stepPenaltyS: nonNegative('step-penalty-s', values['step-penalty-s']),
		maxSnapM: nonNegative('max-snap-m', values['max-snap-m'])
	};
}

/** A region argument is an id under data/regions or a path to a region folder. */
export function openRegion(argument: string): { path: string; id: string; region: LoadedRegion } {
	const path = existsSync(join(argument, 'region.json'))
		? resolve(argument)
		: join(defaultRegionsDir(), argument);
	if (!existsSync(join(path, 'region.json')))
		throw new CliError(`region "${argument}": no region.json at ${path}`);
	const id = basename(path);
	return { path, id, region: readRegion(dirname(path), id) };
}

export interface RegionCoverage {
	result: CoverageResult;
	graph: RoadGraph;
	/** The segment index and search the coverage ran on (reused by the report's meal circle). */
	index: SegmentIndex;
	search: WalkSearch;
	graphReport: ReturnType<typeof loadRegionGraph>['report'];
	graphFromCache: boolean;
	graphMs: number;
}

/**
 * Coverage of the region's compounds by its facilities on its walking network.
 * @returns null when the region has no network (the caller says which checks cannot run)
 */
export function regionCoverage(
	path: string,
	region: LoadedRegion,
	settings: WalkSettings
): RegionCoverage | null {
	if (!region.meta.layers.network) return null;
	const started = performance.now();
	const { graph, report, fromCache } = loadRegionGraph(path, region.meta);
	const graphMs = performance.now() - started;
	const index = new SegmentIndex(graph);
	const search = new WalkSearch(graph);
	const result = computeCoverage(
		index,
		search,
		region.layers.residential ?? [],
		region.layers.facilities ?? [],
		settings
	);
	return {
		result,
		graph,
		index,
		search,
		graphReport: report,
		graphFromCache: fromCache,
		graphMs
	};
}
