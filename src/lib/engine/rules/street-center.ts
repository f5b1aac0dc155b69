/**
 * The street (town) comprehensive centre (街道（镇）综合养老服务中心: Qingdao city 7. ≥ 1000 m² by
 * end-2024, Dong'e 15. ≥ 600 m²): the largest `street_center` facility of a street against the
 * rule's minimum, and the size of one centre on its own (`checkCenterSize`, for a planned one).
 * A street centre is a level of its own in the four-level network: it never counts as a
 * community station (station-coverage.ts).
 */
import type { FacilityKind } from '../region/schema.ts';
import { formatAmount } from '../format.ts';
import { roundM2, shortfallSeverity, type CheckReason } from './findings.ts';
import type { RuleOfKind } from './profile-schema.ts';

/** Facility field names whose estimate makes a floor-area figure an estimate. */
const FLOOR_AREA_FIELDS = ['floorAreaM2'];

/** What the check reads of a facility (a `FacilityRow` has it all). */
export interface CenterCandidate {
	id: string;
	name: string;
	kind: FacilityKind;
	status: 'existing' | 'planned';
	floorAreaM2: number | null;
	estimatedFields: readonly string[];
}

export interface StreetCenter {
	facilityId: string | null;
	name: string | null;
	floorAreaM2: number | null;
	minFloorAreaM2: number | null;
	/** null = not judged (no rule, no facilities layer, size unknown). */
	meetsMinimum: boolean | null;
}

export function emptyCenter(minFloorAreaM2: number | null): StreetCenter {
	return { facilityId: null, name: null, floorAreaM2: null, minFloorAreaM2, meetsMinimum: null };
}

/**
 * The largest `street_center` facility of the street against the rule's minimum. A centre of
 * unknown floor area is never taken as too small: when the largest known one falls short and a
 * centre of unknown size exists, the verdict stays open.
 */
export function checkStreetCenter(
	facilities: readonly CenterCandidate[],
	facilitiesKnown: boolean,
	rule: RuleOfKind<'street_center_area'> | null,
	reasons: CheckReason[]
): StreetCenter {
	const minFloorAreaM2 = rule?.params.minFloorAreaM2 ?? null;
	const center = emptyCenter(minFloorAreaM2);
	const candidates = facilities.filter((facility) => facility.kind === 'street_center');
	const known = candidates
		.filter((facility) => facility.floorAreaM2 !== null)
		.sort((a, b) => (b.floorAreaM2 ?? 0) - (a.floorAreaM2 ?? 0));
	const unknownSize = candidates.filter((facility) => facility.floorAreaM2 === null);
	const chosen = known[0] ?? unknownSize[0] ?? null;
	if (chosen) {
		center.facilityId = chosen.id;
		center.name = chosen.name;
		center.floorAreaM2 = chosen.floorAreaM2;
	}
	if (!rule || minFloorAreaM2 === null) return center;

	const cite = { ruleId: rule.id, citation: rule.citation };
	const byYearZh = rule.params.byYear ? `（${rule.params.byYear}年年底前）` : '';
	const byYearEn = rule.params.byYear ? ` (by end-${rule.params.byYear})` : '';
	const minText = formatAmount(minFloorAreaM2);
	const functionsZh = rule.params.functions?.length
		? `；服务功能（${rule.params.functions.join('、')}）无数据，未核查`
		: '';
	const functionsEn = rule.params.functions?.length
		? `; service functions (${rule.params.functions.join(', ')}) not checked (no data)`
		: '';

	if (!facilitiesKnown) {
		reasons.push({
			...cite,
			severity: 'warning',
			messageZh: `没有设施图层，无法核查街道综合养老服务中心（应不低于 ${minText} m²${byYearZh}）`,
			messageEn: `No facilities layer: the street centre (at least ${minText} m²${byYearEn}) cannot be checked`,
			numbers: { floorAreaM2: null, minFloorAreaM2 },
			usesEstimate: false
		});
		return center;
	}
	if (!chosen) {
		center.meetsMinimum = false;
		// A target (Qingdao city 7. 力争) softens the whole sentence, the centre's existence included.
		reasons.push({
			...cite,
			severity: shortfallSeverity(rule),
			messageZh: `本街道没有综合养老服务中心（应建 1 处，不低于 ${minText} m²${byYearZh}）`,
			messageEn: `The street has no comprehensive elderly-care centre (one of at least ${minText} m² required${byYearEn})`,
			numbers: { centers: 0, floorAreaM2: null, minFloorAreaM2 },
			usesEstimate: false
		});
		return center;
	}

	const plannedZh = chosen.status === 'planned' ? '（规划）' : '';
	const plannedEn = chosen.status === 'planned' ? ' (planned)' : '';
	const usesEstimate = chosen.estimatedFields.some((field) => FLOOR_AREA_FIELDS.includes(field));
	const numbers = {
		centers: candidates.length,
		floorAreaM2: chosen.floorAreaM2,
		minFloorAreaM2,
		unknownSizeCenters: unknownSize.length
	};
	if (chosen.floorAreaM2 !== null && chosen.floorAreaM2 >= minFloorAreaM2) {
		center.meetsMinimum = true;
		reasons.push({
			...cite,
			severity: 'info',
			messageZh: `街道综合养老服务中心 ${chosen.name}${plannedZh} ${formatAmount(chosen.floorAreaM2)} m²，不低于 ${minText} m²${byYearZh}，达标${functionsZh}`,
			messageEn: `Street centre ${chosen.name}${plannedEn}: ${formatAmount(chosen.floorAreaM2)} m², at least ${minText} m²${byYearEn}: meets the minimum${functionsEn}`,
			numbers,
			usesEstimate
		});
		return center;
	}
	if (unknownSize.length) {
		const largestZh =
			chosen.floorAreaM2 !== null
				? `已知面积最大的 ${chosen.name} 为 ${formatAmount(chosen.floorAreaM2)} m²；`
				: '';
		const largestEn =
			chosen.floorAreaM2 !== null
				? `the largest of known size, ${chosen.name}, has ${formatAmount(chosen.floorAreaM2)} m²; `
				: '';
		reasons.push({
			...cite,
			severity: 'warning',
			messageZh: `${largestZh}${unknownSize.length} 处综合养老服务中心建筑面积未知，无法判定是否达到 ${minText} m²${byYearZh}`,
			messageEn: `${largestEn}${unknownSize.length} street centre(s) of unknown floor area: whether one reaches ${minText} m²${byYearEn} cannot be judged`,
			numbers,
			usesEstimate
		});
		return center;
	}
	const floorAreaM2 = chosen.floorAreaM2 ?? 0;
	center.meetsMinimum = false;
	reasons.push({
		...cite,
		severity: shortfallSeverity(rule),
		messageZh: `街道综合养老服务中心 ${chosen.name}${plannedZh} ${formatAmount(floorAreaM2)} m²，低于 ${minText} m²${byYearZh}，差 ${formatAmount(roundM2(minFloorAreaM2 - floorAreaM2))} m²${functionsZh}`,
		messageEn: `Street centre ${chosen.name}${plannedEn}: ${formatAmount(floorAreaM2)} m², below ${minText} m²${byYearEn} by ${formatAmount(roundM2(minFloorAreaM2 - floorAreaM2))} m²${functionsEn}`,
		numbers,
		usesEstimate
	});
	return center;
}
