import { listProfiles } from '$lib/server/profile-store.ts';
import { defaultRegionsDir, listRegionIds, readRegionMeta } from '$lib/server/region-store.ts';
import type { PageServerLoad } from './$types';

/**
 * The pickers' lists: region ids and names from region.json only (the layers are fetched by the
 * workspace in the browser for the region it opens), profiles that can be used.
 */
export const load: PageServerLoad = () => {
	const regionsDir = defaultRegionsDir();
	const regions = listRegionIds(regionsDir).flatMap((id) => {
		try {
			return [{ id, name: readRegionMeta(regionsDir, id).name }];
		} catch {
			return []; // a broken region.json: the region list page says why
		}
	});
	const profiles = listProfiles()
		.filter((entry) => entry.ok)
		.map((entry) => ({
			id: entry.id,
			title: entry.ok ? entry.document.title : '',
			draft: entry.ok ? entry.document.status !== 'in_force' : false
		}));
	return {
		regions,
		profiles,
		defaultRegion: regions.some((r) => r.id === 'shanghai-bund-lujiazui')
			? 'shanghai-bund-lujiazui'
			: (regions[0]?.id ?? '')
	};
};
