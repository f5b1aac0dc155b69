/**
 * What every database behind the scenario repository must do (issue 6), run by
 * scenarios-db.test.ts on a temporary SQLite file and by scenarios-postgres.test.ts on a
 * temporary PostgreSQL cluster: the same repository code and queries, two dialects.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { CarecircleDatabase, Tables } from '../../src/lib/server/db/database.ts';
import {
	ScenarioError,
	type ScenarioInput,
	type ScenarioResults
} from '../../src/lib/server/db/scenario-model.ts';
import { ScenarioRepository } from '../../src/lib/server/db/scenarios.ts';
import { FailOnStreetInsert } from './scenarios-faults.ts';

export const REGION = 'shanghai-bund-lujiazui';

/** A plan with every kind of field: unicode, null floor area, a move, a removal, notes. */
export const INPUT: ScenarioInput = {
	name: '方案甲：梅一小区旁新增站点',
	regionId: REGION,
	profileId: 'qingdao-laoshan-2024',
	settings: { maxMinutes: 15, walkSpeedMps: 0.8, stepPenaltyS: 12.5 },
	planned: [
		{
			id: 'planned-1',
			name: '规划站点 1',
			kind: 'community_station',
			floorAreaM2: 300,
			position: [121.5185145, 31.2396995]
		},
		{
			id: 'planned-2',
			name: '待定面积站点',
			kind: 'day_care',
			floorAreaM2: null,
			position: [121.49, 31.241]
		}
	],
	moved: { 'facility-a': [121.501, 31.2345] },
	removed: ['facility-b'],
	notes: '第一行\n second line, "quoted" — 100 m²'
};

/** Results with fractions, a null street code, a null elders figure and all three verdicts. */
export function results(scale = 1, computedAt = '2026-03-01T08:00:00.000Z'): ScenarioResults {
	return {
		computedAt,
		summary: {
			profileVersion: 1,
			networkAvailable: true,
			areas: 18,
			areasCompliant: 1,
			areasDeficit: 16,
			areasNoData: 1,
			areasCovered: 13,
			households: 21765,
			elders: 11814.4,
			eldersCovered: 7379 * scale,
			eldersCoveredShare: (7379 * scale) / 11814.4,
			requiredM2: 3264.75,
			providedM2: 123.456789,
			deficitM2: 3141.3 / scale,
			facilities: 2,
			streets: 3,
			streetsFailing: 2,
			districts: 1,
			districtsFailing: 1,
			usesEstimate: true
		},
		streets: [
			{
				code: null,
				name: '未划分街道',
				elders: 5000.25,
				eldersCovered: 3000 * scale,
				deficitM2: 1000.1 / scale,
				verdict: 'fail'
			},
			{
				code: '370212001',
				name: '中韩街道',
				elders: 4000,
				eldersCovered: null,
				deficitM2: 0,
				verdict: 'no_data'
			},
			{
				code: '370212002',
				name: '沙子口街道',
				elders: 2814.15,
				eldersCovered: 2814.15,
				deficitM2: 2141.2,
				verdict: scale > 1 ? 'pass' : 'fail'
			}
		]
	};
}

async function rejection(promise: Promise<unknown>): Promise<ScenarioError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(ScenarioError);
	return error as ScenarioError;
}

/**
 * @param open opens a new connection to the same, already migrated database each time it is
 *   called (so "reopen" really is a new connection); the contract closes what it opens
 * @param reset empties the tables between tests
 */
export function repositoryContract(
	open: () => Promise<CarecircleDatabase>,
	reset: (db: Kysely<Tables>) => Promise<void>
): void {
	const opened: CarecircleDatabase[] = [];
	const connect = async () => {
		const database = await open();
		opened.push(database);
		return database;
	};
	afterEach(async () => {
		if (opened[0]) await reset(opened[0].db);
		await Promise.all(opened.splice(0).map((database) => database.close()));
	});

	describe('save and reopen', () => {
		it('reads back, on a new connection, exactly what was saved', async () => {
			const first = await connect();
			const saved = await new ScenarioRepository(first.db).create(INPUT, results());
			expect(saved.version).toBe(1);
			expect(saved.createdAt).toBe(saved.updatedAt);
			expect(saved.results).toEqual(results());
			await first.close();
			opened.splice(opened.indexOf(first), 1);

			const second = await connect();
			const reopened = await new ScenarioRepository(second.db).get(saved.id);
			expect(reopened).toEqual(saved);
			expect(JSON.stringify(reopened)).toBe(JSON.stringify(saved));
			expect(reopened).toMatchObject(INPUT);
		});

		it('lists per region, most recently saved first', async () => {
			let tick = Date.parse('2026-03-01T00:00:00Z');
			const repository = new ScenarioRepository(
				(await connect()).db,
				() => new Date((tick += 1000))
			);
			const older = await repository.create(INPUT, results());
			const other = await repository.create({ ...INPUT, regionId: 'qingdao-laoshan' }, results());
			const newer = await repository.create({ ...INPUT, name: '方案乙' }, results(2));
			const listed = await repository.list(REGION);
			expect(listed.map((item) => item.id)).toEqual([newer.id, older.id]);
			expect(listed[0]).toMatchObject({
				name: '方案乙',
				version: 1,
				plannedCount: 2,
				movedCount: 1,
				removedCount: 1,
				eldersCovered: 7379 * 2,
				deficitM2: 3141.3 / 2,
				streetsFailing: 2
			});
			expect((await repository.list('qingdao-laoshan')).map((item) => item.id)).toEqual([other.id]);
			expect(await repository.list()).toHaveLength(3);
		});

		it('refuses an invalid scenario, naming the field', async () => {
			const repository = new ScenarioRepository((await connect()).db);
			const cases: [unknown, string][] = [
				[{ ...INPUT, name: '  ' }, 'name'],
				[{ ...INPUT, regionId: 'Not A Region' }, 'regionId'],
				[{ ...INPUT, settings: { ...INPUT.settings, maxMinutes: -5 } }, 'settings.maxMinutes'],
				[
					{ ...INPUT, planned: [{ ...INPUT.planned[0], position: [121.5, 95] }] },
					'planned.0.position.1'
				],
				[{ ...INPUT, planned: [{ ...INPUT.planned[0], kind: 'hospital' }] }, 'planned.0.kind'],
				[{ ...INPUT, planned: [INPUT.planned[0], INPUT.planned[0]] }, 'planned.1.id'],
				[{ ...INPUT, removed: ['facility-a'] }, 'moved.facility-a']
			];
			for (const [input, field] of cases) {
				const error = await rejection(repository.create(input, results()));
				expect(error.code).toBe('INVALID_SCENARIO');
				expect(error.status).toBe(400);
				expect(error.field).toBe(field);
				expect(error.message).toContain(`field "${field}"`);
			}
			const badResults = { ...results(), streets: [{ ...results().streets[0], verdict: 'ok' }] };
			const error = await rejection(
				repository.create(INPUT, badResults as unknown as ScenarioResults)
			);
			expect(error.field).toBe('streets.0.verdict');
			expect(await repository.list()).toEqual([]);
		});
	});

	describe('optimistic concurrency', () => {
		it('updates from the current version, refuses a stale one with the version now stored', async () => {
			const repository = new ScenarioRepository((await connect()).db);
			const saved = await repository.create(INPUT, results());
			const updated = await repository.update(
				saved.id,
				{ ...INPUT, name: '方案甲（改）', version: 1 },
				results(2)
			);
			expect(updated).toMatchObject({
				version: 2,
				name: '方案甲（改）',
				createdAt: saved.createdAt
			});
			expect(updated.results).toEqual(results(2));

			const stale = await rejection(
				repository.update(saved.id, { ...INPUT, version: 1 }, results())
			);
			expect(stale).toMatchObject({ code: 'STALE_VERSION', status: 409, currentVersion: 2 });
			expect(await repository.get(saved.id)).toEqual(updated);

			const missing = await rejection(
				repository.update('no-such-id', { ...INPUT, version: 1 }, results())
			);
			expect(missing).toMatchObject({ code: 'SCENARIO_NOT_FOUND', status: 404 });
			const moved = await rejection(
				repository.update(
					saved.id,
					{ ...INPUT, regionId: 'qingdao-laoshan', version: 2 },
					results()
				)
			);
			expect(moved).toMatchObject({ code: 'INVALID_SCENARIO', field: 'regionId' });
		});

		it('of two saves from the same version, exactly one wins and nothing else changes', async () => {
			const repository = new ScenarioRepository((await connect()).db);
			const saved = await repository.create(INPUT, results());
			const outcomes = await Promise.allSettled([
				repository.update(saved.id, { ...INPUT, name: '甲', version: 1 }, results(2)),
				repository.update(saved.id, { ...INPUT, name: '乙', version: 1 }, results(3))
			]);
			const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
			const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
			expect(won).toHaveLength(1);
			expect(lost).toHaveLength(1);
			expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'STALE_VERSION' });
			const winner = (won[0] as PromiseFulfilledResult<{ name: string }>).value;
			const stored = await repository.get(saved.id);
			expect(stored).toEqual(winner);
			expect(stored.version).toBe(2);
			expect(stored.results).toEqual(results(winner.name === '甲' ? 2 : 3));
		});

		it('two connections: the later writer is refused, reloads, and both changes are kept', async () => {
			const alice = new ScenarioRepository((await connect()).db);
			const bob = new ScenarioRepository((await connect()).db);
			const saved = await alice.create({ ...INPUT, notes: '' }, results());
			const aliceCopy = await alice.get(saved.id);
			const bobCopy = await bob.get(saved.id);
			await alice.update(saved.id, { ...aliceCopy, notes: aliceCopy.notes + '[alice]' }, results());
			const refused = await rejection(
				bob.update(saved.id, { ...bobCopy, notes: bobCopy.notes + '[bob]' }, results())
			);
			expect(refused.code).toBe('STALE_VERSION');
			const reloaded = await bob.get(saved.id);
			await bob.update(saved.id, { ...reloaded, notes: reloaded.notes + '[bob]' }, results());
			const final = await alice.get(saved.id);
			expect(final.notes).toBe('[alice][bob]');
			expect(final.version).toBe(3);
		});
	});

	describe('transactions', () => {
		it('an update that fails after its first street row leaves the saved scenario intact', async () => {
			const { db } = await connect();
			const repository = new ScenarioRepository(db);
			const saved = await repository.create(INPUT, results());
			const faulty = new ScenarioRepository(
				db.withPlugin(
					new FailOnStreetInsert(2, () => {
						throw new Error('simulated failure after the first street row');
					})
				)
			);
			await expect(
				faulty.update(saved.id, { ...INPUT, name: '半途而废', version: 1 }, results(2))
			).rejects.toThrow('simulated failure');
			const fresh = new ScenarioRepository((await connect()).db);
			expect(await fresh.get(saved.id)).toEqual(saved);
			// The scenario can still be saved normally afterwards (no lock or transaction left open).
			expect(
				(await repository.update(saved.id, { ...INPUT, version: 1 }, results(2))).version
			).toBe(2);
		});

		it('a create or duplicate that fails midway stores nothing', async () => {
			const { db } = await connect();
			const repository = new ScenarioRepository(db);
			const kept = await repository.create(INPUT, results());
			const fail = () => {
				throw new Error('simulated failure');
			};
			await expect(
				new ScenarioRepository(db.withPlugin(new FailOnStreetInsert(3, fail))).create(
					{ ...INPUT, name: '不应保存' },
					results()
				)
			).rejects.toThrow('simulated failure');
			await expect(
				new ScenarioRepository(db.withPlugin(new FailOnStreetInsert(2, fail))).duplicate(kept.id)
			).rejects.toThrow('simulated failure');
			const listed = await new ScenarioRepository((await connect()).db).list();
			expect(listed.map((item) => item.id)).toEqual([kept.id]);
			const rows = await db.selectFrom('scenario_streets').select('scenario_id').execute();
			expect(rows.map((row) => row.scenario_id)).toEqual([kept.id, kept.id, kept.id]);
		});
	});

	describe('duplicate, delete, compare', () => {
		it('duplicates with a new id at version 1, the same plan and results', async () => {
			const repository = new ScenarioRepository((await connect()).db);
			const saved = await repository.create(INPUT, results());
			await repository.update(saved.id, { ...INPUT, version: 1 }, results(2));
			const copy = await repository.duplicate(saved.id);
			expect(copy.id).not.toBe(saved.id);
			expect(copy).toMatchObject({ ...INPUT, name: `${INPUT.name}（副本）`, version: 1 });
			expect(copy.results).toEqual(results(2));
			const named = await repository.duplicate(saved.id, '方案丙');
			expect(named.name).toBe('方案丙');
			const error = await rejection(repository.duplicate(saved.id, ''));
			expect(error.field).toBe('name');
			expect(await repository.list(REGION)).toHaveLength(3);
		});

		it('deletes a scenario and its street rows; a stale version is refused', async () => {
			const { db } = await connect();
			const repository = new ScenarioRepository(db);
			const saved = await repository.create(INPUT, results());
			const other = await repository.create(INPUT, results());
			await repository.update(saved.id, { ...INPUT, version: 1 }, results());
			expect(await rejection(repository.delete(saved.id, 1))).toMatchObject({
				code: 'STALE_VERSION',
				currentVersion: 2
			});
			expect((await repository.get(saved.id)).results.streets).toHaveLength(3);
			await repository.delete(saved.id, 2);
			expect((await rejection(repository.get(saved.id))).code).toBe('SCENARIO_NOT_FOUND');
			expect((await rejection(repository.delete(saved.id))).code).toBe('SCENARIO_NOT_FOUND');
			const rows = await db.selectFrom('scenario_streets').select('scenario_id').execute();
			expect(new Set(rows.map((row) => row.scenario_id))).toEqual(new Set([other.id]));
		});

		it('compares per street: both sides, the differences, streets in one scenario only', async () => {
			const repository = new ScenarioRepository((await connect()).db);
			const base = await repository.create(INPUT, results());
			const bigger = results(2);
			bigger.streets = [
				...bigger.streets.slice(1),
				{
					code: '370212003',
					name: '王哥庄街道',
					elders: 10,
					eldersCovered: 0,
					deficitM2: 5,
					verdict: 'fail'
				}
			];
			const plan = await repository.create({ ...INPUT, profileId: 'donge-2023' }, bigger);
			const comparison = await repository.compare(base.id, plan.id);
			expect(comparison.regionId).toBe(REGION);
			expect(comparison.profileDiffers).toBe(true);
			expect(comparison.settingsDiffer).toBe(false);
			expect(comparison.summary.eldersCovered).toEqual({ a: 7379, b: 14758, change: 7379 });
			expect(comparison.summary.deficitM2.change).toBeCloseTo(3141.3 / 2 - 3141.3, 2);
			expect(comparison.streets.map((street) => [street.code, street.name])).toEqual([
				[null, '未划分街道'],
				['370212001', '中韩街道'],
				['370212002', '沙子口街道'],
				['370212003', '王哥庄街道']
			]);
			const [unassigned, zhonghan, shazikou, wanggezhuang] = comparison.streets;
			expect(unassigned).toMatchObject({
				b: null,
				eldersCoveredChange: null,
				deficitM2Change: null
			});
			expect(zhonghan).toMatchObject({
				eldersCoveredChange: null,
				deficitM2Change: 0,
				verdictChanged: false
			});
			expect(shazikou).toMatchObject({
				a: { verdict: 'fail', eldersCovered: 2814.15 },
				b: { verdict: 'pass', eldersCovered: 2814.15 },
				eldersCoveredChange: 0,
				verdictChanged: true
			});
			expect(wanggezhuang).toMatchObject({
				a: null,
				b: { eldersCovered: 0 },
				verdictChanged: true
			});

			const elsewhere = await repository.create(
				{ ...INPUT, regionId: 'qingdao-laoshan' },
				results()
			);
			expect((await rejection(repository.compare(base.id, elsewhere.id))).code).toBe(
				'REGIONS_DIFFER'
			);
			expect((await rejection(repository.compare(base.id, 'nope'))).code).toBe(
				'SCENARIO_NOT_FOUND'
			);
		});
	});
}
