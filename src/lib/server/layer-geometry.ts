/**
 * Reading a region's layer features with their geometry checked by hand instead of by zod
 * (issue 18 item 3). Zod builds a result object per position: of a 50,000-compound city's
 * residential layer it spent about 60 % of the parse on coordinates. Here the geometry is checked
 * in plain loops with the rules of the engine's schema (region/schema.ts: `lonLat`, rings of at
 * least 4 positions, at least one ring, one polygon), the rest of the feature by zod with the
 * geometry left out, and the two put together as zod would give them. Anything the hand check
 * does not accept is parsed by the whole schema, so a broken file is refused exactly as before
 * (same issues, same message); the check only ever says "valid", never "invalid".
 */
import { z } from 'zod';

export type LayerGeometryType = 'Point' | 'Polygon' | 'MultiPolygon';

/** [lon, lat, …]: finite numbers, lon in [-180, 180], lat in [-90, 90] (schema `lonLat`). */
function isLonLat(value: unknown): boolean {
	if (!Array.isArray(value) || value.length < 2) return false;
	for (const item of value) if (typeof item !== 'number' || !Number.isFinite(item)) return false;
	return value[0] >= -180 && value[0] <= 180 && value[1] >= -90 && value[1] <= 90;
}

/** At least `min` items, each passing `check`. */
function isListOf(value: unknown, min: number, check: (item: unknown) => boolean): boolean {
	if (!Array.isArray(value) || value.length < min) return false;
	for (const item of value) if (!check(item)) return false;
	return true;
}

const isRing = (value: unknown) => isListOf(value, 4, isLonLat);
const isPolygon = (value: unknown) => isListOf(value, 1, isRing);
const isMultiPolygon = (value: unknown) => isListOf(value, 1, isPolygon);
const COORDINATE_CHECKS: Record<LayerGeometryType, (value: unknown) => boolean> = {
	Point: isLonLat,
	Polygon: isPolygon,
	MultiPolygon: isMultiPolygon
};

/**
 * The geometry as the schema's parse gives it — `{ type, coordinates }`, other members dropped
 * — when it is one of `types` and valid; null otherwise (then only zod can say what is wrong).
 * The coordinate arrays are the input's own (zod copies them): the parsed document is not kept.
 */
export function checkedGeometry(
	value: unknown,
	types: readonly LayerGeometryType[]
): { type: LayerGeometryType; coordinates: unknown } | null {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
	const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
	if (typeof type !== 'string' || !types.includes(type as LayerGeometryType)) return null;
	return COORDINATE_CHECKS[type as LayerGeometryType](coordinates)
		? { type: type as LayerGeometryType, coordinates }
		: null;
}

/**
 * A parser of one layer's features equal to `schema.safeParse`: the geometry checked by hand
 * (`checkedGeometry`), the rest by the schema without its geometry; the whole schema whenever
 * either says no.
 * @param schema a feature schema of region/schema.ts (`z.object` with a `geometry` member)
 * @param types the geometry types the schema allows
 * @example const parse = layerFeatureParser(residentialFeature, ['Polygon', 'MultiPolygon', 'Point']);
 */
export function layerFeatureParser<S extends z.ZodObject>(
	schema: S,
	types: readonly LayerGeometryType[]
): (feature: unknown) => z.ZodSafeParseResult<z.infer<S>> {
	// The geometry member keeps its place among the keys, so the result's keys come in the same order.
	const withoutGeometry = schema.extend({ geometry: z.unknown() });
	return (feature) => {
		const geometry = checkedGeometry((feature as { geometry?: unknown } | null)?.geometry, types);
		if (geometry) {
			const parsed = withoutGeometry.safeParse(feature);
			if (parsed.success) {
				(parsed.data as { geometry: unknown }).geometry = geometry;
				return parsed as z.ZodSafeParseResult<z.infer<S>>;
			}
		}
		return schema.safeParse(feature);
	};
}
