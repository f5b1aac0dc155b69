/**
 * HiGHS for the Web Worker: the WebAssembly runtime fetched from the app's own asset URL (no CDN),
 * loaded on the first exact siting request and kept for the worker's life.
 */
import loadHighs from 'highs';
import wasmUrl from 'highs/runtime?url';
import { highsMilpSolver } from '../engine/siting/highs-solver.ts';
import type { MilpSolver } from '../engine/siting/milp.ts';

let loading: Promise<MilpSolver> | null = null;

export function workerHighsSolver(): Promise<MilpSolver> {
	loading ??= loadHighs({ locateFile: () => wasmUrl }).then(highsMilpSolver);
	return loading;
}
