/**
 * Issue 18 item 3: the area a facility's door lies in and the street / district / community of a
 * point come from flatbush indexes of the polygons' bounding boxes. Cross-check against the old
 * loops (kept below as the reference: every polygon in layer order, the first that contains the
 * point wins) on random overlapping polygons, with points on vertices and edges.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { analyzeAreas } from '../../../src/lib/engine/analysis/areas.ts';
import { bboxOf, buildPlaceIndex, placeOf } from '../../../src/lib/engine/analysis/places.ts';
import type {
	BoundaryFeature,
	BoundaryLevel,
	FacilityFeature,
	ResidentialFeature
} from '../../../src/lib/engine/region/schema.ts';
import { seeded } from '../graph/helpers.ts';
import { profile } from './fixtures/streets-rows.ts';

type Ring = [number, number][];

/** A random quadrilateral or L-shaped ring around (x, y), degrees, closed. */
function randomRing(random: () => number, x: number, y: number, size: number): Ring {
	const w = size * (0.3 + random());
	const h = size * (0.3 + random());
	const ring: Ring =
		random() < 0.5
			? [
					[x, y],
					[x + w, y],
					[x + w, y + h],
					[x, y + h]
				]
			: [
					[x, y],
					[x + w, y],
					[x + w, y + h / 2],
					[x + w / 2, y + h / 2],
					[x + w / 2, y + h],
					[x, y + h]
				];
	return [...ring, ring[0]];
}

function randomGeometry(
	random: () => number,
	size: number
): ResidentialFeature['geometry'] & BoundaryFeature['geometry'] {
	const x = random();
	const y = random();
	if (random() < 0.2)
		return {
			type: 'MultiPolygon',
			coordinates: [
				[randomRing(random, x, y, size)],
				[randomRing(random, random(), random(), size)]
			]
		};
	const outer = randomRing(random, x, y, size);
	// Some polygons have a hole in the middle.
	if (random() < 0.2) {
		const [[x0, y0], , [x1, y1]] = outer;
		const span = Math.min(x1 - x0, y1 - y0);
		const hole = randomRing(random, x0 + (x1 - x0) / 4, y0 + (y1 - y0) / 4, span / 6);
		return { type: 'Polygon', coordinates: [outer, hole] };
	}
	return { type: 'Polygon', coordinates: [outer] };
}

/** Query points: random, and on the polygons' vertices and edge midpoints (the boundary counts). */
function queryPoints(random: () => number, geometries: { coordinates: unknown }[], count: number) {
	const points: [number, number][] = [];
	for (let i = 0; i < count; i++) points.push([random() * 1.4 - 0.2, random() * 1.4 - 0.2]);
	for (const geometry of geometries.slice(0, 20)) {
		const rings = (geometry.coordinates as Position[][] | Position[][][]).flat(1) as unknown[];
		const ring = (
			typeof (rings[0] as Position)[0] === 'number' ? rings : (rings as Position[][]).flat(1)
		) as Position[];
		points.push([ring[1][0], ring[1][1]]);
		points.push([(ring[0][0] + ring[1][0]) / 2, (ring[0][1] + ring[1][1]) / 2]);
	}
	return points;
}

const residentialFeature = (
	id: string,
	geometry: ResidentialFeature['geometry']
): ResidentialFeature => ({
	type: 'Feature',
	geometry,
	properties: {
		id,
		name: id,
		households: 100,
		elders: 10,
		status: 'existing',
		builtYear: null,
		streetCode: null,
		gates: [],
		estimated: {}
	}
});

const door = (id: string, coordinates: [number, number]): FacilityFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates },
	properties: {
		id,
		name: id,
		kind: 'community_station',
		floorAreaM2: 100,
		landAreaM2: null,
		beds: null,
		nursingBeds: null,
		status: 'existing',
		streetCode: null,
		source: 'test',
		estimated: {}
	}
});

/** The old areaContaining: every area in layer order. */
function referenceAreaContaining(
	residential: readonly ResidentialFeature[],
	point: Position
): string | null {
	for (const area of residential) {
		if (area.geometry.type === 'Point') continue;
		if (booleanPointInPolygon(point, area as unknown as Feature<Polygon | MultiPolygon>))
			return area.properties.id;
	}
	return null;
}

/** The old places lookup: every place of the level in layer order, bbox pre-test, then the polygon. */
function referenceContaining(
	boundaries: readonly BoundaryFeature[],
	level: BoundaryLevel,
	point: Position
): string | null {
	const [lon, lat] = point;
	for (const boundary of boundaries) {
		if (boundary.properties.level !== level) continue;
		const [minLon, minLat, maxLon, maxLat] = bboxOf(boundary.geometry.coordinates);
		if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
		if (booleanPointInPolygon(point, boundary as unknown as Feature<Polygon | MultiPolygon>))
			return boundary.properties.code;
	}
	return null;
}

describe('issue 18: point-in-area through flatbush gives the first match of the old loop', () => {
	it.each([1, 2, 3, 4, 5, 6])('the area each facility door lies in, seed %i', (seed) => {
		const random = seeded(seed);
		const residential = Array.from({ length: 150 }, (_, i) =>
			random() < 0.15
				? residentialFeature(`a${i}`, { type: 'Point', coordinates: [random(), random()] })
				: residentialFeature(`a${i}`, randomGeometry(random, 0.15))
		);
		const points = queryPoints(
			random,
			residential.map((area) => area.geometry),
			300
		);
		const facilities = points.map((point, i) => door(`f${i}`, point));
		const { facilities: rows } = analyzeAreas({
			residential,
			facilities,
			places: buildPlaceIndex(null, null),
			coverage: null,
			profile: profile('qingdao-laoshan-2024')
		});
		const expected = points.map((point) => referenceAreaContaining(residential, point));
		expect(rows.map((row) => row.insideAreaId)).toEqual(expected);
		// Not vacuous: doors in overlapping areas (the first one wins), and doors in none.
		const inSeveral = points.filter(
			(point) =>
				residential.filter(
					(area) =>
						area.geometry.type !== 'Point' &&
						booleanPointInPolygon(point, area as unknown as Feature<Polygon | MultiPolygon>)
				).length > 1
		);
		expect(inSeveral.length).toBeGreaterThan(0);
		expect(expected).toContain(null);
	});

	it.each([1, 2, 3, 4])('street, district and community of a point, seed %i', (seed) => {
		const random = seeded(50 + seed);
		const levels: BoundaryLevel[] = ['district', 'street', 'community'];
		const boundaries: BoundaryFeature[] = Array.from({ length: 120 }, (_, i) => {
			const level = levels[i % 3];
			const code =
				level === 'district'
					? String(310000 + i)
					: level === 'street'
						? `310101${String(i).padStart(3, '0')}`
						: `310101001${String(i).padStart(3, '0')}`;
			return {
				type: 'Feature',
				geometry: randomGeometry(random, level === 'district' ? 0.5 : 0.2),
				properties: { level, code, name: `p${i}`, parentCode: null, estimated: {} }
			};
		});
		const places = buildPlaceIndex(boundaries, null);
		const points = queryPoints(
			random,
			boundaries.map((b) => b.geometry),
			300
		);
		for (const point of points) {
			const street = referenceContaining(boundaries, 'street', point);
			const place = placeOf(places, point, null);
			expect(place.communityCode).toBe(referenceContaining(boundaries, 'community', point));
			expect(place.streetCode).toBe(street);
			if (street === null)
				expect(place.districtCode).toBe(referenceContaining(boundaries, 'district', point));
		}
		expect(points.some((point) => placeOf(places, point, null).streetCode !== null)).toBe(true);
	});
});
