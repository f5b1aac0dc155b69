import { describe, expect, it } from 'vitest';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import { seeded, streetGrid } from './helpers.ts';

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
