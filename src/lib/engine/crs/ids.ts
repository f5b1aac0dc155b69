/**
 * The coordinate systems Chinese planning input arrives in, as one string union `CrsId`, and
 * the proj4 definitions of the projected ones. Definitions are written out here (no EPSG
 * registry, no network): the set is small and every parameter is checked by a test.
 *
 * - geographic: WGS84 (EPSG:4326) and CGCS2000 (EPSG:4490, treated as WGS84: they differ by
 *   centimetres), and the obfuscated web-map systems GCJ-02 (Amap, Tencent, Apple China) and
 *   BD-09 (Baidu);
 * - CGCS2000 3° Gauss–Krüger: EPSG:4513–4533 (zones 25–45, false easting carries the zone
 *   number, e.g. 40 500 000 m) and EPSG:4534–4554 (central meridian 75°E–135°E, false easting
 *   500 000 m);
 * - WGS84 UTM 49N–51N (EPSG:32649–32651), China's east coast.
 */
/** EPSG codes of CGCS2000 3° GK zones 25–45 with the zone number in the false easting. */
// prettier-ignore
export type Gk3PrefixedEpsg =
	| 4513 | 4514 | 4515 | 4516 | 4517 | 4518 | 4519 | 4520 | 4521 | 4522 | 4523
	| 4524 | 4525 | 4526 | 4527 | 4528 | 4529 | 4530 | 4531 | 4532 | 4533;
/** EPSG codes of CGCS2000 3° GK central meridians 75°E–135°E, false easting 500 000 m. */
// prettier-ignore
export type Gk3CentralMeridianEpsg =
	| 4534 | 4535 | 4536 | 4537 | 4538 | 4539 | 4540 | 4541 | 4542 | 4543 | 4544
	| 4545 | 4546 | 4547 | 4548 | 4549 | 4550 | 4551 | 4552 | 4553 | 4554;
/** EPSG codes of WGS84 UTM zones 49N–51N. */
export type UtmEpsg = 32649 | 32650 | 32651;
export type ProjectedEpsg = Gk3PrefixedEpsg | Gk3CentralMeridianEpsg | UtmEpsg;

export type GeographicCrsId = 'EPSG:4326' | 'EPSG:4490' | 'GCJ-02' | 'BD-09';
export type ProjectedCrsId = `EPSG:${ProjectedEpsg}`;
/** Every coordinate system the importers understand. */
export type CrsId = GeographicCrsId | ProjectedCrsId;

/** First zone number (25, central meridian 75°E) and the EPSG code ranges. */
const GK3_FIRST_ZONE = 25;
const GK3_LAST_ZONE = 45;
const GK3_PREFIXED_FIRST_EPSG = 4513;
const GK3_CM_FIRST_EPSG = 4534;
const UTM_FIRST_ZONE = 49;
const UTM_LAST_ZONE = 51;

/** Parameters of a transverse Mercator CRS, in the units proj4 takes (degrees, metres). */
export interface TransverseMercatorParams {
	centralMeridianDeg: number;
	falseEastingM: number;
	scaleFactor: number;
	ellipsoid: 'GRS80' | 'WGS84';
}

/** The 3° GK zone number whose central meridian is `centralMeridianDeg` (zone = CM / 3). */
function gk3ZoneOfMeridian(centralMeridianDeg: number): number {
	return centralMeridianDeg / 3;
}

/**
 * CRS id of a CGCS2000 3° GK zone.
 * @param zone 3° zone number 25–45 (central meridian = 3 × zone degrees east)
 * @param withZonePrefix true: false easting zone×1e6 + 500 000 m (EPSG:4513–4533);
 *   false: 500 000 m (EPSG:4534–4554)
 * @returns the id, or null when the zone is outside 25–45
 * @example gk3Crs(40, true) // 'EPSG:4528' (Qingdao, CM 120°E)
 */
export function gk3Crs(zone: number, withZonePrefix: boolean): ProjectedCrsId | null {
	if (!Number.isInteger(zone) || zone < GK3_FIRST_ZONE || zone > GK3_LAST_ZONE) return null;
	const first = withZonePrefix ? GK3_PREFIXED_FIRST_EPSG : GK3_CM_FIRST_EPSG;
	return `EPSG:${first + zone - GK3_FIRST_ZONE}` as ProjectedCrsId;
}

/**
 * CRS id of a WGS84 UTM north zone this project supports (49N–51N), else null.
 * @example utmCrs(50) // 'EPSG:32650'
 */
export function utmCrs(zone: number): ProjectedCrsId | null {
	if (!Number.isInteger(zone) || zone < UTM_FIRST_ZONE || zone > UTM_LAST_ZONE) return null;
	return `EPSG:${32600 + zone}` as ProjectedCrsId;
}

/** All projected ids, GK with prefix, GK by central meridian, then UTM. */
export const PROJECTED_CRS_IDS: readonly ProjectedCrsId[] = (() => {
	const ids: ProjectedCrsId[] = [];
	for (const prefixed of [true, false]) {
		for (let zone = GK3_FIRST_ZONE; zone <= GK3_LAST_ZONE; zone++)
			ids.push(gk3Crs(zone, prefixed)!);
	}
	for (let zone = UTM_FIRST_ZONE; zone <= UTM_LAST_ZONE; zone++) ids.push(utmCrs(zone)!);
	return ids;
})();

export const GEOGRAPHIC_CRS_IDS: readonly GeographicCrsId[] = [
	'EPSG:4326',
	'EPSG:4490',
	'GCJ-02',
	'BD-09'
];

/** True for the lon/lat systems (WGS84, CGCS2000, GCJ-02, BD-09). */
export function isGeographicCrs(crs: CrsId): crs is GeographicCrsId {
	return (GEOGRAPHIC_CRS_IDS as readonly string[]).includes(crs);
}

/** The EPSG number of a projected id, or null for the geographic ones that have none. */
function epsgNumber(crs: CrsId): number | null {
	const match = /^EPSG:(\d+)$/.exec(crs);
	return match ? Number(match[1]) : null;
}

/**
 * Transverse Mercator parameters of a projected id (null for geographic ids).
 * @example transverseMercatorParams('EPSG:4528')
 *   // { centralMeridianDeg: 120, falseEastingM: 40_500_000, scaleFactor: 1, ellipsoid: 'GRS80' }
 */
export function transverseMercatorParams(crs: CrsId): TransverseMercatorParams | null {
	const code = epsgNumber(crs);
	if (code === null) return null;
	if (code >= GK3_PREFIXED_FIRST_EPSG && code < GK3_CM_FIRST_EPSG) {
		const zone = GK3_FIRST_ZONE + code - GK3_PREFIXED_FIRST_EPSG;
		return {
			centralMeridianDeg: zone * 3,
			falseEastingM: zone * 1e6 + 500_000,
			scaleFactor: 1,
			ellipsoid: 'GRS80'
		};
	}
	if (code >= GK3_CM_FIRST_EPSG && code <= GK3_CM_FIRST_EPSG + GK3_LAST_ZONE - GK3_FIRST_ZONE) {
		const zone = GK3_FIRST_ZONE + code - GK3_CM_FIRST_EPSG;
		return {
			centralMeridianDeg: zone * 3,
			falseEastingM: 500_000,
			scaleFactor: 1,
			ellipsoid: 'GRS80'
		};
	}
	if (code >= 32600 + UTM_FIRST_ZONE && code <= 32600 + UTM_LAST_ZONE) {
		const zone = code - 32600;
		return {
			centralMeridianDeg: zone * 6 - 183,
			falseEastingM: 500_000,
			scaleFactor: 0.9996,
			ellipsoid: 'WGS84'
		};
	}
	return null;
}

/**
 * proj4 definition string of a projected id (null for geographic ids).
 * @example proj4Definition('EPSG:4549')
 *   // '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs'
 */
export function proj4Definition(crs: CrsId): string | null {
	const params = transverseMercatorParams(crs);
	if (!params) return null;
	if (params.ellipsoid === 'WGS84') {
		return `+proj=utm +zone=${(params.centralMeridianDeg + 183) / 6} +datum=WGS84 +units=m +no_defs`;
	}
	return (
		`+proj=tmerc +lat_0=0 +lon_0=${params.centralMeridianDeg} +k=1 +x_0=${params.falseEastingM}` +
		' +y_0=0 +ellps=GRS80 +units=m +no_defs'
	);
}

/**
 * The id of a transverse Mercator CRS given by its parameters, if it is one we support.
 * Tolerances absorb the float noise of .prj files (e.g. 0.9996000000000001).
 */
export function crsFromTransverseMercator(params: {
	centralMeridianDeg: number;
	falseEastingM: number;
	falseNorthingM: number;
	scaleFactor: number;
	latitudeOfOriginDeg: number;
}): ProjectedCrsId | null {
	const near = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;
	if (!near(params.falseNorthingM, 0, 1e-6) || !near(params.latitudeOfOriginDeg, 0, 1e-9))
		return null;
	const zoneOfCm = gk3ZoneOfMeridian(params.centralMeridianDeg);
	if (near(params.scaleFactor, 1, 1e-9) && near(zoneOfCm, Math.round(zoneOfCm), 1e-9)) {
		const zone = Math.round(zoneOfCm);
		if (near(params.falseEastingM, 500_000, 1e-3)) return gk3Crs(zone, false);
		if (near(params.falseEastingM, zone * 1e6 + 500_000, 1e-3)) return gk3Crs(zone, true);
		return null;
	}
	if (near(params.scaleFactor, 0.9996, 1e-9) && near(params.falseEastingM, 500_000, 1e-3)) {
		const zone = (params.centralMeridianDeg + 183) / 6;
		return near(zone, Math.round(zone), 1e-9) ? utmCrs(Math.round(zone)) : null;
	}
	return null;
}

/**
 * Short human label of a CRS id, for messages.
 * @example crsLabel('EPSG:4528') // 'EPSG:4528 (CGCS2000 3° GK zone 40, CM 120°E, FE 40500000 m)'
 */
export function crsLabel(crs: CrsId): string {
	switch (crs) {
		case 'EPSG:4326':
			return 'EPSG:4326 (WGS84 lon/lat)';
		case 'EPSG:4490':
			return 'EPSG:4490 (CGCS2000 lon/lat)';
		case 'GCJ-02':
			return 'GCJ-02 (Amap/Tencent lon/lat)';
		case 'BD-09':
			return 'BD-09 (Baidu lon/lat)';
	}
	const params = transverseMercatorParams(crs)!;
	if (params.ellipsoid === 'WGS84') {
		return `${crs} (WGS84 UTM zone ${(params.centralMeridianDeg + 183) / 6}N)`;
	}
	return (
		`${crs} (CGCS2000 3° GK zone ${params.centralMeridianDeg / 3}, CM ${params.centralMeridianDeg}°E,` +
		` FE ${params.falseEastingM} m)`
	);
}

/** The id of an EPSG code we support (4326, 4490, 4513–4554, 32649–32651), else null. */
export function fromEpsgNumber(code: number): CrsId | null {
	if (code === 4326) return 'EPSG:4326';
	if (code === 4490) return 'EPSG:4490';
	const candidate = `EPSG:${code}` as ProjectedCrsId;
	return transverseMercatorParams(candidate) ? candidate : null;
}
