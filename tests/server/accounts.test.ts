/**
 * Issue 14: accounts on a real SQLite file — scrypt hashes, sessions (fixation, expiry, logout,
 * password change), the login limiter (a bounded brute-force loop), and the append-only audit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type CarecircleDatabase } from '../../src/lib/server/db/database.ts';
import { Accounts, SESSION_IDLE_MS, tokenHash } from '../../src/lib/server/auth/accounts.ts';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/passwords.ts';
import {
	LoginLimiter,
	LOGIN_WINDOW_MS,
	lockedMessage,
	MAX_FAILURES_PER_ACCOUNT
} from '../../src/lib/server/auth/rate-limit.ts';

let dir: string;
let database: CarecircleDatabase;
let accounts: Accounts;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'carecircle-accounts-'));
	database = await openDatabase({ dialect: 'sqlite', path: join(dir, 'a.sqlite') });
	accounts = new Accounts(database.db);
});
afterAll(async () => {
	await database.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('passwords (scrypt)', () => {
	it('hashes with a salt, verifies, and refuses a wrong or malformed one', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
		expect(a).not.toBe(b);
		expect(await verifyPassword('correct horse battery', a)).toBe(true);
		expect(await verifyPassword('correct horse batterz', a)).toBe(false);
		expect(await verifyPassword('x', 'md5$abc')).toBe(false);
	});

	it('refuses short passwords and ones that contain the user name', async () => {
		await expect(
			accounts.createUser({ username: 'li', password: 'short', role: 'viewer', organization: 'A' })
		).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
		await expect(
			accounts.createUser({
				username: 'wanglei',
				password: 'wanglei-2026-password',
				role: 'viewer',
				organization: 'A'
			})
		).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
	});
});

describe('sessions', () => {
	it('a new token at every login (no fixation); logout and a password change end sessions', async () => {
		const user = await accounts.createUser({
			username: 'zhang',
			password: 'a long enough password',
			role: 'planning',
			organization: '规划局'
		});
		expect(await accounts.authenticate('zhang', 'a long enough password')).toMatchObject({
			username: 'zhang',
			role: 'planning',
			organizationName: '规划局'
		});
		expect(await accounts.authenticate('zhang', 'wrong password here')).toBeNull();
		expect(await accounts.authenticate('nobody', 'a long enough password')).toBeNull();
		// An attacker-chosen cookie value is no session; a login never adopts it.
		expect(await accounts.sessionUser('attacker-chosen-value')).toBeNull();
		const first = await accounts.startSession(user.id);
		const second = await accounts.startSession(user.id);
		expect(first.token).not.toBe(second.token);
		expect(first.token).toMatch(/^[\w-]{43}$/);
		// Only the hash is stored.
		const stored = await database.db.selectFrom('sessions').select('token_hash').execute();
		expect(stored.map((row) => row.token_hash)).toContain(tokenHash(first.token));
		expect(stored.map((row) => row.token_hash)).not.toContain(first.token);
		expect((await accounts.sessionUser(first.token))?.id).toBe(user.id);
		await accounts.endSession(first.token);
		expect(await accounts.sessionUser(first.token)).toBeNull();
		expect(await accounts.changePassword(user.id, 'wrong', 'another long password')).toBe(false);
		expect(
			await accounts.changePassword(user.id, 'a long enough password', 'another long password')
		).toBe(true);
		expect(await accounts.sessionUser(second.token)).toBeNull();
		expect(await accounts.authenticate('zhang', 'another long password')).not.toBeNull();
	});

	it('ends a session unused for longer than the idle limit, and a disabled user’s', async () => {
		const user = await accounts.createUser({
			username: 'liu',
			password: 'a long enough password',
			role: 'viewer',
			organization: '民政局'
		});
		const { token } = await accounts.startSession(user.id);
		vi.useFakeTimers({ now: Date.now() + SESSION_IDLE_MS + 60_000 });
		try {
			expect(await accounts.sessionUser(token)).toBeNull();
		} finally {
			vi.useRealTimers();
		}
		// An administrator's reset (a forgotten password) ends the user's sessions too.
		const before = await accounts.startSession(user.id);
		await accounts.resetPassword(user.id, 'a brand new long password');
		expect(await accounts.sessionUser(before.token)).toBeNull();
		expect(await accounts.authenticate('liu', 'a brand new long password')).not.toBeNull();
		await expect(accounts.resetPassword(user.id, 'short')).rejects.toMatchObject({
			code: 'WEAK_PASSWORD'
		});
		const again = await accounts.startSession(user.id);
		await accounts.setDisabled(user.id, true);
		expect(await accounts.sessionUser(again.token)).toBeNull();
		expect(await accounts.authenticate('liu', 'a brand new long password')).toBeNull();
	});
});

describe('login limiter (brute force)', () => {
	it('locks an account after 5 failures for 15 minutes, whatever the password, with a Chinese message', () => {
		let clock = 1_000_000;
		const limiter = new LoginLimiter(() => clock);
		let refused = 0;
		// A bounded brute-force loop: 50 guesses, each first asking whether it may try.
		for (let guess = 0; guess < 50; guess++) {
			if (limiter.waitMinutes('zhang', '10.0.0.9') > 0) refused++;
			else limiter.fail('zhang', '10.0.0.9');
		}
		expect(refused).toBe(50 - MAX_FAILURES_PER_ACCOUNT);
		expect(limiter.waitMinutes('zhang', '10.0.0.8')).toBe(15);
		expect(lockedMessage(15).zh).toBe('登录失败次数过多，请 15 分钟后再试');
		clock += LOGIN_WINDOW_MS + 1;
		expect(limiter.waitMinutes('zhang', '10.0.0.9')).toBe(0);
	});

	it('locks an address that tries many accounts (20 failures)', () => {
		const limiter = new LoginLimiter(() => 5_000_000);
		for (let i = 0; i < 20; i++) limiter.fail(`user${i}`, '10.0.0.7');
		expect(limiter.waitMinutes('someone-else', '10.0.0.7')).toBeGreaterThan(0);
		expect(limiter.waitMinutes('someone-else', '10.0.0.6')).toBe(0);
	});
});

describe('audit trail', () => {
	it('is append-only: the database refuses UPDATE and DELETE', async () => {
		await accounts.audit({ action: 'test.entry', outcome: 'ok', username: 'cli' });
		const [row] = await accounts.auditRows({ action: 'test.entry' });
		expect(row).toMatchObject({ action: 'test.entry', outcome: 'ok', username: 'cli' });
		await expect(sql`UPDATE audit SET outcome = 'refused'`.execute(database.db)).rejects.toThrow(
			/append-only/
		);
		await expect(sql`DELETE FROM audit`.execute(database.db)).rejects.toThrow(/append-only/);
		expect((await accounts.auditRows({ action: 'test.entry' }))[0].outcome).toBe('ok');
	});
});

describe('the Secure flag of the session cookie', () => {
	it('follows ORIGIN or a proxy header, not adapter-node’s https guess', async () => {
		const { servedOverHttps } = await import('../../src/lib/server/auth/cookies.ts');
		const guessed = new URL('https://192.168.1.20:3000/login');
		expect(servedOverHttps(guessed, {})).toBe(false); // plain http on the intranet
		expect(servedOverHttps(guessed, { ORIGIN: 'https://plan.example.gov.cn' })).toBe(true);
		expect(servedOverHttps(guessed, { ORIGIN: 'http://10.0.0.5:3000' })).toBe(false);
		expect(servedOverHttps(guessed, { PROTOCOL_HEADER: 'x-forwarded-proto' })).toBe(true);
	});
});
