/**
 * Station contributions (issue 6): the elders only a station reaches, and the change in covered
 * (or, with capacity, served) elders when it is removed — checked against recomputing without it.
 */
import { describe, expect, it } from 'vitest';
import { assignAmong, type CapacityModel } from '../../../src/lib/engine/siting/capacity.ts';
import { contributions } from '../../../src/lib/engine/siting/contribution.ts';
import { coverageMatrixFromSets, coveredWeight } from '../../../src/lib/engine/siting/matrix.ts';
import { candidatesOf, randomInstance, seeded } from './helpers.ts';

describe('contributions', () => {
	it('on a hand-made plan: only-here elders and the loss if removed', () => {
		// Weights 10, 20, 30, 40. Fixed 0 → {0, 1}; fixed 1 → {1, 2}; candidate 2 → {2, 3}.
		const matrix = coverageMatrixFromSets(
			[10, 20, 30, 40],
			[
				[0, 1],
				[1, 2],
				[2, 3]
			],
			2
		);
		const rows = contributions(matrix, [2]);
		expect(
			rows.map((r) => [r.site, r.fixed, r.reachedWeight, r.onlyHereWeight, r.changeIfRemoved])
		).toEqual([
			[0, true, 30, 10, -10],
			[1, true, 50, 0, 0],
			[2, false, 70, 40, -40]
		]);
		// Without the candidate, fixed station 1 alone covers demand 2.
		expect(contributions(matrix, [])[1].onlyHereWeight).toBe(30);
	});

	it.each(Array.from({ length: 10 }, (_, i) => 5000 + i))(
		'change if removed = covered without it − covered with all (seed %i)',
		(seed) => {
			const { matrix } = randomInstance(seed, 15, 9, 3, 0.3);
			const chosen = candidatesOf(matrix).filter((_, i) => i % 2 === 0);
			const all = coveredWeight(matrix, chosen);
			for (const row of contributions(matrix, chosen)) {
				if (row.fixed) {
					// Recompute without a fixed station: a matrix where it reaches nothing.
					const sets = Array.from({ length: matrix.siteCount }, (_, s) =>
						s === row.site
							? []
							: Array.from(matrix.siteDemand.subarray(matrix.siteStart[s], matrix.siteStart[s + 1]))
					);
					const without = coverageMatrixFromSets(matrix.demandWeight, sets, matrix.fixedCount);
					expect(row.changeIfRemoved).toBe(coveredWeight(without, chosen) - all);
				} else {
					const without = coveredWeight(
						matrix,
						chosen.filter((s) => s !== row.site)
					);
					expect(row.changeIfRemoved).toBe(without - all);
				}
				expect(row.onlyHereWeight + row.changeIfRemoved).toBe(0);
			}
		}
	);

	it('with capacity, removal re-runs the nearest-with-room assignment', () => {
		const { matrix } = randomInstance(77, 12, 8, 2, 0.4);
		const random = seeded(77);
		const model: CapacityModel = {
			unit: 'm2',
			demandSize: Float64Array.from(
				{ length: matrix.demandCount },
				() => 50 + Math.floor(random() * 100)
			),
			siteCapacity: Float64Array.from({ length: matrix.siteCount }, () => 150),
			unknownSizeDemands: [],
			unlimitedSites: []
		};
		const chosen = [2, 4, 6];
		const open = [0, 1, ...chosen];
		const full = assignAmong(matrix, open, model).servedWeight;
		const rows = contributions(matrix, chosen, model);
		let servedTotal = 0;
		for (const row of rows) {
			const without = assignAmong(
				matrix,
				open.filter((s) => s !== row.site),
				model
			).servedWeight;
			expect(row.changeIfRemoved).toBeCloseTo(without - full, 9);
			servedTotal += row.servedWeight!;
		}
		expect(servedTotal).toBeCloseTo(full, 9);
	});
});
