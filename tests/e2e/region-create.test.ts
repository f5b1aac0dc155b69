/**
 * Issue 12 in Debian's Chromium, as a bureau would do it cold: 新建区域 from the Longgang OSM export
 * and a boundary file (upload with progress), then 导入数据 — preview row by row, import, refuse a
 * file at Paris coordinates — the map with coverage, and the gap report downloaded from the page.
 * The app runs on a copy of data/regions (CARECIRCLE_REGIONS_DIR): the repository is never written.
 * Screenshots go to test-results/e2e/.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	compoundRows,
	csvOf,
	facilityRows,
	walkableAnchors,
	xlsxOf
} from '../fixtures/bureau-lists.ts';
import { launchChromium, repoRoot, startApp, type RunningApp } from './app.ts';

const longgang = join(repoRoot, '..', 'shared', 'data', 'roads', 'shenzhen_longgang_raw.osm');
const bounds: [number, number, number, number] = [114.1862, 22.6732, 114.2318, 22.7019];
const REGION = 'longgang-e2e';

describe('a bureau creates its own region in the browser (issue 12)', () => {
	let app: RunningApp;
	let browser: Browser;
	let page: Page;
	let work: string;
	const pageErrors: string[] = [];
	const screenshots = join(repoRoot, 'test-results', 'e2e');
	const anchors = walkableAnchors(longgang, bounds, 30);
	const compounds = compoundRows(anchors, '龙城街道', '测试社区');

	beforeAll(async () => {
		work = mkdtempSync(join(tmpdir(), 'carecircle-e2e-create-'));
		cpSync(join(repoRoot, 'data', 'regions'), join(work, 'regions'), { recursive: true });
		const [w, s, e, n] = bounds;
		writeFileSync(
			join(work, '龙城街道边界.geojson'),
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: { 名称: '龙城街道（测试）', 级别: '街道' },
						geometry: {
							type: 'Polygon',
							coordinates: [
								[
									[w, s],
									[e, s],
									[e, n],
									[w, n],
									[w, s]
								]
							]
						}
					}
				]
			})
		);
		writeFileSync(
			join(work, '小区名单.xlsx'),
			await xlsxOf('龙城街道小区名单（测试数据）', compounds)
		);
		writeFileSync(
			join(work, '设施清单.xlsx'),
			await xlsxOf(
				'养老服务设施清单（测试数据）',
				facilityRows(
					anchors,
					compounds.map((c) => c.小区名称)
				)
			)
		);
		writeFileSync(
			join(work, 'paris.csv'),
			csvOf([
				{ 小区名称: '测试小区A', 总户数: 300, 经度: 2.3522, 纬度: 48.8566 },
				{ 小区名称: '测试小区B', 总户数: 500, 经度: 2.2945, 纬度: 48.8584 }
			])
		);
		app = await startApp(240_000, {
			CARECIRCLE_REGIONS_DIR: join(work, 'regions'),
			CARECIRCLE_UPLOADS_DIR: join(work, 'uploads')
		});
		browser = await launchChromium();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
		// New regions and imports are the administrator's (issue 14).
		await app.login(page, 'admin');
		page.on('pageerror', (error) => pageErrors.push(error.message));
		mkdirSync(screenshots, { recursive: true });
	}, 300_000);
	afterAll(async () => {
		await browser?.close();
		await app?.stop();
		rmSync(work, { recursive: true, force: true });
	});

	it('新建区域: uploads the extract and the boundary, shows progress, creates the region', async () => {
		await page.goto(app.url);
		await page.click('[data-testid=new-region]');
		await page.waitForSelector('[data-testid=new-id]');
		await page.fill('[data-testid=new-id]', REGION);
		await page.fill('[data-testid=new-name]', '龙岗龙城（测试）');
		await page.setInputFiles('[data-testid=new-osm]', longgang);
		await page.setInputFiles('[data-testid=new-boundary]', join(work, '龙城街道边界.geojson'));
		await page.screenshot({ path: join(screenshots, 'region-new.png') });
		await page.click('[data-testid=new-create]');
		await page.waitForSelector('[data-testid=new-progress]');
		await page.waitForSelector('[data-testid=new-done]', { timeout: 120_000 });
		const done = await page.locator('[data-testid=new-done]').textContent();
		expect(done).toContain(REGION);
		expect(done).toMatch(/步行路网.*节点/);
		await page.screenshot({ path: join(screenshots, 'region-created.png') });
		const meta = JSON.parse(readFileSync(join(work, 'regions', REGION, 'region.json'), 'utf8'));
		expect(meta.sources[0].title).toContain('shenzhen_longgang_raw.osm');
		expect(meta.sources[1].title).toBe('龙城街道边界.geojson');
	});

	it('导入数据: preview row by row, then import the compounds and the facilities', async () => {
		await page.click('[data-testid=new-import]');
		await page.waitForSelector('[data-testid=import-file]');
		await page.setInputFiles('[data-testid=import-file]', join(work, '小区名单.xlsx'));
		await page.selectOption('[data-testid=import-crs]', 'gcj02');
		await page.click('[data-testid=import-preview]');
		await page.waitForSelector('[data-testid=import-summary]');
		expect(await page.locator('[data-testid=import-change]').textContent()).toContain('0 → 30');
		expect(await page.locator('[data-testid=import-summary]').textContent()).toContain(
			'未使用的列'
		);
		await page.screenshot({ path: join(screenshots, 'import-preview.png'), fullPage: true });
		await page.click('[data-testid=import-apply]');
		await page.waitForSelector('[data-testid=import-done]');
		await expect
			.poll(() => page.locator('li[data-layer=residential] strong').textContent())
			.toBe('30');

		await page.selectOption('[data-testid=import-layer]', 'facilities');
		await page.setInputFiles('[data-testid=import-file]', join(work, '设施清单.xlsx'));
		await page.selectOption('[data-testid=import-crs]', 'gcj02');
		await page.click('[data-testid=import-preview]');
		await page.waitForSelector('[data-testid=import-summary]');
		await page.click('[data-testid=import-apply]');
		await page.waitForSelector('[data-testid=import-done]');
		await expect
			.poll(() => page.locator('li[data-layer=facilities] strong').textContent())
			.toBe('5');
	});

	it('refuses a file at Paris coordinates in the preview; nothing is written', async () => {
		const before = readFileSync(join(work, 'regions', REGION, 'residential.geojson'));
		await page.selectOption('[data-testid=import-layer]', 'residential');
		await page.setInputFiles('[data-testid=import-file]', join(work, 'paris.csv'));
		await page.selectOption('[data-testid=import-crs]', 'wgs84');
		await page.click('[data-testid=import-preview]');
		await page.waitForSelector('[data-testid=import-refused]');
		const text = await page.locator('[data-testid=import-refused]').textContent();
		expect(text).toContain('OUTSIDE_REGION');
		expect(text).toContain('区域未改动');
		await page.screenshot({ path: join(screenshots, 'import-refused.png'), fullPage: true });
		expect(readFileSync(join(work, 'regions', REGION, 'residential.geojson')).equals(before)).toBe(
			true
		);
	});

	it('downloads the gap report from the page, and the map shows coverage', async () => {
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.click('[data-testid="download-report.xlsx"]')
		]);
		expect(download.suggestedFilename()).toMatch(
			new RegExp(`^${REGION}_qingdao-city-2023-draft_\\d{4}-\\d{2}-\\d{2}_缺口报告\\.xlsx$`)
		);
		const path = join(work, 'report.xlsx');
		await download.saveAs(path);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.readFile(path);
		const names = workbook.worksheets.map((sheet) => sheet.name);
		expect(names.length).toBeGreaterThan(2);

		await page.goto(new URL(`map?region=${REGION}`, app.url).href);
		await page.waitForSelector('[data-testid=elders-covered]', { timeout: 60_000 });
		await expect
			.poll(() => page.locator('[data-testid=elders-covered]').textContent(), { timeout: 30_000 })
			.toMatch(/\d/);
		await page.waitForTimeout(1500);
		await page.screenshot({ path: join(screenshots, 'region-created-map.png') });
		expect(pageErrors).toEqual([]);
	});
});
