import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionListEntry } from '../../src/lib/server/region-list.ts';
import { launchChromium, repoRoot, startApp, type RunningApp } from './app.ts';

describe('npm start serves the region overview (issue 2 acceptance)', () => {
	let app: RunningApp;
	let browser: Browser;
	beforeAll(async () => {
		app = await startApp();
		browser = await launchChromium();
	}, 300_000);
	afterAll(async () => {
		await browser?.close();
		await app?.stop();
	});

	it('lists both bundled regions with layer counts and estimated fields, in Chinese', async () => {
		const api = (await (await fetch(new URL('api/regions', app.url))).json()) as RegionListEntry[];
		expect(api.map((entry) => entry.id)).toEqual(['qingdao-laoshan', 'shanghai-bund-lujiazui']);
		for (const entry of api) expect(entry.ok, entry.ok ? '' : entry.error).toBe(true);

		const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
		await page.goto(app.url);
		await expect.poll(() => page.locator('section.region').count()).toBe(2);

		for (const entry of api) {
			if (!entry.ok) continue;
			const section = page.locator(`section[data-region="${entry.id}"]`);
			await expect.poll(() => section.locator('h3').textContent()).toContain(entry.summary.name);
			// every layer row shows the count the API reports (the engine's summary of the files on disk)
			for (const layer of entry.summary.layers) {
				const cell = section.locator(`tr[data-layer="${layer.layer}"] td.num`);
				const expected =
					layer.file && layer.count !== null ? layer.count.toLocaleString('zh-CN') : '—';
				expect(await cell.textContent()).toBe(expected);
			}
			expect(await section.locator('tr[data-estimate]').count()).toBe(
				new Set(entry.summary.estimatedFields.map((e) => `${e.layer}.${e.field}.${e.methodId}`))
					.size
			);
		}

		const shanghai = page.locator('section[data-region="shanghai-bund-lujiazui"]');
		expect(await shanghai.locator('tr[data-layer="residential"] td.num').textContent()).toBe('18');
		expect(
			await shanghai.locator('tr[data-estimate="residential.households"]').count()
		).toBeGreaterThan(0);
		expect(await shanghai.locator('tr[data-estimate="residential.elders"]').count()).toBe(1);
		const laoshan = page.locator('section[data-region="qingdao-laoshan"]');
		expect(await laoshan.textContent()).toContain('无步行路网');
		expect(await page.locator('footer').textContent()).toContain('OpenStreetMap contributors');

		const artefacts = join(repoRoot, 'test-results', 'screenshots');
		mkdirSync(artefacts, { recursive: true });
		await page.screenshot({ path: join(artefacts, 'region-list.png'), fullPage: true });
		await page.close();
	});
});
