/**
 * OsmData: what both OSM readers (PBF and XML) produce, and what the graph builder consumes.
 *
 * Why this shape: nodes are by far the most numerous objects (monaco.osm.pbf: 180,118 nodes
 * against 27,377 ways) and almost all of them are untagged way vertices, so they live in three
 * parallel Float64Arrays instead of one object each (≈ 24 B per node instead of ≈ 100+ B), and
 * only the few tagged nodes get a tags object. Ids are float64 because OSM node ids passed 2^31
 * in 2013 (they stay below 2^53, so a double holds them exactly). Ways keep their node ids, not
 * indices, so a way whose nodes were clipped off an extract can still say which ones are missing.
 */

/** OSM tags of one element: key → value, both as written in the file. */
export type OsmTags = Record<string, string>;

export interface OsmWay {
	/** OSM way id. */
	id: number;
	/** OSM node ids in way order, one entry per vertex (may name nodes absent from the file). */
	nodeRefs: Float64Array;
	tags: OsmTags;
}

export const OSM_MEMBER_TYPES = ['node', 'way', 'relation'] as const;
export type OsmMemberType = (typeof OSM_MEMBER_TYPES)[number];

export interface OsmMember {
	type: OsmMemberType;
	/** OSM id of the member (of the element kind named by `type`). */
	ref: number;
	/** Role in the relation, '' when none. */
	role: string;
}

export interface OsmRelation {
	/** OSM relation id. */
	id: number;
	members: OsmMember[];
	tags: OsmTags;
}

/** A bounding box in WGS84 degrees, as declared by the file header (not computed from nodes). */
export interface OsmBounds {
	minLon: number;
	minLat: number;
	maxLon: number;
	maxLat: number;
}

export interface OsmData {
	/** OSM node id, one entry per node, in file order. */
	nodeIds: Float64Array;
	/** Longitude in WGS84 degrees, one entry per node. */
	nodeLon: Float64Array;
	/** Latitude in WGS84 degrees, one entry per node. */
	nodeLat: Float64Array;
	/** Tags of tagged nodes only: node index (into the arrays above) → tags. */
	nodeTags: Map<number, OsmTags>;
	ways: OsmWay[];
	relations: OsmRelation[];
	/** The bounds the file declares (`<bounds>` / HeaderBBox), or null when it declares none. */
	bounds: OsmBounds | null;
	/**
	 * Index of the node with OSM id `id` in the node arrays, or -1 when the file lacks it.
	 * The id → index Map is built on the first call and reused; if an id occurs twice, the last
	 * occurrence wins.
	 */
	nodeIndex(id: number): number;
}

/** The parts of OsmData a reader collects; `createOsmData` adds the node lookup. */
export type OsmDataParts = Omit<OsmData, 'nodeIndex'>;

/**
 * Wrap reader output as OsmData, adding `nodeIndex` with a lazily built id → index Map.
 * @example const data = createOsmData({ nodeIds, nodeLon, nodeLat, nodeTags: new Map(), ways: [], relations: [], bounds: null });
 */
export function createOsmData(parts: OsmDataParts): OsmData {
	let indexById: Map<number, number> | null = null;
	return {
		...parts,
		nodeIndex(id: number): number {
			if (indexById === null) {
				indexById = new Map();
				const ids = parts.nodeIds;
				for (let i = 0; i < ids.length; i++) indexById.set(ids[i], i);
			}
			return indexById.get(id) ?? -1;
		}
	};
}

/** Set one tag; guards the one key (`__proto__`) that plain assignment would not store. */
export function setTag(tags: OsmTags, key: string, value: string): void {
	if (key === '__proto__')
		Object.defineProperty(tags, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true
		});
	else tags[key] = value;
}

/** A growable Float64Array: amortised O(1) push, trimmed copy at the end. */
export class Float64Builder {
	private data: Float64Array;
	length = 0;
	constructor(initialCapacity = 1024) {
		this.data = new Float64Array(Math.max(16, initialCapacity));
	}
	push(value: number): void {
		if (this.length === this.data.length) {
			const grown = new Float64Array(this.data.length * 2);
			grown.set(this.data);
			this.data = grown;
		}
		this.data[this.length++] = value;
	}
	/** A right-sized copy of the values pushed so far. */
	finish(): Float64Array {
		return this.data.slice(0, this.length);
	}
}
