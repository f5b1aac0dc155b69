import { error } from '@sveltejs/kit';
import { regionPayloadResponse } from '$lib/server/region-payload.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/regions/<id>: the region's metadata and layers (validated), as the map workspace
 * needs them: boundaries, residential areas, facilities, community codes and the indicator table
 * (issue 16; null when none was imported). The walking graph
 * and the map tiles have their own routes (graph.bin, tiles.pmtiles). Serialised once per state
 * of the region's files, gzip when the client takes it, 304 for its ETag (issue 17 item 4).
 */
export const GET: RequestHandler = ({ params, request }) => {
	const regionsDir = defaultRegionsDir();
	if (!listRegionIds(regionsDir).includes(params.id)) error(404, `no region "${params.id}"`);
	return regionPayloadResponse(regionsDir, params.id, request);
};
