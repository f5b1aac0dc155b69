/**
 * node scripts/bench/load.ts [--runs <n>] [--analyses <n>] [--file <report file>] [--workers 1,2] [--no-busy] [--out <file.json>]
 *
 * The server under load (issue 17 items 2 and 5), and `benchLoad()` for `npm run bench`: the
 * production app (npm start, built if stale) on 127.0.0.1 with a scenario database and a copy of
 * the regions folder of its own, logged in as an analyst; 50 gap reports of the demo region
 * (POST /api/regions/shanghai-bund-lujiazui/report/report.xlsx with the body the 导出 tab sends)
 * sent at once while GET / is sent every 50 ms.
 * - GET latency p50 / p95 / max during the batch (and idle, before it); goal: p95 < 200 ms;
 * - every analysis answered 200, or 503 COMPUTE_BUSY with Retry-After (the documented busy
 *   answer); anything else is an error, counted and shown; goal: none;
 * - the batch's wall time and throughput (reports per second) with CARECIRCLE_WORKERS=1 and 2,
 *   and the speedup 1 → 2 (item 5); on this 2-core machine the second worker shares the cores
 *   with the event loop and with this script;
 * - one batch with a short queue (CARECIRCLE_QUEUE=10), so the busy answers are seen and checked.
 * Each case starts its own server; the workers are warmed (one report per worker) before the
 * timed batches.
 */
import {
	DEFAULT_CIRCLE_MINUTES,
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS
} from '../../src/lib/engine/rules/defaults.ts';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../tests/e2e/app.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const REGION_ID = 'shanghai-bund-lujiazui';
const REPORT_DATE = '2026-11-22';
/** Wait between two page GETs, ms. */
const GET_INTERVAL_MS = 50;
/** GETs sent before the batch, for the idle latency. */
const IDLE_GETS = 20;

export interface LatencySummary {
	count: number;
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
}

export interface LoadBenchRow {
	name: string;
	/** The server's CARECIRCLE_WORKERS and CARECIRCLE_QUEUE. */
	workers: number;
	queue: number;
	/** Which timed batch on this server (1-based). */
	run: number;
	analyses: number;
	file: string;
	/** First analysis sent → last answer read, ms. */
	wallMs: number;
	/** Analyses answered 200 per second of wall time. */
	throughputPerS: number;
	/** 1 → 2 workers: this row's throughput ÷ the 1-worker row's of the same run (2-worker rows). */
	speedup?: number;
	/** Answers by kind: "200", "503 COMPUTE_BUSY", or the status and code of an error. */
	answers: Record<string, number>;
	/** Answers other than 200 and the documented busy one (a 503 without Retry-After counts). */
	errors: number;
	errorSamples: string[];
	/** Each analysis's time, sent → read (200s only). */
	analysisMs: LatencySummary;
	/** The page GETs while the batch ran. */
	path: string;
	getMs: LatencySummary;
	/** The page GETs before the batch. */
	idleGetMs: LatencySummary;
	/** GETs that did not answer 200. */
	getErrors: number;
	/** The warm-up before the timed batches (one analysis per worker, at once), ms. */
	warmupMs: number;
	goal: string;
	met: boolean;
	/** os.loadavg()[0] when the batch began: the machine is shared. */
	loadAverage1m: number;
	cores: number;
	note?: string;
}

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	ms: number;
}

/** One HTTP request, its whole answer read; `ms` from send to the last byte. */
function send(
	agent: Agent,
	url: URL,
	options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const req = request(url, { agent, method: options.method ?? 'GET', headers: options.headers });
		req.on('error', reject);
		req.on('response', (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('error', reject);
			response.on('end', () =>
				resolve({
					status: response.statusCode ?? 0,
					headers: response.headers,
					body: Buffer.concat(chunks),
					ms: performance.now() - start
				})
			);
		});
		req.end(options.body);
	});
}

function summary(samples: readonly number[]): LatencySummary {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) =>
		sorted.length === 0
			? 0
			: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
	return {
		count: sorted.length,
		p50Ms: at(0.5),
		p95Ms: at(0.95),
		maxMs: sorted.length === 0 ? 0 : Math.round(sorted[sorted.length - 1])
	};
}

/** "200", "503 COMPUTE_BUSY" (only with Retry-After), or the status and code of anything else. */
function answerKind(answer: Answer): { kind: string; documented: boolean } {
	if (answer.status === 200 && answer.body.length > 0) return { kind: '200', documented: true };
	let code = '';
	try {
		code = String((JSON.parse(answer.body.toString('utf8')) as { code?: unknown }).code ?? '');
	} catch {
		// not JSON: the status alone
	}
	if (answer.status === 503 && code === 'COMPUTE_BUSY') {
		const retryAfter = Number(answer.headers['retry-after']);
		return Number.isFinite(retryAfter) && retryAfter > 0
			? { kind: '503 COMPUTE_BUSY', documented: true }
			: { kind: '503 COMPUTE_BUSY without Retry-After', documented: false };
	}
	return { kind: `${answer.status}${code ? ` ${code}` : ''}`, documented: false };
}

/** GET `url` every `intervalMs` (not waiting for the one before) until `until` settles. */
async function pageGets(
	agent: Agent,
	url: URL,
	headers: Record<string, string>,
	intervalMs: number,
	until: Promise<unknown> | number
): Promise<{ ms: number[]; errors: number; errorKinds: string[] }> {
	const pending: Promise<void>[] = [];
	const ms: number[] = [];
	const errorKinds: string[] = [];
	let errors = 0;
	let done = false;
	if (typeof until !== 'number') void until.finally(() => (done = true));
	for (let sent = 0; typeof until === 'number' ? sent < until : !done; sent++) {
		pending.push(
			send(agent, url, { headers }).then(
				(answer) => {
					ms.push(answer.ms);
					if (answer.status === 200) return;
					errors++;
					if (errorKinds.length < 3) errorKinds.push(answerKind(answer).kind);
				},
				(error: unknown) => {
					errors++;
					if (errorKinds.length < 3) errorKinds.push(`GET failed: ${(error as Error).message}`);
				}
			)
		);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	await Promise.all(pending);
	return { ms, errors, errorKinds };
}

interface LoadCase {
	workers: number;
	queue: number;
	runs: number;
}

/** One server with these settings: warm-up, then `runs` timed batches. */
async function runCase(
	settings: LoadCase,
	options: { analyses: number; file: string; log: (line: string) => void }
): Promise<LoadBenchRow[]> {
	const regionsDir = mkdtempSync(path.join(os.tmpdir(), 'carecircle-bench-load-regions-'));
	cpSync(path.join(repoRoot, 'data', 'regions', REGION_ID), path.join(regionsDir, REGION_ID), {
		recursive: true
	});
	const app = await startApp(240_000, {
		CARECIRCLE_REGIONS_DIR: regionsDir,
		CARECIRCLE_WORKERS: String(settings.workers),
		CARECIRCLE_QUEUE: String(settings.queue)
	});
	const rows: LoadBenchRow[] = [];
	try {
		const base = new URL(app.url);
		const cookie = `cc_session=${await app.session('analyst')}`;
		const pageUrl = new URL('/', base);
		const reportUrl = new URL(`/api/regions/${REGION_ID}/report/${options.file}`, base);
		// What the 导出 tab posts for the region as it is (export-request.ts exportBody).
		const meta = JSON.parse(
			readFileSync(path.join(regionsDir, REGION_ID, 'region.json'), 'utf8')
		) as { defaultProfile: string };
		const body = JSON.stringify({
			profile: meta.defaultProfile,
			minutes: DEFAULT_CIRCLE_MINUTES,
			speedMps: DEFAULT_WALK_SPEED_MPS,
			stepPenaltyS: DEFAULT_STEP_PENALTY_S,
			date: REPORT_DATE
		});
		const postHeaders = {
			cookie,
			origin: base.origin,
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(body))
		};
		// A connection per request, as from many browsers: no socket the server closed after its
		// keep-alive timeout (5 s) is reused between batches (that race reads as ECONNRESET), and a
		// GET never waits for a socket an analysis holds.
		const getAgent = new Agent({ keepAlive: false });
		const postAgent = new Agent({ keepAlive: false });
		const analyse = () =>
			send(postAgent, reportUrl, { method: 'POST', headers: postHeaders, body });

		const warmStart = performance.now();
		const warm = await Promise.all(Array.from({ length: Math.max(1, settings.workers) }, analyse));
		const warmupMs = Math.round(performance.now() - warmStart);
		const warmFailed = warm.find((answer) => answer.status !== 200);
		if (warmFailed)
			throw new Error(
				`warm-up report answered ${warmFailed.status}: ${warmFailed.body.toString('utf8').slice(0, 500)}\n${app.output().slice(-2000)}`
			);

		for (let run = 1; run <= settings.runs; run++) {
			const idle = await pageGets(getAgent, pageUrl, { cookie }, GET_INTERVAL_MS, IDLE_GETS);
			const loadAverage1m = Math.round(os.loadavg()[0] * 100) / 100;
			const batchStart = performance.now();
			const batch = Promise.all(
				Array.from({ length: options.analyses }, () =>
					analyse().then(
						(answer) => ({ answer, ...answerKind(answer) }),
						(error: unknown) => ({
							answer: null,
							kind: `request failed: ${(error as Error).message}`,
							documented: false
						})
					)
				)
			);
			const gets = await pageGets(getAgent, pageUrl, { cookie }, GET_INTERVAL_MS, batch);
			const results = await batch;
			const wallMs = Math.round(performance.now() - batchStart);
			const answers: Record<string, number> = {};
			const errorSamples: string[] = [];
			for (const kind of [...idle.errorKinds, ...gets.errorKinds]) errorSamples.push(`GET ${kind}`);
			for (const result of results) {
				answers[result.kind] = (answers[result.kind] ?? 0) + 1;
				if (!result.documented && errorSamples.length < 3)
					errorSamples.push(
						`${result.kind}: ${result.answer?.body.toString('utf8').slice(0, 300) ?? ''}`
					);
			}
			const ok = results.filter((result) => result.kind === '200');
			const errors = results.filter((result) => !result.documented).length;
			const getMs = summary(gets.ms);
			const row: LoadBenchRow = {
				name: `${options.analyses} × ${options.file}, ${settings.workers} worker${settings.workers === 1 ? '' : 's'}, queue ${settings.queue}`,
				workers: settings.workers,
				queue: settings.queue,
				run,
				analyses: options.analyses,
				file: options.file,
				wallMs,
				throughputPerS: Math.round((ok.length / (wallMs / 1000)) * 100) / 100,
				answers,
				errors,
				errorSamples,
				analysisMs: summary(ok.map((result) => result.answer!.ms)),
				path: pageUrl.pathname,
				getMs,
				idleGetMs: summary(idle.ms),
				getErrors: gets.errors + idle.errors,
				warmupMs,
				goal: 'GET p95 < 200 ms; no answer but 200 or 503 COMPUTE_BUSY with Retry-After',
				met: getMs.p95Ms < 200 && errors === 0 && gets.errors === 0,
				loadAverage1m,
				cores: os.availableParallelism()
			};
			rows.push(row);
			options.log(
				`  ${row.name}, run ${run}: ${wallMs} ms, ${row.throughputPerS}/s, GET p95 ${getMs.p95Ms} ms, ${JSON.stringify(answers)}`
			);
		}
		getAgent.destroy();
		postAgent.destroy();
	} finally {
		await app.stop();
		rmSync(regionsDir, { recursive: true, force: true });
	}
	return rows;
}

/**
 * Run the load measurements: one server per case (1 worker, 2 workers, 1 worker with a queue of
 * 10), each warmed, then `runs` batches of `analyses` concurrent reports with GET / every 50 ms.
 * @param options.runs timed batches per case (default 1)
 * @param options.analyses reports per batch (default 50)
 * @param options.file the report file asked for (default report.xlsx, the 导出 tab's first)
 * @param options.workers the CARECIRCLE_WORKERS of the cases, each its own server (default [1, 2])
 * @param options.busy also the short-queue case (default true)
 * @param options.log progress lines (default none)
 * @returns one row per batch; 2-worker rows carry the speedup over the 1-worker row of their run
 * @example const rows = await benchLoad({ runs: 1 }); console.log(loadTable(rows));
 */
export async function benchLoad(
	options: {
		runs?: number;
		analyses?: number;
		file?: string;
		workers?: number[];
		busy?: boolean;
		log?: (line: string) => void;
	} = {}
): Promise<LoadBenchRow[]> {
	const runs = options.runs ?? 1;
	const settings = {
		analyses: options.analyses ?? 50,
		file: options.file ?? 'report.xlsx',
		log: options.log ?? (() => undefined)
	};
	const rows: LoadBenchRow[] = [];
	for (const workers of options.workers ?? [1, 2])
		rows.push(...(await runCase({ workers, queue: 64, runs }, settings)));
	for (const row of rows.filter((r) => r.workers > 1)) {
		const base = rows.find((r) => r.workers === 1 && r.run === row.run);
		if (base && base.throughputPerS > 0)
			row.speedup = Math.round((row.throughputPerS / base.throughputPerS) * 100) / 100;
		row.note = `${row.cores} cores: the workers share them with the event loop and the load script`;
	}
	if (options.busy ?? true) {
		const [busy] = await runCase({ workers: 1, queue: 10, runs: 1 }, settings);
		busy.note =
			'a short queue, so the busy answer is seen: 1 running + 10 waiting, the rest 503; the batch lasts 1–4 s, so its GET p95 falls in the arrival of the 50 POSTs (about 3 ms of the event loop each: body, session, audit, region.json)';
		if (!busy.answers['503 COMPUTE_BUSY']) {
			busy.met = false;
			busy.note += '; no busy answer came';
		}
		rows.push(busy);
	}
	return rows;
}

const cell = (l: LatencySummary) => `${l.p50Ms}/${l.p95Ms}/${l.maxMs}`;

/** The rows as a fixed-width table. */
export function loadTable(rows: readonly LoadBenchRow[]): string {
	const lines = [
		`${'benchmark'.padEnd(44)} ${'run'.padStart(3)} ${'wall ms'.padStart(8)} ${'rep/s'.padStart(6)} ${'1→2'.padStart(5)} ${'report ms p50/95/max'.padStart(20)} ${'GET ms p50/95/max'.padStart(18)} ${'idle GET'.padStart(12)}  answers; goal`
	];
	for (const row of rows) {
		const answers = Object.entries(row.answers)
			.map(([kind, count]) => `${count} × ${kind}`)
			.join(', ');
		lines.push(
			`${row.name.padEnd(44)} ${String(row.run).padStart(3)} ${String(row.wallMs).padStart(8)} ${row.throughputPerS.toFixed(2).padStart(6)} ${(row.speedup === undefined ? '' : `${row.speedup.toFixed(2)}×`).padStart(5)} ${cell(row.analysisMs).padStart(20)} ${cell(row.getMs).padStart(18)} ${cell(row.idleGetMs).padStart(12)}  ${answers}${row.getErrors ? `, ${row.getErrors} GET errors` : ''}; ${row.goal}: ${row.met ? 'met' : 'NOT met'} (${row.getMs.count} GETs, load ${row.loadAverage1m})`
		);
		for (const sample of row.errorSamples) lines.push(`    error: ${sample}`);
	}
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	const option = (name: string) => {
		const at = args.indexOf(name);
		return at >= 0 ? args[at + 1] : undefined;
	};
	const count = (name: string) => (option(name) === undefined ? undefined : Number(option(name)));
	const runs = count('--runs');
	const analyses = count('--analyses');
	if ([runs, analyses].some((n) => n !== undefined && !(Number.isInteger(n) && n > 0))) {
		console.error(
			'usage: node scripts/bench/load.ts [--runs <n>] [--analyses <n>] [--file <report file>] [--workers 1,2] [--no-busy] [--out <file.json>]'
		);
		process.exit(2);
	}
	const rows = await benchLoad({
		runs,
		analyses,
		file: option('--file'),
		workers: option('--workers')?.split(',').map(Number),
		busy: !args.includes('--no-busy'),
		log: (line) => console.error(line)
	});
	console.log(loadTable(rows));
	const out = option('--out');
	if (out) writeFileSync(out, `${JSON.stringify(rows, null, '\t')}\n`);
}
