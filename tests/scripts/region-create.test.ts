/**
 * Issue 12, through the CLI as a bureau would: create a region from a real OSM export the demo
 * does not use (Longgang, Shenzhen) and a boundary file, import a 30-compound XLSX with Chinese
 * headers in GCJ-02 and a facilities XLSX (both made here, synthetic rows), and export the gap
 * report — without editing any JSON. Bad files are refused and leave the region byte-identical.
 * 崂山区 takes an extract through the same path (a small synthetic grid kept in tests/fixtures).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	compoundRows,
	csvOf,
	facilityRows,
	walkableAnchors,
	xlsxOf
} from '../fixtures/bureau-lists.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const shared = join(repoRoot, '..', 'shared', 'data');
const longgang = join(shared, 'roads', 'shenzhen_longgang_raw.osm');
const bounds: [number, number, number, number] = [114.1862, 22.6732, 114.2318, 22.7019];

function run(script: string, ...args: string[]) {
	return spawnSync(process.execPath, [join(repoRoot, 'scripts', script), ...args], {
		encoding: 'utf8'
	});
}

/** Every file of a region folder (not .versions), byte for byte. */
function snapshot(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir, { withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => [entry.name, readFileSync(join(dir, entry.name)).toString('base64')])
	);
}

describe('npm run region:create → import → analyze (issue 12)', () => {
	let work: string;
	let regionsDir: string;
	const regionDir = () => join(regionsDir, 'shenzhen-longgang');
	const anchors = walkableAnchors(longgang, bounds, 30);
	const compounds = compoundRows(anchors, '龙城街道', '测试社区');

	beforeAll(async () => {
		work = mkdtempSync(join(tmpdir(), 'carecircle-create-'));
		regionsDir = join(work, 'regions');
		const [w, s, e, n] = bounds;
		writeFileSync(
			join(work, 'outline.geojson'),
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: {},
						geometry: {
							type: 'Polygon',
							coordinates: [
								[
									[w, s],
									[e, s],
									[e, n],
									[w, n],
									[w, s]
								]
							]
						}
					}
				]
			})
		);
		writeFileSync(
			join(work, '小区名单.xlsx'),
			await xlsxOf('龙城街道小区名单（测试数据）', compounds)
		);
		writeFileSync(
			join(work, '设施清单.xlsx'),
			await xlsxOf(
				'养老服务设施清单（测试数据）',
				facilityRows(
					anchors,
					compounds.map((c) => c.小区名称)
				)
			)
		);
	});
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('creates the region from the extract and a boundary file', () => {
		const result = run(
			'region-create.ts',
			'--id',
			'shenzhen-longgang',
			'--name',
			'深圳龙岗（测试）',
			'--osm',
			longgang,
			'--boundary',
			join(work, 'outline.geojson'),
			'--regions-dir',
			regionsDir
		);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/created region shenzhen-longgang/);
		const meta = JSON.parse(readFileSync(join(regionDir(), 'region.json'), 'utf8'));
		expect(meta.layers).toMatchObject({
			network: 'network.osm',
			boundaries: 'boundaries.geojson',
			residential: null
		});
		expect(meta.sources[0]).toMatchObject({
			licence: 'ODbL-1.0',
			attribution: '© OpenStreetMap contributors'
		});
		expect(meta.summary.walkGraphNodes).toBeGreaterThan(500);
		for (const note of meta.notes) {
			expect(Object.keys(note).sort()).toEqual(['en', 'zh']);
			expect(note.zh).toMatch(/\p{Script=Han}/u);
		}
		const profileNote = meta.notes.find((note: { en: string }) =>
			/No rule profile of this region's jurisdiction/.test(note.en)
		);
		expect(profileNote.zh).toMatch(
			/^本辖区没有规则配置：暂以青岛市规则（qingdao-city-2023-draft）代替/
		);
		expect(existsSync(join(regionDir(), 'tiles.pmtiles'))).toBe(true);
		expect(readdirSync(join(regionsDir, '.staging'))).toEqual([]);
		// a second create of the same id is refused, the region untouched
		const again = run(
			'region-create.ts',
			'--id',
			'shenzhen-longgang',
			'--name',
			'x',
			'--osm',
			longgang,
			'--bbox',
			bounds.join(','),
			'--regions-dir',
			regionsDir
		);
		expect(again.status).toBe(1);
		expect(again.stderr).toMatch(/exists already/);
		expect(again.stderr).not.toMatch(/^\s+at /m);
	});

	it('imports the 30-compound list (GCJ-02, Chinese headers) and the facilities', () => {
		const residential = run(
			'import.ts',
			join(work, '小区名单.xlsx'),
			'--region',
			'shenzhen-longgang',
			'--layer',
			'residential',
			'--crs',
			'gcj02',
			'--regions-dir',
			regionsDir
		);
		expect(residential.status, residential.stderr).toBe(0);
		expect(residential.stdout).toContain('30 features for layer "residential"');
		expect(residential.stdout).toContain('elders←60岁以上老人数');
		expect(residential.stdout).toContain('status←建成状态');
		const facilities = run(
			'import.ts',
			join(work, '设施清单.xlsx'),
			'--region',
			'shenzhen-longgang',
			'--layer',
			'facilities',
			'--crs',
			'gcj02',
			'--regions-dir',
			regionsDir
		);
		expect(facilities.status, facilities.stderr).toBe(0);
		expect(facilities.stdout).toContain('5 features for layer "facilities"');
	});

	it('refuses the Paris, duplicate-name and wrong-CRS files; the region stays byte-identical', async () => {
		const before = snapshot(regionDir());
		writeFileSync(
			join(work, 'paris.csv'),
			csvOf([
				{ 小区名称: '测试小区A', 总户数: 300, 经度: 2.3522, 纬度: 48.8566 },
				{ 小区名称: '测试小区B', 总户数: 500, 经度: 2.2945, 纬度: 48.8584 }
			])
		);
		const twice = compounds.slice(0, 16).map((row) => ({ ...row }));
		twice[15].小区名称 = twice[13].小区名称;
		writeFileSync(join(work, 'dup.xlsx'), await xlsxOf('名单', twice));
		const cases: [string, string[], RegExp][] = [
			['paris.csv', ['--crs', 'wgs84'], /OUTSIDE_REGION.*outside China/s],
			['dup.xlsx', ['--crs', 'gcj02'], /DUPLICATE_RECORDS.*rows 16 and 18 are both "测试小区14"/s],
			['小区名单.xlsx', ['--crs', 'EPSG:4547'], /OUTSIDE_REGION.*coordinate system looks wrong/s]
		];
		for (const [file, extra, message] of cases) {
			const result = run(
				'import.ts',
				join(work, file),
				'--region',
				'shenzhen-longgang',
				'--layer',
				'residential',
				...extra,
				'--regions-dir',
				regionsDir
			);
			expect(result.status, file).toBe(1);
			expect(result.stderr, file).toMatch(message);
			expect(result.stderr, file).toContain('The region was not changed.');
			expect(snapshot(regionDir()), file).toEqual(before);
		}
	});

	it('exports the gap report: every compound judged, coverage computed', async () => {
		const out = join(work, 'report');
		const result = run('analyze.ts', '--region', regionDir(), '--out', out, '--date', '2026-12-03');
		expect(result.status, result.stderr).toBe(0);
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		expect(summary.summary.areas).toBe(30);
		expect(summary.summary.eldersCovered).toBeGreaterThan(0);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.readFile(join(out, 'report.xlsx'));
		expect(workbook.worksheets.length).toBeGreaterThan(2);
		const coverage = run('coverage.ts', '--region', regionDir(), '--out', join(work, 'coverage'));
		expect(coverage.status, coverage.stderr).toBe(0);
		const csv = readFileSync(join(work, 'coverage', 'coverage.csv'), 'utf8');
		expect(csv.split('\r\n').filter(Boolean)).toHaveLength(31);
	});

	it('崂山区 accepts an extract through the same path (--admin 370212, synthetic grid)', () => {
		const result = run(
			'region-create.ts',
			'--id',
			'laoshan-test',
			'--name',
			'崂山区（测试路网）',
			'--osm',
			join(repoRoot, 'tests', 'fixtures', 'laoshan-synthetic-grid.osm'),
			'--admin',
			'370212',
			'--regions-dir',
			regionsDir
		);
		expect(result.status, result.stderr).toBe(0);
		const meta = JSON.parse(readFileSync(join(regionsDir, 'laoshan-test', 'region.json'), 'utf8'));
		expect(meta.defaultProfile).toBe('qingdao-laoshan-2024');
		expect(meta.summary.boundaries).toBe(6);
		expect(meta.summary.communities).toBeGreaterThan(100);
		expect(meta.summary.walkGraphNodes).toBe(144);
		expect(meta.notes).toContainEqual({
			zh: '辖区边界：崂山区（GB/T 2260 370212），取自内置的青岛行政区划边界。',
			en: 'Outline: 崂山区 (GB/T 2260 370212) from the bundled Qingdao boundaries.'
		});
		expect(result.stdout).toContain(
			'说明 note: 辖区边界：崂山区（GB/T 2260 370212），取自内置的青岛行政区划边界。\n             Outline: 崂山区'
		);
		const compound = join(work, 'laoshan.csv');
		writeFileSync(
			compound,
			'小区名称,所属街道,总户数,60岁以上老人数,建成状态,经度,纬度\n测试花园,金家岭街道,600,150,新建,120.458,36.099\n'
		);
		const imported = run(
			'import.ts',
			compound,
			'--region',
			'laoshan-test',
			'--layer',
			'residential',
			'--crs',
			'wgs84',
			'--regions-dir',
			regionsDir
		);
		expect(imported.status, imported.stderr).toBe(0);
		const layer = JSON.parse(
			readFileSync(join(regionsDir, 'laoshan-test', 'residential.geojson'), 'utf8')
		);
		expect(layer.features[0].properties).toMatchObject({ streetCode: '370212005', status: 'new' });
	});
});
