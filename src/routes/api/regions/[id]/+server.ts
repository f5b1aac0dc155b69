import { error, json } from '@sveltejs/kit';
import { defaultRegionsDir, listRegionIds, readRegion } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/regions/<id>: the region's metadata and layers (validated), as the map workspace
 * needs them: boundaries, residential areas, facilities, community codes and the indicator table
 * (issue 16; null when none was imported). The walking graph
 * and the map tiles have their own routes (graph.bin, tiles.pmtiles).
 */
export const GET: RequestHandler = ({ params }) => {
	const regionsDir = defaultRegionsDir();
	if (!listRegionIds(regionsDir).includes(params.id)) error(404, `no region "${params.id}"`);
	const region = readRegion(regionsDir, params.id);
	return json({
		meta: region.meta,
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities: region.layers.facilities,
		communities: region.communities,
		indicators: region.indicators
	});
};
