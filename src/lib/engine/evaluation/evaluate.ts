/**
 * Evaluating one residential project against a rule profile (issues 7, 13): a composition, no
 * rule of its own. The project is added to its region as one more residential area, its planned
 * facilities as planned stations, and the region's gap analysis runs before and after (the same
 * `computeCoverage` + `analyzeRegion` the map's what-if and `npm run analyze` use). Its findings
 * are the findings of its own rows in the "after" analysis, word for word (reasons.ts gives them
 * their effect on the verdict); the modules beside this one do the rest:
 *
 * - project-input.ts — the inputs validated, the project as a residential feature;
 * - project-walk.ts — one bounded search from its gates (minutes to every facility, isochrone);
 * - project-figures.ts — the figures read off the rows (floor area, circle, street, district);
 * - reasons.ts — effect and required change per finding, the verdict;
 * - project-map.ts — the report's map; rules/approval.ts — 审批附加条件;
 * - targets/report-targets.ts — the targets of the project's street and district, as context.
 *
 * Verdict (docs/RULES.md, "Project evaluation"): `non_compliant` when no facility at all counts
 * toward the project while the profile requires floor area; `conditional` when it passes once
 * stated changes are made (more floor area, sites at the single-site minimum, a station within
 * the circle, a larger station); else `compliant`. Every reason carries its rule and clause.
 *
 * Pure: the region's layers, the walking graph and the profile come in; nothing is read or written.
 */
import { area as turfArea } from '@turf/turf';
import { analyzeRegion } from '../analysis/analyze.ts';
import { representativePoint } from '../analysis/places.ts';
import type { AreaRow } from '../analysis/types.ts';
import { computeCoverage, type CoverageResult, type LabelledSearch } from '../coverage/coverage.ts';
import type { RoadGraph } from '../graph/road-graph.ts';
import { WalkSearch } from '../graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex } from '../graph/snap.ts';
import {
	type BoundaryFeature,
	type CommunityCode,
	type FacilityFeature,
	type RegionMeta,
	type ResidentialFeature
} from '../region/schema.ts';
import { enOf, PROJECT_VERDICT, zhOf } from '../labels.ts';
import { approvalConditions } from '../rules/approval.ts';
import {
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS,
	REPORT_UP_TO_MINUTES
} from '../rules/defaults.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { circleMinutesOf } from '../rules/service-circle.ts';
import type { IndicatorRow } from '../region/indicators.ts';
import { reportTargets } from '../targets/report-targets.ts';
import { targetsWhere } from '../targets/targets.ts';
import { projectVerdict } from './reasons.ts';
export { DEFAULT_DWELLING_M2, projectElders, projectHouseholds } from './project-input.ts';
import {
	evaluatedFacilities,
	overlapsWithRegion,
	projectEstimates,
	projectFigures
} from './project-figures.ts';
import { prepareProject } from './project-input.ts';
import { projectMap } from './project-map.ts';
import { walkFromGates } from './project-walk.ts';
import type { ProjectEvaluation, ProjectInput, ProjectVerdict } from './types.ts';

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
	/**
	 * List the targets of the project's street and district (issue 16) on `date`, with the
	 * region's indicator table (null = none imported). Absent: `streetTargets` is null.
	 */
	targets?: { indicators: readonly IndicatorRow[] | null; date: string };
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export const VERDICT_ZH: Record<ProjectVerdict, string> = zhOf(PROJECT_VERDICT);
export const VERDICT_EN: Record<ProjectVerdict, string> = enOf(PROJECT_VERDICT);

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

	const {
		name,
		boundary,
		boundarySource,
		households,
		householdsSource,
		elders,
		eldersSource,
		gates,
		projectId,
		plannedIds,
		projectFeature,
		shape,
		plannedFeatures
	} = prepareProject(region, project);

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
	const { access, minutesTo, doors, reached, band } = walkFromGates(
		network,
		index,
		search,
		projectFeature,
		afterFacilities,
		walk
	);

	// ---- facilities: the project's, and the region's inside the boundary
	const facilityRows = new Map(after.facilities.map((facility) => [facility.id, facility]));
	const plannedSet = new Set(plannedIds);
	const evaluated = evaluatedFacilities({
		afterFacilities,
		facilityRows,
		row,
		plannedSet,
		shape,
		projectId,
		status: project.status,
		profile,
		doors,
		minutesTo,
		networkAvailable: network !== null
	});

	// ---- figures: floor area, circle, the street and district before and after, the centre
	const {
		floorReason,
		floorArea,
		facilityById,
		circle,
		street,
		streetAfter,
		district,
		streetCenter
	} = projectFigures({
		profile,
		row,
		before,
		after,
		afterCoverage,
		afterFacilities,
		region,
		plannedSet,
		minutesTo,
		access,
		walk
	});

	// ---- overlap with the region's residential areas (their households would count twice)
	const overlaps = overlapsWithRegion(shape, region.residential ?? []);

	// ---- reasons, conditions, verdict: the rows' findings with what each does to the verdict
	const { reasons, notRun, conditions, verdict } = projectVerdict({
		row,
		floorArea,
		floorReason,
		evaluated,
		facilityRows,
		circle,
		streetCenter,
		streetAfter,
		householdsSource,
		eldersSource,
		overlaps,
		context: {
			project: { name, households, elders, status: project.status },
			profile,
			walk,
			networkAvailable: network !== null,
			regionHasFacilities: region.facilities !== null
		}
	});

	const estimates = projectEstimates(householdsSource, eldersSource, boundarySource, before, after);

	// ---- the targets of the street and district the project lies in (issue 16): the region as
	// it is, judged by analyzeTargets as in the gap report; context, not part of the verdict.
	const streetTargets = input.targets
		? targetsWhere(
				reportTargets({
					analysis: before,
					indicators: input.targets.indicators,
					residential: region.residential,
					facilities: region.facilities,
					network: index && search ? { index, search } : null,
					maxSnapM: walk.maxSnapM,
					date: input.targets.date
				}),
				(target) =>
					target.code !== null &&
					((target.level === 'street' && target.code === row.streetCode) ||
						(target.level === 'district' && target.code === row.districtCode))
			)
		: null;

	// ---- the map: the project, its isochrone, roads, areas and facilities around it
	const map = projectMap({
		boundary,
		band,
		reached,
		evaluated,
		circle,
		facilityById,
		network,
		region,
		afterFacilities,
		plannedSet,
		minutesTo
	});

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
		streetTargets,
		profile,
		map
	};
}
