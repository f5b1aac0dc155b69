import { json } from '@sveltejs/kit';
import { answerRegionApi } from '$lib/server/region-api.ts';
import { saveUpload } from '$lib/server/uploads.ts';
import type { RequestHandler } from './$types';

/**
 * POST /api/uploads: a large file (OSM extract, boundary) as the raw body, its name in the
 * X-File-Name header (URI-encoded); streamed to disk. Answers `{ id, fileName, bytes }` (201).
 */
export const POST: RequestHandler = ({ request }) =>
	answerRegionApi(async () => {
		const name = decodeURIComponent(request.headers.get('x-file-name') ?? 'upload');
		const { id, fileName, bytes } = await saveUpload(request.body, name);
		return json({ id, fileName, bytes }, { status: 201 });
	});
