/**
 * The server's accounts (one `Accounts` over the server database), the login limiter, and what
 * the audit trail calls each guarded write.
 */
import { serverDatabase } from '../db/database.ts';
import { Accounts } from './accounts.ts';
import { Ownership } from './ownership.ts';
import { LoginLimiter } from './rate-limit.ts';

export { Accounts, AccountError, SESSION_COOKIE, type User } from './accounts.ts';

let shared: Promise<Accounts> | null = null;
export function serverAccounts(): Promise<Accounts> {
	shared ??= serverDatabase().then((database) => new Accounts(database.db));
	shared.catch(() => (shared = null));
	return shared;
}

let owners: Promise<Ownership> | null = null;
export function serverOwnership(): Promise<Ownership> {
	owners ??= serverDatabase().then((database) => new Ownership(database.db));
	owners.catch(() => (owners = null));
	return owners;
}

export const loginLimiter = new LoginLimiter();

/** Audit names of the API's writes: `<route id> <method>` → action and object type. */
const API_ACTIONS: Record<string, { action: string; objectType: string }> = {
	'/api/scenarios POST': { action: 'scenario.create', objectType: 'scenario' },
	'/api/scenarios/[id] PUT': { action: 'scenario.save', objectType: 'scenario' },
	'/api/scenarios/[id] DELETE': { action: 'scenario.delete', objectType: 'scenario' },
	'/api/scenarios/[id]/duplicate POST': { action: 'scenario.duplicate', objectType: 'scenario' },
	'/api/evaluations POST': { action: 'evaluation.create', objectType: 'evaluation' },
	'/api/evaluations/[id] PUT': { action: 'evaluation.save', objectType: 'evaluation' },
	'/api/evaluations/[id] DELETE': { action: 'evaluation.delete', objectType: 'evaluation' },
	'/api/evaluations/[id]/rerun POST': { action: 'evaluation.rerun', objectType: 'evaluation' },
	'/api/scenarios/[id]/sharing POST': { action: 'scenario.share', objectType: 'scenario' },
	'/api/evaluations/[id]/sharing POST': { action: 'evaluation.share', objectType: 'evaluation' },
	'/api/regions/[id]/imports POST': { action: 'region.import', objectType: 'region' },
	'/api/regions/[id]/imports/preview POST': {
		action: 'region.import_preview',
		objectType: 'region'
	},
	'/api/regions/[id]/versions/undo POST': { action: 'region.undo', objectType: 'region' },
	'/api/region-jobs POST': { action: 'region.create', objectType: 'region_job' },
	'/api/region-jobs/[job] DELETE': { action: 'region.create_cancel', objectType: 'region_job' },
	'/api/uploads POST': { action: 'upload', objectType: 'upload' },
	'/api/regions/[id]/report/[file] POST': { action: 'report.export', objectType: 'region' }
};

export function apiAction(
	routeId: string | null,
	method: string
): { action: string; objectType: string | null } {
	return (
		API_ACTIONS[`${routeId} ${method}`] ?? {
			action: `${method} ${routeId ?? '(no route)'}`,
			objectType: null
		}
	);
}
