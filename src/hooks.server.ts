/**
 * Every request (issue 14): its body-size limit (body-limits.ts); who is asking (the session
 * cookie); whether a cross-site page sent it (CSRF: a foreign Origin is refused); what its route
 * needs (server/auth/permissions.ts ROUTE_GUARDS: 401 without a session, 403 for a role without
 * the right, 404 for a route with no guard); the audit trail of every API write and refusal;
 * security headers on every answer; errors without stack traces or paths.
 */
import {
	json,
	redirect,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { checkBodySize } from '$lib/server/body-limits.ts';
import { computePool } from '$lib/server/compute-pool.ts';
import {
	apiAction,
	serverAccounts,
	serverOwnership,
	SESSION_COOKIE
} from '$lib/server/auth/index.ts';
import {
	filterList,
	recordRoute,
	refuseOtherOrganisation
} from '$lib/server/auth/record-access.ts';
import { csrfProblem, decide } from '$lib/server/auth/guard.ts';
import { setupLink } from '$lib/server/auth/setup.ts';

/**
 * On start: the compute pool's workers load their modules now, not on the first report or save;
 * with no account yet, print the one-time link that creates the first administrator.
 */
export const init: ServerInit = async () => {
	computePool();
	try {
		const accounts = await serverAccounts();
		if ((await accounts.userCount()) === 0) {
			const link = setupLink();
			console.log(
				link
					? `carecircle: 还没有任何账户。打开一次性链接创建管理员 / no account yet — create the administrator at:\n  ${link}`
					: 'carecircle: 还没有任何账户：运行 npm run user:add 创建管理员 / no account yet: run npm run user:add'
			);
		}
	} catch (error) {
		console.error(`carecircle: the database could not be opened: ${(error as Error).message}`);
	}
};

/** Routes whose answer is a new saved record, claimed for the creator's organisation. */
const CREATES = new Set([
	'/api/scenarios POST',
	'/api/scenarios/[id]/duplicate POST',
	'/api/evaluations POST'
]);

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin'
};

export const handle: Handle = async ({ event, resolve }) => {
	const tooLarge = checkBodySize(event.request, event.url.pathname);
	if (tooLarge) return withHeaders(tooLarge);

	const accounts = await serverAccounts();
	const token = event.cookies.get(SESSION_COOKIE);
	const user = await accounts.sessionUser(token);
	if (token && !user) event.cookies.delete(SESSION_COOKIE, { path: '/' });
	event.locals.user = user;
	const method = event.request.method;
	const routeId = event.route.id;
	const isApi = event.url.pathname.startsWith('/api/');
	const address = clientAddress(event);

	const headers = event.request.headers;
	const foreign = csrfProblem(
		method,
		event.url,
		headers.get('origin'),
		headers.get('host'),
		headers.get('sec-fetch-site'),
		process.env.ORIGIN
	);
	if (foreign) {
		await accounts.audit({
			action: 'csrf_refused',
			outcome: 'refused',
			user,
			address,
			details: { method, path: event.url.pathname, origin: foreign }
		});
		return withHeaders(
			json(
				{
					code: 'CROSS_SITE',
					message: `请求来自其他网站（${foreign}），已拒绝 / cross-site request refused`
				},
				{ status: 403 }
			)
		);
	}

	const decision = decide(routeId, method, event.url, user, await accounts.anonymousViewing());
	if (!decision.allow) {
		if (decision.status !== 404)
			await accounts.audit({
				...apiAction(routeId, method),
				outcome: 'refused',
				user,
				address,
				objectId: event.params.id ?? event.params.job ?? null,
				details: { method, path: event.url.pathname, status: decision.status, code: decision.code }
			});
		if (!isApi && decision.status === 401 && method === 'GET')
			redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		return withHeaders(
			json(
				{ code: decision.code, message: `${decision.zh} / ${decision.en}` },
				{ status: decision.status }
			)
		);
	}

	// Saved records belong to an organisation: another's unshared record is not there for you.
	const records = recordRoute(routeId, event.params, event.url);
	const ownership = records ? await serverOwnership() : null;
	if (records && ownership) {
		const refused = await refuseOtherOrganisation(ownership, records, method, routeId ?? '', user);
		if (refused) {
			await accounts.audit({
				...apiAction(routeId, method),
				outcome: 'refused',
				user,
				address,
				objectId: records.ids.join(',') || null,
				details: {
					method,
					path: event.url.pathname,
					status: refused.status,
					code: 'OTHER_ORGANISATION'
				}
			});
			return withHeaders(refused);
		}
	}

	let response = await resolve(event);
	if (records && ownership && records.list && method === 'GET')
		response = await filterList(ownership, records.type, response, user);
	if (isApi && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
		// One read of the write's answer: the new record's id to claim, the audit's object and version.
		const body = await jsonBody(response);
		if (records && ownership && user && CREATES.has(`${routeId} ${method}`) && response.ok)
			if (typeof body?.id === 'string')
				await ownership.claim(records.type, body.id, user.organizationId);
		await auditWrite(event, response, body, address);
	}
	return withHeaders(response, !isApi);
};

/** A JSON answer's body, read from a copy (the client still gets the stream); null otherwise. */
async function jsonBody(response: Response): Promise<Record<string, unknown> | null> {
	if (!response.headers.get('content-type')?.includes('application/json')) return null;
	return (await response
		.clone()
		.json()
		.catch(() => null)) as Record<string, unknown> | null;
}

async function auditWrite(
	event: Parameters<Handle>[0]['event'],
	response: Response,
	body: Record<string, unknown> | null,
	address: string | null
): Promise<void> {
	const method = event.request.method;
	const { action, objectType } = apiAction(event.route.id, method);
	const nested = (body?.evaluation ?? body?.scenario) as Record<string, unknown> | undefined;
	const version = body?.version ?? nested?.version;
	await (
		await serverAccounts()
	).audit({
		action,
		objectType,
		outcome: response.status < 400 ? 'ok' : 'failed',
		user: event.locals.user,
		address,
		objectId:
			event.params.id ?? event.params.job ?? (typeof body?.id === 'string' ? body.id : null),
		objectVersion: typeof version === 'number' ? version : null,
		details: { method, path: event.url.pathname, status: response.status }
	});
}

function clientAddress(event: Parameters<Handle>[0]['event']): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

function withHeaders(response: Response, page = false): Response {
	try {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
		// Pages carry svelte.config.js's CSP; anything else a page-like answer gets at least this.
		if (page && !response.headers.has('content-security-policy'))
			response.headers.set('content-security-policy', "frame-ancestors 'none'; object-src 'none'");
		return response;
	} catch {
		// Immutable headers (a fetched response): copy it.
		const copy = new Response(response.body, response);
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) copy.headers.set(name, value);
		return copy;
	}
}

/** An unexpected error: logged with its stack on the server, answered with an id only. */
export const handleError: HandleServerError = ({ error, status }) => {
	const id = randomUUID().slice(0, 8);
	if (status !== 404) console.error(`carecircle error ${id}:`, error);
	return {
		message:
			status === 404 ? 'Not Found' : `服务器内部错误（编号 ${id}） / internal error (id ${id})`,
		code: status === 404 ? 'NOT_FOUND' : 'INTERNAL_ERROR'
	};
};
