/**
 * `npm run site` on the demo region: k = 3 exact brings every elder within 15 minutes (the
 * before/after street table agrees with the engine), a 90 % target needs two stations, a candidate
 * CSV is read and an off-network candidate reported, and bad input gets a clear message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const site = (...args: string[]) =>
	spawnSync(process.execPath, [join(repoRoot, 'scripts', 'site.ts'), ...args], {
		cwd: repoRoot,
		encoding: 'utf8'
	});
const csv = (path: string) =>
	Papa.parse<Record<string, string>>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
		header: true,
		skipEmptyLines: true
	}).data;

describe('npm run site', () => {
	it('k = 3, exact: every elder of the demo within 15 minutes, and the street table shows it', () => {
		const out = mkdtempSync(join(tmpdir(), 'carecircle-site-'));
		const result = site('--region', 'shanghai-bund-lujiazui', '--k', '3', '--out', out);
		expect(result.status, result.stderr).toBe(0);
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		expect(summary).toMatchObject({
			method: 'exact',
			status: 'optimal',
			eldersBefore: 7379,
			eldersAfter: 11814,
			relativeGap: 0
		});
		const sites = csv(join(out, 'sites.csv'));
		expect(sites).toHaveLength(3);
		expect(sites.reduce((sum, row) => sum + Number(row.gain_elders), 0)).toBe(11814 - 7379);
		const [street] = csv(join(out, 'streets-before-after.csv'));
		expect(Number(street.elders_covered_before)).toBe(7379);
		expect(Number(street.elders_covered_after)).toBe(11814);
		expect(summary.summaryAfter.eldersCovered).toBe(11814);
		const geojson = JSON.parse(readFileSync(join(out, 'sites.geojson'), 'utf8'));
		expect(geojson.features).toHaveLength(3);
		const contributions = csv(join(out, 'contributions.csv'));
		expect(contributions.map((row) => row.fixed)).toEqual(['true', 'false', 'false', 'false']);
		expect(result.stdout).toContain('7379 (62.5 %) → 11814 (100.0 %)');
	});

	it('a 90 % target needs two new stations', () => {
		const out = mkdtempSync(join(tmpdir(), 'carecircle-site-'));
		const result = site('--region', 'shanghai-bund-lujiazui', '--target', '0.9', '--out', out);
		expect(result.status, result.stderr).toBe(0);
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		expect(summary.sites).toHaveLength(2);
		expect(summary.eldersAfter / summary.totalElders).toBeGreaterThanOrEqual(0.9);
		expect(summary.targetReachable).toBe(true);
	});

	it('reads candidates from a CSV and reports the one far from any path', () => {
		const dir = mkdtempSync(join(tmpdir(), 'carecircle-site-'));
		const file = join(dir, 'candidates.csv');
		// Chinese headers and a floor area, read by the region importers.
		writeFileSync(
			file,
			'名称,经度,纬度,建筑面积\n梅一小区旁空置用房,121.5185,31.2397,250\n东海上,122.5,30.5,300\n'
		);
		const result = site(
			'--region',
			'shanghai-bund-lujiazui',
			'--k',
			'1',
			'--candidates',
			file,
			'--out',
			join(dir, 'out')
		);
		expect(result.status, result.stderr).toBe(0);
		const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
		expect(summary.offNetworkCandidates.map((c: { name: string }) => c.name)).toEqual(['东海上']);
		expect(summary.sites).toHaveLength(1);
		expect(summary.sites[0].name).toBe('梅一小区旁空置用房');
		expect(summary.eldersAfter).toBeGreaterThan(7379);
	});

	it("takes candidates from the region's public and commercial buildings", () => {
		const out = mkdtempSync(join(tmpdir(), 'carecircle-site-'));
		const result = site(
			'--region',
			'shanghai-bund-lujiazui',
			'--k',
			'3',
			'--candidates',
			'buildings',
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		// 54 buildings of those kinds in the demo's OSM data: 42 commercial, 6 retail, 4 office,
		// 1 school, 1 shop.
		expect(summary.candidateCount + summary.offNetworkCandidates.length).toBe(54);
		expect(summary.sites.length).toBe(3);
		for (const site of summary.sites) expect(site.candidateId).toMatch(/^building-osm-/);
		expect(summary.eldersAfter).toBeGreaterThan(summary.eldersBefore);
	});

	it('refuses a region without a network, and a request with both --k and --target', () => {
		const laoshan = site('--region', 'qingdao-laoshan', '--k', '3', '--out', join(tmpdir(), 'x'));
		expect(laoshan.status).toBe(1);
		expect(laoshan.stderr).toContain('has no walking network');
		const both = site(
			'--region',
			'shanghai-bund-lujiazui',
			'--k',
			'3',
			'--target',
			'0.9',
			'--out',
			join(tmpdir(), 'x')
		);
		expect(both.status).toBe(1);
		expect(both.stderr).toContain('usage: npm run site');
	});
});
