/**
 * The message protocol of the catchment worker pool, kept free of Node and DOM imports so the
 * same messages and handler serve a Node worker_threads pool (scripts/bench/pool.ts) and,
 * later, a browser Web Worker pool (src/lib/worker).
 *
 *   main → worker  { type: 'init', graphBuffer }           once per worker; the graph's bytes
 *                                                          (a SharedArrayBuffer: no copy per worker)
 *   worker → main  { type: 'ready' }
 *   main → worker  { type: 'catchments', id, batch, options }   any number of times
 *   main → worker  { type: 'catchments', id, batch, options, next, chunkSize }   the same, shared:
 *                  every worker gets the whole batch and takes chunks of it itself by
 *                  Atomics.add on `next` (an Int32Array on a SharedArrayBuffer) until none are
 *                  left, so no message travels while the batch runs and the main thread need
 *                  not run at all
 *   worker → main  { type: 'catchments', id, ok: true, result } | { type: 'catchments', id, ok: false, code, message }
 *
 * Batches and results are flat typed arrays (CSR: offsets + values), so they cross the worker
 * boundary by structured clone of a few buffers, or by transfer, never as one object per node.
 */
import type { RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import {
	WalkSearch,
	type SearchOptions,
	type SearchSource
} from '../../src/lib/engine/graph/search.ts';

/** Facilities' sources, flat: facility f owns sources sourceOffsets[f] .. sourceOffsets[f+1]-1. */
export interface FacilityBatch {
	/** Index of the batch's first facility in the caller's list. */
	firstFacility: number;
	/** CSR offsets into the source arrays, one entry per facility plus one. */
	sourceOffsets: Uint32Array;
	/** Source node, one entry per source. */
	sourceNode: Uint32Array;
	/** Seconds already spent at the source node, one entry per source. */
	sourceInitialS: Float64Array;
}

/**
 * Catchments of a batch, flat: catchment k reaches nodes[nodeOffsets[k] .. nodeOffsets[k+1]-1];
 * it is facility firstFacility + k, or facilities[k] when the worker took chunks of a shared batch.
 */
export interface CatchmentBatchResult {
	firstFacility: number;
	/** The facility (index in the caller's list) of each catchment, when not firstFacility + k. */
	facilities?: Uint32Array;
	/** CSR offsets into nodes/timeS, one entry per facility plus one. */
	nodeOffsets: Uint32Array;
	/** Reached node, in settle order per facility. */
	nodes: Uint32Array;
	/** Seconds to each reached node. */
	timeS: Float64Array;
}

export type PoolRequest =
	| { type: 'init'; graphBuffer: ArrayBufferLike }
	| {
			type: 'catchments';
			id: number;
			batch: FacilityBatch;
			options: SearchOptions;
			/** Shared batches: the next facility to take (Int32Array of one entry on a SharedArrayBuffer). */
			next?: Int32Array;
			/** Shared batches: facilities taken at a time. */
			chunkSize?: number;
	  };

export type PoolReply =
	| { type: 'ready' }
	| { type: 'catchments'; id: number; ok: true; result: CatchmentBatchResult }
	| { type: 'catchments'; id: number; ok: false; code: string; message: string };

/** Pack facilities' sources into a batch (facilities start..end-1 of the list). */
export function packFacilities(
	facilities: readonly { sources: readonly SearchSource[] }[],
	start = 0,
	end = facilities.length
): FacilityBatch {
	const sourceOffsets = new Uint32Array(end - start + 1);
	let total = 0;
	for (let f = start; f < end; f++) {
		total += facilities[f].sources.length;
		sourceOffsets[f - start + 1] = total;
	}
	const sourceNode = new Uint32Array(total);
	const sourceInitialS = new Float64Array(total);
	let at = 0;
	for (let f = start; f < end; f++) {
		for (const source of facilities[f].sources) {
			sourceNode[at] = source.node;
			sourceInitialS[at++] = source.initialS;
		}
	}
	return { firstFacility: start, sourceOffsets, sourceNode, sourceInitialS };
}

/** Catchments appended one by one into flat arrays that grow as they fill. */
class CatchmentCollector {
	private nodeOffsets: Uint32Array;
	private facilities: Uint32Array;
	private nodes = new Uint32Array(1024);
	private timeS = new Float64Array(1024);
	private used = 0;
	private count = 0;

	constructor(expected: number) {
		this.nodeOffsets = new Uint32Array(expected + 1);
		this.facilities = new Uint32Array(expected);
	}

	/** Keep the last run of `search` as facility `facility`'s catchment; `left` more are expected. */
	add(search: WalkSearch, facility: number, left: number): void {
		const reached = search.reachedCount;
		if (this.used + reached > this.nodes.length) {
			// Room for this catchment and as many again as the average so far per facility left.
			const perFacility = (this.used + reached) / (this.count + 1);
			const capacity = Math.max(
				2 * this.nodes.length,
				Math.ceil(this.used + reached + perFacility * left)
			);
			const grownNodes = new Uint32Array(capacity);
			grownNodes.set(this.nodes.subarray(0, this.used));
			const grownTimes = new Float64Array(capacity);
			grownTimes.set(this.timeS.subarray(0, this.used));
			this.nodes = grownNodes;
			this.timeS = grownTimes;
		}
		if (this.count === this.facilities.length) {
			const facilities = new Uint32Array(2 * this.count);
			facilities.set(this.facilities);
			this.facilities = facilities;
			const offsets = new Uint32Array(2 * this.count + 1);
			offsets.set(this.nodeOffsets);
			this.nodeOffsets = offsets;
		}
		this.used += search.copyReached(this.nodes, this.timeS, this.used);
		this.facilities[this.count++] = facility;
		this.nodeOffsets[this.count] = this.used;
	}

	result(firstFacility: number, listFacilities: boolean): CatchmentBatchResult {
		return {
			firstFacility,
			...(listFacilities ? { facilities: this.facilities.subarray(0, this.count) } : {}),
			nodeOffsets: this.nodeOffsets.subarray(0, this.count + 1),
			// Views of the whole buffers (transferred, not copied; the tail past `used` is slack).
			nodes: this.nodes.subarray(0, this.used),
			timeS: this.timeS.subarray(0, this.used)
		};
	}
}

/** Search facility f of the batch (sources labelled f). */
function runFacility(
	search: WalkSearch,
	batch: FacilityBatch,
	f: number,
	sources: SearchSource[],
	options: SearchOptions
): void {
	sources.length = 0;
	for (let s = batch.sourceOffsets[f]; s < batch.sourceOffsets[f + 1]; s++) {
		sources.push({ node: batch.sourceNode[s], initialS: batch.sourceInitialS[s], label: f });
	}
	search.run(sources, options);
}

/**
 * Run one bounded search per facility of the batch on a reused WalkSearch (what a worker does
 * with a 'catchments' request).
 */
export function runCatchmentBatch(
	search: WalkSearch,
	batch: FacilityBatch,
	options: SearchOptions
): CatchmentBatchResult {
	const facilityCount = batch.sourceOffsets.length - 1;
	const collector = new CatchmentCollector(facilityCount);
	const sources: SearchSource[] = [];
	for (let f = 0; f < facilityCount; f++) {
		runFacility(search, batch, f, sources, options);
		collector.add(search, batch.firstFacility + f, facilityCount - f - 1);
	}
	return collector.result(batch.firstFacility, false);
}

/**
 * Take chunks of `chunkSize` facilities of a batch that other workers share, by Atomics.add
 * on `next`, until none are left; search each (what a worker does with a shared 'catchments'
 * request). The result lists the facilities it took.
 */
export function runSharedCatchments(
	search: WalkSearch,
	batch: FacilityBatch,
	options: SearchOptions,
	next: Int32Array,
	chunkSize: number
): CatchmentBatchResult {
	const facilityCount = batch.sourceOffsets.length - 1;
	const collector = new CatchmentCollector(Math.min(facilityCount, 64));
	const sources: SearchSource[] = [];
	for (;;) {
		const start = Atomics.add(next, 0, chunkSize);
		if (start >= facilityCount) break;
		const end = Math.min(facilityCount, start + chunkSize);
		for (let f = start; f < end; f++) {
			runFacility(search, batch, f, sources, options);
			collector.add(search, batch.firstFacility + f, Math.max(0, (facilityCount - end) >> 1));
		}
	}
	return collector.result(batch.firstFacility, true);
}

/** The worker side: answer one request. `state.search` holds the WalkSearch after 'init'. */
export function handlePoolRequest(
	state: { search: WalkSearch | null },
	request: PoolRequest,
	graphFrom: (buffer: ArrayBufferLike) => RoadGraph
): PoolReply {
	if (request.type === 'init') {
		state.search = new WalkSearch(graphFrom(request.graphBuffer));
		return { type: 'ready' };
	}
	if (state.search === null) {
		return {
			type: 'catchments',
			id: request.id,
			ok: false,
			code: 'POOL_NOT_INITIALISED',
			message: 'send { type: "init", graphBuffer } before catchment requests'
		};
	}
	try {
		return {
			type: 'catchments',
			id: request.id,
			ok: true,
			result:
				request.next === undefined
					? runCatchmentBatch(state.search, request.batch, request.options)
					: runSharedCatchments(
							state.search,
							request.batch,
							request.options,
							request.next,
							request.chunkSize ?? 1
						)
		};
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		return {
			type: 'catchments',
			id: request.id,
			ok: false,
			code: typeof code === 'string' ? code : 'SEARCH_FAILED',
			message: error instanceof Error ? error.message : String(error)
		};
	}
}
