/**
 * Rebuilds OSM ways from pieces clipped per vector tile.
 *
 * Tilezen cuts every way at its tile's (buffered) edge, so one way arrives as several pieces: the
 * original OSM vertices carry the same 8-decimal numbers in every tile, while each cut adds a
 * vertex on the tile edge, and neighbouring tiles may both hold the stretch inside the buffer.
 * Rather than guess the buffer, the pieces are overlaid: every piece end is inserted into any
 * segment of another piece of the same way that it lies on, identical sub-segments are merged,
 * the segments are chained back into lines, and cut vertices that no other way uses and that
 * lie on a straight run are dropped. A way that leaves the covered area (the missing tile, the
 * outer edge) and comes back becomes a MultiLineString.
 */

export type LonLat = [number, number];

/** One clipped piece of a way as it appears in one tile. */
export interface WayPiece {
	wayId: number;
	tileIndex: number;
	coordinates: LonLat[];
}

export interface StitchedWay {
	wayId: number;
	/** One or more vertex chains, in the direction of the OSM way where the pieces agree. */
	parts: LonLat[][];
}

export interface StitchStats {
	pieces: number;
	ways: number;
	multiPartWays: number;
	/** Segments that appeared in more than one piece (seam overlaps), merged to one. */
	duplicateSegmentsMerged: number;
	/** Segments whose duplicate ran the other way (kept once, first direction wins). */
	reversedDuplicates: number;
	/** Cut vertices inserted into another piece's segment so that overlaps line up. */
	splitInsertions: number;
	/** Clip-artefact vertices removed from the chains. */
	artefactsDropped: number;
}

/** Two vertices closer than this (degrees) are the same point: cut points are computed per tile. */
const SAME_POINT_DEG = 3e-8;
/** A vertex this close (degrees) to a segment lies on it (8-decimal quantisation ≈ 1e-8). */
const ON_SEGMENT_DEG = 6e-8;

function key(point: LonLat): string {
	return `${point[0].toFixed(8)},${point[1].toFixed(8)}`;
}

function distanceToSegment(p: LonLat, a: LonLat, b: LonLat): { distance: number; t: number } {
	const dx = b[0] - a[0];
	const dy = b[1] - a[1];
	const lengthSq = dx * dx + dy * dy;
	if (lengthSq === 0) return { distance: Math.hypot(p[0] - a[0], p[1] - a[1]), t: 0 };
	const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSq;
	const cx = a[0] + t * dx;
	const cy = a[1] + t * dy;
	return { distance: Math.hypot(p[0] - cx, p[1] - cy), t };
}

/**
 * Stitch the pieces of every way back together.
 *
 * @param pieces all pieces, in input order (tile order); the order decides ties, so the output is
 *   deterministic for a given input.
 * @param sharedVertexKeys keys (`lon,lat` with 8 decimals) of vertices used by *other* ways'
 *   pieces, counted per way; a vertex used by two or more ways is a junction and is never dropped.
 * @returns the stitched ways sorted by id, and counts of what was merged and dropped.
 * @example
 * const { ways } = stitchWays([{ wayId: 1, tileIndex: 0, coordinates: [[0, 0], [1, 0]] },
 *   { wayId: 1, tileIndex: 1, coordinates: [[1, 0], [2, 0]] }]);
 * // ways[0].parts → [[[0, 0], [2, 0]]] when (1, 0) is a cut vertex used by no other way
 */
export function stitchWays(pieces: WayPiece[]): { ways: StitchedWay[]; stats: StitchStats } {
	const stats: StitchStats = {
		pieces: pieces.length,
		ways: 0,
		multiPartWays: 0,
		duplicateSegmentsMerged: 0,
		reversedDuplicates: 0,
		splitInsertions: 0,
		artefactsDropped: 0
	};
	// How many different ways touch each vertex: junctions must survive.
	const waysPerVertex = new Map<string, Set<number>>();
	for (const piece of pieces) {
		for (const point of piece.coordinates) {
			const k = key(point);
			let set = waysPerVertex.get(k);
			if (!set) waysPerVertex.set(k, (set = new Set()));
			set.add(piece.wayId);
		}
	}
	const byWay = new Map<number, WayPiece[]>();
	for (const piece of pieces) {
		const list = byWay.get(piece.wayId);
		if (list) list.push(piece);
		else byWay.set(piece.wayId, [piece]);
	}
	const ways: StitchedWay[] = [];
	for (const wayId of [...byWay.keys()].sort((a, b) => a - b)) {
		const parts = stitchOne(byWay.get(wayId)!, waysPerVertex, stats);
		if (parts.length === 0) continue;
		if (parts.length > 1) stats.multiPartWays++;
		ways.push({ wayId, parts });
	}
	stats.ways = ways.length;
	return { ways, stats };
}

function stitchOne(
	pieces: WayPiece[],
	waysPerVertex: Map<string, Set<number>>,
	stats: StitchStats
): LonLat[][] {
	// 1. Canonical vertices: cut points from two tiles may differ in the last decimal.
	const canonical: LonLat[] = [];
	const snap = (point: LonLat): LonLat => {
		for (const known of canonical) {
			if (
				Math.abs(known[0] - point[0]) <= SAME_POINT_DEG &&
				Math.abs(known[1] - point[1]) <= SAME_POINT_DEG
			)
				return known;
		}
		canonical.push(point);
		return point;
	};
	const lines: LonLat[][] = [];
	const interiorKeys = new Set<string>();
	for (const piece of pieces) {
		const line: LonLat[] = [];
		for (const point of piece.coordinates) {
			const snapped = snap(point);
			if (line.length === 0 || line[line.length - 1] !== snapped) line.push(snapped);
		}
		if (line.length < 2) continue;
		for (let i = 1; i < line.length - 1; i++) interiorKeys.add(key(line[i]));
		lines.push(line);
	}
	// 2. Insert every piece end into the segments of other pieces it lies on (seam overlaps).
	const ends = new Set<LonLat>();
	for (const line of lines) {
		ends.add(line[0]);
		ends.add(line[line.length - 1]);
	}
	const splitLines = lines.map((line) => {
		const out: LonLat[] = [line[0]];
		for (let i = 1; i < line.length; i++) {
			const a = line[i - 1];
			const b = line[i];
			const inserts: { t: number; point: LonLat }[] = [];
			for (const end of ends) {
				if (end === a || end === b) continue;
				const { distance, t } = distanceToSegment(end, a, b);
				if (distance <= ON_SEGMENT_DEG && t > 0 && t < 1) inserts.push({ t, point: end });
			}
			inserts.sort((x, y) => x.t - y.t);
			for (const insert of inserts) out.push(insert.point);
			stats.splitInsertions += inserts.length;
			out.push(b);
		}
		return out;
	});
	// 3. Merge identical segments; keep the first direction seen.
	const ids = new Map<LonLat, number>();
	const idOf = (point: LonLat): number => {
		let id = ids.get(point);
		if (id === undefined) ids.set(point, (id = ids.size));
		return id;
	};
	const vertexById: LonLat[] = [];
	const segments: [number, number][] = [];
	const seen = new Set<string>();
	for (const line of splitLines) {
		for (let i = 1; i < line.length; i++) {
			const a = idOf(line[i - 1]);
			const b = idOf(line[i]);
			vertexById[a] = line[i - 1];
			vertexById[b] = line[i];
			if (seen.has(`${a}>${b}`)) {
				stats.duplicateSegmentsMerged++;
				continue;
			}
			if (seen.has(`${b}>${a}`)) {
				stats.duplicateSegmentsMerged++;
				stats.reversedDuplicates++;
				continue;
			}
			seen.add(`${a}>${b}`);
			segments.push([a, b]);
		}
	}
	// 4. Chain: start where more segments leave than arrive, then close the remaining cycles.
	const outgoing = new Map<number, number[]>();
	const inDegree = new Map<number, number>();
	segments.forEach(([a, b], index) => {
		const list = outgoing.get(a);
		if (list) list.push(index);
		else outgoing.set(a, [index]);
		inDegree.set(b, (inDegree.get(b) ?? 0) + 1);
	});
	const used = new Uint8Array(segments.length);
	const chains: number[][] = [];
	const walkFrom = (start: number): void => {
		const chain = [start];
		let at = start;
		for (;;) {
			const next = (outgoing.get(at) ?? []).find((index) => !used[index]);
			if (next === undefined) break;
			used[next] = 1;
			at = segments[next][1];
			chain.push(at);
		}
		if (chain.length > 1) chains.push(chain);
	};
	for (const [a] of segments) {
		const unusedOut = (outgoing.get(a) ?? []).filter((index) => !used[index]).length;
		if (unusedOut > 0 && outgoing.get(a)!.length > (inDegree.get(a) ?? 0)) walkFrom(a);
	}
	for (let index = 0; index < segments.length; index++)
		if (!used[index]) walkFrom(segments[index][0]);
	spliceLoops(chains);
	// 5. Drop cut artefacts: never interior to a piece, used by no other way, on a straight run.
	return chains.map((chain) => {
		const points = chain.map((id) => vertexById[id]);
		const kept: LonLat[] = [points[0]];
		for (let i = 1; i < points.length - 1; i++) {
			const point = points[i];
			const k = key(point);
			const isCut = ends.has(point) && !interiorKeys.has(k);
			const isJunction = (waysPerVertex.get(k)?.size ?? 0) > 1;
			const straight =
				distanceToSegment(point, kept[kept.length - 1], points[i + 1]).distance <= ON_SEGMENT_DEG;
			if (isCut && !isJunction && straight) {
				stats.artefactsDropped++;
				continue;
			}
			kept.push(point);
		}
		kept.push(points[points.length - 1]);
		return kept;
	});
}

/**
 * A closed chain that touches another chain (a way that loops back on itself, e.g. a lollipop
 * footway) is spliced into it, so the way stays one line where the geometry allows.
 */
function spliceLoops(chains: number[][]): void {
	for (let i = chains.length - 1; i >= 0; i--) {
		const loop = chains[i];
		if (chains.length < 2 || loop[0] !== loop[loop.length - 1]) continue;
		for (let j = 0; j < chains.length; j++) {
			if (j === i) continue;
			const host = chains[j];
			const at = host.findIndex((vertex) => loop.includes(vertex));
			if (at < 0) continue;
			const start = loop.indexOf(host[at]);
			const rotated = [...loop.slice(start, loop.length - 1), ...loop.slice(0, start), host[at]];
			host.splice(at, 1, ...rotated);
			chains.splice(i, 1);
			break;
		}
	}
}
