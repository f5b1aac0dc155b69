/**
 * node scripts/bench/hostile.ts [--runs <n>] [--no-baseline] [--out <file.json>]
 *
 * Big and hostile files (issue 17 item 3), and `benchHostile()` for `npm run bench`:
 * - the self-intersection check on a 400,000-vertex outline (a circle: accepted; a figure
 *   eight: one crossing, rejected without splitting), and on 20,000 vertices beside turf
 *   `kinks`, the quadratic check it replaced (4.8 s in the issue); goal: seconds;
 * - a 1.2 MB zip of 1.2 GB of zeros through the Shapefile reader, in a fresh child process so
 *   its RSS is its own; goal: refused within a second and a few MB;
 * - GeoJSON nested 100,000 arrays deep, and the depth pre-scan's cost on a 100 MB valid
 *   FeatureCollection next to JSON.parse of it; goal: refused within a second, the scan well
 *   under the parse.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { kinks } from '@turf/turf';
import { findCrossings } from '../../src/lib/engine/import/crossings.ts';
import { readGeoJson } from '../../src/lib/engine/import/geojson.ts';
import { repairGeometry, type Ring } from '../../src/lib/engine/import/geometry-repair.ts';
import { tooDeepAt } from '../../src/lib/engine/import/json-depth.ts';
import { ImportError } from '../../src/lib/engine/import/report.ts';
import { readZippedShapefile } from '../../src/lib/engine/import/shapefile.ts';
import { sharedDataDir } from './network.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const MIB = 1024 * 1024;

export interface HostileBenchRow {
	name: string;
	/** Median wall time of `runs`, ms. */
	medianMs: number;
	samplesMs: number[];
	runs: number;
	/** RSS growth of the run, MiB (the bomb: peak RSS of its child minus RSS before); else null. */
	rssGrowthMiB: number | null;
	/** What the input came to: accepted, rejected / refused with the code, … */
	outcome: string;
	goal: string;
	met: boolean;
	/** The old way on the same input, where one is run. */
	baseline?: string;
	baselineMs?: number;
	/** os.loadavg()[0] when the row began: the machine is shared. */
	loadAverage1m: number;
	note?: string;
}

/** A closed ring of `n` vertices around [120, 36], radius 0.01°: a circle or a figure eight. */
function outline(n: number, shape: 'circle' | 'eight'): Ring {
	const ring: Ring = [];
	for (let i = 0; i < n; i++) {
		const t = (2 * Math.PI * (i + 0.5)) / n;
		ring.push(
			shape === 'circle'
				? [120 + 0.01 * Math.cos(t), 36 + 0.01 * Math.sin(t)]
				: [120 + 0.01 * Math.sin(t), 36 + 0.01 * Math.sin(t) * Math.cos(t)]
		);
	}
	ring.push([ring[0][0], ring[0][1]]);
	return ring;
}

/**
 * A zip of one .dbf entry inflating to `mib` MiB of zeros (about 1 KiB per MiB): one MiB
 * deflated at level 9 and sync-flushed, repeated, then an empty final block.
 */
export function zipBombBytes(mib: number): Uint8Array {
	const unit = deflateRawSync(new Uint8Array(MIB), {
		level: 9,
		finishFlush: constants.Z_SYNC_FLUSH
	});
	const data = Buffer.concat([...Array.from({ length: mib }, () => unit), Buffer.from([3, 0])]);
	const name = Buffer.from('bomb.dbf');
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(20, 4);
	local.writeUInt16LE(8, 8);
	local.writeUInt32LE(data.length, 18);
	local.writeUInt32LE(Math.min(mib * MIB, 0xfffffffe), 22);
	local.writeUInt16LE(name.length, 26);
	const central = Buffer.alloc(46);
	central.writeUInt32LE(0x02014b50, 0);
	central.writeUInt16LE(20, 4);
	central.writeUInt16LE(20, 6);
	central.writeUInt16LE(8, 10);
	central.writeUInt32LE(data.length, 20);
	central.writeUInt32LE(Math.min(mib * MIB, 0xfffffffe), 24);
	central.writeUInt16LE(name.length, 28);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(1, 8);
	end.writeUInt16LE(1, 10);
	end.writeUInt32LE(46 + name.length, 12);
	end.writeUInt32LE(30 + name.length + data.length, 16);
	return Buffer.concat([local, name, data, central, name, end]);
}

function median(samples: number[]): number {
	return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

function timed<T>(runs: number, run: () => T): { samplesMs: number[]; last: T } {
	const samplesMs: number[] = [];
	let last!: T;
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		last = run();
		samplesMs.push(Math.round(performance.now() - start));
	}
	return { samplesMs, last };
}

const load = () => Math.round(os.loadavg()[0] * 100) / 100;

/**
 * Child mode: read the bomb from `file` and refuse it once; time and RSS as JSON. The bomb is
 * built by the parent so that building it does not set this process's peak RSS.
 */
async function refuseBombHere(file: string): Promise<{
	ms: number;
	rssGrowthMiB: number;
	code: string;
	zipBytes: number;
}> {
	const bytes = new Uint8Array(readFileSync(file));
	const rssBefore = process.memoryUsage().rss;
	const start = performance.now();
	const code = await readZippedShapefile(bytes, 'bomb.zip').then(
		() => 'accepted',
		(error: unknown) => (error instanceof ImportError ? error.code : String(error))
	);
	const ms = Math.round(performance.now() - start);
	const peak = process.resourceUsage().maxRSS * 1024;
	return {
		ms,
		rssGrowthMiB: Math.round(((peak - rssBefore) / MIB) * 10) / 10,
		code,
		zipBytes: bytes.length
	};
}

/**
 * Run the hostile-file measurements.
 * @param options.runs timed runs per row (default 3; the turf baseline runs once)
 * @param options.baseline also time turf `kinks` on 20,000 vertices (default true, about 5 s)
 * @param options.log progress lines (default none)
 * @returns one row per measurement, each with its goal and whether it was met
 * @example const rows = await benchHostile({ runs: 1 }); console.log(hostileTable(rows));
 */
export async function benchHostile(
	options: { runs?: number; baseline?: boolean; log?: (line: string) => void } = {}
): Promise<HostileBenchRow[]> {
	const runs = options.runs ?? 3;
	const log = options.log ?? (() => undefined);
	const rows: HostileBenchRow[] = [];

	// Self-intersections.
	const circle = outline(400_000, 'circle');
	let loadAverage1m = load();
	const simple = timed(runs, () => findCrossings([circle]));
	rows.push({
		name: 'crossing check, 400,000-vertex simple polygon',
		medianMs: median(simple.samplesMs),
		samplesMs: simple.samplesMs,
		runs,
		rssGrowthMiB: null,
		outcome: `${simple.last.points.length} crossings`,
		goal: 'seconds (< 5 s)',
		met: simple.last.points.length === 0 && median(simple.samplesMs) < 5000,
		loadAverage1m
	});
	log(`  ${rows.at(-1)!.name}: ${rows.at(-1)!.medianMs} ms`);

	const eight = outline(400_000, 'eight');
	loadAverage1m = load();
	const kinked = timed(runs, () =>
		repairGeometry({ type: 'Polygon', coordinates: [eight] }, 'area')
	);
	const rejected = kinked.last.geometry === null;
	rows.push({
		name: 'import repair, 400,000-vertex figure eight',
		medianMs: median(kinked.samplesMs),
		samplesMs: kinked.samplesMs,
		runs,
		rssGrowthMiB: null,
		outcome: rejected ? 'rejected (1 crossing, too big to split)' : 'accepted',
		goal: 'seconds (< 5 s), rejected with where it crosses',
		met: rejected && median(kinked.samplesMs) < 5000,
		loadAverage1m
	});
	log(`  ${rows.at(-1)!.name}: ${rows.at(-1)!.medianMs} ms`);

	const small = outline(20_000, 'eight');
	loadAverage1m = load();
	const ours = timed(runs, () => findCrossings([small]));
	const row: HostileBenchRow = {
		name: 'crossing check, 20,000-vertex figure eight',
		medianMs: median(ours.samplesMs),
		samplesMs: ours.samplesMs,
		runs,
		rssGrowthMiB: null,
		outcome: `${ours.last.points.length} crossing`,
		goal: 'the same crossings as turf kinks, far faster',
		met: ours.last.points.length === 1,
		loadAverage1m
	};
	if (options.baseline ?? true) {
		const theirs = timed(1, () => kinks({ type: 'Polygon', coordinates: [small] }));
		row.baseline = 'turf kinks (all pairs)';
		row.baselineMs = theirs.samplesMs[0];
		row.met =
			row.met &&
			JSON.stringify(theirs.last.features.map((f) => f.geometry.coordinates)) ===
				JSON.stringify(ours.last.points);
	}
	rows.push(row);
	log(`  ${row.name}: ${row.medianMs} ms (turf ${row.baselineMs ?? '—'} ms)`);

	// The zip bomb, each run in a fresh process.
	const dir = mkdtempSync(path.join(os.tmpdir(), 'carecircle-bench-hostile-'));
	const bombFile = path.join(dir, 'bomb.zip');
	let bombs: Awaited<ReturnType<typeof refuseBombHere>>[];
	try {
		writeFileSync(bombFile, zipBombBytes(1200));
		loadAverage1m = load();
		bombs = Array.from({ length: runs }, () => {
			const child = spawnSync(process.execPath, [import.meta.filename, '--bomb', bombFile], {
				cwd: repoRoot,
				encoding: 'utf8'
			});
			if (child.status !== 0) throw new Error(`hostile bench --bomb failed:\n${child.stderr}`);
			return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Awaited<
				ReturnType<typeof refuseBombHere>
			>;
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const bombMs = bombs.map((b) => b.ms);
	const growth = Math.max(...bombs.map((b) => b.rssGrowthMiB));
	rows.push({
		name: `zip bomb, ${(bombs[0].zipBytes / 1e6).toFixed(1)} MB → 1.2 GB (Shapefile)`,
		medianMs: median(bombMs),
		samplesMs: bombMs,
		runs,
		rssGrowthMiB: growth,
		outcome: `refused ${bombs[0].code}`,
		goal: '< 1 s and a few MB (RSS growth < 64 MiB; was 5.5 s, 1.37 GB)',
		met: bombs.every((b) => b.code === 'TOO_LARGE') && median(bombMs) < 1000 && growth < 64,
		loadAverage1m,
		note: 'each run a fresh process; growth = its peak RSS minus its RSS before the read'
	});
	log(`  ${rows.at(-1)!.name}: ${rows.at(-1)!.medianMs} ms, +${growth} MiB`);

	// JSON depth.
	const deep = '['.repeat(100_000) + ']'.repeat(100_000);
	loadAverage1m = load();
	const refusal = timed(runs, () => {
		try {
			readGeoJson(deep, 'deep.geojson');
			return 'accepted';
		} catch (error) {
			return error instanceof ImportError ? error.code : String(error);
		}
	});
	rows.push({
		name: 'GeoJSON nested 100,000 arrays deep',
		medianMs: median(refusal.samplesMs),
		samplesMs: refusal.samplesMs,
		runs,
		rssGrowthMiB: null,
		outcome: `refused ${refusal.last}`,
		goal: '< 1 s, a message, no stack trace',
		met: refusal.last === 'TOO_DEEP' && median(refusal.samplesMs) < 1000,
		loadAverage1m
	});

	const admin = JSON.parse(
		readFileSync(path.join(sharedDataDir, 'boundaries', 'qingdao_admin_osm.geojson'), 'utf8')
	) as { features: unknown[] };
	const big = JSON.stringify({
		type: 'FeatureCollection',
		features: Array.from({ length: 60 }, () => admin.features).flat()
	});
	loadAverage1m = load();
	const scan = timed(runs, () => tooDeepAt(big));
	const parse = timed(runs, () => JSON.parse(big) as unknown);
	rows.push({
		name: `depth pre-scan, ${(big.length / 1e6).toFixed(0)} MB valid FeatureCollection`,
		medianMs: median(scan.samplesMs),
		samplesMs: scan.samplesMs,
		runs,
		rssGrowthMiB: null,
		outcome: scan.last === -1 ? 'passes' : `refused at ${scan.last}`,
		goal: '< ½ of JSON.parse of the same text',
		met: scan.last === -1 && median(scan.samplesMs) < median(parse.samplesMs) / 2,
		baseline: 'JSON.parse',
		baselineMs: median(parse.samplesMs),
		loadAverage1m,
		note: 'Qingdao admin boundaries (shared data) repeated 60 times'
	});
	log(`  ${rows.at(-1)!.name}: ${rows.at(-1)!.medianMs} ms (parse ${rows.at(-1)!.baselineMs} ms)`);
	return rows;
}

/** The rows as a fixed-width table. */
export function hostileTable(rows: readonly HostileBenchRow[]): string {
	const lines = [
		`${'benchmark'.padEnd(52)} ${'median ms'.padStart(9)} ${'RSS +MiB'.padStart(9)} ${'baseline ms'.padStart(12)}  outcome; goal`
	];
	for (const row of rows)
		lines.push(
			`${row.name.padEnd(52)} ${String(row.medianMs).padStart(9)} ${(row.rssGrowthMiB === null ? '' : String(row.rssGrowthMiB)).padStart(9)} ${(row.baselineMs === undefined ? '' : `${row.baselineMs} (${row.baseline})`).padStart(12)}  ${row.outcome}; ${row.goal}: ${row.met ? 'met' : 'NOT met'} (load ${row.loadAverage1m})`
		);
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	if (args[0] === '--bomb') {
		console.log(JSON.stringify(await refuseBombHere(args[1])));
	} else {
		const option = (name: string) => {
			const at = args.indexOf(name);
			return at >= 0 ? args[at + 1] : undefined;
		};
		const runs = option('--runs') === undefined ? undefined : Number(option('--runs'));
		if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
			console.error(
				'usage: node scripts/bench/hostile.ts [--runs <n>] [--no-baseline] [--out <file.json>]'
			);
			process.exit(2);
		}
		const rows = await benchHostile({
			runs,
			baseline: !args.includes('--no-baseline'),
			log: (line) => console.error(line)
		});
		console.log(hostileTable(rows));
		const out = option('--out');
		if (out) writeFileSync(out, `${JSON.stringify(rows, null, '\t')}\n`);
	}
}
