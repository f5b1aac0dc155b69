/**
 * The evaluation report in Debian's Chromium: it loads offline, prints to an A4 PDF, and the
 * PDF's text (read back with ./pdf-text.ts) carries the evaluation's numbers, verdict and
 * conditions. The extractor itself is checked first on a page whose text is known. A screenshot
 * and the PDF are kept for a person to look at (REPORT_SCREENSHOT_DIR chooses the folder).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAmount } from '../../../src/lib/engine/format.ts';
import { PROJECT_VERDICT, zhOf } from '../../../src/lib/engine/labels.ts';
import { evaluationReportHtml } from '../../../src/lib/engine/evaluation/report-html.ts';
import { launchChromium } from '../../e2e/app.ts';
import { bundledRegion, demoEvaluation } from './fixtures.ts';
import { pdfPageTexts, pdfText } from './pdf-text.ts';

const VERDICT_ZH = zhOf(PROJECT_VERDICT);

const squash = (text: string) => text.replace(/\s+/g, '');

describe('the evaluation report in Chromium', () => {
	let browser: Browser;
	let dir: string;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-evaluation-report-'));
		browser = await launchChromium();
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('the PDF text reader gets back what a page says', async () => {
		const page = await browser.newPage();
		await page.setContent(
			`<!doctype html><html lang="zh-CN"><body style="font-family:'Noto Sans CJK SC'"><h1>配建面积核算 Floor area</h1><p>应配建 1,234.5 m²，缺口 20.59 m²</p><table><tr><td>户数</td><td>600 户</td></tr></table><p style="page-break-before:always">第二页 second page</p></body></html>`
		);
		const pdf = await page.pdf({ format: 'A4' });
		await page.close();
		const pages = pdfPageTexts(pdf);
		expect(pages).toHaveLength(2);
		expect(pages[0].split('\n')).toEqual([
			'配建面积核算 Floor area',
			'应配建 1,234.5 m²，缺口 20.59 m²',
			'户数 600 户'
		]);
		expect(pages[1]).toBe('第二页 second page');
	});

	it('prints the demo project’s report offline to A4, with the numbers of the evaluation', async () => {
		const evaluation = await demoEvaluation();
		const region = bundledRegion('shanghai-bund-lujiazui');
		const file = join(dir, 'report.html');
		writeFileSync(
			file,
			evaluationReportHtml(evaluation, { generatedAt: '2026-11-22', regionMeta: region.meta })
		);
		const page = await browser.newPage({ viewport: { width: 900, height: 1300 } });
		const requests: string[] = [];
		page.on('request', (request) => requests.push(request.url()));
		await page.goto(pathToFileURL(file).href);
		expect(requests).toEqual([pathToFileURL(file).href]);
		const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		const pages = pdfPageTexts(pdf);
		expect(pages.length).toBeGreaterThanOrEqual(3);
		const text = squash(pdfText(pdf));

		expect(text).toContain(squash(`${evaluation.project.name} 养老服务设施配建评估报告`));
		expect(text).toContain(squash(VERDICT_ZH[evaluation.verdict]));
		for (const condition of evaluation.conditions) expect(text).toContain(squash(condition.zh));
		const f = evaluation.floorArea;
		expect(text).toContain(`应配建面积Requiredfloorarea${formatAmount(f.requiredM2!)}m²`);
		expect(text).toContain(`合计已配建Providedintotal${formatAmount(f.providedM2!)}m²`);
		expect(text).toContain(`缺口Deficit${formatAmount(f.deficitM2!)}m²`);
		expect(text).toContain(`户数Households${formatAmount(evaluation.project.households)}户`);
		expect(text).toContain(`${formatAmount(evaluation.project.elders!)}人估`);
		const nearest = evaluation.circle.nearest!;
		expect(text).toContain(`步行${(Math.round(nearest.minutes * 10) / 10).toFixed(1)}分钟`);
		const { before, after } = evaluation.street;
		expect(text).toContain(
			`老年人口（60岁及以上）Elders(60+)${formatAmount(before.elders)}人${formatAmount(after.elders)}人估+${formatAmount(after.elders - before.elders)}人`
		);
		for (const reason of evaluation.reasons.filter((r) => r.citation))
			expect(text).toContain(squash(reason.citation!.clause));
		expect(text).toContain('©OpenStreetMapcontributors');

		const shots =
			process.env.REPORT_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'evaluation-shot-'));
		mkdirSync(shots, { recursive: true });
		await page.screenshot({ path: join(shots, 'evaluation-report.png'), fullPage: true });
		writeFileSync(join(shots, 'evaluation-report.pdf'), pdf);
		console.log(`evaluation report: ${shots} (PDF ${pdf.length} bytes, ${pages.length} pages)`);
		await page.close();
	});
});
