/**
 * The walking graph of a region for the app: built from the region's network file with the same
 * engine builder and options as the CLI (server/network-file-graph.ts), kept in memory per region
 * while the file is unchanged, and handed out as the graph's one ArrayBuffer.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { REGION_MIN_COMPONENT_NODES } from '../engine/graph/network-file.ts';
import type { RoadGraph } from '../engine/graph/road-graph.ts';
import { buildNetworkFileGraphFromPath } from './network-file-graph.ts';
import { readRegionMeta } from './region-store.ts';

const built = new Map<string, { size: number; mtimeMs: number; graph: RoadGraph }>();

/**
 * @returns the region's graph, or null when the region has no walking network
 * @throws RegionFileError for a broken region.json; WalkGraphError for an unusable network
 */
export function regionGraph(regionsDir: string, id: string): RoadGraph | null {
	const meta = readRegionMeta(regionsDir, id);
	if (!meta.layers.network) return null;
	const file = join(regionsDir, id, meta.layers.network);
	const { size, mtimeMs } = statSync(file);
	const cached = built.get(file);
	if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.graph;
	// Streamed from the file: a network of any size loads (issue 18 item 4).
	const { graph } = buildNetworkFileGraphFromPath(
		file,
		`data/regions/${id}/${meta.layers.network}`,
		{ minComponentNodes: REGION_MIN_COMPONENT_NODES }
	);
	built.set(file, { size, mtimeMs, graph });
	return graph;
}
