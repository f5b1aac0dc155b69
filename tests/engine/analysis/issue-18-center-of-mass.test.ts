/**
 * Issue 18 item 3: a compound's representative point computes turf's centerOfMass of a Polygon
 * by hand (`polygonCenterOfMass`). It must be turf's to the bit: same positions, same order of
 * operations, holes and degenerate rings included, and null where turf stops on NaN.
 */
import { booleanPointInPolygon, centerOfMass, pointOnFeature } from '@turf/turf';
import type { Feature, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
	polygonCenterOfMass,
	representativePoint
} from '../../../src/lib/engine/analysis/places.ts';
import type { ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { seeded } from '../graph/helpers.ts';

const turfCentre = (rings: Position[][]) =>
	centerOfMass({
		type: 'Feature',
		geometry: { type: 'Polygon', coordinates: rings },
		properties: {}
	} as Feature<Polygon>).geometry.coordinates;

function randomRing(random: () => number, cx: number, cy: number, radius: number): Position[] {
	const count = 3 + Math.floor(random() * 12);
	const ring: Position[] = [];
	for (let k = 0; k < count; k++) {
		const angle = (2 * Math.PI * k) / count + random() * 0.3;
		const r = radius * (0.3 + random());
		// Coordinates as the region files hold them: 1e-7°.
		ring.push([
			Math.round((cx + r * Math.cos(angle)) * 1e7) / 1e7,
			Math.round((cy + r * Math.sin(angle)) * 1e7) / 1e7
		]);
	}
	ring.push([...ring[0]]);
	return random() < 0.5 ? ring : ring.reverse();
}

/** A thin arc around its centre, which lies outside it. */
function crescent(random: () => number): Position[] {
	const outer: Position[] = [];
	const inner: Position[] = [];
	const span = Math.PI * (1.2 + random() * 0.6);
	for (let k = 0; k <= 8; k++) {
		const angle = (span * k) / 8;
		outer.push([121.5 + 0.002 * Math.cos(angle), 31.2 + 0.002 * Math.sin(angle)]);
		inner.push([121.5 + 0.0015 * Math.cos(angle), 31.2 + 0.0015 * Math.sin(angle)]);
	}
	const ring = [...outer, ...inner.reverse()];
	ring.push([...ring[0]]);
	return ring;
}

describe('issue 18: polygonCenterOfMass is turf centerOfMass of a Polygon', () => {
	it('agrees bit for bit on 5,000 random polygons with holes', () => {
		const random = seeded(18);
		for (let i = 0; i < 5_000; i++) {
			const cx = 121 + random();
			const cy = 31 + random();
			const rings = [randomRing(random, cx, cy, 0.001 + random() * 0.01)];
			const holes = Math.floor(random() * 3);
			for (let h = 0; h < holes; h++) rings.push(randomRing(random, cx, cy, 0.0003));
			expect(polygonCenterOfMass(rings)).toEqual(turfCentre(rings));
		}
	});

	it('agrees on degenerate rings: zero area, repeated positions, a lone closing position', () => {
		const cases: Position[][][] = [
			[
				[
					[121, 31],
					[121.001, 31],
					[121.002, 31],
					[121, 31]
				]
			],
			[
				[
					[121, 31],
					[121, 31],
					[121, 31],
					[121, 31]
				]
			],
			[
				[
					[121, 31],
					[121.001, 31],
					[121.001, 31.001],
					[121.001, 31.001],
					[121, 31]
				],
				[[121.0005, 31.0002]]
			]
		];
		for (const rings of cases) expect(polygonCenterOfMass(rings)).toEqual(turfCentre(rings));
		// turf stops on a polygon without positions to average; the hand version leaves it to turf.
		expect(polygonCenterOfMass([[[121, 31]]])).toBeNull();
		expect(() => turfCentre([[[121, 31]]])).toThrow();
	});

	it('gives the representative point turf gave, its centre or a point on its surface', () => {
		const random = seeded(19);
		let outside = 0;
		for (let i = 0; i < 2_000; i++) {
			const rings = [i % 4 === 0 ? crescent(random) : randomRing(random, 121.5, 31.2, 0.002)];
			const shape = {
				type: 'Feature',
				geometry: { type: 'Polygon', coordinates: rings },
				properties: {}
			} as Feature<Polygon>;
			const centre = turfCentre(rings);
			const inside = booleanPointInPolygon(centre, shape);
			if (!inside) outside++;
			expect(representativePoint(shape as unknown as ResidentialFeature)).toEqual(
				inside ? centre : pointOnFeature(shape).geometry.coordinates
			);
		}
		expect(outside).toBeGreaterThan(0);
	});
});
