/**
 * node scripts/bench/province.ts [--counties n] [--nodes n] [--out <file.json>]
 *
 * How a province would scale (issue 17 item 5, docs/ARCHITECTURE.md "A province"): counties are
 * independent jobs, so the question is whether two workers finish a batch of county jobs in about
 * half the time of one. `benchProvince()` writes `counties` generated county regions (city-like
 * streets as in scripts/bench/city.ts, one compound per 100 nodes, one facility per 2,000, a
 * different seed each), then runs the whole `npm run analyze` chain of every county (city.ts
 * `--chain`, a fresh Node process per job) with 1 worker and with 2 workers taking jobs from one
 * queue, and compares the wall times. Each job's report digests must be the same in both runs: a
 * worker count changes when a county is done, never what it says.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareCity, type CityCase } from './city.ts';

const cityScript = path.join(import.meta.dirname, 'city.ts');
const repoRoot = path.join(import.meta.dirname, '..', '..');
/** Two workers on two cores: the goal is most of the ideal 2×, the rest is the machine's share. */
const SPEEDUP_GOAL = 1.6;

export interface ProvinceBenchRow {
	workers: number;
	counties: number;
	nodesPerCounty: number;
	wallMs: number;
	/** Each county's chain, ms, in county order. */
	jobMs: number[];
	/** Wall time of 1 worker ÷ wall time of this run. */
	speedup: number;
	goal: string;
	met: boolean | null;
	/** Every county's report digests equal those of the 1-worker run. */
	sameBytes: boolean;
}

interface ChainOutput {
	totalMs: number;
	digests: Record<string, string>;
}

function runChain(regionDir: string, cacheDir: string): Promise<ChainOutput> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cityScript, '--chain', regionDir, cacheDir], {
			cwd: repoRoot,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0) return reject(new Error(`county chain ${regionDir} failed:\n${stderr}`));
			resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChainOutput);
		});
	});
}

/** Run every job with `workers` taking the next county from one queue; results in county order. */
async function runQueue(
	jobs: { regionDir: string; cacheDir: string }[],
	workers: number
): Promise<{ wallMs: number; outputs: ChainOutput[] }> {
	const outputs: ChainOutput[] = new Array(jobs.length);
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: workers }, async () => {
			while (next < jobs.length) {
				const at = next++;
				outputs[at] = await runChain(jobs[at].regionDir, jobs[at].cacheDir);
			}
		})
	);
	return { wallMs: Math.round(performance.now() - started), outputs };
}

/**
 * @param options.counties county jobs in the batch (default 4)
 * @param options.nodesPerCounty walkable nodes of each county (default 250,000)
 * @returns one row per worker count (1, then 2)
 * @example console.log(provinceTable(await benchProvince({ counties: 4 })));
 */
export async function benchProvince(
	options: { counties?: number; nodesPerCounty?: number; log?: (line: string) => void } = {}
): Promise<ProvinceBenchRow[]> {
	const counties = options.counties ?? 4;
	const nodes = options.nodesPerCounty ?? 250_000;
	const log = options.log ?? (() => undefined);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'carecircle-bench-province-'));
	try {
		const jobs = Array.from({ length: counties }, (_, i) => {
			const spec: CityCase = {
				name: `county ${i + 1}`,
				kind: 'scaling',
				nodes,
				compounds: nodes / 100,
				facilities: Math.max(5, nodes / 2_000),
				seed: 100 + i
			};
			const countyDir = path.join(dir, `county-${i + 1}`);
			mkdirSync(countyDir);
			const { regionDir } = prepareCity(spec, countyDir);
			return { regionDir, cacheDir: path.join(countyDir, 'cache') };
		});
		log(`  ${counties} counties of ${nodes.toLocaleString('en')} nodes written`);
		const rows: ProvinceBenchRow[] = [];
		let reference: ChainOutput[] | null = null;
		for (const workers of [1, 2]) {
			const { wallMs, outputs } = await runQueue(jobs, workers);
			reference ??= outputs;
			const speedup = Math.round(((rows[0]?.wallMs ?? wallMs) / wallMs) * 100) / 100;
			rows.push({
				workers,
				counties,
				nodesPerCounty: nodes,
				wallMs,
				jobMs: outputs.map((output) => output.totalMs),
				speedup,
				goal: workers === 1 ? '—' : `≥ ${SPEEDUP_GOAL}× of 1 worker`,
				met: workers === 1 ? null : speedup >= SPEEDUP_GOAL,
				sameBytes: outputs.every(
					(output, i) => JSON.stringify(output.digests) === JSON.stringify(reference![i].digests)
				)
			});
			log(`  ${workers} worker(s): ${wallMs} ms`);
		}
		return rows;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export function provinceTable(rows: readonly ProvinceBenchRow[]): string {
	const lines = [
		`${'workers'.padEnd(8)} ${'counties'.padStart(8)} ${'nodes each'.padStart(10)} ${'wall ms'.padStart(8)} ${'speedup'.padStart(8)}  jobs ms; same bytes; goal`
	];
	for (const row of rows) {
		const met = row.met === null ? '' : row.met ? ' — met' : ' — NOT met';
		lines.push(
			`${String(row.workers).padEnd(8)} ${String(row.counties).padStart(8)} ${String(row.nodesPerCounty).padStart(10)} ${String(row.wallMs).padStart(8)} ${`${row.speedup}×`.padStart(8)}  ${row.jobMs.join(' / ')}; ${row.sameBytes ? 'same bytes' : 'BYTES DIFFER'}; ${row.goal}${met}`
		);
	}
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	const option = (name: string) => {
		const at = args.indexOf(name);
		return at >= 0 ? args[at + 1] : undefined;
	};
	const rows = await benchProvince({
		counties: option('--counties') ? Number(option('--counties')) : undefined,
		nodesPerCounty: option('--nodes') ? Number(option('--nodes')) : undefined,
		log: (line) => console.log(line)
	});
	console.log(provinceTable(rows));
	const out = option('--out');
	if (out) {
		writeFileSync(out, `${JSON.stringify(rows, null, '\t')}\n`);
		console.log(`\nwrote ${out}`);
	}
}
