import { qingdaoAdminChoices } from '$lib/server/admin-codes.ts';
import { listProfiles } from '$lib/server/profile-store.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import type { PageServerLoad } from './$types';

/** What the 新建区域 form offers: bundled Qingdao outlines, rule profiles, ids already taken. */
export const load: PageServerLoad = () => ({
	admin: qingdaoAdminChoices(),
	profiles: listProfiles()
		.filter((entry) => entry.ok)
		.map((entry) => ({ id: entry.id, title: entry.ok ? entry.document.title : entry.id })),
	taken: listRegionIds(defaultRegionsDir())
});
