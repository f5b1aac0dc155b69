/**
 * Saved project evaluations on PostgreSQL (issue 7, item 4): migration 0003 on an empty database
 * and on one at 0002 (its scenarios kept), then the same repository contract as on SQLite. The
 * test starts a throwaway cluster of its own (Debian's postgresql package: initdb + pg_ctl, Unix
 * socket in a temporary folder, no TCP port) and stops it afterwards; skipped, saying why, where
 * PostgreSQL is not installed. CARECIRCLE_TEST_DATABASE_URL runs it against an existing server
 * instead (its `public` schema is used and emptied).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseLocation } from '../../src/lib/server/db/database.ts';
import { EvaluationRepository } from '../../src/lib/server/db/evaluations.ts';
import { ScenarioRepository } from '../../src/lib/server/db/scenarios.ts';
import { evaluationContract, REQUEST } from './evaluations-contract.ts';
import { INPUT, results } from './scenarios-contract.ts';

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
if (skipReason) console.warn(`evaluations-postgres: skipped — ${skipReason}`);

function asPostgres(command: string, args: string[]) {
	const result = isRoot
		? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
		: spawnSync(command, args, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

describe.skipIf(skipReason !== null)('evaluation store on PostgreSQL', () => {
	let dir = '';
	let urlFor: (database: string) => string;

	beforeAll(() => {
		if (external) {
			urlFor = () => external;
			return;
		}
		dir = mkdtempSync(join(tmpdir(), 'carecircle-pg-eval-'));
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

	describe('migration 0003_evaluations', () => {
		it('creates the evaluations table and its index in an empty database', async () => {
			const database = await freshDatabase('cc_eval_migrations');
			const first = await openDatabase(location(database));
			expect(first.migrated).toEqual([
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations'
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
			expect(current.migrated).toEqual(['0003_evaluations']);
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
