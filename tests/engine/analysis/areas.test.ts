/**
 * Area and facility rows on the real demo region (its OSM network, 18 compounds, one meal point)
 * and the places / 2SFCA building blocks: required areas from the profile's rate, facilities
 * inside compounds, pooling shares under Yantai's rule, 2SFCA conserving floor area, Dong'e's
 * community-station minimum, and unknown never read as zero.
 */
import { area as turfArea } from '@turf/turf';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAreas } from '../../../src/lib/engine/analysis/areas.ts';
import { twoStepFloatingCatchment } from '../../../src/lib/engine/analysis/capacity.ts';
import { buildPlaceIndex, placeOf } from '../../../src/lib/engine/analysis/places.ts';
import { computeCoverage, type CoverageResult } from '../../../src/lib/engine/coverage/coverage.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type { FacilityFeature } from '../../../src/lib/engine/region/schema.ts';
import { loadRegionGraph } from '../../../scripts/graph-cache.ts';
import { profile, region } from './fixtures/streets-rows.ts';

const demo = region('shanghai-bund-lujiazui');
const residential = demo.layers.residential!;
const mealPoint = demo.layers.facilities![0];
const demoPlaces = buildPlaceIndex(demo.layers.boundaries, demo.communities);

/** A planned station at a point of the demo region ([121.513, 31.237] lies outside every compound). */
const station = (
	id: string,
	coordinates: [number, number],
	floorAreaM2: number | null,
	kind: FacilityFeature['properties']['kind'] = 'community_station'
): FacilityFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates },
	properties: {
		id,
		name: id,
		kind,
		floorAreaM2,
		landAreaM2: null,
		beds: null,
		nursingBeds: null,
		status: 'planned',
		streetCode: null,
		source: 'test',
		estimated: {}
	}
});

let index: SegmentIndex;
let search: WalkSearch;
const coverageOf = (facilities: FacilityFeature[]): CoverageResult =>
	computeCoverage(index, search, residential, facilities, { maxMinutes: 15 });

beforeAll(() => {
	const { graph } = loadRegionGraph(
		join(import.meta.dirname, '../../../data/regions/shanghai-bund-lujiazui'),
		demo.meta
	);
	index = new SegmentIndex(graph);
	search = new WalkSearch(graph);
});

describe('twoStepFloatingCatchment', () => {
	it('splits a station among the areas it reaches by elders (hand example)', () => {
		const result = twoStepFloatingCatchment(
			[
				{ id: 's', floorAreaM2: 300, catchmentAreaIds: ['A', 'B'] },
				{ id: 't', floorAreaM2: 100, catchmentAreaIds: ['B'] }
			],
			new Map([
				['A', 100],
				['B', 200]
			])
		);
		expect(result.supplyM2PerElder.get('s')).toBe(1);
		expect(result.supplyM2PerElder.get('t')).toBe(0.5);
		expect(result.accessibleM2PerElder.get('A')).toBe(1);
		expect(result.accessibleM2PerElder.get('B')).toBe(1.5);
	});

	it('conserves floor area: Σ accessible × elders = Σ floor area of supplies with elders in reach (random instances)', () => {
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		for (let trial = 0; trial < 50; trial++) {
			const areaIds = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) => `a${i}`);
			const elders = new Map(areaIds.map((id) => [id, Math.floor(random() * 500)]));
			const supplies = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, j) => ({
				id: `s${j}`,
				floorAreaM2: Math.round(random() * 1000),
				catchmentAreaIds: areaIds.filter(() => random() < 0.5)
			}));
			const result = twoStepFloatingCatchment(supplies, elders);
			const distributed = areaIds.reduce(
				(sum, id) => sum + (result.accessibleM2PerElder.get(id) ?? 0) * elders.get(id)!,
				0
			);
			const offered = supplies
				.filter((s) => s.catchmentAreaIds.some((id) => elders.get(id)! > 0))
				.reduce((sum, s) => sum + s.floorAreaM2, 0);
			expect(distributed).toBeCloseTo(offered, 6);
		}
	});

	it('makes every area a station of unknown floor area reaches unknown, not zero', () => {
		const result = twoStepFloatingCatchment(
			[
				{ id: 's', floorAreaM2: 300, catchmentAreaIds: ['A', 'B'] },
				{ id: 'u', floorAreaM2: null, catchmentAreaIds: ['B'] }
			],
			new Map([
				['A', 100],
				['B', 200]
			])
		);
		expect(result.accessibleM2PerElder.get('A')).toBe(1);
		expect(result.accessibleM2PerElder.get('B')).toBeNull();
		expect(result.supplyM2PerElder.get('u')).toBeNull();
	});
});

describe('places', () => {
	it('places the demo compounds in the clipped district polygons by a point inside them', () => {
		const { areas } = analyzeAreas({
			residential,
			facilities: null,
			places: demoPlaces,
			coverage: null,
			profile: profile('qingdao-laoshan-2024')
		});
		const byDistrict = new Map<string, number>();
		for (const area of areas) {
			expect(area.assignedBy, area.id).toBe('polygon');
			byDistrict.set(area.districtName!, (byDistrict.get(area.districtName!) ?? 0) + 1);
		}
		// The west-bank compound lies in Huangpu; the other 17 in Pudong (Lujiazui).
		expect(Object.fromEntries(byDistrict)).toEqual({ 黄浦区: 1, 浦东新区: 17 });
		expect(areas.find((area) => area.id === 'osm-50323218')!.districtCode).toBe('310101');
	});

	it('trusts a street code in the data, naming the street and district from Laoshan boundaries', () => {
		const laoshan = region('qingdao-laoshan');
		const places = buildPlaceIndex(laoshan.layers.boundaries, laoshan.communities);
		const place = placeOf(places, [0, 0], '370212005');
		expect(place).toMatchObject({
			streetCode: '370212005',
			streetName: '金家岭街道',
			districtCode: '370212',
			districtName: '崂山区',
			assignedBy: 'attribute'
		});
		expect(placeOf(places, [0, 0], null).assignedBy).toBe('none');
	});
});

describe('analyzeAreas on the demo region', () => {
	it('requires households × 15 ÷ 100 of every existing compound and reads the unknown meal point as unknown', () => {
		const coverage = coverageOf([mealPoint]);
		const { areas, facilities, skipped } = analyzeAreas({
			residential,
			facilities: [mealPoint],
			places: demoPlaces,
			coverage,
			profile: profile('qingdao-laoshan-2024')
		});
		expect(areas.map((area) => area.id)).toEqual(residential.map((f) => f.properties.id));
		for (const area of areas)
			expect(area.requiredM2, area.id).toBeCloseTo((area.households! * 15) / 100, 2);
		// The meal point's door lies inside 崂山五村; its floor area is not published.
		expect(facilities[0].insideAreaId).toBe('osm-407443046');
		const laoshanWu = areas.find((area) => area.id === 'osm-407443046')!;
		expect(laoshanWu).toMatchObject({ insideM2: null, providedM2: null, verdict: 'no_data' });
		const others = areas.filter((area) => area.id !== 'osm-407443046');
		for (const area of others) {
			expect(area.providedM2, area.id).toBe(0);
			expect(area.deficitM2, area.id).toBe(area.requiredM2);
			expect(area.verdict).toBe('deficit');
		}
		// Circle figures straight from the coverage engine: 13 of 18 within 15 minutes.
		expect(areas.filter((area) => area.covered).length).toBe(13);
		const unreachable = areas.find((area) => area.id === 'osm-50323218')!;
		expect(unreachable.covered).toBe(false);
		expect(unreachable.reasons.at(-1)!.messageZh).toContain('没有可达站点');
		// 2SFCA cannot run on a station of unknown size: unknown for the areas it reaches.
		for (const area of areas.filter((a) => a.covered))
			expect(area.capacity.accessibleM2PerElder, area.id).toBeNull();
		expect(skipped.map((s) => [s.check, s.subjects])).toEqual([
			['capacity_2sfca', ['facility-csv-row-6']]
		]);
		expect(areas.every((area) => area.estimatedFields.includes('households'))).toBe(true);
	});

	it('gives no verdict on floor area without a facilities layer, and skips the walking checks without a network', () => {
		const { areas, skipped } = analyzeAreas({
			residential,
			facilities: null,
			places: demoPlaces,
			coverage: null,
			profile: profile('qingdao-laoshan-2024')
		});
		for (const area of areas) {
			expect(area.providedM2).toBeNull();
			expect(area.verdict).toBe('no_data');
			expect(area.covered).toBeNull();
			expect(area.requiredM2).not.toBeNull();
		}
		expect(skipped.map((s) => s.check)).toEqual(['service_circle', 'capacity_2sfca']);
	});

	it('pools a planned 400 m² station under Yantai among the small new compounds only, by required area; 2SFCA hands out exactly its 400 m²', () => {
		// Yantai 4.: "占地面积较小的小区可…统筹多个小区规划配建" — the profile reads 较小 as ≤ 20,000 m²
		// of land and 规划配建 as new compounds. The demo's compounds are existing: as they are, none
		// pools; taken as new, only those of at most 20,000 m² do.
		const planned = station('planned-400', [121.513, 31.237], 400);
		const yantai = profile('yantai-district-draft');
		const asBuilt = analyzeAreas({
			residential,
			facilities: [planned],
			places: demoPlaces,
			coverage: coverageOf([planned]),
			profile: yantai
		}).areas;
		for (const area of asBuilt) {
			expect(area.pooledM2, area.id).toBeNull();
			expect(area.reasons.some((r) => r.messageZh.includes('不属于“规划配建”'))).toBe(true);
		}
		const asNew = residential.map((area) => ({
			...area,
			properties: { ...area.properties, status: 'new' as const }
		}));
		const coverage = computeCoverage(index, search, asNew, [planned], { maxMinutes: 15 });
		const reached = coverage.facilities[0].catchment.map((entry) => entry.id);
		const { areas } = analyzeAreas({
			residential: asNew,
			facilities: [planned],
			places: demoPlaces,
			coverage,
			profile: yantai
		});
		const land = new Map(asNew.map((area) => [area.properties.id, turfArea(area as never)]));
		const small = areas.filter((area) => reached.includes(area.id) && land.get(area.id)! <= 20000);
		const large = areas.filter((area) => reached.includes(area.id) && land.get(area.id)! > 20000);
		expect(small.length).toBeGreaterThanOrEqual(1);
		expect(large.length).toBeGreaterThanOrEqual(1);
		const requiredSmall = small.reduce((sum, area) => sum + area.requiredM2!, 0);
		for (const area of small) {
			expect(area.pooledM2!, area.id).toBeCloseTo((400 * area.requiredM2!) / requiredSmall, 1);
			expect(area.providedM2).toBe(area.pooledM2);
		}
		expect(small.reduce((sum, area) => sum + area.pooledM2!, 0)).toBeCloseTo(400, 1);
		// A large new compound cannot pass on its neighbour's station.
		for (const area of large) {
			expect(area.pooledM2, area.id).toBeNull();
			expect(area.verdict).toBe('deficit');
			expect(area.reasons.some((r) => r.messageZh.includes('大于“占地面积较小”的 20,000 m²'))).toBe(
				true
			);
		}
		// 2SFCA (a capacity measure, not a rule): the fair shares of the reached areas add up to 400 m².
		const inReach = areas.filter((area) => reached.includes(area.id));
		const fairTotal = inReach.reduce((sum, area) => sum + area.capacity.fairShareM2!, 0);
		expect(fairTotal).toBeCloseTo(400, 0);
	});

	it('does not pool under Laoshan (no pooling clause): the same station counts for nobody outside it', () => {
		const planned = station('planned-400', [121.513, 31.237], 400);
		const { areas } = analyzeAreas({
			residential,
			facilities: [planned],
			places: demoPlaces,
			coverage: coverageOf([planned]),
			profile: profile('qingdao-laoshan-2024')
		});
		for (const area of areas) {
			expect(area.pooledM2).toBeNull();
			expect(area.providedM2).toBe(0);
		}
	});

	it("fails a 250 m² community station against Dong'e's 300 m² and passes a 320 m² one, with the clause", () => {
		const small = station('small', [121.5135, 31.2365], 250);
		const large = station('large', [121.511, 31.2375], 320);
		const { facilities } = analyzeAreas({
			residential,
			facilities: [small, large],
			places: demoPlaces,
			coverage: null,
			profile: profile('donge-2023')
		});
		expect(facilities[0].reasons[0]).toMatchObject({ severity: 'fail' });
		expect(facilities[0].reasons[0].messageZh).toContain('低于 300 m²');
		expect(facilities[0].reasons[0].citation?.quote).toContain('300');
		expect(facilities[1].reasons[0]).toMatchObject({ severity: 'info' });
		expect(facilities.every((f) => f.countsTowardAreas && f.placed === null)).toBe(true);
	});
});
