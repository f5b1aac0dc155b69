/**
 * The region format: one folder `data/regions/<id>/` holding `region.json` and GeoJSON layers.
 * These zod schemas are the single definition of that format (docs/DATA.md describes it in
 * prose); importers, the region builder and the app all validate against them.
 *
 * Coordinates are always WGS84 lon/lat (EPSG:4326) once inside a region: importers convert
 * GCJ-02, BD-09 and projected CGCS2000 input on the way in.
 */
import { z } from 'zod';

// ---------------------------------------------------------------- geometry

const lonLat = z
	.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
	.rest(z.number());
const ring = z.array(lonLat).min(4);

export const pointGeometry = z.object({ type: z.literal('Point'), coordinates: lonLat });
export const polygonGeometry = z.object({
	type: z.literal('Polygon'),
	coordinates: z.array(ring).min(1)
});
export const multiPolygonGeometry = z.object({
	type: z.literal('MultiPolygon'),
	coordinates: z.array(z.array(ring).min(1)).min(1)
});
export const lineGeometry = z.object({
	type: z.literal('LineString'),
	coordinates: z.array(lonLat).min(2)
});
export const multiLineGeometry = z.object({
	type: z.literal('MultiLineString'),
	coordinates: z.array(z.array(lonLat).min(2)).min(1)
});
const areaGeometry = z.discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry]);

// ---------------------------------------------------------------- shared fields

/** Non-negative count or measure; `null` means "not known" (never 0 for unknown). */
const amount = z.number().finite().nonnegative().nullable();
/** GB/T 2260 administrative code: 6 digits (county), 9 (street/town), 12 (community/village). */
export const adminCode = z
	.string()
	.regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'GB/T 2260 code of 6, 9 or 12 digits');

/**
 * Per-field estimate flags: field name → id of the method in `region.json` `estimates`.
 * A field listed here is an estimate, never a measured value; the UI must say so.
 */
export const estimatedFlags = z.record(z.string(), z.string()).default({});

// ---------------------------------------------------------------- layers

export const BOUNDARY_LEVELS = ['district', 'street', 'community'] as const;
export type BoundaryLevel = (typeof BOUNDARY_LEVELS)[number];

export const boundaryProperties = z.object({
	level: z.enum(BOUNDARY_LEVELS),
	code: adminCode.nullable(),
	name: z.string().min(1),
	nameEn: z.string().optional(),
	parentCode: adminCode.nullable(),
	/** Resident population (persons) where a census or register gives it. */
	population: amount.optional(),
	elders: amount.optional(),
	estimated: estimatedFlags,
	source: z.string().optional()
});
export const boundaryFeature = z.object({
	type: z.literal('Feature'),
	geometry: areaGeometry,
	properties: boundaryProperties
});

/** Older residents (60+) by the service classes of the Qingdao policies. */
export const ELDER_CLASSES = [
	'guaranteed',
	'disabledOrDementia',
	'specialHardship',
	'other'
] as const;
export type ElderClass = (typeof ELDER_CLASSES)[number];
/** Chinese names of the service classes (青岛市实施意见 征求意见稿, 服务对象). */
export const ELDER_CLASS_NAMES_ZH: Record<ElderClass, string> = {
	guaranteed: '政府兜底类',
	disabledOrDementia: '失能失智类',
	specialHardship: '特殊困难类',
	other: '其他'
};

export const RESIDENTIAL_STATUSES = ['new', 'existing'] as const;

export const residentialProperties = z.object({
	id: z.string().min(1),
	name: z.string().min(1),
	/** Households (户). */
	households: amount,
	/** Residents aged 60 and over (persons). */
	elders: amount,
	eldersByClass: z.partialRecord(z.enum(ELDER_CLASSES), z.number().nonnegative()).optional(),
	status: z.enum(RESIDENTIAL_STATUSES),
	builtYear: z.number().int().min(1800).max(2100).nullable(),
	streetCode: adminCode.nullable(),
	/** Community (社区) or village (村) the list names (所属社区), as written; absent when unknown. */
	communityName: z.string().min(1).optional(),
	/** Entrance points, WGS84 [lon, lat]; empty when unknown. */
	gates: z.array(lonLat).default([]),
	estimated: estimatedFlags,
	source: z.string().optional()
});
export const residentialFeature = z.object({
	type: z.literal('Feature'),
	geometry: z.discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry, pointGeometry]),
	properties: residentialProperties
});

export const FACILITY_KINDS = [
	'street_center',
	'community_station',
	'day_care',
	'institution',
	'meal_point',
	'rural_station'
] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];
export const FACILITY_KIND_NAMES_ZH: Record<FacilityKind, string> = {
	street_center: '街道（镇）综合养老服务中心',
	community_station: '社区养老服务站',
	day_care: '日间照料中心',
	institution: '养老机构',
	meal_point: '助餐点',
	rural_station: '农村幸福院（村级养老服务站）'
};
export const FACILITY_STATUSES = ['existing', 'planned'] as const;

export const facilityProperties = z.object({
	id: z.string().min(1),
	name: z.string().min(1),
	kind: z.enum(FACILITY_KINDS),
	floorAreaM2: amount,
	landAreaM2: amount,
	beds: z.number().int().nonnegative().nullable(),
	nursingBeds: z.number().int().nonnegative().nullable(),
	status: z.enum(FACILITY_STATUSES),
	streetCode: adminCode.nullable(),
	/**
	 * Residential areas the facility belongs to or serves (所属小区 / 服务小区): their ids or names
	 * exactly as the list writes them; absent when the list does not say. Its floor area counts
	 * for them as well as for the area its door lies in (docs/RULES.md).
	 */
	servesCompounds: z.array(z.string().min(1)).min(1).optional(),
	/** Where the record comes from: a URL, a file name or an office. */
	source: z.string().min(1),
	estimated: estimatedFlags
});
export const facilityFeature = z.object({
	type: z.literal('Feature'),
	geometry: pointGeometry,
	properties: facilityProperties
});

/** The walking network as GeoJSON: lines carrying OSM-style `highway` (and optional foot/access) tags. */
export const networkProperties = z
	.object({
		highway: z.string().min(1),
		osmId: z.number().int().optional(),
		name: z.string().optional()
	})
	.catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
export const networkFeature = z.object({
	type: z.literal('Feature'),
	geometry: z.discriminatedUnion('type', [lineGeometry, multiLineGeometry]),
	properties: networkProperties
});

export const LAYERS = ['boundaries', 'residential', 'facilities', 'network'] as const;
export type LayerName = (typeof LAYERS)[number];

export const layerFeatureSchemas = {
	boundaries: boundaryFeature,
	residential: residentialFeature,
	facilities: facilityFeature,
	network: networkFeature
} as const;

export type BoundaryFeature = z.infer<typeof boundaryFeature>;
export type ResidentialFeature = z.infer<typeof residentialFeature>;
export type FacilityFeature = z.infer<typeof facilityFeature>;
export type NetworkFeature = z.infer<typeof networkFeature>;
export type LayerFeature = {
	boundaries: BoundaryFeature;
	residential: ResidentialFeature;
	facilities: FacilityFeature;
	network: NetworkFeature;
};

export interface FeatureCollection<F> {
	type: 'FeatureCollection';
	features: F[];
}

// ---------------------------------------------------------------- region.json

export const sourceEntry = z.object({
	id: z.string().min(1),
	title: z.string().min(1),
	/** Where it was published (repository path, bulletin URL, package). */
	origin: z.string().min(1),
	licence: z.string().min(1),
	/** Text that must be shown wherever the data is displayed (e.g. OSM's ODbL attribution). */
	attribution: z.string().optional(),
	usedFor: z.array(z.enum([...LAYERS, 'buildings', 'census', 'codes', 'indicators'])).min(1)
});

/** How an estimated field was computed: the method, its assumed values and their basis. */
export const estimateMethod = z.object({
	layer: z.enum(LAYERS),
	field: z.string().min(1),
	method: z.string().min(1),
	methodEn: z.string().optional(),
	assumptions: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
	basis: z.string().min(1),
	/** Number of features whose field uses this method. */
	count: z.number().int().nonnegative()
});

export const layerFiles = z.object({
	boundaries: z.string().nullable(),
	residential: z.string().nullable(),
	facilities: z.string().nullable(),
	/** GeoJSON lines with highway tags, or an OSM extract (.osm / .osm.pbf); null = no network yet. */
	network: z.string().nullable(),
	/** Optional display-only building footprints. */
	buildings: z.string().nullable().optional(),
	/** Optional list of community/village codes without geometry (JSON array of CommunityCode). */
	communities: z.string().nullable().optional(),
	/**
	 * Optional indicator table (issue 16): JSON array of IndicatorRow (region/indicators.ts), the
	 * yearly figures per street, district or institution.
	 */
	indicators: z.string().nullable().optional()
});

/** A GB/T 2260 community (社区) or village (村) code known without a polygon. */
export const communityCode = z.object({
	code: adminCode,
	name: z.string().min(1),
	streetCode: adminCode
});
export type CommunityCode = z.infer<typeof communityCode>;

/** A note a user must read, in both languages (Chinese first). */
export const bilingualNote = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export type BilingualNote = z.infer<typeof bilingualNote>;

/**
 * A region note: bilingual, or a plain string as region.json files written before notes were
 * bilingual have them (shown as it is, in whatever language it was written).
 */
export const regionNote = z.union([z.string(), bilingualNote]);
export type RegionNote = z.infer<typeof regionNote>;

/**
 * A note's text in one language; a plain-string note is the same text in both.
 * @example noteText({ zh: '没有路网', en: 'No network' }, 'en') // 'No network'
 */
export function noteText(note: RegionNote, lang: 'zh' | 'en'): string {
	return typeof note === 'string' ? note : note[lang];
}

export const regionMeta = z.object({
	formatVersion: z.literal(1),
	id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
	name: z.string().min(1),
	nameEn: z.string().min(1),
	/** [west, south, east, north] in WGS84 degrees. */
	bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
	defaultProfile: z.string().min(1),
	layers: layerFiles,
	sources: z.array(sourceEntry).min(1),
	estimates: z.record(z.string(), estimateMethod).default({}),
	/** Statements a user must read (missing data, caveats), `{ zh, en }` (older files: plain strings). */
	notes: z.array(regionNote).default([]),
	/** Totals written by the builder, for reproducibility checks and the region list. */
	summary: z.record(z.string(), z.number()).default({})
});
export type RegionMeta = z.infer<typeof regionMeta>;
export type EstimateMethod = z.infer<typeof estimateMethod>;
