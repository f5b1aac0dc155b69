/**
 * The server's database: an embedded SQLite file by default (`data/carecircle.sqlite`, or the
 * path in `CARECIRCLE_DB`), or PostgreSQL for a shared server when `DATABASE_URL` is a
 * `postgres://` URL. Both are reached through Kysely with the same table types and the same
 * queries; only the dialect differs (`node-sqlite.ts` for SQLite, Kysely's PostgresDialect with
 * `pg` for PostgreSQL, loaded only when used). Opening a database applies the pending migrations
 * (`migrations.ts`) before anything else can use it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { migrate, type DatabaseDialect } from './migrations.ts';
import { NodeSqliteDialect, openSqliteFile } from './node-sqlite.ts';

/** Row types of the tables, as both dialects return them (see migrations.ts for the DDL). */
export interface ScenariosTable {
	id: string;
	region_id: string;
	profile_id: string;
	name: string;
	notes: string;
	/** JSON text of WalkSettings. */
	settings_json: string;
	/** JSON text of PlannedStation[]. */
	planned_json: string;
	/** JSON text of { [existing station id]: [lon, lat] }. */
	moved_json: string;
	/** JSON text of the removed existing station ids. */
	removed_json: string;
	/** JSON text of the results summary. */
	summary_json: string;
	/** ISO 8601 UTC: when the server computed the results snapshot. */
	computed_at: string;
	created_at: string;
	updated_at: string;
	/** Optimistic concurrency: 1 when created, +1 on every saved change. */
	version: number;
}

export interface ScenarioStreetsTable {
	scenario_id: string;
	/** Order of the street in the analysis, from 0. */
	position: number;
	street_code: string | null;
	street_name: string;
	/** Persons aged 60+ (may be an estimate with a fraction). */
	elders: number;
	/** Elders within the circle; null when the region has no walking network. */
	elders_covered: number | null;
	deficit_m2: number;
	verdict: 'pass' | 'fail' | 'no_data';
}

/** Saved project evaluations (issue 7; evaluation-model.ts has the JSON shapes). */
export interface EvaluationsTable {
	id: string;
	region_id: string;
	/** The rule profile applied (the region's default when none was named). */
	profile_id: string;
	name: string;
	/** JSON text of EvaluationInputs: the project (boundary, households …) and walking settings. */
	inputs_json: string;
	/** JSON text of EvaluationResults: the summary the server computed (verdict, figures, fingerprints, computedAt). */
	results_json: string;
	/** JSON text of { evaluation, regionMeta }: the whole evaluation as computed, which the report prints. */
	document_json: string;
	created_at: string;
	updated_at: string;
	/** Optimistic concurrency: 1 when created, +1 on every saved change (re-runs saved included). */
	version: number;
}

/** Accounts and the audit trail (issue 14; server/auth/). */
export interface OrganizationsTable {
	id: string;
	name: string;
	created_at: string;
}
export interface UsersTable {
	id: string;
	username: string;
	display_name: string;
	/** `scrypt$N$r$p$salt$hash` (base64url), server/auth/passwords.ts. */
	password_hash: string;
	role: 'viewer' | 'analyst' | 'civil_affairs' | 'planning' | 'admin';
	organization_id: string;
	/** 1 = may not log in. */
	disabled: number;
	created_at: string;
	password_changed_at: string;
}
export interface SessionsTable {
	/** SHA-256 (hex) of the cookie's token: the token itself is never stored. */
	token_hash: string;
	user_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
}
export interface SettingsTable {
	key: string;
	value: string;
}
export interface AuditTable {
	id: string;
	at: string;
	user_id: string | null;
	username: string | null;
	role: string | null;
	/** e.g. login, login_failed, scenario.save, evaluation.rerun, region.import, user.role */
	action: string;
	object_type: string | null;
	object_id: string | null;
	object_version: number | null;
	/** ok | refused | failed */
	outcome: string;
	address: string | null;
	/** JSON text: method, path, status, reason … */
	details: string;
}

/** The organisation owning a saved scenario or evaluation (server/auth/ownership.ts). */
export interface RecordOwnersTable {
	record_type: 'scenario' | 'evaluation';
	record_id: string;
	organization_id: string;
	/** 1 = other organisations may see it (never change it). */
	shared: number;
}

export interface Tables {
	scenarios: ScenariosTable;
	scenario_streets: ScenarioStreetsTable;
	evaluations: EvaluationsTable;
	organizations: OrganizationsTable;
	users: UsersTable;
	sessions: SessionsTable;
	settings: SettingsTable;
	audit: AuditTable;
	record_owners: RecordOwnersTable;
}

export type DatabaseLocation =
	{ dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

export interface CarecircleDatabase {
	db: Kysely<Tables>;
	dialect: DatabaseDialect;
	/** The file path, or the PostgreSQL URL without its password (for logs and errors). */
	label: string;
	/** Migrations applied when this connection opened. */
	migrated: string[];
	close(): Promise<void>;
}

export class DatabaseConfigError extends Error {
	readonly code = 'DATABASE_CONFIG';
	constructor(message: string) {
		super(message);
		this.name = 'DatabaseConfigError';
	}
}

/** The default SQLite file: `data/carecircle.sqlite` under the working directory. */
export function defaultSqlitePath(): string {
	return join(process.cwd(), 'data', 'carecircle.sqlite');
}

/**
 * Where the database is, from the environment: `DATABASE_URL` (postgres:// or postgresql://)
 * wins; else `CARECIRCLE_DB` (a SQLite file path); else `data/carecircle.sqlite`.
 * @throws DatabaseConfigError for a DATABASE_URL that is not a PostgreSQL URL
 */
export function databaseLocationFromEnv(
	env: Record<string, string | undefined> = process.env
): DatabaseLocation {
	const url = env.DATABASE_URL?.trim();
	if (url) {
		if (!/^postgres(ql)?:\/\//i.test(url))
			throw new DatabaseConfigError(
				`DATABASE_URL must be a postgres:// or postgresql:// URL (got "${url.split(':')[0]}:…"); ` +
					'for a SQLite file set CARECIRCLE_DB to its path instead'
			);
		return { dialect: 'postgres', url };
	}
	const path = env.CARECIRCLE_DB?.trim();
	return { dialect: 'sqlite', path: resolve(path || defaultSqlitePath()) };
}

function redact(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

async function dialectFor(location: DatabaseLocation): Promise<Dialect> {
	if (location.dialect === 'sqlite') {
		if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
		return new NodeSqliteDialect(openSqliteFile(location.path));
	}
	// pg is loaded only for PostgreSQL, so a SQLite server never needs it.
	const { default: pg } = await import('pg');
	return new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 10 }) });
}

/**
 * Open the database and bring its schema to the latest migration.
 * @param location default `databaseLocationFromEnv()`
 * @param options.migrateTo apply migrations only up to this one (tests of older versions)
 * @throws MigrationError (code MIGRATION_FAILED) when a migration fails: nothing of it is kept
 * @example
 * const { db, close } = await openDatabase({ dialect: 'sqlite', path: '/tmp/test.sqlite' });
 */
export async function openDatabase(
	location: DatabaseLocation = databaseLocationFromEnv(),
	options: { migrateTo?: string } = {}
): Promise<CarecircleDatabase> {
	const db = new Kysely<Tables>({ dialect: await dialectFor(location) });
	try {
		const migrated = await migrate(db as Kysely<unknown>, location.dialect, options.migrateTo);
		return {
			db,
			dialect: location.dialect,
			label: location.dialect === 'sqlite' ? location.path : redact(location.url),
			migrated,
			close: () => db.destroy()
		};
	} catch (error) {
		await db.destroy();
		throw error;
	}
}

let shared: Promise<CarecircleDatabase> | null = null;

/**
 * The server's one database connection (one SQLite connection, or one PostgreSQL pool), opened
 * and migrated on first use from the environment.
 */
export function serverDatabase(): Promise<CarecircleDatabase> {
	if (!shared) {
		shared = openDatabase();
		// A failed open is not cached: the next request tries again (and reports the error again).
		shared.catch(() => {
			shared = null;
		});
	}
	return shared;
}

/** Close the server's connection (tests; a server shutting down). The next use reopens it. */
export async function closeServerDatabase(): Promise<void> {
	const current = shared;
	shared = null;
	if (current) await (await current.catch(() => null))?.close();
}
