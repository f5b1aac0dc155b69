/**
 * `report.xlsx` and `evaluation.json` of a project evaluation (issue 7). The workbook (exceljs,
 * like the gap report's) has the sheets 评估结论 (verdict, what must change, the conditions of
 * approval with their clause and sentence, every finding with its clause), 项目与核算 (inputs
 * with their derivation, floor area, walking access, label / value / unit rows), 设施, 街道前后对比,
 * 所在街道的目标 (when the evaluation lists the street's targets) and 依据条款. Numbers are stored as numbers with a number format; unknown cells are left empty.
 * Coded words (severity, effect, verdicts, statuses) come from `labels.ts`.
 *
 * Deterministic: workbook dates come from `generatedAt` and the package is re-zipped with every
 * entry dated `generatedAt` 00:00 (exceljs stamps the current time), so the same evaluation and
 * date give the same bytes.
 */
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import {
	DOCUMENT_STATUS,
	EFFECT,
	FACILITY_STATUS,
	LEVEL_VERDICT,
	PROJECT_VERDICT,
	RESIDENTIAL_STATUS,
	SEVERITY
} from '../labels.ts';
import { FACILITY_KIND_NAMES_ZH } from '../region/schema.ts';
import {
	displayValue,
	OSM_ATTRIBUTION,
	RULE_KIND_ZH,
	osmSources,
	ruleParamsZh
} from '../report/columns.ts';
import type { ReportMeta } from '../report/index.ts';
import {
	NO_INDICATORS_NOTE,
	sortedTargetRows,
	TARGET_COLUMNS,
	targetCountsText
} from '../report/targets.ts';
import type { ProjectEvaluation, StreetFigures } from './types.ts';

type Cell = string | number | boolean | null;

const HEADER_FILL: ExcelJS.Fill = {
	type: 'pattern',
	pattern: 'solid',
	fgColor: { argb: 'FFE8EEF4' }
};

function numberFormat(unit: string | null): string | undefined {
	switch (unit) {
		case 'm²':
			return '#,##0.00';
		case 'min':
			return '0.0';
		case '%':
			return '0.0%';
		case 'm²/人':
			return '0.0000';
		case '户':
		case '人':
		case '个':
		case 'm':
			return '#,##0';
		default:
			return undefined;
	}
}

function dateParts(generatedAt: string): [number, number, number] {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(generatedAt);
	if (!match)
		throw new RangeError(`generatedAt ${JSON.stringify(generatedAt)}: expected YYYY-MM-DD`);
	return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function headerRow(sheet: ExcelJS.Worksheet, values: string[]): void {
	const row = sheet.addRow(values);
	row.font = { bold: true };
	row.eachCell((cell) => {
		cell.fill = HEADER_FILL;
		cell.alignment = { vertical: 'middle', wrapText: true };
	});
}

/** A label / value / unit / note line; numbers keep their number format. */
function line(
	sheet: ExcelJS.Worksheet,
	label: string,
	value: Cell,
	unit: string | null = null,
	note = ''
): ExcelJS.Row {
	const row = sheet.addRow([label, value, unit, note]);
	const format = numberFormat(unit);
	if (format && typeof value === 'number') row.getCell(2).numFmt = format;
	row.getCell(2).alignment = { horizontal: 'left', wrapText: true, vertical: 'top' };
	row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
	return row;
}

function section(sheet: ExcelJS.Worksheet, title: string): void {
	sheet.addRow([]);
	sheet.addRow([title]).font = { bold: true, size: 12 };
}

function addVerdictSheet(workbook: ExcelJS.Workbook, e: ProjectEvaluation, meta: ReportMeta) {
	const sheet = workbook.addWorksheet('评估结论');
	sheet.columns = [
		{ width: 12 },
		{ width: 10 },
		{ width: 70 },
		{ width: 60 },
		{ width: 24 },
		{ width: 40 },
		{ width: 10 }
	];
	sheet.addRow([`${e.project.name} 养老服务设施配建评估`]).font = { bold: true, size: 14 };
	sheet.addRow(['Residential project evaluation — community elderly-care facilities']);
	sheet.addRow(['生成日期 Date', meta.generatedAt]);
	sheet.addRow(['区域 Region', `${e.settings.regionName}（${e.settings.regionId}）`]);
	sheet.addRow([
		'规则集 Profile',
		`${e.profile.id} v${e.profile.version} · 《${e.profile.document.title}》${e.profile.document.number ?? ''} · ${DOCUMENT_STATUS[e.profile.document.status].zh}`
	]);
	// Evaluations saved before profile v2 carry no elder definition.
	if (e.profile.elderDefinition)
		sheet.addRow([
			'老年人口径 Elders counted as',
			e.profile.elderDefinition.zh,
			e.profile.elderDefinition.en
		]);
	sheet.addRow([]);
	const verdict = sheet.addRow([
		'评估结论 Verdict',
		PROJECT_VERDICT[e.verdict].zh,
		PROJECT_VERDICT[e.verdict].en
	]);
	verdict.font = { bold: true, size: 13 };
	if (e.incomplete)
		sheet.addRow([
			'',
			'',
			'部分核查未能运行，结论只依据已运行的核查 / some checks could not run',
			e.notRun.map((item) => item.reasonZh).join('；')
		]);

	section(sheet, '须整改事项 What must change');
	if (e.conditions.length === 0) sheet.addRow(['无 none']);
	e.conditions.forEach((condition, i) => {
		const row = sheet.addRow([i + 1, condition.ruleId ?? '', condition.zh, condition.en]);
		row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
		row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
	});

	// An evaluation saved before issue 13 has no approvalConditions: none to write.
	const approvalConditions = e.approvalConditions ?? [];
	if (approvalConditions.length) {
		section(sheet, '审批附加条件 Conditions of approval');
		headerRow(sheet, ['序号', '规则', '条件', 'Condition', '条款', '原文']);
		approvalConditions.forEach((condition, i) => {
			const { document, clause, quote } = condition.citation;
			const row = sheet.addRow([
				i + 1,
				condition.ruleId,
				condition.zh,
				condition.en,
				`《${document}》${clause}`,
				quote
			]);
			for (const column of [3, 4, 5, 6])
				row.getCell(column).alignment = { wrapText: true, vertical: 'top' };
		});
	}

	section(sheet, '判定理由与条款 Findings and clauses');
	headerRow(sheet, ['程度', '影响', '说明', 'Finding', '规则', '条款', '含估算']);
	for (const reason of e.reasons) {
		const row = sheet.addRow([
			SEVERITY[reason.severity].zh,
			EFFECT[reason.effect].zh,
			reason.messageZh,
			reason.messageEn,
			reason.ruleId ?? '',
			reason.citation
				? `《${reason.citation.document}》${reason.citation.section} ${reason.citation.clause}`
				: '',
			reason.usesEstimate ? '是' : '否'
		]);
		for (const column of [3, 4, 6])
			row.getCell(column).alignment = { wrapText: true, vertical: 'top' };
	}

	section(sheet, '未能运行的核查 Checks that could not run');
	if (e.notRun.length === 0) sheet.addRow(['无 none']);
	for (const item of e.notRun) sheet.addRow([item.check, '', item.reasonZh, item.reasonEn]);

	section(sheet, '估算与假设 Estimates');
	if (e.estimates.length === 0) sheet.addRow(['无 none']);
	for (const item of e.estimates) {
		const row = sheet.addRow([item.field, '', item.zh, item.en]);
		row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
		row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
	}
}

function addProjectSheet(workbook: ExcelJS.Workbook, e: ProjectEvaluation) {
	const sheet = workbook.addWorksheet('项目与核算');
	sheet.columns = [{ width: 34 }, { width: 40 }, { width: 8 }, { width: 80 }];
	const { project, floorArea, circle } = e;
	section(sheet, '项目 Project');
	line(sheet, '项目名称 Name', project.name);
	line(sheet, '建设状态 Status', RESIDENTIAL_STATUS[project.status].zh, null, project.status);
	line(sheet, '用地面积 Land area', project.landAreaM2, 'm²');
	line(
		sheet,
		'边界来源 Boundary',
		project.boundarySource.file ?? '地图绘制 / drawn',
		null,
		`${project.boundarySource.crs.crs} (${project.boundarySource.crs.how}): ${project.boundarySource.crs.reason}`
	);
	line(
		sheet,
		'户数 Households',
		project.households,
		'户',
		`${project.householdsSource.derivationZh} / ${project.householdsSource.derivationEn}`
	);
	if (project.householdsSource.residentialFloorAreaM2 !== null) {
		line(
			sheet,
			'住宅建筑面积 Residential floor area',
			project.householdsSource.residentialFloorAreaM2,
			'm²'
		);
		line(sheet, '户均建筑面积 Dwelling size', project.householdsSource.dwellingM2, 'm²');
	}
	line(
		sheet,
		'老年人口 Elders (60+)',
		project.elders,
		'人',
		`${project.eldersSource.derivationZh} / ${project.eldersSource.derivationEn}`
	);
	line(sheet, '所在街道 Street', project.place.streetName ?? '未划分街道');
	line(sheet, '所在区县 District', project.place.districtName ?? '未划分区县');
	line(sheet, '出入口 Gates', project.gates.length, '个');

	section(sheet, '配建面积 Floor area');
	line(sheet, '规则 Rule', floorArea.ruleId ?? '无 none');
	line(sheet, '每百户配建标准 Rate per 100 households', floorArea.rateM2Per100Households, 'm²');
	line(sheet, '按户数计算 Households × rate', floorArea.rateBasedM2, 'm²');
	line(sheet, '单处最小面积 Single-site minimum', floorArea.minSingleSiteM2, 'm²');
	line(sheet, '应配建面积 Required', floorArea.requiredM2, 'm²');
	line(sheet, '用地范围内已配建 Provided inside', floorArea.insideM2, 'm²');
	line(
		sheet,
		'圈内统筹分摊 Pooled share',
		floorArea.poolingAllowed ? floorArea.pooledM2 : null,
		'm²',
		floorArea.poolingAllowed ? '' : '规则集不允许统筹 / pooling not allowed'
	);
	line(sheet, '合计已配建 Provided', floorArea.providedM2, 'm²');
	line(sheet, '缺口 Deficit', floorArea.deficitM2, 'm²');

	section(sheet, '步行可达 Walking access');
	line(sheet, '服务圈 Circle', circle.maxMinutes, 'min', circle.ruleId ?? '规则集未规定 / no rule');
	line(
		sheet,
		'接入方式 Access',
		circle.access ?? '',
		null,
		`${circle.accessPoints.length} 个接入点`
	);
	line(
		sheet,
		'最近站点 Nearest station',
		circle.nearest?.name ?? null,
		null,
		circle.nearest?.kind ?? ''
	);
	line(sheet, '步行时间 Minutes to it', circle.nearest?.minutes ?? null, 'min');
	line(sheet, '最近现有站点 Nearest existing', circle.nearestExisting?.name ?? null);
	line(sheet, '步行时间 Minutes to it', circle.nearestExisting?.minutes ?? null, 'min');
	line(
		sheet,
		'在服务圈内 Within the circle',
		circle.covered === null ? null : circle.covered ? '是' : '否'
	);
	if (e.streetCenter) {
		const center = e.streetCenter;
		line(sheet, '街道综合养老服务中心 Street centre', center.name, null, center.ruleId);
		line(
			sheet,
			'中心建筑面积 Centre floor area',
			center.floorAreaM2,
			'm²',
			`应不少于 ${center.minFloorAreaM2} m²`
		);
		line(sheet, '到中心步行时间 Minutes to the centre', center.minutes, 'min');
	}
}

function addFacilitiesSheet(workbook: ExcelJS.Workbook, e: ProjectEvaluation) {
	const sheet = workbook.addWorksheet('设施', { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = [
		{ width: 20 },
		{ width: 26 },
		{ width: 22 },
		{ width: 12 },
		{ width: 14 },
		{ width: 12 },
		{ width: 14 },
		{ width: 12 },
		{ width: 12 },
		{ width: 14 },
		{ width: 14 }
	];
	headerRow(sheet, [
		'编号 id',
		'名称 Name',
		'类型 Kind',
		'状态 Status',
		'建筑面积 (m²)',
		'在用地内 Inside',
		'计入面积 (m²)',
		'步行 (min)',
		'距路网 (m)',
		'经度 lon',
		'纬度 lat'
	]);
	for (const f of e.facilities) {
		const row = sheet.addRow([
			f.id,
			f.name,
			FACILITY_KIND_NAMES_ZH[f.kind],
			f.project ? '本项目规划' : FACILITY_STATUS[f.status].zh,
			f.floorAreaM2,
			f.insideBoundary ? '是' : '否',
			f.countedM2,
			f.minutesFromProject,
			f.snapDistanceM,
			f.position[0],
			f.position[1]
		]);
		row.getCell(5).numFmt = '#,##0.00';
		row.getCell(7).numFmt = '#,##0.00';
		row.getCell(8).numFmt = '0.0';
	}
}

function addStreetSheet(workbook: ExcelJS.Workbook, e: ProjectEvaluation) {
	const sheet = workbook.addWorksheet('街道前后对比');
	sheet.columns = [{ width: 34 }, { width: 16 }, { width: 16 }, { width: 14 }, { width: 8 }];
	sheet.addRow([`${e.street.name}：加入项目前后 / before and after the project`]).font = {
		bold: true
	};
	headerRow(sheet, [
		'指标 Figure',
		'评估前 Before',
		'加入项目后 After',
		'变化 Change',
		'单位 Unit'
	]);
	const rows: [string, keyof StreetFigures, string | null][] = [
		['居住区数 Areas', 'areas', '个'],
		['户数 Households', 'households', '户'],
		['老年人口 Elders', 'elders', '人'],
		['圈内老年人 Elders within the circle', 'eldersCovered', '人'],
		['圈内占比 Share within the circle', 'eldersCoveredShare', '%'],
		['应配建面积 Required', 'requiredM2', 'm²'],
		['已配建面积 Provided', 'providedM2', 'm²'],
		['配建面积缺口 Deficit', 'deficitM2', 'm²'],
		['养老设施用地 Welfare land (known)', 'welfareLandM2', 'm²'],
		['人均养老设施用地 Land per elder', 'landPerElderM2', 'm²/人']
	];
	for (const [label, key, unit] of rows) {
		const before = e.street.before[key] as number | null;
		const after = e.street.after[key] as number | null;
		const change =
			before === null || after === null ? null : Math.round((after - before) * 1e4) / 1e4;
		const row = sheet.addRow([label, before, after, change, unit]);
		const format = numberFormat(unit);
		if (format) for (const column of [2, 3, 4]) row.getCell(column).numFmt = format;
	}
	sheet.addRow([
		'街道判定 Street verdict',
		LEVEL_VERDICT[e.street.before.verdict].zh,
		LEVEL_VERDICT[e.street.after.verdict].zh
	]);
	if (e.district) {
		const d = e.district;
		sheet.addRow([]);
		sheet.addRow([`${d.name}（区县 district）`]).font = { bold: true };
		for (const [label, key, unit] of [
			['区县老年人口 District elders', 'elders', '人'],
			['区县养老设施需用地 District land required', 'requiredLandM2', 'm²'],
			['区县养老设施用地 District welfare land (known)', 'welfareLandM2', 'm²'],
			['区县人均养老设施用地 District land per elder', 'landPerElderM2', 'm²/人']
		] as const) {
			const before = d.before[key];
			const after = d.after[key];
			const row = sheet.addRow([
				label,
				before,
				after,
				before === null || after === null ? null : Math.round((after - before) * 1e4) / 1e4,
				unit
			]);
			const format = numberFormat(unit);
			if (format) for (const column of [2, 3, 4]) row.getCell(column).numFmt = format;
		}
	}
}

/** The gap report's target columns the sheet shows (the clause and the finding included). */
const TARGET_KEYS = [
	'status',
	'target',
	'level',
	'code',
	'name',
	'by_year',
	'value',
	'goal',
	'gap',
	'unit',
	'as_of',
	'source',
	'clause',
	'finding',
	'finding_en'
];

/**
 * 所在街道的目标 (issue 16): the targets of the project's street and district as the gap report's
 * 目标指标 lists them (overdue first), the counts on their date, and a missing indicator table.
 */
function addStreetTargetsSheet(workbook: ExcelJS.Workbook, e: ProjectEvaluation) {
	const targets = e.streetTargets;
	if (!targets?.rows.length) return;
	const sheet = workbook.addWorksheet('所在街道的目标', {
		views: [{ state: 'frozen', ySplit: 1 }]
	});
	const columns = TARGET_KEYS.map((key) => TARGET_COLUMNS.find((column) => column.key === key)!);
	sheet.columns = columns.map((column) => ({
		width: ['finding', 'finding_en', 'source', 'clause'].includes(column.key) ? 40 : 12
	}));
	headerRow(
		sheet,
		columns.map((column) => `${column.zh} ${column.en}`)
	);
	for (const row of sortedTargetRows(targets))
		sheet.addRow(columns.map((column) => displayValue(column, row)));
	sheet.addRow([]);
	sheet.addRow([targetCountsText(targets)]);
	sheet.addRow([
		'现状（未计入本项目）；仅作背景，不影响评估结论 / the region as it is, without the project: context, not part of the verdict'
	]);
	if (!targets.hasIndicators) {
		sheet.addRow([NO_INDICATORS_NOTE.zh]);
		sheet.addRow([NO_INDICATORS_NOTE.en]);
	}
}

function addRulesSheet(workbook: ExcelJS.Workbook, e: ProjectEvaluation, meta: ReportMeta) {
	const sheet = workbook.addWorksheet('依据条款');
	sheet.columns = [
		{ header: '规则编号', width: 26 },
		{ header: '类型', width: 26 },
		{ header: '参数', width: 44 },
		{ header: '文件', width: 36 },
		{ header: '章节', width: 30 },
		{ header: '条款', width: 30 },
		{ header: '原文', width: 70 }
	];
	sheet.getRow(1).font = { bold: true };
	sheet.getRow(1).eachCell((cell) => (cell.fill = HEADER_FILL));
	const used = new Set([...e.reasons, ...(e.approvalConditions ?? [])].map((item) => item.ruleId));
	for (const rule of e.profile.rules.filter((candidate) => used.has(candidate.id))) {
		const row = sheet.addRow([
			rule.id,
			`${RULE_KIND_ZH[rule.kind]}（${rule.kind}）`,
			ruleParamsZh(rule),
			`《${rule.citation.document}》`,
			rule.citation.section,
			rule.citation.clause,
			rule.citation.quote
		]);
		for (const column of [3, 7])
			row.getCell(column).alignment = { wrapText: true, vertical: 'top' };
	}
	sheet.addRow([]);
	sheet.addRow(['数据来源 Data sources']).font = { bold: true };
	for (const source of meta.regionMeta.sources)
		sheet.addRow([source.title, source.licence, source.origin, source.attribution ?? '']);
	if (osmSources(meta.regionMeta).length) sheet.addRow([OSM_ATTRIBUTION]);
}

/**
 * The evaluation workbook.
 * @param evaluation the project's evaluation
 * @param meta `generatedAt` (YYYY-MM-DD, also stamped into the package) and the region's meta
 * @returns the .xlsx bytes
 * @throws {RangeError} when `generatedAt` is not YYYY-MM-DD
 * @example writeFileSync('report.xlsx', await evaluationXlsx(evaluation, { generatedAt: '2026-11-22', regionMeta }));
 */
export async function evaluationXlsx(
	evaluation: ProjectEvaluation,
	meta: ReportMeta
): Promise<Uint8Array> {
	const [year, month, day] = dateParts(meta.generatedAt);
	const workbook = new ExcelJS.Workbook();
	const stamp = new Date(Date.UTC(year, month - 1, day));
	workbook.creator = 'carecircle';
	workbook.lastModifiedBy = 'carecircle';
	workbook.created = stamp;
	workbook.modified = stamp;
	workbook.title = `${evaluation.project.name} 养老服务设施配建评估`;
	workbook.subject = `${evaluation.profile.id} v${evaluation.profile.version}`;
	addVerdictSheet(workbook, evaluation, meta);
	addProjectSheet(workbook, evaluation);
	addFacilitiesSheet(workbook, evaluation);
	addStreetSheet(workbook, evaluation);
	addStreetTargetsSheet(workbook, evaluation);
	addRulesSheet(workbook, evaluation, meta);
	const written: unknown = await workbook.xlsx.writeBuffer();
	const bytes = written instanceof Uint8Array ? written : new Uint8Array(written as ArrayBuffer);
	const mtime = new Date(Math.min(Math.max(year, 1980), 2099), month - 1, day);
	return zipSync(unzipSync(bytes), { level: 6, mtime });
}

/**
 * `evaluation.json`: the whole evaluation with the report date first, pretty-printed.
 * @example writeFileSync('evaluation.json', evaluationJson(evaluation, '2026-11-22'));
 */
export function evaluationJson(evaluation: ProjectEvaluation, generatedAt: string): string {
	dateParts(generatedAt);
	return `${JSON.stringify({ generatedAt, ...evaluation }, null, 2)}\n`;
}
