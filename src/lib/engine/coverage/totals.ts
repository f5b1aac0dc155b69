/**
 * Population-weighted coverage totals per street, district or the whole region. Unknown counts
 * stay unknown: a compound without an elders figure adds to `eldersUnknownCompounds`, never 0.
 */
import { ELDER_CLASSES, type ElderClass } from '../region/schema.ts';
import type { CompoundCoverage } from './coverage.ts';

export interface CoverageTotals {
	key: string;
	name: string;
	compounds: number;
	compoundsCovered: number;
	households: number;
	householdsCovered: number;
	elders: number;
	eldersCovered: number;
	/** eldersCovered ÷ elders, null when no elders are known. */
	eldersCoveredShare: number | null;
	/** Covered / total elders per service class, where compounds give classes. */
	eldersByClass: Partial<Record<ElderClass, { total: number; covered: number }>>;
	householdsUnknownCompounds: number;
	eldersUnknownCompounds: number;
	/** Compounds whose households or elders are estimates (the UI must mark the totals). */
	estimatedCompounds: number;
}

/**
 * Sum coverage rows into groups.
 * @param groupOf the group of a row (key and display name), or null to leave it out
 * @example totalsBy(rows, (row) => ({ key: row.streetCode ?? 'none', name: streetNames[row.streetCode] }))
 */
export function totalsBy(
	rows: CompoundCoverage[],
	groupOf: (row: CompoundCoverage, index: number) => { key: string; name: string } | null
): CoverageTotals[] {
	const groups = new Map<string, CoverageTotals>();
	rows.forEach((row, index) => {
		const group = groupOf(row, index);
		if (!group) return;
		let totals = groups.get(group.key);
		if (!totals) {
			totals = {
				key: group.key,
				name: group.name,
				compounds: 0,
				compoundsCovered: 0,
				households: 0,
				householdsCovered: 0,
				elders: 0,
				eldersCovered: 0,
				eldersCoveredShare: null,
				eldersByClass: {},
				householdsUnknownCompounds: 0,
				eldersUnknownCompounds: 0,
				estimatedCompounds: 0
			};
			groups.set(group.key, totals);
		}
		totals.compounds += 1;
		if (row.covered) totals.compoundsCovered += 1;
		if (row.households === null) totals.householdsUnknownCompounds += 1;
		else {
			totals.households += row.households;
			if (row.covered) totals.householdsCovered += row.households;
		}
		if (row.elders === null) totals.eldersUnknownCompounds += 1;
		else {
			totals.elders += row.elders;
			if (row.covered) totals.eldersCovered += row.elders;
		}
		for (const elderClass of ELDER_CLASSES) {
			const count = row.eldersByClass?.[elderClass];
			if (count === undefined) continue;
			const entry = (totals.eldersByClass[elderClass] ??= { total: 0, covered: 0 });
			entry.total += count;
			if (row.covered) entry.covered += count;
		}
		if (row.estimated.households || row.estimated.elders) totals.estimatedCompounds += 1;
	});
	for (const totals of groups.values()) {
		totals.eldersCoveredShare = totals.elders > 0 ? totals.eldersCovered / totals.elders : null;
	}
	return [...groups.values()];
}
