import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// The engine is pure TypeScript: it runs in a Web Worker and in Node unchanged.
		files: ['src/lib/engine/**/*.ts'],
		languageOptions: { globals: { ...globals['shared-node-browser'] } },
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['node:*', 'fs', 'path', 'os', 'child_process', 'stream', 'zlib'],
							message: 'The engine has no Node-only imports: pass I/O in through an interface.'
						},
						{
							group: ['svelte', 'svelte/*', '$app/*', '$lib/*', '**/ui/*', '**/server/*'],
							message: 'The engine never imports UI, SvelteKit or server code.'
						}
					]
				}
			],
			'no-restricted-globals': [
				'error',
				'document',
				'window',
				'process',
				'Buffer',
				'__dirname',
				'require'
			]
		}
	}
);
