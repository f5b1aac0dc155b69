/**
 * Where a compound's residents step onto the walking network. Demand is measured from the
 * compound's gates, not its centroid: a compound behind a wall may be far from a station that
 * is close as the crow flies. In order of preference:
 *   1. mapped `gates`, each snapped to the network;
 *   2. for a polygon, the points where the network crosses its boundary (paths into it);
 *   3. the network point nearest to any boundary vertex (roads along, not into, the compound);
 *   4. the centroid (or the point itself for point compounds), placed on every distinct
 *      walkable segment near it (see POINT_ACCESS_TOLERANCE_M), not only the nearest.
 * Farther than the snap limit from the network → off-network, reported, never silently placed.
 *
 * The snap leg (from the gate or point to where it meets the network, `snapDistanceM`) is not
 * walked: walking times start at the network point, as they do for facility doors. So a time is
 * off by up to snap distance ÷ walking speed; coverage.ts reports the distance and warns beyond
 * SNAP_WARNING_M.
 */
import type { SegmentIndex, NetworkPoint } from '../graph/snap.ts';
import { DEFAULT_MAX_SNAP_M } from '../graph/snap.ts';
import type { ResidentialFeature } from '../region/schema.ts';

export const ACCESS_METHODS = [
	'gates',
	'boundary-crossings',
	'boundary-nearest',
	'centroid'
] as const;
export type AccessMethod = (typeof ACCESS_METHODS)[number];

/**
 * A point compound (or a centroid) is placed on each distinct segment whose nearest point is at
 * most this much farther (m) than the nearest segment's. With the nearest segment alone, a point
 * between two roads switched road when it moved a few metres across the midline, and its time
 * with it (issue 12: 10 m changed a compound's time by 4.6 min). 30 m is wider than the change a
 * 10 m move can make to the difference of two distances (≤ 20 m), and narrower than the usual
 * spacing of parallel streets, so a point close to one road does not take a road across a block.
 */
export const POINT_ACCESS_TOLERANCE_M = 30;
/** At most this many access points for a point compound (the nearest first). */
export const MAX_POINT_ACCESS_POINTS = 4;

export interface CompoundAccess {
	method: AccessMethod | 'off-network';
	points: NetworkPoint[];
	/** Why a compound is off-network, or which gates could not be placed. */
	note: string | null;
}

type Ring = number[][];

function outerRings(geometry: ResidentialFeature['geometry']): Ring[] {
	if (geometry.type === 'Polygon') return [geometry.coordinates[0]];
	if (geometry.type === 'MultiPolygon') return geometry.coordinates.map((polygon) => polygon[0]);
	return [];
}

/** Area-weighted centroid of the outer rings (planar in degrees: fine at compound scale). */
function centroidOf(geometry: ResidentialFeature['geometry']): [number, number] {
	if (geometry.type === 'Point') return [geometry.coordinates[0], geometry.coordinates[1]];
	let area = 0;
	let cx = 0;
	let cy = 0;
	for (const ring of outerRings(geometry)) {
		for (let i = 0; i + 1 < ring.length; i++) {
			const [x0, y0] = ring[i];
			const [x1, y1] = ring[i + 1];
			const cross = x0 * y1 - x1 * y0;
			area += cross;
			cx += (x0 + x1) * cross;
			cy += (y0 + y1) * cross;
		}
	}
	if (area === 0) {
		const [x, y] = outerRings(geometry)[0][0];
		return [x, y];
	}
	return [cx / (3 * area), cy / (3 * area)];
}

/**
 * Network access points of one compound.
 * @param maxSnapM largest distance (m) at which a gate or centroid is placed on the network
 */
export function compoundAccess(
	index: SegmentIndex,
	compound: ResidentialFeature,
	maxSnapM = DEFAULT_MAX_SNAP_M
): CompoundAccess {
	const gates = compound.properties.gates;
	if (gates.length > 0) {
		const points = gates
			.map(([lon, lat]) => index.snap(lon, lat, maxSnapM))
			.filter((p): p is NetworkPoint => p !== null);
		const missed = gates.length - points.length;
		if (points.length > 0) {
			return {
				method: 'gates',
				points,
				note:
					missed > 0
						? `${missed} of ${gates.length} gates are more than ${maxSnapM} m from the network`
						: null
			};
		}
		return {
			method: 'off-network',
			points: [],
			note: `none of its ${gates.length} gates lies within ${maxSnapM} m of the walking network`
		};
	}
	const rings = outerRings(compound.geometry);
	const crossings: NetworkPoint[] = [];
	for (const ring of rings) crossings.push(...index.ringCrossings(ring));
	if (crossings.length > 0)
		return { method: 'boundary-crossings', points: dedupe(crossings), note: null };

	let nearest: NetworkPoint | null = null;
	for (const ring of rings) {
		for (let i = 0; i < ring.length; i++) {
			const [lon, lat] = ring[i];
			// The closing position repeats the first: its point could not be strictly nearer.
			if (i > 0 && i === ring.length - 1 && lon === ring[0][0] && lat === ring[0][1]) break;
			const point = index.snap(lon, lat, maxSnapM);
			if (point && (!nearest || point.snapDistanceM < nearest.snapDistanceM)) nearest = point;
		}
	}
	if (nearest) return { method: 'boundary-nearest', points: [nearest], note: null };

	const [lon, lat] = centroidOf(compound.geometry);
	const nearby = index.snapNearby(
		lon,
		lat,
		maxSnapM,
		POINT_ACCESS_TOLERANCE_M,
		MAX_POINT_ACCESS_POINTS
	);
	if (nearby.length > 0) return { method: 'centroid', points: nearby, note: null };
	return {
		method: 'off-network',
		points: [],
		note: `no part of it lies within ${maxSnapM} m of the walking network`
	};
}

/**
 * `compoundAccess`, remembered per segment index and compound while the compound's geometry and
 * gates hold the same numbers and the snap limit is the same: a report computes the care circle
 * and the meal circle on the same compounds, and a session recomputes the coverage after every
 * edit, each time snapping every gate and boundary vertex of the region again (issue 18: 50,000
 * compounds, about 1 s). The numbers are compared, not the objects, so a compound edited in
 * place is placed again. The answers are shared: callers must not change them.
 */
const rememberedAccess = new WeakMap<SegmentIndex, WeakMap<ResidentialFeature, RememberedAccess>>();

interface RememberedAccess {
	maxSnapM: number;
	/** The geometry's type, coordinates and gates, flattened (`placementNumbers`). */
	numbers: number[];
	access: CompoundAccess;
}

const GEOMETRY_CODES: Record<string, number> = { Point: 0, Polygon: 1, MultiPolygon: 2 };

/**
 * What `compoundAccess` reads of a compound, as numbers: the geometry type's code, then every
 * array as NaN, its length and its items, the geometry's coordinates first, then the gates.
 * null when something there is not a number (such a compound is not remembered).
 */
function placementNumbers(compound: ResidentialFeature): number[] | null {
	const type = GEOMETRY_CODES[compound.geometry.type];
	if (type === undefined) return null;
	const numbers = [type];
	const add = (value: unknown): boolean => {
		if (typeof value === 'number') {
			numbers.push(value);
			return true;
		}
		if (!Array.isArray(value)) return false;
		numbers.push(NaN, value.length);
		for (const item of value) if (!add(item)) return false;
		return true;
	};
	return add(compound.geometry.coordinates) && add(compound.properties.gates) ? numbers : null;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
	return true;
}

/**
 * `compoundAccess(index, compound, maxSnapM)`, from memory when this index placed the same
 * compound with the same numbers and limit before (see above).
 */
export function rememberedCompoundAccess(
	index: SegmentIndex,
	compound: ResidentialFeature,
	maxSnapM = DEFAULT_MAX_SNAP_M
): CompoundAccess {
	const numbers = placementNumbers(compound);
	if (!numbers) return compoundAccess(index, compound, maxSnapM);
	let byCompound = rememberedAccess.get(index);
	if (!byCompound) rememberedAccess.set(index, (byCompound = new WeakMap()));
	const known = byCompound.get(compound);
	if (known && known.maxSnapM === maxSnapM && sameNumbers(known.numbers, numbers))
		return known.access;
	const access = compoundAccess(index, compound, maxSnapM);
	byCompound.set(compound, { maxSnapM, numbers, access });
	return access;
}

/**
 * A boundary vertex lying exactly on a network segment is found by both boundary edges that meet
 * there: keep one point per segment position (0.1 m).
 */
function dedupe(points: NetworkPoint[]): NetworkPoint[] {
	const byPosition = new Map<string, NetworkPoint>();
	for (const point of points) {
		const low = Math.min(point.fromNode, point.toNode);
		const offsetFromLow = point.fromNode === low ? point.offsetM : point.lengthM - point.offsetM;
		const key = `${low}-${Math.max(point.fromNode, point.toNode)}-${offsetFromLow.toFixed(1)}`;
		if (!byPosition.has(key)) byPosition.set(key, point);
	}
	return [...byPosition.values()];
}
