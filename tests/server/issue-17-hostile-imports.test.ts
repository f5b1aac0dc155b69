/**
 * Issue 17 item 3: hostile files are refused without a stack trace and with the region as it
 * was — a GeoJSON nested 100,000 deep, a zip bomb — and a region file nested too deep is
 * refused by the store before JSON.parse.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strToU8 } from 'fflate';
import { handZip, zerosDeflated } from '../engine/import/fixtures/zip-bomb.ts';
import { applyImport, previewImport } from '../../src/lib/server/region-import.ts';
import { readRegion, RegionFileError } from '../../src/lib/server/region-store.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const id = 'qingdao-laoshan';

/** Every file under `dir` (dot-folders such as .versions included) → its bytes, base64. */
function snapshot(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		out[relative(dir, path)] = readFileSync(path).toString('base64');
	}
	return out;
}

/** 1 GiB of zeros as one deflated .dbf entry (about 1 MB of zip). */
const zipBomb = () =>
	handZip([
		{ name: strToU8('a.dbf'), method: 8, data: zerosDeflated(1024), originalBytes: 2 ** 30 }
	]);

describe('hostile imports leave the region as it was (issue 17)', () => {
	let regionsDir: string;
	beforeEach(() => {
		regionsDir = mkdtempSync(join(tmpdir(), 'carecircle-hostile-'));
		cpSync(join(repoRoot, 'data', 'regions', id), join(regionsDir, id), { recursive: true });
	});
	afterEach(() => rmSync(regionsDir, { recursive: true, force: true }));

	const deep = new TextEncoder().encode(
		`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`
	);

	for (const [name, file, bytes, code] of [
		['a GeoJSON nested 100,000 deep', 'deep.geojson', deep, 'TOO_DEEP'],
		['a zip bomb', 'bomb.zip', zipBomb(), 'TOO_LARGE']
	] as const)
		it(`refuses ${name} in preview and import with ${code}; every byte of the region unchanged`, async () => {
			const before = snapshot(join(regionsDir, id));
			const request = { file, bytes, layer: 'boundaries' as const, mode: 'replace' as const };
			for (const run of [
				() => previewImport(regionsDir, id, request),
				() => applyImport(regionsDir, id, request, 'test')
			]) {
				const error = await run().then(
					() => null,
					(caught: unknown) => caught as Error & { code: string }
				);
				expect(error?.code).toBe(code);
				expect(error?.message.startsWith(`${file}: `)).toBe(true);
				expect(error?.message).not.toMatch(/\n\s+at /);
			}
			expect(snapshot(join(regionsDir, id))).toEqual(before);
		});

	it('refuses a region file nested too deep, naming it, before parsing it', () => {
		const path = join(regionsDir, id, 'boundaries.geojson');
		writeFileSync(
			path,
			`{"type":"FeatureCollection","features":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
		);
		let error: unknown;
		try {
			readRegion(regionsDir, id);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(RegionFileError);
		expect((error as RegionFileError).message).toMatch(
			new RegExp(
				`^data/regions/${id}/boundaries\\.geojson: JSON 嵌套超过 64 层（第 1 行第 \\d+ 列）`
			)
		);
		expect((error as RegionFileError).message).toContain('JSON nested deeper than 64 levels');
	});
});
