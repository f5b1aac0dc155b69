/**
 * WalkSearch: analytic answers on generated grids, bounds, step penalties, labels, and exact
 * (bit-identical) agreement with an independent textbook Dijkstra and with the benchmark's
 * straightforward CSR Dijkstra on the real Monaco and Shanghai networks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gridGraph } from '../../../src/lib/engine/graph/grid.ts';
import { EDGE_FLAGS, RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import {
	catchments,
	nearestFacility,
	pointSources,
	SearchInputError,
	WalkSearch,
	type SearchOptions,
	type SearchSource
} from '../../../src/lib/engine/graph/search.ts';
import { BaselineDijkstra } from '../../../scripts/bench/baseline.ts';
import { packFacilities, runCatchmentBatch } from '../../../scripts/bench/catchment-protocol.ts';
import { CatchmentPool } from '../../../scripts/bench/pool.ts';
import { monacoGraph, shanghaiGraph } from '../../../scripts/bench/network.ts';
import { seeded } from './helpers.ts';

/**
 * Textbook Dijkstra, written independently of the engine: objects for queue entries, a plain
 * array binary heap, a Map of final times. Cost of an edge = length / speed + (steps ? penalty : 0).
 */
function textbookDijkstra(
	graph: RoadGraph,
	sources: readonly SearchSource[],
	options: Required<SearchOptions>
): { time: Map<number, number>; label: Map<number, number>; order: number[] } {
	const best = new Map<number, { time: number; label: number }>();
	const final = new Map<number, number>();
	const label = new Map<number, number>();
	const order: number[] = [];
	const heap: { node: number; time: number }[] = [];
	const push = (entry: { node: number; time: number }) => {
		heap.push(entry);
		let i = heap.length - 1;
		while (i > 0 && heap[(i - 1) >> 1].time > heap[i].time) {
			[heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1], heap[i]];
			i = (i - 1) >> 1;
		}
	};
	const pop = () => {
		const top = heap[0];
		const last = heap.pop()!;
		if (heap.length > 0) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < heap.length && heap[l].time < heap[m].time) m = l;
				if (r < heap.length && heap[r].time < heap[m].time) m = r;
				if (m === i) break;
				[heap[i], heap[m]] = [heap[m], heap[i]];
				i = m;
			}
		}
		return top;
	};
	for (const source of sources) {
		const known = best.get(source.node);
		if (source.initialS > options.maxSeconds || (known && known.time <= source.initialS)) continue;
		best.set(source.node, { time: source.initialS, label: source.label });
		push({ node: source.node, time: source.initialS });
	}
	while (heap.length > 0) {
		const { node, time } = pop();
		if (final.has(node) || time !== best.get(node)!.time) continue;
		final.set(node, time);
		label.set(node, best.get(node)!.label);
		order.push(node);
		for (let e = graph.firstEdge[node]; e < graph.firstEdge[node + 1]; e++) {
			const cost =
				graph.edgeLengthM[e] / options.walkSpeedMps +
				((graph.edgeFlags[e] & EDGE_FLAGS.steps) !== 0 ? options.stepPenaltyS : 0);
			const reached = time + cost;
			const target = graph.edgeTarget[e];
			if (reached > options.maxSeconds || final.has(target)) continue;
			const known = best.get(target);
			if (!known || reached < known.time) {
				best.set(target, { time: reached, label: best.get(node)!.label });
				push({ node: target, time: reached });
			}
		}
	}
	return { time: final, label, order };
}

const defaults = (options: SearchOptions): Required<SearchOptions> => ({
	walkSpeedMps: options.walkSpeedMps ?? 1,
	maxSeconds: options.maxSeconds ?? Infinity,
	stepPenaltyS: options.stepPenaltyS ?? 0
});

/** Sum of `count` copies of `costS`, added one at a time as a search does. */
function repeatedSum(costS: number, count: number): number {
	let total = 0;
	for (let i = 0; i < count; i++) total += costS;
	return total;
}

describe('WalkSearch on generated grids (analytic)', () => {
	for (const order of ['row-major', 'hilbert'] as const) {
		it(`time to (i, j) from (0, 0) is the Manhattan distance ÷ speed, exactly (${order})`, () => {
			const grid = gridGraph({ rows: 30, cols: 40, spacingM: 80, order });
			const search = new WalkSearch(grid.graph);
			for (const walkSpeedMps of [1, 0.8]) {
				search.run([{ node: grid.nodeAt(0, 0), initialS: 0, label: 7 }], { walkSpeedMps });
				for (let row = 0; row < 30; row++) {
					for (let col = 0; col < 40; col++) {
						const node = grid.nodeAt(row, col);
						expect(search.time(node)).toBe(repeatedSum(80 / walkSpeedMps, row + col));
						expect(search.label(node)).toBe(7);
					}
				}
				expect(search.settled().length).toBe(1200);
			}
			expect(search.time(grid.nodeAt(29, 39))).toBe(repeatedSum(100, 68)); // 0.8 m/s: 100 s a block
		});
	}

	it('multi-source labels go to the nearest source (any of the nearest on a tie)', () => {
		const grid = gridGraph({ rows: 25, cols: 25, spacingM: 50 });
		const random = seeded(11);
		const cells = Array.from({ length: 6 }, () => [
			Math.floor(random() * 25),
			Math.floor(random() * 25)
		]);
		const sources = cells.map(([row, col], label) => ({
			node: grid.nodeAt(row, col),
			initialS: 0,
			label
		}));
		const search = new WalkSearch(grid.graph);
		search.run(sources, {});
		let ties = 0;
		for (let row = 0; row < 25; row++) {
			for (let col = 0; col < 25; col++) {
				const blocks = cells.map(([r, c]) => Math.abs(r - row) + Math.abs(c - col));
				const nearest = Math.min(...blocks);
				const node = grid.nodeAt(row, col);
				expect(search.time(node)).toBe(nearest * 50);
				const tied = blocks.flatMap((b, label) => (b === nearest ? [label] : []));
				expect(tied).toContain(search.label(node));
				if (tied.length > 1) ties++;
			}
		}
		expect(ties).toBeGreaterThan(0); // the tie rule was exercised
	});

	it('a bounded search settles every node within maxSeconds and none beyond, nearest first', () => {
		const grid = gridGraph({ rows: 41, cols: 41, spacingM: 80 });
		const search = new WalkSearch(grid.graph);
		const centre = grid.nodeAt(20, 20);
		for (const maxSeconds of [0, 79.9, 80, 800, 1000]) {
			search.run([{ node: centre, initialS: 0, label: 0 }], { maxSeconds });
			const settled = Array.from(search.settled());
			const expected: number[] = [];
			for (let row = 0; row < 41; row++) {
				for (let col = 0; col < 41; col++) {
					const timeS = (Math.abs(row - 20) + Math.abs(col - 20)) * 80;
					const node = grid.nodeAt(row, col);
					if (timeS <= maxSeconds) {
						expected.push(node);
						expect(search.time(node)).toBe(timeS);
					} else {
						expect(search.time(node)).toBe(Infinity);
						expect(search.label(node)).toBe(-1);
					}
				}
			}
			expect(settled.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
			// maxSeconds 800 holds the diamond of radius 10 blocks: 2·10·11 + 1 nodes
			if (maxSeconds === 800) expect(settled.length).toBe(221);
		}
		// Every edge is 80 s, so the grid runs in list-order mode: settle order is by 40 s bucket.
		search.run([{ node: centre, initialS: 0, label: 0 }], { maxSeconds: 1000 });
		const buckets = Array.from(search.settled(), (node) => Math.floor(search.time(node) / 40));
		expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
	});

	it('a door on an edge starts both ends (pointSources) and timeToPoint reads it back', () => {
		const grid = gridGraph({ rows: 5, cols: 5, spacingM: 80 });
		const from = grid.nodeAt(2, 1);
		const to = grid.nodeAt(2, 2);
		const door = { fromNode: from, toNode: to, offsetM: 20, lengthM: 80 };
		const search = new WalkSearch(grid.graph);
		search.run(pointSources(door, 3), {});
		expect(search.time(from)).toBe(20);
		expect(search.time(to)).toBe(60);
		expect(search.time(grid.nodeAt(0, 0))).toBe(20 + 3 * 80); // via `from`
		expect(search.time(grid.nodeAt(4, 4))).toBe(60 + 4 * 80); // via `to`
		const gate = {
			fromNode: grid.nodeAt(0, 3),
			toNode: grid.nodeAt(0, 4),
			offsetM: 30,
			lengthM: 80
		};
		// (0,3) is 3 blocks from `to` (180 + 60 s); (0,4) is 4 blocks (240 + 60 s)
		expect(search.timeToPoint(gate)).toBe(Math.min(60 + 3 * 80 + 30, 60 + 4 * 80 + 50));
	});

	it('sources far apart in time are all honoured (wide initialS spread)', () => {
		const grid = gridGraph({ rows: 20, cols: 20, spacingM: 80 });
		const search = new WalkSearch(grid.graph);
		const sources = [
			{ node: grid.nodeAt(19, 19), initialS: 5000, label: 1 },
			{ node: grid.nodeAt(0, 0), initialS: 0, label: 0 },
			{ node: grid.nodeAt(19, 0), initialS: 1000.5, label: 2 }
		];
		search.run(sources, {});
		const reference = textbookDijkstra(grid.graph, sources, defaults({}));
		for (let node = 0; node < grid.graph.nodeCount; node++) {
			expect(search.time(node)).toBe(reference.time.get(node));
		}
		// (19, 0): its own source at 1000.5 s beats 19 blocks (1520 s) from (0, 0)
		expect(search.label(grid.nodeAt(19, 0))).toBe(2);
		// (10, 0): 800 s from (0, 0) beats 1000.5 + 9 × 80 s
		expect(search.label(grid.nodeAt(10, 0))).toBe(0);
		expect(search.time(grid.nodeAt(10, 0))).toBe(800);
		// (19, 19) is 19 blocks from (19, 0): 1000.5 + 1520 s, long before its own 5000 s
		expect(search.time(grid.nodeAt(19, 19))).toBe(1000.5 + 19 * 80);
		expect(search.label(grid.nodeAt(19, 19))).toBe(2);
	});
});

describe('list-order mode (every edge long) against the textbook Dijkstra', () => {
	it('60 seeded multi-source runs with fractional start times agree bit for bit', () => {
		const grid = gridGraph({ rows: 60, cols: 60, spacingM: 37, order: 'hilbert' });
		const search = new WalkSearch(grid.graph);
		const random = seeded(314);
		for (let run = 0; run < 60; run++) {
			const sources = Array.from({ length: 1 + (run % 7) }, (_, label) => ({
				node: Math.floor(random() * grid.graph.nodeCount),
				initialS: random() * 50,
				label
			}));
			const options = defaults({
				walkSpeedMps: run % 2 ? 0.8 : 1.3,
				maxSeconds: run % 3 ? 400 + random() * 2000 : Infinity
			});
			search.run(sources, options);
			const reference = textbookDijkstra(grid.graph, sources, options);
			expect(search.settled().length).toBe(reference.order.length);
			for (let node = 0; node < grid.graph.nodeCount; node++) {
				expect(search.time(node)).toBe(reference.time.get(node) ?? Infinity);
			}
		}
	});
});

describe('sources hours apart (the sorted, injected-on-arrival path)', () => {
	it('a source 40,000 s late still starts its own component, and joins where it is first', () => {
		// Two chains of 0.5 m edges, the first 0.1 m (short edges: exact heap mode, 1/8 s
		// buckets, so 45,000 s of spread exceed the ring), joined by nothing.
		const nodeLon = Array.from({ length: 20 }, (_, i) => (i % 10) * 0.00001);
		const nodeLat = Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 0.01));
		const segmentFrom: number[] = [];
		const segmentTo: number[] = [];
		for (let i = 0; i < 19; i++) {
			if (i === 9) continue;
			segmentFrom.push(i);
			segmentTo.push(i + 1);
		}
		const graph = RoadGraph.build({
			nodeLon,
			nodeLat,
			segmentFrom,
			segmentTo,
			segmentLengthM: segmentFrom.map((_, i) => (i === 0 ? 0.1 : 0.5))
		});
		const search = new WalkSearch(graph);
		const sources = [
			{ node: 15, initialS: 40_000, label: 1 },
			{ node: 0, initialS: 0, label: 0 },
			{ node: 9, initialS: 45_000, label: 2 } // reached at 4.5 s from node 0: ignored
		];
		search.run(sources, {});
		expect(search.time(0)).toBe(0);
		let chainS = Math.fround(0.1); // the stored Float32 length
		for (let i = 0; i < 8; i++) chainS += 0.5;
		expect(search.time(9)).toBe(chainS);
		expect(search.label(9)).toBe(0);
		expect(search.time(15)).toBe(40_000);
		expect(search.time(19)).toBe(40_000 + 0.5 + 0.5 + 0.5 + 0.5);
		expect(search.label(10)).toBe(1);
		const reference = textbookDijkstra(graph, sources, defaults({}));
		for (let node = 0; node < 20; node++) expect(search.time(node)).toBe(reference.time.get(node));
		search.run(sources, { maxSeconds: 40_001 });
		expect(search.time(17)).toBe(40_001);
		expect(search.time(18)).toBe(Infinity);
	});
});

describe('steps penalty', () => {
	// A — B directly by 10 m of steps, or round by C on 2 × 40 m of footway.
	const graph = RoadGraph.build({
		nodeLon: [0, 0.0001, 0.00005],
		nodeLat: [0, 0, 0.0003],
		segmentFrom: [0, 0, 2],
		segmentTo: [1, 2, 1],
		segmentLengthM: [10, 40, 40],
		segmentFlags: [EDGE_FLAGS.steps, 0, 0]
	});
	it('without a penalty the steps are the way; with 100 s per flight the detour wins', () => {
		const search = new WalkSearch(graph);
		search.run([{ node: 0, initialS: 0, label: 0 }], {});
		expect(search.time(1)).toBe(10);
		search.run([{ node: 0, initialS: 0, label: 0 }], { stepPenaltyS: 100 });
		expect(search.time(1)).toBe(80);
		expect(search.time(2)).toBe(40);
		search.run([{ node: 0, initialS: 0, label: 0 }], { stepPenaltyS: 20 });
		expect(search.time(1)).toBe(30);
		search.run([{ node: 0, initialS: 0, label: 0 }], { stepPenaltyS: 20, walkSpeedMps: 0.8 });
		expect(search.time(1)).toBe(10 / 0.8 + 20);
	});
});

describe('bad input', () => {
	const { graph } = gridGraph({ rows: 3, cols: 3 });
	const search = new WalkSearch(graph);
	it.each([
		[
			[{ node: 9, initialS: 0, label: 0 }],
			{},
			/node 9 is not a node of this graph \(expected an integer 0\.\.8\)/
		],
		[[{ node: 1.5, initialS: 0, label: 0 }], {}, /node 1\.5/],
		[[{ node: 0, initialS: -1, label: 0 }], {}, /initialS -1 must be a number ≥ 0/],
		[[{ node: 0, initialS: NaN, label: 0 }], {}, /initialS NaN/],
		[
			[{ node: 0, initialS: 0, label: 0 }],
			{ walkSpeedMps: 0 },
			/walkSpeedMps 0 must be a finite number > 0/
		],
		[[{ node: 0, initialS: 0, label: 0 }], { maxSeconds: -5 }, /maxSeconds -5/],
		[[{ node: 0, initialS: 0, label: 0 }], { stepPenaltyS: -1 }, /stepPenaltyS -1/]
	] as [SearchSource[], SearchOptions, RegExp][])('rejects %j %j', (sources, options, message) => {
		expect(() => search.run(sources, options)).toThrow(message);
		try {
			search.run(sources, options);
		} catch (error) {
			expect(error).toBeInstanceOf(SearchInputError);
			expect((error as SearchInputError).code).toBe('INVALID_SEARCH_INPUT');
		}
	});
	it('no sources, or sources beyond maxSeconds, reach nothing', () => {
		search.run([], {});
		expect(search.settled().length).toBe(0);
		expect(search.time(0)).toBe(Infinity);
		search.run([{ node: 0, initialS: 100, label: 0 }], { maxSeconds: 50 });
		expect(search.settled().length).toBe(0);
		expect(search.label(0)).toBe(-1);
	});
});

describe.each([
	['Monaco (shared OSM extract)', monacoGraph],
	['Shanghai demo region', shanghaiGraph]
])('%s: exact agreement with independent Dijkstras', (_name, load) => {
	let graph: RoadGraph;
	beforeAll(async () => {
		graph = (await load()).graph;
	}, 60_000);

	it('200 seeded bounded and unbounded searches equal the textbook Dijkstra bit for bit', () => {
		const random = seeded(2024);
		const search = new WalkSearch(graph);
		let settledTotal = 0;
		for (let run = 0; run < 200; run++) {
			const sourceCount = run % 10 === 0 ? 5 : 1;
			const sources = Array.from({ length: sourceCount }, (_, label) => ({
				node: Math.floor(random() * graph.nodeCount),
				initialS: run % 3 === 0 ? random() * 60 : 0,
				label
			}));
			const options = {
				walkSpeedMps: run % 2 === 0 ? 1 : 0.8,
				maxSeconds: run % 25 === 0 ? Infinity : 300 + random() * 900,
				stepPenaltyS: run % 4 === 0 ? 15 : 0
			};
			search.run(sources, options);
			const reference = textbookDijkstra(graph, sources, options);
			const settled = search.settled();
			expect(settled.length).toBe(reference.order.length);
			for (const node of settled) {
				// toBe is Object.is: equal to the last bit
				expect(search.time(node)).toBe(reference.time.get(node));
			}
			if (sourceCount === 1) {
				for (const node of settled) expect(search.label(node)).toBe(0);
			}
			// each reached node is listed once (chain nodes in reach order, not time order)
			expect(new Set(settled).size).toBe(settled.length);
			settledTotal += settled.length;
		}
		expect(settledTotal).toBeGreaterThan(200 * 50); // the searches were not trivial
	});

	it('multi-source labels name a source that reaches the node in exactly its time', () => {
		const random = seeded(99);
		const search = new WalkSearch(graph);
		for (let run = 0; run < 5; run++) {
			const sources = Array.from({ length: 8 }, (_, label) => ({
				node: Math.floor(random() * graph.nodeCount),
				initialS: random() * 30,
				label
			}));
			search.run(sources, { maxSeconds: 1200 });
			const single = sources.map((source) =>
				textbookDijkstra(graph, [source], defaults({ maxSeconds: 1200 }))
			);
			for (const node of search.settled()) {
				const label = search.label(node);
				expect(single[label].time.get(node)).toBe(search.time(node));
				const nearest = Math.min(...single.map((s) => s.time.get(node) ?? Infinity));
				expect(search.time(node)).toBe(nearest);
			}
		}
	});

	it('equals the straightforward CSR Dijkstra of the benchmark on every node', () => {
		const random = seeded(5);
		const search = new WalkSearch(graph);
		const baseline = new BaselineDijkstra(graph);
		for (let run = 0; run < 50; run++) {
			const sources = Array.from({ length: 1 + (run % 4) * 20 }, (_, label) => ({
				node: Math.floor(random() * graph.nodeCount),
				initialS: random() * 20,
				label
			}));
			const options = { maxSeconds: run % 5 === 0 ? Infinity : 900, walkSpeedMps: 0.8 };
			search.run(sources, options);
			baseline.run(sources, options);
			for (let node = 0; node < graph.nodeCount; node++)
				expect(search.time(node)).toBe(baseline.timeS[node]);
		}
	});

	it('catchments equal one search per facility; nearestFacility equals one multi-source run', () => {
		const random = seeded(77);
		const facilities = Array.from({ length: 12 }, () => {
			const edge = Math.floor(random() * graph.edgeCount);
			let fromNode = 0;
			while (graph.firstEdge[fromNode + 1] <= edge) fromNode++;
			const lengthM = graph.edgeLengthM[edge];
			return { fromNode, toNode: graph.edgeTarget[edge], offsetM: random() * lengthM, lengthM };
		});
		const options = { maxSeconds: 900, walkSpeedMps: 0.8 };
		const circles = catchments(
			graph,
			facilities.map((door) => ({ sources: pointSources(door, 0, 0.8) })),
			options
		);
		const single = new WalkSearch(graph);
		circles.forEach((circle, f) => {
			expect(circle.facility).toBe(f);
			single.run(pointSources(facilities[f], 0, 0.8), options);
			expect(Array.from(circle.nodes)).toEqual(Array.from(single.settled()));
			circle.nodes.forEach((node, i) => expect(circle.timeS[i]).toBe(single.time(node)));
		});
		const allSources = facilities.flatMap((door, f) => pointSources(door, f, 0.8));
		const nearest = nearestFacility(graph, allSources, { walkSpeedMps: 0.8 });
		single.run(allSources, { walkSpeedMps: 0.8 });
		let reached = 0;
		for (let node = 0; node < graph.nodeCount; node++) {
			expect(nearest.timeS[node]).toBe(single.time(node));
			expect(nearest.facility[node]).toBe(single.label(node));
			if (nearest.facility[node] >= 0) {
				reached++;
				// the node is inside its nearest facility's catchment when within 15 minutes
				if (nearest.timeS[node] <= 900) {
					const circle = circles[nearest.facility[node]];
					expect(circle.timeS[circle.nodes.indexOf(node)]).toBe(nearest.timeS[node]);
				}
			}
		}
		expect(reached).toBeGreaterThan(graph.nodeCount / 2);
	});
});

/**
 * A random street graph whose streets are chains of short and long segments: junctions joined
 * by chains of 1–6 segments (lengths from 1 cm to 150 m, some steps), plus the awkward shapes a
 * chain walker must survive: parallel segments between two nodes (a 2-node loop), a self-loop,
 * a closed ring with no junction at all, and a lone node.
 */
function chainyGraph(random: () => number, minLengthM = 0): RoadGraph {
	const nodeLon: number[] = [];
	const nodeLat: number[] = [];
	const segmentFrom: number[] = [];
	const segmentTo: number[] = [];
	const segmentLengthM: number[] = [];
	const segmentFlags: number[] = [];
	const addNode = () => {
		nodeLon.push(random() * 0.01);
		nodeLat.push(random() * 0.01);
		return nodeLon.length - 1;
	};
	const length = () => {
		const r = random();
		return (
			minLengthM +
			(r < 0.15
				? 0.01 + random() * 0.5
				: r < 0.3
					? 0.125 * Math.ceil(random() * 8)
					: random() * 150)
		);
	};
	const link = (a: number, b: number) => {
		segmentFrom.push(a);
		segmentTo.push(b);
		segmentLengthM.push(length());
		segmentFlags.push(random() < 0.1 ? EDGE_FLAGS.steps : 0);
	};
	const chain = (a: number, b: number) => {
		let previous = a;
		const inner = Math.floor(random() * 6);
		for (let i = 0; i < inner; i++) {
			const node = addNode();
			link(previous, node);
			previous = node;
		}
		link(previous, b);
	};
	const junctions = Array.from({ length: 12 + Math.floor(random() * 20) }, addNode);
	for (let i = 1; i < junctions.length; i++)
		chain(junctions[Math.floor(random() * i)], junctions[i]);
	for (let i = 0; i < junctions.length; i++) {
		chain(junctions[Math.floor(random() * junctions.length)], junctions[i]);
	}
	// Two parallel segments to a node that has no other edge: a 2-node loop off a junction.
	const pocket = addNode();
	link(junctions[0], pocket);
	link(junctions[0], pocket);
	// Parallel segments of different lengths through a chain node between two junctions.
	const middle = addNode();
	link(junctions[1], middle);
	link(middle, junctions[2]);
	link(junctions[1], junctions[2]);
	// A self-loop on a junction, and a chain that leaves a junction and comes back to it.
	link(junctions[3], junctions[3]);
	chain(junctions[4], junctions[4]);
	// A closed ring of chain nodes with no junction, a 2-node component of parallel edges, a lone node.
	const ring = Array.from({ length: 3 + Math.floor(random() * 5) }, addNode);
	ring.forEach((node, i) => link(node, ring[(i + 1) % ring.length]));
	const [p, q] = [addNode(), addNode()];
	link(p, q);
	link(q, p);
	addNode();
	return RoadGraph.build({
		nodeLon,
		nodeLat,
		segmentFrom,
		segmentTo,
		segmentLengthM,
		segmentFlags
	});
}

describe('junction and chain search (issue 3): random chain graphs against the textbook Dijkstra', () => {
	it('400 seeded runs (sources on chain nodes and junctions, cuts mid-chain, steps, hours of spread) agree bit for bit', () => {
		const random = seeded(303);
		let chainSources = 0;
		let cutChains = 0;
		let listModeRuns = 0;
		for (let g = 0; g < 40; g++) {
			// Every other graph has no edge under 0.5 m: at these speeds every edge is then at
			// least 2 buckets of 1/8 s long, and the search settles buckets in list order.
			const minLengthM = g % 2 === 0 ? 0 : 0.5 + random() * 3;
			const graph = chainyGraph(random, minLengthM);
			const search = new WalkSearch(graph);
			const degree = (node: number) => graph.firstEdge[node + 1] - graph.firstEdge[node];
			for (let run = 0; run < 10; run++) {
				const sourceCount = 1 + Math.floor(random() * 6);
				const wide = run % 5 === 4; // start times hours apart: the sorted, injected path
				const sources = Array.from({ length: sourceCount }, (_, label) => ({
					node: Math.floor(random() * graph.nodeCount),
					initialS: wide ? random() * 60_000 : run % 2 ? random() * 30 : 0,
					label
				}));
				chainSources += sources.filter((s) => degree(s.node) === 2).length;
				const options = {
					walkSpeedMps: run % 3 === 0 ? 0.8 : 1.3,
					maxSeconds: run % 4 === 0 ? Infinity : wide ? 30_000 + random() * 30_000 : random() * 400,
					stepPenaltyS: run % 2 === 0 ? 0 : 7.5
				};
				search.run(sources, options);
				if (minLengthM / options.walkSpeedMps / 2 >= 1 / 8) listModeRuns++;
				const reference = textbookDijkstra(graph, sources, options);
				const settled = Array.from(search.settled());
				expect(new Set(settled).size).toBe(settled.length);
				expect(settled.sort((a, b) => a - b)).toEqual([...reference.order].sort((a, b) => a - b));
				for (let node = 0; node < graph.nodeCount; node++) {
					const expected = reference.time.get(node) ?? Infinity;
					expect(search.time(node)).toBe(expected);
					if (expected === Infinity) {
						expect(search.label(node)).toBe(-1);
						continue;
					}
					// the label names a source that reaches the node in exactly its time
					const label = search.label(node);
					const alone = textbookDijkstra(graph, [sources[label]], options);
					expect(alone.time.get(node)).toBe(expected);
				}
				// a chain node reached while a neighbour is beyond maxSeconds: the chain was cut
				for (let node = 0; node < graph.nodeCount; node++) {
					if (degree(node) !== 2 || search.time(node) === Infinity) continue;
					for (let e = graph.firstEdge[node]; e < graph.firstEdge[node + 1]; e++) {
						if (search.time(graph.edgeTarget[e]) === Infinity) cutChains++;
					}
				}
			}
		}
		expect(listModeRuns).toBeGreaterThan(150); // both modes were exercised
		expect(chainSources).toBeGreaterThan(200); // sources on chain nodes were exercised
		expect(cutChains).toBeGreaterThan(100); // and chains cut by maxSeconds
	});
});

describe('list mode (issue 3): block FIFOs, starts injected on arrival, ring fallback', () => {
	it('a 200 × 200 grid from 300 sources: buckets of many blocks and a growing pool agree with the textbook Dijkstra', () => {
		const grid = gridGraph({ rows: 200, cols: 200, spacingM: 37, order: 'hilbert' });
		const search = new WalkSearch(grid.graph);
		const random = seeded(808);
		for (const maxSeconds of [Infinity, 700]) {
			const sources = Array.from({ length: 300 }, (_, label) => ({
				node: Math.floor(random() * grid.graph.nodeCount),
				initialS: random() * 100,
				label
			}));
			search.run(sources, { maxSeconds });
			const reference = textbookDijkstra(grid.graph, sources, defaults({ maxSeconds }));
			expect(search.settled().length).toBe(reference.order.length);
			for (let node = 0; node < grid.graph.nodeCount; node++) {
				expect(search.time(node)).toBe(reference.time.get(node) ?? Infinity);
			}
		}
		expect(search.settled().length).toBeGreaterThan(20_000);
	});

	it('start times 200,000 s apart on a 1 m grid are injected as the search reaches them', () => {
		// 1 m edges: 2 buckets a second, so 200,000 s of spread exceed the 2^18-bucket ring.
		const grid = gridGraph({ rows: 30, cols: 30, spacingM: 1 });
		const search = new WalkSearch(grid.graph);
		const random = seeded(909);
		for (let run = 0; run < 10; run++) {
			const sources = Array.from({ length: 6 }, (_, label) => ({
				node: Math.floor(random() * grid.graph.nodeCount),
				initialS: label === 0 ? random() : random() * 200_000,
				label
			}));
			const options = defaults({ maxSeconds: run % 2 ? Infinity : 150_000 });
			search.run(sources, options);
			const reference = textbookDijkstra(grid.graph, sources, options);
			for (let node = 0; node < grid.graph.nodeCount; node++) {
				expect(search.time(node)).toBe(reference.time.get(node) ?? Infinity);
			}
		}
	});

	it('a 300 km chain beside 1 m edges (list-mode ring too long) falls back to the band', () => {
		// 1 m edges would give list mode 2 buckets a second; the 300 km chain would then need a
		// ring of 600,000 buckets, and 4× coarser buckets would let a 1 m edge land in the bucket
		// being settled. The band handles coarse buckets exactly: Y is 2 s away through node 1,
		// not 5 s through node 2. Stubs (S) keep 0, 1 and Y junctions.
		//   S0 — 0 —1m— 1 — S1      2 —150 km— A —150 km— B
		//        └──3m── 2 ──2m── Y — SY;  1 —1m— Y
		const [n0, n1, n2, y, a, b, s0, s1, sy] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
		const graph = RoadGraph.build({
			nodeLon: [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => i * 0.00001),
			nodeLat: new Array(9).fill(0),
			segmentFrom: [n0, n0, n1, n2, n2, a, n0, n1, y],
			segmentTo: [n1, n2, y, y, a, b, s0, s1, sy],
			segmentLengthM: [1, 3, 1, 2, 150_000.5, 150_000.25, 5, 5, 5]
		});
		const search = new WalkSearch(graph);
		search.run([{ node: n0, initialS: 0, label: 0 }], {});
		expect(search.time(y)).toBe(2);
		expect(search.time(b)).toBe(3 + 150_000.5 + 150_000.25);
		for (const source of [n0, y, b, a, s1]) {
			const sources = [{ node: source, initialS: 0.3, label: 0 }];
			search.run(sources, {});
			const reference = textbookDijkstra(graph, sources, defaults({}));
			for (let node = 0; node < 9; node++) expect(search.time(node)).toBe(reference.time.get(node));
		}
	});
});

describe('copyReached and the benchmark worker job (issue 3)', () => {
	it('runCatchmentBatch (what a pool worker runs) returns what catchments() returns', async () => {
		const { graph } = await shanghaiGraph();
		const random = seeded(4242);
		const facilities = Array.from({ length: 40 }, (_, f) => {
			const edge = Math.floor(random() * graph.edgeCount);
			let fromNode = 0;
			while (graph.firstEdge[fromNode + 1] <= edge) fromNode++;
			const lengthM = graph.edgeLengthM[edge];
			const door = {
				fromNode,
				toNode: graph.edgeTarget[edge],
				offsetM: random() * lengthM,
				lengthM
			};
			return { sources: pointSources(door, f) };
		});
		const options = { maxSeconds: 900 };
		const expected = catchments(graph, facilities, options);
		const batch = runCatchmentBatch(
			new WalkSearch(graph),
			packFacilities(facilities, 10, 40),
			options
		);
		expect(batch.firstFacility).toBe(10);
		expect(batch.nodeOffsets.length).toBe(31);
		for (let f = 10; f < 40; f++) {
			const from = batch.nodeOffsets[f - 10];
			const to = batch.nodeOffsets[f - 9];
			expect(Array.from(batch.nodes.subarray(from, to))).toEqual(Array.from(expected[f].nodes));
			expect(Array.from(batch.timeS.subarray(from, to))).toEqual(Array.from(expected[f].timeS));
		}
		expect(batch.nodes.length).toBeGreaterThan(30 * 100);
	}, 60_000);

	it('the pool (issue 18): workers taking chunks of one shared batch return each catchment once, as catchments() does', async () => {
		const { graph } = await shanghaiGraph();
		const random = seeded(1819);
		const facilities = Array.from({ length: 90 }, (_, f) => {
			const edge = Math.floor(random() * graph.edgeCount);
			let fromNode = 0;
			while (graph.firstEdge[fromNode + 1] <= edge) fromNode++;
			const lengthM = graph.edgeLengthM[edge];
			const door = {
				fromNode,
				toNode: graph.edgeTarget[edge],
				offsetM: random() * lengthM,
				lengthM
			};
			return { sources: pointSources(door, f) };
		});
		const options = { maxSeconds: 600 };
		const expected = catchments(graph, facilities, options);
		const pool = await CatchmentPool.start(graph, 2);
		try {
			for (const chunkSize of [1, 7, 200]) {
				const results = await pool.catchments(facilities, options, chunkSize);
				expect(results.length).toBe(2);
				const seen = new Set<number>();
				for (const result of results) {
					result.facilities!.forEach((f, k) => {
						expect(seen.has(f)).toBe(false);
						seen.add(f);
						const from = result.nodeOffsets[k];
						const to = result.nodeOffsets[k + 1];
						expect(Array.from(result.nodes.subarray(from, to))).toEqual(
							Array.from(expected[f].nodes)
						);
						expect(Array.from(result.timeS.subarray(from, to))).toEqual(
							Array.from(expected[f].timeS)
						);
					});
				}
				expect(seen.size).toBe(facilities.length);
			}
		} finally {
			await pool.close();
		}
	}, 60_000);

	it('copyReached copies settled() with the times and refuses arrays too short', () => {
		const grid = gridGraph({ rows: 9, cols: 9, spacingM: 10 });
		const search = new WalkSearch(grid.graph);
		search.run([{ node: grid.nodeAt(4, 4), initialS: 0.5, label: 0 }], { maxSeconds: 20.5 });
		expect(search.reachedCount).toBe(13); // the diamond of radius 2 blocks
		const nodes = new Uint32Array(20);
		const timeS = new Float64Array(20);
		expect(search.copyReached(nodes, timeS, 5)).toBe(13);
		expect(Array.from(nodes.subarray(5, 18))).toEqual(Array.from(search.settled()));
		for (let i = 5; i < 18; i++) expect(timeS[i]).toBe(search.time(nodes[i]));
		expect(() => search.copyReached(nodes, timeS, 8)).toThrow(RangeError);
	});
});

describe('search state beside the graph (issue 18)', () => {
	it('holds no copy of the edges: a time per node, a label per node only for runs with several labels', async () => {
		const { graph } = await monacoGraph();
		const search = new WalkSearch(graph);
		const random = seeded(1818);
		for (let run = 0; run < 200; run++) {
			const node = Math.floor(random() * graph.nodeCount);
			search.run([{ node, initialS: 0, label: 7 }], { maxSeconds: 900 });
			for (const reached of search.settled()) expect(search.label(reached)).toBe(7);
		}
		// Float64 times (8 B a node), the reached list as long as the largest run, junction
		// bits and a ring of a few thousand buckets; a copy of the edges would be 8 B each.
		const bounded = search.allocatedBytes;
		expect(bounded).toBeLessThan(8.5 * graph.nodeCount + 64 * 1024);
		expect(bounded).toBeLessThan(5 * graph.edgeCount);
		const sources = Array.from({ length: 300 }, (_, label) => ({
			node: Math.floor(random() * graph.nodeCount),
			initialS: 0,
			label
		}));
		search.run(sources, {});
		// Every node reached with a label: + 4 B a node for labels and 4 for the reached list.
		expect(search.allocatedBytes).toBeLessThan(16.5 * graph.nodeCount + 64 * 1024);
		const baseline = new BaselineDijkstra(graph);
		baseline.run(sources, {});
		for (let node = 0; node < graph.nodeCount; node++) {
			expect(search.time(node)).toBe(baseline.timeS[node]);
			const label = search.label(node);
			if (baseline.timeS[node] === Infinity) expect(label).toBe(-1);
			else expect(label >= 0 && label < sources.length).toBe(true);
		}
		// The next single-label run reports its own label, not the last run's.
		search.run([{ node: sources[0].node, initialS: 0, label: 3 }], { maxSeconds: 300 });
		for (const reached of search.settled()) expect(search.label(reached)).toBe(3);
		expect(search.label(search.settled()[0])).toBe(3);
	}, 60_000);
});
