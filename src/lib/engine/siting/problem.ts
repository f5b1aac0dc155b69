/**
 * A siting problem assembled from a region's layers: demand points (residential areas), fixed
 * stations (existing facilities), candidates, and the coverage matrix between them — the one
 * call the CLI, the worker and the bench make before any optimisation.
 */
import type { SegmentIndex } from '../graph/snap.ts';
import type { FacilityFeature, FacilityKind, ResidentialFeature } from '../region/schema.ts';
import { buildCoverageMatrix, type MatrixSettings, type ReachSearch } from './build-matrix.ts';
import { fixedStations, type SiteCandidate, type UnplacedSite } from './candidates.ts';
import { demandPoints, type ClassWeights, type DemandPoint } from './demand.ts';
import { SitingError } from './errors.ts';
import type { CoverageMatrix } from './matrix.ts';
import { nowMs } from './solution.ts';

export interface SitingSettings extends MatrixSettings {
	/** Gates and doors farther than this from the network are off-network (default 150 m). */
	maxSnapM?: number;
	/** Weight per elder by service class (default: every elder counts 1). */
	classWeights?: ClassWeights;
	/** Facility kinds that count as existing stations (default: every kind, as in coverage). */
	fixedKinds?: readonly FacilityKind[];
}

export interface SitingProblem {
	demands: DemandPoint[];
	/** Fixed stations then candidates: the matrix's site order. */
	sites: SiteCandidate[];
	fixedCount: number;
	matrix: CoverageMatrix;
	/** How the matrix was built ('from-demand' on a symmetric graph). */
	method: 'from-demand' | 'from-site';
	searches: number;
	/** Facilities whose door is off the network (not counted as stations). */
	unplacedFacilities: UnplacedSite[];
	/** Residential areas without access to the network (never covered). */
	offNetworkDemands: { id: string; name: string; note: string | null }[];
	/** Residential areas whose elders are unknown (weight 0). */
	unknownElders: { id: string; name: string }[];
	buildMs: number;
}

/**
 * @param search a WalkSearch on the graph of `index`
 * @param candidates from networkNodeCandidates / listCandidates / polygonCandidates
 * @throws SitingError INVALID_CANDIDATE when a candidate id repeats or equals a fixed station's
 * @example
 * const problem = buildSitingProblem(new WalkSearch(graph), new SegmentIndex(graph),
 *   region.layers.residential, region.layers.facilities, networkNodeCandidates(graph));
 * greedyMclp(problem.matrix, 3).sites.map((s) => problem.sites[s.site].id);
 */
export function buildSitingProblem(
	search: ReachSearch,
	index: SegmentIndex,
	residential: readonly ResidentialFeature[],
	facilities: readonly FacilityFeature[],
	candidates: readonly SiteCandidate[],
	settings: SitingSettings = {}
): SitingProblem {
	const started = nowMs();
	const demands = demandPoints(index, residential, {
		maxSnapM: settings.maxSnapM,
		classWeights: settings.classWeights
	});
	const { stations, unplaced } = fixedStations(index, facilities, {
		kinds: settings.fixedKinds,
		maxSnapM: settings.maxSnapM
	});
	const ids = new Set(stations.map((station) => station.id));
	for (const candidate of candidates) {
		if (ids.has(candidate.id))
			throw new SitingError(
				'INVALID_CANDIDATE',
				`candidate id "${candidate.id}" is used twice (or by an existing facility): ids must be unique`
			);
		ids.add(candidate.id);
	}
	const built = buildCoverageMatrix(search, demands, stations, candidates, settings);
	return {
		demands,
		sites: [...stations, ...candidates],
		fixedCount: stations.length,
		matrix: built.matrix,
		method: built.method,
		searches: built.searches,
		unplacedFacilities: unplaced,
		offNetworkDemands: demands
			.filter((demand) => demand.points.length === 0)
			.map(({ id, name, note }) => ({ id, name, note })),
		unknownElders: demands
			.filter((demand) => demand.elders === null)
			.map(({ id, name }) => ({ id, name })),
		buildMs: nowMs() - started
	};
}
