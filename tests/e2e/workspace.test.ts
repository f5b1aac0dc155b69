/**
 * The map workspace reads at a glance (issue 15), in Debian's Chromium at 1440×900 and 1280×720,
 * in Chinese and English, for every tab of the panel: a screenshot of each (test-results/e2e/),
 * the map framing the region's compounds over the offline basemap (road and water colours inside
 * the frame), the legend and the scale bar in view, no text outside its box, no single-line label
 * wrapped, no clipped select without its full name as a tooltip, each tab's main controls on
 * screen without scrolling, no page error and no request outside the app.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, repoRoot, startApp, type RunningApp } from './app.ts';
import { LAYOUT_PROBLEMS, BASEMAP_PIXELS } from './layout-checks.ts';

const VIEWPORTS = [
	{ width: 1440, height: 900 },
	{ width: 1280, height: 720 }
];
const LOCALES = [
	{ code: 'zh-CN', button: '中文' },
	{ code: 'en', button: 'English' }
] as const;
/** Each tab and the controls that must be on screen when it opens (no scrolling). */
const TABS: Record<string, string[]> = {
	overview: ['summary', 'street-charts'],
	targets: ['target-counts', 'targets-on-map'],
	stations: ['add-station', 'save-scenario'],
	siting: ['run-siting'],
	evaluation: ['draw-boundary', 'evaluate-project'],
	export: ['export-report.xlsx', 'export-report.pdf', 'export-areas.geojson']
};

describe('map workspace at a glance (issue 15)', () => {
	let app: RunningApp;
	let browser: Browser;
	const screenshots = join(repoRoot, 'test-results', 'e2e', 'workspace');

	beforeAll(async () => {
		app = await startApp();
		browser = await launchChromium();
		mkdirSync(screenshots, { recursive: true });
	}, 300_000);
	afterAll(async () => {
		await browser?.close();
		await app?.stop();
	});

	for (const viewport of VIEWPORTS)
		it(`${viewport.width}×${viewport.height}: every tab in Chinese and English`, async () => {
			const page: Page = await browser.newPage({ viewport });
			await app.login(page, 'admin'); // the administrator sees every tab
			const pageErrors: string[] = [];
			const foreign: string[] = [];
			page.on('pageerror', (error) => pageErrors.push(error.message));
			page.on('request', (request) => {
				const url = request.url();
				if (!url.startsWith(app.url) && !/^(data|blob):/.test(url)) foreign.push(url);
			});
			await page.goto(new URL('map', app.url).href);
			await page.waitForSelector('[data-testid=elders-covered]', { timeout: 60_000 });
			await page.waitForFunction(
				() =>
					(window as never as { carecircle: { map(): { loaded(): boolean } | null } }).carecircle
						?.map()
						?.loaded() === true,
				undefined,
				{ timeout: 60_000 }
			);
			// Tiles and labels settle: wait for an idle map.
			await page.evaluate(
				() =>
					new Promise<void>((resolve) => {
						const map = (
							window as never as {
								carecircle: { map(): { once(e: string, f: () => void): void } };
							}
						).carecircle.map();
						map.once('idle', () => resolve());
						setTimeout(resolve, 5_000);
					})
			);

			// The basemap inside the frame of the region's compounds: water and road colours.
			const png = (await page.locator('[data-testid=map]').screenshot()).toString('base64');
			const pixels = await page.evaluate(BASEMAP_PIXELS, png);
			expect(pixels.frame.width, 'frame of the compounds on screen').toBeGreaterThan(200);
			expect(pixels.water, `water pixels ${JSON.stringify(pixels)}`).toBeGreaterThan(0.02);
			expect(pixels.road, `road pixels ${JSON.stringify(pixels)}`).toBeGreaterThan(0.01);
			expect(pixels.compoundsInFrame, 'every compound inside the map').toBe(true);

			const tabs = await page
				.locator('[role=tab]')
				.evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
			expect(tabs).toEqual(Object.keys(TABS).map((tab) => `tab-${tab}`));

			for (const locale of LOCALES) {
				await page.click(`.lang button:has-text("${locale.button}")`);
				await expect.poll(() => page.locator('.workspace').getAttribute('lang')).toBe(locale.code);
				for (const [tab, controls] of Object.entries(TABS)) {
					await page.click(`[data-testid=tab-${tab}]`);
					await page.locator(`[data-testid=tab-body-${tab}]`).waitFor();
					for (const control of controls) {
						const box = await page.locator(`[data-testid="${control}"]`).first().boundingBox();
						expect(box, `${tab}: ${control} is shown`).not.toBeNull();
						expect(box!.y + box!.height, `${tab}: ${control} on screen`).toBeLessThanOrEqual(
							viewport.height
						);
					}
					const legend = await page.locator('[data-testid=legend]').boundingBox();
					expect(legend, 'legend').not.toBeNull();
					expect(legend!.y + legend!.height).toBeLessThanOrEqual(viewport.height);
					expect(await page.locator('.maplibregl-ctrl-scale').isVisible(), 'scale bar').toBe(true);
					const problems = await page.evaluate(LAYOUT_PROBLEMS);
					expect(problems, `${viewport.width}×${viewport.height} ${locale.code} ${tab}`).toEqual(
						[]
					);
					await page.screenshot({
						path: join(
							screenshots,
							`${viewport.width}x${viewport.height}-${locale.code}-${tab}.png`
						)
					});
				}
			}
			expect(pageErrors).toEqual([]);
			expect(foreign).toEqual([]);
			await page.close();
		}, 240_000);

	it('downloads from the 导出 tab equal the CLI’s files for the same plan and settings', async () => {
		const page: Page = await browser.newPage({ viewport: VIEWPORTS[0] });
		await app.login(page, 'analyst'); // 分析: may export, may not change the plan's data
		await page.goto(new URL('map', app.url).href);
		await page.waitForSelector('[data-testid=elders-covered]', { timeout: 60_000 });
		// A plan on screen: one planned station (as dragged there), the 10-minute circle.
		await page.evaluate(async () => {
			const ws = (
				window as never as {
					carecircle: {
						workspace: {
							addStation(p: [number, number]): Promise<void>;
							setSettings(s: object): Promise<void>;
						};
					};
				}
			).carecircle.workspace;
			await ws.addStation([121.5185, 31.2397]);
			await ws.setSettings({ maxMinutes: 10 });
		});
		await page.click('[data-testid=tab-export]');
		expect(await page.locator('[data-testid=export-plan-summary]').innerText()).toMatch(
			/新增 1 处/
		);
		const out = mkdtempSync(join(tmpdir(), 'carecircle-export-e2e-'));
		const downloaded: Record<string, Buffer> = {};
		for (const file of ['plan', 'report.xlsx', 'streets.csv', 'areas.geojson', 'report.pdf']) {
			const [download] = await Promise.all([
				page.waitForEvent('download', { timeout: 60_000 }),
				page.click(`[data-testid="export-${file}"]`)
			]);
			const path = join(out, `browser-${file}`);
			await download.saveAs(path);
			downloaded[file] = readFileSync(path);
			if (file !== 'plan') {
				// The name says region, profile, date and that a plan is in it.
				expect(download.suggestedFilename()).toMatch(
					/^shanghai-bund-lujiazui_qingdao-laoshan-2024_\d{4}-\d{2}-\d{2}_.+_方案\.\w+$/
				);
			}
		}
		const command = await page.locator('[data-testid=export-cli]').innerText();
		writeFileSync(join(out, 'plan.json'), downloaded.plan);
		const args = command
			.replace(/^npm run analyze -- /, '')
			.replace('--out out/report', `--out ${join(out, 'cli')}`)
			.replace('--plan plan.json', `--plan ${join(out, 'plan.json')}`)
			.split(/\s+/);
		const cli = spawnSync(process.execPath, [join(repoRoot, 'scripts/analyze.ts'), ...args], {
			cwd: repoRoot,
			encoding: 'utf8'
		});
		expect(cli.status, cli.stderr).toBe(0);
		for (const file of ['report.xlsx', 'streets.csv', 'areas.geojson', 'report.pdf'])
			expect(
				Buffer.compare(downloaded[file], readFileSync(join(out, 'cli', file))),
				`${file}: the workspace's download equals npm run analyze's`
			).toBe(0);
		await page.close();
	}, 240_000);
});
