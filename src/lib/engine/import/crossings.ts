/**
 * Self-intersections of a polygon's rings in O(n log n): the same crossing points, in the same
 * order, as turf `kinks` (which tests every pair of segments: 20,000 vertices took 4.8 s and
 * 400,000 never finished, issue 17). Segments go into a flatbush index; only pairs whose boxes
 * overlap are tested, with turf's own test and turf's rules for which pairs count.
 *
 * turf's rules, kept exactly: within a ring, neighbouring segments and the first/last pair of a
 * closed ring are skipped; parallel and collinear segments never cross (a zero denominator);
 * touching counts (an end on the other segment, both fractions in [0, 1]). Between two rings
 * turf visits ring A against B with B's segment index ≥ A's, then B against A the same way, so
 * a pair with equal indices is reported twice. The order is turf's loop order: first ring,
 * second ring, first segment, second segment.
 */
import Flatbush from 'flatbush';

/** [x, y] in whatever coordinates the caller works in. */
type Position = [number, number];

export interface Crossings {
	/** Crossing points in turf `kinks` order: all of them when `stopped` is null. */
	points: Position[];
	/**
	 * Why the search stopped early, null when it did not: `'crossings'` — more than `limit`
	 * crossings were found; `'work'` — more than `maxPairs` pairs of segment boxes overlapped
	 * (long edges lying across many others: the index no longer helps). The points are then
	 * the ones found so far in turf's order, so `points[0]` is deterministic but not
	 * necessarily turf's first.
	 */
	stopped: null | 'crossings' | 'work';
}

/**
 * A work bound for `findCrossings` on rings of this many positions: 64 overlapping boxes per
 * segment (real outlines overlap a handful) plus a floor — about a second of tests.
 */
export function crossingPairBudget(positions: number): number {
	return 1_000_000 + 64 * positions;
}

/**
 * turf 7.4 `lineIntersects` (kinks' private test), same arithmetic so the points are
 * bit-identical: the point is computed along the first segment.
 */
function intersection(
	ax0: number,
	ay0: number,
	ax1: number,
	ay1: number,
	bx0: number,
	by0: number,
	bx1: number,
	by1: number
): Position | null {
	const denominator = (by1 - by0) * (ax1 - ax0) - (bx1 - bx0) * (ay1 - ay0);
	if (denominator === 0) return null;
	const dy = ay0 - by0;
	const dx = ax0 - bx0;
	const alongA = ((bx1 - bx0) * dy - (by1 - by0) * dx) / denominator;
	const alongB = ((ax1 - ax0) * dy - (ay1 - ay0) * dx) / denominator;
	if (alongA < 0 || alongA > 1 || alongB < 0 || alongB > 1) return null;
	return [ax0 + alongA * (ax1 - ax0), ay0 + alongA * (ay1 - ay0)];
}

/**
 * Find where a polygon's rings cross themselves and each other.
 * @param rings the polygon's rings (outer first), each a list of [x, y]; closed or not
 * @param options.limit stop after more than this many crossings (default: find all). A
 *   polygon with a crossing per pair of segments has n²/2 of them, so callers that only act
 *   on a few should pass a limit.
 * @param options.maxPairs stop after this many overlapping pairs of segment boxes (default:
 *   no bound). Outlines with short edges overlap a few neighbours each; a hostile file of
 *   long edges lying across each other overlaps n² pairs without a single crossing.
 * @returns the crossing points in turf `kinks` order (`points.length` equals turf's count
 *   when `stopped` is null)
 * @example findCrossings([[[0,0],[2,2],[2,0],[0,2],[0,0]]]).points // [[1, 1]]
 */
export function findCrossings(
	rings: readonly (readonly (readonly number[])[])[],
	options: { limit?: number; maxPairs?: number } = {}
): Crossings {
	const limit = options.limit ?? Infinity;
	const maxPairs = options.maxPairs ?? Infinity;
	let segmentCount = 0;
	for (const ring of rings) segmentCount += Math.max(0, ring.length - 1);
	if (segmentCount < 2) return { points: [], stopped: null };

	// One entry per segment: its ring, its index in the ring, its padded box (4 numbers).
	const ringOf = new Uint32Array(segmentCount);
	const indexOf = new Uint32Array(segmentCount);
	const boxes = new Float64Array(4 * segmentCount);
	// Boxes are padded by a hair of the coordinates' magnitude: turf's fractions are rounded,
	// so two segments that meet exactly at an end must still be paired.
	let magnitude = 0;
	for (const ring of rings)
		for (const p of ring) magnitude = Math.max(magnitude, Math.abs(p[0]), Math.abs(p[1]));
	const pad = magnitude * 1e-12;
	const index = new Flatbush(segmentCount);
	let s = 0;
	rings.forEach((ring, r) => {
		for (let i = 0; i + 1 < ring.length; i++, s++) {
			const [x0, y0] = ring[i];
			const [x1, y1] = ring[i + 1];
			ringOf[s] = r;
			indexOf[s] = i;
			boxes[4 * s] = Math.min(x0, x1) - pad;
			boxes[4 * s + 1] = Math.min(y0, y1) - pad;
			boxes[4 * s + 2] = Math.max(x0, x1) + pad;
			boxes[4 * s + 3] = Math.max(y0, y1) + pad;
			index.add(boxes[4 * s], boxes[4 * s + 1], boxes[4 * s + 2], boxes[4 * s + 3]);
		}
	});
	index.finish();

	// Crossings found, with turf's sort key (first ring, second ring, first segment, second).
	const found: { key: [number, number, number, number]; point: Position }[] = [];
	const test = (r1: number, i: number, r2: number, k: number) => {
		const a = rings[r1];
		const b = rings[r2];
		const point = intersection(
			a[i][0],
			a[i][1],
			a[i + 1][0],
			a[i + 1][1],
			b[k][0],
			b[k][1],
			b[k + 1][0],
			b[k + 1][1]
		);
		if (point) found.push({ key: [r1, r2, i, k], point });
	};
	const closed = rings.map(
		(ring) =>
			ring.length > 1 &&
			ring[0][0] === ring[ring.length - 1][0] &&
			ring[0][1] === ring[ring.length - 1][1]
	);
	// Each unordered pair once (s < t); turf's visits of that pair are replayed.
	let pairsLeft = maxPairs;
	const pairWith = (s: number) => (t: number) => {
		pairsLeft--;
		if (t <= s || found.length > limit) return false;
		const r1 = ringOf[s];
		const r2 = ringOf[t];
		const i = indexOf[s];
		const k = indexOf[t];
		if (r1 === r2) {
			const lastSegment = rings[r1].length - 2;
			if (k - i !== 1 && !(i === 0 && k === lastSegment && closed[r1])) test(r1, i, r1, k);
		} else {
			if (k >= i) test(r1, i, r2, k);
			if (i >= k) test(r2, k, r1, i);
		}
		return false;
	};
	for (s = 0; s < segmentCount && found.length <= limit && pairsLeft >= 0; s++)
		index.search(boxes[4 * s], boxes[4 * s + 1], boxes[4 * s + 2], boxes[4 * s + 3], pairWith(s));

	found.sort(
		(a, b) =>
			a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.key[3] - b.key[3]
	);
	const stopped = found.length > limit ? 'crossings' : pairsLeft < 0 ? 'work' : null;
	return { points: found.map((f) => f.point), stopped };
}
