import { describe, expect, it } from 'vitest';
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';

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

describe('SegmentIndex.snap', () => {
	const graph = streetGrid(6, 100);
	const index = new SegmentIndex(graph);
	const scale = metresPerDegree(31.23);

	it('places a point on the nearest segment with its offset along it', () => {
		// 30 m east of node 0 and 4 m north of the first street
		const point = index.snap(121.5 + 30 / scale.x, 31.23 + 4 / scale.y)!;
		expect([point.fromNode, point.toNode]).toEqual([0, 1]);
		expect(point.offsetM).toBeCloseTo(30, 1);
		expect(point.snapDistanceM).toBeCloseTo(4, 3);
		expect(point.lat).toBeCloseTo(31.23, 7);
	});

	it('agrees with a brute-force search over every segment for 500 seeded points', () => {
		const random = seeded(42);
		for (let i = 0; i < 500; i++) {
			const lon = 121.5 + (random() * 700 - 100) / scale.x;
			const lat = 31.23 + (random() * 700 - 100) / scale.y;
			let brute = Infinity;
			for (const edge of index.segmentEdge)
				brute = Math.min(brute, index.project(edge, lon, lat).snapDistanceM);
			const snapped = index.snap(lon, lat);
			if (brute > 150) expect(snapped).toBeNull();
			else expect(snapped!.snapDistanceM).toBeCloseTo(brute, 9);
		}
	});

	it('reports a point beyond the limit as off-network (null), and honours a custom limit', () => {
		const farLon = 121.5 + 700 / scale.x; // 200 m east of the last street
		expect(index.snap(farLon, 31.23 + 250 / scale.y)).toBeNull();
		expect(index.snap(farLon, 31.23 + 250 / scale.y, 250)?.snapDistanceM).toBeCloseTo(200, 0);
	});

	it('finds where a line crosses the network', () => {
		// a line from 50 m west of node 0 to the middle of the first block: crosses the street x = 0 at y = 25
		const crossings = index.crossings(
			121.5 - 50 / scale.x,
			31.23 + 25 / scale.y,
			121.5 + 50 / scale.x,
			31.23 + 25 / scale.y
		);
		expect(crossings).toHaveLength(1);
		expect([crossings[0].fromNode, crossings[0].toNode]).toEqual([0, 6]);
		expect(crossings[0].offsetM).toBeCloseTo(25, 1);
	});
});
