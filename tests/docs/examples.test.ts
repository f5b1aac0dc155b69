/** docs/examples/ are what tests/fixtures/make-examples.ts writes, and import cleanly (issue 12). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/lib/engine/import/index.ts';
import { exampleFiles, LONGGANG_BOUNDS } from '../fixtures/bureau-lists.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const osm = join(repoRoot, '..', 'shared', 'data', 'roads', 'shenzhen_longgang_raw.osm');

describe('docs/examples (issue 12)', () => {
	const files = exampleFiles(osm);
	it('match their generator (node tests/fixtures/make-examples.ts)', () => {
		for (const [name, text] of Object.entries(files))
			expect(readFileSync(join(repoRoot, 'docs', 'examples', name), 'utf8'), name).toBe(text);
	});
	it('import without a rejected row, as docs/DATA.md says', async () => {
		for (const [name, layer, count] of [
			['小区名单-示例.csv', 'residential', 30],
			['设施清单-示例.csv', 'facilities', 5]
		] as const) {
			const outcome = await importFile(name, new TextEncoder().encode(files[name]), {
				layer,
				crs: 'gcj02',
				expectedBbox: LONGGANG_BOUNDS
			});
			expect(outcome.features, name).toHaveLength(count);
			expect(
				outcome.issues.filter((i) => i.action === 'rejected'),
				name
			).toEqual([]);
		}
	});
});
