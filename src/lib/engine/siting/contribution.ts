/**
 * What each station contributes to a plan (existing and chosen stations together): the elders
 * it reaches, the elders only it reaches (its marginal value), and the change in elders
 * covered if it were removed. With capacity, the change is measured by re-running the
 * nearest-with-room assignment without the station (its households may find room elsewhere).
 */
import { assignAmong, type CapacityModel } from './capacity.ts';
import { SitingError } from './errors.ts';
import type { CoverageMatrix } from './matrix.ts';

export interface StationContribution {
	/** Matrix site index. */
	site: number;
	fixed: boolean;
	/** Weight (elders) of the demands this station reaches. */
	reachedWeight: number;
	/** Weight reached by this station and no other open station. */
	onlyHereWeight: number;
	/** Change in covered (or, with capacity, served) weight if the station is removed (≤ 0). */
	changeIfRemoved: number;
	/** With capacity: weight this station serves under the nearest-with-room rule; else null. */
	servedWeight: number | null;
}

function openSet(matrix: CoverageMatrix, chosen: readonly number[]): number[] {
	const sites: number[] = [];
	for (let s = 0; s < matrix.fixedCount; s++) sites.push(s);
	for (const s of chosen) {
		if (!(Number.isInteger(s) && s >= matrix.fixedCount && s < matrix.siteCount))
			throw new SitingError(
				'INVALID_OPTION',
				`chosen site ${s}: expected a candidate index ${matrix.fixedCount}..${matrix.siteCount - 1}`
			);
		if (!sites.includes(s)) sites.push(s);
	}
	return sites;
}

/**
 * Contribution of every open station: the fixed ones and the chosen candidates.
 *
 * @param chosen candidate site indices (e.g. a solution's `sites.map((s) => s.site)`)
 * @param capacity optional capacity model: changeIfRemoved then re-runs the assignment
 * @example
 * contributions(matrix, exact.sites.map((s) => s.site)).find((c) => c.fixed)?.changeIfRemoved
 * // −elders that lose their only station within 15 minutes if the existing one closes
 */
export function contributions(
	matrix: CoverageMatrix,
	chosen: readonly number[],
	capacity?: CapacityModel
): StationContribution[] {
	const sites = openSet(matrix, chosen);
	const isOpen = new Uint8Array(matrix.siteCount);
	for (const s of sites) isOpen[s] = 1;
	// How many open stations reach each demand.
	const reachCount = new Uint32Array(matrix.demandCount);
	for (const s of sites)
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			reachCount[matrix.siteDemand[i]]++;
	const full = capacity ? assignAmong(matrix, sites, capacity) : null;
	const served = new Float64Array(matrix.siteCount);
	if (full)
		for (let p = 0; p < full.pairSite.length; p++)
			served[full.pairSite[p]] += matrix.demandWeight[full.pairDemand[p]] * full.pairShare[p];
	return sites.map((s) => {
		let reachedWeight = 0;
		let onlyHereWeight = 0;
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++) {
			const d = matrix.siteDemand[i];
			reachedWeight += matrix.demandWeight[d];
			if (reachCount[d] === 1) onlyHereWeight += matrix.demandWeight[d];
		}
		let changeIfRemoved = 0 - onlyHereWeight; // not -0
		if (capacity && full) {
			const after = assignAmong(
				matrix,
				sites.filter((other) => other !== s),
				capacity
			);
			changeIfRemoved = after.servedWeight - full.servedWeight;
		}
		return {
			site: s,
			fixed: s < matrix.fixedCount,
			reachedWeight,
			onlyHereWeight,
			changeIfRemoved,
			servedWeight: full ? served[s] : null
		};
	});
}
