/**
 * Region map tiles (issue 5): a region's own layers cut into Mapbox Vector Tiles (geojson-vt,
 * encoded with vt-pbf) and packed into one PMTiles archive, `data/regions/<id>/tiles.pmtiles`
 * (pmtiles-writer.ts). The map reads it by HTTP range requests from
 * `/api/regions/<id>/tiles.pmtiles`: no tile server, no external URL, works offline.
 *
 * Vector layers (properties in brackets; a null value is left out):
 *
 *   water       [kind, name]                 display only, where the shared inputs have it
 *   boundaries  [level, code, name, nameEn]  boundaries.geojson
 *   compounds   [id, name, status, estimated] residential.geojson; estimated = some field is estimated
 *   buildings   [name, heightM]              buildings.geojson, from z14
 *   roads       [highway, name, tunnel, bridge] network.geojson or the region's OSM extract;
 *                                            below z13 only motorway … tertiary (and links)
 *   facilities  [id, name, kind, status]     facilities.geojson
 *
 * Zooms 10–16 (the client overzooms past 16). Tile extent 4096, buffer 64, geojson-vt's default
 * simplification (none at z16). Compound and facility ids match the GeoJSON ids, so the map can
 * colour compounds by verdict with feature state (promoteId: 'id').
 *
 * The archive's metadata records, per input file, a SHA-256 of the bytes it was built from
 * (`carecircle.inputs`): a layer replaced later by `npm run import` shows as a different hash,
 * i.e. tiles older than their data.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import {
	bboxClip,
	featureCollection,
	multiPolygon,
	polygon as turfPolygon,
	union
} from '@turf/turf';
import type {
	Feature,
	GeoJsonProperties,
	Geometry,
	MultiPolygon,
	Polygon,
	Position
} from 'geojson';
import GeoJSONVT, { type LegacyTile } from 'geojson-vt';
import { readOsm } from '../../src/lib/engine/osm/index.ts';
import { osmToNetworkFeatures } from '../../src/lib/engine/osm/network.ts';
import type { RegionMeta } from '../../src/lib/engine/region/schema.ts';
import { roundGeometry, type SharedInputs } from './io.ts';
import { writePmtiles, type PmtilesStats, type Zxy } from './pmtiles-writer.ts';
import { SHANGHAI_INPUTS, SHANGHAI_REGION_ID } from './shanghai.ts';
import { identifyTile, positionsOf } from './tiles.ts';

// vt-pbf is CommonJS without type declarations; this is the one function used.
const vtpbf = createRequire(import.meta.url)('vt-pbf') as {
	fromGeojsonVt(
		layers: Record<string, LegacyTile>,
		options: { version: number; extent: number }
	): Uint8Array;
};

/** File name of the archive inside the region folder. */
export const TILES_FILE = 'tiles.pmtiles';
/** Lowest zoom in the archive: a whole district (≈ 30 km) in one or two tiles. */
export const TILES_MIN_ZOOM = 10;
/** Highest zoom: a tile ≈ 500 m across; the client overzooms beyond. */
export const TILES_MAX_ZOOM = 16;
/** MVT tile extent (integer coordinates per tile side). */
export const TILE_EXTENT = 4096;
/** Zoom the roads layer starts carrying every road; below it only MAJOR_HIGHWAYS. */
export const ALL_ROADS_MIN_ZOOM = 13;

/** highway=* values kept below ALL_ROADS_MIN_ZOOM. */
export const MAJOR_HIGHWAYS = new Set(
	['motorway', 'trunk', 'primary', 'secondary', 'tertiary'].flatMap((kind) => [
		kind,
		`${kind}_link`
	])
);

export const MAP_LAYER_IDS = [
	'water',
	'boundaries',
	'compounds',
	'buildings',
	'roads',
	'facilities'
] as const;
export type MapLayerId = (typeof MAP_LAYER_IDS)[number];

/** Lowest zoom each layer appears at (all run to TILES_MAX_ZOOM). */
const LAYER_MIN_ZOOM: Record<MapLayerId, number> = {
	water: TILES_MIN_ZOOM,
	boundaries: TILES_MIN_ZOOM,
	compounds: TILES_MIN_ZOOM,
	buildings: 14,
	roads: TILES_MIN_ZOOM,
	facilities: TILES_MIN_ZOOM
};

const LAYER_DESCRIPTIONS: Record<MapLayerId, string> = {
	water: '水域 Water areas (OSM water, riverbank), display only',
	boundaries:
		'行政区划 Administrative boundaries (district 区县, street 街道/镇, community 社区/村)',
	compounds: '居住小区 Residential compounds; estimated = households or elders are estimates',
	buildings: '建筑 Building footprints (from z14); heightM where mapped',
	roads: `道路 Roads and paths, OSM highway=*; below z${ALL_ROADS_MIN_ZOOM} only motorway–tertiary`,
	facilities: '养老服务设施 Elderly-care facilities'
};

type AnyFeature = Feature<Geometry, GeoJsonProperties>;
type Properties = Record<string, string | number | boolean>;
type LayerFeatures = Partial<Record<MapLayerId, AnyFeature[]>>;

/** Properties without null/undefined values (MVT has no null; vt-pbf would write "null"). */
function compact(properties: Record<string, unknown>): Properties {
	const out: Properties = {};
	for (const [key, value] of Object.entries(properties))
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
			out[key] = value;
	return out;
}

function feature(geometry: Geometry, properties: Properties): AnyFeature {
	return { type: 'Feature', geometry, properties };
}

interface Collection {
	features: { geometry: Geometry; properties: Record<string, unknown> }[];
}

function parseCollection(text: string | undefined): Collection | null {
	return text === undefined ? null : (JSON.parse(text) as Collection);
}

/** Road features as map features: highway, name, tunnel, bridge. */
function roadFeatures(collection: Collection): AnyFeature[] {
	return collection.features.map((f) =>
		feature(
			f.geometry,
			compact({
				highway: f.properties.highway,
				name: f.properties.name,
				tunnel: f.properties.tunnel,
				bridge: f.properties.bridge
			})
		)
	);
}

/** A decoded Tilezen tile as the shared inputs hold it: layer name → GeoJSON features. */
type TilezenTile = Record<
	string,
	| {
			features: {
				geometry: { type: string; coordinates: unknown };
				properties: Record<string, unknown>;
			}[];
	  }
	| undefined
>;

/**
 * Water polygons of the decoded Tilezen tiles the demo region is built from: each piece clipped to
 * its own tile (Tilezen pieces overlap by the tile buffer), then the pieces of one OSM object
 * merged. Lines (water outlines) and label points are left out.
 */
export function tilezenWater(tiles: TilezenTile[]): AnyFeature[] {
	const groups = new Map<
		string,
		{ pieces: Feature<Polygon | MultiPolygon>[]; properties: Properties }
	>();
	for (const tile of tiles) {
		if (!tile.water || !tile.earth) continue;
		const { bbox } = identifyTile(tile.earth.features.flatMap((f) => positionsOf(f.geometry)));
		for (const f of tile.water.features) {
			const { type, coordinates } = f.geometry;
			if (type !== 'Polygon' && type !== 'MultiPolygon') continue;
			const piece = (
				type === 'Polygon'
					? turfPolygon(coordinates as Position[][])
					: multiPolygon(coordinates as Position[][][])
			) as Feature<Polygon | MultiPolygon>;
			const clipped = bboxClip(piece, bbox) as Feature<Polygon | MultiPolygon>;
			const geometry = clipped.geometry;
			const rings =
				geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
			if (rings.every((ring) => ring.length < 4)) continue;
			const { id, kind, name } = f.properties;
			const key = id === undefined ? `${String(kind)}|${String(name)}` : String(id);
			const group = groups.get(key) ?? {
				pieces: [],
				properties: compact({ kind, name })
			};
			group.pieces.push(clipped);
			groups.set(key, group);
		}
	}
	const out: AnyFeature[] = [];
	for (const key of [...groups.keys()].sort()) {
		const { pieces, properties } = groups.get(key)!;
		const merged = pieces.length === 1 ? pieces[0] : union(featureCollection(pieces));
		if (merged) out.push(feature(roundGeometry(merged.geometry), properties));
	}
	return out;
}

/** Display-only water for a region, from the shared inputs; null where there is none. */
export function regionWater(regionId: string, inputs: SharedInputs): AnyFeature[] | null {
	if (regionId !== SHANGHAI_REGION_ID) return null; // the Qingdao inputs carry no water
	return tilezenWater(inputs.readJson(SHANGHAI_INPUTS.tiles));
}

export interface RegionTilesInput {
	meta: RegionMeta;
	/** The region's files as built: name → text (region.json layers name them). */
	files: Record<string, string>;
	/** Path of the OSM extract when `layers.network` is one (.osm / .osm.pbf), else null. */
	networkExtract?: string | null;
	/** Display-only water polygons (regionWater), or null. */
	water?: AnyFeature[] | null;
}

/** The map layers of a region, from its files. Layers the region does not have are absent. */
export function regionMapLayers(input: RegionTilesInput): {
	layers: LayerFeatures;
	/** Input file → "sha256:<hex>" of the bytes the layers were read from. */
	inputs: Record<string, string>;
} {
	const { meta, files } = input;
	const layers: LayerFeatures = {};
	const inputs: Record<string, string> = {};
	const hash = (bytes: string | Uint8Array) =>
		`sha256:${createHash('sha256').update(bytes).digest('hex')}`;
	const read = (name: string | null | undefined): Collection | null => {
		if (!name) return null;
		const text = files[name];
		if (text === undefined)
			throw new Error(`${meta.id}/${name}: named in region.json but not built`);
		inputs[name] = hash(text);
		return parseCollection(text);
	};

	const boundaries = read(meta.layers.boundaries);
	if (boundaries)
		layers.boundaries = boundaries.features.map((f) =>
			feature(
				f.geometry,
				compact({
					level: f.properties.level,
					code: f.properties.code,
					name: f.properties.name,
					nameEn: f.properties.nameEn
				})
			)
		);
	const residential = read(meta.layers.residential);
	if (residential)
		layers.compounds = residential.features.map((f) =>
			feature(
				f.geometry,
				compact({
					id: f.properties.id,
					name: f.properties.name,
					status: f.properties.status,
					estimated: Object.keys((f.properties.estimated as object | undefined) ?? {}).length > 0
				})
			)
		);
	const buildings = read(meta.layers.buildings);
	if (buildings)
		layers.buildings = buildings.features.map((f) =>
			feature(f.geometry, compact({ name: f.properties.name, heightM: f.properties.heightM }))
		);
	const network = meta.layers.network;
	if (network && network.endsWith('.geojson')) {
		layers.roads = roadFeatures(read(network)!);
	} else if (network) {
		if (!input.networkExtract)
			throw new Error(`${meta.id}/${network}: the OSM extract's path is needed to draw its roads`);
		const bytes = new Uint8Array(readFileSync(input.networkExtract));
		inputs[network] = hash(bytes);
		const [west, south, east, north] = meta.bbox;
		const inside = (f: AnyFeature) =>
			positionsOf(f.geometry as never).some(
				([lon, lat]) => lon >= west && lon <= east && lat >= south && lat <= north
			);
		const all = osmToNetworkFeatures(readOsm(bytes, basename(input.networkExtract))).features;
		layers.roads = roadFeatures({ features: all as unknown as Collection['features'] }).filter(
			inside
		);
	}
	const facilities = read(meta.layers.facilities);
	if (facilities)
		layers.facilities = facilities.features.map((f) =>
			feature(
				f.geometry,
				compact({
					id: f.properties.id,
					name: f.properties.name,
					kind: f.properties.kind,
					status: f.properties.status
				})
			)
		);
	if (input.water && input.water.length > 0) layers.water = input.water;
	return { layers, inputs };
}

function lonToTileX(lon: number, zoom: number): number {
	return ((lon + 180) / 360) * 2 ** zoom;
}
function latToTileY(lat: number, zoom: number): number {
	const rad = (lat * Math.PI) / 180;
	return ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** zoom;
}

/**
 * Tiles of zoom z that overlap bbox. An edge that falls on a tile edge (the demo region's bbox is
 * made of z16 tiles) does not pull in the neighbour: 1e-4 of a tile is ≈ 5 cm at z16.
 */
export function tileRange(
	bbox: RegionMeta['bbox'],
	zoom: number
): { x0: number; x1: number; y0: number; y1: number } {
	const [west, south, east, north] = bbox;
	const last = 2 ** zoom - 1;
	const clamp = (v: number) => Math.min(last, Math.max(0, v));
	const eps = 1e-4;
	const x0 = clamp(Math.floor(lonToTileX(west, zoom) + eps));
	const y0 = clamp(Math.floor(latToTileY(north, zoom) + eps));
	return {
		x0,
		y0,
		x1: Math.max(x0, clamp(Math.ceil(lonToTileX(east, zoom) - eps) - 1)),
		y1: Math.max(y0, clamp(Math.ceil(latToTileY(south, zoom) - eps) - 1))
	};
}

/** MVT field types of a layer's properties, as vector_layers lists them. */
function fieldTypes(features: AnyFeature[]): Record<string, 'String' | 'Number' | 'Boolean'> {
	const types: Record<string, 'String' | 'Number' | 'Boolean'> = {};
	for (const f of features)
		for (const [key, value] of Object.entries(f.properties ?? {}))
			types[key] ??=
				typeof value === 'number' ? 'Number' : typeof value === 'boolean' ? 'Boolean' : 'String';
	return Object.fromEntries(
		Object.keys(types)
			.sort()
			.map((key) => [key, types[key]])
	);
}

export interface RegionTilesStats extends PmtilesStats {
	/** Tiles per zoom, "z10" … "z16". */
	tilesPerZoom: Record<string, number>;
	/** Features per layer that went into the tiles. */
	featuresPerLayer: Partial<Record<MapLayerId, number>>;
	millis: number;
}

/**
 * Cut a region's layers into vector tiles and pack them as PMTiles.
 * @param input the region's meta and built files (see RegionTilesInput)
 * @returns the archive bytes (deterministic) and statistics; null when the region has no layer to draw
 * @example const archive = buildRegionTiles({ meta, files, water: regionWater(meta.id, inputs) });
 */
export function buildRegionTiles(
	input: RegionTilesInput
): { bytes: Uint8Array; stats: RegionTilesStats } | null {
	const started = performance.now();
	const { meta } = input;
	const { layers, inputs } = regionMapLayers(input);
	const present = MAP_LAYER_IDS.filter((id) => (layers[id]?.length ?? 0) > 0);
	if (present.length === 0) return null;

	const options = { maxZoom: TILES_MAX_ZOOM, extent: TILE_EXTENT, buffer: 64, tolerance: 3 };
	const indexes: { id: MapLayerId; minZoom: number; maxZoom: number; index: GeoJSONVT }[] = [];
	for (const id of present) {
		const features = layers[id]!;
		if (id === 'roads') {
			const major = features.filter((f) => MAJOR_HIGHWAYS.has(String(f.properties?.highway)));
			if (major.length > 0)
				indexes.push({
					id,
					minZoom: LAYER_MIN_ZOOM.roads,
					maxZoom: ALL_ROADS_MIN_ZOOM - 1,
					index: new GeoJSONVT({ type: 'FeatureCollection', features: major }, options)
				});
			indexes.push({
				id,
				minZoom: ALL_ROADS_MIN_ZOOM,
				maxZoom: TILES_MAX_ZOOM,
				index: new GeoJSONVT({ type: 'FeatureCollection', features }, options)
			});
		} else {
			indexes.push({
				id,
				minZoom: LAYER_MIN_ZOOM[id],
				maxZoom: TILES_MAX_ZOOM,
				index: new GeoJSONVT({ type: 'FeatureCollection', features }, options)
			});
		}
	}

	const tiles = new Map<Zxy, Uint8Array>();
	const tilesPerZoom: Record<string, number> = {};
	for (let z = TILES_MIN_ZOOM; z <= TILES_MAX_ZOOM; z++) {
		const { x0, x1, y0, y1 } = tileRange(meta.bbox, z);
		let count = 0;
		for (let x = x0; x <= x1; x++) {
			for (let y = y0; y <= y1; y++) {
				const tileLayers: Record<string, LegacyTile> = {};
				for (const { id, minZoom, maxZoom, index } of indexes) {
					if (z < minZoom || z > maxZoom) continue;
					const tile = index.getTile(z, x, y);
					if (tile && tile.features.length > 0) tileLayers[id] = tile;
				}
				if (Object.keys(tileLayers).length === 0) continue;
				tiles.set(
					`${z}/${x}/${y}`,
					vtpbf.fromGeojsonVt(tileLayers, { version: 2, extent: TILE_EXTENT })
				);
				count++;
			}
		}
		tilesPerZoom[`z${z}`] = count;
	}

	const attribution = [
		...new Set(meta.sources.flatMap((source) => (source.attribution ? [source.attribution] : [])))
	].join('; ');
	const [west, south, east, north] = meta.bbox;
	const { bytes, stats } = writePmtiles(tiles, {
		tileType: 'mvt',
		bounds: meta.bbox,
		center: [(west + east) / 2, (south + north) / 2, 13],
		metadata: {
			name: `${meta.name} ${meta.nameEn}`,
			description: `carecircle region map tiles of ${meta.id}, built by npm run region:build from the region's own layers`,
			attribution,
			type: 'overlay',
			format: 'pbf',
			minzoom: TILES_MIN_ZOOM,
			maxzoom: TILES_MAX_ZOOM,
			vector_layers: present.map((id) => ({
				id,
				description: LAYER_DESCRIPTIONS[id],
				minzoom: LAYER_MIN_ZOOM[id],
				maxzoom: TILES_MAX_ZOOM,
				fields: fieldTypes(layers[id]!)
			})),
			carecircle: { regionId: meta.id, inputs, generator: 'scripts/region/map-tiles.ts' }
		}
	});
	return {
		bytes,
		stats: {
			...stats,
			tilesPerZoom,
			featuresPerLayer: Object.fromEntries(present.map((id) => [id, layers[id]!.length])),
			millis: performance.now() - started
		}
	};
}
