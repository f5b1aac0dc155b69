/**
 * The number of features in a GeoJSON FeatureCollection file without building the document:
 * the region list and every readRegion count the network and buildings layers, and parsing a
 * network of a million nodes (tens of MB, one string) only to read `features.length` cost more
 * than a second and hundreds of MB (issue 18). The file is read in 1 MiB chunks through a
 * byte-level JSON scanner that checks the whole text as JSON.parse does (the same documents are
 * refused) and counts the elements of the top-level object's `features` array.
 *
 * The count is `JSON.parse(text).features.length`: the last `features` member wins, as in
 * JSON.parse; a top-level value that is not an object, or a `features` that is not an array,
 * counts 0. A top-level `null` is refused (the old `null.features` was a TypeError).
 */
import { closeSync, openSync, readSync } from 'node:fs';

export class JsonScanError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'JsonScanError';
	}
}

// Scanner states (what the next byte may be).
const VALUE = 0; // a value (after ':' or ',' in an array, or at the start)
const ARRAY_FIRST = 1; // a value or ']'
const OBJECT_FIRST = 2; // a key or '}'
const OBJECT_KEY = 3; // a key (after ',')
const COLON = 4;
const AFTER_VALUE = 5; // ',' or the container's closing bracket (only whitespace at depth 0)
const STRING = 6;
const STRING_ESCAPE = 7;
const STRING_HEX = 8;
const NUMBER = 9;
const LITERAL = 10;

// Number sub-states: what has been read so far.
const N_MINUS = 0; // '-': a digit must follow
const N_ZERO = 1; // a leading 0: '.', 'e' or the end
const N_INT = 2; // integer digits
const N_DOT = 3; // '.': a digit must follow
const N_FRAC = 4;
const N_EXP = 5; // 'e': sign or digit
const N_EXP_SIGN = 6; // sign: a digit must follow
const N_EXP_DIGITS = 7;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FEATURES = [0x66, 0x65, 0x61, 0x74, 0x75, 0x72, 0x65, 0x73]; // "features"
/** Longest raw key that can still read "features" (each letter as \uXXXX). */
const MAX_KEY_BYTES = 6 * FEATURES.length;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;
const isHex = (byte: number) =>
	isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);

/**
 * Feed bytes with `push`, then `end()` for the count.
 * @example const counter = new FeatureCounter(); counter.push(bytes); counter.end() // 3
 */
export class FeatureCounter {
	private state = VALUE;
	/** Open containers, 1 = array, 0 = object; `depth` of them. */
	private stack = new Uint8Array(64);
	private depth = 0;
	private offset = 0;
	private numberState = 0;
	private literal: readonly number[] = [];
	private literalAt = 0;
	private hexLeft = 0;
	/** The string being read is an object key; a key of the top-level object (its bytes are kept). */
	private stringIsKey = false;
	private keyOfTop = false;
	private key: number[] = [];
	private lastKeyIsFeatures = false;
	private topIsObject: boolean | null = null;
	private inFeatures = false;
	private counting = 0;
	private count = 0;

	push(bytes: Uint8Array): void {
		const length = bytes.length;
		let i = 0;
		while (i < length) {
			const byte = bytes[i];
			switch (this.state) {
				case STRING: {
					// The common case: run to the closing quote or an escape.
					let j = i;
					for (; j < length; j++) {
						const b = bytes[j];
						if (b === QUOTE || b === BACKSLASH || b < 0x20) break;
						if (this.keyOfTop && this.key.length <= MAX_KEY_BYTES) this.key.push(b);
					}
					if (j === length) {
						i = j;
						continue;
					}
					const b = bytes[j];
					if (b < 0x20) this.fail(j, 'a control character inside a string');
					if (b === BACKSLASH) {
						if (this.keyOfTop && this.key.length <= MAX_KEY_BYTES) this.key.push(b);
						this.state = STRING_ESCAPE;
					} else this.endString();
					i = j + 1;
					continue;
				}
				case STRING_ESCAPE:
					if (this.keyOfTop && this.key.length <= MAX_KEY_BYTES) this.key.push(byte);
					if (byte === 0x75 /* u */) {
						this.state = STRING_HEX;
						this.hexLeft = 4;
					} else if (
						byte === QUOTE ||
						byte === BACKSLASH ||
						byte === 0x2f ||
						byte === 0x62 ||
						byte === 0x66 ||
						byte === 0x6e ||
						byte === 0x72 ||
						byte === 0x74
					)
						this.state = STRING;
					else this.fail(i, 'a bad escape in a string');
					i++;
					continue;
				case STRING_HEX:
					if (!isHex(byte)) this.fail(i, 'a bad \\u escape in a string');
					if (this.keyOfTop && this.key.length <= MAX_KEY_BYTES) this.key.push(byte);
					if (--this.hexLeft === 0) this.state = STRING;
					i++;
					continue;
				case NUMBER: {
					let j = i;
					for (; j < length; j++) {
						const b = bytes[j];
						const digit = isDigit(b);
						const ns = this.numberState;
						if (ns === N_INT || ns === N_FRAC || ns === N_EXP_DIGITS) {
							if (digit) continue;
							if (ns !== N_EXP_DIGITS && (b === 0x65 || b === 0x45)) this.numberState = N_EXP;
							else if (ns === N_INT && b === 0x2e) this.numberState = N_DOT;
							else break;
						} else if (ns === N_MINUS) {
							if (b === 0x30) this.numberState = N_ZERO;
							else if (digit) this.numberState = N_INT;
							else this.fail(j, 'a digit after "-"');
						} else if (ns === N_ZERO) {
							if (b === 0x2e) this.numberState = N_DOT;
							else if (b === 0x65 || b === 0x45) this.numberState = N_EXP;
							else if (digit) this.fail(j, 'a number with a leading 0');
							else break;
						} else if (ns === N_DOT) {
							if (digit) this.numberState = N_FRAC;
							else this.fail(j, 'a digit after "."');
						} else if (ns === N_EXP) {
							if (b === 0x2b || b === 0x2d) this.numberState = N_EXP_SIGN;
							else if (digit) this.numberState = N_EXP_DIGITS;
							else this.fail(j, 'a digit in the exponent');
						} else {
							if (digit) this.numberState = N_EXP_DIGITS;
							else this.fail(j, 'a digit in the exponent');
						}
					}
					i = j;
					if (j < length) this.state = AFTER_VALUE; // the byte that ended it is read there
					continue;
				}
				case LITERAL:
					if (byte !== this.literal[this.literalAt]) this.fail(i, 'true, false or null');
					if (++this.literalAt === this.literal.length) this.state = AFTER_VALUE;
					i++;
					continue;
			}
			if (isSpace(byte)) {
				i++;
				continue;
			}
			switch (this.state) {
				case VALUE:
				case ARRAY_FIRST:
					if (this.state === ARRAY_FIRST && byte === 0x5d /* ] */) this.close(i, 1);
					else this.startValue(i, byte);
					break;
				case OBJECT_FIRST:
				case OBJECT_KEY:
					if (this.state === OBJECT_FIRST && byte === 0x7d /* } */) this.close(i, 0);
					else if (byte === QUOTE) {
						this.stringIsKey = true;
						this.keyOfTop = this.depth === 1;
						this.key.length = 0;
						this.state = STRING;
					} else this.fail(i, 'a key in double quotes');
					break;
				case COLON:
					if (byte !== 0x3a) this.fail(i, '":"');
					this.state = VALUE;
					break;
				case AFTER_VALUE:
					if (this.depth === 0) this.fail(i, 'the end of the text');
					if (byte === 0x2c /* , */)
						this.state = this.stack[this.depth - 1] === 1 ? VALUE : OBJECT_KEY;
					else if (byte === 0x5d) this.close(i, 1);
					else if (byte === 0x7d) this.close(i, 0);
					else this.fail(i, '",", "]" or "}"');
					break;
			}
			i++;
		}
		this.offset += length;
	}

	/** The features counted; throws JsonScanError when the text is not one complete JSON value. */
	end(): number {
		const ns = this.numberState;
		const numberEnds =
			this.state === NUMBER &&
			(ns === N_ZERO || ns === N_INT || ns === N_FRAC || ns === N_EXP_DIGITS);
		if (this.depth !== 0 || !(this.state === AFTER_VALUE || numberEnds))
			throw new JsonScanError(`unexpected end of JSON input at byte ${this.offset}`);
		if (this.topIsObject === null)
			throw new JsonScanError('the top-level value is null, not a GeoJSON FeatureCollection');
		return this.topIsObject ? this.count : 0;
	}

	private startValue(at: number, byte: number): void {
		// A value right inside the features array is a feature.
		if (this.inFeatures && this.depth === 2) this.counting++;
		const featuresValue = this.depth === 1 && this.lastKeyIsFeatures;
		if (featuresValue) this.count = 0; // the last member wins; not an array counts 0
		if (this.depth === 0) this.topIsObject = byte === 0x7b ? true : byte === 0x6e ? null : false;
		if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) {
			const array = byte === 0x5b ? 1 : 0;
			if (this.depth === this.stack.length) {
				const grown = new Uint8Array(2 * this.stack.length);
				grown.set(this.stack);
				this.stack = grown;
			}
			this.stack[this.depth++] = array;
			this.state = array ? ARRAY_FIRST : OBJECT_FIRST;
			if (featuresValue && array) {
				this.inFeatures = true;
				this.counting = 0;
			}
		} else if (byte === QUOTE) {
			this.stringIsKey = false;
			this.keyOfTop = false;
			this.state = STRING;
		} else if (byte === 0x2d || isDigit(byte)) {
			this.state = NUMBER;
			this.numberState = byte === 0x2d ? N_MINUS : byte === 0x30 ? N_ZERO : N_INT;
		} else if (byte === 0x74 || byte === 0x66 || byte === 0x6e) {
			this.literal =
				byte === 0x74
					? [0x72, 0x75, 0x65]
					: byte === 0x66
						? [0x61, 0x6c, 0x73, 0x65]
						: [0x75, 0x6c, 0x6c];
			this.literalAt = 0;
			this.state = LITERAL;
		} else this.fail(at, 'a value');
	}

	private endString(): void {
		if (this.keyOfTop) this.lastKeyIsFeatures = this.keyIsFeatures();
		this.keyOfTop = false;
		this.state = this.stringIsKey ? COLON : AFTER_VALUE;
	}

	private keyIsFeatures(): boolean {
		const key = this.key;
		if (key.length > MAX_KEY_BYTES) return false;
		if (!key.includes(BACKSLASH))
			return key.length === FEATURES.length && key.every((b, k) => b === FEATURES[k]);
		// Escapes: decode the key as JSON.parse does (it has been checked as JSON already).
		return JSON.parse(`"${String.fromCharCode(...key)}"`) === 'features';
	}

	private close(at: number, array: number): void {
		if (this.depth === 0 || this.stack[this.depth - 1] !== array)
			this.fail(at, array ? '"]" to close an array' : '"}" to close an object');
		this.depth--;
		if (this.inFeatures && array && this.depth === 1) {
			this.count = this.counting;
			this.inFeatures = false;
		}
		this.state = AFTER_VALUE;
	}

	private fail(at: number, expected: string): never {
		throw new JsonScanError(`expected ${expected} at byte ${this.offset + at}`);
	}
}

/**
 * Count the features of a GeoJSON file, reading it in chunks (see the file comment).
 * @throws JsonScanError when the file is not JSON (or its top-level value is null); fs errors
 */
export function countGeoJsonFeatures(path: string): number {
	const counter = new FeatureCounter();
	const chunk = new Uint8Array(1 << 20);
	const fd = openSync(path, 'r');
	try {
		for (;;) {
			const read = readSync(fd, chunk, 0, chunk.length, null);
			if (read === 0) break;
			counter.push(chunk.subarray(0, read));
		}
	} finally {
		closeSync(fd);
	}
	return counter.end();
}
