import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarizeRegion } from '../../src/lib/engine/region/summary.ts';
import type { ResidentialFeature } from '../../src/lib/engine/region/schema.ts';
import { readRegion, RegionFileError, writeLayer } from '../../src/lib/server/region-store.ts';

const meta = {
	formatVersion: 1,
	id: 'tiny',
	name: '测试区',
	nameEn: 'Tiny',
	bbox: [121, 31, 122, 32],
	defaultProfile: 'qingdao-laoshan-2024',
	layers: { boundaries: null, residential: 'residential.geojson', facilities: null, network: null },
	sources: [
		{ id: 'hand', title: 'hand-made', origin: 'test', licence: 'CC0-1.0', usedFor: ['residential'] }
	],
	estimates: {
		'households-from-land-area': {
			layer: 'residential',
			field: 'households',
			method: 'land area × FAR ÷ dwelling size',
			basis: 'test',
			count: 1
		}
	}
};

const compound = (
	id: string,
	households: number | null,
	estimated: Record<string, string> = {}
) => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: [121.5, 31.5] },
	properties: {
		id,
		name: id,
		households,
		elders: null,
		status: 'existing',
		builtYear: null,
		streetCode: null,
		gates: [],
		estimated
	}
});

describe('region store', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-store-'));
		mkdirSync(join(dir, 'tiny'));
		writeFileSync(join(dir, 'tiny', 'region.json'), JSON.stringify(meta));
		writeFileSync(
			join(dir, 'tiny', 'residential.geojson'),
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					compound('a', 100, { households: 'households-from-land-area' }),
					compound('b', null)
				]
			})
		);
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('reads, validates and summarises a region: unknown households stay unknown, flags are counted', () => {
		const region = readRegion(dir, 'tiny');
		const summary = summarizeRegion(region.meta, region.layers);
		expect(summary.households).toBe(100);
		expect(summary.elders).toBeNull();
		expect(summary.estimatedFields).toEqual([
			{
				layer: 'residential',
				field: 'households',
				methodId: 'households-from-land-area',
				method: 'land area × FAR ÷ dwelling size',
				count: 1
			}
		]);
		expect(summary.layers.find((l) => l.layer === 'residential')?.count).toBe(2);
	});

	it('names the file, feature and field of an invalid feature', () => {
		writeFileSync(
			join(dir, 'tiny', 'residential.geojson'),
			JSON.stringify({ type: 'FeatureCollection', features: [compound('a', 1), compound('b', -5)] })
		);
		expect(() => readRegion(dir, 'tiny')).toThrow(RegionFileError);
		expect(() => readRegion(dir, 'tiny')).toThrow(
			'data/regions/tiny/residential.geojson: feature 1: field "properties.households": Too small: expected number to be >=0'
		);
	});

	it('replaces a layer atomically and leaves no temporary files', () => {
		writeLayer(dir, 'tiny', 'residential', [compound('c', 7) as unknown as ResidentialFeature]);
		expect(readRegion(dir, 'tiny').layers.residential?.map((f) => f.properties.id)).toEqual(['c']);
		expect(readdirSync(join(dir, 'tiny')).sort()).toEqual(['region.json', 'residential.geojson']);
	});

	it('keeps the region unchanged when the new metadata would be invalid', () => {
		const before = readFileSync(join(dir, 'tiny', 'residential.geojson'), 'utf8');
		expect(() =>
			writeLayer(
				dir,
				'tiny',
				'residential',
				[compound('c', 7) as unknown as ResidentialFeature],
				(m) => ({ ...m, id: 'NOT VALID' })
			)
		).toThrow();
		expect(readFileSync(join(dir, 'tiny', 'residential.geojson'), 'utf8')).toBe(before);
	});
});
