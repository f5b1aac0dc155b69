/**
 * Coordinate systems of Chinese input (WGS84, CGCS2000, GCJ-02, BD-09, CGCS2000 3° GK zones,
 * UTM 49N–51N): parse what a file or user says, detect from numbers, convert to WGS84.
 */
export type {
	CrsId,
	GeographicCrsId,
	ProjectedCrsId,
	ProjectedEpsg,
	TransverseMercatorParams
} from './ids.ts';
export {
	crsLabel,
	GEOGRAPHIC_CRS_IDS,
	gk3Crs,
	isGeographicCrs,
	PROJECTED_CRS_IDS,
	proj4Definition,
	transverseMercatorParams,
	utmCrs
} from './ids.ts';
export { parseCrs } from './parse.ts';
export { parseWktCrs } from './wkt.ts';
export type { Geometry, PointTransform, Position, XY } from './transform.ts';
export { fromWgs84, toWgs84, transformGeometry } from './transform.ts';
export type { CrsConfidence, CrsDetection, DetectCrsOptions } from './detect.ts';
export { detectCrs } from './detect.ts';
