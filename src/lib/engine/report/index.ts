/**
 * The gap report writers (issue 4): CSV tables, the XLSX workbook, the printable HTML page and
 * the areas GeoJSON, all from one `Analysis`. Pure: they return text or bytes and never write
 * files, so the CLI, the server and the browser share them. Same analysis + meta → same bytes.
 */
import type { PlanCounts } from '../labels.ts';
import type { RegionMeta } from '../region/schema.ts';
import type { TargetsResult } from '../targets/targets.ts';

/** What a report needs besides the analysis. */
export interface ReportMeta {
	/** Date printed on the report and stamped into the workbook, `YYYY-MM-DD` (never "now"). */
	generatedAt: string;
	/** The region's `region.json`: sources (attribution), estimates and notes. */
	regionMeta: RegionMeta;
	/** The report is of a plan (stations planned, moved, removed), not of the region as it is. */
	plan?: PlanCounts | null;
	/**
	 * The profile's targets on `generatedAt` (targets/targets.ts), with the region's indicator
	 * table: the workbook's 目标指标 sheet and the page's targets section. Absent = not printed.
	 */
	targets?: TargetsResult | null;
}

export * from './columns.ts';
export * from './csv.ts';
export * from './geojson.ts';
export * from './html.ts';
export * from './targets.ts';
export * from './xlsx.ts';
