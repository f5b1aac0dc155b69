/**
 * `report.html` of the gap report (issue 4): one self-contained page that prints on A4 — no
 * script, no external URL, no web font (the system's CJK font is named in the CSS). Sections:
 * title with the region, profile and settings; headline cards; a bar chart and table per street;
 * district, area and facility tables; the checks that could not run and why; the estimates note;
 * the citation of every rule of the profile; data sources with the OpenStreetMap attribution.
 *
 * The stylesheet and the pieces it shares with the project report (header rows, findings, cited
 * rules, sources, footer) come from `kit.ts`. Every text from the data is escaped (`&`, `<`, `>`,
 * `"`); attributes are double-quoted.
 * Deterministic: the only date is `meta.generatedAt`.
 */
import type { Analysis, AreaRow, StreetRow } from '../analysis/types.ts';
import { formatAmount, formatShare, intlNumberFormat } from '../format.ts';
import { planLabel } from '../labels.ts';
import type { CheckReason } from '../rules/area-check.ts';
import {
	AREA_COLUMNS,
	CHECK_ZH,
	DISTRICT_COLUMNS,
	FACILITY_COLUMNS,
	LEVEL_ZH,
	STREET_COLUMNS,
	SUMMARY_COLUMNS,
	displayValue,
	estimateNotes,
	OSM_ATTRIBUTION,
	osmSources,
	usedRuleIds,
	type CellValue,
	type Column
} from './columns.ts';
import type { ReportMeta } from './index.ts';
import { targetsSectionHtml } from './targets.ts';
import {
	documentBanner,
	escapeHtml,
	findingHtml,
	headCell,
	labelCell,
	profileMetaRows,
	reportDocument,
	reportFooter,
	ruleArticle,
	rulesIntro,
	sourceItems
} from './kit.ts';

export { escapeHtml } from './kit.ts';
const esc = escapeHtml;

/**
 * Residential areas the page lists in full, at most. Above it the page lists the
 * `HTML_LARGEST_GAPS` areas with the largest floor-area deficit and names the files with the
 * full list (report.xlsx sheet 居住区, areas.csv): nobody reads 50,000 rows in a browser or on
 * paper, and a city's page was 50 MB and 10–20 s to write.
 */
export const HTML_AREA_ROW_LIMIT = 1000;
/** Areas listed, largest deficit first, when a region has more than `HTML_AREA_ROW_LIMIT`. */
export const HTML_LARGEST_GAPS = 200;

// ---------------------------------------------------------------- cells

/** m² per elder: grouped, up to 0.001. */
const PER_ELDER = intlNumberFormat('en-US', { maximumFractionDigits: 3 });

function formatNumber(value: number, unit: string | null): string {
	switch (unit) {
		case '%':
			return formatShare(value);
		case 'min':
			return value.toFixed(1);
		case 'm²/人':
			return PER_ELDER.format(value);
		default:
			return formatAmount(value);
	}
}

function cellHtml(value: CellValue, unit: string | null, estimated = false): string {
	if (value === null) return '<td class="unknown">—</td>';
	if (typeof value === 'number')
		return `<td class="num">${esc(formatNumber(value, unit))}${estimated ? '<sup class="est">估</sup>' : ''}</td>`;
	if (typeof value === 'boolean') return `<td>${value ? '是' : '否'}</td>`;
	return `<td>${esc(value)}</td>`;
}

function headerHtml<Row>(column: Column<Row>): string {
	return headCell(column.zh, column.en, column.unit);
}

interface TableOptions<Row> {
	/** CSV keys of the columns shown (the print page cannot hold them all). */
	keys: string[];
	/** Findings shown under a row; none = no findings row. */
	reasons?(row: Row): CheckReason[];
	/** Whether the figure of `key` in this row is an estimate (marked 估). */
	estimated?(row: Row, key: string): boolean;
	/** Text when there are no rows. */
	empty: string;
}

function tableHtml<Row>(
	rows: readonly Row[],
	allColumns: readonly Column<Row>[],
	options: TableOptions<Row>
): string {
	if (rows.length === 0) return `<p class="empty">${esc(options.empty)}</p>`;
	const columns = options.keys.map((key) => {
		const column = allColumns.find((candidate) => candidate.key === key);
		if (!column) throw new Error(`report column ${key} does not exist`);
		return column;
	});
	const body = rows
		.map((row) => {
			const cells = columns
				.map((column) => {
					const value = displayValue(column, row);
					const cell = cellHtml(value, column.unit, options.estimated?.(row, column.key));
					return column.key === 'verdict'
						? cell.replace('<td>', `<td class="verdict v-${esc(String(column.value(row)))}">`)
						: cell;
				})
				.join('');
			const reasons = options.reasons?.(row) ?? [];
			const findings = reasons.length
				? `<tr class="findings"><td colspan="${columns.length}"><ul>${reasons.map(findingHtml).join('')}</ul></td></tr>`
				: '';
			return `<tbody class="group"><tr>${cells}</tr>${findings}</tbody>`;
		})
		.join('\n');
	return `<table>\n<thead><tr>${columns.map(headerHtml).join('')}</tr></thead>\n${body}\n</table>`;
}

// ---------------------------------------------------------------- chart

const CHART = { width: 680, label: 170, bar: 400, row: 22, top: 8 };

/**
 * One horizontal bar per street: the share of elders within the circle when a network gave
 * walking times, else the floor-area deficit in m². null when neither figure exists.
 */
export function streetChartSvg(
	streets: readonly StreetRow[],
	networkAvailable: boolean
): string | null {
	const shares = streets.map((street) => street.eldersCoveredShare);
	const useShares = networkAvailable && shares.some((share) => share !== null);
	const withAreas = streets.filter((street) => street.areas > 0);
	if (!useShares && withAreas.length === 0) return null;
	const rows = useShares ? streets : withAreas;
	const values = rows.map((street) => (useShares ? street.eldersCoveredShare : street.deficitM2));
	const max = useShares ? 1 : Math.max(...values.map((value) => value ?? 0), 1);
	const height = CHART.top * 2 + rows.length * CHART.row + 18;
	const titleZh = useShares ? '服务圈内老年人占比' : '配建面积缺口 (m²)';
	const titleEn = useShares ? 'Share of elders within the circle' : 'Floor-area deficit (m²)';
	const bars = rows
		.map((street, index) => {
			const value = values[index];
			const y = CHART.top + index * CHART.row;
			const width = value === null ? 0 : Math.round((value / max) * CHART.bar * 10) / 10;
			const label =
				value === null ? '未知' : useShares ? formatShare(value) : `${formatAmount(value)} m²`;
			const fill = useShares ? '#2f6f9f' : value !== null && value > 0 ? '#c0392b' : '#7aa37a';
			return [
				`<text x="${CHART.label - 6}" y="${y + 15}" text-anchor="end">${esc(street.name)}</text>`,
				`<rect x="${CHART.label}" y="${y + 3}" width="${width}" height="${CHART.row - 7}" fill="${fill}"/>`,
				`<text x="${CHART.label + width + 5}" y="${y + 15}">${esc(label)}</text>`
			].join('');
		})
		.join('\n');
	const axisY = CHART.top + rows.length * CHART.row + 2;
	const axis = `<line x1="${CHART.label}" y1="${CHART.top}" x2="${CHART.label}" y2="${axisY}" stroke="#555"/><text x="${CHART.label}" y="${axisY + 14}" class="axis">0</text><text x="${CHART.label + CHART.bar}" y="${axisY + 14}" text-anchor="end" class="axis">${esc(useShares ? '100%' : `${formatAmount(max)} m²`)}</text>`;
	return `<figure class="chart"><figcaption>${esc(titleZh)} <span class="en">${esc(titleEn)}</span></figcaption><svg viewBox="0 0 ${CHART.width} ${height}" width="100%" role="img" aria-label="${esc(titleZh)}">\n${bars}\n${axis}</svg></figure>`;
}

// ---------------------------------------------------------------- page

function cardHtml(labelZh: string, labelEn: string, value: string, sub: string): string {
	return `<div class="card"><div class="label">${esc(labelZh)} <span class="en">${esc(labelEn)}</span></div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
}

function cardsHtml(analysis: Analysis): string {
	const { summary: s, settings } = analysis;
	const covered =
		s.eldersCovered === null
			? cardHtml(
					`${settings.maxMinutes}分钟圈内老年人`,
					'Elders within the circle',
					'未计算',
					'无步行路网，无法计算 / no walking network'
				)
			: cardHtml(
					`${settings.maxMinutes}分钟圈内老年人`,
					'Elders within the circle',
					`${formatAmount(s.eldersCovered)} 人`,
					`占 ${s.eldersCoveredShare === null ? '—' : formatShare(s.eldersCoveredShare)}（共 ${formatAmount(s.elders)} 人）`
				);
	const deficit =
		s.areas === 0
			? cardHtml('配建面积缺口', 'Floor-area deficit', '—', '没有居住区数据 / no residential areas')
			: cardHtml(
					'配建面积缺口',
					'Floor-area deficit',
					`${formatAmount(s.deficitM2)} m²`,
					`${s.areasDeficit} 个居住区不足，${s.areasNoData} 个数据不全（共 ${s.areas} 个）`
				);
	const streets = cardHtml(
		'不达标街道',
		'Streets failing',
		`${s.streetsFailing} / ${s.streets}`,
		`${analysis.streets.filter((street) => street.verdict === 'no_data').length} 个数据不全`
	);
	const districts = cardHtml(
		'不达标区县',
		'Districts failing',
		`${s.districtsFailing} / ${s.districts}`,
		analysis.districts
			.map((district) =>
				district.landPerElderM2 === null
					? `${district.name}：人均用地未知`
					: `${district.name}：人均用地 ${PER_ELDER.format(district.landPerElderM2)} m²`
			)
			.join('；')
	);
	return `<section class="cards">${covered}${deficit}${streets}${districts}</section>`;
}

function figuresHtml(analysis: Analysis): string {
	const cells = SUMMARY_COLUMNS.map((column) => {
		const value = displayValue(column, analysis.summary);
		return `${labelCell(column.zh, column.en, column.unit)}${cellHtml(value, column.unit)}`;
	});
	const rows: string[] = [];
	for (let i = 0; i < cells.length; i += 2)
		rows.push(`<tr>${cells[i]}${cells[i + 1] ?? '<td></td><td></td>'}</tr>`);
	return `<table class="figures">${rows.join('')}</table>`;
}

/** Which figures of an area are estimates: its own fields, and what is computed from households. */
function areaEstimated(row: AreaRow, key: string): boolean {
	const fields = row.estimatedFields;
	if (key === 'households' || key === 'elders') return fields.includes(key);
	if (key === 'required_m2' || key === 'deficit_m2') return fields.includes('households');
	return false;
}

/**
 * The areas the page lists: all of them up to `HTML_AREA_ROW_LIMIT`, else the
 * `HTML_LARGEST_GAPS` with the largest deficit (ties in the analysis's order).
 */
function shownAreas(areas: readonly AreaRow[]): readonly AreaRow[] {
	if (areas.length <= HTML_AREA_ROW_LIMIT) return areas;
	return areas
		.filter((area) => area.deficitM2 !== null && area.deficitM2 > 0)
		.sort((a, b) => b.deficitM2! - a.deficitM2!) // stable: ties keep the analysis's order
		.slice(0, HTML_LARGEST_GAPS);
}

/** Why the page lists only some areas, and where the full list is (zh, then en). */
function areasLimitNote(areas: readonly AreaRow[], shown: number): string {
	const total = formatAmount(areas.length);
	const limit = formatAmount(HTML_AREA_ROW_LIMIT);
	const withGap = areas.filter((area) => area.deficitM2 !== null && area.deficitM2 > 0).length;
	return `<p class="banner">本区域共 ${total} 个居住区，超过网页报告 ${limit} 行的上限，此处只列出面积缺口最大的 ${formatAmount(shown)} 个（共 ${formatAmount(withGap)} 个存在缺口）；全部 ${total} 个居住区的完整列表见 report.xlsx 的“居住区”工作表和 areas.csv。 <span class="en">This region has ${total} residential areas, more than the page's limit of ${limit} rows: listed here are the ${formatAmount(shown)} with the largest floor-area deficit (of ${formatAmount(withGap)} with a deficit); the full list of all ${total} is in report.xlsx (sheet 居住区) and areas.csv.</span></p>`;
}

/**
 * The printable report page.
 * @param analysis the gap analysis
 * @param meta `generatedAt` (printed as the report date) and the region's meta (sources for the
 *   attribution, estimates for the estimates note, notes)
 * @returns one HTML document, UTF-8, no script and no external resource
 * @example writeFileSync('report.html', reportHtml(analysis, { generatedAt: '2026-11-22', regionMeta }));
 */
export function reportHtml(analysis: Analysis, meta: ReportMeta): string {
	const { settings, profile, summary } = analysis;
	const doc = profile.document;
	const title = `${settings.regionName} 养老服务设施缺口分析报告`;
	const circleM = Math.round(settings.maxMinutes * 60 * settings.walkSpeedMps);
	const parts: string[] = [];

	parts.push(`<header>
<h1>${esc(title)}</h1>
<p class="en">Elderly-care facility gap report — ${esc(meta.regionMeta.nameEn)}</p>
<dl class="meta">
${profileMetaRows(profile)}
<dt>服务圈 Circle</dt><dd>步行 ${esc(String(settings.maxMinutes))} 分钟，步速 ${esc(String(settings.walkSpeedMps))} m/s（约 ${esc(formatAmount(circleM))} m）${settings.networkAvailable ? '' : ' · 本区域无步行路网 / no walking network'} <span class="en">${esc(String(settings.maxMinutes))} min at ${esc(String(settings.walkSpeedMps))} m/s</span></dd>
<dt>生成日期 Date</dt><dd>${esc(meta.generatedAt)}</dd>
</dl>
${meta.plan ? `<p class="banner">${esc(planLabel(meta.plan).zh)} <span class="en">${esc(planLabel(meta.plan).en)}</span></p>\n` : ''}${documentBanner(doc)}
${summary.usesEstimate ? '<p class="banner">部分数字为估算值，不是官方统计，见“估算说明”。 <span class="en">Some figures are estimates, not official counts (see Estimates).</span></p>' : ''}
</header>`);

	parts.push(cardsHtml(analysis));
	parts.push(
		`<h2>主要数字 <span class="en">Headline figures</span></h2>\n${figuresHtml(analysis)}`
	);

	// ---- streets
	const chart = streetChartSvg(analysis.streets, settings.networkAvailable);
	parts.push(`<section>
<h2>各街道 <span class="en">Streets</span></h2>
${chart ?? '<p class="empty">各街道没有可绘图的数字（没有居住区数据，也没有步行路网）。 <span class="en">No street figure to chart (no residential areas, no walking network).</span></p>'}
${tableHtml(analysis.streets, STREET_COLUMNS, {
	keys: [
		'name',
		'areas',
		'elders',
		'elders_covered_share',
		'required_m2',
		'provided_m2',
		'deficit_m2',
		'center_floor_area_m2',
		'communities',
		'communities_with_station',
		'verdict'
	],
	reasons: (street) => street.reasons,
	empty: '没有街道。'
})}
</section>`);

	// ---- findings on the whole region (a city-wide target such as Qingdao city 3.)
	if (analysis.regionFindings.length)
		parts.push(`<section>
<h2>全区域判定 <span class="en">Findings on the whole region</span></h2>
<ul class="reasons">${analysis.regionFindings.map(findingHtml).join('')}</ul>
</section>`);

	// ---- dated targets with the indicator table (issue 16)
	const targets = targetsSectionHtml(meta.targets, esc);
	if (targets) parts.push(targets);

	// ---- districts
	parts.push(`<section>
<h2>各区县 <span class="en">Districts</span></h2>
${tableHtml(analysis.districts, DISTRICT_COLUMNS, {
	keys: [
		'name',
		'elders',
		'required_land_m2',
		'welfare_land_m2',
		'land_per_elder_m2',
		'nursing_bed_share',
		'streets_failing',
		'deficit_m2',
		'verdict'
	],
	reasons: (district) => district.reasons,
	estimated: (district, key) =>
		district.eldersEstimated && (key === 'elders' || key === 'required_land_m2'),
	empty: '没有区县。'
})}
</section>`);

	// ---- areas (the largest gaps only, past the page's row limit)
	const areaRows = shownAreas(analysis.areas);
	parts.push(`<section>
<h2>居住区 <span class="en">Residential areas</span></h2>
<p class="en">标 <span class="est">估</span> 的数字为估算值 · figures marked 估 are estimates. 只列出不达标或需注意的判定理由 · findings shown for failures and warnings only.</p>
${areaRows === analysis.areas ? '' : `${areasLimitNote(analysis.areas, areaRows.length)}\n`}${tableHtml(
		areaRows,
		AREA_COLUMNS,
		{
			keys: [
				'name',
				'street_name',
				'status',
				'households',
				'elders',
				'required_m2',
				'provided_m2',
				'deficit_m2',
				'minutes_to_nearest',
				'covered',
				'verdict'
			],
			reasons: (area) => area.reasons.filter((reason) => reason.severity !== 'info'),
			estimated: areaEstimated,
			empty:
				areaRows !== analysis.areas
					? '没有存在面积缺口的居住区。 No area has a floor-area deficit.'
					: meta.regionMeta.layers.residential === null
						? '本区域没有居住区图层（未知，不等于没有居住区）。 No residential layer (unknown, not "no areas").'
						: '居住区图层为空。 The residential layer is empty.'
		}
	)}
</section>`);

	// ---- facilities
	parts.push(`<section>
<h2>设施 <span class="en">Facilities</span></h2>
${tableHtml(analysis.facilities, FACILITY_COLUMNS, {
	keys: [
		'name',
		'kind',
		'status',
		'floor_area_m2',
		'beds',
		'street_name',
		'catchment_areas',
		'elders_reached',
		'elders_only_here'
	],
	estimated: (facility, key) =>
		(key === 'floor_area_m2' && facility.estimatedFields.includes('floorAreaM2')) ||
		(key === 'beds' && facility.estimatedFields.includes('beds')),
	empty:
		meta.regionMeta.layers.facilities === null
			? '本区域没有设施图层（未知，不等于没有设施）。 No facilities layer (unknown, not "no facilities").'
			: '设施图层为空。 The facilities layer is empty.'
})}
</section>`);

	// ---- skipped checks
	const skipped = analysis.skipped.length
		? `<ul class="skipped">${analysis.skipped
				.map(
					(check) =>
						`<li><b>${esc(CHECK_ZH[check.check])}</b>（${esc(check.check)} · ${esc(LEVEL_ZH[check.level])}${check.ruleId ? ` · 规则 ${esc(check.ruleId)}` : ''}${check.subjects.length ? ` · ${check.subjects.length} 项` : ''}）：<span class="reason-zh">${esc(check.reasonZh)}</span><br><span class="en">${esc(check.reasonEn)}</span></li>`
				)
				.join('\n')}</ul>`
		: '<p>所有核查均已运行。 <span class="en">Every check ran.</span></p>';
	parts.push(`<section>
<h2>未能运行的核查 <span class="en">Checks that could not run</span></h2>
${skipped}
</section>`);

	// ---- estimates
	const notes = estimateNotes(analysis, meta.regionMeta);
	if (summary.usesEstimate || notes.length)
		parts.push(`<section>
<h2>估算说明 <span class="en">Estimates</span></h2>
<p>以下数字为估算值，不是官方统计数字，仅供规划参考；取得实际数据后应重新分析。 <span class="en">These figures are estimates, not official counts; re-run the analysis when real figures are available.</span></p>
<ul>${notes.map((note) => `<li>${esc(note.zh)}<br><span class="en">${esc(note.en)}</span></li>`).join('\n')}</ul>
</section>`);

	// ---- rules and citations
	const used = usedRuleIds(analysis);
	parts.push(`<section>
<h2>依据的规则与条款 <span class="en">Rules and citations</span></h2>
${rulesIntro(profile)}
${profile.rules.map((rule) => ruleArticle(rule, used.has(rule.id))).join('\n')}
</section>`);

	// ---- sources and attribution
	const osm = osmSources(meta.regionMeta);
	parts.push(`<section id="sources">
<h2>数据来源 <span class="en">Data sources</span></h2>
<ul>${sourceItems(meta.regionMeta.sources)}</ul>
${meta.regionMeta.notes.length ? `<h3>数据说明 <span class="en">Data notes</span></h3>\n<ul>${meta.regionMeta.notes.map((note) => (typeof note === 'string' ? `<li>${esc(note)}</li>` : `<li>${esc(note.zh)}<br><span class="en">${esc(note.en)}</span></li>`)).join('\n')}</ul>` : ''}
${osm.length ? `<p class="attribution">地图、路网与边界数据 Map, network and boundary data: ${esc(OSM_ATTRIBUTION)}</p>` : ''}
</section>`);

	parts.push(reportFooter(settings.regionId, profile, meta.generatedAt));
	return reportDocument(title, parts);
}
