/**
 * Seeded random coverage instances and brute-force reference solvers for the siting tests:
 * every k-subset enumerated, so "exact" is checked against the definition, not another solver.
 */
import { seeded } from '../graph/helpers.ts';
import {
	coverageMatrixFromSets,
	coveredWeight,
	type CoverageMatrix
} from '../../../src/lib/engine/siting/matrix.ts';

export { seeded };

export interface RandomInstance {
	matrix: CoverageMatrix;
	sets: number[][];
	seconds: number[][];
}

/**
 * @param demands demand points (integer weights 0..maxWeight, about one in eight 0)
 * @param sites fixed + candidates
 * @param density chance that a site reaches a demand
 */
export function randomInstance(
	seed: number,
	demands: number,
	sites: number,
	fixedCount: number,
	density: number,
	maxWeight = 60
): RandomInstance {
	const random = seeded(seed);
	const weights = Array.from({ length: demands }, () =>
		random() < 0.125 ? 0 : 1 + Math.floor(random() * maxWeight)
	);
	const sets: number[][] = [];
	const seconds: number[][] = [];
	for (let s = 0; s < sites; s++) {
		const set: number[] = [];
		const time: number[] = [];
		for (let d = 0; d < demands; d++)
			if (random() < density) {
				set.push(d);
				time.push(Math.round(random() * 900 * 8) / 8);
			}
		sets.push(set);
		seconds.push(time);
	}
	return { matrix: coverageMatrixFromSets(weights, sets, fixedCount, seconds), sets, seconds };
}

/** Every subset of `items` with exactly `size` elements. */
export function* subsets(items: readonly number[], size: number): Generator<number[]> {
	const chosen: number[] = [];
	function* walk(from: number): Generator<number[]> {
		if (chosen.length === size) {
			yield [...chosen];
			return;
		}
		for (let i = from; i <= items.length - (size - chosen.length); i++) {
			chosen.push(items[i]);
			yield* walk(i + 1);
			chosen.pop();
		}
	}
	yield* walk(0);
}

export const candidatesOf = (matrix: CoverageMatrix) =>
	Array.from({ length: matrix.siteCount - matrix.fixedCount }, (_, i) => i + matrix.fixedCount);

/** Brute-force MCLP: the largest weight newly covered by any min(k, n) candidates. */
export function bruteForceMclp(matrix: CoverageMatrix, k: number): number {
	const candidates = candidatesOf(matrix);
	const before = coveredWeight(matrix, []);
	let best = 0;
	for (const subset of subsets(candidates, Math.min(k, candidates.length)))
		best = Math.max(best, coveredWeight(matrix, subset) - before);
	return best;
}

/** Brute-force LSCP: the fewest candidates covering `share` of the total weight, or null. */
export function bruteForceLscp(matrix: CoverageMatrix, share: number): number | null {
	const candidates = candidatesOf(matrix);
	let total = 0;
	for (const w of matrix.demandWeight) total += w;
	for (let size = 0; size <= candidates.length; size++)
		for (const subset of subsets(candidates, size))
			if (coveredWeight(matrix, subset) >= share * total - 1e-9 * total) return size;
	return null;
}

export const siteIndices = (solution: { sites: { site: number }[] }) =>
	solution.sites.map((s) => s.site);
