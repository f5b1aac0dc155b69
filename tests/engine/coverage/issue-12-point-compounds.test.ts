/**
 * Issue 12 (point compounds): a point compound placed on every distinct road near it, not only
 * the nearest (a 10 m move no longer jumps between roads), its snap distance, and why a compound
 * is not covered — on a small synthetic network whose walking times are known by hand, and on
 * the demo region.
 *
 * The network (metres east / north of 121.5 E, 31.23 N; walking 1 m/s, so 1 m = 1 s):
 *   road A: y = 0 from x = −300 to 300, the facility door at (0, 0)
 *   road B: y = 40 from x = −300 to 300, joined to A only at x = 300 (a 40 m link)
 *   road C: y = 1000 from x = 0 to 200, joined to nothing (an island: across a river)
 * From B at x = 0 the door is 300 + 40 + 300 = 640 m away: 10.67 min.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegionGraph } from '../../../scripts/graph-cache.ts';
import {
	computeCoverage,
	farSnapMessage,
	SNAP_WARNING_M,
	type CoverageOptions
} from '../../../src/lib/engine/coverage/coverage.ts';
import { COVERAGE_CSV_COLUMNS, coverageCsv } from '../../../src/lib/engine/coverage/csv.ts';
import { componentOf } from '../../../src/lib/engine/graph/components.ts';
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { defaultRegionsDir, readRegion } from '../../../src/lib/server/region-store.ts';

const scale = metresPerDegree(31.23);
const at = (xM: number, yM: number): [number, number] => [
	121.5 + xM / scale.x,
	31.23 + yM / scale.y
];

/** A graph from polylines given in metres; every vertex is a node, shared vertices join lines. */
function linesGraph(lines: [number, number][][]): RoadGraph {
	const nodes = new Map<string, number>();
	const nodeLon: number[] = [];
	const nodeLat: number[] = [];
	const segmentFrom: number[] = [];
	const segmentTo: number[] = [];
	const segmentLengthM: number[] = [];
	const node = ([x, y]: [number, number]) => {
		const key = `${x},${y}`;
		if (!nodes.has(key)) {
			const [lon, lat] = at(x, y);
			nodes.set(key, nodeLon.length);
			nodeLon.push(lon);
			nodeLat.push(lat);
		}
		return nodes.get(key)!;
	};
	for (const line of lines)
		for (let i = 0; i + 1 < line.length; i++) {
			const a = node(line[i]);
			const b = node(line[i + 1]);
			segmentFrom.push(a);
			segmentTo.push(b);
			segmentLengthM.push(haversineM(nodeLon[a], nodeLat[a], nodeLon[b], nodeLat[b]));
		}
	return RoadGraph.build({ nodeLon, nodeLat, segmentFrom, segmentTo, segmentLengthM });
}

const road = (y: number, x0: number, x1: number, step = 100): [number, number][] => {
	const points: [number, number][] = [];
	for (let x = x0; x <= x1; x += step) points.push([x, y]);
	return points;
};

const graph = linesGraph([
	road(0, -300, 300),
	road(40, -300, 300),
	[
		[300, 0],
		[300, 40]
	],
	road(1000, 0, 200)
]);
const index = new SegmentIndex(graph);
const search = new WalkSearch(graph);

function pointCompound(
	id: string,
	position: [number, number] | null,
	gates: [number, number][] = []
): ResidentialFeature {
	return {
		type: 'Feature',
		geometry: (position
			? { type: 'Point', coordinates: at(...position) }
			: null) as ResidentialFeature['geometry'],
		properties: {
			id,
			name: id,
			households: 100,
			elders: 50,
			status: 'existing',
			builtYear: null,
			streetCode: null,
			gates: gates.map((gate) => at(...gate)),
			estimated: {}
		}
	};
}
function facility(id: string, position: [number, number]): FacilityFeature {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: at(...position) },
		properties: {
			id,
			name: id,
			kind: 'community_station',
			floorAreaM2: 300,
			landAreaM2: null,
			beds: null,
			nursingBeds: null,
			status: 'existing',
			streetCode: null,
			source: 'test',
			estimated: {}
		}
	};
}
const door = facility('door', [0, 0]);
const coverage = (
	compounds: ResidentialFeature[],
	facilities: FacilityFeature[] = [door],
	options: CoverageOptions = { maxMinutes: 10 }
) => computeCoverage(index, search, compounds, facilities, options);

describe('issue 12: a point compound between two roads keeps its walking time when moved 10 m', () => {
	it('takes the better of the two roads on either side of the midline (was 0 vs 10.67 min)', () => {
		// 15 m from A (25 m from B), then 10 m north: 15 m from B (25 m from A). With the nearest
		// segment alone the first took A (0 min) and the second B (640 m: 10.67 min).
		const [before, after] = coverage([
			pointCompound('p', [0, 15]),
			pointCompound('p-moved', [0, 25])
		]).compounds;
		expect(before.minutes).toBe(0);
		expect(Math.abs(after.minutes! - before.minutes!)).toBeLessThan(0.5);
		expect(after).toMatchObject({ access: 'centroid', accessPoints: 2, covered: true });
	});

	it('places a point on each distinct road within the nearest + 30 m, nearest first, each once', () => {
		const points = index.snapNearby(...at(0, 15), 150, 30, 4);
		expect(points.map((p) => Math.round(p.snapDistanceM))).toEqual([15, 25]);
		// 35 m from B would be more than 30 m beyond A's 3 m: A only
		expect(index.snapNearby(...at(0, 3), 150, 30, 4)).toHaveLength(1);
		// next to a node of road A (two segments meet at x = 100): one point, not one per segment
		expect(index.snapNearby(...at(100, -5), 150, 30, 4)).toHaveLength(1);
	});

	it('on the demo region: the point that moved 10 m east and lost 4.6 min now changes by < 0.5 min', () => {
		const id = 'shanghai-bund-lujiazui';
		const region = readRegion(defaultRegionsDir(), id);
		const demo = loadRegionGraph(join(defaultRegionsDir(), id), region.meta).graph;
		const demoIndex = new SegmentIndex(demo);
		const demoSearch = new WalkSearch(demo);
		// Beside 三航小区: 3.6 m from a way that reaches the meal point in 13.83 min, and 30 m
		// from one that does in 9.12 min; 10 m east the nearest way is the second (9.26 min).
		const start: [number, number] = [121.507525, 31.2375149];
		const east: [number, number] = [start[0] + 10 / metresPerDegree(start[1]).x, start[1]];
		const compound = (pointId: string, position: [number, number]): ResidentialFeature => ({
			...pointCompound(pointId, [0, 0]),
			geometry: { type: 'Point', coordinates: position }
		});
		const nearestOnly = [start, east].map((position) => {
			const p = demoIndex.snap(...position)!;
			return p;
		});
		expect(nearestOnly[0].edge).not.toBe(nearestOnly[1].edge);
		const rows = computeCoverage(
			demoIndex,
			demoSearch,
			[compound('start', start), compound('east', east)],
			region.layers.facilities!,
			{ maxMinutes: 15 }
		).compounds;
		expect(rows[0].minutes).toBeCloseTo(9.12, 2);
		expect(Math.abs(rows[0].minutes! - rows[1].minutes!)).toBeLessThan(0.5);
	});
});

describe('issue 12: snap distance of each compound and the > 50 m warning', () => {
	it('reports the snap distance of the access point the time goes through, and flags it beyond 50 m', () => {
		const [near, far] = coverage([
			pointCompound('near', [0, 15]),
			pointCompound('far', [0, -80])
		]).compounds;
		expect(near.snapDistanceM).toBe(15);
		expect(far).toMatchObject({ snapDistanceM: 80, minutes: 0, covered: true, notCovered: null });
		expect(SNAP_WARNING_M).toBe(50);
		expect(farSnapMessage(near.snapDistanceM)).toBeNull();
		expect(farSnapMessage(80)).toEqual({
			messageZh: '入口距步行路网 80 m（>50 m），步行时间可能不准',
			messageEn: 'access point 80 m from the walking network (> 50 m): walking time may be off'
		});
	});
});

describe('issue 12: why a compound is not covered', () => {
	it('names each kind: off-network, disconnected, beyond the limit, no location', () => {
		const rows = coverage([
			pointCompound('off', [0, 500]),
			pointCompound(
				'off-gates',
				[0, 500],
				[
					[0, 480],
					[10, 480]
				]
			),
			pointCompound('island', [100, 1010]),
			pointCompound('far-b', [-300, 45]),
			pointCompound('nowhere', null)
		]).compounds;
		const kinds = Object.fromEntries(rows.map((row) => [row.id, row.notCovered?.kind]));
		expect(kinds).toEqual({
			off: 'off-network',
			'off-gates': 'off-network',
			island: 'disconnected',
			'far-b': 'beyond-limit',
			nowhere: 'no-location'
		});
		expect(rows[0].notCovered!.messageEn).toBe(
			'no part of it within 150 m of the walking network: off-network'
		);
		expect(rows[1].notCovered!.messageZh).toBe('2 个出入口距步行路网均超过 150 m，无法接入路网');
		// from (−300, 40): 600 m along B, 40 m down, 300 m along A = 940 m = 15.67 min
		expect(rows[3].minutes).toBe(15.67);
		expect(rows[3].notCovered!.messageZh).toBe('最近设施步行 15.7 分钟（> 10 分钟）');
		expect(rows.every((row) => !row.covered)).toBe(true);
		const part = componentOf(graph);
		expect(new Set(part).size).toBe(2); // roads A + B, and the island
	});

	it('says "more than N min" beyond the report bound, when a facility is still reachable', () => {
		const [farB] = coverage([pointCompound('far-b', [-300, 45])], [door], {
			maxMinutes: 10,
			reportUpToMinutes: 15
		}).compounds;
		expect(farB.minutes).toBeNull();
		expect(farB.notCovered).toMatchObject({
			kind: 'beyond-limit',
			messageEn: 'nearest facility more than 15 min on foot (> 10 min)'
		});
	});

	it('no facility in the region, or none on the network', () => {
		const compound = pointCompound('p', [0, 15]);
		expect(coverage([compound], []).compounds[0].notCovered).toMatchObject({
			kind: 'no-facility',
			messageZh: '本区域没有养老服务设施'
		});
		expect(
			coverage([compound], [facility('lost', [0, 600])]).compounds[0].notCovered
		).toMatchObject({
			kind: 'no-facility',
			messageEn: "none of the region's 1 facilities lies within 150 m of the walking network"
		});
	});

	it('writes snapDistanceM and the reason (zh / en) into coverage.csv', () => {
		const csv = coverageCsv(
			coverage([pointCompound('far', [0, -80]), pointCompound('island', [100, 1010])]).compounds
		);
		const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
		expect(lines[0]).toBe(
			'id,name,streetCode,households,households_estimated,elders,elders_estimated,access,snapDistanceM,minutesToNearest,nearestFacilityId,covered,reachingFacilityIds,note,reason'
		);
		expect(COVERAGE_CSV_COLUMNS).toContain('snapDistanceM');
		expect(lines[1]).toBe(
			'far,far,,100,,50,,centroid,80,0,door,yes,door,,入口距步行路网 80 m（>50 m），步行时间可能不准 / access point 80 m from the walking network (> 50 m): walking time may be off'
		);
		expect(lines[2]).toBe(
			'island,island,,100,,50,,centroid,10,,,no,,,所在步行路网与所有设施均不连通（如隔江而无步行通道），任何设施都不可达 / in a part of the walking network with no facility (e.g. across a river without a walkable crossing): no facility reachable at all'
		);
	});
});
