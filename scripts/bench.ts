/**
 * npm run bench [-- --out <file.json>] [--only monaco|shanghai|grid]
 *
 * Seeded, repeatable timings of the walking-network engine on Monaco (shared OSM extract), the
 * Shanghai demo region (data/regions/shanghai-bund-lujiazui) and a generated 1000 × 1000 grid
 * of 80 m blocks (1 M nodes, ~4 M directed edges, Hilbert-numbered like the graph builder's
 * output). Each search is also timed, on the same graph and sources, with the straightforward
 * CSR Dijkstra (scripts/bench/baseline.ts) and, where it fits, ngraph.path; `ratio` = ours ÷
 * theirs. Prints a table; --out also writes the entries as JSON (bench/results.json keeps the
 * last run so a diff shows a regression).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { gridGraph } from '../src/lib/engine/graph/grid.ts';
import { RoadGraph } from '../src/lib/engine/graph/road-graph.ts';
import { pointSources, WalkSearch, type SearchSource } from '../src/lib/engine/graph/search.ts';
import { BaselineDijkstra } from './bench/baseline.ts';
import { CatchmentPool } from './bench/pool.ts';
import { packFacilities, runCatchmentBatch } from './bench/catchment-protocol.ts';
import { monacoPbfPath, shanghaiNetworkPath } from './bench/network.ts';
import { buildWalkGraph, buildWalkGraphFromOsm } from '../src/lib/engine/graph/build.ts';
import { readOsm } from '../src/lib/engine/osm/index.ts';
import type { NetworkFeature } from '../src/lib/engine/region/schema.ts';

interface Entry {
	name: string;
	graph: string;
	nodes: number;
	directedEdges: number;
	medianMs: number;
	p95Ms: number;
	/** For measurements that are not times (bytes per directed edge). */
	value?: number;
	unit?: string;
	runs?: number;
	baseline?: string;
	baselineMedianMs?: number;
	ratio?: number;
	/** The same search with a binary heap and touched-node reset (the heap tuned, no buckets). */
	leanHeapMedianMs?: number;
	leanHeapRatio?: number;
	note?: string;
}

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outPath = outIndex >= 0 ? args[outIndex + 1] : undefined;
if (outIndex >= 0 && !outPath) {
	console.error('usage: npm run bench -- [--out <file.json>]');
	process.exit(2);
}

const onlyIndex = args.indexOf('--only');
/** `--only monaco|shanghai|grid`: bench one graph (default: all three). */
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const MAX_SECONDS = 900; // the 15-minute circle at 1.0 m/s
const FACILITIES = 500;
const entries: Entry[] = [];

/** mulberry32: the same sources on every run. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function stats(samplesMs: number[]): { medianMs: number; p95Ms: number } {
	const sorted = [...samplesMs].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
	return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}
const round = (ms: number) => Math.round(ms * 1000) / 1000;

function time(run: () => void, repeats: number, warmup = 1): number[] {
	for (let i = 0; i < warmup; i++) run();
	const samples: number[] = [];
	for (let i = 0; i < repeats; i++) {
		const start = performance.now();
		run();
		samples.push(performance.now() - start);
	}
	return samples;
}

/**
 * Time contenders in turn (A, B, C, B, C, A, …: the first rotates) so that load from other
 * processes on this shared machine falls on all of them alike; `warmup` rounds are not recorded.
 */
async function interleaved(
	contenders: (() => unknown)[],
	repeats: number,
	warmup = 1
): Promise<number[][]> {
	const samples = contenders.map(() => [] as number[]);
	for (let round = 0; round < warmup + repeats; round++) {
		for (let turn = 0; turn < contenders.length; turn++) {
			const i = (turn + round) % contenders.length; // rotate who goes first
			const start = performance.now();
			await contenders[i]();
			if (round >= warmup) samples[i].push(performance.now() - start);
		}
	}
	return samples;
}

async function timeAsync(
	run: () => Promise<unknown>,
	repeats: number,
	warmup = 1
): Promise<number[]> {
	for (let i = 0; i < warmup; i++) await run();
	const samples: number[] = [];
	for (let i = 0; i < repeats; i++) {
		const start = performance.now();
		await run();
		samples.push(performance.now() - start);
	}
	return samples;
}

function record(
	name: string,
	graphName: string,
	graph: RoadGraph,
	ours: number[],
	theirs?: { baseline: string; samples: number[] },
	note?: string,
	leanHeap?: number[]
): void {
	const entry: Entry = {
		name,
		graph: graphName,
		nodes: graph.nodeCount,
		directedEdges: graph.edgeCount,
		...stats(ours),
		runs: ours.length
	};
	if (theirs) {
		const baselineMedianMs = stats(theirs.samples).medianMs;
		entry.baseline = theirs.baseline;
		entry.baselineMedianMs = baselineMedianMs;
		entry.ratio = Math.round((entry.medianMs / baselineMedianMs) * 1000) / 1000;
	}
	if (leanHeap) {
		entry.leanHeapMedianMs = stats(leanHeap).medianMs;
		entry.leanHeapRatio = Math.round((entry.medianMs / entry.leanHeapMedianMs) * 1000) / 1000;
	}
	if (note) entry.note = note;
	entries.push(entry);
	let ratio =
		entry.ratio === undefined
			? ''
			: ` | ${entry.baseline}: ${entry.baselineMedianMs} ms, ratio ${entry.ratio}`;
	if (leanHeap) ratio += ` | lean heap ${entry.leanHeapMedianMs} ms, ratio ${entry.leanHeapRatio}`;
	console.log(
		`  ${name.padEnd(34)} median ${String(entry.medianMs).padStart(9)} ms  p95 ${String(entry.p95Ms).padStart(9)} ms${ratio}`
	);
}

/** Seeded facility doors on random edges (pointSources: both ends of the edge). */
function facilityDoors(
	graph: RoadGraph,
	count: number,
	seed: number
): { sources: SearchSource[] }[] {
	const random = seeded(seed);
	const facilities: { sources: SearchSource[] }[] = [];
	for (let f = 0; f < count; f++) {
		const edge = Math.floor(random() * graph.edgeCount);
		const toNode = graph.edgeTarget[edge];
		let fromNode = 0;
		while (graph.firstEdge[fromNode + 1] <= edge) fromNode++;
		const lengthM = graph.edgeLengthM[edge];
		const offsetM = random() * lengthM;
		facilities.push({ sources: pointSources({ fromNode, toNode, offsetM, lengthM }, f) });
	}
	return facilities;
}

/** ngraph.graph copy of a RoadGraph (one link per undirected segment, cost in link data). */
function toNgraph(graph: RoadGraph) {
	const ngraph = createGraph<undefined, number>();
	for (let node = 0; node < graph.nodeCount; node++) ngraph.addNode(node);
	for (let node = 0; node < graph.nodeCount; node++) {
		for (let e = graph.firstEdge[node]; e < graph.firstEdge[node + 1]; e++) {
			const target = graph.edgeTarget[e];
			if (node < target) ngraph.addLink(node, target, graph.edgeLengthM[e]);
		}
	}
	return ngraph;
}

async function benchGraph(
	graphName: string,
	graph: RoadGraph,
	buildSamples: number[],
	buildNote: string,
	options: { ngraph: boolean; singleRuns: number; bigRuns: number }
) {
	console.log(`\n${graphName}: ${graph.nodeCount} nodes, ${graph.edgeCount} directed edges`);
	record('build graph', graphName, graph, buildSamples, undefined, buildNote);

	// Load from the binary cache: read the file and wrap it.
	const dir = await mkdtemp(path.join(os.tmpdir(), 'carecircle-bench-'));
	const cachePath = path.join(dir, 'graph.bin');
	await writeFile(cachePath, new Uint8Array(graph.buffer));
	const loadSamples = await timeAsync(async () => {
		const bytes = await readFile(cachePath);
		const buffer =
			bytes.buffer.byteLength === bytes.byteLength
				? bytes.buffer
				: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
		RoadGraph.from(buffer as ArrayBuffer);
	}, 9);
	await rm(dir, { recursive: true });
	record(
		'load from binary cache',
		graphName,
		graph,
		loadSamples,
		{ baseline: 'build graph', samples: buildSamples },
		'readFile + RoadGraph.from; ratio = load ÷ build'
	);
	const bytesEntry: Entry = {
		name: 'bytes per directed edge',
		graph: graphName,
		nodes: graph.nodeCount,
		directedEdges: graph.edgeCount,
		medianMs: 0,
		p95Ms: 0,
		value: round(graph.bytesPerDirectedEdge),
		unit: 'bytes'
	};
	entries.push(bytesEntry);
	console.log(
		`  ${'bytes per directed edge'.padEnd(34)} ${bytesEntry.value} B (coordinates and header included)`
	);

	const ours = new WalkSearch(graph);
	const baseline = new BaselineDijkstra(graph, 'fill');
	const leanHeap = new BaselineDijkstra(graph, 'touched');
	const random = seeded(0x5eed);
	const singleSources = Array.from({ length: options.singleRuns }, () =>
		Math.floor(random() * graph.nodeCount)
	);

	// One bounded 15-minute search, each source timed on its own.
	const searchers = [ours, baseline, leanHeap];
	// Warm-up long enough for the JIT to optimise every searcher's loop.
	for (let i = 0; i < 300; i++) {
		for (const search of searchers) {
			search.run([{ node: singleSources[i % singleSources.length], initialS: 0, label: 0 }], {
				maxSeconds: MAX_SECONDS
			});
		}
	}
	// Blocks of 25 searches per searcher in turn: each searcher runs as it would in use (many
	// searches in a row), and load from other processes falls on all three alike.
	const [oursSingle, baseSingle, leanSingle] = searchers.map(() => [] as number[]);
	for (let block = 0; block < singleSources.length; block += 25) {
		// Rotate who goes first, so no searcher always follows the same one.
		for (let turn = 0; turn < searchers.length; turn++) {
			const which = (turn + block / 25) % searchers.length;
			for (const node of singleSources.slice(block, block + 25)) {
				const start = performance.now();
				searchers[which].run([{ node, initialS: 0, label: 0 }], { maxSeconds: MAX_SECONDS });
				[oursSingle, baseSingle, leanSingle][which].push(performance.now() - start);
			}
		}
	}
	record(
		'bounded 15-min search (1 source)',
		graphName,
		graph,
		oursSingle,
		{ baseline: 'straightforward CSR Dijkstra', samples: baseSingle },
		undefined,
		leanSingle
	);

	if (options.ngraph) {
		// ngraph.path has no bounded search: emulate it as a one-to-one Dijkstra (aStar, zero
		// heuristic) to the farthest node within 15 minutes, which settles about the same ball.
		const ngraph = toNgraph(graph);
		const finder = ngraphPath.aStar(ngraph, {
			oriented: false,
			distance: (_a, _b, link) => link.data
		});
		const pairs = singleSources.slice(0, Math.min(singleSources.length, 100)).map((node) => {
			ours.run([{ node, initialS: 0, label: 0 }], { maxSeconds: MAX_SECONDS });
			const settled = ours.settled();
			return [node, settled[settled.length - 1]] as const;
		});
		for (let i = 0; i < 5; i++) finder.find(pairs[i % pairs.length][0], pairs[i % pairs.length][1]);
		const ngraphSamples = pairs.map(([from, to]) => {
			const start = performance.now();
			finder.find(from, to);
			return performance.now() - start;
		});
		const oursPairs = oursSingle.slice(0, pairs.length);
		record('bounded 15-min search vs ngraph', graphName, graph, oursPairs, {
			baseline: 'ngraph.path aStar (no heuristic) to the farthest node within 15 min',
			samples: ngraphSamples
		});
	}

	const facilities = facilityDoors(graph, FACILITIES, 0xfac);
	const allSources = facilities.flatMap((facility) => facility.sources);

	// 500 catchments, each returned as flat node and time arrays: ours on a pool of workers
	// (both cores) and on one thread, baselines on one thread; all four in turn.
	const pool = await CatchmentPool.start(graph, os.availableParallelism());
	const oursCatchments = () =>
		runCatchmentBatch(ours, packFacilities(facilities), { maxSeconds: MAX_SECONDS });
	const baselineCatchments = (search: BaselineDijkstra) => () => {
		const nodes: Int32Array[] = [];
		const times: Float64Array[] = [];
		for (const facility of facilities) {
			search.run(facility.sources, { maxSeconds: MAX_SECONDS });
			const reached = search.reached().slice();
			const timeS = new Float64Array(reached.length);
			for (let i = 0; i < reached.length; i++) timeS[i] = search.timeS[reached[i]];
			nodes.push(reached);
			times.push(timeS);
		}
		return { nodes, times };
	};
	const [poolSamples, oursCatchmentSamples, baseCatchments, leanCatchments] = await interleaved(
		[
			() => pool.catchments(facilities, { maxSeconds: MAX_SECONDS }),
			oursCatchments,
			baselineCatchments(baseline),
			baselineCatchments(leanHeap)
		],
		options.bigRuns,
		3
	);
	await pool.close();
	record(
		`${FACILITIES} catchments (${os.availableParallelism()}-worker pool)`,
		graphName,
		graph,
		poolSamples,
		{ baseline: 'straightforward CSR Dijkstra, 1 thread', samples: baseCatchments },
		'each catchment returned as node + time arrays; pool time includes packing, messages, transfer',
		leanCatchments
	);
	record(
		`${FACILITIES} catchments (1 thread)`,
		graphName,
		graph,
		oursCatchmentSamples,
		{ baseline: 'straightforward CSR Dijkstra, 1 thread', samples: baseCatchments },
		undefined,
		leanCatchments
	);

	// One multi-source search from 500 facilities, bounded to 15 minutes; then unbounded, which
	// gives the nearest facility for every node.
	for (const [name, maxSeconds] of [
		[`multi-source from ${FACILITIES}, 15 min`, MAX_SECONDS],
		[`nearest of ${FACILITIES} for every node`, Infinity]
	] as const) {
		const [oursMulti, baseMulti, leanMulti] = await interleaved(
			searchers.map((search) => () => search.run(allSources, { maxSeconds })),
			options.bigRuns
		);
		record(
			name,
			graphName,
			graph,
			oursMulti,
			{ baseline: 'straightforward CSR Dijkstra', samples: baseMulti },
			undefined,
			leanMulti
		);
	}
}

const started = performance.now();
console.log(
	`carecircle bench — Node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`
);

// Monaco: PBF bytes → readOsm → buildWalkGraphFromOsm.
if (!only || only === 'monaco') {
	const bytes = new Uint8Array(await readFile(monacoPbfPath));
	let graph: RoadGraph | undefined;
	const buildSamples = time(() => {
		graph = buildWalkGraphFromOsm(readOsm(bytes, 'monaco.osm.pbf'), {
			file: 'monaco.osm.pbf'
		}).graph;
	}, 5);
	await benchGraph('monaco', graph!, buildSamples, 'readOsm(PBF bytes) + buildWalkGraphFromOsm', {
		ngraph: true,
		singleRuns: 300,
		bigRuns: 7
	});
}
// Shanghai demo region: network.geojson text → JSON.parse → buildWalkGraph.
if (!only || only === 'shanghai') {
	const text = await readFile(shanghaiNetworkPath, 'utf8');
	let graph: RoadGraph | undefined;
	const buildSamples = time(() => {
		graph = buildWalkGraph((JSON.parse(text) as { features: NetworkFeature[] }).features, {
			file: 'network.geojson'
		}).graph;
	}, 7);
	await benchGraph(
		'shanghai-bund-lujiazui',
		graph!,
		buildSamples,
		'JSON.parse(network.geojson) + buildWalkGraph',
		{ ngraph: true, singleRuns: 300, bigRuns: 7 }
	);
}
// Generated grid: 1000 × 1000 nodes, 80 m blocks, Hilbert numbering.
if (!only || only === 'grid') {
	let graph: RoadGraph | undefined;
	const buildSamples = time(
		() => {
			graph = gridGraph({ rows: 1000, cols: 1000, spacingM: 80, order: 'hilbert' }).graph;
		},
		3,
		0
	);
	await benchGraph(
		'grid-1000x1000-80m',
		graph!,
		buildSamples,
		'gridGraph generator (in memory, Hilbert numbering): not a text parse',
		{ ngraph: true, singleRuns: 200, bigRuns: 5 }
	);
}

console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (outPath) {
	await writeFile(outPath, JSON.stringify(entries, null, '\t') + '\n');
	console.log(`wrote ${entries.length} entries to ${outPath}`);
}
