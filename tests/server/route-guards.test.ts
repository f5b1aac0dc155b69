/**
 * Issue 14: every route guarded. The test reads every `+server.ts` (its exported methods),
 * `+page.server.ts` (load and each form action) and `+page.svelte` under src/routes, and
 * requires an entry in ROUTE_GUARDS for each; then, through the real `handle` of
 * hooks.server.ts with a stub `resolve`, checks 401 without a session (anonymous viewing off),
 * 403 for each role without the right, and that the right role gets through. A new route
 * without a guard fails here, and the server refuses it (404) until it has one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServerDatabase } from '../../src/lib/server/db/database.ts';
import {
	guardOf,
	ROLES,
	roleMay,
	ROUTE_GUARDS,
	type Role
} from '../../src/lib/server/auth/permissions.ts';
import type { Accounts } from '../../src/lib/server/auth/accounts.ts';

const routesDir = join(import.meta.dirname, '..', '..', 'src', 'routes');

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : [path];
	});
}

const routeIdOf = (file: string) => {
	const dir = relative(routesDir, join(file, '..')).split('\\').join('/');
	return dir === '' ? '/' : `/${dir}`;
};

/** Every (route id, method or load / action:<name>) the code defines. */
function definedEndpoints(): { routeId: string; key: string; file: string }[] {
	const out: { routeId: string; key: string; file: string }[] = [];
	for (const file of files(routesDir)) {
		const name = file.split('/').pop()!;
		const source = readFileSync(file, 'utf8');
		const routeId = routeIdOf(file);
		if (name === '+server.ts')
			for (const match of source.matchAll(
				/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|OPTIONS)\b/g
			))
				out.push({ routeId, key: match[1], file });
		if (name === '+page.svelte') out.push({ routeId, key: 'load', file });
		if (name === '+page.server.ts') {
			if (/export\s+(?:const|async\s+function|function)\s+load\b/.test(source))
				out.push({ routeId, key: 'load', file });
			const actions = /export const actions[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source);
			if (actions)
				for (const match of actions[1].matchAll(/^\t(?:\/\*\*[^\n]*\n\t)?(\w+):\s*async/gm))
					out.push({ routeId, key: `action:${match[1]}`, file });
		}
	}
	return out;
}

const endpoints = definedEndpoints();
const unique = [...new Map(endpoints.map((e) => [`${e.routeId} ${e.key}`, e])).values()];

describe('the route table', () => {
	it('finds the routes (sanity: the parser sees them)', () => {
		expect(unique.length).toBeGreaterThan(40);
		expect(unique.some((e) => e.key === 'action:login')).toBe(true);
	});

	it.each(unique.map((e) => [`${e.routeId} ${e.key}`, e] as const))('%s has a guard', (_, e) => {
		expect(
			ROUTE_GUARDS[e.routeId]?.[e.key],
			`add "${e.key}" of ${e.routeId} to ROUTE_GUARDS`
		).toBeDefined();
	});

	it('lists no route or method that does not exist', () => {
		const defined = new Set(unique.map((e) => `${e.routeId} ${e.key}`));
		const stale = Object.entries(ROUTE_GUARDS).flatMap(([routeId, entry]) =>
			Object.keys(entry)
				.map((key) => `${routeId} ${key}`)
				.filter((key) => !defined.has(key))
		);
		expect(stale).toEqual([]);
	});

	it('a route without an entry is refused (404), whatever the role', () => {
		expect(guardOf('/api/not-a-route', 'GET', new URL('http://x/api/not-a-route'))).toBeNull();
		expect(guardOf('/api/scenarios', 'PATCH', new URL('http://x/api/scenarios'))).toBeNull();
	});
});

// ---------------------------------------------------------------- through hooks.server.ts handle

let dir: string;
let handle: typeof import('../../src/hooks.server.ts').handle;
let accounts: Accounts;
const tokens = new Map<Role, string>();

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'carecircle-guards-'));
	process.env.CARECIRCLE_DB = join(dir, 'guards.sqlite');
	({ handle } = await import('../../src/hooks.server.ts'));
	const { serverAccounts } = await import('../../src/lib/server/auth/index.ts');
	accounts = await serverAccounts();
	await accounts.setAnonymousViewing(false);
	for (const role of ROLES) {
		const user = await accounts.createUser({
			username: `user-${role}`,
			password: 'a long enough password',
			role,
			organization: role === 'planning' ? '规划局' : '民政局'
		});
		tokens.set(role, (await accounts.startSession(user.id)).token);
	}
});

afterAll(async () => {
	await closeServerDatabase();
	delete process.env.CARECIRCLE_DB;
	rmSync(dir, { recursive: true, force: true });
});

/** One request through `handle`; the stub `resolve` answers 200 "reached". */
async function request(
	routeId: string,
	key: string,
	role: Role | null,
	extra: { origin?: string } = {}
): Promise<Response> {
	const method = key === 'load' ? 'GET' : key.startsWith('action:') ? 'POST' : key;
	const params: Record<string, string> = {};
	const path = routeId.replace(/\[(\w+)\]/g, (_, name: string) => (params[name] = `x-${name}`));
	const action = key.startsWith('action:') ? `?/${key.slice('action:'.length)}` : '';
	const url = new URL(`http://127.0.0.1:3000${path}${action}`);
	const headers = new Headers();
	if (extra.origin) headers.set('origin', extra.origin);
	const cookieJar = new Map<string, string>();
	const token = role ? tokens.get(role) : undefined;
	if (token) cookieJar.set('cc_session', token);
	const event = {
		request: new Request(url, { method, headers }),
		url,
		route: { id: routeId },
		params,
		locals: {} as App.Locals,
		cookies: {
			get: (name: string) => cookieJar.get(name),
			delete: (name: string) => cookieJar.delete(name),
			set: (name: string, value: string) => cookieJar.set(name, value),
			getAll: () => [...cookieJar].map(([name, value]) => ({ name, value }))
		},
		getClientAddress: () => '127.0.0.1'
	};
	try {
		return await handle({
			event: event as never,
			resolve: async () => new Response('reached', { status: 200 })
		});
	} catch (thrown) {
		// redirect(303, '/login') for a page without a session
		const redirect = thrown as { status?: number; location?: string };
		if (redirect.status)
			return new Response(null, {
				status: redirect.status,
				headers: { location: redirect.location ?? '' }
			});
		throw thrown;
	}
}

const guarded = Object.entries(ROUTE_GUARDS).flatMap(([routeId, entry]) =>
	Object.entries(entry).map(([key, guard]) => ({ routeId, key, guard }))
);

describe('every guarded route, through handle (anonymous viewing off)', () => {
	it.each(
		guarded.filter((g) => g.guard !== 'public').map((g) => [`${g.routeId} ${g.key}`, g] as const)
	)(
		'%s: 401 (or the login page) without a session, 403 for a role without the right, reached with it',
		async (_, { routeId, key, guard }) => {
			const anonymous = await request(routeId, key, null);
			if (key === 'load' && !routeId.startsWith('/api/')) {
				expect(anonymous.status).toBe(303);
				expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
			} else expect(anonymous.status).toBe(401);
			for (const role of ROLES) {
				const answer = await request(routeId, key, role);
				if (guard !== 'public' && roleMay(role, guard)) expect(answer.status, role).toBe(200);
				else {
					expect(answer.status, role).toBe(403);
					expect((await answer.json()).code).toBe('FORBIDDEN');
				}
			}
		}
	);

	it('public routes are reached without a session', async () => {
		for (const { routeId, key } of guarded.filter((g) => g.guard === 'public'))
			expect((await request(routeId, key, null)).status, `${routeId} ${key}`).toBe(200);
	});

	it('refusals are on the audit trail with who, what and the status', async () => {
		await request('/api/scenarios/[id]', 'DELETE', 'viewer');
		const [row] = await accounts.auditRows({
			action: 'scenario.delete',
			outcome: 'refused',
			limit: 1
		});
		expect(row).toMatchObject({ username: 'user-viewer', role: 'viewer', object_id: 'x-id' });
		expect(JSON.parse(row.details)).toMatchObject({ method: 'DELETE', status: 403 });
	});
});

describe('CSRF, anonymous viewing, headers', () => {
	it('refuses a write from a foreign Origin even with the right role', async () => {
		const answer = await request('/api/scenarios', 'POST', 'civil_affairs', {
			origin: 'http://evil.example'
		});
		expect(answer.status).toBe(403);
		expect((await answer.json()).code).toBe('CROSS_SITE');
		const same = await request('/api/scenarios', 'POST', 'civil_affairs', {
			origin: 'http://127.0.0.1:3000'
		});
		expect(same.status).toBe(200);
	});

	it('with anonymous viewing on, a visitor may view but not write', async () => {
		await accounts.setAnonymousViewing(true);
		try {
			expect((await request('/api/regions', 'GET', null)).status).toBe(200);
			expect((await request('/map', 'load', null)).status).toBe(200);
			expect((await request('/api/regions/[id]/report/[file]', 'GET', null)).status).toBe(401);
			expect((await request('/api/scenarios', 'POST', null)).status).toBe(401);
		} finally {
			await accounts.setAnonymousViewing(false);
		}
	});

	it('answers carry nosniff and frame protection', async () => {
		const answer = await request('/api/regions', 'GET', 'viewer');
		expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
		expect(answer.headers.get('x-frame-options')).toBe('DENY');
	});
});

describe('csrfProblem (Origin against the Host the request was sent to)', () => {
	it('passes the same host on http, refuses another host or a cross-site fetch', async () => {
		const { csrfProblem } = await import('../../src/lib/server/auth/guard.ts');
		// adapter-node without ORIGIN sees https://; the browser's Origin is http: same host, fine.
		const url = new URL('https://127.0.0.1:3000/api/scenarios');
		expect(csrfProblem('POST', url, 'http://127.0.0.1:3000', '127.0.0.1:3000')).toBeNull();
		expect(csrfProblem('POST', url, 'http://evil.example', '127.0.0.1:3000')).toBe(
			'http://evil.example'
		);
		expect(csrfProblem('DELETE', url, null, '127.0.0.1:3000', 'cross-site')).toBe('cross-site');
		expect(csrfProblem('POST', url, null, '127.0.0.1:3000')).toBeNull();
		expect(csrfProblem('GET', url, 'http://evil.example', '127.0.0.1:3000')).toBeNull();
		// Behind a proxy with ORIGIN set, ORIGIN's host is the one.
		expect(
			csrfProblem(
				'POST',
				url,
				'https://plan.gov.example',
				'internal:3000',
				null,
				'https://plan.gov.example'
			)
		).toBeNull();
	});
});

describe('records belong to an organisation (scenarios, evaluations)', () => {
	const tokenOf = new Map<string, string>();
	beforeAll(async () => {
		for (const [name, role, organization] of [
			['minzheng-a', 'civil_affairs', '民政局'],
			['minzheng-b', 'civil_affairs', '另一区民政局']
		] as const) {
			const user = await accounts.createUser({
				username: name,
				password: 'a long enough password',
				role,
				organization
			});
			tokenOf.set(name, (await accounts.startSession(user.id)).token);
		}
	});

	/** Through handle with a resolve that answers `body` as JSON. */
	async function call(
		who: string,
		routeId: string,
		method: string,
		params: Record<string, string>,
		body: unknown = { ok: true },
		search = ''
	): Promise<Response> {
		const path = routeId.replace(/\[(\w+)\]/g, (_, name: string) => params[name]);
		const url = new URL(`http://127.0.0.1:3000${path}${search}`);
		const token = who === 'admin' ? tokens.get('admin') : tokenOf.get(who);
		const event = {
			request: new Request(url, { method }),
			url,
			route: { id: routeId },
			params,
			locals: {} as App.Locals,
			cookies: {
				get: (name: string) => (name === 'cc_session' ? token : undefined),
				delete: () => undefined,
				set: () => undefined,
				getAll: () => []
			},
			getClientAddress: () => '127.0.0.1'
		};
		return handle({
			event: event as never,
			resolve: async () => Response.json(body, { status: method === 'POST' ? 201 : 200 })
		});
	}

	it('claims a new scenario for its creator’s organisation; another one neither sees nor changes it until shared, then only reads', async () => {
		const created = await call(
			'minzheng-a',
			'/api/scenarios',
			'POST',
			{},
			{ id: 'sc-1', version: 1 }
		);
		expect(created.status).toBe(201);
		const item = { id: 'sc-1' };
		expect((await call('minzheng-a', '/api/scenarios/[id]', 'GET', item)).status).toBe(200);
		expect((await call('minzheng-b', '/api/scenarios/[id]', 'GET', item)).status).toBe(404);
		expect((await call('minzheng-b', '/api/scenarios/[id]', 'PUT', item)).status).toBe(404);
		// lists: only what one may see, with the owner
		const list = [{ id: 'sc-1' }, { id: 'legacy-1' }];
		const seenByB = await (await call('minzheng-b', '/api/scenarios', 'GET', {}, list)).json();
		expect(seenByB.map((s: { id: string }) => s.id)).toEqual(['legacy-1']);
		const seenByA = await (await call('minzheng-a', '/api/scenarios', 'GET', {}, list)).json();
		expect(seenByA).toEqual([
			{ id: 'sc-1', owner: { organization: '民政局', shared: false, mine: true } },
			{ id: 'legacy-1', owner: null }
		]);
		// comparisons: both sides must be visible
		expect(
			(await call('minzheng-b', '/api/scenarios/compare', 'GET', {}, {}, '?a=sc-1&b=legacy-1'))
				.status
		).toBe(404);
		// shared: B reads and may copy it, never change or delete it; the administrator may
		const { serverOwnership } = await import('../../src/lib/server/auth/index.ts');
		await (await serverOwnership()).setShared('scenario', 'sc-1', true);
		expect((await call('minzheng-b', '/api/scenarios/[id]', 'GET', item)).status).toBe(200);
		const put = await call('minzheng-b', '/api/scenarios/[id]', 'PUT', item);
		expect(put.status).toBe(403);
		expect((await put.json()).code).toBe('OTHER_ORGANISATION');
		expect((await call('minzheng-b', '/api/scenarios/[id]', 'DELETE', item)).status).toBe(403);
		expect((await call('minzheng-b', '/api/scenarios/[id]/sharing', 'POST', item)).status).toBe(
			403
		);
		expect(
			(await call('minzheng-b', '/api/scenarios/[id]/duplicate', 'POST', item, { id: 'sc-2' }))
				.status
		).toBe(201);
		expect((await call('admin', '/api/scenarios/[id]', 'PUT', item)).status).toBe(200);
		const refused = await accounts.auditRows({ username: 'minzheng-b', outcome: 'refused' });
		expect(refused.map((row) => row.action)).toContain('scenario.save');
	});
});
