/**
 * `npm run analyze` on both bundled regions: every file of the report, goldens of the tables for
 * the demo region, the XLSX read back, and the Laoshan run without a walking network.
 * Regenerate the goldens after a deliberate change with `UPDATE_GOLDENS=1 npx vitest run tests/scripts/analyze-cli.test.ts`
 * and read the diff before committing it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
