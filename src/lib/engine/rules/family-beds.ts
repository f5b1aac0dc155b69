/**
 * 家庭养老床位 (family care beds): Yantai 5. "到2025年底，全区新建家庭养老床位数达到300张以上".
 * A count judged on the place the text names (全区: the district), from the indicator table.
 */
import { formatAmount } from '../format.ts';
import { citeRule, shortfallSeverity } from './findings.ts';
import type { RuleOfKind } from './profile-schema.ts';
import { dueText, type TargetCheck } from './target-check.ts';

/**
 * @param beds family care beds of the place (indicator 家庭养老床位); null = not reported
 * @example checkFamilyCareBeds(240, rule).gap // 60 under a 300-bed target
 */
export function checkFamilyCareBeds(
	beds: number | null,
	rule: RuleOfKind<'family_care_beds'>
): TargetCheck {
	const min = rule.params.minBeds;
	const due = dueText(rule.params.byYear);
	const headZh = `家庭养老床位不少于 ${formatAmount(min)} 张${due.zh}`;
	const headEn = `At least ${formatAmount(min)} family care beds${due.en}`;
	const numbers = { familyBeds: beds, minBeds: min, byYear: rule.params.byYear };
	if (beds === null)
		return {
			judged: false,
			met: null,
			value: null,
			target: min,
			gap: null,
			unit: '张',
			reason: {
				...citeRule(rule),
				severity: 'warning',
				messageZh: `${headZh}：指标表中没有家庭养老床位数，无法判定`,
				messageEn: `${headEn}: the indicator table has no family care beds, no verdict`,
				numbers,
				usesEstimate: false
			}
		};
	const met = beds >= min;
	return {
		judged: true,
		met,
		value: beds,
		target: min,
		gap: met ? 0 : min - beds,
		unit: '张',
		reason: {
			...citeRule(rule),
			severity: met ? 'info' : shortfallSeverity(rule),
			messageZh: met
				? `${headZh}：现有 ${formatAmount(beds)} 张，达标`
				: `${headZh}：现有 ${formatAmount(beds)} 张，差 ${formatAmount(min - beds)} 张`,
			messageEn: met
				? `${headEn}: ${formatAmount(beds)} beds, meets the target`
				: `${headEn}: ${formatAmount(beds)} beds, ${formatAmount(min - beds)} short`,
			numbers,
			usesEstimate: false
		}
	};
}
