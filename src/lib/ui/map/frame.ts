/**
 * What the map frames on open: the region's compounds and facilities (what a user came to see),
 * not its bounding box, which for an OSM extract includes the walking halo and empty corners.
 * Falls back to the region's bbox when it has neither layer.
 */
import { boundsOfCoordinates, unionBounds, type Bounds } from './search-index.ts';
import type { RegionPayload } from './workspace.svelte.ts';

/** The frame of a region on open: its compounds and facilities, else its bbox. */
export function regionFrame(
	region: Pick<RegionPayload, 'meta' | 'residential' | 'facilities'>
): Bounds {
	const features = [...(region.residential ?? []), ...(region.facilities ?? [])];
	return (
		unionBounds(features.map((f) => boundsOfCoordinates(f.geometry.coordinates))) ??
		(region.meta.bbox as Bounds)
	);
}
