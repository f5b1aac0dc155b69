/**
 * Issue 18 item 3: a report's second coverage (the meal circle) and a session's recomputes reuse
 * the access points placed before (`rememberedCompoundAccess`) while a compound's numbers are the
 * same, and the meal circle runs no search per provider (`catchments: false`). The answers must
 * be those of placing every compound again.
 */
import { describe, expect, it } from 'vitest';
import {
	compoundAccess,
	rememberedCompoundAccess
} from '../../../src/lib/engine/coverage/access.ts';
import { computeCoverage, firstFlatItem } from '../../../src/lib/engine/coverage/coverage.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { gridGraph } from '../../../src/lib/engine/graph/grid.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { seeded } from '../graph/helpers.ts';

const { graph } = gridGraph({ rows: 20, cols: 20, spacingM: 80 });
const origin = [121.5, 31.23];
const scale = metresPerDegree(origin[1]);
const at = (xM: number, yM: number): [number, number] => [
	origin[0] + xM / scale.x,
	origin[1] + yM / scale.y
];

function compoundsOf(random: () => number, count: number): ResidentialFeature[] {
	return Array.from({ length: count }, (_, i): ResidentialFeature => {
		const x = random() * 1_800 - 100;
		const y = random() * 1_800 - 100;
		const half = 5 + random() * 40;
		const shape = random();
		return {
			type: 'Feature',
			geometry:
				shape < 0.3
					? { type: 'Point', coordinates: at(x, y) }
					: {
							type: 'Polygon',
							coordinates: [
								[
									at(x - half, y - half),
									at(x + half, y - half),
									at(x + half, y + half),
									at(x - half, y + half),
									at(x - half, y - half)
								]
							]
						},
			properties: {
				id: `c${i}`,
				name: `c${i}`,
				households: 100,
				elders: Math.floor(random() * 400),
				status: 'existing',
				builtYear: null,
				streetCode: null,
				gates: shape > 0.8 ? [at(x - half, y)] : [],
				estimated: {}
			}
		};
	});
}

function facilitiesOf(random: () => number, count: number): FacilityFeature[] {
	return Array.from({ length: count }, (_, i): FacilityFeature => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: at(random() * 1_600, random() * 1_600) },
		properties: {
			id: `f${i}`,
			name: `f${i}`,
			kind: 'meal_point',
			floorAreaM2: 200,
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

describe('issue 18: remembered access points', () => {
	it('answers as compoundAccess, from memory only while the numbers and the limit are the same', () => {
		const random = seeded(18);
		const index = new SegmentIndex(graph);
		const compounds = compoundsOf(random, 300);
		for (const compound of compounds) {
			const first = rememberedCompoundAccess(index, compound, 150);
			expect(first).toEqual(compoundAccess(index, compound, 150));
			expect(rememberedCompoundAccess(index, compound, 150)).toBe(first);
			// Another limit, another index: placed again.
			expect(rememberedCompoundAccess(index, compound, 20)).toEqual(
				compoundAccess(index, compound, 20)
			);
			const other = new SegmentIndex(graph);
			expect(rememberedCompoundAccess(other, compound, 150)).not.toBe(first);
		}
		// Edited in place: a coordinate moved, a gate added or moved, the geometry replaced.
		for (const [i, compound] of compounds.entries()) {
			const before = rememberedCompoundAccess(index, compound, 150);
			const geometry = compound.geometry;
			if (i % 3 === 0) {
				if (geometry.type === 'Point') geometry.coordinates[0] += 60 / scale.x;
				else if (geometry.type === 'Polygon') geometry.coordinates[0][2][1] += 60 / scale.y;
			} else if (i % 3 === 1) {
				const gates = compound.properties.gates;
				if (gates.length) gates[0] = [gates[0][0], gates[0][1] + 70 / scale.y];
				else gates.push(at(random() * 1_600, random() * 1_600));
			} else compound.geometry = { type: 'Point', coordinates: at(random() * 1_600, 500) };
			const after = rememberedCompoundAccess(index, compound, 150);
			expect(after).not.toBe(before);
			expect(after).toEqual(compoundAccess(index, compound, 150));
		}
	});

	it('gives the same coverage as placing again, and the same nearest without catchments', () => {
		const random = seeded(19);
		const compounds = compoundsOf(random, 400);
		const facilities = facilitiesOf(random, 12);
		const fresh = () =>
			computeCoverage(new SegmentIndex(graph), new WalkSearch(graph), compounds, facilities, {
				maxMinutes: 8
			});
		const index = new SegmentIndex(graph);
		const search = new WalkSearch(graph);
		const once = computeCoverage(index, search, compounds, facilities, { maxMinutes: 8 });
		const twice = computeCoverage(index, search, compounds, facilities, { maxMinutes: 8 });
		expect(once).toEqual(fresh());
		expect(twice).toEqual(once);
		const reached = once.compounds.filter((row) => row.reachingFacilityIds.length > 0).length;
		expect(reached).toBeGreaterThan(50);
		expect(reached).toBeLessThan(compounds.length);

		const nearestOnly = computeCoverage(
			index,
			search,
			compounds,
			facilities,
			{ maxMinutes: 8 },
			{ catchments: false }
		);
		expect(nearestOnly.compounds).toEqual(
			once.compounds.map((row) => ({ ...row, reachingFacilityIds: [] }))
		);
		expect(nearestOnly.facilities).toEqual(
			once.facilities.map((row) => ({
				...row,
				catchment: [],
				eldersReached: 0,
				eldersOnlyHere: 0
			}))
		);
		expect(nearestOnly.facilityPoints).toEqual(once.facilityPoints);
	});
});

describe('issue 18: firstFlatItem is flat(depth)[0] without the copy', () => {
	it('agrees on 5,000 random nested lists with empty lists, holes and non-numbers', () => {
		const random = seeded(20);
		const leaf = () => {
			const u = random();
			return u < 0.6 ? random() * 10 : u < 0.7 ? null : u < 0.8 ? 'x' : u < 0.9 ? NaN : undefined;
		};
		const nested = (depth: number): unknown[] => {
			const length = Math.floor(random() * 4);
			const list: unknown[] = [];
			for (let i = 0; i < length; i++)
				if (random() < 0.1)
					list.length++; // a hole
				else list.push(depth > 0 && random() < 0.7 ? nested(depth - 1) : leaf());
			return list;
		};
		for (let i = 0; i < 5_000; i++) {
			const list = nested(1 + Math.floor(random() * 5));
			for (const depth of [0, 1, 3]) {
				const expected = list.flat(depth);
				const found = firstFlatItem(list, depth);
				if (expected.length === 0) expect(typeof found).toBe('symbol');
				else expect(found).toBe(expected[0]);
			}
		}
	});
});
