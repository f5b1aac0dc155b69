/**
 * `report.html` (issue 4) in Debian's Chromium: it loads from a file without a single network
 * request, the CJK font is available, it prints to an A4 PDF of several pages, and a screenshot is
 * kept for a person to look at (path printed; REPORT_SCREENSHOT_DIR chooses the folder).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../../src/lib/engine/report/html.ts';
import { launchChromium } from '../../e2e/app.ts';
import { MARKUP_NAME, laoshanAnalysis, laoshanMeta } from './fixtures/analysis.ts';

describe('report.html in Chromium', () => {
	let browser: Browser;
	let dir: string;
	let file: string;
	const analysis = laoshanAnalysis();
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-report-'));
		file = join(dir, 'report.html');
		writeFileSync(
			file,
			reportHtml(analysis, { generatedAt: '2026-11-22', regionMeta: laoshanMeta })
		);
		browser = await launchChromium();
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('renders offline, prints A4 and leaves a screenshot', async () => {
		const page = await browser.newPage({ viewport: { width: 900, height: 1300 } });
		const requests: string[] = [];
		page.on('request', (request) => requests.push(request.url()));
		await page.goto(pathToFileURL(file).href);

		expect(requests).toEqual([pathToFileURL(file).href]); // the page itself, nothing else
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
		expect(await page.title()).toBe('崂山区 (青岛) 养老服务设施缺口分析报告');
		// the markup in a name is text on the page, not a bold element
		expect(await page.locator('b', { hasText: '粗体' }).count()).toBe(0);
		expect(await page.getByText(MARKUP_NAME).count()).toBeGreaterThan(0);
		expect(await page.locator('figure.chart svg rect').count()).toBe(5);
		// the title's Chinese is drawn with a real CJK font (not boxes): ask Chromium which
		// platform fonts rendered the node
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('DOM.enable');
		await cdp.send('CSS.enable');
		const { root } = await cdp.send('DOM.getDocument');
		const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
		const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
		const cjk = fonts.filter((font) => /CJK|Source Han|Noto Sans SC/i.test(font.familyName));
		expect(cjk.length, JSON.stringify(fonts)).toBeGreaterThan(0);
		expect(cjk.reduce((sum, font) => sum + font.glyphCount, 0)).toBeGreaterThanOrEqual(10);

		const pdf = await page.pdf({ format: 'A4', printBackground: true });
		expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
		expect(pdf.length).toBeGreaterThan(50_000);
		const pages =
			Buffer.from(pdf)
				.toString('latin1')
				.match(/\/Type\s*\/Page\b/g) ?? [];
		expect(pages.length).toBeGreaterThanOrEqual(3);

		const shots = process.env.REPORT_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'report-shot-'));
		mkdirSync(shots, { recursive: true });
		const shot = join(shots, 'report-laoshan.png');
		await page.screenshot({ path: shot, fullPage: true });
		writeFileSync(join(shots, 'report-laoshan.pdf'), pdf);
		console.log(`report screenshot: ${shot} (PDF ${pdf.length} bytes, ${pages.length} pages)`);
		await page.close();
	});
});
