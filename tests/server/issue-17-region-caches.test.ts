/**
 * Issue 17 (the server under load): the region list and readRegion's feature counts are kept
 * while a region's files are unchanged (the home page lists every region on every GET). What
 * must hold: a layer replaced by an import, a file edited in place, a region broken and mended
 * all show at the next read, without a restart.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRegionSummaries } from '../../src/lib/server/region-list.ts';
import { readRegion, writeLayer } from '../../src/lib/server/region-store.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const ID = 'shanghai-bund-lujiazui';

describe('issue 17: region list and feature counts follow the files', () => {
	let dir: string;
	const folder = () => join(dir, ID);
	const layerCount = (layer: string) => {
		const [entry] = listRegionSummaries(dir);
		if (!entry.ok) throw new Error(entry.error);
		return entry.summary.layers.find((l) => l.layer === layer)?.count;
	};
	const collection = (file: string) =>
		JSON.parse(readFileSync(join(folder(), file), 'utf8')) as { features: unknown[] };

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-region-caches-'));
		cpSync(join(repoRoot, 'data', 'regions', ID), folder(), { recursive: true });
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('counts a buildings file again after it is rewritten in place', () => {
		const buildings = collection('buildings.geojson');
		expect(readRegion(dir, ID).layers.buildingCount).toBe(buildings.features.length);
		expect(layerCount('buildings')).toBe(buildings.features.length);
		writeFileSync(
			join(folder(), 'buildings.geojson'),
			JSON.stringify({ type: 'FeatureCollection', features: buildings.features.slice(0, 7) })
		);
		expect(readRegion(dir, ID).layers.buildingCount).toBe(7);
		expect(layerCount('buildings')).toBe(7);
	});

	it('lists a residential layer replaced by writeLayer (an import)', () => {
		const region = readRegion(dir, ID);
		const compounds = region.layers.residential!;
		expect(layerCount('residential')).toBe(compounds.length);
		writeLayer(dir, ID, 'residential', compounds.slice(0, 3));
		expect(layerCount('residential')).toBe(3);
		const [entry] = listRegionSummaries(dir);
		expect(entry.ok && entry.summary.households).toBe(
			compounds.slice(0, 3).reduce((sum, c) => sum + (c.properties.households ?? 0), 0)
		);
	});

	it('lists a broken region as broken, and as mended once its file is fixed', () => {
		const good = readFileSync(join(folder(), 'region.json'), 'utf8');
		expect(listRegionSummaries(dir)[0].ok).toBe(true);
		writeFileSync(join(folder(), 'region.json'), '{ "id": ');
		expect(listRegionSummaries(dir)[0].ok).toBe(false);
		writeFileSync(join(folder(), 'region.json'), good);
		expect(listRegionSummaries(dir)[0].ok).toBe(true);
	});
});
