/**
 * The regions the server offers, each summarised, or with the reason it cannot be read —
 * one broken region folder must not hide the others.
 */
import { summarizeRegion, type RegionSummary } from '../engine/region/summary.ts';
import { defaultRegionsDir, listRegionIds, readRegion } from './region-store.ts';

export type RegionListEntry =
	| {
			id: string;
			ok: true;
			summary: RegionSummary;
			sources: { title: string; licence: string; origin: string }[];
	  }
	| { id: string; ok: false; error: string };

export function listRegionSummaries(regionsDir = defaultRegionsDir()): RegionListEntry[] {
	return listRegionIds(regionsDir).map((id): RegionListEntry => {
		try {
			const region = readRegion(regionsDir, id);
			return {
				id,
				ok: true,
				summary: summarizeRegion(region.meta, region.layers),
				sources: region.meta.sources.map(({ title, licence, origin }) => ({
					title,
					licence,
					origin
				}))
			};
		} catch (error) {
			return { id, ok: false, error: (error as Error).message };
		}
	});
}
