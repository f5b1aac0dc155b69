import { error } from '@sveltejs/kit';
import { regionGraph } from '$lib/server/region-graph.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/regions/<id>/graph.bin: the region's walking graph as one binary buffer
 * (engine/graph/road-graph.ts format; `RoadGraph.from(buffer)` in the worker). 404 for an unknown
 * region, 204 when the region has no walking network.
 */
export const GET: RequestHandler = ({ params }) => {
	const regionsDir = defaultRegionsDir();
	if (!listRegionIds(regionsDir).includes(params.id)) error(404, `no region "${params.id}"`);
	const graph = regionGraph(regionsDir, params.id);
	if (!graph) return new Response(null, { status: 204 });
	return new Response(new Uint8Array(graph.buffer), {
		headers: {
			'content-type': 'application/octet-stream',
			'cache-control': 'no-cache'
		}
	});
};
