/**
 * Street checks (issue 4): Laoshan's real 5 street polygons and 167 community codes with and
 * without a facilities list, sums hand-computed from small area rows, the street centre against
 * Qingdao city (≥ 1000 m², 力争 → warning) and Dong'e (≥ 600 m², fail), station coverage per
 * community, rules a profile lacks, and the demo's compounds that lie in no street.
 */
import { describe, expect, it } from 'vitest';
import { analyzeStreets, NO_STREET_NAME } from '../../../src/lib/engine/analysis/streets.ts';
import type { FacilityRow, StreetRow } from '../../../src/lib/engine/analysis/types.ts';
import { areaRow, facilityRow, inStreet, profile, region } from './fixtures/streets-rows.ts';

const laoshan = region('qingdao-laoshan');
const boundaries = laoshan.layers.boundaries;
const communities = laoshan.communities;
if (!boundaries || !communities) throw new Error('qingdao-laoshan lost its boundaries or codes');

const STREETS = {
	zhonghan: ['370212001', '中韩街道'],
	shazikou: ['370212002', '沙子口街道'],
	wanggezhuang: ['370212003', '王哥庄街道'],
	beizhai: ['370212004', '北宅街道'],
	jinjialing: ['370212005', '金家岭街道']
} as const;

/** Brute force from communities.json: codes per street, optionally only 社区 or only 村. */
function codesOf(streetCode: string, unit?: 'community' | 'village'): string[] {
	return communities!
		.filter((c) => c.streetCode === streetCode)
		.filter((c) =>
			unit === undefined ? true : (unit === 'village') === c.name.includes('村民委员会')
		)
		.map((c) => c.code);
}

const byCode = (streets: StreetRow[], code: string) => {
	const row = streets.find((street) => street.code === code);
	if (!row) throw new Error(`no street row ${code}`);
	return row;
};

describe('Laoshan without facilities, areas or network (qingdao-laoshan-2024)', () => {
	const result = analyzeStreets({
		boundaries,
		communities,
		areas: [],
		facilities: null,
		profile: profile('qingdao-laoshan-2024'),
		networkAvailable: false
	});

	it('gives one row per street polygon, in the district 崂山区, and no "no street" row', () => {
		expect(result.streets.map((street) => [street.code, street.name])).toEqual(
			Object.values(STREETS).map(([code, name]) => [code, name])
		);
		expect(result.streets.every((street) => street.districtCode === '370212')).toBe(true);
		expect(result.streets.every((street) => street.districtName === '崂山区')).toBe(true);
		expect(result.streets.some((street) => street.name === NO_STREET_NAME)).toBe(false);
	});

	it('splits the 167 communities per street exactly as communities.json does', () => {
		const totals = result.streets.map((street) => street.communities?.total);
		expect(totals).toEqual(Object.values(STREETS).map(([code]) => codesOf(code).length));
		expect(totals).toEqual([22, 43, 34, 36, 32]);
		expect(totals.reduce((sum, total) => (sum ?? 0) + (total ?? 0), 0)).toBe(167);
		// Station presence is unknown, not "none": no facilities layer.
		for (const street of result.streets) {
			expect(street.communities?.withStation).toBeNull();
			expect(street.communities?.withoutStation).toEqual([]);
		}
	});

	it('judges nothing: every street is no_data and sums are zero areas, not invented figures', () => {
		for (const street of result.streets) {
			expect(street.verdict).toBe('no_data');
			expect(street.areas).toBe(0);
			expect(street.eldersCovered).toBeNull();
			expect(street.center).toEqual({
				facilityId: null,
				name: null,
				floorAreaM2: null,
				minFloorAreaM2: null,
				meetsMinimum: null
			});
			expect(street.reasons.some((reason) => reason.severity === 'fail')).toBe(false);
		}
	});

	it('says which street checks could not run and why', () => {
		const skipped = result.skipped.map((entry) => [entry.check, entry.ruleId]);
		expect(skipped).toContainEqual(['street_center', null]); // Laoshan sets no centre size
		expect(skipped).toContainEqual(['station_coverage', 'station-coverage']);
		expect(skipped).toContainEqual(['elders_covered', 'service-circle-15min']);
		const center = result.skipped.find((entry) => entry.check === 'street_center');
		expect(center?.reasonEn).toBe(
			'Profile qingdao-laoshan-2024 sets no rule for a street centre size'
		);
		expect(center?.reasonZh).toContain('qingdao-laoshan-2024');
		const station = result.skipped.find((entry) => entry.check === 'station_coverage');
		expect(station?.reasonZh).toContain('没有设施图层');
		expect(station?.reasonEn).toContain('no facilities layer');
	});
});

/** Laoshan with hand-made facilities: one scenario per street. */
function laoshanFacilities(): FacilityRow[] {
	const [zhCode, zhName] = STREETS.zhonghan;
	const zhCommunities = codesOf(zhCode);
	return [
		// 中韩: a 1,200 m² centre; stations in all but the last two communities.
		facilityRow({
			id: 'zh-center',
			kind: 'street_center',
			floorAreaM2: 1200,
			...inStreet(zhCode, zhName, zhCommunities[0])
		}),
		...zhCommunities.slice(0, -2).map((code, index) =>
			facilityRow({
				id: `zh-station-${index}`,
				kind: 'community_station',
				floorAreaM2: 300,
				...inStreet(zhCode, zhName, code)
			})
		),
		// 沙子口: one 800 m² centre.
		facilityRow({
			id: 'szk-center',
			kind: 'street_center',
			floorAreaM2: 800,
			...inStreet(...STREETS.shazikou)
		}),
		// 王哥庄: no centre, a meal point only.
		facilityRow({
			id: 'wgz-meal',
			kind: 'meal_point',
			floorAreaM2: 2000,
			...inStreet(...STREETS.wanggezhuang)
		}),
		// 北宅: a 500 m² centre and one of unknown size.
		facilityRow({
			id: 'bz-small',
			kind: 'street_center',
			floorAreaM2: 500,
			...inStreet(...STREETS.beizhai)
		}),
		facilityRow({
			id: 'bz-unknown',
			kind: 'street_center',
			floorAreaM2: null,
			...inStreet(...STREETS.beizhai)
		}),
		// 金家岭: two centres, the larger planned at exactly 1,000 m².
		facilityRow({
			id: 'jjl-old',
			kind: 'street_center',
			floorAreaM2: 650,
			...inStreet(...STREETS.jinjialing)
		}),
		facilityRow({
			id: 'jjl-new',
			kind: 'street_center',
			status: 'planned',
			floorAreaM2: 1000,
			...inStreet(...STREETS.jinjialing)
		})
	];
}

describe('Laoshan with a facilities list under qingdao-city-2023-draft (centre ≥ 1000 m², 力争)', () => {
	const facilities = laoshanFacilities();
	const { streets, skipped } = analyzeStreets({
		boundaries,
		communities,
		areas: [],
		facilities,
		profile: profile('qingdao-city-2023-draft'),
		networkAvailable: false
	});

	it('takes the largest street_center of each street and compares it with 1000 m²', () => {
		const centers = Object.fromEntries(streets.map((street) => [street.code, street.center]));
		expect(centers['370212001']).toMatchObject({
			facilityId: 'zh-center',
			floorAreaM2: 1200,
			minFloorAreaM2: 1000,
			meetsMinimum: true
		});
		expect(centers['370212002']).toMatchObject({
			facilityId: 'szk-center',
			floorAreaM2: 800,
			meetsMinimum: false
		});
		expect(centers['370212003']).toMatchObject({
			facilityId: null,
			floorAreaM2: null,
			meetsMinimum: false
		});
		// 500 m² known, one of unknown size: never taken as too small.
		expect(centers['370212004']).toMatchObject({
			facilityId: 'bz-small',
			floorAreaM2: 500,
			meetsMinimum: null
		});
		// 1000 m² ≥ 1000 m²: the planned one is the largest and meets the minimum exactly.
		expect(centers['370212005']).toMatchObject({
			facilityId: 'jjl-new',
			floorAreaM2: 1000,
			meetsMinimum: true
		});
	});

	it('warns of a street without a centre and of a centre below the 力争 target (a target, never a fail)', () => {
		const wgz = byCode(streets, '370212003');
		expect(wgz.verdict).toBe('pass');
		const missing = wgz.reasons.find((reason) => reason.ruleId === 'street-center-area');
		expect(missing).toMatchObject({
			severity: 'warning',
			numbers: { centers: 0, minFloorAreaM2: 1000 }
		});
		expect(missing?.messageZh).toContain('1,000 m²');
		expect(missing?.messageZh).toContain('2024年年底前');
		expect(missing?.citation?.clause).toBe('7.加强四级养老服务网络建设。');

		const szk = byCode(streets, '370212002');
		const small = szk.reasons.find((reason) => reason.ruleId === 'street-center-area');
		expect(small?.severity).toBe('warning');
		expect(small?.messageZh).toContain('差 200 m²');
		expect(small?.messageEn).toContain('below 1,000 m² (by end-2024) by 200 m²');
		expect(szk.verdict).toBe('pass'); // judged (centre false) but nothing fails
		expect(
			byCode(streets, '370212005').reasons.find((r) => r.ruleId === 'street-center-area')?.messageZh
		).toContain('（规划）');
	});

	it('counts communities with a station by their community code; 基本全覆盖 makes gaps a warning', () => {
		const zh = byCode(streets, '370212001');
		const zhCodes = codesOf('370212001');
		expect(zh.communities?.total).toBe(22);
		expect(zh.communities?.withStation).toBe(20);
		expect(zh.communities?.withoutStation.map((c) => c.code)).toEqual(zhCodes.slice(-2).sort());
		expect(zh.communities?.withoutStation.map((c) => c.name)).toEqual([
			'春光山色社区居民委员会',
			'爱丁堡社区居民委员会'
		]);
		const gap = zh.reasons.find((reason) => reason.ruleId === 'station-coverage');
		expect(gap).toMatchObject({
			severity: 'warning',
			numbers: { communities: 22, withStation: 20, withoutStation: 2 }
		});
		expect(zh.verdict).toBe('pass');
		// Other streets: no station in any of their communities (city draft counts 社区 and 村).
		const szk = byCode(streets, '370212002');
		expect(szk.communities).toMatchObject({ total: 43, withStation: 0 });
		expect(szk.communities?.withoutStation).toHaveLength(43);
		// Facilities carry community codes, so station coverage ran: no skipped entry for it.
		expect(skipped.some((entry) => entry.check === 'station_coverage')).toBe(false);
	});
});

describe('Laoshan with the same facilities under donge-2023 (centre ≥ 600 m², every 社区)', () => {
	const { streets, skipped } = analyzeStreets({
		boundaries,
		communities,
		areas: [],
		facilities: laoshanFacilities(),
		profile: profile('donge-2023'),
		networkAvailable: false
	});

	it("counts only 社区 (Dong'e 15. does not require village stations) and fails gaps", () => {
		for (const street of streets)
			expect(street.communities?.total).toBe(codesOf(street.code ?? '', 'community').length);
		expect(streets.map((street) => street.communities?.total)).toEqual([22, 27, 0, 6, 32]);
		const zh = byCode(streets, '370212001');
		expect(zh.reasons.find((reason) => reason.ruleId === 'station-coverage')?.severity).toBe(
			'fail'
		);
		expect(zh.verdict).toBe('fail');
		const szk = byCode(streets, '370212002');
		const reason = szk.reasons.find((r) => r.ruleId === 'station-coverage');
		expect(reason?.messageZh).toContain('另有 16 个不在本条规定范围内');
	});

	it('reads 600 m² as a hard minimum: 800 m² passes, 500 m² with an unknown-size centre stays open', () => {
		expect(byCode(streets, '370212002').center).toMatchObject({
			floorAreaM2: 800,
			minFloorAreaM2: 600,
			meetsMinimum: true
		});
		expect(byCode(streets, '370212004').center.meetsMinimum).toBeNull();
		expect(byCode(streets, '370212003').center.meetsMinimum).toBe(false);
		// 王哥庄 has villages only: no 社区 to check, 0 of 0, said in an info reason.
		expect(byCode(streets, '370212003').communities).toEqual({
			total: 0,
			withStation: 0,
			withoutStation: []
		});
		expect(
			byCode(streets, '370212003').reasons.find((r) => r.ruleId === 'station-coverage')?.messageZh
		).toContain('另有 34 个不在本条规定范围内');
		expect(skipped.some((entry) => entry.check === 'street_center')).toBe(false);
	});
});

describe('profiles lacking rules and facilities without community codes', () => {
	it('qingdao-rural-2022: no centre rule is skipped by name; only villages are counted', () => {
		const { streets, skipped } = analyzeStreets({
			boundaries,
			communities,
			areas: [],
			facilities: [],
			profile: profile('qingdao-rural-2022'),
			networkAvailable: false
		});
		expect(skipped.find((entry) => entry.check === 'street_center')?.reasonEn).toBe(
			'Profile qingdao-rural-2022 sets no rule for a street centre size'
		);
		expect(streets.map((street) => street.communities?.total)).toEqual([0, 16, 34, 30, 0]);
		// An empty facilities layer is known: no station anywhere, yet facilities cannot be placed
		// in communities (none carries a code), so coverage stays unknown; 0 of 0 villages is known.
		expect(streets.map((street) => street.communities?.withStation)).toEqual([
			0,
			null,
			null,
			null,
			0
		]);
	});

	it('no facility carries a community code → withStation null and a skipped entry asking for community polygons', () => {
		const facilities = [
			facilityRow({
				id: 's',
				kind: 'community_station',
				floorAreaM2: 300,
				...inStreet(...STREETS.beizhai)
			})
		];
		const { streets, skipped } = analyzeStreets({
			boundaries,
			communities,
			areas: [],
			facilities,
			profile: profile('qingdao-laoshan-2024'),
			networkAvailable: false
		});
		expect(byCode(streets, '370212004').communities).toEqual({
			total: 36,
			withStation: null,
			withoutStation: []
		});
		const entry = skipped.find((s) => s.check === 'station_coverage');
		expect(entry?.ruleId).toBe('station-coverage');
		expect(entry?.reasonEn).toContain('community polygons');
		expect(entry?.reasonZh).toContain('社区边界');
	});
});

describe('area sums per street (hand-computed)', () => {
	const place = {
		streetCode: '370212009',
		streetName: '测试街道',
		districtCode: '370212',
		districtName: '崂山区',
		assignedBy: 'attribute' as const
	};
	// A: 1,000 existing households × 15 / 100 = 150 m² required, 100 provided → 50 m² short.
	// B: households unknown → no_data. C: 2,000 new × 20 / 100 = 400 m², 500 provided.
	const areas = [
		areaRow({
			id: 'A',
			...place,
			households: 1000,
			elders: 250,
			eldersByClass: { guaranteed: 10, other: 240 },
			estimatedFields: ['households'],
			requiredM2: 150,
			providedM2: 100,
			deficitM2: 50,
			covered: true,
			verdict: 'deficit'
		}),
		areaRow({
			id: 'B',
			...place,
			households: null,
			elders: null,
			providedM2: 0,
			covered: false,
			verdict: 'no_data'
		}),
		areaRow({
			id: 'C',
			...place,
			status: 'new',
			households: 2000,
			elders: 300,
			eldersByClass: { guaranteed: 20 },
			requiredM2: 400,
			providedM2: 500,
			deficitM2: 0,
			covered: false,
			verdict: 'compliant',
			capacity: { accessibleM2PerElder: 0.1, fairShareM2: 30, crowded: true }
		})
	];
	const run = (networkAvailable: boolean) =>
		analyzeStreets({
			boundaries,
			communities,
			areas,
			facilities: [],
			profile: profile('qingdao-laoshan-2024'),
			networkAvailable
		});

	it('adds known figures, counts unknowns, and rolls the deficit into a fail', () => {
		const { streets } = run(true);
		expect(streets).toHaveLength(6); // 5 polygons + the code-only street of the rows
		const street = byCode(streets, '370212009');
		expect(street).toMatchObject({
			name: '测试街道',
			districtCode: '370212',
			areas: 3,
			households: 3000,
			householdsUnknownCount: 1,
			elders: 550,
			eldersUnknownCount: 1,
			requiredM2: 550,
			providedM2: 600,
			deficitM2: 50,
			areasCompliant: 1,
			areasDeficit: 1,
			areasNoData: 1,
			areasCrowded: 1,
			eldersCovered: 250,
			usesEstimate: true,
			verdict: 'fail'
		});
		expect(street.eldersCoveredShare).toBeCloseTo(250 / 550, 12);
		expect(street.eldersByClass).toEqual({
			guaranteed: { total: 30, covered: 10 },
			other: { total: 240, covered: 240 }
		});
		const floor = street.reasons.find((reason) => reason.ruleId === 'community-facility-area');
		expect(floor).toMatchObject({
			severity: 'fail',
			usesEstimate: true,
			numbers: { deficitM2: 50, requiredUnknownCount: 1 }
		});
		expect(floor?.messageZh).toContain('合计缺口 50 m²');
		const circle = street.reasons.find((reason) => reason.ruleId === 'service-circle-15min');
		expect(circle?.severity).toBe('warning');
		expect(circle?.messageZh).toContain('250 人 / 550 人，占 45.5%');
		expect(circle?.messageZh).toContain('政府兜底类 10/30 人（33.3%）');
		// A street with no communities listed has communities null (unknown), not 0.
		expect(street.communities).toBeNull();
	});

	it('without a network, covered elders are null, never 0', () => {
		const street = byCode(run(false).streets, '370212009');
		expect(street.eldersCovered).toBeNull();
		expect(street.eldersCoveredShare).toBeNull();
		expect(street.eldersByClass.guaranteed).toEqual({ total: 30, covered: null });
	});
});

describe('the demo: 18 compounds, no street polygons, no street codes', () => {
	const demo = region('shanghai-bund-lujiazui');
	const residential = demo.layers.residential ?? [];
	const areas = residential.map((feature) =>
		areaRow({
			id: feature.properties.id,
			households: feature.properties.households,
			elders: feature.properties.elders,
			estimatedFields: Object.keys(feature.properties.estimated),
			requiredM2:
				feature.properties.households === null ? null : (feature.properties.households * 15) / 100,
			providedM2: 0,
			deficitM2:
				feature.properties.households === null ? null : (feature.properties.households * 15) / 100,
			verdict: feature.properties.households === null ? 'no_data' : 'deficit'
		})
	);
	const { streets } = analyzeStreets({
		boundaries: demo.layers.boundaries,
		communities: demo.communities,
		areas,
		facilities: (demo.layers.facilities ?? []).map((f) =>
			facilityRow({
				id: f.properties.id,
				kind: f.properties.kind,
				floorAreaM2: f.properties.floorAreaM2
			})
		),
		profile: profile('qingdao-city-2023-draft'),
		networkAvailable: false
	});

	it('puts every compound and the meal point in the one "no street" row, summed by brute force', () => {
		expect(residential).toHaveLength(18);
		expect(streets).toHaveLength(1);
		const [none] = streets;
		expect(none).toMatchObject({ code: null, name: NO_STREET_NAME, areas: 18, districtCode: null });
		expect(none.households).toBe(
			residential.reduce((s, f) => s + (f.properties.households ?? 0), 0)
		);
		expect(none.elders).toBe(residential.reduce((s, f) => s + (f.properties.elders ?? 0), 0));
		expect(none.householdsUnknownCount).toBe(
			residential.filter((f) => f.properties.households === null).length
		);
		expect(none.usesEstimate).toBe(true);
		// Not a street: no centre or community check.
		expect(none.center.meetsMinimum).toBeNull();
		expect(none.communities).toBeNull();
		expect(none.reasons.some((reason) => reason.ruleId === 'street-center-area')).toBe(false);
		expect(none.reasons.at(-1)?.messageEn).toContain(
			'18 areas and 1 facilities lie in no street polygon'
		);
	});
});
