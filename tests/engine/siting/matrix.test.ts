/**
 * The coverage matrix (issue 6): CSR both ways; one search per demand (reverse) gives exactly the
 * pairs of one search per site (forward) on a grid with analytic answers and on the demo
 * region; fixed-station coverage equals computeCoverage's; an asymmetric graph falls back.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../../src/lib/engine/coverage/coverage.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import type { FacilityFeature, ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import {
	buildCoverageMatrix,
	graphIsSymmetric
} from '../../../src/lib/engine/siting/build-matrix.ts';
import { fixedStations, networkNodeCandidates } from '../../../src/lib/engine/siting/candidates.ts';
import { demandPoints } from '../../../src/lib/engine/siting/demand.ts';
import {
	coverageMatrix,
	coverageMatrixFromSets,
	coveredWeight,
	type CoverageMatrix
} from '../../../src/lib/engine/siting/matrix.ts';
import { loadRegionGraph } from '../../../scripts/graph-cache.ts';
import { region } from '../analysis/fixtures/streets-rows.ts';
import { streetGrid } from '../graph/helpers.ts';

const scale = metresPerDegree(31.23);
const at = (xM: number, yM: number): [number, number] => [
	121.5 + xM / scale.x,
	31.23 + yM / scale.y
];
const compound = (id: string, xM: number, yM: number, elders: number): ResidentialFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: at(xM, yM) },
	properties: {
		id,
		name: id,
		households: 2 * elders,
		elders,
		status: 'existing',
		builtYear: null,
		streetCode: null,
		gates: [],
		estimated: {}
	}
});
const facility = (id: string, xM: number, yM: number): FacilityFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: at(xM, yM) },
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
});

/** Site-major rows as sorted pair lists with seconds rounded to 1 ms (for comparing builds). */
function pairsOf(matrix: CoverageMatrix): string[] {
	const rows: string[] = [];
	for (let s = 0; s < matrix.siteCount; s++)
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			rows.push(`${s}:${matrix.siteDemand[i]}`);
	return rows;
}

describe('coverageMatrix', () => {
	it('stores both directions, sorted by index', () => {
		const matrix = coverageMatrix([10, 5, 7], 3, 1, {
			site: [2, 0, 1, 2, 1],
			demand: [0, 1, 2, 2, 0],
			seconds: [30, 60, 90, 120, 150],
			count: 5
		});
		expect([...matrix.siteStart]).toEqual([0, 1, 3, 5]);
		expect([...matrix.siteDemand]).toEqual([1, 0, 2, 0, 2]);
		expect([...matrix.siteSeconds]).toEqual([60, 150, 90, 30, 120]);
		expect([...matrix.demandStart]).toEqual([0, 2, 3, 5]);
		expect([...matrix.demandSite]).toEqual([1, 2, 0, 1, 2]);
		expect([...matrix.demandSeconds]).toEqual([150, 30, 60, 90, 120]);
		expect(coveredWeight(matrix, [])).toBe(5);
		expect(coveredWeight(matrix, [2])).toBe(22);
	});

	it('rejects duplicate pairs, indices out of range and bad weights with INVALID_MATRIX', () => {
		const pairs = (site: number[], demand: number[]) => ({
			site,
			demand,
			seconds: site.map(() => 1),
			count: site.length
		});
		expect(() => coverageMatrix([1, 1], 2, 0, pairs([0, 0], [1, 1]))).toThrow(/paired twice/);
		expect(() => coverageMatrix([1, 1], 2, 0, pairs([2], [0]))).toThrow(/site 2 outside/);
		expect(() => coverageMatrix([1, 1], 2, 0, pairs([0], [5]))).toThrow(/demand 5 outside/);
		expect(() => coverageMatrix([1, -1], 2, 0, pairs([], []))).toThrow(/weight -1/);
		expect(() => coverageMatrix([1], 2, 3, pairs([], []))).toThrow(/fixedCount 3/);
		expect(() => coverageMatrixFromSets([1], [[0, 0]])).toThrowError(
			expect.objectContaining({ code: 'INVALID_MATRIX' })
		);
	});
});

describe('buildCoverageMatrix on a 100 m grid (1 m/s, a 920 s circle)', () => {
	// 21 × 21 nodes, 2 km × 2 km. The circle is 920 s, not 900 s, so that no node lies within
	// float noise of the limit (grid distances are multiples of 50 m).
	const settings = { maxMinutes: 920 / 60 };
	const graph = streetGrid(21, 100);
	const index = new SegmentIndex(graph);
	const search = new WalkSearch(graph);
	const residential = [
		compound('centre', 1000, 1000, 50), // on node (10, 10)
		compound('corner', 0, 0, 30), // on node (0, 0)
		compound('mid-edge', 450, 1000, 20) // halfway along an edge
	];
	const demands = demandPoints(index, residential);
	const candidates = networkNodeCandidates(graph);
	const { stations } = fixedStations(index, [facility('F', 1000, 1000)]);

	it('reaches exactly the nodes within 920 m walking (Manhattan distance on the grid)', () => {
		const { matrix, method, searches } = buildCoverageMatrix(
			search,
			demands,
			stations,
			candidates,
			settings
		);
		expect(method).toBe('from-demand');
		expect(searches).toBe(3);
		const reachedBy = (d: number) => {
			const sites: number[] = [];
			for (let i = matrix.demandStart[d]; i < matrix.demandStart[d + 1]; i++)
				sites.push(matrix.demandSite[i]);
			return sites.filter((s) => s >= matrix.fixedCount).map((s) => s - matrix.fixedCount);
		};
		const within = (x: number, y: number) =>
			candidates
				.map((c, i) => ({ c, i }))
				.filter(({ c }) => {
					const node = c.fromNode;
					const col = node % 21;
					const row = Math.floor(node / 21);
					return Math.abs(col * 100 - x) + Math.abs(row * 100 - y) <= 920;
				})
				.map(({ i }) => i);
		expect(reachedBy(0)).toEqual(within(1000, 1000));
		expect(reachedBy(0).length).toBe(181); // the diamond 2 × 9 × 10 + 1
		expect(reachedBy(1)).toEqual(within(0, 0));
		expect(reachedBy(2)).toEqual(within(450, 1000));
		// The fixed station at the centre reaches the centre and mid-edge (550 m), not the corner.
		expect([...matrix.siteDemand.subarray(matrix.siteStart[0], matrix.siteStart[1])]).toEqual([
			0, 2
		]);
	});

	it('gives the same pairs and times as one search per site', () => {
		const reverse = buildCoverageMatrix(search, demands, stations, candidates, settings);
		const forward = buildCoverageMatrix(search, demands, stations, candidates, {
			...settings,
			method: 'from-site'
		});
		expect(forward.method).toBe('from-site');
		expect(forward.searches).toBe(candidates.length + 1);
		expect(pairsOf(reverse.matrix)).toEqual(pairsOf(forward.matrix));
		const reverseSeconds = [...reverse.matrix.siteSeconds];
		[...forward.matrix.siteSeconds].forEach((seconds, i) =>
			expect(reverseSeconds[i]).toBeCloseTo(seconds, 3)
		);
	});

	it('falls back to one search per site on an asymmetric graph', () => {
		const copy = RoadGraph.from(graph.buffer.slice(0));
		copy.edgeLengthM[0] = 5; // one direction of one edge only
		expect(graphIsSymmetric(graph)).toBe(true);
		expect(graphIsSymmetric(copy)).toBe(false);
		const copySearch = new WalkSearch(copy);
		const built = buildCoverageMatrix(copySearch, demands, stations, candidates);
		expect(built.method).toBe('from-site');
		expect(built.symmetric).toBe(false);
		expect(() =>
			buildCoverageMatrix(copySearch, demands, stations, candidates, { method: 'from-demand' })
		).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
	});

	it('rejects walking settings that cannot be used', () => {
		expect(() =>
			buildCoverageMatrix(search, demands, stations, candidates, { walkSpeedMps: 0 })
		).toThrow(/walkSpeedMps 0/);
		expect(() =>
			buildCoverageMatrix(search, demands, stations, candidates, { maxMinutes: -5 })
		).toThrow(/maxMinutes -5/);
	});
});

describe('buildCoverageMatrix on the demo region (every network node a candidate)', () => {
	const demo = region('shanghai-bund-lujiazui');
	const { graph } = loadRegionGraph(
		join(import.meta.dirname, '../../../data/regions/shanghai-bund-lujiazui'),
		demo.meta
	);
	const index = new SegmentIndex(graph);
	const search = new WalkSearch(graph);
	const residential = demo.layers.residential!;
	const demands = demandPoints(index, residential);
	const { stations } = fixedStations(index, demo.layers.facilities!);
	const candidates = networkNodeCandidates(graph);

	it('one search per residential area equals one search per candidate', () => {
		expect(graphIsSymmetric(graph)).toBe(true);
		const reverse = buildCoverageMatrix(search, demands, stations, candidates);
		const forward = buildCoverageMatrix(search, demands, stations, candidates, {
			method: 'from-site'
		});
		expect(reverse.searches).toBe(18);
		expect(forward.searches).toBe(candidates.length + stations.length);
		expect(pairsOf(reverse.matrix)).toEqual(pairsOf(forward.matrix));
		const reverseSeconds = reverse.matrix.siteSeconds;
		const forwardSeconds = forward.matrix.siteSeconds;
		let worst = 0;
		for (let i = 0; i < reverseSeconds.length; i++)
			worst = Math.max(worst, Math.abs(reverseSeconds[i] - forwardSeconds[i]));
		expect(worst).toBeLessThan(1e-3);
		expect(reverse.matrix.siteDemand.length).toBeGreaterThan(1000);
	});

	it('covers with the existing station exactly what computeCoverage covers (7,379 elders)', () => {
		const { matrix } = buildCoverageMatrix(search, demands, stations, candidates);
		const coverage = computeCoverage(index, search, residential, demo.layers.facilities!, {
			maxMinutes: 15
		});
		const fixedRow = new Set(matrix.siteDemand.subarray(matrix.siteStart[0], matrix.siteStart[1]));
		expect(residential.map((_, d) => fixedRow.has(d))).toEqual(
			coverage.compounds.map((c) => c.covered)
		);
		expect(coveredWeight(matrix, [])).toBe(7379);
		expect(matrix.demandWeight.reduce((sum, w) => sum + w, 0)).toBe(11814);
	});
});
