/**
 * Accounts on the server's database (issue 14): organisations, users, server-side sessions, the
 * anonymous-viewing setting and the append-only audit trail. Both dialects (SQLite, PostgreSQL)
 * through Kysely; the tables are created by migration 0004_accounts.
 *
 * Sessions: a 32-byte random token in an HttpOnly cookie; the database keeps only its SHA-256,
 * so a copy of the database logs nobody in. A session ends after 12 hours, or 2 hours unused, or
 * at logout or a password change (every session of the user).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditTable, Tables, UsersTable } from '../db/database.ts';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { ROLES, type Role } from './permissions.ts';

export const SESSION_COOKIE = 'cc_session';
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;
/** last_seen_at is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export interface User {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	organizationId: string;
	organizationName: string;
	disabled: boolean;
}

export class AccountError extends Error {
	readonly code: 'INVALID_ACCOUNT' | 'USERNAME_TAKEN' | 'WEAK_PASSWORD' | 'NOT_FOUND';
	readonly zh: string;
	constructor(code: AccountError['code'], zh: string, en: string) {
		super(en);
		this.name = 'AccountError';
		this.code = code;
		this.zh = zh;
	}
}

const USERNAME = /^[A-Za-z0-9_.-]{2,40}$/;
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const now = () => new Date();

export interface AuditEntry {
	action: string;
	outcome: 'ok' | 'refused' | 'failed';
	user?: Pick<User, 'id' | 'username' | 'role'> | null;
	/** The name tried at a failed login (no user). */
	username?: string | null;
	objectType?: string | null;
	objectId?: string | null;
	objectVersion?: number | null;
	address?: string | null;
	details?: Record<string, unknown>;
}

export interface AuditFilter {
	action?: string;
	username?: string;
	outcome?: string;
	/** ISO date-times, inclusive. */
	from?: string;
	to?: string;
	limit?: number;
}

export type AuditRow = AuditTable;

export class Accounts {
	readonly #db: Kysely<Tables>;
	constructor(db: Kysely<Tables>) {
		this.#db = db;
	}

	// ------------------------------------------------------------ organisations and users

	async organization(name: string): Promise<string> {
		const trimmed = name.trim();
		if (!trimmed)
			throw new AccountError('INVALID_ACCOUNT', '需要单位名称', 'an organisation name is needed');
		const found = await this.#db
			.selectFrom('organizations')
			.select('id')
			.where('name', '=', trimmed)
			.executeTakeFirst();
		if (found) return found.id;
		const id = randomUUID();
		await this.#db
			.insertInto('organizations')
			.values({ id, name: trimmed, created_at: now().toISOString() })
			.onConflict((c) => c.column('name').doNothing())
			.execute();
		return (
			await this.#db
				.selectFrom('organizations')
				.select('id')
				.where('name', '=', trimmed)
				.executeTakeFirstOrThrow()
		).id;
	}

	async userCount(): Promise<number> {
		const row = await this.#db
			.selectFrom('users')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	async createUser(input: {
		username: string;
		displayName?: string;
		password: string;
		role: Role;
		organization: string;
	}): Promise<User> {
		const username = String(input.username ?? '').trim();
		if (!USERNAME.test(username))
			throw new AccountError(
				'INVALID_ACCOUNT',
				'用户名为 2–40 个字母、数字或 _ . -',
				'the user name must be 2–40 letters, digits or _ . -'
			);
		if (!ROLES.includes(input.role))
			throw new AccountError(
				'INVALID_ACCOUNT',
				`角色须为 ${ROLES.join(' / ')}`,
				`the role must be one of ${ROLES.join(', ')}`
			);
		const weak = passwordProblem(input.password, username);
		if (weak) throw new AccountError('WEAK_PASSWORD', weak.zh, weak.en);
		if (await this.#userRow(username))
			throw new AccountError(
				'USERNAME_TAKEN',
				`用户名“${username}”已被使用`,
				`user name "${username}" is taken`
			);
		const organizationId = await this.organization(input.organization);
		const at = now().toISOString();
		const id = randomUUID();
		await this.#db
			.insertInto('users')
			.values({
				id,
				username,
				display_name: input.displayName?.trim() || username,
				password_hash: await hashPassword(input.password),
				role: input.role,
				organization_id: organizationId,
				disabled: 0,
				created_at: at,
				password_changed_at: at
			})
			.execute();
		return (await this.userById(id))!;
	}

	#userRow(username: string) {
		return this.#db
			.selectFrom('users')
			.selectAll()
			.where('username', '=', username)
			.executeTakeFirst();
	}

	async #user(row: UsersTable | undefined): Promise<User | null> {
		if (!row) return null;
		const organization = await this.#db
			.selectFrom('organizations')
			.select('name')
			.where('id', '=', row.organization_id)
			.executeTakeFirst();
		return {
			id: row.id,
			username: row.username,
			displayName: row.display_name,
			role: row.role,
			organizationId: row.organization_id,
			organizationName: organization?.name ?? '',
			disabled: Number(row.disabled) === 1
		};
	}

	async userById(id: string): Promise<User | null> {
		return this.#user(
			await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
		);
	}

	async listUsers(): Promise<User[]> {
		const rows = await this.#db.selectFrom('users').selectAll().orderBy('username').execute();
		return Promise.all(rows.map(async (row) => (await this.#user(row))!));
	}

	/** The user when name and password match and the account is enabled; null otherwise. */
	async authenticate(username: string, password: string): Promise<User | null> {
		const row = await this.#userRow(String(username ?? '').trim());
		// Same work whether or not the user exists: no timing tells which names are real.
		const ok = await verifyPassword(
			String(password ?? ''),
			row?.password_hash ?? (await decoyHash())
		);
		if (!row || !ok || Number(row.disabled) === 1) return null;
		return this.#user(row);
	}

	async setRole(userId: string, role: Role): Promise<void> {
		if (!ROLES.includes(role))
			throw new AccountError('INVALID_ACCOUNT', '未知角色', `unknown role "${role}"`);
		await this.#db.updateTable('users').set({ role }).where('id', '=', userId).execute();
	}

	async setDisabled(userId: string, disabled: boolean): Promise<void> {
		await this.#db
			.updateTable('users')
			.set({ disabled: disabled ? 1 : 0 })
			.where('id', '=', userId)
			.execute();
		if (disabled) await this.endSessionsOf(userId);
	}

	/** Changes the password when the current one matches; every session of the user ends. */
	async changePassword(userId: string, current: string, next: string): Promise<boolean> {
		const row = await this.#db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', userId)
			.executeTakeFirst();
		if (!row || !(await verifyPassword(current, row.password_hash))) return false;
		const weak = passwordProblem(next, row.username);
		if (weak) throw new AccountError('WEAK_PASSWORD', weak.zh, weak.en);
		await this.#db
			.updateTable('users')
			.set({ password_hash: await hashPassword(next), password_changed_at: now().toISOString() })
			.where('id', '=', userId)
			.execute();
		await this.endSessionsOf(userId);
		return true;
	}

	/** An administrator sets a new password (a forgotten one); every session of the user ends. */
	async resetPassword(userId: string, next: string): Promise<void> {
		const row = await this.#db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', userId)
			.executeTakeFirst();
		if (!row) throw new AccountError('NOT_FOUND', '没有这个用户', 'no such user');
		const weak = passwordProblem(next, row.username);
		if (weak) throw new AccountError('WEAK_PASSWORD', weak.zh, weak.en);
		await this.#db
			.updateTable('users')
			.set({ password_hash: await hashPassword(next), password_changed_at: now().toISOString() })
			.where('id', '=', userId)
			.execute();
		await this.endSessionsOf(userId);
	}

	// ------------------------------------------------------------ sessions

	/** A new session (a new token every time: no session fixation). */
	async startSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
		const token = randomBytes(32).toString('base64url');
		const at = now();
		const expiresAt = new Date(at.getTime() + SESSION_ABSOLUTE_MS);
		await this.#db
			.insertInto('sessions')
			.values({
				token_hash: tokenHash(token),
				user_id: userId,
				created_at: at.toISOString(),
				expires_at: expiresAt.toISOString(),
				last_seen_at: at.toISOString()
			})
			.execute();
		return { token, expiresAt };
	}

	/** The user of a live session; null for an unknown, expired, idle or disabled one. */
	async sessionUser(token: string | undefined): Promise<User | null> {
		if (!token || token.length > 100) return null;
		const hash = tokenHash(token);
		const session = await this.#db
			.selectFrom('sessions')
			.selectAll()
			.where('token_hash', '=', hash)
			.executeTakeFirst();
		if (!session) return null;
		const at = now().getTime();
		const lastSeen = Date.parse(session.last_seen_at);
		if (at > Date.parse(session.expires_at) || at - lastSeen > SESSION_IDLE_MS) {
			await this.#db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
			return null;
		}
		const user = await this.userById(session.user_id);
		if (!user || user.disabled) return null;
		if (at - lastSeen > TOUCH_EVERY_MS)
			await this.#db
				.updateTable('sessions')
				.set({ last_seen_at: new Date(at).toISOString() })
				.where('token_hash', '=', hash)
				.execute();
		return user;
	}

	async endSession(token: string | undefined): Promise<void> {
		if (token)
			await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
	}

	async endSessionsOf(userId: string): Promise<void> {
		await this.#db.deleteFrom('sessions').where('user_id', '=', userId).execute();
	}

	// ------------------------------------------------------------ settings

	/** The setting as last read, kept a few seconds: every request asks for it. */
	#anonymous: { value: boolean; until: number } | null = null;

	/** Whether visitors without a session may view maps and reports (default: yes, the demo). */
	async anonymousViewing(): Promise<boolean> {
		if (this.#anonymous && Date.now() < this.#anonymous.until) return this.#anonymous.value;
		const row = await this.#db
			.selectFrom('settings')
			.select('value')
			.where('key', '=', 'anonymous_view')
			.executeTakeFirst();
		const value = (row?.value ?? 'on') === 'on';
		// Another server on the same PostgreSQL sees a change within 5 s.
		this.#anonymous = { value, until: Date.now() + 5_000 };
		return value;
	}

	async setAnonymousViewing(on: boolean): Promise<void> {
		const value = on ? 'on' : 'off';
		await this.#db
			.insertInto('settings')
			.values({ key: 'anonymous_view', value })
			.onConflict((c) => c.column('key').doUpdateSet({ value }))
			.execute();
		this.#anonymous = null;
	}

	// ------------------------------------------------------------ audit

	async audit(entry: AuditEntry): Promise<void> {
		await this.#db
			.insertInto('audit')
			.values({
				id: randomUUID(),
				at: now().toISOString(),
				user_id: entry.user?.id ?? null,
				username: entry.user?.username ?? entry.username ?? null,
				role: entry.user?.role ?? null,
				action: entry.action,
				object_type: entry.objectType ?? null,
				object_id: entry.objectId ?? null,
				object_version: entry.objectVersion ?? null,
				outcome: entry.outcome,
				address: entry.address ?? null,
				details: JSON.stringify(entry.details ?? {})
			})
			.execute();
	}

	async auditRows(filter: AuditFilter = {}): Promise<AuditRow[]> {
		let query = this.#db.selectFrom('audit').selectAll();
		if (filter.action) query = query.where('action', 'like', `%${filter.action}%`);
		if (filter.username) query = query.where('username', '=', filter.username);
		if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
		if (filter.from) query = query.where('at', '>=', filter.from);
		if (filter.to) query = query.where('at', '<=', filter.to);
		return query
			.orderBy('at', 'desc')
			.orderBy('id')
			.limit(Math.min(filter.limit ?? 500, 10_000))
			.execute();
	}
}
