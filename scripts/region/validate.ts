/**
 * Validation of a built region against the region format (src/lib/engine/region/schema.ts).
 * The builder runs it before writing anything; the test runs it on the written files.
 */
import { z } from 'zod';
import {
	communityCode,
	layerFeatureSchemas,
	regionMeta,
	LAYERS,
	type LayerName
} from '../../src/lib/engine/region/schema.ts';

/** Building footprints are display/estimation only and not part of the schema; this is their shape. */
const buildingFeature = z.object({
	type: z.literal('Feature'),
	geometry: z.object({
		type: z.enum(['Polygon', 'MultiPolygon']),
		coordinates: z.array(z.unknown()).min(1)
	}),
	properties: z.object({
		id: z.string().min(1),
		osmId: z.number().int(),
		name: z.string().nullable(),
		kindDetail: z.string().nullable(),
		heightM: z.number().nonnegative().nullable(),
		minHeightM: z.number().nonnegative().nullable()
	})
});

function describe(error: z.ZodError): string {
	return error.issues
		.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
		.join('; ');
}

/**
 * Validate every file of one region.
 * @param regionId folder name, used in messages
 * @param files file name → text, as written
 * @returns a list of problems, each naming file, feature index and field; empty when valid
 */
export function validateRegionFiles(regionId: string, files: Record<string, string>): string[] {
	const problems: string[] = [];
	const metaText = files['region.json'];
	if (!metaText) return [`${regionId}/region.json: missing`];
	const meta = regionMeta.safeParse(JSON.parse(metaText));
	if (!meta.success) return [`${regionId}/region.json: ${describe(meta.error)}`];
	const layers = meta.data.layers;
	const check = (fileName: string, schema: z.ZodType): void => {
		const text = files[fileName];
		if (text === undefined) {
			problems.push(`${regionId}/${fileName}: named in region.json layers but not built`);
			return;
		}
		const collection = JSON.parse(text) as { type?: string; features?: unknown[] };
		if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
			problems.push(`${regionId}/${fileName}: expected a GeoJSON FeatureCollection`);
			return;
		}
		collection.features.forEach((feature, index) => {
			const result = schema.safeParse(feature);
			if (!result.success)
				problems.push(`${regionId}/${fileName}: feature ${index}: ${describe(result.error)}`);
		});
	};
	for (const layer of LAYERS as readonly LayerName[]) {
		const fileName = layers[layer];
		// An OSM extract network (added with --osm) is checked by its reader, not as GeoJSON.
		if (fileName && !(layer === 'network' && /\.osm(\.pbf)?$/.test(fileName)))
			check(fileName, layerFeatureSchemas[layer]);
	}
	if (layers.buildings) check(layers.buildings, buildingFeature);
	if (layers.communities) {
		const text = files[layers.communities];
		const result = z
			.array(communityCode)
			.safeParse(text === undefined ? undefined : JSON.parse(text));
		if (!result.success)
			problems.push(`${regionId}/${layers.communities}: ${describe(result.error)}`);
	}
	// Every estimate flag must name a method that region.json describes, for the same layer and field.
	for (const layer of LAYERS as readonly LayerName[]) {
		const fileName = layers[layer];
		if (!fileName || files[fileName] === undefined) continue;
		const features = (
			JSON.parse(files[fileName]) as {
				features: { properties: { estimated?: Record<string, string> } }[];
			}
		).features;
		features.forEach((feature, index) => {
			for (const [field, methodId] of Object.entries(feature.properties.estimated ?? {})) {
				const method = meta.data.estimates[methodId];
				if (!method)
					problems.push(
						`${regionId}/${fileName}: feature ${index}: estimated.${field} = "${methodId}" is not described in region.json estimates`
					);
				else if (method.layer !== layer || method.field !== field)
					problems.push(
						`${regionId}/${fileName}: feature ${index}: estimated.${field} = "${methodId}" describes ${method.layer}.${method.field}`
					);
			}
		});
	}
	for (const fileName of Object.keys(files)) {
		if (/\/(work|home|tmp|Users)\//.test(files[fileName]))
			problems.push(`${regionId}/${fileName}: contains what looks like an absolute machine path`);
	}
	return problems;
}
