import { json } from '@sveltejs/kit';
import { ScenarioError } from '$lib/server/db/scenario-model.ts';
import {
	answer,
	createScenario,
	readJsonBody,
	scenarioRepository
} from '$lib/server/scenario-api.ts';
import type { RequestHandler } from './$types';

const REGION_ID = /^[a-z0-9][a-z0-9-]*$/;

/** GET /api/scenarios[?region=<id>]: saved scenarios (of one region), most recently saved first. */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => {
		const region = url.searchParams.get('region') ?? undefined;
		if (region !== undefined && !REGION_ID.test(region))
			throw new ScenarioError(
				'INVALID_SCENARIO',
				`field "region": "${region}" is not a region id`,
				{
					field: 'region'
				}
			);
		return json(await (await scenarioRepository()).list(region));
	});

/**
 * POST /api/scenarios: save a new scenario (name, regionId, profileId, settings, planned, moved,
 * removed, notes). The server computes its results; 201 with the scenario at version 1.
 */
export const POST: RequestHandler = ({ request }) =>
	answer(async () => {
		const scenario = await createScenario(await readJsonBody(request), undefined, request.signal);
		return json(scenario, {
			status: 201,
			headers: { location: `/api/scenarios/${scenario.id}` }
		});
	});
