import { error } from '@sveltejs/kit';
import { summarizeRegion } from '$lib/engine/region/summary.ts';
import { defaultRegionsDir, listRegionIds, readRegion } from '$lib/server/region-store.ts';
import { listVersions } from '$lib/server/region-versions.ts';
import type { PageServerLoad } from './$types';

/**
 * The region being filled: its layers and counts, its indicator table (rows and dates), and the
 * versions an undo can go back to.
 */
export const load: PageServerLoad = ({ params }) => {
	const regionsDir = defaultRegionsDir();
	if (!listRegionIds(regionsDir).includes(params.id)) error(404, `no region "${params.id}"`);
	const region = readRegion(regionsDir, params.id);
	return {
		summary: summarizeRegion(region.meta, region.layers),
		streets: (region.layers.boundaries ?? [])
			.filter((b) => b.properties.level === 'street')
			.map((b) => b.properties.name),
		indicators: region.indicators
			? {
					file: region.meta.layers.indicators ?? null,
					rows: region.indicators.length,
					dates: [...new Set(region.indicators.map((row) => row.asOf))].sort()
				}
			: null,
		versions: listVersions(regionsDir, params.id)
	};
};
