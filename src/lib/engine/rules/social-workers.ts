/**
 * Social workers (社会工作者: Yantai 15. one per 100 institution beds by 2025, Dong'e 20. one per
 * 1,000 older residents). The region format holds no staff data, so the check cannot run: it
 * states how many workers the rule would require (the elder definition beside a per-elder ratio).
 */
import type { SkippedCheck } from '../analysis/types.ts';
import { citeRule, shortfallSeverity } from './findings.ts';
import type { TargetCheck } from './target-check.ts';
import { formatAmount } from '../format.ts';
import { elderDefinitionNote } from './elders.ts';
import type { RuleOfKind, RuleProfile } from './profile-schema.ts';

/** What the statement reads of a district row. */
export interface SocialWorkerFigures {
	code: string | null;
	name: string;
	elders: number | null;
	eldersEstimated: boolean;
	beds: number | null;
}

/** Name of the row that gathers places in no known district (as analysis/districts.ts). */
const NO_DISTRICT_NAME = '未划分区县';

/**
 * The social-worker check cannot run (the region format has no staff data); the reason states
 * how many workers the rule would require where elders or institution beds are known.
 */
export function socialWorkersSkipped(
	row: SocialWorkerFigures,
	rule: RuleOfKind<'social_workers'>,
	profile: RuleProfile
): SkippedCheck {
	const elder = elderDefinitionNote(profile);
	const partsZh: string[] = [];
	const partsEn: string[] = [];
	const { perElders, perBeds } = rule.params;
	if (perElders !== undefined) {
		if (row.elders !== null) {
			const required = Math.ceil(row.elders / perElders);
			const est = row.eldersEstimated ? '（老年人数为估算）' : '';
			partsZh.push(
				`按每 ${formatAmount(perElders)} 名老年人 1 名，${formatAmount(row.elders)} 人${est}需 ${formatAmount(required)} 名`
			);
			partsEn.push(
				`at 1 per ${formatAmount(perElders)} older residents, ${formatAmount(row.elders)} older residents${row.eldersEstimated ? ' (estimated)' : ''} need ${formatAmount(required)}`
			);
		} else {
			partsZh.push(`按每 ${formatAmount(perElders)} 名老年人 1 名，老年人数未知`);
			partsEn.push(`at 1 per ${formatAmount(perElders)} older residents; older residents unknown`);
		}
	}
	if (perBeds !== undefined) {
		if (row.beds !== null) {
			const required = Math.ceil(row.beds / perBeds);
			partsZh.push(
				`按每 ${formatAmount(perBeds)} 张机构床位 1 名，${formatAmount(row.beds)} 张需 ${formatAmount(required)} 名`
			);
			partsEn.push(
				`at 1 per ${formatAmount(perBeds)} institution beds, ${formatAmount(row.beds)} beds need ${formatAmount(required)}`
			);
		} else {
			partsZh.push(`按每 ${formatAmount(perBeds)} 张机构床位 1 名，床位数未知`);
			partsEn.push(`at 1 per ${formatAmount(perBeds)} institution beds; beds unknown`);
		}
	}
	const byYearZh = rule.params.byYear ? `（至${rule.params.byYear}年）` : '';
	const byYearEn = rule.params.byYear ? ` (by ${rule.params.byYear})` : '';
	return {
		check: 'social_workers',
		level: 'district',
		ruleId: rule.id,
		reasonZh: `区域数据没有社会工作者人数，无法核查${row.name}的社会工作者配备${byYearZh}：${partsZh.join('；')}${perElders !== undefined ? elder.zh : ''}`,
		reasonEn: `The region data has no social-worker counts: staffing of ${row.name}${byYearEn} cannot be checked; ${partsEn.join('; ')}${perElders !== undefined ? elder.en : ''}`,
		subjects: [row.code ?? NO_DISTRICT_NAME]
	};
}

/**
 * The check itself, once the indicator table reports the workers (社工人数): at least one per
 * `perElders` older residents and one per `perBeds` institution beds, whichever the rule names
 * (both: the larger requirement). A figure the rule needs that is unknown gives no verdict.
 * @example checkSocialWorkers({ ...row, workers: 3, beds: 450 }, perBedsRule, profile).gap // 2
 */
export function checkSocialWorkers(
	row: SocialWorkerFigures & { workers: number | null },
	rule: RuleOfKind<'social_workers'>,
	profile: RuleProfile
): TargetCheck {
	const { perElders, perBeds, byYear } = rule.params;
	const elder = elderDefinitionNote(profile);
	const dueZh = byYear ? `（至${byYear}年）` : '';
	const dueEn = byYear ? ` (by ${byYear})` : '';
	const needs: { required: number | null; zh: string; en: string }[] = [];
	if (perElders !== undefined)
		needs.push({
			required: row.elders === null ? null : Math.ceil(row.elders / perElders),
			zh: `每 ${formatAmount(perElders)} 名老年人 1 名${row.elders === null ? '（老年人数未知）' : `（${formatAmount(row.elders)} 人${row.eldersEstimated ? '，估算' : ''}）`}`,
			en: `1 per ${formatAmount(perElders)} older residents${row.elders === null ? ' (older residents unknown)' : ` (${formatAmount(row.elders)}${row.eldersEstimated ? ', estimated' : ''})`}`
		});
	if (perBeds !== undefined)
		needs.push({
			required: row.beds === null ? null : Math.ceil(row.beds / perBeds),
			zh: `每 ${formatAmount(perBeds)} 张机构床位 1 名${row.beds === null ? '（床位数未知）' : `（${formatAmount(row.beds)} 张）`}`,
			en: `1 per ${formatAmount(perBeds)} institution beds${row.beds === null ? ' (beds unknown)' : ` (${formatAmount(row.beds)} beds)`}`
		});
	const known = needs.every((need) => need.required !== null);
	const required = known ? Math.max(...needs.map((need) => need.required ?? 0)) : null;
	const ruleZh = `社会工作者${needs.map((need) => need.zh).join('、')}${dueZh}`;
	const ruleEn = `Social workers ${needs.map((need) => need.en).join(', ')}${dueEn}`;
	const numbers = {
		socialWorkers: row.workers,
		requiredSocialWorkers: required,
		elders: row.elders,
		beds: row.beds
	};
	const elderNote = perElders !== undefined ? elder : { zh: '', en: '' };
	if (required === null || row.workers === null)
		return {
			judged: false,
			met: null,
			value: row.workers,
			target: required,
			gap: null,
			unit: '人',
			reason: {
				...citeRule(rule),
				severity: 'warning',
				messageZh: `${row.name}：${ruleZh}：${row.workers === null ? '指标表中没有社工人数' : '所需人数无法计算'}，无法判定${elderNote.zh}`,
				messageEn: `${row.name}: ${ruleEn}: ${row.workers === null ? 'the indicator table has no social workers' : 'the number required cannot be computed'}, no verdict${elderNote.en}`,
				numbers,
				usesEstimate: row.eldersEstimated && perElders !== undefined
			}
		};
	const met = row.workers >= required;
	return {
		judged: true,
		met,
		value: row.workers,
		target: required,
		gap: met ? 0 : required - row.workers,
		unit: '人',
		reason: {
			...citeRule(rule),
			severity: met ? 'info' : shortfallSeverity(rule),
			messageZh: `${row.name}：${ruleZh}：需 ${formatAmount(required)} 名，现有 ${formatAmount(row.workers)} 名${met ? '，达标' : `，差 ${formatAmount(required - row.workers)} 名`}${elderNote.zh}`,
			messageEn: `${row.name}: ${ruleEn}: ${formatAmount(required)} required, ${formatAmount(row.workers)} in post${met ? ', meets the target' : `, ${formatAmount(required - row.workers)} short`}${elderNote.en}`,
			numbers,
			usesEstimate: row.eldersEstimated && perElders !== undefined
		}
	};
}
