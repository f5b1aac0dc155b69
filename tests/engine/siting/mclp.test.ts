/**
 * MCLP (issue 6): the exact solver equals brute-force enumeration of every k-subset on seeded
 * small instances; the greedy is never better than exact and never farther from it than its
 * reported gap; the reported sites really cover what the solution says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { coverageMatrixFromSets, coveredWeight } from '../../../src/lib/engine/siting/matrix.ts';
import {
	exactMclp,
	greedyMclp,
	mclpLpBound,
	withBound
} from '../../../src/lib/engine/siting/mclp.ts';
import type { MilpSolver } from '../../../src/lib/engine/siting/milp.ts';
import { SitingError } from '../../../src/lib/engine/siting/errors.ts';
import { loadHighsSolver } from '../../../src/lib/server/milp-highs.ts';
import { bruteForceMclp, randomInstance, siteIndices } from './helpers.ts';

let solver: MilpSolver;
beforeAll(async () => {
	solver = await loadHighsSolver();
});

describe('MCLP against brute force (all k-subsets)', () => {
	// 40 seeded instances: 14–19 demands, 12–15 sites of which 0–2 fixed, various densities;
	// 24 of them need the solver (the others are settled by the greedy's bound or by covering
	// everything), and in 5 the greedy falls short of the optimum.
	const cases = Array.from({ length: 40 }, (_, i) => ({
		seed: 1000 + i,
		demands: 14 + (i % 6),
		sites: 12 + (i % 4),
		fixed: i % 3,
		density: [0.1, 0.15, 0.2, 0.3][i % 4],
		k: 2 + (i % 3)
	}));

	it.each(cases)('seed $seed: k = $k, $sites sites ($fixed fixed), density $density', async (c) => {
		const { matrix } = randomInstance(c.seed, c.demands, c.sites, c.fixed, c.density);
		const optimum = bruteForceMclp(matrix, c.k);
		const before = coveredWeight(matrix, []);

		const exact = await exactMclp(matrix, c.k, solver);
		expect(exact.newlyCovered).toBe(optimum);
		expect(exact.status).toBe('optimal');
		expect(exact.relativeGap).toBe(0);
		expect(exact.sites.length).toBeLessThanOrEqual(c.k);
		expect(coveredWeight(matrix, siteIndices(exact)) - before).toBe(exact.newlyCovered);
		expect(exact.fixedCovered).toBe(before);

		const greedy = greedyMclp(matrix, c.k);
		expect(greedy.sites.length).toBeLessThanOrEqual(c.k);
		expect(coveredWeight(matrix, siteIndices(greedy)) - before).toBe(greedy.newlyCovered);
		expect(greedy.newlyCovered).toBeLessThanOrEqual(optimum);
		// The greedy's bound is a true bound, and its gap covers the true gap.
		expect(greedy.upperBound).toBeGreaterThanOrEqual(optimum);
		const trueGap = optimum > 0 ? (optimum - greedy.newlyCovered) / optimum : 0;
		expect(trueGap).toBeLessThanOrEqual(greedy.relativeGap + 1e-12);
		// Each listed gain is what that site adds after the ones before it.
		let running = before;
		greedy.sites.forEach((site, i) => {
			const after = coveredWeight(matrix, siteIndices(greedy).slice(0, i + 1));
			expect(after - running).toBe(site.gain);
			running = after;
		});
	});

	it('exercises the solver and catches greedy shortfalls (the cases above are not all trivial)', async () => {
		let solved = 0;
		let shortfalls = 0;
		for (const c of cases) {
			const { matrix } = randomInstance(c.seed, c.demands, c.sites, c.fixed, c.density);
			const exact = await exactMclp(matrix, c.k, solver);
			if (exact.boundSource === 'solver') solved++;
			if (greedyMclp(matrix, c.k).newlyCovered < exact.newlyCovered) shortfalls++;
		}
		expect(solved).toBeGreaterThanOrEqual(20);
		expect(shortfalls).toBeGreaterThanOrEqual(3);
	});

	it('the LP relaxation bounds the optimum from above and tightens the greedy gap', async () => {
		for (let seed = 1; seed <= 10; seed++) {
			const { matrix } = randomInstance(seed, 14, 12, 1, 0.25);
			const optimum = bruteForceMclp(matrix, 2);
			const lp = await mclpLpBound(matrix, 2, solver);
			expect(lp).toBeGreaterThanOrEqual(optimum - 1e-6);
			const greedy = greedyMclp(matrix, 2);
			const tightened = withBound(greedy, lp, 'lp-relaxation');
			expect(tightened.upperBound).toBeLessThanOrEqual(greedy.upperBound);
			expect(tightened.upperBound).toBeGreaterThanOrEqual(optimum - 1e-6);
			const exact = withBound(greedy, optimum, 'exact');
			expect(exact.relativeGap).toBeCloseTo(
				optimum > 0 ? (optimum - greedy.newlyCovered) / optimum : 0,
				12
			);
		}
	});
});

describe('MCLP on hand-made instances', () => {
	// Demands: A 10, B 10, C 10, D 1. Site 0 fixed reaches D.
	// Candidate 1 reaches A+B (20), 2 reaches B+C (20), 3 reaches A (10), 4 reaches C (10), 5 reaches D.
	const matrix = coverageMatrixFromSets([10, 10, 10, 1], [[3], [0, 1], [1, 2], [0], [2], [3]], 1);

	it('greedy takes the largest gain first and can miss the optimum; exact does not', async () => {
		// Greedy: site 1 (20, ties to the lower index), then 2 or 4 (+10) = 30. Exact k = 2: 1 + 4 = 30 too.
		const greedy = greedyMclp(matrix, 2);
		expect(greedy.newlyCovered).toBe(30);
		const exact = await exactMclp(matrix, 2, solver);
		expect(exact.newlyCovered).toBe(30);
		expect(exact.fixedCovered).toBe(1);
		expect(exact.totalWeight).toBe(31);
	});

	it('a classic greedy trap: exact finds two sites where greedy wastes the first pick', async () => {
		// Demands 0..5 weight 1 each; candidate 0 covers {1,2,3,4} (4); candidates 1 and 2 cover
		// {0,1,2} and {3,4,5} (3 each). Greedy k = 2: 4 + 1 = 5; optimum: 1 + 2 = 6.
		const trap = coverageMatrixFromSets(
			[1, 1, 1, 1, 1, 1],
			[
				[1, 2, 3, 4],
				[0, 1, 2],
				[3, 4, 5]
			]
		);
		const greedy = greedyMclp(trap, 2);
		expect(greedy.newlyCovered).toBe(5);
		expect(greedy.relativeGap).toBeGreaterThan(0);
		const exact = await exactMclp(trap, 2, solver);
		expect(exact.newlyCovered).toBe(6);
		expect(siteIndices(exact).sort()).toEqual([1, 2]);
		expect(withBound(greedy, exact.newlyCovered, 'exact').relativeGap).toBeCloseTo(1 / 6, 12);
	});

	it('lists candidates with the same catchment as equivalents of the chosen one', async () => {
		const twins = coverageMatrixFromSets([5, 7], [[0], [0, 1], [0, 1], [1]], 0, [
			[60],
			[300, 300],
			[100, 100],
			[50]
		]);
		const exact = await exactMclp(twins, 1, solver);
		// Sites 1 and 2 reach the same demands; 2 is closer (smaller elder-weighted time).
		expect(siteIndices(exact)).toEqual([2]);
		expect([...exact.sites[0].equivalent]).toEqual([1]);
	});

	it('k = 0 chooses nothing; k beyond what helps returns only useful sites', async () => {
		expect((await exactMclp(matrix, 0, solver)).sites).toEqual([]);
		expect(greedyMclp(matrix, 0).newlyCovered).toBe(0);
		const big = await exactMclp(matrix, 5, solver);
		expect(big.newlyCovered).toBe(30);
		expect(big.sites.length).toBe(2); // the fewest stations that cover everything coverable
		expect(big.boundSource).toBe('all-coverable');
	});

	it('rejects a k that is not a whole number ≥ 0 with INVALID_K', async () => {
		expect(() => greedyMclp(matrix, -1)).toThrowError(SitingError);
		expect(() => greedyMclp(matrix, 1.5)).toThrow(/INVALID_K|whole number/);
		await expect(exactMclp(matrix, Number.NaN, solver)).rejects.toMatchObject({
			code: 'INVALID_K'
		});
	});
});
