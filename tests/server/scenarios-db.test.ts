/**
 * The scenario store on SQLite (issue 6): the node:sqlite adapter under Kysely, the migrations
 * (empty file, file at the previous version, a failed run kept whole, a newer file refused), the
 * repository contract on a temporary file, and two processes on one file — a writer killed in the
 * middle of a save, and concurrent read-modify-writes that must lose nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	DatabaseConfigError,
	databaseLocationFromEnv,
	openDatabase,
	type Tables
} from '../../src/lib/server/db/database.ts';
import { MIGRATION_TABLE, MigrationError } from '../../src/lib/server/db/migrations.ts';
import { adaptDatabaseSync, NodeSqliteDialect } from '../../src/lib/server/db/node-sqlite.ts';
import { ScenarioRepository } from '../../src/lib/server/db/scenarios.ts';
import { INPUT, repositoryContract, results } from './scenarios-contract.ts';

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'carecircle-scenarios-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const newFile = () => join(dir, `test-${++files}.sqlite`);
const sqlite = (path: string) => ({ dialect: 'sqlite', path }) as const;

describe('node:sqlite adapter', () => {
	it('reads statements that return rows (SELECT, RETURNING) and runs the others', () => {
		const db = adaptDatabaseSync(new DatabaseSync(':memory:'));
		const create = db.prepare('create table t (a integer, b text)');
		expect(create.reader).toBe(false);
		create.run([]);
		const insert = db.prepare('insert into t values (?, ?)');
		expect(insert.reader).toBe(false);
		// booleans become 0/1 and undefined NULL, as with better-sqlite3
		expect(insert.run([true, undefined])).toEqual({ changes: 1, lastInsertRowid: 1 });
		const returning = db.prepare('insert into t values (?, ?) returning a, b');
		expect(returning.reader).toBe(true);
		expect(returning.all([7, 'x']).map((row) => ({ ...(row as object) }))).toEqual([
			{ a: 7, b: 'x' }
		]);
		const select = db.prepare('select a, b from t order by a');
		expect(select.reader).toBe(true);
		expect([...select.iterate([])].map((row) => ({ ...(row as object) }))).toEqual([
			{ a: 1, b: null },
			{ a: 7, b: 'x' }
		]);
		db.close();
	});

	it('takes the write lock at BEGIN of a write transaction, not of a read-only one', async () => {
		const path = newFile();
		const { close } = await openDatabase(sqlite(path));
		await close();
		const db = new Kysely<Tables>({ dialect: new NodeSqliteDialect(new DatabaseSync(path)) });
		const other = new DatabaseSync(path, { timeout: 0 });
		const writeFromOther = () =>
			other.exec(`delete from scenario_streets where scenario_id = 'nothing'`);
		await db.transaction().execute(async (trx) => {
			await trx.selectFrom('scenarios').select('id').execute(); // a read only so far
			expect(writeFromOther).toThrow(/locked|busy/i);
		});
		await db
			.transaction()
			.setAccessMode('read only')
			.execute(async (trx) => {
				await trx.selectFrom('scenarios').select('id').execute();
				expect(writeFromOther).not.toThrow();
			});
		other.close();
		await db.destroy();
	});

	it('rolls a failed transaction back', async () => {
		const { db, close } = await openDatabase(sqlite(newFile()));
		await expect(
			db.transaction().execute(async (trx) => {
				await trx
					.insertInto('scenario_streets')
					.values({
						scenario_id: 'x',
						position: 0,
						street_code: null,
						street_name: 'n',
						elders: 1,
						elders_covered: null,
						deficit_m2: 0,
						verdict: 'pass'
					})
					.execute(); // refused: foreign key to a scenario that does not exist
			})
		).rejects.toThrow(/FOREIGN KEY/);
		expect(await db.selectFrom('scenario_streets').selectAll().execute()).toEqual([]);
		await close();
	});
});

describe('database location', () => {
	it('is data/carecircle.sqlite by default, CARECIRCLE_DB, or PostgreSQL from DATABASE_URL', () => {
		expect(databaseLocationFromEnv({})).toEqual({
			dialect: 'sqlite',
			path: join(process.cwd(), 'data', 'carecircle.sqlite')
		});
		expect(databaseLocationFromEnv({ CARECIRCLE_DB: '/srv/cc.sqlite' })).toEqual(
			sqlite('/srv/cc.sqlite')
		);
		expect(
			databaseLocationFromEnv({ CARECIRCLE_DB: '/srv/cc.sqlite', DATABASE_URL: 'postgres://h/db' })
		).toEqual({ dialect: 'postgres', url: 'postgres://h/db' });
		expect(() => databaseLocationFromEnv({ DATABASE_URL: 'mysql://h/db' })).toThrow(
			DatabaseConfigError
		);
	});
});

describe('migrations', () => {
	const applied = async (path: string) => {
		const db = new DatabaseSync(path);
		const names = db
			.prepare(`select name from ${MIGRATION_TABLE} order by name`)
			.all()
			.map((row) => row.name);
		const objects = db
			.prepare(`select name from sqlite_master where name like 'scenario%' order by name`)
			.all()
			.map((row) => row.name);
		db.close();
		return { names, objects };
	};

	it('creates the schema in an empty file and records each migration', async () => {
		const path = newFile();
		const first = await openDatabase(sqlite(path));
		expect(first.migrated).toEqual([
			'0001_scenarios',
			'0002_scenarios_by_region',
			'0003_evaluations',
			'0004_accounts',
			'0005_record_owners'
		]);
		await first.close();
		expect(await applied(path)).toEqual({
			names: [
				'0001_scenarios',
				'0002_scenarios_by_region',
				'0003_evaluations',
				'0004_accounts',
				'0005_record_owners'
			],
			objects: ['scenario_streets', 'scenarios', 'scenarios_region_updated']
		});
		const again = await openDatabase(sqlite(path));
		expect(again.migrated).toEqual([]);
		await again.close();
	});

	it('brings a file at the previous version forward, keeping its scenarios', async () => {
		const path = newFile();
		const old = await openDatabase(sqlite(path), { migrateTo: '0001_scenarios' });
		expect(old.migrated).toEqual(['0001_scenarios']);
		const saved = await new ScenarioRepository(old.db).create(INPUT, results());
		await old.close();
		expect((await applied(path)).objects).not.toContain('scenarios_region_updated');

		const current = await openDatabase(sqlite(path));
		expect(current.migrated).toEqual([
			'0002_scenarios_by_region',
			'0003_evaluations',
			'0004_accounts',
			'0005_record_owners'
		]);
		expect(await new ScenarioRepository(current.db).get(saved.id)).toEqual(saved);
		await current.close();
		expect((await applied(path)).objects).toContain('scenarios_region_updated');
	});

	it('keeps nothing of a run that fails midway', async () => {
		const path = newFile();
		// A table in the way of the second statement of 0001 (after `scenarios` was created).
		const raw = new DatabaseSync(path);
		raw.exec('create table scenario_streets (x integer)');
		raw.close();
		const error = await openDatabase(sqlite(path)).then(
			() => null,
			(caught: unknown) => caught
		);
		expect(error).toBeInstanceOf(MigrationError);
		expect((error as MigrationError).message).toMatch(/"0001_scenarios" failed/);
		expect(await applied(path)).toEqual({ names: [], objects: ['scenario_streets'] });
	});

	it('refuses a file written by a newer carecircle', async () => {
		const path = newFile();
		await (await openDatabase(sqlite(path))).close();
		const raw = new DatabaseSync(path);
		raw
			.prepare(`insert into ${MIGRATION_TABLE} (name, timestamp) values (?, ?)`)
			.run('0099_from_the_future', new Date().toISOString());
		raw.close();
		await expect(openDatabase(sqlite(path))).rejects.toThrow(/0099_from_the_future/);
	});
});

describe('scenario repository on a SQLite file', () => {
	let path: string;
	beforeAll(async () => {
		path = newFile();
		await (await openDatabase(sqlite(path))).close();
	});
	repositoryContract(
		() => openDatabase(sqlite(path)),
		async (db) => {
			await db.deleteFrom('scenario_streets').execute();
			await db.deleteFrom('scenarios').execute();
		}
	);
});

describe('two processes on one SQLite file', () => {
	const writer = join(import.meta.dirname, 'scenarios-writer.ts');
	interface Outcome {
		code: number | null;
		signal: string | null;
		stdout: string;
		stderr: string;
	}
	/** Start a writer; `ready` resolves when it has printed its first line. */
	const start = (...args: string[]) => {
		const child = spawn(process.execPath, [writer, ...args], { stdio: 'pipe' });
		let stdout = '';
		let stderr = '';
		let signalReady: () => void = () => {};
		const ready = new Promise<void>((resolve) => (signalReady = resolve));
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (stdout.includes('\n')) signalReady();
		});
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const done = new Promise<Outcome>((resolve) =>
			child.on('close', (code, signal) => {
				signalReady();
				resolve({ code, signal, stdout, stderr });
			})
		);
		return { child, ready, done };
	};
	const run = (...args: string[]) => start(...args).done;

	it('a writer killed in the middle of a save loses nothing already saved', async () => {
		const path = newFile();
		const before = await openDatabase(sqlite(path));
		const saved = await new ScenarioRepository(before.db).create(INPUT, results());
		await before.close();

		const outcome = await run(path, 'crash-mid-update', saved.id);
		expect(outcome.stderr).toBe('');
		expect(outcome.stdout).toBe('');
		expect(outcome.signal).toBe('SIGKILL');
		expect(existsSync(`${path}-wal`)).toBe(true); // the dead writer's frames, never committed

		const after = await openDatabase(sqlite(path));
		expect(await new ScenarioRepository(after.db).get(saved.id)).toEqual(saved);
		const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(after.db);
		expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
		await after.close();
	});

	it('concurrent read-modify-writes from two processes: every change kept, each once', async () => {
		const path = newFile();
		const setup = await openDatabase(sqlite(path));
		const saved = await new ScenarioRepository(setup.db).create({ ...INPUT, notes: '' }, results());
		await setup.close();

		const times = 20;
		const writers = [
			start(path, 'append', saved.id, 'a', String(times)),
			start(path, 'append', saved.id, 'b', String(times))
		];
		await Promise.all(writers.map((w) => w.ready));
		for (const w of writers) w.child.stdin.write('go\n');
		const outcomes = await Promise.all(writers.map((w) => w.done));
		for (const outcome of outcomes) {
			expect(outcome.stderr).toBe('');
			expect(outcome.code).toBe(0);
		}
		const conflicts = outcomes.map(
			(outcome) => JSON.parse(outcome.stdout.split('\n')[1]).conflicts as number
		);
		console.log(`two processes, ${times} saves each: ${conflicts.join(' + ')} stale saves retried`);

		const after = await openDatabase(sqlite(path));
		const final = await new ScenarioRepository(after.db).get(saved.id);
		await after.close();
		expect(final.version).toBe(1 + 2 * times);
		expect([...final.notes].sort().join('')).toBe('a'.repeat(times) + 'b'.repeat(times));
		expect(final.results).toEqual(saved.results);
	});
});
