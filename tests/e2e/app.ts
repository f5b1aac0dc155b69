/**
 * Start the app exactly as the README does (`npm start` = node scripts/start.ts: build what is
 * missing, then serve the production server) and drive it with Debian's Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = join(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

export interface RunningApp {
	url: string;
	output: () => string;
	stop: () => Promise<void>;
	/** A session cookie value for a user of this role (created on first use; issue 14). */
	session: (role: E2eRole) => Promise<string>;
	/** Logs the page's browser context in as a user of this role. */
	login: (page: Page, role: E2eRole) => Promise<void>;
}

export type E2eRole = 'viewer' | 'analyst' | 'civil_affairs' | 'planning' | 'admin';
export const E2E_PASSWORD = 'e2e password of enough length';

/** Start `node scripts/start.ts` on a free port and wait until it answers (build included). */
export async function startApp(
	timeoutMs = 240_000,
	env: Record<string, string> = {}
): Promise<RunningApp> {
	const port = await freePort();
	const setupToken = randomBytes(24).toString('base64url');
	const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.ts')], {
		cwd: repoRoot,
		// A scenario database of its own: the suite never writes into data/carecircle.sqlite.
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			CARECIRCLE_DB: join(mkdtempSync(join(tmpdir(), 'carecircle-e2e-db-')), 'scenarios.sqlite'),
			CARECIRCLE_SETUP_TOKEN: setupToken,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}/`;
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
		try {
			const response = await fetch(url);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	if (Date.now() >= deadline)
		throw new Error(`app did not answer within ${timeoutMs} ms:\n${output}`);
	const origin = url.replace(/\/$/, '');
	/** A form action as the browser posts it; the session cookie of its answer. */
	const post = async (path: string, fields: Record<string, string>, cookie?: string) => {
		const response = await fetch(`${origin}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin,
				'content-type': 'application/x-www-form-urlencoded',
				...(cookie ? { cookie: `cc_session=${cookie}` } : {})
			},
			body: new URLSearchParams(fields)
		});
		const set = response.headers.getSetCookie().find((c) => c.startsWith('cc_session='));
		return {
			status: response.status,
			cookie: set ? set.split(';')[0].slice('cc_session='.length) : null
		};
	};
	const sessions = new Map<E2eRole, Promise<string>>();
	const session = (role: E2eRole): Promise<string> => {
		let known = sessions.get(role);
		if (!known) {
			known = (async () => {
				if (role === 'admin') {
					const setup = await post('/setup', {
						token: setupToken,
						username: 'e2e-admin',
						displayName: '测试管理员',
						organization: '管理单位',
						password: E2E_PASSWORD
					});
					if (!setup.cookie) throw new Error(`setup failed (${setup.status}):\n${output}`);
					return setup.cookie;
				}
				const admin = await session('admin');
				await post(
					'/admin/users?/create',
					{
						username: `e2e-${role}`,
						displayName: role,
						organization: role === 'planning' ? '规划局' : '民政局',
						role,
						password: E2E_PASSWORD
					},
					admin
				);
				const login = await post('/login?/login', {
					username: `e2e-${role}`,
					password: E2E_PASSWORD,
					next: '/'
				});
				if (!login.cookie) throw new Error(`login as ${role} failed (${login.status})`);
				return login.cookie;
			})();
			sessions.set(role, known);
		}
		return known;
	};
	return {
		url,
		output: () => output,
		session,
		login: async (page, role) => {
			await page
				.context()
				.addCookies([{ name: 'cc_session', value: await session(role), url: origin }]);
		},
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.on('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update'
		]
	});
}
