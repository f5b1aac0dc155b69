import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../../src/lib/engine/coverage/coverage.ts';
import { coverageCsv } from '../../../src/lib/engine/coverage/csv.ts';
import { totalsBy } from '../../../src/lib/engine/coverage/totals.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { streetGrid, TextbookSearch } from '../graph/helpers.ts';

const scale = metresPerDegree(31.23);
const at = (xM: number, yM: number): [number, number] => [
	121.5 + xM / scale.x,
	31.23 + yM / scale.y
];

const compound = (
	id: string,
	xM: number,
	yM: number,
	elders: number | null,
	streetCode: string
): ResidentialFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: at(xM, yM) },
	properties: {
		id,
		name: id,
		households: 100,
		elders,
		status: 'existing',
		builtYear: null,
		streetCode,
		gates: [],
		estimated: elders === null ? {} : { elders: 'test' }
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

describe('computeCoverage on a 100 m street grid (walking 1 m/s: 100 m = 100 s)', () => {
	// 11 × 11 nodes: 1 km × 1 km
	const graph = streetGrid(11, 100);
	const index = new SegmentIndex(graph);
	const search = new TextbookSearch(graph);
	const compounds = [
		compound('near-a', 50, 0, 30, '1'), // 50 m from A
		compound('between', 450, 0, 20, '1'), // 450 m from A, 550 m from B
		compound('far', 1000, 1000, 10, '2'), // 2000 m from A, 1000 m from B
		compound('unknown-elders', 0, 300, null, '2') // 300 m from A
	];
	const facilities = [facility('A', 0, 0), facility('B', 1000, 0), facility('off', 3000, 3000)];
	const result = computeCoverage(index, search, compounds, facilities, { maxMinutes: 10 });

	it('gives the network walking time to the nearest facility (Manhattan distance on a grid)', () => {
		expect(result.compounds.map((row) => [row.id, row.minutes, row.nearestFacilityId])).toEqual([
			['near-a', 0.83, 'A'],
			['between', 7.5, 'A'],
			['far', 16.67, 'B'],
			['unknown-elders', 5, 'A']
		]);
		expect(result.compounds.map((row) => row.covered)).toEqual([true, true, false, true]);
	});

	it('lists every facility within the limit (overlap) and what each facility alone covers', () => {
		expect(result.compounds[1].reachingFacilityIds).toEqual(['A', 'B']);
		const [a, b, off] = result.facilities;
		expect(a.catchment.map((c) => c.id)).toEqual(['near-a', 'unknown-elders', 'between']);
		expect([a.eldersReached, a.eldersOnlyHere]).toEqual([50, 30]);
		expect([b.eldersReached, b.eldersOnlyHere]).toEqual([20, 0]);
		expect(off).toMatchObject({
			placed: false,
			note: 'door more than 150 m from the walking network: not placed',
			catchment: []
		});
	});

	it('adds up per street, keeping unknown elders out of the sums', () => {
		const totals = totalsBy(result.compounds, (row) => ({
			key: row.streetCode ?? '',
			name: `street ${row.streetCode}`
		}));
		expect(
			totals.map((t) => [
				t.key,
				t.elders,
				t.eldersCovered,
				t.eldersCoveredShare,
				t.eldersUnknownCompounds
			])
		).toEqual([
			['1', 50, 50, 1, 0],
			['2', 10, 0, 0, 1]
		]);
	});

	it('writes coverage.csv with a BOM, one row per compound, estimates marked', () => {
		const lines = coverageCsv(result.compounds).split('\r\n');
		expect(lines[0]).toBe(
			'\uFEFFid,name,streetCode,households,households_estimated,elders,elders_estimated,access,snapDistanceM,minutesToNearest,nearestFacilityId,covered,reachingFacilityIds,note,reason'
		);
		expect(lines[2]).toBe('between,between,1,100,,20,test,centroid,0,7.5,A,yes,A B,,');
		expect(lines).toHaveLength(6);
	});
});
