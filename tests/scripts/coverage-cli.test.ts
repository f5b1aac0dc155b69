/**
 * `npm run coverage` on the demo region: the files a planner opens, and the facts they must show.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const run = (...args: string[]) =>
	spawnSync(process.execPath, [join(repoRoot, 'scripts', 'coverage.ts'), ...args], {
		cwd: repoRoot,
		encoding: 'utf8'
	});

describe('npm run coverage', () => {
	let out: string;
	let rows: Record<string, string>[];
	let stdout: string;
	beforeAll(() => {
		out = mkdtempSync(join(tmpdir(), 'carecircle-coverage-'));
		const result = run('--region', 'shanghai-bund-lujiazui', '--out', out);
		expect(result.status, result.stderr).toBe(0);
		stdout = result.stdout;
		const [header, ...lines] = readFileSync(join(out, 'coverage.csv'), 'utf8')
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		const columns = header.split(',');
		rows = lines.map((line) =>
			Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell]))
		);
	});
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('writes one coverage row per compound, covered exactly when within 15 minutes', () => {
		expect(rows).toHaveLength(18);
		for (const row of rows) {
			const minutes = row.minutesToNearest === '' ? Infinity : Number(row.minutesToNearest);
			expect(row.covered, row.id).toBe(minutes <= 15 ? 'yes' : 'no');
			expect(row.households_estimated, row.id).toMatch(/^households-from-/);
		}
	});

	it('finds no walking route across the Huangpu: the Bund-side compound is unreachable from the Lujiazui meal point', () => {
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		const huangpu = summary.totals.districts.find((d: { name: string }) => d.name === '黄浦区');
		expect(huangpu.compounds).toBe(1);
		const westBank = rows.find((row) => row.id === 'osm-50323218')!;
		expect(westBank.minutesToNearest).toBe(''); // not reached within the 60-minute report bound
		expect(westBank.covered).toBe('no');
		// issue 12: coverage.csv says why (both banks are separate parts of the walking network)
		expect(westBank.reason).toContain('no facility reachable at all');
		expect(Number(westBank.snapDistanceM)).toBeGreaterThanOrEqual(0);
		for (const row of rows) if (row.covered === 'no') expect(row.reason, row.id).not.toBe('');
	});

	it('adds up: the printed elders figure equals the sum over covered rows', () => {
		const covered = rows
			.filter((row) => row.covered === 'yes')
			.reduce((sum, row) => sum + Number(row.elders), 0);
		const total = rows.reduce((sum, row) => sum + Number(row.elders), 0);
		expect(stdout).toContain(`${covered} of ${total} elders`);
		const isochrones = JSON.parse(readFileSync(join(out, 'isochrones.geojson'), 'utf8'));
		expect(
			isochrones.features.map((f: { properties: { part: string } }) => f.properties.part)
		).toEqual(['band', 'reached-streets']);
	});

	it('a frail walking speed never covers more', () => {
		const frailOut = join(out, 'frail');
		expect(run('--region', 'shanghai-bund-lujiazui', '--frail', '--out', frailOut).status).toBe(0);
		const frail = readFileSync(join(frailOut, 'coverage.csv'), 'utf8')
			.split('\r\n')
			.filter((line) => line.includes(',yes,')).length;
		expect(frail).toBeLessThanOrEqual(rows.filter((row) => row.covered === 'yes').length);
	});

	it('says plainly that a region without a network cannot be analysed', () => {
		const result = run('--region', 'qingdao-laoshan', '--out', join(out, 'laoshan'));
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			'region "qingdao-laoshan" has no walking network, so walking coverage cannot be computed.'
		);
		expect(result.stderr).toContain(
			'npm run region:build -- --region qingdao-laoshan --osm <file.osm.pbf>'
		);
	});
});
