/**
 * The project's findings (issue 13): the findings of the project's own rows in the region's
 * analysis (its residential-area row, its planned facilities' rows, its street's row), word for
 * word, each given what it does to the verdict (`effect`) and what must change. Only what the
 * region analysis cannot know — the walking detail from the project's gates, how households and
 * elders were obtained, overlaps — is written here, and none of it is a rule check.
 */
import type { AreaRow, FacilityRow, StreetRow } from '../analysis/types.ts';
import { formatAmount, formatMinutes } from '../format.ts';
import { FACILITY_KIND_NAMES_ZH } from '../region/schema.ts';
import { REPORT_UP_TO_MINUTES } from '../rules/defaults.ts';
import { roundM2, type CheckReason } from '../rules/findings.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { ruleOfKind } from '../rules/profiles.ts';
import type {
	CircleFigures,
	EldersSource,
	EvaluatedFacility,
	EvaluationReason,
	FloorAreaFigures,
	HouseholdsSource,
	NotRun,
	ProjectEvaluation,
	ProjectVerdict,
	StreetCenterFigures
} from './types.ts';

const fmt = formatAmount;
const fmtMin = formatMinutes;

export interface ReasonContext {
	project: { name: string; households: number; elders: number | null; status: string };
	profile: RuleProfile;
	walk: { maxMinutes: number; walkSpeedMps: number; maxSnapM: number };
	networkAvailable: boolean;
	regionHasFacilities: boolean;
}

function reason(
	base: Omit<CheckReason, 'usesEstimate'> & { usesEstimate?: boolean },
	check: EvaluationReason['check'],
	effect: EvaluationReason['effect'] = 'none',
	requiredChange: EvaluationReason['requiredChange'] = null
): EvaluationReason {
	return { usesEstimate: false, ...base, check, effect, requiredChange };
}

/**
 * The floor-area finding of the project's row, verbatim, with its effect: `non_compliant` when
 * no facility at all counts toward the project, `condition` when some do but fall short (too
 * little floor area, or sites below the single-site minimum), else none. The row's notes of the
 * same rule (pooling, single sites) follow it.
 */
export function floorAreaReasons(
	row: AreaRow,
	figures: FloorAreaFigures,
	floorReason: CheckReason | undefined,
	countedSites: number,
	households: HouseholdsSource,
	notRun: NotRun[],
	profile: RuleProfile
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	const rule = ruleOfKind(profile, 'facility_area_per_households');
	if (!rule) {
		notRun.push({
			check: 'floor_area',
			reasonZh: `规则集 ${profile.id} 未规定每百户社区养老服务设施配建面积，未核算配建面积`,
			reasonEn: `Profile ${profile.id} sets no floor area per 100 households: the floor-area check did not run`
		});
		const own = row.reasons.find((r) => r.ruleId === null && 'households' in r.numbers);
		if (own) out.push(reason(own, 'floor_area'));
		return out;
	}
	const shared = figures.excludesSharedAreas ? '（不计入分摊的共用建筑面积）' : '';
	const sharedEn = figures.excludesSharedAreas ? ' (apportioned shared areas excluded)' : '';
	const base = floorReason ?? {
		ruleId: rule.id,
		citation: rule.citation,
		severity: 'warning' as const,
		messageZh: '配建面积无法核算',
		messageEn: 'Floor area not computed',
		numbers: {},
		usesEstimate: households.estimated
	};
	const required = figures.requiredM2 ?? 0;
	const minSite = figures.minSingleSiteM2;
	const smallSites = row.reasons.find(
		(r) => r.ruleId === rule.id && 'sitesBelowMinimum' in r.numbers
	);
	if (row.verdict === 'compliant') out.push(reason(base, 'floor_area'));
	else if (row.verdict === 'deficit' && countedSites === 0)
		out.push(
			reason(base, 'floor_area', 'non_compliant', {
				zh: `项目未配建任何社区养老服务设施${figures.poolingAllowed ? '（也没有可统筹的圈内共享设施）' : ''}：在用地范围内规划配建不少于 ${fmt(required)} m² 的社区养老服务设施${minSite ? `（单处不少于 ${fmt(minSite)} m²）` : ''}${shared}`,
				en: `The project provides no community care floor area${figures.poolingAllowed ? ' (and no shared facility within its circle)' : ''}: plan at least ${fmt(required)} m² of community elderly-care floor area inside the boundary${minSite ? ` (each site at least ${fmt(minSite)} m²)` : ''}${sharedEn}`
			})
		);
	else if (row.verdict === 'deficit')
		out.push(
			reason(base, 'floor_area', 'condition', {
				zh: smallSites
					? `每处设施不少于 ${fmt(minSite ?? 0)} m²：将不足的设施扩大（或合并）到不少于 ${fmt(minSite ?? 0)} m²，使计入的建筑面积不少于 ${fmt(required)} m²${shared}（现计入 ${fmt(figures.providedM2 ?? 0)} m²）`
					: `增加不少于 ${fmt(figures.deficitM2 ?? 0)} m² 的社区养老服务设施建筑面积${shared}（已配建 ${fmt(figures.providedM2 ?? 0)} m²，应配建 ${fmt(required)} m²）`,
				en: smallSites
					? `Each site at least ${fmt(minSite ?? 0)} m²: enlarge (or merge) the smaller sites so that at least ${fmt(required)} m² counts${sharedEn} (${fmt(figures.providedM2 ?? 0)} m² counts now)`
					: `Add at least ${fmt(figures.deficitM2 ?? 0)} m² of community elderly-care floor area${sharedEn} (provided ${fmt(figures.providedM2 ?? 0)} m², required ${fmt(required)} m²)`
			})
		);
	else {
		// no_data: a counted facility inside the boundary has no floor area
		const unknownInside = row.reasons.find((r) => r.numbers.facilitiesInside !== undefined);
		out.push(
			reason(base, 'floor_area', 'condition', {
				zh: `核实用地范围内现有设施的建筑面积（${unknownInside?.messageZh ?? '面积未知'}），以便核算已配建面积`,
				en: `State the floor area of the existing facilities inside the boundary (${unknownInside?.messageEn ?? 'unknown'}) so that the provided area can be computed`
			})
		);
	}
	// The row's other findings of the same rule: pooling, single sites.
	for (const note of row.reasons)
		if (note !== floorReason && note.ruleId === rule.id && !('requiredM2' in note.numbers))
			out.push(
				reason(
					note,
					'pooledM2' in note.numbers || 'landAreaM2' in note.numbers ? 'pooling' : 'floor_area'
				)
			);
	return out;
}

export function placementReasons(
	facilities: EvaluatedFacility[],
	figures: FloorAreaFigures,
	maxSnapM: number,
	networkAvailable: boolean
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	for (const facility of facilities) {
		const label = `${facility.project ? '规划' : '现有'}设施「${facility.name}」（${FACILITY_KIND_NAMES_ZH[facility.kind]}，${facility.floorAreaM2 === null ? '面积未知' : `${fmt(facility.floorAreaM2)} m²`}）`;
		const labelEn = `${facility.project ? 'Planned' : 'Existing'} facility "${facility.name}" (${facility.kind}, ${facility.floorAreaM2 === null ? 'floor area unknown' : `${fmt(facility.floorAreaM2)} m²`})`;
		const numbers = { floorAreaM2: facility.floorAreaM2, countedM2: facility.countedM2 };
		if (!facility.countsTowardArea)
			out.push(
				reason(
					{
						ruleId: figures.ruleId,
						severity: 'info',
						messageZh: `${label}不属于社区养老服务设施（社区养老服务站、日间照料中心、助餐点、村级站），不计入居住区配建面积；计入步行可达性`,
						messageEn: `${labelEn} is not a community-level kind (community station, day care, meal point, village station): not counted toward the floor area; it counts for walking access`,
						numbers,
						citation: null
					},
					'facility_placement'
				)
			);
		else if (facility.insideBoundary && !facility.project)
			out.push(
				reason(
					{
						ruleId: figures.ruleId,
						severity: 'info',
						messageZh: `${label}位于项目用地范围内，计入已配建面积`,
						messageEn: `${labelEn} lies inside the boundary and counts toward the provided area`,
						numbers,
						citation: null
					},
					'facility_placement'
				)
			);
		else if (!facility.insideBoundary)
			out.push(
				reason(
					{
						ruleId: figures.ruleId,
						severity: 'info',
						messageZh: figures.poolingAllowed
							? `${label}位于用地范围外，按圈内统筹配建分摊，本项目分得 ${fmt(facility.countedM2 ?? 0)} m²（按各小区应配建面积比例分摊给其 15 分钟圈内的小区）`
							: `${label}位于用地范围外；本规则集不允许多个小区统筹配建，不计入本项目配建面积，仅计入步行可达性`,
						messageEn: figures.poolingAllowed
							? `${labelEn} lies outside the boundary: pooled, the project's share is ${fmt(facility.countedM2 ?? 0)} m² (split among the compounds within its circle in proportion to their required area)`
							: `${labelEn} lies outside the boundary; the profile does not allow pooling, so it does not count toward the project's floor area, only for walking access`,
						numbers,
						citation: null
					},
					figures.poolingAllowed ? 'pooling' : 'facility_placement'
				)
			);
		if (networkAvailable && facility.project && facility.placed === false)
			out.push(
				reason(
					{
						ruleId: null,
						severity: 'warning',
						messageZh: `${label}的位置距步行路网超过 ${fmt(maxSnapM)} m，无法计入步行可达性`,
						messageEn: `${labelEn} is more than ${fmt(maxSnapM)} m from the walking network: it does not count for walking access`,
						numbers: { snapLimitM: maxSnapM },
						citation: null
					},
					'facility_placement'
				)
			);
	}
	return out;
}

/**
 * The circle finding of the project's row, verbatim (a `condition` when outside the circle),
 * then the walking detail from the project's gates: which station is nearest and the nearest
 * existing one (information, not a rule check).
 */
export function circleReasons(
	circle: CircleFigures,
	row: AreaRow,
	context: ReasonContext,
	notRun: NotRun[]
): EvaluationReason[] {
	const rule = ruleOfKind(context.profile, 'service_circle');
	const max = context.walk.maxMinutes;
	const finding = rule
		? row.reasons.find((r) => r.ruleId === rule.id && 'maxMinutes' in r.numbers)
		: undefined;
	if (!context.networkAvailable) {
		notRun.push({
			check: 'service_circle',
			reasonZh: `本区域没有步行路网，无法计算项目出入口到最近站点的步行时间（${max} 分钟养老服务圈${rule ? '' : '，参考'}）`,
			reasonEn: `The region has no walking network: walking time from the project's gates to the nearest station (${max}-minute circle) cannot be computed`
		});
		return finding ? [reason(finding, 'service_circle')] : [];
	}
	const access = circle.access;
	const nearest = circle.nearest;
	const where = nearest
		? `最近站点为${nearest.project ? '本项目规划的' : nearest.status === 'planned' ? '规划' : '现有'}「${nearest.name}」（${FACILITY_KIND_NAMES_ZH[nearest.kind]}），步行 ${fmtMin(nearest.minutes)} 分钟`
		: access === 'off-network'
			? `项目出入口距步行路网超过 ${fmt(context.walk.maxSnapM)} m，无法计算步行时间`
			: `${REPORT_UP_TO_MINUTES} 分钟步行范围内没有任何站点`;
	const whereEn = nearest
		? `the nearest station is the ${nearest.project ? "project's planned" : nearest.status} "${nearest.name}" (${nearest.kind}), ${fmtMin(nearest.minutes)} min on foot`
		: access === 'off-network'
			? `the project's gates are more than ${fmt(context.walk.maxSnapM)} m from the walking network: no walking time`
			: `no station within ${REPORT_UP_TO_MINUTES} minutes on foot`;
	const existing = circle.nearestExisting
		? `；现有设施中最近的「${circle.nearestExisting.name}」步行 ${fmtMin(circle.nearestExisting.minutes)} 分钟`
		: `；现有设施均不在 ${REPORT_UP_TO_MINUTES} 分钟步行范围内`;
	const existingEn = circle.nearestExisting
		? `; of the existing facilities the nearest, "${circle.nearestExisting.name}", is ${fmtMin(circle.nearestExisting.minutes)} min away`
		: `; no existing facility within ${REPORT_UP_TO_MINUTES} minutes`;
	const detail = reason(
		{
			ruleId: null,
			severity: 'info',
			messageZh: `${rule ? '' : `规则集 ${context.profile.id} 未规定养老服务圈，步行时间仅供参考。`}从项目出入口步行：${where}${existing}`,
			messageEn: `${rule ? '' : `Profile ${context.profile.id} sets no service circle; for reference only. `}On foot from the project's gates: ${whereEn}${existingEn}`,
			numbers: {
				minutesToNearest: row.minutesToNearest,
				minutesToNearestExisting: circle.nearestExisting?.minutes ?? null
			},
			citation: null
		},
		'service_circle'
	);
	if (!finding) return [detail];
	if (row.covered !== false) return [reason(finding, 'service_circle'), detail];
	return [
		reason(
			finding,
			'service_circle',
			'condition',
			access === 'off-network'
				? {
						zh: `设置距步行路网 ${fmt(context.walk.maxSnapM)} m 以内的项目出入口，并确保步行 ${max} 分钟内有养老服务站点`,
						en: `Give the project gates within ${fmt(context.walk.maxSnapM)} m of the walking network, and a station within ${max} minutes on foot`
					}
				: {
						zh: `在项目出入口步行 ${max} 分钟范围内需有养老服务站点：在用地范围内配建（或在 ${max} 分钟内规划）社区养老服务站`,
						en: `A station within ${max} minutes on foot of the project's gates is needed: build one inside the boundary (or plan one within ${max} minutes)`
					}
		),
		detail
	];
}

const SIZE_RULE_KINDS = new Set([
	'community_station_area',
	'village_station_area',
	'street_center_area'
]);

/**
 * The size findings of the project's planned facilities, from their rows of the region's
 * analysis (`checkFacilitySize`), verbatim; a failed minimum is a `condition`.
 */
export function stationSizeReasons(
	facilities: EvaluatedFacility[],
	rows: ReadonlyMap<string, FacilityRow>,
	profile: RuleProfile
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	const sizeRuleIds = new Set(
		profile.rules.filter((rule) => SIZE_RULE_KINDS.has(rule.kind)).map((rule) => rule.id)
	);
	for (const facility of facilities) {
		if (!facility.project) continue;
		for (const finding of rows.get(facility.id)?.reasons ?? []) {
			if (finding.ruleId === null || !sizeRuleIds.has(finding.ruleId)) continue;
			const min = finding.numbers.minFloorAreaM2 ?? null;
			const area = finding.numbers.floorAreaM2 ?? null;
			out.push(
				finding.severity === 'fail' && min !== null && area !== null
					? reason(finding, 'station_size', 'condition', {
							zh: `将「${facility.name}」建筑面积扩大到不少于 ${fmt(min)} m²（增加 ${fmt(roundM2(min - area))} m²）`,
							en: `Enlarge "${facility.name}" to at least ${fmt(min)} m² (+${fmt(roundM2(min - area))} m²)`
						})
					: reason(finding, 'station_size')
			);
		}
	}
	return out;
}

/**
 * The street centre finding of the project's street row, verbatim (a street-level requirement:
 * never part of the project's verdict), then how far the centre is from the project's gates.
 */
export function streetCenterReasons(
	center: StreetCenterFigures,
	street: StreetRow | undefined,
	context: ReasonContext,
	notRun: NotRun[]
): EvaluationReason[] {
	const rule = ruleOfKind(context.profile, 'street_center_area')!;
	const max = context.walk.maxMinutes;
	if (center.streetCode === null) {
		notRun.push({
			check: 'street_center',
			reasonZh:
				'项目不在任何已知街道（镇）内（本区域没有街道边界），未核查所在街道综合养老服务中心',
			reasonEn:
				'The project lies in no known street (the region has no street polygons): the street centre was not checked'
		});
		return [];
	}
	if (!context.regionHasFacilities && center.facilityId === null) {
		notRun.push({
			check: 'street_center',
			reasonZh: `本区域没有设施图层，无法核查${center.streetName}是否已有综合养老服务中心`,
			reasonEn: `The region has no facilities layer: whether ${center.streetName} has a comprehensive centre is unknown`
		});
		return [];
	}
	const out: EvaluationReason[] = [];
	const finding = street?.reasons.find(
		(r) => r.ruleId === rule.id && 'minFloorAreaM2' in r.numbers
	);
	if (finding) out.push(reason(finding, 'street_center'));
	if (center.facilityId !== null) {
		const walk =
			center.minutes === null
				? context.networkAvailable
					? `距项目步行超过 ${REPORT_UP_TO_MINUTES} 分钟或不可达`
					: '无步行路网，未计算步行时间'
				: `距项目出入口步行 ${fmtMin(center.minutes)} 分钟，${center.withinCircle ? '在' : '超出'} ${max} 分钟范围${center.withinCircle ? '内' : ''}`;
		const walkEn =
			center.minutes === null
				? context.networkAvailable
					? `more than ${REPORT_UP_TO_MINUTES} minutes on foot or unreachable`
					: 'no walking network'
				: `${fmtMin(center.minutes)} min on foot from the project's gates, ${center.withinCircle ? 'within' : 'beyond'} ${max} minutes`;
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'info',
					messageZh: `所在${center.streetName}综合养老服务中心「${center.name}」${walk}（街道层面要求，不计入本项目判定）`,
					messageEn: `Comprehensive centre of ${center.streetName}, "${center.name}": ${walkEn} (a street-level requirement, not part of the project’s verdict)`,
					numbers: { minutes: center.minutes, maxMinutes: max },
					citation: null
				},
				'street_center'
			)
		);
	}
	return out;
}

export function inputReasons(
	households: HouseholdsSource,
	elders: EldersSource,
	overlaps: { id: string; name: string; overlapM2: number }[],
	context: ReasonContext,
	notRun: NotRun[]
): EvaluationReason[] {
	const out: EvaluationReason[] = [];
	if (households.estimated)
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'info',
					messageZh: `户数由住宅建筑面积推算：${households.derivationZh}`,
					messageEn: `Households derived from the residential floor area: ${households.derivationEn}`,
					numbers: {
						residentialFloorAreaM2: households.residentialFloorAreaM2,
						dwellingM2: households.dwellingM2,
						households: context.project.households
					},
					citation: null,
					usesEstimate: true
				},
				'households'
			)
		);
	if (elders.method === 'unknown')
		notRun.push({ check: 'elders', reasonZh: elders.derivationZh, reasonEn: elders.derivationEn });
	out.push(
		reason(
			{
				ruleId: null,
				severity: elders.method === 'unknown' ? 'warning' : 'info',
				messageZh:
					elders.method === 'unknown' ? elders.derivationZh : `老年人口：${elders.derivationZh}`,
				messageEn:
					elders.method === 'unknown' ? elders.derivationEn : `Elders: ${elders.derivationEn}`,
				numbers: { elders: context.project.elders, ratio: elders.ratio },
				citation: null,
				usesEstimate: elders.estimated
			},
			'elders'
		)
	);
	for (const overlap of overlaps)
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'warning',
					messageZh: `项目用地与现有居住区「${overlap.name}」重叠约 ${fmt(overlap.overlapM2)} m²；若为拆除重建，其现有户数会在街道数字中重复计算`,
					messageEn: `The boundary overlaps the existing residential area "${overlap.name}" by about ${fmt(overlap.overlapM2)} m²; if it is redeveloped, its current households are counted twice in the street figures`,
					numbers: { overlapM2: overlap.overlapM2 },
					citation: null
				},
				'overlap'
			)
		);
	if (!context.regionHasFacilities)
		out.push(
			reason(
				{
					ruleId: null,
					severity: 'warning',
					messageZh:
						'本区域没有设施图层：现有养老服务设施未知，项目周边现有站点无法计入（判定只依据本项目规划的设施）',
					messageEn:
						'The region has no facilities layer: existing care facilities are unknown, so none near the project can count (the verdict rests on the project’s own facilities)',
					numbers: {},
					citation: null
				},
				'data'
			)
		);
	return out;
}

/**
 * The project's findings in report order, what must change, and the verdict: `non_compliant`
 * when a finding marks a missing element, `conditional` when one asks for a change, else
 * `compliant`. Approval conditions (rules/approval.ts) never change it.
 */
export function projectVerdict(input: {
	row: AreaRow;
	floorArea: FloorAreaFigures;
	floorReason: CheckReason | undefined;
	evaluated: EvaluatedFacility[];
	facilityRows: ReadonlyMap<string, FacilityRow>;
	circle: CircleFigures;
	streetCenter: StreetCenterFigures | null;
	streetAfter: StreetRow | undefined;
	householdsSource: HouseholdsSource;
	eldersSource: EldersSource;
	overlaps: { id: string; name: string; overlapM2: number }[];
	context: ReasonContext;
}): {
	reasons: EvaluationReason[];
	notRun: NotRun[];
	conditions: ProjectEvaluation['conditions'];
	verdict: ProjectVerdict;
} {
	const reasons: EvaluationReason[] = [];
	const notRun: NotRun[] = [];
	const { row, floorArea, floorReason, evaluated, facilityRows, circle, streetCenter } = input;
	const { streetAfter, householdsSource, eldersSource, overlaps, context } = input;
	const { profile, walk } = context;
	// Facilities that count toward the project at all (inside it, or a pooled share): none at all
	// is a missing element (non_compliant); some that fall short is a condition.
	const countedSites = evaluated.filter(
		(facility) =>
			facility.countsTowardArea && (facility.insideBoundary || (facility.countedM2 ?? 0) > 0)
	).length;
	reasons.push(
		...floorAreaReasons(
			row,
			floorArea,
			floorReason,
			countedSites,
			householdsSource,
			notRun,
			profile
		)
	);
	reasons.push(...placementReasons(evaluated, floorArea, walk.maxSnapM, context.networkAvailable));
	reasons.push(...circleReasons(circle, row, context, notRun));
	reasons.push(...stationSizeReasons(evaluated, facilityRows, profile));
	if (streetCenter)
		reasons.push(...streetCenterReasons(streetCenter, streetAfter, context, notRun));
	reasons.push(...inputReasons(householdsSource, eldersSource, overlaps, context, notRun));

	const conditions = reasons
		.filter((reason) => reason.effect !== 'none' && reason.requiredChange)
		.map((reason) => ({
			check: reason.check,
			ruleId: reason.ruleId,
			zh: reason.requiredChange!.zh,
			en: reason.requiredChange!.en
		}));
	const verdict: ProjectVerdict = reasons.some((reason) => reason.effect === 'non_compliant')
		? 'non_compliant'
		: reasons.some((reason) => reason.effect === 'condition')
			? 'conditional'
			: 'compliant';
	return { reasons, notRun, conditions, verdict };
}
