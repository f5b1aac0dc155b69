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
import { crsLabel, detectCrs, isGeographicCrs, parseCrs, toWgs84, type XY } from '../crs/index.ts';
import { readGeoJson } from '../import/geojson.ts';
import { detectTableFormat } from '../import/index.ts';
import type { RawTable } from '../import/raw.ts';
import { ImportError } from '../import/report.ts';
import { readZippedShapefile } from '../import/shapefile.ts';
import { TextDecoder } from '../text.ts';
import { EvaluationError } from './errors.ts';

import {
	isPosition,
	polygonsOf,
	validateProjectBoundary,
	type Bbox,
	type BoundarySource,
	type CrsChoice,
	type ProjectBoundary
} from './boundary-check.ts';

export {
	validateProjectBoundary,
	type Bbox,
	type BoundarySource,
	type CrsChoice,
	type ProjectBoundary
};

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
