import { json } from '@sveltejs/kit';
import { answerRegionApi, requireRegion } from '$lib/server/region-api.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import { undoLastVersion } from '$lib/server/region-versions.ts';
import type { RequestHandler } from './$types';

/** POST /api/regions/<id>/versions/undo: put back the version before the last change. */
export const POST: RequestHandler = ({ params }) =>
	answerRegionApi(() => {
		const regionsDir = defaultRegionsDir();
		requireRegion(listRegionIds(regionsDir), params.id);
		return json({ undone: undoLastVersion(regionsDir, params.id) });
	});
