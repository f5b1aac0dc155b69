/**
 * Demand points of a siting problem: the region's residential areas with their elders (the
 * weight to cover), households and status (for capacity), and their network access points —
 * found exactly as the coverage engine finds them (coverage/access.ts: gates › boundary
 * crossings › nearest boundary point › centroid), so "covered" means the same thing here as in
 * the gap analysis.
 */
import { compoundAccess, type CompoundAccess } from '../coverage/access.ts';
import { DEFAULT_MAX_SNAP_M, type NetworkPoint, type SegmentIndex } from '../graph/snap.ts';
import { ELDER_CLASSES, type ElderClass, type ResidentialFeature } from '../region/schema.ts';
import type { ResidentialStatus } from '../rules/area-check.ts';
import { SitingError } from './errors.ts';

export interface DemandPoint {
	id: string;
	name: string;
	/** Residents aged 60+; null = not known (weight 0, listed in `unknownElders`). */
	elders: number | null;
	/** Households (户); null = not known. */
	households: number | null;
	status: ResidentialStatus;
	/** What covering this area is worth: elders, or elders weighted by service class. */
	weight: number;
	access: CompoundAccess['method'];
	/** Network access points (gates); empty when off-network. */
	points: NetworkPoint[];
	note: string | null;
}

/**
 * Weight per elder of each service class (ELDER_CLASSES). Elders not broken down by class
 * count with `other` (default 1 for every class not given).
 * @example { disabledOrDementia: 3, guaranteed: 2 } // 失能失智 elders count three times
 */
export type ClassWeights = Partial<Record<ElderClass, number>>;

/**
 * The weight of one residential area: Σ eldersByClass[c] × w[c] + (elders − Σ eldersByClass) ×
 * w.other, or plain elders without class weights; 0 when elders are unknown.
 */
export function demandWeight(
	properties: Pick<ResidentialFeature['properties'], 'elders' | 'eldersByClass'>,
	classWeights?: ClassWeights
): number {
	const elders = properties.elders;
	if (elders === null) return 0;
	if (!classWeights) return elders;
	const weightOf = (c: ElderClass) => classWeights[c] ?? 1;
	let weight = 0;
	let classified = 0;
	for (const c of ELDER_CLASSES) {
		const count = properties.eldersByClass?.[c];
		if (count === undefined) continue;
		weight += count * weightOf(c);
		classified += count;
	}
	return weight + Math.max(0, elders - classified) * weightOf('other');
}

function assertClassWeights(classWeights: ClassWeights | undefined): void {
	if (!classWeights) return;
	for (const [name, value] of Object.entries(classWeights)) {
		if (!(ELDER_CLASSES as readonly string[]).includes(name))
			throw new SitingError(
				'INVALID_OPTION',
				`classWeights.${name}: not a service class; expected one of ${ELDER_CLASSES.join(', ')}`
			);
		if (!(typeof value === 'number' && value >= 0 && value < Infinity))
			throw new SitingError(
				'INVALID_OPTION',
				`classWeights.${name}: ${String(value)} must be a finite number ≥ 0 (weight per elder)`
			);
	}
}

/**
 * Demand points of the residential areas, in layer order.
 * @param options.maxSnapM gates farther than this from the network are off-network (default 150 m)
 * @param options.classWeights weight per elder by service class (default: every elder counts 1)
 * @throws SitingError INVALID_OPTION for an unknown class or a negative weight
 * @example demandPoints(index, region.layers.residential, { classWeights: { disabledOrDementia: 2 } })
 */
export function demandPoints(
	index: SegmentIndex,
	residential: readonly ResidentialFeature[],
	options: { maxSnapM?: number; classWeights?: ClassWeights } = {}
): DemandPoint[] {
	assertClassWeights(options.classWeights);
	const maxSnapM = options.maxSnapM ?? DEFAULT_MAX_SNAP_M;
	return residential.map((feature) => {
		const access = compoundAccess(index, feature, maxSnapM);
		const { id, name, elders, households, status } = feature.properties;
		return {
			id,
			name,
			elders,
			households,
			status,
			weight: demandWeight(feature.properties, options.classWeights),
			access: access.method,
			points: access.points,
			note: access.note
		};
	});
}
