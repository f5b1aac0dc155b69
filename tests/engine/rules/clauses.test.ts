/**
 * Issue 13: one test per clause of the five shipped profiles. Each test reads the sentence from
 * the profile rule's citation.quote, checks that it occurs in the policy text
 * (../shared/policies, whitespace removed on both sides), and runs the rule function of
 * src/lib/engine/rules/ on a small case whose figures are worked out by hand in the comments.
 *
 * The table CLAUSES names, per profile, every clause label with the rules citing it and the test's
 * title; the last test checks that it covers every clause of every profile, so a clause added to a
 * profile without a test here fails. docs/RULES.md ("Clause → rule → function → test") lists the
 * same titles.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDistricts } from '../../../src/lib/engine/analysis/districts.ts';
import { approvalConditions } from '../../../src/lib/engine/rules/approval.ts';
import {
	checkArea,
	requiredFloorAreaM2,
	type AreaCheckInput
} from '../../../src/lib/engine/rules/area-check.ts';
import { checkAbilityAssessment } from '../../../src/lib/engine/rules/ability-assessment.ts';
import { elderDefinitionNote } from '../../../src/lib/engine/rules/elders.ts';
import { checkFamilyCareBeds } from '../../../src/lib/engine/rules/family-beds.ts';
import { checkSpecialVisitRate } from '../../../src/lib/engine/rules/visit-rate.ts';
import { bindingOf, type CheckReason } from '../../../src/lib/engine/rules/findings.ts';
import {
	checkNursingBedShare,
	type BedFigures
} from '../../../src/lib/engine/rules/nursing-beds.ts';
import {
	allocatePooledFloorArea,
	poolingEligibility
} from '../../../src/lib/engine/rules/pooling.ts';
import type {
	RuleKind,
	RuleOfKind,
	RuleProfile
} from '../../../src/lib/engine/rules/profile-schema.ts';
import { checkServiceCircle } from '../../../src/lib/engine/rules/service-circle.ts';
import {
	checkSocialWorkers,
	socialWorkersSkipped
} from '../../../src/lib/engine/rules/social-workers.ts';
import {
	checkStationCoverage,
	type StationCoverageStreet
} from '../../../src/lib/engine/rules/station-coverage.ts';
import { checkFacilitySize } from '../../../src/lib/engine/rules/station-size.ts';
import {
	checkStreetCenter,
	type CenterCandidate
} from '../../../src/lib/engine/rules/street-center.ts';
import {
	checkWelfareLand,
	type WelfareLandInput
} from '../../../src/lib/engine/rules/welfare-land.ts';
import { defaultProfilesDir, loadProfile } from '../../../src/lib/server/profile-store.ts';
import { areaRow, facilityRow } from '../analysis/fixtures/streets-rows.ts';

const policiesDir = path.join(import.meta.dirname, '../../..', '..', 'shared', 'policies');

const PROFILE_IDS = [
	'qingdao-laoshan-2024',
	'qingdao-city-2023-draft',
	'yantai-district-draft',
	'donge-2023',
	'qingdao-rural-2022'
] as const;
type ProfileId = (typeof PROFILE_IDS)[number];

/** Every clause of every profile: the rules citing it and the title of its test. */
const CLAUSES: Record<ProfileId, Record<string, { rules: string[]; title: string }>> = {
	'qingdao-laoshan-2024': {
		'（五）': {
			rules: ['community-facility-area', 'welfare-land-per-elder'],
			title:
				'20 / 15 m² per 100 households; 全区 welfare land ≥ 0.25 m² per elder by 2035, per district'
		},
		'（七）': {
			rules: ['service-circle-15min', 'station-coverage'],
			title:
				'15-minute circle; station coverage is inferred (warning, 推断), a street centre is no station'
		},
		'（九）': {
			rules: ['nursing-bed-share'],
			title: 'nursing-type beds ≥ 70 % by 2026'
		},
		'（十一）': {
			rules: ['meal-service-circle'],
			title: 'meal circle inferred from （七）: 15 minutes to a meal point, reported, never judged'
		}
	},
	'qingdao-city-2023-draft': {
		'1.': {
			rules: ['service-objects'],
			title:
				'elders are 青岛市户籍 60+ (elderDefinition basis text), printed beside per-elder figures'
		},
		'2.': {
			rules: ['service-circle-15min'],
			title: '15-minute circle'
		},
		'3.': {
			rules: ['welfare-land-per-elder'],
			title:
				'全市 welfare land ≥ 0.25 m² per elder, judged on the region’s total, per district info'
		},
		'5.': {
			rules: ['community-facility-area'],
			title: '20 / 15 m² per 100 households, no single-site minimum'
		},
		'7.': {
			rules: ['street-center-area', 'station-coverage'],
			title:
				'street centre 力争 ≥ 1000 m² by 2024 (warning); stations 基本全覆盖 (warning), a street centre is no station'
		}
	},
	'yantai-district-draft': {
		'1.': {
			rules: ['ability-assessment-80'],
			title: '80+ ability assessment 全覆盖 (100 %) by end-2025, from the indicator table'
		},
		'5.': {
			rules: ['family-care-beds'],
			title: '全区 ≥ 300 new family care beds by end-2025, judged per district'
		},
		'4.': {
			rules: ['community-facility-area', 'synchronous-delivery'],
			title:
				'20 m² and every site ≥ 350 m² (new), 15 m² (existing); only small new compounds pool; 四同步 for new'
		},
		'6.': {
			rules: ['service-circle-15min', 'meal-service-circle'],
			title:
				'15-minute circle by end-2025; meal circle of meal points and day-care centres, share reported'
		},
		'8.': {
			rules: ['nursing-bed-share'],
			title: 'nursing-type beds ≥ 70 % by end-2025'
		},
		'15.': {
			rules: ['social-workers'],
			title:
				'one social worker per 100 institution beds (⌈beds ÷ 100⌉ stated; judged once 社工人数 is reported)'
		}
	},
	'donge-2023': {
		'6.': {
			rules: ['special-visit-rate'],
			title: 'monthly visits to older people in special difficulty 100 % by end-2025'
		},
		'13.': {
			rules: ['community-facility-area', 'land-sale-precondition', 'synchronous-delivery'],
			title:
				'20 / 15 m² and every site ≥ 200 m² (two 150 m² rooms fail); land-sale precondition and 四同步 for new'
		},
		'15.': {
			rules: ['street-center-area', 'community-center-area', 'station-coverage'],
			title:
				'street centre ≥ 600 m², community centre ≥ 300 m², a centre in every 社区 (villages not counted)'
		},
		'16.': {
			rules: ['nursing-bed-share'],
			title: 'nursing-type beds ≥ 65 % by end-2025'
		},
		'20.': {
			rules: ['social-workers'],
			title:
				'one social worker per 1,000 older residents (with the elder definition; judged once 社工人数 is reported)'
		}
	},
	'qingdao-rural-2022': {
		'4.': {
			rules: ['village-station-coverage', 'village-station-area'],
			title:
				'village station typically 350 m² (warning, never fail); 每个行政村 only in the pilot towns (onlyStreets)'
		}
	}
};

const profiles = new Map<ProfileId, RuleProfile>(
	PROFILE_IDS.map((id) => [id, loadProfile(defaultProfilesDir(), id)])
);
const profileOf = (id: ProfileId): RuleProfile => profiles.get(id)!;

/** PDF line breaks and spaces around numbers are not part of the text. */
const normalise = (text: string) => text.replace(/\s+/gu, '');
const policyText = (profile: RuleProfile) =>
	normalise(readFileSync(path.join(policiesDir, profile.sourceFile), 'utf8'));

/** The clause label a citation's clause starts with: （五）, 13., 4. */
const labelOf = (clause: string) =>
	/^(（[一二三四五六七八九十]+）|\d+\.)/u.exec(clause)?.[1] ?? clause;

/** "<label> <title>": the test's name, as docs/RULES.md lists it. */
const title = (id: ProfileId, label: string) => `${label} ${CLAUSES[id][label].title}`;

/**
 * The rule `ruleId` of the profile, of the given kind, cited to the clause `label`; its quote
 * occurs in the policy text (whitespace-insensitive) and contains `sentence` (the words the test
 * rests on, written out in the test).
 */
function cited<K extends RuleKind>(
	profile: RuleProfile,
	label: string,
	ruleId: string,
	kind: K,
	sentence: string
): RuleOfKind<K> {
	const rule = profile.rules.find((candidate) => candidate.id === ruleId);
	if (!rule) throw new Error(`${profile.id} has no rule ${ruleId}`);
	expect(rule.kind, `${profile.id} ${ruleId}`).toBe(kind);
	expect(labelOf(rule.citation.clause), `${profile.id} ${ruleId} clause`).toBe(label);
	expect(policyText(profile), `${profile.id} ${ruleId}: quote in ${profile.sourceFile}`).toContain(
		normalise(rule.citation.quote)
	);
	expect(normalise(rule.citation.quote)).toContain(normalise(sentence));
	return rule as RuleOfKind<K>;
}

const areaInput = (overrides: Partial<AreaCheckInput>): AreaCheckInput => ({
	households: 1000,
	status: 'new',
	providedM2: 0,
	minutesToNearest: null,
	estimated: {},
	...overrides
});

const beds = (nursingBeds: number, total: number): BedFigures => ({
	institutions: 1,
	unknownCount: 0,
	beds: total,
	nursingBeds,
	share: nursingBeds / total,
	estimated: false
});

const landInput = (elders: number, welfareLandM2: number): WelfareLandInput => ({
	name: '某区',
	elders: { elders, eldersSource: 'boundary', eldersEstimated: false, unknownAreas: 0 },
	land: { welfareLandM2, unknownCount: 0, estimated: false },
	facilityCount: 1,
	facilitiesKnown: true
});

const center = (floorAreaM2: number): CenterCandidate => ({
	id: 'c',
	name: '综合中心',
	kind: 'street_center',
	status: 'existing',
	floorAreaM2,
	estimatedFields: []
});

/** One street with the named communities / villages and facilities placed in them. */
function street(
	code: string,
	communities: [code: string, name: string][],
	facilities: StationCoverageStreet['facilities']
): StationCoverageStreet {
	return {
		code,
		communities: communities.map(([communityCode, name]) => ({
			code: communityCode,
			name,
			streetCode: code
		})),
		facilities,
		anyCommunityOnFacilities: true
	};
}

/** Runs checkStationCoverage and returns the coverage and its one finding. */
function coverage(
	input: StationCoverageStreet,
	rule: RuleOfKind<'station_coverage'>
): { result: ReturnType<typeof checkStationCoverage>; reason: CheckReason } {
	const reasons: CheckReason[] = [];
	const result = checkStationCoverage(input, rule, reasons);
	expect(reasons).toHaveLength(1);
	return { result, reason: reasons[0] };
}

const circle = (minutesToNearest: number, profile: RuleProfile) => {
	const result = checkServiceCircle({ minutesToNearest, computed: true }, profile);
	if (!result) throw new Error(`${profile.id} has no service circle`);
	return result;
};

// ---------------------------------------------------------------- Laoshan

describe('qingdao-laoshan-2024 (崂办字〔2024〕12号)', () => {
	const id = 'qingdao-laoshan-2024';
	const laoshan = profileOf(id);

	it(title(id, '（五）'), () => {
		// "新建城镇居住区按照每百户不低于20平方米的标准，配建社区养老服务设施；已建成城镇居住区未配建
		// 或者已配建社区养老服务设施不符合规定的，按照每百户不低于15平方米的标准配置。"
		const area = cited(
			laoshan,
			'（五）',
			'community-facility-area',
			'facility_area_per_households',
			'新建城镇居住区按照每百户不低于20平方米的标准'
		);
		expect(area.citation.quote).toContain('按照每百户不低于15平方米的标准配置');
		// 1,000 new households × 20 ÷ 100 = 200 m²; 1,000 existing × 15 ÷ 100 = 150 m².
		expect(requiredFloorAreaM2(1000, 'new', area)).toBe(200);
		expect(requiredFloorAreaM2(1000, 'existing', area)).toBe(150);
		// Existing, 100 m² provided: 150 − 100 = 50 m² short → fail.
		const existing = checkArea(areaInput({ status: 'existing', providedM2: 100 }), laoshan);
		expect(existing).toMatchObject({
			requiredM2: 150,
			providedM2: 100,
			deficitM2: 50,
			verdict: 'deficit'
		});
		expect(existing.reasons[0]).toMatchObject({
			ruleId: 'community-facility-area',
			severity: 'fail'
		});
		expect(existing.reasons[0].messageZh).toBe(
			'已建成居住区：1000 户 ÷ 100 × 15 = 150 m²；已配建 100 m²，缺口 50 m²'
		);

		// "至2035年，全区人均老年人社会福利用地不低于0.25平方米。" — 全区: judged per district.
		const land = cited(
			laoshan,
			'（五）',
			'welfare-land-per-elder',
			'welfare_land_per_elder',
			'至2035年，全区人均老年人社会福利用地不低于0.25平方米'
		);
		expect(land.params.scope).toBe('district');
		// 1,000 elders × 0.25 = 250 m² required; 200 m² present → 50 m² short, a district verdict.
		const short = checkWelfareLand(landInput(1000, 200), land, laoshan, 'district');
		expect(short.judged).toBe(true);
		expect(short.requiredLandM2).toBe(250);
		expect(short.reason.severity).toBe('fail');
		expect(short.reason.messageZh).toContain(
			'至2035年人均老年人社会福利用地不低于 0.25 m²：应有 1,000 人（区县统计）× 0.25 m² = 250 m²，现有 200 m²，人均 0.2 m²，缺口 50 m²'
		);
		// 250 m² present = 250 m² required → meets it.
		const met = checkWelfareLand(landInput(1000, 250), land, laoshan, 'district');
		expect([met.judged, met.reason.severity]).toEqual([true, 'info']);
		expect(met.reason.messageZh).toContain('达标');
		// A district target is not judged on a region total.
		expect(checkWelfareLand(landInput(1000, 200), land, laoshan, 'region').judged).toBe(false);
	});

	it(title(id, '（七）'), () => {
		// "持续优化“15分钟养老服务圈”"
		const circleRule = cited(
			laoshan,
			'（七）',
			'service-circle-15min',
			'service_circle',
			'15分钟养老服务圈'
		);
		expect(circleRule.params.maxMinutes).toBe(15);
		// 16 min > 15 min → outside the circle, a warning; 15 min ≤ 15 → inside.
		const far = circle(16, laoshan);
		expect(far.covered).toBe(false);
		expect(far.reason).toMatchObject({ ruleId: 'service-circle-15min', severity: 'warning' });
		expect(far.reason.messageZh).toBe('最近站点步行 16 分钟，超出 15 分钟养老服务圈');
		expect(circle(15, laoshan)).toMatchObject({ covered: true, reason: { severity: 'info' } });
		// 15.04 min is outside; shown to 0.01 so that the figure does not read "15 分钟，超出 15 分钟".
		expect(circle(15.04, laoshan).reason.messageZh).toBe(
			'最近站点步行 15.04 分钟，超出 15 分钟养老服务圈'
		);
		expect(circle(15.04, laoshan).covered).toBe(false);
		// The same circle through the area check: covered false, the floor-area verdict unchanged.
		const area = checkArea(areaInput({ providedM2: 200, minutesToNearest: 16 }), laoshan);
		expect([area.verdict, area.covered]).toEqual(['compliant', false]);

		// "健全覆盖城乡、分布均衡、功能完善的区、街道、社区（村）、家庭四级养老服务网络。" — no sentence
		// requires a station in every community: the check is inferred.
		const stations = cited(
			laoshan,
			'（七）',
			'station-coverage',
			'station_coverage',
			'区、街道、社区（村）、家庭四级养老服务网络'
		);
		expect(bindingOf(stations)).toBe('inferred');
		// 3 units: 甲 has a community station, 丙 (a village) a rural station, 乙 only the street
		// centre → 1 of 3 without a station: a warning saying 推断, never a fail.
		const { result, reason } = coverage(
			street(
				'370212001',
				[
					['370212001001', '甲社区居民委员会'],
					['370212001002', '乙社区居民委员会'],
					['370212001201', '丙村民委员会']
				],
				[
					{ kind: 'community_station', communityCode: '370212001001' },
					{ kind: 'street_center', communityCode: '370212001002' },
					{ kind: 'rural_station', communityCode: '370212001201' }
				]
			),
			stations
		);
		expect(result).toEqual({
			total: 3,
			withStation: 2,
			withoutStation: [{ code: '370212001002', name: '乙社区居民委员会' }]
		});
		expect(reason.severity).toBe('warning');
		expect(reason.messageZh).toBe(
			'本街道 3 个社区和行政村中 1 个没有养老服务站：乙社区居民委员会（推断（条文未明确要求））'
		);
		expect(reason.messageZh).toContain('推断');
	});

	it(title(id, '（九）'), () => {
		// "至2026年，全区护理型床位占比提高到70%以上。"
		const rule = cited(
			laoshan,
			'（九）',
			'nursing-bed-share',
			'nursing_bed_share',
			'至2026年，全区护理型床位占比提高到70%以上'
		);
		// 69 ÷ 100 = 69 % < 70 % → fail; 70 ÷ 100 = 70 % → meets it.
		const below = checkNursingBedShare(beds(69, 100), rule);
		expect([below.judged, below.reason.severity]).toEqual([true, 'fail']);
		expect(below.reason.messageZh).toBe(
			'至2026年护理型床位占比不低于 70%：69 张 / 100 张 = 69%，未达标'
		);
		const at = checkNursingBedShare(beds(70, 100), rule);
		expect([at.judged, at.reason.severity]).toEqual([true, 'info']);
		expect(at.reason.messageZh).toBe(
			'至2026年护理型床位占比不低于 70%：70 张 / 100 张 = 70%，达标'
		);
	});
	it(title(id, '（十一）'), () => {
		// "鼓励物业企业、餐饮企业等依法参与运营助餐机构并提供助餐配餐服务。" — no distance.
		const rule = cited(
			laoshan,
			'（十一）',
			'meal-service-circle',
			'meal_service_circle',
			'依法参与运营助餐机构并提供助餐配餐服务'
		);
		// The 15 minutes are borrowed from （七）'s circle, and no share is set: reported, not judged.
		expect(rule.params).toEqual({ maxMinutes: 15, facilityKinds: ['meal_point'] });
		expect(rule.params.maxMinutes).toBe(
			laoshan.rules.find((r) => r.kind === 'service_circle')?.params.maxMinutes
		);
		expect(bindingOf(rule)).toBe('inferred');
		expect(rule.interpretations?.map((choice) => choice.param)).toEqual(['maxMinutes']);
	});
});

// ---------------------------------------------------------------- Qingdao city (draft)

describe('qingdao-city-2023-draft (征求意见稿)', () => {
	const id = 'qingdao-city-2023-draft';
	const city = profileOf(id);

	it(title(id, '1.'), () => {
		// "基本养老服务对象为青岛市户籍60周岁及以上老年人（以下简称老年人），共分为四类"
		const objects = cited(city, '1.', 'service-objects', 'service_objects', '青岛市户籍60周岁');
		expect(objects.params).toEqual({
			minAgeYears: 60,
			classes: ['guaranteed', 'disabledOrDementia', 'specialHardship', 'other']
		});
		// The only text that defines 老年人: the profile's definition cites the same sentence.
		const definition = city.elderDefinition;
		expect(definition.basis).toBe('text');
		expect(definition.citation?.quote).toBe(objects.citation.quote);
		expect(definition.citation?.quote).toContain('户籍60周岁');
		expect(policyText(city)).toContain(normalise(definition.citation?.quote ?? '—'));
		// Every per-elder figure carries the definition: welfare land of 1,000 elders.
		const land = city.rules.find((rule) => rule.kind === 'welfare_land_per_elder');
		if (land?.kind !== 'welfare_land_per_elder') throw new Error('no welfare-land rule');
		const finding = checkWelfareLand(landInput(1000, 300), land, city, 'region').reason;
		expect(finding.messageZh).toMatch(
			/（老年人口径：青岛市户籍 60 周岁及以上老年人（区域数据为常住 60 岁以上人数，可能偏多））$/u
		);
		expect(elderDefinitionNote(city).zh).toBe(
			'（老年人口径：青岛市户籍 60 周岁及以上老年人（区域数据为常住 60 岁以上人数，可能偏多））'
		);
		// A profile whose text defines nothing says the data's count is used.
		expect(elderDefinitionNote(profileOf('qingdao-laoshan-2024')).zh).toContain(
			'老年人口径：60 周岁及以上老年人（本文件未定义“老年人”'
		);
	});

	it(title(id, '2.'), () => {
		// "完善养老服务设施，构建15分钟养老服务圈"
		cited(city, '2.', 'service-circle-15min', 'service_circle', '构建15分钟养老服务圈');
		// 14.96 min rounds to 15.0 and is ≤ 15 → inside; 15.5 min > 15 → outside, a warning.
		const near = circle(14.96, city);
		expect(near.covered).toBe(true);
		expect(near.reason.messageZh).toBe('步行 15 分钟可达最近站点，在 15 分钟养老服务圈内');
		const far = circle(15.5, city);
		expect([far.covered, far.reason.severity]).toEqual([false, 'warning']);
		expect(far.reason.messageZh).toBe('最近站点步行 15.5 分钟，超出 15 分钟养老服务圈');
	});

	it(title(id, '3.'), () => {
		// "至规划期末全市人均老年人社会福利用地不低于0.25平方米" — 全市: the whole city's total.
		const land = cited(
			city,
			'3.',
			'welfare-land-per-elder',
			'welfare_land_per_elder',
			'全市人均老年人社会福利用地不低于0.25平方米'
		);
		expect(land.params).toEqual({ minM2PerElder: 0.25, scope: 'city' });

		/** Two districts of 1,000 elders each, with A's and B's welfare land (m²). */
		const run = (landA: number, landB: number) => {
			const districtA = { districtCode: '370202', districtName: '市南区' };
			const districtB = { districtCode: '370203', districtName: '市北区' };
			const compliant = { verdict: 'compliant' as const, requiredM2: 100, providedM2: 100 };
			return analyzeDistricts({
				boundaries: null,
				areas: [
					areaRow({ id: 'a', elders: 1000, deficitM2: 0, ...compliant, ...districtA }),
					areaRow({ id: 'b', elders: 1000, deficitM2: 0, ...compliant, ...districtB })
				],
				facilities: [
					facilityRow({ id: 'fa', kind: 'community_station', landAreaM2: landA, ...districtA }),
					facilityRow({ id: 'fb', kind: 'community_station', landAreaM2: landB, ...districtB })
				],
				streets: [],
				profile: city,
				networkAvailable: false
			});
		};
		const welfare = (row: { reasons: CheckReason[] }) =>
			row.reasons.find((reason) => reason.ruleId === 'welfare-land-per-elder');

		// A: 100 m² ÷ 1,000 = 0.1 m² per elder (alone it would fail: 250 m² needed);
		// B: 500 m² ÷ 1,000 = 0.5 m². Region: 600 m² ≥ 2,000 × 0.25 = 500 m² → meets it.
		const passing = run(100, 500);
		expect(passing.districts.map((row) => [row.name, row.verdict])).toEqual([
			['市南区', 'pass'],
			['市北区', 'pass']
		]);
		for (const row of passing.districts) {
			expect(welfare(row)?.severity).toBe('info');
			expect(welfare(row)?.messageZh).toMatch(/^全市指标/u);
			expect(row.reasons.some((reason) => reason.severity === 'fail')).toBe(false);
		}
		expect(welfare(passing.districts[0])?.messageZh).toContain(
			'应有 1,000 人（居住区合计）× 0.25 m² = 250 m²，现有 100 m²，人均 0.1 m²，缺口 150 m²'
		);
		expect(passing.regionFindings).toHaveLength(1);
		expect(passing.regionFindings[0]).toMatchObject({
			ruleId: 'welfare-land-per-elder',
			severity: 'info',
			numbers: { elders: 2000, requiredLandM2: 500, welfareLandM2: 600, landPerElderM2: 0.3 }
		});
		expect(passing.regionFindings[0].messageZh).toContain(
			'应有 2,000 人（居住区合计）× 0.25 m² = 500 m²，已有 600 m²，人均 0.3 m²，达标'
		);

		// B with 300 m²: 100 + 300 = 400 m² < 500 m² → the region fails by 100 m², no district does.
		const failing = run(100, 300);
		expect(failing.regionFindings).toHaveLength(1);
		expect(failing.regionFindings[0].severity).toBe('fail');
		expect(failing.regionFindings[0].messageZh).toContain(
			'应有 2,000 人（居住区合计）× 0.25 m² = 500 m²，现有 400 m²，人均 0.2 m²，缺口 100 m²'
		);
		expect(failing.districts.map((row) => row.verdict)).toEqual(['pass', 'pass']);
		for (const row of failing.districts) expect(welfare(row)?.severity).toBe('info');
	});

	it(title(id, '5.'), () => {
		// "新建城镇居住区按照每百户不低于20平方米的标准配套建设社区养老服务设施。已建成城镇居住区
		// 未配套建设或者已配建社区养老服务设施不符合规定要求的，……按照每百户不低于15平方米的标准配置。"
		const rule = cited(
			city,
			'5.',
			'community-facility-area',
			'facility_area_per_households',
			'新建城镇居住区按照每百户不低于20平方米的标准配套建设社区养老服务设施'
		);
		expect(rule.citation.quote).toContain('按照每百户不低于15平方米的标准配置');
		expect(rule.params.minSingleSiteM2).toBeNull();
		// 1,000 new × 20 ÷ 100 = 200 m²; 1,000 existing × 15 ÷ 100 = 150 m²; 50 new → 10 m² (no floor).
		expect(requiredFloorAreaM2(1000, 'new', rule)).toBe(200);
		expect(requiredFloorAreaM2(1000, 'existing', rule)).toBe(150);
		expect(requiredFloorAreaM2(50, 'new', rule)).toBe(10);
		// No single-site minimum: a 60 m² room counts in full. 300 new households need 60 m².
		const small = checkArea(
			areaInput({
				households: 300,
				providedM2: 60,
				sites: [{ id: 'r', name: '小活动室', floorAreaM2: 60, shareM2: 60 }]
			}),
			city
		);
		expect(small).toMatchObject({
			requiredM2: 60,
			providedM2: 60,
			deficitM2: 0,
			verdict: 'compliant'
		});
		expect(small.reasons[0].messageZh).toBe(
			'新建居住区：300 户 ÷ 100 × 20 = 60 m²；已配建 60 m²，达标'
		);
	});

	it(title(id, '7.'), () => {
		// "力争2024年年底前,全市街道（镇）综合养老服务中心服务面积达到1000平方米以上,……"
		const centreRule = cited(
			city,
			'7.',
			'street-center-area',
			'street_center_area',
			'力争2024年年底前,全市街道（镇）综合养老服务中心服务面积达到1000平方米以上'
		);
		// 800 m² < 1,000 m², 力争 → a target: a warning, 200 m² short, not a fail.
		const reasons: CheckReason[] = [];
		const small = checkStreetCenter([center(800)], true, centreRule, reasons);
		expect(small.meetsMinimum).toBe(false);
		expect(reasons).toHaveLength(1);
		expect(reasons[0].severity).toBe('warning');
		expect(reasons[0].messageZh).toContain(
			'街道综合养老服务中心 综合中心 800 m²，低于 1,000 m²（2024年年底前），差 200 m²'
		);
		// No centre at all: the whole sentence is 力争, so a warning too (Dong'e 15. fails it).
		const none: CheckReason[] = [];
		checkStreetCenter([], true, centreRule, none);
		expect(none[0]).toMatchObject({ severity: 'warning', numbers: { centers: 0 } });
		// The same through the one-facility size check; 1,000 m² meets it.
		expect(checkFacilitySize({ kind: 'street_center', floorAreaM2: 800 }, city)?.severity).toBe(
			'warning'
		);
		expect(checkFacilitySize({ kind: 'street_center', floorAreaM2: 1000 }, city)?.severity).toBe(
			'info'
		);

		// "社区（村）养老服务站实现全市社区和行政村基本全覆盖" — 基本全覆盖: a target.
		const stations = cited(
			city,
			'7.',
			'station-coverage',
			'station_coverage',
			'社区（村）养老服务站实现全市社区和行政村基本全覆盖'
		);
		expect(bindingOf(stations)).toBe('target');
		// 甲 has a community station; 乙 has only the street centre, which is no community station
		// → 1 of 2 without a station: a warning (target), not marked as inferred.
		const { result, reason } = coverage(
			street(
				'370202001',
				[
					['370202001001', '甲社区居民委员会'],
					['370202001002', '乙社区居民委员会']
				],
				[
					{ kind: 'community_station', communityCode: '370202001001' },
					{ kind: 'street_center', communityCode: '370202001002' }
				]
			),
			stations
		);
		expect(result?.withStation).toBe(1);
		expect(result?.withoutStation.map((community) => community.name)).toEqual(['乙社区居民委员会']);
		expect(reason.severity).toBe('warning');
		expect(reason.messageZh).toBe('本街道 2 个社区和行政村中 1 个没有养老服务站：乙社区居民委员会');
	});
});

// ---------------------------------------------------------------- Yantai (draft)

describe('yantai-district-draft (草案)', () => {
	const id = 'yantai-district-draft';
	const yantai = profileOf(id);

	it(title(id, '4.'), () => {
		// "新建居住小区按照每百户不低于20平方米且单个项目建筑面积不少于350平方米（不计入分摊的共用建筑
		// 面积）的标准，已建成的老旧小区按照每百户不少于15平方米的标准改扩建养老服务设施，占地面积较小
		// 的小区可按照打造“15分钟养老服务圈”的原则统筹多个小区规划配建社区养老服务设施"
		const rule = cited(
			yantai,
			'4.',
			'community-facility-area',
			'facility_area_per_households',
			'每百户不低于20平方米且单个项目建筑面积不少于350平方米'
		);
		expect(rule.citation.quote).toContain('已建成的老旧小区按照每百户不少于15平方米');
		expect(rule.citation.quote).toContain('占地面积较小的小区');
		expect(rule.params.minSingleSiteM2).toEqual({ new: 350 });
		expect(rule.params.poolingOnly).toEqual({ maxLandAreaM2: 20000, statuses: ['new'] });
		// The named choice: 较小 = ≤ 20,000 m², the lower bound of a 居住街坊 (GB 50180-2018).
		expect(rule.interpretations?.map((choice) => choice.param)).toEqual([
			'poolingOnly.maxLandAreaM2',
			'poolingOnly.statuses',
			'minSingleSiteM2'
		]);
		expect(rule.interpretations?.[0].zh).toContain('GB 50180-2018');

		// 1,234 new: max(1234 × 20 ÷ 100 = 246.8, 350) = 350; 1,234 existing: 185.1, no minimum.
		expect(requiredFloorAreaM2(1234, 'new', rule)).toBe(350);
		expect(requiredFloorAreaM2(1234, 'existing', rule)).toBe(185.1);
		// 单个项目 = every site: a 300 m² site inside a new compound does not count → 0 provided.
		const site300 = [{ id: 's', name: '站点', floorAreaM2: 300, shareM2: 300 }];
		const newWith300 = checkArea(
			areaInput({ households: 1234, providedM2: 300, sites: site300, landAreaM2: 30000 }),
			yantai
		);
		expect(newWith300).toMatchObject({
			requiredM2: 350,
			providedM2: 0,
			deficitM2: 350,
			verdict: 'deficit'
		});
		expect(newWith300.reasons[0].messageZh).toBe(
			'新建居住区：1234 户 ÷ 100 × 20 = 246.8 m²，单处不低于 350 m²，应配建 350 m²；已配建 0 m²（另有 1 处不足单处最小面积的设施未计入）（不计入分摊的共用建筑面积），缺口 350 m²'
		);
		// …while an existing compound has no minimum: the same 300 m² ≥ 185.1 m².
		const existingWith300 = checkArea(
			areaInput({ households: 1234, status: 'existing', providedM2: 300, sites: site300 }),
			yantai
		);
		expect([existingWith300.providedM2, existingWith300.verdict]).toEqual([300, 'compliant']);

		// Pooling, as analysis/areas.ts runs it: a 400 m² station outside every compound lies in
		// the circles of S1 and S2 (small new: 15,000 and 20,000 m² of land), L (large new:
		// 35,000 m²) and E (existing, 10,000 m²).
		const compounds = [
			{ id: 'S1', status: 'new', households: 1000, landAreaM2: 15000 }, // needs max(200, 350) = 350
			{ id: 'S2', status: 'new', households: 2000, landAreaM2: 20000 }, // needs 400
			{ id: 'L', status: 'new', households: 1000, landAreaM2: 35000 }, // needs 350
			{ id: 'E', status: 'existing', households: 1000, landAreaM2: 10000 } // needs 150
		] as const;
		const eligibility = compounds.map((c) => poolingEligibility(c.status, c.landAreaM2, rule));
		expect(eligibility.map((e) => e.eligible)).toEqual([true, true, false, false]);
		expect(eligibility[2].whyNotZh).toBe(
			'小区用地 35,000 m²，大于“占地面积较小”的 20,000 m²，不参与统筹，须在本小区内配建'
		);
		expect(eligibility[3].whyNotZh).toBe('已建成居住区不属于“规划配建”，不参与统筹');
		expect(poolingEligibility('new', null, rule).eligible).toBe(false); // a point compound
		const requiredByArea = new Map(
			compounds.map((c, i) => [
				c.id,
				eligibility[i].eligible ? requiredFloorAreaM2(c.households, c.status, rule) : null
			])
		);
		const minSiteByArea = new Map(
			compounds.map((c) => [c.id, rule.params.minSingleSiteM2?.[c.status] ?? null])
		);
		const pooled = allocatePooledFloorArea(
			[
				{ id: 'station', floorAreaM2: 400, areaIds: compounds.map((c) => c.id) },
				// 300 m² is below the 350 m² single-project minimum: no site for a new compound.
				{ id: 'room', floorAreaM2: 300, areaIds: ['S1', 'S2'] }
			],
			requiredByArea,
			minSiteByArea
		);
		// 400 × 350 ÷ (350 + 400) = 186.67 m² to S1, 400 × 400 ÷ 750 = 213.33 m² to S2; L, E none.
		expect([...pooled.byArea.keys()]).toEqual(['S1', 'S2']);
		expect(pooled.byArea.get('S1')).toEqual({
			pooledM2: 186.67,
			shares: [{ facilityId: 'station', m2: 186.67 }]
		});
		expect(pooled.byArea.get('S2')?.pooledM2).toBe(213.33);
		const pooledFor = (i: number) =>
			eligibility[i].eligible ? (pooled.byArea.get(compounds[i].id)?.pooledM2 ?? 0) : null;
		const results = compounds.map((c, i) =>
			checkArea(
				areaInput({
					households: c.households,
					status: c.status,
					providedM2: 0,
					pooledM2: pooledFor(i),
					landAreaM2: c.landAreaM2
				}),
				yantai
			)
		);
		// S1: 350 − 186.67 = 163.33 short; S2: 400 − 213.33 = 186.67; L: 350; E: 150.
		expect(results.map((r) => [r.providedM2, r.deficitM2])).toEqual([
			[186.67, 163.33],
			[213.33, 186.67],
			[0, 350],
			[0, 150]
		]);
		expect(results[0].reasons[0].messageZh).toContain('已配建 186.67 m²，其中圈内统筹 186.67 m²');
		expect(results[2].reasons[1]).toMatchObject({ severity: 'info' });
		expect(results[2].reasons[1].messageZh).toMatch(/^不参与圈内统筹配建：小区用地 35,000 m²/u);
		// A share handed to the large compound anyway is not counted.
		const forced = checkArea(areaInput({ pooledM2: 400, landAreaM2: 35000 }), yantai);
		expect([forced.providedM2, forced.deficitM2]).toEqual([0, 350]);

		// "并与居住小区同步规划、同步建设、同步验收、同步交付使用" — 四同步, a condition of approval.
		cited(
			yantai,
			'4.',
			'synchronous-delivery',
			'synchronous_delivery',
			'同步规划、同步建设、同步验收、同步交付使用'
		);
		const conditions = approvalConditions('new', 350, yantai);
		expect(conditions).toHaveLength(1);
		expect(conditions[0]).toMatchObject({
			ruleId: 'synchronous-delivery',
			kind: 'synchronous_delivery',
			citation: { clause: '4. 优化养老服务设施布局。' }
		});
		expect(conditions[0].zh).toBe(
			'不少于 350 m² 的社区养老服务设施须与住宅同步规划、同步建设、同步验收、同步交付使用'
		);
		expect(approvalConditions('existing', 185.1, yantai)).toEqual([]);
	});

	it(title(id, '6.'), () => {
		// "2025年年底前，集助餐、助急、助医、助行、助浴、助洁等服务的“15分钟养老服务圈”普遍形成。"
		cited(yantai, '6.', 'service-circle-15min', 'service_circle', '“15分钟养老服务圈”普遍形成');
		// The same sentence puts 助餐 in the circle run by the day-care centres: the meal circle counts
		// meal points and day-care centres, 15 minutes, and 普遍形成 sets no share (reported only).
		const meal = cited(
			yantai,
			'6.',
			'meal-service-circle',
			'meal_service_circle',
			'集助餐、助急、助医、助行、助浴、助洁等服务的“15分钟养老服务圈”普遍形成'
		);
		expect(meal.params).toEqual({
			maxMinutes: 15,
			facilityKinds: ['meal_point', 'day_care'],
			byYear: 2025
		});
		expect(bindingOf(meal)).toBe('target');
		// 12.34 min → 12.3 ≤ 15: inside; 15.01 min > 15: outside, a warning.
		expect(circle(12.34, yantai).reason.messageZh).toBe(
			'步行 12.3 分钟可达最近站点，在 15 分钟养老服务圈内'
		);
		const far = circle(15.01, yantai);
		expect([far.covered, far.reason.severity]).toEqual([false, 'warning']);
	});

	it(title(id, '1.'), () => {
		// "到2025年年底，全区80周岁以上老年人能力与需求综合评估实现全覆盖。"
		const rule = cited(
			yantai,
			'1.',
			'ability-assessment-80',
			'ability_assessment',
			'全区80周岁以上老年人能力与需求综合评估实现全覆盖'
		);
		expect(rule.params).toEqual({ minAgeYears: 80, minShare: 1, byYear: 2025 });
		// 1,020 of 1,200 assessed = 85 %: below 100 %, ⌈1,200 × 1⌉ − 1,020 = 180 more to assess.
		const below = checkAbilityAssessment({ residents: 1200, assessed: 1020 }, rule);
		expect([below.judged, below.met, below.value]).toEqual([true, false, 0.85]);
		expect(below.gap).toBeCloseTo(0.15, 10);
		expect(below.reason.messageZh).toBe(
			'80周岁以上老年人能力综合评估覆盖 100%（至2025年年底）：已评估 1,020 人 / 1,200 人 = 85%，未达标，还需评估 180 人'
		);
		expect(checkAbilityAssessment({ residents: 1200, assessed: 1200 }, rule).met).toBe(true);
		// Unknown is never zero: no 80+ count, no verdict.
		const unknown = checkAbilityAssessment({ residents: null, assessed: 900 }, rule);
		expect([unknown.judged, unknown.reason.messageZh]).toEqual([
			false,
			'80周岁以上老年人能力综合评估覆盖 100%（至2025年年底）：80岁以上老年人数未知，无法判定'
		]);
	});

	it(title(id, '5.'), () => {
		// "到2025年底，全区新建家庭养老床位数达到300张以上。"
		const rule = cited(
			yantai,
			'5.',
			'family-care-beds',
			'family_care_beds',
			'全区新建家庭养老床位数达到300张以上'
		);
		expect(rule.params).toEqual({ minBeds: 300, byYear: 2025, scope: 'district' });
		// 240 beds: 300 − 240 = 60 short; 300 meets it ("以上" includes 300).
		const short = checkFamilyCareBeds(240, rule);
		expect([short.met, short.gap, short.reason.severity]).toEqual([false, 60, 'fail']);
		expect(short.reason.messageZh).toBe(
			'家庭养老床位不少于 300 张（至2025年年底）：现有 240 张，差 60 张'
		);
		expect(checkFamilyCareBeds(300, rule).met).toBe(true);
		expect(checkFamilyCareBeds(null, rule).judged).toBe(false);
	});

	it(title(id, '8.'), () => {
		// "到2025年年底，全区养老机构护理型床位占比达到70%以上"
		const rule = cited(
			yantai,
			'8.',
			'nursing-bed-share',
			'nursing_bed_share',
			'到2025年年底，全区养老机构护理型床位占比达到70%以上'
		);
		// 139 ÷ 200 = 69.5 % < 70 % → fail; 140 ÷ 200 = 70 % → meets it.
		const below = checkNursingBedShare(beds(139, 200), rule);
		expect(below.reason.severity).toBe('fail');
		expect(below.reason.messageZh).toBe(
			'至2025年护理型床位占比不低于 70%：139 张 / 200 张 = 69.5%，未达标'
		);
		expect(checkNursingBedShare(beds(140, 200), rule).reason.severity).toBe('info');
	});

	it(title(id, '15.'), () => {
		// "力争到2025年实现每百张养老机构床位配备1名社会工作者"
		const rule = cited(
			yantai,
			'15.',
			'social-workers',
			'social_workers',
			'每百张养老机构床位配备1名社会工作者'
		);
		expect(rule.params).toEqual({ perBeds: 100, byYear: 2025 });
		// 250 institution beds ÷ 100 = 2.5 → ⌈2.5⌉ = 3 social workers. No per-elder ratio, so no
		// elder definition in the statement.
		const skipped = socialWorkersSkipped(
			{ code: '370600', name: '某区', elders: 5000, eldersEstimated: false, beds: 250 },
			rule,
			yantai
		);
		expect(skipped).toMatchObject({
			check: 'social_workers',
			level: 'district',
			ruleId: 'social-workers',
			subjects: ['370600']
		});
		expect(skipped.reasonZh).toBe(
			'区域数据没有社会工作者人数，无法核查某区的社会工作者配备（至2025年）：按每 100 张机构床位 1 名，250 张需 3 名'
		);
		// With 社工人数 from the indicator table: 2 in post of the 3 required → 1 short (力争: a warning).
		const judged = checkSocialWorkers(
			{ code: '370600', name: '某区', elders: 5000, eldersEstimated: false, beds: 250, workers: 2 },
			rule,
			yantai
		);
		expect([judged.met, judged.target, judged.gap, judged.reason.severity]).toEqual([
			false,
			3,
			1,
			'warning'
		]);
		expect(judged.reason.messageZh).toBe(
			'某区：社会工作者每 100 张机构床位 1 名（250 张）（至2025年）：需 3 名，现有 2 名，差 1 名'
		);
	});
});

// ---------------------------------------------------------------- Dong'e

describe('donge-2023 (东政办字〔2023〕26号)', () => {
	const id = 'donge-2023';
	const donge = profileOf(id);

	it(title(id, '6.'), () => {
		// "2025年年底实现月探访率100%。"
		const rule = cited(
			donge,
			'6.',
			'special-visit-rate',
			'special_visit_rate',
			'2025年年底实现月探访率100%'
		);
		expect(rule.params).toEqual({ minShare: 1, byYear: 2025 });
		// 92 % < 100 %: below; 99.96 % prints as 100 % and meets it (shares compare at 0.1 %).
		const below = checkSpecialVisitRate(0.92, rule);
		expect([below.met, below.reason.severity]).toEqual([false, 'fail']);
		expect(below.gap).toBeCloseTo(0.08, 10);
		expect(below.reason.messageZh).toBe(
			'特殊困难老年人月探访率达到 100%（至2025年年底）：现为 92%，未达标'
		);
		expect(checkSpecialVisitRate(0.9996, rule).met).toBe(true);
		expect(checkSpecialVisitRate(null, rule).judged).toBe(false);
	});

	it(title(id, '13.'), () => {
		// "新建城镇居住区按照每百户不低于20平方米、单处不低于200平方米的标准配建，并做到同步规划、同步
		// 建设、同步验收、同步交付。已建成的城镇居住区……按照每百户不低于15平方米、单处不低于200平方米
		// 的标准配置社区养老服务设施。"
		const rule = cited(
			donge,
			'13.',
			'community-facility-area',
			'facility_area_per_households',
			'每百户不低于20平方米、单处不低于200平方米'
		);
		expect(rule.citation.quote).toContain('每百户不低于15平方米、单处不低于200平方米');
		expect(rule.params.minSingleSiteM2).toEqual({ new: 200, existing: 200 });
		// 800 new: max(800 × 20 ÷ 100 = 160, 200) = 200; 800 existing: max(120, 200) = 200;
		// 1,500 existing: 225 > 200.
		expect(requiredFloorAreaM2(800, 'new', rule)).toBe(200);
		expect(requiredFloorAreaM2(800, 'existing', rule)).toBe(200);
		expect(requiredFloorAreaM2(1500, 'existing', rule)).toBe(225);

		// Two 150 m² rooms in one new compound of 800 households: each is below 单处 200 m², so
		// neither counts: provided 300 − 150 − 150 = 0, deficit 200 − 0 = 200 → fail.
		const twoRooms = checkArea(
			areaInput({
				households: 800,
				providedM2: 300,
				sites: [
					{ id: 'r1', name: '一号活动室', floorAreaM2: 150, shareM2: 150 },
					{ id: 'r2', name: '二号活动室', floorAreaM2: 150, shareM2: 150 }
				]
			}),
			donge
		);
		expect(twoRooms).toMatchObject({
			requiredM2: 200,
			providedM2: 0,
			deficitM2: 200,
			verdict: 'deficit'
		});
		expect(twoRooms.reasons[0].severity).toBe('fail');
		expect(twoRooms.reasons[0].messageZh).toBe(
			'新建居住区：800 户 ÷ 100 × 20 = 160 m²，单处不低于 200 m²，应配建 200 m²；已配建 0 m²（另有 2 处不足单处最小面积的设施未计入），缺口 200 m²'
		);
		expect(twoRooms.reasons[1]).toMatchObject({
			severity: 'warning',
			numbers: { minSingleSiteM2: 200, sitesBelowMinimum: 2, excludedM2: 300 }
		});
		// One 200 m² and one 150 m²: 350 − 150 = 200 counted ≥ 200 → compliant.
		const oneOfEach = checkArea(
			areaInput({
				households: 800,
				providedM2: 350,
				sites: [
					{ id: 'r1', name: '一号活动室', floorAreaM2: 200, shareM2: 200 },
					{ id: 'r2', name: '二号活动室', floorAreaM2: 150, shareM2: 150 }
				]
			}),
			donge
		);
		expect(oneOfEach).toMatchObject({ providedM2: 200, deficitM2: 0, verdict: 'compliant' });

		// "严格落实养老服务设施配套建设作为土地出让前置条件" and "并做到同步规划、同步建设、同步验收、
		// 同步交付": conditions of approval for new projects, in profile order.
		cited(
			donge,
			'13.',
			'land-sale-precondition',
			'land_sale_precondition',
			'养老服务设施配套建设作为土地出让前置条件'
		);
		cited(
			donge,
			'13.',
			'synchronous-delivery',
			'synchronous_delivery',
			'同步规划、同步建设、同步验收、同步交付'
		);
		const conditions = approvalConditions('new', 200, donge);
		expect(conditions.map((condition) => condition.kind)).toEqual([
			'land_sale_precondition',
			'synchronous_delivery'
		]);
		expect(conditions.map((condition) => condition.zh)).toEqual([
			'将不少于 200 m² 的社区养老服务设施的配建要求写入土地出让条件（作为土地出让前置条件）',
			'不少于 200 m² 的社区养老服务设施须与住宅同步规划、同步建设、同步验收、同步交付'
		]);
		expect(conditions.every((condition) => condition.citation.clause.startsWith('13.'))).toBe(true);
		expect(approvalConditions('existing', 200, donge)).toEqual([]);
	});

	it(title(id, '15.'), () => {
		// "每个乡镇（街道）都要建设1处具备综合功能、服务半径全覆盖的综合养老服务中心，单处面积不低于
		// 600平方米，覆盖率达到100%"
		const centreRule = cited(
			donge,
			'15.',
			'street-center-area',
			'street_center_area',
			'单处面积不低于600平方米'
		);
		// 500 m² < 600 m², a requirement → fail, 100 m² short; 600 m² meets it.
		const reasons: CheckReason[] = [];
		expect(checkStreetCenter([center(500)], true, centreRule, reasons).meetsMinimum).toBe(false);
		expect(reasons.map((reason) => reason.severity)).toEqual(['fail']);
		expect(reasons[0].messageZh).toBe(
			'街道综合养老服务中心 综合中心 500 m²，低于 600 m²，差 100 m²；服务功能（综合功能）无数据，未核查'
		);
		const met: CheckReason[] = [];
		expect(checkStreetCenter([center(600)], true, centreRule, met).meetsMinimum).toBe(true);
		expect(met[0].severity).toBe('info');

		// "每个社区建设1处以照护为主业、辐射社区周边、兼顾上门服务的社区养老服务中心，单处面积不低于
		// 300平方米"
		cited(
			donge,
			'15.',
			'community-center-area',
			'community_station_area',
			'社区养老服务中心，单处面积不低于300平方米'
		);
		// 250 m² < 300 m² → fail, 50 m² short; 300 m² → meets it.
		const small = checkFacilitySize({ kind: 'community_station', floorAreaM2: 250 }, donge);
		expect(small).toMatchObject({ ruleId: 'community-center-area', severity: 'fail' });
		expect(small?.messageZh).toBe('建筑面积 250 m²，低于 300 m²，缺 50 m²');
		expect(checkFacilitySize({ kind: 'community_station', floorAreaM2: 300 }, donge)).toMatchObject(
			{ severity: 'info', messageZh: '建筑面积 300 m²，达到 300 m²' }
		);

		// "社区层面，每个社区建设1处……社区养老服务中心，单处面积不低于300平方米，覆盖率达到100%":
		// every 社区, a requirement; villages are not counted.
		const stations = cited(donge, '15.', 'station-coverage', 'station_coverage', '每个社区建设1处');
		expect(stations.params.units).toEqual(['community']);
		// 甲社区 has no centre (its street centre does not count), 乙村 has none and is not counted
		// → 1 of 1 社区 without: fail.
		const streetCode = '371524001';
		const units: [string, string][] = [
			['371524001001', '甲社区居民委员会'],
			['371524001201', '乙村民委员会']
		];
		const missing = coverage(
			street(streetCode, units, [{ kind: 'street_center', communityCode: '371524001001' }]),
			stations
		);
		expect(missing.result).toEqual({
			total: 1,
			withStation: 0,
			withoutStation: [{ code: '371524001001', name: '甲社区居民委员会' }]
		});
		expect(missing.reason.severity).toBe('fail');
		expect(missing.reason.messageZh).toBe(
			'本街道 1 个社区中 1 个没有养老服务站（另有 1 个不在本条规定范围内，未计）：甲社区居民委员会'
		);
		// A centre in 甲社区 and none in the village → every 社区 has one.
		const covered = coverage(
			street(streetCode, units, [{ kind: 'community_station', communityCode: '371524001001' }]),
			stations
		);
		expect(covered.reason.severity).toBe('info');
		expect(covered.result?.withoutStation).toEqual([]);
	});

	it(title(id, '16.'), () => {
		// "2025年年底以前，全县养老机构护理型床位占比提高到65%以上。"
		const rule = cited(
			donge,
			'16.',
			'nursing-bed-share',
			'nursing_bed_share',
			'全县养老机构护理型床位占比提高到65%以上'
		);
		// 64 ÷ 100 = 64 % < 65 % → fail; 65 ÷ 100 = 65 % → meets it.
		expect(checkNursingBedShare(beds(64, 100), rule).reason.severity).toBe('fail');
		const at = checkNursingBedShare(beds(65, 100), rule);
		expect(at.reason.severity).toBe('info');
		expect(at.reason.messageZh).toBe(
			'至2025年护理型床位占比不低于 65%：65 张 / 100 张 = 65%，达标'
		);
	});

	it(title(id, '20.'), () => {
		// "每千名老年人至少配有1名社会工作者。"
		const rule = cited(
			donge,
			'20.',
			'social-workers',
			'social_workers',
			'每千名老年人至少配有1名社会工作者'
		);
		expect(rule.params).toEqual({ perElders: 1000 });
		// 1,200 older residents ÷ 1,000 = 1.2 → ⌈1.2⌉ = 2 workers, with the elder definition.
		const skipped = socialWorkersSkipped(
			{ code: '371524', name: '东阿县', elders: 1200, eldersEstimated: false, beds: null },
			rule,
			donge
		);
		expect(skipped.reasonZh).toBe(
			`区域数据没有社会工作者人数，无法核查东阿县的社会工作者配备：按每 1,000 名老年人 1 名，1,200 人需 2 名${elderDefinitionNote(donge).zh}`
		);
		expect(skipped.reasonZh).toContain('老年人口径：60 周岁及以上老年人');
		// 社工人数 reported: 2 workers for 2 required meets it; 1 is 1 short (a requirement: fail).
		const figures = {
			code: '371524',
			name: '东阿县',
			elders: 1200,
			eldersEstimated: false,
			beds: null
		};
		expect(checkSocialWorkers({ ...figures, workers: 2 }, rule, donge).met).toBe(true);
		const short = checkSocialWorkers({ ...figures, workers: 1 }, rule, donge);
		expect([short.gap, short.reason.severity]).toEqual([1, 'fail']);
		expect(checkSocialWorkers({ ...figures, workers: null }, rule, donge).judged).toBe(false);
	});
});

// ---------------------------------------------------------------- Qingdao rural (2022–2024)

describe('qingdao-rural-2022 (三年行动方案，已到期)', () => {
	const id = 'qingdao-rural-2022';
	const rural = profileOf(id);

	it(title(id, '4.'), () => {
		// "站点的建筑面积一般为 350平方米" — a typical size, not a minimum.
		cited(
			rural,
			'4.',
			'village-station-area',
			'village_station_area',
			'站点的建筑面积一般为350平方米'
		);
		// 300 m² < 350 m² → a warning, never a fail; 350 m² → info.
		const small = checkFacilitySize({ kind: 'rural_station', floorAreaM2: 300 }, rural);
		expect(small).toMatchObject({
			ruleId: 'village-station-area',
			severity: 'warning',
			messageZh: '建筑面积 300 m²，典型规模约 350 m²'
		});
		expect(checkFacilitySize({ kind: 'rural_station', floorAreaM2: 350 }, rural)?.severity).toBe(
			'info'
		);
		expect(checkFacilitySize({ kind: 'rural_station', floorAreaM2: 10 }, rural)?.severity).toBe(
			'warning'
		);

		// "在每个行政村建设居家社区养老服务站点" — said of the 2022 pilot towns, which the text does
		// not name: with none listed, a town's villages without a station are information only.
		const stations = cited(
			rural,
			'4.',
			'village-station-coverage',
			'station_coverage',
			'在每个行政村建设居家社区养老服务站点'
		);
		expect(stations.params.onlyStreets?.codes).toEqual([]);
		const town = '370281101';
		const units: [string, string][] = [
			['370281101201', '东村村民委员会'],
			['370281101202', '西村村民委员会'],
			['370281101001', '镇中社区居民委员会']
		];
		const facilities = [{ kind: 'rural_station' as const, communityCode: '370281101201' }];
		// 2 villages (the 社区 is not counted), 西村 without a station.
		const outside = coverage(street(town, units, facilities), stations);
		expect(outside.result?.withoutStation.map((village) => village.name)).toEqual([
			'西村村民委员会'
		]);
		expect(outside.reason.severity).toBe('info');
		expect(outside.reason.messageZh).toMatch(/^本条仅适用于2022年试点镇/u);
		expect(outside.reason.messageZh).toContain('本街道（镇）未列入，不作判定');
		// Outside the pilot towns, even a town whose facilities cannot be placed stays information.
		const unplaced = coverage(
			{ ...street(town, units, null), facilities: null, anyCommunityOnFacilities: false },
			stations
		);
		expect(unplaced.reason.severity).toBe('info');
		expect(unplaced.reason.messageZh).toMatch(/^本条仅适用于2022年试点镇/u);
		// The same town listed as a pilot town → judged: a requirement, so fail.
		const piloted = structuredClone(stations);
		piloted.params.onlyStreets!.codes.push(town);
		const inside = coverage(street(town, units, facilities), piloted);
		expect(inside.reason.severity).toBe('fail');
		expect(inside.reason.messageZh).toBe(
			'本街道 2 个行政村中 1 个没有养老服务站（另有 1 个不在本条规定范围内，未计）：西村村民委员会'
		);
	});
});

// ---------------------------------------------------------------- completeness

describe('every clause of the five profiles has its test here', () => {
	it('CLAUSES lists exactly the clauses and rules of each shipped profile', () => {
		for (const id of PROFILE_IDS) {
			const byClause: Record<string, string[]> = {};
			for (const rule of profileOf(id).rules)
				(byClause[labelOf(rule.citation.clause)] ??= []).push(rule.id);
			const listed = Object.fromEntries(
				Object.entries(CLAUSES[id]).map(([label, entry]) => [label, entry.rules])
			);
			expect(listed, id).toEqual(byClause);
		}
		const count = Object.values(CLAUSES).reduce((n, clauses) => n + Object.keys(clauses).length, 0);
		expect(count).toBe(21);
	});
});
