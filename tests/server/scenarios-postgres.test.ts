/**
 * The same scenario repository and migrations on PostgreSQL (issue 6): the shared-server option,
 * through Kysely's PostgresDialect and `pg`. The test starts a throwaway cluster of its own
 * (Debian's postgresql package: initdb + pg_ctl, listening on a Unix socket in a temporary folder
 * only, no TCP port) and stops it afterwards. Skipped, saying why, where PostgreSQL is not
 * installed; set CARECIRCLE_TEST_DATABASE_URL to run it against an existing server instead
 * (its `public` schema is used and emptied).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseLocation } from '../../src/lib/server/db/database.ts';
import { MIGRATION_TABLE, MigrationError } from '../../src/lib/server/db/migrations.ts';
import { repositoryContract } from './scenarios-contract.ts';

/** The binaries of the newest installed PostgreSQL, or null. */
function postgresBin(): string | null {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : null;
}

const external = process.env.CARECIRCLE_TEST_DATABASE_URL;
const bin = postgresBin();
const isRoot = userInfo().uid === 0;
// PostgreSQL refuses to run as root: as root the cluster runs as the postgres user (runuser).
const canRunAsRoot = !isRoot || spawnSync('id', ['postgres']).status === 0;
const skipReason = external
	? null
	: !bin
		? 'PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql'
		: !canRunAsRoot
			? 'running as root without a postgres user to run the cluster'
			: null;
if (skipReason) console.warn(`scenarios-postgres: skipped — ${skipReason}`);

function asPostgres(command: string, args: string[]) {
	const result = isRoot
		? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
		: spawnSync(command, args, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

describe.skipIf(skipReason !== null)('scenario store on PostgreSQL', () => {
	let dir = '';
	let urlFor: (database: string) => string;

	beforeAll(() => {
		if (external) {
			urlFor = () => external;
			return;
		}
		dir = mkdtempSync(join(tmpdir(), 'carecircle-pg-'));
		if (isRoot) {
			const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
			const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
			chownSync(dir, uid, gid);
		}
		const data = join(dir, 'data');
		asPostgres(join(bin!, 'initdb'), [
			'-D',
			data,
			'-A',
			'trust',
			'-U',
			'postgres',
			'-E',
			'UTF8',
			'--no-sync'
		]);
		asPostgres(join(bin!, 'pg_ctl'), [
			'-D',
			data,
			'-l',
			join(dir, 'server.log'),
			'-w',
			'-o',
			`-c listen_addresses='' -k ${dir} -c fsync=off`,
			'start'
		]);
		urlFor = (database) => `postgresql://postgres@/${database}?host=${encodeURIComponent(dir)}`;
	});

	afterAll(() => {
		if (!dir) return;
		try {
			asPostgres(join(bin!, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	const location = (database = 'postgres'): DatabaseLocation => ({
		dialect: 'postgres',
		url: urlFor(database)
	});

	/** A fresh, empty database on the test cluster (or the emptied public schema of an external one). */
	async function freshDatabase(name: string): Promise<string> {
		const client = new pg.Client({ connectionString: urlFor('postgres') });
		await client.connect();
		try {
			if (external) {
				await client.query('drop schema public cascade; create schema public');
				return 'postgres';
			}
			await client.query(`drop database if exists ${name}`);
			await client.query(`create database ${name}`);
			return name;
		} finally {
			await client.end();
		}
	}

	describe('migrations', () => {
		it('creates the schema in an empty database and records each migration', async () => {
			const database = await freshDatabase('cc_migrations');
			const first = await openDatabase(location(database));
			expect(first.dialect).toBe('postgres');
			expect(first.migrated).toEqual([
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations'
			]);
			const names = await first.db
				.selectFrom(MIGRATION_TABLE as never)
				.select(sql<string>`name`.as('name'))
				.orderBy(sql`name`)
				.execute();
			expect(names.map((row) => row.name)).toEqual([
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations'
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
