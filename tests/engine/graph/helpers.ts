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
