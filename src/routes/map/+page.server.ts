import { listProfiles } from '$lib/server/profile-store.ts';
import { listRegionSummaries } from '$lib/server/region-list.ts';
import type { PageServerLoad } from './$types';

/** The pickers' lists; the region data itself is fetched by the workspace in the browser. */
export const load: PageServerLoad = () => {
	const regions = listRegionSummaries()
		.filter((entry) => entry.ok)
		.map((entry) => ({ id: entry.id, name: entry.ok ? entry.summary.name : entry.id }));
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
