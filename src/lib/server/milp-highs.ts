/**
 * The HiGHS MILP solver for Node (the CLI, the bench, server routes): loads the WebAssembly runtime
 * from the `highs` package once per process (~30 ms). The solver itself is engine code
 * (engine/siting/highs-solver.ts); the worker loads the runtime its own way (worker/highs.ts).
 */
import { highsMilpSolver } from '../engine/siting/highs-solver.ts';
import type { MilpSolver } from '../engine/siting/milp.ts';

export { highsMilpSolver };

let loading: Promise<MilpSolver> | null = null;

/**
 * The HiGHS solver for Node (the CLI, the bench, server routes): loads the WebAssembly runtime
 * once per process (~30 ms) and reuses it.
 * @example const exact = await exactMclp(matrix, 3, await loadHighsSolver());
 */
export function loadHighsSolver(): Promise<MilpSolver> {
	loading ??= import('highs').then(async ({ default: loadHighs }) =>
		highsMilpSolver(await loadHighs())
	);
	return loading;
}
