/**
 * CSV reader, and the header-row logic shared with the XLSX reader.
 *
 * Chinese CSV files are usually exported from Excel: GBK without a BOM (older Excel, WPS),
 * UTF-8 with a BOM (newer Excel), sometimes UTF-16. The encoding is decided from the bytes,
 * never from the file name; a GBK guess is reported so the user can check the result.
 */
// @ts-expect-error -- untyped on purpose: @types/papaparse references "node", which would load
// @types/node into the engine type check and let Node globals pass; `PapaParser` types our one call.
import PapaUntyped from 'papaparse/papaparse.js';
import { isKnownHeader } from './aliases.ts';
import type { RawRecord, RawTable } from './raw.ts';
import { ImportError, type ImportIssue } from './report.ts';
import { TextDecoder } from '../text.ts';

/** One spreadsheet row: its number as a spreadsheet shows it, and its cells from column A. */
export interface SheetRow {
	row: number;
	cells: unknown[];
}

/** Spreadsheet column letter of a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
	let letters = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
	return letters;
}

function isEmptyCell(cell: unknown): boolean {
	return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

function nonEmptyTextCount(cells: unknown[]): number {
	return cells.filter((cell) => typeof cell === 'string' && cell.trim() !== '').length;
}

function knownHeaderCount(cells: unknown[]): number {
	return cells.filter((cell) => typeof cell === 'string' && isKnownHeader(cell.trim())).length;
}

/** How far down a sheet to look for the header row (titles, notes and blank rows above it). */
const HEADER_SEARCH_ROWS = 20;

/**
 * Find the header row: the first row in which at least two cells match known aliases, else the
 * first row with at least two non-empty text cells (a merged title row has only one).
 * `preferFirst` keeps row 1 whenever it has two or more text cells (CSV: the header is row 1).
 * @returns index into `rows`, or -1 when no row qualifies.
 */
export function findHeaderRow(rows: SheetRow[], preferFirst = false): number {
	const candidates = rows.slice(0, HEADER_SEARCH_ROWS);
	if (preferFirst && candidates.length > 0 && nonEmptyTextCount(candidates[0].cells) >= 2) return 0;
	const byAlias = candidates.findIndex((r) => knownHeaderCount(r.cells) >= 2);
	if (byAlias >= 0) return byAlias;
	return candidates.findIndex((r) => nonEmptyTextCount(r.cells) >= 2);
}

/** Compact list of row numbers for messages: `4, 7, 9 …` (at most 10 shown). */
export function listRows(rowNumbers: number[]): string {
	const shown = rowNumbers.slice(0, 10).join(', ');
	return rowNumbers.length > 10 ? `${shown} … (${rowNumbers.length} in all)` : shown;
}

/**
 * Turn spreadsheet rows into a `RawTable`: find the header row, check the header names, build
 * one record per non-blank data row (row numbers kept as the spreadsheet shows them) and
 * report blank rows, title rows and stray cells as warnings.
 * @throws ImportError WRONG_STRUCTURE when there is no header row, or header names are
 *   duplicated or empty above data.
 */
export function tableFromRows(
	rows: SheetRow[],
	file: string,
	issues: ImportIssue[],
	options: { preferFirstRow?: boolean } = {}
): RawTable {
	const nonBlank = rows.filter((r) => r.cells.some((cell) => !isEmptyCell(cell)));
	if (nonBlank.length === 0) {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			'the file has no rows: expected a header row (e.g. 小区名称, 户数, 经度, 纬度) and one row per record'
		);
	}
	const headerIndex = findHeaderRow(nonBlank, options.preferFirstRow);
	if (headerIndex < 0) {
		const first = nonBlank[0];
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`no header row found in the first ${HEADER_SEARCH_ROWS} rows: expected a row with at least two column names (e.g. 小区名称, 户数); row ${first.row} holds ${JSON.stringify(first.cells.filter((c) => !isEmptyCell(c)))}`
		);
	}
	const header = nonBlank[headerIndex];
	const above = nonBlank.slice(0, headerIndex);
	if (above.length > 0) {
		issues.push({
			file,
			row: above[0].row,
			rowKind: 'row',
			field: '',
			value: above.map((r) => r.cells.filter((c) => !isEmptyCell(c)).join(' ')).join(' | '),
			reason: `row(s) ${listRows(above.map((r) => r.row))} above the header row ${header.row} skipped as a title`,
			action: 'warning'
		});
	}
	const dataRows = rows.filter((r) => r.row > header.row);

	// Header names: empty names are tolerated only for columns without any data (Excel often
	// exports trailing empty columns); anything else would silently lose values.
	const names = header.cells.map((cell) => (isEmptyCell(cell) ? '' : String(cell).trim()));
	const columns: { index: number; name: string }[] = [];
	const emptyWithData: string[] = [];
	const emptyDropped: string[] = [];
	const width = Math.max(names.length, ...dataRows.map((r) => r.cells.length));
	for (let index = 0; index < width; index++) {
		const name = names[index] ?? '';
		if (name !== '') {
			columns.push({ index, name });
			continue;
		}
		const hasData = dataRows.some((r) => !isEmptyCell(r.cells[index]));
		const label = `column ${index + 1} (${columnLetter(index)})`;
		if (hasData) emptyWithData.push(label);
		else if (index < names.length) emptyDropped.push(label);
	}
	if (emptyWithData.length > 0) {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`header row ${header.row} has no name for ${emptyWithData.join(', ')}, which hold data: give every column a header`
		);
	}
	const seen = new Map<string, number>();
	const duplicates: string[] = [];
	for (const { index, name } of columns) {
		const first = seen.get(name);
		if (first === undefined) seen.set(name, index);
		else duplicates.push(`"${name}" (columns ${columnLetter(first)} and ${columnLetter(index)})`);
	}
	if (duplicates.length > 0) {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`header row ${header.row} has duplicate column names: ${duplicates.join(', ')}; rename them so each column is unique`
		);
	}
	if (emptyDropped.length > 0) {
		issues.push({
			file,
			row: header.row,
			rowKind: 'row',
			field: '',
			value: undefined,
			reason: `${emptyDropped.join(', ')} without a header name and without data ignored`,
			action: 'warning'
		});
	}

	const records: RawRecord[] = [];
	const blankRows: number[] = [];
	for (const r of dataRows) {
		if (r.cells.every(isEmptyCell)) {
			blankRows.push(r.row);
			continue;
		}
		const properties: Record<string, unknown> = {};
		for (const { index, name } of columns) {
			const cell = r.cells[index];
			properties[name] = cell === undefined ? null : cell;
		}
		records.push({ row: r.row, properties, geometry: null });
	}
	if (blankRows.length > 0) {
		issues.push({
			file,
			row: blankRows[0],
			rowKind: 'row',
			field: '',
			value: undefined,
			reason: `${blankRows.length} blank row(s) skipped: rows ${listRows(blankRows)}`,
			action: 'warning'
		});
	}
	return {
		file,
		rowKind: 'row',
		fields: columns.map((c) => c.name),
		records,
		declaredCrs: null,
		issues
	};
}

/** The part of papaparse's API this reader uses. */
interface PapaParser {
	parse(
		text: string,
		config: { header: false; skipEmptyLines: false; delimiter: string }
	): { data: string[][]; errors: { code: string; message: string; row?: number }[] };
}
const Papa = PapaUntyped as PapaParser;

// ---------------------------------------------------------------- decoding

/** Share of undecodable or control characters above which text is taken to be binary. */
const MAX_GARBAGE_SHARE = 0.01;

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
	return magic.every((b, i) => bytes[i] === b);
}

/**
 * Decode CSV bytes: UTF-8 BOM, UTF-16LE/BE BOM, strict UTF-8, else GBK (with a warning).
 * @throws ImportError UNREADABLE_FILE for binary input (XLSX/XLS/ZIP, NUL bytes, garbage).
 */
export function decodeText(bytes: Uint8Array, file: string, issues: ImportIssue[]): string {
	if (startsWith(bytes, [0xef, 0xbb, 0xbf]))
		return new TextDecoder('utf-8').decode(bytes.subarray(3));
	if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
	if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			'this is a ZIP archive (an .xlsx workbook or a zipped Shapefile), not CSV text: import it as .xlsx or .zip'
		);
	}
	if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			'this is a legacy Excel .xls workbook, not CSV text: save it as .xlsx or as CSV (UTF-8) in Excel/WPS'
		);
	}
	const nul = bytes.subarray(0, 65536).indexOf(0);
	if (nul >= 0) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`binary data (a NUL byte at byte ${nul}), not CSV text: expected a text file with one record per line`
		);
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		text = new TextDecoder('gbk').decode(bytes);
		issues.push({
			file,
			row: 1,
			rowKind: 'row',
			field: '',
			value: undefined,
			reason:
				'the file is not valid UTF-8 and has no BOM; GBK (GB18030) encoding was assumed — check that Chinese text reads correctly, or save as "CSV UTF-8"',
			action: 'warning'
		});
	}
	// eslint-disable-next-line no-control-regex
	const garbage = text.match(/[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g)?.length ?? 0;
	if (text.length > 0 && garbage / text.length > MAX_GARBAGE_SHARE) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`${garbage} of ${text.length} characters are undecodable or control characters: this is not CSV text in UTF-8, UTF-16 or GBK`
		);
	}
	return text;
}

/**
 * The delimiter that occurs most often in the first non-blank line (the header), outside
 * quotes; ',' when none does. papaparse's own guess scores whole rows and picks ';' for a
 * comma file whose quoted notes contain semicolons.
 */
export function guessDelimiter(text: string): string {
	const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
	const unquoted = firstLine.replace(/"[^"]*"/g, '');
	let best = ',';
	let bestCount = 0;
	for (const delimiter of [',', '\t', ';', '|']) {
		const count = unquoted.split(delimiter).length - 1;
		if (count > bestCount) [best, bestCount] = [delimiter, count];
	}
	return best;
}

/**
 * Read a CSV (or TSV/semicolon-separated) file into a `RawTable`. The header is row 1 (a lone
 * title line above it is skipped with a warning); the first data row is row 2, as a
 * spreadsheet shows it. Blank lines are reported in one warning.
 * @param bytes the file contents
 * @param file the file name, used in every issue and error
 * @throws ImportError UNREADABLE_FILE (binary, empty), WRONG_STRUCTURE (no header, duplicate or
 *   empty header names)
 * @example readCsv(bytes, '崂山区小区.csv').records[0] // { row: 2, properties: { 小区名称: '…' }, geometry: null }
 */
export function readCsv(bytes: Uint8Array, file: string): RawTable {
	const issues: ImportIssue[] = [];
	const text = decodeText(bytes, file, issues);
	if (text.trim() === '') {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`the file is empty (${bytes.length} bytes): expected a header row and one row per record`
		);
	}
	const parsed = Papa.parse(text, {
		header: false,
		skipEmptyLines: false,
		delimiter: guessDelimiter(text)
	});
	const data = parsed.data;
	// A final line break is not a blank row.
	if (
		data.length > 0 &&
		/\r?\n$/.test(text) &&
		data[data.length - 1].length === 1 &&
		data[data.length - 1][0] === ''
	)
		data.pop();
	for (const error of parsed.errors) {
		if (error.code === 'UndetectableDelimiter') continue; // single-column files are fine
		issues.push({
			file,
			row: (error.row ?? 0) + 1,
			rowKind: 'row',
			field: '',
			value: undefined,
			reason: `CSV syntax: ${error.message}`,
			action: 'warning'
		});
	}
	const rows: SheetRow[] = data.map((cells, index) => ({
		row: index + 1,
		cells: cells.map((c) => c.trim())
	}));
	return tableFromRows(rows, file, issues, { preferFirstRow: true });
}
