import { json } from '@sveltejs/kit';
import { answer, requiredParam, scenarioRepository } from '$lib/server/scenario-api.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/scenarios/compare?a=<id>&b=<id>: two scenarios of one region per street side by side
 * (elders covered, deficit m², verdict) with the differences b − a.
 */
export const GET: RequestHandler = ({ url }) =>
	answer(async () =>
		json(
			await (await scenarioRepository()).compare(requiredParam(url, 'a'), requiredParam(url, 'b'))
		)
	);
