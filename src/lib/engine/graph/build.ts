/**
 * Network features → the walking RoadGraph.
 *
 * How ways join: every vertex is a node, and vertices with identical coordinates after rounding
 * to 1e-7° (≈ 1 cm, the precision the graph stores) are ONE node. That is how ways sharing an
 * OSM node meet — OSM junctions are shared nodes, so their coordinates are bit-identical.
 * Lines that cross without a shared vertex stay unconnected: a bridge over a street, a street
 * over a tunnel, a footway drawn across a road without a junction node. That is right for
 * bridges and tunnels and is the data's responsibility elsewhere.
 *
 * Why it is shaped so: one pass classifies ways (walkability.ts); a second pass turns vertices
 * into nodes through an open-addressing hash table on the Int32 coordinate pair (no string keys,
 * no object per vertex); duplicate segments are found afterwards per node (counting sort by
 * the smaller endpoint), union–find drops islands, and nodes are renumbered along a Hilbert
 * curve so that nodes close on the ground are close in memory. Measured (docs/WALKABILITY.md):
 * the 1000 × 1000 grid (1 M nodes, 4 M directed edges) builds in 1.2–1.6 s from features, and
 * a bounded 15-minute search on it takes about half the time with Hilbert numbering that it
 * takes with first-seen numbering (median 0.026 vs 0.043–0.057 ms).
 */
import { osmToNetworkFeatures } from '../osm/network.ts';
import type { OsmData } from '../osm/types.ts';
import type { NetworkFeature } from '../region/schema.ts';
import { haversineM } from './geodesic.ts';
import { RoadGraph } from './road-graph.ts';
import { classifyWay, type WayTags } from './walkability.ts';

/** Stable codes of WalkGraphError (the CLI, routes and tests read them). */
export const WALK_GRAPH_ERROR_CODES = [
	'EMPTY_NETWORK',
	'NO_WALKABLE_WAYS',
	'INVALID_GEOMETRY',
	'NO_CONNECTED_NETWORK'
] as const;
export type WalkGraphErrorCode = (typeof WALK_GRAPH_ERROR_CODES)[number];

/** The network cannot give a walking graph; `message` says why and how to fix the input. */
export class WalkGraphError extends Error {
	readonly code: WalkGraphErrorCode;
	/** The network file (or label) the message names. */
	readonly file: string;
	constructor(code: WalkGraphErrorCode, file: string, message: string) {
		super(`${file}: ${message}`);
		this.name = 'WalkGraphError';
		this.code = code;
		this.file = file;
	}
}

export interface WalkGraphOptions {
	/** Connected parts with fewer nodes are dropped as islands (default 20). */
	minComponentNodes?: number;
	/** Name of the network file for error messages (default "network"). */
	file?: string;
	/**
	 * Node numbering: 'hilbert' (default; along a Hilbert curve, for memory locality) or
	 * 'input' (order of first appearance; only to measure what Hilbert order gains).
	 */
	nodeOrder?: 'hilbert' | 'input';
}

/** A road tunnel left out of the graph (rule `road-tunnel`). */
export interface ExcludedTunnel {
	/** Index of the feature in the input (0-based). */
	featureIndex: number;
	osmId: number | null;
	name: string | null;
	highway: string;
}

export interface WalkGraphReport {
	/** Network features given. */
	inputFeatures: number;
	walkableFeatures: number;
	excludedFeatures: number;
	/** Walkable features by the reason of their deciding rule. */
	walkableByReason: Record<string, number>;
	/** Excluded features by reason. */
	excludedByReason: Record<string, number>;
	/** Road tunnels excluded (the Huangpu tunnels in the demo region), with names when tagged. */
	excludedTunnels: ExcludedTunnel[];
	/** Nodes in the graph (after dropping islands). */
	nodes: number;
	/** Undirected segments in the graph (each is two directed edges). */
	undirectedSegments: number;
	directedEdges: number;
	/** Consecutive vertices of a line that fall on the same node (after 1e-7° rounding). */
	zeroLengthSegmentsDropped: number;
	/** Segments joining a node pair already joined (overlapping ways, a line doubling back). */
	duplicateSegmentsDropped: number;
	/** The island threshold used. */
	minComponentNodes: number;
	componentsKept: number;
	/** Connected parts smaller than minComponentNodes, left out. */
	componentsDropped: number;
	nodesDropped: number;
	/** Undirected segments inside the dropped parts. */
	segmentsDropped: number;
	/** Nodes of the largest connected part. */
	largestComponentNodes: number;
	/** Sum of undirected segment lengths in the graph, kilometres. */
	totalLengthKm: number;
	/** Graph buffer bytes ÷ directed edges (header and coordinates included). */
	bytesPerDirectedEdge: number;
	nodeOrder: 'hilbert' | 'input';
	/** Wall time of the build, milliseconds. */
	buildMs: number;
	/** Only when built from OSM data: the feature conversion's counts. */
	osm?: {
		/** Highway ways without 2 consecutive nodes in the file (no feature). */
		skippedWays: number;
		/** Highway ways converted in part (nodes missing from a clipped extract). */
		clippedWays: number;
	};
}

const clock = (globalThis as { performance?: { now(): number } }).performance;
const nowMs = () => (clock ? clock.now() : Date.now());

/**
 * Open-addressing hash map from a pair of int32 to a non-negative int32 (linear probing, at most
 * half full: it doubles as keys arrive, since a streamed network's size is not known ahead). Key
 * pair and value share one 16-byte slot, so a lookup costs one cache miss; no strings or
 * objects per key.
 */
class PairIndex {
	/** Slot i: [keyA, keyB, value (-1 = empty), unused] at 4i. */
	private slots: Int32Array;
	private mask: number;
	private size = 0;
	constructor(initialCapacity = 1024) {
		this.slots = PairIndex.emptySlots(initialCapacity);
		this.mask = initialCapacity - 1;
	}
	private static emptySlots(capacity: number): Int32Array {
		const slots = new Int32Array(capacity * 4);
		for (let i = 2; i < slots.length; i += 4) slots[i] = -1;
		return slots;
	}
	private static slotOf(a: number, b: number, mask: number): number {
		let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
		h ^= h >>> 13;
		return h & mask;
	}
	/** The value stored for (a, b); when absent, stores `value` and returns -1. */
	getOrInsert(a: number, b: number, value: number): number {
		if (2 * (this.size + 1) > this.mask + 1) this.grow();
		const slots = this.slots;
		let slot = PairIndex.slotOf(a, b, this.mask);
		for (;;) {
			const at = slot << 2;
			const stored = slots[at + 2];
			if (stored === -1) {
				slots[at] = a;
				slots[at + 1] = b;
				slots[at + 2] = value;
				this.size++;
				return -1;
			}
			if (slots[at] === a && slots[at + 1] === b) return stored;
			slot = (slot + 1) & this.mask;
		}
	}
	private grow(): void {
		const old = this.slots;
		const capacity = 2 * (this.mask + 1);
		const slots = PairIndex.emptySlots(capacity);
		const mask = capacity - 1;
		for (let at = 0; at < old.length; at += 4) {
			if (old[at + 2] === -1) continue;
			let slot = PairIndex.slotOf(old[at], old[at + 1], mask);
			while (slots[(slot << 2) + 2] !== -1) slot = (slot + 1) & mask;
			const to = slot << 2;
			slots[to] = old[at];
			slots[to + 1] = old[at + 1];
			slots[to + 2] = old[at + 2];
		}
		this.slots = slots;
		this.mask = mask;
	}
}

/** Position along a Hilbert curve filling a 65 536 × 65 536 grid (x, y in 0 … 65 535). */
export function hilbertIndex(x: number, y: number): number {
	const n = 65536;
	let d = 0;
	for (let s = n >>> 1; s > 0; s >>>= 1) {
		const rx = (x & s) > 0 ? 1 : 0;
		const ry = (y & s) > 0 ? 1 : 0;
		d += s * s * ((3 * rx) ^ ry);
		if (ry === 0) {
			if (rx === 1) {
				x = n - 1 - x;
				y = n - 1 - y;
			}
			const swap = x;
			x = y;
			y = swap;
		}
	}
	return d;
}

/** Ids sorted by their uint32 keys, stable (LSD radix sort, two 16-bit passes). */
function sortIdsByKey(
	ids: Uint32Array<ArrayBuffer>,
	keyOfId: Uint32Array
): Uint32Array<ArrayBuffer> {
	let source = ids;
	let target = new Uint32Array(ids.length);
	for (const shift of [0, 16]) {
		const counts = new Uint32Array(65537);
		for (let i = 0; i < source.length; i++) counts[((keyOfId[source[i]] >>> shift) & 0xffff) + 1]++;
		for (let k = 0; k < 65536; k++) counts[k + 1] += counts[k];
		for (let i = 0; i < source.length; i++) {
			const id = source[i];
			target[counts[(keyOfId[id] >>> shift) & 0xffff]++] = id;
		}
		[source, target] = [target, source];
	}
	return source;
}

/** The lines of a feature, or null when its geometry is not a (Multi)LineString array. */
function linesOf(feature: NetworkFeature): readonly (readonly number[])[][] | null {
	const geometry = (feature as Partial<NetworkFeature> | null)?.geometry;
	if (!geometry || !Array.isArray(geometry.coordinates)) return null;
	if (geometry.type === 'LineString') return [geometry.coordinates];
	if (geometry.type === 'MultiLineString') {
		return geometry.coordinates.every((line) => Array.isArray(line)) ? geometry.coordinates : null;
	}
	return null;
}

const increment = (counts: Record<string, number>, key: string) => {
	counts[key] = (counts[key] ?? 0) + 1;
};
const listCounts = (counts: Record<string, number>) =>
	Object.entries(counts)
		.sort((a, b) => b[1] - a[1])
		.map(([reason, count]) => `${reason}: ${count}`)
		.join('; ');

/** A typed array of at least `length` entries holding `array`'s (grown by doubling). */
function grown<T extends Int32Array | Uint32Array | Uint8Array>(array: T, length: number): T {
	if (length <= array.length) return array;
	let capacity = array.length;
	while (capacity < length) capacity *= 2;
	const larger = new (array.constructor as new (length: number) => T)(capacity);
	larger.set(array);
	return larger;
}

/**
 * The walking graph built one feature at a time, so that a network file can be streamed
 * (network-file.ts): nothing is kept per feature but its vertices' nodes and segments (and a
 * report entry per excluded road tunnel). `add` each feature in order, then `finish`.
 * The result is exactly `buildWalkGraph`'s (which is this class over an array): nodes are
 * numbered in order of first appearance before the Hilbert renumbering, as before.
 *
 * Errors come in the order the two-pass build gave them: a walkable feature whose geometry is
 * not a line throws from `add` at once (the first pass threw it before any vertex was read); a
 * bad vertex is remembered and thrown by `finish`, since a later feature may still be a
 * non-line (the first error of the old first pass wins over the second pass's).
 *
 * Memory: per node and segment only the typed arrays below and the hash table (16 B slots, at
 * most half full), released before the graph is assembled. Measured by scripts/bench/big-network.ts
 * on a 3500 × 3500 street grid streamed from a 960 MB file (12.25 M nodes, 49 M directed edges,
 * a 561 MiB graph): peak RSS 1.83–1.86 GiB, 58–91 s on a machine at load 5–8.
 *
 * @example
 * const builder = new WalkGraphBuilder({ file: 'network.geojson' });
 * for (const feature of features) builder.add(feature);
 * const { graph, report } = builder.finish();
 */
export class WalkGraphBuilder {
	private readonly startedMs = nowMs();
	private readonly file: string;
	private readonly minComponentNodes: number;
	private readonly nodeOrder: 'hilbert' | 'input';
	private inputFeatures = 0;
	private walkableFeatures = 0;
	private readonly walkableByReason: Record<string, number> = {};
	private readonly excludedByReason: Record<string, number> = {};
	private readonly excludedTunnels: ExcludedTunnel[] = [];
	/** Node of each distinct rounded vertex; dropped by `finish`. */
	private vertexNodes: PairIndex | null = new PairIndex();
	/** Longitude × 1e7 of node i (first-appearance numbering), one entry per node (with spare). */
	private nodeLonE7 = new Int32Array(1024);
	/** Latitude × 1e7, one entry per node (with spare). */
	private nodeLatE7 = new Int32Array(1024);
	private nodeCount = 0;
	/** Smaller / larger node of each segment, one entry per segment (with spare). */
	private segmentA = new Uint32Array(1024);
	private segmentB = new Uint32Array(1024);
	/** EDGE_FLAGS of each segment's way, one entry per segment (with spare). */
	private segmentFlags = new Uint8Array(1024);
	private segmentCount = 0;
	private zeroLengthSegmentsDropped = 0;
	/** The first bad vertex, thrown by `finish` (see the class comment). */
	private vertexError: WalkGraphError | null = null;
	private finished = false;

	/**
	 * @param options minComponentNodes (default 20), file (for messages, default "network"),
	 *   nodeOrder (default 'hilbert')
	 * @throws RangeError when minComponentNodes is not an integer ≥ 1
	 */
	constructor(options: WalkGraphOptions = {}) {
		this.file = options.file ?? 'network';
		this.minComponentNodes = options.minComponentNodes ?? 20;
		this.nodeOrder = options.nodeOrder ?? 'hilbert';
		if (!(Number.isInteger(this.minComponentNodes) && this.minComponentNodes >= 1)) {
			throw new RangeError(`minComponentNodes ${this.minComponentNodes}: expected an integer ≥ 1`);
		}
	}

	/**
	 * The next network feature (a GeoJSON line with OSM-style tags in `properties`; anything
	 * else is classified as it is, as in buildWalkGraph).
	 * @throws WalkGraphError INVALID_GEOMETRY when the feature is walkable but not a line
	 */
	add(feature: unknown): void {
		const i = this.inputFeatures++;
		const properties = ((feature as NetworkFeature | null)?.properties ?? {}) as WayTags;
		const verdict = classifyWay(properties);
		if (!verdict.walkable) {
			increment(this.excludedByReason, verdict.reason);
			if (verdict.ruleId === 'road-tunnel') {
				this.excludedTunnels.push({
					featureIndex: i,
					osmId: typeof properties.osmId === 'number' ? properties.osmId : null,
					name: typeof properties.name === 'string' ? properties.name : null,
					highway: String(properties.highway)
				});
			}
			return;
		}
		const lines = linesOf(feature as NetworkFeature);
		if (lines === null) {
			const type = (feature as Partial<NetworkFeature> | null)?.geometry?.type;
			throw new WalkGraphError(
				'INVALID_GEOMETRY',
				this.file,
				`feature ${i}, field "geometry": type ${JSON.stringify(type ?? null)}; expected a LineString or MultiLineString with coordinate arrays`
			);
		}
		increment(this.walkableByReason, verdict.reason);
		this.walkableFeatures++;
		if (this.vertexError === null) this.addLines(i, lines, verdict.flags);
	}

	/** Vertices → nodes (dedupe on rounded coordinates), consecutive pairs → segments. */
	private addLines(i: number, lines: readonly (readonly number[])[][], flags: number): void {
		const vertexNodes = this.vertexNodes as PairIndex;
		for (let part = 0; part < lines.length; part++) {
			const line = lines[part];
			// Room for every vertex as a new node and every pair as a segment.
			const nodesNeeded = this.nodeCount + line.length;
			if (nodesNeeded > this.nodeLonE7.length) {
				this.nodeLonE7 = grown(this.nodeLonE7, nodesNeeded);
				this.nodeLatE7 = grown(this.nodeLatE7, nodesNeeded);
			}
			const segmentsNeeded = this.segmentCount + line.length;
			if (segmentsNeeded > this.segmentA.length) {
				this.segmentA = grown(this.segmentA, segmentsNeeded);
				this.segmentB = grown(this.segmentB, segmentsNeeded);
				this.segmentFlags = grown(this.segmentFlags, segmentsNeeded);
			}
			const { nodeLonE7, nodeLatE7, segmentA, segmentB, segmentFlags } = this;
			let nodeCount = this.nodeCount;
			let segmentCount = this.segmentCount;
			let previous = -1;
			for (let v = 0; v < line.length; v++) {
				const position = line[v];
				const lon = position?.[0];
				const lat = position?.[1];
				if (
					!Array.isArray(position) ||
					!(typeof lon === 'number' && lon >= -180 && lon <= 180) ||
					!(typeof lat === 'number' && lat >= -90 && lat <= 90)
				) {
					const where = lines.length > 1 ? `part ${part}, vertex ${v}` : `vertex ${v}`;
					this.vertexError = new WalkGraphError(
						'INVALID_GEOMETRY',
						this.file,
						`feature ${i}, field "geometry", ${where}: ${JSON.stringify(position ?? null)}; expected [lon, lat] in WGS84 degrees (lon −180…180, lat −90…90)`
					);
					return;
				}
				const lonE7 = Math.round(lon * 1e7);
				const latE7 = Math.round(lat * 1e7);
				let node = vertexNodes.getOrInsert(lonE7, latE7, nodeCount);
				if (node === -1) {
					node = nodeCount++;
					nodeLonE7[node] = lonE7;
					nodeLatE7[node] = latE7;
				}
				if (previous >= 0) {
					if (node === previous) {
						this.zeroLengthSegmentsDropped++;
					} else {
						segmentA[segmentCount] = Math.min(node, previous);
						segmentB[segmentCount] = Math.max(node, previous);
						segmentFlags[segmentCount] = flags;
						segmentCount++;
					}
				}
				previous = node;
			}
			this.nodeCount = nodeCount;
			this.segmentCount = segmentCount;
		}
	}

	/**
	 * The graph of the features added.
	 * @throws WalkGraphError EMPTY_NETWORK (no features), NO_WALKABLE_WAYS, INVALID_GEOMETRY (a
	 *   bad vertex), NO_CONNECTED_NETWORK — see buildWalkGraph
	 */
	finish(): { graph: RoadGraph; report: WalkGraphReport } {
		if (this.finished) throw new Error('WalkGraphBuilder.finish() was called already');
		this.finished = true;
		const { file, minComponentNodes, nodeOrder, walkableFeatures, excludedByReason } = this;
		const inputFeatures = this.inputFeatures;
		if (inputFeatures === 0) {
			throw new WalkGraphError(
				'EMPTY_NETWORK',
				file,
				'the region has no walking network (0 line features), so walking times cannot be computed. ' +
					'Add one from an OpenStreetMap extract: npm run region:build -- --region <id> --osm <file.osm.pbf>'
			);
		}
		if (walkableFeatures === 0) {
			throw new WalkGraphError(
				'NO_WALKABLE_WAYS',
				file,
				`none of the ${inputFeatures} network features is walkable (excluded: ${listCounts(excludedByReason)}). ` +
					'Expected ways such as highway=footway, pedestrian, residential, service or tertiary; see docs/WALKABILITY.md'
			);
		}
		if (this.vertexError) throw this.vertexError;
		this.vertexNodes = null; // the largest table of the build, not needed from here on
		const { nodeCount, segmentCount, zeroLengthSegmentsDropped, startedMs } = this;
		const { nodeLonE7, nodeLatE7, segmentA, segmentB, segmentFlags } = this;
		const { walkableByReason, excludedTunnels } = this;

		// Duplicate segments (same node pair): group segments by their smaller node (counting
		// sort, stable) and keep the first of each pair. Same endpoints means the same straight
		// segment and length; the kept copy gets only the flags both share (the easier passage).
		const byNodeStart = new Uint32Array(nodeCount + 1);
		for (let s = 0; s < segmentCount; s++) byNodeStart[segmentA[s] + 1]++;
		for (let n = 0; n < nodeCount; n++) byNodeStart[n + 1] += byNodeStart[n];
		const byNode = new Uint32Array(segmentCount);
		{
			const cursor = byNodeStart.slice(0, nodeCount);
			for (let s = 0; s < segmentCount; s++) byNode[cursor[segmentA[s]]++] = s;
		}
		const lastPartnerOf = new Int32Array(nodeCount).fill(-1);
		const segmentOfPartner = new Uint32Array(nodeCount);
		const isDuplicate = new Uint8Array(segmentCount);
		let duplicateSegmentsDropped = 0;
		for (let n = 0; n < nodeCount; n++) {
			for (let k = byNodeStart[n]; k < byNodeStart[n + 1]; k++) {
				const s = byNode[k];
				const partner = segmentB[s];
				if (lastPartnerOf[partner] === n) {
					isDuplicate[s] = 1;
					segmentFlags[segmentOfPartner[partner]] &= segmentFlags[s];
					duplicateSegmentsDropped++;
				} else {
					lastPartnerOf[partner] = n;
					segmentOfPartner[partner] = s;
				}
			}
		}

		// Connected parts (union–find with path halving), then drop the small ones.
		const parent = new Int32Array(nodeCount);
		for (let n = 0; n < nodeCount; n++) parent[n] = n;
		const root = (n: number) => {
			while (parent[n] !== n) {
				parent[n] = parent[parent[n]];
				n = parent[n];
			}
			return n;
		};
		for (let s = 0; s < segmentCount; s++) {
			const ra = root(segmentA[s]);
			const rb = root(segmentB[s]);
			if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
		}
		const componentSize = new Uint32Array(nodeCount);
		for (let n = 0; n < nodeCount; n++) componentSize[root(n)]++;
		let componentsKept = 0;
		let componentsDropped = 0;
		let nodesDropped = 0;
		let largestComponentNodes = 0;
		for (let n = 0; n < nodeCount; n++) {
			const size = componentSize[n];
			if (size === 0) continue;
			largestComponentNodes = Math.max(largestComponentNodes, size);
			if (size >= minComponentNodes) componentsKept++;
			else {
				componentsDropped++;
				nodesDropped += size;
			}
		}
		if (componentsKept === 0) {
			throw new WalkGraphError(
				'NO_CONNECTED_NETWORK',
				file,
				`every connected part of the walkable network is smaller than minComponentNodes = ${minComponentNodes} nodes ` +
					`(${componentsDropped} parts, the largest has ${largestComponentNodes} nodes): ways must share their junction vertices to connect; check the extract, or lower minComponentNodes`
			);
		}

		// Number the kept nodes: along a Hilbert curve over their bounding box, or in input order.
		const keptIds = new Uint32Array(nodeCount - nodesDropped);
		let keptCount = 0;
		let minLon = Infinity;
		let maxLon = -Infinity;
		let minLat = Infinity;
		let maxLat = -Infinity;
		for (let n = 0; n < nodeCount; n++) {
			if (componentSize[root(n)] < minComponentNodes) continue;
			keptIds[keptCount++] = n;
			minLon = Math.min(minLon, nodeLonE7[n]);
			maxLon = Math.max(maxLon, nodeLonE7[n]);
			minLat = Math.min(minLat, nodeLatE7[n]);
			maxLat = Math.max(maxLat, nodeLatE7[n]);
		}
		let order: Uint32Array<ArrayBuffer> = keptIds;
		if (nodeOrder === 'hilbert') {
			const key = new Uint32Array(nodeCount);
			const xScale = maxLon > minLon ? 65535 / (maxLon - minLon) : 0;
			const yScale = maxLat > minLat ? 65535 / (maxLat - minLat) : 0;
			for (const n of keptIds) {
				key[n] = hilbertIndex(
					Math.floor((nodeLonE7[n] - minLon) * xScale),
					Math.floor((nodeLatE7[n] - minLat) * yScale)
				);
			}
			order = sortIdsByKey(keptIds, key);
		}
		const newId = new Int32Array(nodeCount).fill(-1);
		const nodeLon = new Float64Array(keptCount);
		const nodeLat = new Float64Array(keptCount);
		for (let rank = 0; rank < keptCount; rank++) {
			const n = order[rank];
			newId[n] = rank;
			nodeLon[rank] = nodeLonE7[n] / 1e7;
			nodeLat[rank] = nodeLatE7[n] / 1e7;
		}

		// Segments of the kept parts, lengths from the stored (rounded) node coordinates.
		let keptSegments = 0;
		for (let s = 0; s < segmentCount; s++)
			if (!isDuplicate[s] && newId[segmentA[s]] >= 0) keptSegments++;
		const segmentFrom = new Uint32Array(keptSegments);
		const segmentTo = new Uint32Array(keptSegments);
		const segmentLengthM = new Float64Array(keptSegments);
		const keptFlags = new Uint8Array(keptSegments);
		let totalLengthM = 0;
		for (let s = 0, k = 0; s < segmentCount; s++) {
			const a = newId[segmentA[s]];
			if (a < 0 || isDuplicate[s]) continue;
			const b = newId[segmentB[s]];
			segmentFrom[k] = a;
			segmentTo[k] = b;
			segmentLengthM[k] = haversineM(nodeLon[a], nodeLat[a], nodeLon[b], nodeLat[b]);
			totalLengthM += segmentLengthM[k];
			keptFlags[k] = segmentFlags[s];
			k++;
		}
		const graph = RoadGraph.build({
			nodeLon,
			nodeLat,
			segmentFrom,
			segmentTo,
			segmentLengthM,
			segmentFlags: keptFlags
		});

		const report: WalkGraphReport = {
			inputFeatures,
			walkableFeatures,
			excludedFeatures: inputFeatures - walkableFeatures,
			walkableByReason,
			excludedByReason,
			excludedTunnels,
			nodes: graph.nodeCount,
			undirectedSegments: keptSegments,
			directedEdges: graph.edgeCount,
			zeroLengthSegmentsDropped,
			duplicateSegmentsDropped,
			minComponentNodes,
			componentsKept,
			componentsDropped,
			nodesDropped,
			segmentsDropped: segmentCount - duplicateSegmentsDropped - keptSegments,
			largestComponentNodes,
			totalLengthKm: totalLengthM / 1000,
			bytesPerDirectedEdge: graph.bytesPerDirectedEdge,
			nodeOrder,
			buildMs: nowMs() - startedMs
		};
		return { graph, report };
	}
}

/**
 * Build the walking graph of a network: walkable ways by the tag table (walkability.ts), one
 * node per distinct vertex (1e-7° rounding), one undirected segment per pair of consecutive
 * vertices (MultiLineString parts separately; zero-length and duplicate segments dropped),
 * haversine lengths in metres, EDGE_FLAGS from the way's tags; connected parts smaller than
 * `minComponentNodes` dropped; nodes numbered along a Hilbert curve.
 *
 * @param features network features (GeoJSON lines with OSM-style tags in `properties`)
 * @param options minComponentNodes (default 20), file (for messages, default "network"),
 *   nodeOrder (default 'hilbert')
 * @returns the graph and a report of what was kept, dropped and why
 * @throws WalkGraphError EMPTY_NETWORK (no features), NO_WALKABLE_WAYS (none walkable; the
 *   message lists the reasons), INVALID_GEOMETRY (a walkable feature that is not a line of
 *   [lon, lat] degrees; names the feature and vertex), NO_CONNECTED_NETWORK (every connected
 *   part is smaller than minComponentNodes)
 * @example
 * const { graph, report } = buildWalkGraph(networkCollection.features);
 * console.log(report.nodes, report.excludedByReason);
 */
export function buildWalkGraph(
	features: readonly NetworkFeature[],
	options: WalkGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	const builder = new WalkGraphBuilder(options);
	if (Array.isArray(features)) for (const feature of features) builder.add(feature);
	return builder.finish();
}

/** Tags of the OSM way that decide walkability but are not copied onto network features. */
const EXTRA_WAY_TAG_KEYS = ['man_made', 'route'] as const;

/**
 * Build the walking graph straight from OSM data: `osmToNetworkFeatures` then `buildWalkGraph`,
 * with the conversion's skipped/clipped way counts in `report.osm`. The way tags that the
 * network features do not carry but the tag table reads (man_made=pier, route=ferry) are
 * taken from the OSM ways.
 *
 * @param data what readOsm returned
 * @param options as buildWalkGraph (file defaults to "OSM extract")
 * @throws WalkGraphError as buildWalkGraph (EMPTY_NETWORK when the extract has no highway ways)
 * @example
 * const { graph, report } = buildWalkGraphFromOsm(readOsm(bytes, 'monaco.osm.pbf'), { file: 'monaco.osm.pbf' });
 */
export function buildWalkGraphFromOsm(
	data: OsmData,
	options: WalkGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	const startedMs = nowMs();
	const conversion = osmToNetworkFeatures(data);
	const extraTags = new Map<number, Record<string, string>>();
	for (const way of data.ways) {
		if (way.tags.highway === undefined) continue;
		for (const key of EXTRA_WAY_TAG_KEYS) {
			const value = way.tags[key];
			if (value === undefined) continue;
			const tags = extraTags.get(way.id) ?? {};
			tags[key] = value;
			extraTags.set(way.id, tags);
		}
	}
	const features =
		extraTags.size === 0
			? conversion.features
			: conversion.features.map((feature) => {
					const extra = extraTags.get(feature.properties.osmId ?? NaN);
					return extra ? { ...feature, properties: { ...feature.properties, ...extra } } : feature;
				});
	const built = buildWalkGraph(features, { ...options, file: options.file ?? 'OSM extract' });
	built.report.osm = {
		skippedWays: conversion.skipped.length,
		clippedWays: conversion.clipped.length
	};
	built.report.buildMs = nowMs() - startedMs;
	return built;
}
