/**
 * Residential-area and facility rows of the gap analysis (issue 4). Per area: the facilities
 * inside it, the floor-area check of the profile (with pooled shares where the profile allows
 * pooling), the walking time to the nearest facility from the coverage engine, and the 2SFCA
 * share of the stations that reach it. Per facility: where it lies, whether it counts toward
 * areas, its catchment and the profile's size rule for its kind.
 *
 * Unknown is never zero: no facilities layer → provided area unknown (no verdict); a facility of
 * unknown floor area inside an area makes that area's provided area unknown.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CompoundCoverage, CoverageResult, FacilityCoverage } from '../coverage/coverage.ts';
import type { FacilityFeature, FacilityKind, ResidentialFeature } from '../region/schema.ts';
import {
	allocatePooledFloorArea,
	checkArea,
	requiredFloorAreaM2,
	type CheckReason
} from '../rules/area-check.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import { twoStepFloatingCatchment } from './capacity.ts';
import { placeOfArea, placeOfFacility, type PlaceIndex } from './places.ts';
import { formatAmount } from './streets.ts';
import type { AreaCapacity, AreaRow, FacilityRow, SkippedCheck } from './types.ts';

/**
 * Kinds counted toward a residential area's community care floor area (社区养老服务设施):
 * community stations, day-care centres, meal points and village stations. Street centres serve a
 * whole street and institutions are residential care; both are checked at street / district
 * level instead (docs/RULES.md).
 */
export const COMMUNITY_FACILITY_KINDS: ReadonlySet<FacilityKind> = new Set<FacilityKind>([
	'community_station',
	'day_care',
	'meal_point',
	'rural_station'
]);

export interface AreaAnalysisInput {
	residential: readonly ResidentialFeature[];
	/** null = the region has no facilities layer (unknown, not "no facilities"). */
	facilities: readonly FacilityFeature[] | null;
	places: PlaceIndex;
	/** Coverage of the same residential and facility lists, in the same order; null = no network. */
	coverage: CoverageResult | null;
	profile: RuleProfile;
}

const roundM2 = (value: number) => Math.round(value * 100) / 100;
const facilitiesHave = (count: number, adjective = '') =>
	count === 1 ? `1 ${adjective}facility has` : `${count} ${adjective}facilities have`;
const round4 = (value: number) => Math.round(value * 10000) / 10000;

/** The residential area (polygon) each facility's door lies in, or null. */
function areaContaining(
	residential: readonly ResidentialFeature[],
	facility: FacilityFeature
): string | null {
	const point = facility.geometry.coordinates;
	for (const area of residential) {
		if (area.geometry.type === 'Point') continue;
		if (booleanPointInPolygon(point, area as unknown as Feature<Polygon | MultiPolygon>))
			return area.properties.id;
	}
	return null;
}

/**
 * @returns area rows in input order, facility rows in input order (empty when the layer is
 *   missing), and the checks that could not run
 * @example
 * const { areas } = analyzeAreas({ residential, facilities, places, coverage, profile });
 * areas[0].requiredM2; // households × 15 ÷ 100 for an existing area under qingdao-laoshan-2024
 */
export function analyzeAreas(input: AreaAnalysisInput): {
	areas: AreaRow[];
	facilities: FacilityRow[];
	skipped: SkippedCheck[];
} {
	const { residential, profile, coverage } = input;
	const facilities = input.facilities ?? [];
	const skipped: SkippedCheck[] = [];
	const areaRule = ruleOfKind(profile, 'facility_area_per_households');
	const circleRule = ruleOfKind(profile, 'service_circle');
	const poolingAllowed = areaRule?.params.poolingAllowed === true;
	const networkAvailable = coverage !== null;
	if (coverage && coverage.compounds.length !== residential.length)
		throw new Error('analyzeAreas: coverage was computed for a different residential list');

	const insideAreaIds = facilities.map((facility) => areaContaining(residential, facility));
	const counts = facilities.map((facility) =>
		COMMUNITY_FACILITY_KINDS.has(facility.properties.kind)
	);
	const facilityCoverage: (FacilityCoverage | null)[] = facilities.map(
		(_, i) => coverage?.facilities[i] ?? null
	);

	// ---- floor area inside each area (unknown when one counted facility has no floor area)
	const insideM2 = new Map<string, number | null>();
	const insideIds = new Map<string, string[]>();
	facilities.forEach((facility, i) => {
		const areaId = insideAreaIds[i];
		if (areaId === null || !counts[i]) return;
		const previous = insideM2.get(areaId) ?? 0;
		const floor = facility.properties.floorAreaM2;
		insideM2.set(areaId, previous === null || floor === null ? null : previous + floor);
		insideIds.set(areaId, [...(insideIds.get(areaId) ?? []), facility.properties.id]);
	});

	// ---- pooled shares of facilities outside every area, within the circle (pooling profiles)
	const requiredByArea = new Map<string, number | null>(
		residential.map((area) => [
			area.properties.id,
			areaRule && area.properties.households !== null
				? requiredFloorAreaM2(area.properties.households, area.properties.status, areaRule)
				: null
		])
	);
	let pooled: ReturnType<typeof allocatePooledFloorArea> | null = null;
	if (poolingAllowed && coverage) {
		pooled = allocatePooledFloorArea(
			facilities.flatMap((facility, i) =>
				counts[i] && insideAreaIds[i] === null && facilityCoverage[i]?.placed
					? [
							{
								id: facility.properties.id,
								floorAreaM2: facility.properties.floorAreaM2,
								areaIds: facilityCoverage[i]!.catchment.map((entry) => entry.id)
							}
						]
					: []
			),
			requiredByArea
		);
		if (pooled.unknownAreaFacilityIds.length)
			skipped.push({
				check: 'pooling',
				level: 'facility',
				ruleId: areaRule!.id,
				reasonZh: `${pooled.unknownAreaFacilityIds.length} 处圈内共享设施建筑面积未知，未参与统筹配建分摊`,
				reasonEn: `${facilitiesHave(pooled.unknownAreaFacilityIds.length, 'shared ')} no floor area and were not pooled`,
				subjects: pooled.unknownAreaFacilityIds
			});
	} else if (poolingAllowed)
		skipped.push({
			check: 'pooling',
			level: 'area',
			ruleId: areaRule!.id,
			reasonZh: '本区域没有步行路网，无法确定哪些设施在各居住区 15 分钟圈内，未按统筹配建分摊',
			reasonEn:
				'The region has no walking network: facilities within each area’s circle are unknown, so pooling was not applied',
			subjects: []
		});

	// ---- 2SFCA over counted, placed facilities
	const catchment = coverage
		? twoStepFloatingCatchment(
				facilities.flatMap((facility, i) =>
					counts[i] && facilityCoverage[i]?.placed
						? [
								{
									id: facility.properties.id,
									floorAreaM2: facility.properties.floorAreaM2,
									catchmentAreaIds: facilityCoverage[i]!.catchment.map((entry) => entry.id)
								}
							]
						: []
				),
				new Map(residential.map((area) => [area.properties.id, area.properties.elders]))
			)
		: null;

	const areas = residential.map((area, i) =>
		areaRow(area, {
			place: placeOfArea(input.places, area),
			compound: coverage?.compounds[i] ?? null,
			insideM2:
				input.facilities === null ? null : roundOrNull(knownOrZero(insideM2, area.properties.id)),
			insideIds: insideIds.get(area.properties.id) ?? [],
			pooledM2: pooled ? (pooled.byArea.get(area.properties.id)?.pooledM2 ?? 0) : null,
			accessible: catchment
				? input.facilities === null
					? null
					: knownOrZero(catchment.accessibleM2PerElder, area.properties.id)
				: undefined,
			profile,
			reportUpToMinutes: coverage?.settings.reportUpToMinutes ?? null
		})
	);

	const facilityRows = facilities.map((facility, i) =>
		facilityRow(facility, {
			place: placeOfFacility(input.places, facility),
			insideAreaId: insideAreaIds[i],
			counts: counts[i],
			coverage: facilityCoverage[i],
			supplyM2PerElder: catchment?.supplyM2PerElder.get(facility.properties.id) ?? null,
			profile
		})
	);

	// ---- checks that could not run
	if (!networkAvailable) {
		skipped.push({
			check: 'service_circle',
			level: 'area',
			ruleId: circleRule?.id ?? null,
			reasonZh: '本区域没有步行路网，无法计算步行时间：未核查各居住区是否在 15 分钟养老服务圈内',
			reasonEn:
				'The region has no walking network: walking times cannot be computed, so the 15-minute service circle was not checked',
			subjects: []
		});
		skipped.push({
			check: 'capacity_2sfca',
			level: 'area',
			ruleId: null,
			reasonZh: '本区域没有步行路网，无法计算各设施服务范围，未做两步移动搜索（2SFCA）容量分析',
			reasonEn:
				'The region has no walking network: facility catchments are unknown, so the 2SFCA capacity analysis was not run',
			subjects: []
		});
	} else {
		const unknownFloor = facilities
			.filter(
				(facility, i) =>
					counts[i] && facilityCoverage[i]?.placed && facility.properties.floorAreaM2 === null
			)
			.map((facility) => facility.properties.id);
		if (unknownFloor.length)
			skipped.push({
				check: 'capacity_2sfca',
				level: 'facility',
				ruleId: null,
				reasonZh: `${unknownFloor.length} 处设施建筑面积未知，其服务范围内居住区的两步移动搜索（2SFCA）人均可达面积无法计算`,
				reasonEn: `${facilitiesHave(unknownFloor.length)} no floor area: the 2SFCA floor area per elder of the areas they reach cannot be computed`,
				subjects: unknownFloor
			});
	}
	const stationRule = ruleOfKind(profile, 'community_station_area');
	if (stationRule && input.facilities === null)
		skipped.push({
			check: 'community_station_area',
			level: 'facility',
			ruleId: stationRule.id,
			reasonZh: `本区域没有设施图层，无法核查社区养老服务站面积是否达到 ${formatAmount(stationRule.params.minFloorAreaM2)} m²`,
			reasonEn: `The region has no facilities layer: whether community stations reach ${formatAmount(stationRule.params.minFloorAreaM2)} m² cannot be checked`,
			subjects: []
		});
	return { areas, facilities: facilityRows, skipped };
}

/** A sum per area: absent = nothing contributed (0), null = a contributor is unknown. */
function knownOrZero(sums: ReadonlyMap<string, number | null>, id: string): number | null {
	if (!sums.has(id)) return 0;
	return sums.get(id) as number | null;
}
const roundOrNull = (value: number | null) => (value === null ? null : roundM2(value));

function areaRow(
	area: ResidentialFeature,
	context: {
		place: ReturnType<typeof placeOfArea>;
		compound: CompoundCoverage | null;
		insideM2: number | null;
		insideIds: string[];
		pooledM2: number | null;
		/** m² per elder from 2SFCA; undefined = no network; null = unknown. */
		accessible: number | null | undefined;
		profile: RuleProfile;
		reportUpToMinutes: number | null;
	}
): AreaRow {
	const props = area.properties;
	const { compound, profile } = context;
	const estimated = props.estimated ?? {};
	const result = checkArea(
		{
			households: props.households,
			status: props.status,
			providedM2: context.insideM2,
			pooledM2: context.pooledM2,
			minutesToNearest: compound?.minutes ?? null,
			estimated: { households: 'households' in estimated }
		},
		profile
	);
	const reasons: CheckReason[] = result.reasons.map((reason) =>
		compound && compound.minutes === null && 'minutesToNearest' in reason.numbers
			? unreachableReason(reason, context.reportUpToMinutes ?? 60)
			: reason
	);
	if (context.insideIds.length && context.insideM2 === null)
		reasons.push({
			ruleId: result.reasons[0]?.ruleId ?? null,
			severity: 'warning',
			messageZh: `小区内设施（${context.insideIds.join('、')}）建筑面积未知，已配建面积无法核算`,
			messageEn: `Floor area of the facilities inside (${context.insideIds.join(', ')}) unknown: provided area not computed`,
			numbers: { facilitiesInside: context.insideIds.length },
			citation: null,
			usesEstimate: false
		});
	const covered = compound ? compound.covered : null;
	const capacity = capacityOf(context.accessible, props.elders, result.requiredM2, covered);
	if (capacity.crowded)
		reasons.push({
			ruleId: null,
			severity: 'warning',
			messageZh: `在服务圈内，但按两步移动搜索（2SFCA）分摊，可用设施面积约 ${formatAmount(capacity.fairShareM2 ?? 0)} m²，低于应配建 ${formatAmount(result.requiredM2 ?? 0)} m²（服务圈内设施被多个小区共用）`,
			messageEn: `Within the circle, but its fair share of the stations reaching it (2SFCA) is about ${formatAmount(capacity.fairShareM2 ?? 0)} m², below the ${formatAmount(result.requiredM2 ?? 0)} m² required (stations shared by several areas)`,
			numbers: {
				fairShareM2: capacity.fairShareM2,
				requiredM2: result.requiredM2,
				accessibleM2PerElder: capacity.accessibleM2PerElder
			},
			citation: null,
			usesEstimate: 'elders' in estimated
		});
	return {
		...context.place,
		id: props.id,
		name: props.name,
		status: props.status,
		households: props.households,
		elders: props.elders,
		eldersByClass: props.eldersByClass ?? null,
		estimatedFields: Object.keys(estimated),
		requiredM2: result.requiredM2,
		insideM2: context.insideM2,
		pooledM2: context.pooledM2,
		providedM2: result.providedM2,
		deficitM2: result.deficitM2,
		minutesToNearest: compound?.minutes ?? null,
		nearestFacilityId: compound?.nearestFacilityId ?? null,
		covered,
		reachingFacilityIds: compound?.reachingFacilityIds ?? [],
		capacity,
		verdict: result.verdict,
		ruleIds: [
			...new Set(reasons.map((reason) => reason.ruleId).filter((id): id is string => id !== null))
		],
		reasons
	};
}

/** The circle reason for an area no facility reaches within the reporting bound. */
function unreachableReason(reason: CheckReason, reportUpToMinutes: number): CheckReason {
	const maxMinutes = reason.numbers.maxMinutes ?? 15;
	return {
		...reason,
		severity: 'warning',
		messageZh: `${reportUpToMinutes} 分钟步行范围内没有可达站点（或出入口无法接入步行路网），不在 ${maxMinutes} 分钟养老服务圈内`,
		messageEn: `No station reachable within ${reportUpToMinutes} minutes on foot (or the gates are off the network): outside the ${maxMinutes}-minute circle`,
		numbers: { ...reason.numbers, minutesToNearest: null }
	};
}

function capacityOf(
	accessible: number | null | undefined,
	elders: number | null,
	requiredM2: number | null,
	covered: boolean | null
): AreaCapacity {
	if (accessible === undefined || accessible === null || elders === null)
		return { accessibleM2PerElder: accessible ?? null, fairShareM2: null, crowded: null };
	const fairShareM2 = roundM2(accessible * elders);
	return {
		accessibleM2PerElder: round4(accessible),
		fairShareM2,
		crowded: covered === true && requiredM2 !== null ? fairShareM2 < requiredM2 : null
	};
}

function facilityRow(
	facility: FacilityFeature,
	context: {
		place: ReturnType<typeof placeOfFacility>;
		insideAreaId: string | null;
		counts: boolean;
		coverage: FacilityCoverage | null;
		supplyM2PerElder: number | null;
		profile: RuleProfile;
	}
): FacilityRow {
	const props = facility.properties;
	const { coverage } = context;
	const reasons: CheckReason[] = [];
	const sizeReason = facilitySizeReason(facility, context.profile);
	if (sizeReason) reasons.push(sizeReason);
	if (coverage && !coverage.placed)
		reasons.push({
			ruleId: null,
			severity: 'warning',
			messageZh: '设施位置距步行路网过远，未接入路网，不计入服务圈',
			messageEn: 'Door too far from the walking network: not placed, not counted in any circle',
			numbers: {},
			citation: null,
			usesEstimate: false
		});
	return {
		...context.place,
		id: props.id,
		name: props.name,
		kind: props.kind,
		status: props.status,
		floorAreaM2: props.floorAreaM2,
		landAreaM2: props.landAreaM2,
		beds: props.beds,
		nursingBeds: props.nursingBeds,
		estimatedFields: Object.keys(props.estimated ?? {}),
		insideAreaId: context.insideAreaId,
		countsTowardAreas: context.counts,
		placed: coverage ? coverage.placed : null,
		snapDistanceM: coverage?.snapDistanceM ?? null,
		catchmentAreas: coverage ? coverage.catchment.length : null,
		eldersReached: coverage ? coverage.eldersReached : null,
		eldersOnlyHere: coverage ? coverage.eldersOnlyHere : null,
		supplyM2PerElder: context.supplyM2PerElder === null ? null : round4(context.supplyM2PerElder),
		reasons
	};
}

/** The profile's size rule for a community station (minimum) or village station (typical size). */
function facilitySizeReason(facility: FacilityFeature, profile: RuleProfile): CheckReason | null {
	const props = facility.properties;
	const usesEstimate = 'floorAreaM2' in (props.estimated ?? {});
	if (props.kind === 'community_station') {
		const rule = ruleOfKind(profile, 'community_station_area');
		if (!rule) return null;
		const min = rule.params.minFloorAreaM2;
		const cite = { ruleId: rule.id, citation: rule.citation, usesEstimate };
		if (props.floorAreaM2 === null)
			return {
				...cite,
				severity: 'warning',
				messageZh: `建筑面积未知，无法核查是否达到 ${formatAmount(min)} m²`,
				messageEn: `Floor area unknown: the ${formatAmount(min)} m² minimum cannot be checked`,
				numbers: { floorAreaM2: null, minFloorAreaM2: min }
			};
		const meets = props.floorAreaM2 >= min;
		return {
			...cite,
			severity: meets ? 'info' : 'fail',
			messageZh: meets
				? `建筑面积 ${formatAmount(props.floorAreaM2)} m²，达到 ${formatAmount(min)} m²`
				: `建筑面积 ${formatAmount(props.floorAreaM2)} m²，低于 ${formatAmount(min)} m²，缺 ${formatAmount(roundM2(min - props.floorAreaM2))} m²`,
			messageEn: meets
				? `Floor area ${formatAmount(props.floorAreaM2)} m², meets ${formatAmount(min)} m²`
				: `Floor area ${formatAmount(props.floorAreaM2)} m², below ${formatAmount(min)} m² by ${formatAmount(roundM2(min - props.floorAreaM2))} m²`,
			numbers: { floorAreaM2: props.floorAreaM2, minFloorAreaM2: min }
		};
	}
	if (props.kind === 'rural_station') {
		const rule = ruleOfKind(profile, 'village_station_area');
		if (!rule || props.floorAreaM2 === null) return null;
		const typical = rule.params.typicalFloorAreaM2;
		// A typical size, not a minimum: below it is worth a look, never a failure.
		return {
			ruleId: rule.id,
			citation: rule.citation,
			usesEstimate,
			severity: props.floorAreaM2 >= typical ? 'info' : 'warning',
			messageZh: `建筑面积 ${formatAmount(props.floorAreaM2)} m²，典型规模约 ${formatAmount(typical)} m²`,
			messageEn: `Floor area ${formatAmount(props.floorAreaM2)} m²; typical size about ${formatAmount(typical)} m²`,
			numbers: { floorAreaM2: props.floorAreaM2, typicalFloorAreaM2: typical }
		};
	}
	return null;
}
