/**
 * The evaluation repository (issue 7, item 4): create, get, list (per region), update, delete and
 * re-run saved project evaluations, on SQLite or PostgreSQL through the same Kysely queries.
 *
 * - The server computes: every write that stores results gets them from the evaluator (by default
 *   `computeEvaluation` in the compute pool: region, graph and profile from disk, then the engine). A caller cannot
 *   hand in results, so numbers sent by a client are never stored.
 * - One row per evaluation (inputs, results summary, the whole evaluation document for the
 *   report), so every write is a single statement inside a transaction.
 * - Optimistic concurrency as for scenarios: an update, a saved re-run or a delete names the
 *   version it was based on; the write is `… WHERE id = ? AND version = ?`, so of two writers from
 *   the same version exactly one succeeds and the other gets STALE_VERSION (HTTP 409).
 * - `rerun` evaluates the stored inputs again with today's rules and data and lists what changed
 *   (verdict, figures, conditions, profile version, region data files), in Chinese and English.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { ProjectEvaluation } from '../../engine/evaluation/types.ts';
import { regionMeta } from '../../engine/region/schema.ts';
import {
	compareEvaluationResults,
	defaultEvaluationDirs,
	type ComputedEvaluation,
	type EvaluationDocument
} from '../evaluation-results.ts';
import { computePool } from '../compute-pool.ts';
import type { EvaluationsTable, Tables } from './database.ts';
import {
	evaluationInputsSchema,
	evaluationRequestSchema,
	evaluationResultsSchema,
	evaluationUpdateSchema,
	parseOrThrow,
	rerunRequestSchema,
	SavedEvaluationError,
	type EvaluationListItem,
	type EvaluationRequest,
	type EvaluationRerun,
	type SavedEvaluation
} from './evaluation-model.ts';

type EvaluationRow = Selectable<EvaluationsTable>;

/** Computes an evaluation on the server from a validated request (the default reads the data folders). */
export type Evaluator = (
	request: EvaluationRequest,
	now: Date
) => ComputedEvaluation | Promise<ComputedEvaluation>;

/** In the compute pool, on the server's folders (resolved here: a worker's environment is a copy). */
const defaultEvaluator: Evaluator = (request, now) =>
	computePool().run('computeEvaluation', [request, defaultEvaluationDirs(), now]);

/** The stored document, checked enough that the report can print it. */
const storedDocument = z.object({
	evaluation: z.looseObject({
		formatVersion: z.literal(1),
		verdict: z.enum(['compliant', 'conditional', 'non_compliant']),
		settings: z.looseObject({ regionId: z.string(), profileId: z.string() }),
		project: z.looseObject({ name: z.string() }),
		profile: z.looseObject({ id: z.string() })
	}),
	regionMeta
});

function corrupt(id: string, reason: string): never {
	throw new SavedEvaluationError(
		'CORRUPT_EVALUATION',
		`evaluation "${id}" as stored is invalid: ${reason}`
	);
}

function parseJsonColumn(row: { id: string }, column: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return corrupt(row.id, `column ${column} is not JSON`);
	}
}

function parseStored<S extends z.ZodType>(
	row: { id: string },
	column: string,
	schema: S,
	text: string
): z.output<S> {
	const parsed = schema.safeParse(parseJsonColumn(row, column, text));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return corrupt(row.id, `${column}: field "${issue.path.join('.')}": ${issue.message}`);
	}
	return parsed.data;
}

function toSaved(row: EvaluationRow): SavedEvaluation {
	return {
		id: row.id,
		name: row.name,
		regionId: row.region_id,
		profileId: row.profile_id,
		inputs: parseStored(row, 'inputs_json', evaluationInputsSchema, row.inputs_json),
		results: parseStored(row, 'results_json', evaluationResultsSchema, row.results_json),
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		version: Number(row.version)
	};
}

/** The columns an evaluation's computation fills, shared by insert, update and a saved re-run. */
function computedColumns(request: EvaluationRequest, computed: ComputedEvaluation) {
	return {
		name: request.name,
		profile_id: computed.profileId,
		inputs_json: JSON.stringify(request.inputs),
		results_json: JSON.stringify(computed.results),
		document_json: JSON.stringify(computed.document)
	};
}

export class EvaluationRepository {
	readonly #db: Kysely<Tables>;
	readonly #evaluate: Evaluator;
	readonly #now: () => Date;

	/**
	 * @param db an open, migrated database (`openDatabase().db`)
	 * @param options.evaluate computes an evaluation (default `computeEvaluation` on the server's
	 *   data folders, read from the environment at each call); `now` the clock for createdAt,
	 *   updatedAt and computedAt (tests)
	 */
	constructor(db: Kysely<Tables>, options: { evaluate?: Evaluator; now?: () => Date } = {}) {
		this.#db = db;
		this.#evaluate = options.evaluate ?? defaultEvaluator;
		this.#now = options.now ?? (() => new Date());
	}

	async #row(db: Kysely<Tables>, id: string): Promise<EvaluationRow> {
		const row = await db
			.selectFrom('evaluations')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirst();
		if (!row) throw new SavedEvaluationError('EVALUATION_NOT_FOUND', `no evaluation "${id}"`);
		return row;
	}

	/** STALE_VERSION or EVALUATION_NOT_FOUND, whichever explains a write that matched no row. */
	async #refuse(db: Kysely<Tables>, id: string, expected: number): Promise<never> {
		const current = await db
			.selectFrom('evaluations')
			.select('version')
			.where('id', '=', id)
			.executeTakeFirst();
		if (!current) throw new SavedEvaluationError('EVALUATION_NOT_FOUND', `no evaluation "${id}"`);
		const version = Number(current.version);
		throw new SavedEvaluationError(
			'STALE_VERSION',
			`evaluation "${id}" was saved by someone else since version ${expected} (now version ` +
				`${version}): reload it, reapply your changes and save again`,
			{ currentVersion: version }
		);
	}

	/**
	 * Evaluate a project on the server and save it (version 1).
	 * @param body `{ name, regionId, profileId?, inputs }` (evaluationRequestSchema); anything else
	 *   in it (results sent by a client) is ignored
	 * @throws SavedEvaluationError INVALID_EVALUATION naming the field, PROFILE_INVALID
	 */
	async create(body: unknown): Promise<SavedEvaluation> {
		const request = parseOrThrow(evaluationRequestSchema, body ?? {});
		const now = this.#now();
		const computed = await this.#evaluate(request, now);
		const id = randomUUID();
		const stamp = now.toISOString();
		return this.#db.transaction().execute(async (trx) => {
			await trx
				.insertInto('evaluations')
				.values({
					id,
					region_id: request.regionId,
					...computedColumns(request, computed),
					created_at: stamp,
					updated_at: stamp,
					version: 1
				})
				.execute();
			return toSaved(await this.#row(trx, id));
		});
	}

	/** @throws SavedEvaluationError EVALUATION_NOT_FOUND */
	async get(id: string): Promise<SavedEvaluation> {
		return toSaved(await this.#row(this.#db, id));
	}

	/**
	 * A saved evaluation and the whole evaluation document stored with it (what the report prints).
	 * @throws SavedEvaluationError EVALUATION_NOT_FOUND, CORRUPT_EVALUATION
	 */
	async document(id: string): Promise<{ saved: SavedEvaluation; document: EvaluationDocument }> {
		const row = await this.#row(this.#db, id);
		const parsed = parseStored(row, 'document_json', storedDocument, row.document_json);
		const saved = toSaved(row);
		if (parsed.evaluation.verdict !== saved.results.verdict)
			corrupt(id, 'the stored document and results disagree on the verdict');
		return {
			saved,
			document: {
				evaluation: parsed.evaluation as unknown as ProjectEvaluation,
				regionMeta: parsed.regionMeta
			}
		};
	}

	/** Evaluations of one region (or all), most recently saved first. */
	async list(regionId?: string): Promise<EvaluationListItem[]> {
		let query = this.#db
			.selectFrom('evaluations')
			.select([
				'id',
				'name',
				'region_id',
				'profile_id',
				'created_at',
				'updated_at',
				'version',
				'results_json'
			])
			.orderBy('updated_at', 'desc')
			.orderBy('id');
		if (regionId !== undefined) query = query.where('region_id', '=', regionId);
		const rows = await query.execute();
		return rows.map((row): EvaluationListItem => {
			const results = parseStored(row, 'results_json', evaluationResultsSchema, row.results_json);
			return {
				id: row.id,
				name: row.name,
				regionId: row.region_id,
				profileId: row.profile_id,
				profileVersion: results.profile.version,
				createdAt: row.created_at,
				updatedAt: row.updated_at,
				computedAt: results.computedAt,
				version: Number(row.version),
				verdict: results.verdict,
				incomplete: results.incomplete,
				households: results.households,
				requiredM2: results.floorArea.requiredM2,
				providedM2: results.floorArea.providedM2,
				deficitM2: results.floorArea.deficitM2,
				nearestMinutes: results.circle.nearest?.minutes ?? null,
				conditions: results.conditions.length
			};
		});
	}

	/**
	 * Replace the name, profile and inputs of an evaluation and evaluate it again, if it is still at
	 * `version`. Refused before computing when the version is already stale or the region differs.
	 * @param body `{ name, regionId, profileId?, inputs, version }`; the region cannot change
	 * @throws SavedEvaluationError INVALID_EVALUATION, EVALUATION_NOT_FOUND, STALE_VERSION
	 */
	async update(id: string, body: unknown): Promise<SavedEvaluation> {
		const request = parseOrThrow(evaluationUpdateSchema, body ?? {});
		const stored = await this.get(id);
		if (stored.regionId !== request.regionId)
			throw new SavedEvaluationError(
				'INVALID_EVALUATION',
				`field "regionId": evaluation "${id}" belongs to region "${stored.regionId}"; an ` +
					'evaluation cannot move to another region (save a new one there instead)',
				{ field: 'regionId' }
			);
		if (stored.version !== request.version) await this.#refuse(this.#db, id, request.version);
		const now = this.#now();
		const computed = await this.#evaluate(request, now);
		return this.#write(id, request.version, computedColumns(request, computed), now);
	}

	/** The conditional write shared by update and a saved re-run. */
	async #write(
		id: string,
		version: number,
		columns: ReturnType<typeof computedColumns>,
		now: Date
	): Promise<SavedEvaluation> {
		return this.#db.transaction().execute(async (trx) => {
			const updated = await trx
				.updateTable('evaluations')
				.set({ ...columns, updated_at: now.toISOString(), version: version + 1 })
				.where('id', '=', id)
				.where('version', '=', version)
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) await this.#refuse(trx, id, version);
			return toSaved(await this.#row(trx, id));
		});
	}

	/**
	 * Delete an evaluation.
	 * @param version when given, delete only if still at this version (else STALE_VERSION)
	 * @throws SavedEvaluationError EVALUATION_NOT_FOUND, STALE_VERSION
	 */
	async delete(id: string, version?: number): Promise<void> {
		await this.#db.transaction().execute(async (trx) => {
			let query = trx.deleteFrom('evaluations').where('id', '=', id);
			if (version !== undefined) query = query.where('version', '=', version);
			const deleted = await query.executeTakeFirst();
			if (Number(deleted.numDeletedRows) !== 1) await this.#refuse(trx, id, version ?? 0);
		});
	}

	/**
	 * Evaluate a saved evaluation's inputs again with today's rules and data, and say what changed.
	 * @param options `{ save?: boolean, version?: number }`: `save` stores the new results
	 *   (version + 1), only if the evaluation is still at `version` (default: the version read now)
	 * @throws SavedEvaluationError EVALUATION_NOT_FOUND, STALE_VERSION, CANNOT_RERUN (the inputs
	 *   no longer evaluate: profile gone, boundary now outside the region …), PROFILE_INVALID
	 */
	async rerun(id: string, options: unknown = {}): Promise<EvaluationRerun> {
		const { save, version } = parseOrThrow(rerunRequestSchema, options ?? {});
		const stored = await this.get(id);
		if (version !== undefined && version !== stored.version)
			await this.#refuse(this.#db, id, version);
		const request: EvaluationRequest = {
			name: stored.name,
			regionId: stored.regionId,
			profileId: stored.profileId,
			inputs: stored.inputs
		};
		const now = this.#now();
		let computed: ComputedEvaluation;
		try {
			computed = await this.#evaluate(request, now);
		} catch (error) {
			if (error instanceof SavedEvaluationError && error.code === 'INVALID_EVALUATION')
				throw new SavedEvaluationError(
					'CANNOT_RERUN',
					`evaluation "${id}" can no longer be evaluated with today's rules and data: ` +
						`${error.message}. Open it, correct the input and save it again`,
					{ field: error.field }
				);
			throw error;
		}
		const changes = compareEvaluationResults(stored.results, computed.results);
		const evaluation = save
			? await this.#write(id, stored.version, computedColumns(request, computed), now)
			: stored;
		return { saved: stored.results, current: computed.results, changes, stored: save, evaluation };
	}
}
