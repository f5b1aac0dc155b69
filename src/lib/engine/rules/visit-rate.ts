/**
 * 特殊困难老年人月探访率 (monthly visits to older people in special difficulty): Dong'e 6.
 * "2025年年底实现月探访率100%". A share, from the indicator table: the reported rate, or visits
 * over the people to visit when a place is summed from its streets.
 */
import { formatShare } from '../format.ts';
import { citeRule, shortfallSeverity } from './findings.ts';
import type { RuleOfKind } from './profile-schema.ts';
import { dueText, type TargetCheck } from './target-check.ts';

/**
 * @param rate the monthly visit rate, 0–1 (indicator 月探访率); null = not reported
 * @example checkSpecialVisitRate(0.92, rule).met // false under a 100 % target
 */
export function checkSpecialVisitRate(
	rate: number | null,
	rule: RuleOfKind<'special_visit_rate'>
): TargetCheck {
	const min = rule.params.minShare;
	const due = dueText(rule.params.byYear);
	const headZh = `特殊困难老年人月探访率达到 ${formatShare(min)}${due.zh}`;
	const headEn = `Monthly visits to older people in special difficulty at ${formatShare(min)}${due.en}`;
	const numbers = { visitRate: rate, minShare: min, byYear: rule.params.byYear };
	if (rate === null)
		return {
			judged: false,
			met: null,
			value: null,
			target: min,
			gap: null,
			unit: '%',
			reason: {
				...citeRule(rule),
				severity: 'warning',
				messageZh: `${headZh}：指标表中没有月探访率，无法判定`,
				messageEn: `${headEn}: the indicator table has no visit rate, no verdict`,
				numbers,
				usesEstimate: false
			}
		};
	// Shares compare at 0.1 % (what the report prints): 99.96 % reads as 100 %.
	const met = Math.round(rate * 1000) >= Math.round(min * 1000);
	return {
		judged: true,
		met,
		value: rate,
		target: min,
		gap: met ? 0 : min - rate,
		unit: '%',
		reason: {
			...citeRule(rule),
			severity: met ? 'info' : shortfallSeverity(rule),
			messageZh: `${headZh}：现为 ${formatShare(rate)}，${met ? '达标' : '未达标'}`,
			messageEn: `${headEn}: now ${formatShare(rate)}, ${met ? 'meets the target' : 'below the target'}`,
			numbers,
			usesEstimate: false
		}
	};
}
