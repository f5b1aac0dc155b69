/**
 * The evaluation report writers: the printable HTML (verdict, what must change, every finding
 * with its clause, the figures, the map drawn from the geometry, sources and estimates), the
 * workbook read back with exceljs, and evaluation.json. Checked on the demo project under
 * donge-2023 (conditional), on Laoshan without a network, and with markup in the project's name.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../src/lib/engine/format.ts';
import { evaluateProject } from '../../../src/lib/engine/evaluation/evaluate.ts';
import { PROJECT_VERDICT, zhOf } from '../../../src/lib/engine/labels.ts';
import {
	evaluationMapSvg,
	evaluationReportHtml
} from '../../../src/lib/engine/evaluation/report-html.ts';
import { evaluationJson, evaluationXlsx } from '../../../src/lib/engine/evaluation/report-xlsx.ts';
import type { ProjectEvaluation } from '../../../src/lib/engine/evaluation/types.ts';
import { escapeHtml } from '../../../src/lib/engine/report/html.ts';
import {
	GRID_META,
	bundledRegion,
	demoEvaluation,
	facility,
	at,
	gridNetwork,
	gridRegion,
	gridTargetsEvaluation,
	profile,
	rectangle
} from './fixtures.ts';

const VERDICT_ZH = zhOf(PROJECT_VERDICT);

const demo = bundledRegion('shanghai-bund-lujiazui');
const DATE = '2026-11-22';

describe('evaluationReportHtml', () => {
	it('shows the verdict, what must change, every finding with its clause and the figures', async () => {
		const evaluation = await demoEvaluation();
		const html = evaluationReportHtml(evaluation, { generatedAt: DATE, regionMeta: demo.meta });
		expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
		expect(html).toContain(`<title>乳山路东地块（示例项目） 养老服务设施配建评估报告</title>`);
		expect(evaluation.verdict).toBe('conditional');
		expect(html).toContain(`verdict-box verdict-conditional`);
		expect(html).toContain(VERDICT_ZH.conditional);
		for (const condition of evaluation.conditions) expect(html).toContain(escapeHtml(condition.zh));
		for (const reason of evaluation.reasons) {
			expect(html).toContain(escapeHtml(reason.messageZh));
			expect(html).toContain(escapeHtml(reason.messageEn));
			if (reason.citation) expect(html).toContain(escapeHtml(reason.citation.clause));
		}
		// the rules cited, quoted in full
		for (const id of ['community-facility-area', 'community-center-area']) {
			const rule = evaluation.profile.rules.find((candidate) => candidate.id === id)!;
			expect(html).toContain(escapeHtml(rule.citation.quote));
		}
		// the floor-area table with units
		// (Dong'e 13. 单处不低于200平方米: the planned 150 m² station is below the single-site
		// minimum and counts 0 m², so 200 m² are required and missing)
		expect(html).toContain(
			'应配建面积 <span class="en">Required floor area</span></th><td><b>200 m²</b>'
		);
		expect(html).toContain(
			'合计已配建 <span class="en">Provided in total</span></th><td><b>0 m²</b>'
		);
		expect(html).toContain('缺口 <span class="en">Deficit</span></th><td><b>200 m²</b>');
		// the street before / after, from the evaluation's own figures
		const { before, after } = evaluation.street;
		expect(html).toContain(`${formatAmount(before.elders)} 人`);
		expect(html).toContain(`${formatAmount(after.elders)} 人`);
		expect(html).toContain(`+${formatAmount(after.elders - before.elders)} 人`);
		// estimates are flagged, the date and profile version printed
		expect(html).toContain('部分数字为估算值');
		expect(html).toContain(escapeHtml(evaluation.project.eldersSource.derivationZh));
		expect(html).toContain(`donge-2023 v${evaluation.profile.version}`);
		expect(html).toContain(`生成日期 Date</dt><dd>${DATE}`);
		// nothing external: no script, no URL that would load
		expect(html).not.toMatch(/<script|<link|src="http|url\(http/);
	});

	it('draws the map from the geometry: boundary, reached streets, band, roads, facilities, OSM attribution', async () => {
		const evaluation = await demoEvaluation();
		const svg = evaluationMapSvg(evaluation.map)!;
		expect(svg).toContain('class="project"');
		expect(svg).toContain('class="reached"');
		expect(svg).toContain('class="band"');
		expect(svg).toContain('class="roads"');
		expect(svg.match(/class="access"/g)).toHaveLength(evaluation.circle.accessPoints.length);
		expect(svg).toContain('class="facility planned"');
		expect(svg).toContain('class="facility existing"');
		expect(svg).toMatch(/<text x="[\d.]+" y="3">[\d,]+ m<\/text>/); // scale bar
		const html = evaluationReportHtml(evaluation, { generatedAt: DATE, regionMeta: demo.meta });
		expect(html).toContain(
			'路网与居住区 Roads and residential areas: © OpenStreetMap contributors'
		);
	});

	it('escapes markup in the project name', async () => {
		const name = '<b>粗体</b>项目 & "花园"';
		const evaluation = await demoEvaluation(name);
		const html = evaluationReportHtml(evaluation, { generatedAt: DATE, regionMeta: demo.meta });
		expect(html).not.toContain('<b>粗体</b>');
		expect(html).toContain('&lt;b&gt;粗体&lt;/b&gt;项目 &amp; &quot;花园&quot;');
	});

	it('without a walking network: says so, draws no isochrone, lists the checks not run', () => {
		const laoshan = bundledRegion('qingdao-laoshan');
		const evaluation = evaluateProject({
			region: laoshan,
			network: null,
			profile: profile('qingdao-city-2023-draft'),
			project: {
				name: '金岭地块',
				boundary: {
					type: 'Polygon',
					coordinates: [
						[
							[120.4601, 36.1012],
							[120.4627, 36.1012],
							[120.4627, 36.1031],
							[120.4601, 36.1031],
							[120.4601, 36.1012]
						]
					]
				},
				status: 'new',
				households: 800,
				elders: 160,
				facilities: [{ kind: 'community_station', floorAreaM2: 200, position: [120.4614, 36.102] }]
			}
		});
		expect(evaluation.settings.networkAvailable).toBe(false);
		expect(evaluation.notRun.map((item) => item.check)).toEqual([
			'service_circle',
			'street_center'
		]);
		expect(evaluation.verdict).toBe('compliant'); // 160 m² required, 200 m² planned
		expect(evaluation.incomplete).toBe(true);
		expect(evaluation.project.place.streetName).toBeTruthy();
		const html = evaluationReportHtml(evaluation, { generatedAt: DATE, regionMeta: laoshan.meta });
		expect(html).toContain('本区域没有步行路网');
		expect(html).toContain('部分核查未能运行');
		expect(html).not.toContain('class="reached"');
		expect(html).not.toContain('路网与居住区 Roads and residential areas');
		expect(html).toContain('本区域没有设施图层');
	});
});

describe('evaluationXlsx and evaluationJson', () => {
	it('writes the workbook with the verdict, the findings and numbers as numbers, the same bytes twice', async () => {
		const evaluation = await demoEvaluation();
		const meta = { generatedAt: DATE, regionMeta: demo.meta };
		const bytes = await evaluationXlsx(evaluation, meta);
		expect(Buffer.from(await evaluationXlsx(evaluation, meta)).equals(Buffer.from(bytes))).toBe(
			true
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
		expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
			'评估结论',
			'项目与核算',
			'设施',
			'街道前后对比',
			'依据条款'
		]);
		const verdictSheet = workbook.getWorksheet('评估结论')!;
		const cells: unknown[] = [];
		verdictSheet.eachRow((row) => cells.push(...(row.values as unknown[])));
		expect(cells).toContain('有条件符合（须整改）');
		for (const condition of evaluation.conditions) expect(cells).toContain(condition.zh);
		for (const reason of evaluation.reasons) expect(cells).toContain(reason.messageZh);

		const figures = new Map<string, unknown>();
		workbook.getWorksheet('项目与核算')!.eachRow((row) => {
			const values = row.values as unknown[];
			if (typeof values[1] === 'string') figures.set(values[1], values[2]);
		});
		expect(figures.get('应配建面积 Required')).toBe(200);
		expect(figures.get('合计已配建 Provided')).toBe(0); // the 150 m² site is below 200 m²
		expect(figures.get('缺口 Deficit')).toBe(200);
		expect(figures.get('户数 Households')).toBe(600);
		expect(figures.get('老年人口 Elders (60+)')).toBe(evaluation.project.elders);

		const street = new Map<string, unknown[]>();
		workbook.getWorksheet('街道前后对比')!.eachRow((row) => {
			const values = row.values as unknown[];
			if (typeof values[1] === 'string') street.set(values[1], values.slice(2, 5));
		});
		expect(street.get('老年人口 Elders')).toEqual([
			evaluation.street.before.elders,
			evaluation.street.after.elders,
			evaluation.street.after.elders - evaluation.street.before.elders
		]);
		const rules: string[] = [];
		workbook.getWorksheet('依据条款')!.eachRow((row, index) => {
			if (index > 1 && typeof row.getCell(1).value === 'string')
				rules.push(row.getCell(1).value as string);
		});
		expect(rules).toContain('community-facility-area');
		expect(rules).toContain('community-center-area');
	});

	it('writes evaluation.json with the date first and the whole evaluation', async () => {
		const evaluation = await demoEvaluation();
		const text = evaluationJson(evaluation, DATE);
		expect(text.startsWith(`{\n  "generatedAt": "${DATE}",`)).toBe(true);
		const parsed = JSON.parse(text);
		expect(parsed.verdict).toBe(evaluation.verdict);
		expect(parsed.floorArea).toEqual(evaluation.floorArea);
		expect(parsed.map.boundary).toEqual(evaluation.project.boundary);
		expect(() => evaluationJson(evaluation, '22/11/2026')).toThrow(RangeError);
	});

	it('a grid region without OpenStreetMap sources gets no OSM attribution', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [facility('s', 'institution', 1000, at(0, 0))] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: {
				name: '网格项目',
				boundary: rectangle(3.1, 3.1, 3.9, 3.9),
				status: 'new',
				households: 500,
				elders: 100,
				gates: [at(3, 3)],
				facilities: [{ kind: 'day_care', floorAreaM2: 100, position: at(3.5, 3.5) }]
			}
		});
		expect(evaluation.verdict).toBe('compliant');
		const html = evaluationReportHtml(evaluation, { generatedAt: DATE, regionMeta: GRID_META });
		expect(html).toContain('class="roads"');
		expect(html).not.toContain('OpenStreetMap');
		expect(html).toContain('本报告的项目数字均为申报值，没有估算');
	});
});

describe('conditions of approval (审批附加条件, issue 13)', () => {
	/** The demo evaluation with one condition of approval, as the 四同步 rule will add it. */
	async function withApprovalCondition(): Promise<ProjectEvaluation> {
		const evaluation = await demoEvaluation();
		const cited = evaluation.profile.rules.find((rule) => rule.id === 'community-facility-area')!;
		return {
			...evaluation,
			approvalConditions: [
				{
					ruleId: cited.id,
					kind: 'synchronous_delivery',
					zh: '配建养老服务设施须与住宅同步规划、同步建设、同步验收、同步交付 <四同步>',
					en: 'The care facility is planned, built, accepted and handed over with the housing',
					citation: {
						document: cited.citation.document,
						section: cited.citation.section,
						clause: '13. 加强社区养老服务设施配建。（四同步）',
						quote: '与住宅同步规划、同步建设、同步验收、同步交付'
					}
				}
			]
		};
	}

	it('prints them in the HTML right after what must change, with the clause and the sentence', async () => {
		const evaluation = await withApprovalCondition();
		const [condition] = evaluation.approvalConditions;
		const html = evaluationReportHtml(evaluation, { generatedAt: DATE, regionMeta: demo.meta });
		const at = html.indexOf('审批附加条件 <span class="en">Conditions of approval</span>');
		expect(at).toBeGreaterThan(html.indexOf('须整改事项'));
		expect(at).toBeLessThan(html.indexOf('判定理由与条款'));
		const box = html.slice(at, html.indexOf('</section>', at));
		expect(box).toContain(escapeHtml(condition.zh));
		expect(box).toContain(escapeHtml(condition.en));
		expect(box).toContain(`《${condition.citation.document}》`);
		expect(box).toContain(escapeHtml(condition.citation.clause));
		expect(box).toContain(`“${condition.citation.quote}”`);
		expect(box).toContain('<span class="effect effect-requirement">附加条件</span>');
		// and nothing of the kind without them
		const plain = evaluationReportHtml(
			{ ...evaluation, approvalConditions: [] },
			{ generatedAt: DATE, regionMeta: demo.meta }
		);
		expect(plain).not.toContain('审批附加条件');
	});

	it('writes them to the verdict sheet after what must change, with the clause and the sentence', async () => {
		const evaluation = await withApprovalCondition();
		const [condition] = evaluation.approvalConditions;
		const bytes = await evaluationXlsx(evaluation, { generatedAt: DATE, regionMeta: demo.meta });
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
		const rows: unknown[][] = [];
		workbook.getWorksheet('评估结论')!.eachRow((row) => rows.push(row.values as unknown[]));
		const titles = rows.map((values) => values[1]);
		const heading = titles.indexOf('审批附加条件 Conditions of approval');
		expect(heading).toBeGreaterThan(titles.indexOf('须整改事项 What must change'));
		expect(heading).toBeLessThan(titles.indexOf('判定理由与条款 Findings and clauses'));
		const row = rows.find((values) => values.includes(condition.zh))!;
		expect(row.slice(1)).toEqual([
			1,
			condition.ruleId,
			condition.zh,
			condition.en,
			`《${condition.citation.document}》${condition.citation.clause}`,
			condition.citation.quote
		]);
		const plain = await evaluationXlsx(
			{ ...evaluation, approvalConditions: [] },
			{ generatedAt: DATE, regionMeta: demo.meta }
		);
		const again = new ExcelJS.Workbook();
		await again.xlsx.load(plain as unknown as ArrayBuffer);
		const cells: unknown[] = [];
		again.getWorksheet('评估结论')!.eachRow((r) => cells.push(...(r.values as unknown[])));
		expect(cells).not.toContain('审批附加条件 Conditions of approval');
	});
});

describe('所在街道的目标 in the report (issue 16)', () => {
	const evaluation = gridTargetsEvaluation(DATE);
	const meta = { generatedAt: DATE, regionMeta: GRID_META };

	it('the page lists the street’s targets with their status and clause, as context', () => {
		const html = evaluationReportHtml(evaluation, meta);
		const section = html.slice(html.indexOf('<section id="street-targets">'));
		expect(section).toContain('<h2>所在街道的目标');
		expect(section).toContain('不影响本项目的评估结论');
		expect(section).toContain('截至 2026-11-22：逾期未达标 2');
		expect(section).toContain('<tbody class="group target-overdue">');
		expect(section).toContain(escapeHtml('现为 90%，未达标'));
		expect(section).not.toContain('其他街道');
		expect(evaluationReportHtml(gridTargetsEvaluation(null), meta)).not.toContain('street-targets');
	});

	it('the workbook has the sheet, overdue first, and none without targets', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load((await evaluationXlsx(evaluation, meta)) as unknown as ArrayBuffer);
		const sheet = workbook.getWorksheet('所在街道的目标')!;
		expect(sheet).toBeDefined();
		const header = Array.from(sheet.getRow(1).values as unknown[], (cell) => String(cell ?? ''));
		const column = (zh: string) => header.findIndex((cell) => cell.startsWith(`${zh} `));
		const rows: unknown[][] = [];
		sheet.eachRow((row, index) => {
			if (index > 1) rows.push(row.values as unknown[]);
		});
		const visits = rows.filter((row) => row[column('目标')] === '特殊困难老年人月探访率');
		expect(
			visits.map((row) => [row[column('状态')], row[column('名称')], row[column('现值')]])
		).toEqual([
			['逾期未达标', '310115', 95], // no district boundary: named by its code
			['逾期未达标', '测试街道', 90]
		]);
		expect(rows[0][column('状态')]).toBe('逾期未达标');
		const plain = new ExcelJS.Workbook();
		await plain.xlsx.load(
			(await evaluationXlsx(gridTargetsEvaluation(null), meta)) as unknown as ArrayBuffer
		);
		expect(plain.getWorksheet('所在街道的目标')).toBeUndefined();
	});
});
