/**
 * The engine's worker protocol (issue 5): calls and replies through EngineClient, cancellation of
 * superseded calls, errors with codes, and the same session running in a worker thread with
 * Node's globals removed — the proof that the engine is worker-safe. The worker's analysis must
 * equal `analyzeRegion` on the same inputs (what `npm run analyze` writes).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRegion } from '../../src/lib/engine/analysis/analyze.ts';
import { computeCoverage } from '../../src/lib/engine/coverage/coverage.ts';
import { WalkSearch } from '../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../src/lib/engine/graph/snap.ts';
import type { PlannedStation, SessionRegion } from '../../src/lib/engine/session/what-if.ts';
import { EngineClient, type WorkerPort } from '../../src/lib/worker/engine-client.ts';
import { createEngineHost } from '../../src/lib/worker/engine-host.ts';
import type { FromEngine, ToEngine } from '../../src/lib/worker/protocol.ts';
import { loadRegionGraph } from '../../scripts/graph-cache.ts';
import { loadHighsSolver } from '../../src/lib/server/milp-highs.ts';
import { profile, region } from '../engine/analysis/fixtures/streets-rows.ts';
import { readFileSync } from 'node:fs';

const repoRoot = join(import.meta.dirname, '..', '..');
const demo = region('shanghai-bund-lujiazui');
const demoRegion: SessionRegion = {
	meta: { id: demo.meta.id, name: demo.meta.name },
	boundaries: demo.layers.boundaries,
	residential: demo.layers.residential,
	facilities: demo.layers.facilities,
	communities: demo.communities
};
const profileJson = JSON.parse(
	readFileSync(join(repoRoot, 'data/profiles/qingdao-laoshan-2024.json'), 'utf8')
);
const SETTINGS = { maxMinutes: 15, walkSpeedMps: 1.0, stepPenaltyS: 0 };
/** A planned 300 m² station in Lujiazui, outside every compound (see analysis/areas.test.ts). */
const PLANNED: PlannedStation = {
	id: 'planned-1',
	name: '规划站点 1',
	kind: 'community_station',
	floorAreaM2: 300,
	position: [121.513, 31.237]
};
const graphBuffer = () =>
	loadRegionGraph(
		join(repoRoot, 'data/regions/shanghai-bund-lujiazui'),
		demo.meta
	).graph.buffer.slice(0) as ArrayBuffer;

/** An in-process port pair: the client's messages go to the host and back, structured-cloned. */
function inProcessPort(): WorkerPort {
	const listeners: ((event: { data: FromEngine }) => void)[] = [];
	const host = createEngineHost(
		(message) => listeners.forEach((listener) => listener({ data: structuredClone(message) })),
		{ loadSolver: loadHighsSolver }
	);
	return {
		postMessage: (message: ToEngine) => host(structuredClone(message)),
		addEventListener: (_type, listener) => listeners.push(listener)
	};
}

describe('engine protocol, in process', () => {
	const client = new EngineClient(inProcessPort());

	it('refuses to run before a region is open, with a code', async () => {
		await expect(client.call('run', { settings: SETTINGS, planned: [] })).rejects.toMatchObject({
			code: 'NOT_OPEN'
		});
	});

	it('rejects a broken profile with the parser’s message', async () => {
		await expect(
			client.call('open', { graph: null, region: demoRegion, profile: { id: 'x' } })
		).rejects.toMatchObject({
			code: 'INVALID_PROFILE',
			message: expect.stringContaining('profile (sent to the worker)')
		});
	});

	it('gives the same analysis as analyzeRegion, and the planned station’s gain per street', async () => {
		const opened = await client.call('open', {
			graph: graphBuffer(),
			region: demoRegion,
			profile: profileJson
		});
		expect(opened.result).toMatchObject({ nodes: 4721, directedEdges: 10638 });

		const { graph } = loadRegionGraph(
			join(repoRoot, 'data/regions/shanghai-bund-lujiazui'),
			demo.meta
		);
		const direct = analyzeRegion({
			meta: demo.meta,
			boundaries: demo.layers.boundaries,
			residential: demo.layers.residential,
			facilities: demo.layers.facilities,
			communities: demo.communities,
			profile: profile('qingdao-laoshan-2024'),
			coverage: computeCoverage(
				new SegmentIndex(graph),
				new WalkSearch(graph),
				demo.layers.residential!,
				demo.layers.facilities!,
				SETTINGS
			)
		});
		const baseline = (await client.call('run', { settings: SETTINGS, planned: [] })).result;
		expect(baseline.analysis.summary).toEqual(direct.summary);
		expect(baseline.analysis.streets).toEqual(direct.streets);
		expect(baseline.eldersCoveredChange).toBe(0);
		expect(Array.from(baseline.covered).filter((c) => c === 1).length).toBe(13);

		const withStation = (await client.call('run', { settings: SETTINGS, planned: [PLANNED] }))
			.result;
		const gain = withStation.analysis.summary.eldersCovered! - direct.summary.eldersCovered!;
		expect(gain).toBeGreaterThan(0);
		expect(withStation.eldersCoveredChange).toBe(gain);
		expect(withStation.streets.reduce((sum, s) => sum + (s.eldersCoveredChange ?? 0), 0)).toBe(
			gain
		);
		expect(withStation.analysis.facilities.map((f) => f.id)).toContain('planned-1');

		const isochrone = (
			await client.call('isochrone', { facilityId: 'planned-1', settings: SETTINGS })
		).result;
		expect(isochrone?.reached.coordinates.length).toBeGreaterThan(10);
		expect(['Polygon', 'MultiPolygon']).toContain(isochrone?.band.type);
	});

	it('suggests 3 stations that bring every elder within the circle, exactly, with progress', async () => {
		const stages: string[] = [];
		const { result } = await client.call(
			'site',
			{
				request: {
					mode: 'mclp',
					k: 3,
					candidates: { source: 'network' },
					newStation: { kind: 'community_station', floorAreaM2: 300 }
				},
				settings: SETTINGS,
				planned: []
			},
			{ onProgress: (progress) => stages.push(progress.label) }
		);
		expect(result.solver).toMatch(/^HiGHS/);
		expect(result).toMatchObject({ method: 'exact', status: 'optimal', eldersBefore: 7379 });
		expect(result.eldersAfter).toBe(11814);
		expect(result.sites).toHaveLength(3);
		expect(stages).toEqual(['candidates', 'matrix', 'solve', 'done']);
	});

	it('meal circle (issue 16): its own minutes and providers; siting meal points counts only them', async () => {
		// A planned community station serves no meals: the care circle gains, the meal circle not.
		const care10 = (
			await client.call('run', { settings: { ...SETTINGS, maxMinutes: 10 }, planned: [PLANNED] })
		).result;
		const care15 = (await client.call('run', { settings: SETTINGS, planned: [PLANNED] })).result;
		expect(care15.analysis.summary.eldersCovered).toBeGreaterThan(7379);
		// Laoshan （十一）: 15 minutes to a meal_point, whatever the care circle's minutes.
		expect(care10.meal).toMatchObject({ maxMinutes: 15, providers: 1, eldersCovered: 7379 });
		expect(care15.meal?.eldersCovered).toBe(7379);
		expect(care15.mealVerdict?.status).toBe('reported');
		expect(care15.mealVerdict?.reason.ruleId).toBe('meal-service-circle');

		const site = (service: 'care' | 'meal') =>
			client.call('site', {
				request: {
					mode: 'mclp',
					k: 1,
					candidates: { source: 'network' },
					newStation: { kind: 'community_station', floorAreaM2: 300 },
					capacity: {},
					exact: false
				},
				settings: { ...SETTINGS, maxMinutes: 10 },
				planned: [PLANNED],
				service
			});
		const meal = (await site('meal')).result;
		expect(meal.eldersBefore).toBe(7379); // only the meal point is fixed, at its 15 minutes
		expect(meal.request.newStation).toEqual({ kind: 'meal_point', floorAreaM2: null });
		expect(meal.request.capacity).toBeNull();
		expect(meal.sites).toHaveLength(1);
		expect(meal.eldersAfter).toBeGreaterThan(7379);
		const care = (await site('care')).result;
		expect(care.request.newStation.kind).toBe('community_station');
		expect(care.eldersBefore).not.toBe(meal.eldersBefore);
	});

	it('drops a call cancelled before it starts (a superseded drag position)', async () => {
		const controller = new AbortController();
		const first = client.call(
			'run',
			{ settings: SETTINGS, planned: [PLANNED] },
			{ signal: controller.signal }
		);
		controller.abort();
		await expect(first).rejects.toMatchObject({ name: 'AbortError', code: 'CANCELLED' });
		const second = await client.call('run', { settings: SETTINGS, planned: [] });
		expect(second.result.analysis.summary.areas).toBe(18);
	});
});

describe('engine protocol in a worker thread without Node globals', () => {
	let worker: Worker;
	let client: EngineClient;
	let nodeGlobals: string[];
	beforeAll(async () => {
		worker = new Worker(new URL('./fixtures/browser-like-worker.ts', import.meta.url));
		const listeners: ((event: { data: FromEngine }) => void)[] = [];
		nodeGlobals = await new Promise<string[]>((resolve, reject) => {
			worker.once('error', reject);
			worker.on('message', (data) => {
				if (data?.ready) resolve(data.nodeGlobals);
				else listeners.forEach((listener) => listener({ data }));
			});
		});
		client = new EngineClient({
			postMessage: (message, transfer) => worker.postMessage(message, transfer),
			addEventListener: (_type, listener) => listeners.push(listener)
		});
	});
	afterAll(() => worker?.terminate());

	it('hides process, Buffer and require from the engine', () => {
		expect(nodeGlobals).toEqual([]);
	});

	it('opens the demo region from a transferred graph buffer and runs a what-if', async () => {
		const buffer = graphBuffer();
		const byteLength = buffer.byteLength;
		const opened = await client.call(
			'open',
			{ graph: buffer, region: demoRegion, profile: profileJson },
			{ transfer: [buffer] }
		);
		expect(buffer.byteLength, 'the buffer moved, not copied').toBe(0);
		expect(byteLength).toBeGreaterThan(100_000);
		expect(opened.result.nodes).toBe(4721);
		const run = await client.call('run', { settings: SETTINGS, planned: [PLANNED] });
		expect(run.result.minutes).toBeInstanceOf(Float32Array);
		expect(run.result.minutes.length).toBe(18);
		expect(run.result.eldersCoveredChange).toBeGreaterThan(0);
		expect(run.result.analysis.summary.areas).toBe(18);
	});
});
