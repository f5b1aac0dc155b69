/**
 * Issue 17 item 2: the compute pool's workers run at a lower priority (nice 10) than the thread
 * that answers requests, so pages are scheduled first when the cores are busy. Linux only: there
 * a nice value belongs to one thread, and /proc lists each thread's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ComputePool } from '../../src/lib/server/compute-pool.ts';

/** Nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): number[] {
	return readdirSync('/proc/self/task').flatMap((tid) => {
		try {
			const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			// after "pid (comm) ": state is field 3, so nice (19) is the 17th entry
			return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
		} catch {
			return []; // a thread that ended while listed
		}
	});
}

describe.skipIf(process.platform !== 'linux')(
	'issue 17: compute workers yield to the server',
	() => {
		let pool: ComputePool | null = null;
		afterEach(async () => {
			await pool?.close();
			pool = null;
		});

		it('runs the worker at nice 10 and leaves the calling thread as it was', async () => {
			const before = getPriority(0);
			pool = new ComputePool({ workers: 1, queue: 4, timeoutMs: 60_000 });
			// Any answer means the worker has loaded compute-worker.ts.
			const answer = await pool.run('no-such-task' as never, [] as never).catch((e: Error) => e);
			expect((answer as Error).message).toContain('no compute task');
			expect(threadNices()).toContain(10);
			expect(getPriority(0)).toBe(before);
		});
	}
);
