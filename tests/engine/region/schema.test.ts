import { describe, expect, it } from 'vitest';
import { regionMeta, residentialFeature } from '../../../src/lib/engine/region/schema.ts';

describe('region schema', () => {
	const compound = {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [121.51, 31.23] },
		properties: {
			id: 'r1',
			name: '崂山五村',
			households: 1200,
			elders: null,
			status: 'existing',
			builtYear: 1986,
			streetCode: null,
			estimated: { households: 'households-from-land-area' }
		}
	};

	it('accepts a compound with unknown elders and defaults gates to none', () => {
		const parsed = residentialFeature.parse(compound);
		expect(parsed.properties.gates).toEqual([]);
		expect(parsed.properties.elders).toBeNull();
	});

	it('rejects a negative household count and a malformed street code', () => {
		const bad = structuredClone(compound);
		bad.properties.households = -3;
		(bad.properties as Record<string, unknown>).streetCode = '37021';
		const result = residentialFeature.safeParse(bad);
		expect(result.success).toBe(false);
		const paths = result.error!.issues.map((issue) => issue.path.join('.')).sort();
		expect(paths).toEqual(['properties.households', 'properties.streetCode']);
	});

	it('rejects coordinates outside WGS84 ranges (a projected pair left unconverted)', () => {
		const bad = structuredClone(compound);
		bad.geometry.coordinates = [40512345.2, 4011234.8];
		expect(residentialFeature.safeParse(bad).success).toBe(false);
	});

	it('requires a region id made of lower-case letters, digits and hyphens', () => {
		const meta = {
			formatVersion: 1,
			id: 'Qingdao Laoshan',
			name: '崂山区',
			nameEn: 'Laoshan',
			bbox: [120.4, 35.9, 120.9, 36.3],
			defaultProfile: 'qingdao-laoshan-2024',
			layers: {
				boundaries: 'boundaries.geojson',
				residential: null,
				facilities: null,
				network: null
			},
			sources: [
				{ id: 'osm', title: 'OSM', origin: 'x', licence: 'ODbL-1.0', usedFor: ['boundaries'] }
			]
		};
		expect(regionMeta.safeParse(meta).success).toBe(false);
		expect(regionMeta.safeParse({ ...meta, id: 'qingdao-laoshan' }).success).toBe(true);
	});
});
