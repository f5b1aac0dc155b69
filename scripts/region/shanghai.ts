/**
 * Region `shanghai-bund-lujiazui`: the demo region (Bund / Lujiazui, 黄浦区 + 浦东新区), built
 * from 34 decoded Tilezen z16 tiles of OSM data, the OSM residential landuse polygons, a
 * hand-transcribed facility list and Shanghai 2020 census figures.
 */
import {
	area as turfArea,
	bboxClip,
	booleanPointInPolygon,
	centroid,
	featureCollection,
	length as turfLength,
	lineString,
	multiPolygon,
	pointOnFeature,
	polygon as turfPolygon,
	polygonize,
	union
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import gcoord from 'gcoord';
import {
	FACILITY_KINDS,
	type BilingualNote,
	type FacilityKind,
	type RegionMeta
} from '../../src/lib/engine/region/schema.ts';
import { measureConnectivity, type Connectivity } from './connectivity.ts';
import {
	featureCollectionText,
	jsonText,
	RegionBuildError,
	roundCoordinate,
	roundGeometry,
	type SharedInputs
} from './io.ts';
import { stitchWays, type LonLat, type StitchStats, type WayPiece } from './stitch.ts';
import { identifyTile, positionsOf, type TileBounds } from './tiles.ts';
import type { RegionBuild } from './types.ts';

export const SHANGHAI_REGION_ID = 'shanghai-bund-lujiazui';

export const SHANGHAI_INPUTS = {
	tiles: 'tiles/shanghai_bund_lujiazui_tilezen_z16.json',
	residential: 'residential/shanghai_bund_lujiazui_osm_residential_landuse.geojson',
	facilities: 'facilities/shanghai_bund_lujiazui_elderly_facilities_all.csv',
	census: 'census/shanghai_huangpu_pudong_census2020.csv'
} as const;

/**
 * Assumed values of the household estimate. None of them is measured for these compounds; each
 * carries its basis into region.json so the UI can show it.
 */
export const SHANGHAI_ASSUMPTIONS = {
	/** Gross residential floor area per household (m²): small 1–2-room units of 1950s–80s 新村. */
	dwellingFloorAreaM2: 55,
	/** Share of a residential building's floor area that is dwellings (rest: stairs, ground-floor shops). */
	residentialShare: 0.9,
	/** Storey height (m) used to turn a mapped building height into floors. */
	storeyHeightM: 2.9,
	/** Floors assumed for a residential building without a mapped height. */
	assumedStoreys: 5,
	/** Floor-area ratio assumed for a compound without (enough) mapped buildings. */
	floorAreaRatio: 1.5,
	/**
	 * Share of the compound's land that mapped residential footprints must cover before the
	 * buildings are trusted as the whole housing stock. Below it the mapping is taken as partial
	 * (e.g. 3 buildings on 6 ha gave 70 households) and the land-area method is used instead.
	 */
	minBuildingCoverage: 0.15
} as const;

/** Building kinds (Tilezen kind_detail, i.e. OSM building=*) counted as dwellings; absent = building=yes. */
const RESIDENTIAL_BUILDING_KINDS = new Set<string | null>([
	null,
	'residential',
	'apartments',
	'house'
]);

/** Tilezen road kinds that are streets or paths (rail and ferry are other kinds). */
const NETWORK_KINDS = new Set(['path', 'major_road', 'minor_road']);
/** Tilezen kind_detail values that are OSM highway=* values, kept verbatim. */
const HIGHWAY_VALUES = new Set([
	'footway',
	'pedestrian',
	'cycleway',
	'path',
	'steps',
	'service',
	'residential',
	'living_street',
	'unclassified',
	'tertiary',
	'secondary',
	'primary',
	'trunk',
	'motorway',
	'tertiary_link',
	'secondary_link',
	'primary_link',
	'trunk_link',
	'motorway_link',
	'track',
	'corridor',
	'bridleway',
	'road'
]);
/** OSM tags copied from the tiles when present, in output key order. */
const COPIED_TAGS = ['foot', 'bicycle', 'service', 'oneway', 'surface', 'layer'] as const;

/** GB/T 2260 codes of the districts the tiles' boundary lines may name (census CSV wins when it has one). */
const DISTRICT_CODES: Record<string, string> = {
	黄浦区: '310101',
	浦东新区: '310115',
	虹口区: '310109',
	杨浦区: '310110'
};

const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

interface TileFeature {
	type: 'Feature';
	geometry: { type: string; coordinates: unknown };
	properties: Record<string, unknown>;
}
type DecodedTile = Record<string, { type: 'FeatureCollection'; features: TileFeature[] }>;

type AreaFeature = Feature<Polygon | MultiPolygon>;

/** Union of polygon pieces (one OSM object cut by tiles); a single piece is returned unchanged. */
function mergePieces(pieces: AreaFeature[]): AreaFeature {
	if (pieces.length === 1) return pieces[0];
	const merged = union(featureCollection(pieces));
	if (!merged) throw new Error('union of polygon pieces is empty');
	return merged as AreaFeature;
}

function asAreaFeature(geometry: TileFeature['geometry']): AreaFeature {
	return geometry.type === 'Polygon'
		? turfPolygon(geometry.coordinates as number[][][])
		: multiPolygon(geometry.coordinates as number[][][][]);
}

function censusValue(
	rows: Record<string, string>[],
	region: string,
	measure: string,
	file: string
): { value: number; row: Record<string, string> } {
	const row = rows.find(
		(candidate) => candidate.region === region && candidate.measure === measure
	);
	const value = row ? Number(row.value) : NaN;
	if (!row || !Number.isFinite(value))
		throw new RegionBuildError(
			file,
			`no row with region "${region}" and measure "${measure}" holding a number`
		);
	return { value, row };
}

function optionalNumber(value: string | undefined): number | null {
	if (value === undefined || value.trim() === '') return null;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : null;
}

interface NetworkResult {
	features: object[];
	stats: StitchStats;
	connectivityNaive: Connectivity;
	connectivityNaiveWithoutPiers: Connectivity;
	connectivityStitched: Connectivity;
	pierWays: number;
	ferryWays: number;
	tunnelWays: { osmId: number; highway: string; name: string | null }[];
	lengthKm: number;
	vertices: number;
}

function buildNetwork(tiles: DecodedTile[]): NetworkResult {
	const pieces: WayPiece[] = [];
	const naiveLines: number[][][] = [];
	const naiveLinesWithoutPiers: number[][][] = [];
	const tagsByWay = new Map<number, Record<string, unknown>>();
	const pierIds = new Set<number>();
	const ferryIds = new Set<number>();
	tiles.forEach((tile, tileIndex) => {
		tile.roads.features.forEach((feature, featureIndex) => {
			const properties = feature.properties;
			const id = properties.id as number;
			if (properties.kind === 'ferry') ferryIds.add(id);
			if (!NETWORK_KINDS.has(properties.kind as string)) return;
			const lines = (
				feature.geometry.type === 'LineString'
					? [feature.geometry.coordinates]
					: feature.geometry.coordinates
			) as LonLat[][];
			naiveLines.push(...lines);
			if (properties.kind_detail === 'pier') {
				pierIds.add(id);
				return;
			}
			naiveLinesWithoutPiers.push(...lines);
			if (!HIGHWAY_VALUES.has(properties.kind_detail as string)) {
				throw new RegionBuildError(
					SHANGHAI_INPUTS.tiles,
					`tile ${tileIndex}, roads feature ${featureIndex}, field "kind_detail" = ${JSON.stringify(properties.kind_detail)}: expected an OSM highway value`
				);
			}
			// Tags are the same OSM tags in every tile; take the first value seen for each.
			const tags = tagsByWay.get(id) ?? {};
			for (const [name, value] of Object.entries(properties))
				if (tags[name] === undefined && value !== undefined) tags[name] = value;
			tagsByWay.set(id, tags);
			for (const coordinates of lines) pieces.push({ wayId: id, tileIndex, coordinates });
		});
	});
	const { ways, stats } = stitchWays(pieces);
	const features: object[] = [];
	const tunnelWays: NetworkResult['tunnelWays'] = [];
	let lengthKm = 0;
	let vertices = 0;
	const stitchedLines: number[][][] = [];
	for (const way of ways) {
		const tags = tagsByWay.get(way.wayId)!;
		const properties: Record<string, string | number> = {
			highway: tags.kind_detail as string,
			osmId: way.wayId
		};
		if (typeof tags.name === 'string') properties.name = tags.name;
		if (tags.is_tunnel === true) properties.tunnel = 'yes';
		if (tags.is_bridge === true) properties.bridge = 'yes';
		for (const tag of COPIED_TAGS) {
			const value = tags[tag];
			if (typeof value === 'string' || typeof value === 'number') properties[tag] = value;
		}
		const geometry = roundGeometry(
			way.parts.length === 1
				? { type: 'LineString', coordinates: way.parts[0] }
				: { type: 'MultiLineString', coordinates: way.parts }
		);
		const parts = (
			geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates
		) as number[][][];
		if (parts.some((part) => part.length < 2))
			throw new Error(`way ${way.wayId}: a part collapsed when rounded`);
		for (const part of parts) {
			lengthKm += turfLength(lineString(part), { units: 'kilometers' });
			vertices += part.length;
			stitchedLines.push(part);
		}
		if (properties.tunnel === 'yes')
			tunnelWays.push({
				osmId: way.wayId,
				highway: properties.highway as string,
				name: (properties.name as string) ?? null
			});
		features.push({ type: 'Feature', geometry, properties });
	}
	return {
		features,
		stats,
		connectivityNaive: measureConnectivity(naiveLines),
		connectivityNaiveWithoutPiers: measureConnectivity(naiveLinesWithoutPiers),
		connectivityStitched: measureConnectivity(stitchedLines),
		pierWays: pierIds.size,
		ferryWays: ferryIds.size,
		tunnelWays,
		lengthKm,
		vertices
	};
}

interface BuildingRecord {
	feature: AreaFeature;
	osmId: number;
	kindDetail: string | null;
	heightM: number | null;
	footprintM2: number;
	/** A point inside the footprint, to decide which compound it belongs to. */
	inside: [number, number];
}

function buildBuildings(tiles: DecodedTile[]): {
	features: object[];
	records: BuildingRecord[];
	labelPointsSkipped: number;
	partsSkipped: number;
	otherSkipped: number;
	piecesMerged: number;
} {
	const pieces = new Map<
		number,
		{ geometries: AreaFeature[]; properties: Record<string, unknown> }
	>();
	let labelPointsSkipped = 0;
	let partsSkipped = 0;
	let otherSkipped = 0;
	let pieceCount = 0;
	for (const tile of tiles) {
		for (const feature of tile.buildings.features) {
			const { kind } = feature.properties;
			const isArea =
				feature.geometry.type === 'Polygon' || feature.geometry.type === 'MultiPolygon';
			if (kind === 'building' && !isArea) {
				labelPointsSkipped++;
				continue;
			}
			if (kind === 'building_part') {
				partsSkipped++; // 3-D parts overlap their building: counting them would double floor area
				continue;
			}
			if (kind !== 'building') {
				otherSkipped++; // address and entrance points
				continue;
			}
			pieceCount++;
			const id = feature.properties.id as number;
			const entry = pieces.get(id) ?? { geometries: [], properties: {} };
			entry.geometries.push(asAreaFeature(feature.geometry));
			for (const [name, value] of Object.entries(feature.properties))
				if (entry.properties[name] === undefined) entry.properties[name] = value;
			pieces.set(id, entry);
		}
	}
	const records: BuildingRecord[] = [];
	const features: { id: string; feature: object }[] = [];
	for (const [osmId, entry] of pieces) {
		const merged = mergePieces(entry.geometries);
		const geometry = roundGeometry(merged.geometry);
		const p = entry.properties;
		const heightM = typeof p.height === 'number' ? p.height : null;
		const kindDetail = typeof p.kind_detail === 'string' ? p.kind_detail : null;
		// Tilezen gives relations negative ids.
		const id = osmId < 0 ? `osm-r${-osmId}` : `osm-${osmId}`;
		const properties = {
			id,
			osmId,
			name: typeof p.name === 'string' ? p.name : null,
			kindDetail,
			heightM,
			minHeightM: typeof p.min_height === 'number' ? p.min_height : null
		};
		features.push({ id, feature: { type: 'Feature', geometry, properties } });
		const inside = pointOnFeature(merged).geometry.coordinates as [number, number];
		records.push({
			feature: merged,
			osmId,
			kindDetail,
			heightM,
			footprintM2: turfArea(merged),
			inside
		});
	}
	features.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		features: features.map((entry) => entry.feature),
		records,
		labelPointsSkipped,
		partsSkipped,
		otherSkipped,
		piecesMerged: pieceCount - pieces.size
	};
}

interface CompoundRecord {
	id: string;
	osmId: number;
	name: string;
	named: boolean;
	feature: AreaFeature;
	households: number;
	elders: number;
	method: 'households-from-buildings' | 'households-from-land-area';
	buildingsCounted: number;
}

function buildResidential(
	input: { features: TileFeature[] },
	buildings: BuildingRecord[],
	personsPerHousehold: number,
	elderSharePercent: number
): {
	features: object[];
	compounds: CompoundRecord[];
	inputPolygons: number;
	inputMultiPolygons: number;
	labelPoints: number;
	labelPointsDropped: number;
	labelNamesAttached: number;
} {
	const byId = new Map<
		number,
		{ pieces: AreaFeature[]; name: string | null; labels: { name: string; at: number[] }[] }
	>();
	let inputPolygons = 0;
	let inputMultiPolygons = 0;
	let labelPoints = 0;
	input.features.forEach((feature, index) => {
		const id = feature.properties.id;
		if (typeof id !== 'number')
			throw new RegionBuildError(
				SHANGHAI_INPUTS.residential,
				`feature ${index}, field "id" = ${JSON.stringify(id)}: expected an OSM id`
			);
		const entry = byId.get(id) ?? { pieces: [], name: null, labels: [] };
		const name = typeof feature.properties.name === 'string' ? feature.properties.name : null;
		if (feature.geometry.type === 'Point') {
			labelPoints++;
			if (name) entry.labels.push({ name, at: feature.geometry.coordinates as number[] });
		} else if (feature.geometry.type === 'Polygon' || feature.geometry.type === 'MultiPolygon') {
			if (feature.geometry.type === 'Polygon') inputPolygons++;
			else inputMultiPolygons++;
			entry.pieces.push(asAreaFeature(feature.geometry));
			entry.name ??= name;
		} else {
			throw new RegionBuildError(
				SHANGHAI_INPUTS.residential,
				`feature ${index}, geometry type ${feature.geometry.type}: expected Polygon, MultiPolygon or a label Point`
			);
		}
		byId.set(id, entry);
	});
	const a = SHANGHAI_ASSUMPTIONS;
	let labelPointsDropped = 0;
	let labelNamesAttached = 0;
	const compounds: CompoundRecord[] = [];
	for (const osmId of [...byId.keys()].sort((x, y) => x - y)) {
		const entry = byId.get(osmId)!;
		const id = `osm-${osmId}`;
		if (entry.pieces.length === 0) {
			labelPointsDropped += entry.labels.length; // a label without its polygon
			continue;
		}
		const merged = mergePieces(entry.pieces);
		let name = entry.name;
		for (const label of entry.labels) {
			if (!name && booleanPointInPolygon(label.at, merged)) {
				name = label.name;
				labelNamesAttached++;
			} else labelPointsDropped++;
		}
		const named = name !== null;
		// Buildings count when a point inside their footprint lies in the compound.
		const inside = buildings.filter(
			(building) =>
				RESIDENTIAL_BUILDING_KINDS.has(building.kindDetail) &&
				booleanPointInPolygon(building.inside, merged)
		);
		let households: number;
		let method: CompoundRecord['method'];
		const landAreaM2 = turfArea(merged);
		const footprintM2 = inside.reduce((sum, building) => sum + building.footprintM2, 0);
		if (inside.length > 0 && footprintM2 >= a.minBuildingCoverage * landAreaM2) {
			const floorAreaM2 = inside.reduce((sum, building) => {
				const floors =
					building.heightM !== null
						? Math.max(1, Math.round(building.heightM / a.storeyHeightM))
						: a.assumedStoreys;
				return sum + building.footprintM2 * floors;
			}, 0);
			households = Math.round((floorAreaM2 * a.residentialShare) / a.dwellingFloorAreaM2);
			method = 'households-from-buildings';
		} else {
			households = Math.round((landAreaM2 * a.floorAreaRatio) / a.dwellingFloorAreaM2);
			method = 'households-from-land-area';
		}
		const elders = Math.round(households * personsPerHousehold * (elderSharePercent / 100));
		compounds.push({
			id,
			osmId,
			name: name ?? `未命名居住用地 ${id}`,
			named,
			feature: merged,
			households,
			elders,
			method,
			buildingsCounted: inside.length
		});
	}
	const features = compounds.map((compound) => ({
		type: 'Feature',
		geometry: roundGeometry(compound.feature.geometry),
		properties: {
			id: compound.id,
			name: compound.name,
			households: compound.households,
			elders: compound.elders,
			status: 'existing',
			builtYear: null,
			streetCode: null,
			gates: [],
			estimated: { households: compound.method, elders: 'elders-from-census-share' },
			source: `OpenStreetMap landuse=residential ${compound.osmId} (via ${SHANGHAI_INPUTS.residential})`
		}
	}));
	return {
		features,
		compounds,
		inputPolygons,
		inputMultiPolygons,
		labelPoints,
		labelPointsDropped,
		labelNamesAttached
	};
}

function buildFacilities(
	rows: Record<string, string>[],
	compounds: CompoundRecord[]
): {
	features: object[];
	placed: { name: string; compound: string | null }[];
	notPlaced: { name: string; reason: BilingualNote }[];
} {
	const file = SHANGHAI_INPUTS.facilities;
	const features: object[] = [];
	const placed: { name: string; compound: string | null }[] = [];
	const notPlaced: { name: string; reason: BilingualNote }[] = [];
	rows.forEach((row, index) => {
		const rowNumber = index + 2; // header is row 1
		if (!FACILITY_KINDS.includes(row.kind as FacilityKind)) {
			throw new RegionBuildError(
				file,
				`row ${rowNumber}, field "kind" = ${JSON.stringify(row.kind)}: expected one of ${FACILITY_KINDS.join(', ')}`
			);
		}
		let position: [number, number] | null = null;
		const lat = optionalNumber(row.lat);
		const lon = optionalNumber(row.lon);
		const srcLat = optionalNumber(row.src_lat);
		const srcLon = optionalNumber(row.src_lon);
		if (lat !== null && lon !== null) position = [lon, lat];
		else if (srcLat !== null && srcLon !== null) {
			if (!/GCJ-02/i.test(row.src_crs))
				throw new RegionBuildError(
					file,
					`row ${rowNumber}, field "src_crs" = ${JSON.stringify(row.src_crs)}: expected GCJ-02 (the only source CRS this builder converts)`
				);
			position = gcoord.transform([srcLon, srcLat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
		}
		if (!position) {
			notPlaced.push({
				name: row.name,
				reason: {
					zh: `来源数据没有坐标（地址：${row.address || '未提供'}；地理编码：${GEOCODE_ZH[row.geocode] ?? row.geocode}）`,
					en: `no coordinates in the source (address: ${row.address || 'none given'}; geocode: ${row.geocode})`
				}
			});
			return;
		}
		const compound = compounds.find((candidate) =>
			booleanPointInPolygon(position, candidate.feature)
		);
		placed.push({ name: row.name, compound: compound?.name ?? null });
		const beds = optionalNumber(row.beds);
		const nursingBeds = optionalNumber(row.nursing_beds);
		features.push({
			type: 'Feature',
			geometry: roundGeometry({ type: 'Point', coordinates: position }),
			properties: {
				id: `facility-csv-row-${rowNumber}`,
				name: row.name,
				kind: row.kind,
				floorAreaM2: optionalNumber(row.floor_area_m2),
				landAreaM2: null,
				beds: beds === null ? null : Math.round(beds),
				nursingBeds: nursingBeds === null ? null : Math.round(nursingBeds),
				status: 'existing',
				streetCode: null,
				source: row.source_url,
				estimated: {}
			}
		});
	});
	return { features, placed, notPlaced };
}

interface DistrictFace {
	name: string;
	nameEn: string | null;
	feature: AreaFeature;
}

/**
 * District polygons inside the region bbox: the tiles' county boundary lines split the bbox into
 * faces (turf polygonize on the noded lines plus the bbox outline); each face takes the name on
 * the side of the boundary lines that faces it (`name:left` / `name:right`).
 */
function buildDistricts(
	tiles: DecodedTile[],
	bbox: [number, number, number, number]
): DistrictFace[] {
	const segmentKeys = new Set<string>();
	const segments: { a: number[]; b: number[]; left: string; right: string }[] = [];
	const englishNames = new Map<string, string>();
	const onOutline: number[][] = [];
	const onEdge = (p: number[]): boolean =>
		Math.abs(p[0] - bbox[0]) < 1e-7 ||
		Math.abs(p[0] - bbox[2]) < 1e-7 ||
		Math.abs(p[1] - bbox[1]) < 1e-7 ||
		Math.abs(p[1] - bbox[3]) < 1e-7;
	for (const tile of tiles) {
		for (const feature of tile.boundaries?.features ?? []) {
			const p = feature.properties;
			if (p.kind !== 'county') continue;
			const left = p['name:left'] as string;
			const right = p['name:right'] as string;
			if (typeof left !== 'string' || typeof right !== 'string') continue;
			if (typeof p['name:left:en'] === 'string') englishNames.set(left, p['name:left:en']);
			if (typeof p['name:right:en'] === 'string') englishNames.set(right, p['name:right:en']);
			const lines = (
				feature.geometry.type === 'LineString'
					? [feature.geometry.coordinates]
					: feature.geometry.coordinates
			) as number[][][];
			for (const line of lines) {
				const clipped = bboxClip(lineString(line), bbox).geometry;
				const parts = (
					clipped.type === 'LineString' ? [clipped.coordinates] : clipped.coordinates
				) as number[][][];
				for (const part of parts) {
					const rounded = part.map((position) => [
						roundCoordinate(position[0]),
						roundCoordinate(position[1])
					]);
					for (let i = 1; i < rounded.length; i++) {
						const [a, b] = [rounded[i - 1], rounded[i]];
						if (a[0] === b[0] && a[1] === b[1]) continue;
						const k = [a.join(','), b.join(',')].sort().join('|');
						if (segmentKeys.has(k)) continue;
						segmentKeys.add(k);
						segments.push({ a, b, left, right });
						for (const end of [a, b]) if (onEdge(end)) onOutline.push(end);
					}
				}
			}
		}
	}
	if (segments.length === 0)
		throw new RegionBuildError(
			SHANGHAI_INPUTS.tiles,
			'no county boundary lines in the boundaries layers'
		);
	// The bbox outline, with a vertex wherever a boundary line ends on it, walked anticlockwise.
	const [w, s, e, n] = bbox;
	const perimeterPosition = (p: number[]): number => {
		if (Math.abs(p[1] - s) < 1e-7) return p[0] - w;
		if (Math.abs(p[0] - e) < 1e-7) return e - w + (p[1] - s);
		if (Math.abs(p[1] - n) < 1e-7) return e - w + (n - s) + (e - p[0]);
		return 2 * (e - w) + (n - s) + (n - p[1]);
	};
	const outline = [[w, s], [e, s], [e, n], [w, n], ...onOutline].map((p) => [
		roundCoordinate(p[0]),
		roundCoordinate(p[1])
	]);
	outline.sort((p, q) => perimeterPosition(p) - perimeterPosition(q));
	const lines = segments.map((segment) => lineString([segment.a, segment.b]));
	for (let i = 0; i < outline.length; i++) {
		const a = outline[i];
		const b = outline[(i + 1) % outline.length];
		if (a[0] !== b[0] || a[1] !== b[1]) lines.push(lineString([a, b]));
	}
	const faces = polygonize(featureCollection(lines)).features;
	// Name each face by votes from the boundary segments on its edge.
	const OFFSET_DEG = 2e-6;
	const named = faces.map((face) => {
		const votes = new Map<string, number>();
		for (const segment of segments) {
			const mx = (segment.a[0] + segment.b[0]) / 2;
			const my = (segment.a[1] + segment.b[1]) / 2;
			const dx = segment.b[0] - segment.a[0];
			const dy = segment.b[1] - segment.a[1];
			const norm = Math.hypot(dx, dy);
			const leftPoint = [mx - (dy / norm) * OFFSET_DEG, my + (dx / norm) * OFFSET_DEG];
			const rightPoint = [mx + (dy / norm) * OFFSET_DEG, my - (dx / norm) * OFFSET_DEG];
			if (booleanPointInPolygon(leftPoint, face))
				votes.set(segment.left, (votes.get(segment.left) ?? 0) + 1);
			if (booleanPointInPolygon(rightPoint, face))
				votes.set(segment.right, (votes.get(segment.right) ?? 0) + 1);
		}
		const ranked = [...votes.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
		if (ranked.length === 0)
			throw new RegionBuildError(
				SHANGHAI_INPUTS.tiles,
				'a district face touches no boundary line, so it cannot be named'
			);
		if (ranked.length > 1 && ranked[1][1] * 4 > ranked[0][1]) {
			throw new RegionBuildError(
				SHANGHAI_INPUTS.tiles,
				`a district face is claimed by ${ranked.map(([name, count]) => `${name} (${count})`).join(' and ')}: boundary left/right attributes disagree`
			);
		}
		return { name: ranked[0][0], face: face as AreaFeature };
	});
	const byName = new Map<string, AreaFeature[]>();
	for (const { name, face } of named) byName.set(name, [...(byName.get(name) ?? []), face]);
	return [...byName.entries()].map(([name, pieces]) => ({
		name,
		nameEn: englishNames.get(name) ?? null,
		feature: mergePieces(pieces)
	}));
}

/** The source's geocode status values, in Chinese. */
const GEOCODE_ZH: Record<string, string> = { unmatched: '未匹配' };

/** Tunnel ways by name and highway class, e.g. "外滩隧道 (primary) ×16", in the English label order. */
function summariseTunnels(tunnels: NetworkResult['tunnelWays']): BilingualNote {
	const byName = new Map<string, { zh: string; count: number }>();
	for (const tunnel of tunnels) {
		const label = `${tunnel.name ?? 'unnamed'} (${tunnel.highway})`;
		const entry = byName.get(label) ?? {
			zh: `${tunnel.name ?? '未命名'}（${tunnel.highway}）`,
			count: 0
		};
		entry.count += 1;
		byName.set(label, entry);
	}
	const sorted = [...byName.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1));
	return {
		zh: sorted.map(([, { zh, count }]) => `${zh} ×${count}`).join('、'),
		en: sorted.map(([label, { count }]) => `${label} ×${count}`).join(', ')
	};
}

/**
 * Build region `shanghai-bund-lujiazui` from the shared inputs.
 * @throws RegionBuildError naming the input file, row or feature and field when an input is not as expected
 */
export function buildShanghai(inputs: SharedInputs): RegionBuild {
	const started = performance.now();
	const tiles = inputs.readJson<DecodedTile[]>(SHANGHAI_INPUTS.tiles);
	if (!Array.isArray(tiles) || tiles.length === 0)
		throw new RegionBuildError(
			SHANGHAI_INPUTS.tiles,
			'expected a non-empty array of decoded tiles'
		);
	const tileBounds: TileBounds[] = tiles.map((tile, index) => {
		if (!tile.roads || !tile.earth)
			throw new RegionBuildError(
				SHANGHAI_INPUTS.tiles,
				`tile ${index}: expected "roads" and "earth" layers`
			);
		return identifyTile(tile.earth.features.flatMap((feature) => positionsOf(feature.geometry)));
	});
	const bbox: [number, number, number, number] = [
		roundCoordinate(Math.min(...tileBounds.map((t) => t.bbox[0]))),
		roundCoordinate(Math.min(...tileBounds.map((t) => t.bbox[1]))),
		roundCoordinate(Math.max(...tileBounds.map((t) => t.bbox[2]))),
		roundCoordinate(Math.max(...tileBounds.map((t) => t.bbox[3])))
	];

	const census = inputs.readCsv(SHANGHAI_INPUTS.census);
	const personsPerHousehold = censusValue(
		census,
		'上海市',
		'avg_persons_per_family_household',
		SHANGHAI_INPUTS.census
	);
	const elderShare = censusValue(census, '上海市', 'age_60plus_share', SHANGHAI_INPUTS.census);
	const huangpuPopulation = censusValue(
		census,
		'黄浦区',
		'resident_population',
		SHANGHAI_INPUTS.census
	);
	const pudongPopulation = censusValue(
		census,
		'浦东新区',
		'resident_population',
		SHANGHAI_INPUTS.census
	);
	const codeFromCensus = new Map(
		census
			.filter((row) => row.level === 'district' && row.region_code)
			.map((row) => [row.region, row.region_code])
	);

	const network = buildNetwork(tiles);
	const buildings = buildBuildings(tiles);
	const residential = buildResidential(
		inputs.readJson(SHANGHAI_INPUTS.residential),
		buildings.records,
		personsPerHousehold.value,
		elderShare.value
	);
	const facilities = buildFacilities(
		inputs.readCsv(SHANGHAI_INPUTS.facilities),
		residential.compounds
	);

	// The one GCJ-02 facility is checked against the compound its address names.
	const laoshanWucun = residential.compounds.find((compound) => compound.name === '崂山五村');
	for (const entry of facilities.placed) {
		if (/崂山五村/.test(entry.name) || entry.name.includes('陆家嘴街道综合为老服务中心')) {
			if (!laoshanWucun || entry.compound !== '崂山五村') {
				throw new RegionBuildError(
					SHANGHAI_INPUTS.facilities,
					`facility "${entry.name}" (address 崂山五村555号) converted to WGS84 falls in ${entry.compound ?? 'no compound'}, expected 崂山五村: check the GCJ-02 conversion`
				);
			}
		}
	}

	const districts = buildDistricts(tiles, bbox);
	const huangpu = districts.find((district) => district.name === '黄浦区');
	const pudong = districts.find((district) => district.name === '浦东新区');
	if (!huangpu || !pudong)
		throw new RegionBuildError(
			SHANGHAI_INPUTS.tiles,
			`expected 黄浦区 and 浦东新区 among the district faces, got ${districts.map((d) => d.name).join(', ')}`
		);
	// The Huangpu river separates 黄浦区 (west bank) from 浦东新区 (east bank).
	if (
		centroid(huangpu.feature).geometry.coordinates[0] >=
		centroid(pudong.feature).geometry.coordinates[0]
	) {
		throw new RegionBuildError(
			SHANGHAI_INPUTS.tiles,
			'district faces are named the wrong way round: 黄浦区 lies east of 浦东新区 (left/right of the boundary lines misread)'
		);
	}
	const boundaryFeatures = districts
		.map((district) => {
			const code = codeFromCensus.get(district.name) ?? DISTRICT_CODES[district.name];
			if (!code)
				throw new RegionBuildError(
					SHANGHAI_INPUTS.tiles,
					`boundary lines name district "${district.name}", which has no known GB/T 2260 code`
				);
			return {
				type: 'Feature',
				geometry: roundGeometry(district.feature.geometry),
				properties: {
					level: 'district',
					code,
					name: district.name,
					...(district.nameEn ? { nameEn: district.nameEn } : {}),
					parentCode: '310000',
					population: null,
					elders: null,
					estimated: {},
					source: `OSM county boundary lines in ${SHANGHAI_INPUTS.tiles}, clipped to the region bbox`
				}
			};
		})
		.sort((x, y) => (x.properties.code < y.properties.code ? -1 : 1));
	const districtAreasKm2 = Object.fromEntries(
		districts.map((district) => [district.name, turfArea(district.feature) / 1e6])
	);

	const compounds = residential.compounds;
	const householdsTotal = compounds.reduce((sum, compound) => sum + compound.households, 0);
	const eldersTotal = compounds.reduce((sum, compound) => sum + compound.elders, 0);
	const fromBuildings = compounds.filter(
		(compound) => compound.method === 'households-from-buildings'
	);
	const fromLand = compounds.filter((compound) => compound.method === 'households-from-land-area');
	const a = SHANGHAI_ASSUMPTIONS;
	const unnamed = compounds.filter((compound) => !compound.named);
	const unnamedIds = unnamed.map((compound) => compound.id);
	const withBuildings = compounds.filter((c) => c.buildingsCounted > 0).length;
	const tunnels = summariseTunnels(network.tunnelWays);

	const meta: RegionMeta = {
		formatVersion: 1,
		id: SHANGHAI_REGION_ID,
		name: '外滩—陆家嘴 (上海 黄浦区 / 浦东新区)',
		nameEn: 'Bund – Lujiazui (Huangpu / Pudong, Shanghai)',
		bbox,
		defaultProfile: 'qingdao-laoshan-2024',
		layers: {
			boundaries: 'boundaries.geojson',
			residential: 'residential.geojson',
			facilities: 'facilities.geojson',
			network: 'network.geojson',
			buildings: 'buildings.geojson',
			communities: null
		},
		sources: [
			{
				id: 'osm-tilezen-tiles',
				title:
					'OpenStreetMap data as 34 decoded Tilezen/Nextzen z16 vector tiles (roads, buildings, county boundaries)',
				origin:
					'GitHub liuyanchen1994/vue-maptalks.three.demo, public/data/shangHai.js (commit 7b47305)',
				licence: 'ODbL-1.0',
				attribution: OSM_ATTRIBUTION,
				usedFor: ['network', 'buildings', 'boundaries']
			},
			{
				id: 'osm-residential-landuse',
				title: 'OpenStreetMap landuse=residential polygons from the same tiles',
				origin:
					'GitHub liuyanchen1994/vue-maptalks.three.demo, public/data/shangHai.js (commit 7b47305), landuse layer, kind=residential',
				licence: 'ODbL-1.0',
				attribution: OSM_ATTRIBUTION,
				usedFor: ['residential']
			},
			{
				id: 'facilities-transcribed',
				title:
					'Elderly-care facilities near the Bund / Lujiazui, transcribed from public pages (one source URL per facility)',
				origin:
					"Public web pages named in each facility's source (365kyh.com, xmfeier.com, yiyang.focus.cn, 163.com, a public GitHub script citing 上海市民政局)",
				licence: 'Facts transcribed from public pages; no licence stated',
				usedFor: ['facilities']
			},
			{
				id: 'shanghai-census-2020',
				title: '上海市第七次全国人口普查主要数据公报 (2021-05-18) and district totals, transcribed',
				origin:
					'Reposts of the official bulletin: kaqiz.cn, creditsailing.com, web.aigexing.com, wikizero.com (see census/shanghai_huangpu_pudong_census2020.csv source_url)',
				licence: 'Official statistics transcribed from public bulletins',
				usedFor: ['census', 'residential']
			}
		],
		estimates: {
			'households-from-buildings': {
				layer: 'residential',
				field: 'households',
				method:
					'户数 = Σ(住宅建筑基底面积 × 层数) × 住宅面积比例 ÷ 户均建筑面积；层数 = round(高度 ÷ 层高)，无高度时取假定层数',
				methodEn:
					'households = Σ(footprint area × floors) × residential share ÷ average dwelling floor area; floors = round(height ÷ storey height), or the assumed storey count where no height is mapped',
				assumptions: {
					dwellingFloorAreaM2: a.dwellingFloorAreaM2,
					residentialShare: a.residentialShare,
					storeyHeightM: a.storeyHeightM,
					assumedStoreys: a.assumedStoreys,
					minBuildingCoverage: a.minBuildingCoverage,
					buildingKindsCounted: 'OSM building=yes (no kind_detail), residential, apartments, house'
				},
				basis:
					'Assumptions, not measured values. assumedStoreys 5: 工人新村 buildings are mainly 4–6-storey brick-concrete blocks (工人新村 entry, wiki.thedays.cn/html/e50b088adfb5b2a5a69d0689a6ff6aa5.html); 5 is the middle of that range. storeyHeightM 2.9: an assumed typical storey height of such blocks (2.8–3.0 m). dwellingFloorAreaM2 55: an assumed gross floor area of the small 1–2-room flats of 1950s–80s 新村, not a published figure. residentialShare 0.9: an assumed allowance for ground-floor shops and shared space. minBuildingCoverage 0.15: used only where mapped residential footprints cover at least 15 % of the compound land; below that the OSM mapping is taken as partial (a few buildings on several hectares) and the land-area method is used — an assumed threshold, below the footprint coverage expected of 5–6-storey slab blocks. Building heights come from OSM (Tilezen may derive them from building:levels).',
				count: fromBuildings.length
			},
			'households-from-land-area': {
				layer: 'residential',
				field: 'households',
				method:
					'户数 = 居住用地面积（椭球面积）× 假定容积率 ÷ 户均建筑面积（无住宅建筑或已测绘建筑基底不足用地15%时）',
				methodEn:
					'households = compound land area (geodesic) × assumed floor-area ratio ÷ average dwelling floor area (where no residential buildings are mapped, or their footprints cover under 15 % of the land)',
				assumptions: {
					floorAreaRatio: a.floorAreaRatio,
					dwellingFloorAreaM2: a.dwellingFloorAreaM2
				},
				basis:
					'Assumptions, not measured values. floorAreaRatio 1.5: assumed for 5–6-storey slab-block 新村 of the 1980s–90s; GB 50180-2018 《城市居住区规划设计标准》 limits the 住宅用地容积率 of 居住街坊 by climate zone and storey class, but its table could not be checked for this build, so the value is not cited from it. dwellingFloorAreaM2 55 as for households-from-buildings (the floor-area ratio already counts dwelling floor area only, so no residential share is applied).',
				count: fromLand.length
			},
			'elders-from-census-share': {
				layer: 'residential',
				field: 'elders',
				method: '60岁及以上人口 = 户数 × 上海市家庭户户均人数 × 上海市60岁及以上人口占比',
				methodEn:
					'elders (60+) = households × persons per family household (Shanghai) × share of residents aged 60+ (Shanghai)',
				assumptions: {
					personsPerHousehold: personsPerHousehold.value,
					elderSharePercent: elderShare.value
				},
				basis: `上海市第七次全国人口普查 (2020-11-01), city-wide figures: ${personsPerHousehold.value} persons per family household (${personsPerHousehold.row.source_url}) and ${elderShare.value} % aged 60+ (${elderShare.row.source_url}). City-wide shares applied to every compound; older 新村 likely have a higher share.`,
				count: compounds.length
			}
		},
		notes: [
			{
				zh: '上海尚无本市的规划规则配置：暂用青岛规则（qingdao-laoshan-2024），仅作演示。',
				en: 'Shanghai has no planning profile of its own yet: the Qingdao rules (qingdao-laoshan-2024) are applied for demonstration only.'
			},
			{
				zh: `各小区的户数和老年人口均为估算值（这些小区没有户数数据），见 estimates。${compounds.length} 个小区中有 ${withBuildings} 个包含已测绘的住宅建筑；其中 ${fromBuildings.length} 个测绘足够完整（建筑基底面积 ≥ 用地面积的 ${a.minBuildingCoverage * 100} %），按建筑估算，其余小区按用地面积估算。`,
				en: `Households and elders of every compound are estimates (no 户数 exist for these compounds); see estimates. ${withBuildings} of ${compounds.length} compounds contain mapped residential buildings; ${fromBuildings.length} of them are mapped densely enough (footprints ≥ ${a.minBuildingCoverage * 100} % of the land) to estimate from the buildings, the others use the land-area method.`
			},
			{
				zh: `居住小区：瓦片中的 ${residential.inputPolygons} 个 Polygon 和 ${residential.inputMultiPolygons} 个 MultiPolygon 片段按 OSM 编号合并为 ${compounds.length} 个小区；标注点 ${residential.labelPoints} 个：${residential.labelNamesAttached} 个名称并入小区，${residential.labelPointsDropped} 个舍弃（所在的面已有名称）。`,
				en: `Residential compounds: ${residential.inputPolygons} Polygon and ${residential.inputMultiPolygons} MultiPolygon tile pieces merged by OSM id into ${compounds.length} compounds; ${residential.labelPoints} label points: ${residential.labelNamesAttached} names attached, ${residential.labelPointsDropped} dropped (their polygon already carries the name).`
			},
			{
				zh: `${unnamed.length} 个小区在 OSM 中没有名称，命名为“未命名居住用地 osm-<id>”（${unnamedIds.join('、')}）。`,
				en: `${unnamed.length} compounds have no name in OSM and are called "未命名居住用地 osm-<id>" (${unnamedIds.join(', ')}).`
			},
			{
				zh: '本范围没有街道边界面：所有小区和设施的 streetCode 为 null，boundaries.geojson 只有区县边界面。',
				en: 'No street (街道) polygons exist for this area: every compound and facility has streetCode null, and boundaries.geojson holds district polygons only.'
			},
			{
				zh: `区县边界面已裁剪到区域范围（bbox），因此其人口为 null。2020 年人口普查全区常住人口：黄浦区 ${huangpuPopulation.value} 人，浦东新区 ${pudongPopulation.value} 人（不是裁剪后范围内的人口）。`,
				en: `District polygons are clipped to the region bbox, so their population is null. Whole-district census 2020 totals: 黄浦区 ${huangpuPopulation.value} residents, 浦东新区 ${pudongPopulation.value} residents (not the population of the clipped area).`
			},
			...facilities.placed.map((entry) => ({
				zh: `已落点设施：${entry.name} — 来源坐标为 GCJ-02（Apple 地图中国），已用 gcoord 转换为 WGS84；${entry.compound ? `该点位于${entry.compound}` : '该点不在任何小区内'}。`,
				en: `Facility placed: ${entry.name} — source coordinates are GCJ-02 (Apple Maps China), converted to WGS84 with gcoord; the point lies in ${entry.compound ?? 'no compound'}.`
			})),
			...facilities.notPlaced.map((entry) => ({
				zh: `未落点设施：${entry.name} — ${entry.reason.zh}。`,
				en: `Facility not placed: ${entry.name} — ${entry.reason.en}.`
			})),
			{
				zh: `步行路网：由 ${network.stats.pieces} 个瓦片片段拼接成 ${network.features.length} 条 OSM 道路。哪些道路可步行由路网构建程序的标签表决定；所有 highway 道路均保留，包括越江隧道（tunnel=yes）。码头栈桥（${network.pierWays} 条，man_made=pier）和轮渡航线（${network.ferryWays} 条）不属于步行路网。OSM 数据日期不详（约 2019–2021 年）；OSM 中有名称的道路带有名称。`,
				en: `Walking network: ${network.features.length} OSM ways stitched from ${network.stats.pieces} tile pieces. Walkability is decided by the graph builder's tag table; every highway way is kept, including the river road tunnels (tunnel=yes). Piers (${network.pierWays} ways, man_made=pier) and ferries (${network.ferryWays} routes) are not part of the network. OSM data date unknown (about 2019–2021); ways have names where OSM has them.`
			},
			{
				zh: `保留的隧道道路（tunnel=yes）：${tunnels.zh}。`,
				en: `Tunnel ways kept (tunnel=yes): ${tunnels.en}.`
			},
			{
				zh: '来源数据缺少一块 z16 瓦片（x 54886，y 26776，位于陆家嘴一带的黄浦江上）：穿过该瓦片的道路在此处断开。',
				en: 'One z16 tile (x 54886, y 26776, on the Huangpu river at Lujiazui) is missing from the source: ways crossing it are cut there.'
			},
			{
				zh: '建筑高度：取 OSM 中已标注的 height；瓦片不含 building:levels 标签，因此不提供建筑层数。',
				en: 'Building heights: OSM height where mapped; the tiles carry no building:levels tag, so building levels are not given.'
			}
		],
		summary: {
			networkWays: network.features.length,
			networkVertices: network.vertices,
			networkLengthKm: Math.round(network.lengthKm * 100) / 100,
			networkTilePieces: network.stats.pieces,
			networkMultiPartWays: network.stats.multiPartWays,
			networkNodesSnapped: network.connectivityStitched.nodes,
			networkComponents: network.connectivityStitched.components,
			networkLargestComponentNodes: network.connectivityStitched.largestComponentNodes,
			naiveNodesSnapped: network.connectivityNaive.nodes,
			naiveComponents: network.connectivityNaive.components,
			naiveLargestComponentNodes: network.connectivityNaive.largestComponentNodes,
			pierWaysExcluded: network.pierWays,
			ferryRoutesExcluded: network.ferryWays,
			tunnelWays: network.tunnelWays.length,
			buildings: buildings.features.length,
			residentialInputPieces: residential.inputPolygons + residential.inputMultiPolygons,
			compounds: compounds.length,
			compoundsFromBuildings: fromBuildings.length,
			compoundsFromLandArea: fromLand.length,
			labelPointsDropped: residential.labelPointsDropped,
			estimatedHouseholds: householdsTotal,
			estimatedElders: eldersTotal,
			facilitiesPlaced: facilities.features.length,
			facilitiesNotPlaced: facilities.notPlaced.length,
			districtPolygons: boundaryFeatures.length,
			censusPopulationHuangpuWholeDistrict: huangpuPopulation.value,
			censusPopulationPudongWholeDistrict: pudongPopulation.value
		}
	};
	const files: Record<string, string> = {
		'region.json': jsonText(meta),
		'network.geojson': featureCollectionText(network.features),
		'buildings.geojson': featureCollectionText(buildings.features),
		'residential.geojson': featureCollectionText(residential.features),
		'facilities.geojson': featureCollectionText(facilities.features),
		'boundaries.geojson': featureCollectionText(boundaryFeatures)
	};
	return {
		id: SHANGHAI_REGION_ID,
		meta,
		files,
		millis: performance.now() - started,
		report: {
			stitch: network.stats,
			connectivity: {
				naive: network.connectivityNaive,
				naiveWithoutPiers: network.connectivityNaiveWithoutPiers,
				stitched: network.connectivityStitched
			},
			tunnels: network.tunnelWays,
			buildingsSkipped: {
				labelPoints: buildings.labelPointsSkipped,
				buildingParts: buildings.partsSkipped,
				addressAndEntrancePoints: buildings.otherSkipped,
				piecesMerged: buildings.piecesMerged
			},
			compounds: compounds.map((c) => ({
				id: c.id,
				name: c.name,
				method: c.method,
				buildings: c.buildingsCounted,
				households: c.households,
				elders: c.elders
			})),
			districtAreasKm2
		}
	};
}
