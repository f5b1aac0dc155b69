/**
 * CSV writer of the gap report (issue 4): `areas.csv`, `streets.csv`, `districts.csv`,
 * `facilities.csv`. Written for Excel/WPS on a Chinese desktop as much as for scripts:
 *
 * - UTF-8 with a BOM (without it Excel reads the Chinese as GBK mojibake), CRLF line ends,
 *   RFC 4180 quoting (`"` doubled; cells with `,` `"` CR or LF quoted).
 * - Header row = the column keys (`required_m2`), machine-readable and stable.
 * - Unknown (`null`) is an empty cell, never 0; booleans `true` / `false`; numbers as JavaScript
 *   prints them, without thousands separators.
 * - Formula injection (OWASP "CSV injection"): a text cell that starts with `=` `+` `-` `@`, tab
 *   or CR gets a leading `'` so a spreadsheet shows it as text instead of running it. Numbers are
 *   never touched (−3 stays a number).
 */
import type { Analysis } from '../analysis/types.ts';
import {
	AREA_COLUMNS,
	DISTRICT_COLUMNS,
	FACILITY_COLUMNS,
	STREET_COLUMNS,
	type CellValue,
	type Column
} from './columns.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: escaped against formula injection, then quoted when needed. */
export function csvCell(value: CellValue): string {
	if (value === null) return '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV table: BOM, the column keys as header, one line per row, CRLF after every line.
 * @param rows the rows, in the order they are written
 * @param columns the columns (`AREA_COLUMNS`, …); their `key`s form the header
 * @returns the file text (write it as UTF-8: the BOM is included)
 * @example toCsv(analysis.areas, AREA_COLUMNS).split('\r\n')[0]; // '\uFEFFid,name,status,…'
 */
export function toCsv<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
	const lines = [columns.map((column) => csvCell(column.key)).join(',')];
	for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(','));
	return BOM + lines.join(CRLF) + CRLF;
}

export interface AnalysisCsvFiles {
	'areas.csv': string;
	'streets.csv': string;
	'districts.csv': string;
	'facilities.csv': string;
}

/**
 * One CSV table of a gap analysis, by file name (only that table is written: a city's
 * areas.csv alone is 50,000 lines).
 * @example analysisCsvFile(analysis, 'streets.csv').split('\r\n')[0]; // '\uFEFFcode,name,…'
 */
export function analysisCsvFile(analysis: Analysis, file: keyof AnalysisCsvFiles): string {
	switch (file) {
		case 'areas.csv':
			return toCsv(analysis.areas, AREA_COLUMNS);
		case 'streets.csv':
			return toCsv(analysis.streets, STREET_COLUMNS);
		case 'districts.csv':
			return toCsv(analysis.districts, DISTRICT_COLUMNS);
		case 'facilities.csv':
			return toCsv(analysis.facilities, FACILITY_COLUMNS);
	}
}

/**
 * The four CSV tables of a gap analysis, by file name.
 * @example for (const [name, text] of Object.entries(analysisCsvFiles(analysis))) write(name, text);
 */
export function analysisCsvFiles(analysis: Analysis): AnalysisCsvFiles {
	return {
		'areas.csv': analysisCsvFile(analysis, 'areas.csv'),
		'streets.csv': analysisCsvFile(analysis, 'streets.csv'),
		'districts.csv': analysisCsvFile(analysis, 'districts.csv'),
		'facilities.csv': analysisCsvFile(analysis, 'facilities.csv')
	};
}
