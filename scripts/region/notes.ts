/**
 * Region notes shared by more than one builder, each `{ zh, en }` (Chinese first), so the same
 * caveat reads the same in every region that carries it.
 */
import type { BilingualNote } from '../../src/lib/engine/region/schema.ts';

/** Every region whose boundaries come from OpenStreetMap carries this. */
export const OSM_BOUNDARY_NOTE: BilingualNote = {
	zh: 'OSM 边界面不是官方行政界线。',
	en: 'OSM boundary polygons are not official boundaries.'
};
