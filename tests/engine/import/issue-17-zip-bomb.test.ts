/**
 * Issue 17 item 3: zip entries are inflated under a running limit. A 1.2 MB zip that inflates
 * to 1.2 GB was inflated completely (1.37 GB RSS) before being refused; now it is refused after
 * a few MB, with the file and the entry named. Ordinary zips read exactly as fflate's
 * unzipSync read them.
 */
import { deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { Zip, ZipDeflate, ZipPassThrough, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/lib/engine/import/index.ts';
import { ImportError } from '../../../src/lib/engine/import/report.ts';
import { readZippedShapefile } from '../../../src/lib/engine/import/shapefile.ts';
import { INFLATE_LIMITS, unzipLimited } from '../../../src/lib/engine/import/zip.ts';
import { handZip, zerosDeflated } from './fixtures/zip-bomb.ts';
import { writeDbf, writeShp } from './fixtures/shapefile/write-shapefile.ts';

const MIB = 1024 * 1024;

/** Deterministic pseudo-random bytes, `zeroShare` of them 0 (so they compress somewhat). */
function bytesOf(length: number, seed: number, zeroShare = 0.5): Uint8Array {
	const out = new Uint8Array(length);
	let state = seed >>> 0;
	for (let i = 0; i < length; i++) {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		out[i] = state / 2 ** 32 < zeroShare ? 0 : state >>> 24;
	}
	return out;
}

const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));

/** A one-point layer: 小区.shp (valid) and 小区.dbf replaced by a bomb, names in GBK without the flag. */
function shapefileBomb(mib: number): Uint8Array {
	const { shp } = writeShp([{ type: 'Point', coordinates: [120.4, 36.1] }], 'Point');
	return handZip([
		{ name: gbk('小区.shp'), method: 0, data: shp, originalBytes: shp.length },
		{ name: gbk('小区.dbf'), method: 8, data: zerosDeflated(mib), originalBytes: mib * MIB }
	]);
}

describe('unzipLimited (issue 17)', () => {
	it('reads ordinary zips exactly as fflate unzipSync did', () => {
		const streamed: Uint8Array[] = [];
		const zip = new Zip((error, chunk) => {
			if (error) throw error;
			streamed.push(chunk);
		});
		// Streamed entries carry data descriptors (sizes after the data).
		const deflated = new ZipDeflate('流/小区.dbf', { level: 6 });
		zip.add(deflated);
		deflated.push(bytesOf(300_000, 1), true);
		const stored = new ZipPassThrough('stream/a.prj');
		zip.add(stored);
		stored.push(strToU8('PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 40"]'), true);
		zip.end();
		const zips = [
			Buffer.concat(streamed),
			zipSync({
				'a.shp': bytesOf(100_000, 2),
				'sub/b.dbf': [bytesOf(50_000, 3, 0.9), { level: 9 }],
				'c.cpg': [strToU8('GBK'), { level: 0 }],
				'empty.txt': new Uint8Array(0),
				'零.bin': new Uint8Array(3 * MIB) // 1,000 : 1, but under the 4 MiB floor
			}),
			handZip([
				{ name: gbk('崂山/小区.cpg'), method: 0, data: strToU8('936'), originalBytes: 3 },
				{
					name: gbk('崂山/小区.dbf'),
					method: 8,
					data: deflateRawSync(bytesOf(20_000, 4)),
					originalBytes: 20_000
				}
			])
		];
		for (const bytes of zips) {
			const expected = unzipSync(bytes);
			const actual = unzipLimited(bytes, 'a.zip', () => true);
			expect(Object.keys(actual)).toEqual(Object.keys(expected));
			for (const name of Object.keys(expected)) {
				// Byte comparison: a deep equality of 4 MiB takes seconds.
				expect(actual[name].constructor).toBe(Uint8Array);
				expect(Buffer.from(actual[name]).equals(Buffer.from(expected[name]))).toBe(true);
			}
		}
		// The filter sees fflate's names; unwanted entries are not inflated.
		expect(Object.keys(unzipLimited(zips[1], 'a.zip', (name) => name.endsWith('.dbf')))).toEqual([
			'sub/b.dbf'
		]);
	});

	it('judges the ratio past 4 MiB or twice the zip: an ArcGIS Id-only .dbf passes beside a big .shp, not alone', () => {
		// 750,000 records of Id = 0 (the field ArcGIS adds): about 500 : 1.
		const record = new TextEncoder().encode('      0');
		const dbf = new Uint8Array(750_000 * record.length);
		for (let at = 0; at < dbf.length; at += record.length) dbf.set(record, at);
		const shp = bytesOf(3 * MIB, 7, 0); // coordinates hardly compress
		const layer = zipSync({ 'a.shp': [shp, { level: 0 }], 'a.dbf': [dbf, { level: 9 }] });
		expect(dbf.length / (layer.length - shp.length)).toBeGreaterThan(200);
		const read = unzipLimited(layer, 'layer.zip', () => true);
		expect(Buffer.from(read['a.dbf']).equals(Buffer.from(dbf))).toBe(true);
		expect(() =>
			unzipLimited(zipSync({ 'a.dbf': [dbf, { level: 9 }] }), 'alone.zip', () => true)
		).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
	});

	it('refuses a zip whose entries together pass the total, naming the entry that did', () => {
		const bytes = zipSync({ 'a.shp': bytesOf(600_000, 5), 'a.dbf': bytesOf(600_000, 6) });
		const limits = { ...INFLATE_LIMITS, maxTotalBytes: 1_000_000 };
		expect(() => unzipLimited(bytes, 'two.zip', () => true, limits)).toThrow(
			expect.objectContaining({
				code: 'TOO_LARGE',
				message: expect.stringMatching(
					/^two\.zip: 压缩包内的 a\.dbf 解压后使整个压缩包超过 0\.95\d* MiB，已拒绝导入 \/ a\.dbf in the zip takes the zip past/
				)
			})
		);
	});
});

describe('a zip bomb on the way in (issue 17)', () => {
	it('refuses 1.2 GB of zeros in a 1.2 MB zip after a few MB, naming the file and the GBK entry', async () => {
		const bomb = shapefileBomb(1200);
		expect(bomb.length).toBeLessThan(1.5 * MIB);
		const before = process.memoryUsage().rss;
		const error = await readZippedShapefile(bomb, 'bomb.zip').then(
			() => null,
			(caught: unknown) => caught
		);
		const grown = process.memoryUsage().rss - before;
		expect(error).toBeInstanceOf(ImportError);
		expect((error as ImportError).code).toBe('TOO_LARGE');
		expect((error as ImportError).message).toMatch(
			/^bomb\.zip: 压缩包内的 小区\.dbf 解压后超过压缩大小的 200 倍（疑似压缩炸弹），已拒绝导入 \/ 小区\.dbf in the zip inflates to more than 200 times its compressed size \(\d+ MiB from \d+ KiB so far\), like a zip bomb: refused/
		);
		expect(grown).toBeLessThan(200 * MIB);
	});

	it('refuses it through importFile with the same code, and still reads the layer without the bomb', async () => {
		await expect(
			importFile('bomb.zip', shapefileBomb(64), { layer: 'residential' })
		).rejects.toMatchObject({ code: 'TOO_LARGE', file: 'bomb.zip' });
		const { shp } = writeShp([{ type: 'Point', coordinates: [120.4, 36.1] }], 'Point');
		const dbf = writeDbf(
			[{ name: 'NAME', type: 'C', lengthBytes: 20 }],
			[{ NAME: '金岭花园' }],
			gbk
		);
		const ordinary = zipSync({ '小区.shp': shp, '小区.dbf': dbf, '小区.cpg': strToU8('GBK') });
		const table = await readZippedShapefile(ordinary, 'ok.zip');
		expect(table.records.map((record) => record.properties)).toEqual([{ NAME: '金岭花园' }]);
	});
});
