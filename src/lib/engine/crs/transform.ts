/**
 * Coordinate conversion to and from WGS84 lon/lat, and applying a conversion to a geometry.
 * GCJ-02/BD-09 go through `gcoord` (its published algorithm, identity outside China);
 * projected systems through `proj4` with the definitions of `ids.ts`.
 */
import gcoord from 'gcoord';
import proj4 from 'proj4';
import { proj4Definition } from './ids.ts';
import type { CrsId } from './ids.ts';

export type XY = [number, number];
export type PointTransform = (xy: XY) => XY;

const WGS84_DEFINITION = '+proj=longlat +datum=WGS84 +no_defs';

/** proj4 converters are built once per CRS: parsing a definition costs more than a point. */
const projConverters = new Map<CrsId, proj4.Converter>();

function projConverter(crs: CrsId): proj4.Converter {
	let converter = projConverters.get(crs);
	if (!converter) {
		const definition = proj4Definition(crs);
		if (!definition) throw new Error(`no projection definition for ${crs}`);
		converter = proj4(definition, WGS84_DEFINITION);
		projConverters.set(crs, converter);
	}
	return converter;
}

function twoD(value: number[]): XY {
	return [value[0], value[1]];
}

/**
 * A function converting one position from `crs` to WGS84 lon/lat (degrees).
 * EPSG:4490 (CGCS2000) is passed through as WGS84 (centimetre-level difference).
 * Non-finite input gives non-finite output; validate afterwards.
 * @param crs source coordinate system
 * @returns `(xy) => [lon, lat]`, a new array each call
 * @example toWgs84('EPSG:4528')([40536019.978, 3996712.745]) // ≈ [120.4, 36.1]
 * @example toWgs84('GCJ-02')([121.516678, 31.2369]) // ≈ [121.51229, 31.23895]
 */
export function toWgs84(crs: CrsId): PointTransform {
	switch (crs) {
		case 'EPSG:4326':
		case 'EPSG:4490':
			return (xy) => [xy[0], xy[1]];
		case 'GCJ-02':
			return (xy) => twoD(gcoord.transform([xy[0], xy[1]], gcoord.GCJ02, gcoord.WGS84));
		case 'BD-09':
			return (xy) => twoD(gcoord.transform([xy[0], xy[1]], gcoord.BD09, gcoord.WGS84));
	}
	const converter = projConverter(crs);
	return (xy) => twoD(converter.forward([xy[0], xy[1]]));
}

/**
 * The inverse of `toWgs84`: WGS84 lon/lat (degrees) → `crs`.
 * GCJ-02/BD-09 inverses are gcoord's iterative ones (sub-metre).
 * @example fromWgs84('EPSG:4549')([120, 36]) // [500000, 3985542.67…]
 */
export function fromWgs84(crs: CrsId): PointTransform {
	switch (crs) {
		case 'EPSG:4326':
		case 'EPSG:4490':
			return (xy) => [xy[0], xy[1]];
		case 'GCJ-02':
			return (xy) => twoD(gcoord.transform([xy[0], xy[1]], gcoord.WGS84, gcoord.GCJ02));
		case 'BD-09':
			return (xy) => twoD(gcoord.transform([xy[0], xy[1]], gcoord.WGS84, gcoord.BD09));
	}
	const converter = projConverter(crs);
	return (xy) => twoD(converter.inverse([xy[0], xy[1]]));
}

export type Position = number[];
export type Geometry =
	| { type: 'Point'; coordinates: Position }
	| { type: 'MultiPoint'; coordinates: Position[] }
	| { type: 'LineString'; coordinates: Position[] }
	| { type: 'MultiLineString'; coordinates: Position[][] }
	| { type: 'Polygon'; coordinates: Position[][] }
	| { type: 'MultiPolygon'; coordinates: Position[][][] };

/** Nesting depth of `coordinates` per geometry type (0 = one position). */
const COORDINATE_DEPTH: Record<Geometry['type'], number> = {
	Point: 0,
	MultiPoint: 1,
	LineString: 1,
	MultiLineString: 2,
	Polygon: 2,
	MultiPolygon: 3
};

function mapCoordinates(value: unknown, depth: number, fn: PointTransform, path: string): unknown {
	if (!Array.isArray(value)) throw new TypeError(`${path} is not an array`);
	if (depth === 0) {
		if (value.length < 2 || typeof value[0] !== 'number' || typeof value[1] !== 'number') {
			throw new TypeError(`${path} is not an [x, y] position: ${JSON.stringify(value)}`);
		}
		const [x, y] = fn([value[0], value[1]]);
		// Keep z (and m) untouched: only the horizontal position changes.
		return [x, y, ...value.slice(2)];
	}
	return value.map((item, index) => mapCoordinates(item, depth - 1, fn, `${path}[${index}]`));
}

/**
 * A new geometry with `fn` applied to every position (z/m ordinates are kept). The input is
 * not modified.
 * @param geometry Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon
 * @param fn position transform, e.g. `toWgs84('EPSG:4528')`
 * @throws TypeError for another geometry type or a malformed position (message names the path,
 *   e.g. `coordinates[0][3]`)
 * @example transformGeometry({ type: 'Point', coordinates: [121.5, 31.2] }, toWgs84('GCJ-02'))
 */
export function transformGeometry<G extends { type: string; coordinates: unknown }>(
	geometry: G,
	fn: PointTransform
): G {
	const depth = COORDINATE_DEPTH[geometry.type as Geometry['type']];
	if (depth === undefined || !Object.hasOwn(COORDINATE_DEPTH, geometry.type)) {
		throw new TypeError(
			`cannot transform geometry type "${geometry.type}" (expected one of ${Object.keys(COORDINATE_DEPTH).join(', ')})`
		);
	}
	// A bbox (shpjs adds one) would be stale after the transform: drop it.
	const copy: G & { bbox?: unknown } = {
		...geometry,
		coordinates: mapCoordinates(geometry.coordinates, depth, fn, 'coordinates')
	};
	delete copy.bbox;
	return copy;
}
