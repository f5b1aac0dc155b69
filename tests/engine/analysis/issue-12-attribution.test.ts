/**
 * Issue 12 (point compounds): a facility list's 所属小区 assigns floor area to compounds. By id,
 * else by exact name; several compounds → split by households (按户数分摊); ambiguous and
 * unmatched names reported on the facility row; unknown households → unknown share; point
 * compounds without any 所属小区 in the list → no_data instead of a 0 m² deficit. Hand-computed
 * numbers under qingdao-laoshan-2024 (existing compounds: 15 m² per 100 households). No walking
 * network here: the floor-area check does not need one.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegion } from '../../../src/lib/engine/analysis/analyze.ts';
import { analyzeAreas, attributeFacilities } from '../../../src/lib/engine/analysis/areas.ts';
import { buildPlaceIndex } from '../../../src/lib/engine/analysis/places.ts';
import type { FacilityFeature, ResidentialFeature } from '../../../src/lib/engine/region/schema.ts';
import { checkArea } from '../../../src/lib/engine/rules/area-check.ts';
import { profile } from './fixtures/streets-rows.ts';

const laoshan = profile('qingdao-laoshan-2024');
const places = buildPlaceIndex(null, null);

/** Metres east / north of 120.47 E, 36.1 N (Laoshan), as lon/lat. */
const at = (xM: number, yM: number): [number, number] => [
	120.47 + xM / 90_000,
	36.1 + yM / 111_000
];

function area(
	id: string,
	name: string,
	households: number | null,
	geometry: ResidentialFeature['geometry'] = { type: 'Point', coordinates: at(0, 0) }
): ResidentialFeature {
	return {
		type: 'Feature',
		geometry,
		properties: {
			id,
			name,
			households,
			elders: null,
			status: 'existing',
			builtYear: null,
			streetCode: null,
			gates: [],
			estimated: {}
		}
	};
}
const square = (
	x0: number,
	y0: number,
	x1: number,
	y1: number
): ResidentialFeature['geometry'] => ({
	type: 'Polygon',
	coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]]
});
function station(
	id: string,
	floorAreaM2: number | null,
	servesCompounds?: string[],
	position: [number, number] = at(500, 500),
	kind: FacilityFeature['properties']['kind'] = 'community_station'
): FacilityFeature {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: position },
		properties: {
			id,
			name: `站点${id}`,
			kind,
			floorAreaM2,
			landAreaM2: null,
			beds: null,
			nursingBeds: null,
			status: 'existing',
			streetCode: null,
			...(servesCompounds ? { servesCompounds } : {}),
			source: 'test',
			estimated: {}
		}
	};
}
const run = (residential: ResidentialFeature[], facilities: FacilityFeature[] | null) =>
	analyzeAreas({ residential, facilities, places, coverage: null, profile: laoshan });
const byId = <T extends { id: string }>(rows: T[]) =>
	Object.fromEntries(rows.map((row) => [row.id, row]));

describe('issue 12: 所属小区 assigns a facility’s floor area to point compounds', () => {
	const compounds = [
		area('a', '崂山一村', 600),
		area('b', '崂山二村', 300),
		area('e', '招远小区', 100)
	];

	it('counts a facility for the compound it names by name, and splits one naming two by households', () => {
		const { areas, facilities } = run(compounds, [
			station('f1', 300, ['崂山一村']),
			station('f2', 200, ['a', '崂山二村']) // an id and a name
		]);
		const rows = byId(areas);
		// f2: 200 m² × 600 ÷ 900 = 133.33 m² for a, 200 × 300 ÷ 900 = 66.67 m² for b
		expect(rows.a).toMatchObject({ requiredM2: 90, insideM2: 433.33, verdict: 'compliant' });
		expect(rows.b).toMatchObject({ requiredM2: 45, insideM2: 66.67, verdict: 'compliant' });
		// the list names compounds, so a compound it does not name has 0 m² (15 m² deficit)
		expect(rows.e).toMatchObject({ requiredM2: 15, providedM2: 0, deficitM2: 15 });
		const counted = rows.a.reasons.find((r) => r.messageZh.startsWith('计入的设施'))!;
		expect(counted.messageZh).toBe(
			'计入的设施：站点f1（所属小区列明）计入 300 m²；站点f2（所属小区列明，与 崂山二村 按户数分摊）：200 m² × 600 ÷ 900 户 = 133.33 m²'
		);
		expect(counted.messageEn).toContain('按户数分摊');
		expect(counted.severity).toBe('info');
		expect(byId(facilities).f2.servesAreaIds).toEqual(['a', 'b']);
		expect(byId(facilities).f2.reasons.map((r) => r.messageZh)).toContain(
			'建筑面积按户数分摊到 2 个居住区（a、b）'
		);
	});

	it('shares add up to the facility’s floor area (nothing counted twice)', () => {
		const [attribution] = attributeFacilities(
			compounds,
			[station('f', 1000, ['a', 'b', 'e'])],
			[null]
		);
		// 1000 × 600/1000, × 300/1000, × 100/1000
		expect(attribution.shares.map((s) => s.m2)).toEqual([600, 300, 100]);
		const [odd] = attributeFacilities(compounds, [station('g', 100, ['a', 'b'])], [null]);
		expect(odd.shares.reduce((sum, s) => sum + (s.m2 ?? 0), 0)).toBeCloseTo(100, 10);
	});

	it('reports a name matching two compounds (ambiguous) and one matching none on the facility row, attributes neither', () => {
		const twins = [area('c1', '重名小区', 200), area('c2', '重名小区', 200)];
		const { areas, facilities, skipped } = run(twins, [
			station('f3', 100, ['重名小区', '不存在小区'])
		]);
		expect(areas.map((row) => row.insideM2)).toEqual([0, 0]);
		const messages = facilities[0].reasons.map((r) => [r.severity, r.messageZh]);
		expect(messages).toEqual([
			['warning', '所属小区“不存在小区”在居住区图层中找不到（编号、名称均不符），该部分未计入'],
			[
				'warning',
				'所属小区“重名小区”同时对应 2 个居住区（c1、c2），无法确定，未计入；请改用小区编号'
			]
		]);
		expect(skipped.find((s) => s.check === 'floor_area' && s.level === 'facility')).toMatchObject({
			subjects: ['f3']
		});
		// an id settles what a name cannot
		expect(run(twins, [station('f4', 100, ['c2'])]).areas.map((r) => r.insideM2)).toEqual([0, 100]);
	});

	it('a household count unknown in the group makes every share of that facility unknown, never guessed', () => {
		const { areas } = run(
			[area('b', '崂山二村', 300), area('d', '无户数小区', null)],
			[station('f4', 120, ['b', 'd'])]
		);
		const [b, d] = areas;
		expect(b).toMatchObject({
			requiredM2: 45,
			insideM2: null,
			providedM2: null,
			verdict: 'no_data'
		});
		expect(b.reasons.map((r) => r.messageZh)).toContain(
			'设施（f4）按户数分摊，但同组小区户数未知，分摊面积未知，已配建面积无法核算（不按 0 处理）'
		);
		expect(b.reasons.find((r) => r.messageZh.startsWith('计入的设施'))!.messageZh).toBe(
			'计入的设施：站点f4（所属小区列明，与 无户数小区 按户数分摊）：无户数小区 户数未知，分摊面积未知'
		);
		expect(d.verdict).toBe('no_data');
	});

	it('point compounds and a list without any 所属小区: no_data with the reason, the required area still shown', () => {
		const { areas, skipped } = run(compounds, [station('f5', 300)]);
		for (const row of areas) {
			expect(row.verdict, row.id).toBe('no_data');
			expect(row.providedM2).toBeNull();
		}
		expect(areas[0].requiredM2).toBe(90);
		const floor = areas[0].reasons.find((r) => r.ruleId === 'community-facility-area')!;
		expect(floor).toMatchObject({ severity: 'warning' });
		expect(floor.messageZh).toBe(
			'已建成居住区：600 户 ÷ 100 × 15 = 90 m²；点状小区，设施清单无“所属小区”列，无法判断已配建面积'
		);
		expect(floor.messageEn).toBe(
			'Existing area: 600 households ÷ 100 × 15 = 90 m² required; point compound and the facility list has no 所属小区 column: provided floor area cannot be decided'
		);
		expect(floor.numbers.requiredM2).toBe(90);
		expect(floor.citation).not.toBeNull();
		expect(skipped.find((s) => s.check === 'floor_area' && s.level === 'area')).toMatchObject({
			subjects: ['a', 'b', 'e']
		});
		// the street row leaves them out of its sums and counts them as no data
		const analysis = analyzeRegion({
			meta: { id: 't', name: 't' },
			boundaries: null,
			residential: compounds,
			facilities: [station('f5', 300)],
			communities: null,
			profile: laoshan,
			coverage: null
		});
		expect(analysis.summary).toMatchObject({ areasNoData: 3, areasDeficit: 0, deficitM2: 0 });
	});

	it('with no community-level facility at all, a point compound is provided 0 m² (nothing exists to attribute)', () => {
		expect(run(compounds, []).areas[0]).toMatchObject({ providedM2: 0, deficitM2: 90 });
		const centre = station('sc', 1000, undefined, at(500, 500), 'street_center');
		expect(run(compounds, [centre]).areas[0]).toMatchObject({ providedM2: 0, verdict: 'deficit' });
	});
});

describe('issue 12: polygon compounds', () => {
	const polygon = area('p', '崂山五村', 400, square(0, 0, 200, 200));
	const point = area('q', '乳山二村', 200, { type: 'Point', coordinates: at(400, 0) });

	it('a facility inside the polygon and naming it counts once', () => {
		const { areas } = run([polygon], [station('f6', 150, ['p', '崂山五村'], at(100, 100))]);
		expect(areas[0]).toMatchObject({ insideM2: 150, providedM2: 150, deficitM2: 0 });
		expect(areas[0].reasons.some((r) => r.messageZh.startsWith('计入的设施'))).toBe(false);
	});

	it('a facility inside a polygon naming another compound is split by households among both', () => {
		// 300 m² × 400 ÷ 600 = 200 m² for p, × 200 ÷ 600 = 100 m² for q
		const { areas } = run([polygon, point], [station('f7', 300, ['乳山二村'], at(100, 100))]);
		expect(areas.map((row) => row.insideM2)).toEqual([200, 100]);
		expect(areas[0].reasons.find((r) => r.messageZh.startsWith('计入的设施'))!.messageZh).toBe(
			'计入的设施：站点f7（位于小区内，与 乳山二村 按户数分摊）：300 m² × 400 ÷ 600 户 = 200 m²'
		);
	});

	it('without any 所属小区 a polygon compound is unchanged: facilities inside count, none inside = 0 m²', () => {
		const { areas, skipped } = run(
			[polygon, area('r', '空小区', 100, square(1000, 0, 1200, 200))],
			[station('f8', 50, undefined, at(100, 100))]
		);
		expect(areas.map((row) => [row.insideM2, row.verdict])).toEqual([
			[50, 'deficit'],
			[0, 'deficit']
		]);
		expect(skipped.filter((s) => s.check === 'floor_area')).toEqual([]);
	});
});

describe('checkArea: provided area unknown because of a point compound', () => {
	it('says why, keeps the required area, gives no verdict', () => {
		const result = checkArea(
			{
				households: 1000,
				status: 'new',
				providedM2: null,
				providedUnknownBecause: 'point_without_assignment',
				minutesToNearest: null,
				estimated: {}
			},
			laoshan
		);
		expect(result).toMatchObject({ requiredM2: 200, providedM2: null, verdict: 'no_data' });
		expect(result.reasons[0].messageZh).toBe(
			'新建居住区：1000 户 ÷ 100 × 20 = 200 m²；点状小区，设施清单无“所属小区”列，无法判断已配建面积'
		);
	});
});
