/**
 * 15-minute coverage of residential compounds by care facilities, on the walking network.
 *
 * For each compound: the walking time from its access points (gates, see access.ts) to the
 * nearest facility door, whether that is within the limit, and every facility that reaches it
 * (union and overlap views); for each facility: its catchment and the elders only it covers.
 * Searches run from the facilities (one multi-source search for "nearest", one bounded search
 * per facility for catchments), so the cost grows with facilities, not with compounds. A
 * catchment looks its compounds up from the nodes its search reached (`CompoundsByNode`), so each
 * facility costs the size of its circle, not the number of compounds in the region.
 *
 * Walking times start where a gate, point or door meets the network: the snap leg (off the
 * network, `snapDistanceM`) is not walked, for compounds and facilities alike. Each compound
 * reports its snap distance, and one beyond SNAP_WARNING_M gets a warning (`farSnapMessage`).
 * A compound that is not covered says why (`notCovered`).
 */
import { componentOf } from '../graph/components.ts';
import type { NetworkPoint, SegmentIndex } from '../graph/snap.ts';
import { DEFAULT_MAX_SNAP_M } from '../graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../region/schema.ts';
import { DEFAULT_WALK, REPORT_UP_TO_MINUTES } from '../rules/defaults.ts';
import { rememberedCompoundAccess, type CompoundAccess } from './access.ts';

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
	/**
	 * Every node reached by the last run (finite `time`), each once, in any order. Optional: a
	 * search without it has every node of the graph looked at after each catchment's run.
	 */
	settled?(): ArrayLike<number>;
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

/**
 * Snaps farther than this (m) are flagged. The snap leg is not walked, so a time can be off by
 * about snap distance ÷ speed: 50 m is 0.8 min at 1.0 m/s (1 min at the frail 0.8 m/s), enough to
 * move a compound across the 15-minute line, and about twice the distance from a compound's gate
 * to the centre line of the street it opens on; farther than that, the nearest mapped way may not
 * be the one residents walk on.
 */
export const SNAP_WARNING_M = 50;

/** Why a compound is not covered, in order of precedence. */
export const NOT_COVERED_KINDS = [
	'no-location', // no geometry or coordinates
	'off-network', // no gate / part of it within maxSnapM of the walking network
	'no-facility', // the region has no facility, or none on the network
	'disconnected', // no facility in the part of the network it is on (across a river …)
	'beyond-limit' // the nearest facility is farther than maxMinutes
] as const;
export type NotCoveredKind = (typeof NOT_COVERED_KINDS)[number];

export interface NotCovered {
	kind: NotCoveredKind;
	messageZh: string;
	messageEn: string;
	/** The figures behind the message (m, min, counts). */
	numbers: Record<string, number | null>;
}

/**
 * The warning for a snap farther than SNAP_WARNING_M, or null.
 * @param snapDistanceM the compound's `snapDistanceM` (m), null when off-network
 * @example farSnapMessage(72.4)?.messageZh // '入口距步行路网 72.4 m（>50 m），步行时间可能不准'
 */
export function farSnapMessage(
	snapDistanceM: number | null
): { messageZh: string; messageEn: string } | null {
	if (snapDistanceM === null || snapDistanceM <= SNAP_WARNING_M) return null;
	const m = String(snapDistanceM);
	return {
		messageZh: `入口距步行路网 ${m} m（>${SNAP_WARNING_M} m），步行时间可能不准`,
		messageEn: `access point ${m} m from the walking network (> ${SNAP_WARNING_M} m): walking time may be off`
	};
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
	/**
	 * Distance (m, 0.1) from the compound to the network at the access point its nearest facility
	 * is reached through (the least over its access points when none is reached); 0 where a path
	 * crosses its boundary; null when off-network. Not walked (see above).
	 */
	snapDistanceM: number | null;
	/** Walking minutes to the nearest facility; null when none within reportUpToMinutes. */
	minutes: number | null;
	nearestFacilityId: string | null;
	covered: boolean;
	/** Every facility within the limit, nearest first. */
	reachingFacilityIds: string[];
	note: string | null;
	/** Why the compound is not covered; null when covered. */
	notCovered: NotCovered | null;
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
	...DEFAULT_WALK,
	maxSnapM: DEFAULT_MAX_SNAP_M,
	reportUpToMinutes: REPORT_UP_TO_MINUTES
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

/** Best time over a compound's access points, and the point (index) it goes through. */
function bestTime(search: LabelledSearch, points: NetworkPoint[], walkSpeedMps: number) {
	let best = { seconds: Infinity, label: -1, point: -1 };
	points.forEach((point, i) => {
		const at = timeAt(search, point, walkSpeedMps);
		if (at.seconds < best.seconds) best = { ...at, point: i };
	});
	return best;
}

/** Seconds from the search's sources to the nearest of a compound's access points (bestTime's, without the point). */
function bestSeconds(search: LabelledSearch, points: NetworkPoint[], walkSpeedMps: number): number {
	let best = Infinity;
	for (const point of points) {
		const viaFrom = search.time(point.fromNode) + point.offsetM / walkSpeedMps;
		const viaTo = search.time(point.toNode) + (point.lengthM - point.offsetM) / walkSpeedMps;
		const seconds = viaFrom <= viaTo ? viaFrom : viaTo;
		if (seconds < best) best = seconds;
	}
	return best;
}

/**
 * Compounds by network node, CSR: the compounds listed at node n are compounds[first[n]] ..
 * compounds[first[n + 1] - 1], one entry per access point at each end of its edge. A compound
 * none of whose access edges has a reached end has an infinite time at every point, so the
 * compounds listed at a search's reached nodes are all that can be in its catchment. Scanning
 * every compound after every facility's search instead was 40 % of a 4 M-node analysis (issue 18).
 */
interface CompoundsByNode {
	/** Offsets into `compounds`, one entry per node plus one. */
	first: Uint32Array;
	/** Compound indices, grouped by node. */
	compounds: Uint32Array;
}

function compoundsByNode(nodeCount: number, access: readonly CompoundAccess[]): CompoundsByNode {
	const first = new Uint32Array(nodeCount + 1);
	for (const entry of access)
		for (const point of entry.points) {
			first[point.fromNode + 1]++;
			first[point.toNode + 1]++;
		}
	for (let node = 0; node < nodeCount; node++) first[node + 1] += first[node];
	const cursor = first.slice(0, nodeCount);
	const compounds = new Uint32Array(first[nodeCount]);
	access.forEach((entry, compound) => {
		for (const point of entry.points) {
			compounds[cursor[point.fromNode]++] = compound;
			compounds[cursor[point.toNode]++] = compound;
		}
	});
	return { first, compounds };
}

/**
 * The compounds listed at the nodes the last run reached, each once, ascending (the order the
 * scan over every compound kept them in), into `out`; `seen` (one entry per compound) must not
 * hold `stamp` yet.
 * @returns how many were written to `out`
 */
function touchedCompounds(
	search: LabelledSearch,
	byNode: CompoundsByNode,
	nodeCount: number,
	seen: Int32Array,
	stamp: number,
	out: Uint32Array
): number {
	const { first, compounds } = byNode;
	let count = 0;
	const visit = (node: number) => {
		for (let k = first[node]; k < first[node + 1]; k++) {
			const compound = compounds[k];
			if (seen[compound] !== stamp) {
				seen[compound] = stamp;
				out[count++] = compound;
			}
		}
	};
	if (search.settled) {
		const reached = search.settled();
		for (let i = 0; i < reached.length; i++) visit(reached[i]);
	} else {
		for (let node = 0; node < nodeCount; node++) if (search.time(node) < Infinity) visit(node);
	}
	out.subarray(0, count).sort();
	return count;
}

/** A compound with something to place: a geometry with at least one finite position. */
function hasLocation(compound: ResidentialFeature): boolean {
	const geometry = compound.geometry as ResidentialFeature['geometry'] | null | undefined;
	if (!geometry || !Array.isArray(geometry.coordinates)) return false;
	const first = firstFlatItem(geometry.coordinates, 3);
	return typeof first === 'number' && Number.isFinite(first);
}

/**
 * `list.flat(depth)[0]` without building the flat copy (a copy per compound, twice per coverage):
 * the first item in order that is not an array within `depth` levels, empty arrays and holes
 * skipped; undefined when there is none.
 */
const NO_ITEM = Symbol('no item');

export function firstFlatItem(list: readonly unknown[], depth: number): unknown {
	for (let i = 0; i < list.length; i++) {
		if (!(i in list)) continue;
		const item = list[i];
		if (depth > 0 && Array.isArray(item)) {
			const found = firstFlatItem(item, depth - 1);
			if (found !== NO_ITEM) return found;
		} else return item;
	}
	return NO_ITEM;
}

/**
 * Coverage of every compound by every placed facility.
 * @param index segment index of the walking graph (snapping)
 * @param search a labelled multi-source search on the same graph (reused for every run)
 * @param parts.catchments false: no search per facility, so every `catchment` and
 *   `reachingFacilityIds` is empty and `eldersReached` / `eldersOnlyHere` are 0 — for callers that
 *   need only the nearest facility and whether it is within the limit (the meal circle). Default true.
 * @example computeCoverage(new SegmentIndex(graph), new WalkSearch(graph), compounds, facilities, { maxMinutes: 15 })
 */
export function computeCoverage(
	index: SegmentIndex,
	search: LabelledSearch,
	compounds: ResidentialFeature[],
	facilities: FacilityFeature[],
	options: CoverageOptions = {},
	parts: { catchments?: boolean } = {}
): CoverageResult {
	const settings = { ...DEFAULTS, ...options };
	const { walkSpeedMps, stepPenaltyS } = settings;
	const limitS = settings.maxMinutes * 60;
	const access: CompoundAccess[] = compounds.map((compound) =>
		hasLocation(compound)
			? rememberedCompoundAccess(index, compound, settings.maxSnapM)
			: { method: 'off-network', points: [], note: 'no location: no geometry or coordinates' }
	);
	const facilityPoints = facilities.map((facility) => {
		const [lon, lat] = facility.geometry.coordinates;
		return index.snap(lon, lat, settings.maxSnapM);
	});

	// Nearest facility for every compound: one multi-source search.
	const allSources = facilityPoints.flatMap((point, label) =>
		point ? sourcesOf(point, label, walkSpeedMps) : []
	);
	const nearest = access.map(() => ({ seconds: Infinity, label: -1, point: -1 }));
	if (allSources.length > 0) {
		search.run(allSources, {
			walkSpeedMps,
			stepPenaltyS,
			maxSeconds: settings.reportUpToMinutes * 60
		});
		access.forEach((entry, i) => (nearest[i] = bestTime(search, entry.points, walkSpeedMps)));
	}

	// Catchments: one bounded search per facility, its compounds looked up from its reached nodes
	// and judged as before, in ascending compound order.
	const reaching: { facility: number; seconds: number }[][] = compounds.map(() => []);
	const catchments: { compound: number; seconds: number }[][] = facilities.map(() => []);
	const withCatchments = parts.catchments !== false;
	const nodeCount = index.graph.nodeCount;
	const byNode = compoundsByNode(withCatchments ? nodeCount : 0, withCatchments ? access : []);
	const seen = new Int32Array(compounds.length).fill(-1);
	const touched = new Uint32Array(compounds.length);
	facilityPoints.forEach((point, facility) => {
		if (!point || !withCatchments) return;
		search.run(sourcesOf(point, facility, walkSpeedMps), {
			walkSpeedMps,
			stepPenaltyS,
			maxSeconds: limitS
		});
		const count = touchedCompounds(search, byNode, nodeCount, seen, facility, touched);
		for (let i = 0; i < count; i++) {
			const compound = touched[i];
			const seconds = bestSeconds(search, access[compound].points, walkSpeedMps);
			if (seconds <= limitS) {
				reaching[compound].push({ facility, seconds });
				catchments[facility].push({ compound, seconds });
			}
		}
	});

	const toMinutes = (seconds: number) => Math.round((seconds / 60) * 100) / 100;
	const why = notCoveredReasons(index, compounds, facilities, facilityPoints, access, settings);
	const compoundRows: CompoundCoverage[] = compounds.map((compound, i) => {
		const best = nearest[i];
		const withinReport = best.seconds <= settings.reportUpToMinutes * 60;
		reaching[i].sort((a, b) => a.seconds - b.seconds);
		const points = access[i].points;
		const through =
			best.point >= 0
				? points[best.point]
				: points.reduce<NetworkPoint | null>(
						(least, p) => (!least || p.snapDistanceM < least.snapDistanceM ? p : least),
						null
					);
		const covered = best.seconds <= limitS;
		const minutes = withinReport ? toMinutes(best.seconds) : null;
		return {
			id: compound.properties.id,
			name: compound.properties.name,
			streetCode: compound.properties.streetCode,
			households: compound.properties.households,
			elders: compound.properties.elders,
			eldersByClass: compound.properties.eldersByClass,
			estimated: compound.properties.estimated,
			access: access[i].method,
			accessPoints: points.length,
			snapDistanceM: through ? Math.round(through.snapDistanceM * 10) / 10 : null,
			minutes,
			nearestFacilityId:
				withinReport && best.label >= 0 ? facilities[best.label].properties.id : null,
			covered,
			reachingFacilityIds: reaching[i].map((r) => facilities[r.facility].properties.id),
			note: access[i].note,
			notCovered: covered ? null : (why[i] ?? beyondLimit(minutes, settings))
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

const fmtMinutes = (minutes: number) => String(Math.round(minutes * 10) / 10);

/** The nearest facility is reachable, but farther than the circle (or than the report bound). */
function beyondLimit(minutes: number | null, settings: Required<CoverageOptions>): NotCovered {
	const max = settings.maxMinutes;
	if (minutes === null)
		return {
			kind: 'beyond-limit',
			messageZh: `最近设施步行超过 ${settings.reportUpToMinutes} 分钟（> ${max} 分钟）`,
			messageEn: `nearest facility more than ${settings.reportUpToMinutes} min on foot (> ${max} min)`,
			numbers: { minutes: null, maxMinutes: max, reportUpToMinutes: settings.reportUpToMinutes }
		};
	return {
		kind: 'beyond-limit',
		messageZh: `最近设施步行 ${fmtMinutes(minutes)} 分钟（> ${max} 分钟）`,
		messageEn: `nearest facility ${fmtMinutes(minutes)} min on foot (> ${max} min)`,
		numbers: { minutes, maxMinutes: max }
	};
}

/**
 * Why each compound could not be reached at all (no location, off the network, no facility on
 * the network, no facility in its part of the network), or undefined where a facility can be
 * reached (then only the distance can keep it out of the circle: `beyondLimit`).
 */
function notCoveredReasons(
	index: SegmentIndex,
	compounds: ResidentialFeature[],
	facilities: FacilityFeature[],
	facilityPoints: (NetworkPoint | null)[],
	access: CompoundAccess[],
	settings: Required<CoverageOptions>
): (NotCovered | undefined)[] {
	const maxSnapM = settings.maxSnapM;
	const placed = facilityPoints.filter((p): p is NetworkPoint => p !== null);
	let facilityParts: Set<number> | null = null;
	return compounds.map((compound, i): NotCovered | undefined => {
		const entry = access[i];
		if (!hasLocation(compound))
			return {
				kind: 'no-location',
				messageZh: '没有位置（无几何或坐标），无法计算步行时间',
				messageEn: 'no location (no geometry or coordinates): walking time not computed',
				numbers: {}
			};
		if (entry.points.length === 0) {
			const gates = compound.properties.gates.length;
			return gates > 0
				? {
						kind: 'off-network',
						messageZh: `${gates} 个出入口距步行路网均超过 ${maxSnapM} m，无法接入路网`,
						messageEn: `all ${gates} gates more than ${maxSnapM} m from the walking network: off-network`,
						numbers: { gates, maxSnapM }
					}
				: {
						kind: 'off-network',
						messageZh: `小区任何部分距步行路网均超过 ${maxSnapM} m，无法接入路网`,
						messageEn: `no part of it within ${maxSnapM} m of the walking network: off-network`,
						numbers: { maxSnapM }
					};
		}
		if (facilities.length === 0)
			return {
				kind: 'no-facility',
				messageZh: '本区域没有养老服务设施',
				messageEn: 'no facility in the region',
				numbers: { facilities: 0 }
			};
		if (placed.length === 0)
			return {
				kind: 'no-facility',
				messageZh: `区域内 ${facilities.length} 处设施距步行路网均超过 ${maxSnapM} m，均未接入路网`,
				messageEn: `none of the region's ${facilities.length} facilities lies within ${maxSnapM} m of the walking network`,
				numbers: { facilities: facilities.length, placedFacilities: 0, maxSnapM }
			};
		// The graph's edges go both ways, so "connected" is "same part" (graph/components.ts).
		const part = componentOf(index.graph);
		facilityParts ??= new Set(placed.map((p) => part[p.fromNode]));
		if (!entry.points.some((p) => facilityParts!.has(part[p.fromNode])))
			return {
				kind: 'disconnected',
				messageZh: '所在步行路网与所有设施均不连通（如隔江而无步行通道），任何设施都不可达',
				messageEn:
					'in a part of the walking network with no facility (e.g. across a river without a walkable crossing): no facility reachable at all',
				numbers: { placedFacilities: placed.length }
			};
		return undefined;
	});
}
