import { json } from '@sveltejs/kit';
import { answer, readJsonBody, scenarioRepository } from '$lib/server/scenario-api.ts';
import type { RequestHandler } from './$types';

/**
 * POST /api/scenarios/<id>/duplicate [{ "name": "…" }]: a copy at version 1 with the same plan and
 * results snapshot, named as given or "<name>（副本）". 201 with the copy.
 */
export const POST: RequestHandler = ({ params, request }) =>
	answer(async () => {
		const body = (await readJsonBody(request)) as { name?: unknown } | undefined;
		const copy = await (
			await scenarioRepository()
		).duplicate(params.id, body?.name === undefined ? undefined : (body.name as string));
		return json(copy, { status: 201, headers: { location: `/api/scenarios/${copy.id}` } });
	});
