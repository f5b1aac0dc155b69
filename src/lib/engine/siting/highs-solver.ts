/**
 * HiGHS (compiled to WebAssembly, npm `highs`) as the engine's MilpSolver, on an already loaded
 * runtime: no loader here, so the same function serves Node (src/lib/server/milp-highs.ts loads
 * the runtime from the package) and the Web Worker (src/lib/worker/highs.ts loads it from the
 * .wasm asset's URL). Each solve creates one native model and disposes it in `finally` (HiGHS'
 * Wasm memory is not garbage-collected). The runtime is synchronous once loaded: run big solves in
 * a worker, never on a page's main thread.
 */
import type { Highs } from 'highs';
import {
	milpSize,
	type MilpModel,
	type MilpSolution,
	type MilpSolveOptions,
	type MilpSolver,
	type MilpStatus
} from './milp.ts';

/** HiGHS model status codes (types.d.ts ModelStatusCode) → the engine's statuses. */
function statusOf(code: number): MilpStatus {
	if (code === 7) return 'optimal';
	if (code === 13 || code === 14 || code === 16 || code === 17) return 'time-limit';
	if (code === 8) return 'infeasible';
	if (code === 9 || code === 10) return 'unbounded';
	return 'error';
}

const STATUS_TEXT: Record<number, string> = {
	0: 'not set',
	1: 'load error',
	2: 'model error',
	3: 'presolve error',
	4: 'solve error',
	5: 'postsolve error',
	6: 'empty model',
	7: 'optimal',
	8: 'infeasible',
	9: 'unbounded or infeasible',
	10: 'unbounded',
	11: 'objective bound reached',
	12: 'objective target reached',
	13: 'time limit reached',
	14: 'iteration limit reached',
	15: 'unknown',
	16: 'solution limit reached',
	17: 'interrupted'
};

/**
 * A MilpSolver on a loaded HiGHS runtime.
 * @example const solver = highsMilpSolver(await loadHighs());
 */
export function highsMilpSolver(highs: Highs): MilpSolver {
	const name = `HiGHS ${highs.version.string}`;
	return {
		name,
		async solve(model: MilpModel, options: MilpSolveOptions = {}): Promise<MilpSolution> {
			const { cols, rows } = milpSize(model);
			const relaxation = options.relaxation === true;
			const hasIntegers = !relaxation && model.integer.some((flag) => flag === 1);
			const native = highs.createModel({
				numCols: cols,
				numRows: rows,
				sense:
					model.sense === 'maximize'
						? highs.constants.objectiveSense.maximize
						: highs.constants.objectiveSense.minimize,
				colCost: model.colCost,
				colLower: model.colLower,
				colUpper: model.colUpper,
				rowLower: model.rowLower,
				rowUpper: model.rowUpper,
				matrix: {
					format: 'csr',
					numRows: rows,
					numCols: cols,
					starts: model.rowStart,
					indices: model.rowIndex,
					values: model.rowValue
				},
				integrality: hasIntegers ? Int32Array.from(model.integer) : undefined
			});
			try {
				native.options.set({
					output_flag: false,
					mip_rel_gap: options.relativeGap ?? 1e-9,
					mip_abs_gap: options.absoluteGap ?? 1e-6
				});
				if (options.timeLimitS !== undefined) native.options.set('time_limit', options.timeLimitS);
				if (options.start && hasIntegers) {
					if (options.start.length !== cols)
						throw new RangeError(`start has ${options.start.length} values for ${cols} columns`);
					native.setSolution({ colValue: options.start });
				}
				const { modelStatus } = native.run();
				const status = statusOf(modelStatus);
				const detail = `${name}: ${STATUS_TEXT[modelStatus] ?? `status ${modelStatus}`}`;
				const primal = native.info.get('primal_solution_status');
				const hasSolution = primal === highs.constants.solutionStatus.feasible;
				const objective = hasSolution ? native.getObjectiveValue() : Number.NaN;
				let bound = Number.NaN;
				if (hasIntegers) {
					const dual = Number(native.info.get('mip_dual_bound'));
					if (Number.isFinite(dual)) bound = dual;
				} else if (status === 'optimal') bound = objective;
				if (status === 'optimal' && !Number.isFinite(bound)) bound = objective;
				return {
					status: hasSolution || status !== 'time-limit' ? status : 'error',
					objective,
					bound,
					values: hasSolution ? native.getSolution().colValue : new Float64Array(0),
					detail
				};
			} finally {
				native.dispose();
			}
		}
	};
}
