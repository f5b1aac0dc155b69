/**
 * CSV tables of the gap report (issue 4): BOM and CRLF for Excel, RFC 4180 quoting, unknown as an
 * empty cell (never 0), formula-injection escaping, and every table parsed back with papaparse to
 * exactly the values of the analysis rows.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/lib/engine/analysis/types.ts';
import {
	AREA_COLUMNS,
	DISTRICT_COLUMNS,
	FACILITY_COLUMNS,
	STREET_COLUMNS,
	type CellValue,
	type Column
} from '../../../src/lib/engine/report/columns.ts';
import {
	analysisCsvFile,
	analysisCsvFiles,
	csvCell,
	toCsv
} from '../../../src/lib/engine/report/csv.ts';
import {
	COMMA_QUOTE_NAME,
	FORMULA_NAME,
	MARKUP_NAME,
	bareLaoshanAnalysis,
	laoshanAnalysis
} from './fixtures/analysis.ts';

function parse(text: string): { header: string[]; rows: Record<string, string>[] } {
	expect(text.startsWith('\uFEFF')).toBe(true);
	const parsed = Papa.parse<Record<string, string>>(text.slice(1), {
		header: true,
		skipEmptyLines: true
	});
	expect(parsed.errors).toEqual([]);
	return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

/** What a cell must read back as, from the column's machine value. */
function expectedText(value: CellValue): string {
	if (value === null) return '';
	if (typeof value === 'boolean') return String(value);
	if (typeof value === 'number') return String(value);
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function expectRoundTrip<Row>(text: string, rows: readonly Row[], columns: readonly Column<Row>[]) {
	const parsed = parse(text);
	expect(parsed.header).toEqual(columns.map((column) => column.key));
	expect(parsed.rows).toHaveLength(rows.length);
	rows.forEach((row, index) => {
		for (const column of columns)
			expect(parsed.rows[index][column.key], `${column.key} of row ${index}`).toBe(
				expectedText(column.value(row))
			);
	});
	return parsed.rows;
}

describe('csvCell', () => {
	it('writes unknown as an empty cell, booleans as true/false, numbers without separators', () => {
		expect(csvCell(null)).toBe('');
		expect(csvCell(true)).toBe('true');
		expect(csvCell(false)).toBe('false');
		expect(csvCell(0)).toBe('0');
		expect(csvCell(25470.25)).toBe('25470.25');
		expect(csvCell(1234567)).toBe('1234567');
		expect(csvCell(-3)).toBe('-3'); // a number, not text: no formula escaping
		expect(csvCell(Number.NaN)).toBe('');
	});

	it('escapes text that a spreadsheet would run as a formula', () => {
		for (const start of ['=', '+', '-', '@', '\t', '\r']) {
			const cell = csvCell(`${start}1+1`);
			const unquoted = cell.startsWith('"') ? cell.slice(1, -1) : cell;
			expect(unquoted.startsWith(`'${start}`), JSON.stringify(cell)).toBe(true);
		}
		expect(csvCell(FORMULA_NAME)).toBe(`"'=HYPERLINK(""evil.example"",""点我"")"`);
		expect(csvCell('中韩街道-东')).toBe('中韩街道-东'); // only a leading sign counts
	});

	it('quotes commas, quotes and line breaks (RFC 4180)', () => {
		expect(csvCell(COMMA_QUOTE_NAME)).toBe('"海尔路,""和谐""家园，一期"');
		expect(csvCell('两行\n文字')).toBe('"两行\n文字"');
		expect(csvCell('无需引号；中文分号')).toBe('无需引号；中文分号');
	});
});

describe('toCsv on a Laoshan analysis with areas, facilities and walking times', () => {
	const analysis = laoshanAnalysis();
	const files = analysisCsvFiles(analysis);

	it('writes a BOM, CRLF line ends and one line per row plus the header', () => {
		const text = files['areas.csv'];
		expect(text.charCodeAt(0)).toBe(0xfeff);
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/); // no bare LF or CR anywhere
		expect(text.split('\r\n')).toHaveLength(analysis.areas.length + 2);
		expect(text.split('\r\n')[0]).toBe(`\uFEFF${AREA_COLUMNS.map((c) => c.key).join(',')}`);
	});

	it('parses back to the analysis values in every table', () => {
		expectRoundTrip(files['areas.csv'], analysis.areas, AREA_COLUMNS);
		expectRoundTrip(files['streets.csv'], analysis.streets, STREET_COLUMNS);
		expectRoundTrip(files['districts.csv'], analysis.districts, DISTRICT_COLUMNS);
		expectRoundTrip(files['facilities.csv'], analysis.facilities, FACILITY_COLUMNS);
	});

	it('keeps the awkward names readable and defused', () => {
		const rows = parse(files['areas.csv']).rows;
		expect(rows.map((row) => row.name)).toEqual([
			`'${FORMULA_NAME}`,
			COMMA_QUOTE_NAME,
			MARKUP_NAME,
			'金家岭小区'
		]);
	});

	it('gives hand-computed floor areas, and empty cells where the data is unknown', () => {
		const rows = parse(files['areas.csv']).rows;
		// qingdao-laoshan-2024: existing 15 m² / 100 households, new 20 m².
		expect(rows[0]).toMatchObject({ required_m2: '150', provided_m2: '200', deficit_m2: '0' });
		expect(rows[0]).toMatchObject({ verdict: 'compliant', covered: 'true' });
		expect(rows[1]).toMatchObject({ required_m2: '246.8', deficit_m2: '246.8', covered: 'false' });
		expect(rows[1].estimated_fields).toBe('households');
		expect(rows[2]).toMatchObject({ required_m2: '123', deficit_m2: '123', verdict: 'deficit' });
		// households unknown: nothing is invented
		expect(rows[3]).toMatchObject({
			households: '',
			elders: '',
			required_m2: '',
			provided_m2: '',
			deficit_m2: '',
			minutes_to_nearest: '',
			covered: '',
			verdict: 'no_data'
		});
		expect(rows[1].reasons).toContain('246.8');
		expect(rows[1].rule_ids.split(';')).toContain('community-facility-area');
	});

	it('sums the streets, and leaves a street without areas empty instead of 0', () => {
		const rows = parse(files['streets.csv']).rows;
		expect(rows.map((row) => row.code)).toEqual([
			'370212001',
			'370212002',
			'370212003',
			'370212004',
			'370212005'
		]);
		const zhonghan = rows[0];
		expect(zhonghan).toMatchObject({ areas: '2', households: '2234', elders: '710' });
		expect(Number(zhonghan.required_m2)).toBeCloseTo(150 + 246.8, 2);
		expect(zhonghan.elders_covered).toBe('400');
		expect(Number(zhonghan.elders_covered_share)).toBeCloseTo(400 / 710, 12);
		expect(zhonghan.communities).toBe('22');
		expect(zhonghan.center_floor_area_m2).toBe('1200');
		const wanggezhuang = rows[2];
		expect(wanggezhuang).toMatchObject({
			areas: '0',
			households: '',
			elders: '',
			required_m2: '',
			deficit_m2: ''
		});
	});

	it('writes the district land check: elders 101,881 × 0.25 m² = 25,470.25 m² required', () => {
		const [district] = parse(files['districts.csv']).rows;
		expect(district).toMatchObject({
			code: '370212',
			name: '崂山区',
			elders: '101881',
			elders_estimated: 'true',
			required_land_m2: '25470.25',
			welfare_land_m2: '11000', // 3000 + 8000 m² of known land
			beds: '200',
			nursing_beds: '120',
			nursing_bed_share: '0.6'
		});
		expect(Number(district.land_per_elder_m2)).toBeCloseTo(11000 / 101881, 12);
	});

	it('has every column the CLI and the issue name', () => {
		const keys = (columns: readonly Column<never>[]) => columns.map((column) => column.key);
		expect(keys(AREA_COLUMNS)).toEqual(
			expect.arrayContaining([
				'id',
				'name',
				'status',
				'households',
				'elders',
				'required_m2',
				'inside_m2',
				'pooled_m2',
				'provided_m2',
				'deficit_m2',
				'minutes_to_nearest',
				'covered',
				'verdict',
				'street_code',
				'street_name',
				'district_code',
				'district_name',
				'estimated_fields',
				'rule_ids',
				'reasons'
			])
		);
		expect(keys(STREET_COLUMNS)).toEqual(
			expect.arrayContaining([
				'code',
				'name',
				'elders_covered_share',
				'deficit_m2',
				'center_floor_area_m2',
				'communities_without_station',
				'verdict'
			])
		);
		expect(keys(DISTRICT_COLUMNS)).toEqual(
			expect.arrayContaining([
				'code',
				'name',
				'elders',
				'required_land_m2',
				'welfare_land_m2',
				'land_per_elder_m2',
				'nursing_beds',
				'nursing_bed_share',
				'verdict'
			])
		);
		expect(keys(FACILITY_COLUMNS)).toEqual(
			expect.arrayContaining(['id', 'name', 'kind', 'status', 'floor_area_m2'])
		);
		for (const columns of [AREA_COLUMNS, STREET_COLUMNS, DISTRICT_COLUMNS, FACILITY_COLUMNS]) {
			const all = keys(columns as Column<never>[]);
			expect(new Set(all).size, 'unique keys').toBe(all.length);
			for (const key of all) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
		}
	});
});

describe('toCsv on Laoshan as shipped (no areas, no facilities layer, no network)', () => {
	const analysis: Analysis = bareLaoshanAnalysis();
	const files = analysisCsvFiles(analysis);

	it('writes header-only area and facility tables and unknown station counts', () => {
		expect(files['areas.csv']).toBe(`\uFEFF${AREA_COLUMNS.map((c) => c.key).join(',')}\r\n`);
		expect(parse(files['facilities.csv']).rows).toEqual([]);
		const streets = parse(files['streets.csv']).rows;
		expect(streets.map((row) => row.communities)).toEqual(['22', '43', '34', '36', '32']);
		for (const row of streets) {
			expect(row.communities_with_station).toBe(''); // no facilities layer: unknown, not 0
			expect(row.communities_without_station).toBe('');
			expect(row.elders_covered).toBe('');
		}
		const [district] = parse(files['districts.csv']).rows;
		expect(district.welfare_land_m2).toBe('');
		expect(district.required_land_m2).toBe('25470.25');
	});
});

describe('toCsv with hand-made columns', () => {
	it('writes the keys as header and quotes a key only when it must', () => {
		const columns: Column<{ a: number | null }>[] = [
			{ key: 'a', zh: '甲', en: 'A', unit: 'm²', value: (row) => row.a }
		];
		expect(toCsv([{ a: 1.5 }, { a: null }], columns)).toBe('\uFEFFa\r\n1.5\r\n\r\n');
	});
});

describe('analysisCsvFile (issue 17 item 1: one table per download)', () => {
	it('writes the one table asked for, the same text as analysisCsvFiles', () => {
		const analysis = laoshanAnalysis();
		const files = analysisCsvFiles(analysis);
		for (const name of Object.keys(files) as (keyof typeof files)[])
			expect(analysisCsvFile(analysis, name), name).toBe(files[name]);
	});
});
