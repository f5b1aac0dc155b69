/**
 * `npm run analyze` on both bundled regions: every file of the report, goldens of the tables for
 * the demo region, the XLSX read back (目标指标 included: without an indicator table, and with
 * data/samples/indicators-sample.csv imported into a copy of the demo region), and the Laoshan
 * run without a walking network.
 * Regenerate the goldens after a deliberate change with `UPDATE_GOLDENS=1 npx vitest run tests/scripts/analyze-cli.test.ts`
 * and read the diff before committing it.
 */
import { spawnSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const goldenDir = join(import.meta.dirname, 'fixtures', 'analyze');
const REPORT_FILES = [
	'areas.csv',
	'streets.csv',
	'districts.csv',
	'facilities.csv',
	'summary.json',
	'areas.geojson',
	'report.xlsx',
	'report.html'
];
const TABLES = ['areas.csv', 'streets.csv', 'districts.csv', 'facilities.csv'];

const analyze = (...args: string[]) =>
	spawnSync(process.execPath, [join(repoRoot, 'scripts', 'analyze.ts'), ...args], {
		cwd: repoRoot,
		encoding: 'utf8'
	});

function readCsv(path: string): Record<string, string>[] {
	const text = readFileSync(path, 'utf8');
	expect(text.startsWith('\uFEFF'), `${path} starts with a BOM`).toBe(true);
	const parsed = Papa.parse<Record<string, string>>(text.slice(1), {
		header: true,
		skipEmptyLines: true
	});
	expect(parsed.errors).toEqual([]);
	return parsed.data;
}

/** The 目标指标 sheet read back: one record per row by Chinese header, then the notes under it. */
async function readTargetsSheet(path: string) {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
	const sheet = workbook.getWorksheet('目标指标');
	expect(sheet, 'a 目标指标 sheet').toBeDefined();
	const header = Array.from(sheet!.getRow(1).values as unknown[], (cell) => String(cell ?? ''));
	const rows: Record<string, unknown>[] = [];
	const notes: string[] = [];
	let inNotes = false;
	for (let r = 2; r <= sheet!.rowCount; r++) {
		const values = sheet!.getRow(r).values as unknown[];
		if (!values.some((value) => value !== null && value !== undefined)) {
			inNotes = true;
			continue;
		}
		if (inNotes) notes.push(String(values[1]));
		else
			rows.push(
				Object.fromEntries(
					header.map((name, c) => [name, values[c] ?? null]).filter(([name]) => name)
				)
			);
	}
	return { rows, notes };
}
const brief = (row: Record<string, unknown>) =>
	[row['状态'], row['层级'], row['名称'], row['现值'], row['目标值'], row['差距']] as const;

/** Compare with the committed golden, or write it when UPDATE_GOLDENS=1. */
function expectGolden(region: string, name: string, actual: string) {
	const path = join(goldenDir, region, name);
	if (process.env.UPDATE_GOLDENS === '1') {
		mkdirSync(join(goldenDir, region), { recursive: true });
		writeFileSync(path, actual);
	}
	expect(existsSync(path), `golden ${path} (UPDATE_GOLDENS=1 writes it)`).toBe(true);
	expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('npm run analyze — demo region (Bund / Lujiazui)', () => {
	let out: string;
	let stdout: string;
	beforeAll(() => {
		out = mkdtempSync(join(tmpdir(), 'carecircle-analyze-'));
		const result = analyze(
			'--region',
			'shanghai-bund-lujiazui',
			'--date',
			'2026-11-22',
			'--no-pdf', // report.pdf: tests/server/report-export.test.ts
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		stdout = result.stdout;
	});
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('writes every file of the report (no report.pdf with --no-pdf) and records no plan', () => {
		for (const name of REPORT_FILES) expect(existsSync(join(out, name)), name).toBe(true);
		expect(existsSync(join(out, 'report.pdf'))).toBe(false);
		expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).plan).toBeNull();
	});

	it('matches the golden tables', () => {
		for (const name of TABLES)
			expectGolden('shanghai-bund-lujiazui', name, readFileSync(join(out, name), 'utf8'));
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		expectGolden(
			'shanghai-bund-lujiazui',
			'summary-figures.json',
			`${JSON.stringify({ summary: summary.summary, skipped: summary.skipped }, null, 2)}\n`
		);
	});

	it('gives every compound its required area from households × 15 ÷ 100 (all existing) and adds up', () => {
		const areas = readCsv(join(out, 'areas.csv'));
		expect(areas).toHaveLength(18);
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).summary;
		let required = 0;
		let elders = 0;
		let eldersCovered = 0;
		for (const row of areas) {
			expect(row.status, row.id).toBe('existing');
			expect(Number(row.required_m2), row.id).toBeCloseTo((Number(row.households) * 15) / 100, 2);
			required += Number(row.required_m2);
			elders += Number(row.elders);
			if (row.covered === 'true') eldersCovered += Number(row.elders);
		}
		expect(summary.requiredM2).toBeCloseTo(required, 2);
		expect(summary.elders).toBe(elders);
		expect(summary.eldersCovered).toBe(eldersCovered);
		expect(summary.areasCovered).toBe(13); // the coverage engine's figure for the one meal point
		expect(stdout).toContain(`within the circle ${eldersCovered}`);
	});

	it('writes the XLSX with Chinese headers and numbers as numbers, equal to the CSV', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(readFileSync(join(out, 'report.xlsx')) as unknown as ArrayBuffer);
		const names = workbook.worksheets.map((sheet) => sheet.name);
		for (const sheet of ['居住区', '街道', '区', '设施', '适用规则'])
			expect(names).toContain(sheet);
		const areasSheet = workbook.getWorksheet('居住区')!;
		// exceljs rows are 1-based: values[0] is an empty slot.
		const header = Array.from(areasSheet.getRow(1).values as unknown[], (cell) =>
			String(cell ?? '')
		);
		expect(header.some((cell) => /[\u4e00-\u9fff]/.test(cell))).toBe(true);
		const requiredColumn = header.findIndex((cell) => cell.includes('需配建'));
		expect(requiredColumn, `a 需配建 column in ${header.join('|')}`).toBeGreaterThan(0);
		const csvRequired = readCsv(join(out, 'areas.csv')).map((row) => Number(row.required_m2));
		const sheetRequired: number[] = [];
		areasSheet.eachRow((row, index) => {
			if (index > 1) sheetRequired.push(row.getCell(requiredColumn).value as number);
		});
		expect(sheetRequired).toEqual(csvRequired);
	});

	it('lists the targets in 目标指标 without an indicator table: welfare land, beds, the meal circle', async () => {
		const { rows, notes } = await readTargetsSheet(join(out, 'report.xlsx'));
		const of = (target: string) => rows.filter((row) => row['目标'] === target);
		// Laoshan （十一） names no share: the meal circle is reported, never judged. The one facility
		// is a meal point, so the meal circle is the care circle: 7,379 of 11,814 = 62.5 %, and each
		// district's share is its elders_covered_share.
		const districts = readCsv(join(out, 'districts.csv'));
		const share = (name: string) =>
			Math.round(Number(districts.find((d) => d.name === name)!.elders_covered_share) * 1000) / 10;
		expect(of('助餐服务圈').map(brief)).toEqual([
			['仅报告', '全区域', '外滩—陆家嘴 (上海 黄浦区 / 浦东新区)', 62.5, null, null],
			['仅报告', '区县', '黄浦区', share('黄浦区'), null, null],
			['仅报告', '区县', '浦东新区', share('浦东新区'), null, null]
		]);
		expect(of('助餐服务圈').every((row) => row['数据来源'] === '区域图层（设施、居住区）')).toBe(
			true
		);
		// Welfare land (by 2035): 黄浦区 has 631 elders and no land → 0 of 0.25 m² each, behind;
		// the other districts' elders are unknown. Nursing beds need the table: unknown.
		expect(
			of('人均养老服务设施用地').map((row) => [row['状态'], row['名称'], row['现值']])
		).toEqual([
			['未达标（未到期）', '黄浦区', 0],
			['数据不全', '虹口区', null],
			['数据不全', '杨浦区', null],
			['数据不全', '浦东新区', null]
		]);
		expect(of('护理型床位占比').map((row) => row['状态'])).toEqual(Array(4).fill('数据不全'));
		expect(rows).toHaveLength(11);
		expect(notes).toEqual([
			'截至 2026-11-22：未达标（未到期） 1 · 数据不全 7 · 仅报告 3',
			'On the report date; overdue = not reached after 31 December of the target year.',
			'本区域尚未导入指标表：床位、社工、探访、评估等指标无法判定。',
			'No indicator table imported: beds, social workers, visits and assessments cannot be judged.'
		]);
		const html = readFileSync(join(out, 'report.html'), 'utf8');
		expect(html).toContain('<section id="targets">');
		expect(html).toContain('本区域尚未导入指标表');
	});

	it('writes the areas GeoJSON in input order with the verdicts', () => {
		const geojson = JSON.parse(readFileSync(join(out, 'areas.geojson'), 'utf8'));
		const region = JSON.parse(
			readFileSync(
				join(repoRoot, 'data/regions/shanghai-bund-lujiazui/residential.geojson'),
				'utf8'
			)
		);
		expect(geojson.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual(
			region.features.map((f: { properties: { id: string } }) => f.properties.id)
		);
		for (const feature of geojson.features)
			expect(['compliant', 'deficit', 'no_data']).toContain(feature.properties.verdict);
	});
});

describe('npm run analyze — demo region with the sample indicator table (issue 16)', () => {
	let regionsDir: string;
	let region: string;
	const run = (date: string) => {
		const out = join(regionsDir, `report-${date}`);
		const result = analyze(
			'--region',
			region,
			'--profile',
			'donge-2023', // Dong'e 6.: monthly visits at 100 % by end-2025
			'--date',
			date,
			'--no-pdf',
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		return join(out, 'report.xlsx');
	};
	beforeAll(() => {
		regionsDir = mkdtempSync(join(tmpdir(), 'carecircle-analyze-indicators-'));
		region = join(regionsDir, 'shanghai-bund-lujiazui');
		cpSync(join(repoRoot, 'data', 'regions', 'shanghai-bund-lujiazui'), region, {
			recursive: true
		});
		const imported = spawnSync(
			process.execPath,
			[
				join(repoRoot, 'scripts', 'import.ts'),
				join(repoRoot, 'data', 'samples', 'indicators-sample.csv'),
				'--region',
				'shanghai-bund-lujiazui',
				'--layer',
				'indicators',
				'--regions-dir',
				regionsDir
			],
			{ cwd: repoRoot, encoding: 'utf8' }
		);
		expect(imported.status, imported.stderr).toBe(0);
	});
	afterAll(() => rmSync(regionsDir, { recursive: true, force: true }));

	it('lists the streets of the table: 小东门 98 % and 陆家嘴 96 % of 100 %, overdue after 2025', async () => {
		const { rows, notes } = await readTargetsSheet(run('2026-11-22'));
		const visits = rows.filter((row) => row['目标'] === '特殊困难老年人月探访率');
		// Overdue first; within a status, districts then streets in table order.
		expect(visits.map(brief)).toEqual([
			['逾期未达标', '区县', '黄浦区', 99, 100, 1],
			['逾期未达标', '区县', '浦东新区', 99, 100, 1],
			['逾期未达标', '街道', '小东门街道', 98, 100, 2],
			['逾期未达标', '街道', '陆家嘴街道', 96, 100, 4],
			['数据不全', '区县', '虹口区', null, 100, null],
			['数据不全', '区县', '杨浦区', null, 100, null],
			['达标', '街道', '南京东路街道', 100, 100, 0],
			['达标', '街道', '外滩街道', 100, 100, 0],
			['达标', '街道', '潍坊新村街道', 100, 100, 0]
		]);
		const lujiazui = visits.find((row) => row['名称'] === '陆家嘴街道')!;
		expect(lujiazui).toMatchObject({
			代码: '310115005',
			所属区县: '浦东新区',
			目标年份: 2025,
			单位: '%',
			统计日期: '2025-12-31',
			数据来源: '指标表：示例数据（虚构） / sample figures, invented'
		});
		expect(String(lujiazui['条款'])).toContain('6');
		// Nursing beds from the table's district rows: 黄浦区 3,460 ÷ 5,620 = 61.6 % < 65 %.
		expect(
			rows.filter((row) => row['目标'] === '护理型床位占比' && row['名称'] === '黄浦区').map(brief)
		).toEqual([['逾期未达标', '区县', '黄浦区', 61.6, 65, 3.4]]);
		expect(notes.some((note) => note.includes('尚未导入指标表'))).toBe(false);
	});

	it('on 31 December 2025 the same shortfalls are behind, not yet overdue', async () => {
		const { rows } = await readTargetsSheet(run('2025-12-31'));
		const lujiazui = rows.find(
			(row) => row['目标'] === '特殊困难老年人月探访率' && row['名称'] === '陆家嘴街道'
		)!;
		expect(brief(lujiazui)).toEqual(['未达标（未到期）', '街道', '陆家嘴街道', 96, 100, 4]);
		expect(rows.some((row) => row['状态'] === '逾期未达标')).toBe(false);
	});
});

describe('npm run analyze — Laoshan without a road network', () => {
	let out: string;
	let stdout: string;
	beforeAll(() => {
		out = mkdtempSync(join(tmpdir(), 'carecircle-analyze-'));
		const result = analyze(
			'--region',
			'qingdao-laoshan',
			'--date',
			'2026-11-22',
			'--no-pdf',
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		stdout = result.stdout;
	});
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('writes every file and lists its five streets', () => {
		for (const name of REPORT_FILES) expect(existsSync(join(out, name)), name).toBe(true);
		const streets = readCsv(join(out, 'streets.csv'));
		expect(streets.map((row) => row.code).sort()).toEqual([
			'370212001',
			'370212002',
			'370212003',
			'370212004',
			'370212005'
		]);
	});

	it('checks land per elder against 0.25 m² with the estimated elders (101,881 → 25,470.25 m² required)', () => {
		const [district] = readCsv(join(out, 'districts.csv'));
		expect(district.code).toBe('370212');
		expect(Number(district.elders)).toBe(101881);
		expect(Number(district.required_land_m2)).toBeCloseTo(25470.25, 2);
		expect(district.welfare_land_m2).toBe(''); // no facility data: unknown, not 0
	});

	it('says which checks could not run and why', () => {
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		const checks = summary.skipped.map((s: { check: string }) => s.check);
		expect(checks).toContain('service_circle');
		expect(stdout).toMatch(/not run: service_circle/);
		const html = readFileSync(join(out, 'report.html'), 'utf8');
		for (const skipped of summary.skipped) expect(html).toContain(escapeHtml(skipped.reasonZh));
	});
});

describe('npm run analyze — bad input', () => {
	it('names the profile file that does not exist and writes nothing', () => {
		const out = join(mkdtempSync(join(tmpdir(), 'carecircle-analyze-')), 'report');
		const result = analyze(
			'--region',
			'shanghai-bund-lujiazui',
			'--profile',
			'nowhere',
			'--out',
			out
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('data/profiles/nowhere.json');
		expect(existsSync(out)).toBe(false);
	});

	it('rejects an unknown region with its path', () => {
		const result = analyze('--region', 'atlantis', '--out', join(tmpdir(), 'x'));
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/region "atlantis": no region.json/);
	});
});

function escapeHtml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;');
}
