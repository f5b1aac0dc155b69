/**
 * The compute pool (issue 17 item 2): a full queue answers COMPUTE_BUSY at once, a queued job is
 * cancelled by its signal without running, a job past its time limit is ended, and the real
 * worker gives the same report bytes as the function on this thread.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ComputePool, ComputePoolError } from '../../src/lib/server/compute-pool.ts';
import { regionReportFile } from '../../src/lib/server/region-report.ts';

const slowWorker = join(import.meta.dirname, 'fixtures/slow-worker.ts');
const pools: ComputePool[] = [];
const pool = (options: ConstructorParameters<typeof ComputePool>[0]) => {
	const made = new ComputePool(options);
	pools.push(made);
	return made;
};
afterEach(async () => {
	await Promise.all(pools.splice(0).map((p) => p.close()));
});

// The fixture's task name is not one of the server's: the pool passes it through untyped.
const sleep = (p: ComputePool, ms: number, value: string, signal?: AbortSignal) =>
	p.run('computeScenarioResults' as never, [ms, value] as never, { signal }) as Promise<unknown>;

describe('compute pool', () => {
	it('answers COMPUTE_BUSY with Retry-After when the queue is full, and runs what it accepted', async () => {
		const p = pool({ workers: 1, queue: 1, timeoutMs: 30_000, filename: slowWorker });
		const running = sleep(p, 300, 'a');
		await new Promise((resolve) => setTimeout(resolve, 100)); // the worker has taken "a"
		const queued = sleep(p, 10, 'b');
		const refused = await sleep(p, 10, 'c').catch((error) => error);
		expect(refused).toBeInstanceOf(ComputePoolError);
		expect(refused).toMatchObject({ code: 'COMPUTE_BUSY', status: 503, retryAfterS: 5 });
		expect(await running).toBe('a');
		expect(await queued).toBe('b');
	});

	it('cancels a queued job when its signal aborts, and the next job still runs', async () => {
		const p = pool({ workers: 1, queue: 4, timeoutMs: 30_000, filename: slowWorker });
		const running = sleep(p, 300, 'a');
		const controller = new AbortController();
		const queued = sleep(p, 10, 'b', controller.signal).catch((error) => error);
		controller.abort();
		expect(await queued).toMatchObject({ code: 'COMPUTE_CANCELLED' });
		expect(await running).toBe('a');
		expect(await sleep(p, 10, 'c')).toBe('c');
	});

	it('ends a job that outlives its time limit with COMPUTE_TIMEOUT', async () => {
		const p = pool({ workers: 1, queue: 4, timeoutMs: 1_500, filename: slowWorker });
		expect(await sleep(p, 5_000, 'slow').catch((error) => error)).toMatchObject({
			code: 'COMPUTE_TIMEOUT',
			status: 504
		});
		expect(await sleep(p, 10, 'after')).toBe('after');
	});

	it('gives the same report bytes in a worker as on this thread, and rebuilds the job’s own errors', async () => {
		const p = pool({ workers: 1, queue: 4, timeoutMs: 120_000 });
		const regionsDir = join(import.meta.dirname, '../../data/regions');
		const settings = { maxMinutes: 15, walkSpeedMps: 1, generatedAt: '2026-12-04' };
		const [inWorker, here] = await Promise.all([
			p.run('regionReportFile', [regionsDir, 'shanghai-bund-lujiazui', 'areas.csv', settings]),
			regionReportFile(regionsDir, 'shanghai-bund-lujiazui', 'areas.csv', settings)
		]);
		expect(inWorker).toBe(here);
		const planned = { planned: [], moved: {}, removed: ['no-such-station'] };
		const error = await p
			.run('regionReportFile', [
				regionsDir,
				'shanghai-bund-lujiazui',
				'areas.csv',
				{ ...settings, plan: planned }
			])
			.catch((e) => e);
		const { PlanError } = await import('../../src/lib/engine/session/what-if.ts');
		expect(error).toBeInstanceOf(PlanError);
		expect(error.field).toBe('removed.0');
	});
});
