/**
 * The shape every format reader produces before field mapping: records with their source
 * properties and, where the format has one, a geometry in the file's own coordinates.
 * Readers know formats; `mapLayer` (the mapping step) knows the region schema.
 */
import type { ImportIssue } from './report.ts';

export interface RawGeometry {
	type: string;
	coordinates: unknown;
}

export interface RawRecord {
	/** Table row number (header = 1) or feature index (0-based). */
	row: number;
	properties: Record<string, unknown>;
	geometry: RawGeometry | null;
}

export interface RawTable {
	file: string;
	rowKind: 'row' | 'feature';
	/** Column headers in file order (for tables) or the union of property names (for features). */
	fields: string[];
	records: RawRecord[];
	/** CRS the file declares (.prj WKT, GeoJSON `crs`, OSM = WGS84), if any. */
	declaredCrs: string | null;
	/** Findings of the reader itself (undecodable rows, skipped sheets …). */
	issues: ImportIssue[];
}
