/**
 * Evaluating one residential project against a rule profile (issue 7): the project is added to
 * its region as one more residential area, its planned facilities as planned stations, and the
 * region's gap analysis runs before and after (the same `computeCoverage` + `analyzeRegion` the
 * map's what-if and `npm run analyze` use). The project's own row of the "after" analysis gives
 * the floor-area check (`checkArea`, with the pooled share where the profile allows pooling) and
 * the walking time to the nearest station; one bounded search from the project's gates gives its
 * isochrone and the minutes to every facility (the street's centre included).
 *
 * Verdict (docs/RULES.md, "Project evaluation"): `non_compliant` when the project provides no
 * community care floor area at all while the profile requires some; `conditional` when it passes
 * once stated changes are made (more floor area, a station within the circle, a larger station);
 * else `compliant`. Every reason carries its rule and clause.
 *
 * Pure: the region's layers, the walking graph and the profile come in; nothing is read or written.
 */
import { area as turfArea, intersect, booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { analyzeRegion } from '../analysis/analyze.ts';
import { COMMUNITY_FACILITY_KINDS } from '../analysis/areas.ts';
import { representativePoint } from '../analysis/places.ts';
import type { Analysis, AreaRow, DistrictRow, StreetRow } from '../analysis/types.ts';
import { compoundAccess } from '../coverage/access.ts';
import { computeCoverage, type CoverageResult, type LabelledSearch } from '../coverage/coverage.ts';
import { isochroneBand, reachedEdges } from '../coverage/isochrone.ts';
import type { RoadGraph } from '../graph/road-graph.ts';
import { WalkSearch } from '../graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex, type NetworkPoint } from '../graph/snap.ts';
import {
	FACILITY_KINDS,
	type BoundaryFeature,
	type CommunityCode,
	type FacilityFeature,
	type RegionMeta,
	type ResidentialFeature
} from '../region/schema.ts';
import { formatAmount } from '../format.ts';
import { PROJECT_VERDICT, zhOf } from '../labels.ts';
import { approvalConditions } from '../rules/approval.ts';
import { meetsSingleSiteMinimum } from '../rules/area-check.ts';
import {
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS,
	REPORT_UP_TO_MINUTES
} from '../rules/defaults.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import { circleMinutesOf } from '../rules/service-circle.ts';
import {
	circleReasons,
	floorAreaReasons,
	inputReasons,
	placementReasons,
	stationSizeReasons,
	streetCenterReasons
} from './reasons.ts';
import { validateProjectBoundary, type BoundarySource } from './boundary-check.ts';
import { EvaluationError } from './errors.ts';
import type {
	CircleFigures,
	DistrictFigures,
	EldersSource,
	EvaluatedFacility,
	EvaluationMap,
	EvaluationReason,
	FloorAreaFigures,
	HouseholdsSource,
	NearestFacility,
	NotRun,
	ProjectEvaluation,
	ProjectFacilityInput,
	ProjectInput,
	ProjectVerdict,
	StreetCenterFigures,
	StreetFigures
} from './types.ts';

/** The region as the evaluation needs it (a `LoadedRegion`'s meta and layers). */
export interface EvaluationRegion {
	meta: RegionMeta;
	boundaries: BoundaryFeature[] | null;
	residential: ResidentialFeature[] | null;
	/** null = the region has no facilities layer (unknown, not "none"). */
	facilities: FacilityFeature[] | null;
	communities: CommunityCode[] | null;
}

/** The walking network: the graph, and optionally an index and search already built on it. */
export interface EvaluationNetwork {
	graph: RoadGraph;
	index?: SegmentIndex;
	search?: LabelledSearch;
}

export interface EvaluationInput {
	region: EvaluationRegion;
	/** null when the region has no walking network: the circle and pooling checks do not run. */
	network: EvaluationNetwork | null;
	profile: RuleProfile;
	project: ProjectInput;
	/** Walking settings (defaults: the profile's circle, rules/defaults.ts, 150 m snap). */
	walk?: { maxMinutes?: number; walkSpeedMps?: number; stepPenaltyS?: number; maxSnapM?: number };
}

/** Average dwelling floor area when only the residential floor area is given, m² per household. */
export const DEFAULT_DWELLING_M2 = 90;

const roundM2 = (value: number) => Math.round(value * 100) / 100;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
const fmt = formatAmount;

export const VERDICT_ZH: Record<ProjectVerdict, string> = zhOf(PROJECT_VERDICT);
export const VERDICT_EN: Record<ProjectVerdict, string> = {
	compliant: PROJECT_VERDICT.compliant.en,
	conditional: PROJECT_VERDICT.conditional.en,
	non_compliant: PROJECT_VERDICT.non_compliant.en
};

// ---------------------------------------------------------------- inputs

function isWhole(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

function positiveNumber(value: unknown, field: string, what: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
		throw new EvaluationError(
			'INVALID_NUMBER',
			field,
			`${field}: ${what} must be a number above 0, got ${JSON.stringify(value)}`
		);
	return value;
}

/** Households entered, or derived from the residential floor area (rounded up). */
export function projectHouseholds(project: ProjectInput): {
	households: number;
	source: HouseholdsSource;
} {
	const entered = project.households;
	const floor = project.residentialFloorAreaM2;
	if (entered !== null && entered !== undefined) {
		if (floor !== null && floor !== undefined)
			throw new EvaluationError(
				'INVALID_NUMBER',
				'households',
				'households: give the households or the residential floor area, not both'
			);
		if (!isWhole(entered) || entered < 0)
			throw new EvaluationError(
				'INVALID_NUMBER',
				'households',
				`households: expected a whole number of households (户), got ${JSON.stringify(entered)}`
			);
		if (entered === 0)
			throw new EvaluationError(
				'NO_HOUSEHOLDS',
				'households',
				'households: 0 households — a residential project has households; enter the planned number (户), or the residential floor area'
			);
		return {
			households: entered,
			source: {
				method: 'entered',
				residentialFloorAreaM2: null,
				dwellingM2: null,
				exact: null,
				estimated: false,
				derivationZh: `规划户数 ${fmt(entered)} 户（申报值）`,
				derivationEn: `${fmt(entered)} households as planned (entered)`
			}
		};
	}
	if (floor === null || floor === undefined)
		throw new EvaluationError(
			'NO_HOUSEHOLDS',
			'households',
			'households: the project has no households — enter the planned households (--households N), or the residential floor area (--floor-area-m2 A, with --dwelling-m2 for the average dwelling size, default 90 m²)'
		);
	const area = positiveNumber(floor, 'residentialFloorAreaM2', 'the residential floor area (m²)');
	const dwellingM2 = positiveNumber(
		project.dwellingM2 ?? DEFAULT_DWELLING_M2,
		'dwellingM2',
		'the average dwelling floor area (m² per household)'
	);
	// Rounded to 1e-9 first so that 54,000 ÷ 90 is 600, not 600.0000000001 → 601.
	const exact = Math.round((area / dwellingM2) * 1e9) / 1e9;
	const households = Math.ceil(exact);
	if (households === 0)
		throw new EvaluationError('NO_HOUSEHOLDS', 'households', 'households: 0 households derived');
	const exactText = Number.isInteger(exact) ? fmt(exact) : exact.toFixed(2);
	return {
		households,
		source: {
			method: 'floor_area',
			residentialFloorAreaM2: area,
			dwellingM2,
			exact,
			estimated: true,
			derivationZh: `住宅建筑面积 ${fmt(area)} m² ÷ 户均 ${fmt(dwellingM2)} m²/户 = ${exactText}${Number.isInteger(exact) ? '' : '，向上取整'} → ${fmt(households)} 户（估算）`,
			derivationEn: `residential floor area ${fmt(area)} m² ÷ ${fmt(dwellingM2)} m² per household = ${exactText}${Number.isInteger(exact) ? '' : ', rounded up'} → ${fmt(households)} households (estimate)`
		}
	};
}

/** Elders entered, or households × the region's elders per household. */
export function projectElders(
	households: number,
	entered: number | null | undefined,
	residential: readonly ResidentialFeature[] | null
): { elders: number | null; source: EldersSource } {
	if (entered !== null && entered !== undefined) {
		if (!isWhole(entered) || entered < 0)
			throw new EvaluationError(
				'INVALID_NUMBER',
				'elders',
				`elders: expected a whole number of residents aged 60+, got ${JSON.stringify(entered)}`
			);
		return {
			elders: entered,
			source: {
				method: 'entered',
				ratio: null,
				ratioBasis: null,
				estimated: false,
				basisEstimated: false,
				derivationZh: `60岁及以上老年人 ${fmt(entered)} 人（申报值）`,
				derivationEn: `${fmt(entered)} residents aged 60+ (entered)`
			}
		};
	}
	let areas = 0;
	let sumHouseholds = 0;
	let sumElders = 0;
	let basisEstimated = false;
	for (const feature of residential ?? []) {
		const { households: h, elders: e, estimated } = feature.properties;
		if (h === null || e === null || h <= 0) continue;
		areas++;
		sumHouseholds += h;
		sumElders += e;
		if (estimated && ('households' in estimated || 'elders' in estimated)) basisEstimated = true;
	}
	if (areas === 0)
		return {
			elders: null,
			source: {
				method: 'unknown',
				ratio: null,
				ratioBasis: null,
				estimated: false,
				basisEstimated: false,
				derivationZh:
					'本区域没有同时具有户数和老年人口的居住区，无法按户推算老年人口；请申报项目老年人口',
				derivationEn:
					'The region has no residential area with both households and elders: elders cannot be estimated per household; enter the project’s elders'
			}
		};
	const ratio = sumElders / sumHouseholds;
	const elders = Math.round(households * ratio);
	const ratioText = ratio.toFixed(4);
	return {
		elders,
		source: {
			method: 'region_ratio',
			ratio,
			ratioBasis: { areas, households: sumHouseholds, elders: sumElders },
			estimated: true,
			basisEstimated,
			derivationZh: `${fmt(households)} 户 × 区域户均老年人 ${ratioText} 人/户（${areas} 个居住区：${fmt(sumElders)} 人 ÷ ${fmt(sumHouseholds)} 户）≈ ${fmt(elders)} 人（估算${basisEstimated ? '；区域户数、老年人口本身也是估算' : ''}）`,
			derivationEn: `${fmt(households)} households × ${ratioText} elders per household in the region (${areas} areas: ${fmt(sumElders)} elders ÷ ${fmt(sumHouseholds)} households) ≈ ${fmt(elders)} (estimate${basisEstimated ? '; the region’s own households and elders are estimates too' : ''})`
		}
	};
}

function insideBbox([lon, lat]: [number, number], bbox: RegionMeta['bbox']): boolean {
	return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

function checkPosition(
	value: unknown,
	field: string,
	code: 'INVALID_FACILITY' | 'INVALID_GATE',
	meta: RegionMeta
): [number, number] {
	if (
		!Array.isArray(value) ||
		value.length < 2 ||
		!Number.isFinite(value[0]) ||
		!Number.isFinite(value[1]) ||
		Math.abs(value[0]) > 180 ||
		Math.abs(value[1]) > 90
	)
		throw new EvaluationError(
			code,
			field,
			`${field}: expected WGS84 [lon, lat] degrees, got ${JSON.stringify(value)}`
		);
	const position: [number, number] = [value[0], value[1]];
	if (!insideBbox(position, meta.bbox))
		throw new EvaluationError(
			'PROJECT_OUTSIDE_REGION',
			field,
			`${field}: [${position.join(', ')}] lies outside the region ${meta.id} (bbox ${meta.bbox.join(', ')}); check the coordinates (lon first, then lat, WGS84)`
		);
	return position;
}

function checkFacility(
	facility: ProjectFacilityInput,
	index: number,
	meta: RegionMeta
): ProjectFacilityInput {
	const field = `facilities[${index}]`;
	if (!FACILITY_KINDS.includes(facility.kind))
		throw new EvaluationError(
			'INVALID_FACILITY',
			`${field}.kind`,
			`${field}.kind: ${JSON.stringify(facility.kind)} is not a facility kind; expected one of ${FACILITY_KINDS.join(', ')}`
		);
	if (
		typeof facility.floorAreaM2 !== 'number' ||
		!Number.isFinite(facility.floorAreaM2) ||
		facility.floorAreaM2 <= 0
	)
		throw new EvaluationError(
			'INVALID_FACILITY',
			`${field}.floorAreaM2`,
			`${field}.floorAreaM2: a planned facility needs its floor area in m² (above 0), got ${JSON.stringify(facility.floorAreaM2)}`
		);
	const land = facility.landAreaM2;
	if (land !== null && land !== undefined && (!Number.isFinite(land) || land < 0))
		throw new EvaluationError(
			'INVALID_FACILITY',
			`${field}.landAreaM2`,
			`${field}.landAreaM2: expected a land area in m² (0 or more), got ${JSON.stringify(land)}`
		);
	return {
		...facility,
		position: checkPosition(facility.position, `${field}.position`, 'INVALID_FACILITY', meta)
	};
}

// ---------------------------------------------------------------- network helpers

/** Seconds from the last search's sources to a network point (Infinity when not reached). */
function secondsTo(search: LabelledSearch, point: NetworkPoint, walkSpeedMps: number): number {
	return Math.min(
		search.time(point.fromNode) + point.offsetM / walkSpeedMps,
		search.time(point.toNode) + (point.lengthM - point.offsetM) / walkSpeedMps
	);
}

/** The network within a bbox, each undirected segment once. */
function roadsWithin(graph: RoadGraph, bbox: RegionMeta['bbox']): MultiLineString {
	const lines: Position[][] = [];
	const { firstEdge, edgeTarget } = graph;
	const inside = (node: number) => {
		const lon = graph.lon(node);
		const lat = graph.lat(node);
		return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
	};
	for (let u = 0; u < graph.nodeCount; u++) {
		for (let e = firstEdge[u]; e < firstEdge[u + 1]; e++) {
			const v = edgeTarget[e];
			if (v <= u || (!inside(u) && !inside(v))) continue;
			lines.push([
				[round6(graph.lon(u)), round6(graph.lat(u))],
				[round6(graph.lon(v)), round6(graph.lat(v))]
			]);
		}
	}
	return { type: 'MultiLineString', coordinates: lines };
}

function bboxOfPositions(positions: Position[]): RegionMeta['bbox'] | null {
	if (positions.length === 0) return null;
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [lon, lat] of positions) {
		w = Math.min(w, lon);
		s = Math.min(s, lat);
		e = Math.max(e, lon);
		n = Math.max(n, lat);
	}
	return [w, s, e, n];
}

function positionsOf(geometry: Polygon | MultiPolygon | MultiLineString): Position[] {
	if (geometry.type === 'Polygon') return geometry.coordinates.flat();
	if (geometry.type === 'MultiLineString') return geometry.coordinates.flat();
	return geometry.coordinates.flat(2);
}

// ---------------------------------------------------------------- figures

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

// ---------------------------------------------------------------- the evaluation

/**
 * Evaluates a residential project: required vs provided community care floor area, the
 * 15-minute circle from its gates, the street's comprehensive centre, and the street's figures
 * before and after the project, with a cited verdict.
 *
 * @param input the region (meta with bbox, layers), its walking network (or null), the rule
 *   profile, the project (boundary in WGS84, households or residential floor area, status,
 *   planned facilities, optional gates and elders) and walking settings
 * @returns the evaluation (see `ProjectEvaluation`)
 * @throws {EvaluationError} for an input it cannot accept (no households, an open or
 *   self-crossing boundary, a boundary or facility outside the region, a bad facility)
 * @example
 * const evaluation = evaluateProject({ region, network: { graph }, profile: donge,
 *   project: { name: '某地块', boundary, status: 'new', households: 800,
 *     facilities: [{ kind: 'community_station', floorAreaM2: 150, position: [121.517, 31.235] }] } });
 * evaluation.floorArea.requiredM2; // max(800 ÷ 100 × 20, 200) = 200
 * evaluation.verdict; // 'conditional' — add ≥ 50 m²
 */
export function evaluateProject(input: EvaluationInput): ProjectEvaluation {
	const { region, profile, project } = input;
	const meta = region.meta;
	const walk = {
		maxMinutes: input.walk?.maxMinutes ?? circleMinutesOf(profile),
		walkSpeedMps: input.walk?.walkSpeedMps ?? DEFAULT_WALK_SPEED_MPS,
		stepPenaltyS: input.walk?.stepPenaltyS ?? DEFAULT_STEP_PENALTY_S,
		maxSnapM: input.walk?.maxSnapM ?? DEFAULT_MAX_SNAP_M
	};

	// ---- inputs, validated before anything is computed
	const name = typeof project.name === 'string' && project.name.trim() ? project.name.trim() : '';
	if (!name) throw new EvaluationError('INVALID_NUMBER', 'name', 'name: the project needs a name');
	if (project.status !== 'new' && project.status !== 'existing')
		throw new EvaluationError(
			'INVALID_STATUS',
			'status',
			`status: expected "new" (新建) or "existing" (已建成), got ${JSON.stringify(project.status)}`
		);
	const boundary = validateProjectBoundary(project.boundary, meta.bbox, { regionLabel: meta.id });
	const given: BoundarySource = project.boundarySource ?? {
		file: null,
		format: 'drawn',
		crs: { crs: 'EPSG:4326', how: 'drawn', reason: 'drawn on the map (WGS84)' },
		polygonFeatures: 1,
		name: null,
		notes: []
	};
	const boundarySource: BoundarySource = {
		...given,
		notes: [...new Set([...given.notes, ...boundary.notes])]
	};
	const { households, source: householdsSource } = projectHouseholds(project);
	const { elders, source: eldersSource } = projectElders(
		households,
		project.elders,
		region.residential
	);
	const gates = (project.gates ?? []).map((gate, i) =>
		checkPosition(gate, `gates[${i}]`, 'INVALID_GATE', meta)
	);
	const plannedInputs = (project.facilities ?? []).map((facility, i) =>
		checkFacility(facility, i, meta)
	);

	// ---- ids that cannot clash with the region's
	const areaIds = new Set((region.residential ?? []).map((area) => area.properties.id));
	let projectId = 'project';
	for (let n = 2; areaIds.has(projectId); n++) projectId = `project-${n}`;
	const facilityIds = new Set((region.facilities ?? []).map((f) => f.properties.id));
	const plannedIds: string[] = [];
	plannedInputs.forEach((facility, i) => {
		const id = facility.id ?? `project-facility-${i + 1}`;
		if (facilityIds.has(id) || plannedIds.includes(id))
			throw new EvaluationError(
				'ID_CONFLICT',
				`facilities[${i}].id`,
				`facilities[${i}].id: "${id}" is already used by another facility; choose another id`
			);
		plannedIds.push(id);
	});

	const projectFeature: ResidentialFeature = {
		type: 'Feature',
		geometry: boundary.geometry as ResidentialFeature['geometry'],
		properties: {
			id: projectId,
			name,
			households,
			elders,
			status: project.status,
			builtYear: null,
			streetCode: null,
			gates,
			estimated: {
				...(householdsSource.estimated ? { households: 'project-households-from-floor-area' } : {}),
				...(eldersSource.estimated ? { elders: 'project-elders-from-region-ratio' } : {})
			},
			source: '待评估项目 / project under evaluation'
		}
	};
	const shape = projectFeature as unknown as Feature<Polygon | MultiPolygon>;
	const plannedFeatures: FacilityFeature[] = plannedInputs.map((facility, i) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: facility.position },
		properties: {
			id: plannedIds[i],
			name: facility.name?.trim() || `规划设施 ${i + 1}`,
			kind: facility.kind,
			floorAreaM2: facility.floorAreaM2,
			landAreaM2: facility.landAreaM2 ?? null,
			beds: null,
			nursingBeds: null,
			status: 'planned',
			streetCode: null,
			source: `${name}（规划） / planned by the project`,
			estimated: {}
		}
	}));

	// ---- before (the region as it is) and after (with the project and its facilities)
	const network = input.network;
	const index = network ? (network.index ?? new SegmentIndex(network.graph)) : null;
	const search = network ? (network.search ?? new WalkSearch(network.graph)) : null;
	const coverageOf = (
		residential: ResidentialFeature[],
		facilities: FacilityFeature[]
	): CoverageResult | null =>
		index && search
			? computeCoverage(index, search, residential, facilities, {
					...walk,
					reportUpToMinutes: REPORT_UP_TO_MINUTES
				})
			: null;
	const analyze = (
		residential: ResidentialFeature[] | null,
		facilities: FacilityFeature[] | null,
		coverage: CoverageResult | null
	) =>
		analyzeRegion({
			meta: meta,
			boundaries: region.boundaries,
			residential,
			facilities,
			communities: region.communities,
			profile,
			coverage,
			walk
		});
	const before = analyze(
		region.residential,
		region.facilities,
		coverageOf(region.residential ?? [], region.facilities ?? [])
	);
	const afterResidential = [projectFeature, ...(region.residential ?? [])];
	const afterFacilities =
		region.facilities === null && plannedFeatures.length === 0
			? null
			: [...(region.facilities ?? []), ...plannedFeatures];
	const afterCoverage = coverageOf(afterResidential, afterFacilities ?? []);
	const after = analyze(afterResidential, afterFacilities, afterCoverage);
	const row: AreaRow = after.areas[0];
	if (row.id !== projectId) throw new Error('evaluateProject: the project row is not first');

	// ---- one search from the project's gates: minutes to every facility, the isochrone
	const maxSeconds = walk.maxMinutes * 60;
	const access = index ? compoundAccess(index, projectFeature, walk.maxSnapM) : null;
	const minutesTo = new Map<string, number | null>();
	const doors = new Map<string, NetworkPoint | null>();
	let reached: MultiLineString | null = null;
	let band: Polygon | MultiPolygon | null = null;
	if (network && index && search && access) {
		for (const facility of afterFacilities ?? []) {
			const [lon, lat] = facility.geometry.coordinates;
			doors.set(facility.properties.id, index.snap(lon, lat, walk.maxSnapM));
		}
		if (access.points.length > 0) {
			search.run(
				access.points.flatMap((point) => [
					{ node: point.fromNode, initialS: point.offsetM / walk.walkSpeedMps, label: 0 },
					{
						node: point.toNode,
						initialS: (point.lengthM - point.offsetM) / walk.walkSpeedMps,
						label: 0
					}
				]),
				{
					walkSpeedMps: walk.walkSpeedMps,
					stepPenaltyS: walk.stepPenaltyS,
					maxSeconds: REPORT_UP_TO_MINUTES * 60
				}
			);
			for (const [id, door] of doors) {
				const seconds = door ? secondsTo(search, door, walk.walkSpeedMps) : Infinity;
				minutesTo.set(
					id,
					seconds <= REPORT_UP_TO_MINUTES * 60 ? Math.round((seconds / 60) * 100) / 100 : null
				);
			}
			const times = new Float64Array(network.graph.nodeCount);
			for (let node = 0; node < times.length; node++) times[node] = search.time(node);
			reached = reachedEdges(network.graph, times, {
				maxSeconds,
				walkSpeedMps: walk.walkSpeedMps,
				sources: access.points
			});
			band = isochroneBand(reached);
		}
	}

	// ---- facilities: the project's, and the region's inside the boundary
	const facilityRows = new Map(after.facilities.map((facility) => [facility.id, facility]));
	const poolShares = new Map(row.pooledShares.map((share) => [share.facilityId, share.m2]));
	const plannedSet = new Set(plannedIds);
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
				placed: network ? door !== null : null,
				snapDistanceM: door ? Math.round(door.snapDistanceM * 10) / 10 : null,
				minutesFromProject: minutesTo.get(props.id) ?? null
			};
		});

	// ---- figures
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

	// ---- overlap with the region's residential areas (their households would count twice)
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

	// ---- reasons, conditions, verdict
	const reasons: EvaluationReason[] = [];
	const notRun: NotRun[] = [];
	const context = {
		project: { name, households, elders, status: project.status },
		profile,
		walk,
		networkAvailable: network !== null,
		regionHasFacilities: region.facilities !== null
	};
	// Facilities that count toward the project at all (inside it, or a pooled share): none at all
	// is a missing element (non_compliant); some that fall short is a condition.
	const countedSites = evaluated.filter(
		(facility) =>
			facility.countsTowardArea && (facility.insideBoundary || (facility.countedM2 ?? 0) > 0)
	).length;
	reasons.push(
		...floorAreaReasons(
			row,
			floorArea,
			floorReason,
			countedSites,
			householdsSource,
			notRun,
			profile
		)
	);
	reasons.push(...placementReasons(evaluated, floorArea, walk.maxSnapM, network !== null));
	reasons.push(...circleReasons(circle, row, context, notRun));
	reasons.push(...stationSizeReasons(evaluated, facilityRows, profile));
	if (streetCenter)
		reasons.push(...streetCenterReasons(streetCenter, streetAfter, context, notRun));
	reasons.push(...inputReasons(householdsSource, eldersSource, overlaps, context, notRun));

	const conditions = reasons
		.filter((reason) => reason.effect !== 'none' && reason.requiredChange)
		.map((reason) => ({
			check: reason.check,
			ruleId: reason.ruleId,
			zh: reason.requiredChange!.zh,
			en: reason.requiredChange!.en
		}));
	const verdict: ProjectVerdict = reasons.some((reason) => reason.effect === 'non_compliant')
		? 'non_compliant'
		: reasons.some((reason) => reason.effect === 'condition')
			? 'conditional'
			: 'compliant';

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

	// ---- the map: the project, its isochrone, roads, areas and facilities around it
	const extentPositions = [
		...positionsOf(boundary.geometry),
		...(band ? positionsOf(band) : []),
		...evaluated.map((facility) => facility.position),
		...(circle.nearest && facilityById.get(circle.nearest.id)
			? [facilityById.get(circle.nearest.id)!.geometry.coordinates]
			: [])
	];
	const raw = bboxOfPositions(extentPositions)!;
	const marginLon = Math.max((raw[2] - raw[0]) * 0.08, 0.0015);
	const marginLat = Math.max((raw[3] - raw[1]) * 0.08, 0.0012);
	const mapBbox: RegionMeta['bbox'] = [
		round6(raw[0] - marginLon),
		round6(raw[1] - marginLat),
		round6(raw[2] + marginLon),
		round6(raw[3] + marginLat)
	];
	const overlapsBox = (geometry: Polygon | MultiPolygon) => {
		const box = bboxOfPositions(positionsOf(geometry))!;
		return (
			box[0] <= mapBbox[2] && box[2] >= mapBbox[0] && box[1] <= mapBbox[3] && box[3] >= mapBbox[1]
		);
	};
	const map: EvaluationMap = {
		bbox: mapBbox,
		boundary: boundary.geometry,
		accessPoints: circle.accessPoints,
		reached,
		band,
		roads: network ? roadsWithin(network.graph, mapBbox) : null,
		areas: (region.residential ?? [])
			.filter(
				(area) =>
					area.geometry.type !== 'Point' && overlapsBox(area.geometry as Polygon | MultiPolygon)
			)
			.map((area) => ({
				id: area.properties.id,
				name: area.properties.name,
				geometry: area.geometry as Polygon | MultiPolygon
			})),
		facilities: (afterFacilities ?? [])
			.filter((facility) =>
				insideBbox([facility.geometry.coordinates[0], facility.geometry.coordinates[1]], mapBbox)
			)
			.map((facility) => ({
				id: facility.properties.id,
				name: facility.properties.name,
				kind: facility.properties.kind,
				status: facility.properties.status,
				project: plannedSet.has(facility.properties.id),
				position: [facility.geometry.coordinates[0], facility.geometry.coordinates[1]],
				floorAreaM2: facility.properties.floorAreaM2,
				minutes: minutesTo.get(facility.properties.id) ?? null
			}))
	};

	const point = representativePoint(projectFeature);
	return {
		formatVersion: 1,
		settings: {
			regionId: meta.id,
			regionName: meta.name,
			profileId: profile.id,
			profileVersion: profile.version,
			maxMinutes: walk.maxMinutes,
			walkSpeedMps: walk.walkSpeedMps,
			stepPenaltyS: walk.stepPenaltyS,
			maxSnapM: walk.maxSnapM,
			networkAvailable: network !== null
		},
		verdict,
		incomplete: notRun.length > 0,
		conditions,
		approvalConditions: approvalConditions(project.status, row.requiredM2, profile),
		reasons,
		notRun,
		project: {
			id: projectId,
			name,
			status: project.status,
			boundary: boundary.geometry,
			boundarySource,
			landAreaM2: Math.round(turfArea(shape)),
			point: [round6(point[0]), round6(point[1])],
			place: {
				streetCode: row.streetCode,
				streetName: row.streetName,
				districtCode: row.districtCode,
				districtName: row.districtName,
				communityCode: row.communityCode,
				communityName: row.communityName,
				assignedBy: row.assignedBy
			},
			households,
			householdsSource,
			elders,
			eldersSource,
			gates,
			overlaps
		},
		facilities: evaluated,
		floorArea,
		circle,
		streetCenter,
		street,
		district,
		estimates,
		profile,
		map
	};
}
