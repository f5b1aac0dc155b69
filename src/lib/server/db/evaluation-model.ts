/**
 * Saved project evaluations (issue 7, item 4): a residential project on one region — its boundary,
 * households (or residential floor area and dwelling size), status, planned care facilities, gates
 * and the walking settings — and what the server computed for it when it was saved: the verdict,
 * the figures, and fingerprints of the rules and the region data used, so that a re-run can say
 * what changed. Validated with zod wherever an evaluation crosses a boundary: request bodies,
 * repository calls, and rows read back from the database.
 *
 * Errors carry a stable `code`, the HTTP status the API answers with, and for invalid input the
 * field that is wrong, as a dotted path into the request body (`inputs.facilities.0.floorAreaM2`).
 */
import { z } from 'zod';
import { EVALUATION_CHECKS } from '../../engine/evaluation/types.ts';
import { DEFAULT_MAX_SNAP_M } from '../../engine/graph/snap.ts';
import { DEFAULT_WALK } from '../../engine/rules/defaults.ts';
import { FACILITY_KINDS, RESIDENTIAL_STATUSES } from '../../engine/region/schema.ts';

export const SAVED_EVALUATION_ERROR_STATUS = {
	/** The body is not JSON. */
	INVALID_JSON: 400,
	/** A field of the evaluation is missing or wrong, or the engine refused it; `field` names it. */
	INVALID_EVALUATION: 400,
	EVALUATION_NOT_FOUND: 404,
	/** The evaluation was saved by someone else since it was read: reload, reapply, save again. */
	STALE_VERSION: 409,
	/** The rule profile exists but cannot be used. */
	PROFILE_INVALID: 422,
	/**
	 * A saved evaluation's inputs can no longer be evaluated with today's rules and data (its
	 * profile was removed, the region's bbox no longer holds the boundary …); `field` names the input.
	 */
	CANNOT_RERUN: 422,
	/** A stored row no longer validates (edited by hand, or a bug). */
	CORRUPT_EVALUATION: 500
} as const;
export type SavedEvaluationErrorCode = keyof typeof SAVED_EVALUATION_ERROR_STATUS;

export class SavedEvaluationError extends Error {
	readonly code: SavedEvaluationErrorCode;
	readonly status: number;
	/** The offending field, dotted (`inputs.households`, `profileId`), for INVALID_EVALUATION / CANNOT_RERUN. */
	readonly field: string | undefined;
	/** For STALE_VERSION: the version now stored. */
	readonly currentVersion: number | undefined;

	constructor(
		code: SavedEvaluationErrorCode,
		message: string,
		details: { field?: string; currentVersion?: number } = {}
	) {
		super(message);
		this.name = 'SavedEvaluationError';
		this.code = code;
		this.status = SAVED_EVALUATION_ERROR_STATUS[code];
		this.field = details.field;
		this.currentVersion = details.currentVersion;
	}
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** A GeoJSON position; whether it is WGS84 and inside the region is the engine's check. */
const position = z.array(z.number()).min(2).max(3);
const ring = z.array(position).max(100_000);

/** The project boundary, WGS84 (closed rings, no self-crossing, inside the region: checked by the engine). */
export const boundarySchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(1000) }),
	z.object({
		type: z.literal('MultiPolygon'),
		coordinates: z.array(z.array(ring).min(1).max(1000)).min(1).max(1000)
	})
]);

/** Where the boundary came from (engine BoundarySource); absent = drawn on the map. */
export const boundarySourceSchema = z.object({
	file: z.string().max(500).nullable(),
	format: z.enum(['geojson', 'shapefile', 'drawn']),
	crs: z.object({
		crs: z.string().min(1).max(50),
		how: z.enum(['override', 'declared', 'detected', 'assumed', 'drawn']),
		reason: z.string().max(2000)
	}),
	polygonFeatures: z.number().int().min(0),
	name: z.string().max(500).nullable(),
	notes: z.array(z.string().max(2000)).max(100)
});

export const projectFacilitySchema = z.object({
	id: z.string().trim().min(1).max(100).optional(),
	name: z.string().trim().min(1).max(200).optional(),
	kind: z.enum(FACILITY_KINDS),
	/** m², above 0: a planned facility must state its floor area. */
	floorAreaM2: z.number().positive().max(1_000_000),
	/** WGS84 [lon, lat] of its door. */
	position: lonLat,
	landAreaM2: z.number().min(0).max(10_000_000).nullable().optional()
});

/** Walking settings of the evaluation (engine defaults: 15 min, 1.0 m/s, no step penalty, 150 m snap). */
export const evaluationSettingsSchema = z.object({
	maxMinutes: z.number().positive().max(120).default(DEFAULT_WALK.maxMinutes),
	walkSpeedMps: z.number().positive().max(3).default(DEFAULT_WALK.walkSpeedMps),
	stepPenaltyS: z.number().min(0).max(300).default(DEFAULT_WALK.stepPenaltyS),
	maxSnapM: z.number().positive().max(2000).default(DEFAULT_MAX_SNAP_M)
});
export type EvaluationSettings = z.output<typeof evaluationSettingsSchema>;

/**
 * The project as entered (engine ProjectInput without its name, which is the evaluation's name)
 * and the walking settings: what is stored in `inputs_json` and evaluated again on a re-run.
 */
export const evaluationInputsSchema = z.object({
	boundary: boundarySchema,
	boundarySource: boundarySourceSchema.optional(),
	status: z.enum(RESIDENTIAL_STATUSES),
	/** Households (户); give this, or residentialFloorAreaM2 (the engine says which is missing). */
	households: z.number().int().positive().max(10_000_000).nullable().optional(),
	/** Residential floor area, m²: households = ⌈area ÷ dwellingM2⌉ (an estimate). */
	residentialFloorAreaM2: z.number().positive().max(1e9).nullable().optional(),
	/** Average dwelling floor area, m² per household (engine default 90). */
	dwellingM2: z.number().positive().max(10_000).nullable().optional(),
	/** Residents aged 60+ when known; default households × the region's elders per household. */
	elders: z.number().min(0).max(10_000_000).nullable().optional(),
	facilities: z.array(projectFacilitySchema).max(200).default([]),
	/** Entrances, WGS84 [lon, lat]. */
	gates: z.array(lonLat).max(200).default([]),
	settings: evaluationSettingsSchema.default({ ...DEFAULT_WALK, maxSnapM: DEFAULT_MAX_SNAP_M })
});
export type EvaluationInputs = z.output<typeof evaluationInputsSchema>;

/** What a client sends to save an evaluation (and, with `version`, to update one). */
export const evaluationRequestSchema = z.object({
	name: z.string().trim().min(1).max(200),
	regionId: z.string().regex(ID, 'expected a region id (lower-case letters, digits, hyphens)'),
	/** Default: the region's `defaultProfile`. */
	profileId: z
		.string()
		.regex(ID, 'expected a profile id (lower-case letters, digits, hyphens)')
		.optional(),
	inputs: evaluationInputsSchema
});
export type EvaluationRequest = z.output<typeof evaluationRequestSchema>;

export const evaluationUpdateSchema = evaluationRequestSchema.and(
	z.object({ version: z.number().int().min(1) })
);
export type EvaluationUpdate = z.output<typeof evaluationUpdateSchema>;

export const rerunRequestSchema = z
	.object({
		/** Store the new results (version + 1). */
		save: z.boolean().default(false),
		/** With `save`: only if the evaluation is still at this version (else STALE_VERSION). */
		version: z.number().int().min(1).optional()
	})
	.default({ save: false });

const amount = z.number().finite();
const verdict = z.enum(['compliant', 'conditional', 'non_compliant']);
const levelVerdict = z.enum(['pass', 'fail', 'no_data']);
const check = z.enum(EVALUATION_CHECKS);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha-256 in hex');

const stationSchema = z.object({
	id: z.string(),
	name: z.string(),
	kind: z.enum(FACILITY_KINDS),
	status: z.enum(['existing', 'planned']),
	project: z.boolean(),
	minutes: amount
});

const streetFiguresSchema = z.object({
	households: amount,
	elders: amount,
	eldersCovered: amount.nullable(),
	eldersCoveredShare: amount.nullable(),
	requiredM2: amount,
	providedM2: amount,
	deficitM2: amount,
	landPerElderM2: amount.nullable(),
	verdict: levelVerdict
});
export type StreetFiguresSummary = z.output<typeof streetFiguresSchema>;

const districtFiguresSchema = z.object({
	elders: amount.nullable(),
	landPerElderM2: amount.nullable(),
	verdict: levelVerdict
});

/** sha-256 of each data file of the region the evaluation read, and of them together. */
export const regionFingerprintSchema = z.object({
	/** sha-256 over the `name sha` lines of `files`, sorted by name. */
	sha256,
	/** File name (region.json, residential.geojson …) → sha-256 of its bytes. */
	files: z.record(z.string(), sha256)
});
export type RegionFingerprint = z.output<typeof regionFingerprintSchema>;

/**
 * The results snapshot stored with an evaluation: what the server computed when it was saved.
 * The whole evaluation (reasons with their clauses, map, profile) is stored beside it for the
 * report; these are the figures a list shows and a re-run compares.
 */
export const evaluationResultsSchema = z.object({
	/** ISO 8601 UTC. */
	computedAt: z.iso.datetime(),
	verdict,
	/** Some check could not run (`notRun`): the verdict rests on the checks that did. */
	incomplete: z.boolean(),
	/** What must change, in the order of the reasons. */
	conditions: z.array(
		z.object({ check, ruleId: z.string().nullable(), zh: z.string(), en: z.string() })
	),
	notRun: z.array(z.object({ check, reasonZh: z.string(), reasonEn: z.string() })),
	households: amount,
	householdsEstimated: z.boolean(),
	elders: amount.nullable(),
	eldersEstimated: z.boolean(),
	floorArea: z.object({
		requiredM2: amount.nullable(),
		providedM2: amount.nullable(),
		deficitM2: amount.nullable()
	}),
	circle: z.object({
		maxMinutes: amount,
		/** A station within the circle; null without a walking network. */
		covered: z.boolean().nullable(),
		/** Nearest facility, existing or planned (by the project), and its walking minutes. */
		nearest: stationSchema.nullable(),
		nearestExisting: stationSchema.nullable()
	}),
	streetCenter: z
		.object({
			name: z.string().nullable(),
			floorAreaM2: amount.nullable(),
			meetsMinimum: z.boolean().nullable(),
			minutes: amount.nullable(),
			withinCircle: z.boolean().nullable()
		})
		.nullable(),
	street: z.object({
		code: z.string().nullable(),
		name: z.string(),
		before: streetFiguresSchema,
		after: streetFiguresSchema
	}),
	district: z
		.object({
			code: z.string().nullable(),
			name: z.string(),
			before: districtFiguresSchema,
			after: districtFiguresSchema
		})
		.nullable(),
	profile: z.object({
		id: z.string(),
		version: z.union([z.string(), z.number()]),
		/** sha-256 of the profile as parsed (canonical JSON): changes when its rules change. */
		sha256
	}),
	region: z.object({ id: z.string(), fingerprint: regionFingerprintSchema })
});
export type EvaluationResults = z.output<typeof evaluationResultsSchema>;

/** A saved evaluation as the API returns it. */
export interface SavedEvaluation {
	id: string;
	name: string;
	regionId: string;
	profileId: string;
	inputs: EvaluationInputs;
	results: EvaluationResults;
	/** ISO 8601 UTC. */
	createdAt: string;
	updatedAt: string;
	version: number;
}

export interface EvaluationListItem {
	id: string;
	name: string;
	regionId: string;
	profileId: string;
	profileVersion: string | number;
	createdAt: string;
	updatedAt: string;
	computedAt: string;
	version: number;
	verdict: EvaluationResults['verdict'];
	incomplete: boolean;
	households: number;
	requiredM2: number | null;
	providedM2: number | null;
	deficitM2: number | null;
	/** Walking minutes to the nearest station (existing or planned); null when none is reached. */
	nearestMinutes: number | null;
	conditions: number;
}

/** One difference between the saved results and today's, in both languages. */
export interface EvaluationChange {
	/** Dotted path into EvaluationResults (`verdict`, `floorArea.requiredM2`, `conditions`, `region.fingerprint` …). */
	field: string;
	/** `added` / `removed`: a condition, a check not run, or a region data file. */
	kind: 'changed' | 'added' | 'removed';
	saved: unknown;
	current: unknown;
	zh: string;
	en: string;
}

/** POST /api/evaluations/<id>/rerun. */
export interface EvaluationRerun {
	/** The results as saved. */
	saved: EvaluationResults;
	/** The results with today's rules and data. */
	current: EvaluationResults;
	/** What differs, in the order: verdict, figures, conditions, profile, region data. */
	changes: EvaluationChange[];
	/** The new results were stored (`save: true`). */
	stored: boolean;
	/** The evaluation now stored (version + 1 when `stored`). */
	evaluation: SavedEvaluation;
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
	const field = issue.path.map(String).join('.');
	return { field, message: `field "${field || '(body)'}": ${issue.message}` };
}

/**
 * Parse with a schema; the first problem becomes INVALID_EVALUATION naming its field (the others
 * are listed in the message, up to three).
 * @param prefix prepended to the field paths (`inputs` when parsing the inputs alone)
 */
export function parseOrThrow<S extends z.ZodType>(
	schema: S,
	value: unknown,
	prefix = ''
): z.output<S> {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	const issues = parsed.error.issues.slice(0, 3).map((issue) => {
		const described = describeIssue({
			...issue,
			path: prefix ? [prefix, ...issue.path] : issue.path
		} as z.core.$ZodIssue);
		return described;
	});
	throw new SavedEvaluationError(
		'INVALID_EVALUATION',
		issues.map((issue) => issue.message).join('; '),
		{ field: issues[0]?.field }
	);
}
