/**
 * The walking network as a CSR (compressed sparse row) graph inside ONE ArrayBuffer, the shape
 * of mourner's flatbush/kdbush and conveyal r5's EdgeStore: it moves to a Web Worker without
 * copying (transfer the buffer), caches to a file byte for byte, and is rebuilt with
 * `RoadGraph.from(buffer)` in O(1) — the typed arrays are views, nothing is parsed.
 *
 * Every vertex of the source lines is a node, so an edge is one straight segment: snapping,
 * partial-edge cuts for isochrones and drawing need no separate geometry store. Edges are
 * stored in both directions (walking has no one-way streets).
 *
 * Layout (little-endian), each section 4-byte aligned:
 *   header 32 B: magic "CCRG", version, nodeCount, edgeCount (directed), 16 B reserved
 *   nodeLonE7   Int32[n]     longitude × 1e7 (≈ 1 cm), one entry per node
 *   nodeLatE7   Int32[n]     latitude × 1e7, one entry per node
 *   firstEdge   Uint32[n+1]  CSR offsets: node i's edges are firstEdge[i] .. firstEdge[i+1]-1
 *   edgeTarget  Uint32[m]    node an edge leads to, one entry per directed edge
 *   edgeLengthM Float32[m]   geodesic length in metres, one entry per directed edge
 *   edgeFlags   Uint8[m]     EDGE_FLAGS bits, one entry per directed edge
 * Bytes per directed edge = 9 + (12 n + 4) / m + 32 / m (≈ 12–14 on street networks).
 */

export const GRAPH_MAGIC = 0x47524343; // "CCRG" read as a little-endian u32
export const GRAPH_VERSION = 1;
const HEADER_BYTES = 32;

/** Per-edge flag bits. */
export const EDGE_FLAGS = {
	/** highway=steps: not step-free; may carry an extra time per flight. */
	steps: 1,
	/** Has an incline tag (ramp, slope): not slope-free. */
	incline: 2
} as const;

export class GraphFormatError extends Error {
	readonly code = 'INVALID_GRAPH_BUFFER';
	constructor(message: string) {
		super(message);
		this.name = 'GraphFormatError';
	}
}

const align4 = (bytes: number) => (bytes + 3) & ~3;

function layout(nodeCount: number, edgeCount: number) {
	let offset = HEADER_BYTES;
	const take = (bytes: number) => {
		const start = offset;
		offset = align4(offset + bytes);
		return start;
	};
	const sections = {
		nodeLonE7: take(4 * nodeCount),
		nodeLatE7: take(4 * nodeCount),
		firstEdge: take(4 * (nodeCount + 1)),
		edgeTarget: take(4 * edgeCount),
		edgeLengthM: take(4 * edgeCount),
		edgeFlags: take(edgeCount)
	};
	return { sections, byteLength: offset };
}

/** Undirected segments to store, both directions; endpoints index the node arrays. */
export interface GraphInput {
	/** Longitude in WGS84 degrees, one entry per node. */
	nodeLon: ArrayLike<number>;
	/** Latitude in WGS84 degrees, one entry per node. */
	nodeLat: ArrayLike<number>;
	/** First node of each undirected segment. */
	segmentFrom: ArrayLike<number>;
	/** Second node of each undirected segment. */
	segmentTo: ArrayLike<number>;
	/** Segment length in metres. */
	segmentLengthM: ArrayLike<number>;
	/** EDGE_FLAGS bits per segment (default 0). */
	segmentFlags?: ArrayLike<number>;
}

export class RoadGraph {
	readonly buffer: ArrayBuffer;
	readonly nodeCount: number;
	/** Directed edges (twice the undirected segments). */
	readonly edgeCount: number;
	readonly nodeLonE7: Int32Array;
	readonly nodeLatE7: Int32Array;
	readonly firstEdge: Uint32Array;
	readonly edgeTarget: Uint32Array;
	readonly edgeLengthM: Float32Array;
	readonly edgeFlags: Uint8Array;

	private constructor(buffer: ArrayBuffer) {
		if (buffer.byteLength < HEADER_BYTES)
			throw new GraphFormatError(
				`graph buffer of ${buffer.byteLength} bytes is shorter than its ${HEADER_BYTES}-byte header`
			);
		const header = new Uint32Array(buffer, 0, 4);
		if (header[0] !== GRAPH_MAGIC)
			throw new GraphFormatError(
				'not a carecircle road graph (magic "CCRG" missing): rebuild the graph cache'
			);
		if (header[1] !== GRAPH_VERSION) {
			throw new GraphFormatError(
				`road graph format version ${header[1]} is not the supported version ${GRAPH_VERSION}: rebuild the graph cache`
			);
		}
		const [nodeCount, edgeCount] = [header[2], header[3]];
		const { sections, byteLength } = layout(nodeCount, edgeCount);
		if (buffer.byteLength !== byteLength) {
			throw new GraphFormatError(
				`graph buffer has ${buffer.byteLength} bytes; a graph of ${nodeCount} nodes and ${edgeCount} edges needs ${byteLength}: the file is truncated or corrupt`
			);
		}
		this.buffer = buffer;
		this.nodeCount = nodeCount;
		this.edgeCount = edgeCount;
		this.nodeLonE7 = new Int32Array(buffer, sections.nodeLonE7, nodeCount);
		this.nodeLatE7 = new Int32Array(buffer, sections.nodeLatE7, nodeCount);
		this.firstEdge = new Uint32Array(buffer, sections.firstEdge, nodeCount + 1);
		this.edgeTarget = new Uint32Array(buffer, sections.edgeTarget, edgeCount);
		this.edgeLengthM = new Float32Array(buffer, sections.edgeLengthM, edgeCount);
		this.edgeFlags = new Uint8Array(buffer, sections.edgeFlags, edgeCount);
		if (this.firstEdge[nodeCount] !== edgeCount)
			throw new GraphFormatError(
				'graph buffer is corrupt: CSR offsets do not end at the edge count'
			);
	}

	/**
	 * Wrap a buffer made by `RoadGraph.build` (or read back from a cache file) without copying.
	 * @throws GraphFormatError when the magic, version or size do not match
	 */
	static from(buffer: ArrayBuffer): RoadGraph {
		return new RoadGraph(buffer);
	}

	/**
	 * Build the CSR graph from undirected segments (each stored in both directions; counting sort
	 * by source node, so edges of a node keep input order).
	 * @example RoadGraph.build({ nodeLon: [0, 0.001], nodeLat: [0, 0], segmentFrom: [0], segmentTo: [1], segmentLengthM: [111.3] })
	 */
	static build(input: GraphInput): RoadGraph {
		const nodeCount = input.nodeLon.length;
		const segmentCount = input.segmentFrom.length;
		if (input.nodeLat.length !== nodeCount)
			throw new RangeError('nodeLon and nodeLat differ in length');
		if (input.segmentTo.length !== segmentCount || input.segmentLengthM.length !== segmentCount) {
			throw new RangeError('segmentFrom, segmentTo and segmentLengthM differ in length');
		}
		const edgeCount = 2 * segmentCount;
		const { sections, byteLength } = layout(nodeCount, edgeCount);
		const buffer = new ArrayBuffer(byteLength);
		new Uint32Array(buffer, 0, 4).set([GRAPH_MAGIC, GRAPH_VERSION, nodeCount, edgeCount]);

		const lonE7 = new Int32Array(buffer, sections.nodeLonE7, nodeCount);
		const latE7 = new Int32Array(buffer, sections.nodeLatE7, nodeCount);
		for (let i = 0; i < nodeCount; i++) {
			lonE7[i] = Math.round(input.nodeLon[i] * 1e7);
			latE7[i] = Math.round(input.nodeLat[i] * 1e7);
		}
		const firstEdge = new Uint32Array(buffer, sections.firstEdge, nodeCount + 1);
		for (let s = 0; s < segmentCount; s++) {
			const from = input.segmentFrom[s];
			const to = input.segmentTo[s];
			if (!(from >= 0 && from < nodeCount && to >= 0 && to < nodeCount)) {
				throw new RangeError(
					`segment ${s} joins nodes ${from} and ${to}, outside 0..${nodeCount - 1}`
				);
			}
			firstEdge[from + 1]++;
			firstEdge[to + 1]++;
		}
		for (let i = 0; i < nodeCount; i++) firstEdge[i + 1] += firstEdge[i];
		const cursor = firstEdge.slice(0, nodeCount);
		const target = new Uint32Array(buffer, sections.edgeTarget, edgeCount);
		const lengthM = new Float32Array(buffer, sections.edgeLengthM, edgeCount);
		const flags = new Uint8Array(buffer, sections.edgeFlags, edgeCount);
		for (let s = 0; s < segmentCount; s++) {
			const from = input.segmentFrom[s];
			const to = input.segmentTo[s];
			const segmentFlags = input.segmentFlags?.[s] ?? 0;
			let e = cursor[from]++;
			target[e] = to;
			lengthM[e] = input.segmentLengthM[s];
			flags[e] = segmentFlags;
			e = cursor[to]++;
			target[e] = from;
			lengthM[e] = input.segmentLengthM[s];
			flags[e] = segmentFlags;
		}
		return new RoadGraph(buffer);
	}

	/** Longitude of a node in degrees. */
	lon(node: number): number {
		return this.nodeLonE7[node] / 1e7;
	}

	/** Latitude of a node in degrees. */
	lat(node: number): number {
		return this.nodeLatE7[node] / 1e7;
	}

	/** Storage per directed edge, all sections and the header included. */
	get bytesPerDirectedEdge(): number {
		return this.edgeCount === 0 ? 0 : this.buffer.byteLength / this.edgeCount;
	}
}
