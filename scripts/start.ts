/**
 * `npm start`: build what is missing, then serve the production app (adapter-node).
 * Rebuilds when any source file is newer than the last build, so a fresh clone and an edited
 * checkout both start with one command. PORT (default 3000) and HOST are passed through.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
console.log(
	`carecircle: serving on http://localhost:${port}/ — map workspace http://localhost:${port}/map (Ctrl+C to stop)`
);
const server = spawn(process.execPath, [serverEntry], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, PORT: port }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
