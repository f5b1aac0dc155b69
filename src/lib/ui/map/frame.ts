/**
 * What the map frames on open: the region's compounds and facilities (what a user came to see),
 * not its bounding box, which for an OSM extract includes the walking halo and empty corners.
 * Falls back to the region's bbox when it has neither layer.
 */
import type { Position } from 'geojson';
import type { RegionPayload } from './workspace.svelte.ts';

export type Bounds = [west: number, south: number, east: number, north: number];

/** Bounds of a list of positions, or null when empty. */
export function boundsOf(points: Iterable<Position>): Bounds | null {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const [lon, lat] of points) {
		if (lon < west) west = lon;
		if (lon > east) east = lon;
		if (lat < south) south = lat;
		if (lat > north) north = lat;
	}
	return west === Infinity ? null : [west, south, east, north];
}

function* positionsOf(geometry: { type: string; coordinates: unknown }): Generator<Position> {
	if (geometry.type === 'Point') yield geometry.coordinates as Position;
	else if (geometry.type === 'Polygon') yield* (geometry.coordinates as Position[][])[0];
	else if (geometry.type === 'MultiPolygon')
		for (const polygon of geometry.coordinates as Position[][][]) yield* polygon[0];
}

/** The frame of a region on open: its compounds and facilities, else its bbox. */
export function regionFrame(
	region: Pick<RegionPayload, 'meta' | 'residential' | 'facilities'>
): Bounds {
	const features = [...(region.residential ?? []), ...(region.facilities ?? [])];
	return (
		boundsOf(features.flatMap((f) => [...positionsOf(f.geometry)])) ?? (region.meta.bbox as Bounds)
	);
}
