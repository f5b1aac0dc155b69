/**
 * What the /api/scenarios routes share: the repository on the server's database, request bodies
 * parsed as scenarios, the results recomputed on the server, and errors answered as JSON
 * `{ code, message }` (plus `field` for invalid input, `currentVersion` for a stale save) with the
 * status of the error's code: 400 invalid, 404 unknown scenario, 409 stale version.
 */
import { json } from '@sveltejs/kit';
import { serverDatabase } from './db/database.ts';
import {
	parseOrThrow,
	scenarioInputSchema,
	scenarioUpdateSchema,
	ScenarioError,
	type Scenario
} from './db/scenario-model.ts';
import { ScenarioRepository } from './db/scenarios.ts';
import { computeScenarioResults, type ScenarioDataDirs } from './scenario-results.ts';

export async function scenarioRepository(): Promise<ScenarioRepository> {
	return new ScenarioRepository((await serverDatabase()).db);
}

/** The request body as JSON, or INVALID_JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
	const text = await request.text();
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new ScenarioError(
			'INVALID_JSON',
			`the request body is not JSON (${(error as Error).message})`
		);
	}
}

/** An error as the API's JSON answer; anything that is not a ScenarioError is a 500. */
export function errorResponse(error: unknown): Response {
	if (error instanceof ScenarioError) {
		return json(
			{
				code: error.code,
				message: error.message,
				...(error.field !== undefined ? { field: error.field } : {}),
				...(error.currentVersion !== undefined ? { currentVersion: error.currentVersion } : {})
			},
			{ status: error.status }
		);
	}
	const code = (error as { code?: unknown })?.code;
	console.error('scenario API:', error);
	return json(
		{
			code: typeof code === 'string' ? code : 'INTERNAL_ERROR',
			message: `the server could not complete the request: ${(error as Error)?.message ?? error}`
		},
		{ status: 500 }
	);
}

/** Run a handler; its ScenarioErrors (and anything else) become JSON error answers. */
export async function answer(handler: () => Promise<Response>): Promise<Response> {
	try {
		return await handler();
	} catch (error) {
		return errorResponse(error);
	}
}

/** POST /api/scenarios: validate, compute on the server, save as version 1. */
export async function createScenario(body: unknown, dirs?: ScenarioDataDirs): Promise<Scenario> {
	const input = parseOrThrow(scenarioInputSchema, body ?? {});
	const results = computeScenarioResults(input, dirs);
	return (await scenarioRepository()).create(input, results);
}

/**
 * PUT /api/scenarios/<id>: validate, refuse early when the version is already stale or the
 * region differs (before computing), compute, save if still at that version.
 */
export async function updateScenario(
	id: string,
	body: unknown,
	dirs?: ScenarioDataDirs
): Promise<Scenario> {
	const input = parseOrThrow(scenarioUpdateSchema, body ?? {});
	const repository = await scenarioRepository();
	const stored = await repository.get(id);
	if (stored.regionId !== input.regionId)
		throw new ScenarioError(
			'INVALID_SCENARIO',
			`field "regionId": scenario "${id}" belongs to region "${stored.regionId}"; a scenario ` +
				'cannot move to another region (duplicate it there instead)',
			{ field: 'regionId' }
		);
	if (stored.version !== input.version)
		throw new ScenarioError(
			'STALE_VERSION',
			`scenario "${id}" was saved by someone else since version ${input.version} (now version ` +
				`${stored.version}): reload it, reapply your changes and save again`,
			{ currentVersion: stored.version }
		);
	const results = computeScenarioResults(input, dirs);
	// The repository checks the version again inside its transaction: a save that raced this one
	// between the check above and here is still refused.
	return repository.update(id, input, results);
}

/** A positive integer query parameter, or undefined when absent. */
export function versionParam(url: URL, name = 'version'): number | undefined {
	const text = url.searchParams.get(name);
	if (text === null) return undefined;
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1)
		throw new ScenarioError(
			'INVALID_SCENARIO',
			`field "${name}": expected a version number (1, 2, …), got "${text}"`,
			{ field: name }
		);
	return value;
}

/** A required query parameter, or INVALID_SCENARIO naming it. */
export function requiredParam(url: URL, name: string): string {
	const value = url.searchParams.get(name)?.trim();
	if (!value)
		throw new ScenarioError('INVALID_SCENARIO', `field "${name}": the query needs ?${name}=<id>`, {
			field: name
		});
	return value;
}
