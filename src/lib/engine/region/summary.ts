/**
 * What a user needs to know about a region before using it: how many features each layer has,
 * the population totals, and which fields are estimates (with the method). Pure: the caller
 * loads the files (server, CLI or worker) and passes the parsed layers in.
 */
import type {
	BoundaryFeature,
	FacilityFeature,
	LayerName,
	RegionMeta,
	RegionNote,
	ResidentialFeature
} from './schema.ts';

export interface LayerSummary {
	layer: LayerName | 'buildings' | 'communities';
	/** File inside the region folder, or null when the region has no such layer yet. */
	file: string | null;
	/** Number of features (or entries); null when the layer is absent or not counted (OSM extract). */
	count: number | null;
}

export interface EstimatedFieldSummary {
	layer: LayerName;
	field: string;
	methodId: string;
	method: string;
	/** Features whose field carries this method's flag. */
	count: number;
}

export interface RegionSummary {
	id: string;
	name: string;
	nameEn: string;
	defaultProfile: string;
	layers: LayerSummary[];
	/** Totals over the residential layer; null when the region has no compounds. */
	households: number | null;
	elders: number | null;
	estimatedFields: EstimatedFieldSummary[];
	hasNetwork: boolean;
	/** `{ zh, en }`, or a plain string from an older region.json. */
	notes: RegionNote[];
	attributions: string[];
}

export interface LoadedLayers {
	boundaries: BoundaryFeature[] | null;
	residential: ResidentialFeature[] | null;
	facilities: FacilityFeature[] | null;
	/** Count of network features (GeoJSON) or null for an OSM extract / no network. */
	networkFeatureCount: number | null;
	buildingCount: number | null;
	communityCount: number | null;
}

/** Sum a nullable field; null when no feature has a value (unknown is not zero). */
function sumKnown(values: (number | null)[]): number | null {
	const known = values.filter((value): value is number => value !== null);
	return known.length === 0 ? null : known.reduce((total, value) => total + value, 0);
}

/**
 * Summarise a region: layer counts, totals and the estimated fields with their methods.
 * Counts estimated flags from the features themselves, so a stale `region.json` cannot hide one.
 */
export function summarizeRegion(meta: RegionMeta, layers: LoadedLayers): RegionSummary {
	const flagged = new Map<string, EstimatedFieldSummary>();
	const countFlags = (
		layer: LayerName,
		features: { properties: { estimated: Record<string, string> } }[] | null
	) => {
		for (const feature of features ?? []) {
			for (const [field, methodId] of Object.entries(feature.properties.estimated)) {
				const key = `${layer}\u0000${field}\u0000${methodId}`;
				const entry = flagged.get(key) ?? {
					layer,
					field,
					methodId,
					method:
						meta.estimates[methodId]?.method ??
						`(method "${methodId}" is not described in region.json)`,
					count: 0
				};
				entry.count += 1;
				flagged.set(key, entry);
			}
		}
	};
	countFlags('boundaries', layers.boundaries);
	countFlags('residential', layers.residential);
	countFlags('facilities', layers.facilities);

	const residential = layers.residential;
	return {
		id: meta.id,
		name: meta.name,
		nameEn: meta.nameEn,
		defaultProfile: meta.defaultProfile,
		layers: [
			{
				layer: 'boundaries',
				file: meta.layers.boundaries,
				count: layers.boundaries?.length ?? null
			},
			{ layer: 'residential', file: meta.layers.residential, count: residential?.length ?? null },
			{
				layer: 'facilities',
				file: meta.layers.facilities,
				count: layers.facilities?.length ?? null
			},
			{ layer: 'network', file: meta.layers.network, count: layers.networkFeatureCount },
			{ layer: 'buildings', file: meta.layers.buildings ?? null, count: layers.buildingCount },
			{ layer: 'communities', file: meta.layers.communities ?? null, count: layers.communityCount }
		],
		households: residential ? sumKnown(residential.map((f) => f.properties.households)) : null,
		elders: residential ? sumKnown(residential.map((f) => f.properties.elders)) : null,
		estimatedFields: [...flagged.values()].sort((a, b) =>
			`${a.layer}.${a.field}`.localeCompare(`${b.layer}.${b.field}`)
		),
		hasNetwork: meta.layers.network !== null,
		notes: meta.notes,
		attributions: [
			...new Set(meta.sources.flatMap((source) => (source.attribution ? [source.attribution] : [])))
		]
	};
}
