/**
 * Indicator tables (issue 16): the yearly figures a bureau reports per street (街道/镇), district
 * (区/县) or institution (养老机构) — 护理型床位, 家庭养老床位, 社工人数, 月探访率 … — read from a
 * CSV or XLSX sheet into `IndicatorRow`s (region/indicators.ts), with every rejected value reported
 * the way the map-layer importers report theirs (file, row, field, value, reason, action).
 *
 *   bytes → readCsv / readXlsx → RawTable → columns (aliases below, or a column map)
 *         → per row: level (层级, or the code's length), the place (code or name, checked against
 *           the region's boundaries and facilities), 统计日期, 数据来源, the figures
 *         → IndicatorRow[] (validated with `indicatorRow`) + ImportIssue[]
 *
 * Wide format only: one row per place and date, one column per indicator. A blank cell is an
 * absent figure, never 0. Pure TypeScript: runs in a Web Worker and in Node.
 */
import {
	INDICATORS,
	INDICATOR_KEYS,
	indicatorRow,
	type IndicatorKey,
	type IndicatorLevel,
	type IndicatorRow
} from '../region/indicators.ts';
import { matchValue, normalizeHeader, normalizeValue } from './aliases.ts';
import { listRows, readCsv } from './csv.ts';
import { detectTableFormat } from './index.ts';
import type { RawTable } from './raw.ts';
import { ImportError, formatIssue, type ImportIssue } from './report.ts';
import { readXlsx } from './xlsx.ts';

// ---------------------------------------------------------------- headers and values

/** The columns of an indicator sheet that are not figures. */
export const INDICATOR_META_FIELDS = [
	'level',
	'code',
	'name',
	'parentStreet',
	'parentDistrict',
	'asOf',
	'source'
] as const;
export type IndicatorMetaField = (typeof INDICATOR_META_FIELDS)[number];
export type IndicatorField = IndicatorMetaField | IndicatorKey;

/** More spellings bureaus use for the figures, after the header of `INDICATORS`. */
const MORE_INDICATOR_HEADERS: Record<IndicatorKey, readonly string[]> = {
	nursingBeds: ['护理型床位数', '护理床位', '护理床位数'],
	beds: ['床位数', '总床位', '总床位数', '养老床位数', '机构床位数'],
	familyBeds: ['家庭养老床位数', '家庭照护床位'],
	socialWorkers: ['社会工作者', '社会工作者人数', '社工', '社工数'],
	specialElders: ['特殊困难老年人', '特殊困难老人数', '特殊困难老年人口'],
	visitRate: ['探访率', '月度探访率', '探访关爱率'],
	elders80: [
		'80周岁以上老年人数',
		'80岁及以上老年人数',
		'80周岁及以上老年人数',
		'80岁以上老人数',
		'80周岁以上老人数',
		'高龄老年人数',
		'高龄老人数'
	],
	assessed80: ['能力评估', '已评估人数', '老年人能力评估人数'],
	mealPoints: ['助餐点数', '助餐点数量', '助餐点个数']
};

/**
 * Field → header aliases, most specific first; the first alias names the field in messages.
 * Figures: the Chinese header of `INDICATORS`, more Chinese spellings, the key, the English label.
 * A code column holds a GB/T 2260 code, or the facility id for an institution.
 */
export const INDICATOR_FIELD_ALIASES: Record<IndicatorField, readonly string[]> = {
	level: ['层级', '级别', '统计层级', 'level'],
	code: [
		'代码',
		'编码',
		'区划代码',
		'行政区划代码',
		'统计用区划代码',
		'机构编号',
		'机构代码',
		'设施编号',
		'code',
		'id'
	],
	name: ['名称', '区划名称', '机构名称', '单位名称', 'name'],
	parentStreet: ['所属街道', '所属街道代码', '所属镇街', 'parentStreet'],
	parentDistrict: [
		'所属区县',
		'所属区县代码',
		'所属区',
		'上级代码',
		'上级区划代码',
		'parentCode',
		'parentDistrict'
	],
	asOf: ['统计日期', '截止日期', '数据日期', '统计时间', '日期', 'asOf', 'date'],
	source: ['数据来源', '来源', 'source'],
	...(Object.fromEntries(
		INDICATOR_KEYS.map((key) => [
			key,
			[INDICATORS[key].zh, ...MORE_INDICATOR_HEADERS[key], key, INDICATORS[key].en]
		])
	) as unknown as Record<IndicatorKey, readonly string[]>)
};

/** Spellings of the level column (层级). */
export const INDICATOR_LEVEL_VALUES: Record<IndicatorLevel, readonly string[]> = {
	street: ['街道', '镇', '乡', '乡镇', '街镇', '镇街', '街道办事处', 'street', 'town', 'township'],
	district: ['区县', '区', '县', '县级市', '市辖区', 'district', 'county'],
	institution: ['机构', '养老机构', '院', 'institution', 'facility']
};

/** `代码/code`: the first alias and the field, for messages. */
export function indicatorFieldLabel(field: IndicatorField): string {
	return `${INDICATOR_FIELD_ALIASES[field][0]}/${field}`;
}

const normalizedAliases = new Map<IndicatorField, string[]>(
	(Object.keys(INDICATOR_FIELD_ALIASES) as IndicatorField[]).map((field) => [
		field,
		INDICATOR_FIELD_ALIASES[field].map(normalizeHeader)
	])
);

/** Cells that mean "not known": empty, no issue (as map-layer.ts reads them). */
const EMPTY_TOKENS = new Set(['', '-', '--', '—', '——', '–', '无', '/', '\\', '暂无', 'n/a']);

function isEmptyValue(value: unknown): boolean {
	if (value === null || value === undefined) return true;
	return (
		typeof value === 'string' && EMPTY_TOKENS.has(value.normalize('NFKC').trim().toLowerCase())
	);
}

/** Text of a cell as written (names and sources keep their full-width brackets), trimmed; null when empty. */
function textOf(value: unknown): string | null {
	if (isEmptyValue(value)) return null;
	if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
	const text = String(value).trim();
	return text === '' ? null : text;
}

/** A code cell: NFKC (full-width digits), without spaces; null when empty. */
function codeOf(value: unknown): string | null {
	return textOf(value)?.normalize('NFKC').replace(/\s/g, '') || null;
}

type Parsed<T> = { value: T | null; problem?: string };

/** Unit words allowed after a count ("1200张", "35 人", "6处"). */
const COUNT_WITH_UNIT = /^(\d+(?:\.\d*)?|\.\d+)(?:张|床|人|名|位|处|个|所|家)?$/;

/**
 * A count as sheets write it: 1200, "1,200", "1 200", "1200张", "１２００". Blank → null, no problem.
 * @example parseIndicatorCount('1,200张').value // 1200
 */
export function parseIndicatorCount(value: unknown): Parsed<number> {
	if (isEmptyValue(value)) return { value: null };
	let n: number;
	if (typeof value === 'number') n = value;
	else {
		const text = String(value).normalize('NFKC').replace(/[\s,]/g, '');
		if (/^-\d/.test(text))
			return { value: null, problem: '负数 / negative: expected a count of 0 or more' };
		const match = COUNT_WITH_UNIT.exec(text);
		if (!match)
			return { value: null, problem: '不是数字 / not a number: expected a count such as 1200' };
		n = Number(match[1]);
	}
	if (!Number.isFinite(n))
		return { value: null, problem: '不是数字 / not a number: expected a count such as 1200' };
	if (n < 0) return { value: null, problem: '负数 / negative: expected a count of 0 or more' };
	if (!Number.isInteger(n))
		return { value: null, problem: '不是整数 / not a whole number: expected a count such as 1200' };
	return { value: n };
}

const SHARE_HINT = '写作 98% 或 0.98 / write 98% or 0.98';

/**
 * A share (月探访率) as 0–1: "98%", "98 %", "98％", 0.98, "0.98". A bare number above 1 is refused:
 * 98 could mean 98 % or 98 visits, so the sheet must say.
 * @example parseIndicatorShare('98 %').value // 0.98
 */
export function parseIndicatorShare(value: unknown): Parsed<number> {
	if (isEmptyValue(value)) return { value: null };
	let n: number;
	if (typeof value === 'number') n = value;
	else {
		const text = String(value).normalize('NFKC').replace(/\s/g, '');
		const percent = /^(\d+(?:\.\d*)?|\.\d+)%$/.exec(text);
		if (percent) {
			const share = Number(percent[1]) / 100;
			if (share > 1)
				return { value: null, problem: `超过 100% / above 100 %: ${SHARE_HINT}, at most 100%` };
			return { value: share };
		}
		if (!/^-?(\d+(?:\.\d*)?|\.\d+)$/.test(text))
			return { value: null, problem: `不是比例 / not a share: ${SHARE_HINT}` };
		n = Number(text);
	}
	if (!Number.isFinite(n)) return { value: null, problem: `不是比例 / not a share: ${SHARE_HINT}` };
	if (n < 0) return { value: null, problem: `负数 / negative: ${SHARE_HINT}` };
	if (n > 1)
		return {
			value: null,
			problem: `没有 % 的数大于 1 / a number above 1 without %: ${SHARE_HINT}`
		};
	return { value: n };
}

const pad = (n: number) => String(n).padStart(2, '0');

function calendarDate(year: number, month: number, day: number): string | null {
	if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
	const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (day > last) return null;
	return `${year}-${pad(month)}-${pad(day)}`;
}

function lastDayOf(year: number, month: number): string | null {
	if (month < 1 || month > 12) return null;
	return calendarDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
}

/** How a date cell was read when it was not a full calendar date. */
export type DateReading = 'month' | 'year' | 'excelSerial';

const DATE_EXPECTED =
	'不是日期 / not a date: expected YYYY-MM-DD (2025-12-31, 2025/12/31, 2025-12 or 2025年12月31日)';

/**
 * 统计日期 → YYYY-MM-DD: "2025-12-31", "2025/12/31", "2025.12.31", "20251231", "2025年12月31日",
 * a month ("2025-12", "2025年12月": its last day), a year ("2025", "2025年": 31 December), an
 * Excel date cell (read as YYYY-MM-DD by the XLSX reader) or an Excel date serial (46022).
 * @returns the date, how it was read when not written in full, or a problem
 * @example parseIndicatorDate('2025年12月').value // '2025-12-31'
 */
export function parseIndicatorDate(value: unknown): Parsed<string> & { reading?: DateReading } {
	if (isEmptyValue(value)) return { value: null };
	const fail = { value: null, problem: DATE_EXPECTED };
	if (typeof value === 'number') {
		if (!Number.isInteger(value)) return fail;
		if (value >= 19000101 && value <= 21001231)
			return ok(
				calendarDate(Math.floor(value / 10000), Math.floor(value / 100) % 100, value % 100)
			);
		if (value >= 1900 && value <= 2100) return ok(calendarDate(value, 12, 31), 'year');
		if (value >= 20000 && value <= 80000) {
			// Excel's serial day 1 is 1900-01-01 with the 1900 leap-year bug: day 0 is 1899-12-30.
			const date = new Date(Date.UTC(1899, 11, 30) + value * 86_400_000);
			return ok(date.toISOString().slice(0, 10), 'excelSerial');
		}
		return fail;
	}
	const text = String(value).normalize('NFKC').replace(/\s/g, '');
	let match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T[\d:.]+Z?)?$/.exec(text);
	if (match) return ok(calendarDate(Number(match[1]), Number(match[2]), Number(match[3])));
	match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (match) return ok(calendarDate(Number(match[1]), Number(match[2]), Number(match[3])));
	match = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(text);
	if (match) return ok(lastDayOf(Number(match[1]), Number(match[2])), 'month');
	match = /^(\d{4})年?(?:度|底|末)?$/.exec(text);
	if (match) return ok(calendarDate(Number(match[1]), 12, 31), 'year');
	return fail;

	function ok(date: string | null, reading?: DateReading) {
		if (date === null) return fail;
		return reading ? { value: date, reading } : { value: date };
	}
}

// ---------------------------------------------------------------- the region's places

/** The places an indicator row may describe: the caller reads them from the region. */
export interface IndicatorPlaces {
	/** The region's districts and streets that have a GB/T 2260 code (boundary features). */
	boundaries: { level: 'district' | 'street'; code: string; name: string }[];
	/** The region's facilities: an institution row's code is one of their ids. */
	facilities: { id: string; name: string }[];
}

/** Names as sheets write them: 中韩街道, 中韩, 中韩街道办事处 are one street; 崂山区 and 崂山 one district. */
function placeKey(name: string): string {
	return normalizeValue(name).replace(/(街道办事处|办事处|街道|镇|乡|新区|区|县|市)$/, '');
}

/**
 * Share of coded street and district rows belonging to no district of the region above which the
 * file is refused: a table of this region with a few stray rows is kept (each flagged); one mostly
 * elsewhere is another city's table.
 */
export const MAX_FOREIGN_SHARE = 0.5;

// ---------------------------------------------------------------- the import

export interface IndicatorImportOptions {
	/** The region's streets, districts and facilities: every row is checked against them. */
	places: IndicatorPlaces;
	/** File-wide 统计日期 / 数据来源 for a sheet without that column (or for its blank cells). */
	defaults?: { asOf?: string; source?: string };
	/** Field → source column, overriding the header aliases. */
	columnMap?: Record<string, string>;
	/** XLSX sheet name (default: the first sheet with data). */
	sheet?: string;
}

export interface IndicatorImportOutcome {
	file: string;
	format: 'csv' | 'xlsx';
	/** The valid rows, in file order. */
	rows: IndicatorRow[];
	/** The sheet row of each entry of `rows`. */
	sourceRows: number[];
	/** Data rows the sheet holds (blank rows not counted). */
	rowsRead: number;
	issues: ImportIssue[];
	/** Resolved field → source column. */
	columnMap: Record<string, string>;
	/** Columns no field uses (each also a warning). */
	unmappedColumns: string[];
}

function resolveColumns(raw: RawTable, explicit: Record<string, string>): Record<string, string> {
	const fields = Object.keys(INDICATOR_FIELD_ALIASES) as IndicatorField[];
	const resolved: Record<string, string> = {};
	const used = new Set<string>();
	for (const [field, column] of Object.entries(explicit)) {
		if (!(fields as string[]).includes(field))
			throw new ImportError(
				'MISSING_COLUMN',
				raw.file,
				`--map ${field}=${column}: "${field}" is not a field of an indicator table (fields: ${fields.join(', ')})`
			);
		if (!raw.fields.includes(column))
			throw new ImportError(
				'MISSING_COLUMN',
				raw.file,
				`--map ${field}=${column}: there is no column "${column}"; found columns: ${raw.fields.join(', ')}`
			);
		resolved[field] = column;
		used.add(column);
	}
	const normalized = raw.fields.map(normalizeHeader);
	for (const field of fields) {
		if (resolved[field] !== undefined) continue;
		const aliases = normalizedAliases.get(field)!;
		let best: { rank: number; column: string } | null = null;
		for (let i = 0; i < raw.fields.length; i++) {
			if (used.has(raw.fields[i])) continue;
			const rank = aliases.indexOf(normalized[i]);
			if (rank >= 0 && (best === null || rank < best.rank)) best = { rank, column: raw.fields[i] };
		}
		if (best) {
			resolved[field] = best.column;
			used.add(best.column);
		}
	}
	return resolved;
}

function missingColumn(raw: RawTable, field: IndicatorField, how: string): ImportError {
	return new ImportError(
		'MISSING_COLUMN',
		raw.file,
		`缺少"${INDICATOR_FIELD_ALIASES[field][0]}"列 / no column for "${indicatorFieldLabel(field)}" (expected one of: ${INDICATOR_FIELD_ALIASES[field].join(', ')}); found columns: ${raw.fields.join(', ') || '(none)'}; ${how}`
	);
}

function checkDefault(
	file: string,
	defaults: IndicatorImportOptions['defaults']
): { asOf?: string; source?: string } {
	const out: { asOf?: string; source?: string } = {};
	const asOf = defaults?.asOf?.trim();
	if (asOf) {
		const parsed = parseIndicatorDate(asOf);
		if (!parsed.value)
			throw new ImportError(
				'WRONG_STRUCTURE',
				file,
				`统计日期 "${asOf}" (the file-wide date given with the import): ${DATE_EXPECTED}`
			);
		out.asOf = parsed.value;
	}
	const source = defaults?.source?.trim();
	if (source) out.source = source;
	return out;
}

/**
 * Map a reader's table onto indicator rows.
 *
 * Per row: the level from 层级 (街道/区县/机构, street/district/institution), else from the code
 * (6 digits → district, 9 → street; an institution needs the level column); the place from its
 * code, or from its name among the region's streets and districts (or facilities); the parent
 * from 所属街道 / 所属区县 (a code or a name); 统计日期 and 数据来源 from their columns or the
 * defaults; each figure parsed (counts: whole numbers ≥ 0, "1,200" accepted; shares: "98%" or
 * 0.98). A bad figure is left out of the row ('rejected'); a row without a place, a date, a
 * source or any figure is skipped. A code of no street or district of the region is rejected; an
 * institution id that is no facility of the region is kept with a warning. A row repeating the
 * level, code and date of an earlier row is rejected, naming both rows.
 *
 * @param raw a table from `readCsv` or `readXlsx`
 * @param options the region's places, file-wide defaults (统计日期, 数据来源), a column map
 * @returns the rows, their sheet rows, every issue, the column map and the unused columns
 * @throws ImportError MISSING_COLUMN (no indicator column at all; no code or name column; no
 *   统计日期 / 数据来源 column and no default), WRONG_STRUCTURE (a default date that is not a
 *   date), OUTSIDE_REGION (most codes belong to no district of the region: another city's
 *   table), NO_USABLE_ROWS (every row rejected)
 * @example
 *   const { rows, issues } = mapIndicatorTable(readCsv(bytes, '指标.csv'), { places, defaults: { source: '区民政局' } });
 */
export function mapIndicatorTable(
	raw: RawTable,
	options: IndicatorImportOptions
): Omit<IndicatorImportOutcome, 'format'> {
	const file = raw.file;
	const columns = resolveColumns(raw, options.columnMap ?? {});
	const defaults = checkDefault(file, options.defaults);
	const figureKeys = INDICATOR_KEYS.filter((key) => columns[key] !== undefined);
	if (figureKeys.length === 0)
		throw new ImportError(
			'MISSING_COLUMN',
			file,
			`没有指标列 / no indicator column: expected at least one of ${INDICATOR_KEYS.map((key) => `${INDICATORS[key].zh} (${key})`).join(', ')}; found columns: ${raw.fields.join(', ') || '(none)'}. Is this an indicator table?`
		);
	if (columns.code === undefined && columns.name === undefined)
		throw missingColumn(raw, 'code', 'give each row its code (代码) or its name (名称)');
	if (columns.asOf === undefined && !defaults.asOf)
		throw missingColumn(
			raw,
			'asOf',
			'add a 统计日期 column (e.g. 2025-12-31) or give the date of the whole file (--as-of 2025-12-31)'
		);
	if (columns.source === undefined && !defaults.source)
		throw missingColumn(
			raw,
			'source',
			'add a 数据来源 column or give the source of the whole file (--source "区民政局 2025年统计")'
		);

	const issues: ImportIssue[] = [...raw.issues];
	const mapped = new Set(Object.values(columns));
	const unmappedColumns = raw.fields.filter((column) => !mapped.has(column));
	for (const column of unmappedColumns)
		issues.push({
			file,
			row: 0,
			rowKind: raw.rowKind,
			field: column,
			value: undefined,
			reason: `未知的列，已忽略 / unknown column, ignored: "${column}" is no field of an indicator table (figures: ${INDICATOR_KEYS.map((key) => INDICATORS[key].zh).join('、')}); map it with --map <field>=${column} if it holds one`,
			action: 'warning'
		});

	const { boundaries, facilities } = options.places;
	const checkPlaces = boundaries.length > 0;
	if (!checkPlaces)
		issues.push({
			file,
			row: 0,
			rowKind: raw.rowKind,
			field: columns.code ?? '',
			value: undefined,
			reason:
				'区域没有带代码的街道或区县边界，代码未核对 / the region has no street or district boundaries with a code: codes were not checked against it',
			action: 'warning'
		});
	const byCode = new Map(boundaries.map((place) => [`${place.level}|${place.code}`, place]));
	const districtCodes = new Set(
		boundaries.filter((p) => p.level === 'district').map((p) => p.code)
	);
	const hasStreets = boundaries.some((place) => place.level === 'street');
	const facilityIds = new Map(facilities.map((f) => [f.id, f]));
	const placesNamed = (level: 'street' | 'district', name: string) =>
		boundaries.filter((p) => p.level === level && placeKey(p.name) === placeKey(name));
	const facilitiesNamed = (name: string) =>
		facilities.filter((f) => normalizeValue(f.name) === normalizeValue(name));
	const districtList = () =>
		boundaries
			.filter((p) => p.level === 'district')
			.map((p) => `${p.code} ${p.name}`)
			.join('、');
	const streetList = () =>
		boundaries
			.filter((p) => p.level === 'street')
			.map((p) => `${p.code} ${p.name}`)
			.join('、');

	const rows: IndicatorRow[] = [];
	const sourceRows: number[] = [];
	const firstRowOf = new Map<string, number>();
	const readings: Record<DateReading, number[]> = { month: [], year: [], excelSerial: [] };
	const inferredLevel: number[] = [];
	/** Coded street/district rows, and those whose code lies in no district of the region. */
	let coded = 0;
	const foreign: { row: number; code: string }[] = [];

	for (const record of raw.records) {
		const rowIssues: ImportIssue[] = [];
		const note = (field: string, value: unknown, reason: string, action: ImportIssue['action']) =>
			rowIssues.push({ file, row: record.row, rowKind: raw.rowKind, field, value, reason, action });
		const cell = (field: IndicatorField): unknown =>
			columns[field] === undefined ? undefined : record.properties[columns[field]];
		const columnOf = (field: IndicatorField) => columns[field] ?? field;
		const skip = (field: IndicatorField, value: unknown, reason: string) => {
			note(columnOf(field), value ?? null, `${reason}; row skipped`, 'rejected');
			issues.push(...rowIssues);
		};

		let code = codeOf(cell('code'));
		let name = textOf(cell('name'));

		// ---- level: the column, else the code's length
		const levelValue = cell('level');
		let level: IndicatorLevel | null = null;
		if (!isEmptyValue(levelValue)) {
			level = matchValue(INDICATOR_LEVEL_VALUES, levelValue);
			if (!level) {
				skip(
					'level',
					levelValue,
					'未知层级 / unknown level: expected 街道 (street), 区县 (district) or 机构 (institution)'
				);
				continue;
			}
		} else if (code && /^\d{6}$/.test(code)) level = 'district';
		else if (code && /^\d{9}(000)?$/.test(code)) level = 'street';
		else if (!code && name && checkPlaces) {
			const named = [...placesNamed('street', name), ...placesNamed('district', name)];
			if (named.length === 1) level = named[0].level;
		}
		if (!level) {
			skip(
				'level',
				levelValue ?? null,
				code
					? `无法判断层级 / cannot tell the level of code "${code}": a 6-digit code is a district, a 9-digit code a street; an institution needs a 层级 column saying 机构`
					: '无法判断层级 / cannot tell the level: give 层级 (街道/区县/机构) or a 6- or 9-digit code'
			);
			continue;
		}
		if (isEmptyValue(levelValue)) inferredLevel.push(record.row);

		// ---- the place
		if (level === 'institution') {
			if (!code && name) {
				const named = facilitiesNamed(name);
				if (named.length === 1) {
					code = named[0].id;
					note(
						columnOf('code'),
						name,
						`编号取自设施名称 / facility id taken from the name: "${name}" is facility ${code}`,
						'repaired'
					);
				}
			}
			if (!code) {
				skip(
					'code',
					cell('code') ?? null,
					`缺少机构编号 / no facility id: an institution row needs the id of its facility${name ? ` ("${name}" is no facility of the region)` : ''}`
				);
				continue;
			}
			const facility = facilityIds.get(code);
			if (facility) name ??= facility.name;
			else
				note(
					columnOf('code'),
					code,
					`不是本区域的设施 / not a facility of the region: no facility has the id "${code}"${facilities.length ? '' : ' (the region has no facilities)'}; row kept, but it is tied to no facility on the map`,
					'warning'
				);
		} else {
			const what = level === 'street' ? '街道 street' : '区县 district';
			if (code) {
				if (level === 'street' && /^\d{12}$/.test(code) && code.endsWith('000')) {
					note(
						columnOf('code'),
						code,
						`12 位代码读作街道代码 / 12-digit code read as the street code ${code.slice(0, 9)}`,
						'repaired'
					);
					code = code.slice(0, 9);
				}
				const digits = level === 'street' ? 9 : 6;
				if (!new RegExp(`^\\d{${digits}}$`).test(code)) {
					skip(
						'code',
						cell('code'),
						`代码位数不对 / wrong code: a ${what} code has ${digits} digits (GB/T 2260)`
					);
					continue;
				}
			} else if (name && checkPlaces) {
				const named = placesNamed(level, name);
				if (named.length === 1) {
					code = named[0].code;
					note(
						columnOf('code'),
						name,
						`代码取自名称 / code taken from the name: "${name}" is ${what} ${code}`,
						'repaired'
					);
				} else {
					skip(
						'name',
						name,
						`不是本区域的${level === 'street' ? '街道' : '区县'} / "${name}" is no ${level} of the region (${level === 'street' ? streetList() || 'the region has no street boundaries' : districtList()}), and the row has no code`
					);
					continue;
				}
			} else {
				skip('code', null, `缺少代码 / no code: a ${what} row needs its GB/T 2260 code`);
				continue;
			}
			if (checkPlaces) {
				const place = byCode.get(`${level}|${code}`);
				const inDistrict =
					level === 'street' ? districtCodes.has(code.slice(0, 6)) : districtCodes.has(code);
				if (cell('code') !== undefined && !isEmptyValue(cell('code'))) {
					coded++;
					if (!place && !inDistrict) foreign.push({ row: record.row, code });
				}
				if (place) {
					if (name && placeKey(name) !== placeKey(place.name))
						note(
							columnOf('name'),
							name,
							`名称与代码不符 / the name differs from the region's: code ${code} is "${place.name}" in the region; kept as the sheet writes it`,
							'warning'
						);
					name ??= place.name;
				} else if (level === 'street' && inDistrict && !hasStreets) {
					note(
						columnOf('code'),
						code,
						`区域没有街道边界面 / the region has no street polygons: street ${code} lies in district ${code.slice(0, 6)} of the region; kept for the tables, not drawn on the map`,
						'warning'
					);
				} else {
					skip(
						'code',
						code,
						level === 'street'
							? `不是本区域的街道 / not a street of the region: ${code}${inDistrict ? ` lies in district ${code.slice(0, 6)} but outside the region's streets` : ''} (streets: ${streetList() || 'none'})`
							: `不是本区域的区县 / not a district of the region: ${code} (districts: ${districtList()})`
					);
					continue;
				}
			}
		}
		if (!name) {
			skip('name', null, `缺少名称 / no name: give the ${level}'s name (名称)`);
			continue;
		}

		// ---- parent (所属街道 › 所属区县): a code or a name of the region
		let parentCode: string | undefined;
		const parentField: IndicatorField | null = !isEmptyValue(cell('parentStreet'))
			? 'parentStreet'
			: !isEmptyValue(cell('parentDistrict'))
				? 'parentDistrict'
				: null;
		if (parentField) {
			const written = codeOf(cell(parentField))!;
			const parentLevel = parentField === 'parentStreet' ? 'street' : 'district';
			let parent: string | null = null;
			if (/^\d{6}$|^\d{9}$/.test(written)) parent = written;
			else if (/^\d{9}000$/.test(written)) parent = written.slice(0, 9);
			else if (checkPlaces) {
				// The column's level first; a street written under 所属区县 is still that street.
				const own = placesNamed(parentLevel, written);
				const other = placesNamed(parentLevel === 'street' ? 'district' : 'street', written);
				const named = own.length > 0 ? own : other;
				if (named.length === 1) parent = named[0].code;
			}
			if (parent === null)
				note(
					columns[parentField],
					written,
					`所属${parentLevel === 'street' ? '街道' : '区县'}未识别 / parent not recognised: "${written}" is neither a code nor a ${parentLevel} name of the region; left empty`,
					'warning'
				);
			else if (
				checkPlaces &&
				!byCode.has(`${parent.length === 9 ? 'street' : 'district'}|${parent}`) &&
				!(parent.length === 9 && !hasStreets && districtCodes.has(parent.slice(0, 6)))
			)
				note(
					columns[parentField],
					written,
					`所属地区不在本区域 / parent ${parent} is no place of the region; kept as written`,
					'warning'
				);
			if (parent !== null) parentCode = parent;
		}

		// ---- date and source
		const dateCell = cell('asOf');
		let asOf: string | null = null;
		if (!isEmptyValue(dateCell)) {
			const parsed = parseIndicatorDate(dateCell);
			if (parsed.problem) {
				skip('asOf', dateCell, parsed.problem);
				continue;
			}
			asOf = parsed.value;
			if (parsed.reading) readings[parsed.reading].push(record.row);
		} else asOf = defaults.asOf ?? null;
		if (!asOf) {
			skip(
				'asOf',
				null,
				'缺少统计日期 / no date: every figure needs the date it describes (统计日期, e.g. 2025-12-31)'
			);
			continue;
		}
		const source = textOf(cell('source')) ?? defaults.source ?? null;
		if (!source) {
			skip('source', null, '缺少数据来源 / no source: say where the figures come from (数据来源)');
			continue;
		}

		// ---- figures
		const values: IndicatorRow['values'] = {};
		for (const key of figureKeys) {
			const value = cell(key);
			const parsed =
				INDICATORS[key].kind === 'share' ? parseIndicatorShare(value) : parseIndicatorCount(value);
			if (parsed.problem)
				note(
					columns[key],
					value,
					`${parsed.problem} (${INDICATORS[key].zh}, ${INDICATORS[key].unit}); left out`,
					'rejected'
				);
			else if (parsed.value !== null) values[key] = parsed.value;
		}
		if (Object.keys(values).length === 0) {
			const bad = rowIssues.some((issue) => issue.action === 'rejected');
			skip(
				figureKeys[0],
				undefined,
				bad
					? '没有可用的指标值 / no usable figure in this row'
					: '没有指标值 / no figure: every indicator cell of this row is blank'
			);
			continue;
		}

		const parsed = indicatorRow.safeParse({
			level,
			code,
			name,
			...(parentCode ? { parentCode } : {}),
			asOf,
			source,
			values
		});
		if (!parsed.success) {
			const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
			note(
				'',
				undefined,
				`不符合指标表格式 / does not fit the indicator row (${detail}); row skipped`,
				'rejected'
			);
			issues.push(...rowIssues);
			continue;
		}

		// ---- one row per level, code and date
		const key = `${level}|${code}|${asOf}`;
		const earlier = firstRowOf.get(key);
		if (earlier !== undefined) {
			note(
				columnOf('code'),
				code,
				`重复记录 / duplicate row: rows ${earlier} and ${record.row} both give ${level} ${code} on ${asOf}; the later row is skipped — keep one row per place and date`,
				'rejected'
			);
			issues.push(...rowIssues);
			continue;
		}
		firstRowOf.set(key, record.row);
		issues.push(...rowIssues);
		rows.push(parsed.data);
		sourceRows.push(record.row);
	}

	const fileNote = (
		list: number[],
		field: string,
		reason: string,
		action: ImportIssue['action']
	) => {
		if (list.length > 0)
			issues.push({
				file,
				row: list[0],
				rowKind: raw.rowKind,
				field,
				value: undefined,
				reason: `${reason} (rows ${listRows(list)})`,
				action
			});
	};
	const dateColumn = columns.asOf ?? 'asOf';
	fileNote(
		readings.month,
		dateColumn,
		'统计日期只有年月，按该月最后一天 / a date gives only the month: read as the last day of that month',
		'repaired'
	);
	fileNote(
		readings.year,
		dateColumn,
		'统计日期只有年份，按 12 月 31 日 / a date gives only the year: read as 31 December',
		'repaired'
	);
	fileNote(
		readings.excelSerial,
		dateColumn,
		'Excel 日期序号已换算 / Excel date serial numbers read as dates',
		'repaired'
	);
	fileNote(
		inferredLevel,
		columns.level ?? 'level',
		'层级按代码位数判断 / level inferred from the code (6 digits → district, 9 → street)',
		'warning'
	);

	if (coded > 0 && foreign.length / coded > MAX_FOREIGN_SHARE) {
		const prefixes = new Map<string, number>();
		for (const { code } of foreign)
			prefixes.set(code.slice(0, 6), (prefixes.get(code.slice(0, 6)) ?? 0) + 1);
		const common = [...prefixes].sort((a, b) => b[1] - a[1])[0][0];
		throw new ImportError(
			'OUTSIDE_REGION',
			file,
			`${foreign.length} of ${coded} codes belong to no district of the region (districts: ${districtList()}); most lie in district ${common} (rows ${listRows(foreign.map((f) => f.row))}): 可能是其他城市或区县的指标表 / this looks like another city's or district's table. 导入已拒绝，区域未改动 / Import refused; the region is unchanged.`,
			issues
		);
	}
	if (rows.length === 0) {
		const examples = issues
			.filter((issue) => issue.action === 'rejected')
			.slice(0, 3)
			.map(formatIssue)
			.join(' | ');
		throw new ImportError(
			'NO_USABLE_ROWS',
			file,
			`no usable rows: ${raw.records.length === 0 ? 'the file has no data rows' : `all ${raw.records.length} rows were rejected`}${examples ? ` (${examples})` : ''}`,
			issues
		);
	}
	return {
		file,
		rows,
		sourceRows,
		rowsRead: raw.records.length,
		issues,
		columnMap: columns,
		unmappedColumns
	};
}

/**
 * Read an indicator table (CSV or XLSX) from its bytes.
 * @param file the file name as the user knows it (every message names it)
 * @param bytes the file's content
 * @param options the region's places, defaults, column map, sheet
 * @throws ImportError UNSUPPORTED_FORMAT (not .csv / .xlsx), UNREADABLE_FILE, and every error of
 *   `mapIndicatorTable`
 * @example
 *   const outcome = await importIndicatorFile('2025年指标.xlsx', bytes, { places, defaults: { asOf: '2025-12-31' } });
 */
export async function importIndicatorFile(
	file: string,
	bytes: Uint8Array,
	options: IndicatorImportOptions
): Promise<IndicatorImportOutcome> {
	if (bytes.length === 0) throw new ImportError('UNREADABLE_FILE', file, 'is empty (0 bytes)');
	const format = detectTableFormat(file, bytes);
	if (format !== 'csv' && format !== 'xlsx')
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			`is ${format === 'geojson' ? 'GeoJSON' : 'a Shapefile'}: an indicator table is a sheet (.xlsx or .csv) with one row per street, district or institution`
		);
	const raw =
		format === 'csv' ? readCsv(bytes, file) : await readXlsx(bytes, file, { sheet: options.sheet });
	return { format, ...mapIndicatorTable(raw, options) };
}

// ---------------------------------------------------------------- merging into the region

/** What an import does to the region's table. */
export interface IndicatorMerge {
	rows: IndicatorRow[];
	/** Rows in the table before and after. */
	before: number;
	after: number;
	/** Rows of the file that are new, and those that replace a row of the same level, code and date. */
	added: number;
	replaced: number;
	/** Rows of the table the file does not touch (other places or dates), kept as they are. */
	kept: number;
}

const rowKey = (row: IndicatorRow) => `${row.level}|${row.code}|${row.asOf}`;

/**
 * The region's table after an import: a row of the file replaces the row of the same level,
 * code and date (in place); every other row is kept, so a bureau can import one year at a time.
 * @example mergeIndicatorRows(rows2024, rows2025).after // rows2024.length + rows2025.length
 */
export function mergeIndicatorRows(
	existing: readonly IndicatorRow[],
	incoming: readonly IndicatorRow[]
): IndicatorMerge {
	const fresh = new Map(incoming.map((row) => [rowKey(row), row]));
	const out: IndicatorRow[] = [];
	let replaced = 0;
	for (const row of existing) {
		const key = rowKey(row);
		const next = fresh.get(key);
		if (next) {
			out.push(next);
			fresh.delete(key);
			replaced++;
		} else out.push(row);
	}
	out.push(...fresh.values());
	return {
		rows: out,
		before: existing.length,
		after: out.length,
		added: fresh.size,
		replaced,
		kept: existing.length - replaced
	};
}

/** The indicator file as stored (`indicators.json`): one row per line, so diffs stay readable. */
export function stringifyIndicatorRows(rows: readonly IndicatorRow[]): string {
	if (rows.length === 0) return '[]\n';
	return `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`;
}
