/**
 * `parseCrs`: what users and files write for a coordinate system → a `CrsId`.
 */
import { fromEpsgNumber, gk3Crs, utmCrs } from './ids.ts';
import type { CrsId, GeographicCrsId } from './ids.ts';
import { parseWktCrs } from './wkt.ts';

/** Names people write for the geographic systems, normalised (lower case, no space/-/_). */
const GEOGRAPHIC_ALIASES: Record<string, GeographicCrsId> = {
	wgs84: 'EPSG:4326',
	wgs1984: 'EPSG:4326',
	crs84: 'EPSG:4326',
	cgcs2000: 'EPSG:4490',
	gcj02: 'GCJ-02',
	gcj: 'GCJ-02',
	amap: 'GCJ-02',
	gaode: 'GCJ-02',
	tencent: 'GCJ-02',
	bd09: 'BD-09',
	bd09ll: 'BD-09',
	baidu: 'BD-09'
};

/**
 * Reads a CRS from what a user or a file says: an EPSG code (`'EPSG:4549'`, `'4549'`,
 * `'urn:ogc:def:crs:EPSG::4549'`), a name (`'wgs84'`, `'CGCS2000'`, `'gcj02'`, `'GCJ-02'`,
 * `'bd09'`, `'baidu'`), a zone shorthand (`'cgcs2000-gk3-40'` = zone 40 with prefix,
 * `'cgcs2000-gk3-cm120'` = CM 120°E without, `'utm50n'`), or a .prj WKT (WKT1/ESRI or WKT2),
 * recognised by its authority code, else its parameters (central meridian, false easting,
 * scale, ellipsoid), else its name.
 * @param text the CRS as written; surrounding space and case do not matter
 * @returns the id, or null when the text names no CRS we support (e.g. Xi'an 1980 or Beijing
 *   1954 GK zones, whose ellipsoids differ from GRS80 by ~100 m in position)
 * @example parseCrs('EPSG:4549') // 'EPSG:4549'
 * @example parseCrs('cgcs2000-gk3-40') // 'EPSG:4528'
 */
export function parseCrs(text: string): CrsId | null {
	const trimmed = text.trim();
	if (trimmed === '') return null;
	if (trimmed.includes('[')) return parseWktCrs(trimmed);
	const epsg = /^(?:(?:urn:ogc:def:crs:)?epsg\s*[:\s]\s*(?:[\d.]*:)?)?(\d{4,5})$/i.exec(trimmed);
	if (epsg) return fromEpsgNumber(Number(epsg[1]));
	if (/^urn:ogc:def:crs:ogc:(?:1\.3:)?crs84$/i.test(trimmed)) return 'EPSG:4326';
	const key = trimmed.toLowerCase().replace(/[\s_-]/g, '');
	if (Object.hasOwn(GEOGRAPHIC_ALIASES, key)) return GEOGRAPHIC_ALIASES[key];
	const gk = /^cgcs2000gk3(cm)?(\d+)(?:e)?$/.exec(key);
	if (gk) {
		const number = Number(gk[2]);
		return gk[1] ? (number % 3 === 0 ? gk3Crs(number / 3, false) : null) : gk3Crs(number, true);
	}
	const utm = /^(?:wgs84)?utm(?:zone)?(\d+)n$/.exec(key);
	if (utm) return utmCrs(Number(utm[1]));
	return null;
}
