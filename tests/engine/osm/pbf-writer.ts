/**
 * A minimal OSM PBF encoder for tests: lets a test build the same data it wrote by hand as XML,
 * with the PBF variants a reader must handle (DenseNodes or plain Nodes, zlib or raw blobs,
 * non-default granularity and lat/lon offsets, several blocks), plus deliberately unsupported
 * files (zstd blobs, history files). Written from osmformat.proto / fileformat.proto, not from
 * the reader under test.
 */
import { zlibSync } from 'fflate';
import { PbfWriter } from 'pbf';

export interface SpecNode {
	id: number;
	lat: number;
	lon: number;
	tags?: Record<string, string>;
}
export interface SpecWay {
	id: number;
	refs: number[];
	tags?: Record<string, string>;
}
export interface SpecRelation {
	id: number;
	members: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
	tags?: Record<string, string>;
}
export interface SpecBlock {
	nodes?: SpecNode[];
	/** Encode nodes as DenseNodes (default) or as plain Node messages. */
	dense?: boolean;
	ways?: SpecWay[];
	relations?: SpecRelation[];
	/** Nanodegrees per unit (default 100). */
	granularity?: number;
	latOffsetNano?: number;
	lonOffsetNano?: number;
	/** 'zstd' writes the payload into field 7 (not real zstd: the reader must refuse it unread). */
	compression?: 'zlib' | 'raw' | 'zstd';
}
export interface SpecFile {
	/** [minLon, minLat, maxLon, maxLat] degrees. */
	bbox?: [number, number, number, number];
	requiredFeatures?: string[];
	blocks: SpecBlock[];
}

const MEMBER_TYPE_CODE = { node: 0, way: 1, relation: 2 } as const;

export function writeOsmPbf(spec: SpecFile): Uint8Array {
	return writeOsmPbfWithLayout(spec).bytes;
}

export interface BlobLayout {
	type: string;
	/** Byte offset of the 4-byte BlobHeader length. */
	frameStart: number;
	/** Byte range of the Blob message. */
	blobStart: number;
	blobEnd: number;
}

/** As writeOsmPbf, also returning where each blob lies (for tests that corrupt one). */
export function writeOsmPbfWithLayout(spec: SpecFile): { bytes: Uint8Array; blobs: BlobLayout[] } {
	const parts: Uint8Array[] = [];
	const header = new PbfWriter();
	if (spec.bbox) {
		const [minLon, minLat, maxLon, maxLat] = spec.bbox;
		header.writeMessage(
			1,
			(box: number[], p: PbfWriter) => {
				p.writeSVarintField(1, box[0]);
				p.writeSVarintField(2, box[1]);
				p.writeSVarintField(3, box[2]);
				p.writeSVarintField(4, box[3]);
			},
			[nano(minLon), nano(maxLon), nano(maxLat), nano(minLat)]
		);
	}
	for (const feature of spec.requiredFeatures ?? ['OsmSchema-V0.6', 'DenseNodes'])
		header.writeStringField(4, feature);
	header.writeStringField(16, 'carecircle tests/engine/osm/pbf-writer.ts');
	parts.push(...frame('OSMHeader', header.finish(), 'zlib'));
	for (const block of spec.blocks)
		parts.push(...frame('OSMData', encodeBlock(block), block.compression ?? 'zlib'));
	const blobs: BlobLayout[] = [];
	let at = 0;
	for (let i = 0; i < parts.length; i += 3) {
		const blobStart = at + parts[i].length + parts[i + 1].length;
		blobs.push({
			type: i === 0 ? 'OSMHeader' : 'OSMData',
			frameStart: at,
			blobStart,
			blobEnd: blobStart + parts[i + 2].length
		});
		at = blobs[blobs.length - 1].blobEnd;
	}
	return { bytes: concat(parts), blobs };
}

function encodeBlock(block: SpecBlock): Uint8Array {
	const granularity = block.granularity ?? 100;
	const latOffset = block.latOffsetNano ?? 0;
	const lonOffset = block.lonOffsetNano ?? 0;
	const strings = [''];
	const stringIndex = new Map<string, number>([['', 0]]);
	const sid = (s: string): number => {
		let i = stringIndex.get(s);
		if (i === undefined) {
			i = strings.length;
			strings.push(s);
			stringIndex.set(s, i);
		}
		return i;
	};
	const units = (degrees: number, offsetNano: number): number => {
		const value = (nano(degrees) - offsetNano) / granularity;
		if (!Number.isInteger(value))
			throw new Error(
				`${degrees}° is not on the grid of granularity ${granularity}, offset ${offsetNano}`
			);
		return value;
	};

	// Groups are encoded first (they fill the string table), then the block is assembled.
	const groups: Uint8Array[] = [];
	const nodes = block.nodes ?? [];
	if (nodes.length > 0) {
		const group = new PbfWriter();
		if (block.dense ?? true) {
			group.writeMessage(
				2,
				(list: SpecNode[], p: PbfWriter) => {
					const ids: number[] = [];
					const lats: number[] = [];
					const lons: number[] = [];
					const keysVals: number[] = [];
					let lastId = 0;
					let lastLat = 0;
					let lastLon = 0;
					for (const node of list) {
						const lat = units(node.lat, latOffset);
						const lon = units(node.lon, lonOffset);
						ids.push(node.id - lastId);
						lats.push(lat - lastLat);
						lons.push(lon - lastLon);
						[lastId, lastLat, lastLon] = [node.id, lat, lon];
						for (const [k, v] of Object.entries(node.tags ?? {})) keysVals.push(sid(k), sid(v));
						keysVals.push(0);
					}
					p.writePackedSVarint(1, ids);
					p.writePackedSVarint(8, lats);
					p.writePackedSVarint(9, lons);
					if (list.some((n) => Object.keys(n.tags ?? {}).length > 0))
						p.writePackedVarint(10, keysVals);
				},
				nodes
			);
		} else {
			for (const node of nodes) {
				group.writeMessage(
					1,
					(n: SpecNode, p: PbfWriter) => {
						p.writeSVarintField(1, n.id);
						const tags = Object.entries(n.tags ?? {});
						p.writePackedVarint(
							2,
							tags.map(([k]) => sid(k))
						);
						p.writePackedVarint(
							3,
							tags.map(([, v]) => sid(v))
						);
						p.writeSVarintField(8, units(n.lat, latOffset));
						p.writeSVarintField(9, units(n.lon, lonOffset));
					},
					node
				);
			}
		}
		groups.push(group.finish());
	}
	if ((block.ways ?? []).length > 0) {
		const group = new PbfWriter();
		for (const way of block.ways ?? []) {
			group.writeMessage(
				3,
				(w: SpecWay, p: PbfWriter) => {
					p.writeVarintField(1, w.id);
					const tags = Object.entries(w.tags ?? {});
					p.writePackedVarint(
						2,
						tags.map(([k]) => sid(k))
					);
					p.writePackedVarint(
						3,
						tags.map(([, v]) => sid(v))
					);
					p.writePackedSVarint(
						8,
						w.refs.map((ref, i) => ref - (i > 0 ? w.refs[i - 1] : 0))
					);
				},
				way
			);
		}
		groups.push(group.finish());
	}
	if ((block.relations ?? []).length > 0) {
		const group = new PbfWriter();
		for (const relation of block.relations ?? []) {
			group.writeMessage(
				4,
				(r: SpecRelation, p: PbfWriter) => {
					p.writeVarintField(1, r.id);
					const tags = Object.entries(r.tags ?? {});
					p.writePackedVarint(
						2,
						tags.map(([k]) => sid(k))
					);
					p.writePackedVarint(
						3,
						tags.map(([, v]) => sid(v))
					);
					p.writePackedVarint(
						8,
						r.members.map((m) => sid(m.role))
					);
					p.writePackedSVarint(
						9,
						r.members.map((m, i) => m.ref - (i > 0 ? r.members[i - 1].ref : 0))
					);
					p.writePackedVarint(
						10,
						r.members.map((m) => MEMBER_TYPE_CODE[m.type])
					);
				},
				relation
			);
		}
		groups.push(group.finish());
	}

	const out = new PbfWriter();
	out.writeMessage(
		1,
		(list: string[], p: PbfWriter) => {
			for (const s of list) p.writeBytesField(1, new TextEncoder().encode(s));
		},
		strings
	);
	for (const group of groups) out.writeBytesField(2, group);
	// Written after the groups, in field-number order, as real encoders do.
	if (granularity !== 100) out.writeVarintField(17, granularity);
	if (latOffset !== 0) out.writeVarintField(19, latOffset);
	if (lonOffset !== 0) out.writeVarintField(20, lonOffset);
	return out.finish();
}

/** BlobHeader length (4 bytes, big-endian) + BlobHeader + Blob. */
function frame(
	type: string,
	payload: Uint8Array,
	compression: 'zlib' | 'raw' | 'zstd'
): Uint8Array[] {
	const blob = new PbfWriter();
	if (compression === 'raw') blob.writeBytesField(1, payload);
	else {
		blob.writeVarintField(2, payload.length);
		blob.writeBytesField(
			compression === 'zlib' ? 3 : 7,
			compression === 'zlib' ? zlibSync(payload) : payload
		);
	}
	const blobBytes = blob.finish();
	const header = new PbfWriter();
	header.writeStringField(1, type);
	header.writeVarintField(3, blobBytes.length);
	const headerBytes = header.finish();
	const length = new Uint8Array(4);
	new DataView(length.buffer).setUint32(0, headerBytes.length, false);
	return [length, headerBytes, blobBytes];
}

function nano(degrees: number): number {
	return Math.round(degrees * 1e9);
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
