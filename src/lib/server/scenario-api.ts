/**
 * What the /api/scenarios routes share: the repository on the server's database, request bodies
 * parsed as scenarios, the results recomputed on the server, and errors answered as JSON
 * `{ code, message }` (plus `field` for invalid input, `currentVersion` for a stale save) with the
 * status of the error's code: 400 invalid, 404 unknown scenario, 409 stale version.
 */
import { jsonApi, type ApiError } from './json-api.ts';
import { serverDatabase } from './db/database.ts';
import {
	parseOrThrow,
	scenarioInputSchema,
	scenarioUpdateSchema,
	ScenarioError,
	type Scenario
} from './db/scenario-model.ts';
import { ScenarioRepository } from './db/scenarios.ts';
import { computePool } from './compute-pool.ts';
import { defaultProfilesDir } from './profile-store.ts';
import { defaultRegionsDir } from './region-store.ts';
import type { ScenarioDataDirs } from './scenario-results.ts';
import type { ScenarioInput, ScenarioResults } from './db/scenario-model.ts';

/** A scenario's results, computed in the compute pool (the folders resolved here, not in a worker). */
function computeInPool(
	input: ScenarioInput,
	dirs: ScenarioDataDirs = { regionsDir: defaultRegionsDir(), profilesDir: defaultProfilesDir() },
	signal?: AbortSignal
): Promise<ScenarioResults> {
	return computePool().run('computeScenarioResults', [input, dirs], { signal });
}

export async function scenarioRepository(): Promise<ScenarioRepository> {
	return new ScenarioRepository((await serverDatabase()).db);
}

export const { readJsonBody, errorResponse, answer } = jsonApi(
	(error): error is ApiError => error instanceof ScenarioError,
	(message) => new ScenarioError('INVALID_JSON', message),
	'scenario API'
);

/** POST /api/scenarios: validate, compute on the server, save as version 1. */
export async function createScenario(
	body: unknown,
	dirs?: ScenarioDataDirs,
	signal?: AbortSignal
): Promise<Scenario> {
	const input = parseOrThrow(scenarioInputSchema, body ?? {});
	const results = await computeInPool(input, dirs, signal);
	return (await scenarioRepository()).create(input, results);
}

/**
 * PUT /api/scenarios/<id>: validate, refuse early when the version is already stale or the
 * region differs (before computing), compute, save if still at that version.
 */
export async function updateScenario(
	id: string,
	body: unknown,
	dirs?: ScenarioDataDirs,
	signal?: AbortSignal
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
	const results = await computeInPool(input, dirs, signal);
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
