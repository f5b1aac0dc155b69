import { serverOwnership } from '$lib/server/auth/index.ts';
import { setSharing } from '$lib/server/auth/record-access.ts';
import type { RequestHandler } from './$types';

/** POST /api/evaluations/<id>/sharing { shared: boolean }: share this evaluation with other organisations (read only), or stop. */
export const POST: RequestHandler = async ({ params, request, locals }) =>
	setSharing(
		await serverOwnership(),
		'evaluation',
		params.id,
		request,
		locals.user?.username ?? null
	);
