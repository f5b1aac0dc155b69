/**
 * Find a compound, street or facility by name (issue 15, item 5) on the two shipped regions:
 * the demo (shanghai-bund-lujiazui: 18 compounds, 4 districts, one meal point, no street
 * polygons) and Laoshan (5 street polygons, no compounds), and on hand-made features for the
 * ranking: exact > prefix > substring, Latin case-insensitive, ids and codes too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FacilityFeature, ResidentialFeature } from '../../src/lib/engine/region/schema.ts';
import { WhatIfSession } from '../../src/lib/engine/session/what-if.ts';
import { regionGraph } from '../../src/lib/server/region-graph.ts';
import {
	boundsOfCoordinates,
	buildSearchIndex,
	normalizeQuery,
	unionBounds
} from '../../src/lib/ui/map/search-index.ts';
import { profile, region } from '../engine/analysis/fixtures/streets-rows.ts';

const regionsDir = join(import.meta.dirname, '..', '..', 'data', 'regions');

function payload(id: string) {
	const loaded = region(id);
	return {
		meta: loaded.meta,
		boundaries: loaded.layers.boundaries,
		residential: loaded.layers.residential,
		facilities: loaded.layers.facilities,
		communities: loaded.communities
	};
}

const demo = payload('shanghai-bund-lujiazui');
const analysis = new WhatIfSession(
	regionGraph(regionsDir, demo.meta.id),
	demo,
	profile(demo.meta.defaultProfile)
).run().analysis;

const inside = (inner: number[], outer: number[]) =>
	inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

describe('search on the demo region', () => {
	const index = buildSearchIndex({
		region: demo,
		analysis,
		planned: [
			{
				id: 'planned-1',
				name: '规划站点 1',
				kind: 'community_station',
				floorAreaM2: 300,
				position: [121.51, 31.235]
			}
		]
	});

	it('indexes every compound, district, facility, planned station and the analysis’ street', () => {
		const count = (kind: string) => index.entries.filter((e) => e.kind === kind).length;
		expect(count('compound')).toBe(18);
		expect(count('district')).toBe(4);
		expect(count('facility')).toBe(1);
		expect(count('planned')).toBe(1);
		expect(count('street')).toBe(1); // 未划分街道: its compounds' extent
	});

	it('finds a compound by name, with its district, bounds and selection', () => {
		const [hit] = index.search('梅一小区');
		expect(hit).toMatchObject({
			kind: 'compound',
			id: 'osm-406771008',
			name: '梅一小区',
			subtitle: '浦东新区',
			selection: { kind: 'area', id: 'osm-406771008' }
		});
		const feature = demo.residential!.find((f) => f.properties.id === 'osm-406771008')!;
		expect(hit.bounds).toEqual(boundsOfCoordinates(feature.geometry.coordinates));
		expect(hit.bounds[0]).toBeLessThan(hit.bounds[2]);
		expect(inside(hit.bounds, demo.meta.bbox)).toBe(true);
	});

	it('ranks prefix before substring: 崂山 finds the 崂山 villages, 二村 both 二村', () => {
		const names = index.search('崂山').map((hit) => hit.name);
		// equals in rank and length: in zh-CN (pinyin) order, er < san < si < wu
		expect(names).toEqual(['崂山二村', '崂山三村', '崂山四村', '崂山五村']);
		const village = index.search('二村').map((hit) => hit.name);
		expect(village).toEqual(['崂山二村', '乳山二村']);
	});

	it('finds the facility by part of its name and by its id; the planned station too', () => {
		const [meal] = index.search('助餐点');
		expect(meal).toMatchObject({
			kind: 'facility',
			id: 'facility-csv-row-6',
			subtitle: '助餐点',
			selection: { kind: 'facility', id: 'facility-csv-row-6' }
		});
		expect(meal.bounds[0]).toBe(meal.bounds[2]);
		expect(index.search('FACILITY-CSV-ROW-6')[0].id).toBe('facility-csv-row-6');
		const [planned] = index.search('规划站点');
		expect(planned).toMatchObject({
			kind: 'planned',
			subtitle: '社区养老服务站 · 规划站点',
			bounds: [121.51, 31.235, 121.51, 31.235],
			selection: { kind: 'facility', id: 'planned-1' }
		});
	});

	it('finds districts by name and code; the unassigned street spans its compounds', () => {
		expect(index.search('浦东')[0]).toMatchObject({ kind: 'district', id: '310115' });
		expect(index.search('310101')[0]).toMatchObject({ kind: 'district', name: '黄浦区' });
		const [street] = index.search('未划分街道');
		expect(street.kind).toBe('street');
		const all = unionBounds(
			demo.residential!.map((f) => boundsOfCoordinates(f.geometry.coordinates))
		);
		expect(street.bounds).toEqual(all);
	});

	it('ids of unnamed compounds match, case-insensitively and in full-width letters', () => {
		expect(index.search('OSM-50323218')[0].id).toBe('osm-50323218');
		expect(index.search('ＯＳＭ－５０３２３２１８')[0].id).toBe('osm-50323218');
		expect(index.search('osm')).toHaveLength(8);
		expect(index.search('osm', 20).length).toBe(18);
	});

	it('an empty or unmatched query finds nothing', () => {
		expect(index.search('')).toEqual([]);
		expect(index.search('   ')).toEqual([]);
		expect(index.search('不存在的地方')).toEqual([]);
	});
});

describe('search on Laoshan (street polygons only)', () => {
	const laoshan = payload('qingdao-laoshan');
	const index = buildSearchIndex({ region: laoshan });

	it('finds a street by name with its district and its polygon’s bounds', () => {
		const [hit] = index.search('沙子口');
		expect(hit).toMatchObject({
			kind: 'street',
			id: '370212002',
			name: '沙子口街道',
			subtitle: '崂山区 · 370212002',
			selection: null
		});
		const polygon = laoshan.boundaries!.find((b) => b.properties.code === '370212002')!;
		expect(hit.bounds).toEqual(boundsOfCoordinates(polygon.geometry.coordinates));
		expect(index.search('街道')).toHaveLength(5);
		expect(index.search('370212')[0]).toMatchObject({ kind: 'district', name: '崂山区' });
	});
});

describe('ranking on hand-made features', () => {
	const compound = (id: string, name: string, lon = 120): ResidentialFeature => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [lon, 30] },
		properties: {
			id,
			name,
			households: null,
			elders: null,
			status: 'existing',
			builtYear: null,
			streetCode: null,
			gates: [],
			estimated: {}
		}
	});
	const facility = (id: string, name: string): FacilityFeature => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [121, 31] },
		properties: {
			id,
			name,
			kind: 'day_care',
			floorAreaM2: null,
			landAreaM2: null,
			beds: null,
			nursingBeds: null,
			status: 'existing',
			streetCode: null,
			source: 'test',
			estimated: {}
		}
	});
	const region = {
		boundaries: null,
		residential: [
			compound('c1', '阳光花园东区'),
			compound('c2', 'Sunshine Garden'),
			compound('c3', '东阳光花园'),
			compound('c4', '阳光花园')
		],
		facilities: [facility('f1', '阳光花园日间照料中心')]
	};

	it('exact > prefix > substring, shorter names first among equals', () => {
		const index = buildSearchIndex({ region });
		expect(index.search('阳光花园').map((hit) => hit.id)).toEqual(['c4', 'c1', 'f1', 'c3']);
	});

	it('Latin names case-insensitively; several words all found', () => {
		const index = buildSearchIndex({ region });
		expect(index.search('sunshine')[0].id).toBe('c2');
		expect(index.search('GARDEN sun')[0].id).toBe('c2');
		expect(index.search('阳光 照料').map((hit) => hit.id)).toEqual(['f1']);
		expect(normalizeQuery('  Ａｂ  C ')).toBe('ab c');
	});

	it('moved and removed facilities: bounds follow the move, the subtitle says removed', () => {
		const index = buildSearchIndex({ region, moved: { f1: [121.5, 31.5] }, removed: ['f1'] });
		const [hit] = index.search('照料');
		expect(hit.bounds).toEqual([121.5, 31.5, 121.5, 31.5]);
		expect(hit.subtitle).toBe('日间照料中心 · 方案中已移除');
	});

	it('with other labels (the search box passes the current language’s)', () => {
		const index = buildSearchIndex(
			{ region },
			{ kind: (kind) => `kind:${kind}`, planned: 'planned', removed: 'removed' }
		);
		expect(index.search('照料')[0].subtitle).toBe('kind:day_care');
	});

	it('no region: an empty index', () => {
		expect(buildSearchIndex({ region: null }).entries).toEqual([]);
	});
});
