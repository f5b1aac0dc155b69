import { describe, expect, it } from 'vitest';
import { compoundAccess } from '../../../src/lib/engine/coverage/access.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type { ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { streetGrid } from '../graph/helpers.ts';

const scale = metresPerDegree(31.23);
const at = (xM: number, yM: number): [number, number] => [
	121.5 + xM / scale.x,
	31.23 + yM / scale.y
];

function compound(
	geometry: ResidentialFeature['geometry'],
	gates: [number, number][] = []
): ResidentialFeature {
	return {
		type: 'Feature',
		geometry,
		properties: {
			id: 'c',
			name: 'c',
			households: 100,
			elders: 20,
			status: 'existing',
			builtYear: null,
			streetCode: null,
			gates,
			estimated: {}
		}
	};
}
const square = (
	x0: number,
	y0: number,
	x1: number,
	y1: number
): ResidentialFeature['geometry'] => ({
	type: 'Polygon',
	coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]]
});

describe('compoundAccess', () => {
	const index = new SegmentIndex(streetGrid(6, 100));

	it('uses mapped gates first', () => {
		const access = compoundAccess(
			index,
			compound(square(10, 10, 90, 90), [at(50, 3), at(1200, 50)])
		);
		expect(access.method).toBe('gates');
		expect(access.points).toHaveLength(1);
		expect(access.note).toBe('1 of 2 gates are more than 150 m from the network');
	});

	it('takes the points where streets cross the boundary of a compound that spans a street', () => {
		// 150 m × 80 m block straddling the street x = 100: crossed at its south and north edges
		const access = compoundAccess(index, compound(square(30, 10, 180, 90)));
		expect(access.method).toBe('boundary-crossings');
		expect(access.points.map((p) => Math.round(p.lat * 1e6) / 1e6).sort()).toEqual(
			[at(0, 10)[1], at(0, 90)[1]].map((v) => Math.round(v * 1e6) / 1e6)
		);
	});

	it('falls back to the nearest network point of the boundary inside a block', () => {
		const access = compoundAccess(index, compound(square(20, 20, 70, 80)));
		expect(access.method).toBe('boundary-nearest');
		expect(access.points[0].snapDistanceM).toBeCloseTo(20, 1);
	});

	it('snaps a point compound, and reports one far from every street as off-network', () => {
		expect(compoundAccess(index, compound({ type: 'Point', coordinates: at(40, 40) })).method).toBe(
			'centroid'
		);
		const far = compoundAccess(index, compound({ type: 'Point', coordinates: at(1200, 40) }));
		expect(far).toEqual({
			method: 'off-network',
			points: [],
			note: 'no part of it lies within 150 m of the walking network'
		});
	});
});
