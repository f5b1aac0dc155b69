/**
 * node scripts/bench/osm-clip.ts [--out <file.json>] [--runs <n>] [--rows <n>]
 *
 * Times the streaming OSM clipper (scripts/region/osm-clip.ts, issue 12) on a generated,
 * clearly synthetic extract, and `benchOsmClip()` for `npm run bench -- --only osm-clip`.
 *
 * The extract: a seeded 1415 × 1415 grid of nodes 20 m apart (2,002,225 nodes, ids from
 * 12,000,000,000 so they pass 2^32 like today's OSM ids), streets of 10 blocks along every row
 * and every 5th column, small closed building ways in one cell in ten of the even cells,
 * multipolygon relations for one building in a hundred and foot routes along every 50th row;
 * one node in 500 is a tagged bench whose name has entities to escape. It is written twice, as
 * PBF (DenseNodes, 8,000 elements per zlib blob, as osmium writes) and as OSM XML, by a generator
 * that streams too (one block in memory at a time), into a temporary folder under os.tmpdir()
 * that is removed afterwards.
 *
 * The clip: a 64-gon of radius 5.05 km at the centre, ~10 % of the grid's area, with the default
 * 1500 m halo. Each run is a fresh child process (`--clip`), so its peak RSS
 * (process.resourceUsage().maxRSS) is the clipper's alone, Node itself included. Goal: a 2 M-node
 * extract clipped in < 30 s with peak RSS < 1 GB on the 2-core bench machine.
 */
import { execFile } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import type { Polygon } from 'geojson';
import { PbfWriter } from 'pbf';
import { metresPerDegree } from '../../src/lib/engine/graph/geodesic.ts';
import { clipOsmExtract, type ClipStats } from '../region/osm-clip.ts';

export interface OsmClipBenchEntry {
	name: string;
	format: 'pbf' | 'xml';
	/** Size of the generated extract, bytes. */
	inputBytes: number;
	nodes: number;
	ways: number;
	relations: number;
	/** Time to generate the extract (not part of the clip), ms. */
	generateMs: number;
	/** clipOsmExtract's own wall time per run, ms. */
	samplesMs: number[];
	medianMs: number;
	runs: number;
	/** Largest maxRSS of the child processes that ran the clip, bytes. */
	peakRssBytes: number;
	nodesKept: number;
	waysKept: number;
	relationsKept: number;
	highwayWaysKept: number;
	buildingWaysKept: number;
	outputBytes: number;
	/** The goal and whether this run met it. */
	target: string;
	meetsTarget: boolean;
	/** os.loadavg()[0] when the runs began: this machine is shared, so times vary with it. */
	loadAverage1m: number;
	note?: string;
}

/** The generated grid (defaults: 2,002,225 nodes). */
export interface SyntheticGridOptions {
	rows: number;
	cols: number;
	/** Distance between neighbouring nodes, metres. */
	spacingM: number;
	/** South-west corner, WGS84 degrees. */
	originLon: number;
	originLat: number;
	seed: number;
}

export const DEFAULT_GRID: SyntheticGridOptions = {
	rows: 1415,
	cols: 1415,
	spacingM: 20,
	originLon: 113.9,
	originLat: 22.55,
	seed: 0x0c11
};

const NODE_ID0 = 12_000_000_000;
const WAY_ID0 = 1_000_000_000;
const BLOCK_BLOCKS = 10; // street length, blocks
const ELEMENTS_PER_BLOB = 8000;
const TARGET_MS = 30_000;
const TARGET_RSS_BYTES = 1024 ** 3;
const HIGHWAYS = ['residential', 'footway', 'service', 'tertiary', 'living_street', 'path'];

/** A 32-bit integer hash (lowbias32): the same pseudo-random value for an element in any order. */
function hash(value: number, seed: number): number {
	let x = (value ^ seed) >>> 0;
	x ^= x >>> 16;
	x = Math.imul(x, 0x7feb352d);
	x ^= x >>> 15;
	x = Math.imul(x, 0x846ca68b);
	x ^= x >>> 16;
	return x >>> 0;
}

type Tags = [string, string][];
interface Member {
	type: 0 | 1 | 2;
	ref: number;
	role: string;
}

/** Where the generator's elements go: one encoder per output format. */
interface GridSink {
	/** Coordinates in units of 1e-7 degrees (PBF granularity 100). */
	node(id: number, lonE7: number, latE7: number, tags: Tags | null): void;
	way(id: number, refs: Float64Array, count: number, tags: Tags): void;
	relation(id: number, members: Member[], tags: Tags): void;
	finish(): void;
}

/** Element counts of the generated extract. */
export interface GridCounts {
	nodes: number;
	ways: number;
	relations: number;
}

/** Stream the grid's elements, in OSM order (nodes, ways, relations by ascending id), to `sink`. */
function generateGrid(grid: SyntheticGridOptions, sink: GridSink): GridCounts {
	const { rows, cols, spacingM, originLon, originLat, seed } = grid;
	const scale = metresPerDegree(originLat + (rows * spacingM) / 2 / 111_195);
	const nodeId = (r: number, c: number) => NODE_ID0 + r * cols + c;
	for (let r = 0; r < rows; r++) {
		for (let c = 0; c < cols; c++) {
			const i = r * cols + c;
			const h = hash(i, seed);
			// Up to ±3 m of jitter, so the coordinates are not a perfect lattice.
			const xM = c * spacingM + ((h & 0xffff) / 0xffff - 0.5) * 6;
			const yM = r * spacingM + ((h >>> 16) / 0xffff - 0.5) * 6;
			const lonE7 = Math.round((originLon + xM / scale.x) * 1e7);
			const latE7 = Math.round((originLat + yM / scale.y) * 1e7);
			const tags: Tags | null =
				h % 500 === 0
					? [
							['amenity', 'bench'],
							['name', `长椅 ${i} & <synthetic> "grid"`]
						]
					: null;
			sink.node(nodeId(r, c), lonE7, latE7, tags);
		}
	}
	let wayId = WAY_ID0;
	const refs = new Float64Array(BLOCK_BLOCKS + 1);
	const segmentsPerRow = Math.ceil((cols - 1) / BLOCK_BLOCKS);
	const firstRowWay = (r: number) => WAY_ID0 + r * segmentsPerRow;
	for (let r = 0; r < rows; r++) {
		for (let c0 = 0; c0 < cols - 1; c0 += BLOCK_BLOCKS) {
			let n = 0;
			for (let c = c0; c <= Math.min(c0 + BLOCK_BLOCKS, cols - 1); c++) refs[n++] = nodeId(r, c);
			const highway = HIGHWAYS[hash(wayId, seed) % HIGHWAYS.length];
			sink.way(wayId++, refs, n, [['highway', highway]]);
		}
	}
	for (let c = 0; c < cols; c += 5) {
		for (let r0 = 0; r0 < rows - 1; r0 += BLOCK_BLOCKS) {
			let n = 0;
			for (let r = r0; r <= Math.min(r0 + BLOCK_BLOCKS, rows - 1); r++) refs[n++] = nodeId(r, c);
			sink.way(wayId++, refs, n, [
				['highway', 'residential'],
				['name', `Column ${c} Road`]
			]);
		}
	}
	const multipolygonBuildings: number[] = [];
	let buildings = 0;
	for (let r = 0; r < rows - 1; r += 2) {
		for (let c = 1; c < cols - 1; c += 2) {
			if (hash(r * cols + c, seed ^ 0xb1d) % 10 !== 0) continue;
			refs[0] = nodeId(r, c);
			refs[1] = nodeId(r, c + 1);
			refs[2] = nodeId(r + 1, c + 1);
			refs[3] = nodeId(r + 1, c);
			refs[4] = refs[0];
			if (buildings++ % 100 === 0) multipolygonBuildings.push(wayId);
			sink.way(wayId++, refs, 5, [
				['building', 'yes'],
				['building:levels', String(1 + (hash(wayId, seed) % 30))]
			]);
		}
	}
	let relationId = 1;
	for (const building of multipolygonBuildings) {
		sink.relation(
			relationId++,
			[{ type: 1, ref: building, role: 'outer' }],
			[['type', 'multipolygon']]
		);
	}
	for (let r = 0; r < rows; r += 50) {
		const members: Member[] = [];
		for (let k = 0; k < segmentsPerRow; k++)
			members.push({ type: 1, ref: firstRowWay(r) + k, role: '' });
		members.push({ type: 0, ref: nodeId(r, 0), role: 'start' });
		sink.relation(relationId++, members, [
			['type', 'route'],
			['route', 'foot'],
			['name', `Row ${r} walk`]
		]);
	}
	sink.finish();
	return { nodes: rows * cols, ways: wayId - WAY_ID0, relations: relationId - 1 };
}

/** The grid's extent, WGS84 degrees, as the header says. */
function gridBounds(grid: SyntheticGridOptions) {
	const scale = metresPerDegree(grid.originLat + (grid.rows * grid.spacingM) / 2 / 111_195);
	return {
		minLon: grid.originLon - 10 / scale.x,
		minLat: grid.originLat - 10 / scale.y,
		maxLon: grid.originLon + (grid.cols * grid.spacingM) / scale.x,
		maxLat: grid.originLat + (grid.rows * grid.spacingM) / scale.y
	};
}

/** Writes PBF: OSMHeader, then zlib blobs of ELEMENTS_PER_BLOB elements of one kind each. */
class PbfGridWriter implements GridSink {
	private readonly fd: number;
	private strings = new Map<string, number>([['', 0]]);
	private kind: 'node' | 'way' | 'relation' | '' = '';
	private count = 0;
	// Dense nodes of the open block.
	private ids: number[] = [];
	private lats: number[] = [];
	private lons: number[] = [];
	private keysVals: number[] = [];
	private lastId = 0;
	private lastLat = 0;
	private lastLon = 0;
	private hasTags = false;
	// Ways or relations of the open block, each already encoded.
	private group = new PbfWriter();

	constructor(file: string, grid: SyntheticGridOptions) {
		this.fd = openSync(file, 'w');
		const bounds = gridBounds(grid);
		const header = new PbfWriter();
		header.writeMessage(
			1,
			(_: null, p: PbfWriter) => {
				p.writeSVarintField(1, Math.round(bounds.minLon * 1e9));
				p.writeSVarintField(2, Math.round(bounds.maxLon * 1e9));
				p.writeSVarintField(3, Math.round(bounds.maxLat * 1e9));
				p.writeSVarintField(4, Math.round(bounds.minLat * 1e9));
			},
			null
		);
		header.writeStringField(4, 'OsmSchema-V0.6');
		header.writeStringField(4, 'DenseNodes');
		header.writeStringField(5, 'Sort.Type_then_ID');
		header.writeStringField(16, 'carecircle bench (synthetic grid)');
		this.writeBlob('OSMHeader', header.finish());
	}

	private string(value: string): number {
		let index = this.strings.get(value);
		if (index === undefined) {
			index = this.strings.size;
			this.strings.set(value, index);
		}
		return index;
	}

	private begin(kind: 'node' | 'way' | 'relation'): void {
		if (this.kind !== kind || this.count === ELEMENTS_PER_BLOB) this.flush();
		this.kind = kind;
		this.count++;
	}

	node(id: number, lonE7: number, latE7: number, tags: Tags | null): void {
		this.begin('node');
		this.ids.push(id - this.lastId);
		this.lats.push(latE7 - this.lastLat);
		this.lons.push(lonE7 - this.lastLon);
		this.lastId = id;
		this.lastLat = latE7;
		this.lastLon = lonE7;
		if (tags) {
			if (!this.hasTags) {
				// keys_vals must hold a 0 for every earlier node of the block once any node has tags.
				for (let i = 1; i < this.ids.length; i++) this.keysVals.push(0);
				this.hasTags = true;
			}
			for (const [k, v] of tags) this.keysVals.push(this.string(k), this.string(v));
		}
		if (this.hasTags) this.keysVals.push(0);
	}

	way(id: number, refs: Float64Array, count: number, tags: Tags): void {
		this.begin('way');
		const keys = tags.map(([k]) => this.string(k));
		const vals = tags.map(([, v]) => this.string(v));
		const deltas: number[] = [];
		for (let i = 0, last = 0; i < count; i++) {
			deltas.push(refs[i] - last);
			last = refs[i];
		}
		this.group.writeMessage(
			3,
			(_: null, p: PbfWriter) => {
				p.writeVarintField(1, id);
				p.writePackedVarint(2, keys);
				p.writePackedVarint(3, vals);
				p.writePackedSVarint(8, deltas);
			},
			null
		);
	}

	relation(id: number, members: Member[], tags: Tags): void {
		this.begin('relation');
		const keys = tags.map(([k]) => this.string(k));
		const vals = tags.map(([, v]) => this.string(v));
		const roles = members.map((m) => this.string(m.role));
		const deltas: number[] = [];
		let last = 0;
		for (const m of members) {
			deltas.push(m.ref - last);
			last = m.ref;
		}
		this.group.writeMessage(
			4,
			(_: null, p: PbfWriter) => {
				p.writeVarintField(1, id);
				p.writePackedVarint(2, keys);
				p.writePackedVarint(3, vals);
				p.writePackedVarint(8, roles);
				p.writePackedSVarint(9, deltas);
				p.writePackedVarint(
					10,
					members.map((m) => m.type)
				);
			},
			null
		);
	}

	private flush(): void {
		if (this.count === 0) return;
		const block = new PbfWriter();
		const strings = [...this.strings.keys()];
		block.writeMessage(
			1,
			(_: null, p: PbfWriter) => {
				for (const s of strings) p.writeStringField(1, s);
			},
			null
		);
		if (this.kind === 'node') {
			block.writeMessage(
				2,
				(_: null, g: PbfWriter) =>
					g.writeMessage(
						2,
						(__: null, d: PbfWriter) => {
							d.writePackedSVarint(1, this.ids);
							d.writePackedSVarint(8, this.lats);
							d.writePackedSVarint(9, this.lons);
							if (this.hasTags) d.writePackedVarint(10, this.keysVals);
						},
						null
					),
				null
			);
		} else {
			const group = this.group.finish();
			block.writeBytesField(2, group);
		}
		this.writeBlob('OSMData', block.finish());
		this.strings = new Map([['', 0]]);
		this.count = 0;
		this.ids = [];
		this.lats = [];
		this.lons = [];
		this.keysVals = [];
		this.lastId = 0;
		this.lastLat = 0;
		this.lastLon = 0;
		this.hasTags = false;
		this.group = new PbfWriter();
	}

	private writeBlob(type: string, raw: Uint8Array): void {
		const blob = new PbfWriter();
		blob.writeVarintField(2, raw.length);
		blob.writeBytesField(3, deflateSync(raw));
		const blobBytes = blob.finish();
		const header = new PbfWriter();
		header.writeStringField(1, type);
		header.writeVarintField(3, blobBytes.length);
		const headerBytes = header.finish();
		const length = Buffer.alloc(4);
		length.writeUInt32BE(headerBytes.length);
		writeSync(this.fd, length);
		writeSync(this.fd, headerBytes);
		writeSync(this.fd, blobBytes);
	}

	finish(): void {
		this.flush();
		closeSync(this.fd);
	}
}

/** Writes OSM XML in ~1 MB pieces. */
class XmlGridWriter implements GridSink {
	private readonly fd: number;
	private parts: string[] = [];
	private chars = 0;

	constructor(file: string, grid: SyntheticGridOptions) {
		this.fd = openSync(file, 'w');
		const b = gridBounds(grid);
		this.push(
			`<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="carecircle bench (synthetic grid)">\n <bounds minlat="${b.minLat.toFixed(7)}" minlon="${b.minLon.toFixed(7)}" maxlat="${b.maxLat.toFixed(7)}" maxlon="${b.maxLon.toFixed(7)}"/>\n`
		);
	}

	private push(text: string): void {
		this.parts.push(text);
		this.chars += text.length;
		if (this.chars > 1 << 20) this.flush();
	}

	private flush(): void {
		writeSync(this.fd, this.parts.join(''));
		this.parts = [];
		this.chars = 0;
	}

	node(id: number, lonE7: number, latE7: number, tags: Tags | null): void {
		const head = ` <node id="${id}" version="1" lat="${latE7 / 1e7}" lon="${lonE7 / 1e7}"`;
		this.push(tags ? `${head}>\n${xmlTags(tags)} </node>\n` : `${head}/>\n`);
	}

	way(id: number, refs: Float64Array, count: number, tags: Tags): void {
		let text = ` <way id="${id}" version="1">\n`;
		for (let i = 0; i < count; i++) text += `  <nd ref="${refs[i]}"/>\n`;
		this.push(`${text}${xmlTags(tags)} </way>\n`);
	}

	relation(id: number, members: Member[], tags: Tags): void {
		const types = ['node', 'way', 'relation'];
		let text = ` <relation id="${id}" version="1">\n`;
		for (const m of members)
			text += `  <member type="${types[m.type]}" ref="${m.ref}" role="${escapeXml(m.role)}"/>\n`;
		this.push(`${text}${xmlTags(tags)} </relation>\n`);
	}

	finish(): void {
		this.push('</osm>\n');
		this.flush();
		closeSync(this.fd);
	}
}

function escapeXml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

function xmlTags(tags: Tags): string {
	return tags.map(([k, v]) => `  <tag k="${escapeXml(k)}" v="${escapeXml(v)}"/>\n`).join('');
}

/**
 * Write the synthetic extract to `file`, streaming (one block or ~1 MB of text in memory).
 * @returns element counts
 */
export function writeSyntheticExtract(
	file: string,
	format: 'pbf' | 'xml',
	grid: SyntheticGridOptions = DEFAULT_GRID
): GridCounts {
	const sink = format === 'pbf' ? new PbfGridWriter(file, grid) : new XmlGridWriter(file, grid);
	return generateGrid(grid, sink);
}

/** The bench boundary: a 64-gon at the grid's centre covering `areaFraction` of it. */
export function benchPolygon(
	grid: SyntheticGridOptions = DEFAULT_GRID,
	areaFraction = 0.1
): Polygon {
	const widthM = grid.cols * grid.spacingM;
	const heightM = grid.rows * grid.spacingM;
	const radiusM = Math.sqrt((areaFraction * widthM * heightM) / Math.PI);
	const scale = metresPerDegree(grid.originLat + heightM / 2 / 111_195);
	const centreLon = grid.originLon + widthM / 2 / scale.x;
	const centreLat = grid.originLat + heightM / 2 / scale.y;
	const ring: [number, number][] = [];
	for (let i = 0; i <= 64; i++) {
		const angle = ((i % 64) / 64) * 2 * Math.PI;
		ring.push([
			centreLon + (radiusM * Math.cos(angle)) / scale.x,
			centreLat + (radiusM * Math.sin(angle)) / scale.y
		]);
	}
	return { type: 'Polygon', coordinates: [ring] };
}

interface ChildResult {
	stats: ClipStats;
	maxRssBytes: number;
}

const execFileAsync = promisify(execFile);

/** Run one clip in a fresh Node process, so its peak RSS is the clipper's alone. */
async function clipInChild(
	input: string,
	output: string,
	polygonFile: string
): Promise<ChildResult> {
	const { stdout } = await execFileAsync(
		process.execPath,
		[import.meta.filename, '--clip', input, output, polygonFile],
		{ maxBuffer: 1 << 20 }
	);
	return JSON.parse(stdout) as ChildResult;
}

/**
 * Generate the synthetic extract (PBF, then XML), clip each `runs` times in child processes and
 * return one entry per format. The kept counts of both formats must agree (same content).
 */
export async function benchOsmClip(
	options: { runs?: number; grid?: SyntheticGridOptions; log?: (line: string) => void } = {}
): Promise<OsmClipBenchEntry[]> {
	const runs = options.runs ?? 3;
	const grid = options.grid ?? DEFAULT_GRID;
	const log = options.log ?? (() => undefined);
	const dir = await mkdtemp(path.join(os.tmpdir(), 'carecircle-osm-clip-bench-'));
	const entries: OsmClipBenchEntry[] = [];
	try {
		const polygonFile = path.join(dir, 'boundary.json');
		await writeFile(polygonFile, JSON.stringify(benchPolygon(grid)));
		for (const format of ['pbf', 'xml'] as const) {
			const input = path.join(dir, `synthetic-grid.osm${format === 'pbf' ? '.pbf' : ''}`);
			const start = performance.now();
			const counts = writeSyntheticExtract(input, format, grid);
			const generateMs = Math.round(performance.now() - start);
			const inputBytes = (await stat(input)).size;
			log(
				`  generated ${path.basename(input)}: ${counts.nodes.toLocaleString('en')} nodes, ${counts.ways.toLocaleString('en')} ways, ${(inputBytes / 1e6).toFixed(1)} MB in ${(generateMs / 1000).toFixed(1)} s`
			);
			const results: ChildResult[] = [];
			const loadAverage1m = Math.round(os.loadavg()[0] * 100) / 100;
			for (let run = 0; run < runs; run++) {
				const result = await clipInChild(input, path.join(dir, 'clipped.osm'), polygonFile);
				results.push(result);
				log(
					`    run ${run + 1}: ${(result.stats.millis / 1000).toFixed(2)} s, peak RSS ${(result.maxRssBytes / 2 ** 20).toFixed(0)} MiB`
				);
			}
			const stats = results[0].stats;
			for (const other of results)
				if (other.stats.outputBytes !== stats.outputBytes)
					throw new Error('osm-clip bench: two runs on the same input wrote different sizes');
			const samplesMs = results.map((r) => r.stats.millis);
			const medianMs = [...samplesMs].sort((a, b) => a - b)[Math.floor(samplesMs.length / 2)];
			const peakRssBytes = Math.max(...results.map((r) => r.maxRssBytes));
			entries.push({
				name: `clip ${(counts.nodes / 1e6).toFixed(1)} M-node synthetic ${format.toUpperCase()} to 10 % + 1500 m halo`,
				format,
				inputBytes,
				...counts,
				generateMs,
				samplesMs,
				medianMs,
				runs,
				peakRssBytes,
				nodesKept: stats.nodesKept,
				waysKept: stats.waysKept,
				relationsKept: stats.relationsKept,
				highwayWaysKept: stats.highwayWaysKept,
				buildingWaysKept: stats.buildingWaysKept,
				outputBytes: stats.outputBytes,
				target: '< 30 s and peak RSS < 1 GB for ≥ 2 M nodes',
				meetsTarget:
					counts.nodes >= 2_000_000 && medianMs < TARGET_MS && peakRssBytes < TARGET_RSS_BYTES,
				loadAverage1m,
				note: `${grid.rows} × ${grid.cols} grid, ${grid.spacingM} m spacing; each run a fresh child process (peak RSS = its maxRSS, Node included)`
			});
		}
		const [pbf, xml] = entries;
		if (
			pbf.nodesKept !== xml.nodesKept ||
			pbf.waysKept !== xml.waysKept ||
			pbf.relationsKept !== xml.relationsKept
		)
			throw new Error(
				`osm-clip bench: PBF kept ${pbf.nodesKept}/${pbf.waysKept}/${pbf.relationsKept} nodes/ways/relations but XML of the same grid ${xml.nodesKept}/${xml.waysKept}/${xml.relationsKept}`
			);
		return entries;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** The entries as a fixed-width table. */
export function osmClipTable(entries: readonly OsmClipBenchEntry[]): string {
	const lines = [
		`${'benchmark'.padEnd(58)} ${'input MB'.padStart(9)} ${'median s'.padStart(9)} ${'peak RSS MiB'.padStart(13)} ${'nodes kept'.padStart(11)} ${'ways kept'.padStart(10)}  target`
	];
	for (const e of entries) {
		lines.push(
			`${e.name.padEnd(58)} ${(e.inputBytes / 1e6).toFixed(1).padStart(9)} ${(e.medianMs / 1000).toFixed(2).padStart(9)} ${(e.peakRssBytes / 2 ** 20).toFixed(0).padStart(13)} ${String(e.nodesKept).padStart(11)} ${String(e.waysKept).padStart(10)}  ${e.target}: ${e.meetsTarget ? 'met' : 'NOT met'} (load ${e.loadAverage1m})`
		);
	}
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	if (args[0] === '--clip') {
		// Child mode: one clip, stats as JSON on stdout.
		const [, input, output, polygonFile] = args;
		const { readFile } = await import('node:fs/promises');
		const polygon = JSON.parse(await readFile(polygonFile, 'utf8')) as Polygon;
		const stats = await clipOsmExtract(input, output, { polygon });
		const result: ChildResult = { stats, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
		process.stdout.write(JSON.stringify(result));
	} else {
		const option = (name: string) => {
			const at = args.indexOf(name);
			if (at >= 0 && !args[at + 1]) {
				console.error(
					'usage: node scripts/bench/osm-clip.ts [--out <file.json>] [--runs <n>] [--rows <n>]'
				);
				process.exit(2);
			}
			return at >= 0 ? args[at + 1] : undefined;
		};
		const outPath = option('--out');
		const rows = Number(option('--rows') ?? DEFAULT_GRID.rows);
		const grid = { ...DEFAULT_GRID, rows, cols: rows };
		const entries = await benchOsmClip({
			runs: Number(option('--runs') ?? 3),
			grid,
			log: (line) => console.log(line)
		});
		console.log(osmClipTable(entries));
		if (outPath) {
			await writeFile(outPath, JSON.stringify(entries, null, '\t') + '\n');
			console.log(`\nwrote ${outPath}`);
		}
	}
}
