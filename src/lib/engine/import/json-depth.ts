/**
 * A nesting limit for JSON text, checked before `JSON.parse` (issue 17): V8 parses 100,000
 * nested arrays, but whatever walks the result recursively afterwards (JSON.stringify in a
 * message, zod, turf) ends in an uncaught RangeError with a stack trace. One linear pass over
 * the text counts `[` and `{` outside strings (about a quarter of JSON.parse's time).
 */

/** A MultiPolygon's positions in a Feature in a FeatureCollection are 8 deep; region files at most 8. */
export const MAX_JSON_DEPTH = 64;

/**
 * Where JSON text first nests deeper than `limit`, without parsing it.
 * @param text JSON text (valid or not: a syntax error is left to `JSON.parse`)
 * @param limit the deepest nesting allowed (default `MAX_JSON_DEPTH`); `[[1]]` is 2 deep
 * @returns the offset of the bracket that opens level `limit + 1`, or -1 when none does
 * @example tooDeepAt('[[[1]]]', 2) // 2
 */
export function tooDeepAt(text: string, limit: number = MAX_JSON_DEPTH): number {
	let depth = 0;
	const length = text.length;
	for (let at = 0; at < length; at++) {
		const char = text.charCodeAt(at);
		if (char === 0x22) {
			// A string: brackets inside do not count; a backslash escapes the next character.
			for (at++; at < length; at++) {
				const inside = text.charCodeAt(at);
				if (inside === 0x5c) at++;
				else if (inside === 0x22) break;
			}
		} else if (char === 0x5b || char === 0x7b) {
			if (++depth > limit) return at;
		} else if (char === 0x5d || char === 0x7d) depth--;
	}
	return -1;
}

/** Line and column (1-based) of a character offset, for files opened in an editor. */
export function lineAndColumnOf(text: string, position: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let at = text.indexOf('\n'); at !== -1 && at < position; at = text.indexOf('\n', at + 1)) {
		line++;
		lineStart = at + 1;
	}
	return { line, column: position - lineStart + 1 };
}

/**
 * The refusal of text nested deeper than `limit`, in Chinese and English, or null when it is
 * not. The caller puts the file name in front.
 * @example tooDeepMessage('[[[1]]]', 2) // 'JSON 嵌套超过 2 层（第 1 行第 3 列）…'
 */
export function tooDeepMessage(text: string, limit: number = MAX_JSON_DEPTH): string | null {
	const at = tooDeepAt(text, limit);
	if (at === -1) return null;
	const { line, column } = lineAndColumnOf(text, at);
	return `JSON 嵌套超过 ${limit} 层（第 ${line} 行第 ${column} 列），文件已损坏或不是所需的格式 / JSON nested deeper than ${limit} levels (at line ${line}, column ${column}, character ${at}): GeoJSON and region files need fewer than 10, so the file is damaged or not what it should be`;
}
