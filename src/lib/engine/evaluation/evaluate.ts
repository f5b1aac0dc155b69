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
import { formatAmount } from '../analysis/streets.ts';
import type { Analysis, AreaRow, DistrictRow, StreetRow } from '../analysis/types.ts';
import { compoundAccess } from '../coverage/access.ts';
import { computeCoverage, type CoverageResult, type LabelledSearch } from '../coverage/coverage.ts';
import { isochroneBand, reachedEdges } from '../coverage/isochrone.ts';
import type { RoadGraph } from '../graph/road-graph.ts';
import { WalkSearch } from '../graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex, type NetworkPoint } from '../graph/snap.ts';
import {
	FACILITY_KIND_NAMES_ZH,
	FACILITY_KINDS,
	type BoundaryFeature,
	type CommunityCode,
	type FacilityFeature,
	type RegionMeta,
	type ResidentialFeature
} from '../region/schema.ts';
import { allocatePooledFloorArea, type CheckReason } from '../rules/area-check.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
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
	/** Walking settings (defaults: 15 min, 1.0 m/s, no step penalty, 150 m snap). */
	walk?: { maxMinutes?: number; walkSpeedMps?: number; stepPenaltyS?: number; maxSnapM?: number };
}

/** Average dwelling floor area when only the residential floor area is given, m² per household. */
export const DEFAULT_DWELLING_M2 = 90;
/** Minutes up to which walking times to facilities are reported (as in the coverage engine). */
const REPORT_UP_TO_MINUTES = 60;

const roundM2 = (value: number) => Math.round(value * 100) / 100;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
const fmt = formatAmount;
const fmtMin = (minutes: number) => (Math.round(minutes * 10) / 10).toFixed(1);

export const VERDICT_ZH: Record<ProjectVerdict, string> = {
	compliant: '符合',
	conditional: '有条件符合（须整改）',
	non_compliant: '不符合'
};
export const VERDICT_EN: Record<ProjectVerdict, string> = {
	compliant: 'Compliant',
	conditional: 'Conditionally compliant (changes required)',
	non_compliant: 'Non-compliant'
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
		maxMinutes: input.walk?.maxMinutes ?? 15,
		walkSpeedMps: input.walk?.walkSpeedMps ?? 1.0,
		stepPenaltyS: input.walk?.stepPenaltyS ?? 0,
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
	const poolShares = pooledShares(after, afterCoverage, projectId);
	const plannedSet = new Set(plannedIds);
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
			const countedInside = inside && counts && fRow?.insideAreaId === projectId;
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
	reasons.push(...floorAreaReasons(row, floorArea, floorReason, householdsSource, notRun, profile));
	reasons.push(...placementReasons(evaluated, floorArea, walk.maxSnapM, network !== null));
	reasons.push(...circleReasons(circle, row, context, notRun));
	reasons.push(...stationSizeReasons(evaluated, profile));
	if (streetCenter) reasons.push(...streetCenterReasons(streetCenter, context, notRun));
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
		approvalConditions: [],
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

/** Each shared facility's share for the project (pooling profiles), m², as analyzeAreas splits it. */
function pooledShares(
	after: Analysis,
	coverage: CoverageResult | null,
	projectId: string
): Map<string, number> {
	const shares = new Map<string, number>();
	const rule = ruleOfKind(after.profile, 'facility_area_per_households');
	if (!rule?.params.poolingAllowed || !coverage) return shares;
	const pooled = allocatePooledFloorArea(
		after.facilities.flatMap((facility, i) =>
			facility.countsTowardAreas &&
			facility.insideAreaId === null &&
			facility.servesAreaIds.length === 0 &&
			coverage.facilities[i]?.placed
				? [
						{
							id: facility.id,
							floorAreaM2: facility.floorAreaM2,
							areaIds: coverage.facilities[i].catchment.map((entry) => entry.id)
						}
					]
				: []
		),
		new Map(after.areas.map((area) => [area.id, area.requiredM2]))
	);
	for (const share of pooled.byArea.get(projectId)?.shares ?? [])
		shares.set(share.facilityId, share.m2);
	return shares;
}

// ---------------------------------------------------------------- reasons

interface ReasonContext {
	project: { name: string; households: number; elders: number | null; status: string };
	profile: RuleProfile;
	walk: { maxMinutes: number; walkSpeedMps: number; maxSnapM: number };
	networkAvailable: boolean;
	regionHasFacilities: boolean;
}

function reason(
	base: Omit<CheckReason, 'usesEstimate'> & { usesEstimate?: boolean },
	check: EvaluationReason['check'],
	effect: EvaluationReason['effect'] = 'none',
	requiredChange: EvaluationReason['requiredChange'] = null
): EvaluationReason {
	return { usesEstimate: false, ...base, check, effect, requiredChange };
}

function floorAreaReasons(
	row: AreaRow,
	figures: FloorAreaFigures,
	floorReason: CheckReason | undefined,
	households: HouseholdsSource,
	notRun: NotRun[],
	profile: RuleProfile
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	const rule = ruleOfKind(profile, 'facility_area_per_households');
	if (!rule) {
		notRun.push({
			check: 'floor_area',
			reasonZh: `规则集 ${profile.id} 未规定每百户社区养老服务设施配建面积，未核算配建面积`,
			reasonEn: `Profile ${profile.id} sets no floor area per 100 households: the floor-area check did not run`
		});
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'info',
					messageZh: `规则集 ${profile.id} 未规定每百户社区养老服务设施配建面积，本项不作判定`,
					messageEn: `Profile ${profile.id} sets no floor area per 100 households: no floor-area verdict`,
					numbers: { households: row.households },
					citation: null
				},
				'floor_area'
			)
		);
		return out;
	}
	const cite = { ruleId: rule.id, citation: rule.citation };
	const shared = figures.excludesSharedAreas ? '（不计入分摊的共用建筑面积）' : '';
	const sharedEn = figures.excludesSharedAreas ? ' (apportioned shared areas excluded)' : '';
	const base = floorReason ?? {
		...cite,
		severity: 'warning' as const,
		messageZh: '配建面积无法核算',
		messageEn: 'Floor area not computed',
		numbers: {},
		usesEstimate: households.estimated
	};
	const required = figures.requiredM2 ?? 0;
	if (row.verdict === 'compliant') {
		out.push(reason(base, 'floor_area'));
	} else if (row.verdict === 'deficit' && (figures.providedM2 ?? 0) === 0) {
		out.push(
			reason(
				{
					...base,
					severity: 'fail',
					messageZh: `${base.messageZh}。项目未在用地范围内配建任何社区养老服务设施${figures.poolingAllowed ? '，也没有可统筹的圈内共享设施' : ''}`,
					messageEn: `${base.messageEn}. The project provides no community care floor area inside its boundary${figures.poolingAllowed ? ', and no shared facility within its circle' : ''}`
				},
				'floor_area',
				'non_compliant',
				// "同步规划、同步建设、同步验收、同步交付" only where the clause says so (Dong'e 13.)
				rule.citation.quote.includes('同步')
					? {
							zh: `在用地范围内规划配建不少于 ${fmt(required)} m² 的社区养老服务设施${shared}，与住宅同步规划、建设、验收、交付`,
							en: `Plan at least ${fmt(required)} m² of community elderly-care floor area inside the boundary${sharedEn}, planned, built, accepted and handed over with the housing`
						}
					: {
							zh: `在用地范围内规划配建不少于 ${fmt(required)} m² 的社区养老服务设施${shared}`,
							en: `Plan at least ${fmt(required)} m² of community elderly-care floor area inside the boundary${sharedEn}`
						}
			)
		);
	} else if (row.verdict === 'deficit') {
		const deficit = figures.deficitM2 ?? 0;
		out.push(
			reason(base, 'floor_area', 'condition', {
				zh: `增加不少于 ${fmt(deficit)} m² 的社区养老服务设施建筑面积${shared}（已配建 ${fmt(figures.providedM2 ?? 0)} m²，应配建 ${fmt(required)} m²）`,
				en: `Add at least ${fmt(deficit)} m² of community elderly-care floor area${sharedEn} (provided ${fmt(figures.providedM2 ?? 0)} m², required ${fmt(required)} m²)`
			})
		);
	} else {
		// no_data: a counted facility inside the boundary has no floor area
		const unknownInside = row.reasons.find((r) => r.numbers.facilitiesInside !== undefined);
		out.push(
			reason(base, 'floor_area', 'condition', {
				zh: `核实用地范围内现有设施的建筑面积（${unknownInside?.messageZh ?? '面积未知'}），以便核算已配建面积`,
				en: `State the floor area of the existing facilities inside the boundary (${unknownInside?.messageEn ?? 'unknown'}) so that the provided area can be computed`
			})
		);
	}
	const notPooled = row.reasons.find((r) => r.numbers.pooledM2 !== undefined && r !== floorReason);
	if (notPooled) out.push(reason(notPooled, 'pooling'));
	return out;
}

function placementReasons(
	facilities: EvaluatedFacility[],
	figures: FloorAreaFigures,
	maxSnapM: number,
	networkAvailable: boolean
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	for (const facility of facilities) {
		const label = `${facility.project ? '规划' : '现有'}设施「${facility.name}」（${FACILITY_KIND_NAMES_ZH[facility.kind]}，${facility.floorAreaM2 === null ? '面积未知' : `${fmt(facility.floorAreaM2)} m²`}）`;
		const labelEn = `${facility.project ? 'Planned' : 'Existing'} facility "${facility.name}" (${facility.kind}, ${facility.floorAreaM2 === null ? 'floor area unknown' : `${fmt(facility.floorAreaM2)} m²`})`;
		const numbers = { floorAreaM2: facility.floorAreaM2, countedM2: facility.countedM2 };
		if (!facility.countsTowardArea)
			out.push(
				reason(
					{
						ruleId: figures.ruleId,
						severity: 'info',
						messageZh: `${label}不属于社区养老服务设施（社区养老服务站、日间照料中心、助餐点、村级站），不计入居住区配建面积；计入步行可达性`,
						messageEn: `${labelEn} is not a community-level kind (community station, day care, meal point, village station): not counted toward the floor area; it counts for walking access`,
						numbers,
						citation: null
					},
					'facility_placement'
				)
			);
		else if (facility.insideBoundary && !facility.project)
			out.push(
				reason(
					{
						ruleId: figures.ruleId,
						severity: 'info',
						messageZh: `${label}位于项目用地范围内，计入已配建面积`,
						messageEn: `${labelEn} lies inside the boundary and counts toward the provided area`,
						numbers,
						citation: null
					},
					'facility_placement'
				)
			);
		else if (!facility.insideBoundary)
			out.push(
				reason(
					{
						ruleId: figures.ruleId,
						severity: 'info',
						messageZh: figures.poolingAllowed
							? `${label}位于用地范围外，按圈内统筹配建分摊，本项目分得 ${fmt(facility.countedM2 ?? 0)} m²（按各小区应配建面积比例分摊给其 15 分钟圈内的小区）`
							: `${label}位于用地范围外；本规则集不允许多个小区统筹配建，不计入本项目配建面积，仅计入步行可达性`,
						messageEn: figures.poolingAllowed
							? `${labelEn} lies outside the boundary: pooled, the project's share is ${fmt(facility.countedM2 ?? 0)} m² (split among the compounds within its circle in proportion to their required area)`
							: `${labelEn} lies outside the boundary; the profile does not allow pooling, so it does not count toward the project's floor area, only for walking access`,
						numbers,
						citation: null
					},
					figures.poolingAllowed ? 'pooling' : 'facility_placement'
				)
			);
		if (networkAvailable && facility.project && facility.placed === false)
			out.push(
				reason(
					{
						ruleId: null,
						severity: 'warning',
						messageZh: `${label}的位置距步行路网超过 ${fmt(maxSnapM)} m，无法计入步行可达性`,
						messageEn: `${labelEn} is more than ${fmt(maxSnapM)} m from the walking network: it does not count for walking access`,
						numbers: { snapLimitM: maxSnapM },
						citation: null
					},
					'facility_placement'
				)
			);
	}
	return out;
}

function circleReasons(
	circle: CircleFigures,
	row: AreaRow,
	context: ReasonContext,
	notRun: NotRun[]
): EvaluationReason[] {
	const rule = ruleOfKind(context.profile, 'service_circle');
	const max = context.walk.maxMinutes;
	if (!context.networkAvailable) {
		notRun.push({
			check: 'service_circle',
			reasonZh: `本区域没有步行路网，无法计算项目出入口到最近站点的步行时间（${max} 分钟养老服务圈${rule ? '' : '，参考'}）`,
			reasonEn: `The region has no walking network: walking time from the project's gates to the nearest station (${max}-minute circle) cannot be computed`
		});
		return rule
			? [
					reason(
						{
							ruleId: rule.id,
							citation: rule.citation,
							severity: 'info',
							messageZh: `本区域没有步行路网，未核查项目是否在 ${max} 分钟养老服务圈内`,
							messageEn: `No walking network: the ${max}-minute circle was not checked`,
							numbers: { minutesToNearest: null, maxMinutes: max }
						},
						'service_circle'
					)
				]
			: [];
	}
	const access = circle.access;
	const nearest = circle.nearest;
	const where = nearest
		? `最近站点为${nearest.project ? '本项目规划的' : nearest.status === 'planned' ? '规划' : '现有'}「${nearest.name}」（${FACILITY_KIND_NAMES_ZH[nearest.kind]}），步行 ${fmtMin(nearest.minutes)} 分钟`
		: access === 'off-network'
			? `项目出入口距步行路网超过 ${fmt(context.walk.maxSnapM)} m，无法计算步行时间`
			: `${REPORT_UP_TO_MINUTES} 分钟步行范围内没有任何站点`;
	const whereEn = nearest
		? `the nearest station is the ${nearest.project ? "project's planned" : nearest.status} "${nearest.name}" (${nearest.kind}), ${fmtMin(nearest.minutes)} min on foot`
		: access === 'off-network'
			? `the project's gates are more than ${fmt(context.walk.maxSnapM)} m from the walking network: no walking time`
			: `no station within ${REPORT_UP_TO_MINUTES} minutes on foot`;
	const numbers = {
		minutesToNearest: row.minutesToNearest,
		maxMinutes: max,
		minutesToNearestExisting: circle.nearestExisting?.minutes ?? null
	};
	const existing = circle.nearestExisting
		? `；现有设施中最近的「${circle.nearestExisting.name}」步行 ${fmtMin(circle.nearestExisting.minutes)} 分钟`
		: '；现有设施均不在 60 分钟步行范围内';
	const existingEn = circle.nearestExisting
		? `; of the existing facilities the nearest, "${circle.nearestExisting.name}", is ${fmtMin(circle.nearestExisting.minutes)} min away`
		: '; no existing facility within 60 minutes';
	if (!rule)
		return [
			reason(
				{
					ruleId: null,
					severity: 'info',
					messageZh: `规则集 ${context.profile.id} 未规定 15 分钟养老服务圈，步行时间仅供参考：${where}${existing}`,
					messageEn: `Profile ${context.profile.id} sets no 15-minute circle; walking times for reference: ${whereEn}${existingEn}`,
					numbers,
					citation: null
				},
				'service_circle'
			)
		];
	const cite = { ruleId: rule.id, citation: rule.citation };
	if (row.covered)
		return [
			reason(
				{
					...cite,
					severity: 'info',
					messageZh: `项目出入口在 ${max} 分钟养老服务圈内：${where}${existing}`,
					messageEn: `The project's gates are within the ${max}-minute circle: ${whereEn}${existingEn}`,
					numbers
				},
				'service_circle'
			)
		];
	return [
		reason(
			{
				...cite,
				severity: 'fail',
				messageZh: `项目不在任何站点的 ${max} 分钟养老服务圈内：${where}${existing}`,
				messageEn: `The project is outside every station's ${max}-minute circle: ${whereEn}${existingEn}`,
				numbers
			},
			'service_circle',
			'condition',
			access === 'off-network'
				? {
						zh: `设置距步行路网 ${fmt(context.walk.maxSnapM)} m 以内的项目出入口，并确保步行 ${max} 分钟内有养老服务站点`,
						en: `Give the project gates within ${fmt(context.walk.maxSnapM)} m of the walking network, and a station within ${max} minutes on foot`
					}
				: {
						zh: `在项目出入口步行 ${max} 分钟范围内需有养老服务站点：在用地范围内配建（或在 ${max} 分钟内规划）社区养老服务站`,
						en: `A station within ${max} minutes on foot of the project's gates is needed: build one inside the boundary (or plan one within ${max} minutes)`
					}
		)
	];
}

function stationSizeReasons(
	facilities: EvaluatedFacility[],
	profile: RuleProfile
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	const stationRule = ruleOfKind(profile, 'community_station_area');
	const villageRule = ruleOfKind(profile, 'village_station_area');
	const centerRule = ruleOfKind(profile, 'street_center_area');
	for (const facility of facilities) {
		if (!facility.project || facility.floorAreaM2 === null) continue;
		const area = facility.floorAreaM2;
		if (stationRule && facility.kind === 'community_station') {
			const min = stationRule.params.minFloorAreaM2;
			const ok = area >= min;
			out.push(
				reason(
					{
						ruleId: stationRule.id,
						citation: stationRule.citation,
						severity: ok ? 'info' : 'fail',
						messageZh: `规划社区养老服务站「${facility.name}」${fmt(area)} m²，${ok ? '达到' : '低于'}单站不少于 ${fmt(min)} m² 的要求`,
						messageEn: `Planned community station "${facility.name}" of ${fmt(area)} m² ${ok ? 'meets' : 'is below'} the ${fmt(min)} m² minimum`,
						numbers: { floorAreaM2: area, minFloorAreaM2: min }
					},
					'station_size',
					ok ? 'none' : 'condition',
					ok
						? null
						: {
								zh: `将「${facility.name}」建筑面积扩大到不少于 ${fmt(min)} m²（增加 ${fmt(roundM2(min - area))} m²）`,
								en: `Enlarge "${facility.name}" to at least ${fmt(min)} m² (+${fmt(roundM2(min - area))} m²)`
							}
				)
			);
		}
		if (villageRule && facility.kind === 'rural_station') {
			const typical = villageRule.params.typicalFloorAreaM2;
			out.push(
				reason(
					{
						ruleId: villageRule.id,
						citation: villageRule.citation,
						severity: area >= typical ? 'info' : 'warning',
						messageZh: `规划村级养老服务站「${facility.name}」${fmt(area)} m²；文件所述一般为 ${fmt(typical)} m²（一般规模，不作为下限）`,
						messageEn: `Planned village station "${facility.name}" of ${fmt(area)} m²; the text's typical size is ${fmt(typical)} m² (typical, not a minimum)`,
						numbers: { floorAreaM2: area, typicalFloorAreaM2: typical }
					},
					'station_size'
				)
			);
		}
		if (centerRule && facility.kind === 'street_center') {
			const min = centerRule.params.minFloorAreaM2;
			const ok = area >= min;
			out.push(
				reason(
					{
						ruleId: centerRule.id,
						citation: centerRule.citation,
						severity: ok ? 'info' : 'fail',
						messageZh: `规划街道综合养老服务中心「${facility.name}」${fmt(area)} m²，${ok ? '达到' : '低于'}不少于 ${fmt(min)} m² 的要求`,
						messageEn: `Planned street centre "${facility.name}" of ${fmt(area)} m² ${ok ? 'meets' : 'is below'} the ${fmt(min)} m² minimum`,
						numbers: { floorAreaM2: area, minFloorAreaM2: min }
					},
					'station_size',
					ok ? 'none' : 'condition',
					ok
						? null
						: {
								zh: `将「${facility.name}」建筑面积扩大到不少于 ${fmt(min)} m²`,
								en: `Enlarge "${facility.name}" to at least ${fmt(min)} m²`
							}
				)
			);
		}
	}
	return out;
}

function streetCenterReasons(
	center: StreetCenterFigures,
	context: ReasonContext,
	notRun: NotRun[]
): EvaluationReason[] {
	const rule = ruleOfKind(context.profile, 'street_center_area')!;
	const cite = { ruleId: rule.id, citation: rule.citation };
	const max = context.walk.maxMinutes;
	const min = center.minFloorAreaM2;
	if (center.streetCode === null) {
		notRun.push({
			check: 'street_center',
			reasonZh:
				'项目不在任何已知街道（镇）内（本区域没有街道边界），未核查所在街道综合养老服务中心',
			reasonEn:
				'The project lies in no known street (the region has no street polygons): the street centre was not checked'
		});
		return [];
	}
	if (!context.regionHasFacilities && center.facilityId === null) {
		notRun.push({
			check: 'street_center',
			reasonZh: `本区域没有设施图层，无法核查${center.streetName}是否已有综合养老服务中心`,
			reasonEn: `The region has no facilities layer: whether ${center.streetName} has a comprehensive centre is unknown`
		});
		return [];
	}
	if (center.facilityId === null)
		return [
			reason(
				{
					...cite,
					severity: 'warning',
					messageZh: `所在${center.streetName}尚无街道综合养老服务中心（应不少于 ${fmt(min)} m²）；此为街道层面要求，不计入本项目判定`,
					messageEn: `${center.streetName} has no comprehensive centre (at least ${fmt(min)} m² required); a street-level requirement, not part of the project's verdict`,
					numbers: { minFloorAreaM2: min }
				},
				'street_center'
			)
		];
	const size =
		center.floorAreaM2 === null
			? '建筑面积未知'
			: `${fmt(center.floorAreaM2)} m²，${center.meetsMinimum ? '达到' : '低于'}不少于 ${fmt(min)} m² 的要求`;
	const sizeEn =
		center.floorAreaM2 === null
			? 'floor area unknown'
			: `${fmt(center.floorAreaM2)} m², ${center.meetsMinimum ? 'meeting' : 'below'} the ${fmt(min)} m² minimum`;
	const walk =
		center.minutes === null
			? context.networkAvailable
				? `距项目步行超过 ${REPORT_UP_TO_MINUTES} 分钟或不可达`
				: '无步行路网，未计算步行时间'
			: `距项目出入口步行 ${fmtMin(center.minutes)} 分钟，${center.withinCircle ? '在' : '超出'} ${max} 分钟范围${center.withinCircle ? '内' : ''}`;
	const walkEn =
		center.minutes === null
			? context.networkAvailable
				? `more than ${REPORT_UP_TO_MINUTES} minutes on foot or unreachable`
				: 'no walking network'
			: `${fmtMin(center.minutes)} min on foot from the project's gates, ${center.withinCircle ? 'within' : 'beyond'} ${max} minutes`;
	const fine = center.meetsMinimum !== false && center.withinCircle !== false;
	return [
		reason(
			{
				...cite,
				severity: fine ? 'info' : 'warning',
				messageZh: `所在${center.streetName}综合养老服务中心「${center.name}」：${size}；${walk}${fine ? '' : '（街道层面要求，不计入本项目判定）'}`,
				messageEn: `Comprehensive centre of ${center.streetName}, "${center.name}": ${sizeEn}; ${walkEn}${fine ? '' : ' (a street-level requirement, not part of the project’s verdict)'}`,
				numbers: {
					floorAreaM2: center.floorAreaM2,
					minFloorAreaM2: min,
					minutes: center.minutes,
					maxMinutes: max
				}
			},
			'street_center'
		)
	];
}

function inputReasons(
	households: HouseholdsSource,
	elders: EldersSource,
	overlaps: { id: string; name: string; overlapM2: number }[],
	context: ReasonContext,
	notRun: NotRun[]
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	if (households.estimated)
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'info',
					messageZh: `户数由住宅建筑面积推算：${households.derivationZh}`,
					messageEn: `Households derived from the residential floor area: ${households.derivationEn}`,
					numbers: {
						residentialFloorAreaM2: households.residentialFloorAreaM2,
						dwellingM2: households.dwellingM2,
						households: context.project.households
					},
					citation: null,
					usesEstimate: true
				},
				'households'
			)
		);
	if (elders.method === 'unknown')
		notRun.push({ check: 'elders', reasonZh: elders.derivationZh, reasonEn: elders.derivationEn });
	out.push(
		reason(
			{
				ruleId: null,
				severity: elders.method === 'unknown' ? 'warning' : 'info',
				messageZh:
					elders.method === 'unknown' ? elders.derivationZh : `老年人口：${elders.derivationZh}`,
				messageEn:
					elders.method === 'unknown' ? elders.derivationEn : `Elders: ${elders.derivationEn}`,
				numbers: { elders: context.project.elders, ratio: elders.ratio },
				citation: null,
				usesEstimate: elders.estimated
			},
			'elders'
		)
	);
	for (const overlap of overlaps)
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'warning',
					messageZh: `项目用地与现有居住区「${overlap.name}」重叠约 ${fmt(overlap.overlapM2)} m²；若为拆除重建，其现有户数会在街道数字中重复计算`,
					messageEn: `The boundary overlaps the existing residential area "${overlap.name}" by about ${fmt(overlap.overlapM2)} m²; if it is redeveloped, its current households are counted twice in the street figures`,
					numbers: { overlapM2: overlap.overlapM2 },
					citation: null
				},
				'overlap'
			)
		);
	if (!context.regionHasFacilities)
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'warning',
					messageZh:
						'本区域没有设施图层：现有养老服务设施未知，项目周边现有站点无法计入（判定只依据本项目规划的设施）',
					messageEn:
						'The region has no facilities layer: existing care facilities are unknown, so none near the project can count (the verdict rests on the project’s own facilities)',
					numbers: {},
					citation: null
				},
				'data'
			)
		);
	return out;
}
