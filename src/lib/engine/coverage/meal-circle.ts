/**
 * The meal-assistance circle (助餐服务圈, issue 16 item 3): a second service layer beside the
 * 15-minute care circle. Which facilities serve meals and how far an elder may walk to one come
 * from the profile's `meal_service_circle` rule (Yantai 6.: 助餐 inside the 15-minute circle by
 * 2025; Laoshan （十一）: no distance, so the rule is inferred and only reports a share).
 *
 * No walking code of its own: it is `computeCoverage` run on the facilities of the rule's kinds
 * (existing ones and any planned stations of those kinds the caller passes) at the rule's minutes,
 * then summed per compound, street and district. Streets and districts are keyed as the gap
 * analysis keys them (analysis/streets.ts, districts.ts): by the compound's place (`PlaceRef`:
 * its own street code, else the boundary polygon it lies in), code first, else name, else the
 * 未划分街道 / 未划分区县 group; sums by `totalsBy` (coverage/totals.ts), unknown elders counted,
 * never taken as 0.
 *
 * Without a walking network nothing is computed: `computeMealCircle` returns null and
 * `mealCircleVerdict` says why, never a share of 0.
 */
import { buildPlaceIndex, placeOfArea, type PlaceIndex } from '../analysis/places.ts';
import { NO_DISTRICT_NAME } from '../analysis/districts.ts';
import { NO_STREET_NAME } from '../analysis/streets.ts';
import type { PlaceRef } from '../analysis/types.ts';
import { formatAmount, formatShare } from '../format.ts';
import type { SegmentIndex } from '../graph/snap.ts';
import {
	FACILITY_KIND_NAMES_ZH,
	type FacilityFeature,
	type FacilityKind,
	type ResidentialFeature
} from '../region/schema.ts';
import { bindingNote, citeRule, shortfallSeverity, type CheckReason } from '../rules/findings.ts';
import type { RuleOfKind, RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import { computeCoverage, type CoverageResult, type LabelledSearch } from './coverage.ts';
import { totalsBy, type CoverageTotals } from './totals.ts';

export type MealCircleRule = RuleOfKind<'meal_service_circle'>;

/** The walk of the current settings; the minutes are the rule's, not the care circle's. */
export interface MealWalk {
	/** m/s (1.0 default, 0.8 frail elders). */
	walkSpeedMps: number;
	/** Extra seconds per flight of steps. */
	stepPenaltyS: number;
	/** Gates and doors farther than this from the network are off-network (default 150 m). */
	maxSnapM?: number;
}

/** One compound in the meal circle (layer order). */
export interface MealCircleCompound {
	id: string;
	/** Walking minutes to the nearest meal provider; null = none within the report bound (60 min). */
	minutes: number | null;
	covered: boolean;
}

/** Elders in the meal circle over one street or district. */
export interface MealCircleGroup {
	/** Street / district code; null for a group known only by name and for the no-street group. */
	code: string | null;
	name: string;
	compounds: number;
	/** Elders of the compounds whose elders are known (persons). */
	elders: number;
	eldersCovered: number;
	/** eldersCovered ÷ elders; null when no elders are known. */
	share: number | null;
	/** Compounds whose elders are unknown (left out of the sums, not taken as 0). */
	eldersUnknownCompounds: number;
	/** Some counted elders are estimates. */
	usesEstimate: boolean;
}

export interface MealCircleResult {
	ruleId: string;
	/** The rule's walk, minutes. */
	maxMinutes: number;
	facilityKinds: FacilityKind[];
	/** Facilities of those kinds, existing and planned (on the network or not). */
	providers: number;
	/** Of `providers`, those whose door is off the walking network (not counted as reaching). */
	providersOffNetwork: number;
	/** False when the region has no facilities layer (and no planned station): providers unknown. */
	providersKnown: boolean;
	/** Elders of the compounds whose elders are known (persons). */
	eldersTotal: number;
	eldersCovered: number;
	/** eldersCovered ÷ eldersTotal; null when no elders are known. */
	share: number | null;
	eldersUnknownCompounds: number;
	/** Some counted elders are estimates (the compound's `estimated.elders`). */
	usesEstimate: boolean;
	compounds: MealCircleCompound[];
	streets: MealCircleGroup[];
	districts: MealCircleGroup[];
}

/**
 * The profile's meal-assistance circle rule, or null when it sets none.
 * @example mealCircleRule(laoshan)?.params.facilityKinds // ['meal_point']
 */
export function mealCircleRule(profile: RuleProfile): MealCircleRule | null {
	return ruleOfKind(profile, 'meal_service_circle');
}

/**
 * The facilities that serve meals under the rule: those whose kind is in `facilityKinds`.
 * @example mealProviders(facilities, rule).length
 */
export function mealProviders(
	facilities: readonly FacilityFeature[],
	rule: MealCircleRule
): FacilityFeature[] {
	const kinds = new Set<FacilityKind>(rule.params.facilityKinds);
	return facilities.filter((facility) => kinds.has(facility.properties.kind));
}

/**
 * The kind a new meal provider is planned as: meal_point (助餐点) when the rule counts it, else
 * the rule's first kind (so that a planned site always counts in the circle).
 */
export function mealStationKind(rule: MealCircleRule): FacilityKind {
	return rule.params.facilityKinds.includes('meal_point')
		? 'meal_point'
		: rule.params.facilityKinds[0];
}

/**
 * The meal-assistance circle: which compounds have a meal provider within the rule's minutes on
 * foot, and the elders covered per compound, street, district and in all.
 *
 * @param index segment index of the walking graph; null = no network (returns null)
 * @param search a labelled search on the same graph (the session's WalkSearch, reused)
 * @param residential the compounds (layer order)
 * @param facilities every facility of the plan (existing, moved, planned); only the rule's kinds
 *   are used. null = the region has no facilities layer (`providersKnown: false`)
 * @param rule the profile's meal_service_circle rule (`mealCircleRule`)
 * @param walk speed (m/s) and step penalty (s) of the current settings; maxSnapM default 150 m
 * @param places where each compound lies, for the street and district sums: the analysis's area
 *   rows (`Analysis.areas`, same order), or a place index (boundaries) to place them; default:
 *   the compound's own street code only (district from its first six digits)
 * @returns null without a network; never a share of 0 for "not computed"
 * @example
 * const rule = mealCircleRule(profile);
 * const meal = rule && computeMealCircle(index, search, residential, facilities, rule,
 *   { walkSpeedMps: 1, stepPenaltyS: 0 }, analysis.areas);
 * meal?.share; // 0.62
 */
export function computeMealCircle(
	index: SegmentIndex | null,
	search: LabelledSearch | null,
	residential: readonly ResidentialFeature[],
	facilities: readonly FacilityFeature[] | null,
	rule: MealCircleRule,
	walk: MealWalk,
	places?: readonly PlaceRef[] | PlaceIndex
): MealCircleResult | null {
	if (!index || !search) return null;
	const providers = mealProviders(facilities ?? [], rule);
	// Only the nearest provider counts here: no catchment per provider.
	const coverage = computeCoverage(
		index,
		search,
		[...residential],
		providers,
		{
			maxMinutes: rule.params.maxMinutes,
			walkSpeedMps: walk.walkSpeedMps,
			stepPenaltyS: walk.stepPenaltyS,
			...(walk.maxSnapM === undefined ? {} : { maxSnapM: walk.maxSnapM })
		},
		{ catchments: false }
	);
	return mealCircleFromCoverage(coverage, rule, residential, places, facilities !== null);
}

const NONE = '\u0000none';

/**
 * The meal circle's figures from a coverage already computed on the meal providers alone (what
 * `computeMealCircle` does; exported for callers that ran `computeCoverage` themselves).
 * @param providersKnown false when the region has no facilities layer
 */
export function mealCircleFromCoverage(
	coverage: CoverageResult,
	rule: MealCircleRule,
	residential: readonly ResidentialFeature[],
	places?: readonly PlaceRef[] | PlaceIndex,
	providersKnown = true
): MealCircleResult {
	const rows = coverage.compounds;
	const placeOf = placesOf(residential, places);
	const estimated = (i: number) =>
		rows[i].elders !== null && rows[i].estimated.elders !== undefined;

	const groups = (
		keyOf: (place: PlaceRef) => { key: string; code: string | null; name: string }
	): MealCircleGroup[] => {
		const estimatedKeys = new Set<string>();
		const codes = new Map<string, string | null>();
		const totals = totalsBy(rows, (_, i) => {
			const { key, code, name } = keyOf(placeOf(i));
			codes.set(key, code);
			if (estimated(i)) estimatedKeys.add(key);
			return { key, name };
		});
		// Like the analysis: the group of compounds in no street / district last.
		const ordered = [
			...totals.filter((t) => t.key !== NONE),
			...totals.filter((t) => t.key === NONE)
		];
		return ordered.map((t) => groupOf(t, codes.get(t.key) ?? null, estimatedKeys.has(t.key)));
	};

	const [region] = totalsBy(rows, () => ({ key: 'region', name: '' }));
	return {
		ruleId: rule.id,
		maxMinutes: rule.params.maxMinutes,
		facilityKinds: [...rule.params.facilityKinds],
		providers: coverage.facilities.length,
		providersOffNetwork: coverage.facilities.filter((f) => !f.placed).length,
		providersKnown,
		eldersTotal: region?.elders ?? 0,
		eldersCovered: region?.eldersCovered ?? 0,
		share: region?.eldersCoveredShare ?? null,
		eldersUnknownCompounds: region?.eldersUnknownCompounds ?? 0,
		usesEstimate: rows.some((_, i) => estimated(i)),
		compounds: rows.map((row) => ({ id: row.id, minutes: row.minutes, covered: row.covered })),
		// Street: its code, else its name, else no street (analysis/streets.ts streetKeyOf).
		streets: groups((place) =>
			place.streetCode !== null
				? {
						key: place.streetCode,
						code: place.streetCode,
						name: place.streetName ?? place.streetCode
					}
				: place.streetName !== null
					? { key: `name:${place.streetName}`, code: null, name: place.streetName }
					: { key: NONE, code: null, name: NO_STREET_NAME }
		),
		// District: its code, else its name, else no district (analysis/districts.ts keyOf).
		districts: groups((place) =>
			place.districtCode !== null
				? {
						key: place.districtCode,
						code: place.districtCode,
						name: place.districtName ?? place.districtCode
					}
				: place.districtName !== null
					? { key: `name:${place.districtName}`, code: null, name: place.districtName }
					: { key: NONE, code: null, name: NO_DISTRICT_NAME }
		)
	};
}

function groupOf(totals: CoverageTotals, code: string | null, usesEstimate: boolean) {
	return {
		code,
		name: totals.name,
		compounds: totals.compounds,
		elders: totals.elders,
		eldersCovered: totals.eldersCovered,
		share: totals.eldersCoveredShare,
		eldersUnknownCompounds: totals.eldersUnknownCompounds,
		usesEstimate
	};
}

/** Each compound's place: given rows, placed by an index, or from its own street code. */
function placesOf(
	residential: readonly ResidentialFeature[],
	places: readonly PlaceRef[] | PlaceIndex | undefined
): (i: number) => PlaceRef {
	if (Array.isArray(places)) {
		if (places.length !== residential.length)
			throw new RangeError(
				`places: expected one place per compound (${residential.length}), got ${places.length}`
			);
		return (i) => (places as readonly PlaceRef[])[i];
	}
	const index = (places as PlaceIndex | undefined) ?? buildPlaceIndex(null, null);
	const placed = residential.map((area) => placeOfArea(index, area));
	return (i) => placed[i];
}

// ------------------------------------------------------------------------------ the verdict

export const MEAL_CIRCLE_STATUSES = ['met', 'not_met', 'reported', 'cannot_compute'] as const;
export type MealCircleStatus = (typeof MEAL_CIRCLE_STATUSES)[number];

export interface MealCircleVerdict {
	/**
	 * met / not_met: the rule's `minShare` judged; reported: the rule sets no share (the figure
	 * is shown, never judged); cannot_compute: no network, no facilities layer or no elders known.
	 */
	status: MealCircleStatus;
	/** Elders still to bring within the circle to reach `minShare`; null unless not_met. */
	gapElders: number | null;
	/** The finding, cited, zh first (the same shape as every rule check's). */
	reason: CheckReason;
}

const kindsZh = (kinds: readonly FacilityKind[]) =>
	kinds.map((kind) => FACILITY_KIND_NAMES_ZH[kind]).join('、');
const kindsEn = (kinds: readonly FacilityKind[]) => kinds.join(', ');

/**
 * The same verdict on one street or district of the result (the targets view's rows): the
 * group's elders and share judged by `mealCircleVerdict` itself, with the region's providers —
 * the rule is judged in one place.
 * @param group one of `result.streets` / `result.districts`
 * @example mealCircleGroupVerdict(rule, meal, meal.streets[0]).status // 'reported'
 */
export function mealCircleGroupVerdict(
	rule: MealCircleRule,
	result: MealCircleResult,
	group: MealCircleGroup
): MealCircleVerdict {
	return mealCircleVerdict(rule, {
		...result,
		eldersTotal: group.elders,
		eldersCovered: group.eldersCovered,
		share: group.share,
		eldersUnknownCompounds: group.eldersUnknownCompounds,
		usesEstimate: group.usesEstimate
	});
}

/**
 * The meal circle judged against its rule, in plain words (zh and en), citing the rule.
 * - `minShare` set: met (info) or not met with the gap in elders (fail for a requirement,
 *   warning for a target or an inferred rule);
 * - no `minShare` (Yantai 6. 普遍形成, Laoshan （十一）): the share is reported, not judged (info);
 * - no result (no walking network), no facilities layer, or no elders known: cannot compute,
 *   with the reason — never a share of 0.
 * @param result `computeMealCircle`'s answer; null = no walking network
 * @example
 * mealCircleVerdict(rule, meal).reason.messageZh;
 * // '步行 15 分钟内可达助餐设施（助餐点，1 处）的老年人 7,379 人 / 11,814 人，占 62.5%；条文未规定覆盖比例，只报告，不判定（推断：条文未明确要求）'
 */
export function mealCircleVerdict(
	rule: MealCircleRule,
	result: MealCircleResult | null
): MealCircleVerdict {
	const { maxMinutes, facilityKinds, minShare, byYear } = rule.params;
	const cite = citeRule(rule);
	const note = bindingNote(rule);
	const numbers: Record<string, number | null> = {
		maxMinutes,
		providers: result?.providersKnown ? result.providers : null,
		elders: result ? result.eldersTotal : null,
		eldersCovered: result?.providersKnown ? result.eldersCovered : null,
		share: result?.providersKnown ? result.share : null,
		minShare: minShare ?? null,
		byYear: byYear ?? null,
		gapElders: null
	};
	const cannot = (messageZh: string, messageEn: string): MealCircleVerdict => ({
		status: 'cannot_compute',
		gapElders: null,
		reason: {
			...cite,
			severity: 'info',
			messageZh,
			messageEn,
			numbers,
			usesEstimate: false
		}
	});
	if (result === null)
		return cannot(
			`本区域没有步行路网，无法计算 ${maxMinutes} 分钟助餐服务圈覆盖的老年人（不按 0 计）`,
			`The region has no walking network: elders within the ${maxMinutes}-minute meal circle cannot be computed (not taken as 0)`
		);
	if (!result.providersKnown)
		return cannot(
			`本区域没有设施图层，无法计算 ${maxMinutes} 分钟助餐服务圈（需要导入${kindsZh(facilityKinds)}，kind = ${facilityKinds.join(' / ')}）`,
			`The region has no facilities layer: the ${maxMinutes}-minute meal circle cannot be computed (import the meal providers, kind ${facilityKinds.join(' / ')})`
		);
	if (result.share === null)
		return cannot(
			`居住区老年人数未知，无法计算 ${maxMinutes} 分钟助餐服务圈覆盖的老年人比例`,
			`Elders of the residential areas unknown: the share within the ${maxMinutes}-minute meal circle cannot be computed`
		);

	const unknownZh = result.eldersUnknownCompounds
		? `；${result.eldersUnknownCompounds} 个居住区老年人数未知，未计入`
		: '';
	const unknownEn = result.eldersUnknownCompounds
		? `; ${result.eldersUnknownCompounds} areas with unknown elders not counted`
		: '';
	const figuresZh = `步行 ${maxMinutes} 分钟内可达助餐设施（${kindsZh(facilityKinds)}，${result.providers} 处）的老年人 ${formatAmount(result.eldersCovered)} 人 / ${formatAmount(result.eldersTotal)} 人，占 ${formatShare(result.share)}${unknownZh}`;
	const figuresEn = `Elders within ${maxMinutes} min on foot of a meal provider (${kindsEn(facilityKinds)}; ${result.providers}): ${formatAmount(result.eldersCovered)} of ${formatAmount(result.eldersTotal)} persons, ${formatShare(result.share)}${unknownEn}`;
	const base = { ...cite, numbers, usesEstimate: result.usesEstimate };

	if (minShare === undefined)
		return {
			status: 'reported',
			gapElders: null,
			reason: {
				...base,
				severity: 'info',
				messageZh: `${figuresZh}；条文未规定覆盖比例，只报告，不判定${note.zh}`,
				messageEn: `${figuresEn}; the text sets no share: reported, not judged${note.en}`
			}
		};

	const yearZh = byYear === undefined ? '' : `至${byYear}年`;
	const yearEn = byYear === undefined ? '' : ` by ${byYear}`;
	const target = formatShare(minShare);
	if (result.share >= minShare)
		return {
			status: 'met',
			gapElders: null,
			reason: {
				...base,
				severity: 'info',
				messageZh: `${figuresZh}，达到${yearZh}不低于 ${target} 的要求${note.zh}`,
				messageEn: `${figuresEn}: meets the target of at least ${target}${yearEn}${note.en}`
			}
		};
	// Whole persons: the fewest more elders whose share reaches the target.
	const gapElders = Math.max(
		0,
		Math.ceil(minShare * result.eldersTotal - 1e-9) - result.eldersCovered
	);
	return {
		status: 'not_met',
		gapElders,
		reason: {
			...base,
			numbers: { ...numbers, gapElders },
			severity: shortfallSeverity(rule),
			messageZh: `${figuresZh}，低于${yearZh}不低于 ${target} 的要求，还差 ${formatAmount(gapElders)} 人${note.zh}`,
			messageEn: `${figuresEn}: below the target of at least ${target}${yearEn}, ${formatAmount(gapElders)} more elders needed${note.en}`
		}
	};
}
