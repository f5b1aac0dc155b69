/**
 * One siting run as the user asks for it (CLI `npm run site`, the map's siting panel): pick the
 * candidates, build the coverage matrix, solve MCLP (k new stations) or LSCP (fewest stations for
 * a target share) — exact with the MILP solver when one is given, else greedy — optionally with
 * floor-area capacity, and report each station's contribution. Plain data out, ids and
 * coordinates instead of matrix indices, so the result crosses the worker boundary as is.
 */
import type { RoadGraph } from '../graph/road-graph.ts';
import type { SegmentIndex } from '../graph/snap.ts';
import type {
	BoundaryFeature,
	FacilityFeature,
	FacilityKind,
	ResidentialFeature
} from '../region/schema.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import type { ReachSearch } from './build-matrix.ts';
import {
	listCandidates,
	networkNodeCandidates,
	polygonCandidates,
	type CandidatePointInput,
	type SiteCandidate,
	type UnplacedSite
} from './candidates.ts';
import { capacityModel, exactCapacitatedMclp, greedyCapacitatedMclp } from './capacity.ts';
import { contributions } from './contribution.ts';
import { SitingError } from './errors.ts';
import { exactLscp, greedyLscp } from './lscp.ts';
import { exactMclp, greedyMclp, mclpLpBound, withBound } from './mclp.ts';
import type { MilpSolver } from './milp.ts';
import { buildSitingProblem } from './problem.ts';

export type CandidateRequest =
	| {
			source: 'network';
			/** one candidate per cell of this size, metres (default: every node) */ spacingM?: number;
	  }
	| { source: 'list'; points: CandidatePointInput[] }
	| { source: 'street'; streetCode: string; spacingM?: number };

export interface SitingRequest {
	/** 'mclp': k new stations covering the most elders; 'lscp': fewest for a target share. */
	mode: 'mclp' | 'lscp';
	k?: number;
	/** 0 < share ≤ 1 (lscp). */
	targetShare?: number;
	candidates: CandidateRequest;
	/** Floor-area capacity (mclp only): a new station of `newStation.floorAreaM2` serves at most
	 * floor area ÷ the profile's rate × 100 households, or `householdsPerStation` if given. */
	capacity?: { householdsPerStation?: number } | null;
	/** What a suggested station would be (kind and floor area, m²). */
	newStation: { kind: FacilityKind; floorAreaM2: number | null };
	/** Use the MILP solver when given (default true); the greedy warm-starts it either way. */
	exact?: boolean;
	timeLimitS?: number;
}

export interface SitingWalk {
	maxMinutes: number;
	walkSpeedMps: number;
	stepPenaltyS: number;
}

export interface SuggestedSite {
	id: string;
	name: string;
	/** The candidate it stands on (a network node id, a listed site's id, a street point). */
	candidateId: string;
	lon: number;
	lat: number;
	/** Elders newly covered (or served, with capacity) by this station, given those before it. */
	gainElders: number;
	/** Other candidates that reach exactly the same uncovered areas (interchangeable sites). */
	equivalentSites: number;
}

export interface SiteContribution {
	id: string;
	name: string;
	fixed: boolean;
	reachedElders: number;
	/** Elders only this station reaches. */
	onlyHereElders: number;
	/** Change in elders covered (served) if it is removed, ≤ 0. */
	changeIfRemoved: number;
	servedElders: number | null;
}

export interface SitingOutcome {
	request: SitingRequest;
	method: 'greedy' | 'exact';
	status: 'optimal' | 'feasible' | 'time-limit';
	sites: SuggestedSite[];
	totalElders: number;
	/** Elders within the circle (served, with capacity) of the existing stations alone. */
	eldersBefore: number;
	eldersAfter: number;
	/** Elders no candidate and no existing station reaches. */
	unreachableElders: number;
	/** Relative gap to the best known bound (0 = proven optimal); null when no bound is known. */
	relativeGap: number | null;
	/** lscp: whether the target share can be reached at all, and the most that can. */
	targetReachable: boolean | null;
	maxReachableShare: number | null;
	contributions: SiteContribution[];
	candidateCount: number;
	offNetworkCandidates: UnplacedSite[];
	unplacedFacilities: UnplacedSite[];
	offNetworkAreas: { id: string; name: string }[];
	unknownElderAreas: { id: string; name: string }[];
	capacityUnit: 'm2' | 'households' | null;
	matrixMs: number;
	solveMs: number;
}

export interface SitingContext {
	graph: RoadGraph;
	index: SegmentIndex;
	search: ReachSearch;
	residential: readonly ResidentialFeature[];
	facilities: readonly FacilityFeature[];
	boundaries: readonly BoundaryFeature[] | null;
	profile: RuleProfile;
	walk: SitingWalk;
	/** null: greedy only. */
	solver: MilpSolver | null;
	onProgress?: (done: number, total: number, label: string) => void;
}

function candidatesOf(context: SitingContext, request: CandidateRequest) {
	if (request.source === 'network')
		return {
			candidates: networkNodeCandidates(context.graph, { spacingM: request.spacingM }),
			offNetwork: []
		};
	if (request.source === 'list') return listCandidates(context.index, request.points);
	const street = (context.boundaries ?? []).find(
		(boundary) =>
			boundary.properties.level === 'street' && boundary.properties.code === request.streetCode
	);
	if (!street)
		throw new SitingError(
			'INVALID_CANDIDATE',
			`street ${request.streetCode}: no street polygon with this code in the region's boundaries`
		);
	return {
		candidates: polygonCandidates(context.index, street.geometry, {
			spacingM: request.spacingM,
			idPrefix: `street-${request.streetCode}`
		}),
		offNetwork: []
	};
}

/** Elders are whole people, but capacity splits areas and class weights scale them: 0.01 shown. */
const round2 = (value: number) => Math.round(value * 100) / 100;

const siteName = (site: SiteCandidate) => site.name ?? `建议站点 ${site.id}`;

/**
 * @throws SitingError for a bad k, target, candidate request or capacity setting
 * @example
 * await runSiting(context, { mode: 'mclp', k: 3, candidates: { source: 'network' },
 *   newStation: { kind: 'community_station', floorAreaM2: 300 } });
 */
export async function runSiting(
	context: SitingContext,
	request: SitingRequest
): Promise<SitingOutcome> {
	const progress = context.onProgress ?? (() => {});
	progress(0, 3, 'candidates');
	const { candidates, offNetwork } = candidatesOf(context, request.candidates);
	if (candidates.length === 0)
		throw new SitingError('INVALID_CANDIDATE', 'no candidate site on the walking network');
	progress(1, 3, 'matrix');
	const problem = buildSitingProblem(
		context.search,
		context.index,
		context.residential,
		context.facilities,
		candidates,
		{ ...context.walk }
	);
	progress(2, 3, 'solve');
	const { matrix, sites } = problem;
	const useSolver = request.exact !== false && context.solver !== null;
	const timeLimitS = request.timeLimitS ?? 30;
	const totalElders = problem.demands.reduce((sum, demand) => sum + (demand.elders ?? 0), 0);

	let method: SitingOutcome['method'];
	let status: SitingOutcome['status'];
	let chosen: { site: number; gain: number; equivalent: number }[];
	let eldersBefore: number;
	let eldersAfter: number;
	let relativeGap: number | null;
	let unreachable = 0;
	let targetReachable: boolean | null = null;
	let maxReachableShare: number | null = null;
	let capacityUnit: SitingOutcome['capacityUnit'] = null;
	let capacity: ReturnType<typeof capacityModel> | undefined;
	let solveMs: number;

	if (request.mode === 'lscp') {
		const share = request.targetShare;
		if (share === undefined)
			throw new SitingError('INVALID_TARGET', 'lscp needs targetShare (0 < share ≤ 1)');
		const solution = useSolver
			? await exactLscp(matrix, share, context.solver!, { timeLimitS })
			: greedyLscp(matrix, share);
		method = solution.method;
		status = solution.status;
		chosen = solution.sites.map((s) => ({
			site: s.site,
			gain: s.gain,
			equivalent: s.equivalent.length
		}));
		eldersBefore = solution.fixedShare * solution.totalWeight;
		eldersAfter = solution.coveredWeight;
		relativeGap = solution.sites.length ? solution.gap / solution.sites.length : 0;
		unreachable = solution.unreachableWeight;
		targetReachable = solution.targetReachable;
		maxReachableShare = solution.maxReachableShare;
		solveMs = solution.solveMs;
	} else {
		const k = request.k;
		if (k === undefined) throw new SitingError('INVALID_K', 'mclp needs k (a whole number ≥ 1)');
		if (request.capacity) {
			capacity = capacityModel(problem.demands, sites, {
				rule: ruleOfKind(context.profile, 'facility_area_per_households'),
				householdsPerStation: request.capacity.householdsPerStation,
				candidateFloorAreaM2: request.newStation.floorAreaM2 ?? undefined
			});
			capacityUnit = capacity.unit;
			const solution = useSolver
				? await exactCapacitatedMclp(matrix, k, capacity, context.solver!, { timeLimitS })
				: greedyCapacitatedMclp(matrix, k, capacity);
			method = solution.method;
			status = solution.status;
			chosen = solution.sites.map((s) => ({ site: s.site, gain: s.servedWeight, equivalent: 0 }));
			eldersBefore = solution.fixedServed;
			eldersAfter = solution.servedWeight;
			relativeGap = solution.relativeGap;
			solveMs = solution.solveMs;
		} else {
			let solution = useSolver
				? await exactMclp(matrix, k, context.solver!, { timeLimitS })
				: greedyMclp(matrix, k);
			// A greedy's own bound is loose: tighten it with the LP relaxation when a solver exists.
			if (solution.method === 'greedy' && context.solver)
				solution = withBound(
					solution,
					await mclpLpBound(matrix, k, context.solver),
					'lp-relaxation'
				);
			method = solution.method;
			status = solution.status;
			chosen = solution.sites.map((s) => ({
				site: s.site,
				gain: s.gain,
				equivalent: s.equivalent.length
			}));
			eldersBefore = solution.fixedCovered;
			eldersAfter = solution.fixedCovered + solution.newlyCovered;
			relativeGap = solution.relativeGap;
			unreachable = solution.unreachableWeight;
			solveMs = solution.solveMs;
		}
	}

	const indices = chosen.map((choice) => choice.site);
	const suggested = new Map(indices.map((site, rank) => [site, rank + 1]));
	const contribution = contributions(matrix, indices, capacity).map((c) => ({
		id: suggested.has(c.site) ? `suggested-${suggested.get(c.site)}` : sites[c.site].id,
		name:
			suggested.has(c.site) && sites[c.site].name === null
				? `建议站点 ${suggested.get(c.site)}`
				: siteName(sites[c.site]),
		fixed: c.fixed,
		reachedElders: round2(c.reachedWeight),
		onlyHereElders: round2(c.onlyHereWeight),
		changeIfRemoved: round2(c.changeIfRemoved),
		servedElders: c.servedWeight === null ? null : round2(c.servedWeight)
	}));
	progress(3, 3, 'done');
	return {
		request,
		method,
		status,
		sites: chosen.map((choice, rank) => {
			const site = sites[choice.site];
			return {
				id: `suggested-${rank + 1}`,
				// A listed candidate keeps its own name (a bureau's 空置用房); network points get a rank.
				name: site.name ?? `建议站点 ${rank + 1}`,
				candidateId: site.id,
				lon: site.lon,
				lat: site.lat,
				gainElders: round2(choice.gain),
				equivalentSites: choice.equivalent
			};
		}),
		totalElders,
		eldersBefore: round2(eldersBefore),
		eldersAfter: round2(eldersAfter),
		unreachableElders: round2(unreachable),
		relativeGap,
		targetReachable,
		maxReachableShare,
		contributions: contribution,
		candidateCount: candidates.length,
		offNetworkCandidates: offNetwork,
		unplacedFacilities: problem.unplacedFacilities,
		offNetworkAreas: problem.offNetworkDemands.map(({ id, name }) => ({ id, name })),
		unknownElderAreas: problem.unknownElders,
		capacityUnit,
		matrixMs: problem.buildMs,
		solveMs
	};
}
