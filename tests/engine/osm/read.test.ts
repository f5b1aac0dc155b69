import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/lib/engine/import/report.ts';
import {
	readOsm,
	readOsmPbf,
	readOsmXml,
	type OsmData
} from '../../../src/lib/engine/osm/index.ts';
import {
	writeOsmPbf,
	writeOsmPbfWithLayout,
	type SpecBlock,
	type SpecFile,
	type SpecNode,
	type SpecRelation,
	type SpecWay
} from './pbf-writer.ts';

/** The shared data folder, reached from the repo root (../shared/data), never by absolute path. */
const DATA_DIR = path.join(import.meta.dirname, '../../..', '..', 'shared', 'data');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

const readData = (relative: string): Uint8Array =>
	new Uint8Array(readFileSync(path.join(DATA_DIR, relative)));

function nodeBBox(data: OsmData): [number, number, number, number] {
	let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
	for (let i = 0; i < data.nodeIds.length; i++) {
		minLon = Math.min(minLon, data.nodeLon[i]);
		maxLon = Math.max(maxLon, data.nodeLon[i]);
		minLat = Math.min(minLat, data.nodeLat[i]);
		maxLat = Math.max(maxLat, data.nodeLat[i]);
	}
	return [minLon, minLat, maxLon, maxLat];
}

function expectBBox(actual: number[], expected: number[], tolerance: number): void {
	expect(actual).toHaveLength(4);
	actual.forEach((value, i) =>
		expect(
			Math.abs(value - expected[i]),
			`bbox[${i}] = ${value}, expected ${expected[i]}`
		).toBeLessThanOrEqual(tolerance)
	);
}

const highwayCount = (data: OsmData): number =>
	data.ways.filter((way) => way.tags.highway !== undefined).length;

function highwayMix(data: OsmData): Record<string, number> {
	const mix: Record<string, number> = {};
	for (const way of data.ways)
		if (way.tags.highway) mix[way.tags.highway] = (mix[way.tags.highway] ?? 0) + 1;
	return mix;
}

/** OsmData as plain values, for exact (===) comparison with readable diffs. */
function plain(data: OsmData) {
	return {
		nodeIds: Array.from(data.nodeIds),
		nodeLon: Array.from(data.nodeLon),
		nodeLat: Array.from(data.nodeLat),
		nodeTags: [...data.nodeTags.entries()],
		ways: data.ways.map((way) => ({
			id: way.id,
			nodeRefs: Array.from(way.nodeRefs),
			tags: way.tags
		})),
		relations: data.relations,
		bounds: data.bounds
	};
}

/** Run `read` and return the ImportError it throws (fails the test if it does not throw one). */
function importErrorOf(read: () => unknown): ImportError {
	try {
		read();
	} catch (error) {
		if (error instanceof ImportError) return error;
		throw new Error(`expected an ImportError, got ${String(error)}`);
	}
	throw new Error('expected an ImportError, but reading succeeded');
}

describe('readOsmPbf on real extracts (counts from osmium fileinfo, data/PROVENANCE.md)', () => {
	const monaco = readOsmPbf(readData('osm/monaco.osm.pbf'), 'monaco.osm.pbf');

	it('monaco.osm.pbf: 180,118 nodes, 27,377 ways (2,927 highway), 212 relations, node bbox', () => {
		expect(monaco.nodeIds.length).toBe(180_118);
		expect(monaco.nodeLon.length).toBe(180_118);
		expect(monaco.nodeLat.length).toBe(180_118);
		expect(monaco.ways.length).toBe(27_377);
		expect(highwayCount(monaco)).toBe(2_927);
		expect(monaco.relations.length).toBe(212);
		expectBBox(nodeBBox(monaco), [7.3490007, 43.7147967, 7.490996, 43.77], 1e-7);
	});

	it('monaco: node ids are unique, nodeIndex agrees with a linear scan, and every node lies in the header bbox', () => {
		expect(new Set(monaco.nodeIds).size).toBe(monaco.nodeIds.length);
		for (const i of [0, 1, 4_242, 90_000, 180_117]) {
			const id = monaco.nodeIds[i];
			expect(monaco.nodeIndex(id)).toBe(monaco.nodeIds.indexOf(id));
		}
		expect(monaco.nodeIndex(-1)).toBe(-1);
		const b = monaco.bounds!;
		expect(b).not.toBeNull();
		let outside = 0;
		for (let i = 0; i < monaco.nodeIds.length; i++) {
			if (
				monaco.nodeLon[i] < b.minLon ||
				monaco.nodeLon[i] > b.maxLon ||
				monaco.nodeLat[i] < b.minLat ||
				monaco.nodeLat[i] > b.maxLat
			)
				outside++;
		}
		expect(outside).toBe(0);
	});

	it('monaco is a complete extract: all 238,855 way node refs resolve', () => {
		let refs = 0;
		let unresolved = 0;
		for (const way of monaco.ways) {
			for (const ref of way.nodeRefs) {
				refs++;
				if (monaco.nodeIndex(ref) < 0) unresolved++;
			}
		}
		expect(refs).toBe(238_855);
		expect(unresolved).toBe(0);
	});

	it('monaco: a known way decodes with its tags and delta-coded refs (Avenue Princesse Alice)', () => {
		const way = monaco.ways.find((w) => w.id === 4097656)!;
		expect(way.tags).toMatchObject({
			highway: 'primary',
			name: 'Avenue Princesse Alice',
			oneway: 'yes'
		});
		expect(way.nodeRefs.length).toBe(9);
		for (const ref of way.nodeRefs) expect(monaco.nodeIndex(ref)).toBeGreaterThanOrEqual(0);
		// Ids above 2^31 (OSM passed it in 2013) survive delta decoding: they exist and resolve.
		let above = 0;
		for (const id of monaco.nodeIds) if (id > 2 ** 31) above++;
		expect(above).toBeGreaterThan(10_000);
		const refsAbove = monaco.ways.flatMap((w) =>
			Array.from(w.nodeRefs).filter((ref) => ref > 2 ** 31)
		);
		expect(refsAbove.length).toBeGreaterThan(1_000);
		expect(refsAbove.every((ref) => monaco.nodeIndex(ref) >= 0)).toBe(true);
		const relation = monaco.relations.find((r) => r.id === 7385)!;
		expect(relation.tags.name).toBe('Alpes-Maritimes');
		expect(relation.members.map((m) => m.type)).toContain('relation');
	});

	it('andorra.osm.pbf: 69,644 nodes, 2,725 ways (1,615 highway), 74 relations, node bbox', () => {
		const andorra = readOsmPbf(readData('osm/andorra.osm.pbf'), 'andorra.osm.pbf');
		expect(andorra.nodeIds.length).toBe(69_644);
		expect(andorra.ways.length).toBe(2_725);
		expect(highwayCount(andorra)).toBe(1_615);
		expect(andorra.relations.length).toBe(74);
		expectBBox(nodeBBox(andorra), [1.0366421, 41.7369089, 1.8252606, 42.7883379], 1e-7);
	});
});

describe('readOsmXml on real files', () => {
	it('shenzhen_longgang_raw.osm (CGImap export): 8,005 nodes, 773 ways (516 highway), 40 relations', () => {
		const text = readFileSync(path.join(DATA_DIR, 'roads/shenzhen_longgang_raw.osm'), 'utf8');
		const data = readOsmXml(text, 'shenzhen_longgang_raw.osm');
		expect(data.nodeIds.length).toBe(8_005);
		expect(data.ways.length).toBe(773);
		expect(highwayCount(data)).toBe(516);
		expect(data.relations.length).toBe(40);
		expect(data.bounds).toEqual({
			minLon: 114.1862,
			minLat: 22.6732,
			maxLon: 114.2318,
			maxLat: 22.7019
		});
		// PROVENANCE gives the node bbox to 3 decimals.
		expectBBox(nodeBBox(data), [114.057, 22.543, 114.355, 22.782], 0.0005);
		expect(highwayMix(data)).toMatchObject({
			footway: 91,
			service: 87,
			unclassified: 44,
			motorway: 38,
			steps: 35,
			cycleway: 35,
			tertiary: 32,
			residential: 30,
			secondary: 25,
			pedestrian: 13
		});
		// Chinese tag values come through as written.
		expect(data.ways.find((w) => w.id === 42689591)?.tags.name).toBe('水官高速');
	});

	it('shanghai_jingan_huangpu_drive_osmnx.osm (written by OSMnx): 2,958 nodes, 796 ways, all highway, no relations', () => {
		const text = readFileSync(
			path.join(DATA_DIR, 'roads/shanghai_jingan_huangpu_drive_osmnx.osm'),
			'utf8'
		);
		const data = readOsmXml(text, 'shanghai.osm');
		expect(data.nodeIds.length).toBe(2_958);
		expect(data.ways.length).toBe(796);
		expect(highwayCount(data)).toBe(796);
		expect(data.relations.length).toBe(0);
		expectBBox(nodeBBox(data), [121.4611262, 31.2196145, 121.4863121, 31.2411914], 1e-7);
		expect(highwayMix(data)).toMatchObject({
			residential: 204,
			secondary: 164,
			primary: 155,
			tertiary: 125,
			trunk_link: 75,
			trunk: 25,
			primary_link: 19,
			living_street: 15
		});
	});
});

// ------------------------------------------------------------------------------------------------
// Cross-check: the same hand-written data as XML (fixtures/tiny-edge-cases.osm) and as PBF.

const TINY_DENSE_NODES: SpecNode[] = [
	{ id: 1, lat: 22.6732, lon: 114.1862, tags: { highway: 'crossing' } },
	{ id: 2, lat: 22.6740515, lon: 114.1870123 },
	{
		id: 4291998095,
		lat: 22.6751234,
		lon: 114.1881234,
		tags: { name: 'Tom & "Jerry" <café>', 'name:zh': '中心' }
	},
	{ id: 12345678901, lat: 22.676, lon: 114.189 },
	{ id: -5, lat: 22.6700001, lon: 114.2399999 }
];
/** 9-decimal coordinates: only representable with a finer granularity (see the blocks below). */
const TINY_FINE_NODES: SpecNode[] = [
	{ id: 7, lat: 22.680000123, lon: 114.199999544, tags: { barrier: 'gate', note: 'line1\nline2' } },
	{ id: 8, lat: 22.681000123, lon: 114.201000544 }
];
const TINY_WAYS: SpecWay[] = [
	{
		id: 100,
		refs: [1, 2, 4291998095, 12345678901],
		tags: { highway: 'footway', name: '水官 path', footway: 'sidewalk', incline: 'up', lanes: '1' }
	},
	{
		id: 101,
		refs: [1, 2, 999, 7, 8],
		tags: { highway: 'service', service: 'alley', access: 'private' }
	},
	{ id: 102, refs: [7, 998, 8], tags: { highway: 'steps' } },
	{ id: 103, refs: [1, 2, -5, 1], tags: { building: 'yes' } },
	{ id: 104, refs: [997, 996], tags: { highway: 'primary' } },
	{ id: 105, refs: [2], tags: { highway: 'residential' } },
	{
		id: -7,
		refs: [-5, 12345678901],
		tags: { highway: 'pedestrian', area: 'yes', foot: 'designated' }
	}
];
const TINY_RELATIONS: SpecRelation[] = [
	{
		id: 200,
		members: [
			{ type: 'way', ref: 100, role: 'outer' },
			{ type: 'node', ref: 1, role: '' },
			{ type: 'relation', ref: 201, role: 'subarea' }
		],
		tags: { type: 'route', route: 'foot', name: 'Loop' }
	},
	{ id: 201, members: [], tags: { type: 'site' } }
];
const TINY_BBOX: [number, number, number, number] = [114.18, 22.67, 114.24, 22.71];

/** What both readers must return for the tiny data, derived from the spec (not from a reader). */
function tinyExpected() {
	const nodes = [...TINY_DENSE_NODES, ...TINY_FINE_NODES];
	return {
		nodeIds: nodes.map((n) => n.id),
		nodeLon: nodes.map((n) => n.lon),
		nodeLat: nodes.map((n) => n.lat),
		nodeTags: nodes.flatMap((n, i) => (n.tags ? [[i, n.tags] as const] : [])),
		ways: TINY_WAYS.map((w) => ({ id: w.id, nodeRefs: w.refs, tags: w.tags ?? {} })),
		relations: TINY_RELATIONS.map((r) => ({ id: r.id, members: r.members, tags: r.tags ?? {} })),
		bounds: {
			minLon: TINY_BBOX[0],
			minLat: TINY_BBOX[1],
			maxLon: TINY_BBOX[2],
			maxLat: TINY_BBOX[3]
		}
	};
}

/** Several blocks: DenseNodes + zlib; plain Nodes, granularity 1000 and offsets, raw; a relations block. */
function tinyPbfMixed(): Uint8Array {
	const blocks: SpecBlock[] = [
		{ nodes: TINY_DENSE_NODES, dense: true, compression: 'zlib' },
		{
			nodes: TINY_FINE_NODES,
			dense: false,
			granularity: 1000,
			latOffsetNano: 123,
			lonOffsetNano: -456,
			ways: TINY_WAYS,
			compression: 'raw'
		},
		{ relations: TINY_RELATIONS, compression: 'zlib' }
	];
	return writeOsmPbf({ bbox: TINY_BBOX, blocks });
}

/** One block, DenseNodes at granularity 1 (nanodegrees). */
function tinyPbfSingleBlock(): Uint8Array {
	const file: SpecFile = {
		bbox: TINY_BBOX,
		blocks: [
			{
				nodes: [...TINY_DENSE_NODES, ...TINY_FINE_NODES],
				granularity: 1,
				ways: TINY_WAYS,
				relations: TINY_RELATIONS
			}
		]
	};
	return writeOsmPbf(file);
}

describe('XML and PBF readers agree on the same hand-written data', () => {
	const xmlText = readFileSync(path.join(FIXTURES, 'tiny-edge-cases.osm'), 'utf8');

	it('the XML fixture reads to exactly the data written by hand (entities, big and negative ids, 9 decimals)', () => {
		expect(plain(readOsmXml(xmlText, 'tiny-edge-cases.osm'))).toEqual(tinyExpected());
	});

	it('the PBF (dense + plain nodes, zlib + raw blobs, granularity and offsets) reads to identical data, to the last bit', () => {
		expect(plain(readOsmPbf(tinyPbfMixed(), 'tiny.osm.pbf'))).toEqual(plain(readOsmXml(xmlText)));
		expect(plain(readOsmPbf(tinyPbfSingleBlock(), 'tiny1.osm.pbf'))).toEqual(tinyExpected());
	});

	it('readOsm picks the reader by content, not by name (also gzip-compressed XML and a BOM)', () => {
		const expected = tinyExpected();
		expect(plain(readOsm(tinyPbfMixed(), 'misnamed.osm'))).toEqual(expected);
		expect(plain(readOsm(strToU8(xmlText), 'misnamed.pbf'))).toEqual(expected);
		expect(plain(readOsm(gzipSync(strToU8(xmlText)), 'tiny.osm.gz'))).toEqual(expected);
		expect(plain(readOsm(strToU8('\uFEFF\n  ' + xmlText), 'bom.osm'))).toEqual(expected);
	});

	it('nodeIndex maps OSM ids (above 2^32, negative) to array positions and misses to -1', () => {
		const data = readOsmPbf(tinyPbfMixed());
		expect(data.nodeIndex(12345678901)).toBe(3);
		expect(data.nodeIndex(-5)).toBe(4);
		expect(data.nodeIndex(8)).toBe(6);
		expect(data.nodeIndex(999)).toBe(-1);
	});
});

describe('XML details', () => {
	const wrap = (body: string) => `<?xml version="1.0"?>\n<osm version="0.6">\n${body}\n</osm>\n`;

	it('skips JOSM-deleted and invisible elements, and ignores <changeset>/<note> tags', () => {
		const data = readOsmXml(
			wrap(`<changeset id="9"><tag k="comment" v="x"/></changeset>
<node id="1" lat="1" lon="2" action="delete"><tag k="a" v="b"/></node>
<node id="2" visible="false"/>
<node id="3" lat="1.5" lon="2.5" action="modify"/>
<way id="4" action="delete"><nd ref="3"/></way>`)
		);
		expect(Array.from(data.nodeIds)).toEqual([3]);
		expect(data.nodeTags.size).toBe(0);
		expect(data.ways).toEqual([]);
	});

	it('reads osmosis <bound box> and a ">" inside an attribute value', () => {
		const data = readOsmXml(
			wrap(
				`<bound box="22.5,114.0,22.8,114.4" origin="osmosis"/>\n<node id="1" lat="1" lon="2"><tag k="note" v="a > b"/></node>`
			)
		);
		expect(data.bounds).toEqual({ minLat: 22.5, minLon: 114.0, maxLat: 22.8, maxLon: 114.4 });
		expect(data.nodeTags.get(0)).toEqual({ note: 'a > b' });
	});

	it('keeps a "__proto__" tag key as an ordinary tag', () => {
		const data = readOsmXml(wrap(`<node id="1" lat="1" lon="2"><tag k="__proto__" v="x"/></node>`));
		const tags = data.nodeTags.get(0)!;
		expect(Object.keys(tags)).toEqual(['__proto__']);
		expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
	});
});

describe('bad input: exact codes and messages', () => {
	it('an empty file → UNREADABLE_FILE from readOsm, readOsmPbf and readOsmXml', () => {
		const viaReadOsm = importErrorOf(() => readOsm(new Uint8Array(0), 'empty.osm'));
		expect(viaReadOsm.code).toBe('UNREADABLE_FILE');
		expect(viaReadOsm.message).toBe(
			'empty.osm: the file is empty (0 bytes); expected an OSM PBF file (.osm.pbf) or an OSM XML file (.osm, optionally gzip-compressed)'
		);
		const viaPbf = importErrorOf(() => readOsmPbf(new Uint8Array(0), 'empty.osm.pbf'));
		expect(viaPbf.code).toBe('UNREADABLE_FILE');
		expect(viaPbf.message).toMatch(
			/^empty\.osm\.pbf: the file is empty \(0 bytes\); expected an OSM PBF file/
		);
		const viaXml = importErrorOf(() => readOsmXml('  \n', 'blank.osm'));
		expect(viaXml.code).toBe('UNREADABLE_FILE');
		expect(viaXml.message).toMatch(/^blank\.osm: the file is empty; expected an OSM XML file/);
	});

	it('a truncated PBF (the first 1000 bytes of monaco) → UNREADABLE_FILE naming the blob and the byte counts', () => {
		const bytes = readData('osm/monaco.osm.pbf').subarray(0, 1000);
		for (const read of [
			() => readOsmPbf(bytes, 'monaco-cut.osm.pbf'),
			() => readOsm(bytes, 'monaco-cut.osm.pbf')
		]) {
			const error = importErrorOf(read);
			expect(error.code).toBe('UNREADABLE_FILE');
			expect(error.file).toBe('monaco-cut.osm.pbf');
			expect(error.message).toMatch(
				/^monaco-cut\.osm\.pbf: blob #1 at byte \d+: the OSMData blob declares \d+ bytes but only \d+ remain; the file is truncated/
			);
		}
	});

	it('every cut of a small PBF inside a blob is rejected with UNREADABLE_FILE, never a crash or partial data', () => {
		const { bytes: whole, blobs } = writeOsmPbfWithLayout({
			bbox: TINY_BBOX,
			blocks: [
				{ nodes: TINY_DENSE_NODES, compression: 'zlib' },
				{
					nodes: TINY_FINE_NODES,
					dense: false,
					granularity: 1000,
					latOffsetNano: 123,
					lonOffsetNano: -456,
					ways: TINY_WAYS,
					compression: 'raw'
				},
				{ relations: TINY_RELATIONS, compression: 'zlib' }
			]
		});
		// PBF has no end marker: a file cut exactly between blobs is a valid, shorter file.
		const blobEnds = new Set(blobs.map((blob) => blob.blobEnd));
		let cuts = 0;
		for (let length = 1; length < whole.length; length++) {
			const cut = whole.subarray(0, length);
			if (blobEnds.has(length)) {
				const shorter = readOsmPbf(cut);
				const elements = shorter.nodeIds.length + shorter.ways.length + shorter.relations.length;
				expect(elements, `cut at blob end ${length}`).toBeLessThan(
					TINY_DENSE_NODES.length +
						TINY_FINE_NODES.length +
						TINY_WAYS.length +
						TINY_RELATIONS.length
				);
				continue;
			}
			expect(importErrorOf(() => readOsmPbf(cut)).code, `cut at ${length}`).toBe('UNREADABLE_FILE');
			cuts++;
		}
		expect(cuts).toBe(whole.length - 1 - (blobs.length - 1));
	});

	it('an HTML page saved as .osm → UNREADABLE_FILE that says it is a web page', () => {
		const html =
			'<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head><body>overpass</body></html>';
		for (const read of [
			() => readOsmXml(html, 'export.osm'),
			() => readOsm(strToU8(html), 'export.osm')
		]) {
			const error = importErrorOf(read);
			expect(error.code).toBe('UNREADABLE_FILE');
			expect(error.message).toBe(
				'export.osm: line 2: the root element is <html> — this is a web page (an error page or a download link saved instead of the export?); expected an OSM XML file (.osm): an <osm version="0.6"> element holding <node>, <way> and <relation> elements'
			);
		}
	});

	it('binary garbage and JSON → UNREADABLE_FILE from readOsm, with the first bytes shown', () => {
		const garbage = importErrorOf(() =>
			readOsm(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'x.bin')
		);
		expect(garbage.code).toBe('UNREADABLE_FILE');
		expect(garbage.message).toContain(
			'neither OSM PBF nor OSM XML: the file starts with bytes 00 01 02 03 04 05 06 07'
		);
		const json = importErrorOf(() => readOsm(strToU8('{"type":"FeatureCollection"}'), 'roads.osm'));
		expect(json.message).toContain('it looks like JSON');
		const notPbf = importErrorOf(() => readOsmPbf(strToU8('<osm version="0.6"></osm>'), 'a.osm'));
		expect(notPbf.code).toBe('UNREADABLE_FILE');
		expect(notPbf.message).toMatch(
			/^a\.osm: not an OSM PBF file: it starts with bytes 3c 6f 73 6d/
		);
	});

	it('a truncated XML file → UNREADABLE_FILE (inside an element, or without </osm>)', () => {
		const text = readFileSync(path.join(DATA_DIR, 'roads/shenzhen_longgang_raw.osm'), 'utf8');
		const cutInWay = text.slice(0, text.indexOf('<nd ', text.indexOf('<way ')) + 1);
		const inside = importErrorOf(() => readOsmXml(cutInWay, 'cut.osm'));
		expect(inside.code).toBe('UNREADABLE_FILE');
		expect(inside.message).toMatch(
			/^cut\.osm: line \d+: "<" is not followed by an element name|^cut\.osm: line \d+: <nd> has a malformed attribute/
		);
		const cutBetween = text.slice(0, text.indexOf('<way '));
		const between = importErrorOf(() => readOsmXml(cutBetween, 'cut2.osm'));
		expect(between.code).toBe('UNREADABLE_FILE');
		expect(between.message).toMatch(
			/^cut2\.osm: the file ends without <\/osm> \(line \d+\); the file is truncated/
		);
		const cutAfterWayStart = text.slice(0, text.indexOf('<nd ', text.indexOf('<way ')));
		const open = importErrorOf(() => readOsmXml(cutAfterWayStart, 'cut3.osm'));
		expect(open.message).toMatch(
			/^cut3\.osm: the file ends inside <way id="42689591"> opened on line \d+; the file is truncated/
		);
	});

	it('an OSM element with a bad attribute → WRONG_STRUCTURE naming line, element, attribute, value and what was expected', () => {
		const text =
			'<osm version="0.6">\n<node id="1" lat="22.5" lon="114"/>\n<node id="2" lat="north" lon="114"/>\n</osm>';
		const error = importErrorOf(() => readOsmXml(text, 'bad.osm'));
		expect(error.code).toBe('WRONG_STRUCTURE');
		expect(error.message).toBe(
			'bad.osm: line 3: <node id="2"> has lat="north"; expected a decimal latitude in WGS84 degrees between -90 and 90'
		);
		const range = importErrorOf(() =>
			readOsmXml('<osm>\n<node id="3" lat="31.2" lon="3512345.6"/></osm>', 'projected.osm')
		);
		expect(range.message).toBe(
			'projected.osm: line 2: <node id="3"> has lon="3512345.6"; expected a decimal longitude in WGS84 degrees between -180 and 180'
		);
		const member = importErrorOf(() =>
			readOsmXml(
				'<osm><relation id="1"><member type="area" ref="2" role=""/></relation></osm>',
				'rel.osm'
			)
		);
		expect(member.code).toBe('WRONG_STRUCTURE');
		expect(member.message).toBe(
			'rel.osm: line 1: <member> has type="area"; expected "node", "way" or "relation"'
		);
	});

	it('an osmChange file → UNSUPPORTED_FORMAT', () => {
		const error = importErrorOf(() =>
			readOsmXml('<?xml version="1.0"?><osmChange version="0.6"><create/></osmChange>', 'diff.osc')
		);
		expect(error.code).toBe('UNSUPPORTED_FORMAT');
		expect(error.message).toMatch(
			/^diff\.osc: the root element is <osmChange>: this is a change file/
		);
	});

	it('a zstd-compressed blob and a history file → UNSUPPORTED_FORMAT with the fix', () => {
		const zstd = writeOsmPbf({ blocks: [{ nodes: TINY_DENSE_NODES, compression: 'zstd' }] });
		const zstdError = importErrorOf(() => readOsmPbf(zstd, 'z.osm.pbf'));
		expect(zstdError.code).toBe('UNSUPPORTED_FORMAT');
		expect(zstdError.message).toMatch(
			/^z\.osm\.pbf: blob #1 at byte \d+ \(OSMData\): zstd-compressed blobs are not supported; expected zlib or uncompressed blobs \(re-encode with `osmium cat z\.osm\.pbf -o out\.osm\.pbf`/
		);
		const history = writeOsmPbf({
			requiredFeatures: ['OsmSchema-V0.6', 'DenseNodes', 'HistoricalInformation'],
			blocks: []
		});
		const historyError = importErrorOf(() => readOsmPbf(history, 'h.osh.pbf'));
		expect(historyError.code).toBe('UNSUPPORTED_FORMAT');
		expect(historyError.message).toContain('requires feature(s) "HistoricalInformation"');
	});

	it('a corrupted zlib blob → UNREADABLE_FILE naming the blob', () => {
		const { bytes, blobs } = writeOsmPbfWithLayout({
			blocks: [{ nodes: TINY_DENSE_NODES, ways: TINY_WAYS, compression: 'zlib' }]
		});
		const corrupt = bytes.slice();
		const data = blobs[1];
		// Skip the raw_size field and the zlib header, then scribble over the deflate stream.
		for (let i = data.blobStart + 8; i < data.blobEnd - 4; i++) corrupt[i] ^= 0x5a;
		const error = importErrorOf(() => readOsmPbf(corrupt, 'corrupt.osm.pbf'));
		expect(error.code).toBe('UNREADABLE_FILE');
		expect(
			error.message.startsWith(`corrupt.osm.pbf: blob #1 at byte ${data.frameStart} (OSMData): `)
		).toBe(true);
	});
});
