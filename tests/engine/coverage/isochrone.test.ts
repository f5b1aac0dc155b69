import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon, booleanValid } from '@turf/turf';
import * as prettier from 'prettier';
import type { MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { isochroneBand, reachedEdges } from '../../../src/lib/engine/coverage/isochrone.ts';
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import { seeded, streetGrid, TextbookSearch } from '../graph/helpers.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
const fixtures = path.join(import.meta.dirname, 'fixtures');

/** Times from one node with the textbook Dijkstra of the shared helpers (no engine search). */
function timesFrom(graph: RoadGraph, node: number, maxSeconds: number, walkSpeedMps = 1) {
	const search = new TextbookSearch(graph);
	search.run([{ node, initialS: 0, label: 0 }], { walkSpeedMps, maxSeconds, stepPenaltyS: 0 });
	return Float64Array.from({ length: graph.nodeCount }, (_, i) => search.time(i));
}

/** A graph from polylines: every vertex a node (joined by exact coordinates), haversine lengths. */
function graphFromLines(lines: Position[][]): RoadGraph {
	const ids = new Map<string, number>();
	const [lon, lat, from, to, lengthM]: number[][] = [[], [], [], [], []];
	const id = ([x, y]: Position) => {
		const key = `${x},${y}`;
		let node = ids.get(key);
		if (node === undefined) {
			node = lon.length;
			ids.set(key, node);
			lon.push(x);
			lat.push(y);
		}
		return node;
	};
	for (const line of lines) {
		for (let i = 1; i < line.length; i++) {
			const [a, b] = [id(line[i - 1]), id(line[i])];
			if (a === b) continue;
			from.push(a);
			to.push(b);
			lengthM.push(haversineM(lon[a], lat[a], lon[b], lat[b]));
		}
	}
	return RoadGraph.build({
		nodeLon: lon,
		nodeLat: lat,
		segmentFrom: from,
		segmentTo: to,
		segmentLengthM: lengthM
	});
}

/** Metres from a point to a segment, in a flat frame around the point (exact to < 1 mm at 50 m). */
function pointToSegmentM(p: Position, a: Position, b: Position): number {
	const scale = metresPerDegree(p[1]);
	const [ax, ay] = [(a[0] - p[0]) * scale.x, (a[1] - p[1]) * scale.y];
	const [bx, by] = [(b[0] - p[0]) * scale.x, (b[1] - p[1]) * scale.y];
	const [dx, dy] = [bx - ax, by - ay];
	const lengthSq = dx * dx + dy * dy;
	const t = lengthSq > 0 ? Math.min(1, Math.max(0, (-ax * dx - ay * dy) / lengthSq)) : 0;
	return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Brute force: metres from a point to the nearest piece of the reached lines. */
function nearestPieceM(p: Position, lines: MultiLineString): number {
	let best = Infinity;
	for (const line of lines.coordinates) {
		for (let i = 1; i < line.length; i++) {
			// cheap reject in degrees before the exact distance (1e-3° ≥ 94 m here)
			const [a, b] = [line[i - 1], line[i]];
			if (
				Math.min(a[0], b[0]) - 1e-3 > p[0] ||
				Math.max(a[0], b[0]) + 1e-3 < p[0] ||
				Math.min(a[1], b[1]) - 1e-3 > p[1] ||
				Math.max(a[1], b[1]) + 1e-3 < p[1]
			) {
				continue;
			}
			best = Math.min(best, pointToSegmentM(p, a, b));
		}
	}
	return best;
}

const polygonsOf = (band: Polygon | MultiPolygon): Position[][][] =>
	band.type === 'Polygon' ? [band.coordinates] : band.coordinates;
/** Every vertex and the midpoint of every side: where a chord cuts a corner is its middle. */
const outlinePointsOf = (band: Polygon | MultiPolygon): Position[] =>
	polygonsOf(band).flatMap((polygon) =>
		polygon.flatMap((ring) =>
			ring.flatMap((p, k) =>
				k === 0 ? [p] : [p, [(p[0] + ring[k - 1][0]) / 2, (p[1] + ring[k - 1][1]) / 2]]
			)
		)
	);
const lengthOfPieceM = ([a, b]: Position[]) => haversineM(a[0], a[1], b[0], b[1]);

/** Rounding of output coordinates (7 decimals) plus the flat-frame error of the check: 1 cm. */
const TOLERANCE_M = 0.01;

/**
 * The guarantee and its converse on one case: every reached node inside, every vertex and every
 * sampled point inside within bandM of a piece, every point well inside the band claimed.
 */
function checkBand(
	graph: RoadGraph,
	timeS: Float64Array,
	maxSeconds: number,
	lines: MultiLineString,
	band: Polygon | MultiPolygon,
	{ bandM, cellM, simplifyM }: { bandM: number; cellM: number; simplifyM: number }
) {
	expect(booleanValid(band)).toBe(true);
	let reachedNodes = 0;
	for (let node = 0; node < graph.nodeCount; node++) {
		if (!(timeS[node] <= maxSeconds)) continue;
		reachedNodes++;
		expect(booleanPointInPolygon([graph.lon(node), graph.lat(node)], band)).toBe(true);
	}
	expect(reachedNodes).toBeGreaterThan(0);

	let farthestVertexM = 0;
	for (const vertex of outlinePointsOf(band)) {
		farthestVertexM = Math.max(farthestVertexM, nearestPieceM(vertex, lines));
	}
	expect(farthestVertexM).toBeLessThanOrEqual(bandM + TOLERANCE_M);

	// Random points in the bounding box: inside the band ⇒ within bandM of a piece; within
	// the guaranteed inner distance of a piece ⇒ inside the band.
	const innerM = bandM - 2 * (cellM * Math.SQRT2 + simplifyM) - 0.1;
	const random = seeded(3);
	const all = lines.coordinates.flat();
	const [minLon, maxLon] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
	const [minLat, maxLat] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
	const pad = 0.0006; // ≈ 57 m east–west, 67 m north–south
	let inside = 0;
	let outside = 0;
	for (let k = 0; k < 1500; k++) {
		const point = [
			minLon - pad + random() * (maxLon - minLon + 2 * pad),
			minLat - pad + random() * (maxLat - minLat + 2 * pad)
		];
		const distanceM = nearestPieceM(point, lines);
		const claimed = booleanPointInPolygon(point, band);
		if (claimed) {
			inside++;
			expect(distanceM).toBeLessThanOrEqual(bandM + TOLERANCE_M);
		} else {
			outside++;
			expect(distanceM).toBeGreaterThan(innerM);
		}
	}
	expect(inside).toBeGreaterThan(100);
	expect(outside).toBeGreaterThan(100);
	return { farthestVertexM, reachedNodes };
}

describe('reachedEdges', () => {
	// Five nodes due east, 100 m apart, at 31.23° N.
	const scale = metresPerDegree(31.23);
	const lineGraph = graphFromLines([
		Array.from({ length: 5 }, (_, i) => [121.5 + (i * 100) / scale.x, 31.23])
	]);

	it('cuts the last edge at speed × remaining time, measured from the reached end', () => {
		const walkSpeedMps = 1.2;
		const maxSeconds = 200; // nodes at 0, 83.3, 166.7 s; 40 m left at node 2
		const timeS = timesFrom(lineGraph, 0, maxSeconds, walkSpeedMps);
		const lines = reachedEdges(lineGraph, timeS, { maxSeconds, walkSpeedMps });
		expect(lines.coordinates).toHaveLength(3);
		const lengths = lines.coordinates.map(lengthOfPieceM);
		const graphLengthM = lineGraph.edgeLengthM[lineGraph.firstEdge[2]];
		expect(lengths[0]).toBeCloseTo(100, 1);
		expect(lengths[1]).toBeCloseTo(100, 1);
		const remainingM = (maxSeconds - timeS[2]) * walkSpeedMps;
		expect(remainingM).toBeCloseTo(240 - 2 * graphLengthM, 6);
		// the cut point is 240 m from node 0 along the line (rounding to 1e-7° ≈ 1 cm)
		const cut = lines.coordinates[2][1];
		const fromStartM = haversineM(lineGraph.lon(0), lineGraph.lat(0), cut[0], cut[1]);
		expect(Math.abs(fromStartM - (timeS[2] * walkSpeedMps + remainingM))).toBeLessThan(0.01);
		expect(Math.abs(lengths[2] - remainingM)).toBeLessThan(0.01);
		expect(fromStartM).toBeCloseTo(240, 1);
	});

	it('draws an edge reached from both ends with a gap in the middle as two pieces', () => {
		// Nodes 1 and 2 are 300 m apart east–west; node 0 is 50 m north of their midpoint.
		const [west, east, top] = [
			[121.5, 31.23],
			[121.5 + 300 / scale.x, 31.23],
			[121.5 + 150 / scale.x, 31.23 + 50 / scale.y]
		];
		const graph = graphFromLines([[top, west, east, top]]);
		const maxSeconds = 200;
		const timeS = timesFrom(graph, 0, maxSeconds);
		const sideM = Math.hypot(150, 50);
		expect(timeS[1]).toBeCloseTo(sideM, 1);
		expect(timeS[2]).toBeCloseTo(sideM, 1);
		const lines = reachedEdges(graph, timeS, { maxSeconds, walkSpeedMps: 1 });
		expect(lines.coordinates).toHaveLength(4);
		const lengths = lines.coordinates.map(lengthOfPieceM).sort((a, b) => a - b);
		// two pieces of 200 − 158.1 = 41.9 m on the long edge, two whole 158.1 m edges
		expect(lengths[0]).toBeCloseTo(maxSeconds - timeS[1], 1);
		expect(lengths[1]).toBeCloseTo(maxSeconds - timeS[2], 1);
		expect(lengths[2]).toBeCloseTo(sideM, 1);
		expect(lengths[3]).toBeCloseTo(sideM, 1);
		// with a budget that covers the gap the long edge is drawn once, whole
		const wide = reachedEdges(graph, timesFrom(graph, 0, 320), {
			maxSeconds: 320,
			walkSpeedMps: 1
		});
		expect(wide.coordinates.map(lengthOfPieceM).sort((a, b) => a - b)[2]).toBeCloseTo(300, 1);
		expect(wide.coordinates).toHaveLength(3);
	});

	it('draws the part of a source edge within the budget when neither end is reached', () => {
		const timeS = new Float64Array(lineGraph.nodeCount).fill(Infinity);
		const edge = lineGraph.firstEdge[1]; // 1 → 0 (the first edge stored at node 1)
		expect(lineGraph.edgeTarget[edge]).toBe(0);
		const lengthM = lineGraph.edgeLengthM[edge];
		const source = { edge, fromNode: 1, toNode: 0, offsetM: 50, lengthM };
		const lines = reachedEdges(lineGraph, timeS, {
			maxSeconds: 20,
			walkSpeedMps: 1,
			sources: [source]
		});
		expect(lines.coordinates).toHaveLength(1);
		expect(lengthOfPieceM(lines.coordinates[0])).toBeCloseTo(40, 1);
	});

	it('on a grid, every segment is drawn once, and the reached length matches the budgets', () => {
		const graph = streetGrid(15, 80);
		const maxSeconds = 500;
		const timeS = timesFrom(graph, 7 * 15 + 7, maxSeconds);
		const lines = reachedEdges(graph, timeS, { maxSeconds, walkSpeedMps: 1 });
		// expected: Σ over segments of min(L, max(0, r_u) + max(0, r_v)) with r = T − t (1 m/s)
		let expectedM = 0;
		for (let u = 0; u < graph.nodeCount; u++) {
			for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
				const v = graph.edgeTarget[e];
				if (v < u) continue;
				const r = (node: number) => (timeS[node] <= maxSeconds ? maxSeconds - timeS[node] : 0);
				expectedM += Math.min(graph.edgeLengthM[e], r(u) + r(v));
			}
		}
		const drawnM = lines.coordinates.reduce((sum, piece) => sum + lengthOfPieceM(piece), 0);
		expect(Math.abs(drawnM - expectedM)).toBeLessThan(0.01 * lines.coordinates.length);
		// On a grid the walking distance is the Manhattan distance: no piece reaches beyond 500 m.
		for (const piece of lines.coordinates) {
			for (const [lon, lat] of piece) {
				const scale = metresPerDegree(31.23);
				const manhattanM =
					Math.abs(lon - graph.lon(7 * 15 + 7)) * scale.x +
					Math.abs(lat - graph.lat(7 * 15 + 7)) * scale.y;
				expect(manhattanM).toBeLessThanOrEqual(maxSeconds + 0.05);
			}
		}
	});

	it('returns an empty MultiLineString when nothing is reached, and the band is empty', () => {
		const timeS = new Float64Array(lineGraph.nodeCount).fill(Infinity);
		const lines = reachedEdges(lineGraph, timeS, { maxSeconds: 900, walkSpeedMps: 1 });
		expect(lines).toEqual({ type: 'MultiLineString', coordinates: [] });
		expect(isochroneBand(lines)).toEqual({ type: 'MultiPolygon', coordinates: [] });
	});

	it('rejects times of the wrong length and a non-positive speed', () => {
		expect(() =>
			reachedEdges(lineGraph, new Float64Array(3), { maxSeconds: 1, walkSpeedMps: 1 })
		).toThrow(/3 entries, the graph has 5 nodes/);
		expect(() =>
			reachedEdges(lineGraph, new Float64Array(5), { maxSeconds: 1, walkSpeedMps: 0 })
		).toThrow(/walkSpeedMps is 0/);
	});
});

describe('isochroneBand', () => {
	it('on a street grid: contains the reached nodes and never claims land beyond 50 m', () => {
		const graph = streetGrid(21, 80);
		const maxSeconds = 600;
		const timeS = timesFrom(graph, 10 * 21 + 10, maxSeconds);
		const lines = reachedEdges(graph, timeS, { maxSeconds, walkSpeedMps: 1 });
		const band = isochroneBand(lines);
		// 80 m blocks leave no hole: 40 m to the nearest street at the block centre
		expect(band.type).toBe('Polygon');
		expect((band as Polygon).coordinates).toHaveLength(1);
		const { farthestVertexM } = checkBand(graph, timeS, maxSeconds, lines, band, {
			bandM: 50,
			cellM: 2,
			simplifyM: 0.5
		});
		// the outline sits at the contour level ≈ 50 − 2√2 − 0.5 = 46.7 m, not far inside
		expect(farthestVertexM).toBeGreaterThan(46);
	});

	it('on a grid with 200 m blocks: a hole in each fully enclosed block (blocks farther than 50 m)', () => {
		const graph = streetGrid(7, 200);
		const maxSeconds = 3000;
		const timeS = timesFrom(graph, 0, maxSeconds);
		const lines = reachedEdges(graph, timeS, { maxSeconds, walkSpeedMps: 1 });
		const band = isochroneBand(lines, { bandM: 50 });
		expect(band.type).toBe('Polygon');
		expect((band as Polygon).coordinates).toHaveLength(1 + 36);
		checkBand(graph, timeS, maxSeconds, lines, band, { bandM: 50, cellM: 2, simplifyM: 0.5 });
	});

	it('keeps the guarantee with a coarse cell and with a grid capped below its natural size', () => {
		const graph = streetGrid(11, 120);
		const maxSeconds = 700;
		const timeS = timesFrom(graph, 60, maxSeconds);
		const lines = reachedEdges(graph, timeS, { maxSeconds, walkSpeedMps: 1 });
		for (const options of [
			{ bandM: 50, cellM: 6, simplifyM: 1 },
			{ bandM: 30, cellM: 1, simplifyM: 0 }
		]) {
			checkBand(graph, timeS, maxSeconds, lines, isochroneBand(lines, options), options);
		}
		// 20 000 samples for a ≈ 1.3 km box forces cells of ≈ 10 m
		const capped = isochroneBand(lines, { bandM: 60, maxGridPoints: 20_000 });
		const vertices = outlinePointsOf(capped);
		for (const vertex of vertices) {
			expect(nearestPieceM(vertex, lines)).toBeLessThanOrEqual(60 + TOLERANCE_M);
		}
		for (let node = 0; node < graph.nodeCount; node++) {
			if (timeS[node] <= maxSeconds) {
				expect(booleanPointInPolygon([graph.lon(node), graph.lat(node)], capped)).toBe(true);
			}
		}
	});

	it('rejects a band too narrow for its cell, naming the options to change', () => {
		const lines: MultiLineString = {
			type: 'MultiLineString',
			coordinates: [
				[
					[121.5, 31.23],
					[121.501, 31.23]
				]
			]
		};
		expect(() => isochroneBand(lines, { bandM: 5, cellM: 2 })).toThrow(/too narrow.*cellM/);
		expect(() => isochroneBand(lines, { bandM: -1 })).toThrow(/bandM is -1/);
	});

	it('on the Shanghai demo network (no tunnels): 15-minute band from three seeded nodes', () => {
		const network = JSON.parse(
			readFileSync(
				path.join(repoRoot, 'data', 'regions', 'shanghai-bund-lujiazui', 'network.geojson'),
				'utf8'
			)
		) as { features: { geometry: { coordinates: Position[] }; properties: { tunnel?: string } }[] };
		const graph = graphFromLines(
			network.features
				.filter((feature) => feature.properties.tunnel !== 'yes')
				.map((feature) => feature.geometry.coordinates)
		);
		expect(graph.nodeCount).toBeGreaterThan(4000);
		const random = seeded(15);
		const maxSeconds = 900;
		let checked = 0;
		while (checked < 3) {
			const source = Math.floor(random() * graph.nodeCount);
			const timeS = timesFrom(graph, source, maxSeconds);
			const lines = reachedEdges(graph, timeS, { maxSeconds, walkSpeedMps: 1 });
			if (lines.coordinates.length < 500) continue; // a dead-end island: try another seed
			const band = isochroneBand(lines);
			checkBand(graph, timeS, maxSeconds, lines, band, { bandM: 50, cellM: 2, simplifyM: 0.5 });
			checked++;
		}
	});
});

describe('golden: 4 × 4 grid of 100 m, from a corner, 250 s at 1 m/s, 50 m band', () => {
	it('matches fixtures/grid-4x4-corner-250s.geojson (REGEN=1 rewrites it)', async () => {
		const parameters = {
			gridNodes: 4,
			spacingM: 100,
			source: 0,
			maxSeconds: 250,
			walkSpeedMps: 1,
			bandM: 50
		};
		const graph = streetGrid(parameters.gridNodes, parameters.spacingM);
		const timeS = timesFrom(graph, parameters.source, parameters.maxSeconds);
		const lines = reachedEdges(graph, timeS, parameters);
		const band = isochroneBand(lines, { bandM: parameters.bandM });
		const reached = [];
		for (let node = 0; node < graph.nodeCount; node++) {
			if (timeS[node] <= parameters.maxSeconds) {
				reached.push({
					type: 'Feature',
					geometry: { type: 'Point', coordinates: [graph.lon(node), graph.lat(node)] },
					properties: { part: 'reached-node', node, timeS: Math.round(timeS[node] * 100) / 100 }
				});
			}
		}
		const golden = {
			type: 'FeatureCollection',
			properties: parameters,
			features: [
				{ type: 'Feature', geometry: band, properties: { part: 'band', bandM: parameters.bandM } },
				{ type: 'Feature', geometry: lines, properties: { part: 'reached-streets' } },
				...reached
			]
		};
		const file = path.join(fixtures, 'grid-4x4-corner-250s.geojson');
		if (process.env.REGEN) {
			// written as the repo's prettier would, so `npm run lint` stays clean
			const options = { ...(await prettier.resolveConfig(file)), parser: 'json' };
			writeFileSync(file, await prettier.format(JSON.stringify(golden), options));
		}
		expect(golden).toEqual(JSON.parse(readFileSync(file, 'utf8')));
		// by eye: 6 whole edges among the 6 nodes within 200 m, and 6 pieces of 50 m leaving the
		// three nodes at 200 m towards nodes at 300 m
		expect(lines.coordinates).toHaveLength(12);
		expect(lines.coordinates.filter((piece) => lengthOfPieceM(piece) < 51)).toHaveLength(6);
	});
});
