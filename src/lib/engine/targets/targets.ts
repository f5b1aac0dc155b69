/**
 * The targets view (issue 16): every target of the active profile that bureaus report on — dated
 * ones above all — per street, district or the whole region, with the figure now, the gap, the
 * year due and whether it is overdue on a given date.
 *
 * Each rule is checked in one place: the figures come from the indicator table (issue 16) or from
 * the gap analysis (street centres, beds of the facilities layer, welfare land, the meal circle);
 * the verdicts come from the rule functions in rules/ and from `mealCircleVerdict`
 * (coverage/meal-circle.ts). This module only picks the figures and dates the verdicts.
 *
 * Places: the analysis's districts and streets with a code; the targets the table alone answers
 * per street (visits, assessments) also list the table's streets the map has no boundary for,
 * under a district of the analysis (the demo region is drawn with district boundaries only).
 */
import type { Analysis, DistrictRow, StreetRow } from '../analysis/types.ts';
import {
	mealCircleGroupVerdict,
	mealCircleVerdict,
	type MealCircleResult,
	type MealCircleRule,
	type MealCircleVerdict
} from '../coverage/meal-circle.ts';
import type { IndicatorRow } from '../region/indicators.ts';
import { checkAbilityAssessment } from '../rules/ability-assessment.ts';
import { checkFamilyCareBeds } from '../rules/family-beds.ts';
import type { CheckReason } from '../rules/findings.ts';
import { checkNursingBedShare } from '../rules/nursing-beds.ts';
import type { Citation, Rule, RuleKind, RuleOfKind } from '../rules/profile-schema.ts';
import { checkSocialWorkers } from '../rules/social-workers.ts';
import type { TargetCheck } from '../rules/target-check.ts';
import { checkSpecialVisitRate } from '../rules/visit-rate.ts';
import { IndicatorLookup, type IndicatorValue } from './indicator-values.ts';

/**
 * met: reached. behind: not reached, not yet due. overdue: not reached and the year is over.
 * unknown: a figure is missing. reported: the rule sets no number, the figure is shown only.
 */
export const TARGET_STATUSES = ['overdue', 'behind', 'unknown', 'met', 'reported'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export type TargetLevel = 'region' | 'district' | 'street';

/** Where the figure comes from, for the "source" column. */
export interface FigureOrigin {
	/** `indicators`: the imported table; `analysis`: the map layers (facilities, compounds). */
	from: 'indicators' | 'analysis';
	asOf: string | null;
	source: string | null;
	/** How an indicator figure was put together (`row`, or summed from streets / institutions). */
	summedFrom: 'streets' | 'institutions' | null;
	parts: number;
}

export interface TargetRow {
	ruleId: string;
	kind: RuleKind;
	citation: Citation;
	level: TargetLevel;
	code: string | null;
	name: string;
	/** The district of a street row. */
	districtName: string | null;
	byYear: number | null;
	status: TargetStatus;
	value: number | null;
	target: number | null;
	gap: number | null;
	unit: TargetCheck['unit'];
	origin: FigureOrigin;
	reason: CheckReason;
}

export interface TargetsResult {
	/** The date the verdicts are dated on (YYYY-MM-DD): "overdue" is after 31 December of byYear. */
	date: string;
	/** Whether an indicator table was given (null = none imported). */
	hasIndicators: boolean;
	rows: TargetRow[];
	counts: Record<TargetStatus, number>;
}

/** The kinds the targets view lists (the rest are per-compound rules or approval conditions). */
export const TARGET_KINDS: ReadonlySet<RuleKind> = new Set<RuleKind>([
	'street_center_area',
	'nursing_bed_share',
	'social_workers',
	'welfare_land_per_elder',
	'family_care_beds',
	'special_visit_rate',
	'ability_assessment',
	'meal_service_circle'
]);

export interface TargetsInput {
	analysis: Analysis;
	indicators: readonly IndicatorRow[] | null;
	/** YYYY-MM-DD: the report's date, or today in the map. */
	date: string;
	/**
	 * The meal-assistance circle of the same analysis (coverage/meal-circle.ts `computeMealCircle`,
	 * under the profile's meal_service_circle rule): rows for the region, each district and each
	 * street with a code, judged by `mealCircleVerdict`. null = no walking network (one region row,
	 * unknown, saying why); absent = not computed, no meal rows.
	 */
	meal?: MealCircleResult | null;
}

const ANALYSIS_ORIGIN: FigureOrigin = {
	from: 'analysis',
	asOf: null,
	source: null,
	summedFrom: null,
	parts: 0
};

function originOf(values: (IndicatorValue | null)[]): FigureOrigin {
	const known = values.filter((value): value is IndicatorValue => value !== null);
	if (!known.length) return ANALYSIS_ORIGIN;
	const summed = known.find((value) => value.from !== 'row');
	return {
		from: 'indicators',
		asOf: known.reduce(
			(oldest, value) => (value.asOf < oldest ? value.asOf : oldest),
			known[0].asOf
		),
		source: [...new Set(known.flatMap((value) => value.source.split('；')))].join('；'),
		summedFrom: summed ? (summed.from as 'streets' | 'institutions') : null,
		parts: summed?.parts ?? 1
	};
}

/** The status of a check on `date`. */
export function targetStatus(
	check: TargetCheck,
	byYear: number | null,
	date: string
): TargetStatus {
	if (!check.judged) return 'unknown';
	if (check.met === null) return 'reported';
	if (check.met) return 'met';
	return byYear !== null && date > `${byYear}-12-31` ? 'overdue' : 'behind';
}

/**
 * @example
 * const targets = analyzeTargets({ analysis, indicators: region.indicators, date: '2026-12-03' });
 * targets.rows.filter((row) => row.status === 'overdue'); // the streets and districts behind a past year
 * @throws {RangeError} when `meal` was computed under another rule than the profile's
 */
export function analyzeTargets(input: TargetsInput): TargetsResult {
	const { analysis, date } = input;
	const lookup = new IndicatorLookup(input.indicators, date);
	const rows: TargetRow[] = [];
	// Street codes and institution ids per district, and rows by code or id (the first, as
	// `find` gave it), gathered once: filtering every street and facility for each district and
	// rule, and finding rows by scanning, grew with the square of a region (issue 18).
	const streetCodesByDistrict = new Map<string | null, string[]>();
	for (const street of analysis.streets)
		if (street.code !== null) listIn(streetCodesByDistrict, street.districtCode).push(street.code);
	const institutionIdsByDistrict = new Map<string | null, string[]>();
	for (const facility of analysis.facilities)
		if (facility.kind === 'institution')
			listIn(institutionIdsByDistrict, facility.districtCode).push(facility.id);
	const streetsOf = (district: DistrictRow): readonly string[] =>
		streetCodesByDistrict.get(district.code) ?? [];
	const institutionsOf = (district: DistrictRow): readonly string[] =>
		institutionIdsByDistrict.get(district.code) ?? [];
	const facilityById = firstBy(analysis.facilities, (facility) => facility.id);
	const districts = analysis.districts.filter((district) => district.code !== null);
	const streets = analysis.streets.filter((street) => street.code !== null);
	const districtByCode = firstBy(districts, (district) => district.code);
	const streetByCode = firstBy(streets, (street) => street.code);
	// The table's own per-street targets (visits, assessments) also list the streets the table
	// reports that the map has no boundary for (a region drawn with district boundaries only).
	const reportedStreets = [...streets, ...tableStreets(input.indicators, streets, districts)];

	const push = (
		rule: Rule,
		place: { level: TargetLevel; code: string | null; name: string; districtName?: string | null },
		check: TargetCheck,
		origin: FigureOrigin
	) => {
		const byYear = 'byYear' in rule.params ? (rule.params.byYear ?? null) : null;
		rows.push({
			ruleId: rule.id,
			kind: rule.kind,
			citation: rule.citation,
			level: place.level,
			code: place.code,
			name: place.name,
			districtName: place.districtName ?? null,
			byYear,
			status: targetStatus(check, byYear, date),
			value: check.value,
			target: check.target,
			gap: check.gap,
			unit: check.unit,
			origin,
			reason: check.reason
		});
	};

	for (const rule of analysis.profile.rules) {
		if (!TARGET_KINDS.has(rule.kind)) continue;
		switch (rule.kind) {
			case 'street_center_area':
				for (const street of streets)
					push(rule, streetPlace(street), streetCenterCheck(street, rule), ANALYSIS_ORIGIN);
				break;
			case 'nursing_bed_share':
				for (const district of districts) {
					const streetCodes = streetsOf(district);
					const institutions = institutionsOf(district);
					const beds = lookup.district(district.code, 'beds', streetCodes, institutions);
					const nursing = lookup.district(district.code, 'nursingBeds', streetCodes, institutions);
					const fromTable = beds !== null && nursing !== null;
					const figures = fromTable
						? {
								institutions: institutions.length,
								unknownCount: 0,
								beds: beds.value,
								nursingBeds: nursing.value,
								share: beds.value > 0 ? nursing.value / beds.value : null,
								estimated: false
							}
						: {
								institutions: institutions.length,
								unknownCount: institutions.filter((id) => {
									const f = facilityById.get(id)!;
									return f.beds === null || f.nursingBeds === null;
								}).length,
								beds: district.beds,
								nursingBeds: district.nursingBeds,
								share: district.nursingBedShare,
								estimated: district.usesEstimate
							};
					const { reason, judged } = checkNursingBedShare(figures, rule);
					const share = figures.share;
					const met = judged && share !== null ? share >= rule.params.minShare : null;
					push(
						rule,
						districtPlace(district),
						{
							judged,
							met,
							value: share,
							target: rule.params.minShare,
							gap: met === null ? null : met ? 0 : rule.params.minShare - (share ?? 0),
							unit: '%',
							reason
						},
						fromTable ? originOf([beds, nursing]) : ANALYSIS_ORIGIN
					);
				}
				break;
			case 'social_workers':
				for (const district of districts) {
					const streetCodes = streetsOf(district);
					const workers = lookup.district(district.code, 'socialWorkers', streetCodes);
					const beds = lookup.district(
						district.code,
						'beds',
						streetCodes,
						institutionsOf(district)
					);
					const check = checkSocialWorkers(
						{
							code: district.code,
							name: district.name,
							elders: district.elders,
							eldersEstimated: district.eldersEstimated,
							beds: beds?.value ?? district.beds,
							workers: workers?.value ?? null
						},
						rule,
						analysis.profile
					);
					push(rule, districtPlace(district), check, originOf([workers, beds]));
				}
				break;
			case 'welfare_land_per_elder':
				if (rule.params.scope === 'city') {
					const reason = analysis.regionFindings.find((finding) => finding.ruleId === rule.id);
					if (reason)
						push(rule, regionPlace(analysis), welfareLandCheck(reason, rule), ANALYSIS_ORIGIN);
				} else
					for (const district of districts) {
						const reason = district.reasons.find((finding) => finding.ruleId === rule.id);
						if (reason)
							push(rule, districtPlace(district), welfareLandCheck(reason, rule), ANALYSIS_ORIGIN);
					}
				break;
			case 'family_care_beds':
				if (rule.params.scope === 'city') {
					const parts = districts.map((district) =>
						lookup.district(district.code, 'familyBeds', streetsOf(district))
					);
					const total =
						parts.every((part) => part !== null) && parts.length
							? parts.reduce((sum, part) => sum + part!.value, 0)
							: null;
					push(rule, regionPlace(analysis), checkFamilyCareBeds(total, rule), originOf(parts));
				} else
					for (const district of districts) {
						const beds = lookup.district(district.code, 'familyBeds', streetsOf(district));
						push(
							rule,
							districtPlace(district),
							checkFamilyCareBeds(beds?.value ?? null, rule),
							originOf([beds])
						);
					}
				break;
			case 'special_visit_rate':
				for (const district of districts) {
					const rate = lookup.districtShare(
						district.code,
						'visitRate',
						'specialElders',
						streetsOf(district)
					);
					push(
						rule,
						districtPlace(district),
						checkSpecialVisitRate(rate?.value ?? null, rule),
						originOf([rate])
					);
				}
				for (const street of reportedStreets) {
					const rate = lookup.own('street', street.code, 'visitRate');
					push(
						rule,
						streetPlace(street),
						checkSpecialVisitRate(rate?.value ?? null, rule),
						originOf([rate])
					);
				}
				break;
			case 'ability_assessment':
				for (const district of districts) {
					const streetCodes = streetsOf(district);
					const residents = lookup.district(district.code, 'elders80', streetCodes);
					const assessed = lookup.district(district.code, 'assessed80', streetCodes);
					push(
						rule,
						districtPlace(district),
						checkAbilityAssessment(
							{ residents: residents?.value ?? null, assessed: assessed?.value ?? null },
							rule
						),
						originOf([residents, assessed])
					);
				}
				for (const street of reportedStreets) {
					const residents = lookup.own('street', street.code, 'elders80');
					const assessed = lookup.own('street', street.code, 'assessed80');
					push(
						rule,
						streetPlace(street),
						checkAbilityAssessment(
							{ residents: residents?.value ?? null, assessed: assessed?.value ?? null },
							rule
						),
						originOf([residents, assessed])
					);
				}
				break;
			case 'meal_service_circle': {
				const meal = input.meal;
				if (meal === undefined) break;
				if (meal !== null && meal.ruleId !== rule.id)
					throw new RangeError(
						`analyzeTargets: the meal circle was computed under rule "${meal.ruleId}", the profile's is "${rule.id}"`
					);
				push(
					rule,
					regionPlace(analysis),
					mealCheck(rule, mealCircleVerdict(rule, meal)),
					ANALYSIS_ORIGIN
				);
				if (meal === null) break;
				for (const group of meal.districts) {
					if (group.code === null) continue;
					const district = districtByCode.get(group.code);
					push(
						rule,
						{ level: 'district', code: group.code, name: district?.name ?? group.name },
						mealCheck(rule, mealCircleGroupVerdict(rule, meal, group)),
						ANALYSIS_ORIGIN
					);
				}
				for (const group of meal.streets) {
					if (group.code === null) continue;
					const street = streetByCode.get(group.code);
					push(
						rule,
						{
							level: 'street',
							code: group.code,
							name: street?.name ?? group.name,
							districtName: street?.districtName ?? null
						},
						mealCheck(rule, mealCircleGroupVerdict(rule, meal, group)),
						ANALYSIS_ORIGIN
					);
				}
				break;
			}
		}
	}
	const counts = Object.fromEntries(TARGET_STATUSES.map((status) => [status, 0])) as Record<
		TargetStatus,
		number
	>;
	for (const row of rows) counts[row.status]++;
	return { date, hasIndicators: !lookup.isEmpty, rows, counts };
}

/** The list under `key`, made empty when absent. */
function listIn<K, V>(lists: Map<K, V[]>, key: K): V[] {
	let list = lists.get(key);
	if (!list) lists.set(key, (list = []));
	return list;
}

/** Items by key, the first of each key (what `find` returns). */
function firstBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T> {
	const byKey = new Map<K, T>();
	for (const item of items) {
		const key = keyOf(item);
		if (!byKey.has(key)) byKey.set(key, item);
	}
	return byKey;
}

/** A street a target row names: a street of the analysis, or one only the table reports. */
type StreetOfTargets = Pick<StreetRow, 'code' | 'name' | 'districtName'>;

/**
 * Streets of the indicator table that are no street of the analysis, in table order, named as
 * the table's newest row names them, under their district (所属区县, else the code's first six
 * digits) when it is a district of the analysis — only those, so no street of another place.
 */
function tableStreets(
	rows: readonly IndicatorRow[] | null,
	streets: readonly StreetRow[],
	districts: readonly DistrictRow[]
): StreetOfTargets[] {
	const known = new Set(streets.map((street) => street.code));
	const districtByCode = firstBy(districts, (district) => district.code);
	const found = new Map<string, { row: IndicatorRow; district: DistrictRow }>();
	for (const row of rows ?? []) {
		if (row.level !== 'street' || known.has(row.code)) continue;
		const districtCode = row.parentCode ?? row.code.slice(0, 6);
		const district = districtByCode.get(districtCode);
		if (!district) continue;
		const seen = found.get(row.code);
		if (!seen || row.asOf > seen.row.asOf) found.set(row.code, { row, district });
	}
	return [...found.values()].map(({ row, district }) => ({
		code: row.code,
		name: row.name,
		districtName: district.name
	}));
}

/**
 * The rows of `targets` that `keep` keeps, counted again — e.g. those of the street and district
 * a project lies in (evaluation/evaluate.ts). Nothing is judged again.
 * @example targetsWhere(targets, (row) => row.level === 'district' && row.code === '310115')
 */
export function targetsWhere(
	targets: TargetsResult,
	keep: (row: TargetRow) => boolean
): TargetsResult {
	const rows = targets.rows.filter(keep);
	const counts = Object.fromEntries(TARGET_STATUSES.map((status) => [status, 0])) as Record<
		TargetStatus,
		number
	>;
	for (const row of rows) counts[row.status]++;
	return { ...targets, rows, counts };
}

const streetPlace = (street: StreetOfTargets) => ({
	level: 'street' as const,
	code: street.code,
	name: street.name,
	districtName: street.districtName
});
const districtPlace = (district: DistrictRow) => ({
	level: 'district' as const,
	code: district.code,
	name: district.name
});
const regionPlace = (analysis: Analysis) => ({
	level: 'region' as const,
	code: null,
	name: analysis.settings.regionName
});

/** The street analysis already judged the centre (rules/street-center.ts): its finding, dated. */
function streetCenterCheck(street: StreetRow, rule: RuleOfKind<'street_center_area'>): TargetCheck {
	const reason = street.reasons.find((finding) => finding.ruleId === rule.id);
	const { floorAreaM2, meetsMinimum } = street.center;
	const min = rule.params.minFloorAreaM2;
	return {
		judged: meetsMinimum !== null,
		met: meetsMinimum,
		value: floorAreaM2,
		target: min,
		gap: meetsMinimum === null ? null : meetsMinimum ? 0 : min - (floorAreaM2 ?? 0),
		unit: 'm²',
		reason: reason ?? {
			ruleId: rule.id,
			citation: rule.citation,
			severity: 'warning',
			messageZh: '本街道没有该规则的核查结果',
			messageEn: 'The street has no finding for this rule',
			numbers: {},
			usesEstimate: false
		}
	};
}

/**
 * The meal circle's verdict (coverage/meal-circle.ts, the one place the rule is judged) as a
 * target: the share of elders within the circle, in % like the other shares.
 */
function mealCheck(rule: MealCircleRule, verdict: MealCircleVerdict): TargetCheck {
	const share = verdict.reason.numbers.share ?? null;
	const minShare = rule.params.minShare ?? null;
	const { status } = verdict;
	return {
		judged: status !== 'cannot_compute',
		met: status === 'met' ? true : status === 'not_met' ? false : null,
		value: share,
		target: minShare,
		gap:
			status === 'met'
				? 0
				: status === 'not_met' && minShare !== null && share !== null
					? minShare - share
					: null,
		unit: '%',
		reason: verdict.reason
	};
}

/** The district (or city-wide) welfare-land finding of the analysis, as a target. */
function welfareLandCheck(
	reason: CheckReason,
	rule: RuleOfKind<'welfare_land_per_elder'>
): TargetCheck {
	// rules/welfare-land.ts: info = meets, fail = short, warning = a land area or the elders unknown.
	const perElder = reason.numbers.landPerElderM2 ?? null;
	const min = rule.params.minM2PerElder;
	const judged = reason.severity !== 'warning';
	const met = judged ? reason.severity === 'info' : null;
	return {
		judged,
		met,
		value: perElder,
		target: min,
		gap: met === null ? null : met ? 0 : perElder === null ? null : min - perElder,
		unit: 'm²/人',
		reason
	};
}
