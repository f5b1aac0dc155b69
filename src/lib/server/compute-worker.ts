/**
 * The compute pool's worker (compute-pool.ts): one Node worker thread that runs the server's
 * heavy jobs — gap reports, scenario results, project evaluations — with the same functions the
 * CLI and the routes call, so a job gives the same bytes in a worker as on the event loop.
 * Loaded by piscina as a TypeScript file (Node 24 strips the types), so it imports only what
 * Node can run without Vite: relative `.ts` paths and packages, no `$lib`.
 */
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { computeEvaluation } from './evaluation-results.ts';
import { regionReportFile } from './region-report.ts';
import { computeScenarioResults } from './scenario-results.ts';

/**
 * Nice value of a worker thread: when the cores are all busy (workers, other jobs), the event
 * loop that answers pages is scheduled first. On 2 cores with 2 busy workers the event loop's
 * stalls (up to 0.8 s) were runnable time spent waiting for a core, not JavaScript (its thread
 * CPU time was a sixth of the stall). Linux only: there a nice value belongs to one thread
 * (pid 0 = the calling thread); elsewhere it would lower the whole server.
 */
const WORKER_NICE = 10;
if (!isMainThread && process.platform === 'linux') {
	try {
		setPriority(0, WORKER_NICE);
	} catch {
		// not allowed here (a container's policy): the worker runs at the server's priority
	}
}

/** The jobs the pool runs, by name: their arguments and results cross the thread by structured clone. */
export const COMPUTE_TASKS = {
	regionReportFile,
	computeScenarioResults,
	computeEvaluation
};
export type ComputeTasks = typeof COMPUTE_TASKS;
export type ComputeTaskName = keyof ComputeTasks;

export interface ComputeMessage {
	task: ComputeTaskName;
	args: unknown[];
}

/** A thrown error as data: its class name, message and own fields (code, field, status …). */
export interface SerialisedError {
	className: string;
	message: string;
	stack?: string;
	fields: Record<string, unknown>;
}

export type ComputeAnswer = { ok: true; value: unknown } | { ok: false; error: SerialisedError };

/** Errors cross threads without their class and own fields: carry both so the caller rebuilds them. */
function serialise(error: unknown): SerialisedError {
	if (!(error instanceof Error)) return { className: 'Error', message: String(error), fields: {} };
	const fields: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(error)) {
		try {
			structuredClone(value);
			fields[key] = value;
		} catch {
			// a field that cannot cross the thread (a function, a handle) is left behind
		}
	}
	return { className: error.constructor.name, message: error.message, stack: error.stack, fields };
}

export default async function run(message: ComputeMessage): Promise<ComputeAnswer> {
	const task = COMPUTE_TASKS[message.task] as (...args: unknown[]) => unknown;
	if (typeof task !== 'function')
		return { ok: false, error: serialise(new Error(`no compute task "${message.task}"`)) };
	try {
		return { ok: true, value: await task(...message.args) };
	} catch (error) {
		return { ok: false, error: serialise(error) };
	}
}
