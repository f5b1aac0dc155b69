/**
 * Find a place of the map workspace by name (issue 15, item 5): residential compounds, streets,
 * districts, communities, the region's facilities and the plan's planned stations. Pure: the
 * index is built from the region's layers (and the analysis, for the streets and districts that
 * only exist as codes on rows), the search box ranks its entries and the page zooms to `bounds`.
 *
 * Shaped for a few thousand entries at most (a district's compounds and facilities): each entry
 * keeps its name and id already normalised, and a query is one linear scan — on the demo region
 * (≈ 30 entries) and the Laoshan one (≈ 10) well under a millisecond, so no n-gram index is built.
 * Matching is on the Chinese name as written and on ids / codes; no pinyin.
 */
import type { Analysis } from '$lib/engine/analysis/types.ts';
import {
	FACILITY_KIND_NAMES_ZH,
	type BoundaryFeature,
	type FacilityFeature,
	type FacilityKind,
	type ResidentialFeature
} from '$lib/engine/region/schema.ts';
import type { PlannedStation } from '$lib/engine/session/what-if.ts';
import type { RegionPayload, Selection } from './workspace.svelte.ts';

/** [west, south, east, north], WGS84 degrees; a point has west = east and south = north. */
export type Bounds = [west: number, south: number, east: number, north: number];

export const SEARCH_KINDS = [
	'district',
	'street',
	'community',
	'compound',
	'facility',
	'planned'
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
	kind: SearchKind;
	/** The feature's id, or the boundary's code ('' for the analysis' rows outside any street). */
	id: string;
	name: string;
	/** Where it is or what it is: the street of a compound, a facility's kind, a code. */
	subtitle: string;
	/** Extent of the feature's geometry (a street without a polygon: of its compounds). */
	bounds: Bounds;
	/** What to select in the workspace when picked; null for places that are not rows on the map. */
	selection: Selection;
}

/** The words the index writes into subtitles (the search box passes the current language's). */
export interface SearchLabels {
	kind: (kind: FacilityKind) => string;
	/** Suffix of a planned station's subtitle. */
	planned: string;
	/** Suffix of an existing facility taken out in the plan. */
	removed: string;
}

export const SEARCH_LABELS_ZH: SearchLabels = {
	kind: (kind) => FACILITY_KIND_NAMES_ZH[kind],
	planned: '规划站点',
	removed: '方案中已移除'
};

export interface SearchSources {
	region: Pick<RegionPayload, 'boundaries' | 'residential' | 'facilities'> | null;
	/** The latest analysis: street and district names of compounds, streets known only by code. */
	analysis?: Pick<Analysis, 'areas' | 'streets' | 'districts'> | null;
	planned?: readonly PlannedStation[];
	/** Existing facilities moved in the plan: id → WGS84 [lon, lat] (bounds follow the move). */
	moved?: Readonly<Record<string, [number, number]>>;
	removed?: readonly string[];
}

interface Entry extends SearchHit {
	/** Normalised name, id and subtitle (matching). */
	nameKey: string;
	idKey: string;
	subtitleKey: string;
}

export interface SearchIndex {
	readonly entries: readonly SearchHit[];
	/** The best hits for a query, at most `limit` (default 8); [] for an empty query. */
	search(query: string, limit?: number): SearchHit[];
}

/** Full-width letters and digits folded (NFKC), Latin lower-cased, runs of spaces made one. */
export function normalizeQuery(text: string): string {
	return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Extent of any GeoJSON coordinates (a position or nested arrays of them); null when empty. */
export function boundsOfCoordinates(coordinates: unknown): Bounds | null {
	const box: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
	const visit = (node: unknown) => {
		if (!Array.isArray(node)) return;
		if (typeof node[0] === 'number') {
			const [lon, lat] = node as number[];
			if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
			if (lon < box[0]) box[0] = lon;
			if (lat < box[1]) box[1] = lat;
			if (lon > box[2]) box[2] = lon;
			if (lat > box[3]) box[3] = lat;
		} else for (const child of node) visit(child);
	};
	visit(coordinates);
	return box[0] === Infinity ? null : box;
}

/** The union of extents; null when there are none. */
export function unionBounds(list: Iterable<Bounds | null | undefined>): Bounds | null {
	let union: Bounds | null = null;
	for (const b of list) {
		if (!b) continue;
		union = union
			? [
					Math.min(union[0], b[0]),
					Math.min(union[1], b[1]),
					Math.max(union[2], b[2]),
					Math.max(union[3], b[3])
				]
			: [...b];
	}
	return union;
}

const pointBounds = ([lon, lat]: readonly number[]): Bounds => [lon, lat, lon, lat];
const joined = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' · ');

/**
 * Every searchable place of the workspace.
 * @param labels words of the subtitles (default Chinese)
 * @example buildSearchIndex({ region, analysis: result.analysis, planned }).search('崂山')[0].name
 */
export function buildSearchIndex(
	sources: SearchSources,
	labels: SearchLabels = SEARCH_LABELS_ZH
): SearchIndex {
	const entries: Entry[] = [];
	const add = (hit: SearchHit) =>
		entries.push({
			...hit,
			nameKey: normalizeQuery(hit.name),
			idKey: normalizeQuery(hit.id),
			subtitleKey: normalizeQuery(hit.subtitle)
		});

	const boundaries: BoundaryFeature[] = sources.region?.boundaries ?? [];
	const residential: ResidentialFeature[] = sources.region?.residential ?? [];
	const facilities: FacilityFeature[] = sources.region?.facilities ?? [];
	const analysis = sources.analysis ?? null;
	const boundaryName = new Map(
		boundaries.filter((b) => b.properties.code).map((b) => [b.properties.code!, b.properties.name])
	);
	const areaRows = new Map((analysis?.areas ?? []).map((area) => [area.id, area]));
	const compoundBounds = new Map(
		residential.map((f) => [f.properties.id, boundsOfCoordinates(f.geometry.coordinates)])
	);

	// Boundaries: districts, streets and communities with their polygons.
	const seen = new Set<string>();
	for (const boundary of boundaries) {
		const { level, code, name, parentCode } = boundary.properties;
		const bounds = boundsOfCoordinates(boundary.geometry.coordinates);
		if (!bounds) continue;
		if (code) seen.add(`${level}:${code}`);
		add({
			kind: level,
			id: code ?? '',
			name,
			subtitle: joined((parentCode && boundaryName.get(parentCode)) || null, code),
			bounds,
			selection: null
		});
	}

	// Streets and districts the analysis knows only from its rows (no polygon): their compounds.
	const extentOfAreas = (match: (area: Analysis['areas'][number]) => boolean) =>
		unionBounds(
			(analysis?.areas ?? []).filter(match).map((area) => compoundBounds.get(area.id) ?? null)
		);
	for (const street of analysis?.streets ?? []) {
		if (street.code && seen.has(`street:${street.code}`)) continue;
		const bounds = extentOfAreas((area) =>
			street.code !== null
				? area.streetCode === street.code
				: area.streetCode === null && area.streetName === null
		);
		if (!bounds) continue;
		add({
			kind: 'street',
			id: street.code ?? '',
			name: street.name,
			subtitle: joined(street.districtName, street.code),
			bounds,
			selection: null
		});
	}
	for (const district of analysis?.districts ?? []) {
		if (!district.code || seen.has(`district:${district.code}`)) continue;
		const bounds = extentOfAreas((area) => area.districtCode === district.code);
		if (!bounds) continue;
		add({
			kind: 'district',
			id: district.code,
			name: district.name,
			subtitle: district.code,
			bounds,
			selection: null
		});
	}

	for (const compound of residential) {
		const { id, name, streetCode } = compound.properties;
		const bounds = compoundBounds.get(id);
		if (!bounds) continue;
		const row = areaRows.get(id);
		const street = row?.streetName ?? (streetCode ? (boundaryName.get(streetCode) ?? null) : null);
		add({
			kind: 'compound',
			id,
			name,
			subtitle: joined(street, row?.districtName),
			bounds,
			selection: { kind: 'area', id }
		});
	}

	const removed = new Set(sources.removed ?? []);
	for (const facility of facilities) {
		const { id, name, kind } = facility.properties;
		const position = sources.moved?.[id] ?? facility.geometry.coordinates;
		add({
			kind: 'facility',
			id,
			name,
			subtitle: joined(labels.kind(kind), removed.has(id) ? labels.removed : null),
			bounds: pointBounds(position),
			selection: { kind: 'facility', id }
		});
	}

	for (const station of sources.planned ?? []) {
		add({
			kind: 'planned',
			id: station.id,
			name: station.name,
			subtitle: joined(labels.kind(station.kind), labels.planned),
			bounds: pointBounds(station.position),
			selection: { kind: 'facility', id: station.id }
		});
	}

	const hits = entries.map(({ kind, id, name, subtitle, bounds, selection }): SearchHit => ({
		kind,
		id,
		name,
		subtitle,
		bounds,
		selection
	}));
	return {
		entries: hits,
		search(query, limit = 8) {
			const q = normalizeQuery(query);
			if (!q) return [];
			const terms = q.split(' ');
			const ranked: { score: number; index: number }[] = [];
			entries.forEach((entry, index) => {
				const score = matchScore(entry, q, terms);
				if (score !== null) ranked.push({ score, index });
			});
			ranked.sort(
				(a, b) =>
					a.score - b.score ||
					entries[a.index].name.length - entries[b.index].name.length ||
					SEARCH_KINDS.indexOf(entries[a.index].kind) -
						SEARCH_KINDS.indexOf(entries[b.index].kind) ||
					entries[a.index].name.localeCompare(entries[b.index].name, 'zh-CN') ||
					a.index - b.index
			);
			return ranked.slice(0, limit).map(({ index }) => hits[index]);
		}
	};
}

/**
 * Rank of a match, lower is better, null for none: the exact name (0) or id / code (1), a
 * prefix of the name (2) or id (3), a part of the name (4) or id (5), then every word of a
 * several-word query somewhere in name, id or subtitle (6).
 */
function matchScore(entry: Entry, query: string, terms: string[]): number | null {
	const { nameKey, idKey } = entry;
	if (nameKey === query) return 0;
	if (idKey && idKey === query) return 1;
	if (nameKey.startsWith(query)) return 2;
	if (idKey && idKey.startsWith(query)) return 3;
	if (nameKey.includes(query)) return 4;
	if (idKey && idKey.includes(query)) return 5;
	if (terms.length > 1) {
		const text = `${nameKey} ${idKey} ${entry.subtitleKey}`;
		if (terms.every((term) => text.includes(term))) return 6;
	}
	return null;
}
