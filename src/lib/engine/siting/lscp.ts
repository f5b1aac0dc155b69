/**
 * Set covering (LSCP, Toregas et al. 1971), as planners ask it: the fewest new stations that
 * bring a target share of all elders (e.g. 90 % or 100 %) within the circle, the existing
 * stations kept. Elders that no site reaches (no candidate within the circle, or off the
 * network) make some targets unreachable; the result then says so, gives the largest share any
 * set of candidates reaches, and solves for that share instead.
 *
 * - `greedyLscp`: lazy greedy until the target is met; lower bound = the fewest classes whose
 *   individual weights could add up to the target.
 * - `exactLscp`: MILP   min Σ_c x_c   s.t.   y_d ≤ Σ_{c reaches d} x_c,   Σ_d w_d y_d ≥ need,
 *   x binary, 0 ≤ y ≤ 1 — warm-started with the greedy set.
 */
import { SitingError } from './errors.ts';
import { lazyGreedy } from './greedy.ts';
import type { CoverageMatrix } from './matrix.ts';
import { MilpBuilder, type MilpModel, type MilpSolver } from './milp.ts';
import { reduceInstance, type ReducedInstance } from './reduce.ts';
import { nowMs, orderChoices, sizeOf, type InstanceSize, type SiteChoice } from './solution.ts';

export interface LscpSolution {
	method: 'greedy' | 'exact';
	/** 'optimal' when the count is proven minimal, 'time-limit' when the solver stopped early. */
	status: 'optimal' | 'feasible' | 'time-limit';
	/** The share asked for, 0 < share ≤ 1. */
	targetShare: number;
	/** False when no choice of candidates reaches the target share. */
	targetReachable: boolean;
	/** Largest share reachable with every candidate open (fixed stations included). */
	maxReachableShare: number;
	/** The share solved for: targetShare, or maxReachableShare when the target is out of reach. */
	solvedShare: number;
	/** Share covered by the fixed stations alone. */
	fixedShare: number;
	/** Share covered with the chosen stations. */
	coveredShare: number;
	/** Weight (elders) covered with the chosen stations, fixed ones included. */
	coveredWeight: number;
	totalWeight: number;
	/** Weight no site reaches (what makes 100 % unreachable). */
	unreachableWeight: number;
	/** Chosen stations, largest contribution first. */
	sites: SiteChoice[];
	/** Proven lower bound on the number of new stations needed. */
	lowerBound: number;
	/** sites.length − lowerBound (0 when proven optimal). */
	gap: number;
	instance: InstanceSize;
	solveMs: number;
}

/** Relative tolerance on weights when testing "target reached" (float sums of elders). */
const EPS = 1e-9;

function assertTarget(share: number): void {
	if (!(share > 0 && share <= 1))
		throw new SitingError(
			'INVALID_TARGET',
			`target share ${share}: expected a number above 0 and at most 1 (e.g. 0.9 for 90 %)`
		);
}

interface Goal {
	instance: ReducedInstance;
	targetReachable: boolean;
	maxReachableShare: number;
	solvedShare: number;
	/** Weight new stations must add (≤ 0: the fixed stations already suffice). */
	need: number;
}

function goalOf(matrix: CoverageMatrix, targetShare: number, dropDominated: boolean): Goal {
	assertTarget(targetShare);
	const instance = reduceInstance(matrix, { dropDominated });
	const total = instance.totalWeight;
	const reachable = total - instance.unreachableWeight;
	const maxReachableShare = total > 0 ? reachable / total : 1;
	const targetReachable = targetShare <= maxReachableShare + EPS;
	const solvedShare = targetReachable ? targetShare : maxReachableShare;
	const need = targetReachable
		? solvedShare * total - instance.fixedWeight - EPS * total
		: reachable - instance.fixedWeight - EPS * total;
	return { instance, targetReachable, maxReachableShare, solvedShare, need };
}

/** Fewest classes whose weights could sum to `need` (largest weights first): a lower bound. */
export function countBound(instance: ReducedInstance, need: number): number {
	if (need <= 0) return 0;
	const weights = new Float64Array(instance.classCount);
	for (let c = 0; c < instance.classCount; c++)
		for (let i = instance.classStart[c]; i < instance.classStart[c + 1]; i++)
			weights[c] += instance.weight[instance.classDemand[i]];
	weights.sort().reverse();
	let sum = 0;
	for (let i = 0; i < weights.length; i++) {
		sum += weights[i];
		if (sum >= need) return i + 1;
	}
	return weights.length;
}

/** The covering MILP on a reduced instance: columns x (classes) then y (demands). */
export function coverModel(instance: ReducedInstance, need: number): MilpModel {
	const builder = new MilpBuilder();
	for (let c = 0; c < instance.classCount; c++) builder.column(1, 0, 1, true, `x${c}`);
	const y0 = instance.classCount;
	for (let r = 0; r < instance.demandCount; r++) builder.column(0, 0, 1, false, `y${r}`);
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
	builder.row(
		Int32Array.from({ length: instance.demandCount }, (_, r) => y0 + r),
		instance.weight,
		need,
		Infinity
	);
	return builder.build('minimize');
}

/**
 * Fewest classes covering `need`, with a solver, starting from a feasible set (`start`).
 * @returns the classes, a proven lower bound on their number, and whether the solver stopped early
 */
export async function solveCover(
	instance: ReducedInstance,
	need: number,
	start: readonly number[],
	solver: MilpSolver,
	timeLimitS: number
): Promise<{ classes: number[]; lowerBound: number; stoppedEarly: boolean }> {
	const simpleBound = countBound(instance, need);
	if (start.length <= simpleBound)
		return { classes: [...start], lowerBound: simpleBound, stoppedEarly: false };
	const model = coverModel(instance, need);
	const initial = new Float64Array(model.colCost.length);
	const { covered } = orderChoices(instance, start);
	for (const c of start) initial[c] = 1;
	for (let r = 0; r < instance.demandCount; r++) initial[instance.classCount + r] = covered[r];
	const result = await solver.solve(model, { start: initial, timeLimitS });
	if (
		(result.status !== 'optimal' && result.status !== 'time-limit') ||
		result.values.length !== model.colCost.length
	)
		throw new SitingError(
			'SOLVER_FAILED',
			`${solver.name} could not solve the covering model (${instance.classCount} candidate classes, ${instance.demandCount} demands): ${result.detail}`
		);
	const chosen: number[] = [];
	for (let c = 0; c < instance.classCount; c++) if (result.values[c] > 0.5) chosen.push(c);
	const covers = orderChoices(instance, chosen).value >= need;
	const better = covers && chosen.length < start.length;
	const solverBound = Number.isFinite(result.bound) ? Math.ceil(result.bound - 1e-6) : 0;
	const proven = result.status === 'optimal' && covers ? chosen.length : solverBound;
	return {
		classes: better ? chosen : [...start],
		lowerBound: Math.max(simpleBound, proven),
		stoppedEarly: result.status === 'time-limit'
	};
}

function solutionOf(
	method: LscpSolution['method'],
	targetShare: number,
	goal: Goal,
	classes: readonly number[],
	lowerBound: number,
	started: number,
	stoppedEarly = false
): LscpSolution {
	const { instance } = goal;
	const { choices, value } = orderChoices(instance, classes);
	const total = instance.totalWeight;
	const coveredWeight = instance.fixedWeight + value;
	const bound = Math.min(lowerBound, choices.length);
	return {
		method,
		status: stoppedEarly ? 'time-limit' : choices.length === bound ? 'optimal' : 'feasible',
		targetShare,
		targetReachable: goal.targetReachable,
		maxReachableShare: goal.maxReachableShare,
		solvedShare: goal.solvedShare,
		fixedShare: total > 0 ? instance.fixedWeight / total : 1,
		coveredShare: total > 0 ? coveredWeight / total : 1,
		coveredWeight,
		totalWeight: total,
		unreachableWeight: instance.unreachableWeight,
		sites: choices,
		lowerBound: bound,
		gap: choices.length - bound,
		instance: sizeOf(instance),
		solveMs: nowMs() - started
	};
}

/**
 * Lazy-greedy LSCP: add the station covering the most uncovered elders until the target share
 * is reached.
 *
 * @param targetShare share of all elders to cover, 0 < share ≤ 1 (fixed stations count)
 * @throws SitingError INVALID_TARGET
 * @example
 * const plan = greedyLscp(matrix, 0.9);
 * plan.targetReachable ? plan.sites.length : plan.maxReachableShare;
 */
export function greedyLscp(matrix: CoverageMatrix, targetShare: number): LscpSolution {
	const started = nowMs();
	const goal = goalOf(matrix, targetShare, false);
	if (goal.need <= 0) return solutionOf('greedy', targetShare, goal, [], 0, started);
	const run = lazyGreedy(goal.instance, {
		maxPicks: goal.instance.classCount,
		targetValue: goal.need
	});
	return solutionOf(
		'greedy',
		targetShare,
		goal,
		run.picks,
		countBound(goal.instance, goal.need),
		started
	);
}

/**
 * Exact LSCP with a MILP solver (warm-started with the greedy set).
 * @param options.timeLimitS solver time limit in seconds (default 60)
 * @throws SitingError INVALID_TARGET, SOLVER_FAILED
 * @example const plan = await exactLscp(matrix, 1.0, solver); // fewest stations for 100 % (or the max reachable)
 */
export async function exactLscp(
	matrix: CoverageMatrix,
	targetShare: number,
	solver: MilpSolver,
	options: { timeLimitS?: number } = {}
): Promise<LscpSolution> {
	const started = nowMs();
	const goal = goalOf(matrix, targetShare, true);
	const { instance, need } = goal;
	if (need <= 0) return solutionOf('exact', targetShare, goal, [], 0, started);
	const run = lazyGreedy(instance, { maxPicks: instance.classCount, targetValue: need });
	const cover = await solveCover(instance, need, run.picks, solver, options.timeLimitS ?? 60);
	return solutionOf(
		'exact',
		targetShare,
		goal,
		cover.classes,
		cover.lowerBound,
		started,
		cover.stoppedEarly
	);
}
