/**
 * Issue 18: `SegmentIndex.snap` and `snapNearby` search growing boxes instead of the full 150 m
 * box, and `ringCrossings` answers a ring without crossings with one search. The points must be
 * the ones the old code gave, field for field: for `snap` the nearest segment, and among segments
 * at exactly the same distance the first in the full box's search order.
 */
import type Flatbush from 'flatbush';
import { describe, expect, it } from 'vitest';
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import {
	NEARBY_MIN_SEPARATION_M,
	SegmentIndex,
	type NetworkPoint
} from '../../../src/lib/engine/graph/snap.ts';
import { seeded, streetGrid } from './helpers.ts';

/** The snap before issue 18: every segment crossing the full box, the first nearest kept. */
function fullBoxSnap(
	index: SegmentIndex,
	lon: number,
	lat: number,
	maxDistanceM: number
): NetworkPoint | null {
	const scale = metresPerDegree(lat);
	const dx = maxDistanceM / scale.x;
	const dy = maxDistanceM / scale.y;
	// The index's own tree, so the search order is the one snap sees.
	const tree = (index as unknown as { index: Flatbush }).index;
	let best: NetworkPoint | null = null;
	for (const item of tree.search(lon - dx, lat - dy, lon + dx, lat + dy)) {
		const candidate = index.project(index.segmentEdge[item], lon, lat, scale);
		if (
			candidate.snapDistanceM <= maxDistanceM &&
			(!best || candidate.snapDistanceM < best.snapDistanceM)
		)
			best = candidate;
	}
	return best;
}

/** snapNearby before issue 18: every segment of the full box projected, sorted, then filtered. */
function fullBoxSnapNearby(
	index: SegmentIndex,
	lon: number,
	lat: number,
	maxDistanceM: number,
	toleranceM: number,
	maxPoints: number
): NetworkPoint[] {
	const scale = metresPerDegree(lat);
	const dx = maxDistanceM / scale.x;
	const dy = maxDistanceM / scale.y;
	const tree = (index as unknown as { index: Flatbush }).index;
	const candidates: NetworkPoint[] = [];
	for (const item of tree.search(lon - dx, lat - dy, lon + dx, lat + dy)) {
		const candidate = index.project(index.segmentEdge[item], lon, lat, scale);
		if (candidate.snapDistanceM <= maxDistanceM) candidates.push(candidate);
	}
	if (candidates.length === 0) return [];
	candidates.sort((a, b) => a.snapDistanceM - b.snapDistanceM || a.edge - b.edge);
	const limitM = Math.min(maxDistanceM, candidates[0].snapDistanceM + toleranceM);
	const near = candidates.filter((c) => c.snapDistanceM <= limitM);
	const closestAtNode = new Map<number, number>();
	for (const c of near)
		for (const node of [c.fromNode, c.toNode])
			closestAtNode.set(node, Math.min(closestAtNode.get(node) ?? Infinity, c.snapDistanceM));
	const kept: NetworkPoint[] = [];
	for (const c of near) {
		const endNode = c.offsetM === 0 ? c.fromNode : c.offsetM === c.lengthM ? c.toNode : -1;
		if (endNode >= 0 && closestAtNode.get(endNode)! < c.snapDistanceM - 1e-9) continue;
		const apart = kept.every(
			(k) =>
				Math.hypot((k.lon - c.lon) * scale.x, (k.lat - c.lat) * scale.y) >= NEARBY_MIN_SEPARATION_M
		);
		if (!apart) continue;
		kept.push(c);
		if (kept.length === maxPoints) break;
	}
	return kept;
}

/** Jittered grid nodes 30 m apart, each linked to some of its right and upper neighbours. */
function jitteredNetwork(side: number, random: () => number): RoadGraph {
	const scale = metresPerDegree(31.23);
	const nodeLon: number[] = [];
	const nodeLat: number[] = [];
	for (let row = 0; row < side; row++)
		for (let col = 0; col < side; col++) {
			nodeLon.push(121.5 + (col * 30 + (random() - 0.5) * 12) / scale.x);
			nodeLat.push(31.23 + (row * 30 + (random() - 0.5) * 12) / scale.y);
		}
	const segmentFrom: number[] = [];
	const segmentTo: number[] = [];
	const segmentLengthM: number[] = [];
	const link = (a: number, b: number) => {
		segmentFrom.push(a);
		segmentTo.push(b);
		segmentLengthM.push(haversineM(nodeLon[a], nodeLat[a], nodeLon[b], nodeLat[b]));
	};
	for (let row = 0; row < side; row++)
		for (let col = 0; col < side; col++) {
			const node = row * side + col;
			if (col + 1 < side && random() < 0.6) link(node, node + 1);
			if (row + 1 < side && random() < 0.6) link(node, node + side);
		}
	return RoadGraph.build({ nodeLon, nodeLat, segmentFrom, segmentTo, segmentLengthM });
}

describe('SegmentIndex.snap in growing boxes (issue 18)', () => {
	const scale = metresPerDegree(31.23);

	it('returns the full box’s point on a jittered network, for 4,000 points and five limits', () => {
		const random = seeded(18);
		const index = new SegmentIndex(jitteredNetwork(40, random));
		let placed = 0;
		for (let i = 0; i < 4_000; i++) {
			const lon = 121.5 + (random() * 1_600 - 200) / scale.x;
			const lat = 31.23 + (random() * 1_600 - 200) / scale.y;
			const maxDistanceM = [10, 25, 40, 150, 400][i % 5];
			const snapped = index.snap(lon, lat, maxDistanceM);
			expect(snapped).toEqual(fullBoxSnap(index, lon, lat, maxDistanceM));
			if (snapped) placed++;
		}
		// Most points are placed, some are beyond their limit.
		expect(placed).toBeGreaterThan(2_000);
		expect(placed).toBeLessThan(4_000);
	});

	it('keeps the full box’s choice among exact ties: points on nodes, midway between streets', () => {
		const graph = streetGrid(40, 30);
		const index = new SegmentIndex(graph);
		let ties = 0;
		for (let node = 0; node < graph.nodeCount; node++) {
			const [lon, lat] = [graph.lon(node), graph.lat(node)];
			// On a node every segment at it is at 0 m: the first in the full box's order wins.
			const atNode = index.snap(lon, lat);
			expect(atNode).toEqual(fullBoxSnap(index, lon, lat, 150));
			expect(atNode!.snapDistanceM).toBe(0);
			if (graph.firstEdge[node + 1] - graph.firstEdge[node] > 1) ties++;
			// Midway between two parallel streets, and 25 m and 100 m off (the boxes' half widths).
			for (const offM of [15, 25, 100, 149.99])
				for (const [x, y] of [
					[offM, 15],
					[15, -offM],
					[-offM, -offM]
				]) {
					const pLon = lon + x / scale.x;
					const pLat = lat + y / scale.y;
					expect(index.snap(pLon, pLat)).toEqual(fullBoxSnap(index, pLon, pLat, 150));
				}
		}
		expect(ties).toBeGreaterThan(100);
	});

	it('snapNearby gives the full box’s points for 3,000 points, limits and tolerances', () => {
		const random = seeded(21);
		const index = new SegmentIndex(jitteredNetwork(40, random));
		let several = 0;
		for (let i = 0; i < 3_000; i++) {
			const lon = 121.5 + (random() * 1_600 - 200) / scale.x;
			const lat = 31.23 + (random() * 1_600 - 200) / scale.y;
			const maxDistanceM = [10, 25, 60, 150, 400][i % 5];
			const toleranceM = [0, 10, 30, 120][i % 4];
			const maxPoints = 1 + (i % 4);
			const points = index.snapNearby(lon, lat, maxDistanceM, toleranceM, maxPoints);
			expect(points).toEqual(
				fullBoxSnapNearby(index, lon, lat, maxDistanceM, toleranceM, maxPoints)
			);
			if (points.length > 1) several++;
		}
		expect(several).toBeGreaterThan(300);
	});

	it('ringCrossings equals the crossings of each side, on 3,000 random rings', () => {
		const random = seeded(22);
		const index = new SegmentIndex(jitteredNetwork(30, random));
		let none = 0;
		let some = 0;
		for (let i = 0; i < 3_000; i++) {
			const x = random() * 1_100 - 100;
			const y = random() * 1_100 - 100;
			const half = 2 + random() * 40;
			const ring: [number, number][] = [
				[x - half, y - half],
				[x + half, y - half * random()],
				[x + half, y + half],
				[x - half * random(), y + half],
				[x - half, y - half]
			].map(([px, py]) => [121.5 + px / scale.x, 31.23 + py / scale.y]);
			// Some rings with a vertex on a node, so sides end exactly on segments.
			if (i % 7 === 0) {
				const node = Math.floor(random() * index.graph.nodeCount);
				ring[2] = [index.graph.lon(node), index.graph.lat(node)];
			}
			const sideBySide = ring
				.slice(0, -1)
				.flatMap((p, k) => index.crossings(p[0], p[1], ring[k + 1][0], ring[k + 1][1]));
			const found = index.ringCrossings(ring);
			expect(found).toEqual(sideBySide);
			if (found.length) some++;
			else none++;
		}
		expect(some).toBeGreaterThan(300);
		expect(none).toBeGreaterThan(300);
		expect(index.ringCrossings([[121.5, 31.23]])).toEqual([]);
	});

	it('finds nothing on an empty network and for a point beyond every limit', () => {
		const empty = new SegmentIndex(
			RoadGraph.build({
				nodeLon: [121.5],
				nodeLat: [31.23],
				segmentFrom: [],
				segmentTo: [],
				segmentLengthM: []
			})
		);
		expect(empty.snap(121.5, 31.23)).toBeNull();
		const index = new SegmentIndex(streetGrid(3, 30));
		expect(index.snap(121.5 - 151 / scale.x, 31.23)).toBeNull();
		expect(index.snap(121.5 - 20 / scale.x, 31.23, 10)).toBeNull();
		expect(index.snap(121.5 - 20 / scale.x, 31.23, 21)?.snapDistanceM).toBeCloseTo(20, 6);
	});
});
