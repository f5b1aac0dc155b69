/**
 * The targets of the gap report (issue 16): one row per target and place — the clause, the
 * figure now, the target, the gap, the year due, the status on the report's date, and where the
 * figure comes from. The XLSX sheet 目标指标 and the HTML section share these columns.
 */
import { formatAmount, formatShare } from '../format.ts';
import { TARGET_STATUS } from '../labels.ts';
import { TARGET_STATUSES, type TargetRow, type TargetsResult } from '../targets/targets.ts';
import { RULE_KIND_ZH, type Column } from './columns.ts';

const LEVEL_ZH = { region: '全区域', district: '区县', street: '街道' } as const;

/** Shares print as percentages (0.937 → 93.7) with the unit "%"; counts and m² as they are. */
const shown = (row: TargetRow, value: number | null): number | null =>
	value === null ? null : row.unit === '%' ? Math.round(value * 1000) / 10 : value;

/** "93.7%", "240 张", "1,000 m²": a figure with its unit, for running text. */
export function targetFigure(row: TargetRow, value: number | null): string {
	if (value === null) return '—';
	if (row.unit === '%') return formatShare(value);
	return `${formatAmount(value)} ${row.unit}`;
}

/** Where the figure comes from: the table's source and date, or the map layers. */
export function originText(row: TargetRow): string {
	const { origin } = row;
	if (origin.from === 'analysis') return '区域图层（设施、居住区）';
	const summed =
		origin.summedFrom === 'streets'
			? `（由 ${origin.parts} 个街道汇总）`
			: origin.summedFrom === 'institutions'
				? `（由 ${origin.parts} 家机构汇总）`
				: '';
	return `指标表：${origin.source ?? '—'}${summed}`;
}

export const TARGET_COLUMNS: Column<TargetRow>[] = [
	{
		key: 'status',
		zh: '状态',
		en: 'Status',
		unit: null,
		value: (r) => r.status,
		display: (r) => TARGET_STATUS[r.status].zh
	},
	{
		key: 'target',
		zh: '目标',
		en: 'Target',
		unit: null,
		value: (r) => r.kind,
		display: (r) => RULE_KIND_ZH[r.kind]
	},
	{
		key: 'level',
		zh: '层级',
		en: 'Level',
		unit: null,
		value: (r) => r.level,
		display: (r) => LEVEL_ZH[r.level]
	},
	{ key: 'code', zh: '代码', en: 'Code', unit: null, value: (r) => r.code },
	{ key: 'name', zh: '名称', en: 'Name', unit: null, value: (r) => r.name },
	{
		key: 'district_name',
		zh: '所属区县',
		en: 'District',
		unit: null,
		value: (r) => r.districtName
	},
	{ key: 'by_year', zh: '目标年份', en: 'Due (end of year)', unit: null, value: (r) => r.byYear },
	{ key: 'value', zh: '现值', en: 'Now', unit: null, value: (r) => shown(r, r.value) },
	{ key: 'goal', zh: '目标值', en: 'Target value', unit: null, value: (r) => shown(r, r.target) },
	{ key: 'gap', zh: '差距', en: 'Gap', unit: null, value: (r) => shown(r, r.gap) },
	{ key: 'unit', zh: '单位', en: 'Unit', unit: null, value: (r) => r.unit },
	{ key: 'as_of', zh: '统计日期', en: 'Figures as of', unit: null, value: (r) => r.origin.asOf },
	{ key: 'source', zh: '数据来源', en: 'Source', unit: null, value: (r) => originText(r) },
	{
		key: 'clause',
		zh: '条款',
		en: 'Clause',
		unit: null,
		value: (r) => `${r.citation.document} ${r.citation.clause}`
	},
	{ key: 'rule_id', zh: '规则', en: 'Rule', unit: null, value: (r) => r.ruleId },
	{ key: 'finding', zh: '说明', en: 'Finding', unit: null, value: (r) => r.reason.messageZh },
	{
		key: 'finding_en',
		zh: '说明（英文）',
		en: 'Finding (English)',
		unit: null,
		value: (r) => r.reason.messageEn
	}
];

/** Said beside the targets when the region has no indicator table (page and workbook). */
export const NO_INDICATORS_NOTE = {
	zh: '本区域尚未导入指标表：床位、社工、探访、评估等指标无法判定。',
	en: 'No indicator table imported: beds, social workers, visits and assessments cannot be judged.'
} as const;

/** "截至 2026-11-22：逾期 2 · 已达标 3": the counts by status on the targets' date. */
export function targetCountsText(targets: TargetsResult): string {
	const counts = TARGET_STATUSES.filter((status) => targets.counts[status] > 0)
		.map((status) => `${TARGET_STATUS[status].zh} ${targets.counts[status]}`)
		.join(' · ');
	return `截至 ${targets.date}：${counts}`;
}

/** Overdue first, then behind, unknown, met, reported; within a status, in profile order. */
export function sortedTargetRows(targets: TargetsResult): TargetRow[] {
	const rank = (row: TargetRow) => TARGET_STATUSES.indexOf(row.status);
	return targets.rows
		.map((row, index) => ({ row, index }))
		.sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index)
		.map(({ row }) => row);
}

const SECTION_KEYS = [
	'status',
	'target',
	'level',
	'name',
	'by_year',
	'value',
	'goal',
	'gap',
	'unit',
	'as_of',
	'source'
];

/** The heading of a targets section (the gap report's by default). */
export interface TargetsSectionHeading {
	id: string;
	zh: string;
	en: string;
	/** A sentence under the heading (zh, en), e.g. what the rows are context for. */
	intro?: { zh: string; en: string };
}

const GAP_REPORT_HEADING: TargetsSectionHeading = {
	id: 'targets',
	zh: '目标与指标',
	en: 'Targets and indicators'
};

/**
 * The report page's section: the counts by status on the report's date, then one row per target
 * and place (overdue rows marked), each with its clause; empty string when there is nothing.
 * @param heading the section's id and title (default: the gap report's 目标与指标)
 */
export function targetsSectionHtml(
	targets: TargetsResult | null | undefined,
	escape: (text: string) => string,
	heading: TargetsSectionHeading = GAP_REPORT_HEADING
): string {
	if (!targets?.rows.length) return '';
	const columns = SECTION_KEYS.map((key) => TARGET_COLUMNS.find((column) => column.key === key)!);
	const cell = (value: unknown) =>
		value === null || value === undefined || value === ''
			? '<td class="unknown">—</td>'
			: typeof value === 'number'
				? `<td class="num">${escape(formatAmount(value))}</td>`
				: `<td>${escape(String(value))}</td>`;
	const body = sortedTargetRows(targets)
		.map((row) => {
			const cells = columns
				.map((column) => cell(column.display ? column.display(row) : column.value(row)))
				.join('');
			return `<tbody class="group target-${row.status}"><tr>${cells}</tr><tr class="findings"><td colspan="${columns.length}">${escape(row.reason.messageZh)} <span class="en">${escape(row.reason.messageEn)}</span> <span class="cite">${escape(`${row.citation.document} ${row.citation.clause}`)}</span></td></tr></tbody>`;
		})
		.join('\n');
	const header = columns
		.map((column) => `<th>${escape(column.zh)}<span class="en">${escape(column.en)}</span></th>`)
		.join('');
	const note = targets.hasIndicators
		? ''
		: `<p class="note">${escape(NO_INDICATORS_NOTE.zh)} <span class="en">${escape(NO_INDICATORS_NOTE.en)}</span></p>`;
	const intro = heading.intro
		? `<p>${escape(heading.intro.zh)} <span class="en">${escape(heading.intro.en)}</span></p>\n`
		: '';
	return `<section id="${escape(heading.id)}">
<h2>${escape(heading.zh)} <span class="en">${escape(heading.en)}</span></h2>
${intro}<p>${escape(targetCountsText(targets))} <span class="en">On ${escape(targets.date)}; overdue = not reached after 31 December of the target year.</span></p>
${note}<table>
<thead><tr>${header}</tr></thead>
${body}
</table>
</section>`;
}
