/**
 * Where a station could go (candidates) and where stations already are (fixed stations), each
 * as a point on the walking network — the same contract as a facility door in the coverage
 * engine (graph/snap.ts NetworkPoint: an edge, an offset along it).
 *
 * Candidate sources:
 *   (a) every node of the region's network, optionally thinned to one per `spacingM` metres;
 *   (b) a given list of points (an uploaded CSV/XLSX/GeoJSON after import), snapped to the
 *       network — a point farther than maxSnapM is reported as off-network, never placed;
 *   (c) network points generated along the streets inside a polygon (a 街道), every spacingM.
 * Existing facilities become fixed stations (snapped like computeCoverage snaps doors).
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { metresPerDegree } from '../graph/geodesic.ts';
import type { RoadGraph } from '../graph/road-graph.ts';
import { DEFAULT_MAX_SNAP_M, type SegmentIndex } from '../graph/snap.ts';
import type { FacilityFeature, FacilityKind } from '../region/schema.ts';
import { SitingError } from './errors.ts';

export const CANDIDATE_SOURCES = ['network-node', 'list', 'polygon', 'facility'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/** A site on the network: a candidate or an existing (fixed) station. */
export interface SiteCandidate {
	id: string;
	name: string | null;
	source: CandidateSource;
	/** Position on the network, WGS84 degrees. */
	lon: number;
	lat: number;
	/** The network edge the site stands on (fromNode = toNode for a node site). */
	fromNode: number;
	toNode: number;
	/** Metres along the edge from fromNode (0 for a node site). */
	offsetM: number;
	/** Edge length in metres (0 for a node site). */
	lengthM: number;
	/** Straight-line distance from the given point to the network, metres (0 for generated sites). */
	snapDistanceM: number;
	/**
	 * Floor area, m²: the largest a candidate site can hold, or an existing station's floor
	 * area; null = not known (capacity-aware siting then needs a default or a user capacity).
	 */
	floorAreaM2: number | null;
	/** Facility kind of a fixed station; null for candidates. */
	kind: FacilityKind | null;
}

/** A point the caller wants considered (source b). */
export interface CandidatePointInput {
	id: string;
	name?: string | null;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
	/** Largest floor area the site can hold, m² (> 0); null or missing = not known. */
	maxFloorAreaM2?: number | null;
}

/** A given point or facility that could not be placed on the network. */
export interface UnplacedSite {
	id: string;
	name: string | null;
	reason: string;
}

const nodeSite = (
	graph: RoadGraph,
	node: number,
	id: string,
	source: CandidateSource
): SiteCandidate => ({
	id,
	name: null,
	source,
	lon: graph.lon(node),
	lat: graph.lat(node),
	fromNode: node,
	toNode: node,
	offsetM: 0,
	lengthM: 0,
	snapDistanceM: 0,
	floorAreaM2: null,
	kind: null
});

function assertSpacing(spacingM: number | undefined, what: string): void {
	if (spacingM !== undefined && !(spacingM > 0 && spacingM < Infinity))
		throw new SitingError(
			'INVALID_OPTION',
			`${what}: spacingM ${spacingM} must be a finite number of metres > 0`
		);
}

/** Grid cell key of a position in a local metric frame (cells of `spacingM`). */
function cellKeyer(latDeg: number, spacingM: number) {
	const scale = metresPerDegree(latDeg);
	return (lon: number, lat: number) =>
		`${Math.floor((lon * scale.x) / spacingM)}:${Math.floor((lat * scale.y) / spacingM)}`;
}

/**
 * Candidates (a): every node of the network, or with `spacingM` one node per square cell of
 * that size (the node nearest the cell centre), so a 7,000-node district can be searched at a
 * coarser grain. Ids are `node-<index>` (stable for one graph build).
 *
 * @param options.spacingM cell size in metres (default: no thinning)
 * @throws SitingError INVALID_OPTION when spacingM is not > 0
 * @example networkNodeCandidates(graph, { spacingM: 100 }) // ≈ one candidate per 100 m × 100 m
 */
export function networkNodeCandidates(
	graph: RoadGraph,
	options: { spacingM?: number } = {}
): SiteCandidate[] {
	assertSpacing(options.spacingM, 'network node candidates');
	const spacingM = options.spacingM;
	const sites: SiteCandidate[] = [];
	if (spacingM === undefined) {
		for (let node = 0; node < graph.nodeCount; node++)
			if (graph.firstEdge[node + 1] > graph.firstEdge[node])
				sites.push(nodeSite(graph, node, `node-${node}`, 'network-node'));
		return sites;
	}
	let latSum = 0;
	for (let node = 0; node < graph.nodeCount; node++) latSum += graph.lat(node);
	const scale = metresPerDegree(graph.nodeCount > 0 ? latSum / graph.nodeCount : 0);
	const best = new Map<string, { node: number; distance: number }>();
	for (let node = 0; node < graph.nodeCount; node++) {
		if (graph.firstEdge[node + 1] === graph.firstEdge[node]) continue; // isolated node
		const x = (graph.lon(node) * scale.x) / spacingM;
		const y = (graph.lat(node) * scale.y) / spacingM;
		const cx = Math.floor(x);
		const cy = Math.floor(y);
		const distance = Math.hypot(x - cx - 0.5, y - cy - 0.5);
		const key = `${cx}:${cy}`;
		const kept = best.get(key);
		if (!kept || distance < kept.distance) best.set(key, { node, distance });
	}
	const nodes = [...best.values()].map((entry) => entry.node).sort((a, b) => a - b);
	return nodes.map((node) => nodeSite(graph, node, `node-${node}`, 'network-node'));
}

/**
 * Candidates (b): given points snapped to the nearest network segment. Points farther than
 * maxSnapM are returned in `offNetwork` with the reason, never placed.
 *
 * @param points ids must be unique and non-empty; lon/lat in WGS84 degrees
 * @param options.maxSnapM largest snap distance, metres (default 150, as for facility doors)
 * @throws SitingError INVALID_CANDIDATE naming the row: empty or duplicate id, lon/lat out of
 *   range, maxFloorAreaM2 not > 0
 * @example listCandidates(index, [{ id: 'c1', name: '某小区底商', lon: 121.51, lat: 31.235, maxFloorAreaM2: 400 }])
 */
export function listCandidates(
	index: SegmentIndex,
	points: readonly CandidatePointInput[],
	options: { maxSnapM?: number } = {}
): { candidates: SiteCandidate[]; offNetwork: UnplacedSite[] } {
	const maxSnapM = options.maxSnapM ?? DEFAULT_MAX_SNAP_M;
	if (!(maxSnapM >= 0))
		throw new SitingError('INVALID_OPTION', `maxSnapM ${maxSnapM} must be ≥ 0 metres`);
	const seen = new Set<string>();
	const candidates: SiteCandidate[] = [];
	const offNetwork: UnplacedSite[] = [];
	points.forEach((point, row) => {
		const where = `candidates[${row}]${typeof point.id === 'string' && point.id ? ` (id "${point.id}")` : ''}`;
		if (typeof point.id !== 'string' || point.id.trim() === '')
			throw new SitingError('INVALID_CANDIDATE', `${where}: id is missing (a non-empty text)`);
		if (seen.has(point.id))
			throw new SitingError(
				'INVALID_CANDIDATE',
				`${where}: id is used by an earlier row; candidate ids must be unique`
			);
		seen.add(point.id);
		if (!(point.lon >= -180 && point.lon <= 180) || !(point.lat >= -90 && point.lat <= 90))
			throw new SitingError(
				'INVALID_CANDIDATE',
				`${where}: lon ${point.lon}, lat ${point.lat} is not a WGS84 position (lon −180..180, lat −90..90)`
			);
		const maxFloorAreaM2 = point.maxFloorAreaM2 ?? null;
		if (maxFloorAreaM2 !== null && !(maxFloorAreaM2 > 0 && maxFloorAreaM2 < Infinity))
			throw new SitingError(
				'INVALID_CANDIDATE',
				`${where}: maxFloorAreaM2 ${maxFloorAreaM2} must be a floor area in m² > 0, or empty`
			);
		const name = point.name ?? null;
		const snapped = index.snap(point.lon, point.lat, maxSnapM);
		if (!snapped) {
			offNetwork.push({
				id: point.id,
				name,
				reason: `more than ${maxSnapM} m from the walking network: not placed`
			});
			return;
		}
		candidates.push({
			id: point.id,
			name,
			source: 'list',
			lon: snapped.lon,
			lat: snapped.lat,
			fromNode: snapped.fromNode,
			toNode: snapped.toNode,
			offsetM: snapped.offsetM,
			lengthM: snapped.lengthM,
			snapDistanceM: snapped.snapDistanceM,
			floorAreaM2: maxFloorAreaM2,
			kind: null
		});
	});
	return { candidates, offNetwork };
}

/**
 * Candidates (c): points along the network inside a polygon (e.g. one street's boundary),
 * every `spacingM` metres of each segment (a segment shorter than that gets its midpoint),
 * then thinned to one per `spacingM` square cell. Ids are `<idPrefix>-<n>`.
 *
 * @param options.spacingM metres between generated points (default 100)
 * @param options.idPrefix id prefix (default 'street')
 * @throws SitingError INVALID_OPTION when spacingM is not > 0
 * @example polygonCandidates(index, streetBoundary.geometry, { spacingM: 80, idPrefix: '310101002' })
 */
export function polygonCandidates(
	index: SegmentIndex,
	polygon: Polygon | MultiPolygon,
	options: { spacingM?: number; idPrefix?: string } = {}
): SiteCandidate[] {
	const spacingM = options.spacingM ?? 100;
	assertSpacing(spacingM, 'polygon candidates');
	const prefix = options.idPrefix ?? 'street';
	const graph = index.graph;
	const rings = polygon.type === 'Polygon' ? [polygon.coordinates] : polygon.coordinates;
	let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const polygonRings of rings)
		for (const [lon, lat] of polygonRings[0]) {
			west = Math.min(west, lon);
			east = Math.max(east, lon);
			south = Math.min(south, lat);
			north = Math.max(north, lat);
		}
	const keyOf = cellKeyer((south + north) / 2, spacingM);
	const kept = new Set<string>();
	const sites: SiteCandidate[] = [];
	for (const edge of index.segmentEdge) {
		const from = index.source(edge);
		const to = graph.edgeTarget[edge];
		const [ax, ay, bx, by] = [graph.lon(from), graph.lat(from), graph.lon(to), graph.lat(to)];
		if (Math.max(ax, bx) < west || Math.min(ax, bx) > east) continue;
		if (Math.max(ay, by) < south || Math.min(ay, by) > north) continue;
		const lengthM = graph.edgeLengthM[edge];
		const offsets: number[] = [];
		if (lengthM <= spacingM) offsets.push(lengthM / 2);
		else for (let at = spacingM / 2; at < lengthM; at += spacingM) offsets.push(at);
		for (const offsetM of offsets) {
			const t = lengthM > 0 ? offsetM / lengthM : 0;
			const lon = ax + t * (bx - ax);
			const lat = ay + t * (by - ay);
			if (!booleanPointInPolygon([lon, lat], polygon)) continue;
			const key = keyOf(lon, lat);
			if (kept.has(key)) continue;
			kept.add(key);
			sites.push({
				id: `${prefix}-${sites.length + 1}`,
				name: null,
				source: 'polygon',
				lon,
				lat,
				fromNode: from,
				toNode: to,
				offsetM,
				lengthM,
				snapDistanceM: 0,
				floorAreaM2: null,
				kind: null
			});
		}
	}
	return sites;
}

/**
 * Existing facilities as fixed stations: doors snapped within maxSnapM (as computeCoverage
 * does), the rest reported in `unplaced`.
 *
 * @param options.kinds only these facility kinds count as stations (default: every kind, as in
 *   the coverage engine)
 * @param options.maxSnapM metres (default 150)
 */
export function fixedStations(
	index: SegmentIndex,
	facilities: readonly FacilityFeature[],
	options: { kinds?: readonly FacilityKind[]; maxSnapM?: number } = {}
): { stations: SiteCandidate[]; unplaced: UnplacedSite[] } {
	const maxSnapM = options.maxSnapM ?? DEFAULT_MAX_SNAP_M;
	const kinds = options.kinds ? new Set(options.kinds) : null;
	const stations: SiteCandidate[] = [];
	const unplaced: UnplacedSite[] = [];
	for (const facility of facilities) {
		const { id, name, kind, floorAreaM2 } = facility.properties;
		if (kinds && !kinds.has(kind)) continue;
		const [lon, lat] = facility.geometry.coordinates;
		const door = index.snap(lon, lat, maxSnapM);
		if (!door) {
			unplaced.push({
				id,
				name,
				reason: `door more than ${maxSnapM} m from the walking network: not placed`
			});
			continue;
		}
		stations.push({
			id,
			name,
			source: 'facility',
			lon: door.lon,
			lat: door.lat,
			fromNode: door.fromNode,
			toNode: door.toNode,
			offsetM: door.offsetM,
			lengthM: door.lengthM,
			snapDistanceM: door.snapDistanceM,
			floorAreaM2,
			kind
		});
	}
	return { stations, unplaced };
}
