/**
 * The printable evaluation report of one project (issue 7): one self-contained HTML page for A4
 * — no script, no external URL, no web font, no map tiles. The map is inline SVG drawn from the
 * evaluation's geometry (the boundary, the streets reached within the circle and their band, the
 * walking network around, residential areas and facilities), with a scale bar and the
 * OpenStreetMap attribution when OSM roads are drawn. Chinese first, English beside; every
 * number with its unit; every finding with its rule and clause; estimates marked.
 *
 * The stylesheet and the pieces it shares with the gap report (header rows, findings with their
 * badges and clauses, cited rules, sources, footer) come from `report/kit.ts`. The conditions of
 * approval (审批附加条件) follow what must change, each with its clause and quoted sentence.
 *
 * The browser prints it to PDF (Ctrl+P) and `npm run evaluate` prints it with headless Chromium.
 * Deterministic: the only date is `meta.generatedAt`.
 */
import { formatAmount, formatMinutes, formatShare } from '../format.ts';
import { metresPerDegree } from '../graph/geodesic.ts';
import { FACILITY_STATUS, LEVEL_VERDICT, PROJECT_VERDICT, RESIDENTIAL_STATUS } from '../labels.ts';
import { FACILITY_KIND_NAMES_ZH, type FacilityKind } from '../region/schema.ts';
import { OSM_ATTRIBUTION, osmSources } from '../report/columns.ts';
import type { ReportMeta } from '../report/index.ts';
import { targetsSectionHtml } from '../report/targets.ts';
import {
	citationHtml,
	documentBanner,
	effectBadge,
	escapeHtml as esc,
	findingHtml,
	headCell,
	kvRow,
	labelCell,
	profileMetaRows,
	reportDocument,
	reportFooter,
	ruleArticle,
	rulesIntro,
	sourceItems
} from '../report/kit.ts';
import type { DistrictFigures, EvaluationMap, ProjectEvaluation, StreetFigures } from './types.ts';

const fmt = formatAmount;
const fmtMin = formatMinutes;
const ACCESS_ZH: Record<string, string> = {
	gates: '项目出入口',
	'boundary-crossings': '用地边界与路网交点',
	'boundary-nearest': '距边界最近的路网点',
	centroid: '用地中心点',
	'off-network': '距路网过远，无法接入'
};
const ACCESS_EN: Record<string, string> = {
	gates: 'the project gates',
	'boundary-crossings': 'where paths cross the boundary',
	'boundary-nearest': 'the network point nearest the boundary',
	centroid: 'the centroid',
	'off-network': 'off the network'
};
const CRS_HOW_ZH: Record<string, string> = {
	override: '由用户指定',
	declared: '文件声明',
	detected: '由坐标判断',
	assumed: '未声明，按 WGS84 处理',
	drawn: '地图绘制（WGS84）'
};

export const STREET_TARGETS_HEADING = {
	id: 'street-targets',
	zh: '所在街道的目标',
	en: "Targets of the project's street and district",
	intro: {
		zh: '项目所在街道及区县的目标，按区域现状（未计入本项目）判定，与区域缺口报告相同；仅作背景，不影响本项目的评估结论。',
		en: 'The targets of the street and district the project lies in, for the region as it is (without the project), as the gap report lists them: context, they do not change the verdict.'
	}
} as const;

/** A number with unit, or — when unknown. */
const amount = (value: number | null, unit = '', digits?: number) =>
	value === null
		? '<span class="unknown">—</span>'
		: `${esc(digits === undefined ? fmt(value) : value.toFixed(digits))}${unit ? ` ${esc(unit)}` : ''}`;
const est = (flag: boolean) => (flag ? '<sup class="est">估</sup>' : '');

// ---------------------------------------------------------------- map

const MAP = { width: 680, maxHeight: 600 };
const KIND_COLOR: Record<FacilityKind, string> = {
	street_center: '#6a1b9a',
	community_station: '#1e7b3a',
	day_care: '#00796b',
	institution: '#5d4037',
	meal_point: '#ef6c00',
	rural_station: '#558b2f'
};

function niceLength(maxM: number): number {
	const candidates = [50, 100, 200, 250, 500, 1000, 2000, 5000];
	let best = candidates[0];
	for (const candidate of candidates) if (candidate <= maxM) best = candidate;
	return best;
}

/**
 * The map of the project as inline SVG: walking network (grey), band of the circle (blue
 * wash), reached streets (blue), other residential areas (sand), the project (red outline),
 * its access points (black dots), facilities (green squares existing, red diamonds planned by
 * the project, labelled with name, m² and walking minutes), a scale bar and a north arrow.
 * @returns the `<svg>` element, or null when the map has no extent
 */
export function evaluationMapSvg(map: EvaluationMap): string | null {
	const [west, south, east, north] = map.bbox;
	if (!(east > west && north > south)) return null;
	const scale = metresPerDegree((south + north) / 2);
	const widthM = (east - west) * scale.x;
	const heightM = (north - south) * scale.y;
	let pxPerM = MAP.width / widthM;
	if (heightM * pxPerM > MAP.maxHeight) pxPerM = MAP.maxHeight / heightM;
	const width = Math.round(widthM * pxPerM);
	const height = Math.round(heightM * pxPerM);
	const x = (lon: number) => ((lon - west) * scale.x * pxPerM).toFixed(1);
	const y = (lat: number) => ((north - lat) * scale.y * pxPerM).toFixed(1);
	const line = (points: number[][]) =>
		points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0])} ${y(p[1])}`).join('');
	const polygons = (geometry: { type: string; coordinates: unknown }) =>
		(geometry.type === 'Polygon'
			? [geometry.coordinates as number[][][]]
			: (geometry.coordinates as number[][][][])
		)
			.map((rings) => rings.map((ring) => `${line(ring)}Z`).join(''))
			.join('');

	const parts: string[] = [];
	parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fbfbf8"/>`);
	if (map.roads)
		parts.push(
			`<path class="roads" d="${map.roads.coordinates.map(line).join('')}" fill="none" stroke="#c4c4c4" stroke-width="0.9" stroke-linecap="round"/>`
		);
	if (map.band)
		parts.push(
			`<path class="band" d="${polygons(map.band)}" fill="#2f6f9f" fill-opacity="0.13" fill-rule="evenodd" stroke="none"/>`
		);
	for (const area of map.areas)
		parts.push(
			`<path class="area" d="${polygons(area.geometry)}" fill="#f1e2c0" fill-opacity="0.75" stroke="#c2a166" stroke-width="0.6"><title>${esc(area.name)}</title></path>`
		);
	if (map.reached)
		parts.push(
			`<path class="reached" d="${map.reached.coordinates.map(line).join('')}" fill="none" stroke="#2f6f9f" stroke-width="1.7" stroke-linecap="round"/>`
		);
	parts.push(
		`<path class="project" d="${polygons(map.boundary)}" fill="#c0392b" fill-opacity="0.2" fill-rule="evenodd" stroke="#c0392b" stroke-width="2.2" stroke-linejoin="round"/>`
	);
	for (const [lon, lat] of map.accessPoints)
		parts.push(
			`<circle class="access" cx="${x(lon)}" cy="${y(lat)}" r="2.6" fill="#111" stroke="#fff" stroke-width="0.8"/>`
		);
	for (const facility of map.facilities) {
		const cx = Number(x(facility.position[0]));
		const cy = Number(y(facility.position[1]));
		const color = KIND_COLOR[facility.kind];
		parts.push(
			facility.project
				? `<path class="facility planned" d="M${cx} ${cy - 7}L${cx + 7} ${cy}L${cx} ${cy + 7}L${cx - 7} ${cy}Z" fill="#c0392b" stroke="#fff" stroke-width="1.2"/>`
				: `<rect class="facility existing" x="${cx - 5.5}" y="${cy - 5.5}" width="11" height="11" fill="${color}" stroke="#fff" stroke-width="1.2"/>`
		);
		const label = `${facility.name}${facility.floorAreaM2 === null ? '' : ` ${fmt(facility.floorAreaM2)} m²`}${facility.minutes === null ? '' : ` · ${fmtMin(facility.minutes)} 分钟`}`;
		const anchor = cx > width * 0.7 ? 'end' : 'start';
		parts.push(
			`<text class="label" x="${anchor === 'end' ? cx - 9 : cx + 9}" y="${cy + 4}" text-anchor="${anchor}">${esc(label)}</text>`
		);
	}

	// scale bar and north arrow
	const barM = niceLength(widthM / 5);
	const barPx = barM * pxPerM;
	parts.push(
		`<g class="scale" transform="translate(12 ${height - 16})"><rect x="-4" y="-14" width="${(barPx + 58).toFixed(1)}" height="24" fill="#fff" fill-opacity="0.85"/><path d="M0 0H${barPx.toFixed(1)}M0 -5V0M${barPx.toFixed(1)} -5V0" stroke="#111" stroke-width="1.5" fill="none"/><text x="${(barPx + 5).toFixed(1)}" y="3">${fmt(barM)} m</text></g>`
	);
	parts.push(
		`<g class="north" transform="translate(${width - 22} 26)"><path d="M0 -16L7 4L0 0L-7 4Z" fill="#111"/><text x="0" y="16" text-anchor="middle">N 北</text></g>`
	);
	// At most 140 mm high on the 190 mm wide page, whatever the extent's shape.
	const widthPercent = Math.min(100, Math.round(((width / height) * 140 * 100) / 190));
	return `<svg class="map" viewBox="0 0 ${width} ${height}" style="width: ${widthPercent}%" role="img" aria-label="项目位置与步行服务圈 / project and its walking circle" xmlns="http://www.w3.org/2000/svg">\n${parts.join('\n')}\n</svg>`;
}

// ---------------------------------------------------------------- page

/** 本项目规划 for the project's own facilities, else 现有 / 规划. */
function facilityStatusZh(facility: { project: boolean; status: 'existing' | 'planned' }): string {
	return facility.project ? '本项目规划' : FACILITY_STATUS[facility.status].zh;
}

const FACILITY_HEAD = [
	headCell('名称', 'Name'),
	headCell('类型', 'Kind'),
	headCell('状态', 'Status'),
	headCell('建筑面积', 'Floor area'),
	headCell('在用地内', 'Inside'),
	headCell('计入面积', 'Counted'),
	headCell('步行', 'Walk'),
	headCell('距路网', 'To network')
].join('');

const COMPARE_HEAD = [
	headCell('指标', 'Figure'),
	headCell('评估前', 'Before'),
	headCell('加入项目后', 'With the project'),
	headCell('变化', 'Change')
].join('');

/**
 * 审批附加条件: what the approval must carry whatever the figures (四同步, 土地出让前置条件),
 * each with its clause and the quoted sentence; '' when there are none.
 */
function approvalConditionsHtml(items: ProjectEvaluation['approvalConditions']): string {
	if (items.length === 0) return '';
	return `<div class="label">审批附加条件 <span class="en">Conditions of approval</span></div><ol class="approval">${items
		.map(
			(item) =>
				`<li>${effectBadge('requirement')}${esc(item.zh)} ${citationHtml(item.ruleId, item.citation)}<blockquote>“${esc(item.citation.quote)}”</blockquote><span class="en">${esc(item.en)}</span></li>`
		)
		.join('')}</ol>`;
}

function change(before: number | null, after: number | null, unit: string, worseUp: boolean) {
	if (before === null || after === null) return '<span class="unknown">—</span>';
	const delta = Math.round((after - before) * 100) / 100;
	if (delta === 0) return '0';
	const worse = worseUp ? delta > 0 : delta < 0;
	return `<span class="${worse ? 'up' : 'down'}">${delta > 0 ? '+' : '−'}${esc(fmt(Math.abs(delta)))}${unit ? ` ${esc(unit)}` : ''}</span>`;
}

function figuresTable(
	before: StreetFigures,
	after: StreetFigures,
	maxMinutes: number,
	eldersEstimated: boolean
): string {
	const share = (value: number | null) =>
		value === null ? '<span class="unknown">—</span>' : esc(formatShare(value));
	const rows: [string, string, string, string, string][] = [
		[
			'居住区数',
			'Residential areas',
			amount(before.areas, '个'),
			amount(after.areas, '个'),
			change(before.areas, after.areas, '', false)
		],
		[
			'户数',
			'Households',
			amount(before.households, '户'),
			amount(after.households, '户'),
			change(before.households, after.households, '', false)
		],
		[
			'老年人口（60岁及以上）',
			'Elders (60+)',
			amount(before.elders, '人'),
			`${amount(after.elders, '人')}${est(eldersEstimated)}`,
			change(before.elders, after.elders, '人', false)
		],
		[
			`${maxMinutes}分钟圈内老年人`,
			'Elders within the circle',
			amount(before.eldersCovered, '人'),
			amount(after.eldersCovered, '人'),
			change(before.eldersCovered, after.eldersCovered, '人', false)
		],
		[
			'圈内老年人占比',
			'Share within the circle',
			share(before.eldersCoveredShare),
			share(after.eldersCoveredShare),
			'—'
		],
		[
			'应配建面积',
			'Required floor area',
			amount(before.requiredM2, 'm²'),
			amount(after.requiredM2, 'm²'),
			change(before.requiredM2, after.requiredM2, 'm²', true)
		],
		[
			'已配建面积',
			'Provided floor area',
			amount(before.providedM2, 'm²'),
			amount(after.providedM2, 'm²'),
			change(before.providedM2, after.providedM2, 'm²', false)
		],
		[
			'配建面积缺口',
			'Floor-area deficit',
			amount(before.deficitM2, 'm²'),
			amount(after.deficitM2, 'm²'),
			change(before.deficitM2, after.deficitM2, 'm²', true)
		],
		[
			'养老设施用地（已知）',
			'Care facility land (known)',
			amount(before.welfareLandM2, 'm²'),
			amount(after.welfareLandM2, 'm²'),
			change(before.welfareLandM2, after.welfareLandM2, 'm²', false)
		],
		[
			'人均养老设施用地',
			'Land per elder',
			amount(before.landPerElderM2, 'm²/人'),
			amount(after.landPerElderM2, 'm²/人'),
			change(before.landPerElderM2, after.landPerElderM2, 'm²/人', false)
		],
		[
			'街道判定',
			'Street verdict',
			esc(LEVEL_VERDICT[before.verdict].zh),
			esc(LEVEL_VERDICT[after.verdict].zh),
			'—'
		]
	];
	return `<table class="compare"><thead><tr>${COMPARE_HEAD}</tr></thead><tbody>${rows
		.map(
			([zh, en, b, a, c]) =>
				`<tr>${labelCell(zh, en)}<td class="num">${b}</td><td class="num">${a}</td><td class="num">${c}</td></tr>`
		)
		.join('')}</tbody></table>`;
}

function districtTable(
	before: DistrictFigures,
	after: DistrictFigures,
	minM2PerElder: number | null
): string {
	const rows: [string, string, string, string, string][] = [
		[
			'老年人口',
			'Elders',
			amount(before.elders, '人'),
			amount(after.elders, '人'),
			change(before.elders, after.elders, '人', false)
		],
		[
			`养老设施需用地${minM2PerElder === null ? '' : `（${minM2PerElder} m²/人）`}`,
			'Welfare land required',
			amount(before.requiredLandM2, 'm²'),
			amount(after.requiredLandM2, 'm²'),
			change(before.requiredLandM2, after.requiredLandM2, 'm²', true)
		],
		[
			'养老设施用地（已知）',
			'Welfare land (known)',
			amount(before.welfareLandM2, 'm²'),
			amount(after.welfareLandM2, 'm²'),
			change(before.welfareLandM2, after.welfareLandM2, 'm²', false)
		],
		[
			'人均养老设施用地',
			'Land per elder',
			amount(before.landPerElderM2, 'm²/人'),
			amount(after.landPerElderM2, 'm²/人'),
			change(before.landPerElderM2, after.landPerElderM2, 'm²/人', false)
		],
		[
			'区县判定',
			'District verdict',
			esc(LEVEL_VERDICT[before.verdict].zh),
			esc(LEVEL_VERDICT[after.verdict].zh),
			'—'
		]
	];
	return `<table class="compare"><tbody>${rows
		.map(
			([zh, en, b, a, c]) =>
				`<tr>${labelCell(zh, en)}<td class="num">${b}</td><td class="num">${a}</td><td class="num">${c}</td></tr>`
		)
		.join('')}</tbody></table>`;
}

/**
 * The printable evaluation report.
 * @param evaluation the project's evaluation (`evaluateProject`)
 * @param meta `generatedAt` (printed as the report date) and the region's meta (sources, notes)
 * @returns one HTML document, UTF-8, no script and no external resource
 * @example writeFileSync('report.html', evaluationReportHtml(evaluation, { generatedAt: '2026-11-22', regionMeta }));
 */
export function evaluationReportHtml(evaluation: ProjectEvaluation, meta: ReportMeta): string {
	const { settings, profile, project, floorArea, circle } = evaluation;
	const doc = profile.document;
	const title = `${project.name} 养老服务设施配建评估报告`;
	const householdsEstimated = project.householdsSource.estimated;
	const eldersEstimated = project.eldersSource.estimated;
	// An evaluation saved before issue 13 has no approvalConditions: none to print.
	const approvalConditions = evaluation.approvalConditions ?? [];
	const parts: string[] = [];

	parts.push(`<header>
<h1>${esc(title)}</h1>
<p class="en">Residential project evaluation — community elderly-care facilities</p>
<dl class="meta">
<dt>项目 Project</dt><dd>${esc(project.name)} · ${RESIDENTIAL_STATUS[project.status].zh}居住区 <span class="en">${RESIDENTIAL_STATUS[project.status].en} residential project</span></dd>
<dt>区域 Region</dt><dd>${esc(settings.regionName)}（${esc(settings.regionId)}）${project.place.districtName ? ` · ${esc(project.place.districtName)}` : ''}${project.place.streetName ? ` · ${esc(project.place.streetName)}` : ''}</dd>
${profileMetaRows(profile)}
<dt>服务圈 Circle</dt><dd>步行 ${esc(String(settings.maxMinutes))} 分钟，步速 ${esc(String(settings.walkSpeedMps))} m/s${settings.networkAvailable ? '' : ' · 本区域无步行路网 / no walking network'}</dd>
<dt>生成日期 Date</dt><dd>${esc(meta.generatedAt)}</dd>
</dl>
${documentBanner(doc)}
${evaluation.estimates.length ? '<p class="banner">部分数字为估算值（标 <span class="est">估</span>），见“估算与假设”。 <span class="en">Some figures are estimates (marked 估), see Estimates.</span></p>' : ''}
</header>`);

	// ---- verdict and what must change
	const conditions = evaluation.conditions.length
		? `<div class="label">须整改事项 <span class="en">What must change</span></div><ol>${evaluation.conditions
				.map(
					(condition) =>
						`<li>${esc(condition.zh)}${condition.ruleId ? ` <span class="cite">（${esc(condition.ruleId)}）</span>` : ''}<br><span class="en">${esc(condition.en)}</span></li>`
				)
				.join('')}</ol>`
		: '';
	parts.push(`<section class="verdict-box verdict-${evaluation.verdict}">
<div class="label">评估结论 <span class="en">Verdict</span></div>
<div class="value">${esc(PROJECT_VERDICT[evaluation.verdict].zh)} <span class="en">${esc(PROJECT_VERDICT[evaluation.verdict].en)}</span></div>
${evaluation.incomplete ? `<p>部分核查未能运行，结论只依据已运行的核查（见“未能运行的核查”）。 <span class="en">Some checks could not run; the verdict rests on those that did.</span></p>` : ''}
${conditions}
${approvalConditionsHtml(approvalConditions)}
</section>`);

	parts.push(`<section>
<h2>判定理由与条款 <span class="en">Findings and clauses</span></h2>
<ul class="reasons">${evaluation.reasons.map(findingHtml).join('\n')}</ul>
</section>`);

	// ---- project
	const source = project.boundarySource;
	const gatesText = project.gates.length
		? `${project.gates.length} 个（用户提供）`
		: `未提供，按${esc(ACCESS_ZH[circle.access ?? ''] ?? '—')}计算`;
	parts.push(`<section>
<h2>项目概况 <span class="en">Project</span></h2>
<table class="kv"><tbody>
${kvRow('项目名称', 'Name', esc(project.name))}
${kvRow('建设状态', 'Status', `${RESIDENTIAL_STATUS[project.status].zh} <span class="en">${RESIDENTIAL_STATUS[project.status].en}</span>`)}
${kvRow('用地面积', 'Land area', `${amount(project.landAreaM2, 'm²')}（${esc(((project.landAreaM2 * 15) / 10000).toFixed(1))} 亩）`)}
${kvRow('边界来源', 'Boundary', `${source.file ? esc(source.file) : '地图绘制 / drawn on the map'} · 坐标系 ${esc(source.crs.crs)}（${esc(CRS_HOW_ZH[source.crs.how] ?? source.crs.how)}）${source.notes.length ? `<br><span class="en">${esc(source.notes.join('; '))}</span>` : ''}`)}
${kvRow('户数', 'Households', `<b>${amount(project.households, '户')}</b>${est(householdsEstimated)}<br><span class="deriv">${esc(project.householdsSource.derivationZh)}</span><br><span class="en">${esc(project.householdsSource.derivationEn)}</span>`)}
${kvRow('老年人口（60岁及以上）', 'Elders (60+)', `<b>${amount(project.elders, '人')}</b>${est(eldersEstimated)}<br>${esc(project.eldersSource.derivationZh)}<br><span class="en">${esc(project.eldersSource.derivationEn)}</span>`)}
${kvRow('所在街道 / 区县', 'Street / district', `${esc(project.place.streetName ?? '未划分街道')} / ${esc(project.place.districtName ?? '未划分区县')}`)}
${kvRow('出入口', 'Gates', gatesText)}
</tbody></table>
</section>`);

	// ---- floor area
	const floorRows = [
		kvRow(
			'每百户配建标准',
			'Rate per 100 households',
			amount(floorArea.rateM2Per100Households, 'm²')
		),
		kvRow(
			'按户数计算',
			'Households × rate',
			`${amount(floorArea.rateBasedM2, 'm²')}${est(householdsEstimated)}`
		),
		kvRow(
			'单处（单个项目）最小面积',
			'Single-site minimum',
			amount(floorArea.minSingleSiteM2, 'm²')
		),
		kvRow(
			'应配建面积',
			'Required floor area',
			`<b>${amount(floorArea.requiredM2, 'm²')}</b>${est(householdsEstimated)}`
		),
		kvRow('用地范围内已配建', 'Provided inside the boundary', amount(floorArea.insideM2, 'm²')),
		kvRow(
			'圈内统筹分摊',
			'Pooled share within the circle',
			floorArea.poolingAllowed
				? amount(floorArea.pooledM2, 'm²')
				: '不适用（规则集不允许统筹）<span class="en"> n/a</span>'
		),
		kvRow('合计已配建', 'Provided in total', `<b>${amount(floorArea.providedM2, 'm²')}</b>`),
		kvRow(
			'缺口',
			'Deficit',
			`<b>${amount(floorArea.deficitM2, 'm²')}</b>${est(householdsEstimated)}`
		)
	];
	parts.push(`<section>
<h2>配建面积核算 <span class="en">Floor area</span></h2>
${floorArea.ruleId === null ? '<p>本规则集未规定每百户配建面积，本项不作核算。 <span class="en">The profile sets no floor area per 100 households.</span></p>' : `<table class="kv"><tbody>${floorRows.join('\n')}</tbody></table>${floorArea.excludesSharedAreas ? '<p class="en">已配建面积不计入分摊的共用建筑面积 · provided area excludes apportioned shared areas.</p>' : ''}`}
</section>`);

	// ---- facilities
	const facilityRows = evaluation.facilities
		.map(
			(facility) =>
				`<tr><td>${esc(facility.name)}</td><td>${esc(FACILITY_KIND_NAMES_ZH[facility.kind])}</td><td>${facilityStatusZh(facility)}</td><td class="num">${amount(facility.floorAreaM2, 'm²')}</td><td>${facility.insideBoundary ? '是' : '否'}</td><td class="num">${amount(facility.countedM2, 'm²')}</td><td class="num">${facility.minutesFromProject === null ? '<span class="unknown">—</span>' : `${esc(fmtMin(facility.minutesFromProject))} 分钟`}</td><td class="num">${amount(facility.snapDistanceM, 'm')}</td></tr>`
		)
		.join('');
	parts.push(`<section>
<h2>设施 <span class="en">Facilities of the project</span></h2>
${
	evaluation.facilities.length
		? `<table><thead><tr>${FACILITY_HEAD}</tr></thead><tbody>${facilityRows}</tbody></table>`
		: '<p>项目未规划养老服务设施，用地范围内也没有现有设施。 <span class="en">The project plans no care facility and none exists inside its boundary.</span></p>'
}
</section>`);

	// ---- walking access
	const nearest = circle.nearest;
	const nearestText = (n: typeof nearest) =>
		n
			? `${esc(n.name)}（${esc(FACILITY_KIND_NAMES_ZH[n.kind])}，${facilityStatusZh(n)}）· 步行 <b>${esc(fmtMin(n.minutes))} 分钟</b>`
			: settings.networkAvailable
				? '60 分钟步行范围内没有 / none within 60 min'
				: '<span class="unknown">—</span> 无步行路网 / no network';
	const center = evaluation.streetCenter;
	parts.push(`<section>
<h2>步行可达 <span class="en">Walking access</span></h2>
<table class="kv"><tbody>
${kvRow('接入路网方式', 'Access to the network', `${esc(ACCESS_ZH[circle.access ?? ''] ?? '—')}（${circle.accessPoints.length} 个接入点） <span class="en">${esc(ACCESS_EN[circle.access ?? ''] ?? '—')}</span>`)}
${kvRow('最近站点（含规划）', 'Nearest station (incl. planned)', nearestText(nearest))}
${kvRow('最近现有站点', 'Nearest existing station', nearestText(circle.nearestExisting))}
${kvRow(`${circle.maxMinutes}分钟养老服务圈`, `${circle.maxMinutes}-minute circle`, circle.covered === null ? '<span class="unknown">—</span> 未计算 / not computed' : circle.covered ? '在圈内 / within' : '<b class="up">不在圈内 / outside</b>')}
${center ? kvRow('街道综合养老服务中心', 'Street comprehensive centre', center.streetCode === null ? '项目不在已知街道内，未核查 / no known street' : center.facilityId === null ? `${esc(center.streetName ?? '')}尚无（应不少于 ${esc(fmt(center.minFloorAreaM2))} m²）` : `${esc(center.name ?? '')} · ${amount(center.floorAreaM2, 'm²')}（应不少于 ${esc(fmt(center.minFloorAreaM2))} m²）· ${center.minutes === null ? '步行时间未知' : `步行 ${esc(fmtMin(center.minutes))} 分钟`}`) : ''}
</tbody></table>
</section>`);

	// ---- map
	const svg = evaluationMapSvg(evaluation.map);
	const osm = osmSources(meta.regionMeta);
	const legend = [
		[
			'<span class="key" style="background:rgba(192,57,43,0.25);border:1.5px solid #c0392b"></span>',
			'项目用地 Project'
		],
		[
			'<span class="key" style="background:#f1e2c0;border:1px solid #c2a166"></span>',
			'现有居住区 Residential areas'
		],
		[
			'<span class="key" style="background:rgba(47,111,159,0.18);border-bottom:2px solid #2f6f9f"></span>',
			`${settings.maxMinutes} 分钟步行可达街道 Streets within ${settings.maxMinutes} min`
		],
		[
			'<span class="key" style="border-bottom:1.5px solid #c4c4c4"></span>',
			'步行路网 Walking network'
		],
		[
			'<span class="key" style="background:#1e7b3a;width:3mm"></span>',
			'现有设施 Existing facility'
		],
		[
			'<span class="key" style="background:#c0392b;width:3mm;transform:rotate(45deg)"></span>',
			'本项目规划设施 Planned by the project'
		],
		[
			'<span class="key" style="background:#111;width:2mm;height:2mm;border-radius:50%"></span>',
			'接入点 Access points'
		]
	];
	parts.push(`<section>
<h2>位置与步行服务圈 <span class="en">Map: the project and its walking circle</span></h2>
${
	svg
		? `<figure class="map-figure"><figcaption>项目出入口步行 ${esc(String(settings.maxMinutes))} 分钟可达范围（步速 ${esc(String(settings.walkSpeedMps))} m/s） <span class="en">Streets reached on foot within ${esc(String(settings.maxMinutes))} minutes of the project's access points</span></figcaption>${svg}<div class="legend">${legend.map(([key, text]) => `<span>${key}${esc(text)}</span>`).join('')}</div>${evaluation.map.roads && osm.length ? `<p class="attribution">路网与居住区 Roads and residential areas: ${esc(OSM_ATTRIBUTION)}</p>` : ''}</figure>`
		: '<p>没有可绘制的范围。 <span class="en">Nothing to draw.</span></p>'
}
${settings.networkAvailable ? '' : '<p>本区域没有步行路网：图中只有项目与设施，没有步行可达范围。 <span class="en">No walking network: the map shows the project and facilities only.</span></p>'}
</section>`);

	// ---- street and district before / after
	const street = evaluation.street;
	parts.push(`<section>
<h2>对所在街道的影响 <span class="en">Effect on the street</span></h2>
<p>${esc(street.name)}：加入本项目（${esc(fmt(project.households))} 户${project.elders === null ? '' : `、老年人 ${esc(fmt(project.elders))} 人${eldersEstimated ? '（估算）' : ''}`}）及其规划设施前后的对比。 <span class="en">${esc(street.name)} before and after adding the project and its planned facilities.</span></p>
${figuresTable(street.before, street.after, settings.maxMinutes, eldersEstimated)}
${evaluation.district ? `<h3>所在区县：${esc(evaluation.district.name)} <span class="en">District</span></h3>${districtTable(evaluation.district.before, evaluation.district.after, evaluation.district.minM2PerElder)}` : ''}
</section>`);

	// ---- the targets of the street and district (issue 16): context, as the gap report lists them
	const targets = targetsSectionHtml(evaluation.streetTargets, esc, STREET_TARGETS_HEADING);
	if (targets) parts.push(targets);

	// ---- not run, estimates
	parts.push(`<section>
<h2>未能运行的核查 <span class="en">Checks that could not run</span></h2>
${
	evaluation.notRun.length
		? `<ul>${evaluation.notRun.map((item) => `<li>${esc(item.reasonZh)}<br><span class="en">${esc(item.reasonEn)}</span></li>`).join('\n')}</ul>`
		: '<p>所有核查均已运行。 <span class="en">Every check ran.</span></p>'
}
</section>`);
	const regionEstimates = Object.values(meta.regionMeta.estimates ?? {});
	parts.push(`<section>
<h2>估算与假设 <span class="en">Estimates and assumptions</span></h2>
${
	evaluation.estimates.length
		? `<ul>${evaluation.estimates.map((item) => `<li>${esc(item.zh)}<br><span class="en">${esc(item.en)}</span></li>`).join('\n')}</ul>`
		: '<p>本报告的项目数字均为申报值，没有估算。 <span class="en">No project figure is an estimate.</span></p>'
}
${regionEstimates.length ? `<h3>区域数据的估算方法 <span class="en">How the region's figures were estimated</span></h3><ul>${regionEstimates.map((method) => `<li>${esc(method.method)}（${method.count} 个要素）<br><span class="en">${esc(method.methodEn ?? method.method)}</span></li>`).join('\n')}</ul>` : ''}
</section>`);

	// ---- rules cited
	const used = new Set(
		[...evaluation.reasons, ...approvalConditions]
			.map((item) => item.ruleId)
			.filter((id): id is string => id !== null)
	);
	parts.push(`<section>
<h2>依据的规则与条款 <span class="en">Rules and clauses</span></h2>
${rulesIntro(profile)}
${profile.rules
	.filter((rule) => used.has(rule.id))
	.map((rule) => ruleArticle(rule))
	.join('\n')}
</section>`);

	// ---- sources
	parts.push(`<section id="sources">
<h2>数据来源 <span class="en">Data sources</span></h2>
<ul>
<li>项目边界、户数、规划设施：申报资料${source.file ? `（${esc(source.file)}）` : '（地图绘制）'} <span class="en">Project boundary, households and planned facilities: as submitted</span></li>
${sourceItems(meta.regionMeta.sources)}
</ul>
${osm.length ? `<p class="attribution">${esc(OSM_ATTRIBUTION)}</p>` : ''}
</section>`);

	parts.push(reportFooter(settings.regionId, profile, meta.generatedAt));
	return reportDocument(title, parts);
}
