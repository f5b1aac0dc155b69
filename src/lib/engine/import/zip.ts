/**
 * Zip entries inflated under a running limit (issue 17): a 1.2 MB zip that inflates to 1.2 GB
 * was inflated completely (1.37 GB RSS, 5.5 s) before being refused. Here each entry goes
 * through fflate's streaming `Inflate` a few KiB of input at a time, counting what comes out,
 * so a bomb is refused after a few MB (`INFLATE_LIMITS`).
 *
 * Entries are listed from the central directory, as fflate's `unzipSync` did, rather than with
 * fflate's streaming `Unzip`: that one reads local headers in order and mistakes signature
 * bytes inside compressed data for the next entry (fflate issues #208, #243; its author advises
 * against it), and it would see entries the central directory no longer lists.
 */
import { Inflate, strFromU8 } from 'fflate';
import { TextDecoder } from '../text.ts';
import { ImportError } from './report.ts';

const MIB = 1024 * 1024;

export interface InflateLimits {
	/** Inflated bytes of all the entries read from one zip, together. */
	maxTotalBytes: number;
	/** Inflated ÷ compressed bytes of one entry, judged once it passed the floor below. */
	maxRatio: number;
	/** Inflated bytes of one entry below which any ratio is accepted (small files compress well). */
	ratioFloorBytes: number;
	/** …or this many times the zip's own size, when that is more (see `INFLATE_LIMITS`). */
	ratioFloorZipMultiple: number;
}

/**
 * 512 MiB in all: an import is at most 100 MiB compressed (server/body-limits.ts) and a
 * Shapefile's .shp and .dbf inflate 2–50 times. 200 : 1 for one entry, judged past 4 MiB or
 * twice the zip's size: a small zip that claims hundreds of MB is a bomb (deflate's ceiling is
 * about 1,030 : 1, where bombs sit), while a big zip may hold one very compressible table
 * (ArcGIS's default Id field of zeros reaches 500 : 1 in a .dbf beside a much bigger .shp).
 */
export const INFLATE_LIMITS: InflateLimits = {
	maxTotalBytes: 512 * MIB,
	maxRatio: 200,
	ratioFloorBytes: 4 * MIB,
	ratioFloorZipMultiple: 2
};

/** Deflate's ceiling: one compressed byte inflates to at most about this many. */
const DEFLATE_MAX_RATIO = 1032;
/**
 * Compressed bytes per push: they start small and double (so a bomb's first pushes give a
 * quarter MiB, not 4 MiB of output and as much garbage), and shrink near a limit (so a refusal
 * comes at most a quarter MiB late).
 */
const MIN_CHUNK_BYTES = 256;
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Zip entry names without the UTF-8 flag come out as Latin-1; on Chinese Windows they are
 * really GBK (or UTF-8 from tools that forget the flag). Re-decode them for messages and
 * layer names.
 */
export function decodeZipName(name: string): string {
	const codes = Array.from(name, (char) => char.charCodeAt(0));
	if (!codes.some((code) => code >= 0x80) || codes.some((code) => code > 0xff)) return name;
	const bytes = Uint8Array.from(codes);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gbk').decode(bytes);
	}
}

const u16 = (d: Uint8Array, at: number) => d[at] | (d[at + 1] << 8);
const u32 = (d: Uint8Array, at: number) =>
	(d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0;
const u64 = (d: Uint8Array, at: number) => u32(d, at) + u32(d, at + 4) * 2 ** 32;

interface CentralEntry {
	/** As fflate names it: UTF-8 when flagged, else Latin-1 (see `decodeZipName`). */
	name: string;
	compression: number;
	compressedBytes: number;
	/** Offset of the entry's local header. */
	localHeader: number;
}

/** The central directory, read the way fflate's `unzipSync` reads it (zip64 included). */
function centralDirectory(bytes: Uint8Array): CentralEntry[] {
	const corrupt = () => new Error('invalid zip data');
	let end = bytes.length - 22;
	while (end >= 0 && u32(bytes, end) !== 0x06054b50) {
		if (end === 0 || bytes.length - end > 65558) throw corrupt();
		end--;
	}
	if (end < 0) throw corrupt();
	let count = u16(bytes, end + 8);
	let offset = u32(bytes, end + 16);
	const zip64 = end >= 20 && u32(bytes, end - 20) === 0x07064b50;
	if (zip64) {
		const record = u32(bytes, end - 12);
		if (u32(bytes, record) === 0x06064b50) {
			count = u32(bytes, record + 32);
			offset = u32(bytes, record + 48);
		}
	}
	const entries: CentralEntry[] = [];
	for (let i = 0; i < count; i++) {
		if (offset + 46 > bytes.length || u32(bytes, offset) !== 0x02014b50) throw corrupt();
		const nameBytes = u16(bytes, offset + 28);
		const extraBytes = u16(bytes, offset + 30);
		const commentBytes = u16(bytes, offset + 32);
		const nameStart = offset + 46;
		const utf8 = (u16(bytes, offset + 8) & 0x0800) !== 0;
		let compressedBytes = u32(bytes, offset + 20);
		const originalBytes = u32(bytes, offset + 24);
		let localHeader = u32(bytes, offset + 42);
		const extraStart = nameStart + nameBytes;
		const wide = [originalBytes, compressedBytes, localHeader].map((v) => +(v === 0xffffffff));
		if (zip64 && wide.some(Boolean)) {
			// The zip64 extra field holds, in this order, only the values left at 0xffffffff.
			for (let at = extraStart; at + 4 < extraStart + extraBytes; at += 4 + u16(bytes, at + 2)) {
				if (u16(bytes, at) !== 1) continue;
				if (wide[1]) compressedBytes = u64(bytes, at + 4 + 8 * wide[0]);
				if (wide[2]) localHeader = u64(bytes, at + 4 + 8 * (wide[0] + wide[1]));
				break;
			}
		}
		entries.push({
			name: strFromU8(bytes.subarray(nameStart, extraStart), !utf8),
			compression: u16(bytes, offset + 10),
			compressedBytes,
			localHeader
		});
		offset = extraStart + extraBytes + commentBytes;
	}
	return entries;
}

/**
 * Inflate the zip's entries that `wanted` picks, refusing the file as soon as what comes out
 * passes `limits`.
 * @param bytes the zip file
 * @param file the file name as the user knows it (in the refusal)
 * @param wanted picks entries by name (fflate's naming: Latin-1 unless UTF-8 is flagged)
 * @param limits defaults to `INFLATE_LIMITS`
 * @returns name → inflated bytes, like fflate's `unzipSync` with a filter
 * @throws ImportError TOO_LARGE past a limit (names the entry); a plain Error for a damaged zip
 *   or an unknown compression method (fflate's messages), for the caller to word
 * @example unzipLimited(bytes, '小区.zip', (name) => name.endsWith('.shp'))
 */
export function unzipLimited(
	bytes: Uint8Array,
	file: string,
	wanted: (name: string) => boolean,
	limits: InflateLimits = INFLATE_LIMITS
): Record<string, Uint8Array> {
	const files: Record<string, Uint8Array> = {};
	const ratioFloor = Math.max(limits.ratioFloorBytes, limits.ratioFloorZipMultiple * bytes.length);
	let total = 0;
	for (const entry of centralDirectory(bytes)) {
		if (!wanted(entry.name)) continue;
		const start = entry.localHeader + 30 + u16(bytes, entry.localHeader + 26);
		const dataStart = start + u16(bytes, entry.localHeader + 28);
		const data = bytes.subarray(dataStart, dataStart + entry.compressedBytes);
		const refuse = (reason: { zh: string; en: string }) =>
			new ImportError(
				'TOO_LARGE',
				file,
				`压缩包内的 ${decodeZipName(entry.name)} ${reason.zh}，已拒绝导入 / ${decodeZipName(entry.name)} in the zip ${reason.en}: refused. Check the file, or import the layer in parts`
			);
		const overTotal = (inflated: number) =>
			refuse({
				zh: `解压后使整个压缩包超过 ${limits.maxTotalBytes / MIB} MiB`,
				en: `takes the zip past ${limits.maxTotalBytes / MIB} MiB inflated (${Math.round((total + inflated) / MIB)} MiB so far)`
			});
		if (entry.compression === 0) {
			if (total + data.length > limits.maxTotalBytes) throw overTotal(data.length);
			files[entry.name] = new Uint8Array(data); // a copy, a plain Uint8Array even from a Buffer
			total += data.length;
			continue;
		}
		if (entry.compression !== 8) throw new Error(`unknown compression type ${entry.compression}`);
		const chunks: Uint8Array[] = [];
		let inflated = 0;
		const inflater = new Inflate((chunk) => {
			chunks.push(chunk);
			inflated += chunk.length;
		});
		let read = 0;
		let pushBytes = MIN_CHUNK_BYTES / 2;
		do {
			// What may still come out before a limit, over the most one byte can give.
			const room = Math.min(
				Math.max(ratioFloor, read * limits.maxRatio) - inflated,
				limits.maxTotalBytes - total - inflated
			);
			pushBytes = Math.min(
				MAX_CHUNK_BYTES,
				2 * pushBytes,
				Math.max(MIN_CHUNK_BYTES, room / DEFLATE_MAX_RATIO)
			);
			const next = Math.min(read + Math.floor(pushBytes), data.length);
			inflater.push(data.subarray(read, next), next === data.length);
			read = next;
			if (total + inflated > limits.maxTotalBytes) throw overTotal(inflated);
			if (inflated > ratioFloor && inflated > read * limits.maxRatio)
				throw refuse({
					zh: `解压后超过压缩大小的 ${limits.maxRatio} 倍（疑似压缩炸弹）`,
					en: `inflates to more than ${limits.maxRatio} times its compressed size (${Math.round(inflated / MIB)} MiB from ${Math.ceil(read / 1024)} KiB so far), like a zip bomb`
				});
		} while (read < data.length);
		const out = new Uint8Array(inflated);
		let at = 0;
		for (const chunk of chunks) {
			out.set(chunk, at);
			at += chunk.length;
		}
		files[entry.name] = out;
		total += inflated;
	}
	return files;
}
