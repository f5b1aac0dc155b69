/**
 * What MCLP and LSCP solutions share: a chosen station with what it adds, the instance size, the
 * clock, and the ordering of a chosen set by marginal gain.
 */
import type { ReducedInstance } from './reduce.ts';

/** performance.now() exists in browsers, workers and Node, but not in lib ES2022. */
const clock = (globalThis as unknown as { performance?: { now(): number } }).performance;
/** Milliseconds from an arbitrary origin. */
export const nowMs = (): number => clock?.now() ?? Date.now();

/** One chosen station. */
export interface SiteChoice {
	/** Matrix site index (≥ fixedCount) of the chosen candidate. */
	site: number;
	/** Weight (elders) it newly covers, given the choices listed before it. */
	gain: number;
	/** Other candidates that reach exactly the same uncovered demands (matrix site indices). */
	equivalent: Uint32Array;
}

export interface InstanceSize {
	/** Candidate classes after merging identical catchments (and dropping dominated ones). */
	classes: number;
	/** Demands that new stations could still cover. */
	demands: number;
	dominatedClasses: number;
}

export function sizeOf(instance: ReducedInstance): InstanceSize {
	return {
		classes: instance.classCount,
		demands: instance.demandCount,
		dominatedClasses: instance.dominatedClasses
	};
}

/** (bound − value) ÷ bound, 0 when the bound is 0. */
export function relativeGap(value: number, bound: number): number {
	if (!(bound > 0)) return 0;
	return Math.max(0, (bound - value) / bound);
}

/**
 * Chosen classes ordered by marginal gain (the greedy order within the set, ties to the lower
 * class), classes that add nothing dropped; with the weight they cover together.
 */
export function orderChoices(
	instance: ReducedInstance,
	classes: readonly number[]
): { choices: SiteChoice[]; value: number; covered: Uint8Array } {
	const covered = new Uint8Array(instance.demandCount);
	const left = [...new Set(classes)].sort((a, b) => a - b);
	const choices: SiteChoice[] = [];
	let value = 0;
	while (left.length > 0) {
		let best = -1;
		let bestGain = 0;
		left.forEach((k, i) => {
			let gain = 0;
			for (let j = instance.classStart[k]; j < instance.classStart[k + 1]; j++)
				if (!covered[instance.classDemand[j]]) gain += instance.weight[instance.classDemand[j]];
			if (gain > bestGain) {
				best = i;
				bestGain = gain;
			}
		});
		if (best < 0) break;
		const k = left.splice(best, 1)[0];
		for (let j = instance.classStart[k]; j < instance.classStart[k + 1]; j++)
			covered[instance.classDemand[j]] = 1;
		value += bestGain;
		choices.push({
			site: instance.representative[k],
			gain: bestGain,
			equivalent: instance.members[k].subarray(1)
		});
	}
	return { choices, value, covered };
}
