/**
 * The report kit (issue 13): the one A4 stylesheet and the small HTML pieces that the gap report
 * (`report/html.ts`) and the project report (`evaluation/report-html.ts`) both print — the page
 * wrapper, the profile rows of the header, the draft banner, bilingual table cells, a finding with
 * its severity and effect badges and its clause, a cited rule, the sources and the footer. One
 * stylesheet, so the two printed reports cannot drift apart (before the kit they had: h1 18 pt vs
 * 17 pt, h2 7 mm vs 6 mm above, tables 7.8 pt vs 8.2 pt, attribution 8.5 pt vs 8 pt).
 *
 * Pure string building: no DOM, no I/O. Every text from data goes through `escapeHtml`.
 */
import { EFFECT, SEVERITY, type ReasonEffectCode, type Severity } from '../labels.ts';
import type { RegionMeta } from '../region/schema.ts';
import type { Citation, DocumentStatus, Rule } from '../rules/profile-schema.ts';
import { DOCUMENT_STATUS_EN, DOCUMENT_STATUS_ZH, RULE_KIND_ZH, ruleParamsZh } from './columns.ts';

const HTML_SPECIAL = /[&<>"]/;

/** Escape text for HTML text and double-quoted attributes (`&`, `<`, `>`, `"`). */
export function escapeHtml(text: string): string {
	if (!HTML_SPECIAL.test(text)) return text; // most texts: no copy
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;');
}
const esc = escapeHtml;

/**
 * The stylesheet of every printed report: A4 page and margins, the CJK system font (no web font,
 * no URL), headings, tables, badges, findings, cited rules, figures; plus the components only one
 * report uses (the gap report's cards and bar chart, the project report's verdict box and map),
 * so that both embed exactly this text.
 */
export const REPORT_CSS = `
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 9.5pt; line-height: 1.5; color: #1b1b1b; margin: 0 auto; max-width: 190mm; }
@media screen { body { padding: 10mm 8mm; } }
h1 { font-size: 18pt; margin: 0; color: #16324f; }
h1 + .en { margin: 0 0 3mm; font-size: 10.5pt; }
h2 { font-size: 12.5pt; color: #16324f; border-bottom: 1.5px solid #16324f; margin: 7mm 0 2.5mm; padding-bottom: 1mm; break-after: avoid; }
h2 .en { font-weight: normal; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; }
.en { color: #5a5a5a; font-size: 0.86em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.6mm 4mm; margin: 0 0 3mm; }
dl.meta dt { color: #444; font-weight: 600; }
dl.meta dd { margin: 0; }
.banner { border: 1px solid #d9a400; background: #fff7dc; padding: 2mm 3mm; margin: 2mm 0; }
ul { margin: 0.5mm 0; padding-left: 4.5mm; }
li { margin: 0.4mm 0; }
blockquote { margin: 1mm 0; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0 2mm; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #b8c3cc; padding: 0.8mm 1.1mm; vertical-align: top; text-align: left; }
th { background: #e6edf3; font-weight: 600; }
th .en { font-weight: normal; font-size: 0.9em; }
tr, tbody.group { break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.unknown { color: #999; }
td.unknown { text-align: center; }
tbody.target-overdue > tr:first-child td:first-child { color: #b00020; font-weight: 700; }
tbody.target-behind > tr:first-child td:first-child { color: #b26a00; }
tbody.target-met > tr:first-child td:first-child { color: #1b7a3a; }
table.kv th { width: 34%; }
table.figures th { width: 32%; }
table.figures td { width: 18%; }
td.verdict { white-space: nowrap; font-weight: 600; }
.v-fail, .v-deficit { color: #b3261e; }
.v-pass, .v-compliant { color: #1e7b3a; }
.v-no_data { color: #777; }
tr.findings td { background: #fbfbfb; border-top: none; }
.findings ul, ul.reasons { list-style: none; padding-left: 0; }
ul.reasons { margin: 1mm 0; }
ul.reasons li { margin: 1mm 0; break-inside: avoid; }
.sev, .effect { display: inline-block; font-size: 0.85em; font-weight: 600; border-radius: 1mm; padding: 0 1.2mm; margin-right: 1.2mm; color: #fff; background: #777; }
.sev-fail .sev { background: #b3261e; }
.sev-warning .sev { background: #b26a00; }
.sev-info .sev { background: #5b7a99; }
.effect-non_compliant { background: #7f1d1d; }
.effect-condition { background: #8a5300; }
.effect-requirement { background: #2f5f8a; }
.cite { color: #5a5a5a; font-size: 0.85em; }
.est, .est-tag { color: #b26a00; font-size: 0.8em; }
.est-tag { margin-left: 1mm; }
.up { color: #b3261e; }
.down { color: #1e7b3a; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; margin: 3mm 0; }
.card { border: 1px solid #c6d4e2; border-radius: 1.5mm; background: #f4f8fb; padding: 2.5mm 3mm; break-inside: avoid; }
.card .label { font-weight: 600; font-size: 9pt; }
.card .value { font-size: 15pt; font-weight: 700; color: #16324f; margin: 1mm 0 0.5mm; }
.card .sub { font-size: 8pt; color: #444; }
.verdict-box { border: 2px solid #777; border-radius: 2mm; padding: 3mm 4mm; margin: 3mm 0; break-inside: avoid; }
.verdict-box .label { font-weight: 600; margin-top: 1mm; }
.verdict-box .value { font-size: 20pt; font-weight: 700; margin: 1mm 0; }
.verdict-compliant { border-color: #1e7b3a; background: #eef8f0; }
.verdict-compliant .value { color: #1e7b3a; }
.verdict-conditional { border-color: #b26a00; background: #fff6e8; }
.verdict-conditional .value { color: #b26a00; }
.verdict-non_compliant { border-color: #b3261e; background: #fdeeed; }
.verdict-non_compliant .value { color: #b3261e; }
.verdict-box ol { margin: 1mm 0 0; padding-left: 5mm; }
.verdict-box li { margin: 0.8mm 0; }
.verdict-box blockquote { margin: 0.5mm 0; font-size: 0.92em; }
figure { margin: 2mm 0 3mm; break-inside: avoid; }
figure figcaption { font-weight: 600; margin-bottom: 1mm; }
figure.chart svg { font-family: inherit; font-size: 11px; fill: #1b1b1b; }
figure.chart .axis { fill: #555; font-size: 10px; }
svg.map { display: block; margin: 0 auto; border: 0.5pt solid #b8c3cc; font-family: inherit; }
svg.map text { font-size: 12px; fill: #1b1b1b; paint-order: stroke; stroke: #fff; stroke-width: 2.5px; stroke-linejoin: round; }
.legend { display: flex; flex-wrap: wrap; gap: 1mm 4mm; font-size: 8pt; margin-top: 1mm; }
.legend .key { display: inline-block; width: 5mm; height: 3mm; vertical-align: middle; margin-right: 1mm; }
.rule { border-left: 2px solid #c6d4e2; padding-left: 3mm; margin: 2mm 0 3mm; break-inside: avoid; }
.rule .unused { color: #777; font-weight: normal; font-size: 0.9em; }
.skipped li { margin-bottom: 1.2mm; }
.empty { color: #666; font-style: italic; }
.attribution { border-top: 1px solid #ccc; margin-top: 3mm; padding-top: 2mm; font-size: 8pt; }
footer { margin-top: 6mm; font-size: 8pt; color: #666; }
`;

/**
 * A self-contained printable page: the title, the kit's stylesheet inline (then `extraCss`, a
 * writer's few rules of its own, if any), the parts in order.
 * @example reportDocument('崂山区 养老服务设施缺口分析报告', [header, ...sections]);
 */
export function reportDocument(title: string, parts: readonly string[], extraCss = ''): string {
	return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}${extraCss}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

/** The profile as printed and the document it rests on. */
export interface ProfileHead {
	id: string;
	version: string | number;
	jurisdiction: { zh: string };
	document: {
		title: string;
		number?: string | null;
		issuer: string;
		date?: string | null;
		status: DocumentStatus;
		note?: string | null;
	};
	/** Who counts as an elder in the per-elder figures (absent in evaluations saved before v2). */
	elderDefinition?: { zh: string; en: string };
}

/** The header's rows 规则集 / 依据文件 / 文件状态 (`<dt>`/`<dd>` pairs of `dl.meta`). */
export function profileMetaRows(profile: ProfileHead): string {
	const doc = profile.document;
	return `<dt>规则集 Profile</dt><dd>${esc(profile.id)} v${esc(String(profile.version))} · ${esc(profile.jurisdiction.zh)}</dd>
<dt>依据文件 Document</dt><dd>《${esc(doc.title)}》${doc.number ? ` ${esc(doc.number)}` : ''} · ${esc(doc.issuer)}${doc.date ? ` · ${esc(doc.date)}` : ''}</dd>
<dt>文件状态 Status</dt><dd>${esc(DOCUMENT_STATUS_ZH[doc.status])} <span class="en">${esc(DOCUMENT_STATUS_EN[doc.status])}</span></dd>${
		profile.elderDefinition
			? `\n<dt>老年人口径 Elders</dt><dd>${esc(profile.elderDefinition.zh)} <span class="en">${esc(profile.elderDefinition.en)}</span></dd>`
			: ''
	}`;
}

/** The banner under the header when the profile's document is a draft or expired; '' in force. */
export function documentBanner(doc: ProfileHead['document']): string {
	if (doc.status === 'in_force') return '';
	return `<p class="banner">所用规则集依据的文件${doc.status === 'draft' ? '为征求意见稿 / 草案，尚未生效' : '已失效'}，判定仅供参考。 <span class="en">The profile rests on a document that is ${esc(DOCUMENT_STATUS_EN[doc.status])}: verdicts are indicative only.</span>${doc.note ? `<br>${esc(doc.note)}` : ''}</p>`;
}

// ---------------------------------------------------------------- tables

/** A column header: Chinese (with the unit), the English below. */
export function headCell(zh: string, en: string, unit: string | null = null): string {
	return `<th>${esc(zh)}${unit === null ? '' : ` (${esc(unit)})`}<br><span class="en">${esc(en)}</span></th>`;
}

/** A row header: Chinese (with the unit), the English beside. */
export function labelCell(zh: string, en: string, unit: string | null = null): string {
	return `<th>${esc(zh)}${unit === null ? '' : ` (${esc(unit)})`} <span class="en">${esc(en)}</span></th>`;
}

/** A label / value row of a `table.kv`; `valueHtml` is already HTML. */
export function kvRow(zh: string, en: string, valueHtml: string): string {
	return `<tr>${labelCell(zh, en)}<td>${valueHtml}</td></tr>`;
}

// ---------------------------------------------------------------- findings and rules

/** What a finding line needs: the gap report's `CheckReason`, the project's `EvaluationReason`. */
export interface FindingLike {
	ruleId: string | null;
	severity: Severity;
	messageZh: string;
	messageEn: string;
	citation: Citation | null;
	usesEstimate: boolean;
	/** Project findings only: what the finding does to the verdict. */
	effect?: ReasonEffectCode;
}

/** The severity badge: 不达标 / 注意 / 说明 (coloured by the enclosing `li.sev-<severity>`). */
export function severityBadge(severity: Severity): string {
	return `<span class="sev">${esc(SEVERITY[severity].zh)}</span>`;
}

/** The effect badge (不符合 / 须整改 / 附加条件); none for `none` (a dash badge says nothing). */
export function effectBadge(effect: ReasonEffectCode | undefined): string {
	if (effect === undefined || effect === 'none') return '';
	return `<span class="effect effect-${effect}">${esc(EFFECT[effect].zh)}</span>`;
}

/** 依据 rule：《document》section clause — or 规则 rule without a citation, '' without a rule. */
export function citationHtml(ruleId: string | null, citation: Citation | null): string {
	if (citation)
		return `<span class="cite">依据 ${esc(ruleId ?? '')}：《${esc(citation.document)}》${esc(citation.section)} ${esc(citation.clause)}</span>`;
	return ruleId ? `<span class="cite">规则 ${esc(ruleId)}</span>` : '';
}

/** One finding as a list item: badges, the Chinese message, 含估算, its clause, the English. */
export function findingHtml(reason: FindingLike): string {
	const estimate = reason.usesEstimate ? '<span class="est-tag">含估算</span>' : '';
	return `<li class="sev-${reason.severity}">${severityBadge(reason.severity)}${effectBadge(reason.effect)}${esc(reason.messageZh)}${estimate} ${citationHtml(reason.ruleId, reason.citation)}<br><span class="en">${esc(reason.messageEn)}</span></li>`;
}

/**
 * A rule of the profile as cited at the end of a report: id and kind, document / section /
 * clause, the quoted sentence, its parameters and note.
 * @param used false marks a rule the report does not rely on (the gap report lists them all)
 */
export function ruleArticle(rule: Rule, used = true): string {
	return `<article class="rule">
<h3>${esc(rule.id)} · ${esc(RULE_KIND_ZH[rule.kind])}${used ? '' : ' <span class="unused">（本报告未引用 / not used in this report）</span>'}</h3>
<div>《${esc(rule.citation.document)}》${esc(rule.citation.section)} ${esc(rule.citation.clause)}</div>
<blockquote>“${esc(rule.citation.quote)}”</blockquote>
<div class="en">参数 Parameters：${esc(ruleParamsZh(rule))}</div>${rule.note ? `\n<div class="en">说明 Note：${esc(rule.note)}</div>` : ''}
</article>`;
}

/** The line that opens the rules section: 规则集 id v：《document》number，issuer。 */
export function rulesIntro(profile: ProfileHead): string {
	const doc = profile.document;
	return `<p>规则集 ${esc(profile.id)} v${esc(String(profile.version))}：《${esc(doc.title)}》${doc.number ? esc(doc.number) : ''}，${esc(doc.issuer)}。</p>`;
}

// ---------------------------------------------------------------- sources and footer

/** The region's data sources as list items (title, licence, attribution, origin). */
export function sourceItems(sources: RegionMeta['sources']): string {
	return sources
		.map(
			(source) =>
				`<li>${esc(source.title)} · ${esc(source.licence)}${source.attribution ? ` · ${esc(source.attribution)}` : ''}<br><span class="en">${esc(source.origin)}</span></li>`
		)
		.join('\n');
}

/** The footer every printed report ends with: region, profile and version, date. */
export function reportFooter(
	regionId: string,
	profile: { id: string; version: string | number },
	generatedAt: string
): string {
	return `<footer>carecircle · ${esc(regionId)} · ${esc(profile.id)} v${esc(String(profile.version))} · ${esc(generatedAt)}</footer>`;
}
