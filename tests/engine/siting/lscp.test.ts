/**
 * LSCP (issue 6): the exact count equals brute force (no smaller set reaches the target), the
 * chosen set reaches the target, the greedy reaches it with at least as many stations, and an
 * unreachable target is reported with the largest reachable share.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exactLscp, greedyLscp } from '../../../src/lib/engine/siting/lscp.ts';
import { coverageMatrixFromSets, coveredWeight } from '../../../src/lib/engine/siting/matrix.ts';
import type { MilpSolver } from '../../../src/lib/engine/siting/milp.ts';
import { loadHighsSolver } from '../../../src/lib/server/milp-highs.ts';
import { bruteForceLscp, randomInstance, siteIndices } from './helpers.ts';

let solver: MilpSolver;
beforeAll(async () => {
	solver = await loadHighsSolver();
});

const totalOf = (weights: Float64Array) => weights.reduce((sum, w) => sum + w, 0);

describe('LSCP against brute force', () => {
	const cases = Array.from({ length: 30 }, (_, i) => ({
		seed: 2000 + i,
		demands: 12 + (i % 5),
		sites: 11 + (i % 3),
		fixed: i % 2,
		density: [0.15, 0.25, 0.35][i % 3],
		share: [0.6, 0.8, 0.9, 1.0, 0.95][i % 5]
	}));

	it.each(cases)('seed $seed: share $share, $sites sites', async (c) => {
		const { matrix } = randomInstance(c.seed, c.demands, c.sites, c.fixed, c.density);
		const total = totalOf(matrix.demandWeight);
		const fewest = bruteForceLscp(matrix, c.share);
		const exact = await exactLscp(matrix, c.share, solver);
		const greedy = greedyLscp(matrix, c.share);
		const reached = (sites: number[]) => coveredWeight(matrix, sites) / total;

		if (fewest === null) {
			// Out of reach: reported, with the largest share every candidate together reaches.
			expect(exact.targetReachable).toBe(false);
			const all = Array.from({ length: matrix.siteCount }, (_, s) => s);
			expect(exact.maxReachableShare).toBeCloseTo(reached(all), 12);
			expect(exact.solvedShare).toBe(exact.maxReachableShare);
			expect(exact.sites.length).toBe(bruteForceLscp(matrix, exact.maxReachableShare));
		} else {
			expect(exact.targetReachable).toBe(true);
			expect(exact.sites.length).toBe(fewest);
			expect(reached(siteIndices(exact))).toBeGreaterThanOrEqual(c.share - 1e-9);
			expect(greedy.sites.length).toBeGreaterThanOrEqual(fewest);
			expect(reached(siteIndices(greedy))).toBeGreaterThanOrEqual(c.share - 1e-9);
			expect(greedy.lowerBound).toBeLessThanOrEqual(fewest);
		}
		expect(exact.status).toBe('optimal');
		expect(exact.gap).toBe(0);
		expect(exact.coveredShare).toBeCloseTo(reached(siteIndices(exact)), 12);
	});
});

describe('LSCP brute-force cases are not all trivial', () => {
	it('include unreachable targets, multi-station answers and greedy overshoots', async () => {
		let unreachable = 0;
		let overshoots = 0;
		for (let i = 0; i < 30; i++) {
			const { matrix } = randomInstance(
				2000 + i,
				12 + (i % 5),
				11 + (i % 3),
				i % 2,
				[0.15, 0.25, 0.35][i % 3]
			);
			const share = [0.6, 0.8, 0.9, 1.0, 0.95][i % 5];
			const exact = await exactLscp(matrix, share, solver);
			if (!exact.targetReachable) unreachable++;
			if (greedyLscp(matrix, share).sites.length > exact.sites.length) overshoots++;
		}
		expect(unreachable).toBeGreaterThanOrEqual(5);
		expect(overshoots).toBeGreaterThanOrEqual(1);
	});
});

describe('LSCP on hand-made instances', () => {
	// Weights 40, 30, 20, 10 (total 100). Fixed site 0 reaches demand 3 (10 %).
	// Candidates: 1 → {0}, 2 → {1, 2}, 3 → {0, 1}, 4 → {2}.
	const matrix = coverageMatrixFromSets([40, 30, 20, 10], [[3], [0], [1, 2], [0, 1], [2]], 1);

	it('needs no new station when the existing ones already reach the target', async () => {
		const plan = await exactLscp(matrix, 0.1, solver);
		expect(plan.sites).toEqual([]);
		expect(plan.fixedShare).toBeCloseTo(0.1, 12);
	});

	it('80 % needs one station (40 + 30 + 10); 100 % needs two', async () => {
		const eighty = await exactLscp(matrix, 0.8, solver);
		expect(siteIndices(eighty)).toEqual([3]);
		expect(eighty.coveredShare).toBeCloseTo(0.8, 12);
		const all = await exactLscp(matrix, 1, solver);
		expect(all.sites.length).toBe(2);
		expect(all.coveredShare).toBe(1);
	});

	it('says when 100 % is out of reach and solves for the largest reachable share', async () => {
		// Demand 4 (weight 25) is reached by no site.
		const partial = coverageMatrixFromSets(
			[40, 30, 20, 10, 25],
			[[3], [0], [1, 2], [0, 1], [2]],
			1
		);
		const plan = await exactLscp(partial, 1, solver);
		expect(plan.targetReachable).toBe(false);
		expect(plan.unreachableWeight).toBe(25);
		expect(plan.maxReachableShare).toBeCloseTo(100 / 125, 12);
		expect(plan.coveredShare).toBeCloseTo(100 / 125, 12);
		expect(plan.sites.length).toBe(2);
		const greedy = greedyLscp(partial, 1);
		expect(greedy.targetReachable).toBe(false);
		expect(greedy.coveredShare).toBeCloseTo(100 / 125, 12);
	});

	it('rejects a share outside (0, 1] with INVALID_TARGET', async () => {
		expect(() => greedyLscp(matrix, 0)).toThrow(/target share 0/);
		expect(() => greedyLscp(matrix, 1.2)).toThrow(/at most 1/);
		await expect(exactLscp(matrix, 90, solver)).rejects.toMatchObject({ code: 'INVALID_TARGET' });
	});
});
