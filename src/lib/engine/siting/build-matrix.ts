/**
 * The coverage matrix from the walking network, with the coverage engine's bounded searches.
 *
 * Two ways, same answer:
 * - 'from-demand' (default): one bounded search from each demand point's access points finds
 *   every site within the limit at once. Residential areas number in the tens to thousands,
 *   candidates in the thousands (every node of a district), so this is ~candidates ÷ demands
 *   times fewer searches (demo region: 18 searches instead of ~7,000). It relies on walking
 *   times being symmetric — time(site → gate) = time(gate → site) — which holds when every
 *   directed edge u → v has a twin v → u of the same length and flags (RoadGraph.build stores
 *   both directions; `graphIsSymmetric` checks a given graph, e.g. one read from a file).
 * - 'from-site': one bounded search from each site, as computeCoverage does for facilities.
 *   Used when the graph is not symmetric, and by the tests to check 'from-demand'.
 *
 * Times are those of computeCoverage: a site or gate inside an edge is reached through either
 * end node (offset ÷ speed to the node), a node site through its node. The two ways add the
 * same Float64 terms in a different order, so a pair exactly at the limit could in principle
 * differ in the last bit; the tests compare both on the demo region and a grid.
 */
import type { RoadGraph } from '../graph/road-graph.ts';
import type { SearchOptions, SearchSource } from '../graph/search.ts';
import {
	DEFAULT_CIRCLE_MINUTES,
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS,
	FRAIL_WALK_SPEED_MPS
} from '../rules/defaults.ts';
import type { SiteCandidate } from './candidates.ts';
import type { DemandPoint } from './demand.ts';
import { SitingError } from './errors.ts';
import { coverageMatrix, type CoverageMatrix } from './matrix.ts';

/** The search the matrix needs (WalkSearch in graph/search.ts). */
export interface ReachSearch {
	readonly graph: RoadGraph;
	run(sources: readonly SearchSource[], options: SearchOptions): void;
	/** Seconds to a node after `run`, Infinity when beyond maxSeconds. */
	time(node: number): number;
	/** Nodes reached within maxSeconds in the last run. */
	settled(): ArrayLike<number>;
}

export interface MatrixSettings {
	/** The service circle, minutes (default 15). */
	maxMinutes?: number;
	/** Walking speed, m/s (default 1.0; 0.8 for frail elders). */
	walkSpeedMps?: number;
	/** Extra seconds per steps edge (default 0). */
	stepPenaltyS?: number;
	/** 'auto' (default): from-demand on a symmetric graph, else from-site. */
	method?: 'auto' | 'from-demand' | 'from-site';
	/** Called every 64 searches with (searches done, searches in all). */
	onProgress?: (done: number, total: number) => void;
}

export interface BuiltMatrix {
	matrix: CoverageMatrix;
	method: 'from-demand' | 'from-site';
	/** Whether the graph was checked symmetric (null when not checked: method forced). */
	symmetric: boolean | null;
	searches: number;
}

/** A point on an edge (a site or a gate). */
interface EdgePlace {
	fromNode: number;
	toNode: number;
	offsetM: number;
	lengthM: number;
}

const symmetryChecked = new WeakMap<RoadGraph, boolean>();

/**
 * Whether every directed edge u → v has a twin v → u with the same length and flags, so that
 * walking times are the same both ways. O(Σ degree²); cached per graph.
 * @example graphIsSymmetric(RoadGraph.build(input)) // true: build stores both directions
 */
export function graphIsSymmetric(graph: RoadGraph): boolean {
	const cached = symmetryChecked.get(graph);
	if (cached !== undefined) return cached;
	const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = graph;
	let symmetric = true;
	outer: for (let u = 0; u < graph.nodeCount; u++) {
		for (let e = firstEdge[u]; e < firstEdge[u + 1]; e++) {
			const v = edgeTarget[e];
			let twin = false;
			for (let f = firstEdge[v]; f < firstEdge[v + 1]; f++) {
				if (
					edgeTarget[f] === u &&
					edgeLengthM[f] === edgeLengthM[e] &&
					edgeFlags[f] === edgeFlags[e]
				) {
					twin = true;
					break;
				}
			}
			if (!twin) {
				symmetric = false;
				break outer;
			}
		}
	}
	symmetryChecked.set(graph, symmetric);
	return symmetric;
}

function sourcesOf(place: EdgePlace, walkSpeedMps: number): SearchSource[] {
	if (place.fromNode === place.toNode && place.offsetM === 0)
		return [{ node: place.fromNode, initialS: 0, label: 0 }];
	return [
		{ node: place.fromNode, initialS: place.offsetM / walkSpeedMps, label: 0 },
		{ node: place.toNode, initialS: (place.lengthM - place.offsetM) / walkSpeedMps, label: 0 }
	];
}

function timeTo(search: ReachSearch, place: EdgePlace, walkSpeedMps: number): number {
	if (place.fromNode === place.toNode && place.offsetM === 0) return search.time(place.fromNode);
	return Math.min(
		search.time(place.fromNode) + place.offsetM / walkSpeedMps,
		search.time(place.toNode) + (place.lengthM - place.offsetM) / walkSpeedMps
	);
}

/** Growable pair buffers. */
class PairBuffer {
	site = new Uint32Array(1024);
	demand = new Uint32Array(1024);
	seconds = new Float32Array(1024);
	count = 0;
	push(site: number, demand: number, seconds: number): void {
		if (this.count === this.site.length) {
			const grow = <T extends Uint32Array | Float32Array>(array: T, make: (n: number) => T) => {
				const grown = make(array.length * 2);
				grown.set(array);
				return grown;
			};
			this.site = grow(this.site, (n) => new Uint32Array(n));
			this.demand = grow(this.demand, (n) => new Uint32Array(n));
			this.seconds = grow(this.seconds, (n) => new Float32Array(n));
		}
		this.site[this.count] = site;
		this.demand[this.count] = demand;
		this.seconds[this.count] = seconds;
		this.count++;
	}
}

function settingsOf(settings: MatrixSettings) {
	const maxMinutes = settings.maxMinutes ?? DEFAULT_CIRCLE_MINUTES;
	const walkSpeedMps = settings.walkSpeedMps ?? DEFAULT_WALK_SPEED_MPS;
	const stepPenaltyS = settings.stepPenaltyS ?? DEFAULT_STEP_PENALTY_S;
	if (!(maxMinutes > 0 && maxMinutes < Infinity))
		throw new SitingError('INVALID_OPTION', `maxMinutes ${maxMinutes} must be a number > 0`);
	if (!(walkSpeedMps > 0 && walkSpeedMps < Infinity))
		throw new SitingError(
			'INVALID_OPTION',
			`walkSpeedMps ${walkSpeedMps} must be a number > 0 (m/s; ${DEFAULT_WALK_SPEED_MPS.toFixed(1)} default, ${FRAIL_WALK_SPEED_MPS.toFixed(1)} frail)`
		);
	if (!(stepPenaltyS >= 0 && stepPenaltyS < Infinity))
		throw new SitingError('INVALID_OPTION', `stepPenaltyS ${stepPenaltyS} must be ≥ 0 seconds`);
	return { limitS: maxMinutes * 60, walkSpeedMps, stepPenaltyS };
}

/**
 * Which demand points each site reaches within the circle.
 *
 * @param search a WalkSearch on the graph the sites and gates were snapped to (reused)
 * @param demands demand points (demandPoints); weights become the matrix's demand weights
 * @param fixed existing stations (sites 0 .. fixed.length − 1)
 * @param candidates candidate sites (sites fixed.length ..)
 * @param settings maxMinutes (15), walkSpeedMps (1.0), stepPenaltyS (0), method ('auto')
 * @throws SitingError INVALID_OPTION on bad settings or when 'from-demand' is forced on an
 *   asymmetric graph; SearchInputError when a site lies outside the graph
 * @example
 * const { matrix } = buildCoverageMatrix(new WalkSearch(graph), demands, stations, networkNodeCandidates(graph));
 */
export function buildCoverageMatrix(
	search: ReachSearch,
	demands: readonly DemandPoint[],
	fixed: readonly SiteCandidate[],
	candidates: readonly SiteCandidate[],
	settings: MatrixSettings = {}
): BuiltMatrix {
	const { limitS, walkSpeedMps, stepPenaltyS } = settingsOf(settings);
	const graph = search.graph;
	const sites = [...fixed, ...candidates];
	const requested = settings.method ?? 'auto';
	const symmetric = requested === 'from-site' ? null : graphIsSymmetric(graph);
	if (requested === 'from-demand' && !symmetric)
		throw new SitingError(
			'INVALID_OPTION',
			'method "from-demand" needs a graph whose walking times are the same both ways; this graph has a directed edge without an equal twin: use method "from-site"'
		);
	const method = requested === 'from-site' || !symmetric ? 'from-site' : 'from-demand';
	const options = { walkSpeedMps, stepPenaltyS, maxSeconds: limitS };
	const pairs = new PairBuffer();
	const progress = settings.onProgress;
	let searches = 0;

	if (method === 'from-demand') {
		// Node → sites standing on it (either end of their edge).
		const nodeStart = new Uint32Array(graph.nodeCount + 1);
		const ends = (site: SiteCandidate) =>
			site.fromNode === site.toNode ? [site.fromNode] : [site.fromNode, site.toNode];
		for (const site of sites) for (const node of ends(site)) nodeStart[node + 1]++;
		for (let n = 0; n < graph.nodeCount; n++) nodeStart[n + 1] += nodeStart[n];
		const nodeSite = new Uint32Array(nodeStart[graph.nodeCount]);
		const fill = nodeStart.slice(0, graph.nodeCount);
		sites.forEach((site, s) => {
			for (const node of ends(site)) nodeSite[fill[node]++] = s;
		});
		const seen = new Int32Array(sites.length).fill(-1);
		demands.forEach((demand, d) => {
			if (demand.points.length === 0) return;
			search.run(
				demand.points.flatMap((point) => sourcesOf(point, walkSpeedMps)),
				options
			);
			searches++;
			const settled = search.settled();
			for (let i = 0; i < settled.length; i++) {
				const node = settled[i];
				for (let k = nodeStart[node]; k < nodeStart[node + 1]; k++) {
					const s = nodeSite[k];
					if (seen[s] === d) continue;
					seen[s] = d;
					const seconds = timeTo(search, sites[s], walkSpeedMps);
					if (seconds <= limitS) pairs.push(s, d, seconds);
				}
			}
			if (progress && searches % 64 === 0) progress(searches, demands.length);
		});
	} else {
		sites.forEach((site, s) => {
			search.run(sourcesOf(site, walkSpeedMps), options);
			searches++;
			demands.forEach((demand, d) => {
				let best = Infinity;
				for (const point of demand.points)
					best = Math.min(best, timeTo(search, point, walkSpeedMps));
				if (best <= limitS) pairs.push(s, d, best);
			});
			if (progress && searches % 64 === 0) progress(searches, sites.length);
		});
	}
	const matrix = coverageMatrix(
		demands.map((demand) => demand.weight),
		sites.length,
		fixed.length,
		pairs
	);
	return { matrix, method, symmetric, searches };
}
