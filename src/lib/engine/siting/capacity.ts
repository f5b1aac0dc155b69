/**
 * Capacity-aware siting: a station serves only as many households as its floor area provides
 * for under the profile's rule (F m² ÷ rate m² per 100 households × 100), or a capacity the
 * user sets; households are served by the nearest station (within the circle) that has room
 * left.
 *
 * Units: with the profile rule, capacity and demand are both in m² of floor area — a
 * residential area of H households and status s needs H × rate(s) ÷ 100 m², a station offers
 * its floor area F — which is F ÷ rate × 100 households when all areas share one status, and
 * stays right when new (新建) and existing (已建成) areas with different rates share a station.
 * With a user capacity, both are in households. Demand is divisible: a station with room for
 * 300 of a compound's 1,000 households serves 30 % of its elders, the rest goes to the next
 * nearest station with room.
 *
 * Assignment rule (`assignNearest`): all (station, area) pairs within the circle are taken in
 * order of walking time (ties: lower site, then lower demand index); each gives the area as
 * much of its remaining need as the station's remaining room allows. Capacity is never exceeded.
 *
 * Siting: `greedyCapacitatedMclp` adds, k times, the station that most increases the elders
 * served under that rule (lazy evaluation of the gains; capacity makes the objective lose the
 * submodularity that guarantees the plain greedy, so no bound is claimed).
 * `exactCapacitatedMclp` solves a MILP that encodes the same rule, so its optimum is the best
 * k-set under it (checked against brute force over every k-subset).
 */
import type { FacilityAreaRule } from '../rules/profile-schema.ts';
import type { SiteCandidate } from './candidates.ts';
import type { DemandPoint } from './demand.ts';
import { assertK, SitingError } from './errors.ts';
import type { CoverageMatrix } from './matrix.ts';
import { MilpBuilder, type MilpSolver } from './milp.ts';
import { GainHeap } from './greedy.ts';
import { nowMs, relativeGap } from './solution.ts';

export interface CapacityModel {
	/** 'm2': floor area (from the profile rule); 'households': a user capacity. */
	unit: 'm2' | 'households';
	/** What each demand needs, in `unit`; NaN = unknown (households unknown): never served. */
	demandSize: Float64Array;
	/** What each site offers, in `unit`; Infinity = not limited (an existing station of unknown floor area). */
	siteCapacity: Float64Array;
	/** Demands whose need is unknown (indices). */
	unknownSizeDemands: number[];
	/** Sites whose capacity is unknown and treated as unlimited (indices; unknown is never 0). */
	unlimitedSites: number[];
}

export interface CapacityOptions {
	/** The profile's facility_area_per_households rule (capacity from floor area). */
	rule?: FacilityAreaRule | null;
	/** A capacity in households for every station (overrides the rule). */
	householdsPerStation?: number;
	/** Floor area (m²) of a new station at a candidate without maxFloorAreaM2. */
	candidateFloorAreaM2?: number;
}

/**
 * Demand sizes and site capacities.
 *
 * @param demands the matrix's demand points (same order)
 * @param sites fixed stations then candidates (the matrix's site order)
 * @throws SitingError NO_AREA_RULE without rule and user capacity; CAPACITY_UNKNOWN for a
 *   candidate with neither maxFloorAreaM2 nor candidateFloorAreaM2 (floor-area basis);
 *   INVALID_OPTION for a capacity or floor area that is not > 0
 * @example capacityModel(demands, [...stations, ...candidates], { rule, candidateFloorAreaM2: 300 })
 */
export function capacityModel(
	demands: readonly DemandPoint[],
	sites: readonly SiteCandidate[],
	options: CapacityOptions
): CapacityModel {
	const demandSize = new Float64Array(demands.length);
	const siteCapacity = new Float64Array(sites.length);
	const unknownSizeDemands: number[] = [];
	const unlimitedSites: number[] = [];
	const user = options.householdsPerStation;
	if (user !== undefined) {
		if (!(user > 0 && user < Infinity))
			throw new SitingError(
				'INVALID_OPTION',
				`householdsPerStation ${user}: expected a number of households > 0`
			);
		demands.forEach((demand, d) => {
			demandSize[d] = demand.households ?? Number.NaN;
			if (demand.households === null) unknownSizeDemands.push(d);
		});
		siteCapacity.fill(user);
		return { unit: 'households', demandSize, siteCapacity, unknownSizeDemands, unlimitedSites };
	}
	const rule = options.rule;
	if (!rule)
		throw new SitingError(
			'NO_AREA_RULE',
			'capacity from floor area needs the profile rule facility_area_per_households (每百户配建面积); choose a profile that has it, or give householdsPerStation'
		);
	const fallback = options.candidateFloorAreaM2;
	if (fallback !== undefined && !(fallback > 0 && fallback < Infinity))
		throw new SitingError(
			'INVALID_OPTION',
			`candidateFloorAreaM2 ${fallback}: expected a floor area in m² > 0`
		);
	demands.forEach((demand, d) => {
		if (demand.households === null) {
			demandSize[d] = Number.NaN;
			unknownSizeDemands.push(d);
			return;
		}
		const rate =
			demand.status === 'new'
				? rule.params.newRateM2Per100Households
				: rule.params.existingRateM2Per100Households;
		demandSize[d] = (demand.households * rate) / 100;
	});
	sites.forEach((site, s) => {
		if (site.floorAreaM2 !== null) {
			siteCapacity[s] = site.floorAreaM2;
			return;
		}
		if (site.source === 'facility') {
			siteCapacity[s] = Infinity;
			unlimitedSites.push(s);
			return;
		}
		if (fallback === undefined)
			throw new SitingError(
				'CAPACITY_UNKNOWN',
				`candidate "${site.id}" has no maxFloorAreaM2 and no candidateFloorAreaM2 was given: set the floor area a new station would have (m²)`
			);
		siteCapacity[s] = fallback;
	});
	return { unit: 'm2', demandSize, siteCapacity, unknownSizeDemands, unlimitedSites };
}

export interface Assignment {
	/** Share (0..1) of each demand served; one entry per demand. */
	servedShare: Float64Array;
	/** Capacity used at each site (capacity unit); one entry per site. */
	load: Float64Array;
	/** Assigned pairs: site, demand, share of the demand. */
	pairSite: Uint32Array;
	pairDemand: Uint32Array;
	pairShare: Float64Array;
	/** Σ weight × servedShare. */
	servedWeight: number;
}

/**
 * Households to the nearest open station with room left (fixed stations are always open).
 * @param open candidate sites to open in addition to the fixed ones
 * @example assignNearest(matrix, [1203, 877], model).servedWeight // elders served
 */
export function assignNearest(
	matrix: CoverageMatrix,
	open: readonly number[],
	model: CapacityModel
): Assignment {
	const sites: number[] = [];
	for (let s = 0; s < matrix.fixedCount; s++) sites.push(s);
	const added = new Set<number>();
	for (const s of open) {
		if (!(Number.isInteger(s) && s >= matrix.fixedCount && s < matrix.siteCount))
			throw new SitingError(
				'INVALID_OPTION',
				`open site ${s}: expected a candidate index ${matrix.fixedCount}..${matrix.siteCount - 1}`
			);
		if (!added.has(s)) sites.push(s);
		added.add(s);
	}
	return assignAmong(matrix, sites, model);
}

/**
 * The nearest-with-room assignment among exactly these sites (fixed ones included only when
 * listed): for "what if this existing station closed".
 */
export function assignAmong(
	matrix: CoverageMatrix,
	sites: readonly number[],
	model: CapacityModel
): Assignment {
	let count = 0;
	for (const s of sites) count += matrix.siteStart[s + 1] - matrix.siteStart[s];
	const order = new Uint32Array(count); // positions in the site-major arrays
	let at = 0;
	for (const s of sites)
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++) order[at++] = i;
	const pairSiteAll = new Uint32Array(count);
	at = 0;
	for (const s of sites)
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++) pairSiteAll[at++] = s;
	const index = Array.from({ length: count }, (_, i) => i);
	index.sort(
		(a, b) =>
			matrix.siteSeconds[order[a]] - matrix.siteSeconds[order[b]] ||
			pairSiteAll[a] - pairSiteAll[b] ||
			matrix.siteDemand[order[a]] - matrix.siteDemand[order[b]]
	);
	const servedShare = new Float64Array(matrix.demandCount);
	const load = new Float64Array(matrix.siteCount);
	const outSite: number[] = [];
	const outDemand: number[] = [];
	const outShare: number[] = [];
	for (const i of index) {
		const s = pairSiteAll[i];
		const d = matrix.siteDemand[order[i]];
		const size = model.demandSize[d];
		if (Number.isNaN(size)) continue;
		const remaining = 1 - servedShare[d];
		if (remaining <= 0) continue;
		const capacity = model.siteCapacity[s];
		let share: number;
		if (size === 0) share = remaining;
		else {
			const room = capacity - load[s];
			if (room <= 0) continue;
			share = Math.min(remaining, room / size);
			const amount = share * size;
			load[s] = amount >= room ? capacity : load[s] + amount;
		}
		if (share <= 0) continue;
		servedShare[d] = share >= remaining ? 1 : servedShare[d] + share;
		outSite.push(s);
		outDemand.push(d);
		outShare.push(share);
	}
	let servedWeight = 0;
	for (let d = 0; d < matrix.demandCount; d++)
		servedWeight += matrix.demandWeight[d] * servedShare[d];
	return {
		servedShare,
		load,
		pairSite: Uint32Array.from(outSite),
		pairDemand: Uint32Array.from(outDemand),
		pairShare: Float64Array.from(outShare),
		servedWeight
	};
}

export interface CapacitatedStation {
	/** Matrix site index. */
	site: number;
	/** Elders served by this station under the nearest-with-room rule. */
	servedWeight: number;
	/** Capacity used and offered (capacity unit). */
	load: number;
	capacity: number;
}

export interface CapacitatedSolution {
	method: 'greedy' | 'exact';
	status: 'optimal' | 'feasible' | 'time-limit';
	k: number;
	unit: CapacityModel['unit'];
	/** Chosen new stations in pick order (greedy) or by elders served (exact). */
	sites: CapacitatedStation[];
	/** Every open station (fixed, then chosen) with its load. */
	stations: CapacitatedStation[];
	/** Elders served by the fixed stations alone (nearest rule). */
	fixedServed: number;
	/** Elders served with the chosen stations (nearest rule). */
	servedWeight: number;
	newlyServed: number;
	/**
	 * Exact only: the MILP objective — elders served under the rule as the model encodes it
	 * (equals servedWeight up to float noise); null for greedy.
	 */
	bestAssignmentWeight: number | null;
	/** Exact only: the solver's bound on the optimum, and the gap to it; null for greedy. */
	upperBound: number | null;
	relativeGap: number | null;
	assignment: Assignment;
	solveMs: number;
}

function stationsOf(
	matrix: CoverageMatrix,
	open: readonly number[],
	model: CapacityModel,
	assignment: Assignment
): CapacitatedStation[] {
	const served = new Float64Array(matrix.siteCount);
	for (let p = 0; p < assignment.pairSite.length; p++)
		served[assignment.pairSite[p]] +=
			matrix.demandWeight[assignment.pairDemand[p]] * assignment.pairShare[p];
	return open.map((site) => ({
		site,
		servedWeight: served[site],
		load: assignment.load[site],
		capacity: model.siteCapacity[site]
	}));
}

function checkModel(matrix: CoverageMatrix, model: CapacityModel): void {
	if (
		model.demandSize.length !== matrix.demandCount ||
		model.siteCapacity.length !== matrix.siteCount
	)
		throw new SitingError(
			'INVALID_OPTION',
			`capacity model has ${model.demandSize.length} demands and ${model.siteCapacity.length} sites; the matrix has ${matrix.demandCount} and ${matrix.siteCount}`
		);
}

/** Candidates that could serve anything: a positive-weight demand of known size in their row. */
function usefulCandidates(matrix: CoverageMatrix, model: CapacityModel): number[] {
	const useful: number[] = [];
	for (let s = matrix.fixedCount; s < matrix.siteCount; s++) {
		if (!(model.siteCapacity[s] > 0)) continue;
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++) {
			const d = matrix.siteDemand[i];
			if (matrix.demandWeight[d] > 0 && !Number.isNaN(model.demandSize[d])) {
				useful.push(s);
				break;
			}
		}
	}
	return useful;
}

function solutionOf(
	method: CapacitatedSolution['method'],
	k: number,
	matrix: CoverageMatrix,
	model: CapacityModel,
	chosen: readonly number[],
	fixedServed: number,
	extra: {
		bestAssignmentWeight: number | null;
		upperBound: number | null;
		status: CapacitatedSolution['status'];
	},
	started: number
): CapacitatedSolution {
	const assignment = assignNearest(matrix, chosen, model);
	const fixed = Array.from({ length: matrix.fixedCount }, (_, s) => s);
	const stations = stationsOf(matrix, [...fixed, ...chosen], model, assignment);
	const sites = stations.slice(matrix.fixedCount);
	if (method === 'exact') sites.sort((a, b) => b.servedWeight - a.servedWeight || a.site - b.site);
	return {
		method,
		status: extra.status,
		k,
		unit: model.unit,
		sites,
		stations,
		fixedServed,
		servedWeight: assignment.servedWeight,
		newlyServed: assignment.servedWeight - fixedServed,
		bestAssignmentWeight: extra.bestAssignmentWeight,
		upperBound: extra.upperBound,
		relativeGap:
			extra.upperBound === null || extra.bestAssignmentWeight === null
				? null
				: relativeGap(extra.bestAssignmentWeight, extra.upperBound),
		assignment,
		solveMs: nowMs() - started
	};
}

/**
 * Greedy capacity-aware MCLP: k times, open the candidate that most increases the elders served
 * under the nearest-with-room rule (lazy evaluation of the gains; a heuristic: no gap claimed).
 *
 * @param model from `capacityModel` (same demand and site order as the matrix)
 * @throws SitingError INVALID_K, INVALID_OPTION when the model does not fit the matrix
 * @example greedyCapacitatedMclp(matrix, 3, capacityModel(demands, sites, { rule, candidateFloorAreaM2: 300 }))
 */
export function greedyCapacitatedMclp(
	matrix: CoverageMatrix,
	k: number,
	model: CapacityModel
): CapacitatedSolution {
	assertK(k);
	checkModel(matrix, model);
	const started = nowMs();
	const fixedServed = assignNearest(matrix, [], model).servedWeight;
	const chosen: number[] = [];
	let value = fixedServed;
	// Lazy evaluation: keys are the last known gains; re-evaluate the top until it stays on top.
	const candidates = usefulCandidates(matrix, model);
	const heap = new GainHeap(candidates.length);
	for (const s of candidates) {
		const gain = assignNearest(matrix, [s], model).servedWeight - fixedServed;
		if (gain > 1e-9) heap.push(gain, s);
	}
	const round = new Int32Array(matrix.siteCount);
	while (chosen.length < k && heap.size > 0) {
		const top = heap.id[0];
		heap.pop();
		if (round[top] === chosen.length) {
			chosen.push(top);
			value = assignNearest(matrix, chosen, model).servedWeight;
			continue;
		}
		const fresh = assignNearest(matrix, [...chosen, top], model).servedWeight - value;
		round[top] = chosen.length;
		if (fresh > 1e-9) heap.push(fresh, top);
	}
	return solutionOf(
		'greedy',
		k,
		matrix,
		model,
		chosen,
		fixedServed,
		{ bestAssignmentWeight: null, upperBound: null, status: 'feasible' },
		started
	);
}

/**
 * Exact capacity-aware MCLP: a MILP whose assignment is the nearest-station-with-room rule
 * itself, in the closest-assignment style of Gerrard & Church (1996) extended to capacity.
 * For each site j, its areas in walking-time order (ties: lower demand index) get its room in
 * turn; h_dj = 1 means j still has room after d's turn:
 *
 *   max Σ_d w_d u_d,last
 *   u_d,r = u_d,r−1 + z_d,site(r)      (d's served share over its sites in time order; ties:
 *                                        lower site index, as `assignNearest` orders pairs)
 *   h_dj ≤ h_d'j (d' just before d at j),  h_first,j ≤ x_j
 *   z_dj ≤ h_d'j (or ≤ x_j for j's first area)   — only while j has room
 *   u_d,r(j) ≥ h_dj                     — room left after d's turn: d is fully served by then
 *   Σ_d size_d z_dj ≤ C_j x_j,   Σ_d size_d z_dj ≥ C_j (x_j − h_last,j)   — full when no room
 *   Σ_c x_c ≤ k;  x, h binary (fixed stations: x = 1);  0 ≤ z, u ≤ 1
 *
 * An open set's `assignNearest` assignment satisfies every row, and the rows leave it no other
 * choice, so the optimum is the best k-set under the rule itself. The greedy's solution
 * warm-starts the solve. The model has ~4 rows and one binary per reachable (site, area)
 * pair: thin node candidates (`spacingM`) for large regions, and set a time limit (the best
 * solution found is returned with the solver's gap).
 *
 * @throws SitingError INVALID_K, INVALID_OPTION, SOLVER_FAILED
 * @example const plan = await exactCapacitatedMclp(problem.matrix, 3, model, await loadHighsSolver());
 */
export async function exactCapacitatedMclp(
	matrix: CoverageMatrix,
	k: number,
	model: CapacityModel,
	solver: MilpSolver,
	options: { timeLimitS?: number } = {}
): Promise<CapacitatedSolution> {
	assertK(k);
	checkModel(matrix, model);
	const started = nowMs();
	const greedy = greedyCapacitatedMclp(matrix, k, model);
	const fixedServed = greedy.fixedServed;
	const known = (d: number) => !Number.isNaN(model.demandSize[d]);
	// Every candidate with room that reaches an area of known size (even one without elders:
	// absorbing its households can free room elsewhere).
	const candidates: number[] = [];
	for (let s = matrix.fixedCount; s < matrix.siteCount; s++) {
		if (!(model.siteCapacity[s] > 0)) continue;
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			if (known(matrix.siteDemand[i])) {
				candidates.push(s);
				break;
			}
	}
	if (candidates.length <= k)
		return solutionOf(
			'exact',
			k,
			matrix,
			model,
			candidates,
			fixedServed,
			{ bestAssignmentWeight: null, upperBound: null, status: 'optimal' },
			started
		);
	const fixedCount = matrix.fixedCount;
	const open = [...Array.from({ length: fixedCount }, (_, s) => s), ...candidates];
	const usable = new Uint8Array(matrix.siteCount);
	for (const s of open) usable[s] = 1;
	const builder = new MilpBuilder();
	const xOf = new Int32Array(matrix.siteCount).fill(-1);
	for (const s of candidates) xOf[s] = builder.column(0, 0, 1, true, `x${s}`);

	// z and u columns per (area, site) pair, areas' sites in (time, site) order.
	const key = (d: number, site: number) => d * matrix.siteCount + site;
	const zOf = new Map<number, number>();
	const uOf = new Map<number, number>();
	const demandOrder: { d: number; sites: number[] }[] = [];
	for (let d = 0; d < matrix.demandCount; d++) {
		if (!known(d)) continue;
		const pairs: { site: number; seconds: number }[] = [];
		for (let i = matrix.demandStart[d]; i < matrix.demandStart[d + 1]; i++)
			if (usable[matrix.demandSite[i]])
				pairs.push({ site: matrix.demandSite[i], seconds: matrix.demandSeconds[i] });
		if (pairs.length === 0) continue;
		pairs.sort((a, b) => a.seconds - b.seconds || a.site - b.site);
		const sites = pairs.map((pair) => pair.site);
		demandOrder.push({ d, sites });
		let previousU = -1;
		sites.forEach((site, r) => {
			const z = builder.column(0, 0, 1, false);
			const last = r === sites.length - 1;
			const u = builder.column(last ? matrix.demandWeight[d] : 0, 0, 1, false);
			zOf.set(key(d, site), z);
			uOf.set(key(d, site), u);
			if (previousU < 0) builder.row([u, z], [1, -1], 0, 0);
			else builder.row([u, previousU, z], [1, -1, -1], 0, 0);
			previousU = u;
		});
	}
	// Per site: its areas in (time, demand) order, h columns and the room rows.
	const hOf = new Map<number, number>();
	for (const s of open) {
		const areas: { d: number; seconds: number }[] = [];
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			if (known(matrix.siteDemand[i]))
				areas.push({ d: matrix.siteDemand[i], seconds: matrix.siteSeconds[i] });
		if (areas.length === 0) continue;
		areas.sort((a, b) => a.seconds - b.seconds || a.d - b.d);
		const capacity = model.siteCapacity[s];
		const x = xOf[s]; // −1 for a fixed station (always open)
		/** Row "column ≤ open": column − x ≤ 0, or column ≤ 1 for a fixed station (its bound). */
		const atMostOpen = (col: number) => {
			if (x >= 0) builder.row([col, x], [1, -1], -Infinity, 0);
		};
		/** Row "u ≥ open": u − x ≥ 0, or u ≥ 1 for a fixed station. */
		const servedIfOpen = (u: number) =>
			x >= 0 ? builder.row([u, x], [1, -1], 0, Infinity) : builder.row([u], [1], 1, Infinity);
		if (!(capacity < Infinity)) {
			// Unlimited: every area is served by j or nearer once j is open.
			for (const { d } of areas) {
				atMostOpen(zOf.get(key(d, s))!);
				servedIfOpen(uOf.get(key(d, s))!);
			}
			continue;
		}
		let previousH = -1;
		const cols: number[] = [];
		const sizes: number[] = [];
		for (const { d } of areas) {
			const z = zOf.get(key(d, s))!;
			const u = uOf.get(key(d, s))!;
			const h = builder.column(0, 0, 1, true);
			hOf.set(key(d, s), h);
			if (previousH < 0) {
				atMostOpen(h);
				atMostOpen(z);
			} else {
				builder.row([h, previousH], [1, -1], -Infinity, 0);
				builder.row([z, previousH], [1, -1], -Infinity, 0);
			}
			builder.row([u, h], [1, -1], 0, Infinity);
			previousH = h;
			cols.push(z);
			sizes.push(model.demandSize[d]);
		}
		// Capacity, and "no room left after the last area" means full.
		if (x >= 0) {
			builder.row([...cols, x], [...sizes, -capacity], -Infinity, 0);
			builder.row([...cols, x, previousH], [...sizes, -capacity, capacity], 0, Infinity);
		} else {
			builder.row(cols, sizes, -Infinity, capacity);
			builder.row([...cols, previousH], [...sizes, capacity], capacity, Infinity);
		}
	}
	builder.row(
		candidates.map((s) => xOf[s]),
		new Float64Array(candidates.length).fill(1),
		-Infinity,
		k
	);
	const milp = builder.build('maximize');

	// Warm start: the greedy's own assignment, replayed into z, u and h.
	const start = new Float64Array(milp.colCost.length);
	for (const station of greedy.sites) start[xOf[station.site]] = 1;
	const assignment = greedy.assignment;
	for (let p = 0; p < assignment.pairSite.length; p++) {
		const z = zOf.get(key(assignment.pairDemand[p], assignment.pairSite[p]));
		if (z !== undefined) start[z] = assignment.pairShare[p];
	}
	for (const { d, sites } of demandOrder) {
		let running = 0;
		for (const site of sites) {
			running = Math.min(1, running + start[zOf.get(key(d, site))!]);
			start[uOf.get(key(d, site))!] = running;
		}
	}
	const isOpen = new Uint8Array(matrix.siteCount);
	for (let s = 0; s < fixedCount; s++) isOpen[s] = 1;
	for (const station of greedy.sites) isOpen[station.site] = 1;
	for (const s of open) {
		if (!isOpen[s] || !(model.siteCapacity[s] < Infinity)) continue;
		const areas: { d: number; seconds: number }[] = [];
		for (let i = matrix.siteStart[s]; i < matrix.siteStart[s + 1]; i++)
			if (known(matrix.siteDemand[i]))
				areas.push({ d: matrix.siteDemand[i], seconds: matrix.siteSeconds[i] });
		areas.sort((a, b) => a.seconds - b.seconds || a.d - b.d);
		let load = 0;
		for (const { d } of areas) {
			load += start[zOf.get(key(d, s))!] * model.demandSize[d];
			start[hOf.get(key(d, s))!] = load < model.siteCapacity[s] * (1 - 1e-12) ? 1 : 0;
		}
	}

	const result = await solver.solve(milp, { start, timeLimitS: options.timeLimitS ?? 60 });
	if (
		(result.status !== 'optimal' && result.status !== 'time-limit') ||
		result.values.length !== milp.colCost.length
	)
		throw new SitingError(
			'SOLVER_FAILED',
			`${solver.name} could not solve the capacity-aware model (${candidates.length} candidates, ${zOf.size} pairs): ${result.detail}`
		);
	const chosen = candidates.filter((s) => result.values[xOf[s]] > 0.5);
	const extra = {
		bestAssignmentWeight: result.objective,
		upperBound: Number.isFinite(result.bound) ? Math.max(result.bound, result.objective) : null,
		status: (result.status === 'optimal'
			? 'optimal'
			: 'time-limit') as CapacitatedSolution['status']
	};
	const solution = solutionOf('exact', k, matrix, model, chosen, fixedServed, extra, started);
	// Never report less than the warm start (a time-limited incumbent, or float noise).
	if (solution.servedWeight + 1e-9 < greedy.servedWeight)
		return solutionOf(
			'exact',
			k,
			matrix,
			model,
			greedy.sites.map((station) => station.site),
			fixedServed,
			extra,
			started
		);
	return solution;
}
