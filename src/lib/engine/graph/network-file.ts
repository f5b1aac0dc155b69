/**
 * A region's network file (GeoJSON lines or an OSM extract) → walking graph. Pure: bytes in,
 * graph out, so the CLI's cache (scripts/graph-cache.ts), the server and the tests build the
 * same graph from the same file.
 */
import {
	buildWalkGraph,
	buildWalkGraphFromOsm,
	WalkGraphError,
	type WalkGraphOptions,
	type WalkGraphReport
} from './build.ts';
import type { RoadGraph } from './road-graph.ts';
import { readOsm } from '../osm/index.ts';
import type { NetworkFeature } from '../region/schema.ts';
import { TextDecoder } from '../text.ts';

/** Smallest connected piece kept by the region graph (CLI, server and app use the same). */
export const REGION_MIN_COMPONENT_NODES = 20;

/**
 * Build the walking graph of a network file: GeoJSON (a FeatureCollection of network lines) or
 * an OSM extract (.osm / .osm.pbf, recognised by content through readOsm).
 * @throws WalkGraphError (EMPTY_NETWORK, NO_WALKABLE_WAYS, …), ImportError for unreadable OSM
 */
export function buildNetworkFileGraph(
	bytes: Uint8Array,
	file: string,
	options: WalkGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	let first = 0;
	while (
		first < bytes.length &&
		(bytes[first] <= 0x20 ||
			bytes[first] === 0xef ||
			bytes[first] === 0xbb ||
			bytes[first] === 0xbf)
	)
		first++;
	if (bytes[first] !== 0x7b /* { */)
		return buildWalkGraphFromOsm(readOsm(bytes, file), { ...options, file });
	let collection: { type?: unknown; features?: unknown };
	try {
		collection = JSON.parse(new TextDecoder().decode(bytes)) as typeof collection;
	} catch (error) {
		throw new WalkGraphError(
			'INVALID_GEOMETRY',
			file,
			`not valid JSON (${(error as Error).message}); expected a GeoJSON FeatureCollection of network lines`
		);
	}
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw new WalkGraphError(
			'INVALID_GEOMETRY',
			file,
			`field "type" = ${JSON.stringify(collection?.type ?? null)}; expected a GeoJSON FeatureCollection with a "features" array`
		);
	}
	return buildWalkGraph(collection.features as NetworkFeature[], { ...options, file });
}
