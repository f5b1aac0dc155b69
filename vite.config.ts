import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		// The JSON report gives .ci/run its closing "N passed, N failed" line.
		reporters: ['default', 'json'],
		outputFile: { json: 'test-results/vitest.json' }
	}
});
