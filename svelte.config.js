import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Cross-site requests are refused in hooks.server.ts (Origin vs Host, Sec-Fetch-Site) for
		// every write, forms and JSON alike. SvelteKit's own check compares with adapter-node's
		// guessed origin, which is https:// without ORIGIN, and would refuse the app's forms on http.
		csrf: { trustedOrigins: ['*'] },
		// Content-Security-Policy of every page (issue 14): only the app's own scripts (SvelteKit
		// adds the nonce or hash of its inline start-up script), WebAssembly for HiGHS, blob
		// workers for MapLibre, nothing from another origin, never in a frame.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self', 'data:', 'blob:'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			config(tsconfig) {
				// Engine and scripts import with explicit `.ts` extensions so that Node runs them directly.
				tsconfig.compilerOptions.allowImportingTsExtensions = true;
				return tsconfig;
			}
		}
	}
};

export default config;
