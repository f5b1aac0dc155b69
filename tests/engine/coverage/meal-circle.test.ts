/**
 * The meal-assistance circle (issue 16 item 3) on a hand-built 100 m street grid at 1 m/s
 * (100 m = 100 s = 1.67 min), with hand-computed walks: a meal point M at (0, 0), a day-care
 * centre D at (1000, 0), a community station S at (500, 0) that serves no meals, and compounds
 *
 *   a (100, 0)   40 elders, street …001   M 100 m  → 1.67 min   covered
 *   b (500, 0)   30 elders, street …001   M, D 500 m → 8.33 min  not covered (S is on it)
 *   c (900, 0)   20 elders, street …002   D 100 m  → 1.67 min   covered
 *   d (500, 900) 10 elders, street …002   M, D 1400 m → 23.33 min not covered
 *   e (0, 400)   elders unknown, no street  M 400 m → 6.67 min  not covered
 *
 * under a 5-minute rule counting meal points and day-care centres: 60 of 100 known elders.
 */
import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../../src/lib/engine/coverage/coverage.ts';
import {
	computeMealCircle,
	mealCircleRule,
	mealCircleVerdict,
	mealProviders,
	mealStationKind,
	type MealCircleRule
} from '../../../src/lib/engine/coverage/meal-circle.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import type {
	FacilityFeature,
	FacilityKind,
	ResidentialFeature
} from '../../../src/lib/engine/region/schema.ts';
import { bindingNote } from '../../../src/lib/engine/rules/findings.ts';
import { facilitiesWithPlan } from '../../../src/lib/engine/session/what-if.ts';
import { profile } from '../analysis/fixtures/streets-rows.ts';
import { streetGrid, TextbookSearch } from '../graph/helpers.ts';

const scale = metresPerDegree(31.23);
const at = (xM: number, yM: number): [number, number] => [
	121.5 + xM / scale.x,
	31.23 + yM / scale.y
];

const compound = (
	id: string,
	xM: number,
	yM: number,
	elders: number | null,
	streetCode: string | null
): ResidentialFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: at(xM, yM) },
	properties: {
		id,
		name: id,
		households: 100,
		elders,
		status: 'existing',
		builtYear: null,
		streetCode,
		gates: [],
		estimated: id === 'c' ? { elders: 'test' } : {}
	}
});
const facility = (id: string, kind: FacilityKind, xM: number, yM: number): FacilityFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: at(xM, yM) },
	properties: {
		id,
		name: id,
		kind,
		floorAreaM2: 300,
		landAreaM2: null,
		beds: null,
		nursingBeds: null,
		status: 'existing',
		streetCode: null,
		source: 'test',
		estimated: {}
	}
});

const rule = (params: Partial<MealCircleRule['params']> = {}): MealCircleRule => ({
	id: 'meal-test',
	kind: 'meal_service_circle',
	params: { maxMinutes: 5, facilityKinds: ['meal_point', 'day_care'], ...params },
	citation: {
		document: '测试文件',
		section: '一、测试',
		clause: '6.助餐',
		quote: '助餐服务圈普遍形成。'
	},
	binding: 'target'
});

const graph = streetGrid(11, 100);
const index = new SegmentIndex(graph);
const search = new WalkSearch(graph);
const WALK = { walkSpeedMps: 1, stepPenaltyS: 0 };
const compounds = [
	compound('a', 100, 0, 40, '370212001'),
	compound('b', 500, 0, 30, '370212001'),
	compound('c', 900, 0, 20, '370212002'),
	compound('d', 500, 900, 10, '370212002'),
	compound('e', 0, 400, null, null)
];
const facilities = [
	facility('M', 'meal_point', 0, 0),
	facility('D', 'day_care', 1000, 0),
	facility('S', 'community_station', 500, 0)
];
const rows = (meal: ReturnType<typeof computeMealCircle>) =>
	meal?.compounds.map((row) => [row.id, row.minutes, row.covered]);

describe('computeMealCircle on a 100 m grid (issue 16)', () => {
	const meal = computeMealCircle(index, search, compounds, facilities, rule(), WALK)!;

	it('walks to the nearest meal provider only, within the rule’s minutes', () => {
		expect(rows(meal)).toEqual([
			['a', 1.67, true],
			['b', 8.33, false],
			['c', 1.67, true],
			['d', 23.33, false],
			['e', 6.67, false]
		]);
		expect(meal).toMatchObject({
			ruleId: 'meal-test',
			maxMinutes: 5,
			facilityKinds: ['meal_point', 'day_care'],
			providers: 2,
			providersOffNetwork: 0,
			providersKnown: true,
			eldersTotal: 100,
			eldersCovered: 60,
			share: 0.6,
			eldersUnknownCompounds: 1,
			usesEstimate: true
		});
	});

	it('sums per street and district as the analysis keys them, unknown elders not counted', () => {
		expect(meal.streets).toEqual([
			{
				code: '370212001',
				name: '370212001',
				compounds: 2,
				elders: 70,
				eldersCovered: 40,
				share: 40 / 70,
				eldersUnknownCompounds: 0,
				usesEstimate: false
			},
			{
				code: '370212002',
				name: '370212002',
				compounds: 2,
				elders: 30,
				eldersCovered: 20,
				share: 20 / 30,
				eldersUnknownCompounds: 0,
				usesEstimate: true
			},
			{
				code: null,
				name: '未划分街道',
				compounds: 1,
				elders: 0,
				eldersCovered: 0,
				share: null,
				eldersUnknownCompounds: 1,
				usesEstimate: false
			}
		]);
		// District from the street code's first six digits (places.ts), like the gap analysis.
		expect(meal.districts.map((d) => [d.code, d.name, d.elders, d.eldersCovered])).toEqual([
			['370212', '370212', 100, 60],
			[null, '未划分区县', 0, 0]
		]);
	});

	it('takes the places of the analysis’s rows when given (names and codes from boundaries)', () => {
		const place = (streetCode: string | null, streetName: string | null) => ({
			streetCode,
			streetName,
			districtCode: streetCode ? '370212' : null,
			districtName: streetCode ? '崂山区' : null,
			communityCode: null,
			communityName: null,
			assignedBy: 'polygon' as const
		});
		const placed = computeMealCircle(index, search, compounds, facilities, rule(), WALK, [
			place('370212001', '中韩街道'),
			place('370212001', '中韩街道'),
			place('370212002', '沙子口街道'),
			place(null, '某街道'),
			place(null, null)
		])!;
		expect(placed.streets.map((s) => [s.code, s.name, s.elders, s.eldersCovered])).toEqual([
			['370212001', '中韩街道', 70, 40],
			['370212002', '沙子口街道', 20, 20],
			[null, '某街道', 10, 0],
			[null, '未划分街道', 0, 0]
		]);
		expect(placed.districts.map((d) => [d.code, d.name, d.elders])).toEqual([
			['370212', '崂山区', 90],
			[null, '未划分区县', 10]
		]);
		expect(() => computeMealCircle(index, search, compounds, facilities, rule(), WALK, [])).toThrow(
			RangeError
		);
	});

	it('equals computeCoverage run directly on the filtered facilities', () => {
		const direct = computeCoverage(
			index,
			new TextbookSearch(graph),
			compounds,
			facilities.filter((f) => ['meal_point', 'day_care'].includes(f.properties.kind)),
			{ maxMinutes: 5, ...WALK }
		);
		expect(meal.compounds).toEqual(
			direct.compounds.map((row) => ({ id: row.id, minutes: row.minutes, covered: row.covered }))
		);
		expect(meal.eldersCovered).toBe(
			direct.compounds.reduce((sum, row) => sum + (row.covered ? (row.elders ?? 0) : 0), 0)
		);
	});

	it('filters by the rule’s kinds: meal points only leaves the day-care centre out', () => {
		const only = computeMealCircle(
			index,
			search,
			compounds,
			facilities,
			rule({ facilityKinds: ['meal_point'] }),
			WALK
		)!;
		expect(rows(only)).toEqual([
			['a', 1.67, true],
			['b', 8.33, false],
			['c', 15, false],
			['d', 23.33, false],
			['e', 6.67, false]
		]);
		expect([only.providers, only.eldersCovered, only.share]).toEqual([1, 40, 0.4]);
		expect(mealProviders(facilities, rule()).map((f) => f.properties.id)).toEqual(['M', 'D']);
	});

	it('counts a planned meal point and drops a removed one (facilitiesWithPlan)', () => {
		const planned = facilitiesWithPlan(facilities, {
			planned: [
				{
					id: 'P',
					name: '规划助餐点',
					kind: 'meal_point',
					floorAreaM2: null,
					position: at(500, 1000)
				}
			],
			moved: {},
			removed: []
		});
		const withPlanned = computeMealCircle(index, search, compounds, planned, rule(), WALK)!;
		expect(withPlanned.compounds[3]).toEqual({ id: 'd', minutes: 1.67, covered: true });
		expect([withPlanned.providers, withPlanned.eldersCovered, withPlanned.share]).toEqual([
			3, 70, 0.7
		]);

		const removed = computeMealCircle(
			index,
			search,
			compounds,
			facilitiesWithPlan(planned, { planned: [], moved: {}, removed: ['M'] }),
			rule(),
			WALK
		)!;
		// a now walks 900 m to D (15 min), e 500 + 600 = 1100 m to P (18.33 min).
		expect(rows(removed)).toEqual([
			['a', 15, false],
			['b', 8.33, false],
			['c', 1.67, true],
			['d', 1.67, true],
			['e', 18.33, false]
		]);
		expect([removed.providers, removed.eldersCovered]).toEqual([2, 30]);
	});

	it('a planned station of another kind changes nothing', () => {
		const planned = facilitiesWithPlan(facilities, {
			planned: [
				{
					id: 'P',
					name: '规划站点',
					kind: 'community_station',
					floorAreaM2: 300,
					position: at(500, 1000)
				}
			],
			moved: {},
			removed: []
		});
		expect(computeMealCircle(index, search, compounds, planned, rule(), WALK)).toEqual(meal);
	});

	it('follows the walk: at 0.5 m/s c is 3.33 min away, still inside; a 10 min rule takes b in', () => {
		const slow = computeMealCircle(index, search, compounds, facilities, rule(), {
			walkSpeedMps: 0.5,
			stepPenaltyS: 0
		})!;
		expect(slow.compounds.map((c) => c.minutes)).toEqual([3.33, 16.67, 3.33, 46.67, 13.33]);
		const ten = computeMealCircle(
			index,
			search,
			compounds,
			facilities,
			rule({ maxMinutes: 10 }),
			WALK
		)!;
		expect([ten.maxMinutes, ten.eldersCovered]).toEqual([10, 90]);
	});

	it('without a network computes nothing (null), and the verdict says why', () => {
		expect(computeMealCircle(null, null, compounds, facilities, rule(), WALK)).toBeNull();
		const verdict = mealCircleVerdict(rule(), null);
		expect(verdict.status).toBe('cannot_compute');
		expect(verdict.reason.messageZh).toBe(
			'本区域没有步行路网，无法计算 5 分钟助餐服务圈覆盖的老年人（不按 0 计）'
		);
		expect(verdict.reason.numbers).toMatchObject({ share: null, eldersCovered: null });
		expect(verdict.reason.citation?.clause).toBe('6.助餐');
	});

	it('without a facilities layer the providers are unknown, not none', () => {
		const unknown = computeMealCircle(index, search, compounds, null, rule(), WALK)!;
		expect(unknown.providersKnown).toBe(false);
		const verdict = mealCircleVerdict(rule(), unknown);
		expect(verdict.status).toBe('cannot_compute');
		expect(verdict.reason.messageEn).toContain('no facilities layer');
		expect(verdict.reason.numbers.share).toBeNull();
	});
});

describe('mealCircleVerdict', () => {
	const meal = computeMealCircle(index, search, compounds, facilities, rule(), WALK)!;

	it('reports the share without judging when the rule sets none', () => {
		const verdict = mealCircleVerdict(rule(), meal);
		expect(verdict).toMatchObject({ status: 'reported', gapElders: null });
		expect(verdict.reason).toMatchObject({
			ruleId: 'meal-test',
			severity: 'info',
			usesEstimate: true,
			messageZh:
				'步行 5 分钟内可达助餐设施（助餐点、日间照料中心，2 处）的老年人 60 人 / 100 人，占 60%；1 个居住区老年人数未知，未计入；条文未规定覆盖比例，只报告，不判定',
			messageEn:
				'Elders within 5 min on foot of a meal provider (meal_point, day_care; 2): 60 of 100 persons, 60%; 1 areas with unknown elders not counted; the text sets no share: reported, not judged'
		});
	});

	it('says so when the rule is inferred', () => {
		const inferred = { ...rule(), binding: 'inferred' as const };
		const verdict = mealCircleVerdict(inferred, meal);
		const note = bindingNote(inferred);
		expect(note.zh).toContain('推断');
		expect(verdict.reason.messageZh.endsWith(`只报告，不判定${note.zh}`)).toBe(true);
		expect(verdict.reason.messageEn.endsWith(`reported, not judged${note.en}`)).toBe(true);
	});

	it('judges a minimum share: the gap in whole elders, warning for a target, fail for a requirement', () => {
		const short = mealCircleVerdict(rule({ minShare: 0.75, byYear: 2025 }), meal);
		expect(short).toMatchObject({ status: 'not_met', gapElders: 15 });
		expect(short.reason.severity).toBe('warning');
		expect(short.reason.messageZh).toContain('低于至2025年不低于 75% 的要求，还差 15 人');
		expect(short.reason.numbers).toMatchObject({ gapElders: 15, minShare: 0.75, byYear: 2025 });
		const required = mealCircleVerdict(
			{ ...rule({ minShare: 0.605 }), binding: 'requirement' },
			meal
		);
		// 0.605 × 100 = 60.5 → 61 elders: one more.
		expect([required.status, required.gapElders, required.reason.severity]).toEqual([
			'not_met',
			1,
			'fail'
		]);
		const met = mealCircleVerdict(rule({ minShare: 0.6 }), meal);
		expect([met.status, met.reason.severity]).toEqual(['met', 'info']);
		expect(met.reason.messageEn).toContain('meets the target of at least 60%');
	});

	it('cannot judge when no elders are known', () => {
		const none = computeMealCircle(
			index,
			search,
			compounds.map((c) => ({ ...c, properties: { ...c.properties, elders: null } })),
			facilities,
			rule({ minShare: 0.5 }),
			WALK
		)!;
		expect(none.share).toBeNull();
		expect(mealCircleVerdict(rule({ minShare: 0.5 }), none).status).toBe('cannot_compute');
	});
});

describe('the shipped profiles’ meal circles', () => {
	it('Laoshan (十一) is inferred and reports; Yantai 6. counts day care; Qingdao city has none', () => {
		const laoshan = mealCircleRule(profile('qingdao-laoshan-2024'))!;
		expect(laoshan.params).toMatchObject({ maxMinutes: 15, facilityKinds: ['meal_point'] });
		expect(laoshan.binding).toBe('inferred');
		const yantai = mealCircleRule(profile('yantai-district-draft'))!;
		expect(yantai.params.facilityKinds).toEqual(['meal_point', 'day_care']);
		expect(mealStationKind(yantai)).toBe('meal_point');
		expect(mealStationKind(rule({ facilityKinds: ['day_care'] }))).toBe('day_care');
		expect(mealCircleRule(profile('qingdao-city-2023-draft'))).toBeNull();
		const meal = computeMealCircle(index, search, compounds, facilities, laoshan, WALK)!;
		expect(mealCircleVerdict(laoshan, meal).status).toBe('reported');
	});
});
