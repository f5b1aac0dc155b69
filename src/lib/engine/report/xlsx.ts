/**
 * `report.xlsx` of the gap report (issue 4), written with exceljs (its browser build runs the
 * same code in the app). Sheets: 概况 (settings, profile, headline figures, estimates, checks that
 * could not run, data sources), 居住区, 街道, 区, 设施 (the columns of `columns.ts`: row 1 the
 * Chinese header with its unit and the English one as a cell note, numbers stored as numbers with
 * a number format, unknown left empty), 目标指标 (the targets, when `meta.targets` has rows) and
 * 适用规则 (every rule of the profile with its citation).
 *
 * Deterministic: the workbook's created/modified dates come from `meta.generatedAt`, and because
 * exceljs (through JSZip) stamps every zip entry with the current time, the package is re-zipped
 * with fflate with every entry dated `generatedAt` 00:00. Same analysis + meta → same bytes.
 *
 * At city scale (issue 17): the level sheets' rows do not go through exceljs's model; exceljs
 * writes their header rows and `spliceRows` (xlsx-rows.ts) adds the rows to its XML, the same
 * bytes as exceljs would write; entries over `XLSX_FAST_DEFLATE_BYTES` are deflated at level 1.
 *
 * exceljs's typings declare their own `Buffer` (as an ArrayBuffer) and reference Node's `stream`
 * only in signatures not used here, so this file type-checks under the engine tsconfig.
 */
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import type { Analysis } from '../analysis/types.ts';
import { planLabel, SEVERITY } from '../labels.ts';
import {
	AREA_COLUMNS,
	CHECK_ZH,
	DISTRICT_COLUMNS,
	DOCUMENT_STATUS_ZH,
	FACILITY_COLUMNS,
	LEVEL_ZH,
	RULE_KIND_ZH,
	STREET_COLUMNS,
	SUMMARY_COLUMNS,
	displayValue,
	estimateNotes,
	headerEn,
	headerZh,
	osmSources,
	OSM_ATTRIBUTION,
	ruleParamsZh,
	usedRuleIds,
	type CellValue,
	type Column
} from './columns.ts';
import type { ReportMeta } from './index.ts';
import type { TargetsResult } from '../targets/targets.ts';
import { groupedNumberLength, spliceRows, textWidth, type SheetRows } from './xlsx-rows.ts';
import { fflateDeflate, zipPackage, type Deflate } from './zip.ts';
import {
	NO_INDICATORS_NOTE,
	sortedTargetRows,
	TARGET_COLUMNS,
	targetCountsText
} from './targets.ts';

/** Excel number format by unit; text columns get none. */
function numberFormat(unit: string | null): string | undefined {
	switch (unit) {
		case 'm²':
			return '#,##0.00';
		case '%':
			return '0.0%';
		case 'min':
			return '0.0';
		case 'm²/人':
			return '0.000';
		case 'm':
		case '户':
		case '人':
		case '个':
		case '处':
		case '张':
			return '#,##0';
		default:
			return undefined;
	}
}

function widthOf(value: CellValue, unit: string | null): number {
	if (value === null) return 0;
	if (typeof value === 'number') {
		if (unit === '%') return 7;
		return groupedNumberLength(value) + 1;
	}
	return textWidth(String(value));
}

const HEADER_FILL: ExcelJS.Fill = {
	type: 'pattern',
	pattern: 'solid',
	fgColor: { argb: 'FFE8EEF4' }
};

/**
 * A level sheet: one header row (zh + unit, English note), one row per item. With `rowsInModel`
 * false the rows are not put into exceljs's model but returned, for `spliceRows` to write into
 * the package (the same bytes, a tenth of the time at 50,000 rows: see xlsx-rows.ts).
 */
function addTableSheet<Row>(
	workbook: ExcelJS.Workbook,
	name: string,
	rows: readonly Row[],
	columns: readonly Column<Row>[],
	frozenColumns: number,
	rowsInModel = true
): SheetRows | null {
	const sheet = workbook.addWorksheet(name, {
		views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1 }]
	});
	const header = sheet.getRow(1);
	columns.forEach((column, index) => {
		const cell = header.getCell(index + 1);
		cell.value = headerZh(column);
		cell.note = headerEn(column);
		cell.font = { bold: true };
		cell.fill = HEADER_FILL;
		cell.alignment = { vertical: 'middle', wrapText: true };
	});
	header.height = 32;
	const widths = columns.map((column) => Math.min(textWidth(headerZh(column)) / 1.6 + 2, 24));
	const values: CellValue[] = rowsInModel ? [] : new Array(rows.length * columns.length);
	rows.forEach((row, r) => {
		const sheetRow = rowsInModel ? sheet.getRow(r + 2) : null;
		columns.forEach((column, c) => {
			const value = displayValue(column, row);
			if (value === null || value === '') {
				if (!rowsInModel) values[r * columns.length + c] = null;
				return; // unknown or an empty list: an empty cell
			}
			if (sheetRow) sheetRow.getCell(c + 1).value = value;
			else values[r * columns.length + c] = value;
			if (widths[c] < 60)
				widths[c] = Math.max(widths[c], Math.min(widthOf(value, column.unit) + 2, 60));
		});
	});
	columns.forEach((column, index) => {
		const sheetColumn = sheet.getColumn(index + 1);
		sheetColumn.width = Math.max(8, Math.round(widths[index]));
		const format = numberFormat(column.unit);
		if (format) sheetColumn.numFmt = format;
	});
	if (columns.length)
		sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
	return rowsInModel
		? null
		: { path: `xl/worksheets/sheet${sheet.id}.xml`, columnCount: columns.length, values };
}

/**
 * The 目标指标 sheet: one row per target and place (overdue first), then, under a blank row, the
 * counts on the report's date and, without an indicator table, that the table is missing.
 */
function addTargetsSheet(workbook: ExcelJS.Workbook, targets: TargetsResult): void {
	const rows = sortedTargetRows(targets);
	addTableSheet(workbook, '目标指标', rows, TARGET_COLUMNS, 5);
	const sheet = workbook.getWorksheet('目标指标')!;
	const notes = [
		targetCountsText(targets),
		'On the report date; overdue = not reached after 31 December of the target year.',
		...(targets.hasIndicators ? [] : [NO_INDICATORS_NOTE.zh, NO_INDICATORS_NOTE.en])
	];
	notes.forEach((text, i) => (sheet.getRow(rows.length + 3 + i).getCell(1).value = text));
}

/** The 概况 sheet: label / value / unit lines in sections, then the skipped checks and sources. */
function addSummarySheet(workbook: ExcelJS.Workbook, analysis: Analysis, meta: ReportMeta): void {
	const sheet = workbook.addWorksheet('概况');
	sheet.columns = [{ width: 30 }, { width: 34 }, { width: 10 }, { width: 70 }, { width: 70 }];
	const { settings, profile, summary } = analysis;
	const bold = { bold: true };
	const section = (title: string) => {
		sheet.addRow([]);
		const row = sheet.addRow([title]);
		row.font = { bold: true, size: 12 };
	};
	const line = (label: string, value: CellValue, unit: string | null = null, note = '') => {
		const row = sheet.addRow([label, value, unit, note]);
		const format = numberFormat(unit);
		if (format && typeof value === 'number') row.getCell(2).numFmt = format;
		row.getCell(2).alignment = { horizontal: 'left' };
		return row;
	};

	const title = sheet.addRow([`${settings.regionName} 养老服务设施缺口分析报告`]);
	title.font = { bold: true, size: 14 };
	sheet.addRow([`Elderly-care gap report — ${meta.regionMeta.nameEn}`]);
	line('生成日期 Generated', meta.generatedAt);
	line('区域 Region', `${settings.regionName}（${settings.regionId}）`);
	if (meta.plan) {
		const plan = planLabel(meta.plan);
		line('规划方案 Plan', plan.zh, null, plan.en).font = bold;
	}

	section('规则集 Rule profile');
	line('规则集 Profile', `${profile.id} v${profile.version}`);
	line('适用地区 Jurisdiction', `${profile.jurisdiction.zh} / ${profile.jurisdiction.en}`);
	line('文件 Document', `《${profile.document.title}》`);
	line('文号 Number', profile.document.number ?? '无（未印文号）');
	line('发文机关 Issuer', profile.document.issuer);
	line('日期 Date', profile.document.date ?? profile.document.dateNote ?? '');
	line(
		'状态 Status',
		DOCUMENT_STATUS_ZH[profile.document.status],
		null,
		profile.document.note ?? ''
	);
	line(
		'老年人口径 Elders counted as',
		profile.elderDefinition.zh,
		null,
		profile.elderDefinition.en
	);

	section('分析设置 Settings');
	line('服务圈 Service circle', settings.maxMinutes, 'min', '步行时间 walking time');
	line('步行速度 Walking speed', settings.walkSpeedMps, 'm/s');
	line('台阶/路口附加时间 Step penalty', settings.stepPenaltyS, 's');
	line(
		'步行路网 Walking network',
		settings.networkAvailable ? '有' : '无',
		null,
		settings.networkAvailable
			? ''
			: '无路网：服务圈、统筹配建和容量核查未运行 / no network: circle, pooling and capacity checks not run'
	);

	section('主要数字 Headline figures');
	for (const column of SUMMARY_COLUMNS) {
		const value = displayValue(column, summary);
		line(
			`${column.zh} ${column.en}`,
			value,
			column.unit,
			value === null ? '未计算 not computed（无步行路网 / no walking network）' : ''
		);
	}

	const notes = estimateNotes(analysis, meta.regionMeta);
	if (notes.length) {
		section('估算说明 Estimates');
		sheet.addRow([
			'以下数字为估算值，不是官方统计数字 / these figures are estimates, not official counts'
		]).font = bold;
		for (const note of notes) sheet.addRow(['', note.zh, null, note.en]);
	}

	if (analysis.regionFindings.length) {
		// A city-wide (全市) target is judged on the region's total, not per district.
		section('全区域判定 Findings on the whole region');
		const head = sheet.addRow(['判定 Severity', '规则 Rule', null, '结论', 'Finding']);
		head.font = bold;
		head.eachCell((cell) => (cell.fill = HEADER_FILL));
		for (const finding of analysis.regionFindings) {
			const row = sheet.addRow([
				SEVERITY[finding.severity].zh,
				finding.ruleId ?? '—',
				null,
				finding.messageZh,
				finding.messageEn
			]);
			row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
			row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
		}
	}

	section('未能运行的核查 Checks that could not run');
	if (analysis.skipped.length === 0) sheet.addRow(['无 none']);
	else {
		const head = sheet.addRow([
			'核查 Check',
			'规则 Rule',
			'层级 Level',
			'原因',
			'Reason',
			'涉及对象 Subjects'
		]);
		head.font = bold;
		head.eachCell((cell) => (cell.fill = HEADER_FILL));
		for (const skipped of analysis.skipped) {
			const row = sheet.addRow([
				`${CHECK_ZH[skipped.check]}（${skipped.check}）`,
				skipped.ruleId ?? '—',
				LEVEL_ZH[skipped.level],
				skipped.reasonZh,
				skipped.reasonEn,
				skipped.subjects.length ? skipped.subjects.join(';') : '全部 all'
			]);
			row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
			row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
		}
	}

	section('数据来源 Data sources');
	for (const source of meta.regionMeta.sources)
		sheet.addRow([source.title, source.licence, null, source.origin, source.attribution ?? '']);
	if (osmSources(meta.regionMeta).length) sheet.addRow([OSM_ATTRIBUTION]);
	if (meta.regionMeta.notes.length) {
		section('数据说明 Data notes');
		for (const note of meta.regionMeta.notes)
			sheet.addRow(typeof note === 'string' ? ['', note] : ['', note.zh, null, note.en]);
	}
}

/** The 适用规则 sheet: every rule of the profile with its citation and whether it was used. */
function addRulesSheet(workbook: ExcelJS.Workbook, analysis: Analysis): void {
	const used = usedRuleIds(analysis);
	const sheet = workbook.addWorksheet('适用规则', {
		views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }]
	});
	sheet.columns = [
		{ header: '规则编号', width: 26 },
		{ header: '类型', width: 26 },
		{ header: '适用范围', width: 10 },
		{ header: '参数', width: 44 },
		{ header: '参数 (JSON)', width: 30 },
		{ header: '文件', width: 36 },
		{ header: '章节', width: 30 },
		{ header: '条款', width: 30 },
		{ header: '原文', width: 70 },
		{ header: '说明', width: 50 },
		{ header: '本报告引用', width: 12 }
	];
	const header = sheet.getRow(1);
	header.font = { bold: true };
	header.eachCell((cell) => {
		cell.fill = HEADER_FILL;
	});
	for (const rule of analysis.profile.rules) {
		const row = sheet.addRow([
			rule.id,
			`${RULE_KIND_ZH[rule.kind]}（${rule.kind}）`,
			rule.appliesTo ?? '',
			ruleParamsZh(rule),
			JSON.stringify(rule.params),
			`《${rule.citation.document}》`,
			rule.citation.section,
			rule.citation.clause,
			rule.citation.quote,
			rule.note ?? '',
			used.has(rule.id) ? '是' : '否'
		]);
		for (const column of [4, 9, 10])
			row.getCell(column).alignment = { wrapText: true, vertical: 'top' };
	}
}

/** `YYYY-MM-DD` → year, month, day (validated: the CLI and the app pass real dates). */
function dateParts(generatedAt: string): [number, number, number] {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(generatedAt);
	if (!match)
		throw new RangeError(`generatedAt ${JSON.stringify(generatedAt)}: expected YYYY-MM-DD`);
	return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Entries larger than this are deflated at level 1, not 6: a city's 居住区 sheet (55 MB of XML
 * at 50,000 compounds) took 3.4–5.2 s at level 6 and 1.1–2.1 s at level 1 with fflate on this
 * machine, for 9.4 MB instead of 7.3 MB. A district's workbook (entries of tens of kB) keeps
 * level 6 and its bytes.
 */
export const XLSX_FAST_DEFLATE_BYTES = 4 * 1024 * 1024;

/**
 * Re-zip a package with every entry dated `generatedAt` 00:00 (zip times are local wall-clock
 * fields, so a local-time Date gives the same bytes in every time zone), after `edit` changed
 * its entries; entries over `XLSX_FAST_DEFLATE_BYTES` with `deflateLarge`.
 */
function stampZip(
	bytes: Uint8Array,
	generatedAt: string,
	edit: (files: Record<string, Uint8Array>) => void,
	deflateLarge: Deflate = fflateDeflate
): Uint8Array {
	const [year, month, day] = dateParts(generatedAt);
	const mtime = new Date(Math.min(Math.max(year, 1980), 2099), month - 1, day);
	const files = unzipSync(bytes);
	edit(files);
	return zipPackage(files, {
		mtime,
		level: (_, data) => (data.length > XLSX_FAST_DEFLATE_BYTES ? 1 : 6),
		deflate: (data, level) =>
			data.length > XLSX_FAST_DEFLATE_BYTES ? deflateLarge(data, level) : fflateDeflate(data, level)
	});
}

/** Options of `reportXlsx`. */
export interface ReportXlsxOptions {
	/**
	 * Put the level sheets' rows into exceljs's model, as before issue 17: the same bytes, ten
	 * times slower at city scale. The tests compare the two ways; the app never sets it.
	 */
	rowsInModel?: boolean;
	/**
	 * Deflate for the package's entries over `XLSX_FAST_DEFLATE_BYTES` (raw deflate at the level
	 * given); default fflate, as for the smaller ones. The server passes Node's zlib (native, four
	 * times faster on a city's 居住区 sheet): then such a workbook's bytes are those of that zlib,
	 * the same for the download and `npm run analyze`; smaller workbooks do not change.
	 */
	deflateLarge?: Deflate;
}

/**
 * The report workbook.
 * @param analysis the gap analysis
 * @param meta `generatedAt` (YYYY-MM-DD: the document date, also stamped into the package) and
 *   the region's meta (sources, estimates, notes)
 * @param options `rowsInModel` (tests only, default false), `deflateLarge` (default fflate)
 * @returns the .xlsx file bytes
 * @throws {RangeError} when `generatedAt` is not YYYY-MM-DD
 * @example writeFileSync('report.xlsx', await reportXlsx(analysis, { generatedAt: '2026-11-22', regionMeta }));
 */
export async function reportXlsx(
	analysis: Analysis,
	meta: ReportMeta,
	options: ReportXlsxOptions = {}
): Promise<Uint8Array> {
	const [year, month, day] = dateParts(meta.generatedAt);
	const rowsInModel = options.rowsInModel ?? false;
	const workbook = new ExcelJS.Workbook();
	const stamp = new Date(Date.UTC(year, month - 1, day));
	workbook.creator = 'carecircle';
	workbook.lastModifiedBy = 'carecircle';
	workbook.created = stamp;
	workbook.modified = stamp;
	workbook.title = `${analysis.settings.regionName} 养老服务设施缺口分析报告`;
	workbook.subject = `${analysis.profile.id} v${analysis.profile.version}`;

	addSummarySheet(workbook, analysis, meta);
	const levels = [
		addTableSheet(workbook, '居住区', analysis.areas, AREA_COLUMNS, 2, rowsInModel),
		addTableSheet(workbook, '街道', analysis.streets, STREET_COLUMNS, 2, rowsInModel),
		addTableSheet(workbook, '区', analysis.districts, DISTRICT_COLUMNS, 2, rowsInModel),
		addTableSheet(workbook, '设施', analysis.facilities, FACILITY_COLUMNS, 2, rowsInModel)
	].filter((rows) => rows !== null);
	if (meta.targets?.rows.length) addTargetsSheet(workbook, meta.targets);
	addRulesSheet(workbook, analysis);
	const sheetPaths = workbook.worksheets.map((sheet) => `xl/worksheets/sheet${sheet.id}.xml`);

	// Stored, not deflated: stampZip inflates every entry and deflates it once more anyway, so the
	// bytes are the same and exceljs's deflate (a fifth of the writer's time at 50,000 areas) is saved.
	const written: unknown = await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } });
	// Node gives a Buffer (a Uint8Array), the browser build an ArrayBuffer-like buffer.
	const bytes = written instanceof Uint8Array ? written : new Uint8Array(written as ArrayBuffer);
	return stampZip(
		bytes,
		meta.generatedAt,
		(files) => {
			if (levels.length) spliceRows(files, sheetPaths, levels);
		},
		options.deflateLarge
	);
}
