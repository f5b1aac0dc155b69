/**
 * District (区 / 县) checks of the gap analysis (issue 4): elderly social-welfare land per older
 * resident against `welfare_land_per_elder`, the nursing-type share of institution beds against
 * `nursing_bed_share`, social workers (the region format holds no staff data: always skipped, with
 * the number the rule would require), and the street findings rolled up. Runs without a walking
 * network: only the covered-elders figures need one.
 *
 * Unknown is never zero: a district whose facilities layer is missing has unknown welfare land
 * (no_data, with the land the rule requires), not 0 m².
 */
import type { BoundaryFeature } from '../region/schema.ts';
import type { CheckReason } from '../rules/area-check.ts';
import type { RuleOfKind, RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import { formatAmount, formatShare, isSoftTarget } from './streets.ts';
import type {
	AreaRow,
	DistrictRow,
	FacilityRow,
	LevelVerdict,
	SkippedCheck,
	StreetRow
} from './types.ts';

export interface DistrictAnalysisInput {
	/** District polygons (level 'district') with population and elders (+ estimate flags). */
	boundaries: BoundaryFeature[] | null;
	areas: AreaRow[];
	/** null = the region has no facilities layer (unknown, not "no facilities"). */
	facilities: FacilityRow[] | null;
	/** Street rows of the same analysis (`analyzeStreets`), rolled up by their districtCode. */
	streets: StreetRow[];
	profile: RuleProfile;
	networkAvailable: boolean;
}

/** Name of the row that gathers areas and facilities lying in no known district. */
export const NO_DISTRICT_NAME = '未划分区县';

const roundM2 = (value: number) => Math.round(value * 100) / 100;

interface DistrictGroup {
	code: string | null;
	name: string;
	boundary: BoundaryFeature['properties'] | null;
	areas: AreaRow[];
	facilities: FacilityRow[];
	streets: StreetRow[];
}

/**
 * District rows of a gap analysis: one per district polygon, plus one with `code: null`
 * ({@link NO_DISTRICT_NAME}) when some areas or facilities lie in no district.
 *
 * - elders: the boundary's `elders` when known (`eldersSource: 'boundary'`, estimated when the
 *   boundary flags it), else the sum over the district's areas (`'areas'`), else null (`'none'`).
 * - welfare land: Σ `landAreaM2` of the district's facilities (all kinds; unknowns counted; null
 *   when none is known); required = elders × `minM2PerElder` (m², to 0.01). Known land already at
 *   the requirement passes; short of it with unknown land left open is `no_data`; else `fail`.
 * - nursing beds: Σ nursingBeds ÷ Σ beds over institutions (kind `institution`) with both known;
 *   judged only when every institution's figures are known.
 * - social workers: always a `SkippedCheck` (no staff data), stating the required number
 *   (⌈elders ÷ perElders⌉, ⌈beds ÷ perBeds⌉) where the inputs are known.
 * - streets: failing streets of the district (code known) rolled up, one reason per failing rule.
 *
 * Verdict: `fail` if any finding fails, `no_data` when nothing could be judged, else `pass`.
 *
 * @param input boundaries, area / facility / street rows, the profile, network availability
 * @returns district rows and the checks that could not run
 * @example
 * // Laoshan (101,881 elders, estimated) under qingdao-laoshan-2024, no facilities layer:
 * analyzeDistricts({ boundaries, areas: [], facilities: null, streets, profile,
 *   networkAvailable: false }).districts[0].requiredLandM2; // 25470.25
 */
export function analyzeDistricts(input: DistrictAnalysisInput): {
	districts: DistrictRow[];
	skipped: SkippedCheck[];
} {
	const { profile } = input;
	const groups = groupByDistrict(input);
	const skipped: SkippedCheck[] = [];
	const landRule = ruleOfKind(profile, 'welfare_land_per_elder');
	const bedRule = ruleOfKind(profile, 'nursing_bed_share');
	const workerRule = ruleOfKind(profile, 'social_workers');
	const circleRule = ruleOfKind(profile, 'service_circle');
	const codes = (predicate: (group: DistrictGroup) => boolean) =>
		groups.filter(predicate).map((group) => group.code ?? NO_DISTRICT_NAME);

	if (!landRule)
		skipped.push(
			noRule('welfare_land', profile, '人均老年人社会福利用地', 'welfare land per older resident')
		);
	else {
		if (input.facilities === null && groups.length) {
			// The land each district would need: what the analyst must find.
			const required = groups.flatMap((group) => {
				const elders = eldersOf(group).elders;
				if (elders === null) return [];
				const m2 = formatAmount(roundM2(elders * landRule.params.minM2PerElder));
				return [{ zh: `${group.name}应有 ${m2} m²`, en: `${group.name} needs ${m2} m²` }];
			});
			skipped.push({
				check: 'welfare_land',
				level: 'district',
				ruleId: landRule.id,
				reasonZh: `本区域没有设施图层，养老服务设施用地面积未知，无法核查人均老年人社会福利用地是否不低于 ${formatAmount(landRule.params.minM2PerElder)} m²${required.length ? `（${required.map((r) => r.zh).join('，')}）` : ''}；需要各养老设施的占地面积（landAreaM2）`,
				reasonEn: `The region has no facilities layer: elderly-care land is unknown, so land per older resident (at least ${formatAmount(landRule.params.minM2PerElder)} m²) cannot be checked${required.length ? ` (${required.map((r) => r.en).join('; ')})` : ''}; the land area (landAreaM2) of each facility is needed`,
				subjects: []
			});
		}
		const noElders = codes((group) => eldersOf(group).elders === null);
		if (noElders.length)
			skipped.push({
				check: 'welfare_land',
				level: 'district',
				ruleId: landRule.id,
				reasonZh:
					'老年人口未知（区县边界没有老年人数，也没有居住区老年人数），无法计算应有的社会福利用地',
				reasonEn:
					'Older residents unknown (no elders on the district boundary nor on its areas): the required welfare land cannot be computed',
				subjects: noElders
			});
	}

	if (!bedRule)
		skipped.push(noRule('nursing_beds', profile, '护理型床位占比', 'the nursing-bed share'));
	else if (input.facilities === null && groups.length)
		skipped.push({
			check: 'nursing_beds',
			level: 'district',
			ruleId: bedRule.id,
			reasonZh: `本区域没有设施图层，养老机构床位和护理型床位数未知，无法核查护理型床位占比是否达到 ${formatShare(bedRule.params.minShare)}`,
			reasonEn: `The region has no facilities layer: institution beds and nursing-type beds are unknown, so the nursing-bed share (at least ${formatShare(bedRule.params.minShare)}) cannot be checked`,
			subjects: []
		});

	if (!workerRule)
		skipped.push(noRule('social_workers', profile, '社会工作者配备', 'social workers'));

	if (!input.networkAvailable)
		skipped.push({
			check: 'elders_covered',
			level: 'district',
			ruleId: circleRule?.id ?? null,
			reasonZh: `本区域没有步行路网，无法计算各区县 ${circleRule?.params.maxMinutes ?? 15} 分钟内可达站点的老年人数`,
			reasonEn: `The region has no walking network: elders within ${circleRule?.params.maxMinutes ?? 15} minutes of a station cannot be computed per district`,
			subjects: []
		});

	const districts: DistrictRow[] = [];
	for (const group of groups) {
		const row = districtRow(group, input, { landRule, bedRule });
		districts.push(row);
		if (workerRule) skipped.push(socialWorkersSkipped(row, workerRule));
	}
	return { districts, skipped };
}

function noRule(
	check: SkippedCheck['check'],
	profile: RuleProfile,
	whatZh: string,
	whatEn: string
): SkippedCheck {
	return {
		check,
		level: 'district',
		ruleId: null,
		reasonZh: `规则集 ${profile.id} 未规定${whatZh}`,
		reasonEn: `Profile ${profile.id} sets no rule for ${whatEn}`,
		subjects: []
	};
}

function groupByDistrict(input: DistrictAnalysisInput): DistrictGroup[] {
	const groups = new Map<string, DistrictGroup>();
	const keyOf = (code: string | null, name: string | null) =>
		code ?? (name !== null ? `name:${name}` : null);
	for (const feature of input.boundaries ?? []) {
		const props = feature.properties;
		if (props.level !== 'district') continue;
		const key = keyOf(props.code, props.name) as string;
		if (!groups.has(key))
			groups.set(key, {
				code: props.code,
				name: props.name,
				boundary: props,
				areas: [],
				facilities: [],
				streets: []
			});
	}
	const NONE = '\u0000none';
	const groupOf = (code: string | null, name: string | null): DistrictGroup => {
		const key = keyOf(code, name) ?? NONE;
		let group = groups.get(key);
		if (!group) {
			group = {
				code: key === NONE ? null : code,
				name: key === NONE ? NO_DISTRICT_NAME : (name ?? code ?? ''),
				boundary: null,
				areas: [],
				facilities: [],
				streets: []
			};
			groups.set(key, group);
		}
		return group;
	};
	for (const area of input.areas) groupOf(area.districtCode, area.districtName).areas.push(area);
	for (const facility of input.facilities ?? [])
		groupOf(facility.districtCode, facility.districtName).facilities.push(facility);
	// Streets join the district they name; the no-street row is not a street.
	for (const street of input.streets)
		if (street.code !== null && street.districtCode !== null)
			groups.get(street.districtCode)?.streets.push(street);
	const rows = [...groups.values()];
	// The no-district row last.
	return [
		...rows.filter((g) => g.code !== null || g.boundary),
		...rows.filter((g) => g.code === null && !g.boundary)
	];
}

function eldersOf(group: DistrictGroup): Pick<
	DistrictRow,
	'elders' | 'eldersSource' | 'eldersEstimated'
> & {
	unknownAreas: number;
} {
	const fromBoundary = group.boundary?.elders;
	if (fromBoundary !== undefined && fromBoundary !== null)
		return {
			elders: fromBoundary,
			eldersSource: 'boundary',
			eldersEstimated: 'elders' in (group.boundary?.estimated ?? {}),
			unknownAreas: 0
		};
	const known = group.areas.filter((area) => area.elders !== null);
	if (!known.length)
		return {
			elders: null,
			eldersSource: 'none',
			eldersEstimated: false,
			unknownAreas: group.areas.length
		};
	return {
		elders: known.reduce((sum, area) => sum + (area.elders ?? 0), 0),
		eldersSource: 'areas',
		eldersEstimated: known.some((area) => area.estimatedFields.includes('elders')),
		unknownAreas: group.areas.length - known.length
	};
}

interface DistrictRules {
	landRule: RuleOfKind<'welfare_land_per_elder'> | null;
	bedRule: RuleOfKind<'nursing_bed_share'> | null;
}

function districtRow(
	group: DistrictGroup,
	input: DistrictAnalysisInput,
	rules: DistrictRules
): DistrictRow {
	const reasons: CheckReason[] = [];
	let judged = false;
	const elders = eldersOf(group);

	// ---- elders within the circle (areas only: the boundary figure has no locations)
	let eldersCovered: number | null = null;
	let eldersCoveredShare: number | null = null;
	if (input.networkAvailable && group.areas.some((area) => area.covered !== null)) {
		let covered = 0;
		let reachKnown = 0;
		for (const area of group.areas) {
			if (area.elders === null || area.covered === null) continue;
			reachKnown += area.elders;
			if (area.covered) covered += area.elders;
		}
		eldersCovered = covered;
		eldersCoveredShare = reachKnown > 0 ? covered / reachKnown : null;
	}

	// ---- welfare land per older resident
	const land = welfareLand(group, input.facilities !== null);
	let requiredLandM2: number | null = null;
	let landPerElderM2: number | null = null;
	if (elders.elders !== null && land.welfareLandM2 !== null && elders.elders > 0)
		landPerElderM2 = land.welfareLandM2 / elders.elders;
	if (rules.landRule) {
		const result = welfareLandReason(
			group,
			elders,
			land,
			rules.landRule,
			input.facilities !== null
		);
		requiredLandM2 = result.requiredLandM2;
		reasons.push(result.reason);
		judged ||= result.judged;
	}

	// ---- nursing-type beds
	const beds = bedFigures(group);
	if (rules.bedRule && input.facilities !== null) {
		const result = nursingBedReason(beds, rules.bedRule);
		reasons.push(result.reason);
		judged ||= result.judged;
	}

	// ---- floor-area deficit of the district's areas
	let deficitM2 = 0;
	for (const area of group.areas) if (area.deficitM2 !== null) deficitM2 += area.deficitM2;
	deficitM2 = roundM2(deficitM2);
	const areasDeficit = group.areas.filter((area) => area.verdict === 'deficit').length;
	const areasJudged = group.areas.filter((area) => area.verdict !== 'no_data').length;
	const areaRule = ruleOfKind(input.profile, 'facility_area_per_households');
	if (areaRule && group.areas.length) {
		const noData = group.areas.length - areasJudged;
		if (areasJudged) judged = true;
		reasons.push({
			ruleId: areaRule.id,
			citation: areaRule.citation,
			severity: areasDeficit ? 'fail' : areasJudged ? 'info' : 'warning',
			messageZh: `${group.areas.length} 个居住区：${areasDeficit} 个配建不足，合计缺口 ${formatAmount(deficitM2)} m²${noData ? `；${noData} 个数据不全，未判定` : ''}`,
			messageEn: `${group.areas.length} areas: ${areasDeficit} short of floor area, total deficit ${formatAmount(deficitM2)} m²${noData ? `; ${noData} with incomplete data, not judged` : ''}`,
			numbers: { areas: group.areas.length, areasDeficit, areasNoData: noData, deficitM2 },
			usesEstimate: group.areas.some(
				(area) => area.verdict !== 'no_data' && area.estimatedFields.length > 0
			)
		});
	}

	// ---- streets rolled up: one reason per rule that fails somewhere
	const failing = group.streets.filter((street) => street.verdict === 'fail');
	if (group.streets.some((street) => street.verdict !== 'no_data')) judged = true;
	reasons.push(...streetRollUp(group.streets));

	const usesEstimate =
		elders.eldersEstimated ||
		reasons.some((reason) => reason.usesEstimate) ||
		group.streets.some((street) => street.usesEstimate);
	const verdict: LevelVerdict = reasons.some((reason) => reason.severity === 'fail')
		? 'fail'
		: judged
			? 'pass'
			: 'no_data';

	return {
		code: group.code,
		name: group.name,
		population: group.boundary?.population ?? null,
		elders: elders.elders,
		eldersSource: elders.eldersSource,
		eldersEstimated: elders.eldersEstimated,
		eldersCovered,
		eldersCoveredShare,
		welfareLandM2: land.welfareLandM2,
		welfareLandUnknownCount: land.unknownCount,
		requiredLandM2,
		landPerElderM2,
		beds: beds.beds,
		nursingBeds: beds.nursingBeds,
		nursingBedShare: beds.share,
		streets: group.streets.length,
		streetsFailing: failing.length,
		deficitM2,
		usesEstimate,
		verdict,
		reasons
	};
}

function welfareLand(
	group: DistrictGroup,
	facilitiesKnown: boolean
): { welfareLandM2: number | null; unknownCount: number; estimated: boolean } {
	if (!facilitiesKnown) return { welfareLandM2: null, unknownCount: 0, estimated: false };
	// A facilities layer is taken as complete (as for the street centre): no facility → 0 m².
	if (group.facilities.length === 0) return { welfareLandM2: 0, unknownCount: 0, estimated: false };
	let sum = 0;
	let known = 0;
	let estimated = false;
	for (const facility of group.facilities) {
		if (facility.landAreaM2 === null) continue;
		sum += facility.landAreaM2;
		known += 1;
		if (facility.estimatedFields.includes('landAreaM2')) estimated = true;
	}
	return {
		welfareLandM2: known ? roundM2(sum) : null,
		unknownCount: group.facilities.length - known,
		estimated
	};
}

function welfareLandReason(
	group: DistrictGroup,
	elders: ReturnType<typeof eldersOf>,
	land: ReturnType<typeof welfareLand>,
	rule: RuleOfKind<'welfare_land_per_elder'>,
	facilitiesKnown: boolean
): { reason: CheckReason; requiredLandM2: number | null; judged: boolean } {
	const cite = { ruleId: rule.id, citation: rule.citation };
	const rate = rule.params.minM2PerElder;
	const byYearZh = rule.params.byYear ? `至${rule.params.byYear}年` : '至规划期末';
	const byYearEn = rule.params.byYear
		? `by ${rule.params.byYear}`
		: 'by the end of the planning period';
	const sourceZh =
		elders.eldersSource === 'boundary'
			? `区县统计${elders.eldersEstimated ? '（估算）' : ''}`
			: `居住区合计${elders.eldersEstimated ? '（含估算）' : ''}${elders.unknownAreas ? `，另有 ${elders.unknownAreas} 个居住区老年人数未知` : ''}`;
	const sourceEn =
		elders.eldersSource === 'boundary'
			? `district figure${elders.eldersEstimated ? ', estimated' : ''}`
			: `sum over areas${elders.eldersEstimated ? ', partly estimated' : ''}${elders.unknownAreas ? `; ${elders.unknownAreas} areas with unknown elders` : ''}`;
	const numbers: Record<string, number | null> = {
		elders: elders.elders,
		minM2PerElder: rate,
		requiredLandM2: null,
		welfareLandM2: land.welfareLandM2,
		welfareLandUnknownCount: land.unknownCount,
		landPerElderM2: null,
		byYear: rule.params.byYear ?? null
	};

	if (elders.elders === null)
		return {
			requiredLandM2: null,
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `老年人口未知，无法计算应有的老年人社会福利用地（${byYearZh}人均不低于 ${formatAmount(rate)} m²）`,
				messageEn: `Older residents unknown: the required welfare land (at least ${formatAmount(rate)} m² per older resident ${byYearEn}) cannot be computed`,
				numbers,
				usesEstimate: false
			}
		};

	const requiredLandM2 = roundM2(elders.elders * rate);
	numbers.requiredLandM2 = requiredLandM2;
	const howZh = `${formatAmount(elders.elders)} 人（${sourceZh}）× ${formatAmount(rate)} m² = ${formatAmount(requiredLandM2)} m²`;
	const howEn = `${formatAmount(elders.elders)} older residents (${sourceEn}) × ${formatAmount(rate)} m² = ${formatAmount(requiredLandM2)} m²`;
	const usesEstimate = elders.eldersEstimated || land.estimated;

	if (land.welfareLandM2 === null) {
		const missingZh = facilitiesKnown
			? `${group.name}的 ${land.unknownCount} 处养老设施均无占地面积数据`
			: '本区域没有设施图层，养老设施用地面积未知';
		const missingEn = facilitiesKnown
			? `none of the ${land.unknownCount} facilities in ${group.name} has a land area`
			: 'the region has no facilities layer, so elderly-care land is unknown';
		return {
			requiredLandM2,
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}；${missingZh}，无法判定。需要各养老设施（含规划）的占地面积（landAreaM2）`,
				messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required; ${missingEn}, no verdict. The land area (landAreaM2) of every elderly-care facility (existing and planned) would settle it`,
				numbers,
				usesEstimate
			}
		};
	}

	const landM2 = land.welfareLandM2;
	const perElder = elders.elders > 0 ? landM2 / elders.elders : null;
	numbers.landPerElderM2 = perElder;
	const perElderText = perElder === null ? '—' : formatAmount(Math.round(perElder * 1000) / 1000);
	const unknownZh = land.unknownCount
		? `（另有 ${land.unknownCount} 处设施占地面积未知）`
		: group.facilities.length === 0
			? '（设施图层中本区县没有养老设施）'
			: '';
	const unknownEn = land.unknownCount
		? ` (${land.unknownCount} facilities of unknown land area)`
		: group.facilities.length === 0
			? ' (the facilities layer has no facility in this district)'
			: '';
	if (landM2 >= requiredLandM2)
		return {
			requiredLandM2,
			judged: true,
			reason: {
				...cite,
				severity: 'info',
				messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}，已有 ${formatAmount(landM2)} m²${unknownZh}，人均 ${perElderText} m²，达标`,
				messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required, ${formatAmount(landM2)} m² known${unknownEn}, ${perElderText} m² per older resident: meets the target`,
				numbers,
				usesEstimate
			}
		};
	const shortM2 = roundM2(requiredLandM2 - landM2);
	if (land.unknownCount)
		return {
			requiredLandM2,
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}，已知 ${formatAmount(landM2)} m²，差 ${formatAmount(shortM2)} m²；${land.unknownCount} 处设施占地面积未知，无法判定`,
				messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required, ${formatAmount(landM2)} m² known, ${formatAmount(shortM2)} m² short; ${land.unknownCount} facilities of unknown land area, no verdict`,
				numbers,
				usesEstimate
			}
		};
	return {
		requiredLandM2,
		judged: true,
		reason: {
			...cite,
			severity: 'fail',
			messageZh: `${byYearZh}人均老年人社会福利用地不低于 ${formatAmount(rate)} m²：应有 ${howZh}，现有 ${formatAmount(landM2)} m²${unknownZh}，人均 ${perElderText} m²，缺口 ${formatAmount(shortM2)} m²`,
			messageEn: `Welfare land ${byYearEn} of at least ${formatAmount(rate)} m² per older resident: ${howEn} required, ${formatAmount(landM2)} m² present${unknownEn}, ${perElderText} m² per older resident, ${formatAmount(shortM2)} m² short`,
			numbers,
			usesEstimate
		}
	};
}

interface BedFigures {
	institutions: number;
	/** Institutions whose beds or nursing beds are unknown. */
	unknownCount: number;
	beds: number | null;
	nursingBeds: number | null;
	share: number | null;
	estimated: boolean;
}

function bedFigures(group: DistrictGroup): BedFigures {
	const institutions = group.facilities.filter((facility) => facility.kind === 'institution');
	const known = institutions.filter(
		(facility) => facility.beds !== null && facility.nursingBeds !== null
	);
	const beds = known.length ? known.reduce((sum, f) => sum + (f.beds ?? 0), 0) : null;
	const nursingBeds = known.length ? known.reduce((sum, f) => sum + (f.nursingBeds ?? 0), 0) : null;
	return {
		institutions: institutions.length,
		unknownCount: institutions.length - known.length,
		beds,
		nursingBeds,
		share: beds !== null && nursingBeds !== null && beds > 0 ? nursingBeds / beds : null,
		estimated: known.some(
			(f) => f.estimatedFields.includes('beds') || f.estimatedFields.includes('nursingBeds')
		)
	};
}

function nursingBedReason(
	beds: BedFigures,
	rule: RuleOfKind<'nursing_bed_share'>
): { reason: CheckReason; judged: boolean } {
	const cite = { ruleId: rule.id, citation: rule.citation };
	const target = formatShare(rule.params.minShare);
	const year = rule.params.byYear;
	const numbers = {
		institutions: beds.institutions,
		institutionsUnknown: beds.unknownCount,
		beds: beds.beds,
		nursingBeds: beds.nursingBeds,
		nursingBedShare: beds.share,
		minShare: rule.params.minShare,
		byYear: year
	};
	const headZh = `至${year}年护理型床位占比不低于 ${target}`;
	const headEn = `Nursing-type beds at least ${target} of institution beds by ${year}`;
	if (beds.share === null)
		return {
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh:
					beds.institutions === 0
						? `${headZh}：本区县设施中没有养老机构，无法计算`
						: `${headZh}：${beds.institutions} 家养老机构的床位或护理型床位数未知，无法计算`,
				messageEn:
					beds.institutions === 0
						? `${headEn}: no elderly-care institutions among the facilities, share not computable`
						: `${headEn}: beds or nursing beds unknown for the ${beds.institutions} institutions, share not computable`,
				numbers,
				usesEstimate: false
			}
		};
	const figuresZh = `${formatAmount(beds.nursingBeds ?? 0)} 张 / ${formatAmount(beds.beds ?? 0)} 张 = ${formatShare(beds.share)}`;
	const figuresEn = `${formatAmount(beds.nursingBeds ?? 0)} of ${formatAmount(beds.beds ?? 0)} beds = ${formatShare(beds.share)}`;
	if (beds.unknownCount)
		return {
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${headZh}：床位数已知的养老机构 ${figuresZh}；另有 ${beds.unknownCount} 家床位数未知，无法判定`,
				messageEn: `${headEn}: institutions with known beds ${figuresEn}; ${beds.unknownCount} institutions with unknown beds, no verdict`,
				numbers,
				usesEstimate: beds.estimated
			}
		};
	const meets = beds.share >= rule.params.minShare;
	return {
		judged: true,
		reason: {
			...cite,
			severity: meets ? 'info' : isSoftTarget(rule.citation) ? 'warning' : 'fail',
			messageZh: `${headZh}：${figuresZh}，${meets ? '达标' : '未达标'}`,
			messageEn: `${headEn}: ${figuresEn}, ${meets ? 'meets the target' : 'below the target'}`,
			numbers,
			usesEstimate: beds.estimated
		}
	};
}

/** One reason per rule failing in some street of the district, naming those streets. */
function streetRollUp(streets: readonly StreetRow[]): CheckReason[] {
	const byRule = new Map<
		string,
		{ sample: CheckReason; streets: string[]; usesEstimate: boolean }
	>();
	for (const street of streets) {
		if (street.verdict !== 'fail') continue;
		for (const reason of street.reasons) {
			if (reason.severity !== 'fail') continue;
			const key = reason.ruleId ?? '';
			const entry = byRule.get(key) ?? { sample: reason, streets: [], usesEstimate: false };
			if (!entry.streets.includes(street.name)) entry.streets.push(street.name);
			entry.usesEstimate ||= reason.usesEstimate;
			byRule.set(key, entry);
		}
	}
	return [...byRule.values()].map(({ sample, streets: names, usesEstimate }) => ({
		ruleId: sample.ruleId,
		citation: sample.citation,
		severity: 'fail',
		messageZh: `${names.length} 个街道未达标（${sample.ruleId ?? '—'}）：${names.join('、')}`,
		messageEn: `${names.length} street(s) fail ${sample.ruleId ?? 'a check'}: ${names.join(', ')}`,
		numbers: { streetsFailing: names.length, streets: streets.length },
		usesEstimate
	}));
}

/**
 * The social-worker check cannot run (the region format has no staff data); the reason states
 * how many workers the rule would require where elders or institution beds are known.
 */
function socialWorkersSkipped(row: DistrictRow, rule: RuleOfKind<'social_workers'>): SkippedCheck {
	const partsZh: string[] = [];
	const partsEn: string[] = [];
	const { perElders, perBeds } = rule.params;
	if (perElders !== undefined) {
		if (row.elders !== null) {
			const required = Math.ceil(row.elders / perElders);
			const est = row.eldersEstimated ? '（老年人数为估算）' : '';
			partsZh.push(
				`按每 ${formatAmount(perElders)} 名老年人 1 名，${formatAmount(row.elders)} 人${est}需 ${formatAmount(required)} 名`
			);
			partsEn.push(
				`at 1 per ${formatAmount(perElders)} older residents, ${formatAmount(row.elders)} older residents${row.eldersEstimated ? ' (estimated)' : ''} need ${formatAmount(required)}`
			);
		} else {
			partsZh.push(`按每 ${formatAmount(perElders)} 名老年人 1 名，老年人数未知`);
			partsEn.push(`at 1 per ${formatAmount(perElders)} older residents; older residents unknown`);
		}
	}
	if (perBeds !== undefined) {
		if (row.beds !== null) {
			const required = Math.ceil(row.beds / perBeds);
			partsZh.push(
				`按每 ${formatAmount(perBeds)} 张机构床位 1 名，${formatAmount(row.beds)} 张需 ${formatAmount(required)} 名`
			);
			partsEn.push(
				`at 1 per ${formatAmount(perBeds)} institution beds, ${formatAmount(row.beds)} beds need ${formatAmount(required)}`
			);
		} else {
			partsZh.push(`按每 ${formatAmount(perBeds)} 张机构床位 1 名，床位数未知`);
			partsEn.push(`at 1 per ${formatAmount(perBeds)} institution beds; beds unknown`);
		}
	}
	const byYearZh = rule.params.byYear ? `（至${rule.params.byYear}年）` : '';
	const byYearEn = rule.params.byYear ? ` (by ${rule.params.byYear})` : '';
	return {
		check: 'social_workers',
		level: 'district',
		ruleId: rule.id,
		reasonZh: `区域数据没有社会工作者人数，无法核查${row.name}的社会工作者配备${byYearZh}：${partsZh.join('；')}`,
		reasonEn: `The region data has no social-worker counts: staffing of ${row.name}${byYearEn} cannot be checked; ${partsEn.join('; ')}`,
		subjects: [row.code ?? NO_DISTRICT_NAME]
	};
}
