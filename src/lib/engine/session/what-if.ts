/**
 * The map workspace's engine state (issue 5): one region's walking graph, layers and rule
 * profile, plus the planned stations the user adds, moves and deletes. Every `run` recomputes
 * coverage and the whole gap analysis (on the demo region ≈ 2–5 ms, well inside a frame, so no
 * incremental bookkeeping is needed yet) and compares it with the baseline — the same settings
 * without planned stations — per street. When the profile has a meal-assistance circle
 * (issue 16), the same plan's meal circle comes with it (coverage/meal-circle.ts).
 *
 * Pure engine code: it runs in the Web Worker (src/lib/worker) and in Node for the tests, and the
 * analysis it returns is the one `npm run analyze` writes for the same settings.
 */
import { analyzeRegion } from '../analysis/analyze.ts';
import type { Analysis } from '../analysis/types.ts';
import { computeCoverage, type CoverageResult } from '../coverage/coverage.ts';
import { isochroneBand, reachedEdges } from '../coverage/isochrone.ts';
import {
	computeMealCircle,
	mealCircleRule,
	mealCircleVerdict,
	mealProviders,
	mealStationKind,
	type MealCircleResult,
	type MealCircleVerdict
} from '../coverage/meal-circle.ts';
import type { RoadGraph } from '../graph/road-graph.ts';
import { WalkSearch } from '../graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex } from '../graph/snap.ts';
import type {
	BoundaryFeature,
	CommunityCode,
	FacilityFeature,
	FacilityKind,
	RegionMeta,
	ResidentialFeature
} from '../region/schema.ts';
import { DEFAULT_WALK } from '../rules/defaults.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import type { MilpSolver } from '../siting/milp.ts';
import { evaluateProject } from '../evaluation/evaluate.ts';
import { evaluationReportHtml } from '../evaluation/report-html.ts';
import type { ProjectEvaluation, ProjectInput } from '../evaluation/types.ts';
import type { IndicatorRow } from '../region/indicators.ts';
import { runSiting, type SitingOutcome, type SitingRequest } from '../siting/run.ts';
import type { MultiLineString, MultiPolygon, Polygon } from 'geojson';

export interface WalkSettings {
	/** The service circle, minutes (default 15). */
	maxMinutes: number;
	/** m/s (1.0 default, 0.8 frail elders). */
	walkSpeedMps: number;
	/** Extra seconds per flight of steps. */
	stepPenaltyS: number;
}

/** The walking settings of a session when none are given (rules/defaults.ts). */
export const DEFAULT_WALK_SETTINGS: WalkSettings = { ...DEFAULT_WALK };

/** A station the user placed on the map (not in the region's data). */
export interface PlannedStation {
	id: string;
	name: string;
	kind: FacilityKind;
	/** m²; null = not yet decided (counted as unknown, never as 0). */
	floorAreaM2: number | null;
	/** WGS84 [lon, lat]. */
	position: [number, number];
}

/** Changes to the region's own facilities in a plan: moved doors and facilities taken out. */
export interface StationEdits {
	/** Existing facility id → its new position, WGS84 [lon, lat]. */
	moved: Record<string, [number, number]>;
	/** Existing facility ids left out of the plan. */
	removed: string[];
}

export const NO_EDITS: StationEdits = { moved: {}, removed: [] };

/**
 * A plan on a region: stations planned on the map plus the edits to the region's own facilities.
 * The same shape is saved with a scenario, downloaded by the map's export panel as plan.json and
 * read by `npm run analyze -- --plan`.
 */
export interface StationPlan extends StationEdits {
	planned: PlannedStation[];
}

export const EMPTY_PLAN: StationPlan = { planned: [], moved: {}, removed: [] };

/** True when the plan changes nothing (the baseline). */
export function isEmptyPlan(plan: StationPlan): boolean {
	return plan.planned.length === 0 && plan.removed.length === 0 && !Object.keys(plan.moved).length;
}

/** A plan that does not fit the region's facilities; `field` names the entry (`removed.0`). */
export class PlanError extends Error {
	readonly code = 'PLAN_MISMATCH';
	/** Dotted path of the offending entry: `moved.<id>`, `removed.<i>`, `planned.<i>.id`. */
	readonly field: string;
	/** The message without the field. */
	readonly reason: string;
	constructor(field: string, reason: string) {
		super(`${field}: ${reason}`);
		this.name = 'PlanError';
		this.field = field;
		this.reason = reason;
	}
}

export interface SessionRegion {
	/** id and name at least; the whole region.json for project evaluation (bbox, sources, estimates). */
	meta: Pick<RegionMeta, 'id' | 'name'> & Partial<RegionMeta>;
	boundaries: BoundaryFeature[] | null;
	residential: ResidentialFeature[] | null;
	facilities: FacilityFeature[] | null;
	communities: CommunityCode[] | null;
	/** The region's indicator table (issue 16): the evaluation lists its street's targets. */
	indicators?: readonly IndicatorRow[] | null;
}

/** Change of one street against the baseline (no planned stations, same settings). */
export interface StreetDelta {
	code: string | null;
	name: string;
	eldersCovered: number | null;
	eldersCoveredChange: number | null;
	deficitM2: number;
	deficitM2Change: number;
}

/** What a siting run places: care stations (the 15-minute circle) or meal providers (issue 16). */
export type SitingService = 'care' | 'meal';

export interface SessionResult {
	analysis: Analysis;
	/** Per residential area (layer order): walking minutes to the nearest facility, NaN = none. */
	minutes: Float32Array;
	/** Per residential area: 1 within the circle, 0 outside, 255 unknown (no network). */
	covered: Uint8Array;
	/** Change in elders within the circle against the baseline; null without a network. */
	eldersCoveredChange: number | null;
	streets: StreetDelta[];
	/**
	 * The meal-assistance circle (助餐服务圈, issue 16) with the same plan: the profile's
	 * meal_service_circle minutes and facility kinds (a planned station of such a kind counts);
	 * null when the profile has no such rule or the region has no walking network.
	 */
	meal: MealCircleResult | null;
	/** The meal circle judged by its rule (mealCircleVerdict); null when the profile has none. */
	mealVerdict: MealCircleVerdict | null;
	/** Milliseconds of engine time for this run (coverage + analysis + baseline when recomputed). */
	engineMs: number;
}

export interface Isochrone {
	facilityId: string;
	reached: MultiLineString;
	band: Polygon | MultiPolygon;
}

/** performance.now() exists in browsers, workers and Node, but not in lib ES2022. */
const clock = (globalThis as unknown as { performance?: { now(): number } }).performance;
const now = () => clock?.now() ?? Date.now();

/**
 * A planned station as a facility feature of the region format.
 * @param source where it comes from (default: placed on the map)
 */
export function plannedFeature(
	station: PlannedStation,
	source = '规划方案（地图上添加） / planned on the map'
): FacilityFeature {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: station.position },
		properties: {
			id: station.id,
			name: station.name,
			kind: station.kind,
			floorAreaM2: station.floorAreaM2,
			landAreaM2: null,
			beds: null,
			nursingBeds: null,
			status: 'planned',
			streetCode: null,
			source,
			estimated: {}
		}
	};
}

/**
 * The region's facilities with a plan applied: moved facilities at their new positions, removed
 * ones left out (removal wins over a move), then the planned stations as `planned` facilities.
 * The one implementation behind the map's what-if, saved scenarios and the gap report of a plan.
 * @param facilities the region's facilities layer; null = the region has none (stays null for an
 *   empty plan: unknown, not "no facilities")
 * @param plan planned stations, moves and removals
 * @returns a new array (the input is not changed), or `facilities` itself for an empty plan
 * @throws PlanError for a moved or removed id the region does not have, a planned id used twice or
 *   already taken by an existing facility
 * @example facilitiesWithPlan(region.layers.facilities, { planned: [], moved: {}, removed: ['f-1'] })
 */
export function facilitiesWithPlan(
	facilities: readonly FacilityFeature[] | null,
	plan: StationPlan
): FacilityFeature[] | null {
	if (isEmptyPlan(plan)) return facilities as FacilityFeature[] | null;
	const existing = facilities ?? [];
	const ids = new Set(existing.map((facility) => facility.properties.id));
	for (const id of Object.keys(plan.moved))
		if (!ids.has(id))
			throw new PlanError(`moved.${id}`, `the region has no existing station "${id}"`);
	plan.removed.forEach((id, index) => {
		if (!ids.has(id))
			throw new PlanError(`removed.${index}`, `the region has no existing station "${id}"`);
	});
	const planned = new Set<string>();
	plan.planned.forEach((station, index) => {
		if (ids.has(station.id))
			throw new PlanError(
				`planned.${index}.id`,
				`"${station.id}" is the id of an existing station; give the planned one its own id`
			);
		if (planned.has(station.id))
			throw new PlanError(
				`planned.${index}.id`,
				`planned station id "${station.id}" is used twice`
			);
		planned.add(station.id);
	});
	const removed = new Set(plan.removed);
	const edited = existing
		.filter((facility) => !removed.has(facility.properties.id))
		.map((facility): FacilityFeature => {
			const position = Object.hasOwn(plan.moved, facility.properties.id)
				? plan.moved[facility.properties.id]
				: undefined;
			return position
				? {
						...facility,
						geometry: { type: 'Point', coordinates: [position[0], position[1]] }
					}
				: facility;
		});
	return [...edited, ...plan.planned.map((station) => plannedFeature(station))];
}

/**
 * @example
 * const session = new WhatIfSession(graph, region, profile);
 * session.setPlanned([{ id: 'p1', name: '新站', kind: 'community_station', floorAreaM2: 300, position: [121.513, 31.237] }]);
 * session.run({ maxMinutes: 15, walkSpeedMps: 1, stepPenaltyS: 0 }).eldersCoveredChange; // +elders
 */
export class WhatIfSession {
	readonly graph: RoadGraph | null;
	private readonly index: SegmentIndex | null;
	private readonly search: WalkSearch | null;
	private planned: PlannedStation[] = [];
	private edits: StationEdits = NO_EDITS;
	private baseline: { key: string; analysis: Analysis } | null = null;
	private mealCache: { key: string; result: MealCircleResult | null } | null = null;

	/**
	 * @param graph the region's walking graph, or null when it has none (walking checks skipped)
	 */
	readonly region: SessionRegion;
	private profile: RuleProfile;

	constructor(graph: RoadGraph | null, region: SessionRegion, profile: RuleProfile) {
		this.graph = graph;
		this.region = region;
		this.profile = profile;
		this.index = graph ? new SegmentIndex(graph) : null;
		this.search = graph ? new WalkSearch(graph) : null;
	}

	setProfile(profile: RuleProfile): void {
		this.profile = profile;
		this.baseline = null;
		this.mealCache = null;
	}

	/** Replace the planned stations (ids must be unique and differ from the region's). */
	setPlanned(stations: readonly PlannedStation[]): void {
		const ids = new Set((this.region.facilities ?? []).map((f) => f.properties.id));
		for (const station of stations) {
			if (ids.has(station.id))
				throw new RangeError(`planned station id "${station.id}" is already used`);
			ids.add(station.id);
		}
		this.planned = stations.map((station) => ({ ...station }));
	}

	/** Move or take out existing facilities in the plan (unknown ids are an error). */
	setEdits(edits: StationEdits): void {
		const ids = new Set((this.region.facilities ?? []).map((f) => f.properties.id));
		for (const id of [...Object.keys(edits.moved), ...edits.removed])
			if (!ids.has(id)) throw new RangeError(`no existing facility "${id}" to move or remove`);
		this.edits = { moved: { ...edits.moved }, removed: [...edits.removed] };
	}

	private get hasPlan(): boolean {
		return !isEmptyPlan({ planned: this.planned, ...this.edits });
	}

	/** The region's facilities, with the plan's moves, removals and planned stations when asked. */
	private facilities(withPlan: boolean): FacilityFeature[] | null {
		if (!withPlan) return this.region.facilities;
		return facilitiesWithPlan(this.region.facilities, { planned: this.planned, ...this.edits });
	}

	private analyze(
		settings: WalkSettings,
		facilities: FacilityFeature[] | null
	): { analysis: Analysis; coverage: CoverageResult | null } {
		// Gates and doors are snapped within the default 150 m (the CLI's --max-snap-m default).
		const residential = this.region.residential ?? [];
		const coverage =
			this.index && this.search
				? computeCoverage(this.index, this.search, residential, facilities ?? [], settings)
				: null;
		const analysis = analyzeRegion({
			meta: this.region.meta,
			boundaries: this.region.boundaries,
			residential: this.region.residential,
			facilities,
			communities: this.region.communities,
			profile: this.profile,
			coverage,
			walk: settings
		});
		return { analysis, coverage };
	}

	/** Coverage and gap analysis with the planned stations, compared with the baseline. */
	run(settings: WalkSettings = DEFAULT_WALK_SETTINGS): SessionResult {
		const started = now();
		const key = JSON.stringify([settings, this.profile.id, this.profile.version]);
		if (this.baseline?.key !== key)
			this.baseline = { key, analysis: this.analyze(settings, this.facilities(false)).analysis };
		const analysis = !this.hasPlan
			? this.baseline.analysis
			: this.analyze(settings, this.facilities(true)).analysis;

		const count = analysis.areas.length;
		const minutes = new Float32Array(count);
		const covered = new Uint8Array(count);
		analysis.areas.forEach((area, i) => {
			minutes[i] = area.minutesToNearest ?? Number.NaN;
			covered[i] = area.covered === null ? 255 : area.covered ? 1 : 0;
		});

		const base = this.baseline.analysis;
		const baseStreets = new Map(base.streets.map((street) => [street.code, street]));
		const streets: StreetDelta[] = analysis.streets.map((street) => {
			const before = baseStreets.get(street.code);
			return {
				code: street.code,
				name: street.name,
				eldersCovered: street.eldersCovered,
				eldersCoveredChange:
					street.eldersCovered === null || before?.eldersCovered == null
						? null
						: street.eldersCovered - before.eldersCovered,
				deficitM2: street.deficitM2,
				deficitM2Change: Math.round((street.deficitM2 - (before?.deficitM2 ?? 0)) * 100) / 100
			};
		});
		const eldersCoveredChange =
			analysis.summary.eldersCovered === null || base.summary.eldersCovered === null
				? null
				: analysis.summary.eldersCovered - base.summary.eldersCovered;
		const mealRule = mealCircleRule(this.profile);
		const meal = this.meal(settings, analysis);
		return {
			analysis,
			minutes,
			covered,
			eldersCoveredChange,
			streets,
			meal,
			mealVerdict: mealRule ? mealCircleVerdict(mealRule, meal) : null,
			engineMs: now() - started
		};
	}

	/**
	 * The meal circle with the plan (issue 16): its own coverage on the meal providers at the
	 * rule's minutes, summed per street and district by the analysis's own places of the areas.
	 * Kept while the providers, the walk and the profile stay the same, so dragging a station that
	 * serves no meals costs nothing here (about 1 ms on the demo region otherwise).
	 */
	private meal(settings: WalkSettings, analysis: Analysis): MealCircleResult | null {
		const rule = mealCircleRule(this.profile);
		if (!rule || !this.index || !this.search) return null;
		const facilities = this.facilities(this.hasPlan);
		const providers = facilities && mealProviders(facilities, rule);
		const key = JSON.stringify([
			this.profile.id,
			this.profile.version,
			settings.walkSpeedMps,
			settings.stepPenaltyS,
			providers?.map((f) => [f.properties.id, f.geometry.coordinates])
		]);
		if (this.mealCache?.key !== key)
			this.mealCache = {
				key,
				result: computeMealCircle(
					this.index,
					this.search,
					this.region.residential ?? [],
					providers,
					rule,
					{ walkSpeedMps: settings.walkSpeedMps, stepPenaltyS: settings.stepPenaltyS },
					analysis.areas
				)
			};
		return this.mealCache.result;
	}

	/**
	 * Where new stations should go (issue 6), with the region's facilities and the current planned
	 * stations fixed, at the given walking settings. `service: 'meal'` sites new meal providers
	 * (issue 16) the same way: only the meal providers count as fixed, the walk is the meal
	 * circle's minutes, a new site is of the rule's meal kind, and no floor-area capacity applies.
	 * @param solver the MILP solver, or null for the greedy only
	 * @throws RangeError without a walking network, or `meal` without a meal_service_circle rule;
	 *   SitingError for a bad request
	 */
	site(
		request: SitingRequest,
		settings: WalkSettings,
		solver: MilpSolver | null,
		onProgress?: (done: number, total: number, label: string) => void,
		service: SitingService = 'care'
	): Promise<SitingOutcome> {
		if (!this.graph || !this.index || !this.search)
			throw new RangeError('siting needs a walking network, and this region has none');
		let facilities = this.facilities(true) ?? [];
		let walk = settings;
		if (service === 'meal') {
			const rule = mealCircleRule(this.profile);
			if (!rule)
				throw new RangeError(
					`profile ${this.profile.id} has no meal_service_circle rule: no meal circle to site for`
				);
			facilities = mealProviders(facilities, rule);
			walk = { ...settings, maxMinutes: rule.params.maxMinutes };
			request = {
				...request,
				capacity: null,
				newStation: { kind: mealStationKind(rule), floorAreaM2: null }
			};
		}
		return runSiting(
			{
				graph: this.graph,
				index: this.index,
				search: this.search,
				residential: this.region.residential ?? [],
				facilities,
				boundaries: this.region.boundaries,
				profile: this.profile,
				walk,
				solver,
				onProgress
			},
			request
		);
	}

	/**
	 * Evaluate a residential project on this region (issue 7) with the current plan's stations,
	 * and its printable report (A4 HTML).
	 * @param generatedAt the date printed on the report, YYYY-MM-DD
	 * @throws EvaluationError for a project it cannot accept (named field); RangeError when the
	 *   session was opened without the whole region.json
	 */
	evaluate(
		project: ProjectInput,
		settings: WalkSettings,
		generatedAt: string
	): { evaluation: ProjectEvaluation; html: string } {
		const meta = this.region.meta;
		if (!meta.bbox || !meta.sources)
			throw new RangeError(
				'project evaluation needs the whole region.json (open the region with it)'
			);
		const regionMeta = meta as RegionMeta;
		const evaluation = evaluateProject({
			region: {
				meta: regionMeta,
				boundaries: this.region.boundaries,
				residential: this.region.residential,
				facilities: this.facilities(true),
				communities: this.region.communities
			},
			network: this.graph
				? { graph: this.graph, index: this.index ?? undefined, search: this.search ?? undefined }
				: null,
			profile: this.profile,
			project,
			walk: settings,
			targets: { indicators: this.region.indicators ?? null, date: generatedAt }
		});
		return { evaluation, html: evaluationReportHtml(evaluation, { generatedAt, regionMeta }) };
	}

	/**
	 * The 15-minute isochrone of one facility (existing or planned) at the last run's settings:
	 * the reached streets and the band polygon (never more than 50 m from a reached street).
	 * @returns null without a network, for an unknown id, or a door off the network
	 */
	isochrone(facilityId: string, settings: WalkSettings = DEFAULT_WALK_SETTINGS): Isochrone | null {
		if (!this.graph || !this.search || !this.index) return null;
		const facility = (this.facilities(true) ?? []).find((f) => f.properties.id === facilityId);
		if (!facility) return null;
		const [lon, lat] = facility.geometry.coordinates;
		const point = this.index.snap(lon, lat, DEFAULT_MAX_SNAP_M);
		if (!point) return null;
		const { walkSpeedMps, stepPenaltyS } = settings;
		const maxSeconds = settings.maxMinutes * 60;
		this.search.run(
			[
				{ node: point.fromNode, initialS: point.offsetM / walkSpeedMps, label: 0 },
				{
					node: point.toNode,
					initialS: (point.lengthM - point.offsetM) / walkSpeedMps,
					label: 0
				}
			],
			{ walkSpeedMps, stepPenaltyS, maxSeconds }
		);
		const times = new Float64Array(this.graph.nodeCount);
		for (let node = 0; node < times.length; node++) times[node] = this.search.time(node);
		const reached = reachedEdges(this.graph, times, {
			maxSeconds,
			walkSpeedMps,
			sources: [point]
		});
		return { facilityId, reached, band: isochroneBand(reached) };
	}
}
