import { json } from '@sveltejs/kit';
import { answerRegionApi, requireRegion } from '$lib/server/region-api.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import { listVersions } from '$lib/server/region-versions.ts';
import type { RequestHandler } from './$types';

/** GET /api/regions/<id>/versions: the earlier versions an undo can go back to, newest first. */
export const GET: RequestHandler = ({ params }) =>
	answerRegionApi(() => {
		const regionsDir = defaultRegionsDir();
		requireRegion(listRegionIds(regionsDir), params.id);
		return json(listVersions(regionsDir, params.id));
	});
