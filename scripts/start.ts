/**
 * `npm start`: build what is missing, then serve the production app (adapter-node).
 * Rebuilds when any source file is newer than the last build, so a fresh clone and an edited
 * checkout both start with one command. PORT (default 3000) and HOST are passed through.
 */
import { spawnSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from './cli/args.ts';

// Before anything runs: `npm start -- --help` prints this and starts nothing.
parseCli({
	command: 'npm start',
	summary:
		'构建（如有需要）并启动规划工具 / Build what is missing, then serve the app (http://localhost:3000/)',
	details:
		'Builds the demo region (npm run region:build) if data/regions lacks it, rebuilds the app (vite build) when a source file is newer than the last build, then runs build/index.js (adapter-node). Takes no options.',
	options: {},
	environment: {
		PORT: 'port to listen on (default: 3000)',
		HOST: 'address to listen on (default: 0.0.0.0, every interface)',
		CARECIRCLE_DB:
			'SQLite file for saved scenarios and evaluations (default: data/carecircle.sqlite)',
		DATABASE_URL:
			'postgres:// or postgresql:// URL of a shared PostgreSQL database; wins over CARECIRCLE_DB',
		CARECIRCLE_REGIONS_DIR: 'folder of the regions (default: data/regions)',
		CARECIRCLE_PROFILES_DIR: 'folder of the rule profiles (default: data/profiles)',
		CARECIRCLE_UPLOADS_DIR:
			'folder for uploaded OSM extracts and boundaries (default: .cache/uploads)',
		BODY_SIZE_LIMIT:
			'adapter-node request body limit (default here: Infinity; each route has its own limit)',
		CARECIRCLE_WORKERS:
			'worker threads for reports, scenario results and evaluations (default: cores − 1, at least 1; 0 = on the event loop, for debugging)',
		CARECIRCLE_QUEUE:
			'jobs that may wait for a worker; beyond it a request is answered 503 COMPUTE_BUSY with Retry-After (default: 64)',
		CARECIRCLE_JOB_TIMEOUT_S:
			'seconds a job may take, waiting included, before it is ended with 504 COMPUTE_TIMEOUT (default: 120)',
		CARECIRCLE_SETUP_TOKEN:
			'token of the one-time first-administrator link (default: random per start; the link is printed while no account exists)'
	},
	examples: ['npm start', 'PORT=8080 HOST=127.0.0.1 npm start']
});

const root = join(import.meta.dirname, '..');
const serverEntry = join(root, 'build', 'index.js');

function newestMtime(path: string): number {
	const info = statSync(path);
	if (!info.isDirectory()) return info.mtimeMs;
	let newest = info.mtimeMs;
	for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
	return newest;
}

function buildIsStale(): boolean {
	if (!existsSync(serverEntry)) return true;
	const built = statSync(serverEntry).mtimeMs;
	const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
	return inputs.some(
		(input) => existsSync(join(root, input)) && newestMtime(join(root, input)) > built
	);
}

function run(command: string, args: string[]): void {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(join(root, 'data', 'regions', 'shanghai-bund-lujiazui', 'region.json'))) {
	console.log('Demo region missing: building it from ../shared/data (npm run region:build) …');
	run(process.execPath, [join(root, 'scripts', 'build-region.ts')]);
}
// One build at a time: two starts at once (two e2e suites, two terminals) wait for each other
// instead of writing into the same build folder.
const lock = join(root, '.build.lock');
function withBuildLock(work: () => void): void {
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			if (Date.now() > deadline)
				throw new Error(`${lock} held for 10 minutes: remove it if no build runs`);
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
		}
	}
	try {
		work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}
let buildStatus = 0;
withBuildLock(() => {
	if (!buildIsStale()) return;
	console.log('Building the app (vite build) …');
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	buildStatus =
		spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' }).status ?? 1;
});
if (buildStatus !== 0) process.exit(buildStatus);

const port = process.env.PORT ?? '3000';
// The one-time link that creates the first administrator (printed by the server while no
// account exists): a new random token per start unless one is given.
const setupToken = process.env.CARECIRCLE_SETUP_TOKEN ?? randomBytes(24).toString('base64url');
console.log(
	`carecircle: serving on http://localhost:${port}/ — map workspace http://localhost:${port}/map (Ctrl+C to stop)`
);
const server = spawn(process.execPath, [serverEntry], {
	cwd: root,
	stdio: 'inherit',
	// Body sizes are limited per route by src/lib/server/body-limits.ts (an OSM extract may be GBs,
	// a JSON save a few kB), so adapter-node's single global limit is switched off.
	env: {
		...process.env,
		PORT: port,
		BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? 'Infinity',
		CARECIRCLE_SETUP_TOKEN: setupToken
	}
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
