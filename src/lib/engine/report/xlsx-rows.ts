/**
 * The rows of report.xlsx's level sheets (居住区, 街道, 区, 设施), written straight into the
 * package that exceljs wrote with those sheets' header rows only (issue 17 item 1).
 *
 * Why: exceljs builds an object per cell and, when it writes, looks every cell's style up by
 * rendering it to XML (`addStyleModel`). Profile of `reportXlsx` at 50,000 compounds × 33
 * columns (62 s on this loaded machine): exceljs preparing the cells 18.5 s (style lookups 15.3),
 * rendering them 4.2 s, setting them into its model 7.9 s, deflate 15 s; the rows as strings here
 * take about a second. exceljs's streaming WorkbookWriter skips the model but not the style
 * lookup, needs Node streams and its archiver zip (the engine runs in the browser too), and
 * writes other XML (`t="str"` text cells unless told to share strings, other parts), so the
 * workbook would no longer be the one the app has always written.
 *
 * The XML is exceljs's own, byte for byte (tests/engine/report/xlsx.test.ts compares the whole
 * package with the one exceljs writes with every row in its model):
 * - a row `<row r="n" spans="min:max" x14ac:dyDescent="0.25">`, a row without any value left out;
 * - a cell `<c r="K2" s="11"><v>1162</v></c>`: numbers as `String(value)`, booleans `t="b"`,
 *   text as a shared string `t="s"`; a column with a number format (its `<col style>`) gives
 *   every row with values a cell there, empty ones as `<c r="M2" s="11"/>`, as exceljs's
 *   `column.numFmt` does;
 * - shared strings numbered in the order exceljs meets them (sheet by sheet, row by row), so the
 *   indexes of every later sheet are renumbered, and `count` / `uniqueCount` recounted;
 * - the sheet's `<dimension>` extended to the last row with a value.
 */
import { strFromU8, strToU8 } from 'fflate';
import { intlNumberFormat } from '../format.ts';
import type { CellValue } from './columns.ts';

/** One level sheet's rows, for `spliceRows`. */
export interface SheetRows {
	/** Package path of the sheet, `xl/worksheets/sheet2.xml` (sheet id 2). */
	path: string;
	columnCount: number;
	/** Cell values row by row, `columnCount` per row (rows 2, 3, …); null = no value. */
	values: readonly CellValue[];
}

/** Rows encoded per chunk: the sheet is never one 50 MB string. */
const ROWS_PER_CHUNK = 2048;

// Control characters exceljs drops (XML 1.0 cannot hold them); tab, LF and CR are kept.
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;

/**
 * Text as exceljs escapes it (`utils.xmlEncode`): `<>&'"` as entities, control characters other
 * than tab, LF and CR dropped.
 */
export function xmlText(text: string): string {
	if (!XML_SPECIAL.test(text)) return text;
	let result = '';
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === 34) result += '&quot;';
		else if (code === 38) result += '&amp;';
		else if (code === 39) result += '&apos;';
		else if (code === 60) result += '&lt;';
		else if (code === 62) result += '&gt;';
		else if (code === 127 || (code <= 31 && code !== 9 && code !== 10 && code !== 13)) continue;
		else result += text[i];
	}
	return result;
}

/** A shared string as exceljs writes it: `<si><t>…</t></si>`, spaces kept at the ends or a LF. */
function sharedStringXml(text: string): string {
	const preserve = /^\s|\n|\s$/.test(text) ? ' xml:space="preserve"' : '';
	return `<si><t${preserve}>${xmlText(text)}</t></si>`;
}

/** A number as the width estimate reads it: grouped, up to 0.01. */
const WIDTH_NUMBER = intlNumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * Display width of a text: CJK and full-width characters (U+1100 and up) take two columns, a
 * character outside the BMP (a surrogate pair) two.
 */
export function textWidth(text: string): number {
	let width = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x1100) width += 1;
		else {
			width += 2;
			if (code <= 0xdbff && code >= 0xd800) {
				const next = text.charCodeAt(i + 1);
				if (next >= 0xdc00 && next <= 0xdfff) i += 1;
			}
		}
	}
	return width;
}

/**
 * `WIDTH_NUMBER.format(value).length` without formatting: Intl rounds the shortest decimal of
 * the number (`String(value)`: 1.005 → 1.01) half away from zero to two places, drops trailing
 * zeros, groups by three and prints a minus for negatives, -0 included. Formatting each of a
 * city's 1.5 M numbers was a tenth of the workbook's time. Exponent forms go to Intl itself.
 */
export function groupedNumberLength(value: number): number {
	const abs = Math.abs(value);
	if (!(abs < 1e15) || (abs !== 0 && abs < 1e-6)) return WIDTH_NUMBER.format(value).length;
	const text = String(abs);
	const dot = text.indexOf('.');
	let integerDigits = dot < 0 ? text.length : dot;
	let fraction = dot < 0 ? '' : text.slice(dot + 1);
	if (fraction.length > 2) {
		const roundUp = fraction.charCodeAt(2) >= 53; // '5'
		fraction = fraction.slice(0, 2);
		if (roundUp) {
			// Add one at the second decimal: carry through the nines.
			const digits = text.slice(0, integerDigits) + fraction;
			let i = digits.length - 1;
			while (i >= 0 && digits[i] === '9') i--;
			const carried =
				i < 0
					? `1${'0'.repeat(digits.length)}`
					: digits.slice(0, i) +
						String.fromCharCode(digits.charCodeAt(i) + 1) +
						'0'.repeat(digits.length - 1 - i);
			integerDigits = carried.length - 2;
			fraction = carried.slice(-2);
		}
	}
	let fractionDigits = fraction.length;
	while (fractionDigits > 0 && fraction[fractionDigits - 1] === '0') fractionDigits--;
	const negative = value < 0 || Object.is(value, -0);
	return (
		(negative ? 1 : 0) +
		integerDigits +
		Math.floor((integerDigits - 1) / 3) +
		(fractionDigits ? fractionDigits + 1 : 0)
	);
}

/** 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
	let letters = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
		letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
	return letters;
}

/**
 * The text of a shared string exceljs wrote (`<si><t>…</t></si>`, entities decoded), or null for
 * another form (rich text), which is then matched by its XML.
 */
function sharedStringText(xml: string): string | null {
	const match = /^<si><t(?: xml:space="preserve")?>([^<]*)<\/t><\/si>$/.exec(xml);
	if (!match) return null;
	return match[1].replace(/&(quot|amp|apos|lt|gt);/g, (_, name: string) => ENTITIES[name]);
}
const ENTITIES: Record<string, string> = { quot: '"', amp: '&', apos: "'", lt: '<', gt: '>' };

/**
 * The shared strings in the order of the finished workbook, deduplicated by text as exceljs does.
 * The strings exceljs numbered are known by their XML: a text with control characters (dropped
 * in XML) can meet its look-alike without them in one entry, where exceljs writes two.
 */
class SharedStrings {
	readonly items: string[] = [];
	/** String cells in the workbook (the `count` of `<sst>`). */
	references = 0;
	private readonly byText = new Map<string, number>();

	/**
	 * Index of a cell's text.
	 * @param xml its `<si>` as exceljs wrote it; default: written here
	 */
	add(text: string, xml?: string): number {
		this.references += 1;
		let index = this.byText.get(text);
		if (index === undefined) {
			index = this.items.length;
			this.items.push(xml ?? sharedStringXml(text));
			this.byText.set(text, index);
		}
		return index;
	}
}

const STRING_REF = / t="s"><v>(\d+)<\/v>/g;

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
	let length = 0;
	for (const chunk of chunks) length += chunk.length;
	const out = new Uint8Array(length);
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
}

/** Style id of each column (index 0 = column 1) from the sheet's `<cols>`; 0 = none. */
function columnStyles(sheetXml: string, columnCount: number): number[] {
	const styles = new Array<number>(columnCount).fill(0);
	for (const [col] of sheetXml.matchAll(/<col [^>]*\/>/g)) {
		const min = Number(/ min="(\d+)"/.exec(col)?.[1]);
		const max = Number(/ max="(\d+)"/.exec(col)?.[1]);
		const style = Number(/ style="(\d+)"/.exec(col)?.[1] ?? 0);
		for (let c = min; c <= Math.min(max, columnCount); c++) styles[c - 1] = style;
	}
	return styles;
}

/** The rows of one sheet as XML chunks (from row 2), and the last row that has a value. */
function rowsXml(
	rows: SheetRows,
	styles: readonly number[],
	strings: SharedStrings
): { chunks: Uint8Array[]; lastRow: number } {
	const { columnCount, values } = rows;
	// The fixed pieces of each column's cell, so a cell is four concatenations (measured: a fifth
	// less CPU than a template string per cell).
	const styleAttrs = styles.map((style) => (style ? ` s="${style}"` : ''));
	const opens = Array.from({ length: columnCount }, (_, c) => `<c r="${columnLetters(c + 1)}`);
	const emptyEnds = styleAttrs.map((attr) => `"${attr}/>`);
	const numberMids = styleAttrs.map((attr) => `"${attr}><v>`);
	const booleanMids = styleAttrs.map((attr) => `"${attr} t="b"><v>`);
	const stringMids = styleAttrs.map((attr) => `"${attr} t="s"><v>`);
	const chunks: Uint8Array[] = [];
	let lastRow = 1;
	let text = '';
	let rowsInText = 0;
	const rowTotal = columnCount ? values.length / columnCount : 0;
	for (let r = 0; r < rowTotal; r++) {
		const base = r * columnCount;
		let first = 0;
		let last = 0;
		let hasValue = false;
		for (let c = 0; c < columnCount; c++) {
			const value = values[base + c];
			if (value !== null) hasValue = true;
			if (value !== null || styles[c]) {
				if (!first) first = c + 1;
				last = c + 1;
			}
		}
		if (!hasValue) continue; // exceljs writes no row, and no styled cells, without a value
		lastRow = r + 2;
		const number = String(lastRow);
		let row = '<row r="' + number + '" spans="' + first + ':' + last + '" x14ac:dyDescent="0.25">';
		for (let c = 0; c < columnCount; c++) {
			const value = values[base + c];
			if (value === null) {
				if (styles[c]) row += opens[c] + number + emptyEnds[c];
			} else if (typeof value === 'number')
				row += opens[c] + number + numberMids[c] + String(value) + '</v></c>';
			else if (typeof value === 'boolean')
				row += opens[c] + number + booleanMids[c] + (value ? '1' : '0') + '</v></c>';
			else row += opens[c] + number + stringMids[c] + strings.add(value) + '</v></c>';
		}
		text += row + '</row>';
		if (++rowsInText === ROWS_PER_CHUNK) {
			chunks.push(strToU8(text));
			text = '';
			rowsInText = 0;
		}
	}
	if (text) chunks.push(strToU8(text));
	return { chunks, lastRow };
}

/**
 * Put the rows into a package exceljs wrote with header rows only, renumbering the shared strings.
 * @param files the package's entries (fflate `unzipSync`), changed in place
 * @param sheetPaths every worksheet of the package in exceljs's order (sheet id order)
 * @param sheets the level sheets' rows, by path
 * @throws {Error} when the package is not laid out as exceljs writes it
 */
export function spliceRows(
	files: Record<string, Uint8Array>,
	sheetPaths: readonly string[],
	sheets: readonly SheetRows[]
): void {
	const sstPath = 'xl/sharedStrings.xml';
	const sst = files[sstPath] ? strFromU8(files[sstPath]) : null;
	const open = sst === null ? -1 : sst.indexOf('<si>');
	const close = sst === null ? -1 : sst.lastIndexOf('</sst>');
	if (sst === null || open < 0 || close < 0)
		throw new Error('report.xlsx: exceljs wrote no shared strings to add the rows to');
	const oldStrings = sst
		.slice(open, close)
		.split('</si>')
		.slice(0, -1)
		.map((xml) => `${xml}</si>`);
	const strings = new SharedStrings();
	const renumber = (xml: string) =>
		xml.replace(STRING_REF, (_, index: string) => {
			const old = oldStrings[Number(index)];
			if (old === undefined) throw new Error(`report.xlsx: shared string ${index} is missing`);
			// A form other than plain text is keyed by its XML (no cell text starts with NUL).
			return ` t="s"><v>${strings.add(sharedStringText(old) ?? `\0${old}`, old)}</v>`;
		});
	const byPath = new Map(sheets.map((sheet) => [sheet.path, sheet]));

	for (const path of sheetPaths) {
		const entry = files[path];
		if (!entry) throw new Error(`report.xlsx: exceljs wrote no ${path}`);
		const xml = strFromU8(entry);
		const rows = byPath.get(path);
		if (!rows) {
			files[path] = strToU8(renumber(xml));
			continue;
		}
		const headerEnd = xml.indexOf('</row></sheetData>');
		if (headerEnd < 0) throw new Error(`report.xlsx: ${path} has no header row to add rows after`);
		const head = renumber(xml.slice(0, headerEnd + '</row>'.length));
		const { chunks, lastRow } = rowsXml(rows, columnStyles(head, rows.columnCount), strings);
		const dimensioned =
			lastRow === 1
				? head
				: head.replace(
						/<dimension ref="([A-Z]+\d+):([A-Z]+)\d+"\/>/,
						(_, from: string, toColumn: string) =>
							`<dimension ref="${from}:${toColumn}${lastRow}"/>`
					);
		files[path] = concatBytes([
			strToU8(dimensioned),
			...chunks,
			strToU8(xml.slice(headerEnd + '</row>'.length))
		]);
	}

	const sstOpen = sst
		.slice(0, open)
		.replace(/ count="\d+"/, ` count="${strings.references}"`)
		.replace(/ uniqueCount="\d+"/, ` uniqueCount="${strings.items.length}"`);
	const parts = [strToU8(sstOpen)];
	for (let i = 0; i < strings.items.length; i += 4096)
		parts.push(strToU8(strings.items.slice(i, i + 4096).join('')));
	parts.push(strToU8(sst.slice(close)));
	files[sstPath] = concatBytes(parts);
}
