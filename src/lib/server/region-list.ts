/**
 * The regions the server offers, each summarised, or with the reason it cannot be read —
 * one broken region folder must not hide the others.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Summaries already made, by region folder, while its files are the same (name, inode, size,
 * mtime of each: an import renames new files over the old). The home page lists the regions on
 * every GET; reading and validating every layer each time cost the event loop 10–30 ms a
 * region, which under load was most of the main thread's work.
 */
const summaries = new Map<string, { files: string; entry: RegionListEntry }>();

function folderState(folder: string): string {
	return readdirSync(folder)
		.sort()
		.map((name) => {
			const { ino, size, mtimeMs } = statSync(join(folder, name));
			return `${name}:${ino}:${size}:${mtimeMs}`;
		})
		.join('|');
}

export function listRegionSummaries(regionsDir = defaultRegionsDir()): RegionListEntry[] {
	return listRegionIds(regionsDir).map((id): RegionListEntry => {
		const folder = join(regionsDir, id);
		let files: string | null = null;
		try {
			// Before reading: a file replaced meanwhile changes the state, so the next list reads again.
			files = folderState(folder);
			const known = summaries.get(folder);
			if (known && known.files === files) return known.entry;
		} catch {
			// a file gone while listed: read the region as it is now, without the cache
		}
		try {
			const region = readRegion(regionsDir, id);
			const entry: RegionListEntry = {
				id,
				ok: true,
				summary: summarizeRegion(region.meta, region.layers),
				sources: region.meta.sources.map(({ title, licence, origin }) => ({
					title,
					licence,
					origin
				}))
			};
			// Only summaries: a broken region is read again, so a fix shows without a restart.
			if (files !== null) summaries.set(folder, { files, entry });
			return entry;
		} catch (error) {
			return { id, ok: false, error: (error as Error).message };
		}
	});
}
