/**
 * Capacity-aware siting (issue 6): capacity from floor area ÷ the profile's rate (by status) or
 * a user capacity; households go to the nearest station with room left; capacity is never
 * exceeded; the exact model serves what the best k stations serve under that rule (brute force
 * over all k-subsets).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FacilityAreaRule } from '../../../src/lib/engine/rules/profile-schema.ts';
import {
	assignNearest,
	capacityModel,
	exactCapacitatedMclp,
	greedyCapacitatedMclp,
	type Assignment,
	type CapacityModel
} from '../../../src/lib/engine/siting/capacity.ts';
import type { SiteCandidate } from '../../../src/lib/engine/siting/candidates.ts';
import type { DemandPoint } from '../../../src/lib/engine/siting/demand.ts';
import { exactMclp } from '../../../src/lib/engine/siting/mclp.ts';
import {
	coverageMatrixFromSets,
	coveredWeight,
	type CoverageMatrix
} from '../../../src/lib/engine/siting/matrix.ts';
import type { MilpSolver } from '../../../src/lib/engine/siting/milp.ts';
import { loadHighsSolver } from '../../../src/lib/server/milp-highs.ts';
import { candidatesOf, randomInstance, seeded, subsets } from './helpers.ts';

let solver: MilpSolver;
beforeAll(async () => {
	solver = await loadHighsSolver();
});

const rule = {
	id: 'community-facility-area',
	kind: 'facility_area_per_households',
	params: {
		newRateM2Per100Households: 20,
		existingRateM2Per100Households: 15,
		minSingleSiteM2: null,
		poolingAllowed: false
	},
	citation: { document: 'test', section: 'test', clause: 'test', quote: 'test' }
} as unknown as FacilityAreaRule;

const demand = (households: number | null, status: 'new' | 'existing'): DemandPoint => ({
	id: `d${households}`,
	name: 'd',
	elders: households === null ? null : households / 2,
	households,
	status,
	weight: households === null ? 0 : households / 2,
	access: 'centroid',
	points: [],
	note: null
});
const site = (
	id: string,
	floorAreaM2: number | null,
	source: SiteCandidate['source']
): SiteCandidate => ({
	id,
	name: null,
	source,
	lon: 0,
	lat: 0,
	fromNode: 0,
	toNode: 0,
	offsetM: 0,
	lengthM: 0,
	snapDistanceM: 0,
	floorAreaM2,
	kind: source === 'facility' ? 'community_station' : null
});

/** Every invariant of the nearest-with-room rule. */
function checkAssignment(
	matrix: CoverageMatrix,
	model: CapacityModel,
	open: number[],
	a: Assignment
) {
	const openSet = new Set([...Array.from({ length: matrix.fixedCount }, (_, s) => s), ...open]);
	const used = new Float64Array(matrix.siteCount);
	const seconds = (s: number, d: number) => {
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			if (matrix.siteDemand[i] === d) return matrix.siteSeconds[i];
		return Infinity;
	};
	for (let p = 0; p < a.pairSite.length; p++) {
		const s = a.pairSite[p];
		const d = a.pairDemand[p];
		expect(openSet.has(s)).toBe(true);
		expect(seconds(s, d)).toBeLessThan(Infinity); // only within the circle
		expect(a.pairShare[p]).toBeGreaterThan(0);
		used[s] += a.pairShare[p] * model.demandSize[d];
		// Every open station nearer to d than s was full.
		for (const other of openSet)
			if (seconds(other, d) < seconds(s, d))
				expect(a.load[other]).toBeGreaterThanOrEqual(model.siteCapacity[other] * (1 - 1e-12));
	}
	for (let s = 0; s < matrix.siteCount; s++) {
		// Capacity never exceeded.
		expect(used[s]).toBeLessThanOrEqual(model.siteCapacity[s] * (1 + 1e-12));
		expect(a.load[s]).toBeLessThanOrEqual(model.siteCapacity[s]);
	}
	for (let d = 0; d < matrix.demandCount; d++) {
		expect(a.servedShare[d]).toBeLessThanOrEqual(1);
		// A demand left partly unserved has no open station with room within reach.
		if (a.servedShare[d] < 1 - 1e-12 && !Number.isNaN(model.demandSize[d]))
			for (const s of openSet)
				if (seconds(s, d) < Infinity)
					expect(a.load[s]).toBeGreaterThanOrEqual(model.siteCapacity[s] * (1 - 1e-12));
	}
	const served = Array.from(a.servedShare).reduce(
		(sum, share, d) => sum + share * matrix.demandWeight[d],
		0
	);
	expect(a.servedWeight).toBeCloseTo(served, 9);
}

function randomModel(matrix: CoverageMatrix, seed: number): CapacityModel {
	const random = seeded(seed);
	return {
		unit: 'm2',
		demandSize: Float64Array.from(
			{ length: matrix.demandCount },
			() => 20 + Math.floor(random() * 200)
		),
		siteCapacity: Float64Array.from(
			{ length: matrix.siteCount },
			() => 100 + Math.floor(random() * 300)
		),
		unknownSizeDemands: [],
		unlimitedSites: []
	};
}

describe('capacityModel', () => {
	const demands = [demand(1000, 'existing'), demand(500, 'new'), demand(null, 'existing')];
	const sites = [
		site('old', null, 'facility'),
		site('f300', 300, 'facility'),
		site('c', null, 'list'),
		site('c400', 400, 'list')
	];

	it('measures need and room in m² of floor area from the rule, by status', () => {
		const model = capacityModel(demands, sites, { rule, candidateFloorAreaM2: 250 });
		expect(model.unit).toBe('m2');
		// 1000 existing households × 15 m² ÷ 100 = 150 m²; 500 new × 20 ÷ 100 = 100 m².
		expect([...model.demandSize].slice(0, 2)).toEqual([150, 100]);
		expect(model.demandSize[2]).toBeNaN();
		expect(model.unknownSizeDemands).toEqual([2]);
		// An existing station of unknown floor area is not limited (unknown is never 0).
		expect([...model.siteCapacity]).toEqual([Infinity, 300, 250, 400]);
		expect(model.unlimitedSites).toEqual([0]);
		// A 300 m² station serves 300 ÷ 15 × 100 = 2,000 existing households.
		expect((model.siteCapacity[1] / 15) * 100).toBe(2000);
	});

	it('uses a user capacity in households for every station', () => {
		const model = capacityModel(demands, sites, { householdsPerStation: 800 });
		expect(model.unit).toBe('households');
		expect([...model.demandSize].slice(0, 2)).toEqual([1000, 500]);
		expect([...model.siteCapacity]).toEqual([800, 800, 800, 800]);
	});

	it('names what is missing', () => {
		expect(() => capacityModel(demands, sites, { rule })).toThrowError(
			expect.objectContaining({ code: 'CAPACITY_UNKNOWN' })
		);
		expect(() => capacityModel(demands, sites, {})).toThrowError(
			expect.objectContaining({ code: 'NO_AREA_RULE' })
		);
		expect(() => capacityModel(demands, sites, { householdsPerStation: 0 })).toThrow(
			/householdsPerStation 0/
		);
	});
});

describe('assignNearest', () => {
	it('fills the nearest station first and sends the rest to the next one with room', () => {
		// Two demands of 100 m² each (weights 50, 30); station 0 (fixed, 120 m²) is nearer to both.
		const matrix = coverageMatrixFromSets(
			[50, 30],
			[
				[0, 1],
				[0, 1]
			],
			1,
			[
				[60, 120],
				[300, 600]
			]
		);
		const model: CapacityModel = {
			unit: 'm2',
			demandSize: Float64Array.from([100, 100]),
			siteCapacity: Float64Array.from([120, 50]),
			unknownSizeDemands: [],
			unlimitedSites: []
		};
		const without = assignNearest(matrix, [], model);
		// Demand 0 (60 s) takes 100 m², demand 1 gets the remaining 20 m² = 20 %.
		expect([...without.servedShare]).toEqual([1, 0.2]);
		expect(without.servedWeight).toBeCloseTo(50 + 6, 12);
		const withSecond = assignNearest(matrix, [1], model);
		// Station 1 gives demand 1 another 50 m² (50 %).
		expect([...withSecond.servedShare]).toEqual([1, 0.7]);
		expect([...withSecond.load]).toEqual([120, 50]);
		checkAssignment(matrix, model, [1], withSecond);
	});

	it.each(Array.from({ length: 25 }, (_, i) => 3000 + i))(
		'never exceeds a capacity and keeps the nearest-with-room rule (seed %i)',
		(seed) => {
			const { matrix } = randomInstance(seed, 12, 10, 2, 0.35);
			const model = randomModel(matrix, seed);
			const open = candidatesOf(matrix).filter((_, i) => (seed + i) % 3 === 0);
			checkAssignment(matrix, model, open, assignNearest(matrix, open, model));
		}
	);
});

describe('capacity-aware siting', () => {
	it.each(Array.from({ length: 15 }, (_, i) => 4000 + i))(
		'exact = the best k-subset under the nearest rule (brute force), greedy within capacity (seed %i)',
		async (seed) => {
			const { matrix } = randomInstance(seed, 10, 10, 1, 0.3);
			const model = randomModel(matrix, seed);
			const k = 2;
			let bestNearest = 0;
			for (const subset of subsets(candidatesOf(matrix), k))
				bestNearest = Math.max(bestNearest, assignNearest(matrix, subset, model).servedWeight);
			const exact = await exactCapacitatedMclp(matrix, k, model, solver);
			const greedy = greedyCapacitatedMclp(matrix, k, model);
			expect(exact.sites.length).toBeLessThanOrEqual(k);
			expect(greedy.sites.length).toBeLessThanOrEqual(k);
			expect(greedy.servedWeight).toBeLessThanOrEqual(bestNearest + 1e-9);
			expect(exact.status).toBe('optimal');
			expect(exact.servedWeight).toBeCloseTo(bestNearest, 6);
			expect(exact.bestAssignmentWeight!).toBeCloseTo(exact.servedWeight, 6);
			expect(exact.relativeGap!).toBeLessThanOrEqual(1e-6);
			for (const solution of [exact, greedy]) {
				const open = solution.sites.map((s) => s.site);
				checkAssignment(matrix, model, open, solution.assignment);
				for (const station of solution.stations)
					expect(station.load).toBeLessThanOrEqual(station.capacity);
				expect(solution.newlyServed).toBeCloseTo(solution.servedWeight - solution.fixedServed, 9);
			}
		}
	);

	it('with unlimited capacity equals plain MCLP', async () => {
		for (let seed = 1; seed <= 8; seed++) {
			const { matrix } = randomInstance(seed, 14, 12, 1, 0.2);
			const unlimited: CapacityModel = {
				unit: 'households',
				demandSize: new Float64Array(matrix.demandCount).fill(1),
				siteCapacity: new Float64Array(matrix.siteCount).fill(Infinity),
				unknownSizeDemands: [],
				unlimitedSites: []
			};
			const plain = await exactMclp(matrix, 2, solver);
			const capacitated = await exactCapacitatedMclp(matrix, 2, unlimited, solver);
			const withFixed = plain.newlyCovered + plain.fixedCovered;
			expect(capacitated.servedWeight).toBeCloseTo(withFixed, 9);
			expect(
				coveredWeight(
					matrix,
					capacitated.sites.map((s) => s.site)
				)
			).toBe(withFixed);
		}
	});

	it('opens a second station where the first is full', () => {
		// One big demand (300 m², 90 elders) reached by candidates 0, 1, 2 of 120 m² each.
		const matrix = coverageMatrixFromSets([90], [[0], [0], [0]], 0, [[100], [200], [300]]);
		const model: CapacityModel = {
			unit: 'm2',
			demandSize: Float64Array.from([300]),
			siteCapacity: Float64Array.from([120, 120, 120]),
			unknownSizeDemands: [],
			unlimitedSites: []
		};
		const one = greedyCapacitatedMclp(matrix, 1, model);
		expect(one.servedWeight).toBeCloseTo(36, 12); // 120 ÷ 300 × 90
		const two = greedyCapacitatedMclp(matrix, 2, model);
		expect(two.servedWeight).toBeCloseTo(72, 12);
		expect(two.sites.map((s) => s.load)).toEqual([120, 120]);
	});
});
