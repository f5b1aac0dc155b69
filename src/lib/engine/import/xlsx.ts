/**
 * XLSX reader. Government spreadsheets put a merged title row ("崂山区住宅小区名单") above the
 * header, mix formulas, dates, rich text and hyperlinks in cells, and often keep several
 * sheets; this reader turns the first sheet with data (or the named one) into a `RawTable`
 * with row numbers as Excel shows them.
 *
 * exceljs's typings declare their own `Buffer` and only reference Node's `stream` in method
 * signatures we do not call, so the import type-checks under the engine tsconfig
 * (lib ES2022, types []); the cell walk below uses only `getRow(n).getCell(c)`.
 */
import ExcelJS from 'exceljs';
import { isYearHeader } from './aliases.ts';
import { findHeaderRow, listRows, tableFromRows, type SheetRow } from './csv.ts';
import type { RawTable } from './raw.ts';
import { ImportError, type ImportIssue } from './report.ts';

/** Options of `readXlsx`. */
export interface ReadXlsxOptions {
	/** Sheet name to read; default: the first sheet that has data. */
	sheet?: string;
}

/** ISO date `YYYY-MM-DD` (Excel dates carry no time zone: exceljs gives them as UTC). */
function isoDate(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/**
 * Plain value of an exceljs cell value: numbers, strings and booleans as they are, rich text
 * joined, formula results, hyperlink text, dates as ISO strings; errors (`#N/A`) become null
 * with a warning.
 */
function plainValue(value: unknown, onError: (error: string) => void): unknown {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return value;
	if (value instanceof Date) return isoDate(value);
	if (typeof value === 'object') {
		const v = value as Record<string, unknown>;
		if (Array.isArray(v.richText))
			return (v.richText as { text?: string }[])
				.map((part) => part.text ?? '')
				.join('')
				.trim();
		if ('formula' in v || 'sharedFormula' in v || 'result' in v)
			return plainValue(v.result, onError);
		if ('hyperlink' in v) return plainValue(v.text ?? v.hyperlink, onError);
		if ('error' in v) {
			onError(String(v.error));
			return null;
		}
		if ('text' in v) return plainValue(v.text, onError);
	}
	return String(value);
}

/** A loaded sheet as rows of plain cells; merged cells hold their value only in the master cell. */
function sheetRows(sheet: ExcelJS.Worksheet, file: string, issues: ImportIssue[]): SheetRow[] {
	const rows: SheetRow[] = [];
	for (let r = 1; r <= sheet.rowCount; r++) {
		const row = sheet.getRow(r);
		const cells: unknown[] = [];
		for (let c = 1; c <= row.cellCount; c++) {
			const cell = row.getCell(c);
			// A merged title row repeats its text in every covered cell: count it once.
			if (cell.isMerged && cell.master !== cell) {
				cells.push(null);
				continue;
			}
			cells.push(
				plainValue(cell.value, (error) =>
					issues.push({
						file,
						row: r,
						rowKind: 'row',
						field: cell.address,
						value: error,
						reason: `formula error ${error} read as empty`,
						action: 'warning'
					})
				)
			);
		}
		rows.push({ row: r, cells });
	}
	return rows;
}

function hasData(rows: SheetRow[]): boolean {
	return rows.some((r) => r.cells.some((c) => c !== null && c !== ''));
}

/**
 * Read an .xlsx workbook into a `RawTable`.
 * Works in Node and in the browser (exceljs loads from an ArrayBuffer).
 * Header row: the first row in which at least two cells match known aliases, else the first
 * row with two or more text cells, so a merged title row above the header is skipped. Date
 * cells under a year header (建成年份 …) become the year; other dates become `YYYY-MM-DD`.
 * @param bytes the workbook file contents
 * @param file the file name, used in every issue and error
 * @param options `sheet`: sheet name (default: first sheet with data)
 * @throws ImportError UNREADABLE_FILE (not an .xlsx), WRONG_STRUCTURE (no such sheet, no data,
 *   no header row, duplicate or empty header names)
 * @example const table = await readXlsx(bytes, '崂山区小区名单.xlsx'); table.records[0].row // 3
 */
export async function readXlsx(
	bytes: Uint8Array,
	file: string,
	options: ReadXlsxOptions = {}
): Promise<RawTable> {
	if (
		bytes.length >= 4 &&
		bytes[0] === 0xd0 &&
		bytes[1] === 0xcf &&
		bytes[2] === 0x11 &&
		bytes[3] === 0xe0
	) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			'this is a legacy Excel .xls workbook: save it as .xlsx (Excel/WPS: 另存为 → Excel 工作簿) and import that'
		);
	}
	const workbook = new ExcelJS.Workbook();
	try {
		const copy = bytes.slice().buffer; // exactly the file's bytes, whatever the view's offset
		await workbook.xlsx.load(copy as Parameters<typeof workbook.xlsx.load>[0]);
	} catch (error) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`not a readable .xlsx workbook (${error instanceof Error ? error.message : String(error)})`
		);
	}
	const issues: ImportIssue[] = [];
	const sheetNames = workbook.worksheets.map((s) => s.name);
	let chosen: ExcelJS.Worksheet | undefined;
	let rows: SheetRow[] = [];
	if (options.sheet !== undefined) {
		chosen = workbook.getWorksheet(options.sheet);
		if (!chosen) {
			throw new ImportError(
				'WRONG_STRUCTURE',
				file,
				`no sheet named "${options.sheet}"; sheets: ${sheetNames.map((n) => `"${n}"`).join(', ')}`
			);
		}
		rows = sheetRows(chosen, file, issues);
	} else {
		const withData: string[] = [];
		for (const sheet of workbook.worksheets) {
			const sheetIssues: ImportIssue[] = [];
			const candidate = sheetRows(sheet, file, sheetIssues);
			if (!hasData(candidate)) continue;
			withData.push(sheet.name);
			if (!chosen) {
				chosen = sheet;
				rows = candidate;
				issues.push(...sheetIssues);
			}
		}
		if (!chosen) {
			throw new ImportError(
				'WRONG_STRUCTURE',
				file,
				`no sheet has data (sheets: ${sheetNames.map((n) => `"${n}"`).join(', ') || 'none'})`
			);
		}
		if (withData.length > 1) {
			issues.push({
				file,
				row: 1,
				rowKind: 'row',
				field: '',
				value: withData,
				reason: `read sheet "${chosen.name}"; other sheets with data were not read: ${withData
					.slice(1)
					.map((n) => `"${n}"`)
					.join(', ')} (choose one with the sheet option)`,
				action: 'warning'
			});
		}
	}
	if (!hasData(rows))
		throw new ImportError('WRONG_STRUCTURE', file, `sheet "${chosen.name}" has no data`);

	// Dates under a year header become the year (建成年份 2005-06-01 → 2005).
	const headerIndex = findHeaderRow(
		rows.filter((r) => r.cells.some((c) => c !== null && c !== ''))
	);
	if (headerIndex >= 0) {
		const header = rows.filter((r) => r.cells.some((c) => c !== null && c !== ''))[headerIndex];
		const yearColumns = header.cells.flatMap((cell, index) =>
			typeof cell === 'string' && isYearHeader(cell) ? [index] : []
		);
		const converted: number[] = [];
		for (const r of rows) {
			if (r.row <= header.row) continue;
			for (const index of yearColumns) {
				const cell = r.cells[index];
				if (typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(cell)) {
					r.cells[index] = Number(cell.slice(0, 4));
					converted.push(r.row);
				}
			}
		}
		if (converted.length > 0 && yearColumns.length > 0) {
			issues.push({
				file,
				row: converted[0],
				rowKind: 'row',
				field: yearColumns.map((i) => String(header.cells[i])).join(', '),
				value: undefined,
				reason: `date cells in a year column read as their year: rows ${listRows(converted)}`,
				action: 'repaired'
			});
		}
	}
	return tableFromRows(rows, file, issues);
}
