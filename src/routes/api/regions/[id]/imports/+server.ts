import { json } from '@sveltejs/kit';
import { answerRegionApi, importRequestOf, requireRegion } from '$lib/server/region-api.ts';
import { applyImport } from '$lib/server/region-import.ts';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * POST /api/regions/<id>/imports?layer=&mode=&file=…: import the body (the same checks as the
 * preview), keeping the previous version; answers the preview and the version (201).
 */
export const POST: RequestHandler = ({ params, request, url }) =>
	answerRegionApi(async () => {
		const regionsDir = defaultRegionsDir();
		requireRegion(listRegionIds(regionsDir), params.id);
		const { preview, version } = await applyImport(
			regionsDir,
			params.id,
			await importRequestOf(url, request),
			'browser'
		);
		return json({ preview, version }, { status: 201 });
	});
