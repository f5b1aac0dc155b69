import { readFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../src/lib/engine/import/csv.ts';
import { readGeoJson } from '../../../src/lib/engine/import/geojson.ts';
import {
	mapLayer,
	parseNumber,
	sampleCoordinates
} from '../../../src/lib/engine/import/map-layer.ts';
import type { RawRecord, RawTable } from '../../../src/lib/engine/import/raw.ts';
import { ImportError, formatIssue } from '../../../src/lib/engine/import/report.ts';
import { layerFeatureSchemas } from '../../../src/lib/engine/region/schema.ts';

const sharedData = path.join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const fixtures = path.join(import.meta.dirname, 'fixtures');
const utf8 = (text: string) => new TextEncoder().encode(text);
const csv = (text: string, file = 't.csv') => readCsv(utf8(text), file);

function catchImportError(run: () => unknown): ImportError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('expected an ImportError, nothing was thrown');
}

/** A GeoJSON-like table built in code (feature rows, geometry in WGS84). */
function featureTable(
	records: { properties: Record<string, unknown>; geometry: RawRecord['geometry'] }[],
	file = 'f.geojson'
): RawTable {
	const fields = [...new Set(records.flatMap((r) => Object.keys(r.properties)))];
	return {
		file,
		rowKind: 'feature',
		fields,
		records: records.map((r, row) => ({ row, ...r })),
		declaredCrs: null,
		issues: []
	};
}

const square = (x: number, y: number, size = 0.01) => [
	[x, y],
	[x + size, y],
	[x + size, y + size],
	[x, y + size],
	[x, y]
];

/** Twice the absolute area of a ring (shoelace), degrees². */
const ringArea = (ring: number[][]) =>
	Math.abs(ring.slice(1).reduce((sum, p, i) => sum + ring[i][0] * p[1] - p[0] * ring[i][1], 0)) / 2;

describe('mapLayer on real data', () => {
	it('Shanghai OSM residential landuse: 34 named features imported, the 15 unnamed ones rejected for having no name', () => {
		const file = 'shanghai_bund_lujiazui_osm_residential_landuse.geojson';
		const raw = readGeoJson(readFileSync(path.join(sharedData, 'residential', file), 'utf8'), file);
		expect(raw.records).toHaveLength(49);
		const mapped = mapLayer(raw, 'residential', { columnMap: { name: 'name' } });

		expect(mapped.features).toHaveLength(34);
		const rejected = mapped.issues.filter((i) => i.action === 'rejected');
		expect(rejected).toHaveLength(15);
		expect(new Set(rejected.map((i) => i.reason))).toEqual(
			new Set(['no name: a record needs a name; row skipped'])
		);
		// Cross-check: exactly the features without a name property are the rejected ones.
		const unnamed = raw.records
			.filter((r) => typeof r.properties.name !== 'string' || r.properties.name === '')
			.map((r) => r.row);
		expect(rejected.map((i) => i.row)).toEqual(unnamed);
		expect(mapped.features.length + rejected.length).toBe(raw.records.length);

		// Tile-split OSM ways share their OSM id: later pieces are renamed, all ids unique.
		const ids = mapped.features.map((f) => f.properties.id);
		expect(new Set(ids).size).toBe(34);
		expect(mapped.issues.filter((i) => i.reason.startsWith('duplicate id')).length).toBe(
			34 - new Set(raw.records.filter((r) => r.properties.name).map((r) => r.properties.id)).size
		);
		expect(mapped.features.map((f) => f.properties.name)).toContain('崂山五村');
		expect(
			mapped.features.every(
				(f) => f.properties.source === file && f.properties.status === 'existing'
			)
		).toBe(true);
		expect(mapped.issues.filter((i) => i.action === 'warning').map((i) => i.reason)).toEqual([
			expect.stringMatching(/^34 features have no status; assumed "existing" \(既有\)/)
		]);
		expect(mapped.columnMap).toEqual({ name: 'name', id: 'id' });
		for (const f of mapped.features)
			expect(layerFeatureSchemas.residential.safeParse(f).success).toBe(true);
	});

	it('Shanghai facilities CSV: with src_lon/src_lat and a GCJ-02 → WGS84 transform, 1 feature and 4 rows rejected for no coordinates', () => {
		const file = 'shanghai_bund_lujiazui_elderly_facilities_all.csv';
		const raw = readCsv(
			new Uint8Array(readFileSync(path.join(sharedData, 'facilities', file))),
			file
		);
		expect(raw.records).toHaveLength(5);
		const calls: [number, number][] = [];
		const mapped = mapLayer(raw, 'facilities', {
			columnMap: { lon: 'src_lon', lat: 'src_lat' },
			toWgs84: (xy) => {
				calls.push(xy);
				return gcoord.transform(xy, gcoord.GCJ02, gcoord.WGS84) as [number, number];
			}
		});
		expect(mapped.features).toHaveLength(1);
		const rejected = mapped.issues.filter((i) => i.action === 'rejected');
		expect(rejected.map((i) => i.row)).toEqual([2, 3, 4, 5]);
		expect(rejected.map(formatIssue)).toContain(
			`${file}: row 2, field "src_lon/src_lat" = null: rejected: no coordinates: "src_lon" and "src_lat" are empty; row skipped`
		);

		const [facility] = mapped.features;
		expect(facility.properties).toMatchObject({
			name: '陆家嘴街道综合为老服务中心助餐点',
			kind: 'meal_point',
			status: 'existing',
			id: 'facilities-6'
		});
		expect(facility.properties.source).toMatch(/^public GitHub file/); // the source_url column, not the file name
		expect(mapped.coordinateSample).toEqual([[121.516678, 31.2369]]); // before the transform
		expect(calls).toEqual([[121.516678, 31.2369]]);
		// PROVENANCE: shifted to WGS84 by about (-0.00446, +0.00195), the point lies in OSM 崂山五村.
		const [lon, lat] = facility.geometry.coordinates;
		expect(lon - 121.516678).toBeCloseTo(-0.00446, 3);
		expect(lat - 31.2369).toBeCloseTo(0.00195, 3);
		const landuse = JSON.parse(
			readFileSync(
				path.join(
					sharedData,
					'residential',
					'shanghai_bund_lujiazui_osm_residential_landuse.geojson'
				),
				'utf8'
			)
		);
		const containing = landuse.features.filter(
			(f: { geometry: { type: string } }) =>
				f.geometry.type !== 'Point' && booleanPointInPolygon([lon, lat], f as never)
		);
		expect(containing.map((f: { properties: { name?: string } }) => f.properties.name)).toContain(
			'崂山五村'
		);
		expect(mapped.streetNames).toEqual({ 'facilities-6': '陆家嘴街道' });
	});

	it('Laoshan OSM boundaries: levels from admin_level, 1 district and 5 streets', () => {
		const file = 'laoshan_admin_osm.geojson';
		const mapped = mapLayer(
			readGeoJson(readFileSync(path.join(sharedData, 'boundaries', file), 'utf8'), file),
			'boundaries'
		);
		expect(
			mapped.features.map((f) => [f.properties.name, f.properties.level, f.properties.code])
		).toEqual([
			['崂山区', 'district', '370212'],
			['金家岭街道', 'street', null],
			['中韩街道', 'street', null],
			['王哥庄街道', 'street', null],
			['北宅街道', 'street', null],
			['沙子口街道', 'street', null]
		]);
		expect(mapped.columnMap).toMatchObject({
			level: 'admin_level',
			code: 'division_code',
			name: 'name'
		});
	});
});

describe('mapLayer on the committed table fixtures', () => {
	it('coerces the numbers Chinese spreadsheets write, the same from the UTF-8 and the GBK export', () => {
		for (const name of ['laoshan-compounds-utf8-bom.csv', 'laoshan-compounds-gbk.csv']) {
			const mapped = mapLayer(
				readCsv(new Uint8Array(readFileSync(path.join(fixtures, name))), name),
				'residential'
			);
			expect(
				mapped.features.map((f) => [
					f.properties.id,
					f.properties.name,
					f.properties.households,
					f.properties.elders,
					f.properties.status,
					f.properties.builtYear,
					f.properties.streetCode
				])
			).toEqual([
				['LS-001', '金岭花园', 1200, 310, 'existing', 2005, '370212005'],
				['LS-002', '海尔路小区', 800, null, 'existing', 1998, '370212001'],
				['LS-003', '沙子口新苑', 450, null, 'new', null, '370212002'],
				['LS-004', '王哥庄一村', 1200, null, 'existing', 2001, '370212003']
			]);
			expect(mapped.columnMap).toMatchObject({
				households: '户数（户）',
				elders: '60岁以上人口（人）',
				streetName: '所属街道',
				lon: '经度',
				lat: '纬度'
			});
			expect(mapped.unmappedColumns).toEqual([]);
			expect(mapped.streetNames['LS-001']).toBe('金家岭街道');
			expect(mapped.issues.filter((i) => i.action === 'rejected')).toEqual([]);
			expect(mapped.issues.at(-1)!.reason).toBe(
				'1 rows have no status; assumed "existing" (既有) for rows 6 — add a 状态/类型 column or give a default status'
			);
		}
	});

	it('parses numbers: separators, units, full width, empty tokens', () => {
		const count = (v: unknown) => parseNumber(v, true, 'a count');
		expect(
			['1,200', '1200户', ' 1200 ', '１２００', '1200.0', 1200, '1，200'].map((v) => count(v).value)
		).toEqual(Array(7).fill(1200));
		expect(['', '-', '—', '无', '/', null, undefined].map((v) => count(v))).toEqual(
			Array(7).fill({ value: null })
		);
		expect(count('12abc')).toEqual({
			value: null,
			problem: 'not a number: expected a count; left empty'
		});
		expect(count('-5')).toEqual({
			value: null,
			problem: 'negative: expected a count, 0 or more; left empty'
		});
		expect(count('12.5')).toEqual({
			value: null,
			problem: 'not a whole number: expected a count; left empty'
		});
		expect(parseNumber('1800㎡', false, 'an area').value).toBe(1800);
		expect(parseNumber('12.5', false, 'an area').value).toBe(12.5);
	});
});

describe('mapLayer: one test per bad input', () => {
	it('missing name column → MISSING_COLUMN listing the aliases and the columns found', () => {
		const error = catchImportError(() =>
			mapLayer(
				csv('小区名,户数,经度,纬度\n金岭花园,1200,120.46,36.10\n', 'noname.csv'),
				'residential'
			)
		);
		expect(error.code).toBe('MISSING_COLUMN');
		expect(error.message).toBe(
			'noname.csv: no column for "小区名称/name" (expected one of: 小区名称, 名称, 小区, name); found columns: 小区名, 户数, 经度, 纬度; map one with --map name=<column>'
		);
		// …and the suggested fix works.
		expect(
			mapLayer(csv('小区名,户数,经度,纬度\n金岭花园,1200,120.46,36.10\n'), 'residential', {
				columnMap: { name: '小区名' }
			}).features
		).toHaveLength(1);
	});

	it('missing lon/lat columns in a table → MISSING_COLUMN for both', () => {
		const error = catchImportError(() =>
			mapLayer(csv('小区名称,户数\n金岭花园,1200\n', 'nocoords.csv'), 'residential')
		);
		expect(error.message).toBe(
			'nocoords.csv: no column for "经度/lon" (expected one of: 经度, lng, lon, longitude, x); no column for "纬度/lat" (expected one of: 纬度, lat, latitude, y); found columns: 小区名称, 户数; map them with --map lon=<column> --map lat=<column>'
		);
	});

	it('non-numeric 户数 → households null, issue, row kept', () => {
		const mapped = mapLayer(
			csv('小区名称,户数（户）,经度,纬度\n金岭花园,约一千,120.46,36.10\n', 'nan.csv'),
			'residential'
		);
		expect(mapped.features[0].properties.households).toBeNull();
		expect(mapped.issues.map(formatIssue)[0]).toBe(
			'nan.csv: row 2, field "户数（户）" = "约一千": rejected: not a number: expected a whole number of households (户); left empty'
		);
	});

	it('negative 户数 → households null, issue, row kept', () => {
		const mapped = mapLayer(
			csv('小区名称,户数,经度,纬度\n金岭花园,-120,120.46,36.10\n', 'neg.csv'),
			'residential'
		);
		expect(mapped.features).toHaveLength(1);
		expect(mapped.features[0].properties.households).toBeNull();
		expect(formatIssue(mapped.issues[0])).toBe(
			'neg.csv: row 2, field "户数" = "-120": rejected: negative: expected a whole number of households (户), 0 or more; left empty'
		);
	});

	it('swapped lon/lat columns → swapped back, repaired', () => {
		const mapped = mapLayer(
			csv('小区名称,经度,纬度\n金岭花园,36.1083,120.4655\n', 'swap.csv'),
			'residential'
		);
		expect(mapped.features[0].geometry).toEqual({
			type: 'Point',
			coordinates: [120.4655, 36.1083]
		});
		expect(formatIssue(mapped.issues[0])).toBe(
			'swap.csv: row 2, field "经度/纬度" = [36.1083,120.4655]: repaired: longitude and latitude are swapped (36.1083 is a latitude and 120.4655 a longitude in China): swapped back'
		);
		expect(mapped.coordinateSample).toEqual([[120.4655, 36.1083]]);
	});

	it('unclosed ring → closed, repaired', () => {
		const open = square(120.4, 36.1).slice(0, 4);
		const mapped = mapLayer(
			featureTable(
				[{ properties: { name: '金岭花园' }, geometry: { type: 'Polygon', coordinates: [open] } }],
				'open.geojson'
			),
			'residential'
		);
		expect(mapped.features[0].geometry).toEqual({
			type: 'Polygon',
			coordinates: [square(120.4, 36.1)]
		});
		expect(formatIssue(mapped.issues[0])).toBe(
			'open.geojson: feature 0, field "geometry": repaired: Polygon outer ring was not closed: closed it by repeating the first point'
		);
	});

	it('self-intersecting polygon (bow-tie) → split into two triangles with the analytic area', () => {
		const bowtie = [
			[120, 36],
			[120.02, 36.02],
			[120.02, 36],
			[120, 36.02],
			[120, 36]
		];
		const mapped = mapLayer(
			featureTable(
				[
					{ properties: { name: '金岭花园' }, geometry: { type: 'Polygon', coordinates: [bowtie] } }
				],
				'kink.geojson'
			),
			'residential'
		);
		const geometry = mapped.features[0].geometry;
		expect(geometry.type).toBe('MultiPolygon');
		const parts = geometry.coordinates as number[][][][];
		expect(parts).toHaveLength(2);
		// Each triangle has base 0.02 and height 0.01: area 0.0001 deg².
		for (const part of parts) expect(ringArea(part[0])).toBeCloseTo(0.0001, 10);
		expect(formatIssue(mapped.issues[0])).toBe(
			'kink.geojson: feature 0, field "geometry": repaired: Polygon intersects itself (1 crossing(s), first at [120.01, 36.01]): split into 2 simple polygon(s)'
		);
	});

	it('duplicate id → the later one gets a suffix, repaired', () => {
		const mapped = mapLayer(
			csv(
				'编号,小区名称,经度,纬度\nLS-1,A,120.41,36.1\nLS-1,B,120.42,36.1\nLS-1-2,C,120.43,36.1\n',
				'dupid.csv'
			),
			'residential'
		);
		expect(mapped.features.map((f) => f.properties.id)).toEqual(['LS-1', 'LS-1-2', 'LS-1-2-2']);
		expect(mapped.issues.filter((i) => i.action === 'repaired').map(formatIssue)).toEqual([
			'dupid.csv: row 3, field "编号" = "LS-1": repaired: duplicate id (also used by row 2): renamed "LS-1-2"',
			'dupid.csv: row 4, field "编号" = "LS-1-2": repaired: duplicate id (also used by row 3): renamed "LS-1-2-2"'
		]);
	});

	it('unknown facility kind → row rejected with the allowed values', () => {
		const mapped = mapLayer(
			csv(
				'机构名称,设施类型,经度,纬度\n崂山敬老院,敬老院,120.46,36.10\n老年大学,老年大学,120.47,36.10\n',
				'kind.csv'
			),
			'facilities'
		);
		expect(mapped.features.map((f) => f.properties.kind)).toEqual(['institution']);
		expect(formatIssue(mapped.issues[0])).toBe(
			'kind.csv: row 3, field "设施类型" = "老年大学": rejected: unknown facility kind: expected one of street_center (街道综合养老服务中心、综合养老服务中心、街道(镇)综合养老服务中心、镇综合养老服务中心); community_station (社区养老服务站、养老服务站、社区养老服务中心); day_care (日间照料中心、日间照料、社区日间照料中心); institution (养老院、敬老院、养老机构、护理院、福利院、养护院、老年公寓); meal_point (助餐点、长者食堂、老年食堂、老年助餐点); rural_station (农村幸福院、村级养老服务站、幸福院、农村幸福院(村级养老服务站)); row skipped'
		);
	});

	it('blank lines → counted in one warning that mapLayer passes on', () => {
		const mapped = mapLayer(
			csv('小区名称,经度,纬度\n\nA,120.41,36.1\n\n\nB,120.42,36.1\n', 'blank.csv'),
			'residential',
			{ defaults: { status: '既有' } }
		);
		expect(mapped.features).toHaveLength(2);
		expect(mapped.issues.map(formatIssue)).toEqual([
			'blank.csv: row 2: warning: 3 blank row(s) skipped: rows 2, 4, 5'
		]);
	});

	it('all rows invalid → NO_USABLE_ROWS with every issue attached', () => {
		const error = catchImportError(() =>
			mapLayer(csv('小区名称,经度,纬度\n,120.41,36.1\nB,,\n', 'bad.csv'), 'residential')
		);
		expect(error.code).toBe('NO_USABLE_ROWS');
		expect(error.message).toBe(
			'bad.csv: no usable rows: all 2 rows were rejected (bad.csv: row 2, field "小区名称" = "": rejected: no name: a record needs a name; row skipped | bad.csv: row 3, field "经度/纬度" = null: rejected: no coordinates: "经度" and "纬度" are empty; row skipped)'
		);
		expect(error.issues.map((i) => i.row)).toEqual([2, 3]);
		const headerOnly = catchImportError(() =>
			mapLayer(csv('小区名称,经度,纬度\n', 'header-only.csv'), 'residential')
		);
		expect(headerOnly.message).toBe('header-only.csv: no usable rows: the file has no data rows');
	});

	it('projected coordinates without a transform → rejected with a --crs hint; sampleCoordinates still gives the numbers', () => {
		const raw = csv('小区名称,x,y\nA,522000.5,3996000.25\n', 'cgcs.csv');
		const error = catchImportError(() => mapLayer(raw, 'residential'));
		expect(error.code).toBe('NO_USABLE_ROWS');
		expect(formatIssue(error.issues[0])).toMatch(
			/^cgcs\.csv: row 2, field "geometry" = \[522000\.5,3996000\.25\]: rejected: coordinates are not WGS84 longitude\/latitude: give the file's coordinate system \(--crs/
		);
		expect(sampleCoordinates(raw, 'residential')).toEqual([[522000.5, 3996000.25]]);
		// With a transform passed in, the same row imports.
		const mapped = mapLayer(raw, 'residential', {
			toWgs84: ([x, y]) => [120 + (x - 500000) / 1e6, y / 1e5 - 4]
		});
		expect(mapped.features[0].geometry.coordinates).toEqual([120.0220005, 35.9600025]);
	});
});

describe('mapLayer: geometry per layer', () => {
	it('a polygon for a facility → its centroid, repaired; a LineString → rejected', () => {
		const mapped = mapLayer(
			featureTable(
				[
					{
						properties: { name: '敬老院', kind: '养老院' },
						geometry: { type: 'Polygon', coordinates: [square(120.4, 36.1, 0.02)] }
					},
					{
						properties: { name: '路', kind: '养老院' },
						geometry: {
							type: 'LineString',
							coordinates: [
								[120.4, 36.1],
								[120.5, 36.2]
							]
						}
					}
				],
				'fac.geojson'
			),
			'facilities'
		);
		expect(mapped.features).toHaveLength(1);
		const [lon, lat] = mapped.features[0].geometry.coordinates;
		expect(lon).toBeCloseTo(120.41, 9);
		expect(lat).toBeCloseTo(36.11, 9);
		expect(mapped.issues.map(formatIssue).slice(0, 2)).toEqual([
			'fac.geojson: feature 0, field "geometry": repaired: Polygon for a point layer: replaced by its centroid [120.410000, 36.110000]',
			'fac.geojson: feature 1, field "geometry" = "LineString": rejected: wrong geometry type LineString: this layer takes Point (or a Polygon, replaced by its centroid); row skipped'
		]);
		expect(mapped.features[0].properties.source).toBe('fac.geojson');
	});

	it('a ring with too few points is rejected; a broken part of a MultiPolygon is dropped', () => {
		const mapped = mapLayer(
			featureTable(
				[
					{
						properties: { name: 'A' },
						geometry: {
							type: 'Polygon',
							coordinates: [
								[
									[120.4, 36.1],
									[120.41, 36.1],
									[120.41, 36.1],
									[120.4, 36.1]
								]
							]
						}
					},
					{
						properties: { name: 'B' },
						geometry: {
							type: 'MultiPolygon',
							coordinates: [
								[square(120.4, 36.1)],
								[
									[
										[120.5, 36.1],
										[120.51, 36.1]
									]
								]
							]
						}
					}
				],
				'rings.geojson'
			),
			'residential'
		);
		expect(mapped.features.map((f) => f.properties.name)).toEqual(['B']);
		expect(mapped.features[0].geometry).toEqual({
			type: 'MultiPolygon',
			coordinates: [[square(120.4, 36.1)]]
		});
		expect(mapped.issues.filter((i) => i.row === 0).map((i) => `${i.action}: ${i.reason}`)).toEqual(
			[
				'repaired: Polygon outer ring: 1 consecutive duplicate point(s) removed',
				'rejected: Polygon outer ring has 3 positions after cleaning; a ring needs at least 4 (3 corners and the closing point)'
			]
		);
		expect(
			mapped.issues
				.filter((i) => i.row === 1 && i.action !== 'warning')
				.map((i) => `${i.action}: ${i.reason}`)
		).toEqual([
			'repaired: MultiPolygon part 1 outer ring was not closed: closed it by repeating the first point',
			'repaired: MultiPolygon part 1 outer ring has 3 positions after cleaning; a ring needs at least 4 (3 corners and the closing point): part dropped'
		]);
	});

	it('boundaries from a table without geometry → WRONG_STRUCTURE', () => {
		const error = catchImportError(() =>
			mapLayer(csv('名称,代码\n中韩街道,370212001\n', 'b.csv'), 'boundaries')
		);
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'b.csv: boundaries need polygons: this table has no geometry; import a GeoJSON or Shapefile of the boundaries'
		);
	});

	it('boundary level from 级别 values or the code length; parent code from the code', () => {
		const mapped = mapLayer(
			featureTable(
				[
					{
						properties: { 名称: '中韩街道', 级别: '街道', 区划代码: '370212001' },
						geometry: { type: 'Polygon', coordinates: [square(120.4, 36.1)] }
					},
					{
						properties: { 名称: '某社区', 区划代码: 370212001001 },
						geometry: { type: 'Polygon', coordinates: [square(120.4, 36.1)] }
					}
				],
				'b.geojson'
			),
			'boundaries'
		);
		expect(
			mapped.features.map((f) => [f.properties.level, f.properties.code, f.properties.parentCode])
		).toEqual([
			['street', '370212001', '370212'],
			['community', '370212001001', '370212001']
		]);
	});
});
