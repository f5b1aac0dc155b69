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
import type { Citation, FacilityAreaRule, RuleProfile } from './profile-schema.ts';
import { ruleOfKind } from './profiles.ts';

export type ResidentialStatus = 'new' | 'existing';
export type Severity = 'info' | 'warning' | 'fail';
export type AreaVerdict = 'compliant' | 'deficit' | 'no_data';
export type ProvidedUnknownBecause = 'point_without_assignment';

/** One finding with its numbers, the rule it rests on and whether an input was an estimate. */
export interface CheckReason {
	/** Rule id in the profile; null only when the profile has no rule for this check. */
	ruleId: string | null;
	severity: Severity;
	messageZh: string;
	messageEn: string;
	/** The figures behind the message (m², households, minutes); null = not known. */
	numbers: Record<string, number | null>;
	citation: Citation | null;
	/** True when a number the finding rests on is an estimate (e.g. households from floor area). */
	usesEstimate: boolean;
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
	/** Walking minutes to the nearest station; null when not computed (no network). */
	minutesToNearest: number | null;
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

/** Stable error code for inputs a check cannot accept (negative households, NaN, …). */
export class RuleInputError extends Error {
	readonly code = 'INVALID_CHECK_INPUT';
	constructor(message: string) {
		super(message);
		this.name = 'RuleInputError';
	}
}

/** Floor areas are reported to 0.01 m²; this also removes float noise such as 246.79999999999998. */
const roundM2 = (value: number) => Math.round(value * 100) / 100;

function assertAmount(value: number | null | undefined, field: string): void {
	if (value === null || value === undefined) return;
	if (!Number.isFinite(value) || value < 0)
		throw new RuleInputError(
			`${field}: expected a non-negative finite number or null, got ${String(value)}`
		);
}

const STATUS_ZH: Record<ResidentialStatus, string> = { new: '新建', existing: '已建成' };

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

const fmt = (value: number) =>
	Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');

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
	const circle = serviceCircleReason(input, profile);
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
	const poolCounted = rule.params.poolingAllowed && input.pooledM2 != null;
	if (input.pooledM2 != null && !rule.params.poolingAllowed)
		reasons.push({
			...cite,
			severity: 'info',
			messageZh: `本规则不允许多个小区统筹配建，圈内共享设施面积 ${fmt(input.pooledM2)} m² 未计入`,
			messageEn: `This rule does not allow pooling: ${fmt(input.pooledM2)} m² of shared facilities within the circle were not counted`,
			numbers: { pooledM2: input.pooledM2 },
			usesEstimate: false
		});

	const providedM2 =
		input.providedM2 === null
			? null
			: roundM2(input.providedM2 + (poolCounted ? (input.pooledM2 ?? 0) : 0));
	const numbers: Record<string, number | null> = {
		households: input.households,
		rateM2Per100Households: parts.rateM2Per100Households,
		rateBasedM2: parts.rateBasedM2,
		minSingleSiteM2: parts.minSingleSiteM2,
		requiredM2,
		insideM2: input.providedM2,
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
	const statusZh = STATUS_ZH[input.status];
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
				? `${statusZh}居住区：${howRequired}；已配建 ${fmt(providedM2)} m²${poolZh}${sharedNoteZh}，缺口 ${fmt(deficitM2)} m²`
				: `${statusZh}居住区：${howRequired}；已配建 ${fmt(providedM2)} m²${poolZh}${sharedNoteZh}，达标`,
		messageEn:
			verdict === 'deficit'
				? `${input.status === 'new' ? 'New' : 'Existing'} area: ${howRequiredEn}; provided ${fmt(providedM2)} m²${poolEn}${sharedNoteEn}; deficit ${fmt(deficitM2)} m²`
				: `${input.status === 'new' ? 'New' : 'Existing'} area: ${howRequiredEn}; provided ${fmt(providedM2)} m²${poolEn}${sharedNoteEn}; compliant`,
		numbers,
		usesEstimate
	});
	return { requiredM2, providedM2, deficitM2, verdict };
}

function serviceCircleReason(
	input: AreaCheckInput,
	profile: RuleProfile
): { reason: CheckReason; covered: boolean | null } | null {
	const rule = ruleOfKind(profile, 'service_circle', input.appliesTo);
	if (!rule) return null;
	const maxMinutes = rule.params.maxMinutes;
	const cite = { ruleId: rule.id, citation: rule.citation };
	const usesEstimate = input.estimated.minutesToNearest === true;
	if (input.minutesToNearest === null)
		return {
			covered: null,
			reason: {
				...cite,
				severity: 'info',
				messageZh: `未计算到最近站点的步行时间（缺少路网或站点），无法判断是否在 ${maxMinutes} 分钟养老服务圈内`,
				messageEn: `Walking time to the nearest station not computed (no network or no station): ${maxMinutes}-minute circle not checked`,
				numbers: { minutesToNearest: null, maxMinutes },
				usesEstimate
			}
		};
	const minutes = Math.round(input.minutesToNearest * 10) / 10;
	const covered = input.minutesToNearest <= maxMinutes;
	return {
		covered,
		reason: {
			...cite,
			severity: covered ? 'info' : 'warning',
			messageZh: covered
				? `步行 ${fmt(minutes)} 分钟可达最近站点，在 ${maxMinutes} 分钟养老服务圈内`
				: `最近站点步行 ${fmt(minutes)} 分钟，超出 ${maxMinutes} 分钟养老服务圈`,
			messageEn: covered
				? `Nearest station ${fmt(minutes)} min on foot: within the ${maxMinutes}-minute circle`
				: `Nearest station ${fmt(minutes)} min on foot: outside the ${maxMinutes}-minute circle`,
			numbers: { minutesToNearest: input.minutesToNearest, maxMinutes },
			usesEstimate
		}
	};
}

// ---------------------------------------------------------------- pooling

export interface PooledFacility {
	id: string;
	/** Floor area (m²); null = unknown, so the facility contributes nothing and is reported. */
	floorAreaM2: number | null;
	/** Residential areas whose 15-minute circle contains this facility. */
	areaIds: readonly string[];
}

export interface PooledShare {
	/** Sum of this area's shares, m². */
	pooledM2: number;
	/** Each contributing facility's share, m². */
	shares: { facilityId: string; m2: number }[];
}

/**
 * Splits shared facilities among the residential areas within whose circle they lie, for profiles
 * that allow pooling (统筹多个小区配建). Allocation rule: each facility's floor area is divided
 * among its areas in proportion to their required floor area (an area needing twice as much gets
 * twice the share), so one facility is never counted twice and large compounds do not starve
 * small ones. Areas with no requirement (0 or unknown) receive nothing; a facility none of whose
 * areas has a requirement is left unallocated. Pass only facilities outside every compound: a
 * facility inside a compound counts in full for that compound (its `providedM2`).
 *
 * @param facilities shared facilities with the areas whose circle contains them
 * @param requiredM2ByArea required floor area (m²) per area id, from `requiredFloorAreaM2`
 * @returns per area id its pooled m² and the per-facility shares (areas with no share omitted),
 *   and the ids of facilities with unknown floor area
 * @example
 * // A 300 m² station within the circles of A (needs 200 m²) and B (needs 100 m²):
 * allocatePooledFloorArea([{ id: 's', floorAreaM2: 300, areaIds: ['A', 'B'] }],
 *   new Map([['A', 200], ['B', 100]])).byArea.get('A')?.pooledM2; // 200
 */
export function allocatePooledFloorArea(
	facilities: readonly PooledFacility[],
	requiredM2ByArea: ReadonlyMap<string, number | null>
): { byArea: Map<string, PooledShare>; unknownAreaFacilityIds: string[] } {
	const byArea = new Map<string, PooledShare>();
	const unknownAreaFacilityIds: string[] = [];
	for (const facility of facilities) {
		if (facility.floorAreaM2 === null) {
			unknownAreaFacilityIds.push(facility.id);
			continue;
		}
		assertAmount(facility.floorAreaM2, `facility ${facility.id}: floorAreaM2`);
		const claimants = [...new Set(facility.areaIds)]
			.map((areaId) => ({ areaId, requiredM2: requiredM2ByArea.get(areaId) ?? 0 }))
			.filter((claimant) => claimant.requiredM2 !== null && claimant.requiredM2 > 0) as {
			areaId: string;
			requiredM2: number;
		}[];
		const totalRequiredM2 = claimants.reduce((sum, claimant) => sum + claimant.requiredM2, 0);
		if (totalRequiredM2 <= 0) continue;
		for (const claimant of claimants) {
			const m2 = (facility.floorAreaM2 * claimant.requiredM2) / totalRequiredM2;
			const entry = byArea.get(claimant.areaId) ?? { pooledM2: 0, shares: [] };
			entry.pooledM2 += m2;
			entry.shares.push({ facilityId: facility.id, m2: roundM2(m2) });
			byArea.set(claimant.areaId, entry);
		}
	}
	for (const entry of byArea.values()) entry.pooledM2 = roundM2(entry.pooledM2);
	return { byArea, unknownAreaFacilityIds };
}
