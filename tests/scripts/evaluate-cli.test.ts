/**
 * `npm run evaluate` (issue 7): a project drawn inside the demo region (the block south of 乳山四村
 * in Lujiazui, 600 new households) evaluated from the command line — report.pdf (headless
 * Chromium), report.html, report.xlsx and evaluation.json, the PDF's text compared with the JSON —
 * and every bad input refused with a clear message and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAmount } from '../../src/lib/engine/format.ts';
import { fromWgs84 } from '../../src/lib/engine/crs/index.ts';
import { PROJECT_VERDICT, zhOf } from '../../src/lib/engine/labels.ts';
import type { ProjectEvaluation } from '../../src/lib/engine/evaluation/types.ts';
import { pdfPageTexts, pdfText } from '../engine/evaluation/pdf-text.ts';

const VERDICT_ZH = zhOf(PROJECT_VERDICT);

const repoRoot = join(import.meta.dirname, '..', '..');
const PROJECT = join(import.meta.dirname, 'fixtures', 'evaluate', 'ruyi-project.geojson');
const RING: [number, number][] = JSON.parse(readFileSync(PROJECT, 'utf8')).features[0].geometry
	.coordinates[0];
const squash = (text: string) => text.replace(/\s+/g, '');
const minutes = (value: number) => (Math.round(value * 10) / 10).toFixed(1);

const evaluate = (...args: string[]) =>
	spawnSync(process.execPath, [join(repoRoot, 'scripts', 'evaluate.ts'), ...args], {
		cwd: repoRoot,
		encoding: 'utf8'
	});

type Evaluation = ProjectEvaluation & { generatedAt: string };

describe('npm run evaluate — 600 new households south of 乳山四村 (demo region)', () => {
	let out: string;
	let stdout: string;
	let evaluation: Evaluation;
	beforeAll(() => {
		out = join(mkdtempSync(join(tmpdir(), 'carecircle-evaluate-')), 'report');
		const result = evaluate(
			'--region',
			'shanghai-bund-lujiazui',
			'--project',
			PROJECT,
			'--households',
			'600',
			'--status',
			'new',
			'--date',
			'2026-11-22',
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		stdout = result.stdout;
		evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
	}, 120_000);
	afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));

	it('writes the four files and nothing else', () => {
		expect(readdirSync(out).sort()).toEqual([
			'evaluation.json',
			'report.html',
			'report.pdf',
			'report.xlsx'
		]);
		expect(readdirSync(join(out, '..'))).toEqual(['report']); // no staging folder left
	});

	it('evaluates the project under the region’s profile: 120 m² required, nothing planned → non-compliant', () => {
		expect(evaluation.generatedAt).toBe('2026-11-22');
		expect(evaluation.settings).toMatchObject({
			regionId: 'shanghai-bund-lujiazui',
			profileId: 'qingdao-laoshan-2024',
			networkAvailable: true
		});
		expect(evaluation.project).toMatchObject({
			name: '乳山路东地块（示例项目）',
			households: 600,
			status: 'new'
		});
		expect(evaluation.floorArea).toMatchObject({ requiredM2: 120, providedM2: 0, deficitM2: 120 });
		expect(evaluation.circle.covered).toBe(true); // the meal point is 11 minutes away
		expect(evaluation.verdict).toBe('non_compliant');
		expect(stdout).toContain('verdict: non_compliant');
		expect(stdout).toContain('required 120 m², provided 0 m², deficit 120 m²');
		expect(stdout).toContain(
			'must change: The project provides no community care floor area: plan at least 120 m²'
		);
	});

	it('prints a PDF whose text carries the JSON’s numbers', () => {
		const pdf = readFileSync(join(out, 'report.pdf'));
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const pages = pdfPageTexts(pdf);
		expect(pages.length).toBeGreaterThanOrEqual(3);
		const text = squash(pdfText(pdf));
		expect(text).toContain(squash(`${evaluation.project.name} 养老服务设施配建评估报告`));
		expect(text).toContain(squash(VERDICT_ZH[evaluation.verdict]));
		for (const condition of evaluation.conditions) expect(text).toContain(squash(condition.zh));
		const f = evaluation.floorArea;
		expect(text).toContain(`应配建面积Requiredfloorarea${formatAmount(f.requiredM2!)}m²`);
		expect(text).toContain(`合计已配建Providedintotal${formatAmount(f.providedM2!)}m²`);
		expect(text).toContain(`缺口Deficit${formatAmount(f.deficitM2!)}m²`);
		expect(text).toContain(`户数Households${formatAmount(evaluation.project.households)}户`);
		expect(text).toContain(`${formatAmount(evaluation.project.elders!)}人估`);
		expect(text).toContain(
			`最近站点（含规划）Neareststation(incl.planned)${squash(evaluation.circle.nearest!.name)}`
		);
		expect(text).toContain(`步行${minutes(evaluation.circle.nearest!.minutes)}分钟`);
		const { before, after } = evaluation.street;
		expect(text).toContain(
			`15分钟圈内老年人Elderswithinthecircle${formatAmount(before.eldersCovered!)}人${formatAmount(after.eldersCovered!)}人`
		);
		expect(text).toContain(
			`配建面积缺口Floor-areadeficit${formatAmount(before.deficitM2)}m²${formatAmount(after.deficitM2)}m²`
		);
		for (const reason of evaluation.reasons.filter((r) => r.citation))
			expect(text).toContain(squash(reason.citation!.clause));
		expect(text).toContain('qingdao-laoshan-2024v3');
		expect(text).toContain('2026-11-22');
		expect(text).toContain(`第1/${pages.length}页`); // the page footer
	});

	it('writes the HTML and the workbook with the same verdict', async () => {
		const html = readFileSync(join(out, 'report.html'), 'utf8');
		expect(html).toContain('verdict-box verdict-non_compliant');
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(readFileSync(join(out, 'report.xlsx')) as unknown as ArrayBuffer);
		const cells: unknown[] = [];
		workbook.getWorksheet('评估结论')!.eachRow((row) => cells.push(...(row.values as unknown[])));
		expect(cells).toContain(VERDICT_ZH.non_compliant);
	});
});

describe('npm run evaluate — households from floor area, a planned station, gates, donge-2023', () => {
	it('derives 600 households, counts the station, and lists what must change', () => {
		const dir = mkdtempSync(join(tmpdir(), 'carecircle-evaluate-'));
		const gates = join(dir, 'gates.geojson');
		writeFileSync(
			gates,
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: RING[0] } }
				]
			})
		);
		const out = join(dir, 'report');
		const result = evaluate(
			'--region',
			'shanghai-bund-lujiazui',
			'--profile',
			'donge-2023',
			'--project',
			PROJECT,
			'--name',
			'乳山路东地块二期',
			'--floor-area-m2',
			'54000',
			'--dwelling-m2',
			'90',
			'--status',
			'新建',
			'--facility',
			'121.5175,31.235,150,社区养老服务站,乳山路东社区养老服务站',
			'--gates',
			gates,
			'--no-pdf',
			'--date',
			'2026-11-22',
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		expect(readdirSync(out).sort()).toEqual(['evaluation.json', 'report.html', 'report.xlsx']);
		const evaluation: Evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
		expect(evaluation.project.name).toBe('乳山路东地块二期');
		expect(evaluation.project.households).toBe(600);
		expect(evaluation.project.householdsSource).toMatchObject({
			method: 'floor_area',
			residentialFloorAreaM2: 54000,
			dwellingM2: 90,
			estimated: true
		});
		expect(evaluation.circle.access).toBe('gates');
		expect(evaluation.facilities[0]).toMatchObject({
			name: '乳山路东社区养老服务站',
			kind: 'community_station',
			insideBoundary: true,
			countedM2: 0 // Dong'e 13. 单处不低于200平方米: a 150 m² site does not count
		});
		expect(evaluation.floorArea).toMatchObject({ requiredM2: 200, deficitM2: 200 });
		expect(evaluation.verdict).toBe('conditional');
		expect(result.stdout).toContain('households 600 (estimate)');
		expect(result.stdout).toContain('must change: Each site at least 200 m²');
		// Dong'e 13.: 土地出让前置条件 and 四同步, conditions of approval that do not change the verdict
		expect(evaluation.approvalConditions.map((c) => c.kind)).toEqual([
			'land_sale_precondition',
			'synchronous_delivery'
		]);
		expect(result.stdout).toContain('condition of approval (13. 加强社区养老服务设施配建。)');
		expect(result.stdout).toContain(
			'must change: Enlarge "乳山路东社区养老服务站" to at least 300 m²'
		);
		rmSync(dir, { recursive: true, force: true });
	});
});

describe('npm run evaluate — bad input: a clear message and nothing written', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-evaluate-bad-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const polygonFile = (name: string, ring: number[][], extra: object = {}) => {
		const path = join(dir, name);
		writeFileSync(path, JSON.stringify({ type: 'Polygon', coordinates: [ring], ...extra }));
		return path;
	};
	const toZone40 = fromWgs84('EPSG:4528');
	const cases: [string, () => string[], RegExp][] = [
		[
			'no households',
			() => ['--project', PROJECT, '--status', 'new'],
			/no households — enter the planned households \(--households N\)/
		],
		[
			'an unclosed polygon',
			() => [
				'--project',
				polygonFile('open.geojson', RING.slice(0, -1)),
				'--households',
				'600',
				'--status',
				'new'
			],
			/outer ring is not closed — it starts at \[121\.5162, 31\.235\] and ends at \[121\.5164, 31\.2345\]/
		],
		[
			'CGCS2000 metres without saying so',
			() => [
				'--project',
				polygonFile(
					'cgcs2000.geojson',
					RING.map((p) => toZone40(p))
				),
				'--households',
				'600',
				'--status',
				'new'
			],
			/projected metres, not lon\/lat degrees .* pass --crs EPSG:4528/
		],
		[
			'a project outside the region',
			() => [
				'--project',
				polygonFile('qingdao.geojson', [
					[120.46, 36.1],
					[120.47, 36.1],
					[120.47, 36.11],
					[120.46, 36.1]
				]),
				'--households',
				'600',
				'--status',
				'new'
			],
			/the project lies outside the region shanghai-bund-lujiazui/
		],
		[
			'an unknown facility kind',
			() => [
				'--project',
				PROJECT,
				'--households',
				'600',
				'--status',
				'new',
				'--facility',
				'121.5175,31.235,150,hospital'
			],
			/--facility 121\.5175,31\.235,150,hospital: unknown kind "hospital"/
		],
		['no status', () => ['--project', PROJECT, '--households', '600'], /--status is required/]
	];
	for (const [label, args, message] of cases)
		it(label, () => {
			const out = join(dir, `out-${label.replace(/\W+/g, '-')}`);
			const result = evaluate(
				'--region',
				'shanghai-bund-lujiazui',
				...args(),
				'--no-pdf',
				'--out',
				out
			);
			expect(result.status).toBe(1);
			expect(result.stderr).toMatch(message);
			expect(existsSync(out)).toBe(false);
			expect(readdirSync(dir).filter((name) => name.startsWith('.evaluate-'))).toEqual([]);
		});

	it('the same CGCS2000 file is read when --crs says so', () => {
		const out = join(dir, 'out-crs');
		const result = evaluate(
			'--region',
			'shanghai-bund-lujiazui',
			'--project',
			polygonFile(
				'cgcs2000-ok.geojson',
				RING.map((p) => toZone40(p))
			),
			'--crs',
			'EPSG:4528',
			'--households',
			'600',
			'--status',
			'new',
			'--no-pdf',
			'--out',
			out
		);
		expect(result.status, result.stderr).toBe(0);
		const evaluation: Evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
		evaluation.project.boundary.coordinates[0].forEach((position, i) => {
			const [lon, lat] = position as number[];
			expect(lon).toBeCloseTo(RING[i][0], 6);
			expect(lat).toBeCloseTo(RING[i][1], 6);
		});
		expect(evaluation.project.boundarySource.crs).toMatchObject({
			crs: 'EPSG:4528',
			how: 'override'
		});
	});
});
