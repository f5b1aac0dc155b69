/**
 * Candidate sites from the region's own buildings (issue 6: "vacant or public buildings in the
 * region's data"). OSM says what a building is (building=school, civic, commercial …) but never
 * whether it is vacant, so this picks buildings whose kind could host a community station — public
 * and community buildings, offices and shops that could be converted — and leaves vacancy to the
 * bureau's own list (candidate-import.ts). The door is taken as a point inside the footprint; the
 * floor area a station could have there is unknown (null), never guessed from the footprint.
 */
import { booleanPointInPolygon, centerOfMass, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { CandidatePointInput } from './candidates.ts';

/** OSM building kinds that could host a community care station (public, community, convertible). */
export const CANDIDATE_BUILDING_KINDS: readonly string[] = [
	'public',
	'civic',
	'government',
	'community_centre',
	'social_facility',
	'school',
	'kindergarten',
	'college',
	'hospital',
	'clinic',
	'office',
	'commercial',
	'retail',
	'shop'
];

export interface BuildingFeature {
	geometry: Polygon | MultiPolygon | { type: string; coordinates: unknown };
	properties: { id: string; name?: string | null; kindDetail?: string | null };
}

/**
 * @param buildings the region's buildings layer (buildings.geojson features)
 * @param options.kinds building kinds to keep (default CANDIDATE_BUILDING_KINDS)
 * @example buildingCandidates(buildings).length // 54 on the demo region (42 commercial, 6 retail …)
 */
export function buildingCandidates(
	buildings: readonly BuildingFeature[],
	options: { kinds?: readonly string[] } = {}
): CandidatePointInput[] {
	const kinds = new Set(options.kinds ?? CANDIDATE_BUILDING_KINDS);
	const candidates: CandidatePointInput[] = [];
	for (const building of buildings) {
		const kind = building.properties.kindDetail;
		if (!kind || !kinds.has(kind)) continue;
		if (building.geometry.type !== 'Polygon' && building.geometry.type !== 'MultiPolygon') continue;
		const shape = building as unknown as Feature<Polygon | MultiPolygon>;
		// A point inside the footprint (an L-shaped building's centre of mass can lie outside it).
		const centre: Position = centerOfMass(shape).geometry.coordinates;
		const [lon, lat] = booleanPointInPolygon(centre, shape)
			? centre
			: pointOnFeature(shape).geometry.coordinates;
		candidates.push({
			id: `building-${building.properties.id}`,
			name: building.properties.name ?? `${kind} ${building.properties.id}`,
			lon,
			lat,
			maxFloorAreaM2: null
		});
	}
	return candidates;
}
