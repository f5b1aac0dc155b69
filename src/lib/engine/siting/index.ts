/**
 * Siting (issue 6): where new stations cover the most elders, the fewest stations for a target
 * share, with floor-area capacity, and what each station contributes. Pure engine code: the
 * MILP solver is passed in (milp.ts MilpSolver; Node adapter src/lib/server/milp-highs.ts).
 */
export {
	CANDIDATE_SOURCES,
	fixedStations,
	listCandidates,
	networkNodeCandidates,
	polygonCandidates,
	type CandidatePointInput,
	type CandidateSource,
	type SiteCandidate,
	type UnplacedSite
} from './candidates.ts';
export { demandPoints, demandWeight, type ClassWeights, type DemandPoint } from './demand.ts';
export {
	buildCoverageMatrix,
	graphIsSymmetric,
	type BuiltMatrix,
	type MatrixSettings,
	type ReachSearch
} from './build-matrix.ts';
export {
	coverageMatrix,
	coverageMatrixFromSets,
	coveredWeight,
	fixedCoverage,
	reachableWeight,
	totalWeight,
	type CoverageMatrix,
	type CoveragePairs
} from './matrix.ts';
export { reduceInstance, type ReducedInstance } from './reduce.ts';
export {
	exactMclp,
	greedyMclp,
	mclpLpBound,
	mclpModel,
	BOUND_SOURCES,
	withBound,
	type BoundSource,
	type ExactOptions,
	type GreedyOptions,
	type MclpSolution
} from './mclp.ts';
export { coverModel, countBound, exactLscp, greedyLscp, type LscpSolution } from './lscp.ts';
export { relativeGap, type InstanceSize, type SiteChoice } from './solution.ts';
export {
	assignAmong,
	assignNearest,
	capacityModel,
	exactCapacitatedMclp,
	greedyCapacitatedMclp,
	type Assignment,
	type CapacitatedSolution,
	type CapacitatedStation,
	type CapacityModel,
	type CapacityOptions
} from './capacity.ts';
export { contributions, type StationContribution } from './contribution.ts';
export {
	MILP_STATUSES,
	MilpBuilder,
	milpSize,
	milpToLpText,
	type MilpModel,
	type MilpSolution,
	type MilpSolveOptions,
	type MilpSolver,
	type MilpStatus
} from './milp.ts';
export { buildSitingProblem, type SitingProblem, type SitingSettings } from './problem.ts';
export { SITING_ERROR_CODES, SitingError, type SitingErrorCode } from './errors.ts';
export {
	runSiting,
	type CandidateRequest,
	type SiteContribution,
	type SitingContext,
	type SitingOutcome,
	type SitingRequest,
	type SitingWalk,
	type SuggestedSite
} from './run.ts';
export { importCandidates } from './candidate-import.ts';
export {
	buildingCandidates,
	CANDIDATE_BUILDING_KINDS,
	type BuildingFeature
} from './building-candidates.ts';
