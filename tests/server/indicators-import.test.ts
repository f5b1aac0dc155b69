/**
 * Issue 16 item 1: the indicator table through the region importers — the preview route answers
 * rows read, rows with errors and the first rows with nothing written; the import route stores
 * indicators.json (region.json names it) and keeps the previous version; a re-import replaces
 * only the rows of the same level, code and date; another city's table is refused with nothing
 * written; GET /api/regions/<id> carries the rows to the map; the CLI prints the same preview;
 * the shipped sample reads without an error on the demo region.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorRow } from '../../src/lib/engine/region/indicators.ts';
import { previewImport, type ImportPreview } from '../../src/lib/server/region-import.ts';
import { readRegion } from '../../src/lib/server/region-store.ts';
import { undoLastVersion } from '../../src/lib/server/region-versions.ts';
import * as regionRoute from '../../src/routes/api/regions/[id]/+server.ts';
import * as importRoute from '../../src/routes/api/regions/[id]/imports/+server.ts';
import * as previewRoute from '../../src/routes/api/regions/[id]/imports/preview/+server.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const ID = 'qingdao-laoshan';
const HEADER =
	'层级,代码,名称,统计日期,数据来源,家庭养老床位,月探访率,80岁以上老年人数,能力评估人数';
const YEAR_2025 = [
	HEADER,
	'区县,370212,崂山区,2025-12-31,区民政局,310,99%,15230,14980',
	'街道,370212001,中韩街道,2025-12-31,区民政局,60,96%,3100,2950',
	'街道,370212005,金家岭街道,2025-12-31,区民政局,55,1,2800,2800',
	'街道,370212005,金家岭街道,2025-12-31,区民政局,54,1,2800,2800', // repeated: rejected
	'街道,370212002,沙子口街道,2025-12-31,区民政局,四十,,,' // not a number, no other figure
].join('\n');

type Handler = (event: never) => Response | Promise<Response>;
async function post(handler: Handler, query: string, body: string | Uint8Array<ArrayBuffer>) {
	const url = new URL(`http://localhost/api/regions/${ID}/imports?${query}`);
	const request = new Request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: typeof body === 'string' ? new TextEncoder().encode(body) : body
	});
	return handler({ params: { id: ID }, request, url } as never);
}
const query = (file: string, extra: Record<string, string> = {}) =>
	new URLSearchParams({ layer: 'indicators', file, ...extra }).toString();

function files(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir, { withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => [entry.name, readFileSync(join(dir, entry.name), 'utf8')])
	);
}

describe('indicator table through the region importers (issue 16)', () => {
	let regionsDir: string;
	let previous: string | undefined;
	beforeEach(() => {
		regionsDir = mkdtempSync(join(tmpdir(), 'carecircle-indicators-'));
		cpSync(join(repoRoot, 'data', 'regions', ID), join(regionsDir, ID), { recursive: true });
		previous = process.env.CARECIRCLE_REGIONS_DIR;
		process.env.CARECIRCLE_REGIONS_DIR = regionsDir;
	});
	afterEach(() => {
		if (previous === undefined) delete process.env.CARECIRCLE_REGIONS_DIR;
		else process.env.CARECIRCLE_REGIONS_DIR = previous;
		rmSync(regionsDir, { recursive: true, force: true });
	});
	const regionDir = () => join(regionsDir, ID);

	it('previews (nothing written), imports into indicators.json, and the region payload carries it', async () => {
		const before = files(regionDir());
		const previewed = await post(previewRoute.POST as Handler, query('2025.csv'), YEAR_2025);
		expect(previewed.status).toBe(200);
		const preview = (await previewed.json()) as ImportPreview;
		expect(files(regionDir())).toEqual(before);
		expect(preview.layer).toBe('indicators');
		expect(preview.counts.features).toBe(3);
		expect(preview.indicators).toMatchObject({
			rowsRead: 5,
			rowsWithErrors: 2,
			dates: ['2025-12-31'],
			levels: { street: 2, district: 1, institution: 0 },
			replaced: 0,
			kept: 0,
			added: 3
		});
		expect(preview.indicators!.firstRows.map((row) => row.code)).toEqual([
			'370212',
			'370212001',
			'370212005'
		]);
		expect(
			preview.issues
				.filter((issue) => issue.action === 'rejected')
				.map((issue) => [issue.row, issue.field])
		).toEqual([
			[5, '代码'],
			[6, '家庭养老床位'],
			[6, '家庭养老床位']
		]);
		expect(preview.change).toEqual({
			mode: 'merge',
			before: 0,
			after: 3,
			added: 3,
			updated: 0,
			removed: 0
		});

		const imported = await post(importRoute.POST as Handler, query('2025.csv'), YEAR_2025);
		expect(imported.status).toBe(201);
		const { version } = (await imported.json()) as { version: { seq: number; created: string[] } };
		expect(version.created).toEqual(['indicators.json']);
		const meta = JSON.parse(readFileSync(join(regionDir(), 'region.json'), 'utf8'));
		expect(meta.layers.indicators).toBe('indicators.json');
		expect(meta.sources.at(-1)).toMatchObject({ title: '2025.csv', usedFor: ['indicators'] });
		const stored = JSON.parse(readFileSync(join(regionDir(), 'indicators.json'), 'utf8'));
		expect(stored).toEqual<IndicatorRow[]>([
			{
				level: 'district',
				code: '370212',
				name: '崂山区',
				asOf: '2025-12-31',
				source: '区民政局',
				values: { familyBeds: 310, visitRate: 0.99, elders80: 15230, assessed80: 14980 }
			},
			{
				level: 'street',
				code: '370212001',
				name: '中韩街道',
				asOf: '2025-12-31',
				source: '区民政局',
				values: { familyBeds: 60, visitRate: 0.96, elders80: 3100, assessed80: 2950 }
			},
			{
				level: 'street',
				code: '370212005',
				name: '金家岭街道',
				asOf: '2025-12-31',
				source: '区民政局',
				values: { familyBeds: 55, visitRate: 1, elders80: 2800, assessed80: 2800 }
			}
		]);
		expect(readRegion(regionsDir, ID).indicators).toEqual(stored);

		const payload = await (regionRoute.GET as Handler)({ params: { id: ID } } as never);
		const body = (await payload.json()) as { indicators: IndicatorRow[] | null };
		expect(body.indicators).toEqual(stored);

		undoLastVersion(regionsDir, ID);
		expect(existsSync(join(regionDir(), 'indicators.json'))).toBe(false);
		expect(readRegion(regionsDir, ID).indicators).toBeNull();
	});

	it('a region without a table answers indicators: null', async () => {
		const payload = await (regionRoute.GET as Handler)({ params: { id: ID } } as never);
		expect(((await payload.json()) as { indicators: unknown }).indicators).toBeNull();
	});

	it('a re-import replaces the rows of the same level, code and date and keeps the others', async () => {
		expect((await post(importRoute.POST as Handler, query('2025.csv'), YEAR_2025)).status).toBe(
			201
		);
		// 2024 from a sheet without 统计日期 / 数据来源 columns; and a corrected 中韩街道 for 2025.
		const year2024 = '代码,名称,月探访率\n370212001,中韩街道,90%\n370212,崂山区,95%\n';
		const refused = await post(importRoute.POST as Handler, query('2024.csv'), year2024);
		expect(refused.status).toBe(422);
		expect(await refused.json()).toMatchObject({ code: 'MISSING_COLUMN' });
		const imported2024 = await post(
			importRoute.POST as Handler,
			query('2024.csv', { asOf: '2024-12-31', source: '区民政局 2024 年报' }),
			year2024
		);
		expect(imported2024.status).toBe(201);
		const correction = `${HEADER}\n街道,370212001,中韩街道,2025-12-31,区民政局（更正）,62,97%,3100,3000\n`;
		const preview = (await (
			await post(previewRoute.POST as Handler, query('更正.csv'), correction)
		).json()) as ImportPreview;
		expect(preview.indicators).toMatchObject({ replaced: 1, kept: 4, added: 0 });
		expect(preview.change).toMatchObject({ before: 5, after: 5, updated: 1 });
		expect((await post(importRoute.POST as Handler, query('更正.csv'), correction)).status).toBe(
			201
		);
		const rows = readRegion(regionsDir, ID).indicators!;
		expect(rows.map((row) => [row.code, row.asOf, row.source, row.values.visitRate])).toEqual([
			['370212', '2025-12-31', '区民政局', 0.99],
			['370212001', '2025-12-31', '区民政局（更正）', 0.97],
			['370212005', '2025-12-31', '区民政局', 1],
			['370212001', '2024-12-31', '区民政局 2024 年报', 0.9],
			['370212', '2024-12-31', '区民政局 2024 年报', 0.95]
		]);
	});

	it("refuses another city's table with 422 and writes nothing", async () => {
		const before = files(regionDir());
		const shanghai = [
			HEADER,
			'区县,310101,黄浦区,2025-12-31,示例,260,99%,53100,50200',
			'街道,310115005,陆家嘴街道,2025-12-31,示例,64,96%,9800,9120'
		].join('\n');
		const response = await post(importRoute.POST as Handler, query('上海.csv'), shanghai);
		expect(response.status).toBe(422);
		const body = (await response.json()) as { code: string; message: string; issues: unknown[] };
		expect(body.code).toBe('OUTSIDE_REGION');
		expect(body.message).toContain('2 of 2 codes');
		expect(body.issues).toHaveLength(2);
		expect(files(regionDir())).toEqual(before);
	});

	it('an unknown layer is a 400 naming the indicator layer', async () => {
		const response = await post(importRoute.POST as Handler, 'layer=targets&file=a.csv', YEAR_2025);
		expect(response.status).toBe(400);
		expect(((await response.json()) as { message: string }).message).toContain('indicators');
	});

	it('the CLI imports the layer and prints the same preview', () => {
		const csvPath = join(regionsDir, '2025.csv');
		cpSync(join(repoRoot, 'data/samples/indicators-sample.csv'), csvPath);
		const run = spawnSync(
			process.execPath,
			[
				join(repoRoot, 'scripts', 'import.ts'),
				join(repoRoot, 'data/samples/indicators-sample.csv'),
				'--region',
				'shanghai-bund-lujiazui',
				'--layer',
				'indicators',
				'--regions-dir',
				join(repoRoot, 'data', 'regions'),
				'--dry-run'
			],
			{ cwd: repoRoot, encoding: 'utf8' }
		);
		expect(run.status, run.stderr).toBe(0);
		expect(run.stdout).toContain('indicator rows: 9 read, 0 with errors');
		expect(run.stdout).toContain('would change: 0 → 9 rows');
		expect(run.stdout).toContain('--dry-run: nothing written.');
	});
});

describe('the shipped sample (data/samples/indicators-sample.csv)', () => {
	it('reads on the demo region without an error, invented figures said so, a street behind', async () => {
		const bytes = new Uint8Array(
			readFileSync(join(repoRoot, 'data/samples/indicators-sample.csv'))
		);
		const preview = await previewImport(
			join(repoRoot, 'data', 'regions'),
			'shanghai-bund-lujiazui',
			{
				file: 'indicators-sample.csv',
				bytes,
				layer: 'indicators',
				mode: 'replace'
			}
		);
		expect(preview.counts).toMatchObject({ features: 9, rejected: 0 });
		const rows = (await import('../../src/lib/engine/import/indicators.ts')).mergeIndicatorRows(
			[],
			preview.indicators!.firstRows
		).rows;
		expect(rows.length).toBe(9);
		for (const row of rows) expect(row.source).toBe('示例数据（虚构） / sample figures, invented');
		const behind = rows.filter(
			(row) =>
				row.level === 'street' &&
				row.values.visitRate! < 1 &&
				row.values.assessed80! < row.values.elders80!
		);
		expect(behind.map((row) => row.name)).toEqual(['小东门街道', '陆家嘴街道']);
		expect(readFileSync(join(repoRoot, 'data/samples/README.md'), 'utf8')).toContain(
			'invented for demonstration'
		);
	});
});
