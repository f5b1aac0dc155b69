/**
 * `npm start`: build what is missing, then serve the production app (adapter-node).
 * Rebuilds when any source file is newer than the last build, so a fresh clone and an edited
 * checkout both start with one command. PORT (default 3000) and HOST are passed through.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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
if (buildIsStale()) {
	console.log('Building the app (vite build) …');
	run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
}

const port = process.env.PORT ?? '3000';
console.log(`carecircle: serving on http://localhost:${port}/ (Ctrl+C to stop)`);
const server = spawn(process.execPath, [serverEntry], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, PORT: port }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
