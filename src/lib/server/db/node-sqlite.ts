/**
 * Kysely on Node's built-in SQLite (`node:sqlite`, DatabaseSync): no native add-on to compile or
 * download (better-sqlite3 would need one). Kysely's SqliteDialect is written against a small
 * subset of better-sqlite3 (`prepare` → `reader`, `all`, `run`, `iterate`); this file adapts
 * DatabaseSync to that subset and nothing more, so the query compiler, introspector, migrator and
 * transaction handling are Kysely's own.
 *
 * Differences from Kysely's stock SQLite dialect — the first for migrations, the others for
 * several processes on one file:
 * - migrations run in one transaction (SQLite has transactional DDL; see NodeSqliteAdapter);
 * - write transactions start with `BEGIN IMMEDIATE`: the write lock is taken at the start, so
 *   two writers queue on the busy timeout instead of one failing with SQLITE_BUSY when it
 *   upgrades a read to a write mid-transaction (read-only ones use a plain deferred BEGIN);
 * - the file is opened in WAL mode with a busy timeout, so readers never wait for a writer.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
	CompiledQuery,
	SqliteAdapter,
	SqliteDialect,
	SqliteDriver,
	type DatabaseConnection,
	type DialectAdapter,
	type Driver,
	type SqliteDatabase,
	type SqliteStatement,
	type TransactionSettings
} from 'kysely';

/** How long a writer waits for another process's write transaction, ms. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** undefined cannot be bound by node:sqlite; booleans are stored as 0/1 as better-sqlite3 does. */
function bindable(value: unknown): SQLInputValue {
	if (value === undefined) return null;
	if (typeof value === 'boolean') return value ? 1 : 0;
	return value as SQLInputValue;
}

function adaptStatement(statement: StatementSync): SqliteStatement {
	return {
		// A statement that returns columns (SELECT, or a write with RETURNING) is read with all().
		reader: statement.columns().length > 0,
		all: (parameters) => statement.all(...parameters.map(bindable)),
		run: (parameters) => statement.run(...parameters.map(bindable)),
		iterate: (parameters) =>
			statement.iterate(...parameters.map(bindable)) as IterableIterator<unknown>
	};
}

/** DatabaseSync seen through the interface Kysely's SQLite driver expects. */
export function adaptDatabaseSync(database: DatabaseSync): SqliteDatabase {
	return {
		close: () => database.close(),
		prepare: (sql) => adaptStatement(database.prepare(sql))
	};
}

/**
 * Open (or create) a SQLite file for the server: WAL journal, busy timeout, foreign keys on.
 * @param path a file path, or `:memory:`
 */
export function openSqliteFile(path: string): DatabaseSync {
	const database = new DatabaseSync(path, {
		timeout: SQLITE_BUSY_TIMEOUT_MS,
		enableForeignKeyConstraints: true
	});
	if (path !== ':memory:') database.exec('PRAGMA journal_mode = WAL');
	// WAL with NORMAL sync keeps every committed transaction across a process crash (the OS
	// still has the WAL); only a power cut may lose the last ones, never corrupt the file.
	database.exec('PRAGMA synchronous = NORMAL');
	return database;
}

/**
 * SQLite's DDL is transactional (a CREATE TABLE inside BEGIN … ROLLBACK is undone), but Kysely's
 * stock adapter says it is not, so its Migrator would run migrations outside a transaction and a
 * failed one would leave half a schema. Saying so here makes the Migrator wrap the pending
 * migrations in one transaction (scenarios-db.test.ts checks the rollback).
 */
class NodeSqliteAdapter extends SqliteAdapter {
	override get supportsTransactionalDdl(): boolean {
		return true;
	}
}

class NodeSqliteDriver extends SqliteDriver implements Driver {
	override async beginTransaction(
		connection: DatabaseConnection,
		settings?: TransactionSettings
	): Promise<void> {
		// A read-only transaction needs no write lock: a deferred BEGIN reads one snapshot (WAL).
		const begin = settings?.accessMode === 'read only' ? 'begin' : 'begin immediate';
		await connection.executeQuery(CompiledQuery.raw(begin));
	}
}

/**
 * @example
 * const db = new Kysely<Tables>({ dialect: new NodeSqliteDialect(openSqliteFile('data/carecircle.sqlite')) });
 */
export class NodeSqliteDialect extends SqliteDialect {
	readonly #database: SqliteDatabase;

	constructor(database: DatabaseSync) {
		const adapted = adaptDatabaseSync(database);
		super({ database: adapted });
		this.#database = adapted;
	}

	override createDriver(): Driver {
		return new NodeSqliteDriver({ database: this.#database });
	}

	override createAdapter(): DialectAdapter {
		return new NodeSqliteAdapter();
	}
}
