/**
 * `report.xlsx` (issue 4) read back with exceljs: the six sheets, Chinese headers with units,
 * numbers stored as numbers equal to the CSV, unknown as empty cells, a formula-looking name kept
 * as plain text, every rule of the profile cited, every skipped check listed — and the same bytes
 * for the same analysis whatever the clock says.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Analysis } from '../../../src/lib/engine/analysis/types.ts';
import {
	AREA_COLUMNS,
	DISTRICT_COLUMNS,
	FACILITY_COLUMNS,
	STREET_COLUMNS,
	headerZh,
	type Column
} from '../../../src/lib/engine/report/columns.ts';
import { analysisCsvFiles } from '../../../src/lib/engine/report/csv.ts';
import type { ReportMeta } from '../../../src/lib/engine/report/index.ts';
import { reportXlsx } from '../../../src/lib/engine/report/xlsx.ts';
import {
	groupedNumberLength,
	textWidth,
	xmlText
} from '../../../src/lib/engine/report/xlsx-rows.ts';
import {
	FORMULA_NAME,
	bareLaoshanAnalysis,
	laoshanAnalysis,
	laoshanMeta
} from './fixtures/analysis.ts';

const META: ReportMeta = { generatedAt: '2026-11-22', regionMeta: laoshanMeta };

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes.slice().buffer as ArrayBuffer);
	return workbook;
}

function csvRows(text: string): Record<string, string>[] {
	return Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true })
		.data;
}

/** Header texts of row 1, as a dense array (exceljs `row.values` has a hole at index 0). */
function headerOf(sheet: ExcelJS.Worksheet): string[] {
	const texts: string[] = [];
	sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
		texts[column - 1] = String(cell.value ?? '');
	});
	return texts;
}

describe('reportXlsx on a Laoshan analysis with areas, facilities and walking times', () => {
	const analysis = laoshanAnalysis();
	const csv = analysisCsvFiles(analysis);
	let bytes: Uint8Array;
	let workbook: ExcelJS.Workbook;
	beforeAll(async () => {
		bytes = await reportXlsx(analysis, META);
		workbook = await load(bytes);
	});

	it('is a zip with the six sheets in order', () => {
		expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // "PK"
		expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
			'概况',
			'居住区',
			'街道',
			'区',
			'设施',
			'适用规则'
		]);
	});

	it('stamps the workbook with the report date, not the clock', () => {
		expect(workbook.created.toISOString()).toBe('2026-11-22T00:00:00.000Z');
		expect(workbook.modified.toISOString()).toBe('2026-11-22T00:00:00.000Z');
	});

	const levels: [
		string,
		keyof ReturnType<typeof analysisCsvFiles>,
		keyof Analysis,
		Column<never>[]
	][] = [
		['居住区', 'areas.csv', 'areas', AREA_COLUMNS as Column<never>[]],
		['街道', 'streets.csv', 'streets', STREET_COLUMNS as Column<never>[]],
		['区', 'districts.csv', 'districts', DISTRICT_COLUMNS as Column<never>[]],
		['设施', 'facilities.csv', 'facilities', FACILITY_COLUMNS as Column<never>[]]
	];

	it('puts the Chinese headers with units in row 1, frozen, with an English note', () => {
		const areas = workbook.getWorksheet('居住区')!;
		const header = headerOf(areas);
		expect(header).toEqual(AREA_COLUMNS.map(headerZh));
		expect(header).toContain('需配建面积 (m²)');
		expect(header).toContain('户数 (户)');
		const required = header.indexOf('需配建面积 (m²)') + 1;
		expect(areas.getRow(1).getCell(required).note).toBe('Required floor area (m²)');
		expect(areas.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 2 });
		expect(areas.getColumn(required).numFmt).toBe('#,##0.00');
		for (const [sheetName, , , columns] of levels)
			expect(headerOf(workbook.getWorksheet(sheetName)!)).toEqual(columns.map(headerZh));
	});

	it('stores every number as a number equal to the CSV, and unknown as an empty cell', () => {
		let numbers = 0;
		for (const [sheetName, file, level, columns] of levels) {
			const sheet = workbook.getWorksheet(sheetName)!;
			const rows = csvRows(csv[file]);
			expect(sheet.rowCount, sheetName).toBe((analysis[level] as unknown[]).length + 1);
			rows.forEach((csvRow, index) => {
				columns.forEach((column, c) => {
					const cell = sheet.getRow(index + 2).getCell(c + 1);
					const text = csvRow[column.key];
					if (text === '') expect(cell.value ?? null, `${sheetName} ${column.key}`).toBeNull();
					else if (column.unit !== null && /^-?\d/.test(text)) {
						expect(cell.type, `${sheetName} ${column.key}`).toBe(ExcelJS.ValueType.Number);
						expect(cell.value).toBe(Number(text));
						numbers += 1;
					}
				});
			});
		}
		expect(numbers).toBeGreaterThan(100);
	});

	it('shows coded values in Chinese and keeps a formula-looking name as plain text', () => {
		const areas = workbook.getWorksheet('居住区')!;
		const header = headerOf(areas);
		const col = (zh: string) => header.indexOf(zh) + 1;
		const first = areas.getRow(2);
		expect(first.getCell(col('名称')).type).toBe(ExcelJS.ValueType.String);
		expect(first.getCell(col('名称')).value).toBe(FORMULA_NAME);
		expect(first.getCell(col('判定')).value).toBe('达标');
		expect(first.getCell(col('建设状态')).value).toBe('已建成');
		expect(first.getCell(col('在服务圈内')).value).toBe('是');
		expect(areas.getRow(3).getCell(col('在服务圈内')).value).toBe('否');
		expect(areas.getRow(5).getCell(col('判定')).value).toBe('数据不全');
		const streets = workbook.getWorksheet('街道')!;
		const shareColumn = headerOf(streets).indexOf('服务圈内老年人占比 (%)') + 1;
		expect(streets.getColumn(shareColumn).numFmt).toBe('0.0%');
		expect(streets.getRow(2).getCell(shareColumn).value).toBeCloseTo(400 / 710, 12);
	});

	it('cites every rule of the profile in 适用规则', () => {
		const sheet = workbook.getWorksheet('适用规则')!;
		expect(headerOf(sheet).slice(0, 4)).toEqual(['规则编号', '类型', '适用范围', '参数']);
		const header = headerOf(sheet);
		const quoteColumn = header.indexOf('原文') + 1;
		const clauseColumn = header.indexOf('条款') + 1;
		const usedColumn = header.indexOf('本报告引用') + 1;
		expect(sheet.rowCount).toBe(analysis.profile.rules.length + 1);
		analysis.profile.rules.forEach((rule, index) => {
			const row = sheet.getRow(index + 2);
			expect(row.getCell(1).value).toBe(rule.id);
			expect(row.getCell(quoteColumn).value).toBe(rule.citation.quote);
			expect(row.getCell(clauseColumn).value).toBe(rule.citation.clause);
		});
		const used = (id: string) =>
			sheet
				.getRow(analysis.profile.rules.findIndex((rule) => rule.id === id) + 2)
				.getCell(usedColumn).value;
		expect(used('community-facility-area')).toBe('是');
		expect(used('welfare-land-per-elder')).toBe('是');
		const nursing = sheet.getRow(
			analysis.profile.rules.findIndex((rule) => rule.id === 'nursing-bed-share') + 2
		);
		expect(nursing.getCell(4).value).toBe('最低占比：70%；目标年份：2026');
	});

	it('gives the settings, headline figures and skipped checks in 概况', () => {
		const sheet = workbook.getWorksheet('概况')!;
		const texts: string[] = [];
		const byLabel = new Map<string, unknown>();
		sheet.eachRow((row) => {
			row.eachCell((cell) => texts.push(String(cell.value)));
			byLabel.set(String(row.getCell(1).value), row.getCell(2).value);
		});
		expect(byLabel.get('生成日期 Generated')).toBe('2026-11-22');
		expect(byLabel.get('服务圈 Service circle')).toBe(15);
		expect(byLabel.get('需配建面积 Required floor area')).toBe(analysis.summary.requiredM2);
		expect(byLabel.get('服务圈内老年人 Elders within the circle')).toBe(400 + 255);
		expect(analysis.skipped.length).toBeGreaterThan(0);
		for (const skipped of analysis.skipped) expect(texts).toContain(skipped.reasonZh);
		expect(texts.some((text) => text.includes('OpenStreetMap'))).toBe(true);
	});

	it('lists each region note in Chinese and English in 数据说明 (issue 15)', () => {
		const rows: unknown[][] = [];
		workbook.getWorksheet('概况')!.eachRow((row) => rows.push(row.values as unknown[]));
		const heading = rows.findIndex((values) => values[1] === '数据说明 Data notes');
		expect(heading).toBeGreaterThan(0);
		const notes = rows.slice(heading + 1, heading + 1 + laoshanMeta.notes.length);
		expect(notes.map((values) => [values[2], values[4]])).toEqual(
			laoshanMeta.notes.map((note) =>
				typeof note === 'string' ? [note, undefined] : [note.zh, note.en]
			)
		);
	});
});

describe('reportXlsx is deterministic', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('writes the same bytes at two different clock times, different bytes for another date', async () => {
		const analysis = laoshanAnalysis();
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2030-01-01T08:00:00Z'));
		const first = await reportXlsx(analysis, META);
		vi.setSystemTime(new Date('2031-06-15T17:45:33Z'));
		const second = await reportXlsx(analysis, META);
		const otherDay = await reportXlsx(analysis, { ...META, generatedAt: '2026-11-23' });
		vi.useRealTimers();
		expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
		expect(Buffer.from(otherDay).equals(Buffer.from(first))).toBe(false);
	});

	it('rejects a date that is not YYYY-MM-DD', async () => {
		await expect(
			reportXlsx(bareLaoshanAnalysis(), { ...META, generatedAt: '22.11.2026' })
		).rejects.toThrow(/expected YYYY-MM-DD/);
	});
});

describe('reportXlsx on Laoshan as shipped', () => {
	it('writes header-only area and facility sheets and lists every skipped check', async () => {
		const analysis = bareLaoshanAnalysis();
		const workbook = await load(await reportXlsx(analysis, META));
		expect(workbook.getWorksheet('居住区')!.rowCount).toBe(1);
		expect(workbook.getWorksheet('设施')!.rowCount).toBe(1);
		expect(workbook.getWorksheet('街道')!.rowCount).toBe(6);
		const texts: string[] = [];
		workbook
			.getWorksheet('概况')!
			.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
		for (const skipped of analysis.skipped) expect(texts).toContain(skipped.reasonZh);
		expect(texts).toContain(
			'以下数字为估算值，不是官方统计数字 / these figures are estimates, not official counts'
		);
	});
});

describe('findings on the whole region in 概况 (issue 13)', () => {
	it('lists the city-wide welfare-land finding with its rule', async () => {
		const city = laoshanAnalysis('qingdao-city-2023-draft');
		const workbook = await load(await reportXlsx(city, META));
		const rows: string[][] = [];
		workbook
			.getWorksheet('概况')!
			.eachRow((row) =>
				rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? '')))
			);
		const title = rows.findIndex((row) => row[0] === '全区域判定 Findings on the whole region');
		expect(title).toBeGreaterThan(0);
		const finding = rows[title + 2];
		expect(finding[1]).toBe('welfare-land-per-elder');
		expect(finding[3]).toBe(city.regionFindings[0].messageZh);
	});
});

describe('report.xlsx rows written into the package (issue 17 item 1)', () => {
	const bytesOf = (analysis: Analysis, rowsInModel: boolean, meta: ReportMeta = META) =>
		reportXlsx(analysis, meta, { rowsInModel }).then((bytes) => Buffer.from(bytes));

	it('gives the same bytes as exceljs with every row in its model, on each test analysis', async () => {
		for (const analysis of [
			laoshanAnalysis(),
			laoshanAnalysis('qingdao-city-2023-draft'),
			bareLaoshanAnalysis()
		])
			expect((await bytesOf(analysis, false)).equals(await bytesOf(analysis, true))).toBe(true);
	});

	it('stays byte-identical with texts exceljs escapes, trims or shares with later sheets', async () => {
		const analysis = laoshanAnalysis();
		const areas = analysis.areas;
		areas[0] = { ...areas[0], name: ' 前后空格 ' };
		areas[1] = { ...areas[1], name: `a&b<c>"d'e` };
		areas[2] = { ...areas[2], name: '换行\n第二行\t制表\r回车' };
		// Control characters; the id: a rule cited in 适用规则 (a later sheet).
		areas[3] = { ...areas[3], name: '🏠小区\u0001\u007f控制符', id: analysis.profile.rules[0].id };
		// A street's name (街道 comes after 居住区) as an area's id.
		areas[2] = { ...areas[2], id: analysis.streets[0].name };
		analysis.facilities[0] = { ...analysis.facilities[0], name: ' 前后空格 ' };
		const fast = await bytesOf(analysis, false);
		expect(fast.equals(await bytesOf(analysis, true))).toBe(true);
		const areasSheet = (await load(new Uint8Array(fast))).getWorksheet('居住区')!;
		expect(areasSheet.getRow(2).getCell(2).value).toBe(' 前后空格 ');
		expect(areasSheet.getRow(3).getCell(2).value).toBe(`a&b<c>"d'e`);
		expect(areasSheet.getRow(5).getCell(2).value).toBe('🏠小区控制符');
	});

	it('with targets (目标指标 after the level sheets) and another date', async () => {
		const analysis = laoshanAnalysis();
		const meta: ReportMeta = {
			...META,
			generatedAt: '2027-01-01',
			plan: { planned: 2, moved: 1, removed: 0 }
		};
		expect((await bytesOf(analysis, false, meta)).equals(await bytesOf(analysis, true, meta))).toBe(
			true
		);
	});
});

describe('xlsx-rows helpers agree with what they replace (issue 17 item 1)', () => {
	const WIDTH_NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

	it('groupedNumberLength is the length of the Intl text, rounding and signs included', () => {
		const values = [
			0,
			-0,
			0.5,
			0.005,
			0.015,
			0.995,
			1.005,
			9.995,
			99.999,
			999.995,
			1234.565,
			-1234.5,
			-0.001,
			-0.004,
			-0.005,
			999999.999,
			1e-6,
			1.5e-6,
			1e-7,
			1e14 + 0.5,
			999999999999999,
			1e15,
			1e21,
			123456789.125,
			NaN,
			Infinity,
			-Infinity,
			5e-324,
			0.1 + 0.2
		];
		let seed = 17;
		const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
		for (let i = 0; i < 20000; i++) {
			const magnitude = 10 ** Math.floor(random() * 14 - 4);
			const value = Math.round(random() * magnitude * 1000) / 1000;
			values.push(random() < 0.2 ? -value : value, value / 7);
		}
		for (const value of values)
			expect(groupedNumberLength(value), String(value)).toBe(WIDTH_NUMBER.format(value).length);
	});

	it('textWidth counts as the regular expression it replaces', () => {
		const reference = (text: string) => {
			let width = 0;
			for (const char of text) width += /[\u1100-\uffff]/.test(char) ? 2 : 1;
			return width;
		};
		for (const text of [
			'',
			'abc',
			'中文 abc',
			'🏠小区',
			'\ud800',
			'x\udc00y',
			'１２３',
			'ᄀ\u10ff'
		])
			expect(textWidth(text), text).toBe(reference(text));
	});

	it('xmlText escapes as exceljs does', async () => {
		// @ts-expect-error exceljs's internals have no typings
		const { default: utils } = await import('exceljs/lib/utils/utils.js');
		const texts = [
			'plain',
			`a&b<c>"d'e`,
			'\u0000\u0008\t\n\u000b\u000c\r\u000e\u001f\u007f end',
			'中文'
		];
		for (const text of texts)
			expect(xmlText(text), JSON.stringify(text)).toBe(utils.xmlEncode(text));
	});
});
