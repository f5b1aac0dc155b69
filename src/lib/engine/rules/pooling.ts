/**
 * Pooling (统筹配建, Yantai 4.): "占地面积较小的小区可按照打造“15分钟养老服务圈”的原则统筹多个小区
 * 规划配建社区养老服务设施". Which compounds may pool (`poolingEligibility`) and how a shared
 * facility's floor area is split among them (`allocatePooledFloorArea`).
 */
import { formatAmount } from '../format.ts';
import { RESIDENTIAL_STATUS, type ResidentialStatus } from '../labels.ts';
import { assertAmount, roundM2 } from './findings.ts';
import type { FacilityAreaRule } from './profile-schema.ts';

export interface PoolingEligibility {
	eligible: boolean;
	/** Why not, when not eligible (for the area's finding). */
	whyNotZh: string | null;
	whyNotEn: string | null;
}

/**
 * Whether one compound may count shared facilities of its circle: the rule allows pooling and,
 * where it names which compounds (`poolingOnly`), the compound's status is one of them and its
 * land area is at most the threshold. A compound of unknown land area (a point) may not pool.
 *
 * @example
 * // yantai-district-draft (≤ 20,000 m², new only): a new 35,000 m² compound may not pool
 * poolingEligibility('new', 35000, rule).eligible; // false
 */
export function poolingEligibility(
	status: ResidentialStatus,
	landAreaM2: number | null,
	rule: FacilityAreaRule
): PoolingEligibility {
	if (!rule.params.poolingAllowed)
		return {
			eligible: false,
			whyNotZh: '本规则不允许统筹配建',
			whyNotEn: 'the rule does not allow pooling'
		};
	const only = rule.params.poolingOnly;
	if (!only) return { eligible: true, whyNotZh: null, whyNotEn: null };
	if (!only.statuses.includes(status))
		return {
			eligible: false,
			whyNotZh: `${RESIDENTIAL_STATUS[status].zh}居住区不属于“规划配建”，不参与统筹`,
			whyNotEn: `${RESIDENTIAL_STATUS[status].en} areas are not planned provision (规划配建) and do not pool`
		};
	const limit = formatAmount(only.maxLandAreaM2);
	if (landAreaM2 === null)
		return {
			eligible: false,
			whyNotZh: `小区用地面积未知（点状小区），无法判断是否“占地面积较小”（≤ ${limit} m²），不参与统筹`,
			whyNotEn: `land area unknown (a point compound): whether it is small (≤ ${limit} m²) cannot be told, so it does not pool`
		};
	if (landAreaM2 > only.maxLandAreaM2)
		return {
			eligible: false,
			whyNotZh: `小区用地 ${formatAmount(Math.round(landAreaM2))} m²，大于“占地面积较小”的 ${limit} m²，不参与统筹，须在本小区内配建`,
			whyNotEn: `land area ${formatAmount(Math.round(landAreaM2))} m² is above the ${limit} m² of a small compound: it does not pool and must provide its own`
		};
	return { eligible: true, whyNotZh: null, whyNotEn: null };
}

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
 * small ones. Areas with no requirement (0 or unknown, or absent from the map: not eligible)
 * receive nothing; a facility none of whose areas has a requirement is left unallocated; a
 * facility below an area's single-site minimum (`minSiteM2ByArea`) is no site for that area.
 * Pass only facilities outside every compound: a facility inside a compound counts in full for
 * that compound (its `providedM2`).
 *
 * @param facilities shared facilities with the areas whose circle contains them
 * @param requiredM2ByArea required floor area (m²) per eligible area id, from `requiredFloorAreaM2`
 * @param minSiteM2ByArea the single-site minimum per area id (absent or null = none)
 * @returns per area id its pooled m² and the per-facility shares (areas with no share omitted),
 *   and the ids of facilities with unknown floor area
 * @example
 * // A 300 m² station within the circles of A (needs 200 m²) and B (needs 100 m²):
 * allocatePooledFloorArea([{ id: 's', floorAreaM2: 300, areaIds: ['A', 'B'] }],
 *   new Map([['A', 200], ['B', 100]])).byArea.get('A')?.pooledM2; // 200
 */
export function allocatePooledFloorArea(
	facilities: readonly PooledFacility[],
	requiredM2ByArea: ReadonlyMap<string, number | null>,
	minSiteM2ByArea: ReadonlyMap<string, number | null> = new Map()
): { byArea: Map<string, PooledShare>; unknownAreaFacilityIds: string[] } {
	const byArea = new Map<string, PooledShare>();
	const unknownAreaFacilityIds: string[] = [];
	for (const facility of facilities) {
		if (facility.floorAreaM2 === null) {
			unknownAreaFacilityIds.push(facility.id);
			continue;
		}
		assertAmount(facility.floorAreaM2, `facility ${facility.id}: floorAreaM2`);
		const floor = facility.floorAreaM2;
		const claimants = [...new Set(facility.areaIds)]
			.map((areaId) => ({ areaId, requiredM2: requiredM2ByArea.get(areaId) ?? 0 }))
			.filter(
				(claimant) =>
					claimant.requiredM2 !== null &&
					claimant.requiredM2 > 0 &&
					floor >= (minSiteM2ByArea.get(claimant.areaId) ?? 0)
			) as { areaId: string; requiredM2: number }[];
		const totalRequiredM2 = claimants.reduce((sum, claimant) => sum + claimant.requiredM2, 0);
		if (totalRequiredM2 <= 0) continue;
		for (const claimant of claimants) {
			const m2 = (floor * claimant.requiredM2) / totalRequiredM2;
			const entry = byArea.get(claimant.areaId) ?? { pooledM2: 0, shares: [] };
			entry.pooledM2 += m2;
			entry.shares.push({ facilityId: facility.id, m2: roundM2(m2) });
			byArea.set(claimant.areaId, entry);
		}
	}
	for (const entry of byArea.values()) entry.pooledM2 = roundM2(entry.pooledM2);
	return { byArea, unknownAreaFacilityIds };
}
