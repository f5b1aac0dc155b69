/**
 * State of the map workspace (issue 5): the open region and profile, walking settings, the
 * planned stations (with undo / redo), and the engine's latest result. Big values (results,
 * layers) are `$state.raw`: replaced whole, never deep-proxied. All engine work goes through the
 * worker client; a newer request cancels an older one that has not started (dragging).
 */
import type {
	Isochrone,
	PlannedStation,
	SessionResult,
	SitingService,
	WalkSettings
} from '$lib/engine/session/what-if.ts';
import { DEFAULT_WALK_SETTINGS } from '$lib/engine/session/what-if.ts';
import type {
	BoundaryFeature,
	CommunityCode,
	FacilityFeature,
	FacilityKind,
	RegionMeta,
	ResidentialFeature
} from '$lib/engine/region/schema.ts';
import type { SitingOutcome, SitingRequest } from '$lib/engine/siting/run.ts';
import type {
	ProjectEvaluation,
	ProjectFacilityInput,
	ProjectInput
} from '$lib/engine/evaluation/types.ts';
import type { EngineClient } from '$lib/worker/engine-client.ts';
import { analyzeTargets, type TargetsResult } from '$lib/engine/targets/targets.ts';
import type { IndicatorRow } from '$lib/engine/region/indicators.ts';
import { localDate } from './export-request.ts';

/** A running engine: the client, and how to stop it (a worker is terminated, then restarted). */
export interface Engine {
	client: EngineClient;
	terminate(): void;
}

export interface RegionPayload {
	meta: RegionMeta;
	boundaries: BoundaryFeature[] | null;
	residential: ResidentialFeature[] | null;
	facilities: FacilityFeature[] | null;
	communities: CommunityCode[] | null;
	/** The region's indicator table (issue 16); absent or null = none imported. */
	indicators?: IndicatorRow[] | null;
}

export type Selection = { kind: 'area' | 'facility'; id: string } | null;

/** What undo / redo step through: planned stations and the edits to existing ones. */
interface Plan {
	planned: PlannedStation[];
	moved: Record<string, [number, number]>;
	removed: string[];
}
/** meal: minutes to the nearest meal provider (only when the profile has a meal circle). */
export type ColorBy = 'verdict' | 'minutes' | 'meal';

/** The gap measure drawn on street or district polygons. */
export interface Choropleth {
	level: 'street' | 'district';
	/** share of elders within the circle; m² floor-area deficit; welfare land per elder (districts). */
	measure: 'share' | 'deficit' | 'land' | 'overdue';
}

/** Timings of the last open and run, ms (shown in the status line and read by the e2e suite). */
export interface Timings {
	openMs: number | null;
	firstRunMs: number | null;
	lastRunMs: number | null;
	lastEngineMs: number | null;
}

async function fetchJson<T>(url: string): Promise<T> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

export class Workspace {
	regionId = $state('');
	profileId = $state('');
	region = $state.raw<RegionPayload | null>(null);
	settings = $state<WalkSettings>({ ...DEFAULT_WALK_SETTINGS });
	planned = $state.raw<PlannedStation[]>([]);
	result = $state.raw<SessionResult | null>(null);
	isochrone = $state.raw<Isochrone | null>(null);
	selected = $state<Selection>(null);
	colorBy = $state<ColorBy>('verdict');
	choropleth = $state<Choropleth>({ level: 'district', measure: 'share' });
	addMode = $state(false);
	newStation = $state<{ kind: FacilityKind; floorAreaM2: number }>({
		kind: 'community_station',
		floorAreaM2: 300
	});
	busy = $state(false);
	error = $state<string | null>(null);
	timings = $state<Timings>({
		openMs: null,
		firstRunMs: null,
		lastRunMs: null,
		lastEngineMs: null
	});
	hasNetwork = $state(false);
	/** The date the targets are judged on: today, in the user's time zone (YYYY-MM-DD). */
	targetsDate = $state(localDate());
	/** The profile's targets on `targetsDate`, from the result and the region's indicator table. */
	targets = $derived<TargetsResult | null>(
		this.result
			? analyzeTargets({
					analysis: this.result.analysis,
					indicators: this.region?.indicators ?? null,
					date: this.targetsDate,
					meal: this.result.meal
				})
			: null
	);

	/** Existing facilities moved or taken out in the plan (saved with scenarios). */
	moved = $state.raw<Record<string, [number, number]>>({});
	removed = $state.raw<string[]>([]);
	private history: Plan[] = [];
	private future: Plan[] = [];
	canUndo = $state(false);
	canRedo = $state(false);
	private running: AbortController | null = null;
	private nextStation = 1;
	private engine: Engine;
	private readonly startEngine: () => Engine;
	/** What `open` sent, kept to reopen the region in a restarted worker (the graph was transferred). */
	private openArgs: { graph: ArrayBuffer | null; region: RegionPayload; profile: unknown } | null =
		null;

	/** Suggested sites of the last siting run (not yet planned), and the run in progress. */
	siting = $state.raw<(SitingOutcome & { solver: string | null }) | null>(null);
	sitingTask = $state<{ label: string; done: number; total: number } | null>(null);

	constructor(startEngine: () => Engine) {
		this.startEngine = startEngine;
		this.engine = startEngine();
	}

	private get client(): EngineClient {
		return this.engine.client;
	}

	/** Load a region (layers, walking graph, profile) into the worker and run the baseline. */
	async open(regionId: string, profileId?: string): Promise<void> {
		const started = performance.now();
		this.busy = true;
		this.error = null;
		try {
			// The graph does not depend on region.json: both requests go out at once.
			const graphRequest = fetch(`/api/regions/${encodeURIComponent(regionId)}/graph.bin`);
			graphRequest.catch(() => undefined); // awaited below; not unhandled if region.json fails first
			const region = await fetchJson<RegionPayload>(`/api/regions/${encodeURIComponent(regionId)}`);
			performance.mark('carecircle:region');
			const id = profileId ?? region.meta.defaultProfile;
			const profileRequest = fetchJson<unknown>(`/api/profiles/${encodeURIComponent(id)}`);
			// The new region replaces the old one together with its result and plan, so no panel or
			// layer pairs one region's areas with another's result while the worker computes.
			this.result = null;
			this.siting = null;
			this.region = region;
			this.regionId = regionId;
			this.profileId = id;
			this.planned = [];
			this.moved = {};
			this.removed = [];
			this.history = [];
			this.future = [];
			this.syncHistoryFlags();
			this.selected = null;
			this.isochrone = null;
			const [graphResponse, profile] = await Promise.all([graphRequest, profileRequest]);
			if (!graphResponse.ok && graphResponse.status !== 204)
				throw new Error(`graph.bin: ${graphResponse.status} ${await graphResponse.text()}`);
			const graph = graphResponse.status === 204 ? null : await graphResponse.arrayBuffer();
			this.openArgs = { graph: graph?.slice(0) ?? null, region, profile };
			performance.mark('carecircle:fetched');
			await this.sendOpen(graph, region, profile);
			performance.mark('carecircle:opened');
			this.hasNetwork = graph !== null;
			this.timings.openMs = performance.now() - started;
			await this.run();
			performance.mark('carecircle:first-result');
			this.timings.firstRunMs = performance.now() - started;
		} catch (error) {
			this.error = (error as Error).message;
		} finally {
			this.busy = false;
		}
	}

	private sendOpen(graph: ArrayBuffer | null, region: RegionPayload, profile: unknown) {
		return this.client.call(
			'open',
			{
				graph,
				region: {
					// The whole region.json: project evaluation prints its sources and estimates.
					meta: region.meta,
					boundaries: region.boundaries,
					residential: region.residential,
					facilities: region.facilities,
					communities: region.communities,
					indicators: region.indicators ?? null
				},
				profile
			},
			{ transfer: graph ? [graph] : [] }
		);
	}

	async setProfile(profileId: string): Promise<void> {
		try {
			const profile = await fetchJson<unknown>(`/api/profiles/${encodeURIComponent(profileId)}`);
			await this.client.call('setProfile', { profile });
			if (this.openArgs) this.openArgs.profile = profile;
			this.profileId = profileId;
			await this.run();
		} catch (error) {
			this.error = (error as Error).message;
		}
	}

	setSettings(change: Partial<WalkSettings>): Promise<void> {
		this.settings = { ...this.settings, ...change };
		return this.run();
	}

	/** Recompute with the current settings and planned stations; a newer call cancels this one. */
	async run(): Promise<void> {
		this.running?.abort();
		const controller = new AbortController();
		this.running = controller;
		const started = performance.now();
		try {
			const { result, engineMs } = await this.client.call(
				'run',
				{
					settings: $state.snapshot(this.settings),
					planned: this.planned,
					edits: this.edits
				},
				{ signal: controller.signal }
			);
			this.result = result;
			this.timings.lastRunMs = performance.now() - started;
			this.timings.lastEngineMs = engineMs;
			this.error = null;
			if (this.selected?.kind === 'facility') await this.loadIsochrone(this.selected.id);
		} catch (error) {
			if ((error as Error).name !== 'AbortError') this.error = (error as Error).message;
		}
	}

	async select(selection: Selection): Promise<void> {
		this.selected = selection;
		if (selection?.kind === 'facility') await this.loadIsochrone(selection.id);
		else this.isochrone = null;
	}

	private async loadIsochrone(facilityId: string): Promise<void> {
		if (!this.hasNetwork) return;
		const { result } = await this.client.call('isochrone', {
			facilityId,
			settings: $state.snapshot(this.settings)
		});
		if (this.selected?.kind === 'facility' && this.selected.id === facilityId)
			this.isochrone = result;
	}

	// ------------------------------------------------------------ planned stations, undo / redo

	private syncHistoryFlags() {
		this.canUndo = this.history.length > 0;
		this.canRedo = this.future.length > 0;
	}

	private get edits() {
		return { moved: this.moved, removed: this.removed };
	}

	private snapshot(): Plan {
		return { planned: this.planned, moved: this.moved, removed: this.removed };
	}

	private restore(plan: Plan) {
		this.planned = plan.planned;
		this.moved = plan.moved;
		this.removed = plan.removed;
	}

	/** One undo step: the plan before, then the change. */
	private commit(change: Partial<Plan>): Promise<void> {
		this.history.push(this.snapshot());
		this.future = [];
		this.restore({ ...this.snapshot(), ...change });
		this.syncHistoryFlags();
		return this.run();
	}

	addStation(position: [number, number]): Promise<void> {
		const taken = [
			...(this.region?.facilities ?? []).map((f) => f.properties.id),
			...this.planned.map((s) => s.id)
		];
		let id = `planned-${this.nextStation++}`;
		while (taken.includes(id)) id = `planned-${this.nextStation++}`;
		const station: PlannedStation = {
			id,
			name: `规划站点 ${id.slice('planned-'.length)}`,
			kind: this.newStation.kind,
			floorAreaM2: this.newStation.floorAreaM2,
			position
		};
		this.selected = { kind: 'facility', id };
		return this.commit({ planned: [...this.planned, station] });
	}

	private dragStart: Plan | null = null;

	/**
	 * While dragging a planned station or an existing facility: move without a history entry,
	 * recompute at once (an existing facility's move is part of the plan, not of the region).
	 */
	dragStation(id: string, position: [number, number]): Promise<void> {
		this.dragStart ??= this.snapshot();
		if (this.planned.some((s) => s.id === id))
			this.planned = this.planned.map((s) => (s.id === id ? { ...s, position } : s));
		else this.moved = { ...this.moved, [id]: position };
		return this.run();
	}

	/** Take an existing facility out of the plan, or put it back (and back in its place). */
	toggleRemoved(id: string): Promise<void> {
		if (this.removed.includes(id))
			return this.commit({ removed: this.removed.filter((other) => other !== id) });
		return this.commit({ removed: [...this.removed, id] });
	}

	/** Put a moved existing facility back where the region's data has it. */
	resetMoved(id: string): Promise<void> {
		const moved = { ...this.moved };
		delete moved[id];
		return this.commit({ moved });
	}

	/** Drop: one history entry for the whole drag. */
	dropStation(): void {
		if (!this.dragStart) return;
		this.history.push(this.dragStart);
		this.future = [];
		this.dragStart = null;
		this.syncHistoryFlags();
	}

	updateStation(
		id: string,
		change: Partial<Pick<PlannedStation, 'name' | 'kind' | 'floorAreaM2'>>
	): Promise<void> {
		return this.commit({
			planned: this.planned.map((s) => (s.id === id ? { ...s, ...change } : s))
		});
	}

	deleteStation(id: string): Promise<void> {
		if (this.selected?.id === id) this.select(null);
		return this.commit({ planned: this.planned.filter((s) => s.id !== id) });
	}

	// ------------------------------------------------------------ project evaluation (issue 7)

	/** The project being checked: drawn vertices (a closed ring once finished) and its plan. */
	project = $state<{
		name: string;
		status: 'new' | 'existing';
		households: number | null;
		residentialFloorAreaM2: number | null;
		dwellingM2: number;
		facilities: ProjectFacilityInput[];
	}>({
		name: '新建居住项目',
		status: 'new',
		households: 600,
		residentialFloorAreaM2: null,
		dwellingM2: 90,
		facilities: []
	});
	projectRing = $state.raw<[number, number][]>([]);
	projectClosed = $state(false);
	/** What a map click does: nothing special, add a boundary vertex, or place a project facility. */
	drawing = $state<'off' | 'boundary' | 'facility'>('off');
	evaluation = $state.raw<{ evaluation: ProjectEvaluation; html: string } | null>(null);

	/** A map click while drawing; true when the click was used. */
	drawAt(position: [number, number]): boolean {
		if (this.drawing === 'boundary') {
			this.projectRing = [...this.projectRing, position];
			this.projectClosed = false;
			return true;
		}
		if (this.drawing === 'facility') {
			const n = this.project.facilities.length + 1;
			this.project.facilities = [
				...this.project.facilities,
				{
					id: `project-facility-${n}`,
					name: `项目配建设施 ${n}`,
					kind: this.newStation.kind,
					floorAreaM2: this.newStation.floorAreaM2,
					position
				}
			];
			this.drawing = 'off';
			return true;
		}
		return false;
	}

	finishBoundary(): void {
		if (this.projectRing.length >= 3) this.projectClosed = true;
		this.drawing = 'off';
	}

	clearProject(): void {
		this.projectRing = [];
		this.projectClosed = false;
		this.project.facilities = [];
		this.evaluation = null;
	}

	/** A boundary read from a file (GeoJSON / zipped SHP, CRS converted): its outer ring. */
	setBoundary(ring: [number, number][]): void {
		this.projectRing =
			ring[0][0] === ring.at(-1)?.[0] && ring[0][1] === ring.at(-1)?.[1] ? ring.slice(0, -1) : ring;
		this.projectClosed = true;
	}

	projectInput(): ProjectInput {
		const ring = [...this.projectRing, this.projectRing[0]];
		const project = $state.snapshot(this.project);
		return {
			name: project.name,
			boundary: { type: 'Polygon', coordinates: [ring] },
			status: project.status,
			households: project.households,
			residentialFloorAreaM2: project.residentialFloorAreaM2,
			dwellingM2: project.dwellingM2,
			facilities: project.facilities
		};
	}

	/** Check the project with the current plan's stations; the verdict and the printable report. */
	async evaluateProject(): Promise<void> {
		this.error = null;
		try {
			const { result } = await this.client.call('evaluate', {
				project: this.projectInput(),
				settings: $state.snapshot(this.settings),
				planned: this.planned,
				edits: this.edits,
				// Today in the user's time zone, YYYY-MM-DD (the sv-SE locale writes dates that way).
				generatedAt: new Intl.DateTimeFormat('sv-SE').format(Date.now())
			});
			this.evaluation = result;
		} catch (error) {
			this.error = (error as Error).message;
		}
	}

	// ------------------------------------------------------------ siting (issue 6)

	/** Suggest new stations; progress in `sitingTask`, result in `siting` (shown, not yet planned). */
	async runSiting(request: SitingRequest, service: SitingService = 'care'): Promise<void> {
		this.sitingTask = { label: 'candidates', done: 0, total: 3 };
		this.error = null;
		const engine = this.engine;
		try {
			const { result } = await engine.client.call(
				'site',
				{
					request: $state.snapshot(request) as SitingRequest,
					settings: $state.snapshot(this.settings),
					planned: this.planned,
					edits: this.edits,
					service
				},
				{ onProgress: (progress) => (this.sitingTask = progress) }
			);
			if (engine === this.engine) this.siting = result; // not from a cancelled engine
		} catch (error) {
			if ((error as Error).name !== 'AbortError') this.error = (error as Error).message;
		} finally {
			if (engine === this.engine) this.sitingTask = null;
		}
	}

	/**
	 * Stop a siting run: the solver cannot be interrupted inside the worker, so the worker is
	 * replaced and the region reopened (from the kept copy of the graph) with the same plan.
	 */
	async cancelSiting(): Promise<void> {
		if (!this.sitingTask || !this.openArgs) return;
		this.engine.client.dispose();
		this.engine.terminate();
		this.engine = this.startEngine();
		this.sitingTask = null;
		const { graph, region, profile } = this.openArgs;
		await this.sendOpen(graph?.slice(0) ?? null, region, profile);
		await this.run();
	}

	/** Plan suggested sites (all, or the given ids) as stations of the chosen kind and floor area. */
	acceptSites(ids?: string[]): Promise<void> {
		const outcome = this.siting;
		if (!outcome) return Promise.resolve();
		const accepted = outcome.sites.filter((site) => !ids || ids.includes(site.id));
		const taken = [
			...(this.region?.facilities ?? []).map((f) => f.properties.id),
			...this.planned.map((s) => s.id)
		];
		const stations: PlannedStation[] = accepted.map((site) => {
			let id = `planned-${this.nextStation++}`;
			while (taken.includes(id)) id = `planned-${this.nextStation++}`;
			taken.push(id);
			return {
				id,
				name: site.name,
				kind: outcome.request.newStation.kind,
				floorAreaM2: outcome.request.newStation.floorAreaM2,
				position: [site.lon, site.lat]
			};
		});
		const remaining = outcome.sites.filter((site) => !accepted.includes(site));
		this.siting = remaining.length ? { ...outcome, sites: remaining } : null;
		return this.commit({ planned: [...this.planned, ...stations] });
	}

	dropSites(): void {
		this.siting = null;
	}

	/** Show a saved plan: its profile, settings, planned, moved and removed stations (one undo step). */
	async applyPlan(plan: {
		profileId: string;
		settings: WalkSettings;
		planned: PlannedStation[];
		moved?: Record<string, [number, number]>;
		removed?: string[];
	}): Promise<void> {
		if (plan.profileId !== this.profileId) {
			const profile = await fetchJson<unknown>(
				`/api/profiles/${encodeURIComponent(plan.profileId)}`
			);
			await this.client.call('setProfile', { profile });
			this.profileId = plan.profileId;
		}
		this.settings = { ...plan.settings };
		this.selected = null;
		this.isochrone = null;
		return this.commit({
			planned: plan.planned.map((station) => ({ ...station })),
			moved: { ...(plan.moved ?? {}) },
			removed: [...(plan.removed ?? [])]
		});
	}

	undo(): Promise<void> {
		const previous = this.history.pop();
		if (!previous) return Promise.resolve();
		this.future.push(this.snapshot());
		this.restore(previous);
		this.syncHistoryFlags();
		return this.run();
	}

	redo(): Promise<void> {
		const next = this.future.pop();
		if (!next) return Promise.resolve();
		this.history.push(this.snapshot());
		this.restore(next);
		this.syncHistoryFlags();
		return this.run();
	}
}
