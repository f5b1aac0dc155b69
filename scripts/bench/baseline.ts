/**
 * The straightforward CSR Dijkstra the benchmark measures WalkSearch against: a binary heap on
 * parallel typed arrays (Float64 time, Int32 node) with lazy deletion (a node is pushed again
 * when its time drops; stale entries are skipped when popped), distance, label and done arrays
 * allocated once per graph and reset with `fill` at the start of each run. No tuning.
 *
 * `new BaselineDijkstra(graph, 'touched')` is the same search with one tuning: it resets only
 * the nodes the previous run touched (the "lean heap" reference the bench also reports, so the
 * gain of the bucket queue alone is visible). Same contract as WalkSearch: costs in seconds, an edge costs
 * `edgeLengthM / walkSpeedMps + (steps ? stepPenaltyS : 0)`, only times ≤ maxSeconds settle.
 */
import { EDGE_FLAGS, type RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import type { SearchOptions, SearchSource } from '../../src/lib/engine/graph/search.ts';
import {
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS
} from '../../src/lib/engine/rules/defaults.ts';

export class BaselineDijkstra {
	readonly graph: RoadGraph;
	/** Seconds per node, Infinity when not reached (reset after each run). */
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

	constructor(graph: RoadGraph, reset: 'fill' | 'touched' = 'fill') {
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
}

/** A straightforward Dijkstra on `graph` (see BaselineDijkstra). */
export function baselineDijkstra(
	graph: RoadGraph,
	reset: 'fill' | 'touched' = 'fill'
): BaselineDijkstra {
	return new BaselineDijkstra(graph, reset);
}
