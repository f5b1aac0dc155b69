/**
 * Conditions a clause attaches to the approval of every project it applies to, whatever its
 * figures: 四同步 (Yantai 4. "并与居住小区同步规划、同步建设、同步验收、同步交付使用", Dong'e 13.
 * "并做到同步规划、同步建设、同步验收、同步交付") and Dong'e 13.'s "严格落实养老服务设施配套建设
 * 作为土地出让前置条件". They are not defects: the project verdict lists them under 审批附加条件.
 */
import { formatAmount } from '../format.ts';
import type { ResidentialStatus } from '../labels.ts';
import type { Citation, RuleProfile } from './profile-schema.ts';

export interface ApprovalConditionFinding {
	ruleId: string;
	kind: 'synchronous_delivery' | 'land_sale_precondition';
	zh: string;
	en: string;
	citation: Citation;
}

/**
 * @param status the project's status (the shipped clauses name new compounds only)
 * @param requiredM2 the floor area the project must provide (m²), named in the condition; null = unknown
 * @example
 * approvalConditions('new', 200, donge).map((c) => c.kind); // ['land_sale_precondition', 'synchronous_delivery']
 */
export function approvalConditions(
	status: ResidentialStatus,
	requiredM2: number | null,
	profile: RuleProfile
): ApprovalConditionFinding[] {
	const facility =
		requiredM2 !== null && requiredM2 > 0
			? `不少于 ${formatAmount(requiredM2)} m² 的社区养老服务设施`
			: '配建的社区养老服务设施';
	const facilityEn =
		requiredM2 !== null && requiredM2 > 0
			? `the community elderly-care facility of at least ${formatAmount(requiredM2)} m²`
			: 'the community elderly-care facility';
	const out: ApprovalConditionFinding[] = [];
	for (const rule of profile.rules) {
		if (rule.kind === 'land_sale_precondition' && rule.params.statuses.includes(status))
			out.push({
				ruleId: rule.id,
				kind: rule.kind,
				zh: `将${facility}的配建要求写入土地出让条件（作为土地出让前置条件）`,
				en: `Write ${facilityEn} into the land-sale conditions (a precondition of the land sale)`,
				citation: rule.citation
			});
		if (rule.kind === 'synchronous_delivery' && rule.params.statuses.includes(status))
			out.push({
				ruleId: rule.id,
				kind: rule.kind,
				zh: `${facility}须与住宅${rule.params.stages.join('、')}`,
				en: `${facilityEn[0].toUpperCase()}${facilityEn.slice(1)} must be planned, built, accepted and handed over together with the housing (${rule.params.stages.join('、')})`,
				citation: rule.citation
			});
	}
	return out;
}
