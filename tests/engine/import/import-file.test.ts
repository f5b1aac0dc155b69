/**
 * importFile end to end: format detection, CRS decision (override › declared › detected) and
 * the mapping step together, on the committed fixtures and on real shared data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, importFile, ImportError } from '../../../src/lib/engine/import/index.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const shared = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const laoshanBbox: [number, number, number, number] = [
	120.4058883, 35.888432, 120.955088, 36.341497
];

type Position = number[];
const flatten = (coordinates: unknown): Position[] =>
	typeof (coordinates as unknown[])[0] === 'number'
		? [coordinates as Position]
		: (coordinates as unknown[]).flatMap(flatten);

describe('importFile', () => {
	it('converts a CGCS2000 Gauss–Krüger zone-40 Shapefile with a .prj to WGS84 at the known positions', async () => {
		const expected = JSON.parse(readFileSync(join(fixtures, 'shapefile', 'expected.json'), 'utf8'));
		const outcome = await importFile(
			'compounds-gk40-gbk.zip',
			bytesOf(join(fixtures, 'shapefile', 'compounds-gk40-gbk.zip')),
			{
				layer: 'residential',
				expectedBbox: laoshanBbox
			}
		);
		expect(outcome.format).toBe('shapefile');
		expect(outcome.crs).toMatchObject({ crs: 'EPSG:4528', how: 'declared' });
		expect(outcome.features.map((f) => f.properties.name)).toEqual(
			expected.compounds.map((c: { properties: { 小区名称: string } }) => c.properties['小区名称'])
		);
		outcome.features.forEach((feature, index) => {
			const got = flatten(feature.geometry.coordinates);
			const want = flatten(expected.compounds[index].lonLat.coordinates);
			expect(got.length).toBe(want.length);
			got.forEach(([lon, lat], i) => {
				expect(Math.abs(lon - want[i][0])).toBeLessThan(1e-7);
				expect(Math.abs(lat - want[i][1])).toBeLessThan(1e-7);
			});
		});
		expect(
			outcome.issues.filter((issue) => issue.field === 'geometry' && issue.action === 'warning')
		).toEqual([]);
	});

	it('reads an Excel list with a merged title row and Chinese headers (WGS84 assumed, with a warning)', async () => {
		const outcome = await importFile(
			'laoshan-compounds.xlsx',
			bytesOf(join(fixtures, 'laoshan-compounds.xlsx')),
			{
				layer: 'residential',
				expectedBbox: laoshanBbox
			}
		);
		expect(outcome.format).toBe('xlsx');
		expect(outcome.crs?.how).toBe('assumed');
		expect(outcome.features.map((f) => [f.properties.name, f.properties.households])).toEqual([
			['金岭花园', 1200],
			['海尔路小区', 800],
			['沙子口新苑', 450]
		]);
		expect(outcome.columnMap).toMatchObject({
			name: '小区名称',
			households: '户数（户）',
			lon: '经度',
			lat: '纬度'
		});
		expect(formatIssue(outcome.issues[0])).toContain('GCJ-02');
	});

	it('applies a --crs override: the GCJ-02 facility of the demo data lands in 崂山五村, not 500 m away', async () => {
		const file = 'shanghai_bund_lujiazui_elderly_facilities_all.csv';
		const bytes = bytesOf(join(shared, 'facilities', file));
		const asGcj = await importFile(file, bytes, {
			layer: 'facilities',
			crs: 'gcj02',
			columnMap: { lon: 'src_lon', lat: 'src_lat' }
		});
		const asWgs = await importFile(file, bytes, {
			layer: 'facilities',
			crs: 'wgs84',
			columnMap: { lon: 'src_lon', lat: 'src_lat' }
		});
		const [lonG, latG] = asGcj.features[0].geometry.coordinates;
		const [lonW, latW] = asWgs.features[0].geometry.coordinates;
		expect([lonW, latW]).toEqual([121.516678, 31.2369]);
		expect(lonG - lonW).toBeCloseTo(-0.00446, 3);
		expect(latG - latW).toBeCloseTo(0.00195, 3);
		expect(
			asGcj.issues.filter((issue) => issue.action === 'rejected').map((issue) => issue.row)
		).toEqual([2, 3, 4, 5]);
	});

	it('refuses a file whose rows lie outside the region (issue 12), naming the rows and the likely cause', async () => {
		const file = 'shanghai_bund_lujiazui_elderly_facilities_all.csv';
		const error = await importFile(file, bytesOf(join(shared, 'facilities', file)), {
			layer: 'facilities',
			crs: 'gcj02',
			columnMap: { lon: 'src_lon', lat: 'src_lat' },
			expectedBbox: laoshanBbox
		}).catch((caught: ImportError) => caught);
		expect(error).toBeInstanceOf(ImportError);
		expect((error as ImportError).code).toBe('OUTSIDE_REGION');
		expect((error as ImportError).message).toMatch(
			/1 of 1 rows lie outside the region .*another city's or district's list: the rows lie around 121\.51\d\d, 31\.23\d\d, about 5\d\d km from the region/
		);
		const outside = (error as ImportError).issues.filter(
			(issue) => issue.field === 'geometry' && issue.action === 'warning'
		);
		expect(outside.map(formatIssue)).toEqual([
			`${file}: row 6, field "geometry" = "陆家嘴街道综合为老服务中心助餐点": warning: lies outside the region (bbox 120.4058883, 35.888432, 120.955088, 36.341497); kept — check the coordinate system (--crs) if it should be inside`
		]);
	});

	it('rejects files it cannot trust as a whole, with the code and a message that says what to do', async () => {
		const fail = (file: string, bytes: Uint8Array, crs?: string) =>
			importFile(file, bytes, { layer: 'residential', crs }).then(
				() => 'no error',
				(error: ImportError) => `${error.code}: ${error.message}`
			);
		expect(await fail('a.csv', new Uint8Array())).toBe(
			'UNREADABLE_FILE: a.csv: is empty (0 bytes)'
		);
		expect(await fail('list.xls', bytesOf(join(fixtures, 'laoshan-compounds-gbk.csv')))).toBe(
			'UNSUPPORTED_FORMAT: list.xls: is an old Excel .xls workbook: save it as .xlsx or .csv'
		);
		expect(await fail('a.shp', new Uint8Array([0, 0, 39, 10]))).toBe(
			'UNSUPPORTED_FORMAT: a.shp: is one part of a Shapefile: zip the .shp, .shx, .dbf, .prj and .cpg together and import the .zip'
		);
		expect(
			await fail('a.csv', bytesOf(join(fixtures, 'laoshan-compounds-utf8-bom.csv')), 'EPSG:2435')
		).toBe(
			'UNKNOWN_CRS: a.csv: --crs "EPSG:2435" is not a known coordinate system: use wgs84, gcj02, bd09, cgcs2000, EPSG:4513–4554 (CGCS2000 3° Gauss–Krüger) or EPSG:32649–32651 (UTM)'
		);
		const projected = new TextEncoder().encode(
			'小区名称,户数,x,y\n金岭花园,1200,541431.4,3996869.8\n'
		);
		expect(await fail('projected.csv', projected)).toMatch(
			/^UNKNOWN_CRS: projected\.csv: coordinates such as \[541431\.4,3996869\.8\] are in an unknown coordinate system \(.+\): pass --crs/
		);
	});
});
