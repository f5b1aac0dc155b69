/**
 * Walking-time searches on the RoadGraph: bounded single- and multi-source Dijkstra, nearest
 * facility for every node, per-facility catchments.
 *
 * Why it is shaped so (measured with `npm run bench`; figures in bench/results.json):
 * - All state is flat and reused between runs. One 16-byte record per node (Float64 time,
 *   Int32 mark, Int32 label) so a visit touches one cache line; the mark is `runBase + state`,
 *   so a record left by an earlier run reads as "unvisited" with no reset: a 15-minute search
 *   that touches 400 nodes of a 1 M-node graph costs 400 nodes of work, not a 1 M-entry fill.
 * - The priority queue is a bucket queue (Dial) on a ring of buckets 1/8 s wide: a singly
 *   linked list per bucket in an entry pool with a free list, a bitmap to skip empty buckets
 *   32 at a time. A node whose time drops to an earlier bucket gets a new entry; the old one is
 *   skipped later. When the search reaches a bucket its nodes move into a small binary heap
 *   (the "band") and leave it in exact time order, so the times are bit-identical to a plain
 *   Float64 binary-heap Dijkstra; only the heap holds one bucket, not the whole frontier.
 * - When every edge costs at least two bucket widths (generated grids; never OSM networks,
 *   whose shortest segments are centimetres), the buckets are widened to half the cheapest edge
 *   and walked in list order with no heap (Dial's exact case): nothing in a bucket can improve
 *   anything else in it.
 * - Each edge's target and length are copied side by side (8 bytes per directed edge, built
 *   once per WalkSearch): relaxing an edge reads one cache line, not one in each of the graph's
 *   two arrays (−15 % on the 1 M-node all-nodes search). Putting the CSR offsets into 32-byte
 *   node records as well was tried and measured no better.
 * - Nodes whose tentative time exceeds maxSeconds are never queued nor stamped: every stamped
 *   node is settled, so reading a result is one compare.
 * - Measured (bench/results.json, a shared 2-core machine, ±20 % run to run): against the
 *   straightforward heap Dijkstra that refills its arrays every run, 0.1× for a 15-minute
 *   search on the 1 M-node grid and 0.8–1.0× on Monaco/Shanghai; against a lean heap with
 *   touched-node reset, 0.65–0.95× on multi-source and all-nodes searches, about 1× on
 *   single small searches. The 0.5× targets are not reached on the real networks.
 *
 * Distances: any exact Dijkstra order gives the same Float64 times (a node's time is the
 * minimum over its settled predecessors of `time + cost`, which does not depend on ties), so
 * the times equal the straightforward Dijkstra's to the last bit; tests check it on Monaco and
 * Shanghai. Labels on exact ties may name either tied source.
 *
 * Costs are seconds: an edge costs `edgeLengthM / walkSpeedMps + (steps ? stepPenaltyS : 0)`
 * and a node's time is `time(from) + cost`, in Float64.
 */
import { EDGE_FLAGS, type RoadGraph } from './road-graph.ts';

/** Walking speeds in m/s: the default (15 min ≈ 900 m) and the preset for frail elders. */
export const WALK_SPEED_MPS = { default: 1.0, frail: 0.8 } as const;

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
const SETTLED = 2;
/** Default bucket width 1/8 s: a few nodes per bucket on dense multi-source searches. */
const DEFAULT_BUCKETS_PER_SECOND = 8;
/** The ring never exceeds this many buckets (coarser buckets on graphs with very long edges). */
const MAX_RING_BUCKETS = 1 << 18;
/** Largest runBase before the marks are cleared and counting restarts (Int32 marks). */
const MAX_RUN_BASE = 0x7ffffff0;

/**
 * Bounded multi-source Dijkstra with flat, reused state. Construct once per graph, `run` many
 * times; results stay valid until the next `run`.
 *
 * @example
 * const search = new WalkSearch(graph);
 * search.run([{ node: 42, initialS: 0, label: 0 }], { maxSeconds: 900 });
 * search.time(7); // seconds from node 42 to node 7, Infinity if beyond 15 minutes
 * search.settled(); // nodes within 15 minutes, in settle order
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
	/** Nodes in settle order (the first settledCount entries). */
	private readonly settledNodes: Uint32Array;
	private settledCount = 0;
	/** 4 × run number: marks below it belong to earlier runs. */
	private runBase = 0;
	/** Longest edge, metres: bounds how far ahead of the current bucket a node can be queued. */
	private readonly maxEdgeLengthM: number;
	/** Per directed edge: [2 e] target node (Uint32), [2 e + 1] length in metres (Float32). */
	private readonly edgeWords: Uint32Array;
	private readonly edgeLengths: Float32Array;
	/** Shortest edge, metres: when buckets can be half of it wide, no ordering inside them is needed. */
	private readonly minEdgeLengthM: number;
	private readonly bucketsPerSecond: number;
	/** Ring of bucket list heads (entry index, -1 = empty). */
	private bucketHead = new Int32Array(32).fill(-1);
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
	 * @param graph the road graph to search
	 * @param tuning.bucketsPerSecond queue bucket resolution (default 8 = 1/8 s buckets);
	 *   changes speed only, never results
	 */
	constructor(graph: RoadGraph, tuning: { bucketsPerSecond?: number } = {}) {
		this.graph = graph;
		const n = graph.nodeCount;
		const records = new ArrayBuffer(16 * n);
		this.nodeTimeS = new Float64Array(records);
		this.nodeInts = new Int32Array(records);
		this.settledNodes = new Uint32Array(n);
		let longest = 0;
		let shortest = Infinity;
		const lengths = graph.edgeLengthM;
		for (let e = 0; e < lengths.length; e++) {
			if (lengths[e] > longest) longest = lengths[e];
			if (lengths[e] < shortest) shortest = lengths[e];
		}
		this.maxEdgeLengthM = longest;
		// Each edge's target and length side by side (8 bytes): relaxing an edge reads one
		// cache line instead of one in each of the graph's two arrays.
		const packed = new ArrayBuffer(8 * lengths.length);
		this.edgeWords = new Uint32Array(packed);
		this.edgeLengths = new Float32Array(packed);
		for (let e = 0; e < lengths.length; e++) {
			this.edgeWords[2 * e] = graph.edgeTarget[e];
			this.edgeLengths[2 * e + 1] = lengths[e];
		}
		this.minEdgeLengthM = lengths.length > 0 ? shortest : 0;
		this.bucketsPerSecond = tuning.bucketsPerSecond ?? DEFAULT_BUCKETS_PER_SECOND;
	}

	/**
	 * Settle every node within `maxSeconds` of the nearest source, in time order.
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

		// Ring size: a queued node is at most one edge ahead of the node that queued it.
		const maxEdgeCostS = this.maxEdgeLengthM / walkSpeedMps + stepPenaltyS;
		let bucketsPerSecond = this.bucketsPerSecond;
		// Dial's exact case: with buckets at most half the cheapest edge wide, no node can improve
		// another of its own bucket, so a bucket is processed in list order with no heap at all
		// (and in roughly memory order, since each list is filled while the previous bucket is
		// walked). Only graphs with no short edge qualify (generated grids, not OSM networks).
		const minEdgeCostS = this.minEdgeLengthM / walkSpeedMps;
		const listOrder = minEdgeCostS / 2 >= 1 / bucketsPerSecond;
		if (listOrder) bucketsPerSecond = 2 / minEdgeCostS;
		while ((maxEdgeCostS + 1) * bucketsPerSecond + 3 > MAX_RING_BUCKETS) bucketsPerSecond /= 2;
		// Sources whose start times span less than the ring go straight into their buckets (the
		// usual case: a door's two sources differ by at most one edge); a wider spread is sorted
		// and injected as the search reaches each source's bucket.
		let minInitialS = Infinity;
		let maxInitialS = 0;
		for (let i = 0; i < sources.length; i++) {
			const initialS = sources[i].initialS;
			if (initialS > maxSeconds) continue;
			if (initialS < minInitialS) minInitialS = initialS;
			if (initialS > maxInitialS) maxInitialS = initialS;
		}
		const spreadS = minInitialS === Infinity ? 0 : maxInitialS - minInitialS;
		const sourcesDirect = (spreadS + maxEdgeCostS + 1) * bucketsPerSecond + 3 <= MAX_RING_BUCKETS;
		let ringSize = 32;
		while (ringSize < (maxEdgeCostS + (sourcesDirect ? spreadS : 0)) * bucketsPerSecond + 3) {
			ringSize *= 2;
		}
		if (this.bucketHead.length < ringSize) {
			this.bucketHead = new Int32Array(ringSize).fill(-1);
			this.bucketBits = new Uint32Array(ringSize >>> 5);
		}
		const bucketHead = this.bucketHead;
		const bucketBits = this.bucketBits;
		const ringMask = bucketHead.length - 1;
		const maxBucket = Math.floor(maxSeconds * bucketsPerSecond); // Infinity when unbounded
		const hasStepPenalty = stepPenaltyS !== 0;

		// Otherwise sources in order of initialS (stable: the first listed wins a tie), injected
		// when the search reaches their bucket, so any spread of initial times fits the ring.
		const order = sourcesDirect ? [] : sortSources(sources, maxSeconds);
		let pending = 0;

		const { firstEdge, edgeFlags } = this.graph;
		const { nodeTimeS, nodeInts, settledNodes, edgeWords, edgeLengths } = this;
		let entryNode = this.entryNode;
		let entryNext = this.entryNext;
		let entriesUsed = 0;
		let freeEntry = -1;
		/** Entries in bucket lists, stale ones included: the loop ends when none are left. */
		let liveEntries = 0;
		let settledCount = 0;

		if (sourcesDirect) {
			for (let i = 0; i < sources.length; i++) {
				const { node, initialS, label } = sources[i];
				if (initialS > maxSeconds) continue;
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
				nodeInts[4 * node + 3] = label;
			}
		}
		let current = Math.floor(
			(sourcesDirect ? minInitialS : order.length > 0 ? order[0].initialS : 0) * bucketsPerSecond
		);
		if (!(current >= 0)) current = 0; // no sources within maxSeconds
		while (pending < order.length || liveEntries > 0) {
			if (current > maxBucket) break;
			// Sources due in this bucket go straight into the band, before the bucket is drained.
			while (pending < order.length) {
				const source = order[pending];
				if (Math.floor(source.initialS * bucketsPerSecond) > current) break;
				pending++;
				const node = source.node;
				const state = nodeInts[4 * node + 2] - base;
				// A node settled in an earlier bucket has time ≤ initialS; a QUEUED node's list
				// entry turns stale once it is IN_BAND.
				if (state >= 0 && !(source.initialS < nodeTimeS[2 * node])) continue;
				if (!listOrder) {
					nodeInts[4 * node + 2] = base + IN_BAND;
					this.bandPush(source.initialS, node);
				} else if (
					state !== QUEUED ||
					Math.floor(nodeTimeS[2 * node] * bucketsPerSecond) !== current
				) {
					// A new list entry in this bucket (an entry in a later bucket turns stale).
					nodeInts[4 * node + 2] = base + QUEUED;
					let fresh = freeEntry;
					if (fresh !== -1) freeEntry = entryNext[fresh];
					else {
						if (entriesUsed === entryNode.length) {
							entryNode = this.entryNode = grownInt32(entryNode);
							entryNext = this.entryNext = grownInt32(entryNext);
						}
						fresh = entriesUsed++;
					}
					const ringSlot = current & ringMask;
					entryNode[fresh] = node;
					entryNext[fresh] = bucketHead[ringSlot];
					bucketHead[ringSlot] = fresh;
					bucketBits[ringSlot >>> 5] |= 1 << (ringSlot & 31);
					liveEntries++;
				}
				nodeTimeS[2 * node] = source.initialS;
				nodeInts[4 * node + 3] = source.label;
			}
			const slot = current & ringMask;
			let entry = bucketHead[slot];
			let loneNode = -1;
			if (entry !== -1) {
				bucketHead[slot] = -1;
				bucketBits[slot >>> 5] &= ~(1 << (slot & 31));
				if (!listOrder && entryNext[entry] === -1 && this.bandSize === 0) {
					// A bucket of one node (the common case on street networks) needs no heap.
					const node = entryNode[entry];
					entryNext[entry] = freeEntry;
					freeEntry = entry;
					liveEntries--;
					entry = -1;
					if (nodeInts[4 * node + 2] === base + QUEUED) loneNode = node;
				} else if (!listOrder) {
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
			// Settle the bucket: in exact time order from the band (relaxations landing in this
			// bucket join it), or in list order when no edge can land in it.
			for (;;) {
				let node: number;
				let time: number;
				if (listOrder) {
					if (entry === -1) break;
					node = entryNode[entry];
					const after = entryNext[entry];
					entryNext[entry] = freeEntry;
					freeEntry = entry;
					liveEntries--;
					entry = after;
					if (nodeInts[4 * node + 2] !== base + QUEUED) continue; // a stale entry
					time = nodeTimeS[2 * node];
				} else if (loneNode !== -1) {
					node = loneNode;
					loneNode = -1;
					nodeInts[4 * node + 2] = base + IN_BAND;
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
				const edgeEnd = firstEdge[node + 1];
				for (let e = firstEdge[node]; e < edgeEnd; e++) {
					let costS = edgeLengths[2 * e + 1] / walkSpeedMps;
					if (hasStepPenalty && edgeFlags[e] & EDGE_FLAGS.steps) costS += stepPenaltyS;
					const reached = time + costS;
					if (reached > maxSeconds) continue;
					const target = edgeWords[2 * e];
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
			// Next bucket: skip empty ones through the bitmap, up to the next due source.
			current++;
			if (liveEntries === 0) {
				if (pending < order.length)
					current = Math.floor(order[pending].initialS * bucketsPerSecond);
			} else {
				let slot = current & ringMask;
				let word = bucketBits[slot >>> 5] >>> (slot & 31);
				while (word === 0) {
					// Advance to the start of the next 32-slot word.
					current += 32 - (slot & 31);
					slot = current & ringMask;
					word = bucketBits[slot >>> 5];
				}
				current += 31 - Math.clz32(word & -word); // lowest set bit
				if (pending < order.length) {
					const due = Math.floor(order[pending].initialS * bucketsPerSecond);
					if (due < current) current = due;
				}
			}
		}
		this.settledCount = settledCount;
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

	/** Seconds from the nearest source to `node` after the last run; Infinity if not reached. */
	time(node: number): number {
		return this.nodeInts[4 * node + 2] >= this.runBase ? this.nodeTimeS[2 * node] : Infinity;
	}

	/** Label of the source that reached `node` first in the last run; -1 if not reached. */
	label(node: number): number {
		return this.nodeInts[4 * node + 2] >= this.runBase ? this.nodeInts[4 * node + 3] : -1;
	}

	/**
	 * Nodes reached within maxSeconds in the last run, in settle order: by time (in list-order
	 * mode, on graphs whose every edge is long, by time only to within half the cheapest edge).
	 * A view into reused storage: copy it (`.slice()`) to keep it past the next run.
	 */
	settled(): Uint32Array {
		return this.settledNodes.subarray(0, this.settledCount);
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

function grownInt32(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
	const grown = new Int32Array(array.length * 2);
	grown.set(array);
	return grown;
}

function checkOptions(walkSpeedMps: number, maxSeconds: number, stepPenaltyS: number): void {
	if (!(walkSpeedMps > 0 && walkSpeedMps < Infinity)) {
		throw new SearchInputError(
			`walkSpeedMps ${walkSpeedMps} must be a finite number > 0 (metres per second; 1.0 default, 0.8 frail)`
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

/** Sources with initialS ≤ maxSeconds, stably sorted by initialS. */
function sortSources(sources: readonly SearchSource[], maxSeconds: number): SearchSource[] {
	const kept: SearchSource[] = [];
	let sorted = true;
	for (const source of sources) {
		if (source.initialS > maxSeconds) continue;
		if (kept.length > 0 && source.initialS < kept[kept.length - 1].initialS) sorted = false;
		kept.push(source);
	}
	if (!sorted) kept.sort((a, b) => a.initialS - b.initialS); // Array#sort is stable
	return kept;
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
		const nodes = search.settled().slice();
		const timeS = new Float64Array(nodes.length);
		for (let i = 0; i < nodes.length; i++) timeS[i] = search.time(nodes[i]);
		return { facility, nodes, timeS };
	});
}
