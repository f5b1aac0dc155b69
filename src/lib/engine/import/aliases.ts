/**
 * Header and value aliases: how the columns and codes that planning bureaus really write
 * (Chinese government spreadsheets, GIS exports, English CSV) map onto the region schema.
 *
 * Matching is insensitive to case, spaces, full/half width and a bracketed unit suffix, so
 * `户数（户）`, `户数 (户)` and `ＨＯＵＳＥＨＯＬＤＳ` all match `户数`/`households`.
 */

/** Layers that `mapLayer` fills from tables and GeoJSON (the network layer comes from OSM). */
export type MappableLayer = 'residential' | 'facilities' | 'boundaries';
export const MAPPABLE_LAYERS = ['residential', 'facilities', 'boundaries'] as const;

/**
 * Target field → header aliases, most specific first (when two columns match one field, the
 * one matching the earlier alias wins). The first alias is the label used in error messages.
 * `eldersByClass.<class>`, `streetName` and `communityName` are mapping-only fields (see map-layer.ts).
 */
export const FIELD_ALIASES: Record<MappableLayer, Record<string, readonly string[]>> = {
	residential: {
		id: ['编号', '小区编号', 'id'],
		name: ['小区名称', '名称', '小区', 'name'],
		households: ['户数', '总户数', '房屋总数', '住户数', 'households'],
		elders: [
			'老年人口',
			'60岁以上人口',
			'60周岁以上人口',
			'60岁及以上人口',
			'60周岁及以上人口',
			'60岁以上老人数',
			'60周岁以上老人数',
			'60岁以上人数',
			'60周岁以上人数',
			'老年人数',
			'老人数',
			'60岁以上老年人口',
			'elders'
		],
		'eldersByClass.guaranteed': ['政府兜底类', '兜底', '兜底类', '政府兜底', 'guaranteed'],
		'eldersByClass.disabledOrDementia': ['失能失智类', '失能失智', 'disabledOrDementia'],
		'eldersByClass.specialHardship': ['特殊困难类', '特殊困难', 'specialHardship'],
		'eldersByClass.other': ['其他老年人', '其他类', 'otherElders'],
		status: [
			'类型',
			'新建/既有',
			'新建/已建',
			'建成状态',
			'建设状态',
			'状态',
			'小区类型',
			'status'
		],
		builtYear: ['建成年份', '建成年代', '竣工年份', '建成时间', '竣工时间', 'builtYear'],
		streetCode: ['街道代码', '街道编码', '所属街道代码', 'streetCode'],
		streetName: ['所属街道', '街道', '街道名称', '所属镇街', '镇街', 'street'],
		communityName: ['所属社区', '社区', '社区名称', '所属村居', '村居', 'community'],
		lon: ['经度', 'lng', 'lon', 'longitude', 'x'],
		lat: ['纬度', 'lat', 'latitude', 'y']
	},
	facilities: {
		id: ['编号', '机构编号', '设施编号', 'id'],
		name: ['名称', '机构名称', '设施名称', 'name'],
		kind: ['设施类型', '类型', '机构类型', 'kind', 'type'],
		floorAreaM2: ['建筑面积', '面积', 'floorAreaM2'],
		landAreaM2: ['占地面积', '用地面积', 'landAreaM2'],
		beds: ['床位数', '床位', 'beds'],
		nursingBeds: ['护理型床位', '护理床位', '护理型床位数', '护理床位数', 'nursingBeds'],
		status: ['状态', '建设状态', 'status'],
		streetCode: ['街道代码', '街道编码', '所属街道代码', 'streetCode'],
		streetName: ['所属街道', '街道', '街道名称', 'street'],
		servesCompounds: ['所属小区', '服务小区', '服务小区名称', '配套小区', 'servesCompounds'],
		lon: ['经度', 'lng', 'lon', 'longitude', 'x'],
		lat: ['纬度', 'lat', 'latitude', 'y'],
		source: ['来源', '数据来源', 'source', 'sourceUrl']
	},
	boundaries: {
		level: ['级别', '层级', '行政级别', 'level', 'admin_level'],
		code: ['行政区划代码', '区划代码', '代码', '统计用区划代码', 'code', 'division_code'],
		name: ['名称', '区划名称', 'name', 'name:zh'],
		parentCode: ['上级代码', '上级区划代码', 'parentCode'],
		population: ['常住人口', '人口', 'population'],
		elders: ['老年人口', '60岁以上人口', '60周岁以上人口', 'elders'],
		source: ['来源', '数据来源', 'source']
	}
};

/** Fields without which a row cannot become a feature (lon/lat only for tables without geometry). */
export const REQUIRED_FIELDS: Record<MappableLayer, readonly string[]> = {
	residential: ['name'],
	facilities: ['name', 'kind'],
	boundaries: ['name']
};

/**
 * Normalise a header for alias matching: NFKC (full width → half width, `㎡` → `m2`), lower
 * case, bracketed suffixes removed (`户数（户）` → `户数`), spaces, `_`, `-`, `.`, `*` and `:`
 * removed (so `floor_area_m2` matches `floorAreaM2`).
 * @example normalizeHeader('建筑面积（㎡）') // '建筑面积'
 */
export function normalizeHeader(header: string): string {
	const folded = header.normalize('NFKC').toLowerCase();
	const withoutUnits = folded.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕/g, '');
	const squeeze = (text: string) => text.replace(/[\s_\-.*:]/g, '');
	return squeeze(withoutUnits) || squeeze(folded);
}

/** Normalise a categorical value: NFKC, lower case, spaces removed. */
export function normalizeValue(value: unknown): string {
	return String(value).normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

const normalizedAliases = new Map<MappableLayer, Map<string, string[]>>();
/** Target field → normalised aliases, cached per layer. */
export function aliasesOf(layer: MappableLayer): Map<string, string[]> {
	let cached = normalizedAliases.get(layer);
	if (!cached) {
		cached = new Map(
			Object.entries(FIELD_ALIASES[layer]).map(([field, aliases]) => [
				field,
				aliases.map(normalizeHeader)
			])
		);
		normalizedAliases.set(layer, cached);
	}
	return cached;
}

let allAliases: Set<string> | null = null;
/**
 * Whether a header matches an alias of any layer; readers use it to find the header row under a
 * merged title row before they know which layer the table is for.
 */
export function isKnownHeader(header: string): boolean {
	if (!allAliases) {
		allAliases = new Set();
		for (const layer of MAPPABLE_LAYERS)
			for (const list of aliasesOf(layer).values()) for (const a of list) allAliases.add(a);
	}
	return allAliases.has(normalizeHeader(header));
}

/** Whether a header names a year field (readers turn date cells under it into the year). */
export function isYearHeader(header: string): boolean {
	return aliasesOf('residential').get('builtYear')!.includes(normalizeHeader(header));
}

/** Label for messages: first alias and the target field, e.g. `小区名称/name`. */
export function fieldLabel(layer: MappableLayer, field: string): string {
	return `${FIELD_ALIASES[layer][field]?.[0] ?? field}/${field}`;
}

// ---------------------------------------------------------------- categorical values

/** Canonical value → accepted spellings (normalised with `normalizeValue` before lookup). */
export const RESIDENTIAL_STATUS_VALUES: Record<'new' | 'existing', readonly string[]> = {
	new: ['新建', '新建小区', '新', '在建', '拟建', '规划', '规划新建', 'new'],
	existing: [
		'既有',
		'既有小区',
		'已建',
		'已建成',
		'建成',
		'已竣工',
		'已建小区',
		'老旧',
		'老旧小区',
		'现状',
		'现有',
		'existing'
	]
};

export const FACILITY_KIND_VALUES: Record<string, readonly string[]> = {
	street_center: [
		'街道综合养老服务中心',
		'综合养老服务中心',
		'街道(镇)综合养老服务中心',
		'镇综合养老服务中心',
		'street_center'
	],
	community_station: ['社区养老服务站', '养老服务站', '社区养老服务中心', 'community_station'],
	day_care: ['日间照料中心', '日间照料', '社区日间照料中心', 'day_care'],
	institution: [
		'养老院',
		'敬老院',
		'养老机构',
		'护理院',
		'福利院',
		'养护院',
		'老年公寓',
		'institution'
	],
	meal_point: ['助餐点', '长者食堂', '老年食堂', '老年助餐点', 'meal_point'],
	rural_station: [
		'农村幸福院',
		'村级养老服务站',
		'幸福院',
		'农村幸福院(村级养老服务站)',
		'rural_station'
	]
};

export const FACILITY_STATUS_VALUES: Record<'existing' | 'planned', readonly string[]> = {
	existing: ['现有', '已建', '现状', '在用', 'existing'],
	planned: ['规划', '拟建', '规划新建', 'planned']
};

/** Administrative level; `6`/`8`/`10` are OSM `admin_level` values for China. */
export const BOUNDARY_LEVEL_VALUES: Record<'district' | 'street' | 'community', readonly string[]> =
	{
		district: ['区', '县', '区县', '县级市', '市辖区', 'district', 'county', '6'],
		street: ['街道', '镇', '乡', '乡镇', '街道办事处', 'street', 'town', 'township', '8'],
		community: ['社区', '村', '居委会', '村委会', '社区居委会', 'community', 'village', '10']
	};

/**
 * Look a categorical value up in a value-alias table.
 * @returns the canonical value, or null when the spelling is unknown.
 * @example matchValue(FACILITY_KIND_VALUES, '敬老院') // 'institution'
 */
export function matchValue<K extends string>(
	table: Record<K, readonly string[]>,
	value: unknown
): K | null {
	const key = normalizeValue(value);
	for (const canonical of Object.keys(table) as K[]) {
		if (table[canonical].some((spelling) => normalizeValue(spelling) === key)) return canonical;
	}
	return null;
}
