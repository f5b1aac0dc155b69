/**
 * A PMTiles v3 archive writer: one file holding every tile of a tile set, read by HTTP range
 * requests (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md). The `pmtiles` npm
 * package only reads archives, so the writing side is here; tests/scripts/pmtiles-writer.test.ts
 * reads what this writes back through that reader.
 *
 * Layout, in file order:
 *
 *   header (127 bytes) | root directory | JSON metadata | leaf directories | tile data
 *
 * - Tiles are addressed by Hilbert tile id (z0 first, then z1 … each zoom along a Hilbert curve),
 *   so tiles near each other on the map lie near each other in the file.
 * - Tile data is written in tile-id order (clustered). Identical tiles are stored once: a polygon
 *   interior repeats the same bytes over many tiles, and consecutive tile ids with the same bytes
 *   become one directory entry with a run length.
 * - The root directory must fit in the first 16 KiB with the header (readers fetch that much
 *   first); when it does not, entries move into leaf directories and the root points at them.
 * - Bytes are deterministic: gzip with mtime 0 and no file name, metadata JSON in the key order
 *   given, nothing taken from the clock or the machine.
 */
import { gzipSync } from 'fflate';

/** A tile address, "z/x/y" (XYZ scheme: y = 0 at the north edge). */
export type Zxy = `${number}/${number}/${number}`;

/** PMTiles compression codes (spec v3, header bytes 97 and 98). */
export const PMTILES_COMPRESSION = { unknown: 0, none: 1, gzip: 2, brotli: 3, zstd: 4 } as const;
/** PMTiles tile type codes (header byte 99). */
export const PMTILES_TILE_TYPE = { unknown: 0, mvt: 1, png: 2, jpeg: 3, webp: 4, avif: 5 } as const;

/** Size of the fixed header. */
export const PMTILES_HEADER_BYTES = 127;
/** Header + root directory must fit in this many bytes (what readers fetch first). */
export const PMTILES_ROOT_FETCH_BYTES = 16_384;
/** Highest zoom whose tile ids stay exact in a JS number (the reader refuses more too). */
const MAX_ZOOM = 26;

export interface PmtilesMeta {
	/** Tile format; `mvt` for Mapbox Vector Tiles. */
	tileType: keyof typeof PMTILES_TILE_TYPE;
	/** How each tile is compressed in the archive; the input tiles are uncompressed. Default `gzip`. */
	tileCompression?: 'gzip' | 'none';
	/** How directories and metadata are compressed. Default `gzip`. */
	internalCompression?: 'gzip' | 'none';
	/** [west, south, east, north], WGS84 degrees (stored as integers of 1e-7°). */
	bounds: [number, number, number, number];
	/** [lon, lat, zoom] a viewer opens at; default: the middle of `bounds` at the lowest zoom. */
	center?: [number, number, number];
	/** The JSON metadata (TileJSON-like: name, attribution, vector_layers …), written as given. */
	metadata: Record<string, unknown>;
	/**
	 * Largest number of entries per leaf directory to start from when the root does not fit in
	 * the first 16 KiB (doubled until it does). Default 4096; tests lower it to force leaves.
	 */
	leafEntries?: number;
	/**
	 * Force leaf directories even when the root would fit (tests of the leaf path). Default false.
	 */
	forceLeaves?: boolean;
}

/** One directory entry (spec v3 §4): a run of `runLength` tiles, or a leaf directory when 0. */
export interface PmtilesEntry {
	tileId: number;
	/** Bytes from the start of the tile data section (or of the leaf section, for leaves). */
	offset: number;
	length: number;
	runLength: number;
}

/** What was written, for reports and tests. */
export interface PmtilesStats {
	bytes: number;
	/** Tiles that can be requested (the input's size). */
	addressedTiles: number;
	/** Directory entries after run-length merging. */
	tileEntries: number;
	/** Distinct tile contents stored. */
	tileContents: number;
	/** Leaf directories (0 when the root holds every entry). */
	leafDirectories: number;
	minZoom: number;
	maxZoom: number;
}

/**
 * Hilbert tile id of z/x/y: the number of tiles on all lower zooms, plus the position of (x, y)
 * along the Hilbert curve of zoom z.
 * @throws Error when z > 26 or x/y lie outside zoom z
 * @example zxyToTileId(0, 0, 0) === 0; zxyToTileId(1, 0, 0) === 1
 */
export function zxyToTileId(z: number, x: number, y: number): number {
	if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM)
		throw new Error(`zoom ${z} is not an integer in 0–${MAX_ZOOM}`);
	const size = 2 ** z;
	if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= size || y >= size)
		throw new Error(`tile ${z}/${x}/${y} lies outside zoom ${z} (x and y in 0–${size - 1})`);
	let id = (4 ** z - 1) / 3; // tiles on zooms 0 … z-1
	let tx = x;
	let ty = y;
	for (let s = size / 2; s >= 1; s /= 2) {
		const rx = tx & s ? 1 : 0;
		const ry = ty & s ? 1 : 0;
		id += s * s * ((3 * rx) ^ ry);
		// Rotate the quadrant so that the curve inside it runs the standard way.
		tx &= s - 1;
		ty &= s - 1;
		if (ry === 0) {
			if (rx === 1) {
				tx = s - 1 - tx;
				ty = s - 1 - ty;
			}
			[tx, ty] = [ty, tx];
		}
	}
	return id;
}

/** Parse a "z/x/y" key. */
export function parseZxy(key: string): [number, number, number] {
	const match = /^(\d+)\/(\d+)\/(\d+)$/.exec(key);
	if (!match) throw new Error(`tile key "${key}" is not "z/x/y" with non-negative integers`);
	return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Append an unsigned LEB128 varint (values up to 2^53, so no 32-bit bit operations). */
function pushVarint(out: number[], value: number): void {
	let rest = value;
	while (rest >= 0x80) {
		out.push((rest % 0x80) | 0x80);
		rest = Math.floor(rest / 0x80);
	}
	out.push(rest);
}

/** Serialise directory entries (spec v3 §4.2): counts, then ids, run lengths, lengths, offsets. */
export function serializeDirectory(entries: readonly PmtilesEntry[]): Uint8Array {
	const out: number[] = [];
	pushVarint(out, entries.length);
	let lastId = 0;
	for (const entry of entries) {
		pushVarint(out, entry.tileId - lastId);
		lastId = entry.tileId;
	}
	for (const entry of entries) pushVarint(out, entry.runLength);
	for (const entry of entries) pushVarint(out, entry.length);
	entries.forEach((entry, i) => {
		const previous = entries[i - 1];
		// 0 = "right after the previous entry"; otherwise offset + 1.
		if (previous && entry.offset === previous.offset + previous.length) pushVarint(out, 0);
		else pushVarint(out, entry.offset + 1);
	});
	return Uint8Array.from(out);
}

function compress(bytes: Uint8Array, how: 'gzip' | 'none'): Uint8Array {
	// mtime 0 and no file name: the same input always gives the same bytes.
	return how === 'gzip' ? gzipSync(bytes, { level: 9, mtime: 0 }) : bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

/** FNV-1a over the bytes: a bucket key for finding identical tiles (equality is then checked). */
function fnv1a(bytes: Uint8Array): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
	return hash >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

interface Directories {
	root: Uint8Array;
	leaves: Uint8Array;
	leafCount: number;
}

/**
 * Root directory alone when it fits in the first 16 KiB with the header, else leaf directories
 * of `leafEntries` entries (doubled until the root of leaf pointers fits).
 */
function buildDirectories(
	entries: PmtilesEntry[],
	internal: 'gzip' | 'none',
	leafEntries: number,
	forceLeaves: boolean
): Directories {
	const maxRoot = PMTILES_ROOT_FETCH_BYTES - PMTILES_HEADER_BYTES;
	if (!forceLeaves) {
		const root = compress(serializeDirectory(entries), internal);
		if (root.length <= maxRoot) return { root, leaves: new Uint8Array(0), leafCount: 0 };
	}
	for (let size = Math.max(1, leafEntries); ; size *= 2) {
		const leafParts: Uint8Array[] = [];
		const rootEntries: PmtilesEntry[] = [];
		let offset = 0;
		for (let start = 0; start < entries.length; start += size) {
			const chunk = entries.slice(start, start + size);
			const leaf = compress(serializeDirectory(chunk), internal);
			rootEntries.push({ tileId: chunk[0].tileId, offset, length: leaf.length, runLength: 0 });
			leafParts.push(leaf);
			offset += leaf.length;
		}
		const root = compress(serializeDirectory(rootEntries), internal);
		if (root.length <= maxRoot)
			return { root, leaves: concat(leafParts), leafCount: leafParts.length };
		if (size >= entries.length)
			throw new Error(`PMTiles root directory does not fit in ${maxRoot} bytes`);
	}
}

function setUint64(view: DataView, at: number, value: number): void {
	view.setUint32(at, value % 2 ** 32, true);
	view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

function toE7(degrees: number): number {
	return Math.round(degrees * 1e7);
}

/**
 * Pack tiles into a PMTiles v3 archive. Pure: the same tiles and meta give the same bytes.
 *
 * @param tiles "z/x/y" → uncompressed tile bytes (an MVT for `tileType: 'mvt'`); at least one
 * @param meta tile type, compression (default gzip for tiles and directories), bounds, centre and
 *   the JSON metadata (for vector tiles put `vector_layers` there)
 * @returns the archive bytes and what it holds
 * @throws Error when there are no tiles, a key is not "z/x/y" or lies outside its zoom, or z > 26
 * @example
 * const { bytes } = writePmtiles(new Map([['0/0/0', mvt]]), {
 *   tileType: 'mvt', bounds: [-180, -85, 180, 85], metadata: { vector_layers: [] }
 * });
 */
export function writePmtiles(
	tiles: ReadonlyMap<string, Uint8Array>,
	meta: PmtilesMeta
): { bytes: Uint8Array; stats: PmtilesStats } {
	if (tiles.size === 0) throw new Error('writePmtiles: no tiles to write');
	const tileCompression = meta.tileCompression ?? 'gzip';
	const internalCompression = meta.internalCompression ?? 'gzip';

	const addressed = [...tiles].map(([key, data]) => {
		const [z, x, y] = parseZxy(key);
		return { z, tileId: zxyToTileId(z, x, y), data };
	});
	addressed.sort((a, b) => a.tileId - b.tileId);
	for (let i = 1; i < addressed.length; i++)
		if (addressed[i].tileId === addressed[i - 1].tileId)
			throw new Error(`writePmtiles: two keys name tile id ${addressed[i].tileId}`);

	// Tile data in tile-id order; a content seen before points back at its first copy.
	const stored = new Map<number, { data: Uint8Array; offset: number }[]>();
	const dataParts: Uint8Array[] = [];
	let dataLength = 0;
	let tileContents = 0;
	const entries: PmtilesEntry[] = [];
	for (const tile of addressed) {
		const data = compress(tile.data, tileCompression);
		const hash = fnv1a(data);
		const bucket = stored.get(hash) ?? [];
		let offset = bucket.find((candidate) => sameBytes(candidate.data, data))?.offset;
		if (offset === undefined) {
			offset = dataLength;
			bucket.push({ data, offset });
			stored.set(hash, bucket);
			dataParts.push(data);
			dataLength += data.length;
			tileContents++;
		}
		const last = entries[entries.length - 1];
		if (
			last &&
			last.offset === offset &&
			last.length === data.length &&
			last.tileId + last.runLength === tile.tileId
		)
			last.runLength++;
		else entries.push({ tileId: tile.tileId, offset, length: data.length, runLength: 1 });
	}

	const directories = buildDirectories(
		entries,
		internalCompression,
		meta.leafEntries ?? 4096,
		meta.forceLeaves ?? false
	);
	const metadata = compress(
		new TextEncoder().encode(JSON.stringify(meta.metadata)),
		internalCompression
	);

	const rootOffset = PMTILES_HEADER_BYTES;
	const metadataOffset = rootOffset + directories.root.length;
	const leavesOffset = metadataOffset + metadata.length;
	const dataOffset = leavesOffset + directories.leaves.length;
	const minZoom = addressed.reduce((min, tile) => Math.min(min, tile.z), Infinity);
	const maxZoom = addressed.reduce((max, tile) => Math.max(max, tile.z), -Infinity);
	const [west, south, east, north] = meta.bounds;
	const center = meta.center ?? [(west + east) / 2, (south + north) / 2, minZoom];

	const header = new Uint8Array(PMTILES_HEADER_BYTES);
	header.set(new TextEncoder().encode('PMTiles'), 0);
	header[7] = 3; // spec version
	const view = new DataView(header.buffer);
	setUint64(view, 8, rootOffset);
	setUint64(view, 16, directories.root.length);
	setUint64(view, 24, metadataOffset);
	setUint64(view, 32, metadata.length);
	setUint64(view, 40, leavesOffset);
	setUint64(view, 48, directories.leaves.length);
	setUint64(view, 56, dataOffset);
	setUint64(view, 64, dataLength);
	setUint64(view, 72, addressed.length);
	setUint64(view, 80, entries.length);
	setUint64(view, 88, tileContents);
	header[96] = 1; // clustered: tile data in tile-id order
	header[97] = PMTILES_COMPRESSION[internalCompression];
	header[98] = PMTILES_COMPRESSION[tileCompression];
	header[99] = PMTILES_TILE_TYPE[meta.tileType];
	header[100] = minZoom;
	header[101] = maxZoom;
	view.setInt32(102, toE7(west), true);
	view.setInt32(106, toE7(south), true);
	view.setInt32(110, toE7(east), true);
	view.setInt32(114, toE7(north), true);
	header[118] = center[2];
	view.setInt32(119, toE7(center[0]), true);
	view.setInt32(123, toE7(center[1]), true);

	const bytes = concat([header, directories.root, metadata, directories.leaves, ...dataParts]);
	return {
		bytes,
		stats: {
			bytes: bytes.length,
			addressedTiles: addressed.length,
			tileEntries: entries.length,
			tileContents,
			leafDirectories: directories.leafCount,
			minZoom,
			maxZoom
		}
	};
}
