/**
 * A bureau's own list of candidate sites (vacant rooms, public buildings on offer), read with the
 * region importers: XLSX, CSV (UTF-8 or GBK), GeoJSON or zipped Shapefile, Chinese headers
 * (名称, 经度, 纬度, 建筑面积 …), coordinates in WGS84, GCJ-02, BD-09 or CGCS2000 converted. Each row
 * becomes a candidate whose floor area (if given) caps what a station there could have.
 */
import { importFile, type ImportIssue } from '../import/index.ts';
import type { CandidatePointInput } from './candidates.ts';

/**
 * @param file the file name (format detection and messages)
 * @param options.crs the coordinate system when the file cannot say (e.g. 'gcj02')
 * @param options.expectedBbox the region's bbox: rows outside it are reported
 * @throws ImportError when the file as a whole cannot be read (no usable rows, unknown CRS …)
 * @example const { points, issues } = await importCandidates('候选点.xlsx', bytes, { expectedBbox: meta.bbox });
 */
export async function importCandidates(
	file: string,
	bytes: Uint8Array,
	options: { crs?: string; expectedBbox?: [number, number, number, number] } = {}
): Promise<{ points: CandidatePointInput[]; issues: ImportIssue[] }> {
	const outcome = await importFile(file, bytes, {
		layer: 'facilities',
		crs: options.crs,
		expectedBbox: options.expectedBbox,
		idPrefix: 'candidate',
		// A candidate is a site, not yet a facility: kind and status only satisfy the layer format.
		defaults: { kind: 'community_station', status: 'planned', source: file }
	});
	return {
		points: outcome.features.map((feature) => ({
			id: feature.properties.id,
			name: feature.properties.name,
			lon: feature.geometry.coordinates[0],
			lat: feature.geometry.coordinates[1],
			maxFloorAreaM2: feature.properties.floorAreaM2
		})),
		issues: outcome.issues
	};
}
