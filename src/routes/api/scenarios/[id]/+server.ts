import { json } from '@sveltejs/kit';
import {
	answer,
	readJsonBody,
	scenarioRepository,
	updateScenario,
	versionParam
} from '$lib/server/scenario-api.ts';
import type { RequestHandler } from './$types';

/** GET /api/scenarios/<id>: the scenario with its results snapshot (404 unknown). */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => json(await (await scenarioRepository()).get(params.id)));

/**
 * PUT /api/scenarios/<id>: replace the plan; the body is the whole scenario plus the `version` it
 * was read at. The server recomputes the results. 409 when someone saved it since that version.
 */
export const PUT: RequestHandler = ({ params, request }) =>
	answer(async () =>
		json(await updateScenario(params.id, await readJsonBody(request), undefined, request.signal))
	);

/** DELETE /api/scenarios/<id>[?version=n]: 204; with a version, 409 when it is stale. */
export const DELETE: RequestHandler = ({ params, url }) =>
	answer(async () => {
		await (await scenarioRepository()).delete(params.id, versionParam(url));
		return new Response(null, { status: 204 });
	});
