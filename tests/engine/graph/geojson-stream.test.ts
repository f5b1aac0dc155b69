/**
 * Issue 18 item 4: a GeoJSON network is streamed into the graph builder. Whatever the chunks,
 * the graph must be the one the old path built (whole text → JSON.parse → two-pass builder,
 * frozen in reference/network-build-before-streaming.ts) byte for byte, with the same report;
 * a file the old path refused is refused with the same error (JSON errors now say the byte,
 * line and column of the first bad byte).
 */
import { describe, expect, it } from 'vitest';
import {
	FeatureCollectionReader,
	firstSyntaxError,
	JsonSyntaxError
} from '../../../src/lib/engine/graph/geojson-stream.ts';
import {
	buildNetworkFileGraph,
	GeoJsonNetworkGraphBuilder,
	networkFileKind
} from '../../../src/lib/engine/graph/network-file.ts';
import { referenceNetworkFileGraph } from './reference/network-build-before-streaming.ts';
import { seeded } from './helpers.ts';

const encoder = new TextEncoder();
type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** JSON with random whitespace between tokens and some characters written as \u escapes. */
function serialize(value: unknown, random: Random): string {
	const space = () => pick(random, ['', '', '', ' ', '\n', '\t', '\r\n  ', '  ']);
	const string = (text: string) =>
		JSON.stringify(text).replace(/[a-z\u4e00-\u9fff]/g, (char) =>
			random() < 0.05 ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char
		);
	const write = (item: unknown): string => {
		if (Array.isArray(item))
			return `[${space()}${item.map(write).join(`${space()},${space()}`)}${space()}]`;
		if (item !== null && typeof item === 'object')
			return `{${space()}${Object.entries(item)
				.map(([key, member]) => `${string(key)}${space()}:${space()}${write(member)}`)
				.join(`${space()},${space()}`)}${space()}}`;
		if (typeof item === 'string') return string(item);
		return JSON.stringify(item);
	};
	return `${space()}${write(value)}${space()}`;
}

const HIGHWAYS = [
	'residential',
	'footway',
	'steps',
	'motorway',
	'primary',
	'service',
	'pedestrian'
];
const NAMES = ['南京东路', 'Rue "de" la Paix', 'a\\b', 'line\nbreak', '😀 emoji', 'ünïcödé', ''];

/** A random network on a 10 × 10 lattice (ways share vertices), sometimes with faults. */
function randomNetwork(
	random: Random,
	faults: boolean,
	maxFeatures = 40
): { text: string; minComponentNodes: number } {
	const vertex = () => [
		121.5 + Math.floor(random() * 10) * 0.0005,
		31.2 + Math.floor(random() * 10) * 0.0005
	];
	const line = () => {
		const points = [vertex()];
		for (let k = 1 + Math.floor(random() * 6); k > 0; k--) {
			const [lon, lat] = points[points.length - 1];
			const step = pick(random, [
				[0.0005, 0],
				[-0.0005, 0],
				[0, 0.0005],
				[0, -0.0005],
				[0, 0]
			]);
			points.push([lon + step[0], lat + step[1]]);
		}
		return points;
	};
	const features: unknown[] = [];
	for (let f = Math.floor(random() * maxFeatures); f > 0; f--) {
		const properties: Record<string, unknown> = { highway: pick(random, HIGHWAYS) };
		if (random() < 0.3) properties.name = pick(random, NAMES);
		if (random() < 0.1) properties.tunnel = 'yes';
		if (random() < 0.2) properties.osmId = Math.floor(random() * 1e9);
		if (random() < 0.1) properties.incline = 'up';
		let geometry: unknown =
			random() < 0.15
				? { type: 'MultiLineString', coordinates: [line(), line()] }
				: { type: 'LineString', coordinates: line() };
		if (faults && random() < 0.03) geometry = { type: 'Point', coordinates: vertex() };
		if (faults && random() < 0.03)
			(geometry as { coordinates: unknown[] }).coordinates.push(pick(random, [[200, 0], 'x', [1]]));
		if (random() < 0.05) geometry = null;
		const feature: Record<string, unknown> =
			random() < 0.5
				? { type: 'Feature', geometry, properties }
				: { properties, id: f, geometry, type: 'Feature' };
		features.push(faults && random() < 0.01 ? null : feature);
	}
	const members: [string, unknown][] = [];
	if (random() < 0.3) members.push(['name', '测试 "network" \u2028']);
	if (random() < 0.3) members.push(['meta', { features: [1, 2, { a: [] }], type: 'x' }]);
	if (random() < 0.2) members.push(['features', [{ decoy: true }]]); // JSON.parse keeps the last
	members.push(['features', features]);
	members.splice(Math.floor(random() * (members.length + 1)), 0, [
		'type',
		faults && random() < 0.1 ? 'Feature' : 'FeatureCollection'
	]);
	if (random() < 0.3) members.push(['bbox', [121.5, 31.2, 121.505, 31.205]]);
	if (faults && random() < 0.05) members.push(['features', { not: 'an array' }]);
	// Members written by hand so that duplicate keys survive.
	const space = () => pick(random, ['', ' ', '\n']);
	const key = (name: string) =>
		name === 'features' && random() < 0.2
			? '"featur\\u0065s"'
			: name === 'type' && random() < 0.2
				? '"typ\\u0065"'
				: JSON.stringify(name);
	const text = `${random() < 0.1 ? '\uFEFF' : ''}{${space()}${members
		.map(([name, value]) => `${key(name)}${space()}:${serialize(value, random)}`)
		.join(`,${space()}`)}${space()}}${space()}`;
	return { text, minComponentNodes: pick(random, [1, 1, 3, 20]) };
}

/** A broken copy: a byte changed, dropped or doubled, or the text cut short. */
function mutated(text: string, random: Random): string {
	const at = Math.floor(random() * text.length);
	const kind = Math.floor(random() * 4);
	if (kind === 0) return text.slice(0, at);
	if (kind === 1) return text.slice(0, at) + text.slice(at + 1);
	if (kind === 2) return text.slice(0, at) + text[at] + text.slice(at);
	const replacement = pick(random, [...'{}[],:"\\ 0-.eE+tfnx\u0001\uFEFF中']);
	return text.slice(0, at) + replacement + text.slice(at + 1);
}

type Outcome =
	{ graph: string; report: string } | { error: string; code: string | undefined; message: string };

function outcome(run: () => ReturnType<typeof buildNetworkFileGraph>): Outcome {
	try {
		const { graph, report } = run();
		return {
			graph: Buffer.from(graph.buffer).toString('base64'),
			report: JSON.stringify({ ...report, buildMs: 0 })
		};
	} catch (error) {
		if (!(error instanceof Error)) throw error;
		return { error: error.name, code: (error as { code?: string }).code, message: error.message };
	}
}

/** The streamed build with the bytes pushed in the given chunk sizes (cycled). */
function streamed(bytes: Uint8Array, sizes: readonly number[], minComponentNodes: number) {
	return outcome(() => {
		const builder = new GeoJsonNetworkGraphBuilder('network.geojson', { minComponentNodes });
		for (let at = 0, k = 0; at < bytes.length; k++) {
			const size = sizes[k % sizes.length];
			// A fresh copy each time, overwritten after the push: the reader must not keep views.
			const chunk = bytes.slice(at, at + size);
			builder.push(chunk);
			chunk.fill(0x20);
			at += size;
		}
		return builder.finish();
	});
}

/** Line and column (in characters) of byte `offset` of `bytes`, counted from scratch. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
	const before = new TextDecoder().decode(bytes.subarray(0, offset));
	const lines = before.split('\n');
	return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 };
}

const JSON_ERROR =
	/^network\.geojson: 不是有效的 JSON（第 (\d+) 行第 (\d+) 列，第 (\d+) 字节）\/ not valid JSON \(expected (.+) at byte \3 \(line \1, column \2\)\); expected a GeoJSON FeatureCollection of network lines$/;

/** The streamed outcome equals the old one; a JSON refusal names the right place. */
function expectSameOutcome(text: string, bytes: Uint8Array, old: Outcome, now: Outcome): boolean {
	if (!('error' in old) || !old.message.includes('not valid JSON')) {
		expect(now, text).toEqual(old);
		return false;
	}
	expect('error' in now && now.error, text).toBe('WalkGraphError');
	const message = (now as { message: string }).message;
	const match = JSON_ERROR.exec(message);
	expect(match, `${text}\n${message}`).not.toBeNull();
	// Not the fallback for a disagreement between the strict scan and JSON.parse.
	expect(match![4], text).not.toMatch(/^valid JSON/);
	const offset = Number(match![3]);
	expect(positionOf(bytes, offset), text).toEqual({
		line: Number(match![1]),
		column: Number(match![2])
	});
	// Where V8 gives a position (characters; the same as bytes in ASCII text), it is the same.
	const v8 = /at position (\d+)/.exec(old.message);
	const ascii = bytes.every((byte) => byte < 0x80);
	if (!v8 || !ascii) return false;
	expect(offset, `${text}\n${old.message}`).toBe(Number(v8[1]));
	return true;
}

describe('issue 18: the streamed network build equals the whole-file build', () => {
	it('gives the same graph bytes and report on random networks, in random chunks', () => {
		const random = seeded(184);
		let graphs = 0;
		let refusals = 0;
		for (let i = 0; i < 600; i++) {
			const { text, minComponentNodes } = randomNetwork(random, random() < 0.3);
			const bytes = encoder.encode(text);
			const old = outcome(() =>
				referenceNetworkFileGraph(bytes, 'network.geojson', { minComponentNodes })
			);
			const sizes = pick(random, [
				[1],
				[2, 3],
				[7],
				[1 + Math.floor(random() * 64)],
				[bytes.length]
			]);
			expectSameOutcome(text, bytes, old, streamed(bytes, sizes, minComponentNodes));
			expect(
				outcome(() => buildNetworkFileGraph(bytes, 'network.geojson', { minComponentNodes }))
			).toEqual(streamed(bytes, [bytes.length], minComponentNodes));
			if ('graph' in old) graphs++;
			else refusals++;
		}
		// Not vacuous: graphs and refusals (of valid JSON) were both compared.
		expect(graphs).toBeGreaterThan(150);
		expect(refusals).toBeGreaterThan(50);
	});

	it('gives the same graph with a chunk boundary at every byte', () => {
		const random = seeded(7);
		for (let i = 0; i < 6; i++) {
			const { text, minComponentNodes } = randomNetwork(random, false, 8);
			const bytes = encoder.encode(text);
			const old = outcome(() =>
				referenceNetworkFileGraph(bytes, 'network.geojson', { minComponentNodes })
			);
			for (let cut = 0; cut <= bytes.length; cut++) {
				const now = outcome(() => {
					const builder = new GeoJsonNetworkGraphBuilder('network.geojson', { minComponentNodes });
					builder.push(bytes.slice(0, cut));
					builder.push(bytes.slice(cut));
					return builder.finish();
				});
				if (JSON.stringify(now) !== JSON.stringify(old)) expect(now, `cut at ${cut}`).toEqual(old);
			}
		}
	});

	it('refuses broken copies as the old path did, naming the file and the place', () => {
		const random = seeded(18);
		let jsonErrors = 0;
		let positionsCompared = 0;
		for (let i = 0; i < 1500; i++) {
			const { text, minComponentNodes } = randomNetwork(random, false);
			const broken = mutated(text, random);
			const bytes = encoder.encode(broken);
			// Not starting with "{": an OSM extract to both paths (networkFileKind is unchanged).
			if (networkFileKind(bytes) !== 'geojson') continue;
			const old = outcome(() =>
				referenceNetworkFileGraph(bytes, 'network.geojson', { minComponentNodes })
			);
			const sizes = pick(random, [[1], [3, 5], [1 + Math.floor(random() * 200)], [bytes.length]]);
			if (expectSameOutcome(broken, bytes, old, streamed(bytes, sizes, minComponentNodes)))
				positionsCompared++;
			if ('error' in old && old.message.includes('not valid JSON')) jsonErrors++;
		}
		expect(jsonErrors).toBeGreaterThan(700);
		expect(positionsCompared).toBeGreaterThan(100);
	});

	it('refuses what JSON.parse refuses and keeps what it keeps', () => {
		const cases: [string, string][] = [
			['{"type":"FeatureCollection","features":[1,]}', 'a value'],
			['{"type":"FeatureCollection","features":[,1]}', 'a value'],
			['{"type":"FeatureCollection","features":[1 2]}', '"," or "]"'],
			['{"type":"FeatureCollection","features":[{"a":1}}]}', '"," or "]"'],
			['{"type":"FeatureCollection","features":[01]}', '"," or "]"'],
			['{"type":"FeatureCollection","features":["a\u0001"]}', 'no control character'],
			['{"type":"FeatureCollection","features":["\\x"]}', 'an escape'],
			['{"type":"FeatureCollection","features":[]} x', 'the end of the text'],
			['{"type":"FeatureCollection","features":[]', '"," or "}"'],
			['{"type":"FeatureCollection","features":[{"a":[1,2', '"," or "]"'],
			['{"type":"FeatureCollection","features":[{"a":', 'a value'],
			['{"type":"FeatureCollection","na', 'a closing quote'],
			['{"type":"FeatureCollection" "features":[]}', '"," or "}"'],
			['\uFEFF\uFEFF{"type":"FeatureCollection","features":[]}', '"{"'],
			[' \uFEFF{"type":"FeatureCollection","features":[]}', '"{"']
		];
		for (const [text, expected] of cases) {
			const bytes = encoder.encode(text);
			const old = outcome(() => referenceNetworkFileGraph(bytes, 'network.geojson'));
			expect(old, text).toMatchObject({ error: 'WalkGraphError', code: 'INVALID_GEOMETRY' });
			const now = streamed(bytes, [1], 20);
			expectSameOutcome(text, bytes, old, now);
			expect((now as { message: string }).message, text).toContain(`expected ${expected}`);
		}
		// A leading BOM is skipped, as TextDecoder skips it; the last "features" and "type" win.
		for (const text of [
			'\uFEFF{"type":"FeatureCollection","features":[]}',
			'{"features":[{"x":1}],"type":"Feature","features":[],"type":"FeatureCollection"}',
			'{"features":[],"features":5,"type":"FeatureCollection"}',
			'{"type":"FeatureCollection"}'
		]) {
			const bytes = encoder.encode(text);
			const old = outcome(() => referenceNetworkFileGraph(bytes, 'network.geojson'));
			expect(streamed(bytes, [1], 20), text).toEqual(old);
			expect(streamed(bytes, [bytes.length], 20), text).toEqual(old);
		}
	});

	it('reads a file cut into pieces at the piece-size limit (features larger than a piece)', () => {
		// One 5 MB street (larger than the 4 MiB the reader parses at once) among small ones.
		const long = Array.from({ length: 250_000 }, (_, k) => [121 + k * 1e-6, 31.2]);
		expect(JSON.stringify(long).length).toBeGreaterThan(4 << 20);
		const small = (k: number) => ({
			type: 'Feature',
			properties: { highway: 'footway' },
			geometry: {
				type: 'LineString',
				coordinates: [
					[121 + k * 1e-6, 31.2],
					[121 + k * 1e-6, 31.2001]
				]
			}
		});
		const features = [
			...Array.from({ length: 30_000 }, (_, k) => small(k)),
			{
				type: 'Feature',
				properties: { highway: 'residential' },
				geometry: { type: 'LineString', coordinates: long }
			},
			...Array.from({ length: 30_000 }, (_, k) => small(k + 30_000))
		];
		const bytes = encoder.encode(JSON.stringify({ type: 'FeatureCollection', features }));
		expect(bytes.length).toBeGreaterThan(8 << 20);
		const old = outcome(() => referenceNetworkFileGraph(bytes, 'network.geojson'));
		expect('graph' in old).toBe(true);
		expect(streamed(bytes, [1 << 20], 20)).toEqual(old);
		expect(streamed(bytes, [bytes.length], 20)).toEqual(old);
	});
});

describe('issue 18: the reader and its strict scan', () => {
	it('hands on each feature as JSON.parse gives it', () => {
		const random = seeded(3);
		for (let i = 0; i < 200; i++) {
			const { text } = randomNetwork(random, false);
			const parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as { features: unknown[] };
			const seen: unknown[] = [];
			const reader = new FeatureCollectionReader({
				startFeatures: () => (seen.length = 0),
				feature: (feature) => seen.push(feature)
			});
			const bytes = encoder.encode(text);
			for (let at = 0; at < bytes.length; at += 5) reader.push(bytes.subarray(at, at + 5));
			const summary = reader.end();
			expect(seen).toEqual(parsed.features);
			expect(summary).toEqual({ type: (parsed as { type?: unknown }).type, featuresIsArray: true });
		}
	});

	it('firstSyntaxError finds an error exactly when JSON.parse refuses', () => {
		const random = seeded(11);
		let refused = 0;
		for (let i = 0; i < 4000; i++) {
			const value = serialize(
				pick(random, [
					{ a: [1, -2.5e3, '中\n"', null, true, false, {}], b: [] },
					[0, [[]], { '': 'x' }],
					'\\u00e9',
					-0.25
				]),
				random
			);
			const text = random() < 0.8 ? mutated(value, random) : value;
			const bytes = encoder.encode(text);
			let valid = true;
			try {
				JSON.parse(`[${text}]`);
			} catch {
				valid = false;
			}
			const blank = text.trim() === '';
			// As array elements: one value or more (a blank text is a missing value).
			expect(firstSyntaxError(bytes, true) === null, text).toBe(valid && !blank);
			let single = true;
			try {
				JSON.parse(text);
			} catch {
				single = false;
			}
			expect(firstSyntaxError(bytes, false) === null, text).toBe(single);
			if (!single) refused++;
		}
		expect(refused).toBeGreaterThan(1500);
	});

	it('JsonSyntaxError says the byte, line and column', () => {
		const reader = new FeatureCollectionReader({ startFeatures() {}, feature() {} });
		const text = '{"type":"FeatureCollection",\n"features":[\n{"名":1}\n,]}';
		const error = (() => {
			try {
				reader.push(encoder.encode(text));
				reader.end();
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(JsonSyntaxError);
		expect(error).toMatchObject({ line: 4, column: 2, expected: 'a value' });
		expect((error as JsonSyntaxError).offset).toBe(encoder.encode(text).indexOf(0x5d));
	});
});
