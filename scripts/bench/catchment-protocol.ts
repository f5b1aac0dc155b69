/**
 * The message protocol of the catchment worker pool, kept free of Node and DOM imports so the
 * same messages and handler serve a Node worker_threads pool (scripts/bench/pool.ts) and,
 * later, a browser Web Worker pool (src/lib/worker).
 *
 *   main → worker  { type: 'init', graphBuffer }           once per worker; the graph's bytes
 *                                                          (a SharedArrayBuffer: no copy per worker)
 *   worker → main  { type: 'ready' }
 *   main → worker  { type: 'catchments', id, batch, options }   any number of times
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

/** Catchments of a batch, flat: facility f reaches nodes[nodeOffsets[f] .. nodeOffsets[f+1]-1]. */
export interface CatchmentBatchResult {
	firstFacility: number;
	/** CSR offsets into nodes/timeS, one entry per facility plus one. */
	nodeOffsets: Uint32Array;
	/** Reached node, in settle order per facility. */
	nodes: Uint32Array;
	/** Seconds to each reached node. */
	timeS: Float64Array;
}

export type PoolRequest =
	| { type: 'init'; graphBuffer: ArrayBufferLike }
	| { type: 'catchments'; id: number; batch: FacilityBatch; options: SearchOptions };

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
	const nodeOffsets = new Uint32Array(facilityCount + 1);
	let nodes = new Uint32Array(1024);
	let timeS = new Float64Array(1024);
	let used = 0;
	const sources: SearchSource[] = [];
	for (let f = 0; f < facilityCount; f++) {
		sources.length = 0;
		for (let s = batch.sourceOffsets[f]; s < batch.sourceOffsets[f + 1]; s++) {
			sources.push({ node: batch.sourceNode[s], initialS: batch.sourceInitialS[s], label: f });
		}
		search.run(sources, options);
		const reached = search.reachedCount;
		if (used + reached > nodes.length) {
			// Room for this catchment and as many again as the average so far per facility left.
			const perFacility = (used + reached) / (f + 1);
			const capacity = Math.max(
				2 * nodes.length,
				Math.ceil(used + reached + perFacility * (facilityCount - f - 1))
			);
			const grownNodes = new Uint32Array(capacity);
			grownNodes.set(nodes.subarray(0, used));
			const grownTimes = new Float64Array(capacity);
			grownTimes.set(timeS.subarray(0, used));
			nodes = grownNodes;
			timeS = grownTimes;
		}
		used += search.copyReached(nodes, timeS, used);
		nodeOffsets[f + 1] = used;
	}
	return {
		firstFacility: batch.firstFacility,
		nodeOffsets,
		// Views of the whole buffers (transferred, not copied; the tail past `used` is slack).
		nodes: nodes.subarray(0, used),
		timeS: timeS.subarray(0, used)
	};
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
			result: runCatchmentBatch(state.search, request.batch, request.options)
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
