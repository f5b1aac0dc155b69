/**
 * Walking-time searches on the RoadGraph: bounded single- and multi-source Dijkstra, nearest
 * facility for every node, per-facility catchments.
 *
 * Why it is shaped so (measured with `npm run bench` on a shared 2-core machine; ratios are
 * our time ÷ the straightforward CSR Dijkstra's, figures in bench/results.json):
 * - Junctions and chains. Every vertex of an OSM way is a node, so most nodes have exactly two
 *   edges (87 % in Monaco, 66 % in the Shanghai demo): they only pass time along. The queue
 *   holds junctions only (nodes with another number of edges); settling a junction walks each
 *   of its chains step by step, `time = time + cost` in Float64 as a plain Dijkstra adds them,
 *   giving each chain node the time if it is better, and queues the junction at the chain's end.
 *   A walk stops at a chain node that already has a time as good (whoever gave it that time
 *   walks on from there), and at maxSeconds. A source on a chain node walks its chain both ways
 *   first and starts the junctions at its ends. Dead ends (one edge) relay nothing, so they
 *   take their time like chain nodes and are never queued either (a fifth of the junctions).
 *   The steps of every junction's chains are laid out in one array (8 bytes per directed
 *   edge: target with flags, Float32 length) in walk order, so a chain is read front to back.
 *   Against the same queue relaxing every node: Monaco multi-source 0.65 → 0.25, one 15-minute
 *   search 0.75 → 0.35; Shanghai 0.59 → 0.41 and 0.78 → 0.49 (runs repeated back to back).
 * - All state is flat and reused between runs. One 16-byte record per node (Float64 time,
 *   Int32 mark, Int32 label) so a visit touches one cache line; the mark is `runBase + state`,
 *   so a record left by an earlier run reads as "unvisited" with no reset: a 15-minute search
 *   that touches 400 nodes of a 1 M-node graph costs 400 nodes of work, not a 1 M-entry fill.
 * - The priority queue is a bucket queue (Dial) on a ring of buckets 1/8 s wide: a singly
 *   linked list per bucket in an entry pool with a free list, a bitmap to skip empty buckets
 *   32 at a time. A node whose time drops to an earlier bucket gets a new entry; the old one is
 *   skipped later. When the search reaches a bucket its nodes move into a small binary heap
 *   (the "band") and leave it in exact time order; only the heap holds one bucket, not the
 *   whole frontier (searchBand). A plain heap of junctions instead measured 10–20 % slower;
 *   buckets of 1, 1/2, 1/4 or 1/16 s, no different.
 * - When every edge costs at least two bucket widths (generated grids; never OSM networks,
 *   whose shortest segments are centimetres), the buckets are widened to half the cheapest edge
 *   and settled first in, first out with no heap (Dial's exact case: nothing in a bucket can
 *   improve anything else in it), from FIFO blocks, warming the cache a batch of nodes ahead
 *   (searchLists; the 1 M-node grid's nearest facility for every node 0.50–0.60 → 0.29–0.35).
 * - Nodes whose tentative time exceeds maxSeconds are never queued nor stamped: every stamped
 *   node is reached, so reading a result is one compare.
 * - Tried and not kept: numbering chain nodes along their chains inside the search (≤ 5 %);
 *   step ranges inside 24- or 32-byte node records (no gain on OSM graphs, slower on the grid);
 *   sorting list-mode buckets by node (no gain); reading every array once at the start of a
 *   run to warm the cache (Monaco multi-source 0.40 → 0.27, but one 15-minute search 0.37 →
 *   0.50: a run cannot know beforehand how much of the graph it will touch).
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

/** Node states, stored as `runBase + state` in the mark slot so a stale run reads as "unvisited". */
const QUEUED = 0;
const IN_BAND = 1;
/** Settled (junctions) or reached (chain nodes, whose time may still drop until the run ends). */
const SETTLED = 2;
/** Default bucket width 1/8 s: a few nodes per bucket on dense multi-source searches. */
const DEFAULT_BUCKETS_PER_SECOND = 8;
/** The ring never exceeds this many buckets (coarser buckets on graphs with very long chains). */
const MAX_RING_BUCKETS = 1 << 18;
/** Largest runBase before the marks are cleared and counting restarts (Int32 marks). */
const MAX_RUN_BASE = 0x7ffffff0;
/**
 * Chain step word: node index in the low 29 bits, DEAD_END_FLAG, STEP_FLAG for a steps edge, and
 * the sign bit (LAST_FLAG) on the last step of a chain.
 */
const NODE_MASK = 0x1fffffff;
/** On a last step: the chain ends at a dead end (one edge), which is never queued. */
const DEAD_END_FLAG = 0x20000000;
const STEP_FLAG = 0x40000000;
const LAST_FLAG = 0x80000000 | 0;
/** Nodes per block of a list-mode bucket. */
const LIST_BLOCK = 128;
/** List mode warms the cache for the nodes of a bucket this many at a time (a power of 2). */
const LOOK_BATCH = 16;

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
	 * Per-node record of 16 bytes, one cache line access per visit: Float64 seconds at
	 * [2 node] (nodeTimeS), and as Int32 at [4 node + 2] the mark (runBase + state) and at
	 * [4 node + 3] the source label (nodeInts). Valid only where mark ≥ runBase.
	 */
	private readonly nodeTimeS: Float64Array;
	private readonly nodeInts: Int32Array;
	/** Nodes reached in the last run, in the order they were first reached (the first settledCount entries). */
	private readonly settledNodes: Uint32Array;
	private settledCount = 0;
	/** 4 × run number: marks below it belong to earlier runs. */
	private runBase = 0;
	/**
	 * The chains of every junction, one step per directed edge (8 bytes: [2 k] word, [2 k + 1]
	 * Float32 length in metres): junction u's chains are steps nodeSteps[2 u] ..
	 * nodeSteps[2 u + 1] - 1, one chain per edge of u in CSR order, each ending with a step to
	 * a junction (LAST_FLAG).
	 */
	private readonly stepWords: Int32Array;
	private readonly stepLengths: Float32Array;
	/**
	 * Two Int32 per node (one cache line access): for a junction its steps, first and end
	 * (first ≥ 0); for a chain node the steps that lead to it on its chain in each direction,
	 * the first stored as −1 − step (so a negative first marks a chain node). A source on a
	 * chain node walks on from the step after each.
	 */
	private readonly nodeSteps: Int32Array;
	/** Longest chain in metres and most steps edges on one chain: bound how far ahead a junction can be queued. */
	private readonly maxChainLengthM: number;
	private readonly maxChainSteps: number;
	/** Shortest edge, metres: when buckets can be half of it wide, no ordering inside them is needed. */
	private readonly minEdgeLengthM: number;
	private readonly bucketsPerSecond: number;
	/** Junction starts of a run: the sources on junctions and the junctions ending a source's chain. */
	private seedNode = new Int32Array(64);
	private seedTimeS = new Float64Array(64);
	private seedLabel = new Int32Array(64);
	/** Ring of bucket list heads (entry index, -1 = empty). */
	private bucketHead = new Int32Array(0);
	/** One bit per ring slot, set while its list may be non-empty: empty buckets are skipped 32 at a time. */
	private bucketBits = new Uint32Array(1);
	/**
	 * Bucket entries: node and next entry, in a pool with a free list. A node whose time drops
	 * to an earlier bucket gets a new entry; the old one is skipped when its bucket is drained
	 * (the node is no longer QUEUED by then).
	 */
	private entryNode = new Int32Array(4096);
	private entryNext = new Int32Array(4096);
	/** The band: a binary heap of the current bucket's nodes (time, node), with duplicates. */
	private bandTime = new Float64Array(1024);
	private bandNode = new Int32Array(1024);
	private bandSize = 0;
	/**
	 * List mode (see searchLists): each ring slot is a FIFO of blocks of LIST_BLOCK nodes from a
	 * pool with a free list; slotHead/slotTail are block indices (-1 = empty), slotFill the
	 * nodes in the tail block.
	 */
	private slotHead = new Int32Array(0);
	private slotTail = new Int32Array(0);
	private slotFill = new Int32Array(0);
	private blockNodes = new Int32Array(64 * LIST_BLOCK);
	private blockNext = new Int32Array(64);
	private blocksUsed = 0;
	private freeBlock = -1;
	private listQueued = 0;
	/** The bucket being settled in list mode, copied out of its blocks. */
	private bucketNodes = new Int32Array(1024);
	/** Sink of the look-ahead loads (see searchLists); never read. */
	private lookAhead = 0;

	/**
	 * @param graph the road graph to search
	 * @param tuning.bucketsPerSecond queue bucket resolution (default 8 = 1/8 s buckets);
	 *   changes speed only, never results
	 * @throws SearchInputError when the graph has 2^29 nodes or more
	 */
	constructor(graph: RoadGraph, tuning: { bucketsPerSecond?: number } = {}) {
		this.graph = graph;
		const n = graph.nodeCount;
		if (n > NODE_MASK) {
			throw new SearchInputError(`a graph of ${n} nodes is too large (at most ${NODE_MASK})`);
		}
		const records = new ArrayBuffer(16 * n);
		this.nodeTimeS = new Float64Array(records);
		this.nodeInts = new Int32Array(records);
		this.settledNodes = new Uint32Array(n);
		this.bucketsPerSecond = tuning.bucketsPerSecond ?? DEFAULT_BUCKETS_PER_SECOND;
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = graph;
		const m = graph.edgeCount;
		let shortest = Infinity;
		for (let e = 0; e < m; e++) if (edgeLengthM[e] < shortest) shortest = edgeLengthM[e];
		this.minEdgeLengthM = m > 0 ? shortest : 0;

		// Junctions: every node but those with exactly two edges to other nodes. A ring of chain
		// nodes with no junction on it gets one (its first node), so every edge lies on a chain.
		const junction = new Uint8Array(n);
		for (let node = 0; node < n; node++) {
			const a = firstEdge[node];
			junction[node] =
				firstEdge[node + 1] - a !== 2 || edgeTarget[a] === node || edgeTarget[a + 1] === node
					? 1
					: 0;
		}
		const onChain = new Uint8Array(n);
		const markChains = (node: number) => {
			for (let e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
				let previous = node;
				let edge = e;
				let next = edgeTarget[edge];
				while (junction[next] === 0 && onChain[next] === 0) {
					onChain[next] = 1;
					const after = this.otherEdge(next, previous, edge);
					previous = next;
					edge = after;
					next = edgeTarget[edge];
				}
			}
		};
		for (let node = 0; node < n; node++) if (junction[node] === 1) markChains(node);
		for (let node = 0; node < n; node++) {
			if (junction[node] === 0 && onChain[node] === 0) {
				junction[node] = 1;
				markChains(node);
			}
		}

		// Lay the chains out junction by junction, in node order.
		const steps = new ArrayBuffer(8 * m);
		const words = new Int32Array(steps);
		const lengths = new Float32Array(steps);
		const nodeSteps = new Int32Array(2 * n);
		let k = 0;
		let longestM = 0;
		let mostSteps = 0;
		for (let node = 0; node < n; node++) {
			if (junction[node] === 0) continue;
			nodeSteps[2 * node] = k;
			for (let e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
				let previous = node;
				let edge = e;
				let chainM = 0;
				let chainSteps = 0;
				for (;;) {
					if (k === m)
						throw new Error('WalkSearch: the chains hold more steps than the graph has edges');
					const next = edgeTarget[edge];
					const steps = edgeFlags[edge] & EDGE_FLAGS.steps;
					words[2 * k] =
						next |
						(steps ? STEP_FLAG : 0) |
						(junction[next] === 1 ? LAST_FLAG : 0) |
						(firstEdge[next + 1] - firstEdge[next] === 1 ? DEAD_END_FLAG : 0);
					lengths[2 * k + 1] = edgeLengthM[edge];
					k++;
					chainM += edgeLengthM[edge];
					if (steps) chainSteps++;
					if (junction[next] === 1) break;
					if (nodeSteps[2 * next] === 0) nodeSteps[2 * next] = -k;
					else nodeSteps[2 * next + 1] = k - 1;
					const after = this.otherEdge(next, previous, edge);
					previous = next;
					edge = after;
				}
				if (chainM > longestM) longestM = chainM;
				if (chainSteps > mostSteps) mostSteps = chainSteps;
			}
			nodeSteps[2 * node + 1] = k;
		}
		if (k !== m) throw new Error(`WalkSearch: the chains hold ${k} steps for ${m} edges`);
		this.stepWords = words;
		this.stepLengths = lengths;
		this.nodeSteps = nodeSteps;
		// Summed in Float64 from Float32 lengths: a bound, rounded up a little for safety.
		this.maxChainLengthM = longestM * (1 + 1e-9) + 1e-9;
		this.maxChainSteps = mostSteps;
	}

	/**
	 * The edge that leaves chain node `node` on the far side from `previous`, having arrived by
	 * `inEdge` (previous → node). With both edges to the same neighbour, the one that is not
	 * inEdge's reverse (not of its length and flags; either when both are).
	 */
	private otherEdge(node: number, previous: number, inEdge: number): number {
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = this.graph;
		const a = firstEdge[node];
		if (edgeTarget[a] !== edgeTarget[a + 1]) return edgeTarget[a] === previous ? a + 1 : a;
		return edgeLengthM[a] === edgeLengthM[inEdge] && edgeFlags[a] === edgeFlags[inEdge] ? a + 1 : a;
	}

	/**
	 * The run's junction starts: sources on junctions as given; a source on a chain node is
	 * set there and walked along its chain both ways, and the junctions at the chain's ends
	 * become starts at the times reached. Returns the number of starts.
	 */
	private seed(
		sources: readonly SearchSource[],
		walkSpeedMps: number,
		maxSeconds: number,
		stepPenaltyS: number,
		base: number
	): number {
		const { nodeTimeS, nodeInts, settledNodes, nodeSteps, stepWords, stepLengths } = this;
		const { firstEdge } = this.graph;
		let { seedNode, seedTimeS, seedLabel } = this;
		let count = 0;
		let settledCount = this.settledCount;
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
			const first = nodeSteps[2 * node];
			// A dead end is started like a chain node, with its one chain to walk.
			const deadEnd = first >= 0 && firstEdge[node + 1] - firstEdge[node] === 1;
			if (first >= 0 && !deadEnd) {
				seedNode[count] = node;
				seedTimeS[count] = initialS;
				seedLabel[count++] = label;
				continue;
			}
			if (nodeInts[4 * node + 2] >= base) {
				if (!(initialS < nodeTimeS[2 * node])) continue; // first listed wins a tie
			} else {
				nodeInts[4 * node + 2] = base + SETTLED;
				settledNodes[settledCount++] = node;
			}
			nodeTimeS[2 * node] = initialS;
			nodeInts[4 * node + 3] = label;
			for (let side = deadEnd ? 1 : 0; side < 2; side++) {
				let walkS = initialS;
				let k = deadEnd ? first : (side === 0 ? -1 - first : nodeSteps[2 * node + 1]) + 1;
				for (; ; k++) {
					const word = stepWords[2 * k];
					let costS = stepLengths[2 * k + 1] / walkSpeedMps;
					if ((word & STEP_FLAG) !== 0) costS += stepPenaltyS;
					walkS = walkS + costS;
					if (walkS > maxSeconds) break;
					const target = word & NODE_MASK;
					if (word < 0 && (word & DEAD_END_FLAG) === 0) {
						seedNode[count] = target;
						seedTimeS[count] = walkS;
						seedLabel[count++] = label;
						break;
					}
					// A chain node, or the dead end that ends the chain.
					if (nodeInts[4 * target + 2] >= base) {
						// Reached as soon or sooner: whoever reached it carries on from there.
						if (!(walkS < nodeTimeS[2 * target])) break;
					} else {
						nodeInts[4 * target + 2] = base + SETTLED;
						settledNodes[settledCount++] = target;
					}
					nodeTimeS[2 * target] = walkS;
					nodeInts[4 * target + 3] = label;
					if (word < 0) break;
				}
			}
		}
		this.settledCount = settledCount;
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
		}

		// A new run base; on wrap-around, forget every old mark once.
		if (this.runBase >= MAX_RUN_BASE) {
			for (let node = 0; node < nodeCount; node++) this.nodeInts[4 * node + 2] = 0;
			this.runBase = 0;
		}
		const base = (this.runBase += 4);
		this.settledCount = 0;
		this.bandSize = 0;

		// Sources on chain nodes walk their chain now; the search proper runs on junctions.
		const seedCount = this.seed(sources, walkSpeedMps, maxSeconds, stepPenaltyS, base);
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
		while ((maxChainCostS + 1) * bucketsPerSecond + 3 > MAX_RING_BUCKETS) bucketsPerSecond /= 2;
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
		const sourcesDirect = (spreadS + maxChainCostS + 1) * bucketsPerSecond + 3 <= MAX_RING_BUCKETS;
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
				base,
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
				base,
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
	 */
	private searchBand(
		base: number,
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
		const { bucketHead, bucketBits, seedNode, seedTimeS, seedLabel } = this;
		const ringMask = ringSize - 1;
		const maxBucket = Math.floor(maxSeconds * bucketsPerSecond); // Infinity when unbounded
		const hasStepPenalty = stepPenaltyS !== 0;
		let pending = 0;

		const { nodeTimeS, nodeInts, settledNodes, stepWords, stepLengths, nodeSteps } = this;
		let entryNode = this.entryNode;
		let entryNext = this.entryNext;
		let entriesUsed = 0;
		let freeEntry = -1;
		/** Entries in bucket lists, stale ones included: the loop ends when none are left. */
		let liveEntries = 0;
		let settledCount = this.settledCount;

		if (order.length === 0) {
			for (let i = 0; i < seedCount; i++) {
				const node = seedNode[i];
				const initialS = seedTimeS[i];
				const state = nodeInts[4 * node + 2] - base; // unvisited (< 0) or QUEUED here
				if (state >= 0 && !(initialS < nodeTimeS[2 * node])) continue; // first listed wins a tie
				const bucket = Math.floor(initialS * bucketsPerSecond);
				if (state < 0 || bucket !== Math.floor(nodeTimeS[2 * node] * bucketsPerSecond)) {
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
				nodeInts[4 * node + 2] = base + QUEUED;
				nodeTimeS[2 * node] = initialS;
				nodeInts[4 * node + 3] = seedLabel[i];
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
				const state = nodeInts[4 * node + 2] - base;
				// A node settled in an earlier bucket has time ≤ initialS; a QUEUED node's list
				// entry turns stale once it is IN_BAND.
				if (state >= 0 && !(initialS < nodeTimeS[2 * node])) continue;
				nodeInts[4 * node + 2] = base + IN_BAND;
				this.bandPush(initialS, node);
				nodeTimeS[2 * node] = initialS;
				nodeInts[4 * node + 3] = seedLabel[seed];
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
					if (nodeInts[4 * node + 2] === base + QUEUED) loneNode = node;
				} else {
					// Move the bucket's nodes into the band, which sorts them by time.
					while (entry !== -1) {
						const node = entryNode[entry];
						const after = entryNext[entry];
						entryNext[entry] = freeEntry;
						freeEntry = entry;
						liveEntries--;
						if (nodeInts[4 * node + 2] === base + QUEUED) {
							nodeInts[4 * node + 2] = base + IN_BAND;
							this.bandPush(nodeTimeS[2 * node], node);
						}
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
					time = nodeTimeS[2 * node];
				} else {
					if (this.bandSize === 0) break;
					time = this.bandTime[0];
					node = this.bandPopNode();
					if (nodeInts[4 * node + 2] === base + SETTLED) continue; // a stale duplicate
				}
				nodeInts[4 * node + 2] = base + SETTLED;
				settledNodes[settledCount++] = node;
				const label = nodeInts[4 * node + 3];
				// Walk each chain of the junction: chain nodes take the time if it is better, the
				// junction at the end is queued.
				const stepEnd = nodeSteps[2 * node + 1];
				let walkS = time;
				for (let k = nodeSteps[2 * node]; k < stepEnd; k++) {
					const word = stepWords[2 * k];
					let costS = stepLengths[2 * k + 1] / walkSpeedMps;
					if (hasStepPenalty && (word & STEP_FLAG) !== 0) costS += stepPenaltyS;
					const reached = walkS + costS;
					const target = word & NODE_MASK;
					if (word >= 0) {
						// A chain node. Beyond maxSeconds, or reached as soon or sooner already
						// (whoever reached it carries on from there): skip the rest of the chain.
						const mark = nodeInts[4 * target + 2];
						if (reached > maxSeconds || (mark >= base && !(reached < nodeTimeS[2 * target]))) {
							while (stepWords[2 * k] >= 0) k++;
							walkS = time;
							continue;
						}
						if (mark < base) {
							nodeInts[4 * target + 2] = base + SETTLED;
							settledNodes[settledCount++] = target;
						}
						nodeTimeS[2 * target] = reached;
						nodeInts[4 * target + 3] = label;
						walkS = reached;
						continue;
					}
					walkS = time; // the next step starts the next chain
					if (reached > maxSeconds) continue;
					if ((word & DEAD_END_FLAG) !== 0) {
						// A dead end relays nothing: it takes the time like a chain node, unqueued.
						const mark = nodeInts[4 * target + 2];
						if (mark >= base) {
							if (!(reached < nodeTimeS[2 * target])) continue;
						} else {
							nodeInts[4 * target + 2] = base + SETTLED;
							settledNodes[settledCount++] = target;
						}
						nodeTimeS[2 * target] = reached;
						nodeInts[4 * target + 3] = label;
						continue;
					}
					const state = nodeInts[4 * target + 2] - base;
					if (state >= 0 && (state === SETTLED || !(reached < nodeTimeS[2 * target]))) continue;
					const bucket = Math.floor(reached * bucketsPerSecond);
					if (state === QUEUED && bucket === Math.floor(nodeTimeS[2 * target] * bucketsPerSecond)) {
						// Same bucket: its entry stays valid.
					} else if (bucket <= current || state === IN_BAND) {
						nodeInts[4 * target + 2] = base + IN_BAND;
						this.bandPush(reached, target);
					} else {
						nodeInts[4 * target + 2] = base + QUEUED;
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
					nodeTimeS[2 * target] = reached;
					nodeInts[4 * target + 3] = label;
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
		this.settledCount = settledCount;
	}

	/**
	 * The search proper in Dial's exact case (every edge at least two buckets long): a bucket's
	 * junctions cannot improve one another, so each bucket is settled first in, first out with
	 * no heap. Buckets are FIFOs of blocks; when the search reaches one, its nodes are copied
	 * into one array and settled in the order they were queued (which follows the order their
	 * neighbours were settled in, so nearby nodes come together). This mode is memory-bound
	 * on big graphs (a 1 M-node grid's node records and steps are 52 MB, most of them first
	 * touched when the search gets there) and JavaScript has no prefetch, so it warms the cache
	 * itself, LOOK_BATCH nodes at a time: before settling nodes i … i+15 it loads the CSR
	 * offsets of nodes i+32 … i+47, the first step of nodes i+16 … i+31 (offsets loaded one
	 * batch earlier) and the records of the targets of nodes i … i+15 (steps loaded one batch
	 * earlier). Each group is a few independent loads in a tight loop, so their misses overlap
	 * instead of stalling one by one. On the grid's 500-source searches: 0.50–0.55 → 0.29 of
	 * the straightforward Dijkstra's time for every node, 0.55 → 0.36 for 15 minutes; loading
	 * the same data one node at a time, 16 and 32 nodes ahead, gained only 10–20 %, and with
	 * the target records as well it was slower.
	 */
	private searchLists(
		base: number,
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
		const { slotHead, slotTail, slotFill, bucketBits, seedTimeS } = this;
		const ringMask = ringSize - 1;
		const maxBucket = Math.floor(maxSeconds * bucketsPerSecond); // Infinity when unbounded
		const hasStepPenalty = stepPenaltyS !== 0;
		this.blocksUsed = 0;
		this.freeBlock = -1;
		this.listQueued = 0;
		let pending = 0;

		if (order.length === 0) {
			for (let i = 0; i < seedCount; i++) this.listSeed(base, i, bucketsPerSecond, ringMask);
		}
		const { nodeTimeS, nodeInts, settledNodes, stepWords, stepLengths, nodeSteps } = this;
		let blockNodes = this.blockNodes;
		let blockNext = this.blockNext;
		let blocksUsed = this.blocksUsed;
		let freeBlock = this.freeBlock;
		/** Nodes in the bucket FIFOs, stale ones included: the loop ends when none are left. */
		let queued = this.listQueued;
		let bucketNodes = this.bucketNodes;
		let settledCount = this.settledCount;
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
				while (pending < order.length) {
					const seed = order[pending];
					if (Math.floor(seedTimeS[seed] * bucketsPerSecond) > current) break;
					pending++;
					this.listSeed(base, seed, bucketsPerSecond, ringMask);
				}
				blockNodes = this.blockNodes;
				blockNext = this.blockNext;
				blocksUsed = this.blocksUsed;
				freeBlock = this.freeBlock;
				queued = this.listQueued;
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
			for (let i = 0; i < length; i++) {
				if ((i & (LOOK_BATCH - 1)) === 0) {
					// Look ahead (see the method's comment): these loads only warm the cache, a
					// batch at a time so that their misses overlap.
					const farEnd = Math.min(i + 3 * LOOK_BATCH, length);
					for (let j = i + 2 * LOOK_BATCH; j < farEnd; j++)
						lookAhead ^= nodeSteps[2 * bucketNodes[j]];
					const nearEnd = Math.min(i + 2 * LOOK_BATCH, length);
					for (let j = i + LOOK_BATCH; j < nearEnd; j++) {
						lookAhead ^= stepWords[2 * nodeSteps[2 * bucketNodes[j]]];
					}
					const batchEnd = Math.min(i + LOOK_BATCH, length);
					for (let j = i; j < batchEnd; j++) {
						const ahead = bucketNodes[j];
						const aheadEnd = nodeSteps[2 * ahead + 1];
						for (let k = nodeSteps[2 * ahead]; k < aheadEnd; k++) {
							lookAhead ^= nodeInts[4 * (stepWords[2 * k] & NODE_MASK) + 2];
						}
					}
				}
				const node = bucketNodes[i];
				if (nodeInts[4 * node + 2] !== base + QUEUED) continue; // a stale entry
				const time = nodeTimeS[2 * node];
				nodeInts[4 * node + 2] = base + SETTLED;
				settledNodes[settledCount++] = node;
				const label = nodeInts[4 * node + 3];
				const stepEnd = nodeSteps[2 * node + 1];
				let walkS = time;
				for (let k = nodeSteps[2 * node]; k < stepEnd; k++) {
					const word = stepWords[2 * k];
					let costS = stepLengths[2 * k + 1] / walkSpeedMps;
					if (hasStepPenalty && (word & STEP_FLAG) !== 0) costS += stepPenaltyS;
					const reached = walkS + costS;
					const target = word & NODE_MASK;
					if (word >= 0) {
						// A chain node (as in searchBand).
						const mark = nodeInts[4 * target + 2];
						if (reached > maxSeconds || (mark >= base && !(reached < nodeTimeS[2 * target]))) {
							while (stepWords[2 * k] >= 0) k++;
							walkS = time;
							continue;
						}
						if (mark < base) {
							nodeInts[4 * target + 2] = base + SETTLED;
							settledNodes[settledCount++] = target;
						}
						nodeTimeS[2 * target] = reached;
						nodeInts[4 * target + 3] = label;
						walkS = reached;
						continue;
					}
					walkS = time; // the next step starts the next chain
					if (reached > maxSeconds) continue;
					if ((word & DEAD_END_FLAG) !== 0) {
						// A dead end relays nothing: it takes the time like a chain node, unqueued.
						const mark = nodeInts[4 * target + 2];
						if (mark >= base) {
							if (!(reached < nodeTimeS[2 * target])) continue;
						} else {
							nodeInts[4 * target + 2] = base + SETTLED;
							settledNodes[settledCount++] = target;
						}
						nodeTimeS[2 * target] = reached;
						nodeInts[4 * target + 3] = label;
						continue;
					}
					const state = nodeInts[4 * target + 2] - base;
					if (state >= 0 && (state === SETTLED || !(reached < nodeTimeS[2 * target]))) continue;
					const bucket = Math.floor(reached * bucketsPerSecond);
					if (state !== QUEUED || bucket !== Math.floor(nodeTimeS[2 * target] * bucketsPerSecond)) {
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
						nodeInts[4 * target + 2] = base + QUEUED;
					}
					nodeTimeS[2 * target] = reached;
					nodeInts[4 * target + 3] = label;
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
		this.settledCount = settledCount;
		this.lookAhead = lookAhead;
	}

	/** List mode: start seed `i` (queue it in its bucket unless it is already there as soon). */
	private listSeed(base: number, i: number, bucketsPerSecond: number, ringMask: number): void {
		const { nodeTimeS, nodeInts, slotHead, slotTail, slotFill, bucketBits } = this;
		const node = this.seedNode[i];
		const initialS = this.seedTimeS[i];
		const state = nodeInts[4 * node + 2] - base;
		// A settled node has time ≤ initialS; on a tie the first listed wins.
		if (state >= 0 && !(initialS < nodeTimeS[2 * node])) return;
		const bucket = Math.floor(initialS * bucketsPerSecond);
		if (state !== QUEUED || bucket !== Math.floor(nodeTimeS[2 * node] * bucketsPerSecond)) {
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
		nodeInts[4 * node + 2] = base + QUEUED;
		nodeTimeS[2 * node] = initialS;
		nodeInts[4 * node + 3] = this.seedLabel[i];
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
	 * Bytes of every array this search holds beyond the graph's own buffer (node records,
	 * reached list, chain steps, queue), as grown by the runs so far.
	 */
	get allocatedBytes(): number {
		const arrays: ArrayBufferView[] = [
			this.nodeTimeS, // nodeInts shares its buffer
			this.settledNodes,
			this.stepWords, // stepLengths shares its buffer
			this.nodeSteps,
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
		return arrays.reduce((sum, array) => sum + array.byteLength, 0);
	}

	/** Seconds from the nearest source to `node` after the last run; Infinity if not reached. */
	time(node: number): number {
		return this.nodeInts[4 * node + 2] >= this.runBase ? this.nodeTimeS[2 * node] : Infinity;
	}

	/** Label of the source that reached `node` first in the last run; -1 if not reached. */
	label(node: number): number {
		return this.nodeInts[4 * node + 2] >= this.runBase ? this.nodeInts[4 * node + 3] : -1;
	}

	/**
	 * Nodes reached within maxSeconds in the last run, each once, in the order they were first
	 * reached (not sorted by time: a chain node is reached from one end and may be reached
	 * sooner from the other later). A view into reused storage: copy it (`.slice()`) to keep it
	 * past the next run.
	 */
	settled(): Uint32Array {
		return this.settledNodes.subarray(0, this.settledCount);
	}

	/** Number of nodes reached in the last run (the length of `settled()`). */
	get reachedCount(): number {
		return this.settledCount;
	}

	/**
	 * Copy the last run's reached nodes (as `settled()` lists them) and their times into `nodes`
	 * and `timeS` from index `at`, in one pass: what a catchment keeps, without a `time()` call
	 * per node.
	 * @returns the number of nodes copied (`reachedCount`)
	 * @throws RangeError when the arrays have fewer than at + reachedCount entries
	 */
	copyReached(nodes: Uint32Array, timeS: Float64Array, at = 0): number {
		const count = this.settledCount;
		if (!(at >= 0 && at + count <= nodes.length && at + count <= timeS.length)) {
			throw new RangeError(
				`copyReached: ${count} nodes from index ${at} do not fit arrays of ${nodes.length} and ${timeS.length} entries`
			);
		}
		const { settledNodes, nodeTimeS } = this;
		for (let i = 0; i < count; i++) {
			const node = settledNodes[i];
			nodes[at + i] = node;
			timeS[at + i] = nodeTimeS[2 * node];
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
		timeS.fill(Infinity);
		sourceLabel.fill(-1);
		const settled = this.settledNodes;
		for (let i = 0; i < this.settledCount; i++) {
			const node = settled[i];
			timeS[node] = this.nodeTimeS[2 * node];
			sourceLabel[node] = this.nodeInts[4 * node + 3];
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
