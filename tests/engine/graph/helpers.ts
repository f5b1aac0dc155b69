/** Small graphs and a seeded random generator shared by the graph and coverage tests. */
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';

/** A street grid of n × n nodes, `spacingM` apart, around 121.5 E, 31.23 N. */
export function streetGrid(n: number, spacingM: number): RoadGraph {
	const scale = metresPerDegree(31.23);
	const nodeLon: number[] = [];
	const nodeLat: number[] = [];
	const from: number[] = [];
	const to: number[] = [];
	const lengthM: number[] = [];
	for (let row = 0; row < n; row++) {
		for (let col = 0; col < n; col++) {
			nodeLon.push(121.5 + (col * spacingM) / scale.x);
			nodeLat.push(31.23 + (row * spacingM) / scale.y);
		}
	}
	const link = (a: number, b: number) => {
		from.push(a);
		to.push(b);
		lengthM.push(haversineM(nodeLon[a], nodeLat[a], nodeLon[b], nodeLat[b]));
	};
	for (let row = 0; row < n; row++) {
		for (let col = 0; col < n; col++) {
			const node = row * n + col;
			if (col + 1 < n) link(node, node + 1);
			if (row + 1 < n) link(node, node + n);
		}
	}
	return RoadGraph.build({
		nodeLon,
		nodeLat,
		segmentFrom: from,
		segmentTo: to,
		segmentLengthM: lengthM
	});
}

/** A seeded generator (mulberry32) so that failures can be replayed. */
export function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A plain textbook multi-source Dijkstra (array scan, objects, no tuning): the reference the
 * engine's searches are checked against. Implements the coverage engine's LabelledSearch.
 */
export class TextbookSearch {
	private times: number[] = [];
	private labels: number[] = [];
	private readonly graph: RoadGraph;
	constructor(graph: RoadGraph) {
		this.graph = graph;
	}

	run(
		sources: { node: number; initialS: number; label: number }[],
		options: { walkSpeedMps: number; maxSeconds: number; stepPenaltyS: number }
	): void {
		const { graph } = this;
		this.times = new Array(graph.nodeCount).fill(Infinity);
		this.labels = new Array(graph.nodeCount).fill(-1);
		const done = new Array(graph.nodeCount).fill(false);
		for (const source of sources) {
			if (source.initialS < this.times[source.node]) {
				this.times[source.node] = source.initialS;
				this.labels[source.node] = source.label;
			}
		}
		for (;;) {
			let node = -1;
			for (let i = 0; i < graph.nodeCount; i++) {
				if (
					!done[i] &&
					this.times[i] <= options.maxSeconds &&
					(node < 0 || this.times[i] < this.times[node])
				)
					node = i;
			}
			if (node < 0) break;
			done[node] = true;
			for (let e = graph.firstEdge[node]; e < graph.firstEdge[node + 1]; e++) {
				const penalty = graph.edgeFlags[e] & 1 ? options.stepPenaltyS : 0;
				const next = this.times[node] + graph.edgeLengthM[e] / options.walkSpeedMps + penalty;
				const target = graph.edgeTarget[e];
				if (next < this.times[target]) {
					this.times[target] = next;
					this.labels[target] = this.labels[node];
				}
			}
		}
		for (let i = 0; i < graph.nodeCount; i++) {
			if (!done[i]) {
				this.times[i] = Infinity;
				this.labels[i] = -1;
			}
		}
	}

	time(node: number): number {
		return this.times[node];
	}

	label(node: number): number {
		return this.labels[node];
	}
}
