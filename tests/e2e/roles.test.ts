/**
 * Issue 14 in Chromium: each role logs in and sees only the panels it may use; a forbidden
 * action sent straight to the API is answered 403 and is on the audit page; the login form
 * refuses a bounded brute-force loop with the Chinese message; a cross-site write is refused.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	E2E_PASSWORD,
	launchChromium,
	repoRoot,
	startApp,
	type E2eRole,
	type RunningApp
} from './app.ts';

const screenshots = join(repoRoot, 'test-results', 'e2e');
const DEMO = 'shanghai-bund-lujiazui';

describe('roles in the browser (issue 14)', () => {
	let app: RunningApp;
	let browser: Browser;
	const errors: string[] = [];

	beforeAll(async () => {
		app = await startApp();
		browser = await launchChromium();
		mkdirSync(screenshots, { recursive: true });
	}, 300_000);
	afterAll(async () => {
		await browser?.close();
		await app?.stop();
	});

	async function pageAs(role: E2eRole | null): Promise<Page> {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.on('pageerror', (error) => errors.push(`${role}: ${error.message}`));
		if (role) await app.login(page, role);
		return page;
	}

	const expected: Record<
		E2eRole,
		{ siting: boolean; saveScenario: boolean; saveEvaluation: boolean; admin: boolean }
	> = {
		viewer: { siting: false, saveScenario: false, saveEvaluation: false, admin: false },
		analyst: { siting: false, saveScenario: false, saveEvaluation: false, admin: false },
		civil_affairs: { siting: true, saveScenario: true, saveEvaluation: false, admin: false },
		planning: { siting: false, saveScenario: false, saveEvaluation: true, admin: false },
		admin: { siting: true, saveScenario: true, saveEvaluation: true, admin: true }
	};

	for (const role of Object.keys(expected) as E2eRole[])
		it(`${role}: the account bar, the home page's links and the map's panels`, async () => {
			const page = await pageAs(role);
			await page.goto(app.url);
			await expect
				.poll(() => page.locator('[data-testid=account-user]').textContent())
				.toContain(
					{
						viewer: '查看',
						analyst: '分析',
						civil_affairs: '民政',
						planning: '规划',
						admin: '管理员'
					}[role]
				);
			expect(await page.locator('[data-testid=new-region]').count()).toBe(
				expected[role].admin ? 1 : 0
			);
			await page.goto(new URL(`map?region=${DEMO}`, app.url).href);
			await page.waitForSelector('[data-testid=elders-covered]', { timeout: 60_000 });
			// The panel is organised by job (issue 15): a role sees the tabs it may use.
			expect(await page.locator('[data-testid=tab-siting]').count(), 'siting tab').toBe(
				expected[role].siting ? 1 : 0
			);
			if (expected[role].siting) {
				await page.click('[data-testid=tab-siting]');
				expect(await page.locator('[data-testid=siting]').count(), 'siting').toBe(1);
			}
			await page.click('[data-testid=tab-stations]');
			expect(await page.locator('[data-testid=save-scenario]').isVisible(), 'save scenario').toBe(
				expected[role].saveScenario
			);
			if (!expected[role].saveScenario)
				expect(await page.locator('[data-testid=scenario-readonly]').isVisible()).toBe(true);
			// Project evaluation is the planning bureau's: others see only the saved ones.
			await page.click('[data-testid=tab-evaluation]');
			expect(
				await page.locator('[data-testid=evaluation-readonly]').isVisible(),
				'evaluation'
			).toBe(!expected[role].saveEvaluation);
			await page.screenshot({ path: join(screenshots, `roles-map-${role}.png`) });
			await page.close();
		}, 120_000);

	it('a viewer posting a scenario straight to the API gets 403, and the audit page lists it', async () => {
		const viewer = await pageAs('viewer');
		await viewer.goto(app.url);
		const status = await viewer.evaluate(async () => {
			const response = await fetch('/api/scenarios', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'x' })
			});
			return response.status;
		});
		expect(status).toBe(403);
		await viewer.close();
		const admin = await pageAs('admin');
		await admin.goto(new URL('admin/audit?action=scenario.create&outcome=refused', app.url).href);
		const table = admin.locator('[data-testid=audit-table]');
		await expect.poll(() => table.textContent()).toContain('e2e-viewer');
		expect(await table.textContent()).toContain('scenario.create');
		await admin.screenshot({ path: join(screenshots, 'roles-audit.png') });
		await admin.goto(new URL('admin/users', app.url).href);
		expect(await admin.locator('[data-testid=user-row]').count()).toBeGreaterThanOrEqual(2);
		await admin.screenshot({ path: join(screenshots, 'roles-users.png') });
		const csv = await admin.evaluate(async () => {
			const bytes = new Uint8Array(
				await (await fetch('/api/audit.csv?outcome=refused')).arrayBuffer()
			);
			return { bom: [...bytes.slice(0, 3)], text: new TextDecoder().decode(bytes.slice(3)) };
		});
		expect(csv.bom).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads the Chinese
		expect(csv.text).toMatch(/^时间 at,/);
		expect(csv.text).toContain('e2e-viewer');
		await admin.close();
	}, 120_000);

	it('an anonymous visitor views the demo read-only; the administrator can turn that off', async () => {
		const guest = await pageAs(null);
		await guest.goto(new URL(`map?region=${DEMO}`, app.url).href);
		await guest.waitForSelector('[data-testid=elders-covered]', { timeout: 60_000 });
		expect(await guest.locator('[data-testid=login-link]').isVisible()).toBe(true);
		expect(await guest.locator('[data-testid=save-scenario]').isVisible()).toBe(false);
		const origin = app.url.replace(/\/$/, '');
		const off = await fetch(`${origin}/admin/users?/anonymous`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin,
				'content-type': 'application/x-www-form-urlencoded',
				cookie: `cc_session=${await app.session('admin')}`
			},
			body: new URLSearchParams({})
		});
		expect(off.status).toBe(200);
		const answer = await fetch(`${origin}/api/regions`);
		expect(answer.status).toBe(401);
		await guest.goto(new URL('map', app.url).href);
		expect(new URL(guest.url()).pathname).toBe('/login');
		await guest.close();
	}, 120_000);

	it('logs in through the form, and refuses a bounded brute-force loop with the Chinese message', async () => {
		await app.session('planning'); // creates e2e-planning
		const page = await pageAs(null);
		await page.goto(new URL('login', app.url).href);
		await page.fill('input[name=username]', 'e2e-planning');
		await page.fill('input[name=password]', E2E_PASSWORD);
		await page.click('[data-testid=login-submit]');
		await page.waitForSelector('[data-testid=account-user]');
		expect(await page.locator('[data-testid=account-user]').textContent()).toContain('规划');
		await page.close();

		const origin = app.url.replace(/\/$/, '');
		const attempt = (password: string) =>
			fetch(`${origin}/login?/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ username: 'e2e-analyst-target', password, next: '/' })
			});
		// 8 wrong guesses: the first 5 are told the password is wrong, the rest are locked out
		// whatever they send (SvelteKit renders a failed native form action as a page).
		const answers: { status: number; text: string }[] = [];
		for (let i = 0; i < 8; i++) {
			const response = await attempt(`guess-${i}`);
			answers.push({ status: response.status, text: await response.text() });
			expect(response.status).toBeLessThan(500);
		}
		for (const answer of answers.slice(0, 5)) expect(answer.text).toContain('用户名或密码不正确');
		for (const answer of answers.slice(5)) {
			expect(answer.text).toContain('登录失败次数过多，请 15 分钟后再试');
		}
	}, 120_000);

	it('refuses a write from a foreign Origin even with a valid session', async () => {
		const origin = app.url.replace(/\/$/, '');
		const answer = await fetch(`${origin}/api/scenarios`, {
			method: 'POST',
			headers: {
				origin: 'http://evil.example',
				'content-type': 'application/json',
				cookie: `cc_session=${await app.session('civil_affairs')}`
			},
			body: '{}'
		});
		expect(answer.status).toBe(403);
		expect((await answer.json()).code).toBe('CROSS_SITE');
	});

	it('a scenario belongs to its organisation: 规划局 sees 民政局’s only once shared, and cannot change it', async () => {
		const civil = await pageAs('civil_affairs');
		await civil.goto(app.url);
		const created = await civil.evaluate(async (region) => {
			const response = await fetch('/api/scenarios', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					name: '民政局方案',
					regionId: region,
					profileId: 'qingdao-laoshan-2024',
					settings: { maxMinutes: 15, walkSpeedMps: 1, stepPenaltyS: 0 }
				})
			});
			return { status: response.status, id: ((await response.json()) as { id: string }).id };
		}, DEMO);
		expect(created.status).toBe(201);
		const planning = await pageAs('planning');
		await planning.goto(app.url);
		const seen = () =>
			planning.evaluate(
				async ({ region, id }) => {
					const list = (await (await fetch(`/api/scenarios?region=${region}`)).json()) as {
						id: string;
					}[];
					const one = await fetch(`/api/scenarios/${id}`);
					return { listed: list.some((item) => item.id === id), status: one.status };
				},
				{ region: DEMO, id: created.id }
			);
		expect(await seen()).toEqual({ listed: false, status: 404 });
		const shared = await civil.evaluate(
			async (id) =>
				(
					await fetch(`/api/scenarios/${id}/sharing`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ shared: true })
					})
				).status,
			created.id
		);
		expect(shared).toBe(200);
		expect(await seen()).toEqual({ listed: true, status: 200 });
		await civil.close();
		await planning.close();
	}, 120_000);

	it('pages carry the CSP and frame protection; API answers nosniff', async () => {
		const page = await fetch(new URL('map', app.url).href);
		const csp = page.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'nonce-/);
		expect(csp).toContain("object-src 'none'");
		const api = await fetch(new URL('api/regions', app.url).href);
		expect(api.headers.get('x-content-type-options')).toBe('nosniff');
		expect(api.headers.get('x-frame-options')).toBe('DENY');
	});

	it('no page error in any of it', () => {
		expect(errors).toEqual([]);
	});
});
