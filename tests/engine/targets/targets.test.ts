/**
 * The targets view (issue 16) on the real Laoshan boundaries (1 district, 5 streets) with a
 * hand-written indicator table, under the Yantai and Dong'e profiles; and the meal-assistance
 * circle's rows on a hand-built 100 m street grid. Every figure below is worked out by hand in
 * the comments; the date decides between "behind" and "overdue".
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegion } from '../../../src/lib/engine/analysis/analyze.ts';
import { computeCoverage } from '../../../src/lib/engine/coverage/coverage.ts';
import {
	computeMealCircle,
	mealCircleRule,
	type MealCircleRule
} from '../../../src/lib/engine/coverage/meal-circle.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import { indicatorTable, type IndicatorRow } from '../../../src/lib/engine/region/indicators.ts';
import type {
	FacilityFeature,
	FacilityKind,
	ResidentialFeature
} from '../../../src/lib/engine/region/schema.ts';
import type { RuleProfile } from '../../../src/lib/engine/rules/profile-schema.ts';
import {
	analyzeTargets,
	TARGET_KINDS,
	type TargetRow
} from '../../../src/lib/engine/targets/targets.ts';
import { profile, region } from '../analysis/fixtures/streets-rows.ts';
import { streetGrid } from '../graph/helpers.ts';

const laoshan = region('qingdao-laoshan');
const SOURCE = '崂山区民政局 2025 年报（测试数据）';
const STREETS = {
	zhonghan: '370212001',
	shazikou: '370212002',
	wanggezhuang: '370212003',
	beizhai: '370212004',
	jinjialing: '370212005'
};

const street = (
	code: string,
	name: string,
	values: IndicatorRow['values'],
	asOf = '2025-12-31'
): IndicatorRow => ({ level: 'street', code, name, asOf, source: SOURCE, values });

// Visits: weighted by 特殊困难老年人数 (100 + 50 + 50 + 50 + 250 = 500):
//   (1.0×100 + 0.9×50 + 1.0×50 + 0.8×50 + 1.0×250) ÷ 500 = 485 ÷ 500 = 97 %.
// Assessment: 80+ residents 1,200 + 800 + 500 + 500 + 1,000 = 4,000; assessed 1,200 + 600 +
//   500 + 450 + 1,000 = 3,750 → 93.75 %.
const TABLE: IndicatorRow[] = indicatorTable.parse([
	{
		level: 'district',
		code: '370212',
		name: '崂山区',
		asOf: '2025-12-31',
		source: SOURCE,
		values: { familyBeds: 240, socialWorkers: 2, beds: 450, nursingBeds: 300 }
	},
	street(STREETS.zhonghan, '中韩街道', {
		visitRate: 1,
		specialElders: 100,
		elders80: 1200,
		assessed80: 1200
	}),
	// An older figure of the same street: the newest one on or before the date wins.
	street(STREETS.zhonghan, '中韩街道', { visitRate: 0.5 }, '2024-12-31'),
	street(STREETS.shazikou, '沙子口街道', {
		visitRate: 0.9,
		specialElders: 50,
		elders80: 800,
		assessed80: 600
	}),
	street(STREETS.wanggezhuang, '王哥庄街道', {
		visitRate: 1,
		specialElders: 50,
		elders80: 500,
		assessed80: 500
	}),
	street(STREETS.beizhai, '北宅街道', {
		visitRate: 0.8,
		specialElders: 50,
		elders80: 500,
		assessed80: 450
	}),
	street(STREETS.jinjialing, '金家岭街道', {
		visitRate: 1,
		specialElders: 250,
		elders80: 1000,
		assessed80: 1000
	}),
	// Dated after the report date: not a figure "now".
	street(STREETS.jinjialing, '金家岭街道', { visitRate: 0.1 }, '2027-06-30')
]);

function targets(profileId: string, date: string, indicators: IndicatorRow[] | null = TABLE) {
	const analysis = analyzeRegion({
		meta: laoshan.meta,
		boundaries: laoshan.layers.boundaries,
		residential: null,
		facilities: null,
		communities: laoshan.communities,
		profile: profile(profileId),
		coverage: null
	});
	return analyzeTargets({ analysis, indicators, date });
}

const pick = (rows: TargetRow[], ruleId: string, code: string | null) => {
	const row = rows.find((r) => r.ruleId === ruleId && r.code === code);
	if (!row) throw new Error(`no row ${ruleId} ${code}`);
	return row;
};
const brief = (row: TargetRow) => [row.status, row.value, row.target, row.gap];

describe('Yantai targets on Laoshan, 2026-12-03 (all due end-2025)', () => {
	const { rows, counts } = targets('yantai-district-draft', '2026-12-03');

	it('family care beds: 240 of 300 in the district row → 60 short, overdue', () => {
		const row = pick(rows, 'family-care-beds', '370212');
		expect(brief(row)).toEqual(['overdue', 240, 300, 60]);
		expect(row.origin).toEqual({
			from: 'indicators',
			asOf: '2025-12-31',
			source: SOURCE,
			summedFrom: null,
			parts: 1
		});
		// 全区: no street rows for a district-wide count.
		expect(rows.filter((r) => r.ruleId === 'family-care-beds')).toHaveLength(1);
	});

	it('nursing beds from the table: 300 ÷ 450 = 66.7 % < 70 % → overdue', () => {
		const row = pick(rows, 'nursing-bed-share', '370212');
		expect(row.status).toBe('overdue');
		expect(row.value).toBeCloseTo(2 / 3, 12);
		expect(row.gap).toBeCloseTo(0.7 - 2 / 3, 12);
		expect(row.origin.from).toBe('indicators');
	});

	it('social workers: ⌈450 ÷ 100⌉ = 5 required, 2 in post → 3 short, overdue', () => {
		expect(brief(pick(rows, 'social-workers', '370212'))).toEqual(['overdue', 2, 5, 3]);
	});

	it('80+ assessment per street and for the district (summed from the streets)', () => {
		const district = pick(rows, 'ability-assessment-80', '370212');
		expect(district.status).toBe('overdue');
		expect(district.value).toBeCloseTo(3750 / 4000, 12);
		expect(district.origin).toMatchObject({ summedFrom: 'streets', parts: 5 });
		expect(
			Object.values(STREETS).map((code) => pick(rows, 'ability-assessment-80', code).status)
		).toEqual(['met', 'overdue', 'met', 'overdue', 'met']);
		// 沙子口: 600 ÷ 800 = 75 %, 200 more to assess.
		expect(pick(rows, 'ability-assessment-80', STREETS.shazikou).reason.messageZh).toContain(
			'已评估 600 人 / 800 人 = 75%，未达标，还需评估 200 人'
		);
	});

	it('counts add up: 1 + 1 + 1 + 6 rows, 6 overdue and 3 met', () => {
		expect(rows).toHaveLength(9);
		expect(counts).toEqual({ overdue: 6, behind: 0, unknown: 0, met: 3, reported: 0 });
	});

	it('before the year is over the same shortfalls are "behind", not overdue', () => {
		const early = targets('yantai-district-draft', '2025-06-30');
		// Figures dated 2025-12-31 are after 2025-06-30: not known yet on that date.
		expect(early.counts.unknown).toBe(early.rows.length);
		const table = TABLE.map((row) => ({
			...row,
			asOf: row.asOf.replace('2025-12-31', '2025-03-31')
		}));
		const spring = targets('yantai-district-draft', '2025-06-30', table);
		expect(spring.counts).toEqual({ overdue: 0, behind: 6, unknown: 0, met: 3, reported: 0 });
	});

	it('no indicator table: nothing is judged, and nothing is read as zero', () => {
		const none = targets('yantai-district-draft', '2026-12-03', null);
		expect(none.hasIndicators).toBe(false);
		expect(none.rows.every((row) => row.status === 'unknown' && row.gap === null)).toBe(true);
		expect(pick(none.rows, 'family-care-beds', '370212').value).toBeNull();
	});
});

describe("Dong'e targets on Laoshan, 2026-12-03", () => {
	const { rows } = targets('donge-2023', '2026-12-03');

	it('visit rate: district 97 % (weighted by the people to visit), streets by their newest row', () => {
		const district = pick(rows, 'special-visit-rate', '370212');
		expect(district.status).toBe('overdue');
		expect(district.value).toBeCloseTo(0.97, 12);
		expect(
			Object.values(STREETS).map((code) => [
				pick(rows, 'special-visit-rate', code).status,
				pick(rows, 'special-visit-rate', code).value
			])
		).toEqual([
			['met', 1], // the 2024 figure of 50 % is older
			['overdue', 0.9],
			['met', 1],
			['overdue', 0.8],
			['met', 1] // the 2027 figure of 10 % is after the date
		]);
	});

	it('social workers per 1,000 elders: ⌈101,881 ÷ 1,000⌉ = 102 required, 2 in post', () => {
		const row = pick(rows, 'social-workers', '370212');
		expect(brief(row)).toEqual(['behind', 2, 102, 100]);
		// Dong'e 20. has no year: short, but never overdue. Elders are estimated on the boundary.
		expect(row.byYear).toBeNull();
		expect(row.reason.usesEstimate).toBe(true);
	});

	it('lists a street only the table reports (no boundary on the map), not one of another district', () => {
		const table = [
			...TABLE,
			street('370212099', '新设街道', { visitRate: 0.95, specialElders: 40 }),
			street('370211001', '黄岛区某街道', { visitRate: 0.5 }) // district 370211: not in the region
		];
		const withNew = targets('donge-2023', '2026-12-03', table).rows;
		const row = pick(withNew, 'special-visit-rate', '370212099');
		expect([row.status, row.value, row.name, row.districtName]).toEqual([
			'overdue',
			0.95,
			'新设街道',
			'崂山区'
		]);
		expect(withNew.some((r) => r.code === '370211001')).toBe(false);
		// The district's figure is still summed over the map's five streets (97 %), and the
		// street-centre rule, a map figure, is not listed for the table's street.
		expect(pick(withNew, 'special-visit-rate', '370212').value).toBeCloseTo(0.97, 12);
		expect(withNew.some((r) => r.ruleId === 'street-center-area' && r.code === '370212099')).toBe(
			false
		);
	});

	it('nursing beds 66.7 % ≥ 65 % → met; street centres unknown without a facilities layer', () => {
		expect(pick(rows, 'nursing-bed-share', '370212').status).toBe('met');
		expect(
			Object.values(STREETS).map((code) => pick(rows, 'street-center-area', code).status)
		).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
	});
});

// ------------------------------------------------------------------ the meal-assistance circle

/**
 * The grid of tests/engine/coverage/meal-circle.test.ts (100 m blocks, 1 m/s): a meal point M at
 * (0, 0), a day-care centre D at (1000, 0), a community station S at (500, 0) serving no meals;
 * compounds a (100, 0) 40 elders and b (500, 0) 30 elders in street …001, c (900, 0) 20 elders and
 * d (500, 900) 10 elders in street …002, e (0, 400) elders unknown, in no street.
 * Under a 5-minute rule: a 1.67 min and c 1.67 min are within, b 8.33, d 23.33, e 6.67 are not.
 */
describe('meal-assistance circle rows (issue 16)', () => {
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
			estimated: {}
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
	/** Yantai with its meal rule (6.) given a share and the grid's 5 minutes. */
	const withMealRule = (params: Partial<MealCircleRule['params']>): RuleProfile => {
		const yantai = profile('yantai-district-draft');
		return {
			...yantai,
			rules: yantai.rules.map((rule) =>
				rule.kind === 'meal_service_circle'
					? ({ ...rule, params: { ...rule.params, ...params } } as MealCircleRule)
					: rule
			)
		};
	};
	const run = (rules: RuleProfile, date: string, network = true) => {
		const analysis = analyzeRegion({
			meta: { id: 'grid', name: '测试网格' },
			boundaries: null,
			residential: compounds,
			facilities,
			communities: null,
			profile: rules,
			coverage: computeCoverage(index, search, compounds, facilities, {
				maxMinutes: 15,
				...WALK
			})
		});
		const rule = mealCircleRule(rules)!;
		const meal = network
			? computeMealCircle(index, search, compounds, facilities, rule, WALK, analysis.areas)
			: null;
		const targets = analyzeTargets({ analysis, indicators: null, date, meal });
		return {
			analysis,
			targets,
			rows: targets.rows.filter((r) => r.kind === 'meal_service_circle')
		};
	};
	const judged = withMealRule({ maxMinutes: 5, minShare: 0.6 }); // byYear 2025 as shipped

	it('is a kind of the targets view', () => {
		expect(TARGET_KINDS.has('meal_service_circle')).toBe(true);
	});

	it('region, district, streets: 60 of 100 = 60 % met; street …001 40 of 70 = 57.1 % overdue after 2025', () => {
		const { rows, analysis } = run(judged, '2026-12-03');
		// The no-street group (compound e, elders unknown) has no code: no row of its own.
		expect(rows.map((r) => [r.level, r.code, r.status, r.value, r.target, r.gap])).toEqual([
			['region', null, 'met', 0.6, 0.6, 0],
			['district', '370212', 'met', 0.6, 0.6, 0],
			['street', '370212001', 'overdue', 40 / 70, 0.6, 0.6 - 40 / 70],
			['street', '370212002', 'met', 20 / 30, 0.6, 0]
		]);
		expect(rows[0].name).toBe('测试网格');
		expect(rows[2].districtName).toBe(analysis.streets[0].districtName);
		for (const row of rows) {
			expect(row).toMatchObject({
				ruleId: 'meal-service-circle',
				byYear: 2025,
				unit: '%',
				origin: { from: 'analysis', asOf: null, source: null }
			});
			expect(row.citation.document).toBe(rows[0].citation.document);
		}
		// ⌈0.6 × 70⌉ = 42 elders needed, 40 within: 2 more (the verdict's own words).
		expect(rows[2].reason.messageZh).toContain('40 人 / 70 人');
		expect(rows[2].reason.messageZh).toContain('还差 2 人');
		expect(rows[2].reason.severity).toBe('warning'); // Yantai 6. is a target
	});

	it('before the end of 2025 the same shortfall is behind', () => {
		const { rows } = run(judged, '2025-06-30');
		expect(rows.map((r) => r.status)).toEqual(['met', 'met', 'behind', 'met']);
	});

	it('Yantai as shipped (15 min, no share): reported, never judged — 90 of 100, 70 of 70, 20 of 30', () => {
		// 15 min = 900 m: a 100 m, b 500 m, c 100 m, e 400 m within; d 1,400 m from M and D is not.
		const { rows, targets } = run(profile('yantai-district-draft'), '2026-12-03');
		expect(rows.map((r) => [r.code, r.status, r.value, r.target, r.gap])).toEqual([
			[null, 'reported', 0.9, null, null],
			['370212', 'reported', 0.9, null, null],
			['370212001', 'reported', 1, null, null],
			['370212002', 'reported', 20 / 30, null, null]
		]);
		expect(rows[0].reason.messageZh).toContain('条文未规定覆盖比例，只报告，不判定');
		expect(targets.counts.reported).toBe(4);
	});

	it('without a network: one region row, unknown, saying why — never a share of 0', () => {
		const { rows } = run(judged, '2026-12-03', false);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ level: 'region', status: 'unknown', value: null, gap: null });
		expect(rows[0].reason.messageZh).toContain('没有步行路网');
	});

	it('without a meal result given, no meal rows; a result of another rule is refused', () => {
		const analysis = run(judged, '2026-12-03').analysis;
		const none = analyzeTargets({ analysis, indicators: null, date: '2026-12-03' });
		expect(none.rows.some((r) => r.kind === 'meal_service_circle')).toBe(false);
		const other = computeMealCircle(
			index,
			search,
			compounds,
			facilities,
			{ ...mealCircleRule(judged)!, id: 'another-rule' },
			WALK
		);
		expect(() =>
			analyzeTargets({ analysis, indicators: null, date: '2026-12-03', meal: other })
		).toThrow(RangeError);
	});
});
