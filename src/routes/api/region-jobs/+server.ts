import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { answerRegionApi, RegionApiError } from '$lib/server/region-api.ts';
import { startCreateJob } from '$lib/server/region-jobs.ts';
import type { RequestHandler } from './$types';

const createJobBody = z.object({
	id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
	name: z.string().trim().min(1),
	nameEn: z.string().trim().optional(),
	osmUpload: z.string().min(1),
	outline: z.discriminatedUnion('kind', [
		z.object({
			kind: z.literal('boundary'),
			upload: z.string().min(1),
			crs: z.string().optional()
		}),
		z.object({ kind: z.literal('admin'), code: z.string().regex(/^\d{6}(\d{3})?$/) }),
		z.object({
			kind: z.literal('bbox'),
			bbox: z.tuple([z.number(), z.number(), z.number(), z.number()])
		})
	]),
	profile: z.string().optional(),
	haloM: z.number().min(0).max(20000).optional()
});

/**
 * POST /api/region-jobs: create a region from uploaded files (see /api/uploads); answers the
 * job (202) whose progress GET /api/region-jobs/<job> reports and DELETE cancels.
 */
export const POST: RequestHandler = ({ request }) =>
	answerRegionApi(async () => {
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			throw new RegionApiError('INVALID_JSON', 400, 'the request body is not JSON');
		}
		const parsed = createJobBody.safeParse(body);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new RegionApiError('INVALID_INPUT', 400, `${issue.path.join('.')}: ${issue.message}`);
		}
		return json(startCreateJob(parsed.data), { status: 202 });
	});
