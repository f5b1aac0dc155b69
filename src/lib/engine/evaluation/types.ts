/**
 * The shapes of a project evaluation (issue 7): what a planning bureau enters about a new (or
 * existing) residential project, and the cited verdict with the figures behind it. The CLI's
 * evaluation.json, the report writers and the tests all read `ProjectEvaluation`; nothing here
 * computes.
 *
 * Unknown is never zero: a figure the data cannot give is `null`, and every figure that rests on
 * an estimate (households from floor area, elders from the region's ratio) says so.
 */
import type { MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { LevelVerdict, PlaceRef } from '../analysis/types.ts';
import type { AccessMethod } from '../coverage/access.ts';
import type { FacilityKind } from '../region/schema.ts';
import type { CheckReason, ResidentialStatus } from '../rules/area-check.ts';
import type { Citation, RuleProfile } from '../rules/profile-schema.ts';
import type { TargetsResult } from '../targets/targets.ts';
import type { Bbox, BoundarySource } from './boundary-check.ts';

/** A care facility the project plans (inside or outside its boundary). */
export interface ProjectFacilityInput {
	/** Default `project-facility-<n>`; must differ from the region's facility ids. */
	id?: string;
	/** Default 规划设施 n. */
	name?: string;
	kind: FacilityKind;
	/** Floor area, m² (> 0): the plan must state it. */
	floorAreaM2: number;
	/** WGS84 [lon, lat] of its door. */
	position: [number, number];
	/** Land area, m², when the plan gives one (welfare land per elder). */
	landAreaM2?: number | null;
}

export interface ProjectInput {
	name: string;
	/** WGS84 Polygon / MultiPolygon (see `readProjectBoundary` / `validateProjectBoundary`). */
	boundary: Polygon | MultiPolygon;
	/** Where the boundary came from (file, CRS decision); default: drawn on the map. */
	boundarySource?: BoundarySource;
	status: ResidentialStatus;
	/** Households (户) as planned. Give this, or `residentialFloorAreaM2`. */
	households?: number | null;
	/** Residential floor area (住宅建筑面积), m²: households = ⌈area ÷ dwellingM2⌉ (an estimate). */
	residentialFloorAreaM2?: number | null;
	/** Average dwelling floor area, m² per household (default 90). */
	dwellingM2?: number | null;
	/** Residents aged 60+ when known; default households × the region's elders per household. */
	elders?: number | null;
	facilities?: ProjectFacilityInput[];
	/** Entrances, WGS84 [lon, lat]; none = the boundary's crossings with the network (else its centroid). */
	gates?: [number, number][];
}

export type ProjectVerdict = 'compliant' | 'conditional' | 'non_compliant';

/** The part of the evaluation a reason belongs to. */
export const EVALUATION_CHECKS = [
	'floor_area', // required vs provided community care floor area (facility_area_per_households)
	'pooling', // shares of shared facilities (profiles that allow pooling)
	'service_circle', // a station within the circle's minutes of the project's gates
	'street_center', // the street's comprehensive centre: size and walking time
	'station_size', // the planned stations' own size rules
	'facility_placement', // planned facilities outside the boundary, off the network
	'households', // how households were obtained
	'elders', // how elders were obtained
	'overlap', // boundary over existing residential areas
	'data' // what the region's data lacks
] as const;
export type EvaluationCheck = (typeof EVALUATION_CHECKS)[number];

/**
 * What a finding does to the verdict: `non_compliant` (the submission lacks a required element),
 * `condition` (it passes once the stated change is made), `none` (reported only).
 */
export type ReasonEffect = 'non_compliant' | 'condition' | 'none';

export interface EvaluationReason extends CheckReason {
	check: EvaluationCheck;
	effect: ReasonEffect;
	/** What must change for the project to comply; null when `effect` is `none`. */
	requiredChange: { zh: string; en: string } | null;
}

/** How the households figure was obtained. */
export interface HouseholdsSource {
	method: 'entered' | 'floor_area';
	residentialFloorAreaM2: number | null;
	dwellingM2: number | null;
	/** floor area ÷ dwelling size before rounding up; null when entered. */
	exact: number | null;
	estimated: boolean;
	/** The derivation as printed: "54,000 m² ÷ 90 m²/户 = 600 户". */
	derivationZh: string;
	derivationEn: string;
}

export interface EldersSource {
	method: 'entered' | 'region_ratio' | 'unknown';
	/** Elders per household of the region's residential areas; null when entered or unknown. */
	ratio: number | null;
	/** The areas the ratio was taken over: Σ elders ÷ Σ households. */
	ratioBasis: { areas: number; households: number; elders: number } | null;
	estimated: boolean;
	/** The region's own elders or households are estimates (the ratio inherits that). */
	basisEstimated: boolean;
	derivationZh: string;
	derivationEn: string;
}

export interface EvaluatedFacility {
	id: string;
	name: string;
	kind: FacilityKind;
	status: 'existing' | 'planned';
	/** Planned by the project (as opposed to a region facility inside its boundary). */
	project: boolean;
	floorAreaM2: number | null;
	position: [number, number];
	insideBoundary: boolean;
	/** Of a kind that counts toward the floor area (community stations, day care, meal points, village stations). */
	countsTowardArea: boolean;
	/** m² counted for the project: all of it inside, its pooled share outside (pooling profiles), else 0. */
	countedM2: number | null;
	/** Door within the snap distance of the network; null without a network. */
	placed: boolean | null;
	snapDistanceM: number | null;
	/** Walking minutes from the project's gates to its door (up to 60); null when not reached or no network. */
	minutesFromProject: number | null;
}

export interface FloorAreaFigures {
	ruleId: string | null;
	rateM2Per100Households: number | null;
	rateBasedM2: number | null;
	minSingleSiteM2: number | null;
	requiredM2: number | null;
	/** Counted facilities inside the boundary, m². */
	insideM2: number | null;
	/** Shares of shared facilities within the circle (pooling profiles), m²; null when not applied. */
	pooledM2: number | null;
	providedM2: number | null;
	deficitM2: number | null;
	poolingAllowed: boolean;
	excludesSharedAreas: boolean;
}

export interface NearestFacility {
	id: string;
	name: string;
	kind: FacilityKind;
	status: 'existing' | 'planned';
	project: boolean;
	minutes: number;
}

export interface CircleFigures {
	/** The profile's circle rule; null when it has none (minutes are then shown for reference). */
	ruleId: string | null;
	maxMinutes: number;
	/** How the project reaches the network. */
	access: AccessMethod | 'off-network' | null;
	accessPoints: [number, number][];
	/** Nearest facility of any kind, existing or planned (the coverage engine's answer). */
	nearest: NearestFacility | null;
	nearestExisting: NearestFacility | null;
	/** Within the circle; null without a network. */
	covered: boolean | null;
}

export interface StreetCenterFigures {
	ruleId: string;
	minFloorAreaM2: number;
	streetCode: string | null;
	streetName: string | null;
	facilityId: string | null;
	name: string | null;
	floorAreaM2: number | null;
	meetsMinimum: boolean | null;
	/** Walking minutes from the project's gates; null when unknown. */
	minutes: number | null;
	withinCircle: boolean | null;
}

export interface StreetFigures {
	areas: number;
	households: number;
	elders: number;
	eldersUnknownCount: number;
	eldersCovered: number | null;
	eldersCoveredShare: number | null;
	requiredM2: number;
	providedM2: number;
	deficitM2: number;
	/** Σ known land area of the street's facilities, m²; null when none is known. */
	welfareLandM2: number | null;
	landPerElderM2: number | null;
	verdict: LevelVerdict;
}

export interface DistrictFigures {
	elders: number | null;
	welfareLandM2: number | null;
	requiredLandM2: number | null;
	landPerElderM2: number | null;
	verdict: LevelVerdict;
}

/** Everything the report's map draws, in WGS84. */
export interface EvaluationMap {
	/** The extent drawn [west, south, east, north]. */
	bbox: Bbox;
	boundary: Polygon | MultiPolygon;
	accessPoints: [number, number][];
	/** Streets reached from the project's gates within the circle; null without a network. */
	reached: MultiLineString | null;
	band: Polygon | MultiPolygon | null;
	/** The walking network within the extent (context), null without a network. */
	roads: MultiLineString | null;
	/** Other residential areas within the extent. */
	areas: { id: string; name: string; geometry: Polygon | MultiPolygon }[];
	facilities: {
		id: string;
		name: string;
		kind: FacilityKind;
		status: 'existing' | 'planned';
		project: boolean;
		position: [number, number];
		floorAreaM2: number | null;
		minutes: number | null;
	}[];
}

export interface EvaluationSettings {
	regionId: string;
	regionName: string;
	profileId: string;
	profileVersion: string | number;
	maxMinutes: number;
	walkSpeedMps: number;
	stepPenaltyS: number;
	maxSnapM: number;
	networkAvailable: boolean;
}

/** A condition of approval a clause attaches to every project it applies to (not a defect). */
export interface ApprovalCondition {
	ruleId: string;
	/** 'synchronous_delivery' (四同步) or 'land_sale_precondition' (土地出让前置条件). */
	kind: 'synchronous_delivery' | 'land_sale_precondition';
	zh: string;
	en: string;
	citation: Citation;
}

export interface NotRun {
	check: EvaluationCheck;
	reasonZh: string;
	reasonEn: string;
}

export interface ProjectEvaluation {
	formatVersion: 1;
	settings: EvaluationSettings;
	verdict: ProjectVerdict;
	/** Some check could not run (see `notRun`): the verdict rests on the checks that did. */
	incomplete: boolean;
	/** What must change, in the order of the reasons (effect ≠ none). */
	conditions: { check: EvaluationCheck; ruleId: string | null; zh: string; en: string }[];
	/**
	 * Conditions the approval must carry whatever the figures (issue 13): 四同步 (Yantai 4.,
	 * Dong'e 13.) and Dong'e's 配建作为土地出让前置条件, each with its clause. They do not change
	 * the verdict; the report prints them under 审批附加条件.
	 */
	approvalConditions: ApprovalCondition[];
	reasons: EvaluationReason[];
	notRun: NotRun[];
	project: {
		id: string;
		name: string;
		status: ResidentialStatus;
		boundary: Polygon | MultiPolygon;
		boundarySource: BoundarySource;
		/** Geodesic area of the boundary, m². */
		landAreaM2: number;
		/** A point inside the boundary [lon, lat]. */
		point: [number, number];
		place: PlaceRef;
		households: number;
		householdsSource: HouseholdsSource;
		elders: number | null;
		eldersSource: EldersSource;
		gates: [number, number][];
		/** Region residential areas the boundary overlaps (m² of overlap). */
		overlaps: { id: string; name: string; overlapM2: number }[];
	};
	facilities: EvaluatedFacility[];
	floorArea: FloorAreaFigures;
	circle: CircleFigures;
	/** null when the profile has no street-centre rule. */
	streetCenter: StreetCenterFigures | null;
	street: {
		code: string | null;
		name: string;
		before: StreetFigures;
		after: StreetFigures;
	};
	district: {
		code: string | null;
		name: string;
		ruleId: string | null;
		minM2PerElder: number | null;
		before: DistrictFigures;
		after: DistrictFigures;
	} | null;
	/** Which inputs are estimates, and how each was made (both languages). */
	estimates: { field: string; zh: string; en: string }[];
	/**
	 * The targets of the street and district the project lies in (issue 16), on the date asked,
	 * for the region as it is (without the project): context for the report (所在街道的目标), not
	 * part of the verdict. null when not asked for; absent in evaluations saved before.
	 */
	streetTargets?: TargetsResult | null;
	/** The profile applied, whole (the report cites from it). */
	profile: RuleProfile;
	map: EvaluationMap;
}
