/**
 * Saved project evaluations on PostgreSQL (issue 7, item 4): migration 0003 on an empty database
 * and on one at 0002 (its scenarios kept), then the same repository contract as on SQLite. The
 * test starts a throwaway cluster of its own (Debian's postgresql package: initdb + pg_ctl, Unix
 * socket in a temporary folder, no TCP port) and stops it afterwards; skipped, saying why, where
 * PostgreSQL is not installed. CARECIRCLE_TEST_DATABASE_URL runs it against an existing server
 * instead (its `public` schema is used and emptied).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipReason, testCluster } from './postgres-cluster.ts';
import { openDatabase } from '../../src/lib/server/db/database.ts';
import { EvaluationRepository } from '../../src/lib/server/db/evaluations.ts';
import { ScenarioRepository } from '../../src/lib/server/db/scenarios.ts';
import { evaluationContract, REQUEST } from './evaluations-contract.ts';
import { INPUT, results } from './scenarios-contract.ts';

if (postgresSkipReason) console.warn(`evaluations-postgres: skipped — ${postgresSkipReason}`);

describe.skipIf(postgresSkipReason !== null)('evaluation store on PostgreSQL', () => {
	const cluster = testCluster('carecircle-pg-eval-');
	const { urlFor, location, freshDatabase } = cluster;
	beforeAll(() => cluster.start());
	afterAll(() => cluster.stop());

	describe('migration 0003_evaluations', () => {
		it('creates the evaluations table and its index in an empty database', async () => {
			const database = await freshDatabase('cc_eval_migrations');
			const first = await openDatabase(location(database));
			expect(first.migrated).toEqual([
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations',
				'0004_accounts',
				'0005_record_owners'
			]);
			await first.close();
			const client = new pg.Client({ connectionString: urlFor(database) });
			await client.connect();
			const objects = await client.query(
				`select relname from pg_class where relnamespace = 'public'::regnamespace
				 and relname like 'evaluations%' order by relname`
			);
			await client.end();
			expect(objects.rows.map((row) => row.relname)).toEqual([
				'evaluations',
				'evaluations_pkey',
				'evaluations_region_updated'
			]);
		});

		it('brings a database at 0002 forward, keeping its scenarios', async () => {
			const database = await freshDatabase('cc_eval_forward');
			const old = await openDatabase(location(database), {
				migrateTo: '0002_scenarios_by_region'
			});
			const scenario = await new ScenarioRepository(old.db).create(INPUT, results());
			await old.close();
			const current = await openDatabase(location(database));
			expect(current.migrated).toEqual(['0003_evaluations', '0004_accounts', '0005_record_owners']);
			expect(await new ScenarioRepository(current.db).get(scenario.id)).toEqual(scenario);
			const repository = new EvaluationRepository(current.db);
			const saved = await repository.create(REQUEST);
			expect(await repository.get(saved.id)).toEqual(saved);
			await current.close();
		});
	});

	describe('evaluation repository', () => {
		let database = '';
		beforeAll(async () => {
			database = await freshDatabase('cc_eval_repository');
			await (await openDatabase(location(database))).close();
		});
		evaluationContract(
			() => openDatabase(location(database)),
			async (db) => {
				await db.deleteFrom('evaluations').execute();
			}
		);
	});
});
