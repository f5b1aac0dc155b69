/**
 * OSM PBF reader (https://wiki.openstreetmap.org/wiki/PBF_Format): fileformat.proto
 * (BlobHeader, Blob) around osmformat.proto (HeaderBlock, PrimitiveBlock). Protobuf decoding is
 * `pbf`'s PbfReader; zlib blobs are inflated with fflate's `unzlibSync`; raw blobs are read as
 * they are. lzma, bzip2, lz4 and zstd blobs are rejected (UNSUPPORTED_FORMAT): osmium writes zlib
 * by default, and `osmium cat in.pbf -o out.pbf --overwrite` re-encodes anything else.
 *
 * Measured with `node --expose-gc tests/engine/osm/measure-read.ts` (Node 24.21, 2-core AMD EPYC
 * shared with other jobs, so times vary ±50 % between runs):
 *   monaco.osm.pbf (1.76 MB; 180,118 nodes, 27,377 ways, 212 relations): first read 190–440 ms,
 *   warm median 110–190 ms (≈ 34 ms of it zlib inflate); the result keeps ≈ 11 MB of heap alive
 *   (4.3 MB of it the three node arrays); heapUsed after reading ≈ 22 MB.
 *   andorra.osm.pbf (0.57 MB): first read 50–160 ms, warm 22–50 ms, retains ≈ 3.2 MB.
 * Packed fields are decoded into reused Float64Array scratch buffers: decoding into number[]
 * (pbf's readPackedSVarint) made monaco ≈ 25 % slower.
 */
import { unzlibSync } from 'fflate';
import { PbfReader } from 'pbf';
import { ImportError } from '../import/report.ts';
import {
	createOsmData,
	Float64Builder,
	setTag,
	type OsmBounds,
	type OsmData,
	type OsmMember,
	type OsmMemberType,
	type OsmRelation,
	type OsmTags,
	type OsmWay
} from './types.ts';

/** The spec says a BlobHeader MUST be under 64 KiB and an uncompressed blob under 32 MiB. */
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
/** Required features this reader understands; any other (e.g. HistoricalInformation) is refused. */
const SUPPORTED_REQUIRED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);
const MEMBER_TYPES: readonly OsmMemberType[] = ['node', 'way', 'relation'];
const NANODEGREES_PER_DEGREE = 1e9;
/** Protobuf wire type of length-delimited fields (packed repeated fields use it). */
const PBF_WIRE_BYTES = 2;
const OSM_HEADER_ASCII = 'OSMHeader';

const EXPECTED_PBF =
	'an OSM PBF file (.osm.pbf): a 4-byte big-endian length, then a BlobHeader of type "OSMHeader"';

/** True when `bytes` starts like an OSM PBF file: 4-byte length, BlobHeader field 1 = "OSMHeader". */
export function looksLikeOsmPbf(bytes: Uint8Array): boolean {
	// BlobHeader's first field is `required string type = 1`: tag byte 0x0A, then the length 9.
	if (
		bytes.length < 6 + OSM_HEADER_ASCII.length ||
		bytes[4] !== 0x0a ||
		bytes[5] !== OSM_HEADER_ASCII.length
	)
		return false;
	for (let i = 0; i < OSM_HEADER_ASCII.length; i++) {
		if (bytes[6 + i] !== OSM_HEADER_ASCII.charCodeAt(i)) return false;
	}
	return true;
}

/**
 * Decode an OSM PBF file. A file cut exactly between two blobs cannot be told from a complete
 * one (the format has no end marker); any other cut is reported as truncated.
 *
 * @param bytes the whole file
 * @param file name used in error messages (default 'input.osm.pbf')
 * @returns nodes, ways, relations and the header bbox (degrees, WGS84)
 * @throws ImportError UNREADABLE_FILE: empty, not a PBF, truncated, corrupt zlib or protobuf;
 *   UNSUPPORTED_FORMAT: lzma/bzip2/lz4/zstd blobs, or a required feature other than
 *   OsmSchema-V0.6 and DenseNodes (e.g. a history file).
 * @example
 * const data = readOsmPbf(new Uint8Array(await file.arrayBuffer()), file.name);
 * data.nodeIds.length; // 180118 for monaco.osm.pbf
 */
export function readOsmPbf(bytes: Uint8Array, file = 'input.osm.pbf'): OsmData {
	if (bytes.length === 0)
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`the file is empty (0 bytes); expected ${EXPECTED_PBF}`
		);
	if (!looksLikeOsmPbf(bytes)) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`not an OSM PBF file: it starts with bytes ${hexPreview(bytes, 0, 16)}; expected ${EXPECTED_PBF}`
		);
	}

	const out = new PbfCollector();
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let offset = 0;
	let blobNumber = 0;
	while (offset < bytes.length) {
		const where = `blob #${blobNumber} at byte ${offset}`;
		if (bytes.length - offset < 4) {
			throw truncated(
				file,
				`${where}: the file ends ${bytes.length - offset} byte(s) into the 4-byte BlobHeader length`
			);
		}
		const headerLength = view.getUint32(offset, false);
		if (headerLength > MAX_BLOB_HEADER_BYTES) {
			throw new ImportError(
				'UNREADABLE_FILE',
				file,
				`${where}: BlobHeader length ${headerLength} exceeds the 64 KiB the PBF format allows; the file is corrupt (expected ${EXPECTED_PBF})`
			);
		}
		const headerStart = offset + 4;
		const headerEnd = headerStart + headerLength;
		if (headerEnd > bytes.length) {
			throw truncated(
				file,
				`${where}: the BlobHeader needs ${headerLength} bytes but only ${bytes.length - headerStart} remain`
			);
		}
		const header = guard(file, where, 'BlobHeader', () =>
			readBlobHeader(bytes.subarray(headerStart, headerEnd))
		);
		const blobEnd = headerEnd + header.dataSize;
		if (blobEnd > bytes.length) {
			throw truncated(
				file,
				`${where}: the ${header.type} blob declares ${header.dataSize} bytes but only ${bytes.length - headerEnd} remain`
			);
		}
		const blobWhere = `${where} (${header.type})`;
		if (header.type === 'OSMHeader' || header.type === 'OSMData') {
			const block = readBlobPayload(bytes.subarray(headerEnd, blobEnd), file, blobWhere);
			if (header.type === 'OSMHeader')
				guard(file, blobWhere, 'HeaderBlock', () => out.readHeaderBlock(block, file, blobWhere));
			else guard(file, blobWhere, 'PrimitiveBlock', () => out.readPrimitiveBlock(block));
		}
		// Blob types other than these two are skipped, as the format asks readers to.
		offset = blobEnd;
		blobNumber++;
	}
	return out.finish();
}

interface BlobHeader {
	type: string;
	dataSize: number;
}

function readBlobHeader(bytes: Uint8Array): BlobHeader {
	const pbf = new PbfReader(bytes);
	const header = pbf.readFields<BlobHeader>(
		(field, h, p) => {
			if (field === 1) h.type = p.readString();
			else if (field === 3) h.dataSize = p.readVarint();
		},
		{ type: '', dataSize: -1 }
	);
	checkConsumed(pbf);
	if (header.type === '' || header.dataSize < 0)
		throw new Error('BlobHeader lacks its type or datasize');
	return header;
}

const COMPRESSION_BY_FIELD: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

/** The uncompressed block inside a Blob. */
function readBlobPayload(bytes: Uint8Array, file: string, where: string): Uint8Array {
	const blob = {
		raw: null as Uint8Array | null,
		rawSize: -1,
		zlib: null as Uint8Array | null,
		other: ''
	};
	guard(file, where, 'Blob', () => {
		const pbf = new PbfReader(bytes);
		pbf.readFields((field, b, p) => {
			if (field === 1) b.raw = p.readBytes();
			else if (field === 2) b.rawSize = p.readVarint();
			else if (field === 3) b.zlib = p.readBytes();
			else if (field in COMPRESSION_BY_FIELD) b.other = COMPRESSION_BY_FIELD[field];
		}, blob);
		checkConsumed(pbf);
	});
	if (blob.raw) return blob.raw;
	if (blob.zlib) {
		if (blob.rawSize > MAX_BLOB_BYTES) {
			throw new ImportError(
				'UNREADABLE_FILE',
				file,
				`${where}: raw_size ${blob.rawSize} exceeds the 32 MiB the PBF format allows; the file is corrupt`
			);
		}
		let inflated: Uint8Array;
		try {
			// One spare byte: fflate silently stops at the end of `out`, so an overlong stream shows as rawSize + 1.
			inflated =
				blob.rawSize >= 0
					? unzlibSync(blob.zlib, { out: new Uint8Array(blob.rawSize + 1) })
					: unzlibSync(blob.zlib);
		} catch (error) {
			throw new ImportError(
				'UNREADABLE_FILE',
				file,
				`${where}: zlib data cannot be inflated (${errorText(error)}); the file is corrupt or truncated`
			);
		}
		if (blob.rawSize >= 0 && inflated.length !== blob.rawSize) {
			throw new ImportError(
				'UNREADABLE_FILE',
				file,
				`${where}: zlib data inflates to ${inflated.length > blob.rawSize ? 'more than' : ''} ${inflated.length} bytes but raw_size says ${blob.rawSize}; the file is corrupt`
			);
		}
		return inflated;
	}
	if (blob.other) {
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			`${where}: ${blob.other}-compressed blobs are not supported; expected zlib or uncompressed blobs (re-encode with \`osmium cat ${file} -o out.osm.pbf\`, which writes zlib)`
		);
	}
	throw new ImportError(
		'UNREADABLE_FILE',
		file,
		`${where}: the Blob holds no data (neither raw nor zlib_data)`
	);
}

/** Accumulates decoded elements across blocks. */
class PbfCollector {
	nodeIds = new Float64Builder(1 << 16);
	nodeLon = new Float64Builder(1 << 16);
	nodeLat = new Float64Builder(1 << 16);
	nodeTags = new Map<number, OsmTags>();
	ways: OsmWay[] = [];
	relations: OsmRelation[] = [];
	bounds: OsmBounds | null = null;
	// Scratch buffers reused for every packed field, so decoding allocates only what it keeps
	// (number[] push + clear was ≈ 40% of monaco's read time).
	private scratchA = new Scratch();
	private scratchB = new Scratch();
	private scratchC = new Scratch();
	private scratchD = new Scratch();

	readHeaderBlock(bytes: Uint8Array, file: string, where: string): void {
		const pbf = new PbfReader(bytes);
		const required: string[] = [];
		pbf.readFields((field, self, p) => {
			if (field === 1) self.bounds = readHeaderBBox(p);
			else if (field === 4) required.push(p.readString());
		}, this);
		checkConsumed(pbf);
		const unsupported = required.filter((feature) => !SUPPORTED_REQUIRED_FEATURES.has(feature));
		if (unsupported.length > 0) {
			throw new ImportError(
				'UNSUPPORTED_FORMAT',
				file,
				`${where}: the file requires feature(s) ${unsupported.map((f) => `"${f}"`).join(', ')}, which this reader does not support; expected only OsmSchema-V0.6 and DenseNodes (a history file? extract a snapshot with \`osmium time-filter\`)`
			);
		}
	}

	readPrimitiveBlock(bytes: Uint8Array): void {
		const pbf = new PbfReader(bytes);
		// Pass 1: the string table and coordinate parameters. Encoders write fields in number
		// order, so granularity (17) and the offsets (19, 20) come after the groups (2).
		const block = {
			strings: [] as string[],
			groupRanges: [] as number[],
			granularity: 100,
			latOffset: 0,
			lonOffset: 0
		};
		pbf.readFields((field, b, p) => {
			if (field === 1) b.strings = readStringTable(p);
			else if (field === 2) {
				const end = p.readVarint() + p.pos;
				b.groupRanges.push(p.pos, end);
				p.pos = end;
			} else if (field === 17) b.granularity = p.readVarint(true);
			else if (field === 19) b.latOffset = p.readVarint(true);
			else if (field === 20) b.lonOffset = p.readVarint(true);
		}, block);
		checkConsumed(pbf);
		if (block.granularity <= 0) throw new Error(`granularity ${block.granularity} is not positive`);
		const coords: BlockCoords = {
			granularity: block.granularity,
			latOffset: block.latOffset,
			lonOffset: block.lonOffset
		};
		// Pass 2: the groups.
		for (let g = 0; g < block.groupRanges.length; g += 2) {
			pbf.pos = block.groupRanges[g];
			const end = block.groupRanges[g + 1];
			let field: number;
			while ((field = pbf.nextField(end))) {
				if (field === 1) this.readNode(pbf, block.strings, coords);
				else if (field === 2) this.readDenseNodes(pbf, block.strings, coords);
				else if (field === 3) this.readWay(pbf, block.strings);
				else if (field === 4) this.readRelation(pbf, block.strings);
				checkEnd(pbf, end);
			}
		}
	}

	private readNode(pbf: PbfReader, strings: string[], coords: BlockCoords): void {
		const keys = this.scratchA.reset();
		const vals = this.scratchB.reset();
		const node = { id: 0, lat: 0, lon: 0 };
		pbf.readFields(
			(field, n, p) => {
				if (field === 1) n.id = p.readSVarint();
				else if (field === 2) readPacked(p, keys, false);
				else if (field === 3) readPacked(p, vals, false);
				else if (field === 8) n.lat = p.readSVarint();
				else if (field === 9) n.lon = p.readSVarint();
			},
			node,
			pbf.readVarint() + pbf.pos
		);
		const index = this.nodeIds.length;
		this.pushNode(node.id, node.lon, node.lat, coords);
		if (keys.length > 0) this.nodeTags.set(index, tagsFromKeysVals(keys, vals, strings));
	}

	private readDenseNodes(pbf: PbfReader, strings: string[], coords: BlockCoords): void {
		const idScratch = this.scratchA.reset();
		const latScratch = this.scratchB.reset();
		const lonScratch = this.scratchC.reset();
		const kvScratch = this.scratchD.reset();
		pbf.readFields(
			(field, _, p) => {
				if (field === 1) readPacked(p, idScratch, true);
				else if (field === 8) readPacked(p, latScratch, true);
				else if (field === 9) readPacked(p, lonScratch, true);
				else if (field === 10) readPacked(p, kvScratch, false);
			},
			null,
			pbf.readVarint() + pbf.pos
		);
		const ids = idScratch.values;
		const lats = latScratch.values;
		const lons = lonScratch.values;
		const keysVals = kvScratch.values;
		const count = idScratch.length;
		const kvLength = kvScratch.length;
		if (latScratch.length !== count || lonScratch.length !== count) {
			throw new Error(
				`DenseNodes has ${count} ids but ${latScratch.length} lats and ${lonScratch.length} lons`
			);
		}
		// Ids and coordinates are delta-coded; keys_vals is (key, value)* 0 per node, or empty when no node has tags.
		let id = 0;
		let lat = 0;
		let lon = 0;
		let kv = 0;
		for (let i = 0; i < count; i++) {
			id += ids[i];
			lat += lats[i];
			lon += lons[i];
			const index = this.nodeIds.length;
			this.pushNode(id, lon, lat, coords);
			if (kv < kvLength) {
				if (keysVals[kv] !== 0) {
					const tags: OsmTags = {};
					while (kv < kvLength && keysVals[kv] !== 0) {
						if (kv + 1 >= kvLength)
							throw new Error(`DenseNodes keys_vals ends inside a key/value pair at node id ${id}`);
						setTag(tags, stringAt(strings, keysVals[kv]), stringAt(strings, keysVals[kv + 1]));
						kv += 2;
					}
					this.nodeTags.set(index, tags);
				}
				kv++; // the 0 that ends this node's pairs
			}
		}
	}

	private pushNode(id: number, rawLon: number, rawLat: number, coords: BlockCoords): void {
		this.nodeIds.push(id);
		// Divide (not multiply by 1e-9): both operands are exact integers, so the quotient is the
		// double nearest the true value — the same double parseFloat gives for the XML text.
		this.nodeLon.push((coords.lonOffset + coords.granularity * rawLon) / NANODEGREES_PER_DEGREE);
		this.nodeLat.push((coords.latOffset + coords.granularity * rawLat) / NANODEGREES_PER_DEGREE);
	}

	private readWay(pbf: PbfReader, strings: string[]): void {
		const keys = this.scratchA.reset();
		const vals = this.scratchB.reset();
		const refs = this.scratchC.reset();
		const way = { id: 0 };
		pbf.readFields(
			(field, w, p) => {
				if (field === 1) w.id = p.readVarint(true);
				else if (field === 2) readPacked(p, keys, false);
				else if (field === 3) readPacked(p, vals, false);
				else if (field === 8) readPacked(p, refs, true);
			},
			way,
			pbf.readVarint() + pbf.pos
		);
		const nodeRefs = new Float64Array(refs.length);
		let ref = 0;
		for (let i = 0; i < refs.length; i++) nodeRefs[i] = ref += refs.values[i];
		this.ways.push({ id: way.id, nodeRefs, tags: tagsFromKeysVals(keys, vals, strings) });
	}

	private readRelation(pbf: PbfReader, strings: string[]): void {
		const keys = this.scratchA.reset();
		const vals = this.scratchB.reset();
		const roles = this.scratchC.reset();
		const memberIds = this.scratchD.reset();
		const types: number[] = [];
		const relation = { id: 0 };
		pbf.readFields(
			(field, r, p) => {
				if (field === 1) r.id = p.readVarint(true);
				else if (field === 2) readPacked(p, keys, false);
				else if (field === 3) readPacked(p, vals, false);
				else if (field === 8) readPacked(p, roles, false);
				else if (field === 9) readPacked(p, memberIds, true);
				else if (field === 10) p.readPackedVarint(types);
			},
			relation,
			pbf.readVarint() + pbf.pos
		);
		if (roles.length !== memberIds.length || types.length !== memberIds.length) {
			throw new Error(
				`relation ${relation.id} has ${memberIds.length} member ids but ${roles.length} roles and ${types.length} types`
			);
		}
		const members: OsmMember[] = new Array(memberIds.length);
		let ref = 0;
		for (let i = 0; i < memberIds.length; i++) {
			ref += memberIds.values[i];
			const type = MEMBER_TYPES[types[i]];
			if (type === undefined)
				throw new Error(
					`relation ${relation.id} member ${i} has type ${types[i]}; expected 0 (node), 1 (way) or 2 (relation)`
				);
			members[i] = { type, ref, role: stringAt(strings, roles.values[i]) };
		}
		this.relations.push({ id: relation.id, members, tags: tagsFromKeysVals(keys, vals, strings) });
	}

	finish(): OsmData {
		return createOsmData({
			nodeIds: this.nodeIds.finish(),
			nodeLon: this.nodeLon.finish(),
			nodeLat: this.nodeLat.finish(),
			nodeTags: this.nodeTags,
			ways: this.ways,
			relations: this.relations,
			bounds: this.bounds
		});
	}
}

interface BlockCoords {
	/** Nanodegrees per coordinate unit (default 100). */
	granularity: number;
	/** Added to every latitude, nanodegrees. */
	latOffset: number;
	/** Added to every longitude, nanodegrees. */
	lonOffset: number;
}

function readHeaderBBox(pbf: PbfReader): OsmBounds {
	const box = { left: 0, right: 0, top: 0, bottom: 0 };
	pbf.readMessage((field, b, p) => {
		if (field === 1) b.left = p.readSVarint();
		else if (field === 2) b.right = p.readSVarint();
		else if (field === 3) b.top = p.readSVarint();
		else if (field === 4) b.bottom = p.readSVarint();
	}, box);
	return {
		minLon: box.left / NANODEGREES_PER_DEGREE,
		minLat: box.bottom / NANODEGREES_PER_DEGREE,
		maxLon: box.right / NANODEGREES_PER_DEGREE,
		maxLat: box.top / NANODEGREES_PER_DEGREE
	};
}

function readStringTable(pbf: PbfReader): string[] {
	const strings: string[] = [];
	pbf.readMessage((field, s, p) => {
		if (field === 1) s.push(p.readString());
	}, strings);
	return strings;
}

function tagsFromKeysVals(keys: Scratch, vals: Scratch, strings: string[]): OsmTags {
	if (keys.length !== vals.length)
		throw new Error(`${keys.length} tag keys but ${vals.length} values`);
	const tags: OsmTags = {};
	for (let i = 0; i < keys.length; i++)
		setTag(tags, stringAt(strings, keys.values[i]), stringAt(strings, vals.values[i]));
	return tags;
}

/** A reusable growable buffer of numbers (one packed field's values); `length` is the fill. */
class Scratch {
	values = new Float64Array(1024);
	length = 0;
	reset(): Scratch {
		this.length = 0;
		return this;
	}
	push(value: number): void {
		if (this.length === this.values.length) {
			const grown = new Float64Array(this.values.length * 2);
			grown.set(this.values);
			this.values = grown;
		}
		this.values[this.length++] = value;
	}
}

/**
 * Append a repeated integer field to `into`: packed (wire type 2) or one unpacked value.
 * `zigzag` for sint32/sint64; otherwise int32/int64/uint32, read as signed 64-bit.
 */
function readPacked(pbf: PbfReader, into: Scratch, zigzag: boolean): void {
	if (pbf.type !== PBF_WIRE_BYTES) {
		into.push(zigzag ? pbf.readSVarint() : pbf.readVarint(true));
		return;
	}
	const end = pbf.readVarint() + pbf.pos;
	if (zigzag) while (pbf.pos < end) into.push(pbf.readSVarint());
	else while (pbf.pos < end) into.push(pbf.readVarint(true));
	checkEnd(pbf, end);
}

function stringAt(strings: string[], index: number): string {
	const value = strings[index];
	if (value === undefined)
		throw new Error(
			`string index ${index} is outside the block's string table of ${strings.length}`
		);
	return value;
}

/** pbf clamps reads at the end of its buffer instead of failing; a position past it means truncated input. */
function checkConsumed(pbf: PbfReader): void {
	checkEnd(pbf, pbf.length);
}

function checkEnd(pbf: PbfReader, end: number): void {
	if (pbf.pos > end)
		throw new Error(`a protobuf field runs ${pbf.pos - end} byte(s) past the end of its message`);
}

/** Run a decoding step; any non-ImportError failure becomes UNREADABLE_FILE naming the blob. */
function guard<T>(file: string, where: string, what: string, step: () => T): T {
	try {
		return step();
	} catch (error) {
		if (error instanceof ImportError) throw error;
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`${where}: the ${what} cannot be decoded (${errorText(error)}); the file is corrupt or not ${EXPECTED_PBF}`
		);
	}
}

function truncated(file: string, detail: string): ImportError {
	return new ImportError(
		'UNREADABLE_FILE',
		file,
		`${detail}; the file is truncated (an interrupted download or copy?): expected a complete OSM PBF file`
	);
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function hexPreview(bytes: Uint8Array, start: number, count: number): string {
	return Array.from(bytes.subarray(start, start + count), (b) =>
		b.toString(16).padStart(2, '0')
	).join(' ');
}
