/**
 * Issue 18 item 3: a facility's catchment looks its compounds up from the nodes its search
 * reached instead of testing every compound after every search. Cross-check against the old
 * algorithm (kept below as the reference) on random graphs, compounds and facilities: the same
 * catchments in the same order, the same reaching facilities, the same elders.
 */
import { describe, expect, it } from 'vitest';
import { compoundAccess } from '../../../src/lib/engine/coverage/access.ts';
import {
	computeCoverage,
	type CoverageResult,
	type LabelledSearch
} from '../../../src/lib/engine/coverage/coverage.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { gridGraph } from '../../../src/lib/engine/graph/grid.ts';
import { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex, type NetworkPoint } from '../../../src/lib/engine/graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { seeded, TextbookSearch } from '../graph/helpers.ts';

const ORIGIN_LON = 121.5;
const ORIGIN_LAT = 31.23;
const scale = metresPerDegree(ORIGIN_LAT);
const at = (xM: number, yM: number): [number, number] => [
	ORIGIN_LON + xM / scale.x,
	ORIGIN_LAT + yM / scale.y
];

// ---------------------------------------------------------------- the old algorithm (reference)

function timeAt(search: LabelledSearch, point: NetworkPoint, walkSpeedMps: number) {
	const viaFrom = search.time(point.fromNode) + point.offsetM / walkSpeedMps;
	const viaTo = search.time(point.toNode) + (point.lengthM - point.offsetM) / walkSpeedMps;
	return viaFrom <= viaTo
		? { seconds: viaFrom, label: search.label(point.fromNode) }
		: { seconds: viaTo, label: search.label(point.toNode) };
}

function bestTime(search: LabelledSearch, points: NetworkPoint[], walkSpeedMps: number) {
	let best = { seconds: Infinity, label: -1, point: -1 };
	points.forEach((point, i) => {
		const at = timeAt(search, point, walkSpeedMps);
		if (at.seconds < best.seconds) best = { ...at, point: i };
	});
	return best;
}

/** Catchments as computeCoverage found them before issue 18: every compound after every search. */
function referenceCatchments(
	index: SegmentIndex,
	search: LabelledSearch,
	compounds: ResidentialFeature[],
	facilities: FacilityFeature[],
	settings: CoverageResult['settings']
) {
	const { walkSpeedMps, stepPenaltyS, maxSnapM } = settings;
	const limitS = settings.maxMinutes * 60;
	const access = compounds.map((compound) => compoundAccess(index, compound, maxSnapM));
	const facilityPoints = facilities.map((facility) => {
		const [lon, lat] = facility.geometry.coordinates;
		return index.snap(lon, lat, maxSnapM);
	});
	const reaching: { facility: number; seconds: number }[][] = compounds.map(() => []);
	const catchments: { compound: number; seconds: number }[][] = facilities.map(() => []);
	facilityPoints.forEach((point, facility) => {
		if (!point) return;
		search.run(
			[
				{ node: point.fromNode, initialS: point.offsetM / walkSpeedMps, label: facility },
				{
					node: point.toNode,
					initialS: (point.lengthM - point.offsetM) / walkSpeedMps,
					label: facility
				}
			],
			{ walkSpeedMps, stepPenaltyS, maxSeconds: limitS }
		);
		access.forEach((entry, compound) => {
			const { seconds } = bestTime(search, entry.points, walkSpeedMps);
			if (seconds <= limitS) {
				reaching[compound].push({ facility, seconds });
				catchments[facility].push({ compound, seconds });
			}
		});
	});
	const toMinutes = (seconds: number) => Math.round((seconds / 60) * 100) / 100;
	const eldersOf = (c: number) => compounds[c].properties.elders ?? 0;
	return {
		reachingFacilityIds: reaching.map((list) =>
			list.sort((a, b) => a.seconds - b.seconds).map((r) => facilities[r.facility].properties.id)
		),
		facilities: catchments.map((list) => {
			const catchment = list.sort((a, b) => a.seconds - b.seconds);
			return {
				catchment: catchment.map((c) => ({
					id: compounds[c.compound].properties.id,
					minutes: toMinutes(c.seconds)
				})),
				eldersReached: catchment.reduce((sum, c) => sum + eldersOf(c.compound), 0),
				eldersOnlyHere: catchment
					.filter((c) => reaching[c.compound].length === 1)
					.reduce((sum, c) => sum + eldersOf(c.compound), 0)
			};
		})
	};
}

// ---------------------------------------------------------------- random instances

/**
 * A jittered street grid with chain nodes on some blocks, dead ends, a few centimetre-short
 * edges (so WalkSearch runs its band mode, as on OSM networks) and some steps.
 */
function jitteredGraph(random: () => number, side: number, spacingM: number): RoadGraph {
	const nodeLon: number[] = [];
	const nodeLat: number[] = [];
	const from: number[] = [];
	const to: number[] = [];
	const lengthM: number[] = [];
	const flags: number[] = [];
	const addNode = (xM: number, yM: number) => {
		const [lon, lat] = at(xM, yM);
		nodeLon.push(lon);
		nodeLat.push(lat);
		return nodeLon.length - 1;
	};
	const link = (a: number, b: number, metres: number) => {
		from.push(a);
		to.push(b);
		lengthM.push(metres);
		flags.push(random() < 0.05 ? 1 : 0);
	};
	for (let row = 0; row < side; row++)
		for (let col = 0; col < side; col++)
			addNode(col * spacingM + (random() - 0.5) * 10, row * spacingM + (random() - 0.5) * 10);
	for (let row = 0; row < side; row++)
		for (let col = 0; col < side; col++) {
			const node = row * side + col;
			for (const next of [col + 1 < side ? node + 1 : -1, row + 1 < side ? node + side : -1]) {
				if (next < 0 || random() < 0.1) continue; // a missing street
				const metres = spacingM * (0.8 + random() * 0.4);
				if (random() < 0.3) {
					// A chain of two-edge nodes along the block.
					let previous = node;
					const pieces = 2 + Math.floor(random() * 3);
					for (let k = 1; k < pieces; k++) {
						const t = k / pieces;
						const middle = addNode(
							(1 - t) * (node % side) * spacingM + t * (next % side) * spacingM,
							(1 - t) * Math.floor(node / side) * spacingM + t * Math.floor(next / side) * spacingM
						);
						link(previous, middle, metres / pieces);
						previous = middle;
					}
					link(previous, next, metres / pieces);
				} else link(node, next, metres);
			}
			if (random() < 0.1) link(node, addNode(col * spacingM + 15, row * spacingM + 15), 21); // dead end
			if (random() < 0.05 && col + 1 < side) link(node, node + 1, 0.04); // a centimetre edge
		}
	return RoadGraph.build({
		nodeLon,
		nodeLat,
		segmentFrom: from,
		segmentTo: to,
		segmentLengthM: lengthM,
		segmentFlags: flags
	});
}

function randomCompounds(random: () => number, extentM: number, count: number) {
	const compounds: ResidentialFeature[] = [];
	for (let i = 0; i < count; i++) {
		// Some compounds lie beyond the network (off-network: no access points).
		const x = random() * extentM * 1.2 - extentM * 0.1;
		const y = random() * extentM * 1.2 - extentM * 0.1;
		const half = 10 + random() * 60;
		const shape = random();
		compounds.push({
			type: 'Feature',
			geometry:
				shape < 0.3
					? { type: 'Point', coordinates: at(x, y) }
					: {
							type: 'Polygon',
							coordinates: [
								[at(x - half, y - half), at(x + half, y - half), at(x + half, y + half)]
									.concat(shape < 0.5 ? [at(x - half / 2, y + half / 3)] : [])
									.concat([at(x - half, y + half), at(x - half, y - half)])
							]
						},
			properties: {
				id: `c${i}`,
				name: `c${i}`,
				households: 100,
				elders: random() < 0.1 ? null : Math.floor(random() * 500),
				status: 'existing',
				builtYear: null,
				streetCode: null,
				gates:
					shape > 0.8
						? [at(x - half, y), ...(shape > 0.9 ? [at(x, y + half + 300 * random())] : [])]
						: [],
				estimated: {}
			}
		});
	}
	return compounds;
}

function randomFacilities(random: () => number, extentM: number, count: number) {
	return Array.from({ length: count }, (_, i): FacilityFeature => ({
		type: 'Feature',
		geometry: {
			type: 'Point',
			coordinates: at(
				random() * extentM * 1.3 - extentM * 0.15,
				random() * extentM * 1.3 - extentM * 0.15
			)
		},
		properties: {
			id: `f${i}`,
			name: `f${i}`,
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
	}));
}

/** What the catchment lookup decides, read off a coverage result. */
function catchmentsOf(result: CoverageResult) {
	return {
		reachingFacilityIds: result.compounds.map((row) => row.reachingFacilityIds),
		facilities: result.facilities.map(({ catchment, eldersReached, eldersOnlyHere }) => ({
			catchment,
			eldersReached,
			eldersOnlyHere
		}))
	};
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('issue 18: catchments from the reached nodes equal the scan over every compound', () => {
	it.each(SEEDS)('jittered graph with chains, dead ends and steps (band mode), seed %i', (seed) => {
		const random = seeded(seed);
		const side = 8 + Math.floor(random() * 10);
		const spacingM = 60 + random() * 80;
		const graph = jitteredGraph(random, side, spacingM);
		const index = new SegmentIndex(graph);
		const search = new WalkSearch(graph);
		const extentM = side * spacingM;
		const compounds = randomCompounds(random, extentM, 20 + Math.floor(random() * 80));
		const facilities = randomFacilities(random, extentM, 1 + Math.floor(random() * 12));
		const options = {
			maxMinutes: 2 + random() * 8,
			walkSpeedMps: random() < 0.5 ? 1 : 0.8,
			stepPenaltyS: random() < 0.5 ? 0 : 15
		};
		const result = computeCoverage(index, search, compounds, facilities, options);
		const reference = referenceCatchments(index, search, compounds, facilities, result.settings);
		expect(catchmentsOf(result)).toEqual(reference);
		// Not vacuous: some compounds are reached, some are not.
		const reachedCount = reference.reachingFacilityIds.filter((ids) => ids.length > 0).length;
		expect(reachedCount).toBeGreaterThan(0);
		if (seed === 1) expect(reachedCount).toBeLessThan(compounds.length);
	});

	it.each(SEEDS)('Hilbert-numbered grid of equal blocks (list mode), seed %i', (seed) => {
		const random = seeded(100 + seed);
		const rows = 10 + Math.floor(random() * 15);
		const cols = 10 + Math.floor(random() * 15);
		const { graph } = gridGraph({ rows, cols, spacingM: 80, order: 'hilbert' });
		const index = new SegmentIndex(graph);
		const search = new WalkSearch(graph);
		const extentM = Math.max(rows, cols) * 80;
		const compounds = randomCompounds(random, extentM, 30 + Math.floor(random() * 100));
		const facilities = randomFacilities(random, extentM, 1 + Math.floor(random() * 10));
		// Compounds and facilities on crossings: whole-block times, so catchments have exact ties
		// (their order is the compounds' order, as the scan kept them).
		const onCrossing = (): [number, number] => {
			const node = Math.floor(random() * graph.nodeCount);
			return [graph.lon(node), graph.lat(node)];
		};
		for (const compound of compounds)
			if (random() < 0.5) compound.geometry = { type: 'Point', coordinates: onCrossing() };
		for (const facility of facilities)
			if (random() < 0.5) facility.geometry.coordinates = onCrossing();
		const options = { maxMinutes: 3 + random() * 6 };
		const result = computeCoverage(index, search, compounds, facilities, options);
		const reference = referenceCatchments(index, search, compounds, facilities, result.settings);
		expect(catchmentsOf(result)).toEqual(reference);
		// Not vacuous: some catchment has compounds at the same minutes.
		if (seed === 1)
			expect(
				reference.facilities.some(({ catchment }) =>
					catchment.some((entry, i) => i > 0 && entry.minutes === catchment[i - 1].minutes)
				)
			).toBe(true);
	});

	it('a search without settled() (every node looked at) gives the same as WalkSearch', () => {
		const random = seeded(42);
		const graph = jitteredGraph(random, 9, 90);
		const index = new SegmentIndex(graph);
		const compounds = randomCompounds(random, 810, 60);
		const facilities = randomFacilities(random, 810, 6);
		const textbook = computeCoverage(index, new TextbookSearch(graph), compounds, facilities, {
			maxMinutes: 6
		});
		const walk = computeCoverage(index, new WalkSearch(graph), compounds, facilities, {
			maxMinutes: 6
		});
		expect(catchmentsOf(textbook)).toEqual(
			referenceCatchments(
				index,
				new TextbookSearch(graph),
				compounds,
				facilities,
				textbook.settings
			)
		);
		expect(catchmentsOf(walk)).toEqual(catchmentsOf(textbook));
	});
});
