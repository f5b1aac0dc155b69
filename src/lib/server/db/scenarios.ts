/**
 * The scenario repository: create, get, list (per region), update, duplicate, delete and compare
 * saved scenarios, on SQLite or PostgreSQL through the same Kysely queries.
 *
 * - Every write is one transaction: the scenario row and all its street rows are saved together
 *   or not at all, so a save that fails or a process that dies midway leaves the previous state.
 * - Optimistic concurrency: an update or a delete names the version it was based on; the write is
 *   `… WHERE id = ? AND version = ?`, so of two writers starting from the same version exactly one
 *   succeeds and the other gets STALE_VERSION (HTTP 409) with the version now stored.
 * - The results snapshot is given by the caller (the API computes it on the server with the
 *   engine, scenario-results.ts); the repository validates and stores it, it never computes.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ScenarioStreetsTable, ScenariosTable, Tables } from './database.ts';
import {
	parseOrThrow,
	plannedStationSchema,
	scenarioInputSchema,
	scenarioResultsSchema,
	scenarioSummarySchema,
	ScenarioError,
	walkSettingsSchema,
	type Scenario,
	type ScenarioComparison,
	type ScenarioInput,
	type ScenarioListItem,
	type ScenarioResults,
	type ScenarioStreet,
	type StreetComparison
} from './scenario-model.ts';
import { z } from 'zod';

type ScenarioRow = Selectable<ScenariosTable>;
type StreetRow = Selectable<ScenarioStreetsTable>;

const storedPlan = z.object({
	settings: walkSettingsSchema,
	planned: z.array(plannedStationSchema),
	moved: z.record(z.string(), z.tuple([z.number(), z.number()])),
	removed: z.array(z.string())
});

function parseJsonColumn(row: { id: string }, column: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new ScenarioError(
			'CORRUPT_SCENARIO',
			`scenario "${row.id}": column ${column} is not JSON`
		);
	}
}

function corrupt(id: string, error: unknown): never {
	const reason = error instanceof ScenarioError ? error.message : String(error);
	throw new ScenarioError('CORRUPT_SCENARIO', `scenario "${id}" as stored is invalid: ${reason}`);
}

function toScenario(row: ScenarioRow, streets: StreetRow[]): Scenario {
	try {
		const plan = parseOrThrow(storedPlan, {
			settings: parseJsonColumn(row, 'settings_json', row.settings_json),
			planned: parseJsonColumn(row, 'planned_json', row.planned_json),
			moved: parseJsonColumn(row, 'moved_json', row.moved_json),
			removed: parseJsonColumn(row, 'removed_json', row.removed_json)
		});
		const results = parseOrThrow(scenarioResultsSchema, {
			computedAt: row.computed_at,
			summary: parseJsonColumn(row, 'summary_json', row.summary_json),
			streets: streets.map((street): ScenarioStreet => ({
				code: street.street_code,
				name: street.street_name,
				elders: Number(street.elders),
				eldersCovered: street.elders_covered === null ? null : Number(street.elders_covered),
				deficitM2: Number(street.deficit_m2),
				verdict: street.verdict
			}))
		});
		return {
			id: row.id,
			name: row.name,
			regionId: row.region_id,
			profileId: row.profile_id,
			settings: plan.settings,
			planned: plan.planned,
			moved: plan.moved as Record<string, [number, number]>,
			removed: plan.removed,
			notes: row.notes,
			createdAt: row.created_at,
			updatedAt: row.updated_at,
			version: Number(row.version),
			results
		};
	} catch (error) {
		if (error instanceof ScenarioError && error.code === 'CORRUPT_SCENARIO') throw error;
		return corrupt(row.id, error);
	}
}

/** The columns of the plan and its results, shared by insert and update. */
function planColumns(input: ScenarioInput, results: ScenarioResults) {
	return {
		name: input.name,
		profile_id: input.profileId,
		notes: input.notes,
		settings_json: JSON.stringify(input.settings),
		planned_json: JSON.stringify(input.planned),
		moved_json: JSON.stringify(input.moved),
		removed_json: JSON.stringify(input.removed),
		summary_json: JSON.stringify(results.summary),
		computed_at: results.computedAt
	};
}

async function insertStreets(
	trx: Transaction<Tables>,
	scenarioId: string,
	streets: ScenarioStreet[]
): Promise<void> {
	// One statement per street: a region has tens of streets, and each row is checked by the
	// database (verdict, not-null) inside the same transaction as the scenario row.
	for (const [position, street] of streets.entries()) {
		await trx
			.insertInto('scenario_streets')
			.values({
				scenario_id: scenarioId,
				position,
				street_code: street.code,
				street_name: street.name,
				elders: street.elders,
				elders_covered: street.eldersCovered,
				deficit_m2: street.deficitM2,
				verdict: street.verdict
			})
			.execute();
	}
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const difference = (a: number | null | undefined, b: number | null | undefined) =>
	a === null || a === undefined || b === null || b === undefined ? null : round2(b - a);

export class ScenarioRepository {
	readonly #db: Kysely<Tables>;
	readonly #now: () => Date;

	/**
	 * @param db an open, migrated database (`openDatabase().db`)
	 * @param now clock for createdAt / updatedAt (tests)
	 */
	constructor(db: Kysely<Tables>, now: () => Date = () => new Date()) {
		this.#db = db;
		this.#now = now;
	}

	async #read(db: Kysely<Tables>, id: string): Promise<Scenario> {
		const row = await db
			.selectFrom('scenarios')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirst();
		if (!row) throw new ScenarioError('SCENARIO_NOT_FOUND', `no scenario "${id}"`);
		const streets = await db
			.selectFrom('scenario_streets')
			.selectAll()
			.where('scenario_id', '=', id)
			.orderBy('position')
			.execute();
		return toScenario(row, streets);
	}

	/**
	 * Save a new scenario (version 1) with its results snapshot.
	 * @throws ScenarioError INVALID_SCENARIO naming the field
	 */
	async create(input: unknown, results: ScenarioResults): Promise<Scenario> {
		const plan = parseOrThrow(scenarioInputSchema, input);
		const snapshot = parseOrThrow(scenarioResultsSchema, results);
		const id = randomUUID();
		const now = this.#now().toISOString();
		return this.#db.transaction().execute(async (trx) => {
			await trx
				.insertInto('scenarios')
				.values({
					id,
					region_id: plan.regionId,
					...planColumns(plan, snapshot),
					created_at: now,
					updated_at: now,
					version: 1
				})
				.execute();
			await insertStreets(trx, id, snapshot.streets);
			return this.#read(trx, id);
		});
	}

	/** @throws ScenarioError SCENARIO_NOT_FOUND */
	async get(id: string): Promise<Scenario> {
		// One read-only transaction: the scenario and its streets from the same committed state.
		return this.#db
			.transaction()
			.setAccessMode('read only')
			.execute((trx) => this.#read(trx, id));
	}

	/** Scenarios of one region (or all), most recently saved first. */
	async list(regionId?: string): Promise<ScenarioListItem[]> {
		let query = this.#db
			.selectFrom('scenarios')
			.select([
				'id',
				'name',
				'region_id',
				'profile_id',
				'created_at',
				'updated_at',
				'version',
				'planned_json',
				'moved_json',
				'removed_json',
				'summary_json'
			])
			.orderBy('updated_at', 'desc')
			.orderBy('id');
		if (regionId !== undefined) query = query.where('region_id', '=', regionId);
		const rows = await query.execute();
		return rows.map((row): ScenarioListItem => {
			const summary = scenarioSummarySchema.safeParse(
				parseJsonColumn(row, 'summary_json', row.summary_json)
			);
			if (!summary.success) corrupt(row.id, summary.error.message);
			const planned = parseJsonColumn(row, 'planned_json', row.planned_json) as unknown[];
			const moved = parseJsonColumn(row, 'moved_json', row.moved_json) as object;
			const removed = parseJsonColumn(row, 'removed_json', row.removed_json) as unknown[];
			return {
				id: row.id,
				name: row.name,
				regionId: row.region_id,
				profileId: row.profile_id,
				createdAt: row.created_at,
				updatedAt: row.updated_at,
				version: Number(row.version),
				plannedCount: planned.length,
				movedCount: Object.keys(moved).length,
				removedCount: removed.length,
				eldersCovered: summary.data.eldersCovered,
				eldersCoveredShare: summary.data.eldersCoveredShare,
				deficitM2: summary.data.deficitM2,
				streetsFailing: summary.data.streetsFailing
			};
		});
	}

	/** STALE_VERSION or SCENARIO_NOT_FOUND, whichever explains a write that matched no row. */
	async #refuse(db: Kysely<Tables>, id: string, expected: number): Promise<never> {
		const current = await db
			.selectFrom('scenarios')
			.select('version')
			.where('id', '=', id)
			.executeTakeFirst();
		if (!current) throw new ScenarioError('SCENARIO_NOT_FOUND', `no scenario "${id}"`);
		const version = Number(current.version);
		throw new ScenarioError(
			'STALE_VERSION',
			`scenario "${id}" was saved by someone else since version ${expected} (now version ` +
				`${version}): reload it, reapply your changes and save again`,
			{ currentVersion: version }
		);
	}

	/**
	 * Replace the plan and results of a scenario, if it is still at `version`.
	 * @param input the whole plan plus `version` (the one it was read at); the region cannot change
	 * @throws ScenarioError INVALID_SCENARIO, SCENARIO_NOT_FOUND, STALE_VERSION
	 */
	async update(
		id: string,
		input: ScenarioInput & { version: number },
		results: ScenarioResults
	): Promise<Scenario> {
		const plan = parseOrThrow(scenarioInputSchema, input);
		const version = parseOrThrow(z.number().int().min(1), input.version);
		const snapshot = parseOrThrow(scenarioResultsSchema, results);
		const now = this.#now().toISOString();
		return this.#db.transaction().execute(async (trx) => {
			const updated = await trx
				.updateTable('scenarios')
				.set({ ...planColumns(plan, snapshot), updated_at: now, version: version + 1 })
				.where('id', '=', id)
				.where('version', '=', version)
				.where('region_id', '=', plan.regionId)
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) {
				const stored = await trx
					.selectFrom('scenarios')
					.select('region_id')
					.where('id', '=', id)
					.executeTakeFirst();
				if (stored && stored.region_id !== plan.regionId)
					throw new ScenarioError(
						'INVALID_SCENARIO',
						`field "regionId": scenario "${id}" belongs to region "${stored.region_id}"; ` +
							'a scenario cannot move to another region (duplicate it there instead)',
						{ field: 'regionId' }
					);
				await this.#refuse(trx, id, version);
			}
			await trx.deleteFrom('scenario_streets').where('scenario_id', '=', id).execute();
			await insertStreets(trx, id, snapshot.streets);
			return this.#read(trx, id);
		});
	}

	/**
	 * A copy of a scenario under a new id (version 1), with the same plan and the same results
	 * snapshot (computed for the same inputs), named `name` or "<name>（副本）".
	 */
	async duplicate(id: string, name?: string): Promise<Scenario> {
		const newName =
			name === undefined
				? undefined
				: parseOrThrow(z.object({ name: scenarioInputSchema.shape.name }), { name }).name;
		const copyId = randomUUID();
		const now = this.#now().toISOString();
		return this.#db.transaction().execute(async (trx) => {
			const source = await this.#read(trx, id);
			await trx
				.insertInto('scenarios')
				.values({
					id: copyId,
					region_id: source.regionId,
					...planColumns(
						{ ...source, name: newName ?? `${source.name}（副本）`.slice(0, 200) },
						source.results
					),
					created_at: now,
					updated_at: now,
					version: 1
				})
				.execute();
			await insertStreets(trx, copyId, source.results.streets);
			return this.#read(trx, copyId);
		});
	}

	/**
	 * Delete a scenario and its results.
	 * @param version when given, delete only if still at this version (else STALE_VERSION)
	 * @throws ScenarioError SCENARIO_NOT_FOUND, STALE_VERSION
	 */
	async delete(id: string, version?: number): Promise<void> {
		await this.#db.transaction().execute(async (trx) => {
			let query = trx.deleteFrom('scenarios').where('id', '=', id);
			if (version !== undefined) query = query.where('version', '=', version);
			// Streets first, explicitly: the result must not depend on foreign-key enforcement.
			await trx.deleteFrom('scenario_streets').where('scenario_id', '=', id).execute();
			const deleted = await query.executeTakeFirst();
			if (Number(deleted.numDeletedRows) !== 1) await this.#refuse(trx, id, version ?? 0);
		});
	}

	/**
	 * Two scenarios of the same region side by side, per street (matched by street code, the
	 * unassigned street by its null code): elders covered, deficit m², verdict, and b − a.
	 * @throws ScenarioError SCENARIO_NOT_FOUND, REGIONS_DIFFER
	 */
	async compare(aId: string, bId: string): Promise<ScenarioComparison> {
		const [a, b] = await this.#db
			.transaction()
			.setAccessMode('read only')
			.execute(async (trx) => [await this.#read(trx, aId), await this.#read(trx, bId)]);
		if (a.regionId !== b.regionId)
			throw new ScenarioError(
				'REGIONS_DIFFER',
				`scenario "${a.id}" is on region "${a.regionId}" and "${b.id}" on "${b.regionId}": ` +
					'only scenarios of one region can be compared street by street'
			);
		const key = (street: ScenarioStreet) => street.code ?? '\u0000unassigned';
		const bByKey = new Map(b.results.streets.map((street) => [key(street), street]));
		const seen = new Set<string>();
		const pair = (
			base: ScenarioStreet,
			sa: ScenarioStreet | null,
			sb: ScenarioStreet | null
		): StreetComparison => ({
			code: base.code,
			name: base.name,
			a: sa,
			b: sb,
			eldersCoveredChange: difference(sa?.eldersCovered, sb?.eldersCovered),
			deficitM2Change: difference(sa?.deficitM2, sb?.deficitM2),
			verdictChanged: sa?.verdict !== sb?.verdict
		});
		const streets = a.results.streets.map((street) => {
			seen.add(key(street));
			return pair(street, street, bByKey.get(key(street)) ?? null);
		});
		for (const street of b.results.streets)
			if (!seen.has(key(street))) streets.push(pair(street, null, street));
		const header = (s: Scenario) => ({
			id: s.id,
			name: s.name,
			version: s.version,
			profileId: s.profileId,
			settings: s.settings,
			computedAt: s.results.computedAt
		});
		const sa = a.results.summary;
		const sb = b.results.summary;
		return {
			a: header(a),
			b: header(b),
			regionId: a.regionId,
			profileDiffers:
				a.profileId !== b.profileId || String(sa.profileVersion) !== String(sb.profileVersion),
			settingsDiffer: JSON.stringify(a.settings) !== JSON.stringify(b.settings),
			summary: {
				eldersCovered: {
					a: sa.eldersCovered,
					b: sb.eldersCovered,
					change: difference(sa.eldersCovered, sb.eldersCovered)
				},
				eldersCoveredShare: {
					a: sa.eldersCoveredShare,
					b: sb.eldersCoveredShare,
					change:
						sa.eldersCoveredShare === null || sb.eldersCoveredShare === null
							? null
							: sb.eldersCoveredShare - sa.eldersCoveredShare
				},
				deficitM2: {
					a: sa.deficitM2,
					b: sb.deficitM2,
					change: round2(sb.deficitM2 - sa.deficitM2)
				},
				streetsFailing: {
					a: sa.streetsFailing,
					b: sb.streetsFailing,
					change: sb.streetsFailing - sa.streetsFailing
				}
			},
			streets
		};
	}
}
