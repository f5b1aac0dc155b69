/**
 * A GeoJSON FeatureCollection read from bytes in chunks, its features handed on one at a time,
 * so that a network of any size loads (issue 18 item 4): a network.geojson was decoded to one
 * string and parsed whole, and V8's string limit (2^29 − 24 characters, about 512 MiB) is
 * reached near 11 M nodes at about 50 bytes per node.
 *
 * How: a byte scanner follows the top-level object strictly (keys, colons, commas) and, inside
 * a top-level `features` array, only strings and bracket depth, which is enough to find the
 * commas between elements. The elements up to the last such comma of a chunk are decoded and
 * parsed together by JSON.parse as `[` + bytes + `]` (the fastest parser at hand, and exactly
 * its numbers and strings), then handed on one by one; the rest waits for the next chunk. Every
 * other top-level member is parsed alone. So no string longer than a chunk (or one feature)
 * exists, nor an array of all features. Measured on a 79 MB 1 M-node grid, reading the
 * features only, three interleaved fresh processes on a loaded machine: this reader 2.4–3.0 s
 * and 153–161 MiB peak RSS, JSON.parse of the whole text 1.7–2.7 s and 393 MiB,
 * @streamparser/json 0.0.26 (a parser in JS) 8.8–15.7 s and 157 MiB.
 *
 * What JSON.parse of the whole text would give, it gives: the same texts are refused (each
 * parsed part and the strict outer scan together check every byte: pieces cut at commas are
 * valid only if the whole array is), a later `features` or `type` member replaces an earlier
 * one, a leading UTF-8 BOM is skipped as TextDecoder skips it. A refusal says where: the byte
 * offset, line and column (in characters) of the first byte that cannot be JSON there, found
 * by a strict scan of the part JSON.parse refused (only then, so valid files pay nothing).
 */
import { TextDecoder } from '../text.ts';

/** The bytes are not JSON; `offset` is the file's byte offset of the first bad byte. */
export class JsonSyntaxError extends Error {
	readonly code = 'INVALID_JSON';
	/** What was expected there, e.g. `"," or "]"`. */
	readonly expected: string;
	/** Byte offset in the whole input (0-based). */
	readonly offset: number;
	/** Line (1-based) and column (1-based, in characters) of that byte. */
	readonly line: number;
	readonly column: number;
	constructor(expected: string, offset: number, line: number, column: number) {
		super(`expected ${expected} at byte ${offset} (line ${line}, column ${column})`);
		this.name = 'JsonSyntaxError';
		this.expected = expected;
		this.offset = offset;
		this.line = line;
		this.column = column;
	}
}

/** Where the features go. */
export interface FeatureSink {
	/** A top-level `features` array begins; a later one replaces an earlier (JSON.parse keeps the last). */
	startFeatures(): void;
	/** The next element of that array, as JSON.parse gives it. */
	feature(value: unknown): void;
}

/** The top-level members that decide whether the text is a FeatureCollection. */
export interface FeatureCollectionSummary {
	/** The value of the last top-level `type` member; undefined when there is none. */
	type: unknown;
	/** The last top-level `features` member is an array (false when there is none). */
	featuresIsArray: boolean;
}

/** Bytes of features parsed together at most (a smaller chunk is parsed at its end). */
const MAX_PIECE_BYTES = 4 << 20;

// Reader states: the top-level object, strictly.
const START = 0; // whitespace, then "{" (a BOM at byte 0 is skipped)
const OBJECT_FIRST = 1; // a key or "}"
const OBJECT_KEY = 2; // a key (after ",")
const KEY = 3; // inside a key string
const COLON = 4;
const VALUE = 5; // a member's value
const MEMBER = 6; // inside a member's value (not the features array)
const FEATURES = 7; // inside the features array
const AFTER_FEATURES = 8; // "," or "}"
const END = 9; // after the top-level object: whitespace only

const KEY_OTHER = 0;
const KEY_FEATURES = 1;
const KEY_TYPE = 2;

// Byte classes of a member value's scan; 0 = nothing to do.
const C_OPEN = 1;
const C_CLOSE_ARRAY = 2;
const C_CLOSE_OBJECT = 3;
const C_COMMA = 4;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[0x5b] = C_OPEN;
BYTE_CLASS[0x7b] = C_OPEN;
BYTE_CLASS[0x5d] = C_CLOSE_ARRAY;
BYTE_CLASS[0x7d] = C_CLOSE_OBJECT;
BYTE_CLASS[0x2c] = C_COMMA;

const FEATURES_KEY = [0x22, 0x66, 0x65, 0x61, 0x74, 0x75, 0x72, 0x65, 0x73, 0x22]; // "features"
const TYPE_KEY = [0x22, 0x74, 0x79, 0x70, 0x65, 0x22]; // "type"
const BOM = [0xef, 0xbb, 0xbf];

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;
const isHex = (byte: number) =>
	isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);

/** Line (1-based) and characters since the line began (0-based). */
interface Position {
	line: number;
	column: number;
}

/** The position after `bytes[from, to)`, starting at `start`. */
function advance(start: Position, bytes: Uint8Array, from: number, to: number): Position {
	let { line, column } = start;
	let lineStart = from;
	const span = bytes.subarray(from, to);
	for (let at = span.indexOf(0x0a); at !== -1; at = span.indexOf(0x0a, at + 1)) {
		line++;
		column = 0;
		lineStart = from + at + 1;
	}
	// Characters, not bytes: count all but UTF-8 continuation bytes.
	for (let k = lineStart; k < to; k++) if ((bytes[k] & 0xc0) !== 0x80) column++;
	return { line, column };
}

/** A text that starts as a UTF-8 BOM but is not one: TextDecoder gives U+FFFD, not JSON. */
const failAtBom = (): never => {
	throw new JsonSyntaxError('"{"', 0, 1, 1);
};

const sameBytes = (bytes: Uint8Array, expected: readonly number[]) =>
	bytes.length === expected.length && expected.every((byte, k) => bytes[k] === byte);

/**
 * The first byte of `bytes` that cannot be JSON there, or null when there is none. `inArray`:
 * the bytes are elements of an array between two of its commas or brackets (one value or
 * more, comma-separated); else one value. Only run on text JSON.parse refused.
 */
export function firstSyntaxError(
	bytes: Uint8Array,
	inArray: boolean
): { at: number; expected: string } | null {
	const n = bytes.length;
	const V = 0; // a value
	const V_OR_CLOSE = 1; // a value or "]"
	const K = 2; // a key
	const K_OR_CLOSE = 3; // a key or "}"
	const C = 4; // ":"
	const AFTER = 5; // "," or a closing bracket
	/** Open containers: 1 = array, 0 = object; the first is the array the elements are in. */
	const stack: number[] = inArray ? [1] : [];
	let state = V;
	let i = 0;
	const string = (): { at: number; expected: string } | number => {
		for (let j = i + 1; ;) {
			if (j >= n) return { at: n, expected: 'a closing quote' };
			const b = bytes[j];
			if (b === 0x22) return j + 1;
			if (b < 0x20)
				return { at: j, expected: 'no control character in a string (write it as \\n or \\u00XX)' };
			if (b !== 0x5c) {
				j++;
				continue;
			}
			const escaped = bytes[j + 1];
			if (j + 1 >= n) return { at: n, expected: 'an escape after "\\"' };
			if (escaped === 0x75 /* u */) {
				for (let h = j + 2; h < j + 6; h++)
					if (h >= n || !isHex(bytes[h])) return { at: Math.min(h, n), expected: '4 hex digits' };
				j += 6;
			} else if ([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(escaped)) j += 2;
			else
				return { at: j + 1, expected: 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)' };
		}
	};
	const number = (): { at: number; expected: string } | number => {
		let j = i;
		if (bytes[j] === 0x2d) j++;
		if (!(j < n && isDigit(bytes[j]))) return { at: j, expected: 'a digit' };
		if (bytes[j] === 0x30) j++;
		else while (j < n && isDigit(bytes[j])) j++;
		if (bytes[j] === 0x2e) {
			j++;
			if (!(j < n && isDigit(bytes[j]))) return { at: j, expected: 'a digit after "."' };
			while (j < n && isDigit(bytes[j])) j++;
		}
		if (bytes[j] === 0x65 || bytes[j] === 0x45) {
			j++;
			if (bytes[j] === 0x2b || bytes[j] === 0x2d) j++;
			if (!(j < n && isDigit(bytes[j]))) return { at: j, expected: 'a digit in the exponent' };
			while (j < n && isDigit(bytes[j])) j++;
		}
		return j;
	};
	const literal = (word: readonly number[]): { at: number; expected: string } | number => {
		for (let k = 0; k < word.length; k++)
			if (bytes[i + k] !== word[k])
				return { at: Math.min(i + k, n), expected: 'true, false or null' };
		return i + word.length;
	};
	for (;;) {
		while (i < n && isSpace(bytes[i])) i++;
		if (i === n) break;
		const b = bytes[i];
		const top = stack.length === 0 ? -1 : stack[stack.length - 1];
		if (state === V || state === V_OR_CLOSE) {
			if (state === V_OR_CLOSE && b === 0x5d) {
				stack.pop();
				i++;
				state = AFTER;
				continue;
			}
			let end: { at: number; expected: string } | number;
			if (b === 0x7b || b === 0x5b) {
				stack.push(b === 0x5b ? 1 : 0);
				i++;
				state = b === 0x5b ? V_OR_CLOSE : K_OR_CLOSE;
				continue;
			} else if (b === 0x22) end = string();
			else if (b === 0x2d || isDigit(b)) end = number();
			else if (b === 0x74) end = literal([0x74, 0x72, 0x75, 0x65]);
			else if (b === 0x66) end = literal([0x66, 0x61, 0x6c, 0x73, 0x65]);
			else if (b === 0x6e) end = literal([0x6e, 0x75, 0x6c, 0x6c]);
			else return { at: i, expected: 'a value' };
			if (typeof end !== 'number') return end;
			i = end;
			state = AFTER;
		} else if (state === K || state === K_OR_CLOSE) {
			if (state === K_OR_CLOSE && b === 0x7d) {
				stack.pop();
				i++;
				state = AFTER;
				continue;
			}
			if (b !== 0x22) return { at: i, expected: 'a key in double quotes' };
			const end = string();
			if (typeof end !== 'number') return end;
			i = end;
			state = C;
		} else if (state === C) {
			if (b !== 0x3a) return { at: i, expected: '":"' };
			i++;
			state = V;
		} else {
			// AFTER: the array holding the elements cannot close inside them.
			const closable = stack.length > (inArray ? 1 : 0);
			if (b === 0x2c && top !== -1) state = top === 1 ? V : K;
			else if (closable && b === 0x5d && top === 1) stack.pop();
			else if (closable && b === 0x7d && top === 0) stack.pop();
			else
				return {
					at: i,
					// A value alone is a member of the top-level object: "," or "}" ends it.
					expected: top === 1 ? '"," or "]"' : '"," or "}"'
				};
			i++;
		}
	}
	if (state === AFTER && stack.length === (inArray ? 1 : 0)) return null;
	const expected =
		state === V || state === V_OR_CLOSE
			? 'a value'
			: state === K || state === K_OR_CLOSE
				? 'a key in double quotes'
				: state === C
					? '":"'
					: stack[stack.length - 1] === 1
						? '"," or "]"'
						: '"," or "}"';
	return { at: n, expected };
}

/**
 * Push the bytes of a FeatureCollection in chunks of any size, then `end()`. The features go
 * to the sink as they are read. The caller may reuse a chunk's buffer once `push` returns.
 * @throws JsonSyntaxError from `push` or `end` when the text is not JSON
 * @example
 * const reader = new FeatureCollectionReader({ startFeatures() {}, feature: (f) => list.push(f) });
 * for (const chunk of chunks) reader.push(chunk);
 * const { type, featuresIsArray } = reader.end();
 */
export class FeatureCollectionReader {
	private readonly sink: FeatureSink;
	private readonly decoder = new TextDecoder();
	private state = START;
	/** Byte offset of the current chunk in the whole input. */
	private offset = 0;
	/** Position at the current chunk's first byte (after `push`: at its end). */
	private chunkPosition: Position = { line: 1, column: 0 };
	private chunk: Uint8Array = new Uint8Array(0);
	private bomBytes = 0;
	private keyKind = KEY_OTHER;
	private type: unknown = undefined;
	private featuresIsArray = false;

	// The piece being read: a key, a member's value or features between two cuts. Its bytes
	// from earlier chunks are copied to `pieceParts`; in this chunk it starts at `pieceStart`.
	private pieceParts: Uint8Array[] = [];
	private piecePartsBytes = 0;
	private pieceStart = 0;
	/** Byte offset of the piece's first byte in the whole input. */
	private pieceOffset = 0;
	/** Position of the piece's first byte, once it has left its first chunk. */
	private piecePosition: Position | null = null;
	/** The features piece follows a comma (it must hold a value), not the array's "[". */
	private pieceAfterComma = false;

	// The scan of a member value or of the features array.
	private depth = 0;
	private inString = false;
	private escapePending = false;

	constructor(sink: FeatureSink) {
		this.sink = sink;
	}

	push(bytes: Uint8Array): void {
		this.chunk = bytes;
		const n = bytes.length;
		let i = 0;
		if (this.escapePending && n > 0) {
			this.escapePending = false;
			i = 1;
		}
		while (i < n) {
			if (this.state === FEATURES) i = this.scanFeatures(bytes, i);
			else if (this.state === MEMBER) i = this.scanMember(bytes, i);
			else if (this.state === KEY) i = this.scanKey(bytes, i);
			else i = this.scanObject(bytes, i);
		}
		this.endChunk(bytes);
	}

	end(): FeatureCollectionSummary {
		if (this.state === END) return { type: this.type, featuresIsArray: this.featuresIsArray };
		if (this.bomBytes > 0 && this.bomBytes < 3) failAtBom();
		const total = this.offset;
		if (this.state === FEATURES || this.state === MEMBER || this.state === KEY) {
			// The first error may lie inside the unfinished piece; else it is where the text ends.
			const bytes = this.pieceBytes(this.chunk.length);
			const error = firstSyntaxError(bytes, this.state === FEATURES);
			if (error) this.failInPiece(error.expected, error.at, bytes);
		}
		const expected =
			this.state === START
				? '"{"'
				: this.state === OBJECT_FIRST || this.state === OBJECT_KEY
					? 'a key in double quotes'
					: this.state === COLON
						? '":"'
						: this.state === VALUE
							? 'a value'
							: this.state === AFTER_FEATURES
								? '"," or "}"'
								: 'more JSON (the text ends early)';
		return this.syntaxError(expected, total, this.chunkPosition);
	}

	/** The top-level object, byte by byte (whitespace, "{", keys, ":", ",", "}"). */
	private scanObject(bytes: Uint8Array, i: number): number {
		const b = bytes[i];
		const at = this.offset + i;
		if (this.state === START && at < 3 && b === BOM[at] && this.bomBytes === at) {
			this.bomBytes++;
			return i + 1;
		}
		if (this.bomBytes > 0 && this.bomBytes < 3) failAtBom();
		if (isSpace(b)) return i + 1;
		switch (this.state) {
			case START:
				if (b !== 0x7b) this.fail('"{" (a GeoJSON FeatureCollection)', at);
				this.state = OBJECT_FIRST;
				return i + 1;
			case OBJECT_FIRST:
			case OBJECT_KEY:
				if (b === 0x7d && this.state === OBJECT_FIRST) {
					this.state = END;
					return i + 1;
				}
				if (b !== 0x22)
					this.fail(
						this.state === OBJECT_FIRST
							? 'a key in double quotes or "}"'
							: 'a key in double quotes',
						at
					);
				this.startPiece(i);
				this.inString = true;
				this.state = KEY;
				return i + 1;
			case COLON:
				if (b !== 0x3a) this.fail('":"', at);
				this.state = VALUE;
				return i + 1;
			case VALUE:
				if (this.keyKind === KEY_FEATURES) this.featuresIsArray = b === 0x5b;
				this.depth = 0;
				this.inString = false;
				if (this.keyKind === KEY_FEATURES && b === 0x5b) {
					this.sink.startFeatures();
					this.startPiece(i + 1);
					this.pieceAfterComma = false;
					this.state = FEATURES;
					return i + 1;
				}
				this.startPiece(i);
				this.state = MEMBER;
				return i;
			case AFTER_FEATURES:
				if (b === 0x2c) this.state = OBJECT_KEY;
				else if (b === 0x7d) this.state = END;
				else this.fail('"," or "}"', at);
				return i + 1;
			default:
				return this.fail('the end of the text', at);
		}
	}

	/** A key string, up to its closing quote. */
	private scanKey(bytes: Uint8Array, i: number): number {
		const n = bytes.length;
		for (; i < n; i++) {
			const b = bytes[i];
			if (b === 0x5c) {
				if (i + 1 < n) i++;
				else this.escapePending = true;
			} else if (b === 0x22) {
				const key = this.pieceBytes(i + 1);
				this.keyKind = this.kindOfKey(key);
				this.state = COLON;
				return i + 1;
			}
		}
		return n;
	}

	private kindOfKey(key: Uint8Array): number {
		if (sameBytes(key, FEATURES_KEY)) return KEY_FEATURES;
		if (sameBytes(key, TYPE_KEY)) return KEY_TYPE;
		if (!key.some((byte) => byte === 0x5c || byte < 0x20)) return KEY_OTHER;
		const text = this.parsePiece(key, false) as string;
		return text === 'features' ? KEY_FEATURES : text === 'type' ? KEY_TYPE : KEY_OTHER;
	}

	/** Inside a string from `i`: the index of its closing quote, or `n` when it goes on. */
	private skipString(bytes: Uint8Array, i: number): number {
		const n = bytes.length;
		for (; i < n; i++) {
			const b = bytes[i];
			if (b === 0x22) {
				this.inString = false;
				return i;
			}
			if (b === 0x5c) {
				if (i + 1 < n) i++;
				else this.escapePending = true;
			}
		}
		this.inString = true;
		return n;
	}

	/** A member's value other than the features array: to the "," or "}" that ends it. */
	private scanMember(bytes: Uint8Array, i: number): number {
		const n = bytes.length;
		if (this.inString) {
			// A string left open by the last chunk: go on after its closing quote.
			i = this.skipString(bytes, i);
			if (i === n) return n;
			i++;
		}
		let depth = this.depth;
		for (; i < n; i++) {
			const b = bytes[i];
			if (b === 0x22) {
				if ((i = this.skipString(bytes, i + 1)) === n) break;
				continue;
			}
			const kind = BYTE_CLASS[b];
			if (kind === 0) continue;
			if (kind === C_OPEN) depth++;
			else if (depth > 0) {
				if (kind !== C_COMMA) depth--;
			} else {
				// A "]" here cannot be right: parse it with the value so that the error is found.
				const value = this.parsePiece(this.pieceBytes(kind === C_CLOSE_ARRAY ? i + 1 : i), false);
				if (this.keyKind === KEY_TYPE) this.type = value;
				this.state = kind === C_COMMA ? OBJECT_KEY : END;
				return i + 1;
			}
		}
		this.depth = depth;
		return n;
	}

	/**
	 * The features array: strings and depth only, to find the commas between elements. The hot
	 * loop of a load (every byte of the file passes here): digits, the bulk of coordinates, are
	 * skipped by the first test.
	 */
	private scanFeatures(bytes: Uint8Array, i: number): number {
		const n = bytes.length;
		if (this.inString) {
			// A string left open by the last chunk: go on after its closing quote.
			i = this.skipString(bytes, i);
			if (i === n) return n;
			i++;
		}
		let depth = this.depth;
		for (; i < n; i++) {
			const b = bytes[i];
			if ((b & 0xf0) === 0x30) continue; // 0-9 (and :;<=>?)
			if (b === 0x22) {
				if ((i = this.skipString(bytes, i + 1)) === n) break;
				continue;
			}
			if (b === 0x5b || b === 0x7b) depth++;
			else if (b === 0x5d || b === 0x7d) {
				if (depth > 0) {
					depth--;
					continue;
				}
				this.depth = 0;
				this.lastComma = -1;
				// "]" ends the array; a "}" cannot be right: parse it with the elements.
				this.parseFeatures(this.pieceBytes(b === 0x5d ? i : i + 1), true);
				this.state = AFTER_FEATURES;
				return i + 1;
			} else if (b === 0x2c && depth === 0) {
				if (i - this.pieceStart + this.piecePartsBytes >= MAX_PIECE_BYTES) this.cutFeatures(i);
				else this.lastComma = i;
			}
		}
		this.depth = depth;
		return n;
	}

	/** Index in this chunk of the last comma between features not yet cut at; -1 when none. */
	private lastComma = -1;

	/** Parse the features before the comma at `comma` (this chunk); the next piece follows it. */
	private cutFeatures(comma: number): void {
		this.parseFeatures(this.pieceBytes(comma), false);
		this.startPiece(comma + 1);
		this.pieceAfterComma = true;
		this.lastComma = -1;
	}

	private parseFeatures(bytes: Uint8Array, atArrayEnd: boolean): void {
		let blank = true;
		for (let k = 0; k < bytes.length && blank; k++) blank = isSpace(bytes[k]);
		if (blank) {
			// "[ ]" is an empty array; a blank between a comma and anything is a missing value.
			if (this.pieceAfterComma || !atArrayEnd) this.failInPiece('a value', bytes.length, bytes);
			return;
		}
		const features = this.parsePiece(bytes, true) as unknown[];
		for (const feature of features) this.sink.feature(feature);
	}

	/**
	 * JSON.parse of a piece: elements of the features array, or one value (a key string, a
	 * member's value). Wrapped in "[" "]": an ASCII byte first keeps TextDecoder from taking a
	 * BOM-like start away, as it would not in the middle of the whole text.
	 */
	private parsePiece(bytes: Uint8Array, elements: boolean): unknown {
		const wrapped = new Uint8Array(bytes.length + 2);
		wrapped[0] = 0x5b;
		wrapped.set(bytes, 1);
		wrapped[bytes.length + 1] = 0x5d;
		let parsed: unknown[];
		try {
			parsed = JSON.parse(this.decoder.decode(wrapped)) as unknown[];
		} catch (error) {
			const found = firstSyntaxError(bytes, elements);
			// The strict scan agrees with JSON.parse (tested); should it not, say what V8 said.
			if (found) this.failInPiece(found.expected, found.at, bytes);
			this.failInPiece(`valid JSON (${(error as Error).message})`, 0, bytes);
		}
		return elements ? parsed : parsed[0];
	}

	/** The piece's bytes up to `end` (exclusive) in the current chunk. */
	private pieceBytes(end: number): Uint8Array {
		const here = this.chunk.subarray(this.pieceStart, end);
		if (this.pieceParts.length === 0) return here;
		const bytes = new Uint8Array(this.piecePartsBytes + here.length);
		let at = 0;
		for (const part of this.pieceParts) {
			bytes.set(part, at);
			at += part.length;
		}
		bytes.set(here, at);
		this.pieceParts = [];
		this.piecePartsBytes = 0;
		return bytes;
	}

	private startPiece(start: number): void {
		this.pieceParts = [];
		this.piecePartsBytes = 0;
		this.pieceStart = start;
		this.pieceOffset = this.offset + start;
		this.piecePosition = null;
	}

	/** Parse the whole features of the chunk, keep the unfinished piece, move the position on. */
	private endChunk(bytes: Uint8Array): void {
		const n = bytes.length;
		if (this.state === FEATURES && this.lastComma >= 0) this.cutFeatures(this.lastComma);
		const open = this.state === FEATURES || this.state === MEMBER || this.state === KEY;
		if (open && this.pieceStart < n) {
			const rest = bytes.slice(this.pieceStart, n);
			this.pieceParts.push(rest);
			this.piecePartsBytes += rest.length;
		}
		if (open && this.piecePosition === null) {
			this.piecePosition = advance(this.chunkPosition, bytes, 0, Math.min(this.pieceStart, n));
			this.chunkPosition = advance(this.piecePosition, bytes, Math.min(this.pieceStart, n), n);
		} else this.chunkPosition = advance(this.chunkPosition, bytes, 0, n);
		this.pieceStart = 0;
		this.offset += n;
		this.chunk = new Uint8Array(0);
	}

	/** Fail at byte `at` of a piece whose bytes are `bytes` (from `pieceOffset`). */
	private failInPiece(expected: string, at: number, bytes: Uint8Array): never {
		const offset = this.pieceOffset + at;
		if (this.piecePosition === null) return this.fail(expected, offset);
		return this.syntaxError(expected, offset, advance(this.piecePosition, bytes, 0, at));
	}

	/** Fail at byte `offset` of the whole input, which lies in the current chunk (or is byte 0). */
	private fail(expected: string, offset: number): never {
		const inChunk = Math.max(0, Math.min(offset - this.offset, this.chunk.length));
		return this.syntaxError(expected, offset, advance(this.chunkPosition, this.chunk, 0, inChunk));
	}

	private syntaxError(expected: string, offset: number, position: Position): never {
		// A BOM is no character of the first line (editors do not show it; TextDecoder drops it).
		const bom = this.bomBytes === 3 && position.line === 1 ? 1 : 0;
		throw new JsonSyntaxError(expected, offset, position.line, position.column + 1 - bom);
	}
}
