/**
 * Saved project evaluations on SQLite (issue 7, item 4): migration 0003 on an empty file and on a
 * file at the previous version (its scenarios kept), then the repository contract on a temporary
 * file — save → reopen identical, invalid input refused with the field, update / delete with
 * versions, and re-runs with unchanged and changed rules.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/database.ts';
import { MIGRATION_TABLE } from '../../src/lib/server/db/migrations.ts';
import { EvaluationRepository } from '../../src/lib/server/db/evaluations.ts';
import { ScenarioRepository } from '../../src/lib/server/db/scenarios.ts';
import { evaluationContract, REQUEST } from './evaluations-contract.ts';
import { INPUT, results } from './scenarios-contract.ts';

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'carecircle-evaluations-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const newFile = () => join(dir, `test-${++files}.sqlite`);
const sqlite = (path: string) => ({ dialect: 'sqlite', path }) as const;

function schemaOf(path: string) {
	const db = new DatabaseSync(path);
	const names = db
		.prepare(`select name from ${MIGRATION_TABLE} order by name`)
		.all()
		.map((row) => row.name);
	const objects = db
		.prepare(`select name from sqlite_master where name like 'evaluation%' order by name`)
		.all()
		.map((row) => row.name);
	db.close();
	return { names, objects };
}

describe('migration 0003_evaluations', () => {
	it('creates the evaluations table and its index in an empty file', async () => {
		const path = newFile();
		const database = await openDatabase(sqlite(path));
		expect(database.migrated).toEqual([
			'0001_scenarios',
			'0002_scenarios_by_region',
			'0003_evaluations',
			'0004_accounts',
			'0005_record_owners'
		]);
		await database.close();
		expect(schemaOf(path)).toEqual({
			names: [
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations',
				'0004_accounts',
				'0005_record_owners'
			],
			objects: ['evaluations', 'evaluations_region_updated']
		});
	});

	it('brings a file at 0002 forward, keeping its scenarios, and the new table works', async () => {
		const path = newFile();
		const old = await openDatabase(sqlite(path), { migrateTo: '0002_scenarios_by_region' });
		const scenario = await new ScenarioRepository(old.db).create(INPUT, results());
		await old.close();
		expect(schemaOf(path).objects).toEqual([]);

		const current = await openDatabase(sqlite(path));
		expect(current.migrated).toEqual(['0003_evaluations', '0004_accounts', '0005_record_owners']);
		expect(await new ScenarioRepository(current.db).get(scenario.id)).toEqual(scenario);
		const repository = new EvaluationRepository(current.db);
		const saved = await repository.create(REQUEST);
		expect(await repository.get(saved.id)).toEqual(saved);
		await current.close();
	});

	it('refuses a stored row that no longer validates instead of returning it', async () => {
		const path = newFile();
		const database = await openDatabase(sqlite(path));
		const repository = new EvaluationRepository(database.db);
		const saved = await repository.create(REQUEST);
		await database.close();
		const raw = new DatabaseSync(path);
		raw
			.prepare(`update evaluations set results_json = ? where id = ?`)
			.run(JSON.stringify({ ...saved.results, verdict: 'fine' }), saved.id);
		raw.close();
		const reopened = await openDatabase(sqlite(path));
		await expect(new EvaluationRepository(reopened.db).get(saved.id)).rejects.toMatchObject({
			code: 'CORRUPT_EVALUATION',
			status: 500
		});
		await reopened.close();
	});
});

describe('evaluation repository on a SQLite file', () => {
	let path: string;
	beforeAll(async () => {
		path = newFile();
		await (await openDatabase(sqlite(path))).close();
	});
	evaluationContract(
		() => openDatabase(sqlite(path)),
		async (db) => {
			await db.deleteFrom('evaluations').execute();
		}
	);
});
