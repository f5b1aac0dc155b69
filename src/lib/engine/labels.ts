/**
 * The engine's coded words in Chinese and English, in one place (issue 13): reports, the map and
 * the CLI print these, never their own copies.
 */
import type { DocumentStatus } from './rules/profile-schema.ts';

export type Severity = 'info' | 'warning' | 'fail';
export type ResidentialStatus = 'new' | 'existing';
export type AreaVerdictCode = 'compliant' | 'deficit' | 'no_data';
export type LevelVerdictCode = 'pass' | 'fail' | 'no_data';
export type ProjectVerdictCode = 'compliant' | 'conditional' | 'non_compliant';
export type ReasonEffectCode = 'non_compliant' | 'condition' | 'requirement' | 'none';
export type AnalysisLevelCode = 'area' | 'facility' | 'street' | 'district' | 'region';

export interface Label {
	zh: string;
	en: string;
}

export const SEVERITY: Record<Severity, Label> = {
	fail: { zh: '不达标', en: 'fail' },
	warning: { zh: '注意', en: 'warning' },
	info: { zh: '说明', en: 'info' }
};

/** What a project finding does to the verdict; `none` prints as a dash. */
export const EFFECT: Record<ReasonEffectCode, Label> = {
	non_compliant: { zh: '不符合', en: 'non-compliant' },
	condition: { zh: '须整改', en: 'change required' },
	requirement: { zh: '附加条件', en: 'condition of approval' },
	none: { zh: '—', en: '—' }
};

export const PROJECT_VERDICT: Record<ProjectVerdictCode, Label> = {
	compliant: { zh: '符合', en: 'Compliant' },
	conditional: { zh: '有条件符合（须整改）', en: 'Conditionally compliant (changes required)' },
	non_compliant: { zh: '不符合', en: 'Non-compliant' }
};

export const AREA_VERDICT: Record<AreaVerdictCode, Label> = {
	compliant: { zh: '达标', en: 'compliant' },
	deficit: { zh: '不足', en: 'deficit' },
	no_data: { zh: '数据不全', en: 'no data' }
};

export const LEVEL_VERDICT: Record<LevelVerdictCode, Label> = {
	pass: { zh: '达标', en: 'pass' },
	fail: { zh: '不达标', en: 'fail' },
	no_data: { zh: '数据不全', en: 'no data' }
};

export const RESIDENTIAL_STATUS: Record<ResidentialStatus, Label> = {
	new: { zh: '新建', en: 'new' },
	existing: { zh: '已建成', en: 'existing' }
};

export const FACILITY_STATUS: Record<'existing' | 'planned', Label> = {
	existing: { zh: '现有', en: 'existing' },
	planned: { zh: '规划', en: 'planned' }
};

export const LEVEL: Record<AnalysisLevelCode, Label> = {
	area: { zh: '居住区', en: 'residential area' },
	facility: { zh: '设施', en: 'facility' },
	street: { zh: '街道', en: 'street' },
	district: { zh: '区县', en: 'district' },
	region: { zh: '全区域', en: 'whole region' }
};

export const DOCUMENT_STATUS: Record<DocumentStatus, Label> = {
	in_force: { zh: '现行有效', en: 'in force' },
	draft: { zh: '征求意见稿 / 草案（未生效）', en: 'draft (not in force)' },
	expired: { zh: '已失效', en: 'expired' }
};

/** How binding a rule's sentence is (profile `binding`): printed beside its findings. */
export const BINDING: Record<'requirement' | 'target' | 'inferred', Label> = {
	requirement: { zh: '条文要求', en: 'required by the text' },
	target: { zh: '目标（力争 / 基本）', en: 'target (the text softens it)' },
	inferred: { zh: '推断（条文未明确要求）', en: 'inferred (the text does not require it)' }
};

/** Chinese label of a code, for tables whose cells are Chinese only. */
/** A dated target on a date (targets/targets.ts): overdue first, as the targets view sorts them. */
export const TARGET_STATUS: Record<'overdue' | 'behind' | 'unknown' | 'met' | 'reported', Label> = {
	overdue: { zh: '逾期未达标', en: 'overdue' },
	behind: { zh: '未达标（未到期）', en: 'behind, not yet due' },
	unknown: { zh: '数据不全', en: 'no data' },
	met: { zh: '达标', en: 'met' },
	reported: { zh: '仅报告', en: 'reported only' }
};

export const zhOf = <K extends string>(labels: Record<K, Label>): Record<K, string> =>
	Object.fromEntries(Object.entries<Label>(labels).map(([k, v]) => [k, v.zh])) as Record<K, string>;

/** English label of a code, for the English half of a bilingual line. */
export const enOf = <K extends string>(labels: Record<K, Label>): Record<K, string> =>
	Object.fromEntries(Object.entries<Label>(labels).map(([k, v]) => [k, v.en])) as Record<K, string>;

/** How many stations a plan adds, moves and takes out (the reports of a plan print it). */
export interface PlanCounts {
	planned: number;
	moved: number;
	removed: number;
}

/** The line a report of a plan prints, so no one takes it for the region as it is. */
export function planLabel(counts: PlanCounts): Label {
	return {
		zh: `规划方案（非现状）：新增规划站点 ${counts.planned} 处，移动现状设施 ${counts.moved} 处，移出现状设施 ${counts.removed} 处`,
		en: `Plan (not the region as it is): ${counts.planned} planned, ${counts.moved} moved, ${counts.removed} removed`
	};
}
