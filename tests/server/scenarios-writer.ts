/**
 * A second process writing to the same SQLite file, for scenarios-db.test.ts (run with plain
 * `node`, which strips the types):
 *
 *   node scenarios-writer.ts <file> append <scenario id> <tag> <times>
 *     prints "ready", waits for a line on stdin, then read-modify-writes `times` times
 *     (notes += tag), reloading and retrying on STALE_VERSION; prints {"conflicts": n}
 *   node scenarios-writer.ts <file> crash-mid-update <scenario id>
 *     starts an update and kills itself (SIGKILL, no cleanup) after the first street row
 */
import { openDatabase } from '../../src/lib/server/db/database.ts';
import { ScenarioError } from '../../src/lib/server/db/scenario-model.ts';
import { ScenarioRepository } from '../../src/lib/server/db/scenarios.ts';
import { FailOnStreetInsert } from './scenarios-faults.ts';

const [file, mode, id, tag, times] = process.argv.slice(2);
const database = await openDatabase({ dialect: 'sqlite', path: file });

if (mode === 'append') {
	const repository = new ScenarioRepository(database.db);
	// Start together with the other writer: say "ready", wait for the parent's "go" line.
	console.log('ready');
	await new Promise((resolve) => process.stdin.once('data', resolve));
	process.stdin.pause();
	let conflicts = 0;
	for (let done = 0; done < Number(times);) {
		const current = await repository.get(id);
		try {
			await repository.update(id, { ...current, notes: current.notes + tag }, current.results);
			done++;
		} catch (error) {
			if (!(error instanceof ScenarioError && error.code === 'STALE_VERSION')) throw error;
			conflicts++;
		}
	}
	console.log(JSON.stringify({ conflicts }));
} else if (mode === 'crash-mid-update') {
	const crash = (): never => {
		process.kill(process.pid, 'SIGKILL');
		throw new Error('unreachable');
	};
	const repository = new ScenarioRepository(
		database.db.withPlugin(new FailOnStreetInsert(2, crash))
	);
	const current = await repository.get(id);
	await repository.update(
		id,
		{ ...current, name: 'written by a process that died' },
		{ ...current.results, streets: [...current.results.streets, ...current.results.streets] }
	);
	console.log('the update finished: the crash did not happen');
} else {
	throw new Error(`unknown mode "${mode}"`);
}
await database.close();
