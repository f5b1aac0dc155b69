/**
 * node scripts/bench/big-network.ts [--runs <n>] [--big-runs <n>] [--side <streets>] [--no-old] [--out <file.json>]
 *
 * Networks of any size load (issue 18 item 4), and `benchBigNetwork()` for `npm run bench`:
 * a street grid written as network.geojson to a temporary file (streamed, one street at a time,
 * in scripts/bench.ts's gridGeoJsonText format: about 80 bytes per node), then loaded through
 * the region path — server/network-file-graph.ts buildNetworkFileGraphFromPath, which the
 * server (region-graph.ts) and scripts/graph-cache.ts use — in a fresh child process, so that
 * its time and peak RSS are its own:
 * - 1000 × 1000 (1 M nodes, 79 MB): streamed beside the old path (the whole text decoded and
 *   JSON.parse'd, the two-pass builder: tests/engine/graph/reference), the same graph bytes;
 * - 3500 × 3500 (12.25 M nodes, about 1 GB, past V8's 2^29-character string limit): streamed,
 *   goal "loads > 11 M nodes"; the old path on the same file is run too, to show its refusal.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	closeSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
	writeSync
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { metresPerDegree } from '../../src/lib/engine/graph/geodesic.ts';
import { REGION_MIN_COMPONENT_NODES } from '../../src/lib/engine/graph/network-file.ts';
import { buildNetworkFileGraphFromPath } from '../../src/lib/server/network-file-graph.ts';
import { referenceNetworkFileGraph } from '../../tests/engine/graph/reference/network-build-before-streaming.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const MIB = 1024 * 1024;

export interface BigNetworkRow {
	name: string;
	/** Nodes and directed edges of the graph loaded (null when it did not load). */
	nodes: number | null;
	directedEdges: number | null;
	/** Size of the network.geojson, MB (10^6 bytes). */
	fileMB: number;
	/** Median wall time of `runs` loads (read + parse + build), ms. */
	medianMs: number;
	samplesMs: number[];
	runs: number;
	/** Highest peak RSS of the loading child processes, MiB. */
	peakRssMiB: number;
	/** The RoadGraph's buffer, MiB. */
	graphMiB: number | null;
	outcome: string;
	goal: string;
	met: boolean;
	/** The old path on the same file: whole text → JSON.parse → two-pass builder. */
	baseline?: string;
	baselineMs?: number;
	baselinePeakRssMiB?: number;
	baselineOutcome?: string;
	/** os.loadavg()[0] when the row began: the machine is shared. */
	loadAverage1m: number;
	note?: string;
}

interface LoadResult {
	ms: number;
	peakRssMiB: number;
	nodes: number | null;
	directedEdges: number | null;
	graphMiB: number | null;
	sha256: string | null;
	error: string | null;
}

/**
 * Write a `side` × `side` street grid (80 m apart, from 121.5 E 31.23 N) as a GeoJSON network
 * to `file`, one street per write: the text is never one string.
 * @returns the file's size in bytes
 */
export function writeGridNetwork(file: string, side: number): number {
	const scale = metresPerDegree(31.23);
	const lon = (col: number) => 121.5 + (col * 80) / scale.x;
	const lat = (row: number) => 31.23 + (row * 80) / scale.y;
	const fd = openSync(file, 'w');
	try {
		writeSync(fd, '{"type":"FeatureCollection","features":[\n');
		const street = (first: boolean, coordinates: string[]) =>
			writeSync(
				fd,
				`${first ? '' : ',\n'}{"type":"Feature","geometry":{"type":"LineString","coordinates":[${coordinates.join(',')}]},"properties":{"highway":"residential"}}`
			);
		for (let row = 0; row < side; row++)
			street(
				row === 0,
				Array.from({ length: side }, (_, col) => `[${lon(col)},${lat(row)}]`)
			);
		for (let col = 0; col < side; col++)
			street(
				false,
				Array.from({ length: side }, (_, row) => `[${lon(col)},${lat(row)}]`)
			);
		writeSync(fd, '\n]}\n');
	} finally {
		closeSync(fd);
	}
	return statSync(file).size;
}

/** Child mode: load `file` once by the new or the old path; time, peak RSS and the graph. */
function loadHere(file: string, way: 'new' | 'old', hash: boolean): LoadResult {
	const options = { minComponentNodes: REGION_MIN_COMPONENT_NODES };
	const started = performance.now();
	try {
		const { graph, report } =
			way === 'new'
				? buildNetworkFileGraphFromPath(file, 'network.geojson', options)
				: referenceNetworkFileGraph(new Uint8Array(readFileSync(file)), 'network.geojson', options);
		const ms = Math.round(performance.now() - started);
		return {
			ms,
			peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
			nodes: report.nodes,
			directedEdges: report.directedEdges,
			graphMiB: Math.round((graph.buffer.byteLength / MIB) * 10) / 10,
			sha256: hash ? createHash('sha256').update(new Uint8Array(graph.buffer)).digest('hex') : null,
			error: null
		};
	} catch (error) {
		return {
			ms: Math.round(performance.now() - started),
			peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
			nodes: null,
			directedEdges: null,
			graphMiB: null,
			sha256: null,
			error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 200)
		};
	}
}

/** One load in a fresh process (the heap may grow to 16 GiB; the machine has 24). */
function loadInChild(file: string, way: 'new' | 'old', hash: boolean): LoadResult {
	const child = spawnSync(
		process.execPath,
		[
			'--max-old-space-size=16384',
			import.meta.filename,
			'--load',
			file,
			way,
			hash ? 'hash' : 'no-hash'
		],
		{ cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * MIB }
	);
	if (child.status !== 0)
		throw new Error(`big-network bench --load ${way} failed:\n${child.stderr.slice(-2000)}`);
	return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as LoadResult;
}

function median(samples: number[]): number {
	return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

const load = () => Math.round(os.loadavg()[0] * 100) / 100;

/**
 * Run the big-network measurements.
 * @param options.runs loads per path on the 1 M-node grid (default 3); the big grid loads
 *   `bigRuns` times (default 1, about a minute each)
 * @param options.side streets per side of the big grid (default 3500: 12.25 M nodes)
 * @param options.old also run the old path (default true)
 * @param options.log progress lines (default none)
 * @returns one row per grid, each with its goal and whether it was met
 * @example const rows = await benchBigNetwork({ runs: 1 }); console.log(bigNetworkTable(rows));
 */
export async function benchBigNetwork(
	options: {
		runs?: number;
		bigRuns?: number;
		side?: number;
		old?: boolean;
		log?: (line: string) => void;
	} = {}
): Promise<BigNetworkRow[]> {
	const runs = options.runs ?? 3;
	const bigRuns = options.bigRuns ?? 1;
	const side = options.side ?? 3500;
	const withOld = options.old ?? true;
	const log = options.log ?? (() => undefined);
	const rows: BigNetworkRow[] = [];
	const dir = mkdtempSync(path.join(os.tmpdir(), 'carecircle-bench-big-network-'));
	try {
		// 1 M nodes: new beside old, alternating so that both see the same machine.
		const small = path.join(dir, 'grid-1000.geojson');
		const smallBytes = writeGridNetwork(small, 1000);
		let loadAverage1m = load();
		const streamed: LoadResult[] = [];
		const whole: LoadResult[] = [];
		for (let run = 0; run < runs; run++) {
			streamed.push(loadInChild(small, 'new', true));
			if (withOld) whole.push(loadInChild(small, 'old', true));
		}
		const same = whole.every((old) => old.sha256 === streamed[0].sha256);
		const newMs = streamed.map((r) => r.ms);
		const oldMs = whole.map((r) => r.ms);
		const newRss = Math.max(...streamed.map((r) => r.peakRssMiB));
		const oldRss = whole.length ? Math.max(...whole.map((r) => r.peakRssMiB)) : Infinity;
		const smallRow: BigNetworkRow = {
			name: '1000 × 1000 grid network.geojson, streamed',
			nodes: streamed[0].nodes,
			directedEdges: streamed[0].directedEdges,
			fileMB: Math.round(smallBytes / 1e5) / 10,
			medianMs: median(newMs),
			samplesMs: newMs,
			runs,
			peakRssMiB: newRss,
			graphMiB: streamed[0].graphMiB,
			outcome: withOld
				? same
					? 'graph bytes identical to the old path'
					: 'graph bytes DIFFER from the old path'
				: 'loaded',
			goal: 'identical graph; peak RSS below the old path; time ≤ 1.2 × old',
			met:
				streamed.every((r) => r.error === null && r.nodes === 1_000_000) &&
				(!withOld || (same && newRss < oldRss && median(newMs) <= 1.2 * median(oldMs))),
			loadAverage1m,
			note: 'each load a fresh process: read + parse + build, RoadGraph out'
		};
		if (withOld) {
			smallRow.baseline = 'whole text → JSON.parse → two-pass build';
			smallRow.baselineMs = median(oldMs);
			smallRow.baselinePeakRssMiB = oldRss;
			smallRow.baselineOutcome = whole[0].error ?? `${whole[0].nodes} nodes`;
		}
		rows.push(smallRow);
		log(
			`  ${smallRow.name}: ${smallRow.medianMs} ms, ${newRss} MiB (old ${smallRow.baselineMs ?? '—'} ms, ${smallRow.baselinePeakRssMiB ?? '—'} MiB)`
		);
		rmSync(small, { force: true });

		// Past the string limit.
		const big = path.join(dir, `grid-${side}.geojson`);
		const startedWrite = performance.now();
		const bigBytes = writeGridNetwork(big, side);
		log(
			`  wrote ${side} × ${side} grid: ${(bigBytes / 1e6).toFixed(0)} MB in ${Math.round(performance.now() - startedWrite)} ms`
		);
		loadAverage1m = load();
		const loads = Array.from({ length: bigRuns }, () => loadInChild(big, 'new', false));
		const expectedNodes = side * side;
		const expectedEdges = 4 * side * (side - 1);
		const loaded = loads.every(
			(r) => r.error === null && r.nodes === expectedNodes && r.directedEdges === expectedEdges
		);
		const bigRow: BigNetworkRow = {
			name: `${side} × ${side} grid network.geojson, streamed`,
			nodes: loads[0].nodes,
			directedEdges: loads[0].directedEdges,
			fileMB: Math.round(bigBytes / 1e5) / 10,
			medianMs: median(loads.map((r) => r.ms)),
			samplesMs: loads.map((r) => r.ms),
			runs: bigRuns,
			peakRssMiB: Math.max(...loads.map((r) => r.peakRssMiB)),
			graphMiB: loads[0].graphMiB,
			outcome: loaded
				? `loaded: ${expectedNodes.toLocaleString('en')} nodes, ${expectedEdges.toLocaleString('en')} directed edges, as the grid has`
				: `NOT loaded: ${loads.find((r) => r.error)?.error ?? `${loads[0].nodes} nodes`}`,
			goal: 'loads > 11 M nodes',
			met: loaded && expectedNodes > 11_000_000,
			loadAverage1m,
			note: `the file is ${bigBytes > 0x1fffffe8 ? 'longer' : 'NOT longer'} than V8's longest string (2^29 − 24 characters)`
		};
		if (withOld) {
			const old = loadInChild(big, 'old', false);
			bigRow.baseline = 'whole text → JSON.parse → two-pass build';
			bigRow.baselineMs = old.ms;
			bigRow.baselinePeakRssMiB = old.peakRssMiB;
			bigRow.baselineOutcome = old.error ? `refused: ${old.error}` : `${old.nodes} nodes`;
		}
		rows.push(bigRow);
		log(
			`  ${bigRow.name}: ${bigRow.medianMs} ms, ${bigRow.peakRssMiB} MiB; old: ${bigRow.baselineOutcome ?? '—'}`
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}

/** The rows as a fixed-width table. */
export function bigNetworkTable(rows: readonly BigNetworkRow[]): string {
	const lines = [
		`${'benchmark'.padEnd(44)} ${'MB'.padStart(6)} ${'nodes'.padStart(11)} ${'edges'.padStart(11)} ${'median ms'.padStart(9)} ${'peak RSS MiB'.padStart(12)} ${'old ms / MiB'.padStart(14)}  outcome; goal`
	];
	for (const row of rows) {
		const old =
			row.baselineMs === undefined
				? ''
				: row.baselineOutcome?.startsWith('refused')
					? 'refused'
					: `${row.baselineMs} / ${row.baselinePeakRssMiB}`;
		lines.push(
			`${row.name.padEnd(44)} ${String(row.fileMB).padStart(6)} ${String(row.nodes ?? '—').padStart(11)} ${String(row.directedEdges ?? '—').padStart(11)} ${String(row.medianMs).padStart(9)} ${String(row.peakRssMiB).padStart(12)} ${old.padStart(14)}  ${row.outcome}; ${row.goal}: ${row.met ? 'met' : 'NOT met'} (load ${row.loadAverage1m})`
		);
		if (row.baselineOutcome?.startsWith('refused'))
			lines.push(`${''.padEnd(44)} old path ${row.baselineOutcome} (after ${row.baselineMs} ms)`);
	}
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	if (args[0] === '--load') {
		console.log(
			JSON.stringify(loadHere(args[1], args[2] === 'old' ? 'old' : 'new', args[3] === 'hash'))
		);
	} else {
		const option = (name: string) => {
			const at = args.indexOf(name);
			return at >= 0 ? args[at + 1] : undefined;
		};
		const number = (name: string) =>
			option(name) === undefined ? undefined : Number(option(name));
		const runs = number('--runs');
		const side = number('--side');
		const bigRuns = number('--big-runs');
		if (
			(runs !== undefined && !(Number.isInteger(runs) && runs > 0)) ||
			(bigRuns !== undefined && !(Number.isInteger(bigRuns) && bigRuns > 0)) ||
			(side !== undefined && !(Number.isInteger(side) && side > 1))
		) {
			console.error(
				'usage: node scripts/bench/big-network.ts [--runs <n>] [--big-runs <n>] [--side <streets>] [--no-old] [--out <file.json>]'
			);
			process.exit(2);
		}
		const rows = await benchBigNetwork({
			runs,
			bigRuns,
			side,
			old: !args.includes('--no-old'),
			log: (line) => console.error(line)
		});
		console.log(bigNetworkTable(rows));
		const out = option('--out');
		if (out) writeFileSync(out, `${JSON.stringify(rows, null, '\t')}\n`);
	}
}
