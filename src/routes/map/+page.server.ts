import { listProfiles } from '$lib/server/profile-store.ts';
import { defaultRegionsDir, listRegionIds, readRegionMeta } from '$lib/server/region-store.ts';
import type { PageServerLoad } from './$types';

/**
 * The pickers' lists: region ids and names from region.json only (the layers are fetched by the
 * workspace in the browser for the region it opens), profiles that can be used, with the places
 * they govern (GB/T 2260 codes) so the page can say when a profile belongs to another place.
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
		.flatMap((entry) =>
			entry.ok
				? [
						{
							id: entry.id,
							title: entry.document.title,
							status: entry.document.status,
							/** Year of the text: its date, else the year in its id (undated drafts). */
							year: entry.document.date?.slice(0, 4) ?? /\d{4}/.exec(entry.id)?.[0] ?? null,
							jurisdiction: entry.jurisdiction
						}
					]
				: []
		);
	return {
		regions,
		profiles,
		defaultRegion: regions.some((r) => r.id === 'shanghai-bund-lujiazui')
			? 'shanghai-bund-lujiazui'
			: (regions[0]?.id ?? '')
	};
};
