/**
 * Start the app exactly as the README does (`npm start` = node scripts/start.ts: build what is
 * missing, then serve the production server) and drive it with Debian's Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
}

/** Start `node scripts/start.ts` on a free port and wait until it answers (build included). */
export async function startApp(
	timeoutMs = 240_000,
	env: Record<string, string> = {}
): Promise<RunningApp> {
	const port = await freePort();
	const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.ts')], {
		cwd: repoRoot,
		// A scenario database of its own: the suite never writes into data/carecircle.sqlite.
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			CARECIRCLE_DB: join(mkdtempSync(join(tmpdir(), 'carecircle-e2e-db-')), 'scenarios.sqlite'),
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
	return {
		url,
		output: () => output,
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
