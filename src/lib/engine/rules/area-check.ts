/**
 * The per-residential-area floor-area check (issue 4): required floor area of community
 * elderly-care facilities from households × the profile's rate, against the area provided, plus
 * the 15-minute-circle reading of "minutes to the nearest station". Walking times and the
 * facilities within a circle come in as inputs (the coverage engine computes them), so this file
 * is plain arithmetic on numbers and cited rules.
 *
 * Unknown is never zero: no households → verdict `no_data`; provided area unknown → `no_data`
 * with the required area still shown.
 */
import { formatPlain } from '../format.ts';
import { RESIDENTIAL_STATUS, type AreaVerdictCode, type ResidentialStatus } from '../labels.ts';
import { assertAmount, roundM2, RuleInputError, type CheckReason } from './findings.ts';
import { poolingEligibility } from './pooling.ts';
import type { FacilityAreaRule, RuleProfile } from './profile-schema.ts';
import { ruleOfKind } from './profiles.ts';
import { checkServiceCircle } from './service-circle.ts';

export { RuleInputError, type CheckReason, type Severity } from './findings.ts';
export type { ResidentialStatus } from '../labels.ts';
export type AreaVerdict = AreaVerdictCode;
export type ProvidedUnknownBecause = 'point_without_assignment';

/** One facility counted toward the area, with the share of its floor area the area gets. */
export interface CountedSite {
	id: string;
	name: string;
	/** The whole facility's floor area (the site's size), m²; null = unknown. */
	floorAreaM2: number | null;
	/** This area's share of it, m² (the whole area unless split by 所属小区); null = unknown. */
	shareM2: number | null;
}

export interface AreaCheckInput {
	/** Households (户) of the residential area; null when unknown. */
	households: number | null;
	status: ResidentialStatus;
	/** Floor area (m²) of community elderly-care facilities inside the area; null when unknown. */
	providedM2: number | null;
	/**
	 * Why `providedM2` is unknown, when the reason is more specific than "not known":
	 * 'point_without_assignment' — the area is a point (no polygon to contain a facility) and the
	 * facility list names no 所属小区, so what is provided cannot be decided (not 0 m²).
	 */
	providedUnknownBecause?: ProvidedUnknownBecause;
	/**
	 * Share (m²) of shared facilities within the 15-minute circle allocated to this area (see
	 * `allocatePooledFloorArea`). Counted only where the profile allows pooling.
	 */
	pooledM2?: number | null;
	/**
	 * The facilities counted in `providedM2`: where the rule sets a single-site minimum for the
	 * area's status, a site below it does not count (its share is taken out of `providedM2`).
	 */
	sites?: readonly CountedSite[];
	/** Land area of the compound (m², from its polygon); null = a point, unknown. */
	landAreaM2?: number | null;
	/** Walking minutes to the nearest station; null when none reached or not computed. */
	minutesToNearest: number | null;
	/** Whether walking times were computed (a network exists); default: minutes !== null. */
	walkComputed?: boolean;
	/** The analysis's circle, minutes (default: the profile's). */
	maxMinutes?: number;
	reportUpToMinutes?: number;
	/** Which inputs are estimates rather than measured values. */
	estimated: { households?: boolean; providedM2?: boolean; minutesToNearest?: boolean };
	/** `appliesTo` label selecting a scoped rule; default: the profile's unscoped rule. */
	appliesTo?: string;
}

export interface AreaCheckResult {
	/** Required floor area (m²); null when it cannot be computed. */
	requiredM2: number | null;
	/** Provided floor area (m²) counted against the requirement; null when unknown. */
	providedM2: number | null;
	/** max(0, required − provided) in m²; null when either side is unknown. */
	deficitM2: number | null;
	verdict: AreaVerdict;
	minutesToNearest: number | null;
	/** Nearest station within the profile's service circle; null when minutes or the rule are missing. */
	covered: boolean | null;
	reasons: CheckReason[];
}

/**
 * Whether one site counts toward an area of this status: at least the rule's single-site
 * minimum for the status (单处 / 单个项目不低于 …), or any size where it sets none. A site of
 * unknown size is not judged here (the area's provided area is unknown then).
 *
 * @example meetsSingleSiteMinimum(150, 'new', donge); // false — 单处不低于200平方米
 */
export function meetsSingleSiteMinimum(
	floorAreaM2: number,
	status: ResidentialStatus,
	rule: FacilityAreaRule
): boolean {
	return floorAreaM2 >= (rule.params.minSingleSiteM2?.[status] ?? 0);
}

/**
 * Required floor area (m²) of community elderly-care facilities for one residential area:
 * households ÷ 100 × the rate for its status, raised to the single-site minimum where the rule
 * sets one for that status. Zero households need 0 m² (nothing to configure).
 *
 * @param households households (户), ≥ 0
 * @param status 'new' (新建) or 'existing' (已建成)
 * @param rule a `facility_area_per_households` rule
 * @returns the required area in m², rounded to 0.01
 * @throws {RuleInputError} when households is negative or not finite
 * @example
 * // yantai-district-draft: 1,234 new households → max(1234 ÷ 100 × 20, 350) = 350
 * requiredFloorAreaM2(1234, 'new', rule); // 350
 */
export function requiredFloorAreaM2(
	households: number,
	status: ResidentialStatus,
	rule: FacilityAreaRule
): number {
	return requiredFloorAreaParts(households, status, rule).requiredM2;
}

function requiredFloorAreaParts(
	households: number,
	status: ResidentialStatus,
	rule: FacilityAreaRule
): {
	rateM2Per100Households: number;
	rateBasedM2: number;
	minSingleSiteM2: number | null;
	requiredM2: number;
} {
	assertAmount(households, 'households');
	const rateM2Per100Households =
		status === 'new'
			? rule.params.newRateM2Per100Households
			: rule.params.existingRateM2Per100Households;
	// households × rate ÷ 100 (not households ÷ 100 × rate): exact for integer households.
	const rateBasedM2 = roundM2((households * rateM2Per100Households) / 100);
	const minSingleSiteM2 = rule.params.minSingleSiteM2?.[status] ?? null;
	const requiredM2 =
		households > 0 && minSingleSiteM2 !== null
			? Math.max(rateBasedM2, minSingleSiteM2)
			: rateBasedM2;
	return { rateM2Per100Households, rateBasedM2, minSingleSiteM2, requiredM2 };
}

const fmt = formatPlain;

/**
 * Checks one residential area against the profile's floor-area rule and service circle.
 *
 * Verdict: `no_data` when households or the provided area is unknown (or the profile has no
 * floor-area rule), `deficit` when provided < required, else `compliant`. The service circle
 * does not change the verdict; it adds a `warning` reason when the nearest station is farther
 * than the circle's minutes, and sets `covered`.
 *
 * @param input the area's households, status, provided m², minutes to the nearest station, and
 *   which of them are estimates
 * @param profile a validated profile (see `parseProfile`)
 * @throws {RuleInputError} on negative or non-finite numbers
 * @example
 * checkArea({ households: 800, status: 'new', providedM2: 150, minutesToNearest: 9,
 *   estimated: {} }, donge);
 * // → { requiredM2: 200, providedM2: 150, deficitM2: 50, verdict: 'deficit', covered: null, … }
 */
export function checkArea(input: AreaCheckInput, profile: RuleProfile): AreaCheckResult {
	assertAmount(input.households, 'households');
	assertAmount(input.providedM2, 'providedM2');
	assertAmount(input.pooledM2, 'pooledM2');
	assertAmount(input.minutesToNearest, 'minutesToNearest');
	if (input.status !== 'new' && input.status !== 'existing')
		throw new RuleInputError(
			`status: expected "new" or "existing", got ${JSON.stringify(input.status)}`
		);

	const reasons: CheckReason[] = [];
	const circle = checkServiceCircle(
		{
			minutesToNearest: input.minutesToNearest,
			computed: input.walkComputed ?? input.minutesToNearest !== null,
			maxMinutes: input.maxMinutes,
			reportUpToMinutes: input.reportUpToMinutes,
			usesEstimate: input.estimated.minutesToNearest === true,
			appliesTo: input.appliesTo
		},
		profile
	);
	const result = floorAreaResult(input, profile, reasons);
	if (circle) reasons.push(circle.reason);
	return {
		...result,
		minutesToNearest: input.minutesToNearest,
		covered: circle?.covered ?? null,
		reasons
	};
}

function floorAreaResult(
	input: AreaCheckInput,
	profile: RuleProfile,
	reasons: CheckReason[]
): Pick<AreaCheckResult, 'requiredM2' | 'providedM2' | 'deficitM2' | 'verdict'> {
	const rule = ruleOfKind(profile, 'facility_area_per_households', input.appliesTo);
	if (!rule) {
		reasons.push({
			ruleId: null,
			severity: 'info',
			messageZh: `规则集 ${profile.id} 未规定每百户社区养老服务设施配建面积，无法判定`,
			messageEn: `Profile ${profile.id} sets no floor area per 100 households; the area check cannot run`,
			numbers: { households: input.households, providedM2: input.providedM2 },
			citation: null,
			usesEstimate: false
		});
		return { requiredM2: null, providedM2: input.providedM2, deficitM2: null, verdict: 'no_data' };
	}
	const cite = { ruleId: rule.id, citation: rule.citation };
	const householdsEstimated = input.estimated.households === true;

	if (input.households === null) {
		reasons.push({
			...cite,
			severity: 'warning',
			messageZh: '缺少户数，无法计算应配建面积（不按 0 户处理）',
			messageEn: 'Households unknown: the required floor area cannot be computed (not taken as 0)',
			numbers: { households: null, providedM2: input.providedM2 },
			usesEstimate: false
		});
		return { requiredM2: null, providedM2: input.providedM2, deficitM2: null, verdict: 'no_data' };
	}

	const parts = requiredFloorAreaParts(input.households, input.status, rule);
	const { requiredM2 } = parts;
	/** Findings beside the floor-area one, after it (pooling, single sites). */
	const notes: CheckReason[] = [];
	// ---- pooling: only where the rule allows it, and only for the compounds it names
	const eligibility = rule.params.poolingAllowed
		? poolingEligibility(input.status, input.landAreaM2 ?? null, rule)
		: null;
	const poolCounted = eligibility?.eligible === true && input.pooledM2 != null;
	if (input.pooledM2 != null && !rule.params.poolingAllowed)
		notes.push({
			...cite,
			severity: 'info',
			messageZh: `本规则不允许多个小区统筹配建，圈内共享设施面积 ${fmt(input.pooledM2)} m² 未计入`,
			messageEn: `This rule does not allow pooling: ${fmt(input.pooledM2)} m² of shared facilities within the circle were not counted`,
			numbers: { pooledM2: input.pooledM2 },
			usesEstimate: false
		});
	else if (eligibility && !eligibility.eligible)
		notes.push({
			...cite,
			severity: 'info',
			messageZh: `不参与圈内统筹配建：${eligibility.whyNotZh}`,
			messageEn: `Not pooled: ${eligibility.whyNotEn}`,
			numbers: {
				landAreaM2: input.landAreaM2 == null ? null : Math.round(input.landAreaM2),
				maxLandAreaM2: rule.params.poolingOnly?.maxLandAreaM2 ?? null
			},
			usesEstimate: false
		});

	// ---- single-site minimum: every site must reach it; a smaller one does not count
	const minSite = input.households > 0 ? parts.minSingleSiteM2 : null;
	const smallSites =
		minSite === null
			? []
			: (input.sites ?? []).filter(
					(site) => site.floorAreaM2 !== null && site.floorAreaM2 < minSite
				);
	const excludedM2 = smallSites.some((site) => site.shareM2 === null)
		? null
		: roundM2(smallSites.reduce((sum, site) => sum + (site.shareM2 ?? 0), 0));
	if (smallSites.length && minSite !== null)
		notes.push({
			...cite,
			severity: 'warning',
			messageZh: `单处不低于 ${fmt(minSite)} m²：${smallSites.map((site) => `${site.name}（${fmt(site.floorAreaM2 ?? 0)} m²）`).join('、')}不足单处最小面积，不计入已配建面积`,
			messageEn: `Each site at least ${fmt(minSite)} m²: ${smallSites.map((site) => `${site.name} (${fmt(site.floorAreaM2 ?? 0)} m²)`).join(', ')} below the single-site minimum, not counted`,
			numbers: { minSingleSiteM2: minSite, sitesBelowMinimum: smallSites.length, excludedM2 },
			usesEstimate: false
		});
	const countedInsideM2 =
		input.providedM2 === null || excludedM2 === null
			? null
			: roundM2(Math.max(0, input.providedM2 - excludedM2));
	const excludedZh = smallSites.length
		? `（另有 ${smallSites.length} 处不足单处最小面积的设施未计入）`
		: '';
	const excludedEn = smallSites.length
		? ` (${smallSites.length} site${smallSites.length === 1 ? '' : 's'} below the single-site minimum not counted)`
		: '';

	const providedM2 =
		countedInsideM2 === null
			? null
			: roundM2(countedInsideM2 + (poolCounted ? (input.pooledM2 ?? 0) : 0));
	const numbers: Record<string, number | null> = {
		households: input.households,
		rateM2Per100Households: parts.rateM2Per100Households,
		rateBasedM2: parts.rateBasedM2,
		minSingleSiteM2: parts.minSingleSiteM2,
		requiredM2,
		insideM2: countedInsideM2,
		pooledM2: poolCounted ? (input.pooledM2 ?? null) : null,
		providedM2,
		deficitM2: null
	};
	const howRequired =
		parts.minSingleSiteM2 !== null && input.households > 0
			? `${fmt(input.households)} 户 ÷ 100 × ${fmt(parts.rateM2Per100Households)} = ${fmt(parts.rateBasedM2)} m²，单处不低于 ${fmt(parts.minSingleSiteM2)} m²，应配建 ${fmt(requiredM2)} m²`
			: `${fmt(input.households)} 户 ÷ 100 × ${fmt(parts.rateM2Per100Households)} = ${fmt(requiredM2)} m²`;
	const howRequiredEn =
		parts.minSingleSiteM2 !== null && input.households > 0
			? `${fmt(input.households)} households ÷ 100 × ${fmt(parts.rateM2Per100Households)} = ${fmt(parts.rateBasedM2)} m², single-site minimum ${fmt(parts.minSingleSiteM2)} m², required ${fmt(requiredM2)} m²`
			: `${fmt(input.households)} households ÷ 100 × ${fmt(parts.rateM2Per100Households)} = ${fmt(requiredM2)} m² required`;
	const statusZh = RESIDENTIAL_STATUS[input.status].zh;
	const sharedNoteZh = rule.params.excludesSharedAreas ? '（不计入分摊的共用建筑面积）' : '';
	const sharedNoteEn = rule.params.excludesSharedAreas
		? ' (excluding apportioned shared areas)'
		: '';
	const poolZh = poolCounted ? `，其中圈内统筹 ${fmt(input.pooledM2 ?? 0)} m²` : '';
	const poolEn = poolCounted
		? `, of which ${fmt(input.pooledM2 ?? 0)} m² pooled within the circle`
		: '';

	if (providedM2 === null) {
		const pointOnly = input.providedUnknownBecause === 'point_without_assignment';
		reasons.push({
			...cite,
			severity: 'warning',
			messageZh: pointOnly
				? `${statusZh}居住区：${howRequired}；点状小区，设施清单无“所属小区”列，无法判断已配建面积`
				: `${statusZh}居住区：${howRequired}；已配建面积未知，无法判定${sharedNoteZh}`,
			messageEn: pointOnly
				? `${input.status === 'new' ? 'New' : 'Existing'} area: ${howRequiredEn}; point compound and the facility list has no 所属小区 column: provided floor area cannot be decided`
				: `${input.status === 'new' ? 'New' : 'Existing'} area: ${howRequiredEn}; provided floor area unknown, no verdict${sharedNoteEn}`,
			numbers,
			usesEstimate: householdsEstimated
		});
		reasons.push(...notes);
		return { requiredM2, providedM2: null, deficitM2: null, verdict: 'no_data' };
	}

	const deficitM2 = roundM2(Math.max(0, requiredM2 - providedM2));
	numbers.deficitM2 = deficitM2;
	const usesEstimate = householdsEstimated || input.estimated.providedM2 === true;
	const verdict: AreaVerdict = deficitM2 > 0 ? 'deficit' : 'compliant';
	reasons.push({
		...cite,
		severity: verdict === 'deficit' ? 'fail' : 'info',
		messageZh:
			verdict === 'deficit'
				? `${statusZh}居住区：${howRequired}；已配建 ${fmt(providedM2)} m²${poolZh}${excludedZh}${sharedNoteZh}，缺口 ${fmt(deficitM2)} m²`
				: `${statusZh}居住区：${howRequired}；已配建 ${fmt(providedM2)} m²${poolZh}${excludedZh}${sharedNoteZh}，达标`,
		messageEn:
			verdict === 'deficit'
				? `${input.status === 'new' ? 'New' : 'Existing'} area: ${howRequiredEn}; provided ${fmt(providedM2)} m²${poolEn}${excludedEn}${sharedNoteEn}; deficit ${fmt(deficitM2)} m²`
				: `${input.status === 'new' ? 'New' : 'Existing'} area: ${howRequiredEn}; provided ${fmt(providedM2)} m²${poolEn}${excludedEn}${sharedNoteEn}; compliant`,
		numbers,
		usesEstimate
	});
	reasons.push(...notes);
	return { requiredM2, providedM2, deficitM2, verdict };
}

export { allocatePooledFloorArea, type PooledFacility, type PooledShare } from './pooling.ts';
