/**
 * Walking-time searches on the RoadGraph: bounded single- and multi-source Dijkstra, nearest
 * facility for every node, per-facility catchments.
 *
 * Why it is shaped so (measured with `npm run bench` and side by side in one process on a
 * shared 2-core machine; ratios are our time ÷ the straightforward Dijkstra's that resets only
 * the nodes it touched, scripts/bench/baseline.ts; figures in bench/results.json):
 * - No copy of the graph. The search walks the RoadGraph's own CSR arrays; beside them it
 *   holds a Float64 time per node (8 B), the reached list (4 B per reached node, grown on
 *   demand), one bit per node for the junctions below and, only once a run's sources carry
 *   more than one label, an Int32 label per node. Graph + search on the 1 M-node grid: 27.1 →
 *   14.0 B per directed edge (16.1 after a labelled every-node search); Monaco 43.7 → 19.4
 *   (23.8). Pool workers share the graph's one SharedArrayBuffer and its cache lines. Until
 *   issue 18 the chains below were laid out in a private step array (8 B per directed edge):
 *   chains read front to back, Monaco's searches about 15 % faster than walking the CSR.
 * - Junctions and chains. Every vertex of an OSM way is a node, so most nodes have exactly two
 *   edges (87 % in Monaco, 66 % in the Shanghai demo): they only pass time along. The queue
 *   holds junctions only (nodes with another number of edges); settling a junction walks each
 *   of its chains step by step through the CSR (the next edge of a chain node is the one of
 *   its two that does not lead back), `time = time + cost` in Float64 as a plain Dijkstra adds
 *   them, giving each chain node the time if it is better, and queues the junction at the
 *   chain's end. A walk stops at a chain node that already has a time as good (whoever gave it
 *   that time walks on from there), and at maxSeconds. A source on a chain node walks its
 *   chain both ways first and starts the junctions at its ends. Dead ends (one edge) relay
 *   nothing, so they take their time like chain nodes and are never queued either. Against
 *   the same queue relaxing every node (issue 3): Monaco multi-source 0.65 → 0.25, one
 *   15-minute search 0.75 → 0.35. A graph with almost no chain nodes (a generated grid)
 *   skips the chain test.
 * - No per-node state but the time. A run resets the times the last run set (its reached
 *   list), so a 15-minute search that touches 400 nodes of a 1 M-node graph costs 400 nodes of
 *   work, not a 1 M-entry fill; Infinity means "not reached", a settled junction's time is
 *   final, and a queue entry is live while its node's time still falls in its bucket (list
 *   entries) or still equals the entry's time (band entries).
 * - The priority queue is a bucket queue (Dial) on a ring of buckets 1/8 s wide (coarser when
 *   the ring would exceed about a bucket per 8 nodes): a singly linked list per bucket in an
 *   entry pool with a free list, a bitmap to skip empty buckets 32 at a time. A node whose
 *   time drops to an earlier bucket gets a new entry; the old one is skipped later. When the
 *   search reaches a bucket its nodes move into a small binary heap (the "band") and leave it
 *   in exact time order; only the heap holds one bucket, not the whole frontier (searchBand).
 *   A plain heap of junctions instead measured 10–20 % slower; buckets of 1, 1/2, 1/4 or
 *   1/16 s, no different.
 * - When every edge costs at least two bucket widths (generated grids; never OSM networks,
 *   whose shortest segments are centimetres), the buckets are widened to half the cheapest edge
 *   and settled first in, first out with no heap (Dial's exact case: nothing in a bucket can
 *   improve anything else in it), from FIFO blocks (searchLists). Big buckets are read ahead
 *   a batch of nodes at a time to overlap cache misses (the grid's nearest facility for every
 *   node 0.50–0.60 → 0.42–0.45); small ones (one 15-minute search) are not, which took that
 *   search from 0.85–0.95 to 0.62–0.70, and a node's CSR offset is loaded when it is queued.
 * - At the default 1 m/s an edge's cost is its length (x / 1 is x exactly): no division.
 * - Nodes whose tentative time exceeds maxSeconds are never queued nor given a time: every
 *   node with a time is reached, so reading a result is one load.
 * - Tried and not kept: numbering chain nodes along their chains inside the search (≤ 5 %);
 *   step ranges inside 24- or 32-byte node records (no gain on OSM graphs, slower on the grid);
 *   sorting list-mode buckets by node (no gain); reading every array once at the start of a
 *   run to warm the cache (Monaco multi-source 0.40 → 0.27, but one 15-minute search 0.37 →
 *   0.50: a run cannot know beforehand how much of the graph it will touch); warming a small
 *   bucket's edges and target times in two passes before settling it, or a queued node's
 *   edges as well as its offset (no gain, or slower).
 *
 * Distances: a node's Float64 time is the least, over all paths to it, of the costs added one
 * edge at a time from the source (Float64 addition of a cost ≥ 0 never lowers a sum, so the
 * least is what any exact Dijkstra finds, whatever the order of ties): the times equal the
 * straightforward Dijkstra's to the last bit; tests check it on Monaco, Shanghai and random
 * chain graphs. Labels on exact ties may name either tied source.
 *
 * Costs are seconds: an edge costs `edgeLengthM / walkSpeedMps + (steps ? stepPenaltyS : 0)`
 * and a node's time is `time(from) + cost`, in Float64.
 */
import { DEFAULT_WALK_SPEED_MPS, FRAIL_WALK_SPEED_MPS } from '../rules/defaults.ts';
import { EDGE_FLAGS, type RoadGraph } from './road-graph.ts';

/**
 * Walking speeds in m/s: the default (15 min ≈ 900 m) and the preset for frail elders, both
 * from the one walking-defaults module (rules/defaults.ts).
 */
export const WALK_SPEED_MPS = {
	default: DEFAULT_WALK_SPEED_MPS,
	frail: FRAIL_WALK_SPEED_MPS
} as const;

/** One start of a search: a node, the seconds already spent reaching it, and a label to carry. */
export interface SearchSource {
	node: number;
	/** Seconds at the node when the search starts (≥ 0). */
	initialS: number;
	/** Carried to every node this source reaches first (e.g. a facility index). */
	label: number;
}

export interface SearchOptions {
	/** Walking speed in m/s (default 1.0; WALK_SPEED_MPS.frail = 0.8). */
	walkSpeedMps?: number;
	/** Only nodes reached within this many seconds are settled (default Infinity). */
	maxSeconds?: number;
	/** Extra seconds per steps edge (EDGE_FLAGS.steps; default 0). */
	stepPenaltyS?: number;
}

/** A point on the network as snapping gives it (graph/snap.ts NetworkPoint has these fields). */
export interface EdgePoint {
	fromNode: number;
	toNode: number;
	/** Metres along the edge from fromNode. */
	offsetM: number;
	/** Edge length in metres. */
	lengthM: number;
}

export class SearchInputError extends Error {
	readonly code = 'INVALID_SEARCH_INPUT';
	constructor(message: string) {
		super(message);
		this.name = 'SearchInputError';
	}
}

/** Default bucket width 1/8 s: a few nodes per bucket on dense multi-source searches. */
const DEFAULT_BUCKETS_PER_SECOND = 8;
/** The ring never exceeds this many buckets (coarser buckets on graphs with very long chains). */
const MAX_RING_BUCKETS = 1 << 18;
/** Node indices live in Int32 bucket entries. */
const MAX_NODES = 0x7fffffff;
/** Below this share of chain nodes (generated grids) every node is relaxed as a junction. */
const MIN_CHAIN_SHARE = 0.05;
/** x / 1 is x exactly (IEEE 754): at this speed the division per edge is skipped, same result. */
const IDENTITY_DIVISOR = 1;
/** Nodes per block of a list-mode bucket. */
const LIST_BLOCK = 128;
/** List mode warms the cache for the nodes of a bucket this many at a time (a power of 2). */
const LOOK_BATCH = 16;
/** List mode looks ahead only in buckets of at least this many nodes. */
const LOOK_AHEAD_MIN = 128;

/**
 * Bounded multi-source Dijkstra with flat, reused state. Construct once per graph, `run` many
 * times; results stay valid until the next `run`.
 *
 * @example
 * const search = new WalkSearch(graph);
 * search.run([{ node: 42, initialS: 0, label: 0 }], { maxSeconds: 900 });
 * search.time(7); // seconds from node 42 to node 7, Infinity if beyond 15 minutes
 * search.settled(); // nodes within 15 minutes, in the order they were first reached
 */
export class WalkSearch {
	readonly graph: RoadGraph;
	/**
	 * Seconds per node, one entry per node: Infinity where the last run did not reach. A run
	 * resets only the nodes the one before reached (its reached list), so a 15-minute search on
	 * a 1 M-node graph costs the nodes it touches, not a 1 M-entry fill.
	 */
	private readonly nodeTimeS: Float64Array;
	/**
	 * Source label per node, one entry per node, written only by runs whose sources carry more
	 * than one label (allocated by the first such run); other runs report `runLabel`.
	 */
	private nodeLabel: Int32Array | null = null;
	private labelled = false;
	private runLabel = -1;
	/** Nodes reached in the last run, first reach first; grown on demand to one entry per node. */
	private reachedNodes: Uint32Array;
	private reachedLength = 0;
	/** One bit per node: nodes with two edges that are junctions all the same (see the constructor). */
	private readonly forcedJunction: Uint32Array;
	/** False when the graph has almost no chain nodes: every node is then queued as a junction. */
	private readonly chains: boolean;
	/** Longest chain in metres and most steps edges on one chain: bound how far ahead a junction can be queued. */
	private readonly maxChainLengthM: number;
	private readonly maxChainSteps: number;
	/** Most nodes one settled junction can reach first (its chains' nodes and ends): when to grow reachedNodes. */
	private readonly maxReachPerSettle: number;
	/** Shortest edge, metres: when buckets can be half of it wide, no ordering inside them is needed. */
	private readonly minEdgeLengthM: number;
	private readonly bucketsPerSecond: number;
	/** Most buckets in the band's ring: a power of two near nodeCount / 8, 1,024 to 2^18. */
	private readonly bandRingCap: number;
	/** Seconds at the junction where the last walkChain ended. */
	private chainEndS = 0;
	/** Junction starts of a run: the sources on junctions and the junctions ending a source's chain. */
	private seedNode = new Int32Array(16);
	private seedTimeS = new Float64Array(16);
	private seedLabel = new Int32Array(16);
	/** Ring of bucket list heads (entry index, -1 = empty). */
	private bucketHead = new Int32Array(0);
	/** One bit per ring slot, set while its list may be non-empty: empty buckets are skipped 32 at a time. */
	private bucketBits = new Uint32Array(1);
	/**
	 * Bucket entries: node and next entry, in a pool with a free list. A node whose time drops
	 * to an earlier bucket gets a new entry; the old one is skipped when its bucket is drained
	 * (the node's time no longer falls in that bucket).
	 */
	private entryNode = new Int32Array(256);
	private entryNext = new Int32Array(256);
	/** The band: a binary heap of the current bucket's nodes (time, node), with stale duplicates. */
	private bandTime = new Float64Array(64);
	private bandNode = new Int32Array(64);
	private bandSize = 0;
	/**
	 * List mode (see searchLists): each ring slot is a FIFO of blocks of LIST_BLOCK nodes from a
	 * pool with a free list; slotHead/slotTail are block indices (-1 = empty), slotFill the
	 * nodes in the tail block.
	 */
	private slotHead = new Int32Array(0);
	private slotTail = new Int32Array(0);
	private slotFill = new Int32Array(0);
	private blockNodes = new Int32Array(4 * LIST_BLOCK);
	private blockNext = new Int32Array(4);
	private blocksUsed = 0;
	private freeBlock = -1;
	private listQueued = 0;
	/** The bucket being settled in list mode, copied out of its blocks. */
	private bucketNodes = new Int32Array(256);
	/** Sinks of the look-ahead loads (see searchLists); never read. */
	private lookAhead = 0;

	/**
	 * @param graph the road graph to search
	 * @param tuning.bucketsPerSecond queue bucket resolution (default 8 = 1/8 s buckets);
	 *   changes speed only, never results
	 * @throws SearchInputError when the graph has 2^31 nodes or more
	 */
	constructor(graph: RoadGraph, tuning: { bucketsPerSecond?: number } = {}) {
		this.graph = graph;
		const n = graph.nodeCount;
		if (n > MAX_NODES) {
			throw new SearchInputError(`a graph of ${n} nodes is too large (at most ${MAX_NODES})`);
		}
		this.nodeTimeS = new Float64Array(n).fill(Infinity);
		this.reachedNodes = new Uint32Array(Math.min(n, 1024));
		this.bucketsPerSecond = tuning.bucketsPerSecond ?? DEFAULT_BUCKETS_PER_SECOND;
		let ringCap = 1024;
		while (ringCap < n / 8 && ringCap < MAX_RING_BUCKETS) ringCap *= 2;
		this.bandRingCap = ringCap;
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = graph;
		const m = graph.edgeCount;
		let shortestM = Infinity;
		let longestM = 0;
		let anySteps = 0;
		for (let e = 0; e < m; e++) {
			const lengthM = edgeLengthM[e];
			if (lengthM < shortestM) shortestM = lengthM;
			if (lengthM > longestM) longestM = lengthM;
			anySteps |= edgeFlags[e] & EDGE_FLAGS.steps;
		}
		this.minEdgeLengthM = m > 0 ? shortestM : 0;

		// Chain nodes: two edges to two other nodes. One with a self-loop or both edges to the
		// same neighbour cannot be walked through (which edge leads on?): a junction.
		const forced = new Uint32Array((n + 31) >>> 5);
		const force = (node: number) => (forced[node >>> 5] |= 1 << (node & 31));
		const chainNode = (node: number) =>
			firstEdge[node + 1] - firstEdge[node] === 2 &&
			(forced[node >>> 5] & (1 << (node & 31))) === 0;
		let chainNodes = 0;
		let maxDegree = 0;
		for (let node = 0; node < n; node++) {
			const a = firstEdge[node];
			const degree = firstEdge[node + 1] - a;
			if (degree > maxDegree) maxDegree = degree;
			if (degree !== 2) continue;
			const [p, q] = [edgeTarget[a], edgeTarget[a + 1]];
			if (p === node || q === node || p === q) force(node);
			else chainNodes++;
		}
		this.chains = chainNodes >= MIN_CHAIN_SHARE * n;
		if (!this.chains) {
			// Every node a junction: a junction is queued at most one edge ahead of another.
			this.forcedJunction = new Uint32Array(0);
			this.maxChainLengthM = longestM * (1 + 1e-9) + 1e-9;
			this.maxChainSteps = anySteps ? 1 : 0;
			this.maxReachPerSettle = maxDegree;
			return;
		}
		// Walk every chain from each junction (and from one node of each ring of chain nodes
		// with no junction, which becomes one) to bound chain length, steps and reach.
		const onChain = new Uint8Array(n);
		let chainM = 0;
		let chainSteps = 0;
		let mostReach = maxDegree;
		const walkChains = (junction: number) => {
			let reach = 0;
			for (let e = firstEdge[junction]; e < firstEdge[junction + 1]; e++) {
				let previous = junction;
				let edge = e;
				let lengthM = 0;
				let steps = 0;
				for (;;) {
					lengthM += edgeLengthM[edge];
					if (edgeFlags[edge] & EDGE_FLAGS.steps) steps++;
					reach++;
					const next = edgeTarget[edge];
					if (!chainNode(next)) break;
					onChain[next] = 1;
					const a = firstEdge[next];
					edge = edgeTarget[a] === previous ? a + 1 : a;
					previous = next;
				}
				if (lengthM > chainM) chainM = lengthM;
				if (steps > chainSteps) chainSteps = steps;
			}
			if (reach > mostReach) mostReach = reach;
		};
		for (let node = 0; node < n; node++) if (!chainNode(node)) walkChains(node);
		for (let node = 0; node < n; node++) {
			if (onChain[node] === 0 && chainNode(node)) {
				force(node);
				walkChains(node);
			}
		}
		this.forcedJunction = forced;
		// Summed in Float64 from Float32 lengths: a bound, rounded up a little for safety.
		this.maxChainLengthM = chainM * (1 + 1e-9) + 1e-9;
		this.maxChainSteps = chainSteps;
		this.maxReachPerSettle = mostReach;
	}

	/** Room in reachedNodes for `more` nodes beyond those reached so far (at most one per node). */
	private ensureReach(more: number): void {
		const reached = this.reachedNodes;
		const needed = this.reachedLength + more;
		if (needed <= reached.length || reached.length === this.graph.nodeCount) return;
		const grown = new Uint32Array(
			Math.min(this.graph.nodeCount, Math.max(2 * reached.length, needed))
		);
		grown.set(reached.subarray(0, this.reachedLength));
		this.reachedNodes = grown;
	}

	/**
	 * Walk from `previous` along `edge` at `walkS` seconds, on through chain nodes, each taking
	 * the time if it is better: `walkS = walkS + cost` edge by edge, as a plain Dijkstra adds
	 * them. Stops beyond maxSeconds, at a node reached as soon already (whoever reached it walks
	 * on from there) and at a dead end (which takes its time and relays nothing).
	 * @returns the junction at the chain's end (its time in chainEndS, not yet stored), or -1
	 */
	private walkChain(
		previous: number,
		edge: number,
		walkS: number,
		label: number,
		maxSeconds: number,
		walkSpeedMps: number,
		stepPenaltyS: number
	): number {
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = this.graph;
		const { nodeTimeS, forcedJunction: forced, reachedNodes } = this;
		const labels = this.labelled ? this.nodeLabel : null;
		let count = this.reachedLength;
		let end = -1;
		for (;;) {
			let costS =
				walkSpeedMps === IDENTITY_DIVISOR ? edgeLengthM[edge] : edgeLengthM[edge] / walkSpeedMps;
			if (stepPenaltyS !== 0 && (edgeFlags[edge] & EDGE_FLAGS.steps) !== 0) costS += stepPenaltyS;
			walkS = walkS + costS;
			if (walkS > maxSeconds) break;
			const target = edgeTarget[edge];
			const a = firstEdge[target];
			const degree = firstEdge[target + 1] - a;
			const onChain = degree === 2 && (forced[target >>> 5] & (1 << (target & 31))) === 0;
			if (!onChain && degree !== 1) {
				this.chainEndS = walkS;
				end = target;
				break;
			}
			const oldS = nodeTimeS[target];
			if (!(walkS < oldS)) break;
			if (oldS === Infinity) reachedNodes[count++] = target;
			nodeTimeS[target] = walkS;
			if (labels !== null) labels[target] = label;
			if (!onChain) break; // a dead end
			edge = edgeTarget[a] === previous ? a + 1 : a;
			previous = target;
		}
		this.reachedLength = count;
		return end;
	}

	/**
	 * The run's junction starts: sources on junctions as given; a source on a chain node or a
	 * dead end is set there and walked along its chain both ways, and the junctions at the
	 * chain's ends become starts at the times reached. Returns the number of starts.
	 */
	private seed(
		sources: readonly SearchSource[],
		walkSpeedMps: number,
		maxSeconds: number,
		stepPenaltyS: number
	): number {
		const { nodeTimeS, chains, forcedJunction: forced } = this;
		const labels = this.labelled ? this.nodeLabel : null;
		const { firstEdge } = this.graph;
		let { seedNode, seedTimeS, seedLabel } = this;
		let count = 0;
		for (let i = 0; i < sources.length; i++) {
			const { node, initialS, label } = sources[i];
			if (initialS > maxSeconds) continue;
			if (count + 2 > seedNode.length) {
				seedNode = this.seedNode = grownInt32(seedNode);
				seedLabel = this.seedLabel = grownInt32(seedLabel);
				const grown = new Float64Array(2 * seedTimeS.length);
				grown.set(seedTimeS);
				seedTimeS = this.seedTimeS = grown;
			}
			const a = firstEdge[node];
			const degree = firstEdge[node + 1] - a;
			const walked =
				chains &&
				(degree === 1 || (degree === 2 && (forced[node >>> 5] & (1 << (node & 31))) === 0));
			if (!walked) {
				seedNode[count] = node;
				seedTimeS[count] = initialS;
				seedLabel[count++] = label;
				continue;
			}
			const oldS = nodeTimeS[node];
			if (!(initialS < oldS)) continue; // first listed wins a tie
			this.ensureReach(1 + this.maxReachPerSettle);
			if (oldS === Infinity) this.reachedNodes[this.reachedLength++] = node;
			nodeTimeS[node] = initialS;
			if (labels !== null) labels[node] = label;
			for (let side = 0; side < degree; side++) {
				const junction = this.walkChain(
					node,
					a + side,
					initialS,
					label,
					maxSeconds,
					walkSpeedMps,
					stepPenaltyS
				);
				if (junction < 0) continue;
				seedNode[count] = junction;
				seedTimeS[count] = this.chainEndS;
				seedLabel[count++] = label;
			}
		}
		return count;
	}

	/**
	 * Settle every node within `maxSeconds` of the nearest source.
	 *
	 * @param sources start nodes with their initial seconds and labels; several sources on one
	 *   node keep the smallest initialS (the first listed on a tie). Sources with
	 *   initialS > maxSeconds reach nothing.
	 * @param options walkSpeedMps (default 1.0), maxSeconds (default Infinity), stepPenaltyS
	 *   (default 0)
	 * @throws SearchInputError when a source node is outside the graph, an initialS is negative
	 *   or not a number, the speed is not > 0, or the penalty is negative
	 */
	run(sources: readonly SearchSource[], options: SearchOptions = {}): void {
		const walkSpeedMps = options.walkSpeedMps ?? WALK_SPEED_MPS.default;
		const maxSeconds = options.maxSeconds ?? Infinity;
		const stepPenaltyS = options.stepPenaltyS ?? 0;
		checkOptions(walkSpeedMps, maxSeconds, stepPenaltyS);
		const nodeCount = this.graph.nodeCount;
		let labelled = false;
		const firstLabel = sources.length > 0 ? sources[0].label : -1;
		for (let i = 0; i < sources.length; i++) {
			const source = sources[i];
			if (!(Number.isInteger(source.node) && source.node >= 0 && source.node < nodeCount)) {
				throw new SearchInputError(
					`source ${i}: node ${source.node} is not a node of this graph (expected an integer 0..${nodeCount - 1})`
				);
			}
			if (!(source.initialS >= 0)) {
				throw new SearchInputError(
					`source ${i} (node ${source.node}): initialS ${source.initialS} must be a number ≥ 0 (seconds)`
				);
			}
			if (source.label !== firstLabel) labelled = true;
		}

		// Forget the last run: only the nodes it reached hold a time.
		const { nodeTimeS } = this;
		const lastReached = this.reachedNodes;
		for (let i = 0; i < this.reachedLength; i++) nodeTimeS[lastReached[i]] = Infinity;
		this.reachedLength = 0;
		this.bandSize = 0;
		this.labelled = labelled;
		this.runLabel = firstLabel;
		if (labelled && this.nodeLabel === null) this.nodeLabel = new Int32Array(nodeCount);

		// Sources on chain nodes walk their chain now; the search proper runs on junctions.
		const seedCount = this.seed(sources, walkSpeedMps, maxSeconds, stepPenaltyS);
		this.ensureReach(seedCount);
		const { seedTimeS } = this;

		// Ring size: a queued junction is at most one chain ahead of the junction that queued it.
		const maxChainCostS = this.maxChainLengthM / walkSpeedMps + this.maxChainSteps * stepPenaltyS;
		// Dial's exact case: with buckets at most half the cheapest edge wide, no junction can
		// improve another of its own bucket, so a bucket is settled in list order with no heap at
		// all. Only graphs with no short edge qualify (generated grids, not OSM networks) and only
		// when the ring stays within MAX_RING_BUCKETS at that width.
		const minEdgeCostS = this.minEdgeLengthM / walkSpeedMps;
		let bucketsPerSecond = this.bucketsPerSecond;
		const listOrder =
			minEdgeCostS / 2 >= 1 / bucketsPerSecond &&
			(maxChainCostS + 1) * (2 / minEdgeCostS) + 3 <= MAX_RING_BUCKETS;
		if (listOrder) bucketsPerSecond = 2 / minEdgeCostS;
		// The band's ring is kept to about a bucket per 8 nodes (coarser buckets on graphs with
		// long chains): its heads would otherwise outweigh the times on a small graph.
		const ringCap = listOrder ? MAX_RING_BUCKETS : this.bandRingCap;
		while ((maxChainCostS + 1) * bucketsPerSecond + 3 > ringCap) bucketsPerSecond /= 2;
		// Starts whose times span less than the ring go straight into their buckets (the usual
		// case: a door's two sources differ by at most one chain); a wider spread is sorted and
		// injected as the search reaches each start's bucket.
		let minInitialS = Infinity;
		let maxInitialS = 0;
		for (let i = 0; i < seedCount; i++) {
			const initialS = seedTimeS[i];
			if (initialS < minInitialS) minInitialS = initialS;
			if (initialS > maxInitialS) maxInitialS = initialS;
		}
		const spreadS = minInitialS === Infinity ? 0 : maxInitialS - minInitialS;
		const sourcesDirect = (spreadS + maxChainCostS + 1) * bucketsPerSecond + 3 <= ringCap;
		let ringSize = 32;
		while (ringSize < (maxChainCostS + (sourcesDirect ? spreadS : 0)) * bucketsPerSecond + 3) {
			ringSize *= 2;
		}
		if (this.bucketBits.length < ringSize >>> 5) this.bucketBits = new Uint32Array(ringSize >>> 5);
		// Otherwise starts in order of time (stable: the first listed wins a tie), injected when
		// the search reaches their bucket, so any spread of initial times fits the ring.
		const order = sourcesDirect ? EMPTY_ORDER : sortedSeeds(seedTimeS, seedCount);
		const startS = sourcesDirect ? minInitialS : order.length > 0 ? seedTimeS[order[0]] : 0;
		if (listOrder) {
			this.searchLists(
				seedCount,
				order,
				startS,
				bucketsPerSecond,
				ringSize,
				walkSpeedMps,
				maxSeconds,
				stepPenaltyS
			);
		} else {
			this.searchBand(
				seedCount,
				order,
				startS,
				bucketsPerSecond,
				ringSize,
				walkSpeedMps,
				maxSeconds,
				stepPenaltyS
			);
		}
	}

	/**
	 * The search proper with the band: buckets of 1/8 s (or coarser), each settled in exact
	 * time order through the band heap. `order` lists the starts to inject as the search
	 * reaches them (empty: all starts go into their buckets now).
	 *
	 * No per-node state but the time: a settled junction's time is final and no later
	 * relaxation beats it; a list entry is live while its node's time still falls in its bucket,
	 * a band entry while its time is still the node's.
	 */
	private searchBand(
		seedCount: number,
		order: Int32Array,
		startS: number,
		bucketsPerSecond: number,
		ringSize: number,
		walkSpeedMps: number,
		maxSeconds: number,
		stepPenaltyS: number
	): void {
		if (this.bucketHead.length < ringSize) this.bucketHead = new Int32Array(ringSize).fill(-1);
		const { bucketHead, bucketBits, seedNode, seedTimeS, seedLabel, nodeTimeS, chains } = this;
		const forced = this.forcedJunction;
		const labels = this.labelled ? this.nodeLabel : null;
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = this.graph;
		const ringMask = ringSize - 1;
		const maxBucket = Math.floor(maxSeconds * bucketsPerSecond); // Infinity when unbounded
		const hasStepPenalty = stepPenaltyS !== 0;
		const unitSpeed = walkSpeedMps === IDENTITY_DIVISOR;
		const maxReach = this.maxReachPerSettle;
		const nodeCount = this.graph.nodeCount;
		let pending = 0;

		let entryNode = this.entryNode;
		let entryNext = this.entryNext;
		let entriesUsed = 0;
		let freeEntry = -1;
		/** Entries in bucket lists, stale ones included: the loop ends when none are left. */
		let liveEntries = 0;
		let reachedNodes = this.reachedNodes;
		let reachedCount = this.reachedLength;
		let reachLimit = reachedNodes.length === nodeCount ? Infinity : reachedNodes.length;

		if (order.length === 0) {
			for (let i = 0; i < seedCount; i++) {
				const node = seedNode[i];
				const initialS = seedTimeS[i];
				const oldS = nodeTimeS[node];
				if (!(initialS < oldS)) continue; // first listed wins a tie
				if (oldS === Infinity) reachedNodes[reachedCount++] = node;
				const bucket = Math.floor(initialS * bucketsPerSecond);
				if (oldS === Infinity || bucket !== Math.floor(oldS * bucketsPerSecond)) {
					let fresh = freeEntry;
					if (fresh !== -1) freeEntry = entryNext[fresh];
					else {
						if (entriesUsed === entryNode.length) {
							entryNode = this.entryNode = grownInt32(entryNode);
							entryNext = this.entryNext = grownInt32(entryNext);
						}
						fresh = entriesUsed++;
					}
					const ringSlot = bucket & ringMask;
					entryNode[fresh] = node;
					entryNext[fresh] = bucketHead[ringSlot];
					bucketHead[ringSlot] = fresh;
					bucketBits[ringSlot >>> 5] |= 1 << (ringSlot & 31);
					liveEntries++;
				}
				nodeTimeS[node] = initialS;
				if (labels !== null) labels[node] = seedLabel[i];
			}
		}
		let current = Math.floor(startS * bucketsPerSecond);
		if (!(current >= 0)) current = 0; // no sources within maxSeconds
		while (pending < order.length || liveEntries > 0) {
			if (current > maxBucket) break;
			// Starts due in this bucket go straight into the band, before the bucket is drained.
			while (pending < order.length) {
				const seed = order[pending];
				const initialS = seedTimeS[seed];
				if (Math.floor(initialS * bucketsPerSecond) > current) break;
				pending++;
				const node = seedNode[seed];
				const oldS = nodeTimeS[node];
				// A node settled in an earlier bucket has time ≤ initialS.
				if (!(initialS < oldS)) continue;
				if (oldS === Infinity) reachedNodes[reachedCount++] = node;
				this.bandPush(initialS, node);
				nodeTimeS[node] = initialS;
				if (labels !== null) labels[node] = seedLabel[seed];
			}
			const slot = current & ringMask;
			let entry = bucketHead[slot];
			let loneNode = -1;
			if (entry !== -1) {
				bucketHead[slot] = -1;
				bucketBits[slot >>> 5] &= ~(1 << (slot & 31));
				if (entryNext[entry] === -1 && this.bandSize === 0) {
					// A bucket of one node (the common case on street networks) needs no heap.
					const node = entryNode[entry];
					entryNext[entry] = freeEntry;
					freeEntry = entry;
					liveEntries--;
					if (Math.floor(nodeTimeS[node] * bucketsPerSecond) === current) loneNode = node;
				} else {
					// Move the bucket's live nodes into the band, which sorts them by time.
					while (entry !== -1) {
						const node = entryNode[entry];
						const after = entryNext[entry];
						entryNext[entry] = freeEntry;
						freeEntry = entry;
						liveEntries--;
						const timeS = nodeTimeS[node];
						if (Math.floor(timeS * bucketsPerSecond) === current) this.bandPush(timeS, node);
						entry = after;
					}
				}
			}
			// Settle the bucket in exact time order from the band (relaxations landing in this
			// bucket join it).
			for (;;) {
				let node: number;
				let time: number;
				if (loneNode !== -1) {
					node = loneNode;
					loneNode = -1;
					time = nodeTimeS[node];
				} else {
					if (this.bandSize === 0) break;
					time = this.bandTime[0];
					node = this.bandPopNode();
					if (time !== nodeTimeS[node]) continue; // a better time was queued since
				}
				if (reachedCount + maxReach > reachLimit) {
					this.reachedLength = reachedCount;
					this.ensureReach(maxReach);
					reachedNodes = this.reachedNodes;
					reachLimit = reachedNodes.length === nodeCount ? Infinity : reachedNodes.length;
				}
				const label = labels !== null ? labels[node] : 0;
				// Each edge: a chain is walked to its end, a junction relaxed.
				const edgeEnd = firstEdge[node + 1];
				for (let e = firstEdge[node]; e < edgeEnd; e++) {
					let target = edgeTarget[e];
					let reached: number;
					const degree = chains ? firstEdge[target + 1] - firstEdge[target] : 0;
					if (
						chains &&
						(degree === 1 || (degree === 2 && (forced[target >>> 5] & (1 << (target & 31))) === 0))
					) {
						this.reachedLength = reachedCount;
						target = this.walkChain(node, e, time, label, maxSeconds, walkSpeedMps, stepPenaltyS);
						reachedCount = this.reachedLength;
						if (target < 0) continue;
						reached = this.chainEndS;
					} else {
						let costS = unitSpeed ? edgeLengthM[e] : edgeLengthM[e] / walkSpeedMps;
						if (hasStepPenalty && (edgeFlags[e] & EDGE_FLAGS.steps) !== 0) costS += stepPenaltyS;
						reached = time + costS;
						if (reached > maxSeconds) continue;
					}
					const oldS = nodeTimeS[target];
					if (!(reached < oldS)) continue; // settled, or as soon already
					if (oldS === Infinity) reachedNodes[reachedCount++] = target;
					nodeTimeS[target] = reached;
					if (labels !== null) labels[target] = label;
					const bucket = Math.floor(reached * bucketsPerSecond);
					if (bucket <= current) {
						this.bandPush(reached, target);
					} else if (oldS === Infinity || bucket !== Math.floor(oldS * bucketsPerSecond)) {
						// Queue it in its bucket (an entry in a later bucket turns stale); in the
						// same bucket as before its entry stays live.
						let fresh = freeEntry;
						if (fresh !== -1) freeEntry = entryNext[fresh];
						else {
							if (entriesUsed === entryNode.length) {
								entryNode = this.entryNode = grownInt32(entryNode);
								entryNext = this.entryNext = grownInt32(entryNext);
							}
							fresh = entriesUsed++;
						}
						const ringSlot = bucket & ringMask;
						entryNode[fresh] = target;
						entryNext[fresh] = bucketHead[ringSlot];
						bucketHead[ringSlot] = fresh;
						bucketBits[ringSlot >>> 5] |= 1 << (ringSlot & 31);
						liveEntries++;
					}
				}
			}
			// Next bucket: skip empty ones through the bitmap, up to the next due start.
			current++;
			if (liveEntries === 0) {
				if (pending < order.length)
					current = Math.floor(seedTimeS[order[pending]] * bucketsPerSecond);
			} else {
				current = nextBucket(bucketBits, current, ringMask);
				if (pending < order.length) {
					const due = Math.floor(seedTimeS[order[pending]] * bucketsPerSecond);
					if (due < current) current = due;
				}
			}
		}
		this.reachedLength = reachedCount;
	}

	/**
	 * The search proper in Dial's exact case (every edge at least two buckets long): a bucket's
	 * junctions cannot improve one another, so each bucket is settled first in, first out with
	 * no heap, and a node's entry is live while its time falls in the entry's bucket. Buckets
	 * are FIFOs of blocks; when the search reaches one, its nodes are copied into one array and
	 * settled in the order they were queued (which follows the order their neighbours were
	 * settled in, so nearby nodes come together). This mode is memory-bound on big graphs
	 * (most of a 1 M-node grid's times and edges are first touched when the search gets there)
	 * and JavaScript has no prefetch, so it warms the cache itself, LOOK_BATCH nodes at a time:
	 * before settling nodes i … i+15 it loads the CSR offsets of nodes i+32 … i+47, the first
	 * edge target of nodes i+16 … i+31 (offsets loaded one batch earlier) and the times of the
	 * targets of nodes i … i+15 (edges loaded one batch earlier). Each group is a few
	 * independent loads in a tight loop, so their misses overlap instead of stalling one by one.
	 */
	private searchLists(
		seedCount: number,
		order: Int32Array,
		startS: number,
		bucketsPerSecond: number,
		ringSize: number,
		walkSpeedMps: number,
		maxSeconds: number,
		stepPenaltyS: number
	): void {
		if (this.slotHead.length < ringSize) {
			this.slotHead = new Int32Array(ringSize).fill(-1);
			this.slotTail = new Int32Array(ringSize).fill(-1);
			this.slotFill = new Int32Array(ringSize);
		}
		const { slotHead, slotTail, slotFill, bucketBits, seedTimeS, nodeTimeS, chains } = this;
		const forced = this.forcedJunction;
		const labels = this.labelled ? this.nodeLabel : null;
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = this.graph;
		const ringMask = ringSize - 1;
		const maxBucket = Math.floor(maxSeconds * bucketsPerSecond); // Infinity when unbounded
		const hasStepPenalty = stepPenaltyS !== 0;
		const unitSpeed = walkSpeedMps === IDENTITY_DIVISOR;
		const maxReach = this.maxReachPerSettle;
		const nodeCount = this.graph.nodeCount;
		this.blocksUsed = 0;
		this.freeBlock = -1;
		this.listQueued = 0;
		let pending = 0;

		if (order.length === 0) {
			for (let i = 0; i < seedCount; i++) this.listSeed(i, bucketsPerSecond, ringMask);
		}
		let blockNodes = this.blockNodes;
		let blockNext = this.blockNext;
		let blocksUsed = this.blocksUsed;
		let freeBlock = this.freeBlock;
		/** Nodes in the bucket FIFOs, stale ones included: the loop ends when none are left. */
		let queued = this.listQueued;
		let bucketNodes = this.bucketNodes;
		let reachedNodes = this.reachedNodes;
		let reachedCount = this.reachedLength;
		let reachLimit = reachedNodes.length === nodeCount ? Infinity : reachedNodes.length;
		let lookAhead = 0;

		let current = Math.floor(startS * bucketsPerSecond);
		if (!(current >= 0)) current = 0; // no sources within maxSeconds
		while (pending < order.length || queued > 0) {
			if (current > maxBucket) break;
			if (
				pending < order.length &&
				Math.floor(seedTimeS[order[pending]] * bucketsPerSecond) <= current
			) {
				// Starts due in this bucket join it before it is settled.
				this.blocksUsed = blocksUsed;
				this.freeBlock = freeBlock;
				this.listQueued = queued;
				this.reachedLength = reachedCount;
				while (pending < order.length) {
					const seed = order[pending];
					if (Math.floor(seedTimeS[seed] * bucketsPerSecond) > current) break;
					pending++;
					this.listSeed(seed, bucketsPerSecond, ringMask);
				}
				blockNodes = this.blockNodes;
				blockNext = this.blockNext;
				blocksUsed = this.blocksUsed;
				freeBlock = this.freeBlock;
				queued = this.listQueued;
				reachedCount = this.reachedLength;
			}
			// Copy the bucket out of its blocks (nothing settled now can land in it).
			const slot = current & ringMask;
			let length = 0;
			let block = slotHead[slot];
			if (block !== -1) {
				const tail = slotTail[slot];
				for (;;) {
					const fill = block === tail ? slotFill[slot] : LIST_BLOCK;
					if (length + fill > bucketNodes.length) {
						const grown = new Int32Array(2 * (length + fill));
						grown.set(bucketNodes.subarray(0, length));
						bucketNodes = this.bucketNodes = grown;
					}
					const from = block * LIST_BLOCK;
					for (let i = 0; i < fill; i++) bucketNodes[length + i] = blockNodes[from + i];
					length += fill;
					const after = blockNext[block];
					blockNext[block] = freeBlock;
					freeBlock = block;
					if (block === tail) break;
					block = after;
				}
				slotHead[slot] = -1;
				slotTail[slot] = -1;
				slotFill[slot] = 0;
				bucketBits[slot >>> 5] &= ~(1 << (slot & 31));
				queued -= length;
			}
			// Small buckets (one 15-minute search) are cheaper without the extra loads.
			const lookAheadOn = length >= LOOK_AHEAD_MIN;
			for (let i = 0; i < length; i++) {
				if (lookAheadOn && (i & (LOOK_BATCH - 1)) === 0) {
					// Look ahead (see the method's comment): these loads only warm the cache, a
					// batch at a time so that their misses overlap.
					const farEnd = Math.min(i + 3 * LOOK_BATCH, length);
					for (let j = i + 2 * LOOK_BATCH; j < farEnd; j++) {
						const ahead = bucketNodes[j];
						lookAhead ^= firstEdge[ahead] ^ (nodeTimeS[ahead] < 0 ? 1 : 0);
					}
					const nearEnd = Math.min(i + 2 * LOOK_BATCH, length);
					for (let j = i + LOOK_BATCH; j < nearEnd; j++) {
						const e = firstEdge[bucketNodes[j]];
						lookAhead ^= edgeTarget[e] ^ (edgeLengthM[e] < 0 ? 1 : 0);
					}
					const batchEnd = Math.min(i + LOOK_BATCH, length);
					for (let j = i; j < batchEnd; j++) {
						const ahead = bucketNodes[j];
						const aheadEnd = firstEdge[ahead + 1];
						for (let e = firstEdge[ahead]; e < aheadEnd; e++) {
							lookAhead ^= nodeTimeS[edgeTarget[e]] < 0 ? 1 : 0;
						}
					}
				}
				const node = bucketNodes[i];
				const time = nodeTimeS[node];
				if (Math.floor(time * bucketsPerSecond) !== current) continue; // a stale entry
				if (reachedCount + maxReach > reachLimit) {
					this.reachedLength = reachedCount;
					this.ensureReach(maxReach);
					reachedNodes = this.reachedNodes;
					reachLimit = reachedNodes.length === nodeCount ? Infinity : reachedNodes.length;
				}
				const label = labels !== null ? labels[node] : 0;
				const edgeEnd = firstEdge[node + 1];
				for (let e = firstEdge[node]; e < edgeEnd; e++) {
					let target = edgeTarget[e];
					let reached: number;
					const degree = chains ? firstEdge[target + 1] - firstEdge[target] : 0;
					if (
						chains &&
						(degree === 1 || (degree === 2 && (forced[target >>> 5] & (1 << (target & 31))) === 0))
					) {
						this.reachedLength = reachedCount;
						target = this.walkChain(node, e, time, label, maxSeconds, walkSpeedMps, stepPenaltyS);
						reachedCount = this.reachedLength;
						if (target < 0) continue;
						reached = this.chainEndS;
					} else {
						let costS = unitSpeed ? edgeLengthM[e] : edgeLengthM[e] / walkSpeedMps;
						if (hasStepPenalty && (edgeFlags[e] & EDGE_FLAGS.steps) !== 0) costS += stepPenaltyS;
						reached = time + costS;
						if (reached > maxSeconds) continue;
					}
					const oldS = nodeTimeS[target];
					if (!(reached < oldS)) continue; // settled, or as soon already
					if (oldS === Infinity) {
						reachedNodes[reachedCount++] = target;
						lookAhead ^= firstEdge[target]; // warm the cache for its settling
					}
					nodeTimeS[target] = reached;
					if (labels !== null) labels[target] = label;
					const bucket = Math.floor(reached * bucketsPerSecond);
					if (oldS !== Infinity && bucket === Math.floor(oldS * bucketsPerSecond)) continue;
					// Queue it in its bucket (an entry in a later bucket turns stale).
					const ringSlot = bucket & ringMask;
					let tail = slotTail[ringSlot];
					let fill = slotFill[ringSlot];
					if (tail === -1 || fill === LIST_BLOCK) {
						let fresh = freeBlock;
						if (fresh !== -1) freeBlock = blockNext[fresh];
						else {
							if (blocksUsed === blockNext.length) {
								this.blocksUsed = blocksUsed;
								this.growBlocks();
								blockNodes = this.blockNodes;
								blockNext = this.blockNext;
							}
							fresh = blocksUsed++;
						}
						blockNext[fresh] = -1;
						if (tail === -1) {
							slotHead[ringSlot] = fresh;
							bucketBits[ringSlot >>> 5] |= 1 << (ringSlot & 31);
						} else blockNext[tail] = fresh;
						slotTail[ringSlot] = tail = fresh;
						fill = 0;
					}
					blockNodes[tail * LIST_BLOCK + fill] = target;
					slotFill[ringSlot] = fill + 1;
					queued++;
				}
			}
			// Next bucket: skip empty ones through the bitmap, up to the next due start.
			current++;
			if (queued === 0) {
				if (pending < order.length)
					current = Math.floor(seedTimeS[order[pending]] * bucketsPerSecond);
			} else {
				current = nextBucket(bucketBits, current, ringMask);
				if (pending < order.length) {
					const due = Math.floor(seedTimeS[order[pending]] * bucketsPerSecond);
					if (due < current) current = due;
				}
			}
		}
		this.reachedLength = reachedCount;
		this.lookAhead = lookAhead;
	}

	/** List mode: start seed `i` (queue it in its bucket unless it is already there as soon). */
	private listSeed(i: number, bucketsPerSecond: number, ringMask: number): void {
		const { nodeTimeS, slotHead, slotTail, slotFill, bucketBits } = this;
		const node = this.seedNode[i];
		const initialS = this.seedTimeS[i];
		const oldS = nodeTimeS[node];
		// A settled node has time ≤ initialS; on a tie the first listed wins.
		if (!(initialS < oldS)) return;
		if (oldS === Infinity) this.reachedNodes[this.reachedLength++] = node;
		const bucket = Math.floor(initialS * bucketsPerSecond);
		if (oldS === Infinity || bucket !== Math.floor(oldS * bucketsPerSecond)) {
			const slot = bucket & ringMask;
			let tail = slotTail[slot];
			let fill = slotFill[slot];
			if (tail === -1 || fill === LIST_BLOCK) {
				let fresh = this.freeBlock;
				if (fresh !== -1) this.freeBlock = this.blockNext[fresh];
				else {
					if (this.blocksUsed === this.blockNext.length) this.growBlocks();
					fresh = this.blocksUsed++;
				}
				this.blockNext[fresh] = -1;
				if (tail === -1) {
					slotHead[slot] = fresh;
					bucketBits[slot >>> 5] |= 1 << (slot & 31);
				} else this.blockNext[tail] = fresh;
				slotTail[slot] = tail = fresh;
				fill = 0;
			}
			this.blockNodes[tail * LIST_BLOCK + fill] = node;
			slotFill[slot] = fill + 1;
			this.listQueued++;
		}
		nodeTimeS[node] = initialS;
		if (this.labelled) this.nodeLabel![node] = this.seedLabel[i];
	}

	/** Double the list-mode block pool. */
	private growBlocks(): void {
		const blocks = 2 * this.blockNext.length;
		const nodes = new Int32Array(blocks * LIST_BLOCK);
		nodes.set(this.blockNodes);
		this.blockNodes = nodes;
		const next = new Int32Array(blocks);
		next.set(this.blockNext);
		this.blockNext = next;
	}

	/** Push (time, node) on the band heap. */
	private bandPush(time: number, node: number): void {
		if (this.bandSize === this.bandTime.length) {
			const grownTime = new Float64Array(this.bandSize * 2);
			grownTime.set(this.bandTime);
			this.bandTime = grownTime;
			this.bandNode = grownInt32(this.bandNode);
		}
		const bandTime = this.bandTime;
		const bandNode = this.bandNode;
		let at = this.bandSize++;
		while (at > 0) {
			const parent = (at - 1) >> 1;
			const parentTime = bandTime[parent];
			if (parentTime <= time) break;
			bandTime[at] = parentTime;
			bandNode[at] = bandNode[parent];
			at = parent;
		}
		bandTime[at] = time;
		bandNode[at] = node;
	}

	/** Remove the band's earliest entry and return its node (read bandTime[0] first). */
	private bandPopNode(): number {
		const bandTime = this.bandTime;
		const bandNode = this.bandNode;
		const top = bandNode[0];
		const size = --this.bandSize;
		if (size > 0) {
			const lastTime = bandTime[size];
			const lastNode = bandNode[size];
			let at = 0;
			for (;;) {
				let child = 2 * at + 1;
				if (child >= size) break;
				if (child + 1 < size && bandTime[child + 1] < bandTime[child]) child++;
				if (bandTime[child] >= lastTime) break;
				bandTime[at] = bandTime[child];
				bandNode[at] = bandNode[child];
				at = child;
			}
			bandTime[at] = lastTime;
			bandNode[at] = lastNode;
		}
		return top;
	}

	/**
	 * Bytes of every array this search holds beyond the graph's own buffer (times, labels,
	 * reached list, junction bits, queue), as grown by the runs so far.
	 */
	get allocatedBytes(): number {
		const arrays: (ArrayBufferView | null)[] = [
			this.nodeTimeS,
			this.nodeLabel,
			this.reachedNodes,
			this.forcedJunction,
			this.seedNode,
			this.seedTimeS,
			this.seedLabel,
			this.bucketHead,
			this.bucketBits,
			this.entryNode,
			this.entryNext,
			this.bandTime,
			this.bandNode,
			this.slotHead,
			this.slotTail,
			this.slotFill,
			this.blockNodes,
			this.blockNext,
			this.bucketNodes
		];
		return arrays.reduce((sum, array) => sum + (array?.byteLength ?? 0), 0);
	}

	/** Seconds from the nearest source to `node` after the last run; Infinity if not reached. */
	time(node: number): number {
		return this.nodeTimeS[node] ?? Infinity;
	}

	/** Label of the source that reached `node` first in the last run; -1 if not reached. */
	label(node: number): number {
		if (!(this.nodeTimeS[node] < Infinity)) return -1;
		return this.labelled ? this.nodeLabel![node] : this.runLabel;
	}

	/**
	 * Nodes reached within maxSeconds in the last run, each once, in the order they were first
	 * reached (not sorted by time: a node first reached by one path may be reached sooner by
	 * another later). A view into reused storage: copy it (`.slice()`) to keep it past the next
	 * run.
	 */
	settled(): Uint32Array {
		return this.reachedNodes.subarray(0, this.reachedLength);
	}

	/** Number of nodes reached in the last run (the length of `settled()`). */
	get reachedCount(): number {
		return this.reachedLength;
	}

	/**
	 * Copy the last run's reached nodes (as `settled()` lists them) and their times into `nodes`
	 * and `timeS` from index `at`, in one pass: what a catchment keeps, without a `time()` call
	 * per node.
	 * @returns the number of nodes copied (`reachedCount`)
	 * @throws RangeError when the arrays have fewer than at + reachedCount entries
	 */
	copyReached(nodes: Uint32Array, timeS: Float64Array, at = 0): number {
		const count = this.reachedLength;
		if (!(at >= 0 && at + count <= nodes.length && at + count <= timeS.length)) {
			throw new RangeError(
				`copyReached: ${count} nodes from index ${at} do not fit arrays of ${nodes.length} and ${timeS.length} entries`
			);
		}
		const { reachedNodes, nodeTimeS } = this;
		for (let i = 0; i < count; i++) {
			const node = reachedNodes[i];
			nodes[at + i] = node;
			timeS[at + i] = nodeTimeS[node];
		}
		return count;
	}

	/**
	 * Full per-node arrays of the last run (new arrays unless `out` is given).
	 * @returns timeS (Infinity = not reached) and sourceLabel (-1 = not reached), one entry per node
	 */
	results(out?: { timeS: Float64Array; sourceLabel: Int32Array }): {
		timeS: Float64Array;
		sourceLabel: Int32Array;
	} {
		const n = this.graph.nodeCount;
		const timeS = out?.timeS ?? new Float64Array(n);
		const sourceLabel = out?.sourceLabel ?? new Int32Array(n);
		timeS.set(this.nodeTimeS);
		sourceLabel.fill(-1);
		const { reachedNodes, nodeLabel } = this;
		for (let i = 0; i < this.reachedLength; i++) {
			const node = reachedNodes[i];
			sourceLabel[node] = this.labelled ? nodeLabel![node] : this.runLabel;
		}
		return { timeS, sourceLabel };
	}

	/**
	 * Seconds to a point on an edge after the last run (see `pointSources`):
	 * min(time(fromNode) + offsetM / speed, time(toNode) + (lengthM − offsetM) / speed).
	 * May exceed the run's maxSeconds (both end nodes within it, the middle beyond).
	 */
	timeToPoint(point: EdgePoint, walkSpeedMps: number = WALK_SPEED_MPS.default): number {
		return Math.min(
			this.time(point.fromNode) + point.offsetM / walkSpeedMps,
			this.time(point.toNode) + (point.lengthM - point.offsetM) / walkSpeedMps
		);
	}
}

const EMPTY_ORDER = new Int32Array(0);

/**
 * The first non-empty bucket from `current` on, through the ring's bitmap (32 buckets a word).
 * At least one bucket of the ring must be non-empty.
 */
function nextBucket(bucketBits: Uint32Array, current: number, ringMask: number): number {
	let slot = current & ringMask;
	let word = bucketBits[slot >>> 5] >>> (slot & 31);
	while (word === 0) {
		// Advance to the start of the next 32-slot word.
		current += 32 - (slot & 31);
		slot = current & ringMask;
		word = bucketBits[slot >>> 5];
	}
	return current + 31 - Math.clz32(word & -word); // lowest set bit
}

/** Indices of the first `count` seed times, stably sorted by time. */
function sortedSeeds(seedTimeS: Float64Array, count: number): Int32Array {
	const order = new Int32Array(count);
	for (let i = 0; i < count; i++) order[i] = i;
	return order.sort((a, b) => seedTimeS[a] - seedTimeS[b] || a - b);
}

function grownInt32(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
	const grown = new Int32Array(array.length * 2);
	grown.set(array);
	return grown;
}

function checkOptions(walkSpeedMps: number, maxSeconds: number, stepPenaltyS: number): void {
	if (!(walkSpeedMps > 0 && walkSpeedMps < Infinity)) {
		throw new SearchInputError(
			`walkSpeedMps ${walkSpeedMps} must be a finite number > 0 (metres per second; ${WALK_SPEED_MPS.default.toFixed(1)} default, ${WALK_SPEED_MPS.frail.toFixed(1)} frail)`
		);
	}
	if (!(maxSeconds >= 0)) {
		throw new SearchInputError(`maxSeconds ${maxSeconds} must be ≥ 0 (seconds, or Infinity)`);
	}
	if (!(stepPenaltyS >= 0 && stepPenaltyS < Infinity)) {
		throw new SearchInputError(
			`stepPenaltyS ${stepPenaltyS} must be a finite number ≥ 0 (seconds per steps edge)`
		);
	}
}

/**
 * The two search sources of a point on an edge (a gate or a facility door after snapping):
 * `fromNode` at offsetM / speed and `toNode` at (lengthM − offsetM) / speed seconds.
 * @example search.run(pointSources(door, 0), { maxSeconds: 900 })
 */
export function pointSources(
	point: EdgePoint,
	label: number,
	walkSpeedMps: number = WALK_SPEED_MPS.default
): SearchSource[] {
	return [
		{ node: point.fromNode, initialS: point.offsetM / walkSpeedMps, label },
		{ node: point.toNode, initialS: (point.lengthM - point.offsetM) / walkSpeedMps, label }
	];
}

/**
 * Time to the nearest source and which source, for every node, from one multi-source search.
 *
 * @param graph the road graph
 * @param sources facility starts; `label` is the facility index reported in `facility`
 * @param options as for WalkSearch.run (maxSeconds bounds the search; default Infinity)
 * @param search a WalkSearch on `graph` to reuse (default: a new one)
 * @returns timeS (seconds, Infinity = beyond maxSeconds or unreachable) and facility (label,
 *   -1 = none), one entry per node
 * @example const { timeS, facility } = nearestFacility(graph, doors.flatMap((d, i) => pointSources(d, i)), {})
 */
export function nearestFacility(
	graph: RoadGraph,
	sources: readonly SearchSource[],
	options: SearchOptions = {},
	search: WalkSearch = new WalkSearch(graph)
): { timeS: Float64Array; facility: Int32Array } {
	if (search.graph !== graph)
		throw new SearchInputError('the WalkSearch given was built on another graph');
	search.run(sources, options);
	const { timeS, sourceLabel } = search.results();
	return { timeS, facility: sourceLabel };
}

/** One facility's catchment: the nodes it reaches within maxSeconds, in settle order (see WalkSearch.settled). */
export interface Catchment {
	/** Index of the facility in the input list. */
	facility: number;
	/** Reached nodes in settle order. */
	nodes: Uint32Array;
	/** Seconds to each node of `nodes` (same order). */
	timeS: Float64Array;
}

/**
 * One bounded search per facility, reusing one WalkSearch: the nodes each facility reaches
 * within `options.maxSeconds` (set it: unbounded catchments cover the whole network).
 *
 * @param facilities each facility's sources (e.g. `pointSources(door, i)`; labels are ignored)
 * @example const circles = catchments(graph, doors.map((d) => ({ sources: pointSources(d, 0) })), { maxSeconds: 900 })
 */
export function catchments(
	graph: RoadGraph,
	facilities: readonly { sources: readonly SearchSource[] }[],
	options: SearchOptions = {},
	search: WalkSearch = new WalkSearch(graph)
): Catchment[] {
	if (search.graph !== graph)
		throw new SearchInputError('the WalkSearch given was built on another graph');
	return facilities.map(({ sources }, facility) => {
		search.run(sources, options);
		const nodes = new Uint32Array(search.reachedCount);
		const timeS = new Float64Array(nodes.length);
		search.copyReached(nodes, timeS);
		return { facility, nodes, timeS };
	});
}
