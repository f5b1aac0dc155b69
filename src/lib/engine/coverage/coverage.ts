/**
 * 15-minute coverage of residential compounds by care facilities, on the walking network.
 *
 * For each compound: the walking time from its access points (gates, see access.ts) to the
 * nearest facility door, whether that is within the limit, and every facility that reaches it
 * (union and overlap views); for each facility: its catchment and the elders only it covers.
 * Searches run from the facilities (one multi-source search for "nearest", one bounded search
 * per facility for catchments), so the cost grows with facilities, not with compounds.
 */
import type { NetworkPoint, SegmentIndex } from '../graph/snap.ts';
import { DEFAULT_MAX_SNAP_M } from '../graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../region/schema.ts';
import { compoundAccess, type CompoundAccess } from './access.ts';

/** The search the coverage needs: multi-source, bounded, labelled (WalkSearch in graph/search.ts). */
export interface LabelledSearch {
	run(
		sources: { node: number; initialS: number; label: number }[],
		options: { walkSpeedMps: number; maxSeconds: number; stepPenaltyS: number }
	): void;
	/** Seconds to a node after `run`, Infinity when not reached. */
	time(node: number): number;
	/** Label of the source that reached a node first, -1 when not reached. */
	label(node: number): number;
}

export interface CoverageOptions {
	/** The service circle, minutes of walking (default 15). */
	maxMinutes?: number;
	/** Walking speed, m/s (default 1.0; 0.8 for frail elders). */
	walkSpeedMps?: number;
	/** Extra seconds per steps edge (default 0). */
	stepPenaltyS?: number;
	/** Gates and doors farther than this from the network are off-network (default 150 m). */
	maxSnapM?: number;
	/** Minutes to the nearest facility are reported up to this bound (default 60). */
	reportUpToMinutes?: number;
}

export interface CompoundCoverage {
	id: string;
	name: string;
	streetCode: string | null;
	households: number | null;
	elders: number | null;
	eldersByClass: ResidentialFeature['properties']['eldersByClass'];
	/** Fields of this compound that are estimates (field → method id). */
	estimated: Record<string, string>;
	access: CompoundAccess['method'];
	accessPoints: number;
	/** Walking minutes to the nearest facility; null when none within reportUpToMinutes. */
	minutes: number | null;
	nearestFacilityId: string | null;
	covered: boolean;
	/** Every facility within the limit, nearest first. */
	reachingFacilityIds: string[];
	note: string | null;
}

export interface FacilityCoverage {
	id: string;
	name: string;
	kind: FacilityFeature['properties']['kind'];
	status: FacilityFeature['properties']['status'];
	placed: boolean;
	snapDistanceM: number | null;
	note: string | null;
	/** Compounds within the limit of this facility, nearest first. */
	catchment: { id: string; minutes: number }[];
	/** Elders of the compounds in the catchment (known values only). */
	eldersReached: number;
	/** Elders reached by this facility and no other: what is lost if it closes. */
	eldersOnlyHere: number;
}

export interface CoverageResult {
	settings: Required<CoverageOptions>;
	compounds: CompoundCoverage[];
	facilities: FacilityCoverage[];
	/** Facility index → its snapped door (null when off-network), for isochrones. */
	facilityPoints: (NetworkPoint | null)[];
}

const DEFAULTS: Required<CoverageOptions> = {
	maxMinutes: 15,
	walkSpeedMps: 1.0,
	stepPenaltyS: 0,
	maxSnapM: DEFAULT_MAX_SNAP_M,
	reportUpToMinutes: 60
};

/** A network point as search sources: both ends of its edge, at the walk to each. */
function sourcesOf(point: NetworkPoint, label: number, walkSpeedMps: number) {
	return [
		{ node: point.fromNode, initialS: point.offsetM / walkSpeedMps, label },
		{ node: point.toNode, initialS: (point.lengthM - point.offsetM) / walkSpeedMps, label }
	];
}

/** Seconds from the search's sources to a network point, and the label reaching it. */
function timeAt(
	search: LabelledSearch,
	point: NetworkPoint,
	walkSpeedMps: number
): { seconds: number; label: number } {
	const viaFrom = search.time(point.fromNode) + point.offsetM / walkSpeedMps;
	const viaTo = search.time(point.toNode) + (point.lengthM - point.offsetM) / walkSpeedMps;
	return viaFrom <= viaTo
		? { seconds: viaFrom, label: search.label(point.fromNode) }
		: { seconds: viaTo, label: search.label(point.toNode) };
}

/** Best time over a compound's access points. */
function bestTime(search: LabelledSearch, points: NetworkPoint[], walkSpeedMps: number) {
	let best = { seconds: Infinity, label: -1 };
	for (const point of points) {
		const at = timeAt(search, point, walkSpeedMps);
		if (at.seconds < best.seconds) best = at;
	}
	return best;
}

/**
 * Coverage of every compound by every placed facility.
 * @param index segment index of the walking graph (snapping)
 * @param search a labelled multi-source search on the same graph (reused for every run)
 * @example computeCoverage(new SegmentIndex(graph), new WalkSearch(graph), compounds, facilities, { maxMinutes: 15 })
 */
export function computeCoverage(
	index: SegmentIndex,
	search: LabelledSearch,
	compounds: ResidentialFeature[],
	facilities: FacilityFeature[],
	options: CoverageOptions = {}
): CoverageResult {
	const settings = { ...DEFAULTS, ...options };
	const { walkSpeedMps, stepPenaltyS } = settings;
	const limitS = settings.maxMinutes * 60;
	const access = compounds.map((compound) => compoundAccess(index, compound, settings.maxSnapM));
	const facilityPoints = facilities.map((facility) => {
		const [lon, lat] = facility.geometry.coordinates;
		return index.snap(lon, lat, settings.maxSnapM);
	});

	// Nearest facility for every compound: one multi-source search.
	const allSources = facilityPoints.flatMap((point, label) =>
		point ? sourcesOf(point, label, walkSpeedMps) : []
	);
	const nearest = access.map(() => ({ seconds: Infinity, label: -1 }));
	if (allSources.length > 0) {
		search.run(allSources, {
			walkSpeedMps,
			stepPenaltyS,
			maxSeconds: settings.reportUpToMinutes * 60
		});
		access.forEach((entry, i) => (nearest[i] = bestTime(search, entry.points, walkSpeedMps)));
	}

	// Catchments: one bounded search per facility.
	const reaching: { facility: number; seconds: number }[][] = compounds.map(() => []);
	const catchments: { compound: number; seconds: number }[][] = facilities.map(() => []);
	facilityPoints.forEach((point, facility) => {
		if (!point) return;
		search.run(sourcesOf(point, facility, walkSpeedMps), {
			walkSpeedMps,
			stepPenaltyS,
			maxSeconds: limitS
		});
		access.forEach((entry, compound) => {
			const { seconds } = bestTime(search, entry.points, walkSpeedMps);
			if (seconds <= limitS) {
				reaching[compound].push({ facility, seconds });
				catchments[facility].push({ compound, seconds });
			}
		});
	});

	const toMinutes = (seconds: number) => Math.round((seconds / 60) * 100) / 100;
	const compoundRows: CompoundCoverage[] = compounds.map((compound, i) => {
		const best = nearest[i];
		const withinReport = best.seconds <= settings.reportUpToMinutes * 60;
		reaching[i].sort((a, b) => a.seconds - b.seconds);
		return {
			id: compound.properties.id,
			name: compound.properties.name,
			streetCode: compound.properties.streetCode,
			households: compound.properties.households,
			elders: compound.properties.elders,
			eldersByClass: compound.properties.eldersByClass,
			estimated: compound.properties.estimated,
			access: access[i].method,
			accessPoints: access[i].points.length,
			minutes: withinReport ? toMinutes(best.seconds) : null,
			nearestFacilityId:
				withinReport && best.label >= 0 ? facilities[best.label].properties.id : null,
			covered: best.seconds <= limitS,
			reachingFacilityIds: reaching[i].map((r) => facilities[r.facility].properties.id),
			note: access[i].note
		};
	});

	const facilityRows: FacilityCoverage[] = facilities.map((facility, f) => {
		const point = facilityPoints[f];
		const catchment = catchments[f].sort((a, b) => a.seconds - b.seconds);
		const eldersOf = (c: number) => compounds[c].properties.elders ?? 0;
		return {
			id: facility.properties.id,
			name: facility.properties.name,
			kind: facility.properties.kind,
			status: facility.properties.status,
			placed: point !== null,
			snapDistanceM: point ? Math.round(point.snapDistanceM * 10) / 10 : null,
			note: point
				? null
				: `door more than ${settings.maxSnapM} m from the walking network: not placed`,
			catchment: catchment.map((c) => ({
				id: compounds[c.compound].properties.id,
				minutes: toMinutes(c.seconds)
			})),
			eldersReached: catchment.reduce((sum, c) => sum + eldersOf(c.compound), 0),
			eldersOnlyHere: catchment
				.filter((c) => reaching[c.compound].length === 1)
				.reduce((sum, c) => sum + eldersOf(c.compound), 0)
		};
	});

	return { settings, compounds: compoundRows, facilities: facilityRows, facilityPoints };
}
