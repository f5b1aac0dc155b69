/**
 * Issue 17 item 3: GeoJSON nested 100,000 arrays deep ended in an uncaught RangeError with a
 * stack trace. The nesting is now checked on the text before JSON.parse, and refused with the
 * file, the depth and where.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/lib/engine/import/index.ts';
import { readGeoJson } from '../../../src/lib/engine/import/geojson.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../../../src/lib/engine/import/json-depth.ts';
import { ImportError } from '../../../src/lib/engine/import/report.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/** Strings full of what could fool a scan: brackets, quotes, backslashes, a BMP character. */
const TRICKY = ['[', ']', '{', '}', '"', '\\', '\\"', '[[{', '"]', '\\\\', '小区', '\n'];

/** A random JSON value and its nesting depth ([] and {} are 1 deep, a number 0). */
function randomValue(next: () => number, budget: number): { value: unknown; depth: number } {
	const roll = next();
	if (budget === 0 || roll < 0.3) {
		if (roll < 0.15)
			return {
				value: Array.from(
					{ length: Math.floor(next() * 4) },
					() => TRICKY[Math.floor(next() * TRICKY.length)]
				).join(''),
				depth: 0
			};
		return { value: Math.round(next() * 1e6) / 100, depth: 0 };
	}
	const children = Array.from({ length: Math.floor(next() * 4) }, () =>
		randomValue(next, budget - 1)
	);
	const depth = 1 + Math.max(0, ...children.map((child) => child.depth));
	if (roll < 0.65) return { value: children.map((child) => child.value), depth };
	const entries = children.map((child, i) => [`${TRICKY[i % TRICKY.length]}k${i}`, child.value]);
	return { value: Object.fromEntries(entries), depth };
}

function errorOf(run: () => unknown): ImportError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('expected an ImportError');
}

describe('tooDeepAt (issue 17)', () => {
	it('finds the depth the parsed value has, on 2,000 random documents with tricky strings', () => {
		const next = random(64);
		for (let trial = 0; trial < 2000; trial++) {
			const { value, depth } = randomValue(next, 12);
			const text = JSON.stringify(value, null, trial % 2 ? 1 : undefined);
			expect(tooDeepAt(text, depth)).toBe(-1);
			if (depth === 0) continue;
			const at = tooDeepAt(text, depth - 1);
			expect(at).toBeGreaterThanOrEqual(0);
			expect('[{').toContain(text[at]);
		}
	});

	it('passes every shipped region file, which nest fewer than 10 levels as the message says', () => {
		const dir = join(repoRoot, 'data', 'regions');
		let checked = 0;
		for (const region of readdirSync(dir))
			for (const file of readdirSync(join(dir, region)).filter((name) => name.endsWith('json'))) {
				const text = readFileSync(join(dir, region, file), 'utf8');
				expect(tooDeepAt(text)).toBe(-1);
				expect(tooDeepAt(text, 9)).toBe(-1);
				checked++;
			}
		expect(checked).toBeGreaterThanOrEqual(9);
	});
});

describe('GeoJSON nested too deep (issue 17)', () => {
	const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);

	it('refuses 100,000 nested arrays before parsing, naming the file, the depth and where', () => {
		const error = errorOf(() => readGeoJson(deepArray, 'deep.geojson'));
		expect(error.code).toBe('TOO_DEEP');
		expect(error.message).toBe(
			`deep.geojson: JSON 嵌套超过 ${MAX_JSON_DEPTH} 层（第 1 行第 65 列），文件已损坏或不是所需的格式 / JSON nested deeper than ${MAX_JSON_DEPTH} levels (at line 1, column 65, character 64): GeoJSON and region files need fewer than 10, so the file is damaged or not what it should be`
		);
		expect(error.message).not.toContain('    at ');
	});

	it('refuses a Feature whose coordinates nest 100,000 deep, through importFile too', async () => {
		const text = `{"type":"Feature","properties":{"name":"[[["},\n"geometry":{"type":"Polygon","coordinates":${deepArray}}}`;
		const error = errorOf(() => readGeoJson(text, 'feature.geojson'));
		expect(error.code).toBe('TOO_DEEP');
		expect(error.message).toContain('（第 2 行第 ');
		await expect(
			importFile('feature.geojson', new TextEncoder().encode(text), { layer: 'boundaries' })
		).rejects.toMatchObject({ code: 'TOO_DEEP', file: 'feature.geojson' });
	});

	it('still reads a MultiPolygon feature collection (7 levels) as before', () => {
		const square = [
			[120, 36],
			[120.01, 36],
			[120.01, 36.01],
			[120, 36]
		];
		const text = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { name: '[{"' },
					geometry: { type: 'MultiPolygon', coordinates: [[square]] }
				}
			]
		});
		expect(readGeoJson(text, 'ok.geojson').records[0].geometry).toEqual({
			type: 'MultiPolygon',
			coordinates: [[square]]
		});
	});
});
