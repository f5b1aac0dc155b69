/**
 * Residential-area and facility rows of the gap analysis (issue 4). Per area: the facilities
 * inside it, the floor-area check of the profile (with pooled shares where the profile allows
 * pooling), the walking time to the nearest facility from the coverage engine, and the 2SFCA
 * share of the stations that reach it. Per facility: where it lies, whether it counts toward
 * areas, its catchment and the profile's size rule for its kind.
 *
 * Unknown is never zero: no facilities layer → provided area unknown (no verdict); a facility of
 * unknown floor area inside an area makes that area's provided area unknown.
 *
 * A facility counts for an area when its door lies inside the area's polygon or when it names the
 * area in 所属小区 (`servesCompounds`: by id, else by exact name); naming several areas splits its
 * floor area among them in proportion to households (`attributeFacilities`). A point area cannot
 * contain a door, so where no facility names any area its provided area is unknown (no_data).
 */
import { area as turfArea, booleanPointInPolygon } from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import {
	farSnapMessage,
	SNAP_WARNING_M,
	type CompoundCoverage,
	type CoverageResult,
	type FacilityCoverage
} from '../coverage/coverage.ts';
import {
	FACILITY_KIND_NAMES_ZH,
	type FacilityFeature,
	type FacilityKind,
	type ResidentialFeature
} from '../region/schema.ts';
import { checkArea, requiredFloorAreaM2, type CheckReason } from '../rules/area-check.ts';
import { circleMinutesOf } from '../rules/service-circle.ts';
import { allocatePooledFloorArea, poolingEligibility } from '../rules/pooling.ts';
import { checkFacilitySize } from '../rules/station-size.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import { twoStepFloatingCatchment } from './capacity.ts';
import { bboxOf, placeOfArea, placeOfFacility, type PlaceIndex } from './places.ts';
import { formatAmount } from '../format.ts';
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

/**
 * The residential polygons by bounding box: item k of `tree` is residential[areas[k]], added in
 * layer order. Testing every area for every facility was a quadratic step (issue 18: 2,500
 * facilities × 50,000 compounds, 28 s).
 */
interface AreaIndex {
	tree: Flatbush;
	areas: number[];
}

function areaIndex(residential: readonly ResidentialFeature[]): AreaIndex | null {
	const areas: number[] = [];
	residential.forEach((area, i) => {
		if (area.geometry.type !== 'Point') areas.push(i);
	});
	if (areas.length === 0) return null;
	const tree = new Flatbush(areas.length);
	for (const i of areas) {
		const geometry = residential[i].geometry as Polygon | MultiPolygon;
		tree.add(...bboxOf(geometry.coordinates));
	}
	tree.finish();
	return { tree, areas };
}

/** The residential area (polygon) a facility's door lies in, or null: the first in layer order. */
function areaContaining(
	residential: readonly ResidentialFeature[],
	index: AreaIndex | null,
	facility: FacilityFeature
): string | null {
	if (!index) return null;
	const point = facility.geometry.coordinates;
	const [lon, lat] = point;
	const candidates = index.tree.search(lon, lat, lon, lat).sort((a, b) => a - b);
	for (const k of candidates) {
		const area = residential[index.areas[k]];
		if (booleanPointInPolygon(point, area as unknown as Feature<Polygon | MultiPolygon>))
			return area.properties.id;
	}
	return null;
}

/** One facility's floor area as attributed to the residential areas it counts for. */
export interface FacilityAttribution {
	/** Areas named in its 所属小区 that were found (by id, else by the one area of that name). */
	servesAreaIds: string[];
	/** Names (or ids) of its list that match no area. */
	unmatched: string[];
	/** Names that match several areas: not attributed. */
	ambiguous: { name: string; areaIds: string[] }[];
	/**
	 * Each area it counts for (the one it lies in first, then the named ones, each once) and its
	 * share of the floor area, m² (unrounded); null = unknown (floor area or a household count of
	 * the group unknown).
	 */
	shares: { areaId: string; m2: number | null; inside: boolean }[];
	/** Split by households among several areas (按户数分摊); the households behind the split. */
	split: { households: (number | null)[]; totalHouseholds: number | null } | null;
}

/**
 * Attributes each facility's floor area to residential areas: the area its door lies in and the
 * areas its 所属小区 names. A name is matched to an area id first, else to the one area of exactly
 * that name; a name shared by several areas is ambiguous and one that matches nothing is
 * unmatched (both reported, neither attributed). A facility counting for several areas is split
 * among them in proportion to their households (an area with twice the households gets twice the
 * share), so the shares add up to the facility's floor area and nothing is counted twice; when a
 * household count of the group is unknown every share is unknown (null), never guessed; when all
 * have 0 households it is split equally (no area needs floor area then).
 *
 * @param insideAreaIds the area each facility's door lies in (or null), parallel to `facilities`
 * @returns one attribution per facility, parallel to `facilities`
 * @example
 * // a 300 m² station naming A (200 households) and B (100): A 200 m², B 100 m²
 * attributeFacilities(areas, [station], [null])[0].shares; // [{ areaId: 'A', m2: 200 }, { areaId: 'B', m2: 100 }]
 */
export function attributeFacilities(
	residential: readonly ResidentialFeature[],
	facilities: readonly FacilityFeature[],
	insideAreaIds: readonly (string | null)[]
): FacilityAttribution[] {
	const byId = new Map(residential.map((area) => [area.properties.id, area]));
	const byName = new Map<string, string[]>();
	for (const area of residential) {
		const ids = byName.get(area.properties.name);
		if (ids) ids.push(area.properties.id);
		else byName.set(area.properties.name, [area.properties.id]);
	}
	return facilities.map((facility, i) => {
		const servesAreaIds: string[] = [];
		const unmatched: string[] = [];
		const ambiguous: FacilityAttribution['ambiguous'] = [];
		for (const name of facility.properties.servesCompounds ?? []) {
			const ids = byId.has(name) ? [name] : (byName.get(name) ?? []);
			if (ids.length === 1) {
				if (!servesAreaIds.includes(ids[0])) servesAreaIds.push(ids[0]);
			} else if (ids.length === 0) unmatched.push(name);
			else ambiguous.push({ name, areaIds: ids });
		}
		const inside = insideAreaIds[i];
		const group = [...new Set([...(inside === null ? [] : [inside]), ...servesAreaIds])];
		const floor = facility.properties.floorAreaM2;
		const attribution: FacilityAttribution = {
			servesAreaIds,
			unmatched,
			ambiguous,
			shares: [],
			split: null
		};
		if (group.length === 1) {
			attribution.shares = [{ areaId: group[0], m2: floor, inside: group[0] === inside }];
		} else if (group.length > 1) {
			const households = group.map((id) => byId.get(id)!.properties.households);
			const known = households.every((h) => h !== null);
			const total = known ? households.reduce<number>((sum, h) => sum + (h ?? 0), 0) : null;
			attribution.split = { households, totalHouseholds: total };
			attribution.shares = group.map((areaId, k) => ({
				areaId,
				inside: areaId === inside,
				m2:
					floor === null || total === null
						? null
						: total === 0
							? floor / group.length
							: (floor * (households[k] ?? 0)) / total
			}));
		}
		return attribution;
	});
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
	const circleMinutes = coverage?.settings.maxMinutes ?? circleMinutesOf(profile);
	const networkAvailable = coverage !== null;
	if (coverage && coverage.compounds.length !== residential.length)
		throw new Error('analyzeAreas: coverage was computed for a different residential list');

	const areasByBox = areaIndex(residential);
	const insideAreaIds = facilities.map((facility) =>
		areaContaining(residential, areasByBox, facility)
	);
	const counts = facilities.map((facility) =>
		COMMUNITY_FACILITY_KINDS.has(facility.properties.kind)
	);
	const attributions = attributeFacilities(residential, facilities, insideAreaIds);
	/** Counted toward some area (inside one, or naming one): never pooled as well. */
	const attributed = attributions.map((a, i) => counts[i] && a.shares.length > 0);
	// A point area contains no door: without any 所属小区 in the list, what it is provided is unknown.
	const listNamesAreas = facilities.some((f) => (f.properties.servesCompounds?.length ?? 0) > 0);
	const pointsUndecided = !listNamesAreas && counts.some(Boolean);
	const facilityCoverage: (FacilityCoverage | null)[] = facilities.map(
		(_, i) => coverage?.facilities[i] ?? null
	);

	// ---- floor area counted for each area: facilities inside it or naming it (unknown when one
	// counted facility has no floor area, or its split is unknown)
	const insideM2 = new Map<string, number | null>();
	const counted = new Map<string, CountedFacility[]>();
	facilities.forEach((facility, i) => {
		if (!counts[i]) return;
		const attribution = attributions[i];
		for (const share of attribution.shares) {
			const areaId = share.areaId;
			const previous = insideM2.get(areaId) ?? 0;
			insideM2.set(areaId, previous === null || share.m2 === null ? null : previous + share.m2);
			const entry = {
				facility,
				share,
				attribution,
				areaIds: attribution.shares.map((s) => s.areaId)
			};
			const list = counted.get(areaId);
			if (list) list.push(entry);
			else counted.set(areaId, [entry]);
		}
	});

	// ---- pooled shares of facilities outside every area, within the circle (pooling profiles):
	// only the compounds the rule lets pool claim a share, and only of sites big enough for them
	// Land area only where the rule limits pooling by it (Yantai 4.): not on every recompute.
	const needsLand = areaRule?.params.poolingAllowed === true && !!areaRule.params.poolingOnly;
	const landAreaM2 = residential.map((area) =>
		!needsLand || area.geometry.type === 'Point'
			? null
			: turfArea(area as unknown as Feature<Polygon | MultiPolygon>)
	);
	const mayPool = residential.map(
		(area, i) =>
			areaRule !== null &&
			poolingEligibility(area.properties.status, landAreaM2[i], areaRule).eligible
	);
	const requiredByArea = new Map<string, number | null>(
		residential.map((area, i) => [
			area.properties.id,
			areaRule && mayPool[i] && area.properties.households !== null
				? requiredFloorAreaM2(area.properties.households, area.properties.status, areaRule)
				: null
		])
	);
	const minSiteByArea = new Map<string, number | null>(
		residential.map((area) => [
			area.properties.id,
			areaRule?.params.minSingleSiteM2?.[area.properties.status] ?? null
		])
	);
	let pooled: ReturnType<typeof allocatePooledFloorArea> | null = null;
	if (poolingAllowed && coverage) {
		pooled = allocatePooledFloorArea(
			facilities.flatMap((facility, i) =>
				counts[i] && !attributed[i] && facilityCoverage[i]?.placed
					? [
							{
								id: facility.properties.id,
								floorAreaM2: facility.properties.floorAreaM2,
								areaIds: facilityCoverage[i]!.catchment.map((entry) => entry.id)
							}
						]
					: []
			),
			requiredByArea,
			minSiteByArea
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
			reasonZh: `本区域没有步行路网，无法确定哪些设施在各居住区 ${circleMinutes} 分钟圈内，未按统筹配建分摊`,
			reasonEn: `The region has no walking network: facilities within each area’s ${circleMinutes}-minute circle are unknown, so pooling was not applied`,
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

	const areaProperties = new Map(residential.map((a) => [a.properties.id, a.properties]));
	const areas = residential.map((area, i) => {
		const undecided =
			input.facilities !== null && pointsUndecided && area.geometry.type === 'Point';
		return areaRow(area, {
			place: placeOfArea(input.places, area),
			compound: coverage?.compounds[i] ?? null,
			insideM2:
				input.facilities === null || undecided
					? null
					: roundOrNull(knownOrZero(insideM2, area.properties.id)),
			providedUnknownBecause: undecided ? 'point_without_assignment' : undefined,
			counted: counted.get(area.properties.id) ?? [],
			areaProperties,
			pooledM2:
				pooled && mayPool[i] ? (pooled.byArea.get(area.properties.id)?.pooledM2 ?? 0) : null,
			pooledShares:
				pooled && mayPool[i] ? (pooled.byArea.get(area.properties.id)?.shares ?? []) : [],
			landAreaM2: landAreaM2[i],
			maxMinutes: circleMinutes,
			accessible: catchment
				? input.facilities === null
					? null
					: knownOrZero(catchment.accessibleM2PerElder, area.properties.id)
				: undefined,
			profile,
			reportUpToMinutes: coverage?.settings.reportUpToMinutes ?? null
		});
	});

	const facilityRows = facilities.map((facility, i) =>
		facilityRow(facility, {
			place: placeOfFacility(input.places, facility),
			insideAreaId: insideAreaIds[i],
			attribution: attributions[i],
			counts: counts[i],
			coverage: facilityCoverage[i],
			supplyM2PerElder: catchment?.supplyM2PerElder.get(facility.properties.id) ?? null,
			profile
		})
	);

	// ---- checks that could not run
	const unresolved = facilities.filter(
		(_, i) => attributions[i].unmatched.length > 0 || attributions[i].ambiguous.length > 0
	);
	if (unresolved.length)
		skipped.push({
			check: 'floor_area',
			level: 'facility',
			ruleId: areaRule?.id ?? null,
			reasonZh: `${unresolved.length} 处设施的“所属小区”无法对应到唯一居住区（找不到或重名），该部分建筑面积未计入任何居住区`,
			reasonEn: `${facilitiesHave(unresolved.length)} a 所属小区 entry that matches no single residential area (none, or several of that name): that floor area was not counted for any area`,
			subjects: unresolved.map((facility) => facility.properties.id)
		});
	const undecidedPoints =
		input.facilities !== null && pointsUndecided
			? residential.filter((area) => area.geometry.type === 'Point')
			: [];
	if (undecidedPoints.length)
		skipped.push({
			check: 'floor_area',
			level: 'area',
			ruleId: areaRule?.id ?? null,
			reasonZh: `${undecidedPoints.length} 个点状小区：设施清单无“所属小区”列，无法判断已配建面积（应配建面积照常计算）`,
			reasonEn: `${undecidedPoints.length} point compound${undecidedPoints.length === 1 ? '' : 's'}: the facility list has no 所属小区 column, so the floor area provided cannot be decided (the required area is still computed)`,
			subjects: undecidedPoints.map((area) => area.properties.id)
		});
	if (!networkAvailable) {
		skipped.push({
			check: 'service_circle',
			level: 'area',
			ruleId: circleRule?.id ?? null,
			reasonZh: `本区域没有步行路网，无法计算步行时间：未核查各居住区是否在 ${circleMinutes} 分钟养老服务圈内`,
			reasonEn: `The region has no walking network: walking times cannot be computed, so the ${circleMinutes}-minute service circle was not checked`,
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

/** A facility counted toward one area, with the share it gives that area. */
interface CountedFacility {
	facility: FacilityFeature;
	share: FacilityAttribution['shares'][number];
	attribution: FacilityAttribution;
	/** Every area the facility counts for (its group). */
	areaIds: string[];
}

/** As checkArea writes figures in its formula: 0.01, no grouping (1162 户 ÷ 100 × 15). */
const plain = (value: number) => String(roundM2(value));
const m2Text = plain;

/** The info reason naming the facilities counted by 所属小区 or split by households; null if none. */
function attributionReason(
	counted: readonly CountedFacility[],
	areaProperties: ReadonlyMap<string, ResidentialFeature['properties']>,
	areaId: string,
	ruleId: string | null
): CheckReason | null {
	const notable = counted.filter((c) => !c.share.inside || c.attribution.split);
	if (!notable.length) return null;
	const zh: string[] = [];
	const en: string[] = [];
	const numbers: Record<string, number | null> = {};
	for (const c of notable) {
		const name = c.facility.properties.name;
		const floor = c.facility.properties.floorAreaM2;
		const how = c.share.inside ? '位于小区内' : '所属小区列明';
		const howEn = c.share.inside ? 'inside the area' : 'named in 所属小区';
		const split = c.attribution.split;
		if (!split) {
			zh.push(`${name}（${how}）计入 ${floor === null ? '面积未知' : `${m2Text(floor)} m²`}`);
			en.push(`${name} (${howEn}) counts ${floor === null ? 'unknown' : `${m2Text(floor)} m²`}`);
			continue;
		}
		const own = areaProperties.get(areaId)?.households ?? null;
		const others = c.areaIds
			.filter((id) => id !== areaId)
			.map((id) => areaProperties.get(id)!.name);
		if (floor === null || c.share.m2 === null) {
			const unknown = c.areaIds
				.filter((id) => areaProperties.get(id)!.households === null)
				.map((id) => areaProperties.get(id)!.name);
			const why = floor === null ? '建筑面积未知' : `${unknown.join('、')} 户数未知`;
			const whyEn =
				floor === null
					? 'its floor area is unknown'
					: `households of ${unknown.join(', ')} unknown`;
			zh.push(`${name}（${how}，与 ${others.join('、')} 按户数分摊）：${why}，分摊面积未知`);
			en.push(
				`${name} (${howEn}, split by households with ${others.join(', ')}): ${whyEn}, share unknown`
			);
			continue;
		}
		const total = split.totalHouseholds ?? 0;
		const formula =
			total === 0
				? `${m2Text(floor)} m² ÷ ${c.areaIds.length}`
				: `${m2Text(floor)} m² × ${plain(own ?? 0)} ÷ ${plain(total)} 户`;
		const formulaEn =
			total === 0
				? `${m2Text(floor)} m² ÷ ${c.areaIds.length} (no households in the group)`
				: `${m2Text(floor)} m² × ${plain(own ?? 0)} ÷ ${plain(total)} households`;
		zh.push(
			`${name}（${how}，与 ${others.join('、')} 按户数分摊）：${formula} = ${m2Text(c.share.m2)} m²`
		);
		en.push(
			`${name} (${howEn}, split by households with ${others.join(', ')}, 按户数分摊): ${formulaEn} = ${m2Text(c.share.m2)} m²`
		);
		numbers[`shareM2:${c.facility.properties.id}`] = roundM2(c.share.m2);
	}
	return {
		ruleId,
		severity: 'info',
		messageZh: `计入的设施：${zh.join('；')}`,
		messageEn: `Facilities counted: ${en.join('; ')}`,
		numbers,
		citation: null,
		usesEstimate: notable.some(
			(c) =>
				c.attribution.split !== null &&
				c.areaIds.some((id) => 'households' in (areaProperties.get(id)!.estimated ?? {}))
		)
	};
}

function areaRow(
	area: ResidentialFeature,
	context: {
		place: ReturnType<typeof placeOfArea>;
		compound: CompoundCoverage | null;
		insideM2: number | null;
		providedUnknownBecause: 'point_without_assignment' | undefined;
		counted: CountedFacility[];
		areaProperties: ReadonlyMap<string, ResidentialFeature['properties']>;
		pooledM2: number | null;
		pooledShares: { facilityId: string; m2: number }[];
		landAreaM2: number | null;
		maxMinutes: number;
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
			providedUnknownBecause: context.providedUnknownBecause,
			pooledM2: context.pooledM2,
			landAreaM2: context.landAreaM2,
			sites: context.counted.map((c) => ({
				id: c.facility.properties.id,
				name: c.facility.properties.name,
				floorAreaM2: c.facility.properties.floorAreaM2,
				shareM2: c.share.m2
			})),
			minutesToNearest: compound?.minutes ?? null,
			walkComputed: compound !== null,
			maxMinutes: context.maxMinutes,
			reportUpToMinutes: context.reportUpToMinutes ?? undefined,
			estimated: { households: 'households' in estimated }
		},
		profile
	);
	const reasons: CheckReason[] = [...result.reasons];
	const floorRuleId = result.reasons[0]?.ruleId ?? null;
	const attribution = attributionReason(
		context.counted,
		context.areaProperties,
		props.id,
		floorRuleId
	);
	if (attribution) reasons.push(attribution);
	const unknownFloor = context.counted.filter((c) => c.facility.properties.floorAreaM2 === null);
	if (unknownFloor.length && context.insideM2 === null) {
		const ids = unknownFloor.map((c) => c.facility.properties.id);
		const allInside = unknownFloor.every((c) => c.share.inside);
		reasons.push({
			ruleId: floorRuleId,
			severity: 'warning',
			messageZh: `${allInside ? '小区内设施' : '计入本小区的设施'}（${ids.join('、')}）建筑面积未知，已配建面积无法核算`,
			messageEn: `Floor area of the facilities ${allInside ? 'inside' : 'counted for this area'} (${ids.join(', ')}) unknown: provided area not computed`,
			numbers: { facilitiesInside: ids.length },
			citation: null,
			usesEstimate: false
		});
	}
	const unknownSplit = context.counted.filter(
		(c) => c.facility.properties.floorAreaM2 !== null && c.share.m2 === null
	);
	if (unknownSplit.length && context.insideM2 === null) {
		const ids = unknownSplit.map((c) => c.facility.properties.id);
		reasons.push({
			ruleId: floorRuleId,
			severity: 'warning',
			messageZh: `设施（${ids.join('、')}）按户数分摊，但同组小区户数未知，分摊面积未知，已配建面积无法核算（不按 0 处理）`,
			messageEn: `Facilities (${ids.join(', ')}) are split by households, but a household count of the group is unknown: their share is unknown, provided area not computed (not taken as 0)`,
			numbers: { facilitiesSplitUnknown: ids.length },
			citation: null,
			usesEstimate: false
		});
	}
	const farSnap = farSnapMessage(compound?.snapDistanceM ?? null);
	if (farSnap)
		reasons.push({
			ruleId: null,
			severity: 'warning',
			...farSnap,
			numbers: { snapDistanceM: compound?.snapDistanceM ?? null, snapWarningM: SNAP_WARNING_M },
			citation: null,
			usesEstimate: false
		});
	const covered = compound ? compound.covered : null;
	const capacity = capacityOf(context.accessible, props.elders, result.requiredM2, covered);
	if (capacity.crowded) {
		const fairShare = formatAmount(capacity.fairShareM2 ?? 0);
		const required = formatAmount(result.requiredM2 ?? 0);
		reasons.push({
			ruleId: null,
			severity: 'warning',
			messageZh: `在服务圈内，但按两步移动搜索（2SFCA）分摊，可用设施面积约 ${fairShare} m²，低于应配建 ${required} m²（服务圈内设施被多个小区共用）`,
			messageEn: `Within the circle, but its fair share of the stations reaching it (2SFCA) is about ${fairShare} m², below the ${required} m² required (stations shared by several areas)`,
			numbers: {
				fairShareM2: capacity.fairShareM2,
				requiredM2: result.requiredM2,
				accessibleM2PerElder: capacity.accessibleM2PerElder
			},
			citation: null,
			usesEstimate: 'elders' in estimated
		});
	}
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
		pooledShares: context.pooledShares,
		providedM2: result.providedM2,
		deficitM2: result.deficitM2,
		minutesToNearest: compound?.minutes ?? null,
		snapDistanceM: compound?.snapDistanceM ?? null,
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
		attribution: FacilityAttribution;
		counts: boolean;
		coverage: FacilityCoverage | null;
		supplyM2PerElder: number | null;
		profile: RuleProfile;
	}
): FacilityRow {
	const props = facility.properties;
	const { coverage } = context;
	const reasons: CheckReason[] = [];
	const sizeReason = checkFacilitySize(facility.properties, context.profile);
	if (sizeReason) reasons.push(sizeReason);
	reasons.push(
		...attributionReasons(facility, context.attribution, context.counts, context.profile)
	);
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
		servesAreaIds: context.attribution.servesAreaIds,
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

/** What became of a facility's 所属小区 list: names not found or ambiguous, a kind that does not count. */
function attributionReasons(
	facility: FacilityFeature,
	attribution: FacilityAttribution,
	counts: boolean,
	profile: RuleProfile
): CheckReason[] {
	const named = facility.properties.servesCompounds ?? [];
	if (!named.length) return [];
	const ruleId = ruleOfKind(profile, 'facility_area_per_households')?.id ?? null;
	const reason = (
		severity: CheckReason['severity'],
		messageZh: string,
		messageEn: string,
		numbers: Record<string, number | null>
	): CheckReason => ({
		ruleId,
		severity,
		messageZh,
		messageEn,
		numbers,
		citation: null,
		usesEstimate: false
	});
	if (!counts)
		return [
			reason(
				'info',
				`所属小区（${named.join('、')}）未采用：${FACILITY_KIND_NAMES_ZH[facility.properties.kind]}不计入居住区配建面积`,
				`所属小区 (${named.join(', ')}) not used: a ${facility.properties.kind} does not count toward residential areas' floor area`,
				{ namedCompounds: named.length }
			)
		];
	const reasons: CheckReason[] = [];
	if (attribution.unmatched.length)
		reasons.push(
			reason(
				'warning',
				`所属小区“${attribution.unmatched.join('”“')}”在居住区图层中找不到（编号、名称均不符），该部分未计入`,
				`所属小区 "${attribution.unmatched.join('", "')}" matches no residential area (by id or name): not counted`,
				{ unmatchedCompounds: attribution.unmatched.length }
			)
		);
	for (const { name, areaIds } of attribution.ambiguous)
		reasons.push(
			reason(
				'warning',
				`所属小区“${name}”同时对应 ${areaIds.length} 个居住区（${areaIds.join('、')}），无法确定，未计入；请改用小区编号`,
				`所属小区 "${name}" matches ${areaIds.length} residential areas (${areaIds.join(', ')}): ambiguous, not counted; use the area's id instead`,
				{ matchingAreas: areaIds.length }
			)
		);
	if (attribution.split)
		reasons.push(
			reason(
				'info',
				`建筑面积按户数分摊到 ${attribution.shares.length} 个居住区（${attribution.shares.map((s) => s.areaId).join('、')}）`,
				`Floor area split by households (按户数分摊) among ${attribution.shares.length} residential areas (${attribution.shares.map((s) => s.areaId).join(', ')})`,
				{ areas: attribution.shares.length, totalHouseholds: attribution.split.totalHouseholds }
			)
		);
	return reasons;
}
