/**
 * A pool of catchment workers that stays alive between batches (Node worker_threads). The graph
 * is copied once into a SharedArrayBuffer that every worker wraps with RoadGraph.from, so N
 * workers hold one copy. A batch of facilities is cut into chunks that idle workers pull, so
 * a slow chunk does not leave a core waiting.
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
	 * One bounded search per facility, spread over the workers in chunks of `chunkSize`
	 * (default: a quarter of a fair share per worker, at least 8 facilities). Each worker has
	 * two chunks in hand, so it starts the next while its last result travels back.
	 * @returns the chunks' flat results, in facility order
	 */
	async catchments(
		facilities: readonly { sources: readonly SearchSource[] }[],
		options: SearchOptions,
		chunkSize = Math.max(8, Math.ceil(facilities.length / (4 * this.workers.length)))
	): Promise<CatchmentBatchResult[]> {
		const chunks: [number, number][] = [];
		for (let start = 0; start < facilities.length; start += chunkSize)
			chunks.push([start, Math.min(facilities.length, start + chunkSize)]);
		const results: CatchmentBatchResult[] = new Array(chunks.length);
		let nextChunk = 0;
		const drive = (worker: Worker) =>
			new Promise<void>((resolve, reject) => {
				const pendingChunk = new Map<number, number>();
				const sendNext = () => {
					if (nextChunk >= chunks.length) return;
					const chunkIndex = nextChunk++;
					const [start, end] = chunks[chunkIndex];
					const id = this.nextId++;
					pendingChunk.set(id, chunkIndex);
					worker.postMessage({
						type: 'catchments',
						id,
						batch: packFacilities(facilities, start, end),
						options
					} satisfies PoolRequest);
				};
				const onMessage = (reply: PoolReply) => {
					if (reply.type !== 'catchments' || !pendingChunk.has(reply.id)) return;
					if (!reply.ok) {
						worker.off('message', onMessage);
						reject(Object.assign(new Error(reply.message), { code: reply.code }));
						return;
					}
					results[pendingChunk.get(reply.id)!] = reply.result;
					pendingChunk.delete(reply.id);
					sendNext();
					if (pendingChunk.size === 0) {
						worker.off('message', onMessage);
						resolve();
					}
				};
				worker.on('message', onMessage);
				sendNext();
				sendNext();
				if (pendingChunk.size === 0) {
					worker.off('message', onMessage);
					resolve();
				}
			});
		await Promise.all(this.workers.map(drive));
		return results;
	}

	/** Stop the workers. */
	async close(): Promise<void> {
		await Promise.all(this.workers.map((worker) => worker.terminate()));
	}
}
