/**
 * The project's boundary (and its gates) on the way in: read with the importers' readers
 * (GeoJSON, zipped Shapefile), put into WGS84 with the CRS module, and checked strictly — a
 * boundary decides what lies inside a project on a document filed with a land sale, so nothing is
 * guessed or silently repaired that could move it:
 *
 * - rings must be closed (the last position repeats the first) and must not cross themselves;
 * - projected coordinates (CGCS2000 Gauss–Krüger, UTM) are accepted only when the file declares
 *   them or the caller names the system: the numbers alone could be several zones apart;
 * - lon/lat without a declaration are taken as WGS84 (GCJ-02 / BD-09 look the same, ~500 m
 *   apart): the choice is recorded so the report can say so;
 * - every vertex must lie inside the region's bbox (the region's network and data end there).
 *
 * Only consecutive duplicate vertices are dropped (they change no shape) and said so.
 */
import { kinks, polygon as turfPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import {
	crsLabel,
	detectCrs,
	isGeographicCrs,
	parseCrs,
	toWgs84,
	type CrsId,
	type XY
} from '../crs/index.ts';
import { readGeoJson } from '../import/geojson.ts';
import { detectTableFormat } from '../import/index.ts';
import type { RawGeometry, RawTable } from '../import/raw.ts';
import { ImportError } from '../import/report.ts';
import { readZippedShapefile } from '../import/shapefile.ts';
import { TextDecoder } from '../text.ts';
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

function isPosition(value: unknown): value is number[] {
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
function polygonsOf(geometry: RawGeometry, field: string): Ring[][] {
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

function checkSimple(polygons: Ring[][], field: string): void {
	polygons.forEach((rings, p) => {
		const crossings = kinks(turfPolygon(rings)).features;
		if (crossings.length > 0) {
			const at = crossings[0].geometry.coordinates as [number, number];
			throw new EvaluationError(
				'BOUNDARY_SELF_INTERSECTS',
				field,
				`${field}: ${polygons.length > 1 ? `part ${p} ` : ''}the boundary crosses itself (${crossings.length} crossing(s), the first at ${fmtXY(at)}). Redraw it so that its edges meet only at corners; a bow-tie shape must be split into two polygons`
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
	const lons = vertices.map((v) => v[0]);
	const lats = vertices.map((v) => v[1]);
	const own = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)].map(
		(value) => +value.toFixed(6)
	);
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

/**
 * The coordinate system of a project file's numbers: the caller's `crs` › the file's declaration
 * › detection. Projected metres the file does not declare are refused (not guessed); lon/lat
 * without a declaration are WGS84, recorded as assumed.
 * @throws {EvaluationError} BOUNDARY_CRS
 */
export function chooseProjectCrs(
	sample: XY[],
	options: { file: string; field: string; declared: string | null; crs?: string; regionBbox: Bbox }
): CrsChoice {
	const { file, field } = options;
	if (options.crs) {
		const crs = parseCrs(options.crs);
		if (!crs)
			throw new EvaluationError(
				'BOUNDARY_CRS',
				field,
				`--crs "${options.crs}" is not a coordinate system we know: use wgs84, gcj02, bd09, cgcs2000, EPSG:4513–4554 (CGCS2000 3° Gauss–Krüger) or EPSG:32649–32651 (UTM)`
			);
		return { crs, how: 'override', reason: `given: ${crsLabel(crs)}` };
	}
	const declared = options.declared ? parseCrs(options.declared) : null;
	if (options.declared && !declared)
		throw new EvaluationError(
			'BOUNDARY_CRS',
			field,
			`${file} declares a coordinate system that is not supported (${options.declared.slice(0, 120)}): pass --crs to say which one it is`
		);
	const detection = detectCrs(sample, { declared, expectedBbox: options.regionBbox });
	if (declared) {
		if (detection.confidence === 'declared')
			return { crs: declared, how: 'declared', reason: detection.reason };
		throw new EvaluationError(
			'BOUNDARY_CRS',
			field,
			`${file} declares ${crsLabel(declared)}, but ${detection.warnings[0] ?? 'its coordinates do not fit it'}. Fix the declaration, or pass --crs with the right system`
		);
	}
	const example = sample[0] ? `(${sample[0][0]}, ${sample[0][1]})` : '(none)';
	if (!detection.crs || detection.confidence === 'unknown')
		throw new EvaluationError(
			'BOUNDARY_CRS',
			field,
			`${file}: coordinates such as ${example} are in no coordinate system we can recognise (${detection.reason}). Pass --crs (wgs84, gcj02, bd09, EPSG:4528 …)`
		);
	if (!isGeographicCrs(detection.crs))
		throw new EvaluationError(
			'BOUNDARY_CRS',
			field,
			`${file}: coordinates such as ${example} are projected metres, not lon/lat degrees — ${detection.reason} — but the file does not say which coordinate system they are in. A wrong zone moves the boundary by hundreds of metres or more, so the evaluation does not guess: if ${crsLabel(detection.crs)} is right, pass --crs ${detection.crs}; otherwise export the boundary with its .prj (zipped Shapefile) or in WGS84`
		);
	return {
		crs: detection.crs,
		how: detection.confidence === 'ambiguous' ? 'assumed' : 'detected',
		reason:
			detection.confidence === 'ambiguous'
				? `lon/lat without a declared coordinate system: taken as WGS84 (GCJ-02 from Amap/Tencent or BD-09 from Baidu would be ~300–600 m off; pass --crs gcj02 or bd09 if the file came from them)`
				: detection.reason
	};
}

async function readTable(file: string, bytes: Uint8Array, field: string): Promise<RawTable> {
	let format: string;
	try {
		format = bytes.length === 0 ? 'empty' : detectTableFormat(file, bytes);
	} catch (error) {
		throw new EvaluationError(
			'BOUNDARY_UNREADABLE',
			field,
			error instanceof Error ? error.message : String(error)
		);
	}
	try {
		if (format === 'geojson') return readGeoJson(new TextDecoder('utf-8').decode(bytes), file);
		if (format === 'shapefile') return await readZippedShapefile(bytes, file);
	} catch (error) {
		if (error instanceof ImportError)
			throw new EvaluationError('BOUNDARY_UNREADABLE', field, error.message);
		throw error;
	}
	throw new EvaluationError(
		'BOUNDARY_UNREADABLE',
		field,
		`${file}: ${format === 'empty' ? 'is empty (0 bytes)' : `a ${format} table cannot hold a boundary`}; give a GeoJSON file (.geojson) or a zipped Shapefile (.zip with .shp, .shx, .dbf and .prj)`
	);
}

const NAME_KEYS = ['name', 'Name', 'NAME', '名称', '项目名称', 'xmmc'];

/**
 * Reads a project boundary from a GeoJSON or zipped Shapefile: every Polygon / MultiPolygon
 * feature becomes one part of the boundary; other features are ignored (noted). The coordinates
 * are put into WGS84 (see `chooseProjectCrs`) and checked (`validateProjectBoundary`).
 *
 * @param file the file name as the user knows it (in every message)
 * @param bytes the file's content
 * @param options.crs the coordinate system if the file does not declare it (e.g. 'EPSG:4528',
 *   'gcj02'); `regionBbox` the region's bbox; `regionLabel` its id for messages
 * @throws {EvaluationError} BOUNDARY_UNREADABLE, BOUNDARY_CRS, BOUNDARY_NOT_CLOSED,
 *   BOUNDARY_SELF_INTERSECTS, BOUNDARY_INVALID, PROJECT_OUTSIDE_REGION
 * @example const { geometry, source } = await readProjectBoundary('地块.geojson', bytes, { regionBbox: meta.bbox });
 */
export async function readProjectBoundary(
	file: string,
	bytes: Uint8Array,
	options: { crs?: string; regionBbox: Bbox; regionLabel?: string }
): Promise<ProjectBoundary> {
	const field = 'boundary';
	const table = await readTable(file, bytes, field);
	const notes: string[] = table.issues.map((issue) => `feature ${issue.row}: ${issue.reason}`);
	const areas = table.records.filter(
		(record) => record.geometry?.type === 'Polygon' || record.geometry?.type === 'MultiPolygon'
	);
	const others = table.records.length - areas.length;
	if (areas.length === 0)
		throw new EvaluationError(
			'BOUNDARY_UNREADABLE',
			field,
			`${file}: no Polygon or MultiPolygon feature (${table.records.length} feature(s) of other types); the project boundary must be an area`
		);
	if (others > 0) notes.push(`${others} feature(s) that are not areas were ignored`);
	const polygons = areas.flatMap((record) => polygonsOf(record.geometry!, field));
	const crs = chooseProjectCrs(polygons.flat(2), {
		file,
		field,
		declared: table.declaredCrs,
		crs: options.crs,
		regionBbox: options.regionBbox
	});
	const convert = toWgs84(crs.crs);
	const round7 = (value: number) => Math.round(value * 1e7) / 1e7;
	const converted = polygons.map((rings) =>
		rings.map((ring) =>
			ring.map((xy) => {
				const [lon, lat] = convert(xy);
				return [round7(lon), round7(lat)] as [number, number];
			})
		)
	);
	const validated = validateProjectBoundary(
		converted.length === 1
			? { type: 'Polygon', coordinates: converted[0] }
			: { type: 'MultiPolygon', coordinates: converted },
		options.regionBbox,
		{ field, regionLabel: options.regionLabel }
	);
	const first = areas[0].properties;
	const nameKey = NAME_KEYS.find((key) => typeof first[key] === 'string' && first[key] !== '');
	return {
		geometry: validated.geometry,
		source: {
			file,
			format: file.toLowerCase().endsWith('.zip') ? 'shapefile' : 'geojson',
			crs,
			polygonFeatures: areas.length,
			name: nameKey ? String(first[nameKey]).trim() : null,
			notes: [...notes, ...validated.notes]
		}
	};
}

/**
 * Reads points (the project's gates) from a GeoJSON or zipped Shapefile of Point features, in
 * the same way as the boundary (declared › given › detected CRS, inside the region's bbox).
 * @throws {EvaluationError} INVALID_GATE, BOUNDARY_CRS, PROJECT_OUTSIDE_REGION
 * @example const { points } = await readProjectPoints('出入口.geojson', bytes, { regionBbox: meta.bbox });
 */
export async function readProjectPoints(
	file: string,
	bytes: Uint8Array,
	options: { crs?: string; regionBbox: Bbox }
): Promise<{ points: [number, number][]; crs: CrsChoice }> {
	const field = 'gates';
	const table = await readTable(file, bytes, field);
	const raw: XY[] = [];
	for (const record of table.records) {
		const geometry = record.geometry;
		if (geometry?.type === 'Point' && isPosition(geometry.coordinates))
			raw.push([geometry.coordinates[0], geometry.coordinates[1]]);
		else if (geometry?.type === 'MultiPoint' && Array.isArray(geometry.coordinates))
			for (const position of geometry.coordinates as unknown[])
				if (isPosition(position)) raw.push([position[0], position[1]]);
	}
	if (raw.length === 0)
		throw new EvaluationError(
			'INVALID_GATE',
			field,
			`${file}: no Point features; gates are points (one per entrance)`
		);
	const crs = chooseProjectCrs(raw, {
		file,
		field,
		declared: table.declaredCrs,
		crs: options.crs,
		regionBbox: options.regionBbox
	});
	const convert = toWgs84(crs.crs);
	const points = raw.map((xy) => {
		const [lon, lat] = convert(xy);
		return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7] as [number, number];
	});
	return { points, crs };
}
