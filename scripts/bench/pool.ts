/**
 * A pool of catchment workers that stays alive between batches (Node worker_threads). The graph
 * is copied once into a SharedArrayBuffer that every worker wraps with RoadGraph.from, so N
 * workers hold one copy, and the searches walk it directly (WalkSearch keeps no copy of the
 * edges), so the workers share its cache lines too. A batch goes to every worker at once and
 * each takes chunks of it from a shared counter until none are left (see catchments).
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import type { SearchOptions, SearchSource } from '../../src/lib/engine/graph/search.ts';
import {
	packFacilities,
	type CatchmentBatchResult,
	type PoolReply,
	type PoolRequest
} from './catchment-protocol.ts';

export class CatchmentPool {
	private readonly workers: Worker[];
	private nextId = 1;

	private constructor(workers: Worker[]) {
		this.workers = workers;
	}

	/**
	 * Start `size` workers (default: one per core) on `graph` and wait until each is ready.
	 * @example const pool = await CatchmentPool.start(graph); await pool.catchments(facilities, { maxSeconds: 900 }); await pool.close();
	 */
	static async start(graph: RoadGraph, size = os.availableParallelism()): Promise<CatchmentPool> {
		const shared = new SharedArrayBuffer(graph.buffer.byteLength);
		new Uint8Array(shared).set(new Uint8Array(graph.buffer));
		const workerPath = path.join(import.meta.dirname, 'catchment-worker.ts');
		const workers = Array.from({ length: size }, () => new Worker(workerPath));
		await Promise.all(
			workers.map(
				(worker) =>
					new Promise<void>((resolve, reject) => {
						worker.once('error', reject);
						worker.once('message', (reply: PoolReply) =>
							reply.type === 'ready' ? resolve() : reject(new Error('worker did not start'))
						);
						worker.postMessage({ type: 'init', graphBuffer: shared } satisfies PoolRequest);
					})
			)
		);
		return new CatchmentPool(workers);
	}

	get size(): number {
		return this.workers.length;
	}

	/**
	 * One bounded search per facility, spread over the workers: each gets the whole batch and
	 * takes `chunkSize` facilities at a time from a shared counter (Atomics.add on a
	 * SharedArrayBuffer) until none are left, then answers once. No message travels while the
	 * batch runs, so the main thread need not be scheduled for the workers to go on, and a
	 * worker that starts late or runs slowly simply takes fewer chunks.
	 * @returns one result per worker (catchments listed by facility in `facilities`)
	 */
	async catchments(
		facilities: readonly { sources: readonly SearchSource[] }[],
		options: SearchOptions,
		chunkSize = Math.max(1, Math.min(16, Math.ceil(facilities.length / (8 * this.workers.length))))
	): Promise<CatchmentBatchResult[]> {
		const batch = packFacilities(facilities);
		const next = new Int32Array(new SharedArrayBuffer(4));
		return Promise.all(
			this.workers.map(
				(worker) =>
					new Promise<CatchmentBatchResult>((resolve, reject) => {
						const id = this.nextId++;
						const onMessage = (reply: PoolReply) => {
							if (reply.type !== 'catchments' || reply.id !== id) return;
							worker.off('message', onMessage);
							if (reply.ok) resolve(reply.result);
							else reject(Object.assign(new Error(reply.message), { code: reply.code }));
						};
						worker.on('message', onMessage);
						worker.postMessage({
							type: 'catchments',
							id,
							batch,
							options,
							next,
							chunkSize
						} satisfies PoolRequest);
					})
			)
		);
	}

	/** Stop the workers. */
	async close(): Promise<void> {
		await Promise.all(this.workers.map((worker) => worker.terminate()));
	}
}
