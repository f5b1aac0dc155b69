/**
 * Geometry checks and repairs on the way into a region: the fixes GIS users expect a tool to
 * make quietly (close a ring, drop a repeated vertex, split a bow-tie) are made and reported;
 * anything that cannot be repaired is rejected with the reason. Pure functions on plain arrays.
 */
import { centerOfMass, polygon as turfPolygon, unkinkPolygon } from '@turf/turf';
import { crossingPairBudget, findCrossings } from './crossings.ts';
import type { RawGeometry } from './raw.ts';

/** [x, y] in whatever coordinates the caller works in (file CRS or WGS84). */
export type Position = [number, number];
export type Ring = Position[];

/** A geometry the region layers accept. */
export type AreaOrPoint =
	| { type: 'Point'; coordinates: Position }
	| { type: 'Polygon'; coordinates: Ring[] }
	| { type: 'MultiPolygon'; coordinates: Ring[][] };

/** What the target layer accepts: facilities take points (areas → centroid), boundaries areas. */
export type GeometryTarget = 'point' | 'area' | 'pointOrArea';

export interface GeometryNote {
	action: 'repaired' | 'rejected';
	reason: string;
}

/** `geometry` is null exactly when a note says 'rejected'. */
export interface GeometryOutcome {
	geometry: AreaOrPoint | null;
	notes: GeometryNote[];
}

const TARGET_TYPES: Record<GeometryTarget, string> = {
	point: 'Point (or a Polygon, replaced by its centroid)',
	area: 'Polygon or MultiPolygon',
	pointOrArea: 'Point, Polygon or MultiPolygon'
};

function isPosition(value: unknown): value is number[] {
	return (
		Array.isArray(value) &&
		value.length >= 2 &&
		Number.isFinite(value[0]) &&
		Number.isFinite(value[1])
	);
}

/**
 * Check a raw geometry's structure and type for the target, and return it with 2-D positions.
 * A MultiPoint with one point becomes a Point.
 * @returns the geometry, or a reason why it cannot be used.
 */
export function readGeometry(
	raw: RawGeometry,
	target: GeometryTarget
): { geometry: AreaOrPoint; notes: GeometryNote[] } | { reason: string } {
	const wrongType = {
		reason: `wrong geometry type ${raw.type}: this layer takes ${TARGET_TYPES[target]}`
	};
	const ring = (value: unknown, where: string): Ring | string => {
		if (!Array.isArray(value)) return `${where} is not an array of positions`;
		const bad = value.findIndex((p) => !isPosition(p));
		if (bad >= 0)
			return `${where} position ${bad} is ${JSON.stringify(value[bad])}, expected [x, y] numbers`;
		return value.map((p: number[]) => [p[0], p[1]] as Position);
	};
	const polygon = (value: unknown, where: string): Ring[] | string => {
		if (!Array.isArray(value) || value.length === 0) return `${where} has no rings`;
		const rings: Ring[] = [];
		for (let i = 0; i < value.length; i++) {
			const r = ring(value[i], `${where} ring ${i}`);
			if (typeof r === 'string') return r;
			rings.push(r);
		}
		return rings;
	};
	switch (raw.type) {
		case 'Point':
			if (!isPosition(raw.coordinates))
				return {
					reason: `Point coordinates ${JSON.stringify(raw.coordinates)}, expected [x, y] numbers`
				};
			return {
				geometry: { type: 'Point', coordinates: [raw.coordinates[0], raw.coordinates[1]] },
				notes: []
			};
		case 'MultiPoint': {
			const points = raw.coordinates;
			if (Array.isArray(points) && points.length === 1 && isPosition(points[0])) {
				return {
					geometry: { type: 'Point', coordinates: [points[0][0], points[0][1]] },
					notes: [{ action: 'repaired', reason: 'MultiPoint with one point read as a Point' }]
				};
			}
			return {
				reason: `MultiPoint with ${Array.isArray(points) ? points.length : 0} points: this layer takes one Point per record`
			};
		}
		case 'Polygon': {
			const rings = polygon(raw.coordinates, 'Polygon');
			return typeof rings === 'string'
				? { reason: rings }
				: { geometry: { type: 'Polygon', coordinates: rings }, notes: [] };
		}
		case 'MultiPolygon': {
			if (!Array.isArray(raw.coordinates) || raw.coordinates.length === 0)
				return { reason: 'MultiPolygon has no polygons' };
			const parts: Ring[][] = [];
			for (let i = 0; i < raw.coordinates.length; i++) {
				const rings = polygon(raw.coordinates[i], `MultiPolygon part ${i}`);
				if (typeof rings === 'string') return { reason: rings };
				parts.push(rings);
			}
			return { geometry: { type: 'MultiPolygon', coordinates: parts }, notes: [] };
		}
		default:
			return wrongType;
	}
}

/** Every position of a geometry (for sampling, swap checks and transforms). */
export function positionsOf(geometry: AreaOrPoint): Position[] {
	if (geometry.type === 'Point') return [geometry.coordinates];
	if (geometry.type === 'Polygon') return geometry.coordinates.flat();
	return geometry.coordinates.flat(2);
}

/** A copy of the geometry with every position mapped. */
export function mapPositions(geometry: AreaOrPoint, map: (p: Position) => Position): AreaOrPoint {
	if (geometry.type === 'Point') return { type: 'Point', coordinates: map(geometry.coordinates) };
	if (geometry.type === 'Polygon')
		return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(map)) };
	return {
		type: 'MultiPolygon',
		coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(map)))
	};
}

/** Twice the signed area of a ring (shoelace), in squared coordinate units. */
function doubleArea(ring: Ring): number {
	let sum = 0;
	for (let i = 0; i + 1 < ring.length; i++)
		sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
	return sum;
}

/**
 * Splitting a self-crossing polygon (turf `unkinkPolygon`) is left to the user beyond these:
 * its walk grows with vertices × crossings (400,000 vertices with one crossing: 4 s, 550 MB).
 */
export const MAX_SPLIT_CROSSINGS = 1000;
export const MAX_SPLIT_VERTICES = 200_000;
const samePosition = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/**
 * Clean one ring: drop consecutive duplicate positions, close it if open.
 * @returns the ring and notes, or null (with a 'rejected' note) when fewer than 4 positions remain.
 */
export function repairRing(
	ring: Ring,
	where: string
): { ring: Ring | null; notes: GeometryNote[] } {
	const notes: GeometryNote[] = [];
	const cleaned = ring.filter((p, i) => i === 0 || !samePosition(p, ring[i - 1]));
	if (cleaned.length < ring.length) {
		notes.push({
			action: 'repaired',
			reason: `${where}: ${ring.length - cleaned.length} consecutive duplicate point(s) removed`
		});
	}
	if (cleaned.length > 0 && !samePosition(cleaned[0], cleaned[cleaned.length - 1])) {
		cleaned.push([cleaned[0][0], cleaned[0][1]]);
		notes.push({
			action: 'repaired',
			reason: `${where} was not closed: closed it by repeating the first point`
		});
	}
	if (cleaned.length < 4) {
		notes.push({
			action: 'rejected',
			reason: `${where} has ${cleaned.length} positions after cleaning; a ring needs at least 4 (3 corners and the closing point)`
		});
		return { ring: null, notes };
	}
	return { ring: cleaned, notes };
}

/**
 * Repair one polygon: rings cleaned (an invalid hole is dropped, an invalid outer ring rejects
 * the polygon), self-intersections (found by `findCrossings`, as turf `kinks` would) split with
 * turf `unkinkPolygon` — up to `MAX_SPLIT_CROSSINGS` crossings and `MAX_SPLIT_VERTICES`
 * positions; bigger ones are rejected with the reason.
 * @returns one or more valid polygons, or null with a 'rejected' note.
 */
export function repairPolygon(
	rings: Ring[],
	where: string
): { polygons: Ring[][] | null; notes: GeometryNote[] } {
	const notes: GeometryNote[] = [];
	const outer = repairRing(rings[0], `${where} outer ring`);
	notes.push(...outer.notes);
	if (!outer.ring) return { polygons: null, notes };
	const kept: Ring[] = [outer.ring];
	for (let i = 1; i < rings.length; i++) {
		const hole = repairRing(rings[i], `${where} hole ${i}`);
		if (hole.ring) {
			notes.push(...hole.notes);
			kept.push(hole.ring);
		} else {
			// A broken hole does not make the area unusable: drop it and say so.
			notes.push(...hole.notes.filter((n) => n.action === 'repaired'));
			notes.push({ action: 'repaired', reason: `${hole.notes.at(-1)!.reason}: hole dropped` });
		}
	}
	const vertices = kept.reduce((sum, ring) => sum + ring.length, 0);
	const found = findCrossings(kept, {
		limit: MAX_SPLIT_CROSSINGS,
		maxPairs: crossingPairBudget(vertices)
	});
	if (found.stopped === 'work') {
		notes.push({
			action: 'rejected',
			reason: `${where} 的边彼此重叠过多，无法检查是否自相交，请在 GIS 中检查后重新导入 / ${where} has too many edges lying across each other to check for self-intersections (${vertices} positions): check the outline in a GIS and import it again`
		});
		return { polygons: null, notes };
	}
	const crossings = found.points;
	if (crossings.length === 0) {
		// Checked only without crossings: a bow-tie's two lobes cancel to zero signed area.
		if (doubleArea(kept[0]) === 0) {
			notes.push({
				action: 'rejected',
				reason: `${where} outer ring has zero area (all its points lie on one line)`
			});
			return { polygons: null, notes };
		}
		return { polygons: [kept], notes };
	}

	const at = crossings[0];
	const count =
		found.stopped === 'crossings' ? `more than ${MAX_SPLIT_CROSSINGS}` : crossings.length;
	const described = `${where} intersects itself (${count} crossing(s), first at [${+at[0].toFixed(7)}, ${+at[1].toFixed(7)}])`;
	if (found.stopped === 'crossings' || vertices > MAX_SPLIT_VERTICES) {
		notes.push({
			action: 'rejected',
			reason: `${described}: 自相交的多边形过大，无法自动拆分（上限 ${MAX_SPLIT_CROSSINGS} 个交叉点、${MAX_SPLIT_VERTICES} 个顶点），请在 GIS 中修正后重新导入 / too big to split automatically (at most ${MAX_SPLIT_CROSSINGS} crossings and ${MAX_SPLIT_VERTICES} positions; this one has ${vertices} positions): fix the outline in a GIS and import it again`
		});
		return { polygons: null, notes };
	}
	let parts: Ring[][];
	try {
		parts = unkinkPolygon(turfPolygon(kept)).features.map((f) => f.geometry.coordinates as Ring[]);
	} catch (error) {
		notes.push({
			action: 'rejected',
			reason: `${described} and could not be split: ${error instanceof Error ? error.message : String(error)}`
		});
		return { polygons: null, notes };
	}
	const valid =
		parts.length > 0 &&
		parts.every(
			(p) =>
				p.every((r) => r.length >= 4 && doubleArea(r) !== 0) &&
				findCrossings(p, { limit: 0, maxPairs: crossingPairBudget(vertices) }).stopped === null
		);
	if (!valid) {
		notes.push({
			action: 'rejected',
			reason: `${described} and splitting it gave no valid polygons`
		});
		return { polygons: null, notes };
	}
	notes.push({
		action: 'repaired',
		reason: `${described}: split into ${parts.length} simple polygon(s)`
	});
	return { polygons: parts, notes };
}

/**
 * Make a geometry fit a layer: repair polygons (see `repairPolygon`), drop unusable parts of a
 * MultiPolygon, and for point layers replace an area by its centroid (centre of mass).
 * @param geometry a geometry from `readGeometry` (already in the region's coordinates)
 * @param target what the layer accepts
 * @returns the usable geometry and notes; geometry is null when it was rejected.
 * @example repairGeometry({ type: 'Polygon', coordinates: [[[0,0],[1,0],[1,1]]] }, 'area')
 *   // → closed ring, note 'repaired: Polygon outer ring was not closed …'
 */
export function repairGeometry(geometry: AreaOrPoint, target: GeometryTarget): GeometryOutcome {
	if (geometry.type === 'Point') {
		if (target === 'area')
			return {
				geometry: null,
				notes: [
					{
						action: 'rejected',
						reason: `wrong geometry type Point: this layer takes ${TARGET_TYPES.area}`
					}
				]
			};
		return { geometry, notes: [] };
	}
	const notes: GeometryNote[] = [];
	const polygons: Ring[][] = [];
	const inputs = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	inputs.forEach((rings, i) => {
		const where = geometry.type === 'Polygon' ? 'Polygon' : `MultiPolygon part ${i}`;
		const repaired = repairPolygon(rings, where);
		if (repaired.polygons) {
			notes.push(...repaired.notes);
			polygons.push(...repaired.polygons);
		} else if (inputs.length > 1) {
			// Other parts survive: the bad part is dropped, which is a repair of the whole.
			notes.push(
				...repaired.notes.map((n) => ({
					action: 'repaired' as const,
					reason: n.action === 'rejected' ? `${n.reason}: part dropped` : n.reason
				}))
			);
		} else {
			notes.push(...repaired.notes);
		}
	});
	if (polygons.length === 0) {
		if (inputs.length > 1)
			notes.push({
				action: 'rejected',
				reason: `none of the ${inputs.length} MultiPolygon parts is usable`
			});
		return { geometry: null, notes };
	}
	const area: AreaOrPoint =
		polygons.length === 1 && geometry.type === 'Polygon'
			? { type: 'Polygon', coordinates: polygons[0] }
			: { type: 'MultiPolygon', coordinates: polygons };
	if (target !== 'point') return { geometry: area, notes };
	const centre = centerOfMass(area).geometry.coordinates;
	const point: Position = [centre[0], centre[1]];
	notes.push({
		action: 'repaired',
		reason: `${geometry.type} for a point layer: replaced by its centroid [${point[0].toFixed(6)}, ${point[1].toFixed(6)}]`
	});
	return { geometry: { type: 'Point', coordinates: point }, notes };
}
