/**
 * `areas.geojson` of the gap report (issue 4): the residential areas as they came in (same
 * order, geometry untouched) with their verdicts and figures as properties, for a GIS or the map.
 * Property names are the CSV keys of the same figures (`required_m2`, …).
 */
import type { Analysis, AreaRow } from '../analysis/types.ts';
import type { ResidentialFeature } from '../region/schema.ts';

/** A residential feature that has no row in the analysis (the analysis is of other data). */
export class ReportInputError extends Error {
	readonly code = 'AREA_NOT_ANALYSED';
	constructor(message: string) {
		super(message);
		this.name = 'ReportInputError';
	}
}

export interface AreaFeatureProperties {
	id: string;
	name: string;
	verdict: AreaRow['verdict'];
	required_m2: number | null;
	provided_m2: number | null;
	deficit_m2: number | null;
	minutes_to_nearest: number | null;
	covered: boolean | null;
	households: number | null;
	elders: number | null;
	/** Fields of the area that are estimates (households, elders, …). */
	estimated: string[];
}

/**
 * The residential areas with their verdicts, as a GeoJSON FeatureCollection text.
 * Features are matched to rows by id (the n-th feature of an id to the n-th row of that id, so
 * duplicate ids keep their order); coordinates are written exactly as given.
 * @param analysis the gap analysis of these areas
 * @param residential the region's residential features, in file order
 * @throws {ReportInputError} AREA_NOT_ANALYSED when a feature has no row in the analysis
 * @example JSON.parse(areasGeoJson(analysis, region.layers.residential ?? [])).features[0].properties.verdict
 */
export function areasGeoJson(
	analysis: Analysis,
	residential: readonly ResidentialFeature[]
): string {
	const rowsById = new Map<string, AreaRow[]>();
	for (const row of analysis.areas) {
		const rows = rowsById.get(row.id);
		if (rows) rows.push(row);
		else rowsById.set(row.id, [row]);
	}
	const used = new Map<string, number>();
	const features = residential.map((feature, index) => {
		const id = feature.properties.id;
		const n = used.get(id) ?? 0;
		const row = rowsById.get(id)?.[n];
		if (!row)
			throw new ReportInputError(
				`residential feature ${index} (id ${JSON.stringify(id)}) has no row in the analysis: run the analysis on the same residential layer`
			);
		used.set(id, n + 1);
		const properties: AreaFeatureProperties = {
			id: row.id,
			name: row.name,
			verdict: row.verdict,
			required_m2: row.requiredM2,
			provided_m2: row.providedM2,
			deficit_m2: row.deficitM2,
			minutes_to_nearest: row.minutesToNearest,
			covered: row.covered,
			households: row.households,
			elders: row.elders,
			estimated: [...row.estimatedFields]
		};
		return { type: 'Feature' as const, geometry: feature.geometry, properties };
	});
	return `${JSON.stringify({ type: 'FeatureCollection', features })}\n`;
}
