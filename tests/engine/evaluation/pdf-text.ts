/**
 * Text of a PDF printed by Chromium, for tests that compare a printed report with its JSON. No PDF
 * library is installed, so this reads what Chromium (Skia's PDF backend) writes and nothing more:
 * objects with FlateDecode streams, pages with their content streams and font resources, fonts
 * (Type 3 or Type 0) with a ToUnicode CMap (bfchar / bfrange), text shown with Tj / TJ / ' / ",
 * `/Span <</ActualText …>> BDC … EMC` replacements, and positions from cm / Tm / Td / TD / T*
 * so that glyphs on one baseline come out as one line.
 *
 * Lines come out in drawing order; a jump back or a gap wider than ~1.5 em inserts a space.
 * Tests should compare with whitespace removed.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
	dict: string;
	stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
	const text = pdf.toString('latin1');
	const objects = new Map<number, PdfObject>();
	const header = /(\d+) 0 obj\s*/g;
	let match: RegExpExecArray | null;
	while ((match = header.exec(text))) {
		const id = Number(match[1]);
		const start = header.lastIndex;
		const end = text.indexOf('endobj', start);
		if (end < 0) break;
		const body = text.slice(start, end);
		const streamAt = body.search(/stream\r?\n/);
		if (streamAt < 0) {
			objects.set(id, { dict: body, stream: null });
			header.lastIndex = end;
			continue;
		}
		const dict = body.slice(0, streamAt);
		const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? '0');
		const dataStart = start + streamAt + (body[streamAt + 6] === '\r' ? 8 : 7);
		let data = pdf.subarray(dataStart, dataStart + length);
		if (/\/FlateDecode/.test(dict)) data = inflateSync(data);
		objects.set(id, { dict, stream: Buffer.from(data) });
		header.lastIndex = end;
	}
	return objects;
}

/** A font's ToUnicode map, glyph widths (glyph units) and glyph units → text space. */
interface FontInfo {
	cmap: ToUnicode | null;
	widths: Map<number, number>;
	unitsToText: number;
}

/** Code (as a number) → Unicode text, and the code length in bytes. */
interface ToUnicode {
	bytes: number;
	map: Map<number, string>;
}

function hexToUtf16(hex: string): string {
	let out = '';
	for (let i = 0; i + 4 <= hex.length; i += 4)
		out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
	return out;
}

function parseCMap(text: string): ToUnicode {
	const map = new Map<number, string>();
	const range = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(text);
	const bytes = range ? range[1].length / 2 : 1;
	for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
		for (const entry of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
			map.set(parseInt(entry[1], 16), hexToUtf16(entry[2]));
	for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
		for (const entry of block[1].matchAll(
			/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g
		)) {
			const low = parseInt(entry[1], 16);
			const high = parseInt(entry[2], 16);
			if (entry[3].startsWith('[')) {
				const targets = [...entry[3].matchAll(/<([0-9a-fA-F]+)>/g)].map((t) => hexToUtf16(t[1]));
				targets.forEach((target, i) => map.set(low + i, target));
			} else {
				const start = entry[3].slice(1, -1);
				const first = parseInt(start.slice(-4), 16);
				const prefix = hexToUtf16(start.slice(0, -4));
				for (let code = low; code <= high; code++)
					map.set(code, prefix + String.fromCharCode(first + code - low));
			}
		}
	}
	return { bytes, map };
}

type Token =
	| { kind: 'number'; value: number }
	| { kind: 'name'; value: string }
	| { kind: 'string'; value: Buffer }
	| { kind: 'array'; value: Token[] }
	| { kind: 'dict'; value: string }
	| { kind: 'op'; value: string };

function literalString(text: string, at: number): { value: Buffer; end: number } {
	const bytes: number[] = [];
	let depth = 1;
	let i = at + 1;
	while (i < text.length && depth > 0) {
		const c = text[i];
		if (c === '\\') {
			const next = text[i + 1];
			const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
			if (next in escapes) {
				bytes.push(escapes[next]);
				i += 2;
			} else if (/[0-7]/.test(next)) {
				const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
				bytes.push(parseInt(octal, 8));
				i += 1 + octal.length;
			} else {
				if (next !== '\n' && next !== '\r') bytes.push(next.charCodeAt(0));
				i += 2;
			}
			continue;
		}
		if (c === '(') depth++;
		if (c === ')') depth--;
		if (depth > 0) bytes.push(c.charCodeAt(0));
		i++;
	}
	return { value: Buffer.from(bytes), end: i };
}

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	const stack: Token[][] = [tokens];
	let i = 0;
	const push = (token: Token) => stack[stack.length - 1].push(token);
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '%') {
			while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
		} else if (c === '<' && text[i + 1] === '<') {
			let depth = 0;
			let j = i;
			for (; j < text.length; j++) {
				if (text[j] === '<' && text[j + 1] === '<') {
					depth++;
					j++;
				} else if (text[j] === '>' && text[j + 1] === '>') {
					depth--;
					j++;
					if (depth === 0) break;
				}
			}
			push({ kind: 'dict', value: text.slice(i, j + 1) });
			i = j + 1;
		} else if (c === '<') {
			const end = text.indexOf('>', i);
			const hex = text.slice(i + 1, end).replace(/\s/g, '');
			push({ kind: 'string', value: Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex') });
			i = end + 1;
		} else if (c === '(') {
			const { value, end } = literalString(text, i);
			push({ kind: 'string', value });
			i = end;
		} else if (c === '[') {
			const array: Token[] = [];
			push({ kind: 'array', value: array });
			stack.push(array);
			i++;
		} else if (c === ']') {
			stack.pop();
			i++;
		} else if (c === '/') {
			const match = /^\/[^\s/<>[\]()%{}]*/.exec(text.slice(i))![0];
			push({ kind: 'name', value: match.slice(1) });
			i += match.length;
		} else if (/[-+.\d]/.test(c)) {
			const match = /^[-+]?(\d+\.?\d*|\.\d+)/.exec(text.slice(i));
			if (!match) {
				i++;
				continue;
			}
			push({ kind: 'number', value: Number(match[0]) });
			i += match[0].length;
		} else {
			const match = /^[A-Za-z'"*]+/.exec(text.slice(i));
			if (!match) {
				i++;
				continue;
			}
			push({ kind: 'op', value: match[0] });
			i += match[0].length;
		}
	}
	return tokens;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** a × b (PDF row-vector convention: a applied first). */
function multiply(a: Matrix, b: Matrix): Matrix {
	return [
		a[0] * b[0] + a[1] * b[2],
		a[0] * b[1] + a[1] * b[3],
		a[2] * b[0] + a[3] * b[2],
		a[2] * b[1] + a[3] * b[3],
		a[4] * b[0] + a[5] * b[2] + b[4],
		a[4] * b[1] + a[5] * b[3] + b[5]
	];
}

function refOf(dict: string, key: string): number | null {
	const match = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
	return match ? Number(match[1]) : null;
}

/**
 * The text of every page, in order, one string per page (lines separated by `\n`).
 * @param pdf the PDF file's bytes (as Chromium's `page.pdf()` writes them)
 */
export function pdfPageTexts(pdf: Uint8Array): string[] {
	const objects = readObjects(Buffer.from(pdf));
	const fontInfos = new Map<number, FontInfo>();
	const fontInfo = (fontId: number): FontInfo => {
		const known = fontInfos.get(fontId);
		if (known) return known;
		const font = objects.get(fontId);
		let toUnicode = font ? refOf(font.dict, 'ToUnicode') : null;
		if (toUnicode === null && font) {
			// Type 0: the ToUnicode may sit on the descendant font
			const descendant = /\/DescendantFonts\s*\[\s*(\d+) 0 R/.exec(font.dict);
			if (descendant)
				toUnicode = refOf(objects.get(Number(descendant[1]))?.dict ?? '', 'ToUnicode');
		}
		const stream = toUnicode !== null ? objects.get(toUnicode)?.stream : null;
		const widths = new Map<number, number>();
		const firstChar = Number(/\/FirstChar\s+(\d+)/.exec(font?.dict ?? '')?.[1] ?? '0');
		const widthList = /\/Widths\s*\[([^\]]*)\]/.exec(font?.dict ?? '')?.[1];
		if (widthList)
			widthList
				.trim()
				.split(/\s+/)
				.forEach((width, i) => widths.set(firstChar + i, Number(width)));
		const matrix = /\/FontMatrix\s*\[\s*([-\d.eE+]+)/.exec(font?.dict ?? '');
		const info: FontInfo = {
			cmap: stream ? parseCMap(stream.toString('latin1')) : null,
			widths,
			unitsToText: matrix ? Number(matrix[1]) : 0.001
		};
		fontInfos.set(fontId, info);
		return info;
	};

	const pagesRoot = [...objects.values()].find((object) => /\/Type\s*\/Pages\b/.test(object.dict));
	const kids = (dict: string): number[] =>
		[...(/\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) =>
			Number(m[1])
		);
	const pageIds: number[] = [];
	const walk = (id: number) => {
		const object = objects.get(id);
		if (!object) return;
		if (/\/Type\s*\/Pages\b/.test(object.dict)) kids(object.dict).forEach(walk);
		else pageIds.push(id);
	};
	if (pagesRoot) kids(pagesRoot.dict).forEach(walk);

	return pageIds.map((pageId) => {
		const page = objects.get(pageId)!;
		let resources = page.dict;
		const resourcesRef = refOf(page.dict, 'Resources');
		if (resourcesRef !== null) resources = objects.get(resourcesRef)?.dict ?? '';
		const fontBlock = /\/Font\s*<<([^>]*)>>/.exec(resources)?.[1] ?? '';
		const fonts = new Map<string, number>();
		for (const entry of fontBlock.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g))
			fonts.set(entry[1], Number(entry[2]));
		const contentIds = (() => {
			const array = /\/Contents\s*\[([^\]]*)\]/.exec(page.dict);
			if (array) return [...array[1].matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
			const single = refOf(page.dict, 'Contents');
			return single === null ? [] : [single];
		})();
		const content = contentIds
			.map((id) => objects.get(id)?.stream?.toString('latin1') ?? '')
			.join('\n');

		let out = '';
		let lastY: number | null = null;
		let lastX = 0;
		let lastEndX = 0;
		let ctm: Matrix = IDENTITY;
		const ctmStack: Matrix[] = [];
		let tm: Matrix = IDENTITY;
		let lineMatrix: Matrix = IDENTITY;
		let fontSize = 0;
		let leading = 0;
		let font: FontInfo | null = null;
		const actualText: (string | null)[] = [];
		let actualDone = false;
		/** Device position of the text origin, the font size there, and the x-scale. */
		const place = () => {
			const device = multiply(tm, ctm);
			return {
				x: device[4],
				y: device[5],
				size: Math.abs(fontSize * Math.hypot(device[2], device[3])) || 1,
				xScale: Math.hypot(device[0], device[1])
			};
		};
		const emit = (text: string, advanceText: number) => {
			const { x, y, size, xScale } = place();
			if (lastY !== null && Math.abs(y - lastY) > Math.max(1.5, size * 0.3)) out += '\n';
			else if (lastY !== null && (x < lastX - 1 || x - lastEndX > 0.2 * size)) out += ' ';
			out += text;
			lastY = y;
			lastX = x;
			lastEndX = x + advanceText * xScale;
		};
		/** Advance of shown codes in text space (glyph widths × font size). */
		const advanceOf = (codes: number[]) =>
			codes.reduce(
				(sum, code) =>
					sum +
					(font?.widths.get(code) ?? 1 / (font?.unitsToText ?? 0.001)) *
						(font?.unitsToText ?? 0.001),
				0
			) * fontSize;
		const show = (bytes: Buffer) => {
			const bytesPerCode = font?.cmap?.bytes ?? 1;
			const codes: number[] = [];
			for (let i = 0; i + bytesPerCode <= bytes.length; i += bytesPerCode) {
				let code = 0;
				for (let k = 0; k < bytesPerCode; k++) code = code * 256 + bytes[i + k];
				codes.push(code);
			}
			const advance = advanceOf(codes);
			const active = actualText.length ? actualText[actualText.length - 1] : null;
			if (active !== null) {
				if (!actualDone) emit(active, advance);
				actualDone = true;
			} else if (font?.cmap) {
				const text = codes.map((code) => font!.cmap!.map.get(code) ?? '').join('');
				if (text) emit(text, advance);
			}
			tm = multiply([1, 0, 0, 1, advance, 0], tm);
		};
		const operands: Token[] = [];
		for (const token of tokenize(content)) {
			if (token.kind !== 'op') {
				operands.push(token);
				continue;
			}
			const nums = operands.filter((t) => t.kind === 'number').map((t) => t.value as number);
			switch (token.value) {
				case 'q':
					ctmStack.push(ctm);
					break;
				case 'Q':
					ctm = ctmStack.pop() ?? IDENTITY;
					break;
				case 'cm':
					ctm = multiply(nums.slice(-6) as Matrix, ctm);
					break;
				case 'BT':
					tm = IDENTITY;
					lineMatrix = IDENTITY;
					break;
				case 'Tf':
					for (const t of operands)
						if (t.kind === 'name') font = fonts.has(t.value) ? fontInfo(fonts.get(t.value)!) : null;
					fontSize = nums[nums.length - 1] ?? fontSize;
					break;
				case 'TL':
					leading = nums[0] ?? leading;
					break;
				case 'Tm':
					tm = nums.slice(-6) as Matrix;
					lineMatrix = tm;
					break;
				case 'Td':
				case 'TD':
					if (token.value === 'TD') leading = -nums[1];
					lineMatrix = multiply([1, 0, 0, 1, nums[0], nums[1]], lineMatrix);
					tm = lineMatrix;
					break;
				case 'T*':
				case "'":
				case '"':
					lineMatrix = multiply([1, 0, 0, 1, 0, -leading], lineMatrix);
					tm = lineMatrix;
					if (token.value !== 'T*') {
						const string = operands.findLast((t) => t.kind === 'string');
						if (string) show(string.value as Buffer);
					}
					break;
				case 'Tj': {
					const string = operands.findLast((t) => t.kind === 'string');
					if (string) show(string.value as Buffer);
					break;
				}
				case 'TJ': {
					const array = operands.findLast((t) => t.kind === 'array');
					if (array)
						for (const item of array.value as Token[]) if (item.kind === 'string') show(item.value);
					break;
				}
				case 'BDC': {
					const dict = operands.findLast((t) => t.kind === 'dict');
					const match = dict
						? /\/ActualText\s*<FEFF([0-9a-fA-F]*)>/.exec(dict.value as string)
						: null;
					actualText.push(match ? hexToUtf16(match[1]) : null);
					actualDone = false;
					break;
				}
				case 'BMC':
					actualText.push(null);
					break;
				case 'EMC':
					actualText.pop();
					break;
			}
			operands.length = 0;
		}
		return out;
	});
}

const LIGATURES: Record<string, string> = { ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl' };

/** All pages' text, pages separated by a form feed; Latin ligatures (ﬁ, ﬂ …) spelled out. */
export function pdfText(pdf: Uint8Array): string {
	return pdfPageTexts(pdf)
		.join('\f')
		.replace(/[ﬀﬁﬂﬃﬄ]/g, (ligature) => LIGATURES[ligature]);
}
