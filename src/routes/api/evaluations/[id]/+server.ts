import { json } from '@sveltejs/kit';
import {
	answer,
	evaluationRepository,
	readJsonBody,
	versionParam
} from '$lib/server/evaluation-api.ts';
import type { RequestHandler } from './$types';

/** GET /api/evaluations/<id>: the evaluation with its inputs and saved results (404 unknown). */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => json(await (await evaluationRepository()).get(params.id)));

/**
 * PUT /api/evaluations/<id>: replace name, profile and inputs; the body is the whole evaluation
 * request plus the `version` it was read at. The server evaluates again. 409 when someone saved it
 * since that version.
 */
export const PUT: RequestHandler = ({ params, request }) =>
	answer(async () =>
		json(await (await evaluationRepository()).update(params.id, await readJsonBody(request)))
	);

/** DELETE /api/evaluations/<id>[?version=n]: 204; with a version, 409 when it is stale. */
export const DELETE: RequestHandler = ({ params, url }) =>
	answer(async () => {
		await (await evaluationRepository()).delete(params.id, versionParam(url));
		return new Response(null, { status: 204 });
	});
