import { json } from '@sveltejs/kit';
import {
	answer,
	evaluationRepository,
	readJsonBody,
	regionParam
} from '$lib/server/evaluation-api.ts';
import type { RequestHandler } from './$types';

/** GET /api/evaluations[?region=<id>]: saved evaluations (of one region), most recently saved first. */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => json(await (await evaluationRepository()).list(regionParam(url))));

/**
 * POST /api/evaluations: save a new evaluation `{ name, regionId, profileId?, inputs }`. The
 * server evaluates the inputs (results sent by the client are ignored); 201 with the evaluation
 * at version 1.
 */
export const POST: RequestHandler = ({ request }) =>
	answer(async () => {
		const saved = await (await evaluationRepository()).create(await readJsonBody(request));
		return json(saved, { status: 201, headers: { location: `/api/evaluations/${saved.id}` } });
	});
