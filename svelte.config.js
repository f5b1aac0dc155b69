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
