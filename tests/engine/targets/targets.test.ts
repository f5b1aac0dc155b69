/**
 * The targets view (issue 16) on the real Laoshan boundaries (1 district, 5 streets) with a
 * hand-written indicator table, under the Yantai and Dong'e profiles. Every figure below is
 * worked out by hand in the comments; the date decides between "behind" and "overdue".
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegion } from '../../../src/lib/engine/analysis/analyze.ts';
import { indicatorTable, type IndicatorRow } from '../../../src/lib/engine/region/indicators.ts';
import { analyzeTargets, type TargetRow } from '../../../src/lib/engine/targets/targets.ts';
import { profile, region } from '../analysis/fixtures/streets-rows.ts';

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

	it('nursing beds 66.7 % ≥ 65 % → met; street centres unknown without a facilities layer', () => {
		expect(pick(rows, 'nursing-bed-share', '370212').status).toBe('met');
		expect(
			Object.values(STREETS).map((code) => pick(rows, 'street-center-area', code).status)
		).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
	});
});
