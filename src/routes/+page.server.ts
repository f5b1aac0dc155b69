import { listRegionSummaries } from '$lib/server/region-list.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ regions: listRegionSummaries() });
