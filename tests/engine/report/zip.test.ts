/**
 * The report.xlsx zip container (issue 17 item 1): byte for byte fflate's zipSync with the same
 * entries, levels and date; another deflate (Node's zlib) gives a zip that unzips to the same
 * entries; the slicing-by-8 CRC-32 agrees with zlib's.
 */
import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, zipPackage } from '../../../src/lib/engine/report/zip.ts';

/** Entries of every size class: empty, a few bytes, text, 200 kB of noise, 1 MB of XML. */
function entries(): Record<string, Uint8Array> {
	let seed = 7;
	const noise = new Uint8Array(200_000).map(
		() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24
	);
	const rows = Array.from(
		{ length: 20_000 },
		(_, r) => `<row r="${r + 2}"><c r="A${r + 2}"><v>${r * 3.25}</v></c></row>`
	);
	return {
		'[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'),
		'empty.bin': new Uint8Array(0),
		'xl/a.bin': new Uint8Array([1, 2, 3]),
		'xl/noise.bin': noise,
		'xl/worksheets/sheet1.xml': strToU8(rows.join('')),
		'xl/sharedStrings.xml': strToU8('<sst>中文 “引号” & more</sst>')
	};
}

describe('zipPackage', () => {
	const mtime = new Date(2026, 10, 22);

	it('writes the same bytes as fflate zipSync at one level and at levels per entry', () => {
		const files = entries();
		expect(
			Buffer.from(zipPackage(files, { mtime, level: () => 6 })).equals(
				zipSync(files, { level: 6, mtime })
			)
		).toBe(true);
		const levels = (path: string) => (path.endsWith('.xml') ? 1 : 9);
		const mixed = Object.fromEntries(
			Object.entries(files).map(([path, data]) => [path, [data, { level: levels(path) }] as const])
		);
		expect(
			Buffer.from(zipPackage(files, { mtime, level: levels })).equals(
				zipSync(mixed as Parameters<typeof zipSync>[0], { level: 6, mtime })
			)
		).toBe(true);
	});

	it('with another deflate, unzips to the same entries', () => {
		const files = entries();
		const zipped = zipPackage(files, {
			mtime,
			level: () => 1,
			deflate: (data, level) => deflateRawSync(data, { level })
		});
		const back = unzipSync(zipped);
		expect(Object.keys(back)).toEqual(Object.keys(files));
		for (const [path, data] of Object.entries(files))
			expect(Buffer.from(back[path]).equals(data), path).toBe(true);
	});

	it('refuses a non-ASCII path and a date before 1980', () => {
		expect(() =>
			zipPackage({ '居住区.xml': new Uint8Array(1) }, { mtime, level: () => 6 })
		).toThrow(RangeError);
		expect(() =>
			zipPackage({ a: new Uint8Array(1) }, { mtime: new Date(1979, 0, 1), level: () => 6 })
		).toThrow(RangeError);
	});
});

describe('crc32', () => {
	it('agrees with zlib on every length 0–40 and on 1 MB', () => {
		const data = entries()['xl/noise.bin'];
		for (let length = 0; length <= 40; length++)
			expect(crc32(data.subarray(3, 3 + length)), String(length)).toBe(
				zlibCrc32(data.subarray(3, 3 + length))
			);
		const big = entries()['xl/worksheets/sheet1.xml'];
		expect(crc32(big)).toBe(zlibCrc32(big));
	});
});
