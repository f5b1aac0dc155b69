import { serverOwnership } from '$lib/server/auth/index.ts';
import { setSharing } from '$lib/server/auth/record-access.ts';
import type { RequestHandler } from './$types';

/** POST /api/scenarios/<id>/sharing { shared: boolean }: share this scenario with other organisations (read only), or stop. */
export const POST: RequestHandler = async ({ params, request, locals }) =>
	setSharing(
		await serverOwnership(),
		'scenario',
		params.id,
		request,
		locals.user?.username ?? null
	);
