/**
 * Elderly social-welfare land per older resident (人均老年人社会福利用地: Qingdao city 3. 全市
 * ≥ 0.25 m² by the end of the planning period, Laoshan （五） 全区 ≥ 0.25 m² by 2035), judged at
 * the scope the text names (`params.scope`): a city-wide target on the region's total, never per
 * district; a district target per district. The elder definition is printed beside the figure.
 */
import { formatAmount } from '../format.ts';
import { elderDefinitionNote } from './elders.ts';
import { citeRule, roundM2, type CheckReason } from './findings.ts';
import type { RuleOfKind, RuleProfile } from './profile-schema.ts';

export interface WelfareLandInput {
	/** The place judged: a district's name, or the region's for a city-wide target. */
	name: string;
	elders: {
		elders: number | null;
		eldersSource: 'boundary' | 'areas' | 'none';
		eldersEstimated: boolean;
		/** Areas whose elders are unknown (when summed over areas). */
		unknownAreas: number;
	};
	land: { welfareLandM2: number | null; unknownCount: number; estimated: boolean };
	/** Facilities of the place (0 = none in a complete layer). */
	facilityCount: number;
	facilitiesKnown: boolean;
}

export interface WelfareLandResult {
	reason: CheckReason;
	requiredLandM2: number | null;
	/** Whether this finding is a verdict (false: no data, or a city-wide target seen per district). */
	judged: boolean;
}

/**
 * @param level where the figures come from: a district, or the whole region
 * @returns the finding: a verdict at the rule's scope; at a district under a city-wide rule, the
 *   same figures for information (severity info, not judged)
 * @example
 * // Qingdao city (全市): a district at 0.1 m² per elder is information, the region total decides
 * checkWelfareLand(districtInput, cityRule, profile, 'district').judged; // false
 */
export function checkWelfareLand(
	input: WelfareLandInput,
	rule: RuleOfKind<'welfare_land_per_elder'>,
	profile: RuleProfile,
	level: 'district' | 'region'
): WelfareLandResult {
	const result = welfareLandFinding(input, rule);
	const elder = elderDefinitionNote(profile);
	const reason = {
		...result.reason,
		messageZh: `${result.reason.messageZh}${elder.zh}`,
		messageEn: `${result.reason.messageEn}${elder.en}`
	};
	const cityWide = rule.params.scope === 'city';
	if (cityWide && level === 'district')
		return {
			requiredLandM2: result.requiredLandM2,
			judged: false,
			reason: {
				...reason,
				severity: 'info',
				messageZh: `全市指标，按全区域合计判定，本区县数字仅供参考：${reason.messageZh}`,
				messageEn: `A city-wide target, judged on the region's total; this district's figures are for information: ${reason.messageEn}`
			}
		};
	if (!cityWide && level === 'region')
		return { ...result, judged: false, reason: { ...reason, severity: 'info' } };
	return { ...result, reason };
}

function welfareLandFinding(
	input: WelfareLandInput,
	rule: RuleOfKind<'welfare_land_per_elder'>
): { reason: CheckReason; requiredLandM2: number | null; judged: boolean } {
	const { elders, land, facilitiesKnown } = input;
	const group = { name: input.name, facilities: { length: input.facilityCount } };
	const cite = citeRule(rule);
	const rate = rule.params.minM2PerElder;
	const byYearZh = rule.params.byYear ? `至${rule.params.byYear}年` : '至规划期末';
	const byYearEn = rule.params.byYear
		? `by ${rule.params.byYear}`
		: 'by the end of the planning period';
	const sourceZh =
		elders.eldersSource === 'boundary'
			? `区县统计${elders.eldersEstimated ? '（估算）' : ''}`
			: `居住区合计${elders.eldersEstimated ? '（含估算）' : ''}${elders.unknownAreas ? `，另有 ${elders.unknownAreas} 个居住区老年人数未知` : ''}`;
	const sourceEn =
		elders.eldersSource === 'boundary'
			? `district figure${elders.eldersEstimated ? ', estimated' : ''}`
			: `sum over areas${elders.eldersEstimated ? ', partly estimated' : ''}${elders.unknownAreas ? `; ${elders.unknownAreas} areas with unknown elders` : ''}`;
	const numbers: Record<string, number | null> = {
		elders: elders.elders,
		minM2PerElder: rate,
		requiredLandM2: null,
		welfareLandM2: land.welfareLandM2,
		welfareLandUnknownCount: land.unknownCount,
		landPerElderM2: null,
		byYear: rule.params.byYear ?? null
	};

	if (elders.elders === null)
		return {
			requiredLandM2: null,
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `老年人口未知，无法计算应有的老年人社会福利用地（${byYearZh}人均不低于 ${formatAmount(rate)} m²）`,
				messageEn: `Older residents unknown: the required welfare land (at least ${formatAmount(rate)} m² per older resident ${byYearEn}) cannot be computed`,
				numbers,
				usesEstimate: false
			}
		};

	const requiredLandM2 = roundM2(elders.elders * rate);
	numbers.requiredLandM2 = requiredLandM2;
	const howZh = `${formatAmount(elders.elders)} 人（${sourceZh}）× ${formatAmount(rate)} m² = ${formatAmount(requiredLandM2)} m²`;
	const howEn = `${formatAmount(elders.elders)} older residents (${sourceEn}) × ${formatAmount(rate)} m² = ${formatAmount(requiredLandM2)} m²`;
	const usesEstimate = elders.eldersEstimated || land.estimated;

	if (land.welfareLandM2 === null) {
		const missingZh = facilitiesKnown
			? `${group.name}的 ${land.unknownCount} 处养老设施均无占地面积数据`
			: '本区域没有设施图层，养老设施用地面积未知';
		const missingEn = facilitiesKnown
			? `none of the ${land.unknownCount} facilities in ${group.name} has a land area`
			: 'the region has no facilities layer, so elderly-care land is unknown';
		return {
			requiredLandM2,
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}；${missingZh}，无法判定。需要各养老设施（含规划）的占地面积（landAreaM2）`,
				messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required; ${missingEn}, no verdict. The land area (landAreaM2) of every elderly-care facility (existing and planned) would settle it`,
				numbers,
				usesEstimate
			}
		};
	}

	const landM2 = land.welfareLandM2;
	const perElder = elders.elders > 0 ? landM2 / elders.elders : null;
	numbers.landPerElderM2 = perElder;
	const perElderText = perElder === null ? '—' : formatAmount(Math.round(perElder * 1000) / 1000);
	const unknownZh = land.unknownCount
		? `（另有 ${land.unknownCount} 处设施占地面积未知）`
		: group.facilities.length === 0
			? '（设施图层中本区县没有养老设施）'
			: '';
	const unknownEn = land.unknownCount
		? ` (${land.unknownCount} facilities of unknown land area)`
		: group.facilities.length === 0
			? ' (the facilities layer has no facility in this district)'
			: '';
	if (landM2 >= requiredLandM2)
		return {
			requiredLandM2,
			judged: true,
			reason: {
				...cite,
				severity: 'info',
				messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}，已有 ${formatAmount(landM2)} m²${unknownZh}，人均 ${perElderText} m²，达标`,
				messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required, ${formatAmount(landM2)} m² known${unknownEn}, ${perElderText} m² per older resident: meets the target`,
				numbers,
				usesEstimate
			}
		};
	const shortM2 = roundM2(requiredLandM2 - landM2);
	if (land.unknownCount)
		return {
			requiredLandM2,
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}，已知 ${formatAmount(landM2)} m²，差 ${formatAmount(shortM2)} m²；${land.unknownCount} 处设施占地面积未知，无法判定`,
				messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required, ${formatAmount(landM2)} m² known, ${formatAmount(shortM2)} m² short; ${land.unknownCount} facilities of unknown land area, no verdict`,
				numbers,
				usesEstimate
			}
		};
	return {
		requiredLandM2,
		judged: true,
		reason: {
			...cite,
			severity: 'fail',
			messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}，现有 ${formatAmount(landM2)} m²${unknownZh}，人均 ${perElderText} m²，缺口 ${formatAmount(shortM2)} m²`,
			messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required, ${formatAmount(landM2)} m² present${unknownEn}, ${perElderText} m² per older resident, ${formatAmount(shortM2)} m² short`,
			numbers,
			usesEstimate
		}
	};
}
