/**
 * The part of a coverage matrix that a choice of new stations can change, made small before any
 * optimisation:
 * - demands already covered by a fixed station, or with weight 0, are dropped (nothing to gain);
 * - candidates reaching none of the remaining demands are dropped;
 * - candidates reaching exactly the same remaining demands are merged into one class (on the
 *   demo region ~7,000 node candidates fall into a few hundred classes); the class is
 *   represented by its member with the smallest elder-weighted walking time, the others are
 *   reported as equivalent alternatives;
 * - optionally, a class whose demands are a strict subset of another's is dropped (dominated:
 *   an optimal MCLP or LSCP solution never needs it). Checked through the rarest demand of each
 *   class, within a work budget, so it never costs more than a few passes over the pairs.
 */
import type { CoverageMatrix } from './matrix.ts';
import { fixedCoverage } from './matrix.ts';

export interface ReducedInstance {
	/** Candidate classes kept. */
	classCount: number;
	/** Remaining demands (uncovered, weight > 0, reached by some candidate). */
	demandCount: number;
	/** Weight per remaining demand. */
	weight: Float64Array;
	/** Matrix demand index of each remaining demand. */
	demandOf: Uint32Array;
	/** CSR class → remaining demands (ascending). */
	classStart: Uint32Array;
	classDemand: Uint32Array;
	/** CSR remaining demand → classes (ascending). */
	demandStart: Uint32Array;
	demandClass: Uint32Array;
	/** Matrix site index of each class's representative. */
	representative: Uint32Array;
	/** Members of each class (matrix site indices, representative first). */
	members: Uint32Array[];
	/** Weight covered by the fixed stations. */
	fixedWeight: number;
	/** Weight of all demands. */
	totalWeight: number;
	/** Weight of demands (weight > 0) that no site at all reaches. */
	unreachableWeight: number;
	/** Classes dropped as dominated. */
	dominatedClasses: number;
}

/** 32-bit FNV-1a over a row of indices. */
function hashRow(values: Uint32Array, start: number, end: number): number {
	let hash = 0x811c9dc5;
	for (let i = start; i < end; i++) {
		hash ^= values[i];
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/**
 * @param options.dropDominated drop classes whose demands are a strict subset of another's
 *   (default false; the exact solvers turn it on)
 * @param options.dominanceBudget largest number of index comparisons spent on dominance
 *   (default 5e7); when exhausted the remaining classes are kept
 */
export function reduceInstance(
	matrix: CoverageMatrix,
	options: { dropDominated?: boolean; dominanceBudget?: number } = {}
): ReducedInstance {
	const covered = fixedCoverage(matrix);
	const { demandCount, demandWeight, fixedCount, siteCount, siteStart, siteDemand, siteSeconds } =
		matrix;
	let totalWeight = 0;
	let fixedWeight = 0;
	let unreachableWeight = 0;
	// Remaining demands: uncovered, positive weight, reached by a candidate.
	const remaining = new Int32Array(demandCount).fill(-1);
	const demandOfList: number[] = [];
	for (let d = 0; d < demandCount; d++) {
		const w = demandWeight[d];
		totalWeight += w;
		if (covered[d]) {
			fixedWeight += w;
			continue;
		}
		if (w <= 0) continue;
		let reached = false;
		for (let i = matrix.demandStart[d]; i < matrix.demandStart[d + 1]; i++)
			if (matrix.demandSite[i] >= fixedCount) {
				reached = true;
				break;
			}
		if (!reached) {
			unreachableWeight += w;
			continue;
		}
		remaining[d] = demandOfList.length;
		demandOfList.push(d);
	}

	// Each candidate's row restricted to the remaining demands, in a scratch CSR.
	const rowStart = new Uint32Array(siteCount - fixedCount + 1);
	const rows: number[] = [];
	const cost = new Float64Array(siteCount - fixedCount); // Σ weight × seconds
	for (let s = fixedCount; s < siteCount; s++) {
		const c = s - fixedCount;
		for (let i = siteStart[s]; i < siteStart[s + 1]; i++) {
			const r = remaining[siteDemand[i]];
			if (r < 0) continue;
			rows.push(r);
			cost[c] += demandWeight[siteDemand[i]] * siteSeconds[i];
		}
		rowStart[c + 1] = rows.length;
	}
	const rowValues = Uint32Array.from(rows);

	// Merge identical rows.
	const byHash = new Map<number, number[]>(); // hash → class ids
	const classRows: { start: number; end: number }[] = [];
	const classMembers: number[][] = [];
	const sameRow = (a: { start: number; end: number }, start: number, end: number) => {
		if (a.end - a.start !== end - start) return false;
		for (let i = 0; i < end - start; i++)
			if (rowValues[a.start + i] !== rowValues[start + i]) return false;
		return true;
	};
	for (let c = 0; c < siteCount - fixedCount; c++) {
		const start = rowStart[c];
		const end = rowStart[c + 1];
		if (start === end) continue;
		const hash = hashRow(rowValues, start, end);
		const bucket = byHash.get(hash);
		const match = bucket?.find((k) => sameRow(classRows[k], start, end));
		if (match !== undefined) {
			classMembers[match].push(c);
			continue;
		}
		const k = classRows.length;
		classRows.push({ start, end });
		classMembers.push([c]);
		if (bucket) bucket.push(k);
		else byHash.set(hash, [k]);
	}

	// Dominance: class a is dropped when some class b ⊋ a.
	const keep = classRows.map(() => true);
	let dominatedClasses = 0;
	if (options.dropDominated && classRows.length > 1) {
		let budget = options.dominanceBudget ?? 5e7;
		// remaining demand → classes containing it
		const count = new Uint32Array(demandOfList.length + 1);
		for (const row of classRows)
			for (let i = row.start; i < row.end; i++) count[rowValues[i] + 1]++;
		for (let r = 0; r < demandOfList.length; r++) count[r + 1] += count[r];
		const lists = new Uint32Array(count[demandOfList.length]);
		const fill = count.slice(0, demandOfList.length);
		classRows.forEach((row, k) => {
			for (let i = row.start; i < row.end; i++) lists[fill[rowValues[i]]++] = k;
		});
		const contains = (
			big: { start: number; end: number },
			small: { start: number; end: number }
		) => {
			let j = big.start;
			for (let i = small.start; i < small.end; i++) {
				const v = rowValues[i];
				while (j < big.end && rowValues[j] < v) j++;
				if (j === big.end || rowValues[j] !== v) return false;
				j++;
			}
			return true;
		};
		for (let a = 0; a < classRows.length && budget > 0; a++) {
			const row = classRows[a];
			let rarest = rowValues[row.start];
			for (let i = row.start; i < row.end; i++) {
				const v = rowValues[i];
				if (count[v + 1] - count[v] < count[rarest + 1] - count[rarest]) rarest = v;
			}
			const size = row.end - row.start;
			for (let i = count[rarest]; i < count[rarest + 1]; i++) {
				const b = lists[i];
				if (b === a || !keep[b]) continue;
				const other = classRows[b];
				if (other.end - other.start <= size) continue; // identical rows are merged already
				budget -= size + (other.end - other.start);
				if (contains(other, row)) {
					keep[a] = false;
					dominatedClasses++;
					break;
				}
			}
		}
	}

	// Final CSR over kept classes.
	const kept: number[] = [];
	keep.forEach((flag, k) => flag && kept.push(k));
	const classStart = new Uint32Array(kept.length + 1);
	kept.forEach(
		(k, i) => (classStart[i + 1] = classStart[i] + classRows[k].end - classRows[k].start)
	);
	const classDemand = new Uint32Array(classStart[kept.length]);
	const representative = new Uint32Array(kept.length);
	const members: Uint32Array[] = [];
	kept.forEach((k, i) => {
		const row = classRows[k];
		classDemand.set(rowValues.subarray(row.start, row.end), classStart[i]);
		// Representative: smallest weighted time, then lowest index.
		const list = classMembers[k];
		let best = list[0];
		for (const c of list) if (cost[c] < cost[best]) best = c;
		representative[i] = best + fixedCount;
		members.push(
			Uint32Array.from([best, ...list.filter((c) => c !== best)], (c) => c + fixedCount)
		);
	});
	const m = demandOfList.length;
	const demandStart = new Uint32Array(m + 1);
	for (let i = 0; i < classDemand.length; i++) demandStart[classDemand[i] + 1]++;
	for (let r = 0; r < m; r++) demandStart[r + 1] += demandStart[r];
	const demandClass = new Uint32Array(classDemand.length);
	const fill = demandStart.slice(0, m);
	for (let k = 0; k < kept.length; k++)
		for (let i = classStart[k]; i < classStart[k + 1]; i++) demandClass[fill[classDemand[i]]++] = k;
	const demandOf = Uint32Array.from(demandOfList);
	const weight = Float64Array.from(demandOf, (d) => demandWeight[d]);
	return {
		classCount: kept.length,
		demandCount: m,
		weight,
		demandOf,
		classStart,
		classDemand,
		demandStart,
		demandClass,
		representative,
		members,
		fixedWeight,
		totalWeight,
		unreachableWeight,
		dominatedClasses
	};
}
