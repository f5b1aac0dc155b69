/**
 * Saved scenarios (issue 6): a plan on one region — walking settings, stations planned on the map,
 * existing stations moved or removed, notes — and the results the server computed for it when it
 * was saved (summary and per-street rows). Validated with zod wherever a scenario crosses a
 * boundary: request bodies, repository calls, and rows read back from the database.
 *
 * Errors carry a stable `code`, the HTTP status the API answers with, and for invalid input the
 * field that is wrong (`planned.0.position.1`).
 */
import { z } from 'zod';
import { FACILITY_KINDS } from '../../engine/region/schema.ts';
import { DEFAULT_WALK_SETTINGS } from '../../engine/session/what-if.ts';

export const SCENARIO_ERROR_STATUS = {
	/** The body is not JSON. */
	INVALID_JSON: 400,
	/** A field of the scenario is missing or wrong; `field` names it. */
	INVALID_SCENARIO: 400,
	/** Two scenarios of different regions cannot be compared street by street. */
	REGIONS_DIFFER: 400,
	SCENARIO_NOT_FOUND: 404,
	/** The scenario was saved by someone else since it was read: reload, reapply, save again. */
	STALE_VERSION: 409,
	/** The scenario's rule profile exists but cannot be used. */
	PROFILE_INVALID: 422,
	/** A stored row no longer validates (edited by hand, or a bug). */
	CORRUPT_SCENARIO: 500
} as const;
export type ScenarioErrorCode = keyof typeof SCENARIO_ERROR_STATUS;

export class ScenarioError extends Error {
	readonly code: ScenarioErrorCode;
	readonly status: number;
	/** The offending field, dotted (`settings.maxMinutes`, `planned.2.id`), for INVALID_SCENARIO. */
	readonly field: string | undefined;
	/** For STALE_VERSION: the version now stored. */
	readonly currentVersion: number | undefined;

	constructor(
		code: ScenarioErrorCode,
		message: string,
		details: { field?: string; currentVersion?: number } = {}
	) {
		super(message);
		this.name = 'ScenarioError';
		this.code = code;
		this.status = SCENARIO_ERROR_STATUS[code];
		this.field = details.field;
		this.currentVersion = details.currentVersion;
	}
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const walkSettingsSchema = z.object({
	maxMinutes: z.number().positive().max(120),
	walkSpeedMps: z.number().positive().max(3),
	stepPenaltyS: z.number().min(0).max(300)
});

export const plannedStationSchema = z.object({
	id: z.string().trim().min(1).max(100),
	name: z.string().trim().min(1).max(200),
	kind: z.enum(FACILITY_KINDS),
	floorAreaM2: z.number().min(0).max(1_000_000).nullable(),
	position: lonLat
});

/**
 * The plan's fields (planned stations, moves, removals): the same in a scenario, in the export
 * request of the map (POST /api/regions/<id>/report/<file>) and in `npm run analyze -- --plan`.
 */
const planFields = {
	planned: z.array(plannedStationSchema).max(1000).default([]),
	/** Existing station id → its new position. */
	moved: z.record(z.string().min(1), lonLat).default({}),
	/** Existing station ids taken out of the plan. */
	removed: z.array(z.string().min(1)).max(10_000).default([])
};

/** A planned id used twice, a station removed twice, or both moved and removed. */
function checkPlan(
	plan: { planned: { id: string }[]; moved: Record<string, unknown>; removed: string[] },
	context: z.RefinementCtx
): void {
	const planned = new Set<string>();
	plan.planned.forEach((station, index) => {
		if (planned.has(station.id))
			context.addIssue({
				code: 'custom',
				path: ['planned', index, 'id'],
				message: `planned station id "${station.id}" is used twice`
			});
		planned.add(station.id);
	});
	const removed = new Set<string>();
	plan.removed.forEach((id, index) => {
		if (removed.has(id))
			context.addIssue({
				code: 'custom',
				path: ['removed', index],
				message: `station "${id}" is removed twice`
			});
		removed.add(id);
	});
	for (const id of Object.keys(plan.moved))
		if (removed.has(id))
			context.addIssue({
				code: 'custom',
				path: ['moved', id],
				message: `station "${id}" is both moved and removed`
			});
}

/**
 * A plan on its own (engine StationPlan): `{ planned, moved, removed }`, each optional, no other
 * field (a misspelt key would silently give the baseline). The map's plan.json download.
 */
export const planSchema = z.strictObject(planFields).superRefine(checkPlan);

/** What a client sends to create a scenario (and, with `version`, to update one). */
export const scenarioInputSchema = z
	.object({
		name: z.string().trim().min(1).max(200),
		regionId: z.string().regex(ID, 'expected a region id (lower-case letters, digits, hyphens)'),
		profileId: z.string().regex(ID, 'expected a profile id (lower-case letters, digits, hyphens)'),
		settings: walkSettingsSchema.default({ ...DEFAULT_WALK_SETTINGS }),
		...planFields,
		notes: z.string().max(20_000).default('')
	})
	.superRefine(checkPlan);
export type ScenarioInput = z.output<typeof scenarioInputSchema>;

export const scenarioUpdateSchema = scenarioInputSchema.and(
	z.object({ version: z.number().int().min(1) })
);
export type ScenarioUpdate = z.output<typeof scenarioUpdateSchema>;

const count = z.number().int().min(0);
const amount = z.number().finite();

/** The headline figures of the analysis (engine AnalysisSummary) at save time. */
export const scenarioSummarySchema = z.object({
	profileVersion: z.union([z.string(), z.number()]),
	networkAvailable: z.boolean(),
	areas: count,
	areasCompliant: count,
	areasDeficit: count,
	areasNoData: count,
	areasCovered: count.nullable(),
	households: amount,
	elders: amount,
	eldersCovered: amount.nullable(),
	eldersCoveredShare: amount.nullable(),
	requiredM2: amount,
	providedM2: amount,
	deficitM2: amount,
	facilities: count,
	streets: count,
	streetsFailing: count,
	districts: count,
	districtsFailing: count,
	usesEstimate: z.boolean()
});
export type ScenarioSummary = z.output<typeof scenarioSummarySchema>;

/** One street of the results snapshot (engine StreetRow, the figures a comparison needs). */
export const scenarioStreetSchema = z.object({
	/** null: the areas that lie in no known street (未划分街道). */
	code: z.string().nullable(),
	name: z.string(),
	elders: amount,
	/** null without a walking network. */
	eldersCovered: amount.nullable(),
	deficitM2: amount,
	verdict: z.enum(['pass', 'fail', 'no_data'])
});
export type ScenarioStreet = z.output<typeof scenarioStreetSchema>;

export const scenarioResultsSchema = z.object({
	/** ISO 8601 UTC. */
	computedAt: z.iso.datetime(),
	summary: scenarioSummarySchema,
	streets: z.array(scenarioStreetSchema)
});
export type ScenarioResults = z.output<typeof scenarioResultsSchema>;

export type Scenario = ScenarioInput & {
	id: string;
	/** ISO 8601 UTC. */
	createdAt: string;
	updatedAt: string;
	version: number;
	results: ScenarioResults;
};

export interface ScenarioListItem {
	id: string;
	name: string;
	regionId: string;
	profileId: string;
	createdAt: string;
	updatedAt: string;
	version: number;
	plannedCount: number;
	movedCount: number;
	removedCount: number;
	eldersCovered: number | null;
	eldersCoveredShare: number | null;
	deficitM2: number;
	streetsFailing: number;
}

/** One street of two scenarios side by side; `a`/`b` null when the street is in one only. */
export interface StreetComparison {
	code: string | null;
	name: string;
	a: ScenarioStreet | null;
	b: ScenarioStreet | null;
	/** b − a; null when either side has no figure. */
	eldersCoveredChange: number | null;
	/** b − a, m² (negative: the gap shrinks); null when the street is in one scenario only. */
	deficitM2Change: number | null;
	verdictChanged: boolean;
}

export interface ScenarioComparison {
	a: Pick<Scenario, 'id' | 'name' | 'version' | 'profileId' | 'settings'> & {
		computedAt: string;
	};
	b: ScenarioComparison['a'];
	regionId: string;
	/** The two were computed with different rule profiles or walking settings. */
	profileDiffers: boolean;
	settingsDiffer: boolean;
	summary: {
		eldersCovered: { a: number | null; b: number | null; change: number | null };
		eldersCoveredShare: { a: number | null; b: number | null; change: number | null };
		deficitM2: { a: number; b: number; change: number };
		streetsFailing: { a: number; b: number; change: number };
	};
	streets: StreetComparison[];
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
	const field = issue.path.map(String).join('.');
	return { field, message: `field "${field || '(body)'}": ${issue.message}` };
}

/**
 * Parse with a schema; the first problem becomes INVALID_SCENARIO naming its field (the others
 * are listed in the message, up to three).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	const issues = parsed.error.issues.slice(0, 3).map(describeIssue);
	throw new ScenarioError('INVALID_SCENARIO', issues.map((issue) => issue.message).join('; '), {
		field: issues[0]?.field
	});
}
