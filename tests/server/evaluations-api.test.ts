/**
 * The /api/evaluations routes (issue 7, item 4), their handlers called directly on a temporary
 * SQLite file (CARECIRCLE_DB), a temporary copy of the demo region (CARECIRCLE_REGIONS_DIR) and of
 * the profiles (CARECIRCLE_PROFILES_DIR): the server computes every result and ignores numbers sent
 * by the client; a re-run with unchanged data lists no change, and after a new care facility near
 * the project and a new profile version it lists the nearest station, the region's changed file and
 * the profile version; the report is the printable HTML with the saved verdict; errors are JSON
 * `{ code, message, field? }` with 400, 404, 409 and 422.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_VERDICT, zhOf } from '../../src/lib/engine/labels.ts';
import { closeServerDatabase } from '../../src/lib/server/db/database.ts';
import type {
	EvaluationListItem,
	EvaluationRerun,
	SavedEvaluation
} from '../../src/lib/server/db/evaluation-model.ts';
import * as collection from '../../src/routes/api/evaluations/+server.ts';
import * as item from '../../src/routes/api/evaluations/[id]/+server.ts';
import * as reportRoute from '../../src/routes/api/evaluations/[id]/report/+server.ts';
import * as rerunRoute from '../../src/routes/api/evaluations/[id]/rerun/+server.ts';
import {
	areaRule,
	editProfile,
	EXISTING_FACILITY,
	PROFILE,
	profilesCopy,
	REGION,
	repoRoot,
	REQUEST,
	STATION
} from './evaluations-contract.ts';

const VERDICT_ZH = zhOf(PROJECT_VERDICT);

type Handler = (event: never) => Response | Promise<Response>;
async function call(
	handler: Handler,
	options: { method?: string; path?: string; params?: Record<string, string>; body?: unknown } = {}
): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
	const url = new URL(`http://localhost${options.path ?? '/api/evaluations'}`);
	const init: RequestInit = { method: options.method ?? 'GET' };
	if (options.body !== undefined)
		init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
	const response = await handler({
		url,
		params: options.params ?? {},
		request: new Request(url, init)
	} as never);
	const text = await response.text();
	const isJson = response.headers.get('content-type')?.includes('json');
	return {
		status: response.status,
		body: isJson && text ? JSON.parse(text) : null,
		text,
		headers: response.headers
	};
}

const create = (body: unknown) => call(collection.POST, { method: 'POST', body });
const get = (id: string) => call(item.GET, { path: `/api/evaluations/${id}`, params: { id } });
const put = (id: string, body: unknown) =>
	call(item.PUT, { method: 'PUT', path: `/api/evaluations/${id}`, params: { id }, body });
const rerun = (id: string, body?: unknown) =>
	call(rerunRoute.POST, {
		method: 'POST',
		path: `/api/evaluations/${id}/rerun`,
		params: { id },
		body
	});
const report = (id: string, query = '') =>
	call(reportRoute.GET, { path: `/api/evaluations/${id}/report${query}`, params: { id } });
const remove = (id: string, query = '') =>
	call(item.DELETE, { method: 'DELETE', path: `/api/evaluations/${id}${query}`, params: { id } });

/** A community station of the region's own, 100 m south of the project (outside its boundary). */
const NEW_FACILITY = {
	id: 'facility-test-added',
	name: '乳山路社区养老服务站（新增数据）',
	position: [121.5172, 31.2336] as [number, number]
};

describe('/api/evaluations on a copy of the demo region', () => {
	let dir: string;
	let regionsDir: string;
	let profilesDir: string;
	const saved = new Map<string, SavedEvaluation>();

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-evaluations-api-'));
		regionsDir = join(dir, 'regions');
		mkdirSync(regionsDir);
		cpSync(join(repoRoot, 'data/regions', REGION), join(regionsDir, REGION), { recursive: true });
		profilesDir = profilesCopy();
		delete process.env.DATABASE_URL;
		process.env.CARECIRCLE_DB = join(dir, 'api.sqlite');
		process.env.CARECIRCLE_REGIONS_DIR = regionsDir;
		process.env.CARECIRCLE_PROFILES_DIR = profilesDir;
	});
	afterAll(async () => {
		await closeServerDatabase();
		delete process.env.CARECIRCLE_DB;
		delete process.env.CARECIRCLE_REGIONS_DIR;
		delete process.env.CARECIRCLE_PROFILES_DIR;
		rmSync(dir, { recursive: true, force: true });
		rmSync(profilesDir, { recursive: true, force: true });
	});

	it('saves an evaluation computed on the server, ignoring the client’s numbers', async () => {
		const response = await create({
			...REQUEST,
			results: { verdict: 'compliant', floorArea: { requiredM2: 0, deficitM2: 0 } } // ignored
		});
		expect(response.status).toBe(201);
		const evaluation = response.body as SavedEvaluation;
		expect(response.headers.get('location')).toBe(`/api/evaluations/${evaluation.id}`);
		expect(evaluation).toMatchObject({
			name: REQUEST.name,
			regionId: REGION,
			profileId: PROFILE,
			version: 1
		});
		// 600 new households × 20 m² per 100 households (qingdao-laoshan-2024), nothing planned.
		expect(evaluation.results).toMatchObject({
			verdict: 'non_compliant',
			floorArea: { requiredM2: 120, providedM2: 0, deficitM2: 120 },
			circle: { covered: true, nearest: { id: EXISTING_FACILITY } }
		});
		expect((await get(evaluation.id)).body).toEqual(evaluation);
		saved.set('base', evaluation);
	});

	it('answers invalid input with 400 and the field named; saves nothing', async () => {
		const inputs = REQUEST.inputs;
		const ring = inputs.boundary.coordinates[0];
		const cases: [unknown, string][] = [
			[{ ...REQUEST, name: '' }, 'name'],
			[{ ...REQUEST, regionId: 'atlantis' }, 'regionId'],
			[{ ...REQUEST, profileId: 'no-such-profile' }, 'profileId'],
			[{ ...REQUEST, inputs: { ...inputs, households: undefined } }, 'inputs.households'],
			[
				{
					...REQUEST,
					inputs: { ...inputs, boundary: { type: 'Polygon', coordinates: [ring.slice(0, -1)] } }
				},
				'inputs.boundary'
			],
			[
				{ ...REQUEST, inputs: { ...inputs, facilities: [{ ...STATION, kind: 'hospital' }] } },
				'inputs.facilities.0.kind'
			],
			[
				{ ...REQUEST, inputs: { ...inputs, settings: { maxMinutes: -1 } } },
				'inputs.settings.maxMinutes'
			]
		];
		for (const [body, field] of cases) {
			const response = await create(body);
			expect(response.status, field).toBe(400);
			expect(response.body).toMatchObject({ code: 'INVALID_EVALUATION', field });
			expect((response.body as { message: string }).message).toContain(field);
		}
		const notJson = await create('{"name": ');
		expect(notJson).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
		const listed = await call(collection.GET, { path: `/api/evaluations?region=${REGION}` });
		expect((listed.body as unknown[]).length).toBe(1);
	});

	it('lists per region, reads one, answers 404 for an unknown id', async () => {
		const base = saved.get('base')!;
		const list = await call(collection.GET, { path: `/api/evaluations?region=${REGION}` });
		expect(list.status).toBe(200);
		expect(list.body as EvaluationListItem[]).toEqual([
			expect.objectContaining({ id: base.id, verdict: 'non_compliant', requiredM2: 120 })
		]);
		expect(
			(await call(collection.GET, { path: '/api/evaluations?region=qingdao-laoshan' })).body
		).toEqual([]);
		const bad = await call(collection.GET, { path: '/api/evaluations?region=../etc' });
		expect(bad).toMatchObject({
			status: 400,
			body: { code: 'INVALID_EVALUATION', field: 'region' }
		});
		expect(await get('no-such-id')).toMatchObject({
			status: 404,
			body: { code: 'EVALUATION_NOT_FOUND' }
		});
	});

	it('updates with results computed again; a stale version is 409', async () => {
		const response = await create({ ...REQUEST, name: '乳山路东地块（方案二）' });
		const second = response.body as SavedEvaluation;
		const updated = await put(second.id, {
			...second,
			inputs: { ...second.inputs, facilities: [STATION] },
			results: saved.get('base')!.results // ignored
		});
		expect(updated.status).toBe(200);
		expect(updated.body).toMatchObject({
			version: 2,
			results: { verdict: 'compliant', floorArea: { providedM2: 150, deficitM2: 0 } }
		});
		const stale = await put(second.id, { ...second, name: '旧版本' });
		expect(stale).toMatchObject({
			status: 409,
			body: { code: 'STALE_VERSION', currentVersion: 2 }
		});
		saved.set('second', updated.body as SavedEvaluation);
	});

	it('re-runs with unchanged rules and data: no changes, nothing stored', async () => {
		const base = saved.get('base')!;
		const response = await rerun(base.id);
		expect(response.status).toBe(200);
		const result = response.body as EvaluationRerun;
		expect(result.changes).toEqual([]);
		expect(result.stored).toBe(false);
		expect(result.saved).toEqual(base.results);
		expect(result.evaluation).toEqual(base);
	});

	it('re-runs after a new facility in the region’s data and a new profile version: lists what changed', async () => {
		const base = saved.get('base')!;
		const file = join(regionsDir, REGION, 'facilities.geojson');
		const facilities = JSON.parse(readFileSync(file, 'utf8')) as {
			type: string;
			features: { geometry: object; properties: Record<string, unknown> }[];
		};
		const [existing] = facilities.features;
		facilities.features.push({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: NEW_FACILITY.position },
			properties: {
				...existing.properties,
				id: NEW_FACILITY.id,
				name: NEW_FACILITY.name,
				kind: 'community_station',
				floorAreaM2: 200
			}
		} as (typeof facilities.features)[number]);
		writeFileSync(file, JSON.stringify(facilities));
		editProfile(profilesDir, PROFILE, (profile) => {
			profile.version = 4;
			areaRule(profile).params.newRateM2Per100Households = 30;
		});

		const response = await rerun(base.id, {});
		expect(response.status).toBe(200);
		const { changes, current, saved: before } = response.body as EvaluationRerun;
		expect(before).toEqual(base.results);
		const byField = new Map(changes.map((change) => [change.field, change]));
		expect(byField.get('floorArea.requiredM2')).toMatchObject({ saved: 120, current: 180 });
		expect(current.circle.nearestExisting!.id).toBe(NEW_FACILITY.id);
		expect(current.circle.nearestExisting!.minutes).toBeLessThan(
			base.results.circle.nearestExisting!.minutes
		);
		const nearest = byField.get('circle.nearestExisting')!;
		expect(nearest.zh).toContain(`最近现有站点：${base.results.circle.nearestExisting!.name}`);
		expect(nearest.zh).toContain(`→ ${NEW_FACILITY.name}`);
		expect(byField.get('profile.version')).toMatchObject({ saved: 3, current: 4 });
		const regionFiles = changes.filter((change) => change.field.startsWith('region.'));
		expect(regionFiles).toEqual([
			expect.objectContaining({
				field: 'region.fingerprint.files.facilities.geojson',
				kind: 'changed',
				zh: `区域 ${REGION} 的数据文件已更新：facilities.geojson`
			})
		]);
		expect(changes.some((change) => change.field === 'conditions' && change.kind === 'added')).toBe(
			true
		);
		expect((await get(base.id)).body).toEqual(base); // not stored without save
	});

	it('re-runs with save: stores the new results as the next version; the report prints them', async () => {
		const base = saved.get('base')!;
		const before = await report(base.id, '?date=2026-11-22');
		expect(before.status).toBe(200);
		expect(before.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(before.text).toMatch(/^<!DOCTYPE html>/i);
		expect(before.text).toContain(VERDICT_ZH.non_compliant);
		expect(before.text).toContain(`${REQUEST.name} 养老服务设施配建评估报告`);
		expect(before.text).toContain('2026-11-22');
		expect(before.text).toContain('不少于 120 m²');
		expect(before.text).toContain('第 1 版');

		const stale = await rerun(base.id, { save: true, version: 5 });
		expect(stale).toMatchObject({
			status: 409,
			body: { code: 'STALE_VERSION', currentVersion: 1 }
		});
		const response = await rerun(base.id, { save: true, version: 1 });
		expect(response.status).toBe(200);
		const result = response.body as EvaluationRerun;
		expect(result.stored).toBe(true);
		expect(result.evaluation.version).toBe(2);
		expect(result.evaluation.results).toEqual(result.current);
		expect((await get(base.id)).body).toEqual(result.evaluation);
		expect(((await rerun(base.id)).body as EvaluationRerun).changes).toEqual([]);

		const after = await report(base.id, '?date=2026-11-23');
		expect(after.text).toContain(VERDICT_ZH[result.current.verdict]);
		expect(after.text).toContain('不少于 180 m²');
		expect(after.text).not.toContain('不少于 120 m²');
		expect(after.text).toContain(NEW_FACILITY.name);
		expect(after.text).toContain(`${PROFILE} v4`);
		expect(after.text).toContain('第 2 版');
		saved.set('base', result.evaluation);
	});

	it('answers report, re-run and delete errors as JSON', async () => {
		const base = saved.get('base')!;
		expect(await report('no-such-id')).toMatchObject({
			status: 404,
			body: { code: 'EVALUATION_NOT_FOUND' }
		});
		expect(await report(base.id, '?date=2026-02-30')).toMatchObject({
			status: 400,
			body: { code: 'INVALID_EVALUATION', field: 'date' }
		});
		expect((await report(base.id)).status).toBe(200); // dated today
		expect(await rerun(base.id, { save: 'yes' })).toMatchObject({
			status: 400,
			body: { code: 'INVALID_EVALUATION', field: 'save' }
		});
		expect((await rerun('no-such-id')).status).toBe(404);

		rmSync(join(profilesDir, `${PROFILE}.json`));
		const cannot = await rerun(base.id);
		expect(cannot).toMatchObject({
			status: 422,
			body: { code: 'CANNOT_RERUN', field: 'profileId' }
		});

		const second = saved.get('second')!;
		expect(await remove(second.id, '?version=1')).toMatchObject({
			status: 409,
			body: { code: 'STALE_VERSION', currentVersion: 2 }
		});
		expect((await remove(second.id, '?version=2')).status).toBe(204);
		expect((await get(second.id)).status).toBe(404);
		expect((await remove(second.id)).status).toBe(404);
		expect(await remove(base.id, '?version=two')).toMatchObject({
			status: 400,
			body: { field: 'version' }
		});
	});
});
