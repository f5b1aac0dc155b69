/**
 * The same scenario repository and migrations on PostgreSQL (issue 6): the shared-server option,
 * through Kysely's PostgresDialect and `pg`. The test starts a throwaway cluster of its own
 * (Debian's postgresql package: initdb + pg_ctl, listening on a Unix socket in a temporary folder
 * only, no TCP port) and stops it afterwards. Skipped, saying why, where PostgreSQL is not
 * installed; set CARECIRCLE_TEST_DATABASE_URL to run it against an existing server instead
 * (its `public` schema is used and emptied).
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipReason, testCluster } from './postgres-cluster.ts';
import { openDatabase } from '../../src/lib/server/db/database.ts';
import { MIGRATION_TABLE, MigrationError } from '../../src/lib/server/db/migrations.ts';
import { repositoryContract } from './scenarios-contract.ts';

if (postgresSkipReason) console.warn(`scenarios-postgres: skipped — ${postgresSkipReason}`);

describe.skipIf(postgresSkipReason !== null)('scenario store on PostgreSQL', () => {
	const cluster = testCluster('carecircle-pg-');
	const { urlFor, location, freshDatabase } = cluster;
	beforeAll(() => cluster.start());
	afterAll(() => cluster.stop());

	describe('migrations', () => {
		it('creates the schema in an empty database and records each migration', async () => {
			const database = await freshDatabase('cc_migrations');
			const first = await openDatabase(location(database));
			expect(first.dialect).toBe('postgres');
			expect(first.migrated).toEqual([
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations',
				'0004_accounts',
				'0005_record_owners'
			]);
			const names = await first.db
				.selectFrom(MIGRATION_TABLE as never)
				.select(sql<string>`name`.as('name'))
				.orderBy(sql`name`)
				.execute();
			expect(names.map((row) => row.name)).toEqual([
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations',
				'0004_accounts',
				'0005_record_owners'
			]);
			await first.close();
			const again = await openDatabase(location(database));
			expect(again.migrated).toEqual([]);
			await again.close();
		});

		it('keeps nothing of a run that fails midway (transactional DDL)', async () => {
			const database = await freshDatabase('cc_broken');
			const client = new pg.Client({ connectionString: urlFor(database) });
			await client.connect();
			await client.query('create table scenario_streets (x integer)');
			const error = await openDatabase(location(database)).then(
				() => null,
				(caught: unknown) => caught
			);
			expect(error).toBeInstanceOf(MigrationError);
			const tables = await client.query(
				`select table_name from information_schema.tables where table_schema = 'public'
				 and table_name like 'scenario%' order by table_name`
			);
			expect(tables.rows.map((row) => row.table_name)).toEqual(['scenario_streets']);
			const recorded = await client.query(`select count(*)::int as n from ${MIGRATION_TABLE}`);
			expect(recorded.rows[0].n).toBe(0);
			await client.end();
		});
	});

	describe('scenario repository', () => {
		let database = '';
		beforeAll(async () => {
			database = await freshDatabase('cc_repository');
			await (await openDatabase(location(database))).close();
		});
		repositoryContract(
			() => openDatabase(location(database)),
			async (db) => {
				await db.deleteFrom('scenario_streets').execute();
				await db.deleteFrom('scenarios').execute();
			}
		);
	});
});
