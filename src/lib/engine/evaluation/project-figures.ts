/**
 * The figures of a project evaluation, read off the region's analysis before and after the
 * project (its own row, its street's and district's rows) and the search from its gates: what
 * the report tabulates. No rule is checked here: the findings come from rules/ through the rows.
 */
import { area as turfArea, booleanPointInPolygon, intersect } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { COMMUNITY_FACILITY_KINDS } from '../analysis/areas.ts';
import type { Analysis, AreaRow, DistrictRow, FacilityRow, StreetRow } from '../analysis/types.ts';
import type { CompoundAccess } from '../coverage/access.ts';
import type { CoverageResult } from '../coverage/coverage.ts';
import type { NetworkPoint } from '../graph/snap.ts';
import type { ResidentialStatus } from '../labels.ts';
import type { FacilityFeature, ResidentialFeature } from '../region/schema.ts';
import { meetsSingleSiteMinimum } from '../rules/area-check.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import type { BoundarySource } from './boundary-check.ts';
import type { EvaluationRegion } from './evaluate.ts';
import type {
	CircleFigures,
	DistrictFigures,
	EldersSource,
	EvaluatedFacility,
	FloorAreaFigures,
	HouseholdsSource,
	NearestFacility,
	ProjectEvaluation,
	StreetCenterFigures,
	StreetFigures
} from './types.ts';

const roundM2 = (value: number) => Math.round(value * 100) / 100;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

function streetFigures(
	analysis: Analysis,
	street: StreetRow | undefined,
	code: string | null
): StreetFigures {
	const facilities = analysis.facilities.filter((facility) => facility.streetCode === code);
	const known = facilities.filter((facility) => facility.landAreaM2 !== null);
	const welfareLandM2 = known.length
		? roundM2(known.reduce((sum, facility) => sum + (facility.landAreaM2 ?? 0), 0))
		: null;
	const elders = street?.elders ?? 0;
	return {
		areas: street?.areas ?? 0,
		households: street?.households ?? 0,
		elders,
		eldersUnknownCount: street?.eldersUnknownCount ?? 0,
		eldersCovered: street?.eldersCovered ?? null,
		eldersCoveredShare: street?.eldersCoveredShare ?? null,
		requiredM2: street?.requiredM2 ?? 0,
		providedM2: street?.providedM2 ?? 0,
		deficitM2: street?.deficitM2 ?? 0,
		welfareLandM2,
		landPerElderM2:
			welfareLandM2 !== null && elders > 0
				? Math.round((welfareLandM2 / elders) * 1e4) / 1e4
				: null,
		verdict: street?.verdict ?? 'no_data'
	};
}

function districtFigures(row: DistrictRow | undefined): DistrictFigures {
	return {
		elders: row?.elders ?? null,
		welfareLandM2: row?.welfareLandM2 ?? null,
		requiredLandM2: row?.requiredLandM2 ?? null,
		landPerElderM2: row?.landPerElderM2 ?? null,
		verdict: row?.verdict ?? 'no_data'
	};
}

/** The project's facilities and the region's inside its boundary, with what each counts. */
export function evaluatedFacilities(context: {
	afterFacilities: readonly FacilityFeature[] | null;
	facilityRows: ReadonlyMap<string, FacilityRow>;
	row: AreaRow;
	plannedSet: ReadonlySet<string>;
	shape: Feature<Polygon | MultiPolygon>;
	projectId: string;
	status: ResidentialStatus;
	profile: RuleProfile;
	doors: ReadonlyMap<string, NetworkPoint | null>;
	minutesTo: ReadonlyMap<string, number | null>;
	networkAvailable: boolean;
}): EvaluatedFacility[] {
	const { afterFacilities, facilityRows, row, plannedSet, shape, projectId, profile } = context;
	const { doors, minutesTo, networkAvailable } = context;
	const project = { status: context.status };
	const poolShares = new Map(row.pooledShares.map((share) => [share.facilityId, share.m2]));
	const siteRule = ruleOfKind(profile, 'facility_area_per_households');
	const evaluated: EvaluatedFacility[] = (afterFacilities ?? [])
		.filter(
			(facility) =>
				plannedSet.has(facility.properties.id) ||
				booleanPointInPolygon(facility.geometry.coordinates, shape)
		)
		.map((facility) => {
			const props = facility.properties;
			const fRow = facilityRows.get(props.id);
			const inside = booleanPointInPolygon(facility.geometry.coordinates, shape);
			const counts = COMMUNITY_FACILITY_KINDS.has(props.kind);
			// Inside and of a counted kind, and big enough to be a site (单处 / 单个项目 minimum)
			const countedInside =
				inside &&
				counts &&
				fRow?.insideAreaId === projectId &&
				(siteRule === null ||
					props.floorAreaM2 === null ||
					meetsSingleSiteMinimum(props.floorAreaM2, project.status, siteRule));
			const door = doors.get(props.id) ?? null;
			return {
				id: props.id,
				name: props.name,
				kind: props.kind,
				status: props.status,
				project: plannedSet.has(props.id),
				floorAreaM2: props.floorAreaM2,
				position: [facility.geometry.coordinates[0], facility.geometry.coordinates[1]],
				insideBoundary: inside,
				countsTowardArea: counts,
				countedM2: countedInside
					? props.floorAreaM2
					: !inside && counts
						? (poolShares.get(props.id) ?? 0)
						: 0,
				placed: networkAvailable ? door !== null : null,
				snapDistanceM: door ? Math.round(door.snapDistanceM * 10) / 10 : null,
				minutesFromProject: minutesTo.get(props.id) ?? null
			};
		});
	return evaluated;
}

/** Floor area, circle, street, district and street-centre figures of the evaluation. */
export function projectFigures(context: {
	profile: RuleProfile;
	row: AreaRow;
	before: Analysis;
	after: Analysis;
	afterCoverage: CoverageResult | null;
	afterFacilities: readonly FacilityFeature[] | null;
	region: EvaluationRegion;
	plannedSet: ReadonlySet<string>;
	minutesTo: ReadonlyMap<string, number | null>;
	access: CompoundAccess | null;
	walk: { maxMinutes: number };
}) {
	const { profile, row, before, after, afterCoverage, afterFacilities, region } = context;
	const { plannedSet, minutesTo, access, walk } = context;
	const areaRule = ruleOfKind(profile, 'facility_area_per_households');
	const floorReason = row.reasons.find(
		(reason) => areaRule && reason.ruleId === areaRule.id && 'requiredM2' in reason.numbers
	);
	const floorArea: FloorAreaFigures = {
		ruleId: areaRule?.id ?? null,
		rateM2Per100Households: floorReason?.numbers.rateM2Per100Households ?? null,
		rateBasedM2: floorReason?.numbers.rateBasedM2 ?? null,
		minSingleSiteM2: floorReason?.numbers.minSingleSiteM2 ?? null,
		requiredM2: row.requiredM2,
		insideM2: row.insideM2,
		pooledM2: row.pooledM2,
		providedM2: row.providedM2,
		deficitM2: row.deficitM2,
		poolingAllowed: areaRule?.params.poolingAllowed === true,
		excludesSharedAreas: areaRule?.params.excludesSharedAreas === true
	};

	const facilityById = new Map(
		(afterFacilities ?? []).map((facility) => [facility.properties.id, facility])
	);
	const nearestOf = (id: string | null, minutes: number | null): NearestFacility | null => {
		const facility = id ? facilityById.get(id) : undefined;
		if (!facility || minutes === null) return null;
		return {
			id: facility.properties.id,
			name: facility.properties.name,
			kind: facility.properties.kind,
			status: facility.properties.status,
			project: plannedSet.has(facility.properties.id),
			minutes
		};
	};
	let nearestExisting: NearestFacility | null = null;
	for (const facility of region.facilities ?? []) {
		const minutes = minutesTo.get(facility.properties.id) ?? null;
		if (minutes !== null && (nearestExisting === null || minutes < nearestExisting.minutes))
			nearestExisting = nearestOf(facility.properties.id, minutes);
	}
	const circleRule = ruleOfKind(profile, 'service_circle');
	const projectCoverage = afterCoverage?.compounds[0] ?? null;
	const circle: CircleFigures = {
		ruleId: circleRule?.id ?? null,
		maxMinutes: walk.maxMinutes,
		access: projectCoverage?.access ?? null,
		accessPoints: (access?.points ?? []).map((point) => [round6(point.lon), round6(point.lat)]),
		nearest: nearestOf(row.nearestFacilityId, row.minutesToNearest),
		nearestExisting,
		covered: row.covered
	};

	// ---- the project's street and district, before and after
	const streetCode = row.streetCode;
	const streetAfter = after.streets.find((street) => street.code === streetCode);
	const streetBefore = before.streets.find((street) => street.code === streetCode);
	const street = {
		code: streetCode,
		name: streetAfter?.name ?? row.streetName ?? '未划分街道',
		before: streetFigures(before, streetBefore, streetCode),
		after: streetFigures(after, streetAfter, streetCode)
	};
	const landRule = ruleOfKind(profile, 'welfare_land_per_elder');
	const districtAfter = after.districts.find((district) => district.code === row.districtCode);
	const district = districtAfter
		? {
				code: districtAfter.code,
				name: districtAfter.name,
				ruleId: landRule?.id ?? null,
				minM2PerElder: landRule?.params.minM2PerElder ?? null,
				before: districtFigures(
					before.districts.find((candidate) => candidate.code === row.districtCode)
				),
				after: districtFigures(districtAfter)
			}
		: null;

	const centerRule = ruleOfKind(profile, 'street_center_area');
	let streetCenter: StreetCenterFigures | null = null;
	if (centerRule) {
		const center = streetAfter?.center;
		const minutes = center?.facilityId ? (minutesTo.get(center.facilityId) ?? null) : null;
		streetCenter = {
			ruleId: centerRule.id,
			minFloorAreaM2: centerRule.params.minFloorAreaM2,
			streetCode,
			streetName: streetCode === null ? null : street.name,
			facilityId: center?.facilityId ?? null,
			name: center?.name ?? null,
			floorAreaM2: center?.floorAreaM2 ?? null,
			meetsMinimum: streetCode === null ? null : (center?.meetsMinimum ?? null),
			minutes,
			withinCircle: minutes === null ? null : minutes <= walk.maxMinutes
		};
	}
	return {
		floorReason,
		floorArea,
		facilityById,
		circle,
		street,
		streetAfter,
		district,
		streetCenter
	};
}

/** The region's residential areas the boundary overlaps (their households would count twice). */
export function overlapsWithRegion(
	shape: Feature<Polygon | MultiPolygon>,
	residential: readonly ResidentialFeature[]
): { id: string; name: string; overlapM2: number }[] {
	const region = { residential };
	const overlaps: { id: string; name: string; overlapM2: number }[] = [];
	for (const area of region.residential ?? []) {
		if (area.geometry.type === 'Point') continue;
		const shared = intersect({
			type: 'FeatureCollection',
			features: [shape, area as unknown as Feature<Polygon | MultiPolygon>]
		});
		if (!shared) continue;
		const overlapM2 = Math.round(turfArea(shared));
		if (overlapM2 >= 1)
			overlaps.push({ id: area.properties.id, name: area.properties.name, overlapM2 });
	}
	return overlaps;
}

/** What the evaluation's figures rest on that is estimated, in both languages. */
export function projectEstimates(
	householdsSource: HouseholdsSource,
	eldersSource: EldersSource,
	boundarySource: BoundarySource,
	before: Analysis,
	after: Analysis
): ProjectEvaluation['estimates'] {
	const estimates: ProjectEvaluation['estimates'] = [];
	if (householdsSource.estimated)
		estimates.push({
			field: 'households',
			zh: `项目户数为估算：${householdsSource.derivationZh}；需配建面积由其计算，也是估算`,
			en: `Project households are an estimate: ${householdsSource.derivationEn}; the required floor area computed from them is an estimate too`
		});
	if (eldersSource.estimated)
		estimates.push({
			field: 'elders',
			zh: `项目老年人口为估算：${eldersSource.derivationZh}`,
			en: `Project elders are an estimate: ${eldersSource.derivationEn}`
		});
	if (boundarySource.crs.how === 'assumed')
		estimates.push({
			field: 'boundary_crs',
			zh: '项目边界文件未声明坐标系，按 WGS84 经纬度处理（若来自高德/腾讯为 GCJ-02、百度为 BD-09，位置会偏移约 300–600 m）',
			en: `The boundary file declares no coordinate system: ${boundarySource.crs.reason}`
		});
	if (before.summary.usesEstimate || after.summary.usesEstimate)
		estimates.push({
			field: 'region',
			zh: '所在街道、区县的户数、老年人口等数字部分为估算（见数据来源中的估算方法）',
			en: 'Some of the street’s and district’s households and elders are estimates (see the methods under data sources)'
		});
	return estimates;
}
