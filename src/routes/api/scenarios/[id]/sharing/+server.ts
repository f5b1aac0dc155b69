import { json } from '@sveltejs/kit';
import { serverOwnership } from '$lib/server/auth/index.ts';
import type { RequestHandler } from './$types';

/**
 * POST /api/scenarios/<id>/sharing { shared: boolean }: let other organisations see this scenario (read
 * only), or stop (issue 14). Only its organisation (or the administrator) gets here (hooks).
 */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	const body = (await request.json().catch(() => null)) as { shared?: unknown } | null;
	if (typeof body?.shared !== 'boolean')
		return json(
			{ code: 'INVALID_SHARING', message: 'expected { "shared": true | false }' },
			{ status: 400 }
		);
	const ownership = await serverOwnership();
	const owner = (await ownership.owners('scenario', [params.id])).get(params.id);
	if (!owner)
		return json(
			{
				code: 'NOT_OWNED',
				message:
					'此记录早于账户功能，对所有单位可见 / this scenario predates accounts and is open to all'
			},
			{ status: 409 }
		);
	await ownership.setShared('scenario', params.id, body.shared);
	return json({
		id: params.id,
		shared: body.shared,
		organization: owner.organizationName,
		by: locals.user?.username
	});
};
