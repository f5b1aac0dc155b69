/**
 * The columns of the gap report's tables (issue 4): one list per level, shared by every writer so
 * that `areas.csv`, the `居住区` sheet and the HTML tables can never disagree on a figure.
 *
 * - `key` is the machine-readable CSV header (snake_case, stable: scripts and goldens read it).
 * - `zh` / `en` are the human headers; writers append the unit: `需配建面积 (m²)`.
 * - `value` is the machine value written to CSV and XLSX: numbers stay numbers, unknown is `null`
 *   (an empty cell, never 0), booleans stay booleans, lists are joined with `;`.
 * - `display` (optional) is the reader-facing Chinese form of coded values (`deficit` → `不足`,
 *   `true` → `是`) used by the XLSX and HTML writers; numbers are never changed by it.
 *
 * Columns with unit `%` hold a share as a fraction (0.8125 = 81.25 %) in CSV; the XLSX formats
 * it as a percentage and the HTML prints `81.3%`.
 */
import { intlNumberFormat } from '../format.ts';
import { BINDING } from '../labels.ts';
import {
	ELDER_CLASS_NAMES_ZH,
	ELDER_CLASSES,
	FACILITY_KIND_NAMES_ZH,
	type ElderClass,
	type RegionMeta
} from '../region/schema.ts';
import type { AreaVerdict, CheckReason, ResidentialStatus } from '../rules/area-check.ts';
import type { DocumentStatus, Rule, RuleKind } from '../rules/profile-schema.ts';
import type {
	Analysis,
	AnalysisLevel,
	AnalysisSummary,
	AreaRow,
	CheckId,
	DistrictRow,
	FacilityRow,
	LevelVerdict,
	PlaceRef,
	StreetRow
} from '../analysis/types.ts';
import {
	AREA_VERDICT,
	DOCUMENT_STATUS,
	FACILITY_STATUS,
	LEVEL,
	LEVEL_VERDICT,
	RESIDENTIAL_STATUS,
	enOf,
	zhOf
} from '../labels.ts';

export type CellValue = string | number | boolean | null;

export interface Column<Row> {
	/** CSV header, snake_case. */
	key: string;
	/** Chinese header without the unit. */
	zh: string;
	/** English header without the unit. */
	en: string;
	/** Unit shown after the header (`m²`, `户`, `人`, `min`, `%` = fraction 0–1), null for none. */
	unit: string | null;
	/** Machine value (CSV, XLSX); null = unknown. */
	value(row: Row): CellValue;
	/** Reader-facing Chinese form of a coded value (XLSX, HTML); default: `value`. */
	display?(row: Row): CellValue;
}

/** `需配建面积 (m²)`; `名称` when the column has no unit. */
export function headerZh<Row>(column: Column<Row>): string {
	return column.unit === null ? column.zh : `${column.zh} (${column.unit})`;
}

/** `Required floor area (m²)`. */
export function headerEn<Row>(column: Column<Row>): string {
	return column.unit === null ? column.en : `${column.en} (${column.unit})`;
}

/** The reader-facing value of a cell: `display` when the column has one, else `value`. */
export function displayValue<Row>(column: Column<Row>, row: Row): CellValue {
	return column.display ? column.display(row) : column.value(row);
}

// ---------------------------------------------------------------- coded values in Chinese

export const AREA_VERDICT_ZH: Record<AreaVerdict, string> = zhOf(AREA_VERDICT);
export const LEVEL_VERDICT_ZH: Record<LevelVerdict, string> = zhOf(LEVEL_VERDICT);
export const RESIDENTIAL_STATUS_ZH: Record<ResidentialStatus, string> = zhOf(RESIDENTIAL_STATUS);
export const FACILITY_STATUS_ZH: Record<FacilityRow['status'], string> = zhOf(FACILITY_STATUS);
export const ASSIGNED_BY_ZH: Record<PlaceRef['assignedBy'], string> = {
	attribute: '数据自带代码',
	polygon: '按边界落点',
	none: '无法定位'
};
export const ELDERS_SOURCE_ZH: Record<DistrictRow['eldersSource'], string> = {
	boundary: '区界数据',
	areas: '居住区汇总',
	none: '无'
};

const yesNo = (value: boolean | null): string | null =>
	value === null ? null : value ? '是' : '否';
const list = (values: readonly string[]): string => values.join(';');
/** Rule ids of a row's findings, in order of first appearance. */
const ruleIdsOf = (reasons: readonly CheckReason[]): string =>
	list([...new Set(reasons.map((reason) => reason.ruleId).filter((id) => id !== null))]);
/** The row's findings in Chinese, one after another (the short reasons text of the tables). */
export const reasonsZh = (reasons: readonly CheckReason[]): string =>
	reasons.map((reason) => reason.messageZh).join('；');

/** snake_case of an elder class: disabledOrDementia → disabled_or_dementia. */
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

// ---------------------------------------------------------------- shared place columns

function placeColumns<Row extends PlaceRef>(): Column<Row>[] {
	return [
		{
			key: 'district_code',
			zh: '区县代码',
			en: 'District code',
			unit: null,
			value: (r) => r.districtCode
		},
		{ key: 'district_name', zh: '区县', en: 'District', unit: null, value: (r) => r.districtName },
		{
			key: 'street_code',
			zh: '街道代码',
			en: 'Street code',
			unit: null,
			value: (r) => r.streetCode
		},
		{ key: 'street_name', zh: '街道', en: 'Street', unit: null, value: (r) => r.streetName },
		{
			key: 'community_code',
			zh: '社区代码',
			en: 'Community code',
			unit: null,
			value: (r) => r.communityCode
		},
		{
			key: 'community_name',
			zh: '社区（村）',
			en: 'Community',
			unit: null,
			value: (r) => r.communityName
		},
		{
			key: 'assigned_by',
			zh: '归属依据',
			en: 'Placed by',
			unit: null,
			value: (r) => r.assignedBy,
			display: (r) => ASSIGNED_BY_ZH[r.assignedBy]
		}
	];
}

// ---------------------------------------------------------------- areas

const areaClassColumns: Column<AreaRow>[] = ELDER_CLASSES.map((elderClass: ElderClass) => ({
	key: `elders_${snake(elderClass)}`,
	zh: `其中${ELDER_CLASS_NAMES_ZH[elderClass]}`,
	en: `Elders: ${elderClass}`,
	unit: '人',
	value: (r: AreaRow) => r.eldersByClass?.[elderClass] ?? null
}));

/** One row per residential area (`areas.csv`, sheet `居住区`). */
export const AREA_COLUMNS: Column<AreaRow>[] = [
	{ key: 'id', zh: '编号', en: 'ID', unit: null, value: (r) => r.id },
	{ key: 'name', zh: '名称', en: 'Name', unit: null, value: (r) => r.name },
	{
		key: 'status',
		zh: '建设状态',
		en: 'Status',
		unit: null,
		value: (r) => r.status,
		display: (r) => RESIDENTIAL_STATUS_ZH[r.status]
	},
	...placeColumns<AreaRow>(),
	{ key: 'households', zh: '户数', en: 'Households', unit: '户', value: (r) => r.households },
	{ key: 'elders', zh: '老年人口', en: 'Elders (60+)', unit: '人', value: (r) => r.elders },
	...areaClassColumns,
	{
		key: 'estimated_fields',
		zh: '估算字段',
		en: 'Estimated fields',
		unit: null,
		value: (r) => list(r.estimatedFields)
	},
	{
		key: 'required_m2',
		zh: '需配建面积',
		en: 'Required floor area',
		unit: 'm²',
		value: (r) => r.requiredM2
	},
	{
		key: 'inside_m2',
		zh: '区内及所属设施面积',
		en: 'Floor area inside or assigned (所属小区)',
		unit: 'm²',
		value: (r) => r.insideM2
	},
	{
		key: 'pooled_m2',
		zh: '圈内统筹面积',
		en: 'Pooled floor area',
		unit: 'm²',
		value: (r) => r.pooledM2
	},
	{
		key: 'provided_m2',
		zh: '已配建面积',
		en: 'Provided floor area',
		unit: 'm²',
		value: (r) => r.providedM2
	},
	{ key: 'deficit_m2', zh: '缺口面积', en: 'Deficit', unit: 'm²', value: (r) => r.deficitM2 },
	{
		key: 'minutes_to_nearest',
		zh: '至最近站点步行',
		en: 'Walk to nearest station',
		unit: 'min',
		value: (r) => r.minutesToNearest
	},
	{
		key: 'snap_distance_m',
		zh: '入口接入路网距离',
		en: 'Access point to the network',
		unit: 'm',
		value: (r) => r.snapDistanceM
	},
	{
		key: 'nearest_facility_id',
		zh: '最近站点编号',
		en: 'Nearest station ID',
		unit: null,
		value: (r) => r.nearestFacilityId
	},
	{
		key: 'covered',
		zh: '在服务圈内',
		en: 'Within the circle',
		unit: null,
		value: (r) => r.covered,
		display: (r) => yesNo(r.covered)
	},
	{
		key: 'reaching_facility_ids',
		zh: '圈内可达设施',
		en: 'Facilities within the circle',
		unit: null,
		value: (r) => list(r.reachingFacilityIds)
	},
	{
		key: 'accessible_m2_per_elder',
		zh: '人均可达设施面积',
		en: 'Accessible floor area per elder (2SFCA)',
		unit: 'm²/人',
		value: (r) => r.capacity.accessibleM2PerElder
	},
	{
		key: 'fair_share_m2',
		zh: '按需分摊面积',
		en: 'Fair share of floor area (2SFCA)',
		unit: 'm²',
		value: (r) => r.capacity.fairShareM2
	},
	{
		key: 'crowded',
		zh: '圈内设施拥挤',
		en: 'Crowded',
		unit: null,
		value: (r) => r.capacity.crowded,
		display: (r) => yesNo(r.capacity.crowded)
	},
	{
		key: 'verdict',
		zh: '判定',
		en: 'Verdict',
		unit: null,
		value: (r) => r.verdict,
		display: (r) => AREA_VERDICT_ZH[r.verdict]
	},
	{ key: 'rule_ids', zh: '依据规则', en: 'Rule ids', unit: null, value: (r) => list(r.ruleIds) },
	{ key: 'reasons', zh: '判定理由', en: 'Reasons', unit: null, value: (r) => reasonsZh(r.reasons) }
];

// ---------------------------------------------------------------- streets

const streetClassColumns: Column<StreetRow>[] = ELDER_CLASSES.flatMap((elderClass: ElderClass) => [
	{
		key: `elders_${snake(elderClass)}`,
		zh: `其中${ELDER_CLASS_NAMES_ZH[elderClass]}`,
		en: `Elders: ${elderClass}`,
		unit: '人',
		value: (r: StreetRow) => r.eldersByClass[elderClass]?.total ?? null
	},
	{
		key: `elders_${snake(elderClass)}_covered`,
		zh: `${ELDER_CLASS_NAMES_ZH[elderClass]}圈内`,
		en: `Elders within the circle: ${elderClass}`,
		unit: '人',
		value: (r: StreetRow) => r.eldersByClass[elderClass]?.covered ?? null
	}
]);

/**
 * A street's sums over its areas; null when it has no areas at all (a sum over nothing is not a
 * known 0: the street's reason says "不按 0 计").
 */
const streetSum = (r: StreetRow, value: number): number | null => (r.areas === 0 ? null : value);

/** One row per street (`streets.csv`, sheet `街道`). */
export const STREET_COLUMNS: Column<StreetRow>[] = [
	{ key: 'code', zh: '街道代码', en: 'Street code', unit: null, value: (r) => r.code },
	{ key: 'name', zh: '街道', en: 'Street', unit: null, value: (r) => r.name },
	{
		key: 'district_code',
		zh: '区县代码',
		en: 'District code',
		unit: null,
		value: (r) => r.districtCode
	},
	{ key: 'district_name', zh: '区县', en: 'District', unit: null, value: (r) => r.districtName },
	{ key: 'areas', zh: '居住区数', en: 'Areas', unit: '个', value: (r) => r.areas },
	{
		key: 'households',
		zh: '户数',
		en: 'Households',
		unit: '户',
		value: (r) => streetSum(r, r.households)
	},
	{
		key: 'households_unknown_areas',
		zh: '户数未知的居住区',
		en: 'Areas with unknown households',
		unit: '个',
		value: (r) => r.householdsUnknownCount
	},
	{
		key: 'elders',
		zh: '老年人口',
		en: 'Elders (60+)',
		unit: '人',
		value: (r) => streetSum(r, r.elders)
	},
	{
		key: 'elders_unknown_areas',
		zh: '老年人数未知的居住区',
		en: 'Areas with unknown elders',
		unit: '个',
		value: (r) => r.eldersUnknownCount
	},
	{
		key: 'elders_covered',
		zh: '服务圈内老年人',
		en: 'Elders within the circle',
		unit: '人',
		value: (r) => r.eldersCovered
	},
	{
		key: 'elders_covered_share',
		zh: '服务圈内老年人占比',
		en: 'Share of elders within the circle',
		unit: '%',
		value: (r) => r.eldersCoveredShare
	},
	...streetClassColumns,
	{
		key: 'required_m2',
		zh: '需配建面积',
		en: 'Required floor area',
		unit: 'm²',
		value: (r) => streetSum(r, r.requiredM2)
	},
	{
		key: 'provided_m2',
		zh: '已配建面积',
		en: 'Provided floor area',
		unit: 'm²',
		value: (r) => streetSum(r, r.providedM2)
	},
	{
		key: 'deficit_m2',
		zh: '缺口面积',
		en: 'Deficit',
		unit: 'm²',
		value: (r) => streetSum(r, r.deficitM2)
	},
	{
		key: 'areas_compliant',
		zh: '达标居住区',
		en: 'Areas compliant',
		unit: '个',
		value: (r) => r.areasCompliant
	},
	{
		key: 'areas_deficit',
		zh: '不足居住区',
		en: 'Areas with a deficit',
		unit: '个',
		value: (r) => r.areasDeficit
	},
	{
		key: 'areas_no_data',
		zh: '数据不全居住区',
		en: 'Areas without data',
		unit: '个',
		value: (r) => r.areasNoData
	},
	{
		key: 'areas_crowded',
		zh: '设施拥挤居住区',
		en: 'Areas crowded',
		unit: '个',
		value: (r) => r.areasCrowded
	},
	{
		key: 'center_facility_id',
		zh: '综合中心编号',
		en: 'Street centre ID',
		unit: null,
		value: (r) => r.center.facilityId
	},
	{
		key: 'center_name',
		zh: '综合中心名称',
		en: 'Street centre',
		unit: null,
		value: (r) => r.center.name
	},
	{
		key: 'center_floor_area_m2',
		zh: '综合中心面积',
		en: 'Street centre floor area',
		unit: 'm²',
		value: (r) => r.center.floorAreaM2
	},
	{
		key: 'center_min_floor_area_m2',
		zh: '综合中心面积下限',
		en: 'Street centre minimum',
		unit: 'm²',
		value: (r) => r.center.minFloorAreaM2
	},
	{
		key: 'center_meets_minimum',
		zh: '综合中心达标',
		en: 'Street centre meets the minimum',
		unit: null,
		value: (r) => r.center.meetsMinimum,
		display: (r) => yesNo(r.center.meetsMinimum)
	},
	{
		key: 'communities',
		zh: '社区（村）数',
		en: 'Communities / villages',
		unit: '个',
		value: (r) => r.communities?.total ?? null
	},
	{
		key: 'communities_with_station',
		zh: '有站点的社区（村）',
		en: 'Communities with a station',
		unit: '个',
		value: (r) => r.communities?.withStation ?? null
	},
	{
		key: 'communities_without_station',
		zh: '无站点的社区（村）数',
		en: 'Communities without a station',
		unit: '个',
		// Known only when stations could be counted (withStation not null).
		value: (r) =>
			r.communities && r.communities.withStation !== null
				? r.communities.withoutStation.length
				: null
	},
	{
		key: 'communities_without_station_list',
		zh: '无站点的社区（村）',
		en: 'Communities without a station (list)',
		unit: null,
		value: (r) =>
			r.communities && r.communities.withStation !== null
				? list(r.communities.withoutStation.map((c) => `${c.code} ${c.name}`))
				: null
	},
	{
		key: 'uses_estimate',
		zh: '含估算数据',
		en: 'Uses estimates',
		unit: null,
		value: (r) => r.usesEstimate,
		display: (r) => yesNo(r.usesEstimate)
	},
	{
		key: 'verdict',
		zh: '判定',
		en: 'Verdict',
		unit: null,
		value: (r) => r.verdict,
		display: (r) => LEVEL_VERDICT_ZH[r.verdict]
	},
	{
		key: 'rule_ids',
		zh: '依据规则',
		en: 'Rule ids',
		unit: null,
		value: (r) => ruleIdsOf(r.reasons)
	},
	{ key: 'reasons', zh: '判定理由', en: 'Reasons', unit: null, value: (r) => reasonsZh(r.reasons) }
];

// ---------------------------------------------------------------- districts

/** One row per district (`districts.csv`, sheet `区`). */
export const DISTRICT_COLUMNS: Column<DistrictRow>[] = [
	{ key: 'code', zh: '区县代码', en: 'District code', unit: null, value: (r) => r.code },
	{ key: 'name', zh: '区县', en: 'District', unit: null, value: (r) => r.name },
	{
		key: 'population',
		zh: '常住人口',
		en: 'Population',
		unit: '人',
		value: (r) => r.population
	},
	{ key: 'elders', zh: '老年人口', en: 'Elders (60+)', unit: '人', value: (r) => r.elders },
	{
		key: 'elders_source',
		zh: '老年人口来源',
		en: 'Elders from',
		unit: null,
		value: (r) => r.eldersSource,
		display: (r) => ELDERS_SOURCE_ZH[r.eldersSource]
	},
	{
		key: 'elders_estimated',
		zh: '老年人口为估算',
		en: 'Elders estimated',
		unit: null,
		value: (r) => r.eldersEstimated,
		display: (r) => yesNo(r.eldersEstimated)
	},
	{
		key: 'elders_covered',
		zh: '服务圈内老年人',
		en: 'Elders within the circle',
		unit: '人',
		value: (r) => r.eldersCovered
	},
	{
		key: 'elders_covered_share',
		zh: '服务圈内老年人占比',
		en: 'Share of elders within the circle',
		unit: '%',
		value: (r) => r.eldersCoveredShare
	},
	{
		key: 'required_land_m2',
		zh: '养老设施需用地',
		en: 'Required welfare land',
		unit: 'm²',
		value: (r) => r.requiredLandM2
	},
	{
		key: 'welfare_land_m2',
		zh: '养老设施已知用地',
		en: 'Known welfare land',
		unit: 'm²',
		value: (r) => r.welfareLandM2
	},
	{
		key: 'welfare_land_unknown_facilities',
		zh: '用地面积未知的设施',
		en: 'Facilities with unknown land',
		unit: '处',
		value: (r) => r.welfareLandUnknownCount
	},
	{
		key: 'land_per_elder_m2',
		zh: '人均养老用地',
		en: 'Welfare land per elder',
		unit: 'm²/人',
		value: (r) => r.landPerElderM2
	},
	{ key: 'beds', zh: '养老机构床位', en: 'Institution beds', unit: '张', value: (r) => r.beds },
	{
		key: 'nursing_beds',
		zh: '护理型床位',
		en: 'Nursing-type beds',
		unit: '张',
		value: (r) => r.nursingBeds
	},
	{
		key: 'nursing_bed_share',
		zh: '护理型床位占比',
		en: 'Nursing-type bed share',
		unit: '%',
		value: (r) => r.nursingBedShare
	},
	{ key: 'streets', zh: '街道数', en: 'Streets', unit: '个', value: (r) => r.streets },
	{
		key: 'streets_failing',
		zh: '不达标街道',
		en: 'Streets failing',
		unit: '个',
		value: (r) => r.streetsFailing
	},
	{
		key: 'deficit_m2',
		zh: '配建缺口',
		en: 'Floor-area deficit',
		unit: 'm²',
		value: (r) => r.deficitM2
	},
	{
		key: 'uses_estimate',
		zh: '含估算数据',
		en: 'Uses estimates',
		unit: null,
		value: (r) => r.usesEstimate,
		display: (r) => yesNo(r.usesEstimate)
	},
	{
		key: 'verdict',
		zh: '判定',
		en: 'Verdict',
		unit: null,
		value: (r) => r.verdict,
		display: (r) => LEVEL_VERDICT_ZH[r.verdict]
	},
	{
		key: 'rule_ids',
		zh: '依据规则',
		en: 'Rule ids',
		unit: null,
		value: (r) => ruleIdsOf(r.reasons)
	},
	{ key: 'reasons', zh: '判定理由', en: 'Reasons', unit: null, value: (r) => reasonsZh(r.reasons) }
];

// ---------------------------------------------------------------- facilities

/** One row per facility (`facilities.csv`, sheet `设施`). */
export const FACILITY_COLUMNS: Column<FacilityRow>[] = [
	{ key: 'id', zh: '编号', en: 'ID', unit: null, value: (r) => r.id },
	{ key: 'name', zh: '名称', en: 'Name', unit: null, value: (r) => r.name },
	{
		key: 'kind',
		zh: '类型',
		en: 'Kind',
		unit: null,
		value: (r) => r.kind,
		display: (r) => FACILITY_KIND_NAMES_ZH[r.kind]
	},
	{
		key: 'status',
		zh: '状态',
		en: 'Status',
		unit: null,
		value: (r) => r.status,
		display: (r) => FACILITY_STATUS_ZH[r.status]
	},
	{
		key: 'floor_area_m2',
		zh: '建筑面积',
		en: 'Floor area',
		unit: 'm²',
		value: (r) => r.floorAreaM2
	},
	{ key: 'land_area_m2', zh: '用地面积', en: 'Land area', unit: 'm²', value: (r) => r.landAreaM2 },
	{ key: 'beds', zh: '床位', en: 'Beds', unit: '张', value: (r) => r.beds },
	{
		key: 'nursing_beds',
		zh: '护理型床位',
		en: 'Nursing-type beds',
		unit: '张',
		value: (r) => r.nursingBeds
	},
	{
		key: 'estimated_fields',
		zh: '估算字段',
		en: 'Estimated fields',
		unit: null,
		value: (r) => list(r.estimatedFields)
	},
	...placeColumns<FacilityRow>(),
	{
		key: 'inside_area_id',
		zh: '所在居住区',
		en: 'Inside area',
		unit: null,
		value: (r) => r.insideAreaId
	},
	{
		key: 'counts_toward_areas',
		zh: '计入居住区配建',
		en: 'Counts toward areas',
		unit: null,
		value: (r) => r.countsTowardAreas,
		display: (r) => yesNo(r.countsTowardAreas)
	},
	{
		key: 'placed',
		zh: '已接入路网',
		en: 'On the network',
		unit: null,
		value: (r) => r.placed,
		display: (r) => yesNo(r.placed)
	},
	{
		key: 'snap_distance_m',
		zh: '接入距离',
		en: 'Snap distance',
		unit: 'm',
		value: (r) => r.snapDistanceM
	},
	{
		key: 'catchment_areas',
		zh: '服务圈内居住区',
		en: 'Areas within its circle',
		unit: '个',
		value: (r) => r.catchmentAreas
	},
	{
		key: 'elders_reached',
		zh: '服务老年人',
		en: 'Elders reached',
		unit: '人',
		value: (r) => r.eldersReached
	},
	{
		key: 'elders_only_here',
		zh: '仅此设施覆盖的老年人',
		en: 'Elders reached only here',
		unit: '人',
		value: (r) => r.eldersOnlyHere
	},
	{
		key: 'supply_m2_per_elder',
		zh: '人均供给面积',
		en: 'Floor area per elder in reach (2SFCA)',
		unit: 'm²/人',
		value: (r) => r.supplyM2PerElder
	},
	{
		key: 'rule_ids',
		zh: '依据规则',
		en: 'Rule ids',
		unit: null,
		value: (r) => ruleIdsOf(r.reasons)
	},
	{ key: 'reasons', zh: '说明', en: 'Reasons', unit: null, value: (r) => reasonsZh(r.reasons) }
];

// ---------------------------------------------------------------- headline figures

/** A sum over the residential areas: unknown (null) when there are none, never a made-up 0. */
const areaSum = (s: AnalysisSummary, value: number): number | null =>
	s.areas === 0 ? null : value;

/** The headline figures (`analysis.summary`), for the summary sheet and the HTML report. */
export const SUMMARY_COLUMNS: Column<AnalysisSummary>[] = [
	{ key: 'areas', zh: '居住区', en: 'Residential areas', unit: '个', value: (s) => s.areas },
	{
		key: 'areas_compliant',
		zh: '配建达标居住区',
		en: 'Areas compliant',
		unit: '个',
		value: (s) => s.areasCompliant
	},
	{
		key: 'areas_deficit',
		zh: '配建不足居住区',
		en: 'Areas with a deficit',
		unit: '个',
		value: (s) => s.areasDeficit
	},
	{
		key: 'areas_no_data',
		zh: '数据不全居住区',
		en: 'Areas without data',
		unit: '个',
		value: (s) => s.areasNoData
	},
	{
		key: 'areas_covered',
		zh: '服务圈内居住区',
		en: 'Areas within the circle',
		unit: '个',
		value: (s) => s.areasCovered
	},
	{
		key: 'areas_crowded',
		zh: '设施拥挤居住区',
		en: 'Areas crowded',
		unit: '个',
		value: (s) => s.areasCrowded
	},
	{
		key: 'households',
		zh: '居住区户数',
		en: 'Households in the areas',
		unit: '户',
		value: (s) => areaSum(s, s.households)
	},
	{
		key: 'elders',
		zh: '居住区老年人口',
		en: 'Elders in the areas',
		unit: '人',
		value: (s) => areaSum(s, s.elders)
	},
	{
		key: 'elders_covered',
		zh: '服务圈内老年人',
		en: 'Elders within the circle',
		unit: '人',
		value: (s) => s.eldersCovered
	},
	{
		key: 'elders_covered_share',
		zh: '服务圈内老年人占比',
		en: 'Share of elders within the circle',
		unit: '%',
		value: (s) => s.eldersCoveredShare
	},
	{
		key: 'required_m2',
		zh: '需配建面积',
		en: 'Required floor area',
		unit: 'm²',
		value: (s) => areaSum(s, s.requiredM2)
	},
	{
		key: 'provided_m2',
		zh: '已配建面积',
		en: 'Provided floor area',
		unit: 'm²',
		value: (s) => areaSum(s, s.providedM2)
	},
	{
		key: 'deficit_m2',
		zh: '缺口面积',
		en: 'Deficit',
		unit: 'm²',
		value: (s) => areaSum(s, s.deficitM2)
	},
	{ key: 'facilities', zh: '设施', en: 'Facilities', unit: '处', value: (s) => s.facilities },
	{ key: 'streets', zh: '街道', en: 'Streets', unit: '个', value: (s) => s.streets },
	{
		key: 'streets_failing',
		zh: '不达标街道',
		en: 'Streets failing',
		unit: '个',
		value: (s) => s.streetsFailing
	},
	{ key: 'districts', zh: '区县', en: 'Districts', unit: '个', value: (s) => s.districts },
	{
		key: 'districts_failing',
		zh: '不达标区县',
		en: 'Districts failing',
		unit: '个',
		value: (s) => s.districtsFailing
	},
	{
		key: 'uses_estimate',
		zh: '含估算数据',
		en: 'Uses estimates',
		unit: null,
		value: (s) => s.usesEstimate,
		display: (s) => yesNo(s.usesEstimate)
	}
];

// ---------------------------------------------------------------- profile, rules, checks

export const DOCUMENT_STATUS_ZH: Record<DocumentStatus, string> = zhOf(DOCUMENT_STATUS);
export const DOCUMENT_STATUS_EN: Record<DocumentStatus, string> = enOf(DOCUMENT_STATUS);

export const RULE_KIND_ZH: Record<RuleKind, string> = {
	facility_area_per_households: '居住区配建面积（每百户）',
	welfare_land_per_elder: '人均养老服务设施用地',
	service_circle: '15分钟养老服务圈',
	street_center_area: '街道（镇）综合养老服务中心面积',
	community_station_area: '社区养老服务设施面积',
	village_station_area: '村级养老服务站面积',
	nursing_bed_share: '护理型床位占比',
	social_workers: '社会工作者配备',
	station_coverage: '社区（村）养老服务站覆盖',
	service_objects: '服务对象',
	synchronous_delivery: '配建设施四同步',
	land_sale_precondition: '配建作为土地出让前置条件',
	family_care_beds: '家庭养老床位',
	special_visit_rate: '特殊困难老年人月探访率',
	ability_assessment: '老年人能力综合评估',
	meal_service_circle: '助餐服务圈'
};

export const RULE_KIND_EN: Record<RuleKind, string> = {
	facility_area_per_households: 'Care floor area per 100 households',
	welfare_land_per_elder: 'Welfare land per older resident',
	service_circle: '15-minute service circle',
	street_center_area: 'Street centre floor area',
	community_station_area: 'Community facility floor area',
	village_station_area: 'Village station floor area',
	nursing_bed_share: 'Nursing-type bed share',
	social_workers: 'Social workers',
	station_coverage: 'Station in every community / village',
	service_objects: 'Who is served',
	synchronous_delivery: 'Four synchronies of provision',
	land_sale_precondition: 'Provision before the land sale',
	family_care_beds: 'Family care beds',
	special_visit_rate: 'Monthly visits (special difficulty)',
	ability_assessment: 'Ability assessment',
	meal_service_circle: 'Meal-assistance circle'
};

export const CHECK_ZH: Record<CheckId, string> = {
	floor_area: '居住区配建面积',
	service_circle: '15分钟服务圈可达',
	pooling: '圈内统筹配建',
	capacity_2sfca: '设施容量（两步移动搜索）',
	street_center: '街道综合养老服务中心',
	station_coverage: '社区（村）站点覆盖',
	community_station_area: '社区养老服务站面积',
	elders_covered: '服务圈内老年人占比',
	welfare_land: '人均养老设施用地',
	nursing_beds: '护理型床位占比',
	social_workers: '社会工作者配备'
};

export const LEVEL_ZH: Record<AnalysisLevel, string> = zhOf(LEVEL);

const PARAM_ZH: Record<string, string> = {
	newRateM2Per100Households: '新建居住区每百户 (m²)',
	existingRateM2Per100Households: '已建成居住区每百户 (m²)',
	minSingleSiteM2: '单处（单个项目）最小面积 (m²)',
	poolingAllowed: '允许15分钟圈内统筹配建',
	excludesSharedAreas: '不计入分摊的共用建筑面积',
	minM2PerElder: '老年人人均用地下限 (m²/人)',
	byYear: '目标年份',
	maxMinutes: '服务圈 (分钟)',
	minFloorAreaM2: '最小建筑面积 (m²)',
	functions: '服务功能',
	typicalFloorAreaM2: '一般建筑面积 (m²)',
	minShare: '最低占比',
	perBeds: '每多少张机构床位配 1 名社工 (张)',
	perElders: '每多少名老年人配 1 名社工 (人)',
	units: '覆盖单元',
	facilityKinds: '站点类型',
	minAgeYears: '最低年龄 (岁)',
	classes: '服务对象类别',
	poolingOnly: '可统筹的小区',
	maxLandAreaM2: '“占地面积较小”上限 (m²)',
	statuses: '适用居住区',
	scope: '判定范围',
	onlyStreets: '仅适用于',
	stages: '同步环节'
};

const UNIT_ZH: Record<string, string> = { community: '社区', village: '行政村' };

function paramValueZh(key: string, value: unknown): string {
	if (value === null || value === undefined) return '无';
	if (typeof value === 'boolean') return value ? '是' : '否';
	if (key === 'minShare' && typeof value === 'number') return `${Math.round(value * 1000) / 10}%`;
	if (key === 'minSingleSiteM2' && typeof value === 'object') {
		const perStatus = value as Partial<Record<ResidentialStatus, number>>;
		return (['new', 'existing'] as const)
			.map((status) => `${RESIDENTIAL_STATUS_ZH[status]} ${perStatus[status] ?? '无'}`)
			.join('，');
	}
	if (key === 'scope') return value === 'city' ? '全市（按区域合计判定）' : '区县';
	if (key === 'onlyStreets' && typeof value === 'object') {
		const only = value as { codes: string[]; labelZh: string };
		return `${only.labelZh}（已列明 ${only.codes.length} 个街道（镇）代码）`;
	}
	if (key === 'poolingOnly' && typeof value === 'object') {
		const only = value as { maxLandAreaM2: number; statuses: ResidentialStatus[] };
		return `用地不超过 ${only.maxLandAreaM2} m² 的${only.statuses.map((status) => RESIDENTIAL_STATUS_ZH[status]).join('、')}小区`;
	}
	if (Array.isArray(value))
		return value
			.map((item: unknown) => {
				const text = String(item);
				if (key === 'statuses') return RESIDENTIAL_STATUS_ZH[text as ResidentialStatus] ?? text;
				if (key === 'units') return UNIT_ZH[text] ?? text;
				if (key === 'facilityKinds')
					return FACILITY_KIND_NAMES_ZH[text as keyof typeof FACILITY_KIND_NAMES_ZH] ?? text;
				if (key === 'classes') return ELDER_CLASS_NAMES_ZH[text as ElderClass] ?? text;
				return text;
			})
			.join('、');
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A rule's parameters in Chinese, one `name：value` per parameter.
 * @example ruleParamsZh(nursingRule); // '最低占比：70%；目标年份：2026'
 */
export function ruleParamsZh(rule: Rule): string {
	const params = Object.entries(rule.params as Record<string, unknown>).map(
		([key, value]) => `${PARAM_ZH[key] ?? key}：${paramValueZh(key, value)}`
	);
	if (rule.binding && rule.binding !== 'requirement')
		params.push(`约束性：${BINDING[rule.binding].zh}`);
	for (const choice of rule.interpretations ?? [])
		params.push(`解释（${choice.param}）：${choice.zh}`);
	return params.join('；');
}

/** Ids of the profile rules that some finding or skipped check of the analysis rests on. */
export function usedRuleIds(analysis: Analysis): Set<string> {
	const ids = new Set<string>();
	const add = (reasons: readonly CheckReason[]) => {
		for (const reason of reasons) if (reason.ruleId !== null) ids.add(reason.ruleId);
	};
	for (const area of analysis.areas) {
		add(area.reasons);
		for (const id of area.ruleIds) ids.add(id);
	}
	for (const row of [...analysis.facilities, ...analysis.streets, ...analysis.districts])
		add(row.reasons);
	for (const skipped of analysis.skipped) if (skipped.ruleId !== null) ids.add(skipped.ruleId);
	return ids;
}

// ---------------------------------------------------------------- notes shared by the writers

const LAYER_ZH: Record<string, string> = {
	boundaries: '行政区划',
	residential: '居住区',
	facilities: '设施',
	network: '路网'
};
const FIELD_ZH: Record<string, string> = {
	households: '户数',
	elders: '老年人口',
	population: '常住人口',
	floorAreaM2: '建筑面积',
	landAreaM2: '用地面积',
	beds: '床位',
	nursingBeds: '护理型床位'
};

export interface NoteLine {
	zh: string;
	en: string;
}

/** Persons in a note: grouped, as `toLocaleString('en-US')` writes them (up to 0.001). */
const GROUPED = intlNumberFormat('en-US');

/**
 * Which figures of the report are estimates, and how each was made (region.json `estimates`),
 * in both languages. Empty when nothing rests on an estimate.
 */
export function estimateNotes(analysis: Analysis, regionMeta: RegionMeta): NoteLine[] {
	const lines: NoteLine[] = [];
	const fieldCounts = new Map<string, number>();
	for (const area of analysis.areas)
		for (const field of area.estimatedFields)
			fieldCounts.set(field, (fieldCounts.get(field) ?? 0) + 1);
	for (const [field, count] of fieldCounts)
		lines.push({
			zh: `${analysis.areas.length} 个居住区中有 ${count} 个的${FIELD_ZH[field] ?? field}为估算值${field === 'households' ? '（由其计算的需配建面积和缺口面积也是估算）' : ''}`,
			en: `${field} of ${count} of ${analysis.areas.length} residential areas are estimates${field === 'households' ? ' (so are the required floor areas and deficits computed from them)' : ''}`
		});
	const facilityCounts = new Map<string, number>();
	for (const facility of analysis.facilities)
		for (const field of facility.estimatedFields)
			facilityCounts.set(field, (facilityCounts.get(field) ?? 0) + 1);
	for (const [field, count] of facilityCounts)
		lines.push({
			zh: `${count} 处设施的${FIELD_ZH[field] ?? field}为估算值`,
			en: `${field} of ${count} facilities are estimates`
		});
	for (const district of analysis.districts)
		if (district.eldersEstimated)
			lines.push({
				zh: `${district.name}的老年人口 ${district.elders === null ? '' : GROUPED.format(district.elders)} 人为估算值（由其计算的养老设施需用地也是估算）`,
				en: `Elders of ${district.name} (${district.elders ?? 'unknown'}) are an estimate, and so is the welfare land required from them`
			});
	if (lines.length === 0 && !analysis.summary.usesEstimate) return [];
	for (const method of Object.values(regionMeta.estimates ?? {}))
		lines.push({
			zh: `估算方法（${LAYER_ZH[method.layer] ?? method.layer} · ${FIELD_ZH[method.field] ?? method.field}，${method.count} 个要素）：${method.method}`,
			en: `Method (${method.layer}.${method.field}, ${method.count} features): ${method.methodEn ?? method.method}. Basis: ${method.basis}`
		});
	return lines;
}

/** OpenStreetMap data sources of the region (ODbL licence or an OSM attribution). */
export function osmSources(regionMeta: RegionMeta): RegionMeta['sources'] {
	return regionMeta.sources.filter(
		(source) =>
			/odbl/i.test(source.licence) ||
			/openstreetmap/i.test(source.attribution ?? '') ||
			/openstreetmap/i.test(source.title)
	);
}

/** The ODbL attribution OpenStreetMap asks for, as plain text. */
export const OSM_ATTRIBUTION =
	'© OpenStreetMap contributors（OpenStreetMap 贡献者），数据采用开放数据库许可 ODbL 1.0 / data available under the Open Database License: https://www.openstreetmap.org/copyright';
