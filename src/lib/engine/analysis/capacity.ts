/**
 * Two-step floating catchment (2SFCA, Luo & Wang 2003) on floor area: is a covered area's share of
 * the stations that reach it enough for its needs, once every other area those stations reach
 * takes its share too? Coverage alone says "a station is within 15 minutes"; this says whether
 * that station is big enough for everyone it is within 15 minutes of.
 *
 * Step 1: each supply's ratio R_j = floor area ÷ elders in its catchment (m² per elder).
 * Step 2: each area's accessibility A_i = Σ R_j over the supplies whose catchment holds it.
 * Then A_i × elders_i is the floor area the area can count on when every station is shared in
 * proportion to elders. The total is conserved: Σ_i A_i × elders_i = Σ_j floor area_j over
 * supplies with any elders in reach.
 */

export interface CatchmentSupply {
	id: string;
	/** Floor area, m²; null = unknown, so the supply's ratio and its areas' sums are unknown. */
	floorAreaM2: number | null;
	/** Areas within the circle of this supply (each counted once). */
	catchmentAreaIds: readonly string[];
}

export interface FloatingCatchment {
	/** Step 1 per supply id: m² per elder; null when its floor area is unknown or no elder is in reach. */
	supplyM2PerElder: Map<string, number | null>;
	/**
	 * Step 2 per area id: m² per elder accessible; null when a supply reaching it has an unknown
	 * floor area; absent (undefined) when no supply reaches it.
	 */
	accessibleM2PerElder: Map<string, number | null>;
}

/**
 * @param supplies stations with their floor area and catchment (from the coverage engine)
 * @param eldersByArea elders per area id; unknown (null) elders count as none in step 1 — the
 *   caller reports those areas as unknown
 * @example
 * // One 300 m² station reaching A (100 elders) and B (200 elders): 1 m² per elder each.
 * twoStepFloatingCatchment([{ id: 's', floorAreaM2: 300, catchmentAreaIds: ['A', 'B'] }],
 *   new Map([['A', 100], ['B', 200]])).accessibleM2PerElder.get('B'); // 1
 */
export function twoStepFloatingCatchment(
	supplies: readonly CatchmentSupply[],
	eldersByArea: ReadonlyMap<string, number | null>
): FloatingCatchment {
	const supplyM2PerElder = new Map<string, number | null>();
	const accessibleM2PerElder = new Map<string, number | null>();
	for (const supply of supplies) {
		const areaIds = [...new Set(supply.catchmentAreaIds)];
		const elders = areaIds.reduce((sum, id) => sum + (eldersByArea.get(id) ?? 0), 0);
		const ratio = supply.floorAreaM2 === null || elders === 0 ? null : supply.floorAreaM2 / elders;
		supplyM2PerElder.set(supply.id, ratio);
		// A supply with no elders in reach offers nothing to share; one with unknown area poisons
		// the sums of the areas it reaches (unknown, not zero).
		if (ratio === null && supply.floorAreaM2 !== null) continue;
		for (const id of areaIds) {
			const previous = accessibleM2PerElder.get(id);
			if (ratio === null || previous === null) accessibleM2PerElder.set(id, null);
			else accessibleM2PerElder.set(id, (previous ?? 0) + ratio);
		}
	}
	return { supplyM2PerElder, accessibleM2PerElder };
}
