/**
 * The rule-profile format: one JSON file `data/profiles/<id>.json` per jurisdiction's rule set.
 * A profile is data, not code: a bureau copies one, edits the numbers and citations, and the app
 * validates it on load (`parseProfile` in `profiles.ts` adds the checks zod cannot express).
 *
 * Every rule carries the clause it rests on, with the requirement quoted exactly in Chinese, so
 * that every verdict the checks produce can show its source (docs/RULES.md lists the five shipped
 * profiles). `kind` is a closed union: a check knows exactly which parameters it reads.
 */
import { z } from 'zod';
import { FACILITY_KINDS, ELDER_CLASSES } from '../region/schema.ts';

// ---------------------------------------------------------------- shared fields

const POSITIVE = 'expected a positive number';
const positiveNumber = z
	.number({ error: POSITIVE })
	.finite({ error: POSITIVE })
	.positive({ error: POSITIVE });
const positiveInteger = z
	.number({ error: 'expected a positive integer' })
	.int({ error: 'expected a positive integer' })
	.positive({ error: 'expected a positive integer' });
/** A share as a fraction: 0.7 means 70 %. */
const share = z
	.number({ error: 'expected a share between 0 and 1 (0.7 = 70 %)' })
	.gt(0, { error: 'expected a share between 0 and 1 (0.7 = 70 %)' })
	.lte(1, { error: 'expected a share between 0 and 1 (0.7 = 70 %)' });
/** Target year of a requirement ("至2035年", "2025年年底前"). */
const targetYear = z
	.number({ error: 'expected a year such as 2025' })
	.int({ error: 'expected a year such as 2025' })
	.min(2000, { error: 'expected a year such as 2025' })
	.max(2100, { error: 'expected a year such as 2025' });
const nonEmpty = (what: string) =>
	z
		.string({ error: `expected ${what} (text)` })
		.trim()
		.min(1, { error: `expected ${what}` });

function isCalendarDate(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

// ---------------------------------------------------------------- document and citation

export const DOCUMENT_STATUSES = ['in_force', 'draft', 'expired'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const policyDocument = z
	.object({
		/** Title as printed, e.g. 关于推进基本养老服务体系建设的实施意见. */
		title: nonEmpty('the document title'),
		/** 文号 such as 崂办字〔2024〕12号; null when the document has none (drafts) or it is not printed. */
		number: z.string().trim().min(1).nullable(),
		issuer: nonEmpty('the issuing office'),
		/** Issue date YYYY-MM-DD; null only together with `dateNote`. */
		date: z
			.string({ error: 'expected a date YYYY-MM-DD or null' })
			.refine(isCalendarDate, { error: 'expected a real calendar date YYYY-MM-DD' })
			.nullable(),
		dateNote: z.string().trim().min(1).optional(),
		status: z.enum(DOCUMENT_STATUSES, {
			error: `expected status to be one of ${DOCUMENT_STATUSES.join(', ')}`
		}),
		/** Anything a reader must know about the document (draft superseded by …, period covered …). */
		note: z.string().trim().min(1).optional()
	})
	.superRefine((document, context) => {
		if (document.date === null && !document.dateNote)
			context.addIssue({
				code: 'custom',
				path: ['dateNote'],
				message: 'expected a dateNote explaining why the date is null'
			});
	});

export const citation = z.object({
	/** Document title the clause is in (usually the profile's document title). */
	document: nonEmpty('the document title'),
	/** Enclosing part heading as printed, e.g. 二、坚持优化布局，完善基本养老服务设施建设. */
	section: nonEmpty('the section heading'),
	/** Clause label and heading as printed, e.g. （五）加强用地保障和设施配建 or 13. 加强社区养老服务设施配建. */
	clause: nonEmpty('the clause label'),
	/**
	 * The requirement quoted exactly in Chinese. Whitespace and line breaks of the source text are
	 * not significant (PDF line breaks); every other character must match the source file.
	 */
	quote: nonEmpty('the quoted requirement in Chinese')
});

// ---------------------------------------------------------------- rules by kind

const perStatusMinimum = z
	.object({ new: positiveNumber.optional(), existing: positiveNumber.optional() })
	.strict();

/**
 * Which compounds may pool (Yantai 4.: "占地面积较小的小区可…统筹多个小区规划配建"): the text names
 * small compounds and planned provision; how small, and which statuses, is the profile's choice.
 */
export const poolingScopeParams = z
	.object({
		/** A compound of at most this land area (m², from its polygon) counts as 占地面积较小. */
		maxLandAreaM2: positiveNumber,
		/** Statuses whose provision is 规划配建 (planned with the compound): usually only new ones. */
		statuses: z
			.array(z.enum(['new', 'existing'], { error: 'expected "new" or "existing"' }))
			.min(1, { error: 'expected at least one status' })
	})
	.strict();

/** Floor area of community elderly-care facilities per 100 households (每百户不低于 … 平方米). */
export const facilityAreaParams = z
	.object({
		newRateM2Per100Households: positiveNumber,
		existingRateM2Per100Households: positiveNumber,
		/**
		 * Single-site / single-project minimum floor area (单处 / 单个项目不低于 … 平方米), by status.
		 * Every site must reach it: a smaller site does not count toward the area (two 150 m² rooms
		 * under a 200 m² minimum provide 0 m²), and the requirement is at least one such site.
		 */
		minSingleSiteM2: perStatusMinimum.nullable(),
		/** Whether compounds may share facilities within one 15-minute circle. */
		poolingAllowed: z.boolean({ error: 'expected true or false' }),
		/** Which compounds may pool; absent = every compound (when `poolingAllowed`). */
		poolingOnly: poolingScopeParams.optional(),
		/** Provided area must not include apportioned shared areas (不计入分摊的共用建筑面积). */
		excludesSharedAreas: z.boolean({ error: 'expected true or false' }).optional()
	})
	.strict();

/**
 * Where a figure "per elder" is judged: the whole city (全市), the district (全区 / 全县), as the
 * text names it. A city-wide target is judged on the region's total, never per district.
 */
export const TARGET_SCOPES = ['city', 'district'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

export const welfareLandParams = z
	.object({
		minM2PerElder: positiveNumber,
		byYear: targetYear.optional(),
		scope: z.enum(TARGET_SCOPES, { error: 'expected scope "city" or "district"' })
	})
	.strict();

export const serviceCircleParams = z.object({ maxMinutes: positiveInteger }).strict();

export const streetCenterParams = z
	.object({
		minFloorAreaM2: positiveNumber,
		/** Service functions the centre must offer, in Chinese as printed (助餐, 助浴, …). */
		functions: z.array(nonEmpty('a function name')).optional(),
		byYear: targetYear.optional()
	})
	.strict();

export const communityStationParams = z.object({ minFloorAreaM2: positiveNumber }).strict();

/** A typical size ("一般为 350 平方米"): reported for comparison, not a pass/fail minimum. */
export const villageStationParams = z.object({ typicalFloorAreaM2: positiveNumber }).strict();

export const nursingBedShareParams = z.object({ minShare: share, byYear: targetYear }).strict();

export const socialWorkersParams = z
	.object({
		/** One social worker per this many institution beds. */
		perBeds: positiveInteger.optional(),
		/** One social worker per this many older residents. */
		perElders: positiveInteger.optional(),
		byYear: targetYear.optional()
	})
	.strict()
	.refine((params) => params.perBeds !== undefined || params.perElders !== undefined, {
		error: 'expected perBeds or perElders (or both)'
	});

export const COVERAGE_UNITS = ['community', 'village'] as const;
export type CoverageUnit = (typeof COVERAGE_UNITS)[number];

/** Every community (社区) / administrative village (行政村) has a station of one of these kinds. */
export const stationCoverageParams = z
	.object({
		units: z
			.array(z.enum(COVERAGE_UNITS, { error: 'expected "community" or "village"' }))
			.min(1, { error: 'expected at least one of "community", "village"' }),
		facilityKinds: z
			.array(z.enum(FACILITY_KINDS, { error: `expected one of ${FACILITY_KINDS.join(', ')}` }))
			.min(1, { error: 'expected at least one facility kind' }),
		/**
		 * The sentence names only some towns / streets (Qingdao rural 4.: the 2022 pilot towns):
		 * streets outside `codes` are reported for information, never judged.
		 */
		onlyStreets: z
			.object({
				codes: z.array(nonEmpty('a street code')),
				labelZh: nonEmpty('the Chinese name of the streets the sentence names'),
				labelEn: nonEmpty('the English name of the streets the sentence names')
			})
			.strict()
			.optional()
	})
	.strict();

/** 同步规划、同步建设、同步验收、同步交付 (四同步): a condition of approval for new compounds. */
export const synchronousDeliveryParams = z
	.object({
		stages: z.array(nonEmpty('a stage such as 同步规划')).min(1),
		statuses: z.array(z.enum(['new', 'existing'])).min(1)
	})
	.strict();

/** 养老服务设施配套建设作为土地出让前置条件 (Dong'e 13.): a condition before the land is sold. */
export const landSalePreconditionParams = z
	.object({ statuses: z.array(z.enum(['new', 'existing'])).min(1) })
	.strict();

/** Who the services are for: residents of at least `minAgeYears`, in the listed service classes. */
export const serviceObjectsParams = z
	.object({
		minAgeYears: positiveInteger,
		classes: z
			.array(z.enum(ELDER_CLASSES, { error: `expected one of ${ELDER_CLASSES.join(', ')}` }))
			.min(1)
	})
	.strict();

// ---------------------------------------------------------------- dated targets (issue 16)
// Judged on a region's indicator tables (region/indicators.ts), not on its map layers.

/** 家庭养老床位 (Yantai 5.: 全区新建家庭养老床位数达到300张以上 by end-2025). */
export const familyCareBedsParams = z
	.object({
		minBeds: positiveInteger,
		byYear: targetYear,
		scope: z.enum(TARGET_SCOPES, { error: 'expected scope "city" or "district"' })
	})
	.strict();

/** 特殊困难老年人月探访率 (Dong'e 6.: 2025年年底实现月探访率100%). */
export const specialVisitRateParams = z.object({ minShare: share, byYear: targetYear }).strict();

/** 老年人能力（与需求）综合评估 of everyone from an age (Yantai 1.: 80周岁以上 全覆盖 by end-2025). */
export const abilityAssessmentParams = z
	.object({ minAgeYears: positiveInteger, minShare: share, byYear: targetYear })
	.strict();

/**
 * The meal-assistance circle (助餐): the facilities that serve meals, within `maxMinutes` on foot.
 * `minShare` is the share of elders it must reach; absent = the text sets no number (普遍形成), and
 * the share is reported, never judged.
 */
export const mealServiceCircleParams = z
	.object({
		maxMinutes: positiveInteger,
		facilityKinds: z
			.array(z.enum(FACILITY_KINDS, { error: `expected one of ${FACILITY_KINDS.join(', ')}` }))
			.min(1, { error: 'expected at least one facility kind' }),
		minShare: share.optional(),
		byYear: targetYear.optional()
	})
	.strict();

export const RULE_KINDS = [
	'facility_area_per_households',
	'welfare_land_per_elder',
	'service_circle',
	'street_center_area',
	'community_station_area',
	'village_station_area',
	'nursing_bed_share',
	'social_workers',
	'station_coverage',
	'service_objects',
	'synchronous_delivery',
	'land_sale_precondition',
	'family_care_beds',
	'special_visit_rate',
	'ability_assessment',
	'meal_service_circle'
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const BINDINGS = ['requirement', 'target', 'inferred'] as const;
export type Binding = (typeof BINDINGS)[number];

export const interpretation = z
	.object({
		/** The parameter the choice sets, as a path in `params` (e.g. `poolingOnly.maxLandAreaM2`). */
		param: nonEmpty('the parameter the choice sets'),
		/** The sentence (quoted exactly, a part of the citation's quote) that leaves room. */
		quote: nonEmpty('the sentence that leaves room'),
		zh: nonEmpty('how we read it, in Chinese'),
		en: nonEmpty('how we read it, in English')
	})
	.strict();
export type Interpretation = z.infer<typeof interpretation>;

/**
 * Who "an elder" (老年人) is in the per-elder figures: as the text defines it (Qingdao city 1.:
 * 户籍 60+), or, where the text does not, the data's own count. Printed beside every figure per
 * elder (welfare land, social workers, m² per elder).
 */
export const elderDefinition = z
	.object({
		basis: z.enum(['text', 'data'], { error: 'expected basis "text" or "data"' }),
		zh: nonEmpty('the definition in Chinese'),
		en: nonEmpty('the definition in English'),
		/** The defining sentence when `basis` is `text`. */
		citation: citation.optional()
	})
	.strict();
export type ElderDefinition = z.infer<typeof elderDefinition>;

const ruleBase = {
	/** Stable id, lower-case with hyphens, e.g. community-facility-area. Reports cite it. */
	id: z
		.string({ error: 'expected a rule id (text)' })
		.regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected lower-case letters, digits and hyphens' }),
	/**
	 * Scope label when a profile holds two rules of one kind (e.g. "urban" and "rural"); checks pick
	 * the rule whose label matches their input, else the rule without one.
	 */
	appliesTo: z.string().trim().min(1).optional(),
	citation,
	/** How we read the clause where it is open to reading (e.g. a typical size, not a minimum). */
	note: z.string().trim().min(1).optional(),
	/**
	 * How binding the sentence is: `requirement` (the text requires it: a shortfall fails),
	 * `target` (力争, 基本…: a shortfall is a warning), `inferred` (no sentence requires it; we
	 * derive it from the text: a shortfall is a warning, and every finding says it is inferred).
	 * Absent = `target` when the quote says 力争 or 基本全覆盖, else `requirement`.
	 */
	binding: z
		.enum(BINDINGS, { error: `expected binding to be one of ${BINDINGS.join(', ')}` })
		.optional(),
	/**
	 * Choices the text leaves open, each a named parameter with the sentence that leaves room and
	 * how we read it; the report prints them beside the figure they change.
	 */
	interpretations: z.array(interpretation).optional()
};

const ruleOf = <K extends RuleKind, P extends z.ZodType>(kind: K, params: P) =>
	z.object({ ...ruleBase, kind: z.literal(kind), params }).strict();

export const rule = z.discriminatedUnion(
	'kind',
	[
		ruleOf('facility_area_per_households', facilityAreaParams),
		ruleOf('welfare_land_per_elder', welfareLandParams),
		ruleOf('service_circle', serviceCircleParams),
		ruleOf('street_center_area', streetCenterParams),
		ruleOf('community_station_area', communityStationParams),
		ruleOf('village_station_area', villageStationParams),
		ruleOf('nursing_bed_share', nursingBedShareParams),
		ruleOf('social_workers', socialWorkersParams),
		ruleOf('station_coverage', stationCoverageParams),
		ruleOf('service_objects', serviceObjectsParams),
		ruleOf('synchronous_delivery', synchronousDeliveryParams),
		ruleOf('land_sale_precondition', landSalePreconditionParams),
		ruleOf('family_care_beds', familyCareBedsParams),
		ruleOf('special_visit_rate', specialVisitRateParams),
		ruleOf('ability_assessment', abilityAssessmentParams),
		ruleOf('meal_service_circle', mealServiceCircleParams)
	],
	{ error: `expected kind to be one of ${RULE_KINDS.join(', ')}` }
);

// ---------------------------------------------------------------- profile

export const ruleProfile = z
	.object({
		/** Equals the file name without `.json`. */
		id: z
			.string({ error: 'expected a profile id (text)' })
			.regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected lower-case letters, digits and hyphens' }),
		/** Bumped on every edit: a positive integer or a semver string such as "1.2.0". */
		version: z.union([positiveInteger, z.string().regex(SEMVER)], {
			error: 'expected a positive integer or a semver string such as "1.0.0"'
		}),
		jurisdiction: z
			.object({
				zh: nonEmpty('the jurisdiction in Chinese'),
				en: nonEmpty('the jurisdiction in English'),
				/**
				 * GB/T 2260 codes (or their 2- / 4-digit province / city prefixes) of the places the
				 * text governs: a region none of whose districts falls under them is told so.
				 */
				codes: z
					.array(
						z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, {
							error: 'expected a GB/T 2260 code of 2, 4 or 6 digits, such as "370212"'
						}),
						{ error: 'expected a list of GB/T 2260 codes' }
					)
					.min(1, { error: 'expected at least one GB/T 2260 code' })
					// Optional: a profile written before issue 15 still loads; the map then says it
					// cannot check whether the profile governs the region.
					.optional()
			})
			.strict(),
		document: policyDocument,
		/** File name of the policy text the rules were read from (in ../shared/policies/). */
		sourceFile: z
			.string({ error: 'expected the policy text file name' })
			.regex(/^[^/\\]+\.txt$/, { error: 'expected a plain .txt file name without folders' }),
		/** Who counts as an elder in this profile's per-elder figures (see `elderDefinition`). */
		elderDefinition,
		rules: z.array(rule).min(1, { error: 'expected at least one rule' })
	})
	.strict();

export type RuleProfile = z.infer<typeof ruleProfile>;
export type Rule = z.infer<typeof rule>;
export type Citation = z.infer<typeof citation>;
export type PolicyDocument = z.infer<typeof policyDocument>;
/** The rule of one kind, with its params typed. */
export type RuleOfKind<K extends RuleKind> = Extract<Rule, { kind: K }>;
export type FacilityAreaRule = RuleOfKind<'facility_area_per_households'>;
export type ServiceCircleRule = RuleOfKind<'service_circle'>;
