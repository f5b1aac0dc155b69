/**
 * Importing a user's file into a region, for the CLI (`npm run import`) and the browser's
 * 导入数据 page alike: preview (every row's fate and what the layer would become, nothing
 * written), then apply (the same import again from the same bytes, the previous version kept,
 * one atomic write), and undo (the previous version back). One implementation, so the CLI and
 * the page give the same features for the same file.
 */
import { importFile, type CrsDecision, type TableFormat } from '../engine/import/index.ts';
import { MAPPABLE_LAYERS, normalizeValue, type MappableLayer } from '../engine/import/aliases.ts';
import { importIndicatorFile, mergeIndicatorRows } from '../engine/import/indicators.ts';
import type { ImportIssue } from '../engine/import/report.ts';
import {
	INDICATOR_LEVELS,
	type IndicatorLevel,
	type IndicatorRow
} from '../engine/region/indicators.ts';
import {
	noteText,
	type LayerFeature,
	type RegionMeta,
	type RegionNote
} from '../engine/region/schema.ts';
import {
	readRegion,
	readRegionMeta,
	writeIndicators,
	writeLayer,
	type LoadedRegion
} from './region-store.ts';
import { saveVersion, withRegionLock, type VersionManifest } from './region-versions.ts';

export const IMPORT_MODES = ['replace', 'merge'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** What a file can fill: a map layer, or the indicator table (issue 16). */
export const IMPORT_LAYERS = [...MAPPABLE_LAYERS, 'indicators'] as const;
export type ImportLayer = (typeof IMPORT_LAYERS)[number];

export interface ImportRequest {
	/** File name as the user knows it (every message names it). */
	file: string;
	bytes: Uint8Array;
	layer: ImportLayer;
	/**
	 * replace: the file becomes the layer; merge: matching records are updated, others added.
	 * The indicator table is always merged by level, code and date (the mode does not apply).
	 */
	mode: ImportMode;
	crs?: string;
	columnMap?: Record<string, string>;
	sheet?: string;
	/** Default status / facility kind for rows without one. */
	status?: string;
	kind?: string;
	keepDuplicates?: boolean;
	/** Indicator table: 统计日期 (YYYY-MM-DD …) and 数据来源 of a sheet without those columns. */
	asOf?: string;
	source?: string;
}

export interface LayerChange {
	mode: ImportMode;
	/** Features in the layer now, and after the import. */
	before: number;
	after: number;
	/** Records of the file that are new to the layer, that replace a record, and records dropped (replace only). */
	added: number;
	updated: number;
	removed: number;
}

/** What an indicator table import adds to the preview (issue 16). */
export interface IndicatorPreview {
	/** Data rows of the sheet, and those with a rejected value or skipped. */
	rowsRead: number;
	rowsWithErrors: number;
	/** The dates (统计日期) of the file's rows, oldest first, and its rows per level. */
	dates: string[];
	levels: Record<IndicatorLevel, number>;
	/** Rows of the region's table replaced (same level, code and date), kept, and added. */
	replaced: number;
	kept: number;
	added: number;
	/** The first rows as they will be stored (at most 10). */
	firstRows: IndicatorRow[];
}

export interface ImportPreview {
	file: string;
	layer: ImportLayer;
	format: TableFormat;
	/** The coordinate system decided; null for an indicator table (no coordinates). */
	crs: CrsDecision | null;
	columnMap: Record<string, string>;
	unmappedColumns: string[];
	issues: ImportIssue[];
	/** `features`: records to import (rows of an indicator table). */
	counts: { features: number; rejected: number; repaired: number; warnings: number };
	change: LayerChange;
	/** Only for `layer: 'indicators'`. */
	indicators?: IndicatorPreview;
}

/** How many rows an indicator preview lists. */
export const INDICATOR_PREVIEW_ROWS = 10;

type AnyFeature = LayerFeature[MappableLayer];

/** How a record is recognised across imports: its own id when the file gives ids, else name and street (or code and level). */
function keyOf(feature: AnyFeature, layer: MappableLayer, byId: boolean): string {
	const p = feature.properties as Record<string, unknown>;
	if (layer === 'boundaries')
		return p.code ? `code:${p.code}` : `name:${p.level}:${normalizeValue(p.name)}`;
	if (byId) return `id:${p.id}`;
	return `name:${normalizeValue(p.name)}:${p.streetCode ?? ''}`;
}

/** The layer the import would write, and what changes. */
function combine(
	layer: MappableLayer,
	mode: ImportMode,
	existing: AnyFeature[],
	incoming: AnyFeature[],
	byId: boolean
): { features: AnyFeature[]; change: LayerChange } {
	if (mode === 'replace') {
		const before = new Set(existing.map((f) => keyOf(f, layer, byId)));
		const updated = incoming.filter((f) => before.has(keyOf(f, layer, byId))).length;
		return {
			features: incoming,
			change: {
				mode,
				before: existing.length,
				after: incoming.length,
				added: incoming.length - updated,
				updated,
				removed: existing.length - updated
			}
		};
	}
	const position = new Map(existing.map((f, i) => [keyOf(f, layer, byId), i]));
	const out = [...existing];
	const ids = new Set(existing.map((f) => (f.properties as { id?: string }).id));
	let updated = 0;
	for (const feature of incoming) {
		const at = position.get(keyOf(feature, layer, byId));
		if (at !== undefined) {
			const keptId = (existing[at].properties as { id?: string }).id;
			out[at] = (
				keptId === undefined
					? feature
					: { ...feature, properties: { ...feature.properties, id: keptId } }
			) as AnyFeature;
			updated++;
			continue;
		}
		let next = feature;
		const id = (feature.properties as { id?: string }).id;
		if (id !== undefined && ids.has(id)) {
			let n = 2;
			while (ids.has(`${id}-${n}`)) n++;
			next = { ...feature, properties: { ...feature.properties, id: `${id}-${n}` } } as AnyFeature;
		}
		if (id !== undefined) ids.add((next.properties as { id: string }).id);
		out.push(next);
	}
	return {
		features: out,
		change: {
			mode,
			before: existing.length,
			after: out.length,
			added: incoming.length - updated,
			updated,
			removed: 0
		}
	};
}

function countIssues(issues: ImportIssue[]) {
	const count = (action: ImportIssue['action']) =>
		issues.filter((issue) => issue.action === action).length;
	return { rejected: count('rejected'), repaired: count('repaired'), warnings: count('warning') };
}

/** The places an indicator row may name: the region's coded streets and districts, its facilities. */
function indicatorPlaces(region: LoadedRegion) {
	return {
		boundaries: (region.layers.boundaries ?? []).flatMap((b) =>
			b.properties.code && b.properties.level !== 'community'
				? [{ level: b.properties.level, code: b.properties.code, name: b.properties.name }]
				: []
		),
		facilities: (region.layers.facilities ?? []).map((f) => ({
			id: f.properties.id,
			name: f.properties.name
		}))
	};
}

async function prepareIndicators(regionsDir: string, id: string, request: ImportRequest) {
	const region = readRegion(regionsDir, id);
	const outcome = await importIndicatorFile(request.file, request.bytes, {
		places: indicatorPlaces(region),
		defaults: { asOf: request.asOf, source: request.source },
		columnMap: request.columnMap,
		sheet: request.sheet
	});
	const merge = mergeIndicatorRows(region.indicators ?? [], outcome.rows);
	const levels = Object.fromEntries(INDICATOR_LEVELS.map((level) => [level, 0])) as Record<
		IndicatorLevel,
		number
	>;
	for (const row of outcome.rows) levels[row.level]++;
	const errorRows = new Set(
		outcome.issues
			.filter((issue) => issue.action === 'rejected' && issue.row > 0)
			.map((issue) => issue.row)
	);
	const preview: ImportPreview = {
		file: request.file,
		layer: 'indicators',
		format: outcome.format,
		crs: null,
		columnMap: outcome.columnMap,
		unmappedColumns: outcome.unmappedColumns,
		issues: outcome.issues,
		counts: { features: outcome.rows.length, ...countIssues(outcome.issues) },
		change: {
			mode: 'merge',
			before: merge.before,
			after: merge.after,
			added: merge.added,
			updated: merge.replaced,
			removed: 0
		},
		indicators: {
			rowsRead: outcome.rowsRead,
			rowsWithErrors: errorRows.size,
			dates: [...new Set(outcome.rows.map((row) => row.asOf))].sort(),
			levels,
			replaced: merge.replaced,
			kept: merge.kept,
			added: merge.added,
			firstRows: outcome.rows.slice(0, INDICATOR_PREVIEW_ROWS)
		}
	};
	return { preview, rows: outcome.rows };
}

async function prepare(
	regionsDir: string,
	id: string,
	request: ImportRequest & { layer: MappableLayer }
) {
	const region = readRegion(regionsDir, id);
	const streets = (region.layers.boundaries ?? [])
		.filter((b) => b.properties.level === 'street' && b.properties.code)
		.map((b) => ({ code: b.properties.code!, name: b.properties.name }));
	const outcome = await importFile(request.file, request.bytes, {
		layer: request.layer,
		crs: request.crs,
		columnMap: request.columnMap,
		sheet: request.sheet,
		defaults: { status: request.status, kind: request.kind, source: request.file },
		expectedBbox: region.meta.bbox,
		streets,
		keepDuplicates: request.keepDuplicates
	});
	const existing = (region.layers[request.layer] ?? []) as AnyFeature[];
	const byId = outcome.columnMap.id !== undefined;
	const { features, change } = combine(
		request.layer,
		request.mode,
		existing,
		outcome.features as AnyFeature[],
		byId
	);
	const preview: ImportPreview = {
		file: request.file,
		layer: request.layer,
		format: outcome.format,
		crs: outcome.crs,
		columnMap: outcome.columnMap,
		unmappedColumns: outcome.unmappedColumns,
		issues: outcome.issues,
		counts: { features: outcome.features.length, ...countIssues(outcome.issues) },
		change
	};
	return { preview, features, meta: region.meta };
}

/**
 * What an import would do, without writing anything.
 * @throws ImportError when the file cannot be trusted as a whole (the region stays as it is)
 */
export async function previewImport(
	regionsDir: string,
	id: string,
	request: ImportRequest
): Promise<ImportPreview> {
	if (request.layer === 'indicators')
		return (await prepareIndicators(regionsDir, id, request)).preview;
	return (await prepare(regionsDir, id, { ...request, layer: request.layer })).preview;
}

/**
 * Import a file: the previous layer file and region.json are kept as a version, then the layer
 * and region.json are replaced atomically.
 * @param actor who asks (recorded in the version)
 * @throws ImportError (nothing written), RegionBusyError when another import holds the region
 */
export async function applyImport(
	regionsDir: string,
	id: string,
	request: ImportRequest,
	actor: string
): Promise<{ preview: ImportPreview; meta: RegionMeta; version: VersionManifest }> {
	if (request.layer === 'indicators') return applyIndicatorImport(regionsDir, id, request, actor);
	const { preview, features } = await prepare(regionsDir, id, { ...request, layer: request.layer });
	const layer = request.layer;
	return withRegionLock(regionsDir, id, () => {
		const current = readRegionMeta(regionsDir, id);
		const layerFile = current.layers[layer] ?? `${layer}.geojson`;
		const version = saveVersion(
			regionsDir,
			id,
			['region.json', layerFile],
			`import ${layer} ${request.file} (${request.mode})`,
			actor
		);
		const sourceId = `import-${layer}-${request.file}`;
		const meta = writeLayer(regionsDir, id, layer, features as never, (m) => ({
			...m,
			sources: [
				...m.sources.filter((source) => source.id !== sourceId),
				{
					id: sourceId,
					title: request.file,
					origin: `imported by ${actor} (${preview.format}, ${request.mode})`,
					licence: 'as supplied by the user',
					usedFor: [layer]
				}
			],
			notes: m.notes.filter((note) => !isStaleLayerNote(note, layer))
		}));
		return { preview, meta, version };
	});
}

/**
 * Import an indicator table: its rows replace the region's rows of the same level, code and date
 * (merged again under the lock, on the table as it is then), every other row is kept; the previous
 * indicators.json and region.json are kept as a version.
 */
async function applyIndicatorImport(
	regionsDir: string,
	id: string,
	request: ImportRequest,
	actor: string
): Promise<{ preview: ImportPreview; meta: RegionMeta; version: VersionManifest }> {
	const { preview, rows } = await prepareIndicators(regionsDir, id, request);
	return withRegionLock(regionsDir, id, () => {
		const current = readRegionMeta(regionsDir, id);
		const file = current.layers.indicators ?? 'indicators.json';
		const version = saveVersion(
			regionsDir,
			id,
			['region.json', file],
			`import indicators ${request.file} (rows replaced by level, code and date)`,
			actor
		);
		const merge = mergeIndicatorRows(readRegion(regionsDir, id).indicators ?? [], rows);
		const sourceId = `import-indicators-${request.file}`;
		const meta = writeIndicators(regionsDir, id, merge.rows, (m) => ({
			...m,
			sources: [
				...m.sources.filter((source) => source.id !== sourceId),
				{
					id: sourceId,
					title: request.file,
					origin: `imported by ${actor} (${preview.format}, indicator table)`,
					licence: 'as supplied by the user',
					usedFor: ['indicators']
				}
			]
		}));
		return { preview, meta, version };
	});
}

/** Notes of the bundled regions that say a layer is missing, dropped once it is imported. */
function isStaleLayerNote(note: RegionNote, layer: MappableLayer): boolean {
	return (
		layer !== 'boundaries' &&
		/^No residential compounds with coordinates/.test(noteText(note, 'en'))
	);
}
