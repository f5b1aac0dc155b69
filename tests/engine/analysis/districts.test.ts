/**
 * District checks (issue 4): Laoshan's welfare land per older resident (101,881 estimated elders
 * × 0.25 m² = 25,470.25 m², 至2035年) without and with facilities, nursing-bed shares against
 * 70 % / 65 %, social workers always skipped with the number required (Dong'e: ⌈101,881 ÷
 * 1,000⌉ = 102), failing streets rolled up, and the demo's clipped district polygons (no elders
 * on them → elders summed from the compounds, cross-checked by point-in-polygon).
 */
import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { analyzeDistricts, NO_DISTRICT_NAME } from '../../../src/lib/engine/analysis/districts.ts';
import { analyzeStreets } from '../../../src/lib/engine/analysis/streets.ts';
import type { AreaRow, FacilityRow } from '../../../src/lib/engine/analysis/types.ts';
import type { RuleProfile } from '../../../src/lib/engine/rules/profile-schema.ts';
import { areaRow, facilityRow, inStreet, profile, region } from './fixtures/streets-rows.ts';

const laoshan = region('qingdao-laoshan');
const boundaries = laoshan.layers.boundaries;
if (!boundaries) throw new Error('qingdao-laoshan lost its boundaries');

function run(
	profileId: string,
	facilities: FacilityRow[] | null,
	areas: AreaRow[] = [],
	networkAvailable = false
) {
	const rules: RuleProfile = profile(profileId);
	const street = analyzeStreets({
		boundaries,
		communities: laoshan.communities,
		areas,
		facilities,
		profile: rules,
		networkAvailable
	});
	const district = analyzeDistricts({
		boundaries,
		areas,
		facilities,
		streets: street.streets,
		profile: rules,
		networkAvailable
	});
	return { ...district, streets: street.streets };
}

describe('Laoshan without facilities (qingdao-laoshan-2024)', () => {
	const { districts, skipped } = run('qingdao-laoshan-2024', null);
	const [laoshanRow] = districts;

	it('one district row with the boundary figures, elders flagged as estimated', () => {
		expect(districts).toHaveLength(1);
		expect(laoshanRow).toMatchObject({
			code: '370212',
			name: '崂山区',
			population: 502370,
			elders: 101881,
			eldersSource: 'boundary',
			eldersEstimated: true,
			eldersCovered: null,
			streets: 5,
			streetsFailing: 0,
			usesEstimate: true
		});
	});

	it('requires 101,881 × 0.25 = 25,470.25 m² of welfare land by 2035; land unknown → no_data', () => {
		expect(laoshanRow.requiredLandM2).toBe(25470.25);
		expect(laoshanRow.welfareLandM2).toBeNull();
		expect(laoshanRow.landPerElderM2).toBeNull();
		expect(laoshanRow.verdict).toBe('no_data');
		const land = laoshanRow.reasons.find((reason) => reason.ruleId === 'welfare-land-per-elder');
		expect(land).toMatchObject({
			severity: 'warning',
			usesEstimate: true,
			numbers: {
				elders: 101881,
				minM2PerElder: 0.25,
				requiredLandM2: 25470.25,
				welfareLandM2: null,
				byYear: 2035
			}
		});
		expect(land?.messageZh).toContain('至2035年');
		expect(land?.messageZh).toContain('101,881 人（区县统计（估算））× 0.25 m² = 25,470.25 m²');
		expect(land?.messageZh).toContain('landAreaM2');
		expect(land?.messageEn).toContain('25,470.25 m² required');
		expect(land?.citation?.clause).toBe('（五）加强用地保障和设施配建');
	});

	it('reports the district checks that could not run', () => {
		const entries = skipped.map((entry) => [entry.check, entry.ruleId]);
		expect(entries).toContainEqual(['welfare_land', 'welfare-land-per-elder']);
		expect(entries).toContainEqual(['nursing_beds', 'nursing-bed-share']);
		expect(entries).toContainEqual(['social_workers', null]);
		expect(entries).toContainEqual(['elders_covered', 'service-circle-15min']);
		expect(skipped.find((entry) => entry.check === 'nursing_beds')?.reasonZh).toContain('70%');
		expect(skipped.find((entry) => entry.check === 'welfare_land')?.reasonZh).toContain(
			'崂山区应有 25,470.25 m²'
		);
		expect(skipped.find((entry) => entry.check === 'social_workers')?.reasonEn).toBe(
			'Profile qingdao-laoshan-2024 sets no rule for social workers'
		);
	});
});

describe('social workers: no staff data, so always skipped with the number required', () => {
	it('donge-2023: 1 per 1,000 older residents → ⌈101,881 ÷ 1,000⌉ = 102 for Laoshan', () => {
		const { skipped, districts } = run('donge-2023', null);
		const entry = skipped.find((s) => s.check === 'social_workers');
		expect(entry).toMatchObject({
			ruleId: 'social-workers',
			level: 'district',
			subjects: ['370212']
		});
		expect(entry?.reasonZh).toContain('101,881 人（老年人数为估算）需 102 名');
		expect(entry?.reasonEn).toContain('need 102');
		// Dong'e sets no welfare-land rule: named as skipped, no land reason on the row.
		expect(skipped.find((s) => s.check === 'welfare_land')?.reasonEn).toBe(
			'Profile donge-2023 sets no rule for welfare land per older resident'
		);
		expect(districts[0].requiredLandM2).toBeNull();
	});

	it('rounds up: 1,200 older residents (summed from areas) need ⌈1.2⌉ = 2 workers, not 1', () => {
		const areas = [
			areaRow({ id: 'a', elders: 700, estimatedFields: [] }),
			areaRow({ id: 'b', elders: 500, estimatedFields: [] })
		];
		const { skipped, districts } = run('donge-2023', null, areas);
		expect(districts[1]).toMatchObject({
			code: null,
			elders: 1200,
			eldersSource: 'areas',
			eldersEstimated: false
		});
		const entry = skipped.find(
			(s) => s.check === 'social_workers' && s.subjects[0] === NO_DISTRICT_NAME
		);
		expect(entry?.reasonZh).toContain('1,200 人需 2 名');
	});

	it('yantai-district-draft: 1 per 100 institution beds → 150 beds need 2', () => {
		const facilities = [
			facilityRow({
				id: 'i1',
				kind: 'institution',
				beds: 100,
				nursingBeds: 60,
				...inStreet('370212001', '中韩街道')
			}),
			facilityRow({
				id: 'i2',
				kind: 'institution',
				beds: 50,
				nursingBeds: 45,
				...inStreet('370212002', '沙子口街道')
			})
		];
		const entry = run('yantai-district-draft', facilities).skipped.find(
			(s) => s.check === 'social_workers'
		);
		expect(entry?.reasonZh).toContain('150 张需 2 名');
		expect(entry?.reasonZh).toContain('至2025年');
	});
});

describe('Laoshan with facilities (qingdao-laoshan-2024)', () => {
	const place = (code: string, name: string) => inStreet(code, name);
	const institutions = [
		// 60 + 45 = 105 nursing beds of 100 + 50 = 150 beds: exactly 70 %.
		facilityRow({
			id: 'i1',
			kind: 'institution',
			beds: 100,
			nursingBeds: 60,
			landAreaM2: 20000,
			...place('370212001', '中韩街道')
		}),
		facilityRow({
			id: 'i2',
			kind: 'institution',
			beds: 50,
			nursingBeds: 45,
			landAreaM2: 3000,
			...place('370212002', '沙子口街道')
		})
	];
	const withCenter = (landAreaM2: number | null) => [
		...institutions,
		facilityRow({
			id: 'c',
			kind: 'street_center',
			floorAreaM2: 900,
			landAreaM2,
			...place('370212005', '金家岭街道')
		})
	];

	it('known land short of the requirement with one unknown → no_data, the shortfall stated', () => {
		const [row] = run('qingdao-laoshan-2024', withCenter(null)).districts;
		expect(row).toMatchObject({
			welfareLandM2: 23000,
			welfareLandUnknownCount: 1,
			requiredLandM2: 25470.25
		});
		expect(row.landPerElderM2).toBeCloseTo(23000 / 101881, 12);
		const land = row.reasons.find((reason) => reason.ruleId === 'welfare-land-per-elder');
		expect(land?.severity).toBe('warning');
		expect(land?.messageZh).toContain('已知 23,000 m²，差 2,470.25 m²');
	});

	it('23,000 + 2,470.25 = 25,470.25 m² meets the target exactly; 2,000 fails by 470.25 m²', () => {
		const met = run('qingdao-laoshan-2024', withCenter(2470.25)).districts[0];
		expect(met.welfareLandM2).toBe(25470.25);
		expect(met.reasons.find((r) => r.ruleId === 'welfare-land-per-elder')?.severity).toBe('info');
		expect(met.verdict).toBe('pass');

		const short = run('qingdao-laoshan-2024', withCenter(2000)).districts[0];
		const land = short.reasons.find((r) => r.ruleId === 'welfare-land-per-elder');
		expect(land?.severity).toBe('fail');
		expect(land?.messageZh).toContain('缺口 470.25 m²');
		expect(short.verdict).toBe('fail');
	});

	it("nursing beds 105 / 150 = 70 % meet Laoshan's 70 %; Dong'e's 65 % too; 104 / 150 fails 70 %", () => {
		const [row] = run('qingdao-laoshan-2024', withCenter(2470.25)).districts;
		expect(row).toMatchObject({ beds: 150, nursingBeds: 105 });
		expect(row.nursingBedShare).toBeCloseTo(0.7, 12);
		const beds = row.reasons.find((r) => r.ruleId === 'nursing-bed-share');
		expect(beds?.severity).toBe('info');
		expect(beds?.messageZh).toContain('105 张 / 150 张 = 70%');
		expect(beds?.messageZh).toContain('至2026年');

		const fewer = [{ ...institutions[0], nursingBeds: 59 }, institutions[1]];
		const low = run('qingdao-laoshan-2024', fewer).districts[0];
		expect(low.reasons.find((r) => r.ruleId === 'nursing-bed-share')?.severity).toBe('fail');
		expect(
			run('donge-2023', fewer).districts[0].reasons.find((r) => r.ruleId === 'nursing-bed-share')
				?.severity
		).toBe('info');
	});

	it('an institution with unknown beds leaves the share unjudged', () => {
		const unknown = [
			...institutions,
			facilityRow({ id: 'i3', kind: 'institution', beds: null, nursingBeds: null })
		];
		const [row] = run('qingdao-laoshan-2024', unknown).districts;
		// i3 has no place: it lies in no district, so Laoshan's share is still 105 / 150.
		expect(row.nursingBedShare).toBeCloseTo(0.7, 12);
		const inLaoshan = unknown.map((f) => ({ ...f, ...inStreet('370212003', '王哥庄街道') }));
		const [again] = run('qingdao-laoshan-2024', inLaoshan).districts;
		const beds = again.reasons.find((r) => r.ruleId === 'nursing-bed-share');
		expect(beds?.severity).toBe('warning');
		expect(beds?.numbers.institutionsUnknown).toBe(1);
	});

	it('facilities in no district get their own row', () => {
		const unplaced = facilityRow({ id: 'far', kind: 'meal_point' });
		const { districts } = run('qingdao-laoshan-2024', [...institutions, unplaced]);
		expect(districts.map((d) => [d.code, d.name])).toEqual([
			['370212', '崂山区'],
			[null, NO_DISTRICT_NAME]
		]);
		expect(districts[1]).toMatchObject({
			elders: null,
			eldersSource: 'none',
			welfareLandM2: null, // its one facility has no land area: unknown, not 0
			welfareLandUnknownCount: 1,
			requiredLandM2: null,
			verdict: 'no_data'
		});
	});
});

describe('failing streets rolled up (donge-2023 15.: every town / street needs a centre)', () => {
	it('names the streets without a centre under the rule they fail', () => {
		const facilities = [
			facilityRow({
				id: 'c1',
				kind: 'street_center',
				floorAreaM2: 1200,
				...inStreet('370212001', '中韩街道')
			}),
			facilityRow({
				id: 'c2',
				kind: 'street_center',
				floorAreaM2: 1500,
				...inStreet('370212005', '金家岭街道')
			})
		];
		// Dong'e 15. "每个乡镇（街道）都要建设1处…综合养老服务中心" is a requirement: a street without
		// one fails. (Under Qingdao city 7. the sentence is 力争, a target: a warning.)
		const { districts, streets } = run('donge-2023', facilities);
		const failing = streets.filter((s) => s.verdict === 'fail').map((s) => s.name);
		expect(failing).toEqual(['沙子口街道', '王哥庄街道', '北宅街道']);
		const [row] = districts;
		expect(row.streetsFailing).toBe(3);
		expect(row.verdict).toBe('fail');
		const rolled = row.reasons.find((r) => r.ruleId === 'street-center-area');
		expect(rolled).toMatchObject({ severity: 'fail', numbers: { streetsFailing: 3, streets: 5 } });
		expect(rolled?.messageZh).toBe(
			'3 个街道未达标（street-center-area）：沙子口街道、王哥庄街道、北宅街道'
		);
		const city = run('qingdao-city-2023-draft', facilities);
		expect(city.streets.filter((s) => s.verdict === 'fail')).toEqual([]);
		// The city draft's welfare land has no year: "至规划期末".
		expect(
			city.districts[0].reasons.find((r) => r.ruleId === 'welfare-land-per-elder')?.messageZh
		).toContain('至规划期末');
	});
});

describe('the demo: clipped district polygons without elders', () => {
	const demo = region('shanghai-bund-lujiazui');
	const residential = demo.layers.residential ?? [];
	const districtFeatures = (demo.layers.boundaries ?? []).filter(
		(f) => f.properties.level === 'district'
	);
	// Brute force: the district polygon containing a point on each compound.
	const districtOf = (feature: (typeof residential)[number]) =>
		districtFeatures.find((d) => booleanPointInPolygon(pointOnFeature(feature), d)) ?? null;
	const areas = residential.map((feature) => {
		const district = districtOf(feature);
		const households = feature.properties.households;
		const requiredM2 = households === null ? null : (households * 15) / 100;
		return areaRow({
			id: feature.properties.id,
			households,
			elders: feature.properties.elders,
			estimatedFields: Object.keys(feature.properties.estimated),
			districtCode: district?.properties.code ?? null,
			districtName: district?.properties.name ?? null,
			assignedBy: district ? 'polygon' : 'none',
			requiredM2,
			providedM2: requiredM2 === null ? null : 0,
			deficitM2: requiredM2,
			covered: households !== null && households % 2 === 0,
			verdict: requiredM2 === null ? 'no_data' : requiredM2 > 0 ? 'deficit' : 'compliant'
		});
	});
	const rules = profile('qingdao-city-2023-draft');
	const { districts, regionFindings } = analyzeDistricts({
		boundaries: demo.layers.boundaries,
		areas,
		facilities: [],
		streets: [],
		profile: rules,
		networkAvailable: true
	});

	it('sums elders over the compounds inside each polygon (source "areas", estimated)', () => {
		expect(districts.filter((d) => d.code !== null)).toHaveLength(4);
		let total = 0;
		for (const row of districts) {
			const inside = areas.filter((a) => a.districtCode === row.code);
			const elders = inside.reduce((s, a) => s + (a.elders ?? 0), 0);
			total += elders;
			if (inside.length === 0) {
				expect(row).toMatchObject({ elders: null, eldersSource: 'none', verdict: 'no_data' });
				continue;
			}
			expect(row).toMatchObject({
				elders,
				eldersSource: 'areas',
				eldersEstimated: true,
				population: null
			});
			expect(row.requiredLandM2).toBe(Math.round(elders * 0.25 * 100) / 100);
			const covered = inside.filter((a) => a.covered).reduce((s, a) => s + (a.elders ?? 0), 0);
			expect(row.eldersCovered).toBe(covered);
			expect(row.deficitM2).toBeCloseTo(
				inside.reduce((s, a) => s + (a.deficitM2 ?? 0), 0),
				6
			);
			// A facilities layer without any facility here: 0 m² of land, said so. Qingdao city 3.
			// is a city-wide (全市) target: per district it is information, never a failure.
			expect(row.welfareLandM2).toBe(0);
			const land = row.reasons.find((r) => r.ruleId === 'welfare-land-per-elder');
			expect(land?.severity).toBe('info');
			expect(land?.messageZh).toMatch(/^全市指标，按全区域合计判定/);
			expect(land?.messageZh).toContain('设施图层中本区县没有养老设施');
			expect(land?.messageZh).toContain('（老年人口径：青岛市户籍 60 周岁及以上老年人');
			expect(row.verdict).toBe('fail'); // the compounds' floor-area deficits
		}
		expect(total).toBe(residential.reduce((s, f) => s + (f.properties.elders ?? 0), 0));
		expect(total).toBeGreaterThan(0);
		// The region-wide finding: a district without any elder figure leaves the total unknown.
		expect(regionFindings).toHaveLength(1);
		expect(regionFindings[0]).toMatchObject({ ruleId: 'welfare-land-per-elder' });
		expect(regionFindings[0].messageZh).toContain('老年人口未知');
	});
});
