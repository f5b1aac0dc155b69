/**
 * Snapping points to the walking network: to the nearest *segment* (not node), with the offset
 * along it, through a flatbush index of segment bounding boxes. A point farther than the limit
 * (default 150 m) is off-network and reported as such, never silently placed.
 *
 * Distances are measured in a local equirectangular frame around each query point (error
 * < 0.1 % within the 150 m limit), which is what makes the projection onto a segment exact
 * enough for offsets along it.
 */
import Flatbush from 'flatbush';
import { metresPerDegree } from './geodesic.ts';
import type { RoadGraph } from './road-graph.ts';

/** A point placed on the network: the contract shared by searches, coverage and isochrones. */
export interface NetworkPoint {
	/** Directed edge fromNode → toNode. */
	edge: number;
	fromNode: number;
	toNode: number;
	/** Distance along the edge from fromNode, metres. */
	offsetM: number;
	/** Edge length, metres (as stored in the graph). */
	lengthM: number;
	/** Straight-line distance from the original point to the network, metres. */
	snapDistanceM: number;
	/** The snapped position, WGS84 degrees. */
	lon: number;
	lat: number;
}

export const DEFAULT_MAX_SNAP_M = 150;
/**
 * `snapNearby` keeps one point of positions closer than this (m): ways mapped on top of each
 * other, or the two segments inside a bend, are one way in, not two.
 */
export const NEARBY_MIN_SEPARATION_M = 5;
/** Half width (m) of `snap`'s first search box; gates and doors usually lie closer to a way. */
const SNAP_FIRST_BOX_M = 25;

export class SegmentIndex {
	readonly graph: RoadGraph;
	/** Directed edge (from lower to higher node) of each indexed segment, one entry per segment. */
	readonly segmentEdge: Uint32Array;
	private readonly index: Flatbush;
	/** Source node of each directed edge, one entry per edge (CSR gives only targets). */
	private readonly edgeSource: Uint32Array;
	/** `nearestEdge`'s distance (m) and how many segments lie at exactly that distance. */
	private nearestM = Infinity;
	private nearestTies = 0;
	/** Where `crosses` found the crossing: along the segment (u) and along the line (t), 0 … 1. */
	private crossingU = NaN;
	private crossingT = NaN;

	constructor(graph: RoadGraph) {
		this.graph = graph;
		const { firstEdge, edgeTarget } = graph;
		this.edgeSource = new Uint32Array(graph.edgeCount);
		const edges: number[] = [];
		for (let node = 0; node < graph.nodeCount; node++) {
			for (let e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
				this.edgeSource[e] = node;
				if (node < edgeTarget[e]) edges.push(e);
			}
		}
		this.segmentEdge = Uint32Array.from(edges);
		this.index = new Flatbush(Math.max(1, edges.length));
		for (const e of edges) {
			const a = this.edgeSource[e];
			const b = edgeTarget[e];
			const [ax, ay, bx, by] = [graph.lon(a), graph.lat(a), graph.lon(b), graph.lat(b)];
			this.index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
		}
		if (edges.length === 0) this.index.add(0, 0, 0, 0); // flatbush needs one item; never matched below
		this.index.finish();
	}

	/** Source node of a directed edge. */
	source(edge: number): number {
		return this.edgeSource[edge];
	}

	/**
	 * Nearest point of the network to (lon, lat), or null when none lies within `maxDistanceM`.
	 *
	 * Searched in growing boxes (SNAP_FIRST_BOX_M, ×4, up to `maxDistanceM`): a segment within d of
	 * the point crosses every box wider than d, so a nearest one found closer than the box's half
	 * width is the nearest of all. Only an exact tie (two segments at one distance, where the first
	 * met in the full box wins) is settled in the full box. Searching the full 150 m box for every
	 * gate and boundary vertex was most of a city's coverage (issue 18: 50,000 compounds, 4 s).
	 * @example index.snap(121.5123, 31.2389) // → { edge, fromNode, toNode, offsetM, snapDistanceM, … }
	 */
	snap(lon: number, lat: number, maxDistanceM = DEFAULT_MAX_SNAP_M): NetworkPoint | null {
		if (this.segmentEdge.length === 0) return null;
		const scale = metresPerDegree(lat);
		for (let boxM = Math.min(SNAP_FIRST_BOX_M, maxDistanceM); ; boxM *= 4) {
			if (boxM >= maxDistanceM) {
				const edge = this.nearestEdge(lon, lat, maxDistanceM, maxDistanceM, scale);
				return edge < 0 ? null : this.project(edge, lon, lat, scale);
			}
			const edge = this.nearestEdge(lon, lat, boxM, maxDistanceM, scale);
			// Closer than the half width with a margin far above rounding: nothing outside comes closer.
			if (edge >= 0 && this.nearestM < boxM * (1 - 1e-9)) {
				if (this.nearestTies === 1) return this.project(edge, lon, lat, scale);
				boxM = maxDistanceM / 4; // a tie: the full box's order decides
			}
		}
	}

	/**
	 * The first segment (in the box search's order) nearest to (lon, lat) among those crossing the
	 * box of half width `boxM` and within `maxDistanceM`, as its directed edge; -1 when none. Sets
	 * `nearestM` and `nearestTies`. The distance is `project`'s, computed the same way, without
	 * building a point per candidate.
	 */
	private nearestEdge(
		lon: number,
		lat: number,
		boxM: number,
		maxDistanceM: number,
		scale: { x: number; y: number }
	): number {
		const dx = boxM / scale.x;
		const dy = boxM / scale.y;
		let bestEdge = -1;
		let bestM = Infinity;
		let ties = 0;
		for (const item of this.index.search(lon - dx, lat - dy, lon + dx, lat + dy)) {
			const edge = this.segmentEdge[item];
			const distanceM = this.distanceM(edge, lon, lat, scale);
			if (distanceM > maxDistanceM) continue;
			if (distanceM < bestM) {
				bestM = distanceM;
				bestEdge = edge;
				ties = 1;
			} else if (distanceM === bestM) ties++;
		}
		this.nearestM = bestM;
		this.nearestTies = ties;
		return bestEdge;
	}

	/** `project(edge, lon, lat, scale).snapDistanceM`, the same arithmetic. */
	private distanceM(
		edge: number,
		lon: number,
		lat: number,
		scale: { x: number; y: number }
	): number {
		const graph = this.graph;
		const from = this.edgeSource[edge];
		const to = graph.edgeTarget[edge];
		const ax = (graph.lon(from) - lon) * scale.x;
		const ay = (graph.lat(from) - lat) * scale.y;
		const bx = (graph.lon(to) - lon) * scale.x;
		const by = (graph.lat(to) - lat) * scale.y;
		const vx = bx - ax;
		const vy = by - ay;
		const squared = vx * vx + vy * vy;
		const t = squared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * vx + ay * vy) / squared));
		return Math.hypot(ax + t * vx, ay + t * vy);
	}

	/**
	 * The nearest point of each distinct walkable segment near (lon, lat): every segment whose
	 * closest point lies within `min(maxDistanceM, nearest + toleranceM)`, nearest first, at most
	 * `maxPoints`. "Distinct" keeps only local minima of the distance along the network: a
	 * segment whose closest point is one of its end nodes is left out when another segment at
	 * that node comes closer (that is the same road continuing, not another road), and a point
	 * within NEARBY_MIN_SEPARATION_M of one already kept is left out (two ways mapped on top of
	 * each other, the two segments inside a bend). The first point is the nearest one, as `snap`
	 * gives it (up to ties). Empty when nothing lies within `maxDistanceM`.
	 *
	 * Why: a point between two roads snapped to the nearest segment only jumps from one road to
	 * the other when it moves a few metres across the midline (coverage/access.ts uses this for
	 * point compounds).
	 *
	 * @param toleranceM how much farther than the nearest segment another may lie, metres
	 * @param maxPoints most points returned (≥ 1)
	 * @example index.snapNearby(121.5123, 31.2389, 150, 30, 4) // [nearest, next road, …]
	 */
	snapNearby(
		lon: number,
		lat: number,
		maxDistanceM: number,
		toleranceM: number,
		maxPoints: number
	): NetworkPoint[] {
		if (this.segmentEdge.length === 0 || maxPoints < 1) return [];
		const scale = metresPerDegree(lat);
		// Growing boxes as in `snap`: the answer depends only on the segments within limitM, in
		// the order (distance, edge), so a box wider than limitM holds all it needs.
		let edges: number[] = [];
		let distances: number[] = [];
		let limitM = NaN;
		for (let boxM = Math.min(SNAP_FIRST_BOX_M, maxDistanceM); ; boxM *= 4) {
			const full = boxM >= maxDistanceM;
			const halfM = full ? maxDistanceM : boxM;
			const dx = halfM / scale.x;
			const dy = halfM / scale.y;
			edges = [];
			distances = [];
			let nearestM = Infinity;
			for (const item of this.index.search(lon - dx, lat - dy, lon + dx, lat + dy)) {
				const edge = this.segmentEdge[item];
				const distanceM = this.distanceM(edge, lon, lat, scale);
				if (!(distanceM <= maxDistanceM)) continue;
				edges.push(edge);
				distances.push(distanceM);
				if (distanceM < nearestM) nearestM = distanceM;
			}
			if (edges.length > 0) {
				limitM = Math.min(maxDistanceM, nearestM + toleranceM);
				if (full || limitM < halfM * (1 - 1e-9)) break;
			} else if (full) return [];
		}
		const near: NetworkPoint[] = [];
		for (let k = 0; k < edges.length; k++)
			if (distances[k] <= limitM) near.push(this.project(edges[k], lon, lat, scale));
		near.sort((a, b) => a.snapDistanceM - b.snapDistanceM || a.edge - b.edge);
		// Closest nearby distance of a segment at each node: an end-node foot is a local minimum
		// only when no segment at that node comes closer.
		const closestAtNode = new Map<number, number>();
		for (const c of near)
			for (const node of [c.fromNode, c.toNode])
				closestAtNode.set(node, Math.min(closestAtNode.get(node) ?? Infinity, c.snapDistanceM));
		const kept: NetworkPoint[] = [];
		for (const c of near) {
			const endNode = c.offsetM === 0 ? c.fromNode : c.offsetM === c.lengthM ? c.toNode : -1;
			if (endNode >= 0 && closestAtNode.get(endNode)! < c.snapDistanceM - 1e-9) continue;
			const apart = kept.every(
				(k) =>
					Math.hypot((k.lon - c.lon) * scale.x, (k.lat - c.lat) * scale.y) >=
					NEARBY_MIN_SEPARATION_M
			);
			if (!apart) continue;
			kept.push(c);
			if (kept.length === maxPoints) break;
		}
		return kept;
	}

	/** Closest point of one edge's segment to (lon, lat). */
	project(edge: number, lon: number, lat: number, scale = metresPerDegree(lat)): NetworkPoint {
		const graph = this.graph;
		const from = this.edgeSource[edge];
		const to = graph.edgeTarget[edge];
		const ax = (graph.lon(from) - lon) * scale.x;
		const ay = (graph.lat(from) - lat) * scale.y;
		const bx = (graph.lon(to) - lon) * scale.x;
		const by = (graph.lat(to) - lat) * scale.y;
		const vx = bx - ax;
		const vy = by - ay;
		const squared = vx * vx + vy * vy;
		const t = squared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * vx + ay * vy) / squared));
		const px = ax + t * vx;
		const py = ay + t * vy;
		const lengthM = graph.edgeLengthM[edge];
		return {
			edge,
			fromNode: from,
			toNode: to,
			offsetM: t * lengthM,
			lengthM,
			snapDistanceM: Math.hypot(px, py),
			lon: lon + px / scale.x,
			lat: lat + py / scale.y
		};
	}

	/**
	 * Where a line (a compound's boundary edge) crosses the network: one point per crossing
	 * segment, offset along it. Used as entrances when a compound has no mapped gates.
	 */
	crossings(lon1: number, lat1: number, lon2: number, lat2: number): NetworkPoint[] {
		const graph = this.graph;
		const found: NetworkPoint[] = [];
		if (this.segmentEdge.length === 0) return found;
		const scale = metresPerDegree((lat1 + lat2) / 2);
		const items = this.index.search(
			Math.min(lon1, lon2),
			Math.min(lat1, lat2),
			Math.max(lon1, lon2),
			Math.max(lat1, lat2)
		);
		const rx = (lon2 - lon1) * scale.x;
		const ry = (lat2 - lat1) * scale.y;
		for (const item of items) {
			const edge = this.segmentEdge[item];
			if (!this.crosses(edge, lon1, lat1, rx, ry, scale)) continue;
			const { crossingU: u, crossingT: t } = this;
			const lengthM = graph.edgeLengthM[edge];
			found.push({
				edge,
				fromNode: this.edgeSource[edge],
				toNode: graph.edgeTarget[edge],
				offsetM: u * lengthM,
				lengthM,
				snapDistanceM: 0,
				lon: lon1 + (t * rx) / scale.x,
				lat: lat1 + (t * ry) / scale.y
			});
		}
		return found;
	}

	/**
	 * `crossings` of each side of a ring (or any line of positions), side by side in order: the
	 * same points. Most compounds lie inside their blocks with no way across their boundary: one
	 * search over the ring's box, every segment found tested against every side, answers "none"
	 * without a search per side (an empty answer only; any crossing is found side by side).
	 */
	ringCrossings(ring: readonly (readonly number[])[]): NetworkPoint[] {
		if (this.segmentEdge.length === 0 || ring.length < 2) return [];
		let minLon = Infinity;
		let minLat = Infinity;
		let maxLon = -Infinity;
		let maxLat = -Infinity;
		let numbers = true;
		for (const position of ring) {
			const [lon, lat] = position;
			if (typeof lon !== 'number' || typeof lat !== 'number' || lon !== lon || lat !== lat) {
				numbers = false; // NaN or worse: side by side, as before
				break;
			}
			if (lon < minLon) minLon = lon;
			if (lat < minLat) minLat = lat;
			if (lon > maxLon) maxLon = lon;
			if (lat > maxLat) maxLat = lat;
		}
		// A side's box lies inside the ring's, so the segments it finds are among these.
		const items = numbers ? this.index.search(minLon, minLat, maxLon, maxLat) : null;
		if (items !== null && items.length === 0) return [];
		let crossed = items === null;
		for (let i = 0; !crossed && i + 1 < ring.length; i++) {
			const [lon1, lat1] = ring[i];
			const [lon2, lat2] = ring[i + 1];
			const scale = metresPerDegree((lat1 + lat2) / 2);
			const rx = (lon2 - lon1) * scale.x;
			const ry = (lat2 - lat1) * scale.y;
			for (const item of items!)
				if (this.crosses(this.segmentEdge[item], lon1, lat1, rx, ry, scale)) {
					crossed = true;
					break;
				}
		}
		if (!crossed) return [];
		const found: NetworkPoint[] = [];
		for (let i = 0; i + 1 < ring.length; i++)
			found.push(...this.crossings(ring[i][0], ring[i][1], ring[i + 1][0], ring[i + 1][1]));
		return found;
	}

	/**
	 * Whether an edge's segment crosses the line from (lon1, lat1) by (rx, ry) metres in the
	 * frame `scale`; sets `crossingU` and `crossingT`. Parallel: touching along a line is not a
	 * crossing.
	 */
	private crosses(
		edge: number,
		lon1: number,
		lat1: number,
		rx: number,
		ry: number,
		scale: { x: number; y: number }
	): boolean {
		const graph = this.graph;
		const from = this.edgeSource[edge];
		const to = graph.edgeTarget[edge];
		const ax = (graph.lon(from) - lon1) * scale.x;
		const ay = (graph.lat(from) - lat1) * scale.y;
		const sx = (graph.lon(to) - lon1) * scale.x - ax;
		const sy = (graph.lat(to) - lat1) * scale.y - ay;
		const denominator = rx * sy - ry * sx;
		if (denominator === 0) return false;
		const u = (ax * ry - ay * rx) / denominator; // along the network segment
		const t = (ax * sy - ay * sx) / denominator; // along the boundary line
		if (t < 0 || t > 1 || u < 0 || u > 1) return false;
		this.crossingU = u;
		this.crossingT = t;
		return true;
	}
}
