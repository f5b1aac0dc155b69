/**
 * Issue 12: an import as a whole — a file of another place or in the wrong coordinate system is
 * refused, repeated records are named with both rows, bureaus' headers are recognised and every
 * unused column is listed. The lists are made by tests/fixtures/bureau-lists.ts (synthetic rows
 * near real walkable vertices of the Longgang OSM extract).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	formatIssue,
	importFile,
	ImportError,
	type ImportIssue
} from '../../../src/lib/engine/import/index.ts';
import {
	compoundRows,
	csvOf,
	walkableAnchors,
	xlsxOf,
	type CompoundRow
} from '../../fixtures/bureau-lists.ts';

const osm = join(
	import.meta.dirname,
	'..',
	'..',
	'..',
	'..',
	'shared',
	'data',
	'roads',
	'shenzhen_longgang_raw.osm'
);
const bbox: [number, number, number, number] = [114.1862, 22.6732, 114.2318, 22.7019];
const encoder = new TextEncoder();

let rows: CompoundRow[];
beforeAll(() => {
	rows = compoundRows(walkableAnchors(osm, bbox, 30), '龙城街道', '测试社区');
});

async function refusal(file: string, bytes: Uint8Array, options: Record<string, unknown> = {}) {
	return importFile(file, bytes, { layer: 'residential', expectedBbox: bbox, ...options }).then(
		() => {
			throw new Error('expected the import to be refused');
		},
		(error: ImportError) => error
	);
}

describe('importFile as a whole (issue 12)', () => {
	it('reads a bureau list: 60岁以上老人数, 建成状态 (新建/已建成), 所属街道, 所属社区; lists 序号 and 备注 as unused', async () => {
		const outcome = await importFile('小区名单.xlsx', await xlsxOf('龙城街道小区名单', rows), {
			layer: 'residential',
			crs: 'gcj02',
			expectedBbox: bbox,
			streets: [{ code: '440307003', name: '龙城街道' }]
		});
		expect(outcome.features).toHaveLength(30);
		expect(outcome.columnMap).toMatchObject({
			name: '小区名称',
			households: '总户数',
			elders: '60岁以上老人数',
			status: '建成状态',
			streetName: '所属街道',
			communityName: '所属社区'
		});
		expect(outcome.unmappedColumns).toEqual(['序号', '备注']);
		expect(outcome.issues.map(formatIssue)).toContain(
			'小区名单.xlsx: row 0: warning: 未使用的列 / columns not used: 序号, 备注 — map one with --map <field>=<column> if it holds a field'
		);
		const statuses = outcome.features.map((f) => f.properties.status);
		expect(statuses.filter((s) => s === 'new')).toHaveLength(6);
		expect(outcome.features[1].properties).toMatchObject({
			name: '测试小区2',
			households: rows[1].总户数,
			elders: rows[1]['60岁以上老人数'],
			streetCode: '440307003',
			communityName: '测试社区'
		});
		expect(outcome.issues.filter((i) => i.action !== 'warning')).toEqual([]);
	});

	it('a 所属街道 the region does not know is said once per name, with its rows; no street list, no warning', async () => {
		const bytes = await xlsxOf('名单', rows.slice(0, 3));
		const known = await importFile('a.xlsx', bytes, {
			layer: 'residential',
			crs: 'gcj02',
			expectedBbox: bbox,
			streets: [{ code: '440307004', name: '坪地街道' }]
		});
		expect(known.issues.filter((i) => i.field === 'streetName').map(formatIssue)).toEqual([
			'a.xlsx: row 3, field "streetName" = "龙城街道": warning: 不是本区域的街道 / not a street of the region (streets: 坪地街道), rows 3, 4, 5; street left empty, found from the boundaries where they cover the row'
		]);
		const none = await importFile('a.xlsx', bytes, {
			layer: 'residential',
			crs: 'gcj02',
			expectedBbox: bbox,
			streets: []
		});
		expect(none.issues.filter((i) => i.field === 'streetName')).toEqual([]);
	});

	it('warns once per file when a field that changes every verdict has no column', async () => {
		const bare = rows.map(({ 小区名称, 经度, 纬度 }) => ({ 小区名称, 经度, 纬度 }));
		const outcome = await importFile('bare.csv', encoder.encode(csvOf(bare)), {
			layer: 'residential',
			crs: 'gcj02',
			expectedBbox: bbox
		});
		const fileWarnings = outcome.issues.filter((i) => i.row === 0).map((i) => i.field);
		expect(fileWarnings).toEqual(['households', 'elders', 'status']);
	});

	it('refuses a file at Paris coordinates (the wrong city or CRS), naming the cause', async () => {
		const paris = [
			{ 小区名称: '测试小区A', 经度: 2.3522, 纬度: 48.8566, 总户数: 300 },
			{ 小区名称: '测试小区B', 经度: 2.2945, 纬度: 48.8584, 总户数: 500 }
		];
		const error = await refusal('paris.csv', encoder.encode(csvOf(paris)), { crs: 'wgs84' });
		expect(error.code).toBe('OUTSIDE_REGION');
		expect(error.message).toMatch(/2 of 2 rows lie outside the region/);
		expect(error.message).toMatch(/outside China/);
		expect(
			error.issues.filter((i: ImportIssue) => i.field === 'geometry').map((i) => i.row)
		).toEqual([2, 3]);
	});

	it('refuses a list read in the wrong coordinate system (GCJ-02 numbers declared as Gauss–Krüger)', async () => {
		const error = await refusal('小区名单.xlsx', await xlsxOf('名单', rows), { crs: 'EPSG:4547' });
		expect(error.code).toBe('OUTSIDE_REGION');
		expect(error.message).toMatch(
			/30 of 30 rows .*the coordinate system looks wrong: read as EPSG:4547/
		);
	});

	it('refuses two rows with one name in one street, with both row numbers', async () => {
		const twice = rows.slice(0, 16).map((row) => ({ ...row }));
		twice[15].小区名称 = twice[13].小区名称; // 测试小区14 twice
		const error = await refusal('dup.xlsx', await xlsxOf('名单', twice), { crs: 'gcj02' });
		expect(error.code).toBe('DUPLICATE_RECORDS');
		// merged title row 1, header row 2: 测试小区14 is on row 16, its repeat on row 18
		expect(error.message).toContain('rows 16 and 18 are both "测试小区14" in 龙城街道');
		const kept = await importFile('dup.xlsx', await xlsxOf('名单', twice), {
			layer: 'residential',
			crs: 'gcj02',
			expectedBbox: bbox,
			keepDuplicates: true
		});
		expect(kept.features).toHaveLength(16);
		expect(kept.issues.some((i) => i.reason.includes('duplicate name'))).toBe(true);
	});

	it('two compounds of one name in different streets are two places, not a duplicate', async () => {
		const two = rows.slice(0, 2).map((row) => ({ ...row, 小区名称: '幸福小区' }));
		two[1].所属街道 = '坪地街道';
		const outcome = await importFile('two.csv', encoder.encode(csvOf(two)), {
			layer: 'residential',
			crs: 'gcj02',
			expectedBbox: bbox
		});
		expect(outcome.features).toHaveLength(2);
	});

	it('refuses a repeated id with both rows', async () => {
		const ids = rows
			.slice(0, 3)
			.map((row, i) => ({ 编号: i === 2 ? 'C-1' : `C-${i + 1}`, ...row }));
		const error = await refusal('ids.csv', encoder.encode(csvOf(ids)), { crs: 'gcj02' });
		expect(error.code).toBe('DUPLICATE_RECORDS');
		expect(error.message).toContain('rows 2 and 4 both give "C-1"');
	});
});
