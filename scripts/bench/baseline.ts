/**
 * The Dijkstras the benchmark measures WalkSearch against, all on the same RoadGraph arrays and
 * the same contract as WalkSearch: costs in seconds, an edge costs
 * `edgeLengthM / walkSpeedMps + (steps ? stepPenaltyS : 0)`, a node's time is `time + cost` in
 * Float64, only times ≤ maxSeconds are stored. All three give the same times to the last bit.
 *
 * - `new BaselineDijkstra(graph)` — the reference (`ratio` in the bench): the straightforward
 *   CSR Dijkstra anyone would write. A binary heap on parallel typed arrays (Float64 time, Int32
 *   node) with lazy deletion (a node is pushed again when its time drops; stale entries are
 *   skipped when popped), distance, label and done arrays allocated once per graph, and at the
 *   start of each run only the nodes the previous run touched are reset.
 * - `new BaselineDijkstra(graph, 'fill')` — the same search clearing its three n-entry arrays
 *   with `fill` on every run: what the bench used as reference before issue 18. On a 1 M-node
 *   graph a 15-minute search costs ~50 × more that way, so ratios against it flatter; it is
 *   printed as an extra column, "full reset", only to show that.
 * - `new TunedDijkstra(graph)` — the best plain kernel we could write (no buckets, no chains):
 *   one 16-byte record per node (Float64 time, Int32 mark, Int32 label) so a visit touches one
 *   cache line, a run number in the mark instead of any reset, a binary heap with lazy deletion,
 *   settled nodes never pushed again.
 */
import { EDGE_FLAGS, type RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import type { SearchOptions, SearchSource } from '../../src/lib/engine/graph/search.ts';
import {
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS
} from '../../src/lib/engine/rules/defaults.ts';

export class BaselineDijkstra {
	readonly graph: RoadGraph;
	/** Seconds per node, Infinity when not reached (reset at the start of the next run). */
	readonly timeS: Float64Array;
	/** Source label per node, -1 when not reached. */
	readonly sourceLabel: Int32Array;
	private readonly done: Uint8Array;
	private touched: Int32Array;
	private touchedCount = 0;
	private readonly reset: 'fill' | 'touched';
	private heapTime = new Float64Array(1024);
	private heapNode = new Int32Array(1024);
	settledCount = 0;

	constructor(graph: RoadGraph, reset: 'fill' | 'touched' = 'touched') {
		this.graph = graph;
		this.reset = reset;
		const n = graph.nodeCount;
		this.timeS = new Float64Array(n).fill(Infinity);
		this.sourceLabel = new Int32Array(n).fill(-1);
		this.done = new Uint8Array(n);
		this.touched = new Int32Array(n);
	}

	run(sources: readonly SearchSource[], options: SearchOptions = {}): void {
		const walkSpeedMps = options.walkSpeedMps ?? DEFAULT_WALK_SPEED_MPS;
		const maxSeconds = options.maxSeconds ?? Infinity;
		const stepPenaltyS = options.stepPenaltyS ?? DEFAULT_STEP_PENALTY_S;
		const { timeS, sourceLabel, done, touched } = this;
		if (this.reset === 'fill') {
			timeS.fill(Infinity);
			sourceLabel.fill(-1);
			done.fill(0);
		} else {
			// Reset only what the previous run touched.
			for (let i = 0; i < this.touchedCount; i++) {
				const node = touched[i];
				timeS[node] = Infinity;
				sourceLabel[node] = -1;
				done[node] = 0;
			}
		}
		let touchedCount = 0;
		let heapTime = this.heapTime;
		let heapNode = this.heapNode;
		let size = 0;
		const push = (time: number, node: number) => {
			if (size === heapTime.length) {
				const t = new Float64Array(size * 2);
				t.set(heapTime);
				const v = new Int32Array(size * 2);
				v.set(heapNode);
				heapTime = this.heapTime = t;
				heapNode = this.heapNode = v;
			}
			let at = size++;
			while (at > 0) {
				const parent = (at - 1) >> 1;
				if (heapTime[parent] <= time) break;
				heapTime[at] = heapTime[parent];
				heapNode[at] = heapNode[parent];
				at = parent;
			}
			heapTime[at] = time;
			heapNode[at] = node;
		};
		for (const source of sources) {
			if (source.initialS > maxSeconds || !(source.initialS < timeS[source.node])) continue;
			if (timeS[source.node] === Infinity) touched[touchedCount++] = source.node;
			timeS[source.node] = source.initialS;
			sourceLabel[source.node] = source.label;
			push(source.initialS, source.node);
		}
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = this.graph;
		let settledCount = 0;
		while (size > 0) {
			const time = heapTime[0];
			const node = heapNode[0];
			const lastTime = heapTime[--size];
			const lastNode = heapNode[size];
			let at = 0;
			for (;;) {
				let child = 2 * at + 1;
				if (child >= size) break;
				if (child + 1 < size && heapTime[child + 1] < heapTime[child]) child++;
				if (heapTime[child] >= lastTime) break;
				heapTime[at] = heapTime[child];
				heapNode[at] = heapNode[child];
				at = child;
			}
			heapTime[at] = lastTime;
			heapNode[at] = lastNode;
			if (done[node] === 1) continue;
			done[node] = 1;
			settledCount++;
			const label = sourceLabel[node];
			for (let e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
				let costS = edgeLengthM[e] / walkSpeedMps;
				if (edgeFlags[e] & EDGE_FLAGS.steps) costS += stepPenaltyS;
				const reached = time + costS;
				const target = edgeTarget[e];
				if (reached > maxSeconds || !(reached < timeS[target])) continue;
				if (timeS[target] === Infinity) touched[touchedCount++] = target;
				timeS[target] = reached;
				sourceLabel[target] = label;
				push(reached, target);
			}
		}
		this.touchedCount = touchedCount;
		this.settledCount = settledCount;
	}

	/** Nodes reached in the last run (all of them settled: times over maxSeconds are never stored), in first-touch order. */
	reached(): Int32Array {
		return this.touched.subarray(0, this.touchedCount);
	}

	/** Seconds to `node` in the last run, Infinity when not reached. */
	time(node: number): number {
		return this.timeS[node];
	}
}

/** Largest run mark before the marks are cleared (Int32). */
const MAX_MARK = 0x7ffffff0;

/** The best plain kernel (see the file's comment): same answers as BaselineDijkstra. */
export class TunedDijkstra {
	readonly graph: RoadGraph;
	/** 16 B per node: Float64 time at [2 node]; Int32 mark at [4 node + 2], label at [4 node + 3]. */
	private readonly nodeTimeS: Float64Array;
	private readonly nodeInts: Int32Array;
	/** Reached nodes of the last run, in first-touch order. */
	private readonly reachedNodes: Int32Array;
	private reachedCount = 0;
	/** Marks ≥ mark are this run's: mark = reached, mark + 1 = settled. */
	private mark = 0;
	private heapTime = new Float64Array(1024);
	private heapNode = new Int32Array(1024);

	constructor(graph: RoadGraph) {
		this.graph = graph;
		const records = new ArrayBuffer(16 * graph.nodeCount);
		this.nodeTimeS = new Float64Array(records);
		this.nodeInts = new Int32Array(records);
		this.reachedNodes = new Int32Array(graph.nodeCount);
	}

	run(sources: readonly SearchSource[], options: SearchOptions = {}): void {
		const walkSpeedMps = options.walkSpeedMps ?? DEFAULT_WALK_SPEED_MPS;
		const maxSeconds = options.maxSeconds ?? Infinity;
		const stepPenaltyS = options.stepPenaltyS ?? DEFAULT_STEP_PENALTY_S;
		const { nodeTimeS, nodeInts, reachedNodes } = this;
		if (this.mark >= MAX_MARK) {
			for (let node = 0; node < this.graph.nodeCount; node++) nodeInts[4 * node + 2] = 0;
			this.mark = 0;
		}
		const mark = (this.mark += 2);
		const settledMark = mark + 1;
		let reachedCount = 0;
		let heapTime = this.heapTime;
		let heapNode = this.heapNode;
		let size = 0;
		for (const { node, initialS, label } of sources) {
			if (initialS > maxSeconds) continue;
			if (nodeInts[4 * node + 2] >= mark) {
				if (!(initialS < nodeTimeS[2 * node])) continue;
			} else {
				nodeInts[4 * node + 2] = mark;
				reachedNodes[reachedCount++] = node;
			}
			nodeTimeS[2 * node] = initialS;
			nodeInts[4 * node + 3] = label;
			if (size === heapTime.length) {
				[heapTime, heapNode] = this.grow(size);
			}
			let at = size++;
			while (at > 0) {
				const parent = (at - 1) >> 1;
				if (heapTime[parent] <= initialS) break;
				heapTime[at] = heapTime[parent];
				heapNode[at] = heapNode[parent];
				at = parent;
			}
			heapTime[at] = initialS;
			heapNode[at] = node;
		}
		const { firstEdge, edgeTarget, edgeLengthM, edgeFlags } = this.graph;
		const stepsFlag = stepPenaltyS !== 0 ? EDGE_FLAGS.steps : 0;
		while (size > 0) {
			const time = heapTime[0];
			const node = heapNode[0];
			const lastTime = heapTime[--size];
			const lastNode = heapNode[size];
			let at = 0;
			for (;;) {
				let child = 2 * at + 1;
				if (child >= size) break;
				if (child + 1 < size && heapTime[child + 1] < heapTime[child]) child++;
				if (heapTime[child] >= lastTime) break;
				heapTime[at] = heapTime[child];
				heapNode[at] = heapNode[child];
				at = child;
			}
			heapTime[at] = lastTime;
			heapNode[at] = lastNode;
			if (nodeInts[4 * node + 2] === settledMark) continue; // a stale entry
			nodeInts[4 * node + 2] = settledMark;
			const label = nodeInts[4 * node + 3];
			const end = firstEdge[node + 1];
			for (let e = firstEdge[node]; e < end; e++) {
				let costS = edgeLengthM[e] / walkSpeedMps;
				if ((edgeFlags[e] & stepsFlag) !== 0) costS += stepPenaltyS;
				const reached = time + costS;
				if (reached > maxSeconds) continue;
				const target = edgeTarget[e];
				const targetMark = nodeInts[4 * target + 2];
				if (targetMark >= mark) {
					if (targetMark === settledMark || !(reached < nodeTimeS[2 * target])) continue;
				} else {
					nodeInts[4 * target + 2] = mark;
					reachedNodes[reachedCount++] = target;
				}
				nodeTimeS[2 * target] = reached;
				nodeInts[4 * target + 3] = label;
				if (size === heapTime.length) {
					[heapTime, heapNode] = this.grow(size);
				}
				let up = size++;
				while (up > 0) {
					const parent = (up - 1) >> 1;
					if (heapTime[parent] <= reached) break;
					heapTime[up] = heapTime[parent];
					heapNode[up] = heapNode[parent];
					up = parent;
				}
				heapTime[up] = reached;
				heapNode[up] = target;
			}
		}
		this.reachedCount = reachedCount;
	}

	private grow(size: number): [Float64Array, Int32Array] {
		const time = new Float64Array(size * 2);
		time.set(this.heapTime);
		const node = new Int32Array(size * 2);
		node.set(this.heapNode);
		this.heapTime = time;
		this.heapNode = node;
		return [time, node];
	}

	/** Nodes reached in the last run, in first-touch order (a view into reused storage). */
	reached(): Int32Array {
		return this.reachedNodes.subarray(0, this.reachedCount);
	}

	/** Seconds to `node` in the last run, Infinity when not reached. */
	time(node: number): number {
		return this.nodeInts[4 * node + 2] >= this.mark ? this.nodeTimeS[2 * node] : Infinity;
	}
}

/** A straightforward Dijkstra on `graph` (see BaselineDijkstra). */
export function baselineDijkstra(
	graph: RoadGraph,
	reset: 'fill' | 'touched' = 'touched'
): BaselineDijkstra {
	return new BaselineDijkstra(graph, reset);
}
