/**
 * Issue 14: accounts, sessions, ownership and the append-only audit on PostgreSQL, with the same
 * Accounts class as on SQLite (a throwaway cluster; skipped, saying why, without PostgreSQL).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipReason, testCluster } from './postgres-cluster.ts';
import { openDatabase } from '../../src/lib/server/db/database.ts';
import { Accounts } from '../../src/lib/server/auth/accounts.ts';
import { maySee, Ownership } from '../../src/lib/server/auth/ownership.ts';

if (postgresSkipReason) console.warn(`accounts-postgres: skipped — ${postgresSkipReason}`);

describe.skipIf(postgresSkipReason !== null)('accounts on PostgreSQL', () => {
	const cluster = testCluster('carecircle-pg-accounts-');
	const { location, freshDatabase } = cluster;
	beforeAll(() => cluster.start());
	afterAll(() => cluster.stop());

	it('creates users, logs in, ends sessions, owns records and keeps the audit append-only', async () => {
		const database = await openDatabase(location(await freshDatabase('cc_accounts')));
		try {
			const accounts = new Accounts(database.db);
			expect(await accounts.userCount()).toBe(0);
			const a = await accounts.createUser({
				username: 'wang',
				password: 'a long enough password',
				role: 'civil_affairs',
				organization: '民政局'
			});
			const b = await accounts.createUser({
				username: 'zhao',
				password: 'another long password',
				role: 'planning',
				organization: '规划局'
			});
			expect(await accounts.userCount()).toBe(2);
			await expect(
				accounts.createUser({
					username: 'wang',
					password: 'a long enough password',
					role: 'viewer',
					organization: 'x'
				})
			).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
			expect(
				(await accounts.authenticate('wang', 'a long enough password'))?.organizationName
			).toBe('民政局');
			const { token } = await accounts.startSession(a.id);
			expect((await accounts.sessionUser(token))?.username).toBe('wang');
			await accounts.endSession(token);
			expect(await accounts.sessionUser(token)).toBeNull();
			expect(await accounts.anonymousViewing()).toBe(true);
			await accounts.setAnonymousViewing(false);
			expect(await accounts.anonymousViewing()).toBe(false);

			const ownership = new Ownership(database.db);
			await ownership.claim('scenario', 's-1', a.organizationId);
			const owner = (await ownership.owners('scenario', ['s-1'])).get('s-1');
			expect(owner).toMatchObject({ organizationName: '民政局', shared: false });
			expect(maySee(owner, b)).toBe(false);
			await ownership.setShared('scenario', 's-1', true);
			expect(maySee((await ownership.owners('scenario', ['s-1'])).get('s-1'), b)).toBe(true);

			await accounts.audit({ action: 'test.pg', outcome: 'ok', user: a });
			expect((await accounts.auditRows({ action: 'test.pg' }))[0]).toMatchObject({
				username: 'wang'
			});
			await expect(sql`UPDATE audit SET outcome = 'x'`.execute(database.db)).rejects.toThrow(
				/append-only/
			);
			await expect(sql`DELETE FROM audit`.execute(database.db)).rejects.toThrow(/append-only/);
		} finally {
			await database.close();
		}
	});
});
