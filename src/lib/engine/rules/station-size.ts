/**
 * The size of one facility against its kind's rule: community station / centre (Dong'e 15.
 * 单处面积不低于300平方米), village station (Qingdao rural 4. 一般为 350 平方米: a typical size, not
 * a minimum), street centre (Qingdao city 7. ≥ 1000 m², Dong'e 15. ≥ 600 m²). The same finding
 * for a facility of the region and for one a project plans.
 */
import { formatAmount } from '../format.ts';
import type { FacilityKind } from '../region/schema.ts';
import { citeRule, roundM2, shortfallSeverity, type CheckReason } from './findings.ts';
import type { RuleProfile } from './profile-schema.ts';
import { ruleOfKind } from './profiles.ts';

/** What the check reads of a facility (a facility feature's properties). */
export interface SizedFacility {
	kind: FacilityKind;
	floorAreaM2: number | null;
	estimated?: Record<string, unknown>;
}

/**
 * The profile's size rule for one facility of its kind: a community station's minimum
 * (community_station_area), a village station's typical size (village_station_area: never a
 * failure), a street centre's minimum (street_center_area: a target where the text says 力争).
 *
 * @returns the finding, or null when the profile has no size rule for the kind
 * @example
 * checkFacilitySize({ kind: 'community_station', floorAreaM2: 250, estimated: {} }, donge)?.severity; // 'fail'
 */
export function checkFacilitySize(props: SizedFacility, profile: RuleProfile): CheckReason | null {
	const usesEstimate = 'floorAreaM2' in (props.estimated ?? {});
	if (props.kind === 'community_station') {
		const rule = ruleOfKind(profile, 'community_station_area');
		if (!rule) return null;
		const min = rule.params.minFloorAreaM2;
		const cite = { ruleId: rule.id, citation: rule.citation, usesEstimate };
		if (props.floorAreaM2 === null)
			return {
				...cite,
				severity: 'warning',
				messageZh: `建筑面积未知，无法核查是否达到 ${formatAmount(min)} m²`,
				messageEn: `Floor area unknown: the ${formatAmount(min)} m² minimum cannot be checked`,
				numbers: { floorAreaM2: null, minFloorAreaM2: min }
			};
		const meets = props.floorAreaM2 >= min;
		return {
			...cite,
			severity: meets ? 'info' : shortfallSeverity(rule),
			messageZh: meets
				? `建筑面积 ${formatAmount(props.floorAreaM2)} m²，达到 ${formatAmount(min)} m²`
				: `建筑面积 ${formatAmount(props.floorAreaM2)} m²，低于 ${formatAmount(min)} m²，缺 ${formatAmount(roundM2(min - props.floorAreaM2))} m²`,
			messageEn: meets
				? `Floor area ${formatAmount(props.floorAreaM2)} m², meets ${formatAmount(min)} m²`
				: `Floor area ${formatAmount(props.floorAreaM2)} m², below ${formatAmount(min)} m² by ${formatAmount(roundM2(min - props.floorAreaM2))} m²`,
			numbers: { floorAreaM2: props.floorAreaM2, minFloorAreaM2: min }
		};
	}
	if (props.kind === 'rural_station') {
		const rule = ruleOfKind(profile, 'village_station_area');
		if (!rule || props.floorAreaM2 === null) return null;
		const typical = rule.params.typicalFloorAreaM2;
		// A typical size, not a minimum: below it is worth a look, never a failure.
		return {
			ruleId: rule.id,
			citation: rule.citation,
			usesEstimate,
			severity: props.floorAreaM2 >= typical ? 'info' : 'warning',
			messageZh: `建筑面积 ${formatAmount(props.floorAreaM2)} m²，典型规模约 ${formatAmount(typical)} m²`,
			messageEn: `Floor area ${formatAmount(props.floorAreaM2)} m²; typical size about ${formatAmount(typical)} m²`,
			numbers: { floorAreaM2: props.floorAreaM2, typicalFloorAreaM2: typical }
		};
	}
	if (props.kind === 'street_center') {
		const rule = ruleOfKind(profile, 'street_center_area');
		if (!rule || props.floorAreaM2 === null) return null;
		const min = rule.params.minFloorAreaM2;
		const meets = props.floorAreaM2 >= min;
		const byYearZh = rule.params.byYear ? `（${rule.params.byYear}年年底前）` : '';
		const byYearEn = rule.params.byYear ? ` (by end-${rule.params.byYear})` : '';
		return {
			...citeRule(rule),
			usesEstimate,
			severity: meets ? 'info' : shortfallSeverity(rule),
			messageZh: meets
				? `街道综合养老服务中心建筑面积 ${formatAmount(props.floorAreaM2)} m²，达到 ${formatAmount(min)} m²${byYearZh}`
				: `街道综合养老服务中心建筑面积 ${formatAmount(props.floorAreaM2)} m²，低于 ${formatAmount(min)} m²${byYearZh}，缺 ${formatAmount(roundM2(min - props.floorAreaM2))} m²`,
			messageEn: meets
				? `Street centre floor area ${formatAmount(props.floorAreaM2)} m², meets ${formatAmount(min)} m²${byYearEn}`
				: `Street centre floor area ${formatAmount(props.floorAreaM2)} m², below ${formatAmount(min)} m²${byYearEn} by ${formatAmount(roundM2(min - props.floorAreaM2))} m²`,
			numbers: { floorAreaM2: props.floorAreaM2, minFloorAreaM2: min }
		};
	}
	return null;
}
