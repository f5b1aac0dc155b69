/**
 * Importing a user's file into a region, for the CLI (`npm run import`) and the browser's
 * 导入数据 page alike: preview (every row's fate and what the layer would become, nothing
 * written), then apply (the same import again from the same bytes, the previous version kept,
 * one atomic write), and undo (the previous version back). One implementation, so the CLI and
 * the page give the same features for the same file.
 */
import { importFile, type ImportOutcome } from '../engine/import/index.ts';
import { normalizeValue, type MappableLayer } from '../engine/import/aliases.ts';
import type { ImportIssue } from '../engine/import/report.ts';
import {
	noteText,
	type LayerFeature,
	type RegionMeta,
	type RegionNote
} from '../engine/region/schema.ts';
import { readRegion, readRegionMeta, writeLayer } from './region-store.ts';
import { saveVersion, withRegionLock, type VersionManifest } from './region-versions.ts';

export const IMPORT_MODES = ['replace', 'merge'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportRequest {
	/** File name as the user knows it (every message names it). */
	file: string;
	bytes: Uint8Array;
	layer: MappableLayer;
	/** replace: the file becomes the layer; merge: matching records are updated, others added. */
	mode: ImportMode;
	crs?: string;
	columnMap?: Record<string, string>;
	sheet?: string;
	/** Default status / facility kind for rows without one. */
	status?: string;
	kind?: string;
	keepDuplicates?: boolean;
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

export interface ImportPreview {
	file: string;
	layer: MappableLayer;
	format: ImportOutcome<MappableLayer>['format'];
	crs: ImportOutcome<MappableLayer>['crs'];
	columnMap: Record<string, string>;
	unmappedColumns: string[];
	issues: ImportIssue[];
	counts: { features: number; rejected: number; repaired: number; warnings: number };
	change: LayerChange;
}

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

async function prepare(regionsDir: string, id: string, request: ImportRequest) {
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
	const count = (action: ImportIssue['action']) =>
		outcome.issues.filter((issue) => issue.action === action).length;
	const preview: ImportPreview = {
		file: request.file,
		layer: request.layer,
		format: outcome.format,
		crs: outcome.crs,
		columnMap: outcome.columnMap,
		unmappedColumns: outcome.unmappedColumns,
		issues: outcome.issues,
		counts: {
			features: outcome.features.length,
			rejected: count('rejected'),
			repaired: count('repaired'),
			warnings: count('warning')
		},
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
	return (await prepare(regionsDir, id, request)).preview;
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
	const { preview, features } = await prepare(regionsDir, id, request);
	return withRegionLock(regionsDir, id, () => {
		const current = readRegionMeta(regionsDir, id);
		const layerFile = current.layers[request.layer] ?? `${request.layer}.geojson`;
		const version = saveVersion(
			regionsDir,
			id,
			['region.json', layerFile],
			`import ${request.layer} ${request.file} (${request.mode})`,
			actor
		);
		const sourceId = `import-${request.layer}-${request.file}`;
		const meta = writeLayer(regionsDir, id, request.layer, features as never, (m) => ({
			...m,
			sources: [
				...m.sources.filter((source) => source.id !== sourceId),
				{
					id: sourceId,
					title: request.file,
					origin: `imported by ${actor} (${preview.format}, ${request.mode})`,
					licence: 'as supplied by the user',
					usedFor: [request.layer]
				}
			],
			notes: m.notes.filter((note) => !isStaleLayerNote(note, request.layer))
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
