/**
 * Roles, what each may do, and what every route needs (issue 14). The route table is the one
 * place a route's guard is written: hooks.server.ts enforces it on every request, and
 * tests/server/route-guards.test.ts fails when a route file, method or form action has no entry.
 *
 * Roles build on each other: 查看 viewer ⊂ 分析 analyst ⊂ {民政 civil affairs, 规划 planning} ⊂ 管理员
 * administrator. Civil affairs and planning are separate bureaus: neither has the other's rights.
 */

export const ROLES = ['viewer', 'analyst', 'civil_affairs', 'planning', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
	viewer: { zh: '查看', en: 'viewer' },
	analyst: { zh: '分析', en: 'analyst' },
	civil_affairs: { zh: '民政', en: 'civil affairs' },
	planning: { zh: '规划', en: 'planning' },
	admin: { zh: '管理员', en: 'administrator' }
};

export const PERMISSIONS = [
	'view', // maps, region data, reports already saved
	'export', // downloads of analyses (gap reports)
	'scenario.write', // stations and scenarios (save, change, delete)
	'evaluation.write', // project evaluations (save, re-run, delete)
	'region.admin', // new regions, uploads, imports, undo
	'user.admin', // accounts and roles
	'audit.read', // the audit trail
	'account' // one's own password and session (any logged-in user)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ['view', 'account'];
const ANALYST: Permission[] = [...VIEWER, 'export'];
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
	viewer: new Set(VIEWER),
	analyst: new Set(ANALYST),
	civil_affairs: new Set([...ANALYST, 'scenario.write']),
	planning: new Set([...ANALYST, 'evaluation.write']),
	admin: new Set(PERMISSIONS)
};

export function roleMay(role: Role, permission: Permission): boolean {
	return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * `public`: no session needed (login, first-run setup). Otherwise the permission; `view` routes
 * are also open to anonymous visitors where the administrator allows read-only viewing.
 */
export type Guard = Permission | 'public';

/** Route id (SvelteKit's `event.route.id`) → method or `action:<name>` → guard. */
export const ROUTE_GUARDS: Record<string, Record<string, Guard>> = {
	'/': { load: 'view' },
	'/map': { load: 'view' },
	'/login': { load: 'public', 'action:login': 'public', 'action:logout': 'public' },
	'/setup': { load: 'public', 'action:default': 'public' },
	'/account': { load: 'account', 'action:password': 'account' },
	'/admin/users': {
		load: 'user.admin',
		'action:create': 'user.admin',
		'action:role': 'user.admin',
		'action:disable': 'user.admin',
		'action:reset': 'user.admin',
		'action:anonymous': 'user.admin'
	},
	'/admin/audit': { load: 'audit.read' },
	'/regions/new': { load: 'region.admin' },
	'/regions/[id]/import': { load: 'region.admin' },
	'/api/audit.csv': { GET: 'audit.read' },
	'/api/evaluations': { GET: 'view', POST: 'evaluation.write' },
	'/api/evaluations/[id]': { GET: 'view', PUT: 'evaluation.write', DELETE: 'evaluation.write' },
	'/api/evaluations/[id]/report': { GET: 'view' },
	'/api/evaluations/[id]/rerun': { POST: 'evaluation.write' },
	'/api/evaluations/[id]/sharing': { POST: 'evaluation.write' },
	'/api/profiles': { GET: 'view' },
	'/api/profiles/[id]': { GET: 'view' },
	'/api/region-jobs': { POST: 'region.admin' },
	'/api/region-jobs/[job]': { GET: 'region.admin', DELETE: 'region.admin' },
	'/api/regions': { GET: 'view' },
	'/api/regions/[id]': { GET: 'view' },
	'/api/regions/[id]/candidate-buildings': { GET: 'view' },
	'/api/regions/[id]/graph.bin': { GET: 'view' },
	'/api/regions/[id]/imports': { POST: 'region.admin' },
	'/api/regions/[id]/imports/preview': { POST: 'region.admin' },
	'/api/regions/[id]/report/[file]': { GET: 'export', POST: 'export' },
	'/api/regions/[id]/tiles.pmtiles': { GET: 'view' },
	'/api/regions/[id]/versions': { GET: 'region.admin' },
	'/api/regions/[id]/versions/undo': { POST: 'region.admin' },
	'/api/scenarios': { GET: 'view', POST: 'scenario.write' },
	'/api/scenarios/[id]': { GET: 'view', PUT: 'scenario.write', DELETE: 'scenario.write' },
	'/api/scenarios/[id]/duplicate': { POST: 'scenario.write' },
	'/api/scenarios/[id]/sharing': { POST: 'scenario.write' },
	'/api/scenarios/compare': { GET: 'view' },
	'/api/uploads': { POST: 'region.admin' }
};

/**
 * What guards a request: the route's entry for the method (HEAD as GET), for a page's GET its
 * `load`, for a form POST (`?/name`, default `default`) its `action:<name>`. Unknown = null
 * (refused: a route without a guard is never served).
 */
export function guardOf(routeId: string | null, method: string, url: URL): Guard | null {
	if (routeId === null) return null;
	const entry = ROUTE_GUARDS[routeId];
	if (!entry) return null;
	const verb = method === 'HEAD' ? 'GET' : method;
	if (entry[verb]) return entry[verb];
	if (verb === 'GET' && entry.load) return entry.load;
	if (verb === 'POST') {
		const named = [...url.searchParams.keys()].find((key) => key.startsWith('/'));
		const action = named ? named.slice(1) : 'default';
		return entry[`action:${action}`] ?? null;
	}
	return null;
}
