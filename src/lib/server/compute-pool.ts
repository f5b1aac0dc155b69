/**
 * The server's heavy jobs — gap reports, scenario results, project evaluations — run in a
 * bounded pool of worker threads (piscina), not on the event loop, so pages and small API calls
 * answer while a city's analysis is computing. The pool has a queue of a fixed length: when it is
 * full a job is refused at once with COMPUTE_BUSY (503 and Retry-After), not left to pile up.
 * A job that outlives its time limit is ended (COMPUTE_TIMEOUT, 504); a job whose client has gone
 * away (the request's signal) is taken off the queue or its worker ended (COMPUTE_CANCELLED).
 * Settings from the environment (see `npm start -- --help`): CARECIRCLE_WORKERS,
 * CARECIRCLE_QUEUE, CARECIRCLE_JOB_TIMEOUT_S.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SHARE_ENV } from 'node:worker_threads';
import Piscina from 'piscina';
import { ImportError } from '../engine/import/report.ts';
import { ProfileError } from '../engine/rules/profiles.ts';
import { PlanError } from '../engine/session/what-if.ts';
import type {
	ComputeAnswer,
	ComputeMessage,
	ComputeTaskName,
	ComputeTasks,
	SerialisedError
} from './compute-worker.ts';
import { SavedEvaluationError } from './db/evaluation-model.ts';
import { ScenarioError } from './db/scenario-model.ts';
import { PdfUnavailableError } from './pdf.ts';
import { RegionFileError } from './region-store.ts';

export type ComputePoolErrorCode = 'COMPUTE_BUSY' | 'COMPUTE_TIMEOUT' | 'COMPUTE_CANCELLED';

const STATUS: Record<ComputePoolErrorCode, number> = {
	COMPUTE_BUSY: 503,
	COMPUTE_TIMEOUT: 504,
	// nginx's "client closed request": nobody reads it, the log does
	COMPUTE_CANCELLED: 499
};

/** The pool's own refusals; routes answer them as `{ code, message }` with their status. */
export class ComputePoolError extends Error {
	readonly code: ComputePoolErrorCode;
	readonly status: number;
	/** For COMPUTE_BUSY: seconds after which trying again is sensible (the Retry-After header). */
	readonly retryAfterS: number | undefined;
	constructor(code: ComputePoolErrorCode, message: string, retryAfterS?: number) {
		super(message);
		this.name = 'ComputePoolError';
		this.code = code;
		this.status = STATUS[code];
		this.retryAfterS = retryAfterS;
	}
}

/** Headers of a pool error's answer: Retry-After for a busy server. */
export function computePoolErrorHeaders(error: ComputePoolError): Record<string, string> {
	return error.retryAfterS !== undefined ? { 'retry-after': String(error.retryAfterS) } : {};
}

export interface ComputePoolOptions {
	/** Worker threads; 0 runs every job on the calling thread (debugging, no queue). */
	workers: number;
	/** Jobs that may wait for a worker; one more is refused with COMPUTE_BUSY. */
	queue: number;
	/** A job's whole time, waiting included; after it the job is ended with COMPUTE_TIMEOUT. */
	timeoutMs: number;
	/** The worker module (default: compute-worker.ts of this folder, from the working directory). */
	filename?: string;
}

/** Classes a job may throw on purpose: rebuilt on this side so callers' `instanceof` still work. */
const ERROR_CLASSES: Record<string, { prototype: Error }> = {
	ImportError,
	PdfUnavailableError,
	PlanError,
	ProfileError,
	RegionFileError,
	SavedEvaluationError,
	ScenarioError
};

function rebuild(serialised: SerialisedError): Error {
	const type = ERROR_CLASSES[serialised.className];
	const error: Error = type ? Object.create(type.prototype) : new Error();
	Object.assign(error, serialised.fields);
	Object.defineProperty(error, 'message', { value: serialised.message, writable: true });
	// The worker's stack: where the job failed, not where the answer was read.
	if (serialised.stack) Object.defineProperty(error, 'stack', { value: serialised.stack });
	return error;
}

type TaskArgs<N extends ComputeTaskName> = Parameters<ComputeTasks[N]>;
type TaskResult<N extends ComputeTaskName> = Awaited<ReturnType<ComputeTasks[N]>>;

/** Seconds a busy answer asks the client to wait before trying again. */
const RETRY_AFTER_S = 5;

export class ComputePool {
	readonly options: Readonly<ComputePoolOptions>;
	readonly #pool: Piscina<ComputeMessage, ComputeAnswer> | null;

	constructor(options: ComputePoolOptions) {
		this.options = options;
		if (options.workers === 0) {
			this.#pool = null;
			return;
		}
		const filename = options.filename ?? join(process.cwd(), 'src/lib/server/compute-worker.ts');
		if (!existsSync(filename))
			throw new Error(
				`${filename} not found: the server must run from the carecircle folder (npm start)`
			);
		this.#pool = new Piscina<ComputeMessage, ComputeAnswer>({
			filename,
			minThreads: Math.min(1, options.workers),
			maxThreads: options.workers,
			maxQueue: options.queue,
			// Workers read the server's environment as it is now (CHROMIUM_PATH, data folders), not a copy.
			env: SHARE_ENV,
			// A worker keeps the graphs it built; one idle for long gives its memory back.
			idleTimeout: 5 * 60_000
		});
	}

	/** Jobs waiting for a worker (not counting the running ones). */
	get waiting(): number {
		return this.#pool?.queueSize ?? 0;
	}

	/**
	 * Run a job in the pool.
	 * @param options.signal aborting it (the request's signal: the client went away) cancels the job
	 * @throws ComputePoolError COMPUTE_BUSY (queue full), COMPUTE_TIMEOUT, COMPUTE_CANCELLED; or what
	 *   the job itself throws (ScenarioError, PlanError …), rebuilt as its class
	 */
	async run<N extends ComputeTaskName>(
		task: N,
		args: TaskArgs<N>,
		options: { signal?: AbortSignal } = {}
	): Promise<TaskResult<N>> {
		if (options.signal?.aborted) throw cancelled(task);
		if (!this.#pool) {
			const { COMPUTE_TASKS } = await import('./compute-worker.ts');
			return (COMPUTE_TASKS[task] as (...a: unknown[]) => TaskResult<N>)(...args);
		}
		if (this.#pool.queueSize >= this.options.queue && this.#pool.idleThreads === 0)
			throw busy(this.options.queue);
		const timeout = AbortSignal.timeout(this.options.timeoutMs);
		const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
		let answer: ComputeAnswer;
		try {
			answer = await this.#pool.run({ task, args }, { signal });
		} catch (error) {
			if (timeout.aborted)
				throw new ComputePoolError(
					'COMPUTE_TIMEOUT',
					`计算超时 / the job ${task} took longer than ${this.options.timeoutMs / 1000} s (CARECIRCLE_JOB_TIMEOUT_S) and was ended`
				);
			if (options.signal?.aborted) throw cancelled(task);
			if (error instanceof Error && error.message === 'Task queue is at limit')
				throw busy(this.options.queue);
			throw error;
		}
		if (!answer.ok) throw rebuild(answer.error);
		return answer.value as TaskResult<N>;
	}

	/** End the workers (waiting jobs are refused). */
	async close(): Promise<void> {
		await this.#pool?.destroy();
	}
}

function busy(queue: number): ComputePoolError {
	return new ComputePoolError(
		'COMPUTE_BUSY',
		`服务器繁忙，请稍后再试 / the server is busy: ${queue} jobs are already waiting; try again in ${RETRY_AFTER_S} s`,
		RETRY_AFTER_S
	);
}

function cancelled(task: string): ComputePoolError {
	return new ComputePoolError(
		'COMPUTE_CANCELLED',
		`已取消 / the job ${task} was cancelled: the client closed the request`
	);
}

function positiveInteger(name: string, fallback: number, allowZero = false): number {
	const text = process.env[name];
	if (text === undefined || text.trim() === '') return fallback;
	const value = Number(text);
	if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
		throw new Error(
			`${name}=${text}: expected a whole number ${allowZero ? '≥ 0' : 'above 0'} (see npm start -- --help)`
		);
	return value;
}

/** The pool's settings from the environment, with the defaults `npm start -- --help` lists. */
export function computePoolOptionsFromEnv(): ComputePoolOptions {
	return {
		// One core stays with the event loop: pages and small calls answer while jobs run.
		workers: positiveInteger('CARECIRCLE_WORKERS', Math.max(1, availableParallelism() - 1), true),
		queue: positiveInteger('CARECIRCLE_QUEUE', 64),
		timeoutMs: positiveInteger('CARECIRCLE_JOB_TIMEOUT_S', 120) * 1000
	};
}

let serverPool: ComputePool | null = null;

/** The server's pool, made on first use from the environment. */
export function computePool(): ComputePool {
	serverPool ??= new ComputePool(computePoolOptionsFromEnv());
	return serverPool;
}
