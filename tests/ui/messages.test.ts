/**
 * Every string of the UI exists in both languages: the two tables have the same keys, and every
 * key a component asks for — literal `t('a.b')` or a `t(\`kind.${…}\`)` family — is in them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../src/lib/ui/i18n/messages.ts';
import { FACILITY_KINDS } from '../../src/lib/engine/region/schema.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

function keysOf(table: object, prefix = ''): string[] {
	return Object.entries(table).flatMap(([key, value]) =>
		typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`)
	);
}

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && /\.(svelte|ts)$/.test(entry.name))
		.map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}

describe('UI messages', () => {
	const zhKeys = keysOf(zhCN).sort();

	it('has the same keys in Chinese and English, none empty', () => {
		expect(keysOf(en).sort()).toEqual(zhKeys);
		for (const key of zhKeys) {
			const get = (table: object) =>
				key
					.split('.')
					.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], table);
			expect(String(get(zhCN)).trim(), key).not.toBe('');
			expect(String(get(en)).trim(), key).not.toBe('');
		}
	});

	it('knows every key the components use', () => {
		const code = [
			...sources(join(repoRoot, 'src/lib/ui')),
			...sources(join(repoRoot, 'src/routes'))
		].join('\n');
		const literal = [...code.matchAll(/\bt\('([a-zA-Z_.]+)'/g)].map((match) => match[1]);
		expect(literal.length).toBeGreaterThan(40);
		for (const key of literal) expect(zhKeys, key).toContain(key);
		const families = new Set([...code.matchAll(/\bt\(`([a-zA-Z]+)\.\$\{/g)].map((m) => m[1]));
		expect([...families].sort()).toEqual(
			[
				'areaVerdict',
				'choropleth',
				'facilityStatus',
				'jurisdiction',
				'kind',
				'layer',
				'profileStatus',
				'status',
				'tabs',
				'verdict'
			].sort()
		);
		for (const fit of ['governs', 'partly', 'other', 'unknown'])
			expect(zhKeys).toContain(`jurisdiction.${fit}`);
		for (const file of ['report_xlsx', 'report_pdf', 'report_html', 'areas_geojson'])
			expect(zhKeys).toContain(`export.file.${file}`);
		for (const tab of ['overview', 'stations', 'siting', 'evaluation', 'export'])
			expect(zhKeys).toContain(`tabs.${tab}`);
		for (const status of ['in_force', 'draft', 'expired'])
			expect(zhKeys).toContain(`profileStatus.${status}`);
		for (const kind of FACILITY_KINDS) expect(zhKeys).toContain(`kind.${kind}`);
		for (const verdict of ['pass', 'fail', 'no_data'])
			expect(zhKeys).toContain(`verdict.${verdict}`);
		for (const verdict of ['compliant', 'deficit', 'no_data'])
			expect(zhKeys).toContain(`areaVerdict.${verdict}`);
		for (const measure of ['share', 'deficit', 'land'])
			expect(zhKeys).toContain(`choropleth.${measure}Legend`);
		for (const layer of ['areas', 'facilities', 'districts', 'isochrone', 'labels'])
			expect(zhKeys).toContain(`layer.${layer}`);
	});
});
