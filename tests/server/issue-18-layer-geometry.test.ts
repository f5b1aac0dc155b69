/**
 * Issue 18 item 3: readRegion checks layer geometries by hand (server/layer-geometry.ts) and zod
 * parses the rest. Every answer must be the schema's own: the same data with its keys in the
 * same order for a valid feature, the same issues for a broken one — on the shipped layers and on
 * thousands of features broken at random.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
	boundaryFeature,
	facilityFeature,
	residentialFeature
} from '../../src/lib/engine/region/schema.ts';
import { layerFeatureParser, type LayerGeometryType } from '../../src/lib/server/layer-geometry.ts';
import { seeded } from '../engine/graph/helpers.ts';

const LAYERS: [string, z.ZodObject, LayerGeometryType[]][] = [
	['boundaries.geojson', boundaryFeature, ['Polygon', 'MultiPolygon']],
	['residential.geojson', residentialFeature, ['Polygon', 'MultiPolygon', 'Point']],
	['facilities.geojson', facilityFeature, ['Point']]
];

function expectSameAnswer(
	parse: (feature: unknown) => z.ZodSafeParseResult<unknown>,
	schema: z.ZodObject,
	feature: unknown
) {
	// Parse copies of the input: the fast path hands out the input's own coordinate arrays.
	const copy = () => structuredClone(feature);
	const expected = schema.safeParse(copy());
	const found = parse(copy());
	expect(found.success).toBe(expected.success);
	if (expected.success) expect(JSON.stringify(found.data)).toBe(JSON.stringify(expected.data));
	else expect(found.error!.issues).toEqual(expected.error.issues);
}

/** Break one thing somewhere in a feature's geometry (or nothing). */
function mutate(random: () => number, feature: Record<string, unknown>): unknown {
	const copy = structuredClone(feature) as { geometry: Record<string, unknown> };
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const geometry = copy.geometry;
	const u = random();
	if (u < 0.1) return copy; // unchanged
	if (u < 0.15) {
		geometry.type = pick(['Point', 'Polygon', 'MultiPolygon', 'LineString', 'polygon', 7]);
		return copy;
	}
	if (u < 0.2) {
		(copy as Record<string, unknown>).geometry = pick([null, [], 'x', undefined, {}]);
		return copy;
	}
	if (u < 0.25) {
		geometry.bbox = [0, 0, 1, 1]; // an extra member: dropped
		return copy;
	}
	// Somewhere inside the coordinates: a list cut short, emptied, or an item replaced.
	let list = geometry.coordinates as unknown[];
	while (Array.isArray(list) && list.length && Array.isArray(list[0]) && random() < 0.7)
		list = list[Math.floor(random() * list.length)] as unknown[];
	if (!Array.isArray(list)) return copy;
	const v = random();
	if (v < 0.25) list.length = Math.floor(random() * list.length);
	else if (v < 0.35) list.push(pick([1, 'x', [1, 2], null]));
	else if (list.length) {
		const k = Math.floor(random() * list.length);
		list[k] = pick([
			181,
			-180,
			180.0000001,
			91,
			-90,
			'121.5',
			null,
			true,
			[],
			[121.5],
			[121.5, 31.2, 4],
			[121.5, 31.2, 'z'],
			1e308 * 10
		]);
	}
	return copy;
}

describe('issue 18: layer features parsed with hand-checked geometry', () => {
	for (const region of ['shanghai-bund-lujiazui', 'qingdao-laoshan'])
		it(`gives the schema's answers on ${region}'s layers, as shipped and broken`, () => {
			const random = seeded(region.length);
			let checked = 0;
			for (const [file, schema, types] of LAYERS) {
				let text: string;
				try {
					text = readFileSync(join('data', 'regions', region, file), 'utf8');
				} catch {
					continue; // the region has no such layer
				}
				const parse = layerFeatureParser(schema, types);
				const features = (JSON.parse(text) as { features: Record<string, unknown>[] }).features;
				for (const feature of features) {
					expectSameAnswer(parse, schema, feature);
					for (let k = 0; k < 3; k++) expectSameAnswer(parse, schema, mutate(random, feature));
					checked++;
				}
			}
			expect(checked).toBeGreaterThan(5);
		});

	it('gives the schema’s answers on 3,000 generated features of every kind, broken at random', () => {
		const random = seeded(18);
		const ring = () => {
			const [x, y] = [121 + random(), 31 + random()];
			const r: number[][] = [];
			for (let k = 0; k < 3 + Math.floor(random() * 5); k++)
				r.push([x + random() * 0.01, y + random() * 0.01]);
			r.push([...r[0]]);
			return r;
		};
		const geometries = [
			() => ({ type: 'Point', coordinates: [121 + random(), 31 + random()] }),
			() => ({ type: 'Polygon', coordinates: [ring(), ...(random() < 0.3 ? [ring()] : [])] }),
			() => ({ type: 'MultiPolygon', coordinates: [[ring()], [ring(), ring()]] })
		];
		for (let i = 0; i < 3_000; i++) {
			const [, schema, types] = LAYERS[i % 3];
			const parse = layerFeatureParser(schema, types);
			const properties =
				i % 3 === 0
					? { level: 'street', code: '310101001', name: 's', parentCode: null, estimated: {} }
					: i % 3 === 1
						? {
								id: `c${i}`,
								name: 'c',
								households: 10,
								elders: random() < 0.1 ? -1 : 3,
								status: 'existing',
								builtYear: null,
								streetCode: null,
								estimated: {}
							}
						: {
								id: `f${i}`,
								name: 'f',
								kind: 'meal_point',
								floorAreaM2: 1,
								landAreaM2: null,
								beds: null,
								nursingBeds: null,
								status: 'existing',
								streetCode: null,
								source: 'test',
								estimated: {}
							};
			const feature = {
				type: 'Feature',
				geometry: geometries[Math.floor(random() * 3)](),
				properties
			};
			expectSameAnswer(parse, schema, feature);
			expectSameAnswer(parse, schema, mutate(random, feature));
		}
	});
});
