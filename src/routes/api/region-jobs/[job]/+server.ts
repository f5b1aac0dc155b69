import { json } from '@sveltejs/kit';
import { answerRegionApi } from '$lib/server/region-api.ts';
import { cancelJob, getJob } from '$lib/server/region-jobs.ts';
import type { RequestHandler } from './$types';

/** GET /api/region-jobs/<job>: state, phase, progress (0..1), message, error, report. */
export const GET: RequestHandler = ({ params }) => answerRegionApi(() => json(getJob(params.job)));

/** DELETE /api/region-jobs/<job>: cancel; nothing of the region is left behind. */
export const DELETE: RequestHandler = ({ params }) =>
	answerRegionApi(() => json(cancelJob(params.job)));
