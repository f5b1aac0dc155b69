import { describe, expect, it } from 'vitest';
import {
	crsLabel,
	parseCrs,
	proj4Definition,
	PROJECTED_CRS_IDS,
	transverseMercatorParams
} from '../../../src/lib/engine/crs/index.ts';

/** .prj files as ArcGIS writes them (ESRI WKT1, no authority). */
const ESRI_GK_ZONE_40 =
	'PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_GK_CM_120 =
	'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_UTM_50N =
	'PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_WGS84 =
	'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const ESRI_CGCS2000 =
	'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
/** Same parameters as zone 40, but the Xi'an 1980 datum (IAG 1975 ellipsoid): ~100 m away. */
const ESRI_XIAN80_ZONE_40 =
	'PROJCS["Xian_1980_3_Degree_GK_Zone_40",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_BEIJING54_ZONE_40 = ESRI_XIAN80_ZONE_40.replace('Xian_1980', 'Beijing_1954').replace(
	'6378140.0,298.257',
	'6378245.0,298.3'
);
/** OGC WKT1 with an authority (GDAL/QGIS style). */
const OGC_4549 =
	'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","4549"]]';
/** WKT2 (PROJ 6+ style) of EPSG:4528, with the ID removed so the parameters must decide. */
const WKT2_4528_NO_ID = `PROJCRS["CGCS2000 / 3-degree Gauss-Kruger zone 40",
    BASEGEOGCRS["China Geodetic Coordinate System 2000",
        DATUM["China 2000",
            ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],
        PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],
    CONVERSION["3-degree Gauss-Kruger zone 40",
        METHOD["Transverse Mercator",ID["EPSG",9807]],
        PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],
        PARAMETER["Longitude of natural origin",120,ANGLEUNIT["degree",0.0174532925199433]],
        PARAMETER["Scale factor at natural origin",1,SCALEUNIT["unity",1]],
        PARAMETER["False easting",40500000,LENGTHUNIT["metre",1]],
        PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],
    CS[Cartesian,2],
        AXIS["northing (X)",north,ORDER[1],LENGTHUNIT["metre",1]],
        AXIS["easting (Y)",east,ORDER[2],LENGTHUNIT["metre",1]]]`;

describe('parseCrs', () => {
	it.each([
		['EPSG:4549', 'EPSG:4549'],
		['4549', 'EPSG:4549'],
		[' epsg:4528 ', 'EPSG:4528'],
		['urn:ogc:def:crs:EPSG::4549', 'EPSG:4549'],
		['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
		['EPSG:4326', 'EPSG:4326'],
		['4490', 'EPSG:4490'],
		['EPSG:32651', 'EPSG:32651'],
		['wgs84', 'EPSG:4326'],
		['WGS 84', 'EPSG:4326'],
		['CGCS2000', 'EPSG:4490'],
		['gcj02', 'GCJ-02'],
		['GCJ-02', 'GCJ-02'],
		['bd09', 'BD-09'],
		['BD-09', 'BD-09'],
		['baidu', 'BD-09'],
		['cgcs2000-gk3-40', 'EPSG:4528'],
		['cgcs2000-gk3-25', 'EPSG:4513'],
		['cgcs2000-gk3-45', 'EPSG:4533'],
		['cgcs2000-gk3-cm120', 'EPSG:4549'],
		['utm50n', 'EPSG:32650']
	])('%s → %s', (text, expected) => {
		expect(parseCrs(text)).toBe(expected);
	});

	it.each([
		['EPSG:3857', 'web mercator is not supported'],
		['EPSG:4512', 'a 6° GK zone'],
		['EPSG:32652', 'UTM outside 49N–51N'],
		['cgcs2000-gk3-46', 'zone 46 does not exist'],
		['cgcs2000-gk3-cm121', 'not a 3° meridian'],
		['constructor', 'an Object prototype key'],
		['', 'empty'],
		['bd09mc', 'Baidu Mercator metres']
	])('%s → null (%s)', (text) => {
		expect(parseCrs(text)).toBeNull();
	});
});

describe('parseCrs with .prj WKT', () => {
	it.each([
		['ESRI CGCS2000 GK zone 40', ESRI_GK_ZONE_40, 'EPSG:4528'],
		['ESRI CGCS2000 GK CM 120E', ESRI_GK_CM_120, 'EPSG:4549'],
		['ESRI WGS84 UTM 50N', ESRI_UTM_50N, 'EPSG:32650'],
		['ESRI GCS WGS84', ESRI_WGS84, 'EPSG:4326'],
		['ESRI GCS CGCS2000', ESRI_CGCS2000, 'EPSG:4490'],
		['OGC WKT1 with AUTHORITY 4549', OGC_4549, 'EPSG:4549'],
		[
			'OGC WKT1, authority removed: by parameters',
			OGC_4549.replace(',AUTHORITY["EPSG","4549"]]', ']'),
			'EPSG:4549'
		],
		['WKT2 without ID: by parameters', WKT2_4528_NO_ID, 'EPSG:4528']
	])('%s', (_name, wkt, expected) => {
		expect(parseCrs(wkt)).toBe(expected);
	});

	it('parameters win over the name (a renamed zone-40 file is still zone 40)', () => {
		expect(parseCrs(ESRI_GK_ZONE_40.replace('Zone_40', 'Zone_39'))).toBe('EPSG:4528');
	});

	it('the name decides when the parameters are missing', () => {
		const nameOnly =
			'PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]]],UNIT["Meter",1.0]]';
		expect(parseCrs(nameOnly)).toBe('EPSG:4527');
	});

	it.each([
		["Xi'an 1980 GK zone 40 (other ellipsoid)", ESRI_XIAN80_ZONE_40],
		['Beijing 1954 GK zone 40 (Krassowsky ellipsoid)', ESRI_BEIJING54_ZONE_40],
		[
			'zone 40 in feet',
			ESRI_GK_ZONE_40.replace('UNIT["Meter",1.0]]', 'UNIT["Foot_US",0.3048006096012192]]')
		],
		[
			'zone 40 with a false northing',
			ESRI_GK_ZONE_40.replace('"False_Northing",0.0', '"False_Northing",100.0')
		],
		[
			'zone 40 prefix with the wrong zone number in the easting',
			ESRI_GK_ZONE_40.replace('40500000.0', '39500000.0')
		],
		['Lambert conformal conic', ESRI_GK_ZONE_40.replace('Gauss_Kruger', 'Lambert_Conformal_Conic')],
		['unclosed bracket', ESRI_GK_ZONE_40.slice(0, -1)],
		['garbage with a bracket', 'hello [world']
	])('%s → null', (_name, wkt) => {
		expect(parseCrs(wkt)).toBeNull();
	});
});

describe('projected CRS table', () => {
	it('has 21 + 21 GK zones and 3 UTM zones with the right parameters', () => {
		expect(PROJECTED_CRS_IDS).toHaveLength(45);
		expect(transverseMercatorParams('EPSG:4528')).toEqual({
			centralMeridianDeg: 120,
			falseEastingM: 40_500_000,
			scaleFactor: 1,
			ellipsoid: 'GRS80'
		});
		expect(transverseMercatorParams('EPSG:4533')?.centralMeridianDeg).toBe(135);
		expect(transverseMercatorParams('EPSG:4534')).toEqual({
			centralMeridianDeg: 75,
			falseEastingM: 500_000,
			scaleFactor: 1,
			ellipsoid: 'GRS80'
		});
		expect(transverseMercatorParams('EPSG:32649')?.centralMeridianDeg).toBe(111);
		expect(transverseMercatorParams('EPSG:32651')?.centralMeridianDeg).toBe(123);
		expect(transverseMercatorParams('GCJ-02')).toBeNull();
		expect(proj4Definition('EPSG:4549')).toBe(
			'+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs'
		);
		expect(proj4Definition('EPSG:4528')).toBe(
			'+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m +no_defs'
		);
	});

	it('every id survives parseCrs of its own code, and its label names it', () => {
		for (const crs of PROJECTED_CRS_IDS) {
			expect(parseCrs(crs)).toBe(crs);
			expect(crsLabel(crs).startsWith(crs)).toBe(true);
		}
		expect(crsLabel('EPSG:4528')).toBe(
			'EPSG:4528 (CGCS2000 3° GK zone 40, CM 120°E, FE 40500000 m)'
		);
	});
});
