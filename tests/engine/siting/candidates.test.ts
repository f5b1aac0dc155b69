/**
 * Candidate sources (issue 6): every network node (optionally thinned), a given list snapped to
 * the network with off-network points reported, generated points inside a street polygon, and
 * existing facilities as fixed stations.
 */
import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { haversineM, metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type { FacilityFeature } from '../../../src/lib/engine/region/schema.ts';
import {
	fixedStations,
	listCandidates,
	networkNodeCandidates,
	polygonCandidates
} from '../../../src/lib/engine/siting/candidates.ts';
import { streetGrid } from '../graph/helpers.ts';

const scale = metresPerDegree(31.23);
const at = (xM: number, yM: number): [number, number] => [
	121.5 + xM / scale.x,
	31.23 + yM / scale.y
];
// 11 × 11 nodes, 100 m apart: 1 km × 1 km.
const graph = streetGrid(11, 100);
const index = new SegmentIndex(graph);

describe('networkNodeCandidates', () => {
	it('gives every node as a candidate standing on it', () => {
		const all = networkNodeCandidates(graph);
		expect(all.length).toBe(121);
		expect(all[57]).toMatchObject({ id: 'node-57', fromNode: 57, toNode: 57, offsetM: 0 });
		expect(all[57].lon).toBeCloseTo(graph.lon(57), 9);
	});

	it('thins to one node per cell, and every node lies within a cell diagonal of a kept one', () => {
		const thinned = networkNodeCandidates(graph, { spacingM: 250 });
		expect(thinned.length).toBeLessThan(121);
		expect(thinned.length).toBeGreaterThanOrEqual(16); // 1 km ÷ 250 m = 4 cells each way at least
		for (let node = 0; node < graph.nodeCount; node++) {
			const nearest = Math.min(
				...thinned.map((c) => haversineM(c.lon, c.lat, graph.lon(node), graph.lat(node)))
			);
			expect(nearest).toBeLessThanOrEqual(250 * Math.SQRT2 + 1);
		}
		const cells = new Set(
			thinned.map(
				(c) => `${Math.floor((c.lon * scale.x) / 250)}:${Math.floor((c.lat * scale.y) / 250)}`
			)
		);
		expect(cells.size).toBe(thinned.length);
	});

	it('rejects a spacing that is not > 0', () => {
		expect(() => networkNodeCandidates(graph, { spacingM: 0 })).toThrowError(
			expect.objectContaining({ code: 'INVALID_OPTION' })
		);
	});
});

describe('listCandidates', () => {
	it('snaps given points and reports those off the network instead of placing them', () => {
		const { candidates, offNetwork } = listCandidates(index, [
			{ id: 'a', name: '底商 A', lon: at(250, 30)[0], lat: at(250, 30)[1], maxFloorAreaM2: 400 },
			{ id: 'far', name: '远处', lon: at(3000, 3000)[0], lat: at(3000, 3000)[1] }
		]);
		expect(candidates).toHaveLength(1);
		expect(candidates[0]).toMatchObject({
			id: 'a',
			name: '底商 A',
			source: 'list',
			floorAreaM2: 400
		});
		expect(candidates[0].snapDistanceM).toBeCloseTo(30, 0);
		expect(candidates[0].offsetM).toBeGreaterThan(0);
		expect(offNetwork).toEqual([
			{ id: 'far', name: '远处', reason: 'more than 150 m from the walking network: not placed' }
		]);
	});

	it('names the row and field of bad input (INVALID_CANDIDATE)', () => {
		const ok = { lon: at(0, 0)[0], lat: at(0, 0)[1] };
		expect(() => listCandidates(index, [{ id: '', ...ok }])).toThrow(
			/candidates\[0\]: id is missing/
		);
		expect(() =>
			listCandidates(index, [
				{ id: 'x', ...ok },
				{ id: 'x', ...ok }
			])
		).toThrow(/candidates\[1\] \(id "x"\): id is used by an earlier row/);
		expect(() => listCandidates(index, [{ id: 'y', lon: 200, lat: 31 }])).toThrow(
			/lon 200, lat 31 is not a WGS84 position/
		);
		expect(() => listCandidates(index, [{ id: 'z', ...ok, maxFloorAreaM2: -5 }])).toThrowError(
			expect.objectContaining({ code: 'INVALID_CANDIDATE' })
		);
	});
});

describe('polygonCandidates', () => {
	// A street polygon over the south-west quarter (0..500 m × 0..500 m, slightly inset).
	const street: Polygon = {
		type: 'Polygon',
		coordinates: [[at(-10, -10), at(510, -10), at(510, 510), at(-10, 510), at(-10, -10)]]
	};

	it('generates points on the network inside the polygon, one per spacing cell', () => {
		const sites = polygonCandidates(index, street, { spacingM: 100, idPrefix: 'sw' });
		expect(sites.length).toBeGreaterThan(20);
		for (const site of sites) {
			expect(booleanPointInPolygon([site.lon, site.lat], street)).toBe(true);
			expect(site.offsetM).toBeGreaterThanOrEqual(0);
			expect(site.offsetM).toBeLessThanOrEqual(site.lengthM);
			// On its edge: the snapped point of the generated position is itself.
			const snapped = index.snap(site.lon, site.lat, 1)!;
			expect(snapped.snapDistanceM).toBeLessThan(0.01);
		}
		expect(sites[0].id).toBe('sw-1');
		expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
		// Coarser spacing, fewer points.
		expect(polygonCandidates(index, street, { spacingM: 250 }).length).toBeLessThan(sites.length);
	});

	it('finds nothing in a polygon away from the network', () => {
		const empty: Polygon = {
			type: 'Polygon',
			coordinates: [[at(2000, 2000), at(2100, 2000), at(2100, 2100), at(2000, 2000)]]
		};
		expect(polygonCandidates(index, empty)).toEqual([]);
	});
});

describe('fixedStations', () => {
	const facility = (
		id: string,
		xM: number,
		yM: number,
		kind: FacilityFeature['properties']['kind']
	) =>
		({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: at(xM, yM) },
			properties: {
				id,
				name: id,
				kind,
				floorAreaM2: null,
				landAreaM2: null,
				beds: null,
				nursingBeds: null,
				status: 'existing',
				streetCode: null,
				source: 'test',
				estimated: {}
			}
		}) satisfies FacilityFeature;

	it('places doors on the network, reports the rest, and filters by kind', () => {
		const facilities = [
			facility('station', 500, 20, 'community_station'),
			facility('meal', 100, 100, 'meal_point'),
			facility('lost', 5000, 5000, 'community_station')
		];
		const all = fixedStations(index, facilities);
		expect(all.stations.map((s) => s.id)).toEqual(['station', 'meal']);
		expect(all.stations[0]).toMatchObject({
			source: 'facility',
			kind: 'community_station',
			floorAreaM2: null
		});
		expect(all.unplaced.map((u) => u.id)).toEqual(['lost']);
		const stationsOnly = fixedStations(index, facilities, { kinds: ['community_station'] });
		expect(stationsOnly.stations.map((s) => s.id)).toEqual(['station']);
	});
});
