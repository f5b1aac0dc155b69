/**
 * The MILP seam: models built by the engine solve through the HiGHS adapter (structured arrays)
 * and, as CPLEX LP text, through HiGHS' text reader — the route a GLPK adapter would take.
 */
import loadHighs from 'highs';
import { describe, expect, it } from 'vitest';
import { MilpBuilder, milpToLpText } from '../../../src/lib/engine/siting/milp.ts';
import { mclpModel } from '../../../src/lib/engine/siting/mclp.ts';
import { reduceInstance } from '../../../src/lib/engine/siting/reduce.ts';
import { highsMilpSolver, loadHighsSolver } from '../../../src/lib/server/milp-highs.ts';
import { randomInstance } from './helpers.ts';

/** Workshop example of the highs README: max 30 c + 50 t, c + 2t ≤ 40, 2c + t ≤ 50, integers. */
function workshop() {
	const builder = new MilpBuilder();
	builder.column(30, 0, Infinity, true, 'chairs');
	builder.column(50, 0, Infinity, true, 'tables');
	builder.row([0, 1], [1, 2], -Infinity, 40);
	builder.row([0, 1], [2, 1], -Infinity, 50);
	return builder.build('maximize');
}

describe('HiGHS adapter', () => {
	it('solves a MILP to optimality with its bound, and the LP relaxation on request', async () => {
		const solver = await loadHighsSolver();
		const result = await solver.solve(workshop());
		expect(result.status).toBe('optimal');
		expect(result.objective).toBe(1100);
		expect([...result.values]).toEqual([20, 10]);
		expect(result.bound).toBeCloseTo(1100, 6);
		expect(solver.name).toMatch(/^HiGHS \d+\.\d+/);
		const lp = await solver.solve(workshop(), { relaxation: true });
		expect(lp.status).toBe('optimal');
		expect(lp.objective).toBeCloseTo(1100, 6); // this LP happens to have an integral optimum
	});

	it('reports infeasibility instead of a solution', async () => {
		const builder = new MilpBuilder();
		builder.column(1, 0, 1, true);
		builder.row([0], [1], 2, Infinity);
		const result = await (await loadHighsSolver()).solve(builder.build('minimize'));
		expect(result.status).toBe('infeasible');
		expect(result.values.length).toBe(0);
	});

	it('LP text of an MCLP model gives the same optimum through the text reader', async () => {
		const highs = await loadHighs();
		const solver = highsMilpSolver(highs);
		for (let seed = 1; seed <= 5; seed++) {
			const { matrix } = randomInstance(seed, 16, 14, 1, 0.2);
			const model = mclpModel(reduceInstance(matrix), 3);
			const text = milpToLpText(model);
			expect(text).toMatch(/^Maximize\n obj:/);
			expect(text).toMatch(/\nGenerals\n/);
			const viaText = highs.solve(text, { output_flag: false });
			const viaArrays = await solver.solve(model);
			expect(viaText.Status).toBe('Optimal');
			expect(viaText.ObjectiveValue).toBeCloseTo(viaArrays.objective, 6);
		}
	});
});
