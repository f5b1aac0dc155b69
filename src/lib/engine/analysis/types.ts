/**
 * The result of a gap analysis (issue 4): one row per residential area, facility, street and
 * district, each with the cited findings behind its verdict, plus the checks that could not run.
 * The CLI report, the map workspace and the tests all read this one shape; nothing here computes.
 *
 * Unknown is never zero: every count or area that the data does not give is `null`, and a sum over
 * rows with unknown members says so (`…UnknownCount`) instead of silently adding 0.
 */
import type { ElderClass, FacilityKind } from '../region/schema.ts';
import type { AreaVerdict, CheckReason, ResidentialStatus } from '../rules/area-check.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';

/** The checks of issue 4, by the level they run at. Reports name them in `SkippedCheck`. */
export const CHECK_IDS = [
	'floor_area', // area: required vs provided floor area (facility_area_per_households)
	'service_circle', // area: nearest station within the circle's minutes (needs a network)
	'pooling', // area: shares of facilities within the circle (profiles that allow pooling)
	'capacity_2sfca', // area/facility: two-step floating catchment on floor area (needs a network)
	'street_center', // street: a comprehensive centre of at least the profile's floor area
	'station_coverage', // street: every community / village has a station
	'community_station_area', // facility: community stations of at least the profile's floor area
	'elders_covered', // street/district: share of elders (and per class) within the circle
	'welfare_land', // district: elderly social-welfare land per older resident
	'nursing_beds', // district: nursing-type beds as a share of institution beds
	'social_workers' // district: social workers per beds / per elders
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type AnalysisLevel = 'area' | 'facility' | 'street' | 'district';

/** A check that could not run (for some or all rows), and why, in both languages. */
export interface SkippedCheck {
	check: CheckId;
	level: AnalysisLevel;
	/** The profile rule the check would have applied; null when the profile has none. */
	ruleId: string | null;
	reasonZh: string;
	reasonEn: string;
	/** Rows affected (ids/codes); empty = the whole level. */
	subjects: string[];
}

export interface AnalysisSettings {
	regionId: string;
	regionName: string;
	profileId: string;
	profileVersion: string | number;
	/** The service circle, minutes of walking. */
	maxMinutes: number;
	walkSpeedMps: number;
	stepPenaltyS: number;
	/** False when the region has no walking network: circle, pooling and 2SFCA checks are skipped. */
	networkAvailable: boolean;
}

/** Where a row lies. `assignedBy` says whether the codes came from the data or from polygons. */
export interface PlaceRef {
	streetCode: string | null;
	streetName: string | null;
	districtCode: string | null;
	districtName: string | null;
	communityCode: string | null;
	communityName: string | null;
	/** 'attribute': the feature's own streetCode; 'polygon': point in a boundary; 'none': neither. */
	assignedBy: 'attribute' | 'polygon' | 'none';
}

/** Two-step floating catchment (2SFCA) view of one area: floor area as supply, elders as demand. */
export interface AreaCapacity {
	/** Σ over reaching facilities of floor area ÷ elders in that facility's catchment, m² per elder. */
	accessibleM2PerElder: number | null;
	/** accessibleM2PerElder × this area's elders: the floor area it can count on when shared fairly. */
	fairShareM2: number | null;
	/** Covered, yet its fair share is below its required floor area; null when not computable. */
	crowded: boolean | null;
}

export interface AreaRow extends PlaceRef {
	id: string;
	name: string;
	status: ResidentialStatus;
	households: number | null;
	elders: number | null;
	eldersByClass: Partial<Record<ElderClass, number>> | null;
	/** Fields of this area that are estimates (households, elders, …). */
	estimatedFields: string[];
	/** Required floor area of community care facilities, m²; null when households are unknown. */
	requiredM2: number | null;
	/**
	 * Floor area of counted facilities inside the area or naming it in 所属小区 (a facility naming
	 * several areas: its household-proportional share), m²; null when one of them (or a share) is
	 * unknown, or the area is a point and the facility list names no area.
	 */
	insideM2: number | null;
	/** Share of facilities within the circle (pooling profiles only), m²; null when not applied. */
	pooledM2: number | null;
	/** Each shared facility's share in `pooledM2` (m²), as the pooling rule split it. */
	pooledShares: { facilityId: string; m2: number }[];
	/** Area counted against the requirement (inside + pooled), m². */
	providedM2: number | null;
	deficitM2: number | null;
	minutesToNearest: number | null;
	/**
	 * Metres from the area to the walking network where its time starts (not walked); 0 where a
	 * path crosses its boundary; null without a network or off it. > 50 m adds a warning.
	 */
	snapDistanceM: number | null;
	nearestFacilityId: string | null;
	/** Within the circle; null without a network. */
	covered: boolean | null;
	reachingFacilityIds: string[];
	capacity: AreaCapacity;
	verdict: AreaVerdict;
	/** Ids of the profile rules that produced this row's findings. */
	ruleIds: string[];
	reasons: CheckReason[];
}

export interface FacilityRow extends PlaceRef {
	id: string;
	name: string;
	kind: FacilityKind;
	status: 'existing' | 'planned';
	floorAreaM2: number | null;
	landAreaM2: number | null;
	beds: number | null;
	nursingBeds: number | null;
	estimatedFields: string[];
	/** The residential area the facility lies in, if any. */
	insideAreaId: string | null;
	/** Residential areas its 所属小区 names that were found (by id, else by unique name). */
	servesAreaIds: string[];
	/** Counted toward residential areas' floor area (community-level kinds). */
	countsTowardAreas: boolean;
	/** Snapped to the network; null without a network. */
	placed: boolean | null;
	snapDistanceM: number | null;
	/** Areas within the circle of this facility; null without a network. */
	catchmentAreas: number | null;
	eldersReached: number | null;
	/** Elders reached by this facility and no other (what is lost if it closes). */
	eldersOnlyHere: number | null;
	/** 2SFCA step 1: floor area ÷ elders in its catchment, m² per elder; null when unknown. */
	supplyM2PerElder: number | null;
	reasons: CheckReason[];
}

export type LevelVerdict = 'pass' | 'fail' | 'no_data';

export interface ElderClassCoverage {
	total: number;
	/** null without a network. */
	covered: number | null;
}

export interface StreetRow {
	/** null: the areas and facilities that lie in no known street. */
	code: string | null;
	name: string;
	districtCode: string | null;
	districtName: string | null;
	areas: number;
	households: number;
	householdsUnknownCount: number;
	elders: number;
	eldersUnknownCount: number;
	/** Elders within the circle; null without a network. */
	eldersCovered: number | null;
	eldersCoveredShare: number | null;
	eldersByClass: Partial<Record<ElderClass, ElderClassCoverage>>;
	requiredM2: number;
	providedM2: number;
	/** Sum of the areas' deficits, m² (areas with unknown figures excluded, counted below). */
	deficitM2: number;
	areasCompliant: number;
	areasDeficit: number;
	areasNoData: number;
	areasCrowded: number;
	/** The street's comprehensive centre: the largest `street_center` facility in it. */
	center: {
		facilityId: string | null;
		name: string | null;
		floorAreaM2: number | null;
		minFloorAreaM2: number | null;
		/** null when the facility data or the rule is missing. */
		meetsMinimum: boolean | null;
	};
	/** Communities / villages of the street and those without a station; null when unknown. */
	communities: {
		total: number;
		withStation: number | null;
		withoutStation: { code: string; name: string }[];
	} | null;
	/** Any figure of this row rests on an estimate. */
	usesEstimate: boolean;
	verdict: LevelVerdict;
	reasons: CheckReason[];
}

export interface DistrictRow {
	code: string | null;
	name: string;
	population: number | null;
	/** Older residents: the district boundary's figure when known, else the sum over its areas. */
	elders: number | null;
	eldersSource: 'boundary' | 'areas' | 'none';
	eldersEstimated: boolean;
	eldersCovered: number | null;
	eldersCoveredShare: number | null;
	/** Land of elderly-care facilities with a known land area, m²; null when none is known. */
	welfareLandM2: number | null;
	welfareLandUnknownCount: number;
	requiredLandM2: number | null;
	landPerElderM2: number | null;
	beds: number | null;
	nursingBeds: number | null;
	nursingBedShare: number | null;
	streets: number;
	streetsFailing: number;
	deficitM2: number;
	usesEstimate: boolean;
	verdict: LevelVerdict;
	reasons: CheckReason[];
}

export interface AnalysisSummary {
	areas: number;
	areasCompliant: number;
	areasDeficit: number;
	areasNoData: number;
	areasCovered: number | null;
	areasCrowded: number | null;
	households: number;
	elders: number;
	eldersCovered: number | null;
	eldersCoveredShare: number | null;
	requiredM2: number;
	providedM2: number;
	deficitM2: number;
	facilities: number;
	streets: number;
	streetsFailing: number;
	districts: number;
	districtsFailing: number;
	/** Any headline figure rests on an estimate (the UI and the report must say so). */
	usesEstimate: boolean;
}

export interface Analysis {
	settings: AnalysisSettings;
	/** The profile applied, whole: the report's rules sheet cites from it. */
	profile: RuleProfile;
	areas: AreaRow[];
	facilities: FacilityRow[];
	streets: StreetRow[];
	districts: DistrictRow[];
	/**
	 * Findings judged on the whole region rather than a row: a city-wide (全市) target such as
	 * Qingdao city 3.'s welfare land per elder. Empty when the profile has none.
	 */
	regionFindings: CheckReason[];
	summary: AnalysisSummary;
	skipped: SkippedCheck[];
}
