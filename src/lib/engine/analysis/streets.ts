/**
 * Street (街道 / 镇) checks of the gap analysis (issue 4): one row per street with the areas'
 * figures summed, the share of elders within the service circle, the comprehensive centre against
 * the profile's `street_center_area` rule, and whether every community / village has a station
 * (`station_coverage`). Pure arithmetic on already-placed rows (`AreaRow`, `FacilityRow` carry
 * their street and community codes), so it runs with or without a walking network.
 *
 * Unknown is never zero: a facilities layer that is missing (null) leaves the centre and station
 * checks unjudged, never failed; sums over areas with unknown figures count the unknowns.
 */
import { ELDER_CLASS_NAMES_ZH, ELDER_CLASSES } from '../region/schema.ts';
import type { BoundaryFeature, CommunityCode, ElderClass } from '../region/schema.ts';
import type { CheckReason } from '../rules/area-check.ts';
import type { RuleOfKind, RuleProfile } from '../rules/profile-schema.ts';
import { formatAmount, formatShare } from '../format.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import { circleMinutesOf } from '../rules/service-circle.ts';
import { checkStationCoverage } from '../rules/station-coverage.ts';
import { checkStreetCenter, emptyCenter } from '../rules/street-center.ts';
import type {
	AreaRow,
	ElderClassCoverage,
	FacilityRow,
	LevelVerdict,
	PlaceRef,
	SkippedCheck,
	StreetRow
} from './types.ts';

export interface StreetAnalysisInput {
	/** Street polygons (level 'street') give the list of streets; parentCode = district code. */
	boundaries: BoundaryFeature[] | null;
	/** Community / village codes per streetCode (without geometry); null when the region has none. */
	communities: CommunityCode[] | null;
	areas: AreaRow[];
	/** null = the region has no facilities layer (unknown, not "no facilities"). */
	facilities: FacilityRow[] | null;
	profile: RuleProfile;
	networkAvailable: boolean;
	/** The circle the areas' `covered` was computed with (default: the profile's). */
	maxMinutes?: number;
}

/** Name of the row that gathers areas and facilities lying in no known street. */
export const NO_STREET_NAME = '未划分街道';

const roundM2 = (value: number) => Math.round(value * 100) / 100;

export { formatAmount, formatShare } from '../format.ts';

/** The key a row's street is grouped by: its code, else its name, else null (no street). */
function streetKeyOf(place: PlaceRef): string | null {
	if (place.streetCode !== null) return place.streetCode;
	return place.streetName !== null ? `name:${place.streetName}` : null;
}

const NO_STREET_KEY = '\u0000none';

interface StreetGroup {
	key: string;
	code: string | null;
	name: string;
	districtCode: string | null;
	districtName: string | null;
	/** From a street polygon (centre and station checks run) or only from codes on rows. */
	fromBoundary: boolean;
	areas: AreaRow[];
	facilities: FacilityRow[];
}

/**
 * Street rows of a gap analysis: one per street polygon (even without areas), one per street
 * known only from the areas' / facilities' codes, and one row with `code: null`
 * ({@link NO_STREET_NAME}) when some areas or facilities lie in no street.
 *
 * Per street: households, elders (and per service class), required / provided floor area and the
 * deficit summed over the areas with known figures (unknowns counted); elders within the circle
 * (null without a network); the largest `street_center` facility against the profile's
 * `street_center_area` minimum; communities / villages of the street (from `communities`, only
 * the units the `station_coverage` rule names) with and without a station of the rule's
 * `facilityKinds` (matched by the facility's `communityCode`). Planned facilities count like
 * existing ones (a scenario adds planned sites on purpose); the message says when a centre is
 * planned.
 *
 * Verdict: `fail` if any finding fails, `no_data` when nothing could be judged, else `pass`.
 * Severity: a target the text softens (力争, 基本全覆盖) gives `warning` instead of `fail`.
 *
 * @param input boundaries, community codes, area and facility rows (facilities null = no
 *   facilities layer), the profile and whether a walking network exists
 * @returns the street rows and the checks that could not run (rule missing, data missing)
 * @example
 * const { streets, skipped } = analyzeStreets({ boundaries, communities, areas: [],
 *   facilities: null, profile: laoshan, networkAvailable: false });
 * streets.map((street) => street.communities?.total); // [22, 43, 34, 36, 32]
 */
export function analyzeStreets(input: StreetAnalysisInput): {
	streets: StreetRow[];
	skipped: SkippedCheck[];
} {
	const { profile, networkAvailable } = input;
	const groups = groupByStreet(input);
	const skipped: SkippedCheck[] = [];

	const centerRule = ruleOfKind(profile, 'street_center_area');
	const stationRule = ruleOfKind(profile, 'station_coverage');
	const circleRule = ruleOfKind(profile, 'service_circle');
	const realStreets = groups.filter((group) => group.fromBoundary || group.code !== null);
	const anyCommunityOnFacilities =
		input.facilities?.some((facility) => facility.communityCode !== null) ?? false;

	// ---- checks that cannot run for the whole level
	if (!centerRule)
		skipped.push(
			noRule('street_center', profile, '街道（镇）综合养老服务中心面积', 'a street centre size')
		);
	else if (input.facilities === null && realStreets.length)
		skipped.push({
			check: 'street_center',
			level: 'street',
			ruleId: centerRule.id,
			reasonZh: `本区域没有设施图层，无法核查各街道综合养老服务中心是否建成及面积是否达到 ${formatAmount(centerRule.params.minFloorAreaM2)} m²；需要导入设施（kind = street_center，含建筑面积）`,
			reasonEn: `The region has no facilities layer: whether each street has a comprehensive centre of at least ${formatAmount(centerRule.params.minFloorAreaM2)} m² cannot be checked; import facilities (kind street_center, with floor area)`,
			subjects: []
		});

	if (!stationRule)
		skipped.push(
			noRule('station_coverage', profile, '社区（村）养老服务站覆盖', 'station coverage')
		);
	else if (realStreets.length) {
		if (input.communities === null)
			skipped.push({
				check: 'station_coverage',
				level: 'street',
				ruleId: stationRule.id,
				reasonZh: '本区域没有社区（村）代码清单，无法核查每个社区（村）是否有养老服务站',
				reasonEn:
					'The region has no list of community / village codes: whether every community has a station cannot be checked',
				subjects: []
			});
		else if (input.facilities === null)
			skipped.push({
				check: 'station_coverage',
				level: 'street',
				ruleId: stationRule.id,
				reasonZh:
					'本区域没有设施图层，无法核查每个社区（村）是否有养老服务站；需要导入设施并能定位到社区（社区边界或设施的社区代码）',
				reasonEn:
					'The region has no facilities layer: whether every community / village has a station cannot be checked; import facilities that can be placed in communities (community polygons or community codes)',
				subjects: []
			});
		else if (!anyCommunityOnFacilities)
			skipped.push({
				check: 'station_coverage',
				level: 'street',
				ruleId: stationRule.id,
				reasonZh:
					'没有任何设施能定位到社区（村）：需要社区边界（boundaries 图层 level = community）或设施上的社区代码，才能核查每个社区（村）是否有养老服务站',
				reasonEn:
					'No facility can be placed in a community / village: community polygons (boundaries with level community) or community codes on facilities are needed to check that every community has a station',
				subjects: []
			});
	}

	if (!networkAvailable)
		skipped.push({
			check: 'elders_covered',
			level: 'street',
			ruleId: circleRule?.id ?? null,
			reasonZh: `本区域没有步行路网，无法计算各街道 ${input.maxMinutes ?? circleMinutesOf(profile)} 分钟内可达站点的老年人占比`,
			reasonEn: `The region has no walking network: the share of elders within ${input.maxMinutes ?? circleMinutesOf(profile)} minutes of a station cannot be computed per street`,
			subjects: []
		});
	else if (networkAvailable && !circleRule && input.areas.length)
		skipped.push(
			noRule(
				'elders_covered',
				profile,
				'15分钟养老服务圈（覆盖老年人占比仅作参考，不作判定）',
				'a 15-minute service circle (covered shares are shown without a verdict)'
			)
		);

	// Each street's communities, in list order: the station check picks them out of the list it is
	// given, and given the whole region's list per street it was streets × communities (issue 18).
	const communitiesByStreet = new Map<string, CommunityCode[]>();
	for (const community of input.communities ?? []) {
		const list = communitiesByStreet.get(community.streetCode);
		if (list) list.push(community);
		else communitiesByStreet.set(community.streetCode, [community]);
	}
	const streets = groups.map((group) =>
		streetRow(group, input, {
			centerRule,
			stationRule,
			circleRule,
			anyCommunityOnFacilities,
			communitiesOfStreet: (code) =>
				input.communities === null
					? null
					: code === null
						? input.communities
						: (communitiesByStreet.get(code) ?? [])
		})
	);
	return { streets, skipped };
}

function noRule(
	check: SkippedCheck['check'],
	profile: RuleProfile,
	whatZh: string,
	whatEn: string
): SkippedCheck {
	return {
		check,
		level: 'street',
		ruleId: null,
		reasonZh: `规则集 ${profile.id} 未规定${whatZh}`,
		reasonEn: `Profile ${profile.id} sets no rule for ${whatEn}`,
		subjects: []
	};
}

function groupByStreet(input: StreetAnalysisInput): StreetGroup[] {
	const districtNames = new Map<string, string>();
	for (const feature of input.boundaries ?? [])
		if (feature.properties.level === 'district' && feature.properties.code !== null)
			districtNames.set(feature.properties.code, feature.properties.name);

	const groups = new Map<string, StreetGroup>();
	for (const feature of input.boundaries ?? []) {
		const props = feature.properties;
		if (props.level !== 'street') continue;
		const key = props.code ?? `name:${props.name}`;
		if (groups.has(key)) continue;
		groups.set(key, {
			key,
			code: props.code,
			name: props.name,
			districtCode: props.parentCode,
			districtName:
				props.parentCode !== null ? (districtNames.get(props.parentCode) ?? null) : null,
			fromBoundary: true,
			areas: [],
			facilities: []
		});
	}

	const codeOnly: StreetGroup[] = [];
	const groupOf = (place: PlaceRef): StreetGroup => {
		const key = streetKeyOf(place) ?? NO_STREET_KEY;
		let group = groups.get(key);
		if (!group) {
			group = {
				key,
				code: key === NO_STREET_KEY ? null : place.streetCode,
				name: key === NO_STREET_KEY ? NO_STREET_NAME : (place.streetName ?? place.streetCode ?? ''),
				districtCode: key === NO_STREET_KEY ? null : place.districtCode,
				districtName: key === NO_STREET_KEY ? null : place.districtName,
				fromBoundary: false,
				areas: [],
				facilities: []
			};
			groups.set(key, group);
			if (key !== NO_STREET_KEY) codeOnly.push(group);
		}
		return group;
	};
	for (const area of input.areas) groupOf(area).areas.push(area);
	for (const facility of input.facilities ?? []) groupOf(facility).facilities.push(facility);

	// The no-street row belongs to a district only when all its members share one.
	const none = groups.get(NO_STREET_KEY);
	if (none) {
		const members: PlaceRef[] = [...none.areas, ...none.facilities];
		const districtCodes = new Set(members.map((member) => member.districtCode));
		if (districtCodes.size === 1 && members[0].districtCode !== null) {
			none.districtCode = members[0].districtCode;
			none.districtName = members[0].districtName;
		}
	}

	const fromBoundaries = [...groups.values()].filter((group) => group.fromBoundary);
	codeOnly.sort((a, b) => (a.code ?? a.name).localeCompare(b.code ?? b.name));
	return [...fromBoundaries, ...codeOnly, ...(none ? [none] : [])];
}

interface StreetRules {
	centerRule: RuleOfKind<'street_center_area'> | null;
	stationRule: RuleOfKind<'station_coverage'> | null;
	circleRule: RuleOfKind<'service_circle'> | null;
	anyCommunityOnFacilities: boolean;
	/** The communities the station check is given for a street code (null: the region has none). */
	communitiesOfStreet: (code: string | null) => readonly CommunityCode[] | null;
}

function streetRow(group: StreetGroup, input: StreetAnalysisInput, rules: StreetRules): StreetRow {
	const reasons: CheckReason[] = [];
	let judged = false;
	const areaFigures = sumAreas(group.areas, input.networkAvailable);
	const isStreet = group.code !== null || group.fromBoundary;

	// ---- floor area of community facilities, summed over the street's areas
	const areaRule = ruleOfKind(input.profile, 'facility_area_per_households');
	if (group.areas.length === 0) {
		reasons.push({
			ruleId: areaRule?.id ?? null,
			severity: 'info',
			messageZh: '本街道没有居住区数据：户数、老年人数和应配建面积无法汇总（不按 0 计）',
			messageEn:
				'No residential areas in this street: households, elders and required floor area cannot be summed (not taken as 0)',
			numbers: { areas: 0 },
			citation: areaRule?.citation ?? null,
			usesEstimate: false
		});
	} else if (areaRule) {
		const f = areaFigures;
		if (f.areasCompliant + f.areasDeficit > 0) judged = true;
		const noDataZh = f.areasNoData ? `；${f.areasNoData} 个居住区数据不全，未计入` : '';
		const noDataEn = f.areasNoData
			? `; ${f.areasNoData} areas with incomplete data not counted`
			: '';
		const sumsZh = `应配建 ${formatAmount(f.requiredM2)} m²，已配建 ${formatAmount(f.providedM2)} m²`;
		const sumsEn = `required ${formatAmount(f.requiredM2)} m², provided ${formatAmount(f.providedM2)} m²`;
		reasons.push({
			ruleId: areaRule.id,
			citation: areaRule.citation,
			severity: f.areasDeficit > 0 ? 'fail' : f.areasCompliant > 0 ? 'info' : 'warning',
			messageZh:
				f.areasDeficit > 0
					? `${f.areasDeficit} 个居住区社区养老服务设施配建不足，合计缺口 ${formatAmount(f.deficitM2)} m²（${sumsZh}）${noDataZh}`
					: f.areasCompliant > 0
						? `${f.areasCompliant} 个居住区配建达标（${sumsZh}）${noDataZh}`
						: `${f.areasNoData} 个居住区数据不全，无法判定配建面积`,
			messageEn:
				f.areasDeficit > 0
					? `${f.areasDeficit} areas short of community care floor area, total deficit ${formatAmount(f.deficitM2)} m² (${sumsEn})${noDataEn}`
					: f.areasCompliant > 0
						? `${f.areasCompliant} areas compliant (${sumsEn})${noDataEn}`
						: `${f.areasNoData} areas with incomplete data: floor area not judged`,
			numbers: {
				areas: group.areas.length,
				areasCompliant: f.areasCompliant,
				areasDeficit: f.areasDeficit,
				areasNoData: f.areasNoData,
				requiredM2: f.requiredM2,
				providedM2: f.providedM2,
				deficitM2: f.deficitM2,
				requiredUnknownCount: f.requiredUnknownCount,
				providedUnknownCount: f.providedUnknownCount,
				householdsUnknownCount: f.householdsUnknownCount
			},
			usesEstimate: f.figuresEstimated
		});
	}

	// ---- elders within the service circle
	if (group.areas.length && areaFigures.eldersCovered !== null) {
		const f = areaFigures;
		const maxMinutes = input.maxMinutes ?? circleMinutesOf(input.profile);
		const classTextZh = classSharesText(f.eldersByClass, 'zh');
		const classTextEn = classSharesText(f.eldersByClass, 'en');
		const shareZh =
			f.eldersCoveredShare === null ? '占比无法计算' : `占 ${formatShare(f.eldersCoveredShare)}`;
		const shareEn =
			f.eldersCoveredShare === null
				? 'share not computable'
				: `${formatShare(f.eldersCoveredShare)}`;
		const unknownZh = f.coveredUnknownAreas
			? `；${f.coveredUnknownAreas} 个居住区老年人数或可达性未知，未计入`
			: '';
		const unknownEn = f.coveredUnknownAreas
			? `; ${f.coveredUnknownAreas} areas with unknown elders or reach not counted`
			: '';
		if (rules.circleRule && f.eldersCoveredShare !== null) judged = true;
		reasons.push({
			ruleId: rules.circleRule?.id ?? null,
			citation: rules.circleRule?.citation ?? null,
			severity:
				rules.circleRule && f.eldersCoveredShare !== null && f.eldersCoveredShare < 1
					? 'warning'
					: 'info',
			messageZh: `步行 ${maxMinutes} 分钟内可达站点的老年人 ${formatAmount(f.eldersCovered ?? 0)} 人 / ${formatAmount(f.eldersKnownReach)} 人，${shareZh}${classTextZh}${unknownZh}`,
			messageEn: `Elders within ${maxMinutes} min on foot of a station: ${formatAmount(f.eldersCovered ?? 0)} of ${formatAmount(f.eldersKnownReach)} persons, ${shareEn}${classTextEn}${unknownEn}`,
			numbers: {
				eldersCovered: f.eldersCovered,
				elders: f.eldersKnownReach,
				eldersCoveredShare: f.eldersCoveredShare,
				maxMinutes,
				coveredUnknownAreas: f.coveredUnknownAreas,
				...classNumbers(f.eldersByClass)
			},
			usesEstimate: f.eldersEstimated
		});
	}

	// ---- the street's comprehensive centre
	const center = isStreet
		? checkStreetCenter(group.facilities, input.facilities !== null, rules.centerRule, reasons)
		: emptyCenter(rules.centerRule?.params.minFloorAreaM2 ?? null);
	if (center.meetsMinimum !== null) judged = true;

	// ---- a station in every community / village
	const communities = isStreet
		? checkStationCoverage(
				{
					code: group.code,
					communities: rules.communitiesOfStreet(group.code),
					facilities: input.facilities === null ? null : group.facilities,
					anyCommunityOnFacilities: rules.anyCommunityOnFacilities
				},
				rules.stationRule,
				reasons
			)
		: null;
	if (communities?.withStation != null && communities.total > 0 && rules.stationRule) judged = true;

	if (!isStreet)
		reasons.push({
			ruleId: null,
			severity: 'info',
			messageZh: `${group.areas.length} 个居住区、${group.facilities.length} 处设施不在任何街道边界内，也没有街道代码：只汇总配建面积，不做街道综合养老服务中心和社区站点检查`,
			messageEn: `${group.areas.length} areas and ${group.facilities.length} facilities lie in no street polygon and carry no street code: floor areas are summed, street centre and community station checks do not apply`,
			numbers: { areas: group.areas.length, facilities: group.facilities.length },
			citation: null,
			usesEstimate: false
		});

	const usesEstimate =
		reasons.some((reason) => reason.usesEstimate) ||
		group.areas.some((area) => area.estimatedFields.length > 0);
	const verdict: LevelVerdict = reasons.some((reason) => reason.severity === 'fail')
		? 'fail'
		: judged
			? 'pass'
			: 'no_data';

	return {
		code: group.code,
		name: group.name,
		districtCode: group.districtCode,
		districtName: group.districtName,
		areas: group.areas.length,
		households: areaFigures.households,
		householdsUnknownCount: areaFigures.householdsUnknownCount,
		elders: areaFigures.elders,
		eldersUnknownCount: areaFigures.eldersUnknownCount,
		eldersCovered: areaFigures.eldersCovered,
		eldersCoveredShare: areaFigures.eldersCoveredShare,
		eldersByClass: areaFigures.eldersByClass,
		requiredM2: areaFigures.requiredM2,
		providedM2: areaFigures.providedM2,
		deficitM2: areaFigures.deficitM2,
		areasCompliant: areaFigures.areasCompliant,
		areasDeficit: areaFigures.areasDeficit,
		areasNoData: areaFigures.areasNoData,
		areasCrowded: areaFigures.areasCrowded,
		center,
		communities,
		usesEstimate,
		verdict,
		reasons
	};
}

interface AreaFigures {
	households: number;
	householdsUnknownCount: number;
	elders: number;
	eldersUnknownCount: number;
	eldersCovered: number | null;
	/** Elders of areas whose elders and reach are both known: the share's denominator. */
	eldersKnownReach: number;
	eldersCoveredShare: number | null;
	coveredUnknownAreas: number;
	eldersByClass: Partial<Record<ElderClass, ElderClassCoverage>>;
	requiredM2: number;
	providedM2: number;
	deficitM2: number;
	requiredUnknownCount: number;
	providedUnknownCount: number;
	areasCompliant: number;
	areasDeficit: number;
	areasNoData: number;
	areasCrowded: number;
	figuresEstimated: boolean;
	eldersEstimated: boolean;
}

/**
 * Sums over areas: known values added, unknown ones counted. Elders covered: null without a
 * network or when no area's reach is known; the share is over areas whose elders and reach are
 * both known, so an unknown never counts as "not covered".
 */
function sumAreas(areas: readonly AreaRow[], networkAvailable: boolean): AreaFigures {
	const figures: AreaFigures = {
		households: 0,
		householdsUnknownCount: 0,
		elders: 0,
		eldersUnknownCount: 0,
		eldersCovered: null,
		eldersKnownReach: 0,
		eldersCoveredShare: null,
		coveredUnknownAreas: 0,
		eldersByClass: {},
		requiredM2: 0,
		providedM2: 0,
		deficitM2: 0,
		requiredUnknownCount: 0,
		providedUnknownCount: 0,
		areasCompliant: 0,
		areasDeficit: 0,
		areasNoData: 0,
		areasCrowded: 0,
		figuresEstimated: false,
		eldersEstimated: false
	};
	const reachKnown = networkAvailable && areas.some((area) => area.covered !== null);
	let eldersCovered = 0;
	for (const area of areas) {
		if (area.households === null) figures.householdsUnknownCount += 1;
		else figures.households += area.households;
		if (area.elders === null) figures.eldersUnknownCount += 1;
		else figures.elders += area.elders;
		if (area.requiredM2 === null) figures.requiredUnknownCount += 1;
		else figures.requiredM2 += area.requiredM2;
		if (area.providedM2 === null) figures.providedUnknownCount += 1;
		else figures.providedM2 += area.providedM2;
		if (area.deficitM2 !== null) figures.deficitM2 += area.deficitM2;
		if (area.verdict === 'compliant') figures.areasCompliant += 1;
		else if (area.verdict === 'deficit') figures.areasDeficit += 1;
		else figures.areasNoData += 1;
		if (area.capacity.crowded === true) figures.areasCrowded += 1;
		if (area.estimatedFields.length > 0 && area.verdict !== 'no_data')
			figures.figuresEstimated = true;
		if (area.estimatedFields.includes('elders')) figures.eldersEstimated = true;

		const reachOfArea = reachKnown ? area.covered : null;
		if (reachOfArea === null || area.elders === null) figures.coveredUnknownAreas += 1;
		else {
			figures.eldersKnownReach += area.elders;
			if (reachOfArea) eldersCovered += area.elders;
		}
		for (const elderClass of ELDER_CLASSES) {
			const count = area.eldersByClass?.[elderClass];
			if (count === undefined) continue;
			const entry = (figures.eldersByClass[elderClass] ??= {
				total: 0,
				covered: reachKnown ? 0 : null
			});
			entry.total += count;
			if (entry.covered !== null && reachOfArea === true) entry.covered += count;
		}
	}
	figures.requiredM2 = roundM2(figures.requiredM2);
	figures.providedM2 = roundM2(figures.providedM2);
	figures.deficitM2 = roundM2(figures.deficitM2);
	if (reachKnown) {
		figures.eldersCovered = eldersCovered;
		figures.eldersCoveredShare =
			figures.eldersKnownReach > 0 ? eldersCovered / figures.eldersKnownReach : null;
	}
	return figures;
}

function classSharesText(
	byClass: Partial<Record<ElderClass, ElderClassCoverage>>,
	language: 'zh' | 'en'
): string {
	const parts: string[] = [];
	for (const elderClass of ELDER_CLASSES) {
		const entry = byClass[elderClass];
		if (!entry || entry.covered === null) continue;
		const share = entry.total > 0 ? formatShare(entry.covered / entry.total) : '—';
		parts.push(
			language === 'zh'
				? `${ELDER_CLASS_NAMES_ZH[elderClass]} ${formatAmount(entry.covered)}/${formatAmount(entry.total)} 人（${share}）`
				: `${elderClass} ${formatAmount(entry.covered)}/${formatAmount(entry.total)} (${share})`
		);
	}
	if (!parts.length) return '';
	return language === 'zh' ? `；其中 ${parts.join('，')}` : `; by class: ${parts.join(', ')}`;
}

function classNumbers(
	byClass: Partial<Record<ElderClass, ElderClassCoverage>>
): Record<string, number | null> {
	const numbers: Record<string, number | null> = {};
	for (const elderClass of ELDER_CLASSES) {
		const entry = byClass[elderClass];
		if (!entry) continue;
		numbers[`elders_${elderClass}`] = entry.total;
		numbers[`eldersCovered_${elderClass}`] = entry.covered;
	}
	return numbers;
}
