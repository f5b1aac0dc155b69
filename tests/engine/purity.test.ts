/**
 * The engine runs unchanged in a Web Worker and in Node: its own tsconfig (lib ES2022, no DOM,
 * no Node types) and the lint rule against node:* / Svelte imports must both hold. Run here so
 * that `npm test` (and CI) enforce it, not only `npm run check`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

describe('src/lib/engine is pure TypeScript', () => {
	it('type-checks without DOM or Node typings', () => {
		const result = spawnSync(bin('tsc'), ['-p', 'src/lib/engine/tsconfig.json'], {
			cwd: repoRoot,
			encoding: 'utf8'
		});
		expect(result.stdout + result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it('imports nothing from Node, Svelte, SvelteKit, UI or server code', () => {
		const result = spawnSync(bin('eslint'), ['--max-warnings=0', 'src/lib/engine'], {
			cwd: repoRoot,
			encoding: 'utf8'
		});
		expect(result.stdout + result.stderr).toBe('');
		expect(result.status).toBe(0);
	});
});
