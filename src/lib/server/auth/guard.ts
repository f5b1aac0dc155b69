/**
 * The decision for one request, as a pure function of the route, the method, who is asking and
 * whether anonymous viewing is on: tested route by route (tests/server/route-guards.test.ts).
 */
import { guardOf, roleMay } from './permissions.ts';
import type { User } from './accounts.ts';

export type GuardDecision =
	{ allow: true } | { allow: false; status: 401 | 403 | 404; code: string; zh: string; en: string };

export function decide(
	routeId: string | null,
	method: string,
	url: URL,
	user: User | null,
	anonymousViewing: boolean
): GuardDecision {
	const guard = guardOf(routeId, method, url);
	if (guard === null)
		return {
			allow: false,
			status: 404,
			code: 'NOT_FOUND',
			zh: '没有这个页面或接口',
			en: 'no such page or endpoint'
		};
	if (guard === 'public') return { allow: true };
	if (!user) {
		if (guard === 'view' && anonymousViewing) return { allow: true };
		return {
			allow: false,
			status: 401,
			code: 'LOGIN_REQUIRED',
			zh: '请先登录',
			en: 'log in first'
		};
	}
	if (roleMay(user.role, guard)) return { allow: true };
	return {
		allow: false,
		status: 403,
		code: 'FORBIDDEN',
		zh: '您的角色无权执行此操作',
		en: `your role (${user.role}) may not do this (${guard})`
	};
}

/**
 * A foreign Origin on a state-changing request (CSRF), or null when the request is fine. The
 * Origin's host must be the host the request was sent to (the Host header; ORIGIN's host when the
 * server runs behind a proxy with ORIGIN set); a browser's `Sec-Fetch-Site: cross-site` is refused
 * too. Scripts and the CLI send neither and pass (they carry no browser cookies to abuse).
 * SvelteKit's own check is off (svelte.config.js) because adapter-node without ORIGIN takes every
 * request for https and would refuse the app's own forms on http.
 */
export function csrfProblem(
	method: string,
	url: URL,
	origin: string | null,
	host: string | null = null,
	fetchSite: string | null = null,
	configuredOrigin: string | undefined = undefined
): string | null {
	if (['GET', 'HEAD', 'OPTIONS'].includes(method)) return null;
	if (fetchSite === 'cross-site') return origin ?? 'cross-site';
	if (origin === null) return null;
	let from: string;
	try {
		from = new URL(origin).host;
	} catch {
		return origin;
	}
	const expected = configuredOrigin ? new URL(configuredOrigin).host : (host ?? url.host);
	return from === expected ? null : origin;
}
