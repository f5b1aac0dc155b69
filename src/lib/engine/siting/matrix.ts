/**
 * The coverage matrix of a siting problem: which demand points (residential areas) each site
 * (existing station or candidate) reaches within the service circle, with the walking seconds.
 *
 * Why it is shaped so: the demo region has ~7,000 candidate nodes and a generated instance
 * 5,000 candidates × 20,000 demand points with a few million reachable pairs; an object per
 * pair would cost ~50–100 bytes and a GC walk each, a CSR pair costs 8 bytes per direction
 * (Uint32 index + Float32 seconds). Both directions are kept: site → demands for the greedy
 * gains and the MILP columns, demand → sites for the MILP rows, "only this station covers it"
 * and the nearest-station assignment. Rows are sorted by index, so two matrices built in
 * different ways compare array for array.
 *
 * Sites [0, fixedCount) are the fixed (existing) stations, [fixedCount, siteCount) the
 * candidates: a solution is a list of site indices ≥ fixedCount.
 */
import { SitingError } from './errors.ts';

export interface CoverageMatrix {
	/** Demand points (residential areas). */
	demandCount: number;
	/** Weight of each demand point: elders (optionally weighted by service class); one entry per demand. */
	demandWeight: Float64Array;
	/** Fixed stations followed by candidates. */
	siteCount: number;
	/** Sites below this index are fixed (existing) stations. */
	fixedCount: number;
	/** CSR offsets, one entry per site + 1: site s reaches siteDemand[siteStart[s] .. siteStart[s + 1]). */
	siteStart: Uint32Array;
	/** Demand index of each (site, demand) pair, ascending within a site. */
	siteDemand: Uint32Array;
	/** Walking seconds of each (site, demand) pair (same order as siteDemand). */
	siteSeconds: Float32Array;
	/** CSR offsets, one entry per demand + 1: demand d is reached by demandSite[demandStart[d] .. demandStart[d + 1]). */
	demandStart: Uint32Array;
	/** Site index of each (demand, site) pair, ascending within a demand. */
	demandSite: Uint32Array;
	/** Walking seconds of each (demand, site) pair (same order as demandSite). */
	demandSeconds: Float32Array;
}

/** Reachable pairs in any order (each (site, demand) at most once). */
export interface CoveragePairs {
	/** Site index per pair. */
	site: ArrayLike<number>;
	/** Demand index per pair. */
	demand: ArrayLike<number>;
	/** Walking seconds per pair. */
	seconds: ArrayLike<number>;
	/** Number of pairs (the arrays may be longer, e.g. growable buffers). */
	count: number;
}

function assertMatrixInput(
	demandWeight: ArrayLike<number>,
	siteCount: number,
	fixedCount: number,
	pairs: CoveragePairs
): void {
	if (!(Number.isInteger(siteCount) && siteCount >= 0))
		throw new SitingError('INVALID_MATRIX', `siteCount ${siteCount}: expected a whole number ≥ 0`);
	if (!(Number.isInteger(fixedCount) && fixedCount >= 0 && fixedCount <= siteCount))
		throw new SitingError(
			'INVALID_MATRIX',
			`fixedCount ${fixedCount}: expected a whole number from 0 to siteCount (${siteCount})`
		);
	for (let d = 0; d < demandWeight.length; d++) {
		const weight = demandWeight[d];
		if (!(weight >= 0 && weight < Infinity))
			throw new SitingError(
				'INVALID_MATRIX',
				`demand ${d}: weight ${weight} must be a finite number ≥ 0 (elders)`
			);
	}
	const demandCount = demandWeight.length;
	for (let p = 0; p < pairs.count; p++) {
		const site = pairs.site[p];
		const demand = pairs.demand[p];
		if (!(Number.isInteger(site) && site >= 0 && site < siteCount))
			throw new SitingError(
				'INVALID_MATRIX',
				`pair ${p}: site ${site} outside 0..${siteCount - 1}`
			);
		if (!(Number.isInteger(demand) && demand >= 0 && demand < demandCount))
			throw new SitingError(
				'INVALID_MATRIX',
				`pair ${p}: demand ${demand} outside 0..${demandCount - 1}`
			);
		if (!(pairs.seconds[p] >= 0))
			throw new SitingError(
				'INVALID_MATRIX',
				`pair ${p}: seconds ${pairs.seconds[p]} must be a number ≥ 0`
			);
	}
}

/**
 * Build both CSR directions from pairs (two counting sorts: rows come out sorted by index).
 * Duplicate (site, demand) pairs are rejected.
 *
 * @param demandWeight weight per demand point (elders), ≥ 0
 * @param siteCount fixed stations + candidates
 * @param fixedCount how many of the first sites are fixed stations
 * @throws SitingError INVALID_MATRIX on out-of-range indices, bad weights or duplicate pairs
 * @example
 * // 2 demands (10 and 5 elders), a fixed station reaching demand 0, a candidate reaching both
 * coverageMatrix([10, 5], 2, 1, { site: [0, 1, 1], demand: [0, 0, 1], seconds: [60, 300, 120], count: 3 });
 */
export function coverageMatrix(
	demandWeight: ArrayLike<number>,
	siteCount: number,
	fixedCount: number,
	pairs: CoveragePairs
): CoverageMatrix {
	assertMatrixInput(demandWeight, siteCount, fixedCount, pairs);
	const demandCount = demandWeight.length;
	const count = pairs.count;
	// Site-major, demands ascending: place pairs sorted by demand into site buckets.
	const demandStart = new Uint32Array(demandCount + 1);
	for (let p = 0; p < count; p++) demandStart[pairs.demand[p] + 1]++;
	for (let d = 0; d < demandCount; d++) demandStart[d + 1] += demandStart[d];
	const byDemand = new Uint32Array(count); // pair indices sorted by demand (stable)
	const fill = demandStart.slice(0, demandCount);
	for (let p = 0; p < count; p++) byDemand[fill[pairs.demand[p]]++] = p;

	const siteStart = new Uint32Array(siteCount + 1);
	for (let p = 0; p < count; p++) siteStart[pairs.site[p] + 1]++;
	for (let s = 0; s < siteCount; s++) siteStart[s + 1] += siteStart[s];
	const siteDemand = new Uint32Array(count);
	const siteSeconds = new Float32Array(count);
	const siteFill = siteStart.slice(0, siteCount);
	for (let i = 0; i < count; i++) {
		const p = byDemand[i];
		const at = siteFill[pairs.site[p]]++;
		siteDemand[at] = pairs.demand[p];
		siteSeconds[at] = pairs.seconds[p];
	}
	// Demand-major, sites ascending: walk the site-major rows in site order.
	const demandSite = new Uint32Array(count);
	const demandSeconds = new Float32Array(count);
	const demandFill = demandStart.slice(0, demandCount);
	for (let s = 0; s < siteCount; s++) {
		for (let i = siteStart[s]; i < siteStart[s + 1]; i++) {
			const d = siteDemand[i];
			if (i > siteStart[s] && siteDemand[i - 1] === d)
				throw new SitingError(
					'INVALID_MATRIX',
					`site ${s} and demand ${d} are paired twice: each pair must appear once`
				);
			const at = demandFill[d]++;
			demandSite[at] = s;
			demandSeconds[at] = siteSeconds[i];
		}
	}
	return {
		demandCount,
		demandWeight: Float64Array.from(demandWeight),
		siteCount,
		fixedCount,
		siteStart,
		siteDemand,
		siteSeconds,
		demandStart,
		demandSite,
		demandSeconds
	};
}

/**
 * A matrix from plain lists (tests, small examples): `sets[s]` lists the demands site s
 * reaches; seconds default to 0 (or `seconds[s][i]`).
 * @example coverageMatrixFromSets([10, 5, 7], [[0], [0, 1], [2]], 1) // site 0 fixed
 */
export function coverageMatrixFromSets(
	demandWeight: ArrayLike<number>,
	sets: readonly (readonly number[])[],
	fixedCount = 0,
	seconds?: readonly (readonly number[])[]
): CoverageMatrix {
	const site: number[] = [];
	const demand: number[] = [];
	const time: number[] = [];
	sets.forEach((set, s) =>
		set.forEach((d, i) => {
			site.push(s);
			demand.push(d);
			time.push(seconds?.[s]?.[i] ?? 0);
		})
	);
	return coverageMatrix(demandWeight, sets.length, fixedCount, {
		site,
		demand,
		seconds: time,
		count: site.length
	});
}

/** Per demand: 1 when a fixed station reaches it (the coverage before any new station). */
export function fixedCoverage(matrix: CoverageMatrix): Uint8Array {
	const covered = new Uint8Array(matrix.demandCount);
	for (let s = 0; s < matrix.fixedCount; s++)
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			covered[matrix.siteDemand[i]] = 1;
	return covered;
}

/** Weight of the demands that some site (fixed or candidate) reaches. */
export function reachableWeight(matrix: CoverageMatrix): number {
	let total = 0;
	for (let d = 0; d < matrix.demandCount; d++)
		if (matrix.demandStart[d + 1] > matrix.demandStart[d]) total += matrix.demandWeight[d];
	return total;
}

/** Σ demandWeight. */
export function totalWeight(matrix: CoverageMatrix): number {
	let total = 0;
	for (let d = 0; d < matrix.demandCount; d++) total += matrix.demandWeight[d];
	return total;
}

/**
 * Weight covered when the given sites are open (fixed stations are always open).
 * @param sites candidate (or fixed) site indices; duplicates are harmless
 */
export function coveredWeight(matrix: CoverageMatrix, sites: readonly number[]): number {
	const covered = fixedCoverage(matrix);
	for (const s of sites) {
		if (!(Number.isInteger(s) && s >= 0 && s < matrix.siteCount))
			throw new SitingError('INVALID_MATRIX', `site ${s} outside 0..${matrix.siteCount - 1}`);
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			covered[matrix.siteDemand[i]] = 1;
	}
	let total = 0;
	for (let d = 0; d < matrix.demandCount; d++) if (covered[d]) total += matrix.demandWeight[d];
	return total;
}
