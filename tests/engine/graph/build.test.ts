import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegionGraph } from '../../../scripts/graph-cache.ts';
import {
	buildWalkGraph,
	buildWalkGraphFromOsm,
	hilbertIndex,
	WalkGraphError,
	type WalkGraphReport
} from '../../../src/lib/engine/graph/build.ts';
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { EDGE_FLAGS, type RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import {
	classifyWay,
	WALKABILITY_RULES,
	type WayTags
} from '../../../src/lib/engine/graph/walkability.ts';
import { osmToNetworkFeatures, readOsm } from '../../../src/lib/engine/osm/index.ts';
import type { NetworkFeature, RegionMeta } from '../../../src/lib/engine/region/schema.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
const sharedData = path.join(repoRoot, '..', 'shared', 'data');
const demoDir = path.join(repoRoot, 'data', 'regions', 'shanghai-bund-lujiazui');
const readDemoNetwork = () =>
	(
		JSON.parse(readFileSync(path.join(demoDir, 'network.geojson'), 'utf8')) as {
			features: NetworkFeature[];
		}
	).features;

// ------------------------------------------------------------------ helpers

const line = (coordinates: [number, number][], properties: WayTags = { highway: 'footway' }) =>
	({
		type: 'Feature',
		geometry: { type: 'LineString', coordinates },
		properties: { highway: 'footway', ...properties }
	}) as NetworkFeature;

/** An n × n street grid `spacingM` apart as 2n lines (rows, then columns) sharing vertices. */
function gridLines(n: number, spacingM: number, lon0 = 121.5, lat0 = 31.23): NetworkFeature[] {
	const scale = metresPerDegree(lat0);
	const at = (row: number, col: number): [number, number] => [
		lon0 + (col * spacingM) / scale.x,
		lat0 + (row * spacingM) / scale.y
	];
	const features: NetworkFeature[] = [];
	for (let row = 0; row < n; row++)
		features.push(
			line(
				Array.from({ length: n }, (_, col) => at(row, col)),
				{ highway: 'residential' }
			)
		);
	for (let col = 0; col < n; col++)
		features.push(
			line(
				Array.from({ length: n }, (_, row) => at(row, col)),
				{ highway: 'residential' }
			)
		);
	return features;
}

/** A straight east-going line of `count` vertices `stepM` apart, starting at (lon0, lat0). */
function chain(count: number, lon0: number, lat0: number, stepM = 10): NetworkFeature {
	const scale = metresPerDegree(lat0);
	return line(Array.from({ length: count }, (_, i) => [lon0 + (i * stepM) / scale.x, lat0]));
}

/** Connected component id per node (BFS over the CSR). */
function components(graph: RoadGraph): { id: Int32Array; count: number } {
	const id = new Int32Array(graph.nodeCount).fill(-1);
	let count = 0;
	const stack: number[] = [];
	for (let start = 0; start < graph.nodeCount; start++) {
		if (id[start] >= 0) continue;
		id[start] = count;
		stack.push(start);
		while (stack.length > 0) {
			const node = stack.pop()!;
			for (let e = graph.firstEdge[node]; e < graph.firstEdge[node + 1]; e++) {
				const next = graph.edgeTarget[e];
				if (id[next] < 0) {
					id[next] = count;
					stack.push(next);
				}
			}
		}
		count++;
	}
	return { id, count };
}

/** Nearest graph node to a point, by brute force over all nodes. */
function nearestNode(
	graph: RoadGraph,
	lon: number,
	lat: number
): { node: number; distanceM: number } {
	let best = { node: -1, distanceM: Infinity };
	for (let node = 0; node < graph.nodeCount; node++) {
		const distanceM = haversineM(lon, lat, graph.lon(node), graph.lat(node));
		if (distanceM < best.distanceM) best = { node, distanceM };
	}
	return best;
}

/** Map "lonE7,latE7" → node, for looking up feature vertices in the graph. */
function nodeByCoordinate(graph: RoadGraph): Map<string, number> {
	const map = new Map<string, number>();
	for (let node = 0; node < graph.nodeCount; node++)
		map.set(`${graph.nodeLonE7[node]},${graph.nodeLatE7[node]}`, node);
	return map;
}
const coordinateKey = (position: readonly number[]) =>
	`${Math.round(position[0] * 1e7)},${Math.round(position[1] * 1e7)}`;
const linesOf = (feature: NetworkFeature) =>
	feature.geometry.type === 'LineString'
		? [feature.geometry.coordinates]
		: feature.geometry.coordinates;

/**
 * An independent, deliberately naive builder (string keys, Sets, BFS on a Map): what the
 * report's counts must equal on real data.
 */
function naiveCounts(features: NetworkFeature[], minComponentNodes: number) {
	const adjacency = new Map<string, Set<string>>();
	const coordinates = new Map<string, [number, number]>();
	for (const feature of features) {
		if (!classifyWay(feature.properties).walkable) continue;
		for (const part of linesOf(feature)) {
			for (let i = 0; i < part.length; i++) {
				const key = coordinateKey(part[i]);
				if (!adjacency.has(key)) {
					adjacency.set(key, new Set());
					coordinates.set(key, [
						Math.round(part[i][0] * 1e7) / 1e7,
						Math.round(part[i][1] * 1e7) / 1e7
					]);
				}
				if (i > 0) {
					const previous = coordinateKey(part[i - 1]);
					if (previous !== key) {
						adjacency.get(key)!.add(previous);
						adjacency.get(previous)!.add(key);
					}
				}
			}
		}
	}
	const seen = new Set<string>();
	let nodes = 0;
	let segments = 0;
	let lengthM = 0;
	let kept = 0;
	let dropped = 0;
	let largest = 0;
	for (const start of adjacency.keys()) {
		if (seen.has(start)) continue;
		const members = [start];
		seen.add(start);
		for (let i = 0; i < members.length; i++) {
			for (const next of adjacency.get(members[i])!) {
				if (!seen.has(next)) {
					seen.add(next);
					members.push(next);
				}
			}
		}
		largest = Math.max(largest, members.length);
		if (members.length < minComponentNodes) {
			dropped++;
			continue;
		}
		kept++;
		nodes += members.length;
		for (const member of members) {
			const [lon, lat] = coordinates.get(member)!;
			for (const next of adjacency.get(member)!) {
				if (member < next) {
					segments++;
					const [lon2, lat2] = coordinates.get(next)!;
					lengthM += haversineM(lon, lat, lon2, lat2);
				}
			}
		}
	}
	return { nodes, segments, lengthM, kept, dropped, largest };
}

/** Every directed edge has its reverse with the same length and flags. */
function expectSymmetric(graph: RoadGraph) {
	const reverse = new Map<string, [number, number]>();
	for (let u = 0; u < graph.nodeCount; u++)
		for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++)
			reverse.set(`${u},${graph.edgeTarget[e]}`, [graph.edgeLengthM[e], graph.edgeFlags[e]]);
	for (let u = 0; u < graph.nodeCount; u++)
		for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
			expect(reverse.get(`${graph.edgeTarget[e]},${u}`)).toEqual([
				graph.edgeLengthM[e],
				graph.edgeFlags[e]
			]);
		}
}

function thrown(run: () => unknown): WalkGraphError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(WalkGraphError);
		return error as WalkGraphError;
	}
	throw new Error('expected a WalkGraphError');
}

// ------------------------------------------------------------------ the tag table

describe('classifyWay: the walkability table, rule by rule', () => {
	const cases: { tags: WayTags; walkable: boolean; rule: string; why: string }[] = [
		{
			tags: { name: 'no highway' },
			walkable: false,
			rule: 'no-highway',
			why: 'not a road-network way'
		},
		{
			tags: { highway: 'footway', man_made: 'pier' },
			walkable: false,
			rule: 'pier',
			why: 'piers lead onto the water'
		},
		{
			tags: { highway: 'service', route: 'ferry' },
			walkable: false,
			rule: 'ferry',
			why: 'a ferry is a boat crossing'
		},
		{ tags: { highway: 'construction' }, walkable: false, rule: 'not-open', why: 'not open yet' },
		{ tags: { highway: 'proposed' }, walkable: false, rule: 'not-open', why: 'does not exist' },
		{ tags: { highway: 'abandoned' }, walkable: false, rule: 'not-open', why: 'no longer a way' },
		{
			tags: { highway: 'footway', foot: 'no' },
			walkable: false,
			rule: 'foot-no',
			why: 'walking forbidden'
		},
		{
			tags: { highway: 'cycleway', foot: 'no' },
			walkable: false,
			rule: 'foot-no',
			why: 'cycleway closed to walkers'
		},
		{
			tags: { highway: 'service', access: 'private' },
			walkable: false,
			rule: 'access-closed',
			why: 'private road'
		},
		{
			tags: { highway: 'residential', access: 'no' },
			walkable: false,
			rule: 'access-closed',
			why: 'closed road'
		},
		{
			tags: { highway: 'service', access: 'private', foot: 'yes' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'foot=yes overrides access'
		},
		{
			tags: { highway: 'service', access: 'no', foot: 'permissive' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'foot=permissive overrides access'
		},
		{ tags: { highway: 'motorway' }, walkable: false, rule: 'motorway', why: 'motorway' },
		{ tags: { highway: 'motorway_link' }, walkable: false, rule: 'motorway', why: 'motorway ramp' },
		{ tags: { highway: 'raceway' }, walkable: false, rule: 'raceway-guideway', why: 'race track' },
		{
			tags: { highway: 'bus_guideway' },
			walkable: false,
			rule: 'raceway-guideway',
			why: 'guided busway'
		},
		{
			tags: { highway: 'platform', area: 'yes' },
			walkable: false,
			rule: 'platform-area',
			why: 'platform outline'
		},
		{
			tags: { highway: 'platform' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'platform line'
		},
		{
			tags: { highway: 'primary', tunnel: 'yes', name: '延安东路隧道' },
			walkable: false,
			rule: 'road-tunnel',
			why: 'Huangpu road tunnel'
		},
		{
			tags: { highway: 'secondary', tunnel: 'yes' },
			walkable: false,
			rule: 'road-tunnel',
			why: 'road tunnel'
		},
		{
			tags: { highway: 'service', tunnel: 'yes' },
			walkable: false,
			rule: 'road-tunnel',
			why: 'car-park ramp tunnel'
		},
		{
			tags: { highway: 'primary', tunnel: 'yes', foot: 'yes' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'tunnel open to walkers'
		},
		{
			tags: { highway: 'secondary', tunnel: 'yes', sidewalk: 'both' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'tunnel with sidewalks'
		},
		{
			tags: { highway: 'residential', tunnel: 'building_passage' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'passage under a building, not a road tunnel'
		},
		{
			tags: { highway: 'primary', tunnel: 'no' },
			walkable: true,
			rule: 'walkable-highway',
			why: 'tunnel=no'
		},
		{ tags: { highway: 'trunk' }, walkable: false, rule: 'trunk-closed', why: 'expressway-like' },
		{
			tags: { highway: 'trunk_link' },
			walkable: false,
			rule: 'trunk-closed',
			why: 'elevated-road ramp'
		},
		{
			tags: { highway: 'trunk', foot: 'yes' },
			walkable: true,
			rule: 'trunk-open',
			why: 'foot access'
		},
		{
			tags: { highway: 'trunk', foot: 'designated' },
			walkable: true,
			rule: 'trunk-open',
			why: 'designated foot access'
		},
		{
			tags: { highway: 'trunk', sidewalk: 'right' },
			walkable: true,
			rule: 'trunk-open',
			why: 'sidewalk'
		},
		{
			tags: { highway: 'trunk', 'sidewalk:left': 'yes' },
			walkable: true,
			rule: 'trunk-open',
			why: 'sidewalk:left'
		},
		{
			tags: { highway: 'trunk', sidewalk: 'no' },
			walkable: false,
			rule: 'trunk-closed',
			why: 'sidewalk=no'
		},
		{
			tags: { highway: 'trunk', sidewalk: 'separate' },
			walkable: false,
			rule: 'trunk-closed',
			why: 'sidewalk mapped separately'
		},
		{
			tags: { highway: 'trunk', foot: 'permissive' },
			walkable: false,
			rule: 'trunk-closed',
			why: 'permissive is not enough for a trunk'
		},
		{
			tags: { highway: 'footway', footway: 'sidewalk' },
			walkable: true,
			rule: 'sidewalk',
			why: 'sidewalk way'
		},
		{
			tags: { highway: 'pedestrian', area: 'yes' },
			walkable: true,
			rule: 'pedestrian-area',
			why: 'square outline'
		},
		{
			tags: { highway: 'footway', tunnel: 'yes' },
			walkable: true,
			rule: 'underpass',
			why: 'pedestrian underpass'
		},
		{
			tags: { highway: 'steps', tunnel: 'yes' },
			walkable: true,
			rule: 'underpass',
			why: 'steps into an underpass'
		},
		{
			tags: { highway: 'corridor', tunnel: 'yes' },
			walkable: true,
			rule: 'underpass',
			why: 'indoor corridor below ground'
		},
		...[
			'footway',
			'path',
			'pedestrian',
			'steps',
			'living_street',
			'residential',
			'service',
			'unclassified',
			'tertiary',
			'tertiary_link',
			'secondary',
			'secondary_link',
			'primary',
			'primary_link',
			'track',
			'cycleway',
			'corridor',
			'elevator'
		].map((highway) => ({
			tags: { highway },
			walkable: true,
			rule: 'walkable-highway',
			why: `highway=${highway}`
		})),
		{
			tags: { highway: 'bridleway' },
			walkable: false,
			rule: 'other-highway',
			why: 'not in the walkable list'
		},
		{
			tags: { highway: 'services' },
			walkable: false,
			rule: 'other-highway',
			why: 'service-area polygon'
		},
		{
			tags: { highway: 'Primary', tunnel: 'YES' },
			walkable: false,
			rule: 'road-tunnel',
			why: 'values compared case-insensitively'
		},
		{
			tags: { highway: 'footway', foot: null },
			walkable: true,
			rule: 'walkable-highway',
			why: 'null = tag absent'
		}
	];

	it.each(cases)('$rule: $why → walkable $walkable', ({ tags, walkable, rule }) => {
		const verdict = classifyWay(tags);
		expect(verdict.ruleId).toBe(rule);
		expect(verdict.walkable).toBe(walkable);
		const ruleDef = WALKABILITY_RULES.find((r) => r.id === rule)!;
		expect(ruleDef.walkable).toBe(walkable);
		expect(verdict.reason.length).toBeGreaterThan(5);
	});

	it('exercises every rule of the table', () => {
		const used = new Set(cases.map((c) => c.rule));
		expect(WALKABILITY_RULES.map((r) => r.id).filter((id) => !used.has(id))).toEqual([]);
	});

	it('flags steps and inclines, but not incline=0/no', () => {
		expect(classifyWay({ highway: 'steps' }).flags).toBe(EDGE_FLAGS.steps);
		expect(classifyWay({ highway: 'steps', incline: 'up' }).flags).toBe(
			EDGE_FLAGS.steps | EDGE_FLAGS.incline
		);
		expect(classifyWay({ highway: 'footway', incline: '8%' }).flags).toBe(EDGE_FLAGS.incline);
		expect(classifyWay({ highway: 'footway', incline: 'no' }).flags).toBe(0);
		expect(classifyWay({ highway: 'footway', incline: '0' }).flags).toBe(0);
		expect(classifyWay({ highway: 'footway', incline: 0 }).flags).toBe(0);
		expect(classifyWay({ highway: 'residential' }).flags).toBe(0);
	});

	it('matches the table in docs/WALKABILITY.md row for row (rule ids in order)', () => {
		const doc = readFileSync(path.join(repoRoot, 'docs', 'WALKABILITY.md'), 'utf8');
		const documented = [...doc.matchAll(/^\|\s*\d+\s*\|\s*`([a-z-]+)`/gm)].map((m) => m[1]);
		expect(documented).toEqual(WALKABILITY_RULES.map((r) => r.id));
	});
});

// ------------------------------------------------------------------ generated networks

describe('buildWalkGraph on generated networks', () => {
	it('an N × N grid of lines has N² nodes, 2N(N−1) segments, one component, lengths = spacing', () => {
		for (const n of [2, 5, 12]) {
			const spacingM = 80;
			const { graph, report } = buildWalkGraph(gridLines(n, spacingM), { minComponentNodes: 1 });
			expect(report.nodes).toBe(n * n);
			expect(report.undirectedSegments).toBe(2 * n * (n - 1));
			expect(report.directedEdges).toBe(4 * n * (n - 1));
			expect(graph.edgeCount).toBe(4 * n * (n - 1));
			expect(report.componentsKept).toBe(1);
			expect(report.componentsDropped).toBe(0);
			expect(report.largestComponentNodes).toBe(n * n);
			for (const lengthM of graph.edgeLengthM) expect(lengthM).toBeCloseTo(spacingM, 1);
			expect(report.totalLengthKm).toBeCloseTo((2 * n * (n - 1) * spacingM) / 1000, 3);
			// Inner nodes have 4 neighbours, edge nodes 3, corners 2.
			const degrees = Array.from(
				{ length: graph.nodeCount },
				(_, u) => graph.firstEdge[u + 1] - graph.firstEdge[u]
			);
			const expectedFour = n > 2 ? (n - 2) ** 2 : 0;
			expect(degrees.filter((d) => d === 4).length).toBe(expectedFour);
			expect(degrees.filter((d) => d === 2).length).toBe(4);
			expectSymmetric(graph);
		}
	});

	it('the same grid given as one 2-vertex line per block gives the same graph size', () => {
		const n = 6;
		const blocks: NetworkFeature[] = [];
		for (const feature of gridLines(n, 100)) {
			const coordinates = (feature.geometry as unknown as { coordinates: [number, number][] })
				.coordinates;
			for (let i = 1; i < coordinates.length; i++)
				blocks.push(line([coordinates[i - 1], coordinates[i]]));
		}
		const { report } = buildWalkGraph(blocks, { minComponentNodes: 1 });
		expect([report.nodes, report.undirectedSegments]).toEqual([n * n, 2 * n * (n - 1)]);
	});

	it('numbers nodes along a Hilbert curve: every grid position once, consecutive nodes adjacent', () => {
		const n = 16; // a power of two: the curve visits the cells of the grid in unit steps
		const { graph } = buildWalkGraph(gridLines(n, 50), { minComponentNodes: 1 });
		const scale = metresPerDegree(31.23);
		const cell = (u: number) => [
			Math.round(((graph.lon(u) - 121.5) * scale.x) / 50),
			Math.round(((graph.lat(u) - 31.23) * scale.y) / 50)
		];
		expect(new Set(Array.from({ length: graph.nodeCount }, (_, u) => cell(u).join())).size).toBe(
			n * n
		);
		for (let u = 1; u < graph.nodeCount; u++) {
			const [x0, y0] = cell(u - 1);
			const [x1, y1] = cell(u);
			expect(Math.abs(x1 - x0) + Math.abs(y1 - y0)).toBe(1);
		}
		// With nodeOrder 'input' the row lines come first: node u is at column u mod n, row u div n.
		const input = buildWalkGraph(gridLines(n, 50), {
			minComponentNodes: 1,
			nodeOrder: 'input'
		}).graph;
		for (let u = 0; u < input.nodeCount; u++) {
			expect(Math.round(((input.lon(u) - 121.5) * scale.x) / 50)).toBe(u % n);
			expect(Math.round(((input.lat(u) - 31.23) * scale.y) / 50)).toBe(Math.floor(u / n));
		}
	});

	it('hilbertIndex walks the 2 × 2 base pattern and is a bijection on a small grid', () => {
		// top-level cells in curve order: (0,0) (0,1) (1,1) (1,0) in units of 32768
		const h = 32768;
		expect(
			[hilbertIndex(0, 0), hilbertIndex(0, h), hilbertIndex(h, h), hilbertIndex(h, 0)].map((d) =>
				Math.floor(d / h ** 2)
			)
		).toEqual([0, 1, 2, 3]);
		expect(hilbertIndex(65535, 0)).toBe(65536 * 65536 - 1);
	});

	it('drops islands smaller than minComponentNodes and reports them', () => {
		const features = [
			...gridLines(10, 60), // 100 nodes
			chain(5, 121.6, 31.3), // 5 nodes, 4 segments
			chain(19, 121.6, 31.31), // 19 nodes, 18 segments
			chain(20, 121.6, 31.32) // 20 nodes: kept at the default threshold
		];
		const { graph, report } = buildWalkGraph(features);
		expect(report.minComponentNodes).toBe(20);
		expect(report.componentsKept).toBe(2);
		expect(report.componentsDropped).toBe(2);
		expect(report.nodesDropped).toBe(24);
		expect(report.segmentsDropped).toBe(22);
		expect(report.largestComponentNodes).toBe(100);
		expect(report.nodes).toBe(120);
		expect(graph.nodeCount).toBe(120);
		expect(report.undirectedSegments).toBe(180 + 19);
		expect(components(graph).count).toBe(2);
		// No node of the dropped chains is left.
		for (let u = 0; u < graph.nodeCount; u++)
			expect(graph.lat(u) < 31.305 || graph.lat(u) > 31.315).toBe(true);

		const all = buildWalkGraph(features, { minComponentNodes: 1 }).report;
		expect([all.componentsKept, all.componentsDropped, all.nodes]).toEqual([4, 0, 144]);
	});

	it('drops zero-length segments and keeps duplicate segments once (with the flags both share)', () => {
		const a: [number, number] = [121.5, 31.23];
		const b: [number, number] = [121.501, 31.23];
		const c: [number, number] = [121.501, 31.231];
		const aAlmost: [number, number] = [121.5 + 4e-8, 31.23 - 4e-8]; // rounds to a's 1e-7° cell
		const { graph, report } = buildWalkGraph(
			[
				line([a, aAlmost, b, b, c]), // two zero-length steps
				line([b, c], { highway: 'steps' }), // overlaps b–c: duplicate, steps ∧ none = none
				line([c, b, c], { highway: 'steps' }), // doubles back: both duplicates
				line([a, c], { highway: 'steps' }) // a new segment: keeps its steps flag
			],
			{ minComponentNodes: 1 }
		);
		expect(report.zeroLengthSegmentsDropped).toBe(2);
		expect(report.duplicateSegmentsDropped).toBe(3);
		expect([report.nodes, report.undirectedSegments, report.directedEdges]).toEqual([3, 3, 6]);
		const nodeAt = nodeByCoordinate(graph);
		const [na, nb, nc] = [a, b, c].map((p) => nodeAt.get(coordinateKey(p))!);
		const edgeBetween = (u: number, v: number) => {
			for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++)
				if (graph.edgeTarget[e] === v) return e;
			return -1;
		};
		expect(graph.edgeFlags[edgeBetween(nb, nc)]).toBe(0);
		expect(graph.edgeFlags[edgeBetween(na, nc)]).toBe(EDGE_FLAGS.steps);
		expect(graph.edgeLengthM[edgeBetween(na, nb)]).toBeCloseTo(haversineM(...a, ...b), 2);
		for (let u = 0; u < graph.nodeCount; u++)
			for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++)
				expect(graph.edgeTarget[e]).not.toBe(u);
	});

	it('builds MultiLineString parts separately (no segment joins the end of one part to the next)', () => {
		const feature: NetworkFeature = {
			type: 'Feature',
			geometry: {
				type: 'MultiLineString',
				coordinates: [
					[
						[121.5, 31.23],
						[121.501, 31.23]
					],
					[
						[121.502, 31.23],
						[121.503, 31.23]
					]
				]
			},
			properties: { highway: 'path' }
		};
		const { report } = buildWalkGraph([feature], { minComponentNodes: 1 });
		expect([report.nodes, report.undirectedSegments, report.componentsKept]).toEqual([4, 2, 2]);
	});
});

// ------------------------------------------------------------------ bad input

describe('buildWalkGraph: bad input errors', () => {
	it('EMPTY_NETWORK when there are no features', () => {
		const error = thrown(() => buildWalkGraph([], { file: 'network.geojson' }));
		expect(error.code).toBe('EMPTY_NETWORK');
		expect(error.message).toBe(
			'network.geojson: the region has no walking network (0 line features), so walking times cannot be computed. Add one from an OpenStreetMap extract: npm run region:build -- --region <id> --osm <file.osm.pbf>'
		);
	});

	it('NO_WALKABLE_WAYS lists the excluded reasons with counts', () => {
		const features = [
			line(
				[
					[121.5, 31.23],
					[121.51, 31.23]
				],
				{ highway: 'motorway' }
			),
			line(
				[
					[121.5, 31.24],
					[121.51, 31.24]
				],
				{ highway: 'motorway' }
			),
			line(
				[
					[121.5, 31.25],
					[121.51, 31.25]
				],
				{ highway: 'primary', tunnel: 'yes' }
			)
		];
		const error = thrown(() => buildWalkGraph(features));
		expect(error.code).toBe('NO_WALKABLE_WAYS');
		expect(error.message).toBe(
			'network: none of the 3 network features is walkable (excluded: highway=motorway: motorways are closed to pedestrians: 2; road tunnel for motor traffic: no pedestrian passage unless tagged: 1). Expected ways such as highway=footway, pedestrian, residential, service or tertiary; see docs/WALKABILITY.md'
		);
	});

	it('INVALID_GEOMETRY names the feature, the field, the vertex and the value', () => {
		const pointFeature = {
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [121.5, 31.23] },
			properties: { highway: 'footway' }
		} as unknown as NetworkFeature;
		let error = thrown(() =>
			buildWalkGraph([chain(3, 121.5, 31.23), pointFeature], { file: 'roads.geojson' })
		);
		expect(error.code).toBe('INVALID_GEOMETRY');
		expect(error.message).toBe(
			'roads.geojson: feature 1, field "geometry": type "Point"; expected a LineString or MultiLineString with coordinate arrays'
		);
		error = thrown(() =>
			buildWalkGraph([
				line([
					[121.5, 31.23],
					[3500000, 31.24]
				])
			])
		);
		expect(error.message).toBe(
			'network: feature 0, field "geometry", vertex 1: [3500000,31.24]; expected [lon, lat] in WGS84 degrees (lon −180…180, lat −90…90)'
		);
		// An excluded way is never read, so its geometry does not matter.
		expect(
			buildWalkGraph(
				[chain(3, 121.5, 31.23), { ...pointFeature, properties: { highway: 'motorway' } }],
				{ minComponentNodes: 1 }
			).report.nodes
		).toBe(3);
	});

	it('NO_CONNECTED_NETWORK when every component is an island', () => {
		const error = thrown(() => buildWalkGraph([chain(5, 121.5, 31.23), chain(7, 121.5, 31.24)]));
		expect(error.code).toBe('NO_CONNECTED_NETWORK');
		expect(error.message).toBe(
			'network: every connected part of the walkable network is smaller than minComponentNodes = 20 nodes (2 parts, the largest has 7 nodes): ways must share their junction vertices to connect; check the extract, or lower minComponentNodes'
		);
	});
});

// ------------------------------------------------------------------ OSM fixture

describe('buildWalkGraphFromOsm', () => {
	it('reads pier and ferry tags from the OSM ways and reports clipped ways', () => {
		const bytes = new Uint8Array(
			readFileSync(path.join(import.meta.dirname, 'fixtures', 'pier-tunnel-ferry.osm'))
		);
		const { graph, report } = buildWalkGraphFromOsm(readOsm(bytes, 'pier-tunnel-ferry.osm'), {
			minComponentNodes: 1
		});
		expect(report.inputFeatures).toBe(5); // the ferry has no highway tag: no feature
		expect(report.excludedByReason).toEqual({
			'pier: leads onto the water, not a through walking route (and would join ferry landings)': 1,
			'road tunnel for motor traffic: no pedestrian passage unless tagged': 1
		});
		expect(report.excludedTunnels).toEqual([
			{ featureIndex: 2, osmId: 103, name: '人民路隧道', highway: 'secondary' }
		]);
		expect(report.osm).toEqual({ skippedWays: 0, clippedWays: 1 });
		// footway 3–4, underpass 5–6, path piece 8–9: three separate segments
		expect([report.nodes, report.undirectedSegments, report.componentsKept]).toEqual([6, 3, 3]);
		const nodeAt = nodeByCoordinate(graph);
		expect(nodeAt.has(coordinateKey([121.5, 31.23]))).toBe(false); // the pier's far end
	});
});

// ------------------------------------------------------------------ the demo region

describe('the Shanghai demo region (network.geojson)', () => {
	const features = readDemoNetwork();
	const { graph, report } = buildWalkGraph(features, { file: 'network.geojson' });
	const tunnels = features.filter(
		(f) => f.properties.tunnel === 'yes' && /^(primary|secondary)$/.test(f.properties.highway)
	);
	/** Directed edges of a graph joining two consecutive vertices of a primary/secondary tunnel. */
	const tunnelEdges = (of: RoadGraph) => {
		const nodeAt = nodeByCoordinate(of);
		let count = 0;
		for (const tunnel of tunnels) {
			for (const part of linesOf(tunnel)) {
				for (let i = 1; i < part.length; i++) {
					const u = nodeAt.get(coordinateKey(part[i - 1]));
					const v = nodeAt.get(coordinateKey(part[i]));
					if (u === undefined || v === undefined) continue;
					for (let e = of.firstEdge[u]; e < of.firstEdge[u + 1]; e++)
						if (of.edgeTarget[e] === v) count++;
				}
			}
		}
		return count;
	};

	it('reports the counts an independent naive builder finds', () => {
		const naive = naiveCounts(features, 20);
		expect(report.inputFeatures).toBe(1050);
		expect(report.nodes).toBe(naive.nodes);
		expect(report.undirectedSegments).toBe(naive.segments);
		expect(report.componentsKept).toBe(naive.kept);
		expect(report.componentsDropped).toBe(naive.dropped);
		expect(report.largestComponentNodes).toBe(naive.largest);
		expect(report.totalLengthKm).toBeCloseTo(naive.lengthM / 1000, 6);
		expect(components(graph).count).toBe(report.componentsKept);
		// Figures as built today (docs/WALKABILITY.md quotes them).
		expect([report.nodes, report.undirectedSegments, report.directedEdges]).toEqual([
			4721, 5319, 10638
		]);
		expect([report.componentsKept, report.componentsDropped, report.nodesDropped]).toEqual([
			6, 37, 159
		]);
		expect(report.bytesPerDirectedEdge).toBeLessThan(20);
		expectSymmetric(graph);
	});

	it('excludes every primary/secondary tunnel=yes way: the Huangpu tunnels by name', () => {
		expect(tunnels.length).toBe(55);
		expect(report.excludedTunnels.length).toBe(55);
		const names = new Set(report.excludedTunnels.map((t) => t.name));
		for (const name of [
			'延安东路隧道',
			'人民路隧道',
			'新建路隧道',
			'复兴东路隧道(上层)',
			'复兴东路隧道(下层)',
			'大连路隧道',
			'外滩隧道'
		])
			expect(names).toContain(name);
		// No edge joins two consecutive vertices of a tunnel way (the last test shows the same
		// count is > 0 when the tunnels are let in).
		expect(tunnelEdges(graph)).toBe(0);
	});

	it('the footway/steps underpasses stay walkable', () => {
		expect(report.walkableByReason['highway=footway in a tunnel: pedestrian underpass']).toBe(4);
		expect(report.walkableByReason['highway=steps in a tunnel: pedestrian underpass']).toBe(1);
	});

	// The brief's sample point for the Bund (121.4905, 31.2400) lies on the Pudong bank in this
	// data: 中山东一路 (the Bund road) runs at lon 121.4855–121.4874, the Pudong riverside
	// 滨江大道 at 121.4907–121.4956. So the west point is on 中山东一路; the east points are the
	// Oriental Pearl Tower area (31°14′31″N 121°29′44″E) and the brief's Lujiazui point, whose
	// nearest node is 144 m away (no street is mapped closer there).
	const bund = { lon: 121.4857, lat: 31.2399 };
	const pearlTower = { lon: 121.4956, lat: 31.2419 };
	const lujiazui = { lon: 121.4997, lat: 31.2397 };

	it('has no walkable crossing of the Huangpu between the Bund and Lujiazui', () => {
		const west = nearestNode(graph, bund.lon, bund.lat);
		const east = nearestNode(graph, pearlTower.lon, pearlTower.lat);
		const eastToo = nearestNode(graph, lujiazui.lon, lujiazui.lat);
		expect(west.distanceM).toBeLessThan(10);
		expect(east.distanceM).toBeLessThan(10);
		expect(eastToo.distanceM).toBeLessThan(150);
		const { id } = components(graph);
		expect(id[west.node]).not.toBe(id[east.node]);
		expect(id[eastToo.node]).toBe(id[east.node]);
		// The two banks' components: in every 0.002° band of latitude along the Bund, the west
		// component ends ≥ 400 m before the east one begins (the river).
		const scale = metresPerDegree(31.24);
		for (let lat = 31.232; lat < 31.246; lat += 0.002) {
			let westMax = -Infinity;
			let eastMin = Infinity;
			for (let u = 0; u < graph.nodeCount; u++) {
				if (graph.lat(u) < lat || graph.lat(u) >= lat + 0.002) continue;
				if (id[u] === id[west.node]) westMax = Math.max(westMax, graph.lon(u));
				if (id[u] === id[east.node]) eastMin = Math.min(eastMin, graph.lon(u));
			}
			expect((eastMin - westMax) * scale.x).toBeGreaterThan(400);
		}
	});

	it('the data has no walkable line across the river there: only the Yan’an East Road tunnel spans it', () => {
		const spanning = features.filter((f) =>
			linesOf(f).some(
				(part) =>
					part.some(([lon, lat]) => lat > 31.233 && lat < 31.246 && lon < 121.4885) &&
					part.some(([lon, lat]) => lat > 31.233 && lat < 31.246 && lon > 121.49)
			)
		);
		expect(spanning.map((f) => f.properties.name)).toEqual(['延安东路隧道', '延安东路隧道']);
		expect(spanning.every((f) => !classifyWay(f.properties).walkable)).toBe(true);
	});

	it('would join the banks if the road tunnels were walkable (so the test above can fail)', () => {
		const untunnelled = features.map((f) =>
			f.properties.tunnel === 'yes' ? { ...f, properties: { ...f.properties, tunnel: 'no' } } : f
		);
		const open = buildWalkGraph(untunnelled).graph;
		const { id } = components(open);
		expect(id[nearestNode(open, bund.lon, bund.lat).node]).toBe(
			id[nearestNode(open, lujiazui.lon, lujiazui.lat).node]
		);
	});
});

// ------------------------------------------------------------------ Monaco

describe('Monaco from the PBF (monaco.osm.pbf)', () => {
	const data = readOsm(
		new Uint8Array(readFileSync(path.join(sharedData, 'osm', 'monaco.osm.pbf'))),
		'monaco.osm.pbf'
	);
	const { graph, report } = buildWalkGraphFromOsm(data, { file: 'monaco.osm.pbf' });

	it('reports counts that an independent naive builder confirms', () => {
		const features: NetworkFeature[] = [];
		// Same feature set as the builder sees (pier tags merged from the OSM ways).
		const piers = new Set(data.ways.filter((w) => w.tags.man_made === 'pier').map((w) => w.id));
		for (const f of osmToNetworkFeatures(data).features)
			features.push(
				piers.has(f.properties.osmId!)
					? { ...f, properties: { ...f.properties, man_made: 'pier' } }
					: f
			);
		const naive = naiveCounts(features, 20);
		expect(report.nodes).toBe(naive.nodes);
		expect(report.undirectedSegments).toBe(naive.segments);
		expect(report.componentsKept).toBe(naive.kept);
		expect(report.componentsDropped).toBe(naive.dropped);
		expect(report.totalLengthKm).toBeCloseTo(naive.lengthM / 1000, 6);
		expect([
			report.inputFeatures,
			report.walkableFeatures,
			report.nodes,
			report.directedEdges
		]).toEqual([2924, 2692, 24133, 50550]);
		expect(report.osm).toEqual({ skippedWays: 3, clippedWays: 0 });
		expect(report.excludedTunnels.length).toBe(67);
		expect(report.bytesPerDirectedEdge).toBeLessThan(20);
	});

	it('stores every edge length as the haversine of its endpoints (float32 tolerance)', () => {
		let steps = 0;
		for (let u = 0; u < graph.nodeCount; u++) {
			for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
				const v = graph.edgeTarget[e];
				const expected = haversineM(graph.lon(u), graph.lat(u), graph.lon(v), graph.lat(v));
				expect(Math.abs(graph.edgeLengthM[e] - expected)).toBeLessThanOrEqual(
					expected * 2 ** -23 + 1e-9
				);
				expect(graph.edgeLengthM[e]).toBeGreaterThan(0);
				if (graph.edgeFlags[e] & EDGE_FLAGS.steps) steps++;
			}
		}
		expect(steps).toBeGreaterThan(0);
		expectSymmetric(graph);
	});
});

// ------------------------------------------------------------------ the cache (scripts/graph-cache.ts)

describe('loadRegionGraph', () => {
	const cacheDir = mkdtempSync(path.join(tmpdir(), 'carecircle-graph-cache-'));
	afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
	const meta = JSON.parse(readFileSync(path.join(demoDir, 'region.json'), 'utf8')) as RegionMeta;

	it('builds once, then loads the same bytes and report from the cache', () => {
		const built = loadRegionGraph(demoDir, meta, { cacheDir });
		const loaded = loadRegionGraph(demoDir, meta, { cacheDir });
		expect([built.fromCache, loaded.fromCache]).toEqual([false, true]);
		expect(loaded.cacheFile).toBe(built.cacheFile);
		expect(path.basename(built.cacheFile)).toMatch(/^shanghai-bund-lujiazui-[0-9a-f]{16}\.bin$/);
		expect(Buffer.from(loaded.graph.buffer).equals(Buffer.from(built.graph.buffer))).toBe(true);
		const { buildMs, ...rest } = loaded.report as WalkGraphReport;
		expect(buildMs).toBe(built.report.buildMs);
		expect(rest.nodes).toBe(4721);
		// A different option is a different cache entry.
		expect(loadRegionGraph(demoDir, meta, { cacheDir, minComponentNodes: 5 }).fromCache).toBe(
			false
		);
	});

	it('says how to add a network when the region has none', () => {
		const error = thrown(() =>
			loadRegionGraph(demoDir, { ...meta, layers: { ...meta.layers, network: null } }, { cacheDir })
		);
		expect(error.code).toBe('EMPTY_NETWORK');
		expect(error.message).toContain(
			'npm run region:build -- --region shanghai-bund-lujiazui --osm <file.osm.pbf>'
		);
	});
});
