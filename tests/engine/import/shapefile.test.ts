import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
// @ts-expect-error -- shpjs 6 ships no type declarations
import shp from 'shpjs';
import { describe, expect, it } from 'vitest';
import {
	detectCrs,
	parseCrs,
	toWgs84,
	transformGeometry
} from '../../../src/lib/engine/crs/index.ts';
import { readZippedShapefile } from '../../../src/lib/engine/import/shapefile.ts';
import { ImportError, formatIssue } from '../../../src/lib/engine/import/report.ts';
import type { RawTable } from '../../../src/lib/engine/import/raw.ts';
import { PRJ_ZONE_40 } from './fixtures/shapefile/make-fixtures.ts';
import { writeDbf, writeShp } from './fixtures/shapefile/write-shapefile.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'shapefile');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));

interface ExpectedFeature {
	properties: Record<string, string | number | null>;
	lonLat: { type: string; coordinates: unknown } | null;
	projected: { type: string; coordinates: unknown } | null;
}
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as {
	crs: string;
	compounds: ExpectedFeature[];
	facilities: ExpectedFeature[];
};

/** Every number of two nested coordinate arrays, side by side (shapes must match). */
function pairs(actual: unknown, wanted: unknown, out: [number, number][] = []): [number, number][] {
	if (typeof wanted === 'number') {
		expect(typeof actual).toBe('number');
		out.push([actual as number, wanted]);
		return out;
	}
	expect(Array.isArray(actual)).toBe(true);
	expect((actual as unknown[]).length).toBe((wanted as unknown[]).length);
	(wanted as unknown[]).forEach((item, i) => pairs((actual as unknown[])[i], item, out));
	return out;
}

/** All [x, y] positions of a nested coordinate array. */
function positions(coordinates: unknown): [number, number][] {
	if (Array.isArray(coordinates) && typeof coordinates[0] === 'number')
		return [[coordinates[0], coordinates[1] as number]];
	return Array.isArray(coordinates) ? coordinates.flatMap(positions) : [];
}

function maxDifference(actual: unknown, wanted: unknown): number {
	return Math.max(...pairs(actual, wanted).map(([a, b]) => Math.abs(a - b)));
}

async function readError(promise: Promise<RawTable>): Promise<ImportError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(ImportError);
	return error as ImportError;
}

describe('readZippedShapefile: GK zone 40 compounds with .cpg GBK', async () => {
	const table = await readZippedShapefile(
		fixture('compounds-gk40-gbk.zip'),
		'compounds-gk40-gbk.zip'
	);

	it('reads 3 features with the Chinese field names and values', () => {
		expect(table.rowKind).toBe('feature');
		expect(table.fields).toEqual(['小区名称', '户数', '建成年份']);
		expect(table.records.map((record) => record.row)).toEqual([0, 1, 2]);
		expect(table.records.map((record) => record.properties)).toEqual([
			{ 小区名称: '金岭花园', 户数: 1200, 建成年份: 2005 },
			{ 小区名称: '麦岛金岸', 户数: 864, 建成年份: 2012 },
			{ 小区名称: '石老人新村（一期）', 户数: null, 建成年份: 1998 }
		]);
		expect(table.issues).toEqual([]);
	});

	it('keeps the raw projected numbers (no reprojection), polygon with hole and multipolygon intact', () => {
		table.records.forEach((record, i) => {
			expect(record.geometry?.type).toBe(expected.compounds[i].projected!.type);
			expect(record.geometry?.coordinates).toEqual(expected.compounds[i].projected!.coordinates);
		});
		expect(table.records.map((r) => r.geometry?.type)).toEqual([
			'Polygon',
			'Polygon',
			'MultiPolygon'
		]);
		const firstX = (table.records[0].geometry!.coordinates as number[][][])[0][0][0];
		expect(firstX).toBeGreaterThan(40_000_000);
		expect(table.records[0].geometry).not.toHaveProperty('bbox');
	});

	it('declares the .prj WKT, which parses as EPSG:4528 and lands on the original lon/lat within 1e-7°', () => {
		expect(table.declaredCrs).toBe(PRJ_ZONE_40);
		const crs = parseCrs(table.declaredCrs!);
		expect(crs).toBe('EPSG:4528');
		const toLonLat = toWgs84(crs!);
		table.records.forEach((record, i) => {
			const lonLat = transformGeometry(
				record.geometry as { type: 'Polygon'; coordinates: number[][][] },
				toLonLat
			);
			expect(
				maxDifference(lonLat.coordinates, expected.compounds[i].lonLat!.coordinates)
			).toBeLessThan(1e-7);
		});
	});

	it('detectCrs agrees with the declaration and would find zone 40 from the numbers alone', () => {
		const sample = table.records.flatMap((record) => positions(record.geometry!.coordinates));
		expect(sample).toHaveLength(5 + 10 + 10);
		expect(detectCrs(sample, { declared: parseCrs(table.declaredCrs!) }).confidence).toBe(
			'declared'
		);
		expect(detectCrs(sample).crs).toBe('EPSG:4528');
	});

	it('an independent reader (shpjs with its own .prj reprojection, parsedbf) sees the same features', async () => {
		const collection = (await shp(fixture('compounds-gk40-gbk.zip').buffer)) as {
			features: { geometry: { coordinates: unknown }; properties: Record<string, unknown> }[];
		};
		expect(collection.features).toHaveLength(3);
		collection.features.forEach((feature, i) => {
			expect(feature.properties['小区名称']).toBe(expected.compounds[i].properties['小区名称']);
			expect(
				maxDifference(feature.geometry.coordinates, expected.compounds[i].lonLat!.coordinates)
			).toBeLessThan(1e-7);
		});
	});
});

describe('readZippedShapefile: encodings', () => {
	it('without .cpg (and inside a sub-folder) detects GBK and says so', async () => {
		const table = await readZippedShapefile(
			fixture('compounds-gk40-no-cpg.zip'),
			'compounds-gk40-no-cpg.zip'
		);
		expect(table.fields).toEqual(['小区名称', '户数', '建成年份']);
		expect(table.records.map((record) => record.properties['小区名称'])).toEqual([
			'金岭花园',
			'麦岛金岸',
			'石老人新村（一期）'
		]);
		expect(table.issues.map(formatIssue)).toEqual([
			'compounds-gk40-no-cpg.zip: feature 0 = "gbk": warning: no .cpg file: export/laoshan_compounds.dbf is not valid UTF-8, so GBK (Chinese Windows) was assumed; add a .cpg if the text looks wrong'
		]);
		expect(parseCrs(table.declaredCrs!)).toBe('EPSG:4528');
	});

	const fields = [
		{ name: 'NAME', type: 'C' as const, lengthBytes: 30 },
		{ name: 'HH', type: 'N' as const, lengthBytes: 8 }
	];
	const records = [
		{ NAME: '海信·麦岛金岸', HH: 12 },
		{ NAME: 'Plain', HH: null }
	];
	const points = writeShp(
		[
			{ type: 'Point', coordinates: [120.4, 36.1] },
			{ type: 'Point', coordinates: [120.41, 36.11] }
		],
		'Point'
	);
	const utf8 = (text: string) => new TextEncoder().encode(text);

	it('without .cpg, valid UTF-8 is read as UTF-8 and the assumption is recorded', async () => {
		const bytes = zipSync({ 'a.shp': points.shp, 'a.dbf': writeDbf(fields, records, utf8) });
		const table = await readZippedShapefile(bytes, 'a.zip');
		expect(table.records[0].properties).toEqual({ NAME: '海信·麦岛金岸', HH: 12 });
		expect(table.records[1].properties).toEqual({ NAME: 'Plain', HH: null });
		expect(table.issues.map((issue) => issue.reason)).toEqual([
			'no .cpg file: a.dbf is valid UTF-8, so UTF-8 was assumed; add a .cpg if the text looks wrong',
			'no .prj file for layer "a": the coordinate system must be detected from the numbers or given'
		]);
		expect(table.declaredCrs).toBeNull();
	});

	it('a .cpg "UTF-8" over GBK bytes is not trusted blindly', async () => {
		const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));
		const bytes = zipSync({
			'a.shp': points.shp,
			'a.dbf': writeDbf(fields, records, gbk),
			'a.cpg': utf8('UTF-8'),
			'a.prj': utf8(PRJ_ZONE_40)
		});
		const table = await readZippedShapefile(bytes, 'a.zip');
		expect(table.records[0].properties['NAME']).toBe('海信·麦岛金岸');
		expect(table.issues[0].reason).toBe(
			'a.cpg says UTF-8, but a.dbf is not valid UTF-8; decoded it as GBK — check the Chinese text'
		);
	});

	it.each([['ANSI 936'], ['CP936'], ['gb2312'], ['936']])('.cpg "%s" means GBK', async (cpg) => {
		const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));
		const bytes = zipSync({
			'a.shp': points.shp,
			'a.dbf': writeDbf(fields, records, gbk),
			'a.cpg': utf8(cpg),
			'a.prj': utf8(PRJ_ZONE_40)
		});
		const table = await readZippedShapefile(bytes, 'a.zip');
		expect(table.records[0].properties['NAME']).toBe('海信·麦岛金岸');
		expect(table.issues).toEqual([]);
	});
});

describe('readZippedShapefile: structure', () => {
	it('a zip without .dbf is a WRONG_STRUCTURE error that names the missing part', async () => {
		const error = await readError(
			readZippedShapefile(fixture('compounds-no-dbf.zip'), 'compounds-no-dbf.zip')
		);
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'compounds-no-dbf.zip: layer "laoshan_compounds" has no .dbf file (the attribute table with names, 户数 …): zip laoshan_compounds.shp together with laoshan_compounds.dbf, .shx, .prj and .cpg'
		);
	});

	it('a zip with two layers is a WRONG_STRUCTURE error listing them', async () => {
		const error = await readError(readZippedShapefile(fixture('two-layers.zip'), 'two-layers.zip'));
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'two-layers.zip: contains 2 Shapefile layers ("compounds", "facilities"): import one at a time by choosing the layer name, or zip each layer separately'
		);
	});

	it('layerName picks one layer; a null shape becomes a record without geometry plus an issue', async () => {
		const table = await readZippedShapefile(fixture('two-layers.zip'), 'two-layers.zip', {
			layerName: 'facilities'
		});
		expect(table.fields).toEqual(['名称', '床位']);
		expect(table.records).toHaveLength(3);
		expect(table.records.map((record) => record.properties)).toEqual(
			expected.facilities.map((f) => f.properties)
		);
		expect(table.records.map((record) => record.geometry)).toEqual(
			expected.facilities.map((f) => f.projected)
		);
		expect(table.issues.map(formatIssue)).toEqual([
			'two-layers.zip: feature 1, field "geometry" = null: warning: null shape (no coordinates) in facilities.shp'
		]);
		const toLonLat = toWgs84(parseCrs(table.declaredCrs!)!);
		const [lon, lat] = toLonLat(table.records[0].geometry!.coordinates as [number, number]);
		expect(Math.abs(lon - 120.465)).toBeLessThan(1e-7);
		expect(Math.abs(lat - 36.106)).toBeLessThan(1e-7);

		const compounds = await readZippedShapefile(fixture('two-layers.zip'), 'two-layers.zip', {
			layerName: 'COMPOUNDS'
		});
		expect(compounds.records).toHaveLength(3);
	});

	it('an unknown layerName lists the layers', async () => {
		const error = await readError(
			readZippedShapefile(fixture('two-layers.zip'), 'two-layers.zip', { layerName: 'roads' })
		);
		expect(error.message).toBe(
			'two-layers.zip: has no single layer named "roads"; its layers are "compounds", "facilities"'
		);
	});

	it('bytes that are not a zip are UNREADABLE_FILE', async () => {
		const error = await readError(
			readZippedShapefile(new TextEncoder().encode('名称,户数\n金岭花园,1200\n'), 'list.zip')
		);
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(error.message).toMatch(
			/^list\.zip: is not a readable zip archive \(.+\): zip the \.shp, \.shx, \.dbf, \.prj and \.cpg files again$/
		);
	});

	it('a zip without any .shp names what it found', async () => {
		const error = await readError(
			readZippedShapefile(
				zipSync({ 'data/a.dbf': new Uint8Array(40), 'readme.txt': new Uint8Array(3) }),
				'x.zip'
			)
		);
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'x.zip: contains no .shp file (found: data/a.dbf): zip the .shp together with its .shx, .dbf, .prj and .cpg'
		);
	});

	it('a .shp with a wrong header is UNREADABLE_FILE', async () => {
		const dbf = writeDbf([{ name: 'N', type: 'N', lengthBytes: 4 }], [{ N: 1 }], (t) =>
			new TextEncoder().encode(t)
		);
		const error = await readError(
			readZippedShapefile(zipSync({ 'a.shp': new Uint8Array(120), 'a.dbf': dbf }), 'a.zip')
		);
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(error.message).toBe(
			'a.zip: a.shp is not a Shapefile .shp (its header does not start with file code 9994)'
		);
	});

	it('deleted records are left out with an issue, counts that disagree are reported', async () => {
		const points = writeShp(
			[
				{ type: 'Point', coordinates: [1, 2] },
				{ type: 'Point', coordinates: [3, 4] },
				{ type: 'Point', coordinates: [5, 6] }
			],
			'Point'
		);
		const fields = [{ name: 'ID', type: 'N' as const, lengthBytes: 4 }];
		const encode = (t: string) => new TextEncoder().encode(t);
		const dbf = writeDbf(fields, [{ ID: 1 }, { ID: 2 }], encode, [1]);
		const table = await readZippedShapefile(
			zipSync({ 'p.shp': points.shp, 'p.dbf': dbf, 'p.prj': encode(PRJ_ZONE_40) }),
			'p.zip'
		);
		expect(
			table.records.map((record) => [record.row, record.properties, record.geometry?.coordinates])
		).toEqual([
			[0, { ID: 1 }, [1, 2]],
			[2, {}, [5, 6]]
		]);
		expect(table.issues.map(formatIssue)).toEqual([
			'p.zip: feature 0: warning: p.shp has 3 shapes but p.dbf has 2 records; shapes without a record have no attributes',
			'p.zip: feature 1: rejected: record 1 is marked deleted in p.dbf; left out'
		]);
	});

	it('a non-numeric value in a numeric field becomes null with an issue', async () => {
		const points = writeShp([{ type: 'Point', coordinates: [1, 2] }], 'Point');
		const encode = (t: string) => new TextEncoder().encode(t);
		const dbf = writeDbf([{ name: 'HH', type: 'C', lengthBytes: 6 }], [{ HH: '12a' }], encode);
		dbf[32 + 11] = 'N'.charCodeAt(0); // relabel the C field as numeric: a broken writer
		const table = await readZippedShapefile(
			zipSync({ 'p.shp': points.shp, 'p.dbf': dbf, 'p.prj': encode(PRJ_ZONE_40) }),
			'p.zip'
		);
		expect(table.records[0].properties).toEqual({ HH: null });
		expect(formatIssue(table.issues[0])).toBe(
			'p.zip: feature 0, field "HH" = "12a": rejected: not a number in p.dbf (numeric field N6.0); set to empty'
		);
	});
});
