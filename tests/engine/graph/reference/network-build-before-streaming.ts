/**
 * The network build as it was before issue 18 item 4, frozen as the reference the streamed build
 * must equal byte for byte: the whole file decoded to one string, JSON.parse, then the two-pass
 * builder over the features array (src/lib/engine/graph/build.ts and network-file.ts at
 * 973daa0, OSM path left out). Do not "fix" this file: it is the old behaviour on purpose.
 */
import {
	WalkGraphError,
	type ExcludedTunnel,
	type WalkGraphOptions,
	type WalkGraphReport
} from '../../../../src/lib/engine/graph/build.ts';
import { haversineM } from '../../../../src/lib/engine/graph/geodesic.ts';
import { RoadGraph } from '../../../../src/lib/engine/graph/road-graph.ts';
import { classifyWay, type WayTags } from '../../../../src/lib/engine/graph/walkability.ts';
import type { NetworkFeature } from '../../../../src/lib/engine/region/schema.ts';

const clock = (globalThis as { performance?: { now(): number } }).performance;
const nowMs = () => (clock ? clock.now() : Date.now());

/**
 * Open-addressing hash map from a pair of int32 to a non-negative int32 (linear probing, fixed
 * capacity ≥ 2× the most keys it will hold). Key pair and value share one 16-byte slot, so a
 * lookup costs one cache miss; no strings or objects per key.
 */
class PairIndex {
	/** Slot i: [keyA, keyB, value (-1 = empty), unused] at 4i. */
	private readonly slots: Int32Array;
	private readonly mask: number;
	constructor(maxKeys: number) {
		let capacity = 16;
		while (capacity < maxKeys * 2) capacity *= 2;
		this.slots = new Int32Array(capacity * 4);
		for (let i = 2; i < this.slots.length; i += 4) this.slots[i] = -1;
		this.mask = capacity - 1;
	}
	/** The value stored for (a, b); when absent, stores `value` and returns -1. */
	getOrInsert(a: number, b: number, value: number): number {
		const slots = this.slots;
		let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
		h ^= h >>> 13;
		let slot = h & this.mask;
		for (;;) {
			const at = slot << 2;
			const stored = slots[at + 2];
			if (stored === -1) {
				slots[at] = a;
				slots[at + 1] = b;
				slots[at + 2] = value;
				return -1;
			}
			if (slots[at] === a && slots[at + 1] === b) return stored;
			slot = (slot + 1) & this.mask;
		}
	}
}

/** Position along a Hilbert curve filling a 65 536 × 65 536 grid (x, y in 0 … 65 535). */
function hilbertIndex(x: number, y: number): number {
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
export function referenceBuildWalkGraph(
	features: readonly NetworkFeature[],
	options: WalkGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	const startedMs = nowMs();
	const file = options.file ?? 'network';
	const minComponentNodes = options.minComponentNodes ?? 20;
	const nodeOrder = options.nodeOrder ?? 'hilbert';
	if (!(Number.isInteger(minComponentNodes) && minComponentNodes >= 1)) {
		throw new RangeError(`minComponentNodes ${minComponentNodes}: expected an integer ≥ 1`);
	}
	if (!Array.isArray(features) || features.length === 0) {
		throw new WalkGraphError(
			'EMPTY_NETWORK',
			file,
			'the region has no walking network (0 line features), so walking times cannot be computed. ' +
				'Add one from an OpenStreetMap extract: npm run region:build -- --region <id> --osm <file.osm.pbf>'
		);
	}

	// Pass 1: classify every way; count the vertices of walkable ones (sizes the tables).
	const walkableByReason: Record<string, number> = {};
	const excludedByReason: Record<string, number> = {};
	const excludedTunnels: ExcludedTunnel[] = [];
	const wayFlags = new Int16Array(features.length).fill(-1); // -1 = excluded
	let walkableFeatures = 0;
	let vertexCapacity = 0;
	for (let i = 0; i < features.length; i++) {
		const properties = (features[i]?.properties ?? {}) as WayTags;
		const verdict = classifyWay(properties);
		if (!verdict.walkable) {
			increment(excludedByReason, verdict.reason);
			if (verdict.ruleId === 'road-tunnel') {
				excludedTunnels.push({
					featureIndex: i,
					osmId: typeof properties.osmId === 'number' ? properties.osmId : null,
					name: typeof properties.name === 'string' ? properties.name : null,
					highway: String(properties.highway)
				});
			}
			continue;
		}
		const lines = linesOf(features[i]);
		if (lines === null) {
			const type = (features[i] as Partial<NetworkFeature> | null)?.geometry?.type;
			throw new WalkGraphError(
				'INVALID_GEOMETRY',
				file,
				`feature ${i}, field "geometry": type ${JSON.stringify(type ?? null)}; expected a LineString or MultiLineString with coordinate arrays`
			);
		}
		increment(walkableByReason, verdict.reason);
		walkableFeatures++;
		wayFlags[i] = verdict.flags;
		for (const line of lines) vertexCapacity += line.length;
	}
	if (walkableFeatures === 0) {
		throw new WalkGraphError(
			'NO_WALKABLE_WAYS',
			file,
			`none of the ${features.length} network features is walkable (excluded: ${listCounts(excludedByReason)}). ` +
				'Expected ways such as highway=footway, pedestrian, residential, service or tertiary; see docs/WALKABILITY.md'
		);
	}

	// Pass 2: vertices → nodes (dedupe on rounded coordinates), consecutive pairs → segments.
	const vertexNodes = new PairIndex(vertexCapacity);
	const nodeLonE7 = new Int32Array(vertexCapacity);
	const nodeLatE7 = new Int32Array(vertexCapacity);
	let nodeCount = 0;
	const segmentA = new Uint32Array(vertexCapacity);
	const segmentB = new Uint32Array(vertexCapacity);
	const segmentFlags = new Uint8Array(vertexCapacity);
	let segmentCount = 0;
	let zeroLengthSegmentsDropped = 0;
	for (let i = 0; i < features.length; i++) {
		const flags = wayFlags[i];
		if (flags < 0) continue;
		const lines = linesOf(features[i]) as (readonly number[])[][];
		for (let part = 0; part < lines.length; part++) {
			const line = lines[part];
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
					throw new WalkGraphError(
						'INVALID_GEOMETRY',
						file,
						`feature ${i}, field "geometry", ${where}: ${JSON.stringify(position ?? null)}; expected [lon, lat] in WGS84 degrees (lon −180…180, lat −90…90)`
					);
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
						zeroLengthSegmentsDropped++;
					} else {
						segmentA[segmentCount] = Math.min(node, previous);
						segmentB[segmentCount] = Math.max(node, previous);
						segmentFlags[segmentCount] = flags;
						segmentCount++;
					}
				}
				previous = node;
			}
		}
	}

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
		inputFeatures: features.length,
		walkableFeatures,
		excludedFeatures: features.length - walkableFeatures,
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

/** The old GeoJSON path of buildNetworkFileGraph: the whole text decoded, JSON.parse, build. */
export function referenceNetworkFileGraph(
	bytes: Uint8Array,
	file: string,
	options: WalkGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	let collection: { type?: unknown; features?: unknown };
	try {
		collection = JSON.parse(new TextDecoder().decode(bytes)) as typeof collection;
	} catch (error) {
		throw new WalkGraphError(
			'INVALID_GEOMETRY',
			file,
			`not valid JSON (${(error as Error).message}); expected a GeoJSON FeatureCollection of network lines`
		);
	}
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw new WalkGraphError(
			'INVALID_GEOMETRY',
			file,
			`field "type" = ${JSON.stringify(collection?.type ?? null)}; expected a GeoJSON FeatureCollection with a "features" array`
		);
	}
	return referenceBuildWalkGraph(collection.features as NetworkFeature[], { ...options, file });
}
