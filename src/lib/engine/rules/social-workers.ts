/**
 * Social workers (社会工作者: Yantai 15. one per 100 institution beds by 2025, Dong'e 20. one per
 * 1,000 older residents). The region format holds no staff data, so the check cannot run: it
 * states how many workers the rule would require (the elder definition beside a per-elder ratio).
 */
import type { SkippedCheck } from '../analysis/types.ts';
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
