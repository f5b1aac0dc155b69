/**
 * The report kit (issue 13): the gap report and the project report embed the one stylesheet of
 * `kit.ts` (no second copy to drift), and the shared pieces print the labels of `labels.ts`.
 */
import { describe, expect, it } from 'vitest';
import { evaluationReportHtml } from '../../../src/lib/engine/evaluation/report-html.ts';
import { EFFECT, SEVERITY } from '../../../src/lib/engine/labels.ts';
import { reportHtml } from '../../../src/lib/engine/report/html.ts';
import {
	REPORT_CSS,
	effectBadge,
	escapeHtml,
	findingHtml,
	reportDocument
} from '../../../src/lib/engine/report/kit.ts';
import { bundledRegion, demoEvaluation } from '../evaluation/fixtures.ts';
import { laoshanAnalysis, laoshanMeta } from './fixtures/analysis.ts';

const DATE = '2026-11-22';

/** The text of the page's one `<style>` element. */
function styleOf(html: string): string {
	const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
	expect(styles).toHaveLength(1);
	return styles[0][1];
}

describe('one stylesheet for both printed reports', () => {
	it('the gap report and the project report both embed the kit stylesheet, and nothing else', async () => {
		const gap = reportHtml(laoshanAnalysis(), { generatedAt: DATE, regionMeta: laoshanMeta });
		const project = evaluationReportHtml(await demoEvaluation(), {
			generatedAt: DATE,
			regionMeta: bundledRegion('shanghai-bund-lujiazui').meta
		});
		expect(styleOf(gap)).toBe(REPORT_CSS);
		expect(styleOf(project)).toBe(REPORT_CSS);
		// one set of headings, tables, fonts and margins (they had drifted: h1 17 pt vs 18 pt)
		expect(REPORT_CSS.match(/^h1 \{/gm)).toHaveLength(1);
		expect(REPORT_CSS).toContain('h1 { font-size: 18pt;');
		expect(REPORT_CSS.match(/^@page /gm)).toHaveLength(1);
		expect(REPORT_CSS.match(/^table \{/gm)).toHaveLength(1);
		// self-contained: no URL, no import, no web font
		expect(REPORT_CSS).not.toMatch(/url\(|@import|@font-face/);
	});

	it('a writer may append its own rules after the kit’s', () => {
		const html = reportDocument('标题 <b>', ['<p>x</p>'], '\n.extra { color: red; }');
		expect(styleOf(html)).toBe(`${REPORT_CSS}\n.extra { color: red; }`);
		expect(html).toContain('<title>标题 &lt;b&gt;</title>');
	});
});

describe('findings print the labels of labels.ts', () => {
	const citation = {
		document: '东阿县推进基本养老服务体系建设的实施方案',
		section: '（二）提高基本养老服务供给能力',
		clause: '13. 加强社区养老服务设施配建。',
		quote: '新建住宅小区按照每百户不低于20平方米的标准配建'
	};

	it('severity and effect badges, the clause, both languages, escaped', () => {
		const html = findingHtml({
			ruleId: 'community-facility-area',
			severity: 'fail',
			messageZh: '缺 50 m² <b>',
			messageEn: 'short of 50 m²',
			citation,
			usesEstimate: true,
			effect: 'condition'
		});
		expect(html).toContain(`<span class="sev">${SEVERITY.fail.zh}</span>`);
		expect(html).toContain(`<span class="effect effect-condition">${EFFECT.condition.zh}</span>`);
		expect(html).toContain(escapeHtml('缺 50 m² <b>'));
		expect(html).toContain(`依据 community-facility-area：《${citation.document}》`);
		expect(html).toContain(citation.clause);
		expect(html).toContain('含估算');
	});

	it('no badge for an effect of none (labels.ts prints it as a dash, a badge would say nothing)', () => {
		expect(EFFECT.none.zh).toBe('—');
		expect(effectBadge('none')).toBe('');
		expect(effectBadge(undefined)).toBe('');
		expect(effectBadge('requirement')).toBe(
			`<span class="effect effect-requirement">${EFFECT.requirement.zh}</span>`
		);
		expect(REPORT_CSS).toContain('.effect-requirement {');
	});
});
