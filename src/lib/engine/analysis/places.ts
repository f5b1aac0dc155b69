/**
 * Where a residential area or facility lies: its street (街道 / 镇), district and community (社区 /
 * 村), from its own `streetCode` when the data gives one, else from the boundary polygons that
 * contain it. A row that lies in no known street says so (`assignedBy: 'none'`) rather than being
 * guessed into the nearest one.
 *
 * Each level's polygons are found through a flatbush index of their bounding boxes, then turf's
 * point-in-polygon, in layer order (the first polygon of the layer that contains the point wins).
 * A city has thousands of communities: testing every one for each of 50,000 compounds was a
 * quadratic step of the analysis (issue 18).
 */
import { booleanPointInPolygon, centerOfMass, pointOnFeature } from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type {
	BoundaryFeature,
	BoundaryLevel,
	CommunityCode,
	FacilityFeature,
	ResidentialFeature
} from '../region/schema.ts';
import type { PlaceRef } from './types.ts';

interface Place {
	level: BoundaryLevel;
	code: string | null;
	name: string;
	parentCode: string | null;
	/** [minLon, minLat, maxLon, maxLat]; null for places known without a polygon. */
	bbox: [number, number, number, number] | null;
	feature: Feature<Polygon | MultiPolygon> | null;
}

/** The polygons of one level: `tree` item k is `places[k]`, added in layer order. */
interface LevelIndex {
	tree: Flatbush;
	places: Place[];
}

/** The boundaries and community codes of a region, ready to place points. */
export interface PlaceIndex {
	readonly places: readonly Place[];
	/** Code → place, over every level (codes are unique across GB/T 2260 levels by length). */
	readonly byCode: ReadonlyMap<string, Place>;
	/** The polygons of each level by bounding box; a level without polygons is absent. */
	readonly byLevel: ReadonlyMap<BoundaryLevel, LevelIndex>;
}

/**
 * Bounding box of polygon or multipolygon coordinates, [minLon, minLat, maxLon, maxLat].
 * @example bboxOf([[[0, 0], [2, 0], [2, 1], [0, 0]]]) // [0, 0, 2, 1]
 */
export function bboxOf(
	coordinates: Position[][] | Position[][][]
): [number, number, number, number] {
	let minLon = Infinity;
	let minLat = Infinity;
	let maxLon = -Infinity;
	let maxLat = -Infinity;
	const visit = (ring: Position[]) => {
		for (const [lon, lat] of ring) {
			if (lon < minLon) minLon = lon;
			if (lat < minLat) minLat = lat;
			if (lon > maxLon) maxLon = lon;
			if (lat > maxLat) maxLat = lat;
		}
	};
	for (const part of coordinates)
		if (typeof part[0][0] === 'number') visit(part as Position[]);
		else for (const ring of part as Position[][]) visit(ring);
	return [minLon, minLat, maxLon, maxLat];
}

/**
 * @param boundaries the region's district / street / community polygons (null: none)
 * @param communities community / village codes known without polygons (null: none); they name
 *   communities and link them to streets but cannot place a point
 * @example
 * const places = buildPlaceIndex(region.layers.boundaries, region.communities);
 * placeOf(places, [121.5, 31.23], null).districtName; // '黄浦区'
 */
export function buildPlaceIndex(
	boundaries: readonly BoundaryFeature[] | null,
	communities: readonly CommunityCode[] | null
): PlaceIndex {
	const places: Place[] = [];
	for (const boundary of boundaries ?? []) {
		const props = boundary.properties;
		places.push({
			level: props.level,
			code: props.code,
			name: props.name,
			parentCode: props.parentCode,
			bbox: bboxOf(boundary.geometry.coordinates),
			feature: boundary as unknown as Feature<Polygon | MultiPolygon>
		});
	}
	const byCode = new Map<string, Place>();
	for (const place of places) if (place.code !== null) byCode.set(place.code, place);
	for (const community of communities ?? [])
		if (!byCode.has(community.code)) {
			const place: Place = {
				level: 'community',
				code: community.code,
				name: community.name,
				parentCode: community.streetCode,
				bbox: null,
				feature: null
			};
			places.push(place);
			byCode.set(community.code, place);
		}
	const byLevel = new Map<BoundaryLevel, LevelIndex>();
	for (const level of new Set(places.map((place) => place.level))) {
		const polygons = places.filter((place) => place.level === level && place.bbox && place.feature);
		if (polygons.length === 0) continue;
		const tree = new Flatbush(polygons.length);
		for (const place of polygons) tree.add(...place.bbox!);
		tree.finish();
		byLevel.set(level, { tree, places: polygons });
	}
	return { places, byCode, byLevel };
}

/** The first polygon of the level (in layer order) that contains the point, or null. */
function containing(index: PlaceIndex, level: BoundaryLevel, point: Position): Place | null {
	const polygons = index.byLevel.get(level);
	if (!polygons) return null;
	const [lon, lat] = point;
	const candidates = polygons.tree.search(lon, lat, lon, lat).sort((a, b) => a - b);
	for (const k of candidates) {
		const place = polygons.places[k];
		if (booleanPointInPolygon(point, place.feature!)) return place;
	}
	return null;
}

/** A district code from a street code's parent, or from its first six digits (GB/T 2260). */
function districtOf(index: PlaceIndex, street: Place | null, streetCode: string | null) {
	const code = street?.parentCode ?? (streetCode !== null ? streetCode.slice(0, 6) : null);
	if (code === null) return null;
	const district = index.byCode.get(code);
	return district && district.level === 'district' ? district : { code, name: null };
}

/**
 * The place of a point, preferring a street code given by the data.
 * @param point WGS84 [lon, lat]
 * @param streetCode the feature's own street code (attribute), or null
 */
export function placeOf(index: PlaceIndex, point: Position, streetCode: string | null): PlaceRef {
	const community = containing(index, 'community', point);
	if (streetCode !== null) {
		const street = index.byCode.get(streetCode) ?? null;
		const district = districtOf(index, street, streetCode);
		// A community polygon of another street does not belong to this row.
		const ownCommunity = community && community.parentCode === streetCode ? community : null;
		return {
			streetCode,
			streetName: street?.name ?? null,
			districtCode: district?.code ?? null,
			districtName: district?.name ?? null,
			communityCode: ownCommunity?.code ?? null,
			communityName: ownCommunity?.name ?? null,
			assignedBy: 'attribute'
		};
	}
	const street =
		containing(index, 'street', point) ??
		(community?.parentCode ? (index.byCode.get(community.parentCode) ?? null) : null);
	const district = street
		? districtOf(index, street, street.code)
		: containing(index, 'district', point);
	const found = street ?? district ?? community;
	return {
		streetCode: street?.code ?? null,
		streetName: street?.name ?? null,
		districtCode: district?.code ?? null,
		districtName: district?.name ?? null,
		communityCode: community?.code ?? null,
		communityName: community?.name ?? null,
		assignedBy: found ? 'polygon' : 'none'
	};
}

/**
 * A point that lies inside an area, for placing it: the centre of mass when it falls inside the
 * polygon, else a point on its surface (an L-shaped compound's centroid can lie outside it).
 */
export function representativePoint(feature: ResidentialFeature): Position {
	if (feature.geometry.type === 'Point') return feature.geometry.coordinates;
	const shape = feature as unknown as Feature<Polygon | MultiPolygon>;
	const centre =
		(feature.geometry.type === 'Polygon' && polygonCenterOfMass(feature.geometry.coordinates)) ||
		centerOfMass(shape).geometry.coordinates;
	return booleanPointInPolygon(centre, shape) ? centre : pointOnFeature(shape).geometry.coordinates;
}

/**
 * turf's centerOfMass of a Polygon, the same arithmetic in the same order, without its point
 * features, coordinate callbacks and copied positions (issue 18: about half the time of
 * placing a 50,000-compound city's compounds). Like turf: translated to the mean of the positions (each ring's closing
 * one left out), then the shoelace sums over every position in ring order, running on from one
 * ring's end into the next ring; the mean itself when the area is 0. null where turf would stop
 * on a position that is not a number (NaN), so the caller lets turf say so.
 */
export function polygonCenterOfMass(rings: Position[][]): Position | null {
	let xSum = 0;
	let ySum = 0;
	let count = 0;
	for (const ring of rings)
		for (let k = 0; k < ring.length - 1; k++) {
			xSum += ring[k][0];
			ySum += ring[k][1];
			count++;
		}
	const tx = xSum / count;
	const ty = ySum / count;
	let sx = 0;
	let sy = 0;
	let sArea = 0;
	let xi = NaN;
	let yi = NaN;
	let first = true;
	for (const ring of rings)
		for (const position of ring) {
			const xj = position[0] - tx;
			const yj = position[1] - ty;
			if (!first) {
				const a = xi * yj - xj * yi;
				sArea += a;
				sx += (xi + xj) * a;
				sy += (yi + yj) * a;
			}
			first = false;
			xi = xj;
			yi = yj;
		}
	let centre: Position;
	if (sArea === 0) centre = [tx, ty];
	else {
		const area = sArea * 0.5;
		const areaFactor = 1 / (6 * area);
		centre = [tx + areaFactor * sx, ty + areaFactor * sy];
	}
	return Number.isNaN(centre[0]) || Number.isNaN(centre[1]) || Number.isNaN(tx + ty)
		? null
		: centre;
}

export const placeOfArea = (index: PlaceIndex, area: ResidentialFeature): PlaceRef =>
	placeOf(index, representativePoint(area), area.properties.streetCode);

export const placeOfFacility = (index: PlaceIndex, facility: FacilityFeature): PlaceRef =>
	placeOf(index, facility.geometry.coordinates, facility.properties.streetCode);
