/**
 * Issue 18 item 3: feature counts without parsing the whole file. The scanner must count what
 * `JSON.parse(text).features.length` counted and refuse exactly the texts JSON.parse refuses,
 * whatever the chunk boundaries; readRegion's counts of the shipped layers stay the same.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	countGeoJsonFeatures,
	FeatureCounter,
	JsonScanError
} from '../../src/lib/server/feature-count.ts';
import { readRegion } from '../../src/lib/server/region-store.ts';
import { seeded } from '../engine/graph/helpers.ts';

const encoder = new TextEncoder();
const repoRoot = join(import.meta.dirname, '..', '..');

/** What the old count read: JSON.parse, then `features.length` of an array (0 otherwise). */
function expectedCount(text: string): number | 'error' {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return 'error';
	}
	if (value === null) return 'error';
	const features = (value as { features?: unknown }).features;
	return typeof value === 'object' && !Array.isArray(value) && Array.isArray(features)
		? features.length
		: 0;
}

/** Count with the bytes pushed in random chunks (1 to 9 bytes, or all at once). */
function scanned(bytes: Uint8Array, random: () => number): number | 'error' {
	const counter = new FeatureCounter();
	try {
		if (random() < 0.3) counter.push(bytes);
		else
			for (let at = 0; at < bytes.length;) {
				const size = 1 + Math.floor(random() * 9);
				counter.push(bytes.subarray(at, at + size));
				at += size;
			}
		return counter.end();
	} catch (error) {
		if (error instanceof JsonScanError) return 'error';
		throw error;
	}
}

const STRINGS = [
	'',
	'a',
	'features',
	'featur\\u0065s',
	'\\"q\\"',
	'中文 \\n\\t\\/ \\u4e2d',
	'\\\\'
];
const NUMBERS = ['0', '-0', '12', '-3.25', '1e5', '1E-7', '0.5e+3', '121.4823550', '31.2274386'];

function randomJson(random: () => number, depth: number): string {
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const space = () => pick(['', '', ' ', '\n', '\t', '\r\n  ']);
	const r = random();
	if (depth > 3 || r < 0.35) {
		const kind = Math.floor(random() * 4);
		if (kind === 0) return `"${pick(STRINGS)}"`;
		if (kind === 1) return pick(NUMBERS);
		return pick(['true', 'false', 'null']);
	}
	const count = Math.floor(random() * 4);
	const items = Array.from({ length: count }, () => randomJson(random, depth + 1));
	if (r < 0.6) return `[${space()}${items.join(`${space()},${space()}`)}${space()}]`;
	const keys = ['features', 'type', 'featur\\u0065s', 'feature', 'x', 'features '];
	return `{${space()}${items.map((item) => `"${pick(keys)}"${space()}:${space()}${item}`).join(`,${space()}`)}${space()}}`;
}

/** A FeatureCollection-like document, sometimes with several or odd `features` members. */
function randomCollection(random: () => number): string {
	const members: string[] = [];
	const count = 1 + Math.floor(random() * 4);
	for (let m = 0; m < count; m++) {
		const key = random() < 0.7 ? 'features' : random() < 0.5 ? 'featur\\u0065s' : 'type';
		const value =
			random() < 0.8
				? `[${Array.from({ length: Math.floor(random() * 6) }, () => randomJson(random, 1)).join(',')}]`
				: randomJson(random, 1);
		members.push(`"${key}": ${value}`);
	}
	return `{${members.join(', ')}}`;
}

/** A broken copy: a byte changed, dropped or doubled, or the text cut short. */
function mutated(text: string, random: () => number): string {
	const at = Math.floor(random() * text.length);
	const kind = Math.floor(random() * 4);
	if (kind === 0) return text.slice(0, at);
	if (kind === 1) return text.slice(0, at) + text.slice(at + 1);
	if (kind === 2) return text.slice(0, at) + text[at] + text.slice(at);
	const replacement = '{}[],:"\\ 0-.eE+tfnx\u0001\uFEFF中'[Math.floor(random() * 23)];
	return text.slice(0, at) + replacement + text.slice(at + 1);
}

describe('issue 18: FeatureCounter counts as JSON.parse(text).features.length', () => {
	it('agrees with JSON.parse on random documents and on broken copies, in any chunks', () => {
		const random = seeded(18);
		let errors = 0;
		let counted = 0;
		for (let i = 0; i < 4000; i++) {
			const valid = random() < 0.8 ? randomCollection(random) : randomJson(random, 0);
			for (const text of [valid, mutated(valid, random), mutated(valid, random)]) {
				const expected = expectedCount(text);
				expect(scanned(encoder.encode(text), random), text).toBe(expected);
				if (expected === 'error') errors++;
				else if (expected > 0) counted++;
			}
		}
		// Not vacuous: both refusals and counts were compared.
		expect(errors).toBeGreaterThan(1000);
		expect(counted).toBeGreaterThan(1000);
	});

	it('refuses what JSON.parse refuses: a BOM, bad escapes, leading zeros, trailing commas', () => {
		const random = seeded(1);
		for (const text of [
			'\uFEFF{"features":[]}',
			'{"features":["\\x"]}',
			'{"features":[01]}',
			'{"features":[1,]}',
			'{"features":[1.]}',
			'{"features":[-]}',
			'{"features":["a\u0001"]}',
			'{"features":[]} x',
			'',
			'   ',
			'null',
			'{"a":1}{"b":2}'
		])
			expect(scanned(encoder.encode(text), random), JSON.stringify(text)).toBe('error');
		expect(scanned(encoder.encode(' 5 '), random)).toBe(0);
		expect(scanned(encoder.encode('{"features":[{},{}],"features":[1]}'), random)).toBe(1);
		expect(scanned(encoder.encode('{"x":{"features":[1,2,3]},"features":[[1,2],3]}'), random)).toBe(
			2
		);
	});

	it("gives readRegion's counts of the shipped layers (network, buildings)", () => {
		const regionsDir = join(repoRoot, 'data', 'regions');
		const region = readRegion(regionsDir, 'shanghai-bund-lujiazui');
		const parsedLength = (file: string) =>
			(
				JSON.parse(readFileSync(join(regionsDir, 'shanghai-bund-lujiazui', file), 'utf8')) as {
					features: unknown[];
				}
			).features.length;
		expect(region.layers.networkFeatureCount).toBe(parsedLength('network.geojson'));
		expect(region.layers.buildingCount).toBe(parsedLength('buildings.geojson'));
		expect(region.layers.networkFeatureCount).toBeGreaterThan(100);
	});

	it('reads a file larger than one chunk', () => {
		const dir = mkdtempSync(join(tmpdir(), 'carecircle-count-'));
		try {
			const feature =
				'{"type":"Feature","geometry":{"type":"Point","coordinates":[121.5,31.2]},"properties":{"name":"点 \\"a\\""}}';
			const text = `{"type":"FeatureCollection","features":[\n${Array(30_000).fill(feature).join(',\n')}\n]}\n`;
			writeFileSync(join(dir, 'big.geojson'), text);
			expect(text.length).toBeGreaterThan(2 << 20);
			expect(countGeoJsonFeatures(join(dir, 'big.geojson'))).toBe(30_000);
			writeFileSync(join(dir, 'cut.geojson'), text.slice(0, text.length - 5));
			expect(() => countGeoJsonFeatures(join(dir, 'cut.geojson'))).toThrow(JsonScanError);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
