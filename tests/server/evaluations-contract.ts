/**
 * What every database behind the evaluation repository must do (issue 7, item 4), run by
 * evaluations-db.test.ts on a temporary SQLite file and by evaluations-postgres.test.ts on a
 * temporary PostgreSQL cluster. The repository computes with the real engine on the demo region
 * (data/regions/shanghai-bund-lujiazui) and a temporary copy of data/profiles, so a re-run after a
 * profile edit meets real changed rules: the project south of 乳山四村 (600 new households,
 * nothing planned) needs 600 ÷ 100 × 20 = 120 m² under qingdao-laoshan-2024 and is non-compliant.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CarecircleDatabase, Tables } from '../../src/lib/server/db/database.ts';
import {
	SavedEvaluationError,
	type EvaluationResults,
	type SavedEvaluation
} from '../../src/lib/server/db/evaluation-model.ts';
import { EvaluationRepository, type Evaluator } from '../../src/lib/server/db/evaluations.ts';
import { computeEvaluation } from '../../src/lib/server/evaluation-results.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const REGION = 'shanghai-bund-lujiazui';
export const PROFILE = 'qingdao-laoshan-2024';
export const EXISTING_FACILITY = 'facility-csv-row-6';
export const EXISTING_FACILITY_NAME = '陆家嘴街道综合为老服务中心助餐点';

const fixture = JSON.parse(
	readFileSync(join(repoRoot, 'tests/scripts/fixtures/evaluate/ruyi-project.geojson'), 'utf8')
) as { features: { geometry: { type: 'Polygon'; coordinates: [number, number][][] } }[] };
/** 乳山路东地块 (the CLI test's project), WGS84. */
export const BOUNDARY = fixture.features[0].geometry;
const RING = BOUNDARY.coordinates[0];

/** A save request: the demo project, 600 new households, nothing planned. */
export const REQUEST = {
	name: '乳山路东地块（示例项目）',
	regionId: REGION,
	inputs: { boundary: BOUNDARY, status: 'new', households: 600 }
};

/** A 150 m² community station inside the boundary (the mean of the ring's corners). */
export const STATION = {
	kind: 'community_station',
	name: '乳山路东社区养老服务站（规划）',
	floorAreaM2: 150,
	position: [
		RING.slice(0, -1).reduce((sum, [lon]) => sum + lon, 0) / (RING.length - 1),
		RING.slice(0, -1).reduce((sum, [, lat]) => sum + lat, 0) / (RING.length - 1)
	] as [number, number]
};

/** Copy data/profiles to a temporary folder the tests may edit. */
export function profilesCopy(): string {
	const dir = mkdtempSync(join(tmpdir(), 'carecircle-profiles-'));
	cpSync(join(repoRoot, 'data/profiles'), dir, { recursive: true });
	return dir;
}

/** Edit a profile file in place: `edit` gets the parsed JSON and changes it. */
export function editProfile(dir: string, id: string, edit: (profile: ProfileJson) => void): void {
	const path = join(dir, `${id}.json`);
	const profile = JSON.parse(readFileSync(path, 'utf8')) as ProfileJson;
	edit(profile);
	writeFileSync(path, JSON.stringify(profile, null, '\t'));
}
export interface ProfileJson {
	version: number | string;
	rules: { id: string; params: Record<string, unknown> }[];
}
export const areaRule = (profile: ProfileJson) =>
	profile.rules.find((rule) => rule.id === 'community-facility-area')!;

async function rejection(promise: Promise<unknown>): Promise<SavedEvaluationError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(SavedEvaluationError);
	return error as SavedEvaluationError;
}

const withoutTime = (results: EvaluationResults) => ({ ...results, computedAt: '' });

/**
 * @param open opens a new connection to the same, already migrated database each time it is
 *   called (so "reopen" really is a new connection); the contract closes what it opens
 * @param reset empties the evaluations table between tests
 */
export function evaluationContract(
	open: () => Promise<CarecircleDatabase>,
	reset: (db: Kysely<Tables>) => Promise<void>
): void {
	let profilesDir = '';
	let original = '';
	const profilePath = () => join(profilesDir, `${PROFILE}.json`);
	beforeAll(() => {
		profilesDir = profilesCopy();
		original = readFileSync(profilePath(), 'utf8');
	});
	afterAll(() => rmSync(profilesDir, { recursive: true, force: true }));

	const evaluate: Evaluator = (request, now) =>
		computeEvaluation(request, { regionsDir: join(repoRoot, 'data/regions'), profilesDir }, now);
	const opened: CarecircleDatabase[] = [];
	const repository = async (now?: () => Date) => {
		const database = await open();
		opened.push(database);
		return new EvaluationRepository(database.db, { evaluate, now });
	};
	afterEach(async () => {
		writeFileSync(profilePath(), original);
		if (opened[0]) await reset(opened[0].db);
		await Promise.all(opened.splice(0).map((database) => database.close()));
	});

	describe('save and reopen', () => {
		it('computes on the server and reads back, on a new connection, exactly what was saved', async () => {
			const first = await repository(() => new Date('2026-03-01T08:00:00.000Z'));
			const saved = await first.create({
				...REQUEST,
				// A client's numbers: never stored.
				results: { verdict: 'compliant', floorArea: { requiredM2: 0 } }
			});
			expect(saved).toMatchObject({
				name: REQUEST.name,
				regionId: REGION,
				profileId: PROFILE, // the region's default profile
				version: 1,
				createdAt: '2026-03-01T08:00:00.000Z',
				updatedAt: '2026-03-01T08:00:00.000Z',
				inputs: {
					...REQUEST.inputs,
					facilities: [],
					gates: [],
					settings: { maxMinutes: 15, walkSpeedMps: 1, stepPenaltyS: 0, maxSnapM: 150 }
				}
			});
			expect(saved.results).toMatchObject({
				computedAt: '2026-03-01T08:00:00.000Z',
				verdict: 'non_compliant',
				incomplete: false,
				households: 600,
				householdsEstimated: false,
				eldersEstimated: true,
				floorArea: { requiredM2: 120, providedM2: 0, deficitM2: 120 },
				circle: {
					maxMinutes: 15,
					covered: true,
					nearest: { id: EXISTING_FACILITY, status: 'existing' }
				},
				profile: { id: PROFILE, version: 3 },
				region: { id: REGION }
			});
			expect(saved.results.conditions).toEqual([
				expect.objectContaining({ check: 'floor_area', ruleId: 'community-facility-area' })
			]);
			expect(saved.results.conditions[0].zh).toContain('120 m²');
			// The street gains the project's 600 households and its 120 m² requirement.
			const { before, after } = saved.results.street;
			expect(after.households - before.households).toBe(600);
			expect(after.requiredM2 - before.requiredM2).toBeCloseTo(120, 6);
			expect(Object.keys(saved.results.region.fingerprint.files).sort()).toEqual([
				'boundaries.geojson',
				'facilities.geojson',
				'network.geojson',
				'region.json',
				'residential.geojson'
			]);

			const second = await repository();
			const reopened = await second.get(saved.id);
			expect(reopened).toEqual(saved);
			expect(JSON.stringify(reopened)).toBe(JSON.stringify(saved));
			const { document } = await second.document(saved.id);
			expect(document.evaluation.verdict).toBe('non_compliant');
			expect(document.evaluation.floorArea.requiredM2).toBe(120);
			expect(document.evaluation.project.name).toBe(REQUEST.name);
			expect(document.regionMeta.id).toBe(REGION);
		});

		it('lists per region, most recently saved first', async () => {
			let tick = Date.parse('2026-03-01T00:00:00Z');
			const repo = await repository(() => new Date((tick += 1000)));
			const older = await repo.create(REQUEST);
			const newer = await repo.create({
				...REQUEST,
				name: '乳山路东地块（含站点）',
				inputs: { ...REQUEST.inputs, facilities: [STATION] }
			});
			const listed = await repo.list(REGION);
			expect(listed.map((item) => item.id)).toEqual([newer.id, older.id]);
			expect(listed[1]).toEqual({
				id: older.id,
				name: REQUEST.name,
				regionId: REGION,
				profileId: PROFILE,
				profileVersion: 3,
				createdAt: older.createdAt,
				updatedAt: older.updatedAt,
				computedAt: older.results.computedAt,
				version: 1,
				verdict: 'non_compliant',
				incomplete: false,
				households: 600,
				requiredM2: 120,
				providedM2: 0,
				deficitM2: 120,
				nearestMinutes: older.results.circle.nearest!.minutes,
				conditions: 1
			});
			// The station inside the boundary provides 150 ≥ 120 m² and is the nearest one.
			expect(listed[0]).toMatchObject({ verdict: 'compliant', providedM2: 150, deficitM2: 0 });
			expect(listed[0].nearestMinutes).toBeLessThan(listed[1].nearestMinutes!);
			expect(await repo.list('qingdao-laoshan')).toEqual([]);
			expect(await repo.list()).toHaveLength(2);
		});

		it('refuses invalid input, naming the field, and saves nothing', async () => {
			const repo = await repository();
			const inputs = REQUEST.inputs;
			const open = { type: 'Polygon', coordinates: [RING.slice(0, -1)] };
			const bowTie = {
				type: 'Polygon',
				coordinates: [[RING[0], RING[2], RING[1], RING[3], RING[0]]]
			};
			const shifted = {
				type: 'Polygon',
				coordinates: [RING.map(([lon, lat]) => [lon + 1, lat])]
			};
			const projected = {
				type: 'Polygon',
				coordinates: [RING.map(([lon, lat]) => [lon * 4000, lat * 100_000])]
			};
			const cases: [unknown, string, string][] = [
				[{ ...REQUEST, name: ' ' }, 'name', 'INVALID_EVALUATION'],
				[{ ...REQUEST, regionId: 'atlantis' }, 'regionId', 'no region'],
				[{ ...REQUEST, profileId: 'no-such-profile' }, 'profileId', 'known profiles'],
				[{ ...REQUEST, inputs: undefined }, 'inputs', 'INVALID_EVALUATION'],
				[{ ...REQUEST, inputs: { ...inputs, status: 'planned' } }, 'inputs.status', 'status'],
				[{ ...REQUEST, inputs: { ...inputs, households: -5 } }, 'inputs.households', 'households'],
				[
					{ ...REQUEST, inputs: { ...inputs, households: null } },
					'inputs.households',
					'NO_HOUSEHOLDS'
				],
				[{ ...REQUEST, inputs: { ...inputs, boundary: open } }, 'inputs.boundary', 'not closed'],
				[
					{ ...REQUEST, inputs: { ...inputs, boundary: bowTie } },
					'inputs.boundary',
					'crosses itself'
				],
				[{ ...REQUEST, inputs: { ...inputs, boundary: shifted } }, 'inputs.boundary', 'outside'],
				[
					{ ...REQUEST, inputs: { ...inputs, boundary: projected } },
					'inputs.boundary',
					'BOUNDARY_CRS'
				],
				[
					{ ...REQUEST, inputs: { ...inputs, facilities: [{ ...STATION, floorAreaM2: 0 }] } },
					'inputs.facilities.0.floorAreaM2',
					'INVALID_EVALUATION'
				],
				[
					{
						...REQUEST,
						inputs: { ...inputs, facilities: [{ ...STATION, id: EXISTING_FACILITY }] }
					},
					'inputs.facilities.0.id',
					'ID_CONFLICT'
				],
				[
					{ ...REQUEST, inputs: { ...inputs, gates: [[121.6, 31.3]] } },
					'inputs.gates.0',
					'outside the region'
				]
			];
			for (const [body, field, text] of cases) {
				const error = await rejection(repo.create(body));
				expect(error.code, field).toBe('INVALID_EVALUATION');
				expect(error.status).toBe(400);
				expect(error.field).toBe(field);
				expect(`${error.code} ${error.message}`).toContain(text);
				expect(error.message).toContain(`field "${field}"`);
			}
			expect(await repo.list()).toEqual([]);
		});
	});

	describe('update, delete, optimistic concurrency', () => {
		it('updates from the current version with results computed again; refuses a stale one', async () => {
			const repo = await repository();
			const saved = await repo.create(REQUEST);
			const updated = await repo.update(saved.id, {
				...saved,
				name: '乳山路东地块（修改）',
				inputs: { ...saved.inputs, facilities: [STATION] },
				results: saved.results // a client's numbers, ignored
			});
			expect(updated).toMatchObject({
				version: 2,
				name: '乳山路东地块（修改）',
				createdAt: saved.createdAt
			});
			expect(updated.results).toMatchObject({
				verdict: 'compliant',
				conditions: [],
				floorArea: { requiredM2: 120, providedM2: 150, deficitM2: 0 },
				circle: { nearest: { id: 'project-facility-1', status: 'planned', project: true } }
			});
			expect((await repo.get(saved.id)).results).toEqual(updated.results);

			const stale = await rejection(repo.update(saved.id, { ...saved, name: '旧版本' }));
			expect(stale).toMatchObject({ code: 'STALE_VERSION', status: 409, currentVersion: 2 });
			expect(await repo.get(saved.id)).toEqual(updated);
			const moved = await rejection(
				repo.update(saved.id, { ...updated, regionId: 'qingdao-laoshan' })
			);
			expect(moved).toMatchObject({ code: 'INVALID_EVALUATION', field: 'regionId' });
			const noVersion = await rejection(repo.update(saved.id, { ...REQUEST }));
			expect(noVersion).toMatchObject({ code: 'INVALID_EVALUATION', field: 'version' });
			const missing = await rejection(repo.update('no-such-id', { ...updated }));
			expect(missing).toMatchObject({ code: 'EVALUATION_NOT_FOUND', status: 404 });
			const invalid = await rejection(
				repo.update(saved.id, { ...updated, inputs: { ...updated.inputs, households: 0 } })
			);
			expect(invalid.field).toBe('inputs.households');
			expect(await repo.get(saved.id)).toEqual(updated);
		});

		it('of two saves from the same version, exactly one wins', async () => {
			const repo = await repository();
			const saved = await repo.create(REQUEST);
			const outcomes = await Promise.allSettled([
				repo.update(saved.id, { ...saved, name: '甲' }),
				repo.update(saved.id, { ...saved, name: '乙' })
			]);
			const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
			const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
			expect(won).toHaveLength(1);
			expect(lost).toHaveLength(1);
			expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'STALE_VERSION' });
			const winner = (won[0] as PromiseFulfilledResult<SavedEvaluation>).value;
			expect(await repo.get(saved.id)).toEqual(winner);
			expect(winner.version).toBe(2);
		});

		it('deletes; a stale version is refused, an unknown id is 404', async () => {
			const repo = await repository();
			const saved = await repo.create(REQUEST);
			const other = await repo.create(REQUEST);
			await repo.update(saved.id, { ...saved, name: '改' });
			expect(await rejection(repo.delete(saved.id, 1))).toMatchObject({
				code: 'STALE_VERSION',
				currentVersion: 2
			});
			await repo.delete(saved.id, 2);
			expect((await rejection(repo.get(saved.id))).code).toBe('EVALUATION_NOT_FOUND');
			expect((await rejection(repo.delete(saved.id))).code).toBe('EVALUATION_NOT_FOUND');
			expect((await repo.list()).map((item) => item.id)).toEqual([other.id]);
		});
	});

	describe('re-run with today’s rules and data', () => {
		it('with nothing changed: the same results, no changes, nothing stored', async () => {
			let tick = Date.parse('2026-03-01T00:00:00Z');
			const repo = await repository(() => new Date((tick += 60_000)));
			const saved = await repo.create(REQUEST);
			const rerun = await repo.rerun(saved.id);
			expect(rerun.changes).toEqual([]);
			expect(rerun.stored).toBe(false);
			expect(rerun.saved).toEqual(saved.results);
			expect(rerun.current.computedAt).not.toBe(saved.results.computedAt);
			expect(withoutTime(rerun.current)).toEqual(withoutTime(saved.results));
			expect(rerun.evaluation).toEqual(saved);
			expect(await repo.get(saved.id)).toEqual(saved);
		});

		it('after the profile’s rate and version change: the figures, the condition and the version are listed; save stores them', async () => {
			const repo = await repository();
			const saved = await repo.create(REQUEST);
			editProfile(profilesDir, PROFILE, (profile) => {
				profile.version = 4;
				areaRule(profile).params.newRateM2Per100Households = 30;
			});
			const rerun = await repo.rerun(saved.id);
			expect(rerun.changes.map((change) => [change.field, change.kind])).toEqual([
				['floorArea.requiredM2', 'changed'],
				['floorArea.deficitM2', 'changed'],
				['street.after.requiredM2', 'changed'],
				['street.after.deficitM2', 'changed'],
				['conditions', 'removed'],
				['conditions', 'added'],
				['profile.version', 'changed']
			]);
			const [required, deficit] = rerun.changes;
			// 600 households ÷ 100 × 30 m² = 180 m².
			expect(required).toMatchObject({
				saved: 120,
				current: 180,
				zh: '应配建面积：120 m² → 180 m²',
				en: 'Required floor area: 120 m² → 180 m²'
			});
			expect(deficit).toMatchObject({ saved: 120, current: 180 });
			expect(rerun.changes[4].zh).toContain('不再要求整改');
			expect(rerun.changes[4].zh).toContain('120 m²');
			expect(rerun.changes[5].zh).toContain('新增整改要求');
			expect(rerun.changes[5].en).toContain('180 m²');
			expect(rerun.changes[6]).toMatchObject({
				saved: 3,
				current: 4,
				zh: `规则集 ${PROFILE} 版本：v3 → v4`
			});
			expect(rerun.current.verdict).toBe('non_compliant'); // still nothing provided
			expect(await repo.get(saved.id)).toEqual(saved); // not saved

			const stored = await repo.rerun(saved.id, { save: true, version: 1 });
			expect(stored.stored).toBe(true);
			expect(stored.evaluation.version).toBe(2);
			expect(withoutTime(stored.evaluation.results)).toEqual(withoutTime(stored.current));
			expect(stored.evaluation.inputs).toEqual(saved.inputs);
			expect((await repo.document(saved.id)).document.evaluation.floorArea.requiredM2).toBe(180);
			expect((await repo.rerun(saved.id)).changes).toEqual([]);
			const stale = await rejection(repo.rerun(saved.id, { save: true, version: 1 }));
			expect(stale).toMatchObject({ code: 'STALE_VERSION', currentVersion: 2 });
		});

		it('a profile edited without a new version is named as such; a verdict change is listed first', async () => {
			const repo = await repository();
			const saved = await repo.create({
				...REQUEST,
				inputs: { ...REQUEST.inputs, facilities: [STATION] }
			});
			expect(saved.results.verdict).toBe('compliant');
			editProfile(profilesDir, PROFILE, (profile) => {
				areaRule(profile).params.newRateM2Per100Households = 30; // 180 m² > the 150 planned
			});
			const { changes, current } = await repo.rerun(saved.id);
			expect(current.verdict).not.toBe('compliant');
			expect(changes[0]).toMatchObject({
				field: 'verdict',
				saved: 'compliant',
				current: current.verdict
			});
			expect(changes[0].zh).toMatch(/^判定：符合 → /);
			expect(changes.map((change) => change.field)).toContain('floorArea.deficitM2');
			expect(changes.at(-1)).toMatchObject({ field: 'profile.sha256', kind: 'changed' });
			expect(changes.at(-1)!.zh).toContain('版本号未变');
		});

		it('refuses to re-run when the saved inputs can no longer be evaluated (profile removed)', async () => {
			const repo = await repository();
			const saved = await repo.create(REQUEST);
			rmSync(profilePath());
			const error = await rejection(repo.rerun(saved.id));
			expect(error).toMatchObject({ code: 'CANNOT_RERUN', status: 422, field: 'profileId' });
			expect(error.message).toContain('no longer');
			expect(await repo.get(saved.id)).toEqual(saved);
			expect((await rejection(repo.rerun('no-such-id'))).code).toBe('EVALUATION_NOT_FOUND');
		});
	});
}
