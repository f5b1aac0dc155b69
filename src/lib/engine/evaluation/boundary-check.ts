/**
 * The strict checks of a project boundary already in WGS84 (drawn on the map, or read by
 * boundary.ts): closed rings, no self-crossing, lon/lat degrees, inside the region's bbox. Kept
 * apart from the file readers so that evaluating a drawn project (the Web Worker) does not load
 * the importers (exceljs, shpjs).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { CrsId } from '../crs/index.ts';
import { crossingPairBudget, findCrossings } from '../import/crossings.ts';
import type { RawGeometry } from '../import/raw.ts';
import { EvaluationError } from './errors.ts';

export type Bbox = [number, number, number, number];
type Ring = [number, number][];

/** How the boundary's coordinates were put into WGS84. */
export interface CrsChoice {
	crs: CrsId;
	/** override: named by the caller; declared: by the file; detected / assumed: from the numbers; drawn: on the map (WGS84). */
	how: 'override' | 'declared' | 'detected' | 'assumed' | 'drawn';
	/** One sentence, English. */
	reason: string;
}

/** Where a boundary came from, for the report. */
export interface BoundarySource {
	/** File name as the user knows it; null when drawn on the map. */
	file: string | null;
	format: 'geojson' | 'shapefile' | 'drawn';
	crs: CrsChoice;
	/** Polygon features combined into the boundary. */
	polygonFeatures: number;
	/** A `name` / `名称` property of the first polygon feature, if any. */
	name: string | null;
	/** What was dropped or ignored on the way (duplicate vertices, point features …). */
	notes: string[];
}

export interface ProjectBoundary {
	geometry: Polygon | MultiPolygon;
	source: BoundarySource;
}

const fmtXY = ([x, y]: [number, number]) => `[${+x.toFixed(7)}, ${+y.toFixed(7)}]`;

export function isPosition(value: unknown): value is number[] {
	return (
		Array.isArray(value) &&
		value.length >= 2 &&
		typeof value[0] === 'number' &&
		typeof value[1] === 'number' &&
		Number.isFinite(value[0]) &&
		Number.isFinite(value[1])
	);
}

/** Polygons (each a list of rings) of a Polygon / MultiPolygon, structure checked. */
export function polygonsOf(geometry: RawGeometry, field: string): Ring[][] {
	const bad = (why: string) => new EvaluationError('BOUNDARY_INVALID', field, `${field}: ${why}`);
	const rings = (value: unknown, where: string): Ring[] => {
		if (!Array.isArray(value) || value.length === 0) throw bad(`${where} has no rings`);
		return value.map((ring: unknown, r) => {
			if (!Array.isArray(ring)) throw bad(`${where} ring ${r} is not an array of positions`);
			return ring.map((position: unknown, p) => {
				if (!isPosition(position))
					throw bad(
						`${where} ring ${r} position ${p} is ${JSON.stringify(position)}; expected [x, y] numbers`
					);
				return [position[0], position[1]] as [number, number];
			});
		});
	};
	if (geometry.type === 'Polygon') return [rings(geometry.coordinates, 'Polygon')];
	if (geometry.type === 'MultiPolygon') {
		if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0)
			throw bad('MultiPolygon has no polygons');
		return geometry.coordinates.map((polygon: unknown, i) =>
			rings(polygon, `MultiPolygon part ${i}`)
		);
	}
	throw bad(`a ${geometry.type} is not an area: the boundary must be a Polygon or MultiPolygon`);
}

/** Drop consecutive duplicates; reject open or too-short rings with the ring named. */
function checkRings(polygons: Ring[][], field: string, notes: string[]): Ring[][] {
	return polygons.map((rings, p) =>
		rings.map((ring, r) => {
			const where =
				`${polygons.length > 1 ? `part ${p} ` : ''}${r === 0 ? 'outer ring' : `hole ${r}`}`.trim();
			const cleaned = ring.filter(
				(point, i) => i === 0 || point[0] !== ring[i - 1][0] || point[1] !== ring[i - 1][1]
			);
			if (cleaned.length < ring.length)
				notes.push(`${where}: ${ring.length - cleaned.length} repeated vertex(es) dropped`);
			const first = cleaned[0];
			const last = cleaned[cleaned.length - 1];
			if (cleaned.length >= 2 && (first[0] !== last[0] || first[1] !== last[1]))
				throw new EvaluationError(
					'BOUNDARY_NOT_CLOSED',
					field,
					`${field}: the ${where} is not closed — it starts at ${fmtXY(first)} and ends at ${fmtXY(last)}. A ring must end where it starts: repeat the first position at the end (in GIS: close the polygon), then evaluate again`
				);
			if (cleaned.length < 4)
				throw new EvaluationError(
					'BOUNDARY_INVALID',
					field,
					`${field}: the ${where} has ${cleaned.length} position(s); a ring needs at least 4 (3 corners and the closing position)`
				);
			return cleaned;
		})
	);
}

/** Twice the signed area of a ring in degrees² (shoelace). */
function doubleArea(ring: Ring): number {
	let sum = 0;
	for (let i = 0; i + 1 < ring.length; i++)
		sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
	return sum;
}

/** Crossings counted before the message says "more than": counting all can be quadratic. */
const CROSSINGS_REPORTED = 1000;

function checkSimple(polygons: Ring[][], field: string): void {
	polygons.forEach((rings, p) => {
		const positions = rings.reduce((sum, ring) => sum + ring.length, 0);
		const found = findCrossings(rings, {
			limit: CROSSINGS_REPORTED,
			maxPairs: crossingPairBudget(positions)
		});
		const part = polygons.length > 1 ? `part ${p} ` : '';
		if (found.stopped === 'work')
			throw new EvaluationError(
				'BOUNDARY_INVALID',
				field,
				`${field}: ${part}the boundary has too many edges lying across each other to check whether it crosses itself (${positions} positions). Simplify it in a GIS and evaluate again`
			);
		const crossings = found.points;
		if (crossings.length > 0) {
			const count =
				found.stopped === 'crossings' ? `more than ${CROSSINGS_REPORTED}` : crossings.length;
			throw new EvaluationError(
				'BOUNDARY_SELF_INTERSECTS',
				field,
				`${field}: ${part}the boundary crosses itself (${count} crossing(s), the first at ${fmtXY(crossings[0])}). Redraw it so that its edges meet only at corners; a bow-tie shape must be split into two polygons`
			);
		}
		if (doubleArea(rings[0]) === 0)
			throw new EvaluationError(
				'BOUNDARY_INVALID',
				field,
				`${field}: ${polygons.length > 1 ? `part ${p} ` : ''}the outer ring has zero area (its corners lie on one line)`
			);
	});
}

function checkInside(polygons: Ring[][], bbox: Bbox, field: string, regionLabel: string): void {
	const [west, south, east, north] = bbox;
	const vertices = polygons.flat(2);
	const outside = vertices.filter(
		([lon, lat]) => lon < west || lon > east || lat < south || lat > north
	);
	if (outside.length === 0) return;
	// A loop, not Math.min(...): spreading 400,000 numbers overflows the stack.
	const span = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [lon, lat] of vertices) {
		span[0] = Math.min(span[0], lon);
		span[1] = Math.min(span[1], lat);
		span[2] = Math.max(span[2], lon);
		span[3] = Math.max(span[3], lat);
	}
	const own = span.map((value) => +value.toFixed(6));
	const all = outside.length === vertices.length;
	throw new EvaluationError(
		'PROJECT_OUTSIDE_REGION',
		field,
		`${field}: ${all ? 'the project lies outside' : `${outside.length} of ${vertices.length} vertices lie outside`} the region ${regionLabel} (bbox ${bbox.join(', ')}); the boundary spans ${own.join(', ')}, e.g. ${fmtXY(outside[0])}. Choose the region the project is in (--region), or check the coordinate system (--crs) if it should be inside`
	);
}

/**
 * Checks a WGS84 boundary, e.g. one drawn on the map: closed rings without self-intersection,
 * every vertex inside the region's bbox. Consecutive repeated vertices are dropped (noted).
 *
 * @param geometry a GeoJSON Polygon or MultiPolygon in WGS84 lon/lat degrees
 * @param regionBbox the region's [west, south, east, north]
 * @param options.field the input's name in messages (default `boundary`);
 *   `regionLabel` the region's id or name in messages
 * @returns the cleaned geometry (Polygon for one part) and what was dropped
 * @throws {EvaluationError} BOUNDARY_INVALID, BOUNDARY_NOT_CLOSED, BOUNDARY_SELF_INTERSECTS,
 *   PROJECT_OUTSIDE_REGION
 * @example validateProjectBoundary({ type: 'Polygon', coordinates: [[[121.516, 31.235], …]] }, region.meta.bbox)
 */
export function validateProjectBoundary(
	geometry: unknown,
	regionBbox: Bbox,
	options: { field?: string; regionLabel?: string } = {}
): { geometry: Polygon | MultiPolygon; notes: string[] } {
	const field = options.field ?? 'boundary';
	if (
		typeof geometry !== 'object' ||
		geometry === null ||
		typeof (geometry as RawGeometry).type !== 'string'
	)
		throw new EvaluationError(
			'BOUNDARY_INVALID',
			field,
			`${field}: expected a GeoJSON Polygon or MultiPolygon`
		);
	const notes: string[] = [];
	const polygons = checkRings(polygonsOf(geometry as RawGeometry, field), field, notes);
	for (const position of polygons.flat(2))
		if (Math.abs(position[0]) > 180 || Math.abs(position[1]) > 90)
			throw new EvaluationError(
				'BOUNDARY_CRS',
				field,
				`${field}: position ${fmtXY(position)} is not WGS84 lon/lat degrees; convert the boundary first (readProjectBoundary / --crs)`
			);
	checkSimple(polygons, field);
	checkInside(polygons, regionBbox, field, options.regionLabel ?? 'of the evaluation');
	return {
		geometry:
			polygons.length === 1
				? { type: 'Polygon', coordinates: polygons[0] }
				: { type: 'MultiPolygon', coordinates: polygons },
		notes
	};
}
