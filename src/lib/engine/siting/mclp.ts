/**
 * Maximal covering (MCLP, Church & ReVelle 1974): choose k new stations among the candidates so
 * that the most elders (the demand weight) not yet covered by the fixed, existing stations come
 * within the circle.
 *
 * - `greedyMclp`: lazy greedy (greedy.ts) — the (1 − 1/e) guarantee, in practice within a few
 *   per cent; reports its own upper bound (online submodular bound) and the gap to it.
 * - `exactMclp`: the textbook MILP on the reduced instance (reduce.ts), solved by a MilpSolver
 *   (HiGHS in WebAssembly), warm-started with the greedy solution:
 *     max Σ_d w_d y_d   s.t.   y_d ≤ Σ_{c reaches d} x_c  (every remaining demand d)
 *                              Σ_c x_c ≤ k,   x_c ∈ {0, 1},   0 ≤ y_d ≤ 1
 *   (y needs no integrality: with x integral, y_d = 1 exactly when some chosen c reaches d.)
 *   When k stations can cover every reachable elder, the exact solve returns the fewest
 *   stations that do (a covering MILP), not k.
 */
import { assertK, SitingError } from './errors.ts';
import { lazyGreedy, type GreedyRun } from './greedy.ts';
import { solveCover } from './lscp.ts';
import type { CoverageMatrix } from './matrix.ts';
import { MilpBuilder, type MilpModel, type MilpSolver } from './milp.ts';
import { reduceInstance, type ReducedInstance } from './reduce.ts';
import {
	nowMs,
	orderChoices,
	relativeGap,
	sizeOf,
	type InstanceSize,
	type SiteChoice
} from './solution.ts';

export const BOUND_SOURCES = [
	'solver',
	'greedy-online',
	'lp-relaxation',
	'exact',
	'all-coverable'
] as const;
/**
 * Where an upper bound comes from: the MILP solver's dual bound, the greedy's online
 * submodular bound, an LP relaxation, the exact optimum, or the weight of every elder some
 * candidate reaches ('all-coverable').
 */
export type BoundSource = (typeof BOUND_SOURCES)[number];

export interface MclpSolution {
	method: 'greedy' | 'exact';
	/** 'optimal' when proven (gap 0), 'feasible' otherwise, 'time-limit' when the solver stopped early. */
	status: 'optimal' | 'feasible' | 'time-limit';
	k: number;
	/** Chosen stations, largest contribution first (fewer than k when more add nothing). */
	sites: SiteChoice[];
	/** Weight (elders) newly covered by the chosen stations. */
	newlyCovered: number;
	/** Weight covered by the fixed stations alone. */
	fixedCovered: number;
	/** Weight of all demands. */
	totalWeight: number;
	/** Weight no fixed station and no candidate reaches. */
	unreachableWeight: number;
	/** Best known upper bound on newlyCovered for k stations. */
	upperBound: number;
	/** (upperBound − newlyCovered) ÷ upperBound; 0 when proven optimal. */
	relativeGap: number;
	boundSource: BoundSource;
	instance: InstanceSize;
	/** Engine milliseconds (reduction, greedy, model, solve). */
	solveMs: number;
}

export interface GreedyOptions {
	/** Called after each pick with (picks, k). */
	onProgress?: (picked: number, of: number) => void;
}

export interface ExactOptions extends GreedyOptions {
	/** Solver time limit, seconds (default 60); on expiry the best solution found is returned. */
	timeLimitS?: number;
}

function solutionOf(
	method: MclpSolution['method'],
	k: number,
	instance: ReducedInstance,
	classes: readonly number[],
	bound: number,
	boundSource: BoundSource,
	started: number,
	stoppedEarly = false
): MclpSolution {
	const { choices, value } = orderChoices(instance, classes);
	const upperBound = Math.max(bound, value);
	const gap = relativeGap(value, upperBound);
	return {
		method,
		status: stoppedEarly ? 'time-limit' : gap <= 1e-9 ? 'optimal' : 'feasible',
		k,
		sites: choices,
		newlyCovered: value,
		fixedCovered: instance.fixedWeight,
		totalWeight: instance.totalWeight,
		unreachableWeight: instance.unreachableWeight,
		upperBound,
		relativeGap: gap,
		boundSource,
		instance: sizeOf(instance),
		solveMs: nowMs() - started
	};
}

/** Weight of every demand new stations could cover: a bound for any k. */
function coverableWeight(instance: ReducedInstance): number {
	let total = 0;
	for (let r = 0; r < instance.demandCount; r++) total += instance.weight[r];
	return total;
}

function runGreedy(instance: ReducedInstance, k: number, options: GreedyOptions): GreedyRun {
	return lazyGreedy(instance, { maxPicks: k, boundK: k, onProgress: options.onProgress });
}

/**
 * Lazy-greedy MCLP: k new stations, each the one adding the most uncovered elders.
 *
 * @param matrix coverage matrix (fixed stations first)
 * @param k new stations, whole number ≥ 0
 * @returns the stations (fewer than k when the rest would add nothing), elders newly covered,
 *   and the gap to the online upper bound (tighten it with `withBound` once the exact optimum
 *   or an LP bound is known)
 * @throws SitingError INVALID_K
 * @example
 * const greedy = greedyMclp(problem.matrix, 3);
 * greedy.sites.map((s) => problem.sites[s.site].id); // the 3 sites
 * greedy.newlyCovered; // elders newly within 15 minutes
 */
export function greedyMclp(
	matrix: CoverageMatrix,
	k: number,
	options: GreedyOptions = {}
): MclpSolution {
	assertK(k);
	const started = nowMs();
	const instance = reduceInstance(matrix);
	const run = runGreedy(instance, k, options);
	const coverable = coverableWeight(instance);
	const online = run.upperBound < coverable;
	return solutionOf(
		'greedy',
		k,
		instance,
		run.picks,
		online ? run.upperBound : coverable,
		online ? 'greedy-online' : 'all-coverable',
		started
	);
}

/**
 * The same solution with a better upper bound (the exact optimum, or an LP bound), if lower.
 * @example withBound(greedy, exact.newlyCovered, 'exact').relativeGap // the greedy's true gap
 */
export function withBound(
	solution: MclpSolution,
	bound: number,
	source: BoundSource
): MclpSolution {
	if (!(bound < solution.upperBound)) return solution;
	const upperBound = Math.max(bound, solution.newlyCovered);
	const gap = relativeGap(solution.newlyCovered, upperBound);
	return {
		...solution,
		upperBound,
		relativeGap: gap,
		boundSource: source,
		status: solution.status === 'time-limit' ? 'time-limit' : gap <= 1e-9 ? 'optimal' : 'feasible'
	};
}

/** The MCLP MILP on a reduced instance: columns x (classes) then y (demands). */
export function mclpModel(instance: ReducedInstance, k: number): MilpModel {
	const builder = new MilpBuilder();
	for (let c = 0; c < instance.classCount; c++) builder.column(0, 0, 1, true, `x${c}`);
	const y0 = instance.classCount;
	for (let r = 0; r < instance.demandCount; r++)
		builder.column(instance.weight[r], 0, 1, false, `y${r}`);
	for (let r = 0; r < instance.demandCount; r++) {
		const start = instance.demandStart[r];
		const end = instance.demandStart[r + 1];
		const indices = new Int32Array(end - start + 1);
		const values = new Float64Array(end - start + 1).fill(-1);
		indices[0] = y0 + r;
		values[0] = 1;
		for (let i = start; i < end; i++) indices[i - start + 1] = instance.demandClass[i];
		builder.row(indices, values, -Infinity, 0);
	}
	const all = Int32Array.from({ length: instance.classCount }, (_, c) => c);
	builder.row(all, new Float64Array(instance.classCount).fill(1), -Infinity, k);
	return builder.build('maximize');
}

/**
 * Exact MCLP with a MILP solver, warm-started with the lazy greedy.
 *
 * @param solver a MilpSolver (Node: `loadHighsSolver()` from src/lib/server/milp-highs.ts)
 * @returns status 'optimal' with relativeGap 0, or 'time-limit' with the solver's gap
 * @throws SitingError INVALID_K, SOLVER_FAILED when the solver errs or returns no solution
 * @example const exact = await exactMclp(problem.matrix, 3, await loadHighsSolver());
 */
export async function exactMclp(
	matrix: CoverageMatrix,
	k: number,
	solver: MilpSolver,
	options: ExactOptions = {}
): Promise<MclpSolution> {
	assertK(k);
	const started = nowMs();
	const timeLimitS = options.timeLimitS ?? 60;
	const instance = reduceInstance(matrix, { dropDominated: true });
	const run = runGreedy(instance, k, options);
	const coverable = coverableWeight(instance);
	if (run.value >= coverable) {
		// k stations cover every coverable elder: return the fewest stations that do.
		const cover = await solveCover(instance, coverable, run.picks, solver, timeLimitS);
		return solutionOf('exact', k, instance, cover.classes, coverable, 'all-coverable', started);
	}
	if (run.upperBound <= run.value)
		return solutionOf('exact', k, instance, run.picks, run.value, 'greedy-online', started);

	const model = mclpModel(instance, k);
	const start = new Float64Array(model.colCost.length);
	for (const c of run.picks) start[c] = 1;
	for (let r = 0; r < instance.demandCount; r++) start[instance.classCount + r] = run.covered[r];
	const result = await solver.solve(model, { start, timeLimitS });
	if (
		(result.status !== 'optimal' && result.status !== 'time-limit') ||
		result.values.length !== model.colCost.length
	)
		throw new SitingError(
			'SOLVER_FAILED',
			`${solver.name} could not solve the MCLP model (${instance.classCount} candidate classes, ${instance.demandCount} demands): ${result.detail}`
		);
	const chosen: number[] = [];
	for (let c = 0; c < instance.classCount; c++) if (result.values[c] > 0.5) chosen.push(c);
	const solverValue = orderChoices(instance, chosen).value;
	// Never worse than the warm start (a time-limited solver may return a worse incumbent).
	const best = solverValue >= run.value ? chosen : run.picks;
	const optimal = result.status === 'optimal';
	const bound = optimal
		? Math.max(solverValue, run.value)
		: Math.min(Number.isFinite(result.bound) ? result.bound : Infinity, run.upperBound);
	return solutionOf('exact', k, instance, best, bound, 'solver', started, !optimal);
}

/**
 * The LP relaxation's optimum: an upper bound on what k stations can newly cover, for rating a
 * greedy solution without solving the MILP.
 * @example withBound(greedy, await mclpLpBound(matrix, 5, solver), 'lp-relaxation')
 */
export async function mclpLpBound(
	matrix: CoverageMatrix,
	k: number,
	solver: MilpSolver
): Promise<number> {
	assertK(k);
	const instance = reduceInstance(matrix, { dropDominated: true });
	if (instance.classCount === 0) return 0;
	const result = await solver.solve(mclpModel(instance, k), { relaxation: true });
	if (result.status !== 'optimal')
		throw new SitingError('SOLVER_FAILED', `${solver.name}: LP relaxation ${result.detail}`);
	return result.objective;
}
