/**
 * The /api/scenarios routes (issue 6), their handlers called directly on a temporary SQLite file
 * (CARECIRCLE_DB) and the demo region: the server computes every results snapshot with the engine
 * and ignores numbers sent by the client; a planned station on 梅一小区 (osm-406771008, 16.7
 * minutes from the only existing facility) raises its street's elders covered in the comparison;
 * errors are JSON `{ code, message }` with 400 (field named), 404 and 409.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServerDatabase } from '../../src/lib/server/db/database.ts';
import type { Scenario, ScenarioComparison } from '../../src/lib/server/db/scenario-model.ts';
import * as collection from '../../src/routes/api/scenarios/+server.ts';
import * as item from '../../src/routes/api/scenarios/[id]/+server.ts';
import * as duplicateRoute from '../../src/routes/api/scenarios/[id]/duplicate/+server.ts';
import * as compareRoute from '../../src/routes/api/scenarios/compare/+server.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const DEMO = 'shanghai-bund-lujiazui';
const MEIYI = 'osm-406771008';
const EXISTING_FACILITY = 'facility-csv-row-6';

const residential = JSON.parse(
	readFileSync(join(repoRoot, 'data/regions', DEMO, 'residential.geojson'), 'utf8')
) as {
	features: {
		geometry: { type: string; coordinates: number[][][] };
		properties: { id: string; elders: number };
	}[];
};
const meiyi = residential.features.find((feature) => feature.properties.id === MEIYI)!;
/** The mean of 梅一小区's outer ring: a point inside the compound. */
const MEIYI_CENTRE = (() => {
	const ring = meiyi.geometry.coordinates[0].slice(0, -1);
	const sum = ring.reduce((acc, [lon, lat]) => [acc[0] + lon, acc[1] + lat], [0, 0]);
	return [sum[0] / ring.length, sum[1] / ring.length] as [number, number];
})();

/** The CLI's street table for the demo region at default settings (npm run analyze's golden). */
const cliStreets = Papa.parse<Record<string, string>>(
	readFileSync(
		join(repoRoot, 'tests/scripts/fixtures/analyze', DEMO, 'streets.csv'),
		'utf8'
	).replace(/^\uFEFF/, ''),
	{ header: true, skipEmptyLines: true }
).data;

const base = {
	name: '现状（基准）',
	regionId: DEMO,
	profileId: 'qingdao-laoshan-2024',
	settings: { maxMinutes: 15, walkSpeedMps: 1, stepPenaltyS: 0 }
};
const stationOnMeiyi = {
	id: 'planned-meiyi',
	name: '梅一小区社区养老服务站（规划）',
	kind: 'community_station',
	floorAreaM2: 300,
	position: MEIYI_CENTRE
};

type Handler = (event: never) => Response | Promise<Response>;
async function call(
	handler: Handler,
	options: { method?: string; path?: string; params?: Record<string, string>; body?: unknown } = {}
): Promise<{ status: number; body: unknown; headers: Headers }> {
	const url = new URL(`http://localhost${options.path ?? '/api/scenarios'}`);
	const init: RequestInit = { method: options.method ?? 'GET' };
	if (options.body !== undefined)
		init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
	const response = await handler({
		url,
		params: options.params ?? {},
		request: new Request(url, init)
	} as never);
	const text = await response.text();
	return {
		status: response.status,
		body: text ? JSON.parse(text) : null,
		headers: response.headers
	};
}

const create = (body: unknown) => call(collection.POST, { method: 'POST', body });
const get = (id: string) => call(item.GET, { path: `/api/scenarios/${id}`, params: { id } });
const put = (id: string, body: unknown) =>
	call(item.PUT, { method: 'PUT', path: `/api/scenarios/${id}`, params: { id }, body });
const compare = (a: string, b: string) =>
	call(compareRoute.GET, { path: `/api/scenarios/compare?a=${a}&b=${b}` });

describe('/api/scenarios on the demo region', () => {
	let dir: string;
	const saved = new Map<string, Scenario>();

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-scenarios-api-'));
		delete process.env.DATABASE_URL;
		process.env.CARECIRCLE_DB = join(dir, 'api.sqlite');
	});
	afterAll(async () => {
		await closeServerDatabase();
		delete process.env.CARECIRCLE_DB;
		rmSync(dir, { recursive: true, force: true });
	});

	it('creates a scenario with results computed on the server, ignoring the client’s numbers', async () => {
		const response = await create({
			...base,
			results: { summary: { eldersCovered: 999_999 }, streets: [] } // must be ignored
		});
		expect(response.status).toBe(201);
		const scenario = response.body as Scenario;
		expect(response.headers.get('location')).toBe(`/api/scenarios/${scenario.id}`);
		expect(scenario).toMatchObject({ ...base, version: 1, planned: [], moved: {}, removed: [] });
		// The baseline equals the CLI's analysis of the region (npm run analyze golden).
		expect(scenario.results.streets).toHaveLength(cliStreets.length);
		const [cli] = cliStreets;
		expect(scenario.results.streets[0]).toEqual({
			code: cli.code || null,
			name: cli.name,
			elders: Number(cli.elders),
			eldersCovered: Number(cli.elders_covered),
			deficitM2: Number(cli.deficit_m2),
			verdict: cli.verdict
		});
		expect(scenario.results.summary.eldersCovered).toBe(Number(cli.elders_covered));
		saved.set('base', scenario);
	});

	it('answers an invalid scenario with 400 and the field named', async () => {
		const cases: [unknown, string, string][] = [
			[{ ...base, name: '' }, 'INVALID_SCENARIO', 'name'],
			[
				{ ...base, settings: { ...base.settings, walkSpeedMps: 0 } },
				'INVALID_SCENARIO',
				'settings.walkSpeedMps'
			],
			[
				{ ...base, planned: [{ ...stationOnMeiyi, position: [121.5, 91] }] },
				'INVALID_SCENARIO',
				'planned.0.position.1'
			],
			[{ ...base, regionId: 'atlantis' }, 'INVALID_SCENARIO', 'regionId'],
			[{ ...base, profileId: 'no-such-profile' }, 'INVALID_SCENARIO', 'profileId'],
			[
				{ ...base, planned: [{ ...stationOnMeiyi, id: EXISTING_FACILITY }] },
				'INVALID_SCENARIO',
				'planned.0.id'
			],
			[
				{ ...base, moved: { 'no-such-station': [121.5, 31.2] } },
				'INVALID_SCENARIO',
				'moved.no-such-station'
			],
			[{ ...base, removed: ['no-such-station'] }, 'INVALID_SCENARIO', 'removed.0']
		];
		for (const [body, code, field] of cases) {
			const response = await create(body);
			expect(response.status, field).toBe(400);
			expect(response.body).toMatchObject({ code, field });
			expect((response.body as { message: string }).message).toContain(field);
		}
		const notJson = await create('{"name": ');
		expect(notJson.status).toBe(400);
		expect(notJson.body).toMatchObject({ code: 'INVALID_JSON' });
		const listed = await call(collection.GET, { path: `/api/scenarios?region=${DEMO}` });
		expect((listed.body as unknown[]).length).toBe(1); // nothing invalid was saved
	});

	it('a planned station on 梅一小区 raises its street’s elders covered in the comparison', async () => {
		const response = await create({
			...base,
			name: '方案：梅一小区新增站点',
			planned: [stationOnMeiyi]
		});
		expect(response.status).toBe(201);
		const plan = response.body as Scenario;
		saved.set('plan', plan);

		const comparison = await compare(saved.get('base')!.id, plan.id);
		expect(comparison.status).toBe(200);
		const result = comparison.body as ScenarioComparison;
		expect(result.settingsDiffer).toBe(false);
		expect(result.profileDiffers).toBe(false);
		// 梅一小区 has no street code: it is counted in the unassigned street (code null).
		const street = result.streets.find((row) => row.code === null)!;
		expect(street.name).toBe('未划分街道');
		expect(street.b!.eldersCovered! - street.a!.eldersCovered!).toBe(street.eldersCoveredChange);
		// At least 梅一小区's own elders come inside the circle.
		expect(street.eldersCoveredChange).toBeGreaterThanOrEqual(meiyi.properties.elders);
		// The station's 300 m² inside the compound meets its requirement: the deficit shrinks.
		expect(street.deficitM2Change).toBeLessThan(0);
		expect(result.summary.eldersCovered.change).toBe(street.eldersCoveredChange);
	});

	it('lists per region, reads one, answers 404 for an unknown id', async () => {
		const list = await call(collection.GET, { path: `/api/scenarios?region=${DEMO}` });
		expect(list.status).toBe(200);
		expect((list.body as { id: string }[]).map((row) => row.id).sort()).toEqual(
			[saved.get('base')!.id, saved.get('plan')!.id].sort()
		);
		const none = await call(collection.GET, { path: '/api/scenarios?region=qingdao-laoshan' });
		expect(none.body).toEqual([]);
		const bad = await call(collection.GET, { path: '/api/scenarios?region=../etc' });
		expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_SCENARIO', field: 'region' } });

		const one = await get(saved.get('plan')!.id);
		expect(one).toMatchObject({ status: 200, body: saved.get('plan') });
		const missing = await get('no-such-id');
		expect(missing).toMatchObject({ status: 404, body: { code: 'SCENARIO_NOT_FOUND' } });
	});

	it('updates with recomputed results; a stale version is 409, another region 400', async () => {
		const plan = saved.get('plan')!;
		// Removing the only existing facility as well: the server's numbers must follow.
		const response = await put(plan.id, {
			...plan,
			removed: [EXISTING_FACILITY],
			results: saved.get('base')!.results // a client's numbers, ignored
		});
		expect(response.status).toBe(200);
		const updated = response.body as Scenario;
		expect(updated).toMatchObject({ version: 2, removed: [EXISTING_FACILITY] });
		expect(updated.results.summary.facilities).toBe(1); // the planned station only
		expect(updated.results.summary.eldersCovered).toBeLessThan(plan.results.summary.eldersCovered!);
		expect(updated.results.summary.eldersCovered).toBeGreaterThanOrEqual(meiyi.properties.elders);

		const stale = await put(plan.id, { ...plan, name: '旧版本上的修改' });
		expect(stale.status).toBe(409);
		expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: 2 });
		expect((await get(plan.id)).body).toEqual(updated);

		const elsewhere = await put(plan.id, { ...updated, regionId: 'qingdao-laoshan' });
		expect(elsewhere).toMatchObject({ status: 400, body: { field: 'regionId' } });
		const missing = await put('no-such-id', { ...updated });
		expect(missing.status).toBe(404);
		const invalid = await put(plan.id, { ...updated, version: 'two' });
		expect(invalid).toMatchObject({ status: 400, body: { field: 'version' } });
		saved.set('plan', updated);
	});

	it('duplicates, compares with a missing side as 400/404, deletes with 204 then 404', async () => {
		const plan = saved.get('plan')!;
		const copy = await call(duplicateRoute.POST, {
			method: 'POST',
			path: `/api/scenarios/${plan.id}/duplicate`,
			params: { id: plan.id },
			body: { name: '方案副本' }
		});
		expect(copy.status).toBe(201);
		const duplicate = copy.body as Scenario;
		expect(duplicate).toMatchObject({ name: '方案副本', version: 1, planned: plan.planned });
		expect(duplicate.results).toEqual(plan.results);
		expect(duplicate.id).not.toBe(plan.id);

		const same = await compare(plan.id, duplicate.id);
		expect(
			(same.body as ScenarioComparison).streets.every(
				(street) => street.eldersCoveredChange === 0 && street.deficitM2Change === 0
			)
		).toBe(true);
		const noB = await call(compareRoute.GET, { path: `/api/scenarios/compare?a=${plan.id}` });
		expect(noB).toMatchObject({ status: 400, body: { code: 'INVALID_SCENARIO', field: 'b' } });
		expect((await compare(plan.id, 'no-such-id')).status).toBe(404);

		const remove = (id: string, query = '') =>
			call(item.DELETE, {
				method: 'DELETE',
				path: `/api/scenarios/${id}${query}`,
				params: { id }
			});
		expect(await remove(duplicate.id, '?version=7')).toMatchObject({
			status: 409,
			body: { code: 'STALE_VERSION', currentVersion: 1 }
		});
		expect((await remove(duplicate.id, '?version=1')).status).toBe(204);
		expect((await get(duplicate.id)).status).toBe(404);
		expect((await remove(duplicate.id)).status).toBe(404);
	});
});
