import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../src/lib/engine/import/csv.ts';
import { jsonErrorPosition, readGeoJson } from '../../../src/lib/engine/import/geojson.ts';
import { mapLayer } from '../../../src/lib/engine/import/map-layer.ts';
import { ImportError, formatIssue } from '../../../src/lib/engine/import/report.ts';
import { readXlsx } from '../../../src/lib/engine/import/xlsx.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The thrown ImportError (fails the test when nothing or something else is thrown). */
async function importError(run: () => unknown): Promise<ImportError> {
	try {
		await run();
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('expected an ImportError, nothing was thrown');
}

describe('readCsv', () => {
	it('reads the UTF-8 BOM export: header row 1, data from row 2, blank line counted once', () => {
		const table = readCsv(fixture('laoshan-compounds-utf8-bom.csv'), 'bom.csv');
		expect(table.fields[0]).toBe('编号'); // the BOM is not part of the first header
		expect(table.fields).toHaveLength(10);
		expect(table.records.map((r) => r.row)).toEqual([2, 3, 5, 6]);
		expect(table.records[1].properties).toMatchObject({
			小区名称: '海尔路小区',
			'户数（户）': '８００户'
		});
		expect(table.issues.map(formatIssue)).toEqual([
			'bom.csv: row 4: warning: 1 blank row(s) skipped: rows 4'
		]);
	});

	it('reads the GBK export to the same records, with a warning that GBK was assumed', () => {
		const bom = readCsv(fixture('laoshan-compounds-utf8-bom.csv'), 'bom.csv');
		const gbk = readCsv(fixture('laoshan-compounds-gbk.csv'), 'gbk.csv');
		expect(gbk.fields).toEqual(bom.fields);
		expect(gbk.records).toEqual(bom.records);
		expect(gbk.issues[0].reason).toMatch(
			/^the file is not valid UTF-8 and has no BOM; GBK \(GB18030\) encoding was assumed/
		);
		expect(gbk.issues[0].action).toBe('warning');
	});

	it('reads UTF-16LE and UTF-16BE with a BOM', () => {
		const text = '小区名称,户数\n金岭花园,1200\n';
		const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
		const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16-be')]);
		for (const bytes of [le, be]) {
			const table = readCsv(new Uint8Array(bytes), 'u16.csv');
			expect(table.records).toEqual([
				{ row: 2, properties: { 小区名称: '金岭花园', 户数: '1200' }, geometry: null }
			]);
			expect(table.issues).toEqual([]);
		}
	});

	it('keeps a comma file with semicolons inside quoted notes comma-separated', () => {
		const table = readCsv(utf8('name,kind,note\n"A",institution,"one; two; three"\n'), 'semi.csv');
		expect(table.fields).toEqual(['name', 'kind', 'note']);
		expect(table.records[0].properties.note).toBe('one; two; three');
	});

	it('skips a lone title line above the header with a warning', () => {
		const table = readCsv(
			utf8('崂山区住宅小区名单,,\n小区名称,经度,纬度\n金岭花园,120.46,36.10\n'),
			'title.csv'
		);
		expect(table.records.map((r) => r.row)).toEqual([3]);
		expect(formatIssue(table.issues[0])).toBe(
			'title.csv: row 1 = "崂山区住宅小区名单": warning: row(s) 1 above the header row 2 skipped as a title'
		);
	});

	it('rejects duplicate header names, naming the columns', async () => {
		const error = await importError(() =>
			readCsv(utf8('小区名称,户数,户数\n金岭花园,1,2\n'), 'dup.csv')
		);
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'dup.csv: header row 1 has duplicate column names: "户数" (columns B and C); rename them so each column is unique'
		);
	});

	it('rejects an empty header name above data', async () => {
		const error = await importError(() =>
			readCsv(utf8('小区名称,,经度\n金岭花园,1200,120.4\n'), 'gap.csv')
		);
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'gap.csv: header row 1 has no name for column 2 (B), which hold data: give every column a header'
		);
	});

	it('rejects an empty file', async () => {
		const error = await importError(() => readCsv(new Uint8Array(0), 'empty.csv'));
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(error.message).toBe(
			'empty.csv: the file is empty (0 bytes): expected a header row and one row per record'
		);
		const bomOnly = await importError(() =>
			readCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0x0d, 0x0a]), 'bom-only.csv')
		);
		expect(bomOnly.message).toBe(
			'bom-only.csv: the file is empty (5 bytes): expected a header row and one row per record'
		);
	});

	it('rejects binary garbage with a clear error instead of crashing', async () => {
		// Deterministic pseudo-random bytes (an LCG), as a truncated download or a PDF would give.
		const bytes = new Uint8Array(4096);
		let seed = 12345;
		for (let i = 0; i < bytes.length; i++)
			bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
		const error = await importError(() => readCsv(bytes, 'garbage.csv'));
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(error.message).toMatch(
			/^garbage\.csv: binary data \(a NUL byte at byte \d+\), not CSV text/
		);
		const noNul = bytes.map((b) => (b === 0 ? 1 : b));
		const error2 = await importError(() => readCsv(noNul, 'garbage2.csv'));
		expect(error2.code).toBe('UNREADABLE_FILE');
		expect(error2.message).toMatch(
			/^garbage2\.csv: \d+ of \d+ characters are undecodable or control characters: this is not CSV text in UTF-8, UTF-16 or GBK$/
		);
		const xlsx = await importError(() =>
			readCsv(fixture('laoshan-compounds.xlsx'), 'named-wrong.csv')
		);
		expect(xlsx.message).toBe(
			'named-wrong.csv: this is a ZIP archive (an .xlsx workbook or a zipped Shapefile), not CSV text: import it as .xlsx or .zip'
		);
	});

	it('counts several blank lines (including ",,," rows) in one warning', () => {
		const table = readCsv(utf8('小区名称,户数\n\nA,1\n,\n\nB,2\n'), 'blank.csv');
		expect(table.records.map((r) => r.row)).toEqual([3, 6]);
		expect(table.issues.map(formatIssue)).toEqual([
			'blank.csv: row 2: warning: 3 blank row(s) skipped: rows 2, 4, 5'
		]);
	});
});

describe('readXlsx', () => {
	it('skips the empty sheet and the merged title row; reads formula, date, rich text and hyperlink cells', async () => {
		const table = await readXlsx(fixture('laoshan-compounds.xlsx'), 'laoshan.xlsx');
		expect(table.fields).toEqual([
			'编号',
			'小区名称',
			'户数（户）',
			'老年人口(人)',
			'新建/既有',
			'建成年份',
			'街道代码',
			'所属街道',
			'经度',
			'纬度'
		]);
		expect(table.records.map((r) => r.row)).toEqual([3, 4, 6]); // Excel's row numbers; row 5 is blank
		const [first, second, third] = table.records.map((r) => r.properties);
		expect(first['小区名称']).toBe('金岭花园'); // rich text joined
		expect(second['户数（户）']).toBe(800); // formula result
		expect(second['建成年份']).toBe(1998); // date under a year header → year
		expect(third['编号']).toBe('LS-003'); // hyperlink text
		expect(table.issues.map(formatIssue)).toEqual([
			'laoshan.xlsx: row 4, field "建成年份": repaired: date cells in a year column read as their year: rows 4',
			'laoshan.xlsx: row 1 = "崂山区住宅小区名单": warning: row(s) 1 above the header row 2 skipped as a title',
			'laoshan.xlsx: row 5: warning: 1 blank row(s) skipped: rows 5'
		]);
	});

	it('maps the workbook to residential features', async () => {
		const mapped = mapLayer(
			await readXlsx(fixture('laoshan-compounds.xlsx'), 'laoshan.xlsx'),
			'residential'
		);
		expect(
			mapped.features.map((f) => [
				f.properties.id,
				f.properties.households,
				f.properties.elders,
				f.properties.status,
				f.properties.builtYear
			])
		).toEqual([
			['LS-001', 1200, 310, 'existing', 2005],
			['LS-002', 800, null, 'existing', 1998],
			['LS-003', 450, null, 'new', null]
		]);
		expect(mapped.features[0].geometry).toEqual({
			type: 'Point',
			coordinates: [120.4655, 36.1083]
		});
	});

	it('reads a named sheet and names the sheets when it is missing', async () => {
		const error = await importError(() =>
			readXlsx(fixture('laoshan-compounds.xlsx'), 'laoshan.xlsx', { sheet: 'Sheet1' })
		);
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe('laoshan.xlsx: no sheet named "Sheet1"; sheets: "说明", "小区名单"');
		const empty = await importError(() =>
			readXlsx(fixture('laoshan-compounds.xlsx'), 'laoshan.xlsx', { sheet: '说明' })
		);
		expect(empty.message).toBe('laoshan.xlsx: sheet "说明" has no data');
	});

	it('rejects bytes that are not a workbook', async () => {
		const error = await importError(() => readXlsx(utf8('小区名称,户数\n'), 'fake.xlsx'));
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(error.message).toMatch(/^fake\.xlsx: not a readable \.xlsx workbook \(/);
	});
});

describe('readGeoJson', () => {
	it('reads a FeatureCollection with the legacy crs member', () => {
		const text = JSON.stringify({
			type: 'FeatureCollection',
			crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } },
			features: [
				{
					type: 'Feature',
					id: 7,
					properties: { 名称: 'A' },
					geometry: { type: 'Point', coordinates: [500000, 4000000] }
				},
				{ type: 'Feature', properties: null, geometry: null }
			]
		});
		const table = readGeoJson(text, 'cgcs.geojson');
		expect(table.declaredCrs).toBe('urn:ogc:def:crs:EPSG::4549');
		expect(table.rowKind).toBe('feature');
		expect(table.fields).toEqual(['名称', 'id']);
		expect(table.records).toEqual([
			{
				row: 0,
				properties: { 名称: 'A', id: 7 },
				geometry: { type: 'Point', coordinates: [500000, 4000000] }
			},
			{ row: 1, properties: {}, geometry: null }
		]);
	});

	it('reads a single Feature and a bare geometry', () => {
		expect(
			readGeoJson(
				'{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}',
				'f.json'
			).records
		).toHaveLength(1);
		const bare = readGeoJson(
			'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}',
			'g.json'
		);
		expect(bare.records).toEqual([
			{
				row: 0,
				properties: {},
				geometry: {
					type: 'Polygon',
					coordinates: [
						[
							[0, 0],
							[1, 0],
							[1, 1],
							[0, 0]
						]
					]
				}
			}
		]);
		expect(bare.declaredCrs).toBeNull();
	});

	it('reports invalid JSON with line, column and position', async () => {
		const error = await importError(() =>
			readGeoJson('{\n  "type": "FeatureCollection",\n  "features": [,]\n}', 'broken.geojson')
		);
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(error.message).toMatch(
			/^broken\.geojson: invalid JSON at line 3, column 16 \(character 48\): /
		);
	});

	it('finds the JSON error position exactly where JSON.parse disagrees (every one-character deletion)', () => {
		const valid = JSON.stringify({ a: [1, 2.5e3, { b: 'x"y\\u', c: null, d: true }], e: '中文' });
		let broken = 0;
		for (let k = 0; k < valid.length; k++) {
			const cut = valid.slice(0, k) + valid.slice(k + 1);
			let parses = true;
			try {
				JSON.parse(cut);
			} catch {
				parses = false;
				broken++;
			}
			expect(jsonErrorPosition(cut) < 0, cut).toBe(parses);
		}
		expect(broken).toBeGreaterThan(20);
		expect(jsonErrorPosition('[1,2')).toBe(4);
		expect(jsonErrorPosition('{"a":1}}')).toBe(7);
	});

	it('rejects JSON that is not GeoJSON', async () => {
		const array = await importError(() => readGeoJson('[{"name":"崂山五村"}]', 'list.json'));
		expect(array.code).toBe('WRONG_STRUCTURE');
		expect(array.message).toBe(
			'list.json: not GeoJSON: expected an object with "type" FeatureCollection, Feature or a geometry type; found an array'
		);
		const topology = await importError(() =>
			readGeoJson('{"type":"Topology","objects":{}}', 'topo.json')
		);
		expect(topology.message).toBe(
			'topo.json: not GeoJSON: "type" is "Topology"; expected FeatureCollection, Feature or one of Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection'
		);
		const noFeatures = await importError(() =>
			readGeoJson('{"type":"FeatureCollection"}', 'nf.json')
		);
		expect(noFeatures.message).toBe(
			'nf.json: not GeoJSON: a FeatureCollection needs a "features" array; found undefined'
		);
	});

	it('reports malformed features instead of dropping them silently', () => {
		const table = readGeoJson(
			JSON.stringify({
				type: 'FeatureCollection',
				features: [{ type: 'Feature', properties: {}, geometry: { type: 'Circle', radius: 3 } }, 42]
			}),
			'odd.geojson'
		);
		expect(table.records).toEqual([]);
		expect(table.issues.map(formatIssue)).toEqual([
			'odd.geojson: feature 0, field "geometry" = "Circle": rejected: unknown geometry type "Circle" (expected one of Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection)',
			'odd.geojson: feature 1 = 42: rejected: not a GeoJSON Feature: expected an object with "type": "Feature", found 42'
		]);
	});
});
