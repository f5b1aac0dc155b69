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
import { formatAmount, formatShare } from '../format.ts';
import { circleMinutesOf } from '../rules/service-circle.ts';
import { checkNursingBedShare, type BedFigures } from '../rules/nursing-beds.ts';
import { socialWorkersSkipped } from '../rules/social-workers.ts';
import { checkWelfareLand } from '../rules/welfare-land.ts';
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
	/** Findings judged on the whole region (a city-wide target such as Qingdao city 3.). */
	regionFindings: CheckReason[];
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
			reasonZh: `本区域没有步行路网，无法计算各区县 ${circleMinutesOf(profile)} 分钟内可达站点的老年人数`,
			reasonEn: `The region has no walking network: elders within ${circleMinutesOf(profile)} minutes of a station cannot be computed per district`,
			subjects: []
		});

	const districts: DistrictRow[] = [];
	const regionFindings: CheckReason[] = [];
	if (landRule && landRule.params.scope === 'city' && groups.length)
		regionFindings.push(cityWideWelfareLand(groups, input, landRule));
	for (const group of groups) {
		const row = districtRow(group, input, { landRule, bedRule });
		districts.push(row);
		if (workerRule) skipped.push(socialWorkersSkipped(row, workerRule, profile));
	}
	return { districts, skipped, regionFindings };
}

/**
 * A city-wide (全市) welfare-land target judged on the region's total: Σ elders and Σ land of
 * every district. An unknown district elder count leaves the total unknown (no verdict).
 */
function cityWideWelfareLand(
	groups: readonly DistrictGroup[],
	input: DistrictAnalysisInput,
	rule: RuleOfKind<'welfare_land_per_elder'>
): CheckReason {
	const parts = groups.map((group) => ({
		elders: eldersOf(group),
		land: welfareLand(group, input.facilities !== null)
	}));
	const eldersKnown = parts.every((part) => part.elders.elders !== null);
	const landKnown = parts.filter((part) => part.land.welfareLandM2 !== null);
	return checkWelfareLand(
		{
			name: `全区域（${groups.length} 个区县）`,
			elders: {
				elders: eldersKnown
					? parts.reduce((sum, part) => sum + (part.elders.elders ?? 0), 0)
					: null,
				eldersSource: parts.every((part) => part.elders.eldersSource === 'boundary')
					? 'boundary'
					: 'areas',
				eldersEstimated: parts.some((part) => part.elders.eldersEstimated),
				unknownAreas: parts.reduce((sum, part) => sum + part.elders.unknownAreas, 0)
			},
			land: {
				welfareLandM2: landKnown.length
					? roundM2(landKnown.reduce((sum, part) => sum + (part.land.welfareLandM2 ?? 0), 0))
					: null,
				unknownCount: parts.reduce((sum, part) => sum + part.land.unknownCount, 0),
				estimated: parts.some((part) => part.land.estimated)
			},
			facilityCount: groups.reduce((sum, group) => sum + group.facilities.length, 0),
			facilitiesKnown: input.facilities !== null
		},
		rule,
		input.profile,
		'region'
	).reason;
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
		const result = checkWelfareLand(
			{
				name: group.name,
				elders,
				land,
				facilityCount: group.facilities.length,
				facilitiesKnown: input.facilities !== null
			},
			rules.landRule,
			input.profile,
			'district'
		);
		requiredLandM2 = result.requiredLandM2;
		reasons.push(result.reason);
		judged ||= result.judged;
	}

	// ---- nursing-type beds
	const beds = bedFigures(group);
	if (rules.bedRule && input.facilities !== null) {
		const result = checkNursingBedShare(beds, rules.bedRule);
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
