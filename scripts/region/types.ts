import type { RegionMeta } from '../../src/lib/engine/region/schema.ts';

/** What a region builder returns: the files to write (name → text) and what to report. */
export interface RegionBuild {
	id: string;
	meta: RegionMeta;
	/** File name inside the region folder → exact text to write. */
	files: Record<string, string>;
	millis: number;
	/** Details for the console report (not written). */
	report: Record<string, unknown>;
}
