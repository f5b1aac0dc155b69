/**
 * Regions on disk: `data/regions/<id>/region.json` plus its layer files. Node-only (server and
 * CLI). Reading validates everything against the engine's zod schemas and names the file,
 * feature and field of the first problems; writing replaces a layer atomically so that a failed
 * or interrupted import leaves the region as it was.
 */
import {
	existsSync,
	readdirSync,
	readFileSync,
	renameSync,
	writeFileSync,
	openSync,
	fsyncSync,
	closeSync,
	rmSync,
	statSync
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import {
	boundaryFeature,
	communityCode,
	facilityFeature,
	regionMeta,
	residentialFeature,
	type CommunityCode,
	type LayerFeature,
	type LayerName,
	type RegionMeta
} from '../engine/region/schema.ts';
import type { LoadedLayers } from '../engine/region/summary.ts';
import { indicatorTable, type IndicatorRow } from '../engine/region/indicators.ts';
import { stringifyIndicatorRows } from '../engine/import/indicators.ts';
import { countGeoJsonFeatures } from './feature-count.ts';
import { tooDeepMessage } from '../engine/import/json-depth.ts';
import { layerFeatureParser } from './layer-geometry.ts';

/** Where regions live: `CARECIRCLE_REGIONS_DIR`, else `data/regions` under the working directory. */
export function defaultRegionsDir(): string {
	return resolve(process.env.CARECIRCLE_REGIONS_DIR ?? join(process.cwd(), 'data', 'regions'));
}

export class RegionFileError extends Error {
	readonly code = 'INVALID_REGION_FILE';
	constructor(message: string) {
		super(message);
		this.name = 'RegionFileError';
	}
}

export function listRegionIds(regionsDir: string): string[] {
	if (!existsSync(regionsDir)) return [];
	return readdirSync(regionsDir, { withFileTypes: true })
		.filter(
			(entry) => entry.isDirectory() && existsSync(join(regionsDir, entry.name, 'region.json'))
		)
		.map((entry) => entry.name)
		.sort();
}

function readJson(path: string, label: string): unknown {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new RegionFileError(`${label}: not readable as JSON (${(error as Error).message})`);
	}
	// Before parsing: what walks a 100,000-deep result recursively overflows the stack.
	const tooDeep = tooDeepMessage(text);
	if (tooDeep) throw new RegionFileError(`${label}: ${tooDeep}`);
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new RegionFileError(`${label}: not readable as JSON (${(error as Error).message})`);
	}
}

function describeZodIssues(error: z.ZodError, limit = 3): string {
	return error.issues
		.slice(0, limit)
		.map((issue) => `field "${issue.path.join('.')}": ${issue.message}`)
		.join('; ');
}

export function readRegionMeta(regionsDir: string, id: string): RegionMeta {
	const label = `data/regions/${id}/region.json`;
	const parsed = regionMeta.safeParse(readJson(join(regionsDir, id, 'region.json'), label));
	if (!parsed.success) throw new RegionFileError(`${label}: ${describeZodIssues(parsed.error)}`);
	if (parsed.data.id !== id)
		throw new RegionFileError(
			`${label}: id "${parsed.data.id}" differs from the folder name "${id}"`
		);
	return parsed.data;
}

/** Each layer's features parsed as its schema parses them, the geometry checked by hand. */
const parseBoundary = layerFeatureParser(boundaryFeature, ['Polygon', 'MultiPolygon']);
const parseResidential = layerFeatureParser(residentialFeature, [
	'Polygon',
	'MultiPolygon',
	'Point'
]);
const parseFacility = layerFeatureParser(facilityFeature, ['Point']);

function readFeatures<T>(
	regionsDir: string,
	id: string,
	file: string,
	parse: (feature: unknown) => z.ZodSafeParseResult<T>
): T[] {
	const label = `data/regions/${id}/${file}`;
	const collection = readJson(join(regionsDir, id, file), label) as {
		type?: string;
		features?: unknown[];
	};
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw new RegionFileError(`${label}: expected a GeoJSON FeatureCollection`);
	}
	return collection.features.map((feature, index) => {
		const parsed = parse(feature);
		if (!parsed.success)
			throw new RegionFileError(`${label}: feature ${index}: ${describeZodIssues(parsed.error)}`);
		return parsed.data;
	});
}

/**
 * Counts already made, by path, while the file is the same one (inode, size, mtime: an import
 * replaces a layer by renaming a new file over it). The home page reads every region on every
 * GET, and scanning the demo's 0.8 MB of network and buildings took 25–90 ms of the event loop
 * each time: under GET / every 50 ms beside 50 reports it was most of the main thread's work.
 */
const featureCounts = new Map<
	string,
	{ ino: number; size: number; mtimeMs: number; count: number }
>();

/** Features of a layer file, counted as it is read (feature-count.ts): no document is built. */
function countFeatures(regionsDir: string, id: string, file: string): number {
	const label = `data/regions/${id}/${file}`;
	const path = join(regionsDir, id, file);
	try {
		// Stat before reading: a file replaced meanwhile leaves a stale stat, so the next read recounts.
		const { ino, size, mtimeMs } = statSync(path);
		const known = featureCounts.get(path);
		if (known && known.ino === ino && known.size === size && known.mtimeMs === mtimeMs)
			return known.count;
		const count = countGeoJsonFeatures(path);
		featureCounts.set(path, { ino, size, mtimeMs, count });
		return count;
	} catch (error) {
		throw new RegionFileError(`${label}: not readable as JSON (${(error as Error).message})`);
	}
}

export interface LoadedRegion {
	meta: RegionMeta;
	layers: LoadedLayers;
	/** Community / village codes (`layers.communities`), null when the region has none. */
	communities: CommunityCode[] | null;
	/** The indicator table (`layers.indicators`, issue 16), null when none was imported. */
	indicators: IndicatorRow[] | null;
}

/** Read and validate one region. Throws `RegionFileError` naming the file, feature and field. */
export function readRegion(regionsDir: string, id: string): LoadedRegion {
	const meta = readRegionMeta(regionsDir, id);
	const files = meta.layers;
	const isGeoJson = (file: string | null | undefined): file is string =>
		!!file && file.endsWith('.geojson');
	let communities: CommunityCode[] | null = null;
	if (files.communities) {
		const list = readJson(
			join(regionsDir, id, files.communities),
			`data/regions/${id}/${files.communities}`
		);
		const parsed = communityCode.array().safeParse(list);
		if (!parsed.success)
			throw new RegionFileError(
				`data/regions/${id}/${files.communities}: ${describeZodIssues(parsed.error)}`
			);
		communities = parsed.data;
	}
	let indicators: IndicatorRow[] | null = null;
	if (files.indicators) {
		const label = `data/regions/${id}/${files.indicators}`;
		const parsed = indicatorTable.safeParse(
			readJson(join(regionsDir, id, files.indicators), label)
		);
		// A problem names the row (0-based) and field: field "3.values.visitRate".
		if (!parsed.success) throw new RegionFileError(`${label}: ${describeZodIssues(parsed.error)}`);
		indicators = parsed.data;
	}
	return {
		meta,
		layers: {
			boundaries: files.boundaries
				? readFeatures(regionsDir, id, files.boundaries, parseBoundary)
				: null,
			residential: files.residential
				? readFeatures(regionsDir, id, files.residential, parseResidential)
				: null,
			facilities: files.facilities
				? readFeatures(regionsDir, id, files.facilities, parseFacility)
				: null,
			// An OSM extract is counted by the builder (highway ways), not re-read on every request.
			networkFeatureCount: isGeoJson(files.network)
				? countFeatures(regionsDir, id, files.network)
				: (meta.summary.networkHighwayWays ?? null),
			buildingCount: isGeoJson(files.buildings)
				? countFeatures(regionsDir, id, files.buildings)
				: null,
			communityCount: communities?.length ?? null
		},
		communities,
		indicators
	};
}

/** Write a file so that readers see either the old or the new content, never a torn one. */
function writeFileAtomically(path: string, content: string): void {
	const temporary = `${path}.import-${process.pid}-${Date.now()}`;
	try {
		writeFileSync(temporary, content);
		const handle = openSync(temporary, 'r');
		fsyncSync(handle);
		closeSync(handle);
		renameSync(temporary, path);
	} catch (error) {
		rmSync(temporary, { force: true });
		throw error;
	}
}

/** One feature per line: diffs of imported layers stay readable. */
export function stringifyFeatureCollection(features: unknown[]): string {
	if (features.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
	return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/**
 * Replace one layer of a region and record it in region.json. The layer file is written first
 * (atomically), then region.json; each step is a rename, so an interrupted write leaves the
 * previous files intact.
 */
export function writeLayer<L extends Exclude<LayerName, 'network'>>(
	regionsDir: string,
	id: string,
	layer: L,
	features: LayerFeature[L][],
	updateMeta: (meta: RegionMeta) => RegionMeta = (meta) => meta
): RegionMeta {
	const meta = readRegionMeta(regionsDir, id);
	const file = meta.layers[layer] ?? `${layer}.geojson`;
	const nextMeta = regionMeta.parse(
		updateMeta({ ...meta, layers: { ...meta.layers, [layer]: file } })
	);
	writeFileAtomically(join(regionsDir, id, file), stringifyFeatureCollection(features));
	writeFileAtomically(
		join(regionsDir, id, 'region.json'),
		`${JSON.stringify(nextMeta, null, 2)}\n`
	);
	return nextMeta;
}

/**
 * Replace the region's indicator table (`layers.indicators`, default `indicators.json`) and record
 * it in region.json, each step an atomic rename as in `writeLayer`. The rows are validated first.
 */
export function writeIndicators(
	regionsDir: string,
	id: string,
	rows: IndicatorRow[],
	updateMeta: (meta: RegionMeta) => RegionMeta = (meta) => meta
): RegionMeta {
	const meta = readRegionMeta(regionsDir, id);
	const file = meta.layers.indicators ?? 'indicators.json';
	const valid = indicatorTable.parse(rows);
	const nextMeta = regionMeta.parse(
		updateMeta({ ...meta, layers: { ...meta.layers, indicators: file } })
	);
	writeFileAtomically(join(regionsDir, id, file), stringifyIndicatorRows(valid));
	writeFileAtomically(
		join(regionsDir, id, 'region.json'),
		`${JSON.stringify(nextMeta, null, 2)}\n`
	);
	return nextMeta;
}
