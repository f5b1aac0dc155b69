import { json } from '@sveltejs/kit';
import { listRegionSummaries } from '$lib/server/region-list.ts';
import type { RequestHandler } from './$types';

/** GET /api/regions: every region with its layer counts, totals and estimated fields. */
export const GET: RequestHandler = () => json(listRegionSummaries());
