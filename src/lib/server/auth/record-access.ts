/**
 * Organisation scoping of saved records, applied in hooks.server.ts around the scenario and
 * evaluation routes (issue 14): a record another organisation has not shared is 404 (its
 * existence is not told), a shared one can be read but not changed (403); lists and comparisons
 * show only what the asker may see, each item with its owner; a record created is claimed for the
 * creator's organisation.
 */
import { json } from '@sveltejs/kit';
import type { User } from './accounts.ts';
import { maySee, mayChange, type Ownership, type RecordType } from './ownership.ts';

/** The record type and id a route works on, or the list it answers. */
export function recordRoute(
	routeId: string | null,
	params: Partial<Record<string, string>>,
	url: URL
): { type: RecordType; ids: string[]; list: boolean } | null {
	const type: RecordType | null = routeId?.startsWith('/api/scenarios')
		? 'scenario'
		: routeId?.startsWith('/api/evaluations')
			? 'evaluation'
			: null;
	if (!type || !routeId) return null;
	if (routeId === '/api/scenarios/compare')
		return {
			type,
			ids: [url.searchParams.get('a'), url.searchParams.get('b')].filter(
				(id): id is string => !!id
			),
			list: false
		};
	if (params.id) return { type, ids: [params.id], list: false };
	return { type, ids: [], list: true };
}

/** Refusal before the route runs, or null to go on. */
export async function refuseOtherOrganisation(
	ownership: Ownership,
	route: NonNullable<ReturnType<typeof recordRoute>>,
	method: string,
	routeId: string,
	user: User | null
): Promise<Response | null> {
	if (!route.ids.length) return null;
	const owners = await ownership.owners(route.type, route.ids);
	const write = !['GET', 'HEAD'].includes(method);
	// Duplicating reads the source (it creates a copy for the asker's organisation).
	const changes = write && !routeId.endsWith('/duplicate');
	for (const id of route.ids) {
		const owner = owners.get(id);
		if (!maySee(owner, user))
			return json(
				{ code: 'NOT_FOUND', message: `没有这个记录 / no such ${route.type} (${id})` },
				{ status: 404 }
			);
		if (changes && !mayChange(owner, user))
			return json(
				{
					code: 'OTHER_ORGANISATION',
					message: `该记录属于${owner?.organizationName ?? '其他单位'}，只能查看 / this ${route.type} belongs to ${owner?.organizationName}: read only`
				},
				{ status: 403 }
			);
	}
	return null;
}

/** A list answer: only the visible items, each with `owner` { organization, shared, mine }. */
export async function filterList(
	ownership: Ownership,
	type: RecordType,
	response: Response,
	user: User | null
): Promise<Response> {
	if (!response.ok || !response.headers.get('content-type')?.includes('application/json'))
		return response;
	const items = (await response.clone().json()) as unknown;
	if (!Array.isArray(items)) return response;
	const ids = items
		.map((item) => (item as { id?: unknown }).id)
		.filter((id): id is string => typeof id === 'string');
	const owners = await ownership.owners(type, ids);
	const visible = items
		.filter((item) => maySee(owners.get((item as { id: string }).id), user))
		.map((item) => {
			const owner = owners.get((item as { id: string }).id);
			return {
				...(item as object),
				owner: owner
					? {
							organization: owner.organizationName,
							shared: owner.shared,
							mine: !!user && user.organizationId === owner.organizationId
						}
					: null
			};
		});
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	return json(visible, { status: response.status, headers });
}

/**
 * POST …/<id>/sharing { shared: boolean } for either record type: let other organisations see
 * it (read only), or stop. The hooks have already checked that the asker may change it.
 */
export async function setSharing(
	ownership: Ownership,
	type: RecordType,
	id: string,
	request: Request,
	by: string | null
): Promise<Response> {
	const body = (await request.json().catch(() => null)) as { shared?: unknown } | null;
	if (typeof body?.shared !== 'boolean')
		return json(
			{ code: 'INVALID_SHARING', message: 'expected { "shared": true | false }' },
			{ status: 400 }
		);
	const owner = (await ownership.owners(type, [id])).get(id);
	if (!owner)
		return json(
			{
				code: 'NOT_OWNED',
				message: `此记录早于账户功能，对所有单位可见 / this ${type} predates accounts and is open to all`
			},
			{ status: 409 }
		);
	await ownership.setShared(type, id, body.shared);
	return json({ id, shared: body.shared, organization: owner.organizationName, by });
}
