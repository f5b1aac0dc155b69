/**
 * Issue 16 item 1: indicator tables per street / district / institution, read from CSV and XLSX
 * into exactly the rows they hold, every row-level problem named by file, row and field, a
 * table of another city refused, and a re-import replacing only the rows of the same level, code
 * and date.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
	importIndicatorFile,
	mergeIndicatorRows,
	parseIndicatorDate,
	parseIndicatorShare,
	type IndicatorPlaces
} from '../../../src/lib/engine/import/indicators.ts';
import { ImportError, type ImportIssue } from '../../../src/lib/engine/import/report.ts';
import { indicatorTable, type IndicatorRow } from '../../../src/lib/engine/region/indicators.ts';

/** The places of data/regions/qingdao-laoshan, plus two facilities. */
const PLACES: IndicatorPlaces = {
	boundaries: [
		{ level: 'district', code: '370212', name: '崂山区' },
		{ level: 'street', code: '370212001', name: '中韩街道' },
		{ level: 'street', code: '370212002', name: '沙子口街道' },
		{ level: 'street', code: '370212003', name: '王哥庄街道' },
		{ level: 'street', code: '370212004', name: '北宅街道' },
		{ level: 'street', code: '370212005', name: '金家岭街道' }
	],
	facilities: [
		{ id: 'fac-1', name: '崂山区社会福利中心' },
		{ id: 'fac-2', name: '金家岭颐养院' }
	]
};

const encode = (text: string) => new TextEncoder().encode(text);
const csv = (lines: string[]) => encode(`${lines.join('\n')}\n`);

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ImportError) return error;
		throw error;
	}
	throw new Error('expected the import to be refused');
}

/** The issues of one row, as [field, action]. */
const at = (issues: ImportIssue[], row: number) =>
	issues.filter((issue) => issue.row === row).map((issue) => [issue.field, issue.action]);

describe('indicator tables: reading (issue 16)', () => {
	it('reads a CSV with Chinese headers into the exact rows', async () => {
		const bytes = csv([
			'层级,代码,名称,所属区县,统计日期,数据来源,护理型床位（张）,床位总数,家庭养老床位,社工人数,月探访率(%),80岁以上老年人数,能力评估人数,助餐点',
			'区县,370212,崂山区,,2025-12-31,崂山区民政局年报,"1,200",1800,310,42,98%,15230,14980,21',
			'街道,370212001,中韩街道,崂山区,2025/12/31,崂山区民政局年报,,,60,9,"96 %",3100,2950,5',
			',370212005,金家岭街道,370212,2025年12月31日,街道台账,,,,,0.9,2800,,3',
			'机构,fac-1,崂山区社会福利中心,中韩街道,2025-12,机构报表,320,400,,6,,,,'
		]);
		const outcome = await importIndicatorFile('指标.csv', bytes, { places: PLACES });
		expect(outcome.format).toBe('csv');
		expect(outcome.rowsRead).toBe(4);
		expect(outcome.sourceRows).toEqual([2, 3, 4, 5]);
		expect(outcome.rows).toEqual<IndicatorRow[]>([
			{
				level: 'district',
				code: '370212',
				name: '崂山区',
				asOf: '2025-12-31',
				source: '崂山区民政局年报',
				values: {
					nursingBeds: 1200,
					beds: 1800,
					familyBeds: 310,
					socialWorkers: 42,
					visitRate: 0.98,
					elders80: 15230,
					assessed80: 14980,
					mealPoints: 21
				}
			},
			{
				level: 'street',
				code: '370212001',
				name: '中韩街道',
				parentCode: '370212',
				asOf: '2025-12-31',
				source: '崂山区民政局年报',
				values: {
					familyBeds: 60,
					socialWorkers: 9,
					visitRate: 0.96,
					elders80: 3100,
					assessed80: 2950,
					mealPoints: 5
				}
			},
			{
				level: 'street',
				code: '370212005',
				name: '金家岭街道',
				parentCode: '370212',
				asOf: '2025-12-31',
				source: '街道台账',
				values: { visitRate: 0.9, elders80: 2800, mealPoints: 3 }
			},
			{
				level: 'institution',
				code: 'fac-1',
				name: '崂山区社会福利中心',
				parentCode: '370212001',
				asOf: '2025-12-31',
				source: '机构报表',
				values: { nursingBeds: 320, beds: 400, socialWorkers: 6 }
			}
		]);
		// Blank cells are absent, never 0.
		expect(outcome.rows[2].values).not.toHaveProperty('assessed80');
		expect(indicatorTable.parse(outcome.rows)).toEqual(outcome.rows);
		// The month-only date and the inferred level are said once each; nothing is rejected.
		expect(outcome.issues.filter((i) => i.action === 'rejected')).toEqual([]);
		expect(outcome.issues.find((i) => i.reason.includes('only the month'))).toMatchObject({
			row: 5,
			field: '统计日期',
			action: 'repaired'
		});
		expect(outcome.issues.find((i) => i.reason.includes('level inferred'))).toMatchObject({
			row: 4,
			action: 'warning'
		});
	});

	it('reads an XLSX (title row, date cells, numeric codes, percent cells) into the exact rows', async () => {
		const workbook = new ExcelJS.Workbook();
		const sheet = workbook.addWorksheet('2025年');
		sheet.addRow(['崂山区养老服务指标（2025年）']);
		sheet.mergeCells('A1:G1');
		sheet.addRow(['level', 'code', 'name', 'asOf', 'source', 'Monthly visit rate', 'beds']);
		sheet.addRow([
			'street',
			370212002,
			'沙子口街道',
			new Date(Date.UTC(2025, 11, 31)),
			'区民政局',
			0.97,
			120
		]);
		sheet.getCell('F3').numFmt = '0%';
		sheet.addRow([
			'district',
			370212,
			'崂山区',
			new Date(Date.UTC(2024, 11, 31)),
			'区民政局',
			'100%',
			'1,650'
		]);
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
		const outcome = await importIndicatorFile('指标.xlsx', bytes, { places: PLACES });
		expect(outcome.format).toBe('xlsx');
		expect(outcome.sourceRows).toEqual([3, 4]);
		expect(outcome.rows).toEqual<IndicatorRow[]>([
			{
				level: 'street',
				code: '370212002',
				name: '沙子口街道',
				asOf: '2025-12-31',
				source: '区民政局',
				values: { visitRate: 0.97, beds: 120 }
			},
			{
				level: 'district',
				code: '370212',
				name: '崂山区',
				asOf: '2024-12-31',
				source: '区民政局',
				values: { visitRate: 1, beds: 1650 }
			}
		]);
		expect(outcome.issues.filter((i) => i.action === 'rejected')).toEqual([]);
	});

	it('takes 统计日期 and 数据来源 from the import when the sheet has no such column', async () => {
		const bytes = csv(['代码,名称,家庭养老床位', '370212003,王哥庄街道,45']);
		const outcome = await importIndicatorFile('a.csv', bytes, {
			places: PLACES,
			defaults: { asOf: '2025年12月31日', source: '区民政局 2025 年统计' }
		});
		expect(outcome.rows).toEqual([
			{
				level: 'street',
				code: '370212003',
				name: '王哥庄街道',
				asOf: '2025-12-31',
				source: '区民政局 2025 年统计',
				values: { familyBeds: 45 }
			}
		]);
		const noDate = await refusal(
			importIndicatorFile('a.csv', bytes, { places: PLACES, defaults: { source: '区民政局' } })
		);
		expect(noDate.code).toBe('MISSING_COLUMN');
		expect(noDate.message).toContain('统计日期');
		const noSource = await refusal(
			importIndicatorFile('a.csv', bytes, { places: PLACES, defaults: { asOf: '2025-12-31' } })
		);
		expect(noSource.code).toBe('MISSING_COLUMN');
		expect(noSource.message).toContain('数据来源');
	});

	it('parses dates and shares as bureaus write them', () => {
		expect(parseIndicatorDate('2025/12/31').value).toBe('2025-12-31');
		expect(parseIndicatorDate('2025-12').value).toBe('2025-12-31');
		expect(parseIndicatorDate('2024-02').value).toBe('2024-02-29');
		expect(parseIndicatorDate('2025年6月30日').value).toBe('2025-06-30');
		expect(parseIndicatorDate(46022)).toEqual({ value: '2025-12-31', reading: 'excelSerial' });
		expect(parseIndicatorDate('2025-02-30').problem).toContain('not a date');
		expect(parseIndicatorShare('98%').value).toBe(0.98);
		expect(parseIndicatorShare('98 %').value).toBe(0.98);
		expect(parseIndicatorShare('98％').value).toBe(0.98);
		expect(parseIndicatorShare(0.98).value).toBe(0.98);
		expect(parseIndicatorShare('98').problem).toContain('write 98% or 0.98');
		expect(parseIndicatorShare(98).problem).toContain('write 98% or 0.98');
		expect(parseIndicatorShare('120%').problem).toContain('above 100 %');
	});
});

describe('indicator tables: row-level errors (issue 16)', () => {
	const bytes = csv([
		'层级,代码,名称,统计日期,数据来源,社工人数,月探访率,备注',
		'街道,370212001,中韩街道,2025-12-31,台账,十二,98,', // 2: two bad figures
		'街道,370212009,不存在街道,2025-12-31,台账,3,,', // 3: no street of the region
		'街道,,北宅街道,2025-12-31,台账,4,,', // 4: resolved by its name
		'街道,370212001,中韩街道,2025-12-31,台账,5,,重复', // 5: same level, code and date as 2
		'机构,fac-9,不知名养老院,2025-12-31,台账,2,,', // 6: no facility of the region: kept
		'街道,370212002,沙子口街道,2025-13-01,台账,2,,', // 7: not a date
		'街道,370212003,王哥庄街道,2025-12-31,台账,,,' // 8: no figure
	]);

	it('names file, row and field of every problem, keeping what can be kept', async () => {
		const outcome = await importIndicatorFile('错误.csv', bytes, { places: PLACES });
		const { issues } = outcome;
		for (const issue of issues) expect(issue.file).toBe('错误.csv');
		// unknown header: ignored with a warning
		expect(issues.find((i) => i.field === '备注')).toMatchObject({ row: 0, action: 'warning' });
		expect(outcome.unmappedColumns).toEqual(['备注']);
		// row 2: both figures rejected, so the row has none left
		expect(at(issues, 2)).toEqual([
			['社工人数', 'rejected'],
			['月探访率', 'rejected'],
			['社工人数', 'rejected']
		]);
		expect(issues.find((i) => i.row === 2 && i.field === '社工人数')!.reason).toContain(
			'not a number'
		);
		expect(issues.find((i) => i.row === 2 && i.field === '月探访率')).toMatchObject({
			value: '98',
			action: 'rejected'
		});
		expect(issues.find((i) => i.row === 2 && i.field === '月探访率')!.reason).toContain(
			'write 98% or 0.98'
		);
		// row 3: a code of no street of the region
		expect(issues.find((i) => i.row === 3)).toMatchObject({
			field: '代码',
			value: '370212009',
			action: 'rejected'
		});
		expect(issues.find((i) => i.row === 3)!.reason).toContain('not a street of the region');
		// row 4: the name gives the code
		expect(at(issues, 4)).toEqual([['代码', 'repaired']]);
		// row 5: not a duplicate of row 2 (row 2 was skipped) — the first valid row of that key
		expect(at(issues, 5)).toEqual([]);
		// row 6: an unknown institution id is only a warning
		expect(at(issues, 6)).toEqual([['代码', 'warning']]);
		expect(at(issues, 7)).toEqual([['统计日期', 'rejected']]);
		expect(at(issues, 8)).toEqual([['社工人数', 'rejected']]);
		expect(issues.find((i) => i.row === 8)!.reason).toContain('every indicator cell');
		expect(
			outcome.rows.map((row) => [outcome.sourceRows[outcome.rows.indexOf(row)], row.code])
		).toEqual([
			[4, '370212004'],
			[5, '370212001'],
			[6, 'fac-9']
		]);
	});

	it('rejects a repeated level + code + date, naming both rows', async () => {
		const outcome = await importIndicatorFile(
			'重复.csv',
			csv([
				'代码,名称,统计日期,数据来源,助餐点',
				'370212001,中韩街道,2025-12-31,台账,5',
				'370212001,中韩街道,2024-12-31,台账,4',
				'370212001,中韩,2025/12/31,台账,6'
			]),
			{ places: PLACES }
		);
		expect(outcome.rows.map((row) => [row.asOf, row.values.mealPoints])).toEqual([
			['2025-12-31', 5],
			['2024-12-31', 4]
		]);
		const duplicate = outcome.issues.find((i) => i.row === 4)!;
		expect(duplicate).toMatchObject({ field: '代码', action: 'rejected' });
		expect(duplicate.reason).toContain('rows 2 and 4');
	});

	it('refuses a table without any indicator column', async () => {
		const error = await refusal(
			importIndicatorFile(
				'小区.csv',
				csv(['小区名称,户数,经度,纬度', '金岭花园,1200,120.46,36.10']),
				{
					places: PLACES
				}
			)
		);
		expect(error.code).toBe('MISSING_COLUMN');
		expect(error.message).toContain('no indicator column');
		expect(error.message).toContain('护理型床位');
	});

	it("refuses another city's table: most codes lie in no district of the region", async () => {
		const error = await refusal(
			importIndicatorFile(
				'上海.csv',
				csv([
					'代码,名称,统计日期,数据来源,月探访率',
					'310101013,外滩街道,2025-12-31,示例,95%',
					'310115005,陆家嘴街道,2025-12-31,示例,97%',
					'310101,黄浦区,2025-12-31,示例,96%',
					'370212001,中韩街道,2025-12-31,示例,99%'
				]),
				{ places: PLACES }
			)
		);
		expect(error.code).toBe('OUTSIDE_REGION');
		expect(error.message).toContain('3 of 4 codes');
		expect(error.message).toContain('another city');
		expect(error.issues.filter((i) => i.action === 'rejected').map((i) => i.row)).toEqual([
			2, 3, 4
		]);
	});

	it('keeps a street of a district of the region when the region has no street polygons', async () => {
		const outcome = await importIndicatorFile(
			'外滩.csv',
			csv([
				'代码,名称,统计日期,数据来源,月探访率',
				'310101013,外滩街道,2025-12-31,示例,95%',
				'310101,黄浦区,2025-12-31,示例,96%'
			]),
			{
				places: {
					boundaries: [{ level: 'district', code: '310101', name: '黄浦区' }],
					facilities: []
				}
			}
		);
		expect(outcome.rows.map((row) => [row.level, row.code])).toEqual([
			['street', '310101013'],
			['district', '310101']
		]);
		expect(outcome.issues.find((i) => i.row === 2)).toMatchObject({
			field: '代码',
			action: 'warning'
		});
	});
});

describe('indicator tables: merging into the region (issue 16)', () => {
	const row = (code: string, asOf: string, mealPoints: number): IndicatorRow => ({
		level: 'street',
		code,
		name: code,
		asOf,
		source: 's',
		values: { mealPoints }
	});

	it('replaces the rows of the same level, code and date and keeps the others', () => {
		const existing = [
			row('370212001', '2024-12-31', 4),
			row('370212001', '2025-12-31', 5),
			row('370212002', '2025-12-31', 2)
		];
		const merged = mergeIndicatorRows(existing, [
			row('370212001', '2025-12-31', 6),
			row('370212003', '2025-12-31', 1)
		]);
		expect(merged.rows).toEqual([
			row('370212001', '2024-12-31', 4),
			row('370212001', '2025-12-31', 6),
			row('370212002', '2025-12-31', 2),
			row('370212003', '2025-12-31', 1)
		]);
		expect(merged).toMatchObject({ before: 3, after: 4, added: 1, replaced: 1, kept: 2 });
	});
});
