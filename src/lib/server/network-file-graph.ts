/**
 * A network file's walking graph read from disk in chunks (issue 18 item 4): a GeoJSON network
 * streams through the engine's GeoJsonNetworkGraphBuilder, so neither the file's bytes nor a
 * string of them is held whole, and networks past V8's string limit (about 11 M nodes) load.
 * An OSM extract is read whole (readOsm takes bytes). The server (region-graph.ts) and the CLI
 * cache (scripts/graph-cache.ts) both build through here.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { WalkGraphOptions, WalkGraphReport } from '../engine/graph/build.ts';
import {
	buildNetworkFileGraph,
	GeoJsonNetworkGraphBuilder,
	NETWORK_CHUNK_BYTES,
	networkFileKind
} from '../engine/graph/network-file.ts';
import type { RoadGraph } from '../engine/graph/road-graph.ts';

export interface NetworkFileGraphOptions extends WalkGraphOptions {
	/** Bytes read at a time (default NETWORK_CHUNK_BYTES, 1 MiB; tests use tiny ones). */
	chunkBytes?: number;
}

/**
 * Build the walking graph of the network file at `path`, as buildNetworkFileGraph does from
 * its bytes (the same graph, byte for byte, and the same errors).
 * @param path the file on disk
 * @param file the name messages give it, e.g. `data/regions/<id>/network.geojson`
 * @param options the builder's (minComponentNodes …) and chunkBytes
 * @throws WalkGraphError, ImportError for an unreadable OSM extract, fs errors
 * @example
 * const { graph } = buildNetworkFileGraphFromPath(file, 'data/regions/x/network.geojson', {
 * 	minComponentNodes: REGION_MIN_COMPONENT_NODES
 * });
 */
export function buildNetworkFileGraphFromPath(
	path: string,
	file: string,
	options: NetworkFileGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	const { chunkBytes = NETWORK_CHUNK_BYTES, ...buildOptions } = options;
	if (!(Number.isInteger(chunkBytes) && chunkBytes >= 1))
		throw new RangeError(`chunkBytes ${chunkBytes}: expected an integer ≥ 1`);
	const chunk = new Uint8Array(chunkBytes);
	const fd = openSync(path, 'r');
	try {
		// Leading whitespace or BOM bytes decide nothing; keep them for the reader.
		const leading: Uint8Array[] = [];
		let kind: ReturnType<typeof networkFileKind> = null;
		let read = 0;
		while (kind === null && (read = readSync(fd, chunk, 0, chunkBytes, null)) > 0) {
			kind = networkFileKind(chunk.subarray(0, read));
			if (kind === null) leading.push(chunk.slice(0, read));
		}
		if (kind !== 'geojson')
			return buildNetworkFileGraph(new Uint8Array(readFileSync(path)), file, buildOptions);
		const builder = new GeoJsonNetworkGraphBuilder(file, buildOptions);
		for (const bytes of leading) builder.push(bytes);
		for (; read > 0; read = readSync(fd, chunk, 0, chunkBytes, null))
			builder.push(chunk.subarray(0, read));
		return builder.finish();
	} finally {
		closeSync(fd);
	}
}
