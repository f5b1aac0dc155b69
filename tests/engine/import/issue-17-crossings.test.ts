/**
 * Issue 17 item 3: the self-intersection check in O(n log n). findCrossings must give what turf
 * `kinks` (quadratic) gave — same points, same order — and the import must finish on a
 * 400,000-vertex outline, with or without a crossing.
 */
import { kinks } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { crossingPairBudget, findCrossings } from '../../../src/lib/engine/import/crossings.ts';
import {
	MAX_SPLIT_CROSSINGS,
	MAX_SPLIT_VERTICES,
	repairGeometry,
	type Ring
} from '../../../src/lib/engine/import/geometry-repair.ts';
import { validateProjectBoundary } from '../../../src/lib/engine/evaluation/boundary-check.ts';
import { EvaluationError } from '../../../src/lib/engine/evaluation/errors.ts';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/** Rings on a small integer grid: many touching, collinear and repeated cases. */
function gridRings(next: () => number): Ring[] {
	const rings: Ring[] = [];
	const count = 1 + Math.floor(next() * 3);
	for (let r = 0; r < count; r++) {
		const ring: Ring = [];
		const corners = 3 + Math.floor(next() * 8);
		for (let i = 0; i < corners; i++) ring.push([Math.floor(next() * 5), Math.floor(next() * 5)]);
		if (next() < 0.8) ring.push([ring[0][0], ring[0][1]]);
		rings.push(ring);
	}
	return rings;
}

const turfPoints = (rings: Ring[]) =>
	kinks({ type: 'Polygon', coordinates: rings }).features.map((f) => f.geometry.coordinates);

/** Exact orientation on integer coordinates: sign of (b − a) × (c − a). */
const orient = (a: number[], b: number[], c: number[]) =>
	Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));

/**
 * Brute force over every pair of segments, written from turf's rules rather than its loops:
 * non-parallel closed segments that meet (ends included) cross; within a ring, neighbours and
 * the first/last pair of a closed ring do not count; between rings, a pair with equal segment
 * indices counts twice.
 */
function bruteForceCount(rings: Ring[]): number {
	let count = 0;
	const meets = (p: number[], q: number[], u: number[], v: number[]) => {
		const parallel = (q[0] - p[0]) * (v[1] - u[1]) - (q[1] - p[1]) * (v[0] - u[0]) === 0;
		return (
			!parallel && orient(p, q, u) * orient(p, q, v) <= 0 && orient(u, v, p) * orient(u, v, q) <= 0
		);
	};
	rings.forEach((a, ra) =>
		rings.forEach((b, rb) => {
			if (rb < ra) return;
			for (let i = 0; i + 1 < a.length; i++)
				for (let k = ra === rb ? i + 1 : 0; k + 1 < b.length; k++) {
					if (ra === rb) {
						const closed = a[0][0] === a.at(-1)![0] && a[0][1] === a.at(-1)![1];
						if (k === i + 1 || (closed && i === 0 && k === a.length - 2)) continue;
					}
					if (meets(a[i], a[i + 1], b[k], b[k + 1])) count += ra !== rb && i === k ? 2 : 1;
				}
		})
	);
	return count;
}

/** A circle of `n` vertices (closed), radius 0.01° around [120, 36]: simple. */
function circle(n: number): Ring {
	const ring: Ring = [];
	for (let i = 0; i < n; i++) {
		const t = (2 * Math.PI * (i + 0.5)) / n;
		ring.push([120 + 0.01 * Math.cos(t), 36 + 0.01 * Math.sin(t)]);
	}
	ring.push([ring[0][0], ring[0][1]]);
	return ring;
}

/** A figure eight (lemniscate of Gerono) of `n` vertices: exactly one crossing, at [120, 36]. */
function figureEight(n: number): Ring {
	const ring: Ring = [];
	for (let i = 0; i < n; i++) {
		const t = (2 * Math.PI * (i + 0.5)) / n;
		ring.push([120 + 0.01 * Math.sin(t), 36 + 0.01 * Math.sin(t) * Math.cos(t)]);
	}
	ring.push([ring[0][0], ring[0][1]]);
	return ring;
}

/** A {p/2} star polygon (p odd): p crossings. */
function star(p: number): Ring {
	const ring: Ring = [];
	for (let i = 0; i < p; i++) {
		const t = (2 * Math.PI * ((2 * i) % p)) / p;
		ring.push([120 + 0.01 * Math.cos(t), 36 + 0.01 * Math.sin(t)]);
	}
	ring.push([ring[0][0], ring[0][1]]);
	return ring;
}

/** Long parallel edges zig-zagging across each other's boxes without crossing: n²/2 box pairs. */
function comb(n: number): Ring {
	const ring: Ring = [];
	for (let i = 0; i < n / 2; i++) ring.push([i * 1e-5, 0], [i * 1e-5 + 1, 1]);
	ring.push([(n / 2) * 1e-5 + 2, -1], [-1, -1], [0, 0]);
	return ring;
}

describe('findCrossings (issue 17)', () => {
	it('gives turf kinks’ points in turf’s order, and the brute-force count, on 3,000 random grid polygons', () => {
		const next = random(17);
		let withCrossings = 0;
		for (let trial = 0; trial < 3000; trial++) {
			const rings = gridRings(next);
			const found = findCrossings(rings);
			expect(found.stopped).toBeNull();
			expect(found.points).toEqual(turfPoints(rings));
			expect(found.points.length).toBe(bruteForceCount(rings));
			if (found.points.length > 0) withCrossings++;
		}
		// The grid is small enough that most polygons touch or cross: the cases are exercised.
		expect(withCrossings).toBeGreaterThan(2000);
	});

	it('gives turf kinks’ points bit for bit on random lon/lat polygons with holes', () => {
		const next = random(4);
		for (let trial = 0; trial < 300; trial++) {
			const rings: Ring[] = [];
			const count = 1 + Math.floor(next() * 3);
			for (let r = 0; r < count; r++) {
				const ring: Ring = [];
				for (let i = 0; i < 4 + Math.floor(next() * 30); i++)
					ring.push([120.4 + next() * 0.01, 36.1 + next() * 0.01]);
				ring.push([ring[0][0], ring[0][1]]);
				rings.push(ring);
			}
			expect(findCrossings(rings).points).toEqual(turfPoints(rings));
		}
	});

	it('stops after more than `limit` crossings, and on long edges across each other after its work bound', () => {
		const many = findCrossings([star(1201)], { limit: 1000 });
		expect(many.stopped).toBe('crossings');
		expect(many.points).toHaveLength(1001);
		const full = findCrossings([star(1201)]);
		expect(full.stopped).toBeNull();
		expect(full.points).toHaveLength(1201);

		const ring = comb(4000);
		expect(findCrossings([ring]).points).toEqual(turfPoints([ring]));
		const bounded = findCrossings([ring], { maxPairs: crossingPairBudget(ring.length) });
		expect(bounded.stopped).toBe('work');
	});
});

describe('repairGeometry on big and hostile polygons (issue 17)', () => {
	it('accepts a 400,000-vertex simple polygon unchanged', () => {
		const ring = circle(400_000);
		const outcome = repairGeometry({ type: 'Polygon', coordinates: [ring] }, 'area');
		expect(outcome.notes).toEqual([]);
		// Compared as text: a deep equality of 400,000 positions takes longer than the check.
		expect(JSON.stringify(outcome.geometry)).toBe(
			JSON.stringify({ type: 'Polygon', coordinates: [ring] })
		);
	});

	it('rejects a 400,000-vertex figure eight with where it crosses, instead of splitting it', () => {
		const outcome = repairGeometry(
			{ type: 'Polygon', coordinates: [figureEight(400_000)] },
			'area'
		);
		expect(outcome.geometry).toBeNull();
		expect(outcome.notes).toEqual([
			{
				action: 'rejected',
				reason: `Polygon intersects itself (1 crossing(s), first at [120, 36]): 自相交的多边形过大，无法自动拆分（上限 ${MAX_SPLIT_CROSSINGS} 个交叉点、${MAX_SPLIT_VERTICES} 个顶点），请在 GIS 中修正后重新导入 / too big to split automatically (at most ${MAX_SPLIT_CROSSINGS} crossings and ${MAX_SPLIT_VERTICES} positions; this one has 400001 positions): fix the outline in a GIS and import it again`
			}
		]);
	});

	it('still splits a figure eight within the limits into its two lobes', () => {
		const outcome = repairGeometry({ type: 'Polygon', coordinates: [figureEight(2000)] }, 'area');
		expect(outcome.geometry?.type).toBe('MultiPolygon');
		expect(outcome.geometry?.coordinates).toHaveLength(2);
		expect(outcome.notes.map((n) => n.reason)).toEqual([
			'Polygon intersects itself (1 crossing(s), first at [120, 36]): split into 2 simple polygon(s)'
		]);
	});

	it('rejects more than the crossing limit without trying to split, and edges it cannot check', () => {
		const many = repairGeometry({ type: 'Polygon', coordinates: [star(1201)] }, 'area');
		expect(many.geometry).toBeNull();
		expect(many.notes[0].reason).toMatch(
			/^Polygon intersects itself \(more than 1000 crossing\(s\), first at \[[\d.]+, [\d.]+\]\): 自相交的多边形过大/
		);
		const hostile = repairGeometry({ type: 'Polygon', coordinates: [comb(4000)] }, 'area');
		expect(hostile.geometry).toBeNull();
		expect(hostile.notes[0].reason).toContain(
			'Polygon has too many edges lying across each other to check for self-intersections (4003 positions)'
		);
	});
});

describe('project boundary check (issue 17)', () => {
	it('accepts a 400,000-vertex boundary and refuses one with a crossing, naming where', () => {
		const bbox: [number, number, number, number] = [119.9, 35.9, 120.1, 36.1];
		const ok = validateProjectBoundary({ type: 'Polygon', coordinates: [circle(400_000)] }, bbox);
		expect(ok.geometry.type).toBe('Polygon');
		let error: unknown;
		try {
			validateProjectBoundary({ type: 'Polygon', coordinates: [figureEight(400_000)] }, bbox);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(EvaluationError);
		expect((error as EvaluationError).code).toBe('BOUNDARY_SELF_INTERSECTS');
		expect((error as EvaluationError).message).toContain('(1 crossing(s), the first at [120, 36])');
	});

	it('names the span of a 400,000-vertex boundary outside the region (no stack overflow)', () => {
		let error: unknown;
		try {
			validateProjectBoundary({ type: 'Polygon', coordinates: [circle(400_000)] }, [0, 0, 1, 1]);
		} catch (caught) {
			error = caught;
		}
		expect((error as EvaluationError).code).toBe('PROJECT_OUTSIDE_REGION');
		expect((error as EvaluationError).message).toContain(
			'the boundary spans 119.99, 35.99, 120.01, 36.01'
		);
	});
});
