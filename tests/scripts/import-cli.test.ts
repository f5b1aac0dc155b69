/**
 * `npm run import`: the CLI a bureau uses to fill a region. A good file replaces the layer; a
 * bad one exits 1 and leaves every file of the region byte for byte as it was.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const fixtures = join(repoRoot, 'tests', 'engine', 'import', 'fixtures');

/** The region's files (not its .versions folder), byte for byte. */
function snapshot(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir, { withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => entry.name)
			.sort()
			.map((name) => [name, readFileSync(join(dir, name), 'utf8')])
	);
}

describe('npm run import', () => {
	let regionsDir: string;
	const regionDir = () => join(regionsDir, 'qingdao-laoshan');
	const runImport = (...args: string[]) =>
		spawnSync(
			process.execPath,
			[
				join(repoRoot, 'scripts', 'import.ts'),
				...args,
				'--region',
				'qingdao-laoshan',
				'--regions-dir',
				regionsDir
			],
			{
				encoding: 'utf8'
			}
		);

	beforeEach(() => {
		regionsDir = mkdtempSync(join(tmpdir(), 'carecircle-import-'));
		cpSync(join(repoRoot, 'data', 'regions', 'qingdao-laoshan'), regionDir(), { recursive: true });
	});
	afterEach(() => rmSync(regionsDir, { recursive: true, force: true }));

	it('imports an Excel list into a region without compounds and records the source', () => {
		const result = runImport(join(fixtures, 'laoshan-compounds.xlsx'), '--layer', 'residential');
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain(
			'laoshan-compounds.xlsx: xlsx, 3 features for layer "residential"'
		);
		const meta = JSON.parse(readFileSync(join(regionDir(), 'region.json'), 'utf8'));
		expect(meta.layers.residential).toBe('residential.geojson');
		expect(meta.sources.at(-1)).toMatchObject({
			id: 'import-residential-laoshan-compounds.xlsx',
			usedFor: ['residential']
		});
		const layer = JSON.parse(readFileSync(join(regionDir(), 'residential.geojson'), 'utf8'));
		expect(layer.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual([
			'金岭花园',
			'海尔路小区',
			'沙子口新苑'
		]);
		expect(readdirSync(regionDir()).filter((name) => name.includes('.import-'))).toEqual([]);
	});

	it('detects CGCS2000 zone 40 without zone prefix from the region extent', () => {
		const file = join(regionsDir, 'projected.csv');
		writeFileSync(file, '小区名称,户数,x,y\n金岭花园,1200,541431.4,3996869.8\n');
		const result = runImport(file, '--layer', 'residential');
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('coordinates: EPSG:4549 (detected: ');
		const [feature] = JSON.parse(
			readFileSync(join(regionDir(), 'residential.geojson'), 'utf8')
		).features;
		expect(feature.geometry.coordinates[0]).toBeCloseTo(120.4601, 4);
		expect(feature.geometry.coordinates[1]).toBeCloseTo(36.1012, 4);
	});

	it('leaves the region untouched when the import fails, and says why', () => {
		const before = snapshot(regionDir());
		const bad = join(regionsDir, 'projected.csv');
		// projected metres that no zone of the region explains (about 27°N)
		writeFileSync(bad, '小区名称,户数,x,y\n金岭花园,1200,541431.4,2996869.8\n');
		const result = runImport(bad, '--layer', 'residential');
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('import failed (UNKNOWN_CRS)');
		expect(result.stderr).toContain('The region was not changed.');
		expect(snapshot(regionDir())).toEqual(before);
	});

	it('writes nothing with --dry-run but still reports every row', () => {
		const before = snapshot(regionDir());
		const result = runImport(
			join(fixtures, 'laoshan-compounds-gbk.csv'),
			'--layer',
			'residential',
			'--dry-run'
		);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('--dry-run: nothing written.');
		expect(result.stdout).toMatch(/laoshan-compounds-gbk\.csv: .*GBK/);
		expect(snapshot(regionDir())).toEqual(before);
	});

	it('merges by id, keeps the previous version, and --undo puts it back byte for byte (issue 12)', () => {
		const empty = snapshot(regionDir());
		expect(
			runImport(join(fixtures, 'laoshan-compounds.xlsx'), '--layer', 'residential').status
		).toBe(0);
		const before = snapshot(regionDir());
		const result = runImport(
			join(fixtures, 'laoshan-compounds-utf8-bom.csv'),
			'--layer',
			'residential',
			'--mode',
			'merge'
		);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain(
			'change (merge): 3 → 4 features; 1 added, 3 updated, 0 removed'
		);
		expect(result.stdout).toContain('previous version kept as #2');
		const undo = runImport('--undo');
		expect(undo.status, undo.stderr).toBe(0);
		expect(undo.stdout).toContain(
			'undone: import residential laoshan-compounds-utf8-bom.csv (merge)'
		);
		expect(snapshot(regionDir())).toEqual(before);
		expect(runImport('--undo').status).toBe(0);
		expect(snapshot(regionDir())).toEqual(empty);
		const nothing = runImport('--undo');
		expect(nothing.status).toBe(1);
		expect(nothing.stderr).toContain('has no earlier version to go back to');
		expect(nothing.stderr).not.toMatch(/^\s+at /m);
	});

	it('refuses a file mostly outside the region and leaves every file as it was (issue 12)', () => {
		expect(
			runImport(join(fixtures, 'laoshan-compounds.xlsx'), '--layer', 'residential').status
		).toBe(0);
		const before = snapshot(regionDir());
		const paris = join(regionsDir, 'paris.csv');
		writeFileSync(
			paris,
			'小区名称,户数,经度,纬度\n测试A,300,2.3522,48.8566\n测试B,500,2.2945,48.8584\n'
		);
		const result = runImport(paris, '--layer', 'residential', '--crs', 'wgs84');
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('import failed (OUTSIDE_REGION)');
		expect(result.stderr).toContain('outside China');
		expect(snapshot(regionDir())).toEqual(before);
	});
});
