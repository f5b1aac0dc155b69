/**
 * The workspace state class without a browser: the engine host runs in process behind the same
 * client the page uses, and `fetch` serves the API from the repository's files. Checks undo/redo
 * of planned stations, one history entry per drag, profile switching and cancelled runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { regionGraph } from '../../src/lib/server/region-graph.ts';
import { readRegion } from '../../src/lib/server/region-store.ts';
import { EngineClient, type WorkerPort } from '../../src/lib/worker/engine-client.ts';
import { createEngineHost } from '../../src/lib/worker/engine-host.ts';
import type { FromEngine, ToEngine } from '../../src/lib/worker/protocol.ts';
import { Workspace } from '../../src/lib/ui/map/workspace.svelte.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const regionsDir = join(repoRoot, 'data', 'regions');

/** @param replies every reply of the host is also pushed here (to count runs and cancels) */
function inProcessPort(replies: FromEngine[] = []): WorkerPort {
	const listeners: ((event: { data: FromEngine }) => void)[] = [];
	const host = createEngineHost((message) => {
		replies.push(message);
		listeners.forEach((listener) => listener({ data: structuredClone(message) }));
	});
	return {
		postMessage: (message: ToEngine) => host(structuredClone(message)),
		addEventListener: (_type, listener) => listeners.push(listener)
	};
}

const inProcessEngine = () => ({ client: new EngineClient(inProcessPort()), terminate() {} });

/** The three API routes the workspace calls, answered from the files. */
async function fakeFetch(input: string | URL | Request): Promise<Response> {
	const url = String(input);
	let match = /^\/api\/regions\/([^/]+)$/.exec(url);
	if (match) {
		const region = readRegion(regionsDir, match[1]);
		return Response.json({
			meta: region.meta,
			boundaries: region.layers.boundaries,
			residential: region.layers.residential,
			facilities: region.layers.facilities,
			communities: region.communities
		});
	}
	match = /^\/api\/regions\/([^/]+)\/graph\.bin$/.exec(url);
	if (match) {
		const graph = regionGraph(regionsDir, match[1]);
		return graph
			? new Response(graph.buffer.slice(0) as ArrayBuffer)
			: new Response(null, { status: 204 });
	}
	match = /^\/api\/profiles\/([^/]+)$/.exec(url);
	if (match) return new Response(readFileSync(join(repoRoot, 'data/profiles', `${match[1]}.json`)));
	return new Response('not found', { status: 404 });
}

describe('Workspace', () => {
	beforeAll(() => vi.stubGlobal('fetch', fakeFetch));
	afterAll(() => vi.unstubAllGlobals());

	it('opens the demo region with its default profile and the baseline coverage', async () => {
		const workspace = new Workspace(inProcessEngine);
		await workspace.open('shanghai-bund-lujiazui');
		expect(workspace.error).toBeNull();
		expect(workspace.profileId).toBe('qingdao-laoshan-2024');
		expect(workspace.hasNetwork).toBe(true);
		expect(workspace.result?.analysis.summary.eldersCovered).toBe(7379);
		expect(workspace.timings.firstRunMs).toBeGreaterThan(0);
	});

	it('adds, drags (one undo step), deletes, undoes and redoes planned stations', async () => {
		const workspace = new Workspace(inProcessEngine);
		await workspace.open('shanghai-bund-lujiazui');
		await workspace.addStation([121.5185, 31.2397]);
		await workspace.addStation([121.513, 31.237]);
		expect(workspace.planned.map((s) => s.id)).toEqual(['planned-1', 'planned-2']);
		expect(workspace.result?.analysis.facilities.map((f) => f.id)).toContain('planned-2');
		const withTwo = workspace.result!.analysis.summary.eldersCovered!;
		expect(withTwo).toBeGreaterThan(7379);
		expect(workspace.result?.eldersCoveredChange).toBe(withTwo - 7379);

		for (let step = 1; step <= 5; step++)
			await workspace.dragStation('planned-1', [121.5185 - step * 0.001, 31.2397]);
		workspace.dropStation();
		expect(workspace.planned[0].position[0]).toBeCloseTo(121.5135, 6);
		await workspace.undo();
		expect(workspace.planned[0].position).toEqual([121.5185, 31.2397]);
		await workspace.redo();
		expect(workspace.planned[0].position[0]).toBeCloseTo(121.5135, 6);

		await workspace.deleteStation('planned-2');
		expect(workspace.planned.map((s) => s.id)).toEqual(['planned-1']);
		await workspace.undo();
		expect(workspace.planned.map((s) => s.id)).toEqual(['planned-1', 'planned-2']);
		expect(workspace.canRedo).toBe(true);
		await workspace.addStation([121.51, 31.235]);
		expect(workspace.canRedo).toBe(false); // a new edit drops the redo branch
		expect(workspace.planned.map((s) => s.id)).toEqual(['planned-1', 'planned-2', 'planned-3']);
	});

	it('recomputes with another profile and other settings', async () => {
		const workspace = new Workspace(inProcessEngine);
		await workspace.open('shanghai-bund-lujiazui');
		await workspace.setProfile('donge-2023');
		expect(workspace.result?.analysis.settings.profileId).toBe('donge-2023');
		// Dong'e: 15 m² per 100 existing households and at least 200 m² per site.
		const area = workspace.result!.analysis.areas.find((a) => a.id === 'osm-497032154')!;
		expect(area.requiredM2).toBe(Math.max((area.households! * 15) / 100, 200));
		await workspace.setSettings({ maxMinutes: 10, walkSpeedMps: 0.8 });
		expect(workspace.result?.analysis.settings).toMatchObject({
			maxMinutes: 10,
			walkSpeedMps: 0.8
		});
		expect(workspace.result!.analysis.summary.eldersCovered!).toBeLessThan(7379);
	});

	it('keeps only the latest of runs started together (a drag in progress)', async () => {
		const replies: FromEngine[] = [];
		const workspace = new Workspace(() => ({
			client: new EngineClient(inProcessPort(replies)),
			terminate() {}
		}));
		await workspace.open('shanghai-bund-lujiazui');
		await workspace.addStation([121.5185, 31.2397]);
		replies.length = 0;
		const runs = [1, 2, 3, 4].map((step) =>
			workspace.dragStation('planned-1', [121.5185 - step * 0.002, 31.2397])
		);
		await Promise.all(runs);
		expect(workspace.error).toBeNull();
		// The three superseded positions were dropped in the worker before running (the replies
		// that ran are the last position and its isochrone: the station is selected).
		const cancelled = replies.filter((reply) => 'ok' in reply && !reply.ok);
		expect(cancelled.map((reply) => ('code' in reply ? reply.code : ''))).toEqual([
			'CANCELLED',
			'CANCELLED',
			'CANCELLED'
		]);
		const planned = workspace.result!.analysis.facilities.find((f) => f.id === 'planned-1')!;
		expect(planned.catchmentAreas).not.toBeNull();
		expect(workspace.planned[0].position[0]).toBeCloseTo(121.5105, 6);
	});

	it('suggests sites, accepts one as a planned station, and restarts the engine on cancel', async () => {
		let started = 0;
		let terminated = 0;
		const workspace = new Workspace(() => {
			started++;
			return { client: new EngineClient(inProcessPort()), terminate: () => void terminated++ };
		});
		await workspace.open('shanghai-bund-lujiazui');
		await workspace.runSiting({
			mode: 'mclp',
			k: 2,
			candidates: { source: 'network', spacingM: 50 },
			newStation: { kind: 'community_station', floorAreaM2: 300 },
			exact: false
		});
		expect(workspace.siting?.sites).toHaveLength(2);
		expect(workspace.siting?.method).toBe('greedy');
		const first = workspace.siting!.sites[0];
		await workspace.acceptSites([first.id]);
		expect(workspace.planned).toHaveLength(1);
		expect(workspace.planned[0]).toMatchObject({
			position: [first.lon, first.lat],
			floorAreaM2: 300
		});
		expect(workspace.siting?.sites).toHaveLength(1);
		expect(workspace.result!.analysis.summary.eldersCovered).toBe(7379 + first.gainElders);

		// Cancel while a run is in progress: a new engine, the region reopened, the plan kept.
		const running = workspace.runSiting({
			mode: 'lscp',
			targetShare: 1,
			candidates: { source: 'network' },
			newStation: { kind: 'community_station', floorAreaM2: 300 },
			exact: false
		});
		await workspace.cancelSiting();
		expect([started, terminated]).toEqual([2, 1]);
		expect(workspace.sitingTask).toBeNull();
		expect(workspace.planned).toHaveLength(1);
		expect(workspace.result!.analysis.summary.eldersCovered).toBe(7379 + first.gainElders);
		await running; // the stopped engine's call was rejected, and nothing of it is shown
		expect(workspace.siting?.sites).toHaveLength(1);
		expect(workspace.error).toBeNull();
	});

	it('takes the existing meal point out of the plan, moves it, and undoes both', async () => {
		const workspace = new Workspace(inProcessEngine);
		await workspace.open('shanghai-bund-lujiazui');
		const mealPoint = workspace.region!.facilities![0].properties.id;
		await workspace.toggleRemoved(mealPoint);
		expect(workspace.removed).toEqual([mealPoint]);
		expect(workspace.result!.analysis.summary.eldersCovered).toBe(0); // the only facility
		expect(workspace.result!.eldersCoveredChange).toBe(-7379);
		await workspace.toggleRemoved(mealPoint);
		expect(workspace.result!.analysis.summary.eldersCovered).toBe(7379);

		// Dragged onto 梅一小区: one undo step, and the region's own data is untouched.
		for (let step = 1; step <= 3; step++)
			await workspace.dragStation(mealPoint, [
				121.5122903 + step * 0.0021,
				31.2389517 + step * 0.0003
			]);
		workspace.dropStation();
		expect(workspace.moved[mealPoint][0]).toBeCloseTo(121.5185903, 6);
		expect(workspace.region!.facilities![0].geometry.coordinates[0]).toBe(121.5122903);
		const movedCovered = workspace.result!.analysis.summary.eldersCovered!;
		expect(movedCovered).not.toBe(7379);
		await workspace.undo();
		expect(workspace.moved).toEqual({});
		expect(workspace.result!.analysis.summary.eldersCovered).toBe(7379);
		await workspace.undo();
		expect(workspace.removed).toEqual([mealPoint]);
	});

	it('opens Laoshan without a network and says so', async () => {
		const workspace = new Workspace(inProcessEngine);
		await workspace.open('qingdao-laoshan');
		expect(workspace.hasNetwork).toBe(false);
		expect(workspace.result?.analysis.streets).toHaveLength(5);
		expect(workspace.result?.eldersCoveredChange).toBeNull();
	});
});
