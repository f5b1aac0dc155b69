/**
 * `npm run bench` (options: BENCH_CLI below, or `npm run bench -- --help`).
 *
 * Seeded, repeatable timings of the walking-network engine on Monaco (shared OSM extract), the
 * Shanghai demo region (data/regions/shanghai-bund-lujiazui) and a generated 1000 × 1000 grid
 * of 80 m blocks (1 M nodes, ~4 M directed edges, Hilbert-numbered like the graph builder's
 * output). Each search is also timed, on the same graph and sources, with the straightforward
 * CSR Dijkstra (scripts/bench/baseline.ts) and, where it fits, ngraph.path; `ratio` = ours ÷
 * theirs. Prints a table; --out also writes the entries as JSON (bench/results.json keeps the
 * last run so a diff shows a regression).
 *
 * "build graph" is always from the text a region ships: the PBF for Monaco, network.geojson
 * for Shanghai and, for the grid, the same streets written out as network.geojson (its
 * generator's in-memory time is listed beside it); "load" reads the graph's binary file the way
 * scripts/graph-cache.ts does. Contenders run in turn, the first rotating, after warm-up runs
 * (JIT-compiled) of each.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { metresPerDegree } from '../src/lib/engine/graph/geodesic.ts';
import { gridGraph } from '../src/lib/engine/graph/grid.ts';
import { RoadGraph } from '../src/lib/engine/graph/road-graph.ts';
import {
	pointSources,
	WalkSearch,
	type SearchOptions,
	type SearchSource
} from '../src/lib/engine/graph/search.ts';
import { BaselineDijkstra, TunedDijkstra } from './bench/baseline.ts';
import { benchSiting, sitingTable, type SitingBenchEntry } from './bench/siting.ts';
import { benchOsmClip, osmClipTable, type OsmClipBenchEntry } from './bench/osm-clip.ts';
import { CatchmentPool } from './bench/pool.ts';
import { packFacilities, runCatchmentBatch } from './bench/catchment-protocol.ts';
import { monacoPbfPath, shanghaiNetworkPath } from './bench/network.ts';
import { benchCity, cityTable, type CityBenchRow } from './bench/city.ts';
import { benchHostile, hostileTable, type HostileBenchRow } from './bench/hostile.ts';
import { benchLoad, loadTable, type LoadBenchRow } from './bench/load.ts';
import { benchBigNetwork, bigNetworkTable, type BigNetworkRow } from './bench/big-network.ts';
import { benchProvince, provinceTable, type ProvinceBenchRow } from './bench/province.ts';
import { buildWalkGraph, buildWalkGraphFromOsm } from '../src/lib/engine/graph/build.ts';
import { readOsm } from '../src/lib/engine/osm/index.ts';
import type { NetworkFeature } from '../src/lib/engine/region/schema.ts';
import { DEFAULT_CIRCLE_MINUTES } from '../src/lib/engine/rules/defaults.ts';
import { parseCli } from './cli/args.ts';

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
	/** The reference: for searches the straightforward touched-reset Dijkstra (scripts/bench/baseline.ts). */
	baseline?: string;
	baselineMedianMs?: number;
	/** ours ÷ baseline, medians of interleaved runs. */
	ratio?: number;
	/** The same work by the best plain kernel we wrote (TunedDijkstra: no buckets, no chains). */
	tunedKernelMedianMs?: number;
	tunedKernelRatio?: number;
	/** The same work by the Dijkstra that clears its n-node arrays every run (the pre-issue-18 reference; flatters). */
	fullResetMedianMs?: number;
	fullResetRatio?: number;
	/** What must hold (issue 18), e.g. "ratio ≤ 0.7", and whether this run met it. */
	goal?: string;
	met?: boolean;
	note?: string;
}

/** The parts `--only` can pick, one `if (!only || only === …)` block each below. */
const BENCH_PARTS = [
	'monaco',
	'shanghai',
	'grid',
	'siting',
	'osm-clip',
	'city',
	'hostile',
	'load',
	'big-network',
	'province'
] as const;
const BENCH_CLI = {
	command: 'npm run bench',
	summary:
		'步行网络引擎基准测试（固定种子，可重复） / Seeded, repeatable timings of the walking-network engine',
	details:
		'Monaco (shared OSM extract), the Shanghai demo region and a generated 1000 × 1000 grid, each search also timed with a plain CSR Dijkstra and ngraph.path (ratio = ours ÷ theirs); then siting, then the streaming OSM clipper on a generated 2 M-node extract; then the whole gap analysis on a generated city (1 M nodes, 50,000 compounds) and its scaling series 10 k → 4 M nodes; then hostile files (400,000-vertex polygons, a zip bomb, deep JSON); then 50 concurrent reports against the built app while a page GET is timed, with 1 and 2 workers; then a network of 12 M nodes loaded; then county jobs with 1 and 2 workers. Each goal is printed beside its figure. Prints a table.',
	options: {
		out: {
			type: 'string',
			valueName: '<file.json>',
			description:
				'also write the entries as JSON, and each other part beside it as <file>-<part>.json (siting, osm-clip, city, hostile, load, big-network, province; bench/results.json keeps the last run)'
		},
		only: {
			type: 'string',
			choices: BENCH_PARTS,
			description: 'run one part (default: all)'
		}
	},
	examples: ['npm run bench -- --out bench/results.json', 'npm run bench -- --only siting']
} as const;
const { values: cli } = parseCli(BENCH_CLI);
const outPath = cli.out;
const only = cli.only;
/** The service circle's bound, seconds (the 15-minute circle, rules/defaults.ts). */
const MAX_SECONDS = DEFAULT_CIRCLE_MINUTES * 60;
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

function record(
	name: string,
	graphName: string,
	graph: RoadGraph,
	ours: number[],
	compare: {
		/** The reference `ratio` is computed against. */
		baseline?: { name: string; samples: number[] };
		tunedKernel?: number[];
		fullReset?: number[];
		/** The goal: ratio at most this. */
		maxRatio?: number;
		note?: string;
	} = {}
): void {
	const entry: Entry = {
		name,
		graph: graphName,
		nodes: graph.nodeCount,
		directedEdges: graph.edgeCount,
		...stats(ours),
		runs: ours.length
	};
	const ratioTo = (samples: number[]) => {
		const medianMs = stats(samples).medianMs;
		return { medianMs, ratio: Math.round((entry.medianMs / medianMs) * 1000) / 1000 };
	};
	let columns = '';
	if (compare.baseline) {
		const { medianMs, ratio } = ratioTo(compare.baseline.samples);
		entry.baseline = compare.baseline.name;
		entry.baselineMedianMs = medianMs;
		entry.ratio = ratio;
		columns += ` | ${entry.baseline}: ${medianMs} ms, ratio ${ratio}`;
		if (compare.maxRatio !== undefined) {
			entry.goal = `ratio ≤ ${compare.maxRatio}`;
			entry.met = ratio <= compare.maxRatio;
			columns += ` (goal ≤ ${compare.maxRatio}: ${entry.met ? 'met' : 'NOT met'})`;
		}
	}
	if (compare.tunedKernel) {
		const { medianMs, ratio } = ratioTo(compare.tunedKernel);
		entry.tunedKernelMedianMs = medianMs;
		entry.tunedKernelRatio = ratio;
		columns += ` | tuned plain kernel ${medianMs} ms, ratio ${ratio}`;
	}
	if (compare.fullReset) {
		const { medianMs, ratio } = ratioTo(compare.fullReset);
		entry.fullResetMedianMs = medianMs;
		entry.fullResetRatio = ratio;
		columns += ` | full-reset Dijkstra (old reference) ${medianMs} ms, ratio ${ratio}`;
	}
	if (compare.note) entry.note = compare.note;
	entries.push(entry);
	console.log(
		`  ${name.padEnd(34)} median ${String(entry.medianMs).padStart(9)} ms  p95 ${String(entry.p95Ms).padStart(9)} ms${columns}`
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

/** The whole file in one ArrayBuffer (readSync, as scripts/graph-cache.ts reads its cache). */
function readArrayBuffer(file: string): ArrayBuffer {
	const fd = openSync(file, 'r');
	try {
		const size = fstatSync(fd).size;
		const buffer = new ArrayBuffer(size);
		const bytes = new Uint8Array(buffer);
		for (let offset = 0; offset < size;) {
			const read = readSync(fd, bytes, offset, size - offset, offset);
			if (read === 0) throw new Error(`${file}: ended after ${offset} of ${size} bytes`);
			offset += read;
		}
		return buffer;
	} finally {
		closeSync(fd);
	}
}

/**
 * The generated grid as network.geojson text: one residential street per row and per column,
 * through the same vertex coordinates as gridGraph's nodes, so the builder joins them at every
 * crossing (1 M nodes, 3,996,000 directed edges).
 */
function gridGeoJsonText(rows: number, cols: number, spacingM: number): string {
	const scale = metresPerDegree(31.23);
	const lon = (col: number) => 121.5 + (col * spacingM) / scale.x;
	const lat = (row: number) => 31.23 + (row * spacingM) / scale.y;
	const parts: string[] = [];
	const street = (coordinates: string[]) =>
		parts.push(
			`{"type":"Feature","geometry":{"type":"LineString","coordinates":[${coordinates.join(',')}]},"properties":{"highway":"residential"}}`
		);
	for (let row = 0; row < rows; row++) {
		street(Array.from({ length: cols }, (_, col) => `[${lon(col)},${lat(row)}]`));
	}
	for (let col = 0; col < cols; col++) {
		street(Array.from({ length: rows }, (_, row) => `[${lon(col)},${lat(row)}]`));
	}
	return `{"type":"FeatureCollection","features":[\n${parts.join(',\n')}\n]}\n`;
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
	options: {
		ngraph: boolean;
		singleRuns: number;
		bigRuns: number;
		/** The graph the build made, when the searches run on another (same size) graph. */
		cached?: RoadGraph;
	}
) {
	console.log(`\n${graphName}: ${graph.nodeCount} nodes, ${graph.edgeCount} directed edges`);
	record('build graph', graphName, options.cached ?? graph, buildSamples, { note: buildNote });

	// Load from the binary cache: read the file into one ArrayBuffer and wrap it, as
	// scripts/graph-cache.ts does.
	const cached = options.cached ?? graph;
	const dir = await mkdtemp(path.join(os.tmpdir(), 'carecircle-bench-'));
	const cachePath = path.join(dir, 'graph.bin');
	await writeFile(cachePath, new Uint8Array(cached.buffer));
	const loadSamples = time(() => RoadGraph.from(readArrayBuffer(cachePath)), 9);
	await rm(dir, { recursive: true });
	record('load from binary cache', graphName, cached, loadSamples, {
		baseline: { name: 'build graph', samples: buildSamples },
		note: 'read the file into one ArrayBuffer (readSync) + RoadGraph.from; ratio = load ÷ build'
	});
	/** A figure that is not a time (bytes), with its goal when it has one. */
	const recordValue = (name: string, value: number, unit: string, note: string, max?: number) => {
		const entry: Entry = {
			name,
			graph: graphName,
			nodes: graph.nodeCount,
			directedEdges: graph.edgeCount,
			medianMs: 0,
			p95Ms: 0,
			value: round(value),
			unit,
			note
		};
		let goal = '';
		if (max !== undefined) {
			entry.goal = `value ≤ ${max} ${unit}`;
			entry.met = entry.value! <= max;
			goal = ` (goal ≤ ${max} B: ${entry.met ? 'met' : 'NOT met'})`;
		}
		entries.push(entry);
		console.log(`  ${name.padEnd(34)} ${entry.value} B${goal} — ${note}`);
	};
	recordValue(
		'bytes per directed edge',
		graph.bytesPerDirectedEdge,
		'bytes',
		'the RoadGraph buffer: coordinates and header included'
	);

	const ours = new WalkSearch(graph);
	const reference = new BaselineDijkstra(graph, 'touched');
	const tuned = new TunedDijkstra(graph);
	const fullReset = new BaselineDijkstra(graph, 'fill');
	const REFERENCE = 'straightforward Dijkstra (touched reset)';
	const random = seeded(0x5eed);
	const singleSources = Array.from({ length: options.singleRuns }, () =>
		Math.floor(random() * graph.nodeCount)
	);
	const facilities = facilityDoors(graph, FACILITIES, 0xfac);
	const allSources = facilities.flatMap((facility) => facility.sources);

	// The contenders must agree to the last bit, or the timings compare different work.
	const sameTimes = (what: string, sources: SearchSource[], maxSeconds: number) => {
		for (const search of [ours, reference, tuned]) search.run(sources, { maxSeconds });
		const reached = reference.reached();
		if (ours.reachedCount !== reached.length || tuned.reached().length !== reached.length) {
			throw new Error(
				`${graphName} ${what}: reached ${ours.reachedCount} (ours), ${reached.length} (reference), ${tuned.reached().length} (tuned kernel)`
			);
		}
		for (const node of reached) {
			const expected = reference.timeS[node];
			if (ours.time(node) !== expected || tuned.time(node) !== expected) {
				throw new Error(`${graphName} ${what}: node ${node} differs from the reference`);
			}
		}
	};
	for (const node of singleSources.slice(0, 20))
		sameTimes(`source ${node}`, [{ node, initialS: 0, label: 0 }], MAX_SECONDS);
	for (const [f, facility] of facilities.slice(0, 20).entries())
		sameTimes(`facility ${f}`, facility.sources, MAX_SECONDS);
	sameTimes('multi-source', allSources, MAX_SECONDS);
	sameTimes('nearest for every node', allSources, Infinity);

	// One bounded 15-minute search, each source timed on its own.
	const searchers = [ours, reference, tuned, fullReset];
	// Warm-up long enough for the JIT to optimise every searcher's loop.
	for (let i = 0; i < 300; i++) {
		for (const search of searchers) {
			search.run([{ node: singleSources[i % singleSources.length], initialS: 0, label: 0 }], {
				maxSeconds: MAX_SECONDS
			});
		}
	}
	// Blocks of 25 searches per searcher in turn: each searcher runs as it would in use (many
	// searches in a row), and load from other processes falls on all alike.
	const singleSamples = searchers.map(() => [] as number[]);
	for (let block = 0; block < singleSources.length; block += 25) {
		// Rotate who goes first, so no searcher always follows the same one.
		for (let turn = 0; turn < searchers.length; turn++) {
			const which = (turn + block / 25) % searchers.length;
			for (const node of singleSources.slice(block, block + 25)) {
				const start = performance.now();
				searchers[which].run([{ node, initialS: 0, label: 0 }], { maxSeconds: MAX_SECONDS });
				singleSamples[which].push(performance.now() - start);
			}
		}
	}
	const [oursSingle, referenceSingle, tunedSingle, fullResetSingle] = singleSamples;
	record(`bounded ${DEFAULT_CIRCLE_MINUTES}-min search (1 source)`, graphName, graph, oursSingle, {
		baseline: { name: REFERENCE, samples: referenceSingle },
		maxRatio: 0.7,
		tunedKernel: tunedSingle,
		fullReset: fullResetSingle
	});

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
		record(`bounded ${DEFAULT_CIRCLE_MINUTES}-min search vs ngraph`, graphName, graph, oursPairs, {
			baseline: {
				name: `ngraph.path aStar (no heuristic) to the farthest node within ${DEFAULT_CIRCLE_MINUTES} min`,
				samples: ngraphSamples
			}
		});
	}

	// 500 catchments, each returned as flat node and time arrays: ours on a pool of workers
	// (both cores) and on one thread, the Dijkstras on one thread; all in turn.
	const pool = await CatchmentPool.start(graph, os.availableParallelism());
	const oursCatchments = () =>
		runCatchmentBatch(ours, packFacilities(facilities), { maxSeconds: MAX_SECONDS });
	const dijkstraCatchments =
		(search: {
			run(sources: readonly SearchSource[], options: SearchOptions): void;
			reached(): Int32Array;
			time(node: number): number;
		}) =>
		() => {
			const nodes: Int32Array[] = [];
			const times: Float64Array[] = [];
			for (const facility of facilities) {
				search.run(facility.sources, { maxSeconds: MAX_SECONDS });
				const reached = search.reached().slice();
				const timeS = new Float64Array(reached.length);
				for (let i = 0; i < reached.length; i++) timeS[i] = search.time(reached[i]);
				nodes.push(reached);
				times.push(timeS);
			}
			return { nodes, times };
		};
	const [
		poolSamples,
		oursCatchmentSamples,
		referenceCatchments,
		tunedCatchments,
		fullResetCatchments
	] = await interleaved(
		[
			() => pool.catchments(facilities, { maxSeconds: MAX_SECONDS }),
			oursCatchments,
			dijkstraCatchments(reference),
			dijkstraCatchments(tuned),
			dijkstraCatchments(fullReset)
		],
		options.bigRuns,
		3
	);
	await pool.close();
	const catchmentReference = { name: `${REFERENCE}, 1 thread`, samples: referenceCatchments };
	record(
		`${FACILITIES} catchments (${os.availableParallelism()}-worker pool)`,
		graphName,
		graph,
		poolSamples,
		{
			baseline: catchmentReference,
			maxRatio: 0.5,
			tunedKernel: tunedCatchments,
			fullReset: fullResetCatchments,
			note: 'each catchment returned as node + time arrays; pool time includes packing, messages, transfer; the kernels run on 1 thread'
		}
	);
	record(`${FACILITIES} catchments (1 thread)`, graphName, graph, oursCatchmentSamples, {
		baseline: catchmentReference,
		tunedKernel: tunedCatchments,
		fullReset: fullResetCatchments
	});

	// One multi-source search from 500 facilities, bounded to 15 minutes; then unbounded, which
	// gives the nearest facility for every node.
	for (const [name, maxSeconds] of [
		[`multi-source from ${FACILITIES}, ${DEFAULT_CIRCLE_MINUTES} min`, MAX_SECONDS],
		[`nearest of ${FACILITIES} for every node`, Infinity]
	] as const) {
		const [oursMulti, referenceMulti, tunedMulti, fullResetMulti] = await interleaved(
			searchers.map((search) => () => search.run(allSources, { maxSeconds })),
			options.bigRuns,
			3
		);
		record(name, graphName, graph, oursMulti, {
			baseline: { name: REFERENCE, samples: referenceMulti },
			maxRatio: 0.5,
			tunedKernel: tunedMulti,
			fullReset: fullResetMulti
		});
	}

	// Memory: the graph's buffer and what our search holds beyond it, after all the runs above
	// (its arrays as the largest of them grew them).
	recordValue(
		'graph + search per directed edge',
		(graph.buffer.byteLength + ours.allocatedBytes) / graph.edgeCount,
		'bytes',
		`RoadGraph buffer ${graph.buffer.byteLength} B + WalkSearch ${ours.allocatedBytes} B after every run above`,
		20
	);
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
		bigRuns: 21
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
		{ ngraph: true, singleRuns: 300, bigRuns: 21 }
	);
}
// Generated grid: 1000 × 1000 nodes, 80 m blocks, Hilbert numbering. Built from text (its
// streets as network.geojson, like the Shanghai region) for the build and load figures; the
// searches run on the generator's graph, whose every edge is exactly 80 m.
if (!only || only === 'grid') {
	let text: string | null = gridGeoJsonText(1000, 1000, 80);
	const textMB = text.length / 1e6;
	let built: RoadGraph | undefined;
	const buildSamples = time(
		() => {
			built = buildWalkGraph((JSON.parse(text!) as { features: NetworkFeature[] }).features, {
				file: 'network.geojson'
			}).graph;
		},
		3,
		0
	);
	text = null; // 80 MB of text the searches below should not carry through garbage collection
	let graph: RoadGraph | undefined;
	const generatorSamples = time(
		() => {
			graph = gridGraph({ rows: 1000, cols: 1000, spacingM: 80, order: 'hilbert' }).graph;
		},
		3,
		0
	);
	if (built!.nodeCount !== graph!.nodeCount || built!.edgeCount !== graph!.edgeCount) {
		throw new Error(
			`grid from text has ${built!.nodeCount} nodes and ${built!.edgeCount} edges; the generator ${graph!.nodeCount} and ${graph!.edgeCount}`
		);
	}
	const name = 'grid-1000x1000-80m';
	console.log(`\n${name}: build from ${textMB.toFixed(1)} MB of network.geojson text`);
	record(
		'build graph (generator, no text)',
		name,
		graph!,
		generatorSamples,
		undefined,
		'gridGraph in memory: the graph the searches below run on'
	);
	await benchGraph(name, graph!, buildSamples, 'JSON.parse(network.geojson) + buildWalkGraph', {
		ngraph: true,
		singleRuns: 200,
		bigRuns: 7,
		cached: built!
	});
}

// Siting (issue 6): exact and greedy MCLP on the demo region and a generated 5,000 × 20,000 instance.
let sitingEntries: SitingBenchEntry[] = [];
if (!only || only === 'siting') {
	console.log('\nsiting');
	sitingEntries = await benchSiting();
	console.log(sitingTable(sitingEntries));
}

// Streaming OSM clipper (issue 12): a generated 2 M-node extract, PBF and XML, clipped to 10 %.
let osmClipEntries: OsmClipBenchEntry[] = [];
if (!only || only === 'osm-clip') {
	console.log('\nosm-clip');
	osmClipEntries = await benchOsmClip({ log: (line) => console.log(line) });
	console.log(osmClipTable(osmClipEntries));
}

// Whole analysis at city scale (issues 17 and 18): each case in fresh processes.
let cityRows: CityBenchRow[] = [];
if (!only || only === 'city') {
	console.log('\ncity (npm run analyze on generated regions, fresh processes)');
	cityRows = await benchCity();
	console.log(cityTable(cityRows));
}

// Hostile files (issue 17 item 3): big polygons, a zip bomb, deep JSON.
let hostileRows: HostileBenchRow[] = [];
if (!only || only === 'hostile') {
	console.log('\nhostile files');
	hostileRows = await benchHostile({ log: (line) => console.log(line) });
	console.log(hostileTable(hostileRows));
}

// The server under load (issue 17 item 2): 50 concurrent reports, a page GET timed meanwhile.
let loadRows: LoadBenchRow[] = [];
if (!only || only === 'load') {
	console.log('\nload (the built app on 127.0.0.1)');
	loadRows = await benchLoad({ log: (line) => console.log(line) });
	console.log(loadTable(loadRows));
}

// A network past V8's string limit (issue 18 item 4), streamed from the file.
let bigNetworkRows: BigNetworkRow[] = [];
if (!only || only === 'big-network') {
	console.log('\nbig network (fresh processes)');
	bigNetworkRows = await benchBigNetwork({ log: (line) => console.log(line) });
	console.log(bigNetworkTable(bigNetworkRows));
}

// A province as county jobs (issue 17 item 5): 1 → 2 workers.
let provinceRows: ProvinceBenchRow[] = [];
if (!only || only === 'province') {
	console.log('\nprovince (county jobs, fresh processes)');
	provinceRows = await benchProvince({ log: (line) => console.log(line) });
	console.log(provinceTable(provinceRows));
}

console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (outPath) {
	if (entries.length) {
		await writeFile(outPath, JSON.stringify(entries, null, '\t') + '\n');
		console.log(`wrote ${entries.length} entries to ${outPath}`);
	}
	if (sitingEntries.length) {
		// Another shape (candidates, demands, value, gap): its own file beside the search results.
		const sitingPath = outPath.replace(/(\.json)?$/, '-siting.json');
		await writeFile(sitingPath, JSON.stringify(sitingEntries, null, '\t') + '\n');
		console.log(`wrote ${sitingEntries.length} siting entries to ${sitingPath}`);
	}
	// Other shapes: each part in its own file beside the search results.
	const sideFiles: [string, unknown[]][] = [
		['osm-clip', osmClipEntries],
		['city', cityRows],
		['hostile', hostileRows],
		['load', loadRows],
		['big-network', bigNetworkRows],
		['province', provinceRows]
	];
	for (const [part, rows] of sideFiles) {
		if (!rows.length) continue;
		const sidePath = outPath.replace(/(\.json)?$/, `-${part}.json`);
		await writeFile(sidePath, JSON.stringify(rows, null, '\t') + '\n');
		console.log(`wrote ${rows.length} ${part} entries to ${sidePath}`);
	}
}
