import { error, json } from '@sveltejs/kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	buildingCandidates,
	type BuildingFeature
} from '$lib/engine/siting/building-candidates.ts';
import { defaultRegionsDir, listRegionIds, readRegionMeta } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/regions/<id>/candidate-buildings: candidate sites from the region's own buildings
 * (public, community and convertible kinds; OSM has no vacancy), for the siting panel. An empty
 * list when the region has no buildings layer.
 */
export const GET: RequestHandler = ({ params }) => {
	const regionsDir = defaultRegionsDir();
	if (!listRegionIds(regionsDir).includes(params.id)) error(404, `no region "${params.id}"`);
	const meta = readRegionMeta(regionsDir, params.id);
	if (!meta.layers.buildings) return json([]);
	const collection = JSON.parse(
		readFileSync(join(regionsDir, params.id, meta.layers.buildings), 'utf8')
	) as { features: BuildingFeature[] };
	return json(buildingCandidates(collection.features));
};
