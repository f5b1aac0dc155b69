/**
 * Issue 15 item 7: what the 导出 tab sends and shows. The command line it prints, run as shown
 * (only the plan file's and the output folder's paths swapped for temporary ones), writes the
 * bytes the route answers the tab's POST body with; plan.json passes the plan schema the CLI and
 * the server check; the file name is read from the server's Content-Disposition.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_STEP_PENALTY_S } from '../../src/lib/engine/rules/defaults.ts';
import { EMPTY_PLAN, type StationPlan } from '../../src/lib/engine/session/what-if.ts';
import { planSchema } from '../../src/lib/server/db/scenario-model.ts';
import {
	dispositionName,
	EXPORT_FILES,
	exportBody,
	exportCommand,
	localDate,
	planFileText,
	type ExportState
} from '../../src/lib/ui/map/export-request.ts';
import { REPORT_FILES } from '../../src/lib/server/region-report.ts';
import * as route from '../../src/routes/api/regions/[id]/report/[file]/+server.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const DEMO = 'shanghai-bund-lujiazui';
const scratch = mkdtempSync(join(tmpdir(), 'carecircle-export-request-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const plan: StationPlan = {
	planned: [
		{
			id: 'planned-1',
			name: '规划站点 1',
			kind: 'community_station',
			floorAreaM2: 250,
			position: [121.51712345678, 31.23654321987]
		}
	],
	moved: { 'facility-csv-row-6': [121.5101234567, 31.2395678912] },
	removed: []
};
const state: ExportState = {
	regionId: DEMO,
	profileId: 'qingdao-laoshan-2024',
	settings: { maxMinutes: 12.5, walkSpeedMps: 0.85, stepPenaltyS: DEFAULT_STEP_PENALTY_S + 7 },
	plan,
	date: '2026-12-01'
};

describe('the export tab’s request and command', () => {
	it('buttons are the server’s report files', () => {
		expect([...EXPORT_FILES].sort()).toEqual(Object.keys(REPORT_FILES).sort());
	});

	it('prints a command that writes the bytes the route answers the tab’s request with', async () => {
		const command = exportCommand(state);
		expect(command).toBe(
			`npm run analyze -- --region ${DEMO} --profile qingdao-laoshan-2024 --minutes 12.5 --speed-mps 0.85 --step-penalty-s ${DEFAULT_STEP_PENALTY_S + 7} --date 2026-12-01 --plan plan.json --out out/report`
		);
		const planPath = join(scratch, 'plan.json');
		writeFileSync(planPath, planFileText(state.plan));
		const out = join(scratch, 'cli');
		const args = command
			.replace(/^npm run analyze -- /, '')
			.replace('--plan plan.json', `--plan ${planPath}`)
			.replace('--out out/report', `--out ${out} --no-pdf`)
			.split(' ');
		const cli = spawnSync(process.execPath, [join(repoRoot, 'scripts/analyze.ts'), ...args], {
			cwd: repoRoot,
			encoding: 'utf8'
		});
		expect(cli.status, cli.stderr).toBe(0);
		expect(cli.stdout).toContain('plan: 1 planned, 1 moved, 0 removed');
		for (const file of ['report.xlsx', 'areas.csv', 'facilities.csv', 'areas.geojson']) {
			const url = new URL(`http://localhost/api/regions/${DEMO}/report/${file}`);
			const response = await route.POST({
				url,
				params: { id: DEMO, file },
				request: new Request(url, { method: 'POST', body: JSON.stringify(exportBody(state)) })
			} as never);
			expect(response.status, file).toBe(200);
			const served = Buffer.from(await response.arrayBuffer());
			expect(served.equals(readFileSync(join(out, file))), file).toBe(true);
			expect(dispositionName(response.headers.get('content-disposition'), file)).toMatch(
				new RegExp(`^${DEMO}_qingdao-laoshan-2024_2026-12-01_.+_方案\\.\\w+$`)
			);
		}
		// The plan the CLI read is the tab's, to the last digit of the moved position.
		const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
		expect(summary.plan.stations).toEqual(plan);
		expect(readFileSync(join(out, 'facilities.csv'), 'utf8')).toContain('planned-1');
	});

	it('leaves an empty plan and the default step penalty out', () => {
		const baseline = {
			...state,
			plan: EMPTY_PLAN,
			settings: { ...state.settings, stepPenaltyS: DEFAULT_STEP_PENALTY_S }
		};
		expect(exportCommand(baseline)).not.toMatch(/--plan|--step-penalty-s/);
		expect(exportBody(baseline)).not.toHaveProperty('plan');
	});

	it('writes plan.json as the plan schema reads it, nothing more', () => {
		const withExtra = {
			...plan,
			planned: plan.planned.map((station) => ({ ...station, selected: true }))
		} as StationPlan;
		const parsed = planSchema.parse(JSON.parse(planFileText(withExtra)));
		expect(parsed).toEqual(plan);
		expect(Object.keys(JSON.parse(planFileText(withExtra)).planned[0]).sort()).toEqual(
			['floorAreaM2', 'id', 'kind', 'name', 'position'].sort()
		);
	});

	it('reads the file name from Content-Disposition, UTF-8 first', () => {
		const header = `attachment; filename="a_2026-12-01_plan_report.xlsx"; filename*=UTF-8''${encodeURIComponent('外滩_缺口报告_方案.xlsx')}`;
		expect(dispositionName(header, 'x')).toBe('外滩_缺口报告_方案.xlsx');
		expect(dispositionName('attachment; filename="plain.csv"', 'x')).toBe('plain.csv');
		expect(dispositionName("attachment; filename*=UTF-8''%E0%A4%A", 'x')).toBe('x');
		expect(dispositionName(null, 'fallback.csv')).toBe('fallback.csv');
	});

	it('dates the export by the local calendar', () => {
		expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
	});
});
