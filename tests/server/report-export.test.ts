/**
 * Issue 15 item 7: the map's export gives the files `npm run analyze` writes for the same settings.
 * On the demo region a plan of two planned stations (on 梅一小区 and on a second compound) with
 * the only existing facility removed goes through the CLI (`--plan plan.json`, fixed `--date`,
 * non-default minutes, speed and step penalty) and through POST /api/regions/<id>/report/<file>
 * (the route handler called directly): every file is byte for byte the same, report.pdf included
 * (skipped with a warning only when Chromium is missing). The plan's report differs from the
 * baseline's, says it is a plan, and its downloads are named `…_方案`. Bad plans are refused with
 * the field named, by the CLI and the route; report.pdf without Chromium is a 503.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FILES, type ReportFile } from '../../src/lib/server/region-report.ts';
import * as route from '../../src/routes/api/regions/[id]/report/[file]/+server.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const DEMO = 'shanghai-bund-lujiazui';
const PROFILE = 'qingdao-laoshan-2024';
const DATE = '2026-11-22';
const EXISTING_FACILITY = 'facility-csv-row-6';
const SETTINGS = { minutes: 20, speedMps: 0.9, stepPenaltyS: 5 };
const chromium = existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium');
if (!chromium)
	console.warn('report-export: no Chromium at /usr/bin/chromium (CHROMIUM_PATH): PDF not compared');
const FILES = (Object.keys(REPORT_FILES) as ReportFile[]).filter(
	(file) => chromium || file !== 'report.pdf'
);

const residential = JSON.parse(
	readFileSync(join(repoRoot, 'data/regions', DEMO, 'residential.geojson'), 'utf8')
) as { features: { geometry: { coordinates: number[][][] }; properties: { id: string } }[] };
/** The mean of a compound's outer ring: a point inside it. */
function centreOf(id: string): [number, number] {
	const feature = residential.features.find((f) => f.properties.id === id)!;
	const ring = feature.geometry.coordinates[0].slice(0, -1);
	const sum = ring.reduce((acc, [lon, lat]) => [acc[0] + lon, acc[1] + lat], [0, 0]);
	return [
		Math.round((sum[0] / ring.length) * 1e7) / 1e7,
		Math.round((sum[1] / ring.length) * 1e7) / 1e7
	];
}
const secondCompound = residential.features.find((f) => f.properties.id !== 'osm-406771008')!;
const PLAN = {
	planned: [
		{
			id: 'planned-1',
			name: '梅一小区社区养老服务站（规划）',
			kind: 'community_station',
			floorAreaM2: 300,
			position: centreOf('osm-406771008')
		},
		{
			id: 'planned-2',
			name: '规划站点 2',
			kind: 'day_care',
			floorAreaM2: null,
			position: centreOf(secondCompound.properties.id)
		}
	],
	moved: {},
	removed: [EXISTING_FACILITY]
};

const analyze = (args: string[], env: Record<string, string> = {}) =>
	spawnSync(process.execPath, [join(repoRoot, 'scripts', 'analyze.ts'), ...args], {
		cwd: repoRoot,
		encoding: 'utf8',
		env: { ...process.env, ...env }
	});

type Handler = (event: never) => Response | Promise<Response>;
async function call(handler: Handler, file: string, init: { query?: string; body?: unknown } = {}) {
	const url = new URL(`http://localhost/api/regions/${DEMO}/report/${file}${init.query ?? ''}`);
	const request = new Request(url, {
		method: init.body === undefined ? 'GET' : 'POST',
		body:
			init.body === undefined
				? undefined
				: typeof init.body === 'string'
					? init.body
					: JSON.stringify(init.body)
	});
	return handler({ url, params: { id: DEMO, file }, request } as never);
}
const post = (file: string, body: unknown) => call(route.POST, file, { body });
const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const filenameOf = (response: Response) =>
	decodeURIComponent(
		/filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')![1]
	);

const scratch = mkdtempSync(join(tmpdir(), 'carecircle-report-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const planFile = join(scratch, 'plan.json');
const planOut = join(scratch, 'plan');
const baseOut = join(scratch, 'base');
const cliWalk = [
	'--minutes',
	String(SETTINGS.minutes),
	'--speed-mps',
	String(SETTINGS.speedMps),
	'--step-penalty-s',
	String(SETTINGS.stepPenaltyS)
];

describe('export of a plan = npm run analyze -- --plan', () => {
	beforeAll(() => {
		writeFileSync(planFile, `${JSON.stringify(PLAN, null, '\t')}\n`);
		const common = ['--region', DEMO, '--profile', PROFILE, '--date', DATE, ...cliWalk];
		const planned = analyze([
			...common,
			'--plan',
			planFile,
			...(chromium ? [] : ['--no-pdf']),
			'--out',
			planOut
		]);
		expect(planned.status, planned.stderr).toBe(0);
		expect(planned.stdout).toContain('plan: 2 planned, 0 moved, 1 removed');
		const baseline = analyze([...common, '--no-pdf', '--out', baseOut]);
		expect(baseline.status, baseline.stderr).toBe(0);
	}, 120_000);

	const body = { profile: PROFILE, date: DATE, ...SETTINGS, plan: PLAN };

	it.each(FILES)('%s: the same bytes from the route as from the CLI', async (file) => {
		const response = await post(file, body);
		expect(response.status, await response.clone().text()).toBe(200);
		expect(response.headers.get('content-type')).toBe(REPORT_FILES[file]);
		const served = await bytes(response);
		const written = new Uint8Array(readFileSync(join(planOut, file)));
		expect(served.length, file).toBe(written.length);
		expect(Buffer.compare(Buffer.from(served), Buffer.from(written)), file).toBe(0);
	});

	it('names the download after region, profile, date and marks it a plan', async () => {
		const report = await post('report.xlsx', body);
		expect(filenameOf(report)).toBe(`${DEMO}_${PROFILE}_${DATE}_缺口报告_方案.xlsx`);
		expect(report.headers.get('content-disposition')).toContain(
			`filename="${DEMO}_${DATE}_plan_report.xlsx"`
		);
		expect(filenameOf(await post('areas.csv', body))).toBe(
			`${DEMO}_${PROFILE}_${DATE}_areas_方案.csv`
		);
		// An empty plan is the baseline: no 方案 mark.
		const empty = await post('areas.csv', {
			...body,
			plan: { planned: [], moved: {}, removed: [] }
		});
		expect(filenameOf(empty)).toBe(`${DEMO}_${PROFILE}_${DATE}_areas.csv`);
	});

	it('differs from the baseline, and says it is a plan', async () => {
		for (const file of ['areas.csv', 'streets.csv', 'facilities.csv', 'report.html'])
			expect(readFileSync(join(planOut, file), 'utf8'), file).not.toBe(
				readFileSync(join(baseOut, file), 'utf8')
			);
		const facilities = readFileSync(join(planOut, 'facilities.csv'), 'utf8');
		expect(facilities).toContain('planned-1');
		expect(facilities).toContain('planned-2');
		expect(facilities).not.toContain(EXISTING_FACILITY);
		expect(readFileSync(join(planOut, 'report.html'), 'utf8')).toContain(
			'规划方案（非现状）：新增规划站点 2 处，移动现状设施 0 处，移出现状设施 1 处'
		);
		expect(readFileSync(join(baseOut, 'report.html'), 'utf8')).not.toContain('规划方案');
		const summary = JSON.parse(readFileSync(join(planOut, 'summary.json'), 'utf8'));
		expect(summary.plan).toMatchObject({ file: 'plan.json', planned: 2, moved: 0, removed: 1 });
		expect(summary.plan.stations).toEqual(PLAN);
		expect(JSON.parse(readFileSync(join(baseOut, 'summary.json'), 'utf8')).plan).toBeNull();
		expect(summary.summary.eldersCovered).not.toBe(
			JSON.parse(readFileSync(join(baseOut, 'summary.json'), 'utf8')).summary.eldersCovered
		);
		expect(existsSync(join(baseOut, 'report.pdf'))).toBe(false); // --no-pdf
	});

	it('serves the baseline by GET and by POST without a plan, equal to the CLI', async () => {
		const query = `?profile=${PROFILE}&minutes=${SETTINGS.minutes}&speedMps=${SETTINGS.speedMps}&date=${DATE}`;
		// GET has no step penalty parameter: it matches POST at the default penalty.
		for (const file of ['areas.csv', 'report.xlsx'] as const) {
			const byPost = await bytes(await post(file, { ...body, plan: undefined }));
			expect(Buffer.from(byPost).equals(readFileSync(join(baseOut, file))), file).toBe(true);
		}
		const byGet = await call(route.GET, 'streets.csv', { query });
		expect(byGet.status).toBe(200);
		const byPostNoPenalty = await post('streets.csv', {
			...body,
			stepPenaltyS: undefined,
			plan: undefined
		});
		expect(await byGet.text()).toBe(await byPostNoPenalty.text());
	});
});

describe('bad export requests and plan files', () => {
	const body = { profile: PROFILE, date: DATE, ...SETTINGS };

	it.each([
		[
			{ ...PLAN, removed: ['nowhere'] },
			'INVALID_PLAN',
			/plan\.removed\.0: the region has no existing station "nowhere"/
		],
		[
			{ ...PLAN, planned: [{ ...PLAN.planned[0], id: EXISTING_FACILITY }] },
			'INVALID_PLAN',
			/plan\.planned\.0\.id: "facility-csv-row-6" is the id of an existing station/
		],
		[{ plannd: [] }, 'INVALID_INPUT', /plan: Unrecognized key: "plannd"/],
		[
			{ ...PLAN, planned: [{ ...PLAN.planned[0], position: [121.5] }] },
			'INVALID_INPUT',
			/plan\.planned\.0\.position/
		],
		[{ ...PLAN, removed: [EXISTING_FACILITY, EXISTING_FACILITY] }, 'INVALID_INPUT', /removed twice/]
	])('plan %# → 400 %s naming the field', async (plan, code, message) => {
		const response = await post('areas.csv', { ...body, plan });
		expect(response.status).toBe(400);
		const answer = await response.json();
		expect(answer.code).toBe(code);
		expect(answer.message).toMatch(message);
	});

	it('refuses a body that is not JSON, a bad setting, and an unknown file', async () => {
		const notJson = await post('areas.csv', '{ plan: ');
		expect(notJson.status).toBe(400);
		expect((await notJson.json()).code).toBe('INVALID_JSON');
		const slow = await post('areas.csv', { ...body, speedMps: 0 });
		expect(slow.status).toBe(400);
		expect((await slow.json()).message).toMatch(/^speedMps: /);
		const date = await post('areas.csv', { ...body, date: '22.11.2026' });
		expect((await date.json()).message).toMatch(/date: expected YYYY-MM-DD/);
		const unknown = await post('summary.json', body);
		expect(unknown.status).toBe(404);
	});

	it('answers report.pdf without Chromium with a 503 JSON reason (the other files still served)', async () => {
		const saved = process.env.CHROMIUM_PATH;
		process.env.CHROMIUM_PATH = join(scratch, 'no-chromium');
		try {
			const response = await post('report.pdf', body);
			expect(response.status).toBe(503);
			const answer = await response.json();
			expect(answer.code).toBe('PDF_UNAVAILABLE');
			expect(answer.message).toContain('Chromium not found at');
			expect((await post('report.html', body)).status).toBe(200);
		} finally {
			if (saved === undefined) delete process.env.CHROMIUM_PATH;
			else process.env.CHROMIUM_PATH = saved;
		}
	});

	const write = (name: string, text: string) => {
		const path = join(scratch, name);
		writeFileSync(path, text);
		return path;
	};
	it.each([
		['not JSON', () => write('broken.json', '{ "planned": [ '), /--plan .*broken\.json: not JSON/],
		[
			'a station without a position',
			() =>
				write(
					'no-position.json',
					JSON.stringify({ planned: [{ ...PLAN.planned[0], position: undefined }] })
				),
			/--plan .*no-position\.json: planned\.0\.position: /
		],
		[
			'an unknown facility removed',
			() => write('unknown.json', JSON.stringify({ removed: ['nowhere'] })),
			/--plan .*unknown\.json: removed\.0: the region has no existing station "nowhere"/
		],
		['a missing file', () => join(scratch, 'absent.json'), /--plan .*absent\.json: no such file/]
	])('the CLI refuses a plan file: %s, naming the file and the field', (_, file, message) => {
		const out = join(scratch, 'refused');
		const result = analyze(['--region', DEMO, '--plan', file(), '--no-pdf', '--out', out]);
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/^error: /);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).not.toContain('this is a bug');
		expect(existsSync(out)).toBe(false);
	});

	it('the CLI says how to go on without Chromium (--no-pdf), and writes nothing', () => {
		const out = join(scratch, 'no-chromium-out');
		const result = analyze(['--region', DEMO, '--out', out], {
			CHROMIUM_PATH: join(scratch, 'no-chromium')
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/Chromium not found at .*or pass --no-pdf/);
		expect(existsSync(out)).toBe(false);
	});
});
