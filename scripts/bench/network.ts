/**
 * The real walking graphs used by the benchmark and the search tests, built with the engine's
 * graph builder (src/lib/engine/graph/build.ts): Monaco from the shared OSM extract and the
 * Shanghai demo region from its network.geojson.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
	buildWalkGraph,
	buildWalkGraphFromOsm,
	type WalkGraphReport
} from '../../src/lib/engine/graph/build.ts';
import type { RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import { readOsm } from '../../src/lib/engine/osm/index.ts';
import type { NetworkFeature } from '../../src/lib/engine/region/schema.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..');
/** The shared data folder beside the repository. */
export const sharedDataDir = path.join(repoRoot, '..', 'shared', 'data');
export const monacoPbfPath = path.join(sharedDataDir, 'osm', 'monaco.osm.pbf');
export const shanghaiNetworkPath = path.join(
	repoRoot,
	'data',
	'regions',
	'shanghai-bund-lujiazui',
	'network.geojson'
);

/** Monaco's walking graph from the shared PBF. */
export async function monacoGraph(): Promise<{ graph: RoadGraph; report: WalkGraphReport }> {
	const bytes = new Uint8Array(await readFile(monacoPbfPath));
	return buildWalkGraphFromOsm(readOsm(bytes, 'monaco.osm.pbf'), { file: 'monaco.osm.pbf' });
}

/** The Shanghai demo region's walking graph from its network.geojson. */
export async function shanghaiGraph(): Promise<{ graph: RoadGraph; report: WalkGraphReport }> {
	const text = await readFile(shanghaiNetworkPath, 'utf8');
	const features = (JSON.parse(text) as { features: NetworkFeature[] }).features;
	return buildWalkGraph(features, { file: 'network.geojson' });
}
