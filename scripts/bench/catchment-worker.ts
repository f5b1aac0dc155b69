/** Node worker_threads entry of the catchment pool: the protocol's handler on parentPort. */
import { parentPort } from 'node:worker_threads';
import { RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import type { WalkSearch } from '../../src/lib/engine/graph/search.ts';
import { handlePoolRequest, type PoolRequest } from './catchment-protocol.ts';

const state: { search: WalkSearch | null } = { search: null };
parentPort!.on('message', (request: PoolRequest) => {
	const reply = handlePoolRequest(state, request, (buffer) =>
		RoadGraph.from(buffer as ArrayBuffer)
	);
	const transfer =
		reply.type === 'catchments' && reply.ok
			? [
					reply.result.nodes.buffer,
					reply.result.timeS.buffer,
					reply.result.nodeOffsets.buffer,
					...(reply.result.facilities ? [reply.result.facilities.buffer] : [])
				]
			: [];
	parentPort!.postMessage(reply, transfer as ArrayBuffer[]);
});
