/**
 * Saved scenarios and evaluations belong to the organisation of the user who created them
 * (issue 14). Its members see and change them; other organisations see them only when shared,
 * and never change them; the administrator sees and changes all. A record without an owner
 * predates accounts and stays open to every role with the right.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../db/database.ts';
import type { User } from './accounts.ts';

export type RecordType = 'scenario' | 'evaluation';

export interface Owner {
	organizationId: string;
	organizationName: string;
	shared: boolean;
}

export class Ownership {
	readonly #db: Kysely<Tables>;
	constructor(db: Kysely<Tables>) {
		this.#db = db;
	}

	async claim(type: RecordType, id: string, organizationId: string): Promise<void> {
		await this.#db
			.insertInto('record_owners')
			.values({ record_type: type, record_id: id, organization_id: organizationId, shared: 0 })
			.onConflict((c) => c.columns(['record_type', 'record_id']).doNothing())
			.execute();
	}

	async owners(type: RecordType, ids: readonly string[]): Promise<Map<string, Owner>> {
		if (!ids.length) return new Map();
		const rows = await this.#db
			.selectFrom('record_owners')
			.innerJoin('organizations', 'organizations.id', 'record_owners.organization_id')
			.select([
				'record_owners.record_id as id',
				'record_owners.organization_id as organizationId',
				'organizations.name as organizationName',
				'record_owners.shared as shared'
			])
			.where('record_owners.record_type', '=', type)
			.where('record_owners.record_id', 'in', [...ids])
			.execute();
		return new Map(
			rows.map((row) => [
				row.id,
				{
					organizationId: row.organizationId,
					organizationName: row.organizationName,
					shared: Number(row.shared) === 1
				}
			])
		);
	}

	async setShared(type: RecordType, id: string, shared: boolean): Promise<void> {
		await this.#db
			.updateTable('record_owners')
			.set({ shared: shared ? 1 : 0 })
			.where('record_type', '=', type)
			.where('record_id', '=', id)
			.execute();
	}
}

/** Whether `user` (null = anonymous) may see a record with this owner (undefined = none). */
export function maySee(owner: Owner | undefined, user: User | null): boolean {
	if (!owner || owner.shared) return true;
	if (!user) return false;
	return user.role === 'admin' || user.organizationId === owner.organizationId;
}

/** Whether `user` may change it (the route's role guard has already passed). */
export function mayChange(owner: Owner | undefined, user: User | null): boolean {
	if (!owner) return true;
	if (!user) return false;
	return user.role === 'admin' || user.organizationId === owner.organizationId;
}
