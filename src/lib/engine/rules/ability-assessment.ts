/**
 * 老年人能力（与需求）综合评估 of everyone from an age: Yantai 1. "到2025年年底，全区80周岁以上老年人
 * 能力与需求综合评估实现全覆盖". Residents assessed over residents of that age, both from the
 * indicator table (能力评估人数 / 80岁以上老年人数).
 */
import { formatAmount, formatShare } from '../format.ts';
import { citeRule, shortfallSeverity } from './findings.ts';
import type { RuleOfKind } from './profile-schema.ts';
import { dueText, type TargetCheck } from './target-check.ts';

export interface AssessmentFigures {
	/** Residents of at least `minAgeYears`; null = not reported. */
	residents: number | null;
	/** Of them, assessed; null = not reported. */
	assessed: number | null;
}

/**
 * @example checkAbilityAssessment({ residents: 1200, assessed: 1020 }, rule).gap // 0.15 (85 % of 100 %)
 */
export function checkAbilityAssessment(
	figures: AssessmentFigures,
	rule: RuleOfKind<'ability_assessment'>
): TargetCheck {
	const { minAgeYears, minShare, byYear } = rule.params;
	const due = dueText(byYear);
	const headZh = `${minAgeYears}周岁以上老年人能力综合评估覆盖 ${formatShare(minShare)}${due.zh}`;
	const headEn = `Ability assessment of ${formatShare(minShare)} of residents aged ${minAgeYears}+${due.en}`;
	const { residents, assessed } = figures;
	const share =
		residents !== null && assessed !== null && residents > 0 ? assessed / residents : null;
	const numbers = { residents, assessed, share, minShare, byYear };
	if (share === null || residents === null || assessed === null) {
		const missing =
			residents === null
				? {
						zh: `${minAgeYears}岁以上老年人数未知`,
						en: `residents aged ${minAgeYears}+ not reported`
					}
				: residents === 0
					? { zh: `${minAgeYears}岁以上老年人数为 0`, en: `no residents aged ${minAgeYears}+` }
					: { zh: '能力评估人数未知', en: 'residents assessed not reported' };
		return {
			judged: false,
			met: null,
			value: null,
			target: minShare,
			gap: null,
			unit: '%',
			reason: {
				...citeRule(rule),
				severity: 'warning',
				messageZh: `${headZh}：${missing.zh}，无法判定`,
				messageEn: `${headEn}: ${missing.en}, no verdict`,
				numbers,
				usesEstimate: false
			}
		};
	}
	const required = Math.ceil(residents * minShare);
	const met = assessed >= required;
	const figuresZh = `已评估 ${formatAmount(assessed)} 人 / ${formatAmount(residents)} 人 = ${formatShare(share)}`;
	const figuresEn = `${formatAmount(assessed)} of ${formatAmount(residents)} assessed = ${formatShare(share)}`;
	return {
		judged: true,
		met,
		value: share,
		target: minShare,
		gap: met ? 0 : minShare - share,
		unit: '%',
		reason: {
			...citeRule(rule),
			severity: met ? 'info' : shortfallSeverity(rule),
			messageZh: `${headZh}：${figuresZh}，${met ? '达标' : `未达标，还需评估 ${formatAmount(required - assessed)} 人`}`,
			messageEn: `${headEn}: ${figuresEn}, ${met ? 'meets the target' : `below the target, ${formatAmount(required - assessed)} more to assess`}`,
			numbers,
			usesEstimate: false
		}
	};
}
