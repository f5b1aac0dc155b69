/**
 * The database schema, as versioned migrations applied at startup (`openDatabase`). Kysely's
 * Migrator runs the pending ones inside one transaction (SQLite and PostgreSQL both have
 * transactional DDL) and records each by name in `schema_migrations`; a file or database at an
 * older version is brought forward, and one written by a newer carecircle is refused (a migration
 * it does not know is recorded).
 *
 * The DDL is written with Kysely's schema builder and portable column types only (`text`,
 * `integer`, `double precision`), so the same migrations create the same tables on SQLite and
 * PostgreSQL; a migration that ever needs dialect-specific SQL gets the dialect as its argument.
 * Never edit a migration that has shipped: add the next one.
 */
import { sql, type Kysely } from 'kysely';
import {
	Migrator,
	type Migration,
	type MigrationProvider,
	type MigrationResultSet
} from 'kysely/migration';

export type DatabaseDialect = 'sqlite' | 'postgres';

export const MIGRATION_TABLE = 'schema_migrations';
export const MIGRATION_LOCK_TABLE = 'schema_migrations_lock';

/** Street verdicts as the engine writes them (analysis/types.ts LevelVerdict). */
const VERDICTS = sql`('pass', 'fail', 'no_data')`;

/** The roles of server/auth/permissions.ts, as the users table admits them. */
const ROLES_SQL = sql`('viewer', 'analyst', 'civil_affairs', 'planning', 'admin')`;

/**
 * Migrations by name; names sort in the order they apply.
 * @param dialect where they run (the audit's append-only triggers differ)
 */
export function migrations(dialect: DatabaseDialect): Record<string, Migration> {
	return {
		/**
		 * Scenarios: the plan (settings, planned / moved / removed stations as JSON text, validated by
		 * zod on the way in and out) and its results snapshot — the summary as JSON, the per-street
		 * rows as rows, so that a comparison reads two scenarios' streets side by side.
		 */
		'0001_scenarios': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('scenarios')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('region_id', 'text', (c) => c.notNull())
					.addColumn('profile_id', 'text', (c) => c.notNull())
					.addColumn('name', 'text', (c) => c.notNull())
					.addColumn('notes', 'text', (c) => c.notNull())
					.addColumn('settings_json', 'text', (c) => c.notNull())
					.addColumn('planned_json', 'text', (c) => c.notNull())
					.addColumn('moved_json', 'text', (c) => c.notNull())
					.addColumn('removed_json', 'text', (c) => c.notNull())
					.addColumn('summary_json', 'text', (c) => c.notNull())
					.addColumn('computed_at', 'text', (c) => c.notNull())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('updated_at', 'text', (c) => c.notNull())
					.addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
					.execute();
				await db.schema
					.createTable('scenario_streets')
					.addColumn('scenario_id', 'text', (c) =>
						c.notNull().references('scenarios.id').onDelete('cascade')
					)
					.addColumn('position', 'integer', (c) => c.notNull())
					.addColumn('street_code', 'text')
					.addColumn('street_name', 'text', (c) => c.notNull())
					// Elders may be estimates with fractions, hence not integer.
					.addColumn('elders', 'double precision', (c) => c.notNull())
					.addColumn('elders_covered', 'double precision')
					.addColumn('deficit_m2', 'double precision', (c) => c.notNull())
					.addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ${VERDICTS}`))
					.addPrimaryKeyConstraint('scenario_streets_pk', ['scenario_id', 'position'])
					.execute();
			}
		},
		/** The scenario list is read per region, most recently saved first. */
		'0002_scenarios_by_region': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createIndex('scenarios_region_updated')
					.on('scenarios')
					.columns(['region_id', 'updated_at'])
					.execute();
			}
		},
		/**
		 * Project evaluations (issue 7): the inputs as JSON (validated by zod on the way in and out),
		 * the results summary the server computed, and the whole evaluation document the report
		 * prints; listed per region, most recently saved first.
		 */
		'0003_evaluations': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('evaluations')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('region_id', 'text', (c) => c.notNull())
					.addColumn('profile_id', 'text', (c) => c.notNull())
					.addColumn('name', 'text', (c) => c.notNull())
					.addColumn('inputs_json', 'text', (c) => c.notNull())
					.addColumn('results_json', 'text', (c) => c.notNull())
					.addColumn('document_json', 'text', (c) => c.notNull())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('updated_at', 'text', (c) => c.notNull())
					.addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
					.execute();
				await db.schema
					.createIndex('evaluations_region_updated')
					.on('evaluations')
					.columns(['region_id', 'updated_at'])
					.execute();
			}
		},
		/**
		 * Accounts (issue 14): organisations, users (scrypt password hashes, one role each),
		 * server-side sessions (only the SHA-256 of the token is stored), settings, and the audit
		 * trail — append-only: triggers refuse every UPDATE and DELETE on it.
		 */
		'0004_accounts': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('organizations')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('name', 'text', (c) => c.notNull().unique())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('users')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('username', 'text', (c) => c.notNull().unique())
					.addColumn('display_name', 'text', (c) => c.notNull())
					.addColumn('password_hash', 'text', (c) => c.notNull())
					.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ${ROLES_SQL}`))
					.addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
					.addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('password_changed_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('sessions')
					.addColumn('token_hash', 'text', (c) => c.primaryKey())
					.addColumn('user_id', 'text', (c) =>
						c.notNull().references('users.id').onDelete('cascade')
					)
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('expires_at', 'text', (c) => c.notNull())
					.addColumn('last_seen_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('settings')
					.addColumn('key', 'text', (c) => c.primaryKey())
					.addColumn('value', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('audit')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('at', 'text', (c) => c.notNull())
					.addColumn('user_id', 'text')
					.addColumn('username', 'text')
					.addColumn('role', 'text')
					.addColumn('action', 'text', (c) => c.notNull())
					.addColumn('object_type', 'text')
					.addColumn('object_id', 'text')
					.addColumn('object_version', 'integer')
					.addColumn('outcome', 'text', (c) => c.notNull())
					.addColumn('address', 'text')
					.addColumn('details', 'text', (c) => c.notNull())
					.execute();
				await db.schema.createIndex('audit_at').on('audit').columns(['at']).execute();
				if (dialect === 'sqlite') {
					await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END`.execute(
						db
					);
					await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END`.execute(
						db
					);
				} else {
					await sql`CREATE FUNCTION audit_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit is append-only'; END $$ LANGUAGE plpgsql`.execute(
						db
					);
					await sql`CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(
						db
					);
				}
			}
		},
		/**
		 * Which organisation owns each saved scenario and evaluation, and whether it is shared with
		 * the others (issue 14). A record without a row predates accounts: everyone sees it.
		 */
		'0005_record_owners': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('record_owners')
					.addColumn('record_type', 'text', (c) =>
						c.notNull().check(sql`record_type in ('scenario', 'evaluation')`)
					)
					.addColumn('record_id', 'text', (c) => c.notNull())
					.addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
					.addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
					.addPrimaryKeyConstraint('record_owners_pk', ['record_type', 'record_id'])
					.execute();
			}
		}
	};
}

export const LATEST_MIGRATION = '0005_record_owners';

class InCodeMigrations implements MigrationProvider {
	readonly #migrations: Record<string, Migration>;
	constructor(list: Record<string, Migration>) {
		this.#migrations = list;
	}
	async getMigrations(): Promise<Record<string, Migration>> {
		return this.#migrations;
	}
}

export class MigrationError extends Error {
	readonly code = 'MIGRATION_FAILED';
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MigrationError';
	}
}

/**
 * Apply the pending migrations (all of them, or up to `target`) in one transaction.
 * @returns the names applied now, in order (empty when the schema was current)
 * @throws MigrationError naming the migration that failed; nothing of the run is kept
 */
export async function migrate(
	db: Kysely<unknown>,
	dialect: DatabaseDialect,
	target: string = LATEST_MIGRATION
): Promise<string[]> {
	const migrator = new Migrator({
		db,
		provider: new InCodeMigrations(migrations(dialect)),
		migrationTableName: MIGRATION_TABLE,
		migrationLockTableName: MIGRATION_LOCK_TABLE
	});
	const { error, results }: MigrationResultSet = await migrator.migrateTo(target);
	if (error) {
		const failed = results?.find((result) => result.status === 'Error')?.migrationName;
		const reason = error instanceof Error ? error.message : String(error);
		throw new MigrationError(
			`database migration ${failed ? `"${failed}" ` : ''}failed: ${reason}`,
			{ cause: error }
		);
	}
	return (results ?? [])
		.filter((result) => result.status === 'Success')
		.map((result) => result.migrationName);
}
