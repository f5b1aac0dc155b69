/**
 * node scripts/bench/siting.ts [--out <file.json>]
 *
 * Seeded, repeatable timings of the siting engine (issue 6), and `benchSiting()` for
 * `npm run bench`:
 * - demo region (data/regions/shanghai-bund-lujiazui), the meal point fixed, every network node a
 *   candidate, 15 min at 1.0 m/s: the coverage matrix, exact MCLP k = 5 (HiGHS in WebAssembly;
 *   target < 5 s), lazy greedy k = 5 and its gap to the exact optimum (target ≤ 2 %), exact and
 *   greedy k = 3, capacity-aware k = 3 (greedy on every node; exact on one node per 150 m),
 *   exact LSCP 90 %;
 * - a generated instance: a 100 × 100 street grid of 50 m blocks, 5,000 candidate nodes and
 *   20,000 residential points, 20 fixed stations (seeded): the coverage matrix, lazy greedy
 *   k = 20 (target < 10 s) and its gap to the exact optimum and the LP-relaxation bound, and the
 *   exact MCLP k = 20 (one run).
 * Exact timings include the HiGHS solve (the runtime is loaded once, before timing). Prints a
 * table; --out writes the entries as JSON.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gridGraph } from '../../src/lib/engine/graph/grid.ts';
import { WalkSearch } from '../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../src/lib/engine/graph/snap.ts';
import { metresPerDegree } from '../../src/lib/engine/graph/geodesic.ts';
import type { FacilityFeature, ResidentialFeature } from '../../src/lib/engine/region/schema.ts';
import { ruleOfKind } from '../../src/lib/engine/rules/profiles.ts';
import {
	buildSitingProblem,
	capacityModel,
	exactCapacitatedMclp,
	greedyCapacitatedMclp,
	exactLscp,
	exactMclp,
	greedyMclp,
	mclpLpBound,
	networkNodeCandidates,
	withBound,
	type SiteCandidate
} from '../../src/lib/engine/siting/index.ts';
import { loadProfile } from '../../src/lib/server/profile-store.ts';
import { readRegion } from '../../src/lib/server/region-store.ts';
import { loadHighsSolver } from '../../src/lib/server/milp-highs.ts';
import { loadRegionGraph } from '../graph-cache.ts';

export interface SitingBenchEntry {
	name: string;
	instance: string;
	candidates: number;
	demands: number;
	medianMs: number;
	p95Ms: number;
	runs: number;
	/** Elders newly covered (MCLP) or stations (LSCP), where it applies. */
	value?: number;
	/** Relative gap (greedy vs exact or vs the LP bound), where it applies. */
	gap?: number;
	target?: string;
	note?: string;
}

const repoRoot = path.join(import.meta.dirname, '..', '..');

/** mulberry32: the same instance on every run. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
function stats(samples: number[]): { medianMs: number; p95Ms: number; runs: number } {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
	return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), runs: samples.length };
}

async function time<T>(run: () => T | Promise<T>, repeats: number, warmup = 1) {
	let last: T | undefined;
	for (let i = 0; i < warmup; i++) last = await run();
	const samples: number[] = [];
	for (let i = 0; i < repeats; i++) {
		const started = performance.now();
		last = await run();
		samples.push(performance.now() - started);
	}
	return { ...stats(samples), result: last as T };
}

async function benchDemo(entries: SitingBenchEntry[]): Promise<void> {
	const id = 'shanghai-bund-lujiazui';
	const region = readRegion(path.join(repoRoot, 'data', 'regions'), id);
	const { graph } = loadRegionGraph(path.join(repoRoot, 'data', 'regions', id), region.meta);
	const index = new SegmentIndex(graph);
	const search = new WalkSearch(graph);
	const candidates = networkNodeCandidates(graph);
	const build = () =>
		buildSitingProblem(
			search,
			index,
			region.layers.residential ?? [],
			region.layers.facilities ?? [],
			candidates
		);
	const built = await time(build, 10);
	const problem = built.result;
	const { matrix } = problem;
	const base = {
		instance: `demo ${id}`,
		candidates: candidates.length,
		demands: matrix.demandCount
	};
	entries.push({
		name: 'coverage matrix (18 searches)',
		...base,
		medianMs: built.medianMs,
		p95Ms: built.p95Ms,
		runs: built.runs,
		note: `${matrix.siteDemand.length} reachable pairs, method ${problem.method}`
	});
	const solver = await loadHighsSolver();
	for (const k of [5, 3]) {
		const exact = await time(() => exactMclp(matrix, k, solver), 10);
		const greedy = await time(() => greedyMclp(matrix, k), 20);
		const gap = withBound(greedy.result, exact.result.newlyCovered, 'exact').relativeGap;
		entries.push({
			name: `exact MCLP k = ${k}`,
			...base,
			medianMs: exact.medianMs,
			p95Ms: exact.p95Ms,
			runs: exact.runs,
			value: exact.result.newlyCovered,
			gap: exact.result.relativeGap,
			target: k === 5 ? '< 5000 ms' : undefined,
			note: `${exact.result.sites.length} stations, ${exact.result.instance.classes} candidate classes after reduction, bound ${exact.result.boundSource}`
		});
		entries.push({
			name: `greedy MCLP k = ${k}`,
			...base,
			medianMs: greedy.medianMs,
			p95Ms: greedy.p95Ms,
			runs: greedy.runs,
			value: greedy.result.newlyCovered,
			gap,
			target: k === 5 ? 'gap ≤ 2 %' : undefined,
			note: 'gap to the exact optimum'
		});
	}
	// Capacity-aware: 300 m² new stations, the profile's 15 / 20 m² per 100 households.
	const profile = loadProfile(path.join(repoRoot, 'data', 'profiles'), 'qingdao-laoshan-2024');
	const rule = ruleOfKind(profile, 'facility_area_per_households');
	const model = capacityModel(problem.demands, problem.sites, { rule, candidateFloorAreaM2: 300 });
	const capacitated = await time(() => greedyCapacitatedMclp(matrix, 3, model), 5);
	entries.push({
		name: 'greedy capacity-aware k = 3',
		...base,
		medianMs: capacitated.medianMs,
		p95Ms: capacitated.p95Ms,
		runs: capacitated.runs,
		value: Math.round(capacitated.result.newlyServed),
		note: '300 m² per new station; elders newly served under nearest-station-with-room'
	});
	const thinned = buildSitingProblem(
		search,
		index,
		region.layers.residential ?? [],
		region.layers.facilities ?? [],
		networkNodeCandidates(graph, { spacingM: 150 })
	);
	const thinnedModel = capacityModel(thinned.demands, thinned.sites, {
		rule,
		candidateFloorAreaM2: 300
	});
	const exactCapacitated = await time(
		() => exactCapacitatedMclp(thinned.matrix, 3, thinnedModel, solver),
		1,
		0
	);
	const greedyThinned = greedyCapacitatedMclp(thinned.matrix, 3, thinnedModel);
	entries.push({
		name: 'exact capacity-aware k = 3',
		instance: `demo ${id}, nodes 1 per 150 m`,
		candidates: thinned.sites.length - thinned.fixedCount,
		demands: thinned.matrix.demandCount,
		medianMs: exactCapacitated.medianMs,
		p95Ms: exactCapacitated.p95Ms,
		runs: exactCapacitated.runs,
		value: Math.round(exactCapacitated.result.newlyServed),
		gap: exactCapacitated.result.relativeGap ?? undefined,
		note: `status ${exactCapacitated.result.status}; greedy on the same candidates ${Math.round(greedyThinned.newlyServed)}`
	});
	const lscp = await time(() => exactLscp(matrix, 0.9, solver), 10);
	entries.push({
		name: 'exact LSCP 90 %',
		...base,
		medianMs: lscp.medianMs,
		p95Ms: lscp.p95Ms,
		runs: lscp.runs,
		value: lscp.result.sites.length,
		note: `covered share ${(lscp.result.coveredShare * 100).toFixed(1)} %`
	});
}

/** 100 × 100 grid of 50 m blocks; 5,000 candidate nodes; 20,000 point areas; 20 fixed stations. */
async function benchGenerated(entries: SitingBenchEntry[]): Promise<void> {
	const random = seeded(6);
	const { graph } = gridGraph({ rows: 100, cols: 100, spacingM: 50, order: 'hilbert' });
	const index = new SegmentIndex(graph);
	const search = new WalkSearch(graph);
	const scale = metresPerDegree(31.23);
	const sizeM = 99 * 50;
	const point = (): [number, number] => [
		121.5 + (random() * sizeM) / scale.x,
		31.23 + (random() * sizeM) / scale.y
	];
	const residential: ResidentialFeature[] = Array.from({ length: 20000 }, (_, i) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: point() },
		properties: {
			id: `r${i}`,
			name: `r${i}`,
			households: null,
			elders: 1 + Math.floor(random() * 200),
			status: 'existing',
			builtYear: null,
			streetCode: null,
			gates: [],
			estimated: {}
		}
	}));
	const facilities: FacilityFeature[] = Array.from({ length: 20 }, (_, i) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: point() },
		properties: {
			id: `f${i}`,
			name: `f${i}`,
			kind: 'community_station',
			floorAreaM2: null,
			landAreaM2: null,
			beds: null,
			nursingBeds: null,
			status: 'existing',
			streetCode: null,
			source: 'generated',
			estimated: {}
		}
	}));
	// 5,000 distinct candidate nodes (a seeded shuffle of all 10,000).
	const order = Array.from({ length: graph.nodeCount }, (_, i) => i);
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	const all = networkNodeCandidates(graph);
	const candidates: SiteCandidate[] = order
		.slice(0, 5000)
		.sort((a, b) => a - b)
		.map((n) => all[n]);
	const built = await time(
		() => buildSitingProblem(search, index, residential, facilities, candidates),
		2,
		0
	);
	const { matrix } = built.result;
	const base = {
		instance: 'generated 100×100 grid, 50 m',
		candidates: candidates.length,
		demands: matrix.demandCount
	};
	entries.push({
		name: 'coverage matrix (20,000 searches)',
		...base,
		medianMs: built.medianMs,
		p95Ms: built.p95Ms,
		runs: built.runs,
		note: `${matrix.siteDemand.length} reachable pairs, method ${built.result.method}`
	});
	const greedy = await time(() => greedyMclp(matrix, 20), 5);
	const solver = await loadHighsSolver();
	const lpStarted = performance.now();
	const lpBound = await mclpLpBound(matrix, 20, solver);
	const lpMs = performance.now() - lpStarted;
	const exact = await time(() => exactMclp(matrix, 20, solver, { timeLimitS: 120 }), 1, 0);
	entries.push({
		name: 'greedy MCLP k = 20',
		...base,
		medianMs: greedy.medianMs,
		p95Ms: greedy.p95Ms,
		runs: greedy.runs,
		value: greedy.result.newlyCovered,
		gap: withBound(greedy.result, exact.result.upperBound, 'exact').relativeGap,
		target: '< 10000 ms',
		note: `gap to the exact optimum; to the LP-relaxation bound ${(withBound(greedy.result, lpBound, 'lp-relaxation').relativeGap * 100).toFixed(2)} % (LP ${Math.round(lpMs)} ms), to its own online bound ${(greedy.result.relativeGap * 100).toFixed(2)} %`
	});
	entries.push({
		name: 'exact MCLP k = 20',
		...base,
		medianMs: exact.medianMs,
		p95Ms: exact.p95Ms,
		runs: exact.runs,
		value: exact.result.newlyCovered,
		gap: exact.result.relativeGap,
		note: `status ${exact.result.status}, ${exact.result.instance.classes} candidate classes, ${exact.result.instance.demands} demands in the MILP`
	});
}

/** Run every siting benchmark; entries in the order printed. */
export async function benchSiting(): Promise<SitingBenchEntry[]> {
	const entries: SitingBenchEntry[] = [];
	await benchDemo(entries);
	await benchGenerated(entries);
	return entries;
}

/** The entries as a fixed-width table. */
export function sitingTable(entries: readonly SitingBenchEntry[]): string {
	const lines = [
		`${'benchmark'.padEnd(34)} ${'instance'.padEnd(44)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(10)} ${'value'.padStart(8)} ${'gap'.padStart(8)}  target`
	];
	for (const entry of entries) {
		const gap = entry.gap === undefined ? '' : `${(entry.gap * 100).toFixed(2)} %`;
		lines.push(
			`${entry.name.padEnd(34)} ${entry.instance.padEnd(44)} ${String(entry.medianMs).padStart(10)} ${String(entry.p95Ms).padStart(10)} ${String(entry.value ?? '').padStart(8)} ${gap.padStart(8)}  ${entry.target ?? ''}`
		);
		if (entry.note) lines.push(`${''.padEnd(35)}${entry.note}`);
	}
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	const outIndex = args.indexOf('--out');
	const outPath = outIndex >= 0 ? args[outIndex + 1] : undefined;
	if (outIndex >= 0 && !outPath) {
		console.error('usage: node scripts/bench/siting.ts [--out <file.json>]');
		process.exit(2);
	}
	const entries = await benchSiting();
	console.log(sitingTable(entries));
	if (outPath) {
		await writeFile(outPath, JSON.stringify({ siting: entries }, null, '\t') + '\n');
		console.log(`\nwrote ${outPath}`);
	}
}
