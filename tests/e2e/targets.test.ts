/**
 * Issue 16 in Debian's Chromium, as a civil-affairs analyst would do it: 导入数据 → 指标表, preview
 * the sample table (data/samples/indicators-sample.csv, invented figures labelled so), import it,
 * then the map's 目标 tab under Dong'e's rules shows 陆家嘴街道's monthly visits (96 %, target
 * 100 % by 2025, Dong'e 6.) as overdue, and "show overdue on the map" colours the districts.
 * The browser's clock is fixed at 2026-06-30, so "overdue" does not depend on the day the suite
 * runs. The app runs on a copy of data/regions: the repository is never written.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, repoRoot, startApp, type RunningApp } from './app.ts';

const REGION = 'shanghai-bund-lujiazui';
const SAMPLE = join(repoRoot, 'data', 'samples', 'indicators-sample.csv');

describe('targets and indicators in the browser (issue 16)', () => {
	let app: RunningApp;
	let browser: Browser;
	let page: Page;
	let work: string;
	const pageErrors: string[] = [];
	const screenshots = join(repoRoot, 'test-results', 'e2e');

	beforeAll(async () => {
		work = mkdtempSync(join(tmpdir(), 'carecircle-e2e-targets-'));
		cpSync(join(repoRoot, 'data', 'regions'), join(work, 'regions'), { recursive: true });
		app = await startApp(240_000, { CARECIRCLE_REGIONS_DIR: join(work, 'regions') });
		browser = await launchChromium();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await page.clock.setFixedTime(new Date('2026-06-30T10:00:00+08:00'));
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await app.login(page, 'admin');
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await app?.stop();
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('导入数据 → 指标表: previews every row with its date and source, then imports', async () => {
		await page.goto(`${app.url}regions/${REGION}/import`);
		await page.selectOption('[data-testid=import-layer]', 'indicators');
		await page.waitForSelector('[data-testid=import-indicators-hint]');
		await page.setInputFiles('[data-testid=import-file]', SAMPLE);
		await page.click('[data-testid=import-preview]');
		await page.waitForSelector('[data-testid=import-summary]');
		expect(await page.locator('[data-testid=import-rows-read]').textContent()).toContain(
			'读取 9 行，其中 0 行有错误'
		);
		const firstRows = await page.locator('[data-testid=import-first-rows]').textContent();
		expect(firstRows).toContain('陆家嘴街道');
		expect(firstRows).toContain('示例数据（虚构）');
		await page.screenshot({ path: join(screenshots, 'indicators-preview.png'), fullPage: true });
		await page.click('[data-testid=import-apply]');
		await page.waitForSelector('[data-testid=import-done]');
		const stored = JSON.parse(
			readFileSync(join(work, 'regions', REGION, 'indicators.json'), 'utf8')
		);
		expect(stored).toHaveLength(9);
		expect(stored.find((row: { code: string }) => row.code === '310115005').values.visitRate).toBe(
			0.96
		);
	});

	it('目标: the overdue street stands out, with its clause, figure, gap and source', async () => {
		await page.goto(`${app.url}map?region=${REGION}&profile=donge-2023`);
		await page.click('[data-testid=tab-targets]');
		await page.waitForSelector('[data-testid=target-table]');
		const overdue = page.locator(
			'[data-testid=target-row][data-status=overdue][data-rule=special-visit-rate][data-code="310115005"]'
		);
		await overdue.waitFor();
		const text = await overdue.textContent();
		expect(text).toContain('陆家嘴街道');
		expect(text).toMatch(/96(\.0)?\s*%/);
		expect(text).toMatch(/100(\.0)?\s*%/);
		expect(await page.locator('[data-testid=target-count-overdue]').textContent()).toMatch(
			/逾期未达标\s*[1-9]/
		);
		// A street at 100 % is met, not overdue.
		await page
			.locator('[data-testid=target-row][data-rule=special-visit-rate][data-code="310101002"]')
			.waitFor();
		expect(
			await page
				.locator('[data-testid=target-row][data-rule=special-visit-rate][data-code="310101002"]')
				.getAttribute('data-status')
		).toBe('met');
		await page.click('[data-testid=targets-on-map]');
		await page.waitForSelector('[data-testid=choropleth]');
		expect(await page.locator('[data-testid=choropleth] select').nth(1).inputValue()).toBe(
			'overdue'
		);
		await page.waitForTimeout(1000);
		await page.screenshot({ path: join(screenshots, 'targets-overdue.png') });
		expect(pageErrors).toEqual([]);
	});
});
