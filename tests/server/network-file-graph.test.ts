/**
 * Issue 18 item 4: the server (region-graph.ts) and the CLI cache (scripts/graph-cache.ts) build
 * a region's graph by streaming its network file from disk. The graph must be byte for byte the
 * one the old path built from the whole text (tests/engine/graph/reference), for the shipped
 * regions and in any chunk size; broken files are refused with the same kind of error.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegionGraph } from '../../scripts/graph-cache.ts';
import { WalkGraphError } from '../../src/lib/engine/graph/build.ts';
import {
	buildNetworkFileGraph,
	REGION_MIN_COMPONENT_NODES
} from '../../src/lib/engine/graph/network-file.ts';
import type { RegionMeta } from '../../src/lib/engine/region/schema.ts';
import { buildNetworkFileGraphFromPath } from '../../src/lib/server/network-file-graph.ts';
import { regionGraph } from '../../src/lib/server/region-graph.ts';
import { referenceNetworkFileGraph } from '../engine/graph/reference/network-build-before-streaming.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const regionsDir = join(repoRoot, 'data', 'regions');
const scratch = mkdtempSync(join(tmpdir(), 'carecircle-network-stream-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('hex');
const withoutTime = <T extends { buildMs: number }>(report: T) => ({ ...report, buildMs: 0 });

/** The shipped regions with a GeoJSON network layer. */
const shipped = readdirSync(regionsDir)
	.filter((id) => existsSync(join(regionsDir, id, 'region.json')))
	.map((id) => ({
		id,
		meta: JSON.parse(readFileSync(join(regionsDir, id, 'region.json'), 'utf8')) as RegionMeta
	}))
	.filter(({ meta }) => meta.layers.network?.endsWith('.geojson'));

describe('issue 18: region graphs streamed from the network file', () => {
	it('ships at least one GeoJSON network to compare', () => {
		expect(shipped.length).toBeGreaterThan(0);
	});

	for (const { id, meta } of shipped) {
		it(`${id}: the same graph bytes and report as the whole-file build, in any chunk size`, () => {
			const file = join(regionsDir, id, meta.layers.network!);
			const label = `data/regions/${id}/${meta.layers.network}`;
			const options = { minComponentNodes: REGION_MIN_COMPONENT_NODES };
			const old = referenceNetworkFileGraph(new Uint8Array(readFileSync(file)), label, options);
			expect(old.report.nodes).toBeGreaterThan(1000);
			for (const chunkBytes of [undefined, 1, 7, 4096, 65_537]) {
				const now = buildNetworkFileGraphFromPath(file, label, { ...options, chunkBytes });
				expect(hex(now.graph.buffer), `chunkBytes ${chunkBytes}`).toBe(hex(old.graph.buffer));
				expect(withoutTime(now.report)).toEqual(withoutTime(old.report));
			}
			// What the server hands out and what the CLI cache builds.
			expect(hex(regionGraph(regionsDir, id)!.buffer)).toBe(hex(old.graph.buffer));
			const cached = loadRegionGraph(join(regionsDir, id), meta, {
				cacheDir: join(scratch, 'cache'),
				rebuild: true
			});
			expect(hex(cached.graph.buffer)).toBe(hex(old.graph.buffer));
		});
	}

	it('reads an OSM extract whole, as before', () => {
		const pbf = join(repoRoot, '..', 'shared', 'data', 'osm', 'monaco.osm.pbf');
		if (!existsSync(pbf)) return; // the shared data is not on every machine
		const old = buildNetworkFileGraph(new Uint8Array(readFileSync(pbf)), 'monaco.osm.pbf');
		const now = buildNetworkFileGraphFromPath(pbf, 'monaco.osm.pbf', { chunkBytes: 3 });
		expect(hex(now.graph.buffer)).toBe(hex(old.graph.buffer));
	});

	it('decides GeoJSON after leading whitespace longer than a chunk', () => {
		const region = shipped[0];
		const text = readFileSync(join(regionsDir, region.id, region.meta.layers.network!), 'utf8');
		const file = join(scratch, 'padded.geojson');
		writeFileSync(file, `${' \n'.repeat(5000)}${text}`);
		const old = referenceNetworkFileGraph(new Uint8Array(readFileSync(file)), 'padded.geojson');
		const now = buildNetworkFileGraphFromPath(file, 'padded.geojson', { chunkBytes: 1000 });
		expect(hex(now.graph.buffer)).toBe(hex(old.graph.buffer));
	});

	it('refuses broken files with the same kind of error, naming the file and the place', () => {
		const region = shipped[0];
		const text = readFileSync(join(regionsDir, region.id, region.meta.layers.network!), 'utf8');
		const cases = {
			'cut.geojson': text.slice(0, Math.floor(text.length / 2)),
			'comma.geojson': text.replace('},\n{', '},,\n{'),
			'not-a-collection.geojson': text.replace('"FeatureCollection"', '"Feature"'),
			'point.geojson': text.replace('"LineString"', '"Point"'),
			'empty.geojson': '{"type":"FeatureCollection","features":[]}'
		};
		for (const [name, content] of Object.entries(cases)) {
			const file = join(scratch, name);
			writeFileSync(file, content);
			const refusal = (build: () => unknown) => {
				try {
					build();
				} catch (error) {
					return error as WalkGraphError;
				}
				throw new Error(`${name} was accepted`);
			};
			const old = refusal(() =>
				referenceNetworkFileGraph(new Uint8Array(readFileSync(file)), `x/${name}`)
			);
			const now = refusal(() =>
				buildNetworkFileGraphFromPath(file, `x/${name}`, { chunkBytes: 4096 })
			);
			expect(now, name).toBeInstanceOf(WalkGraphError);
			expect([now.code, now.file], name).toEqual([old.code, old.file]);
			if (old.message.includes('not valid JSON')) {
				// The place: byte offset, line and column where JSON.parse would have stopped.
				const at = Number(/at byte (\d+)/.exec(now.message)?.[1]);
				const bytes = Buffer.from(content);
				const expectedAt = name === 'cut.geojson' ? bytes.length : bytes.indexOf(',,\n{') + 1;
				expect(at, now.message).toBe(expectedAt);
				expect(now.message).toMatch(/^x\/\S+: 不是有效的 JSON（第 \d+ 行第 \d+ 列/);
			} else expect(now.message, name).toBe(old.message);
		}
	});
});
