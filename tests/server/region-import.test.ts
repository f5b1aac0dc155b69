/**
 * Issue 12: the import service the CLI and the 导入数据 page share — a preview writes nothing,
 * an import keeps the previous version, merge matches by name + street when the list has no
 * ids, and undo restores the files byte for byte.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteText } from '../../src/lib/engine/region/schema.ts';
import { applyImport, previewImport } from '../../src/lib/server/region-import.ts';
import { readRegion } from '../../src/lib/server/region-store.ts';
import {
	listVersions,
	RegionBusyError,
	undoLastVersion,
	withRegionLock
} from '../../src/lib/server/region-versions.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const encoder = new TextEncoder();
const csv = (text: string) => encoder.encode(text);

function files(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir, { withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => [entry.name, readFileSync(join(dir, entry.name), 'utf8')])
	);
}

describe('region import service (issue 12)', () => {
	let regionsDir: string;
	const id = 'qingdao-laoshan';
	beforeEach(() => {
		regionsDir = mkdtempSync(join(tmpdir(), 'carecircle-region-import-'));
		cpSync(join(repoRoot, 'data', 'regions', id), join(regionsDir, id), { recursive: true });
	});
	afterEach(() => rmSync(regionsDir, { recursive: true, force: true }));

	const list =
		'小区名称,所属街道,户数,60岁以上老人数,建成状态,经度,纬度\n金岭花园,金家岭街道,1200,310,已建成,120.4655,36.1083\n海尔路小区,中韩街道,800,200,新建,120.4281,36.1035\n';

	it('previews without writing; imports with the street code from 所属街道; keeps the version', async () => {
		const before = files(join(regionsDir, id));
		const request = {
			file: '名单.csv',
			bytes: csv(list),
			layer: 'residential' as const,
			mode: 'replace' as const
		};
		const preview = await previewImport(regionsDir, id, request);
		expect(preview.change).toEqual({
			mode: 'replace',
			before: 0,
			after: 2,
			added: 2,
			updated: 0,
			removed: 0
		});
		expect(files(join(regionsDir, id))).toEqual(before);

		const { version } = await applyImport(regionsDir, id, request, 'test');
		expect(version.seq).toBe(1);
		expect(version.created).toEqual(['residential.geojson']);
		const region = readRegion(regionsDir, id);
		expect(
			region.layers.residential!.map((f) => [
				f.properties.name,
				f.properties.streetCode,
				f.properties.status
			])
		).toEqual([
			['金岭花园', '370212005', 'existing'],
			['海尔路小区', '370212001', 'new']
		]);
		expect(
			region.meta.notes.some((n) => noteText(n, 'en').startsWith('No residential compounds'))
		).toBe(false);

		undoLastVersion(regionsDir, id);
		expect(files(join(regionsDir, id))).toEqual(before);
		expect(listVersions(regionsDir, id)).toEqual([]);
	});

	it('merge without ids matches by name and street, keeping the existing ids', async () => {
		await applyImport(
			regionsDir,
			id,
			{ file: 'a.csv', bytes: csv(list), layer: 'residential', mode: 'replace' },
			'test'
		);
		const ids = readRegion(regionsDir, id).layers.residential!.map((f) => f.properties.id);
		const update =
			'小区名称,所属街道,户数,经度,纬度\n海尔路小区,中韩街道,850,120.4281,36.1035\n新苑,沙子口街道,300,120.5462,36.1101\n';
		const { preview } = await applyImport(
			regionsDir,
			id,
			{ file: 'b.csv', bytes: csv(update), layer: 'residential', mode: 'merge' },
			'test'
		);
		expect(preview.change).toEqual({
			mode: 'merge',
			before: 2,
			after: 3,
			added: 1,
			updated: 1,
			removed: 0
		});
		const after = readRegion(regionsDir, id).layers.residential!;
		expect(after.map((f) => f.properties.id).slice(0, 2)).toEqual(ids);
		expect(after[1].properties.households).toBe(850);
		expect(new Set(after.map((f) => f.properties.id)).size).toBe(3);
	});

	it('one change at a time: a second import while the region is locked is refused, nothing written', async () => {
		const before = files(join(regionsDir, id));
		// another process (the CLI) holds the lock
		mkdirSync(join(regionsDir, id, '.versions', '.lock'), { recursive: true });
		await expect(
			applyImport(
				regionsDir,
				id,
				{ file: 'a.csv', bytes: csv(list), layer: 'residential', mode: 'replace' },
				'test'
			)
		).rejects.toBeInstanceOf(RegionBusyError);
		expect(files(join(regionsDir, id))).toEqual(before);
		rmSync(join(regionsDir, id, '.versions', '.lock'), { recursive: true });
		expect(() => withRegionLock(regionsDir, id, () => 1)).not.toThrow();
	});
});
