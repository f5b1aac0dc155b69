import { json } from '@sveltejs/kit';
import { answer, evaluationRepository, readJsonBody } from '$lib/server/evaluation-api.ts';
import type { RequestHandler } from './$types';

/**
 * POST /api/evaluations/<id>/rerun [{ "save": true, "version": n }]: evaluate the saved inputs
 * again with today's rules and data → `{ saved, current, changes, stored, evaluation }`; with
 * `save` the new results are stored (version + 1; 409 when `version` is stale). 422 when the
 * inputs can no longer be evaluated (the field is named).
 */
export const POST: RequestHandler = ({ params, request }) =>
	answer(async () =>
		json(await (await evaluationRepository()).rerun(params.id, await readJsonBody(request)))
	);
