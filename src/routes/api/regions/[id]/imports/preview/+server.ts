import { json } from '@sveltejs/kit';
import { answerRegionApi, importRequestOf, requireRegion } from '$lib/server/region-api.ts';
import { previewImport } from '$lib/server/region-import.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * POST /api/regions/<id>/imports/preview?layer=&mode=&file=…: what importing the body would do —
 * every row's issue and the layer's change — with nothing written. A file that cannot be trusted
 * as a whole answers 422 with its code, message and issues.
 */
export const POST: RequestHandler = ({ params, request, url }) =>
	answerRegionApi(async () => {
		const regionsDir = defaultRegionsDir();
		requireRegion(listRegionIds(regionsDir), params.id);
		return json(await previewImport(regionsDir, params.id, await importRequestOf(url, request)));
	});
