/**
 * Walking graphs of the real networks for the benchmark and the search tests.
 *
 * Uses the engine's graph builder (src/lib/engine/graph/build.ts) when it exists; until then a
 * minimal local conversion of network features: a way is walkable unless it is a motorway, a
 * tunnel (tunnel=* other than "no", e.g. the Huangpu road tunnels) that is not a footway-type way,
 * or closed to walkers (foot=no, or access=no/private without foot=yes/designated/permissive).
 * Every vertex is a node (shared coordinates join ways), every segment an edge with its
 * haversine length; highway=steps sets EDGE_FLAGS.steps.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { haversineM } from '../../src/lib/engine/graph/geodesic.ts';
import { EDGE_FLAGS, RoadGraph } from '../../src/lib/engine/graph/road-graph.ts';
import { readOsm, osmToNetworkFeatures } from '../../src/lib/engine/osm/index.ts';
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
const builderPath = path.join(repoRoot, 'src', 'lib', 'engine', 'graph', 'build.ts');

const NOT_WALKABLE_HIGHWAYS = new Set([
	'motorway',
	'motorway_link',
	'proposed',
	'construction',
	'raceway',
	'bus_guideway'
]);
const PEDESTRIAN_HIGHWAYS = new Set([
	'footway',
	'path',
	'pedestrian',
	'steps',
	'corridor',
	'cycleway'
]);

function walkable(properties: Record<string, unknown>): boolean {
	const tag = (key: string) =>
		typeof properties[key] === 'string' ? (properties[key] as string) : undefined;
	const highway = tag('highway') ?? '';
	if (NOT_WALKABLE_HIGHWAYS.has(highway)) return false;
	const foot = tag('foot');
	if (foot === 'no') return false;
	const footAllowed = foot === 'yes' || foot === 'designated' || foot === 'permissive';
	const access = tag('access');
	if ((access === 'no' || access === 'private') && !footAllowed) return false;
	const tunnel = tag('tunnel');
	if (tunnel !== undefined && tunnel !== 'no' && !PEDESTRIAN_HIGHWAYS.has(highway) && !footAllowed)
		return false;
	return true;
}

/** The minimal local conversion (see the file comment). */
export function localGraphFromFeatures(features: readonly NetworkFeature[]): RoadGraph {
	const nodeIds = new Map<string, number>();
	const nodeLon: number[] = [];
	const nodeLat: number[] = [];
	const from: number[] = [];
	const to: number[] = [];
	const lengthM: number[] = [];
	const flags: number[] = [];
	const nodeOf = (lon: number, lat: number) => {
		const key = `${Math.round(lon * 1e7)},${Math.round(lat * 1e7)}`;
		let id = nodeIds.get(key);
		if (id === undefined) {
			id = nodeLon.length;
			nodeIds.set(key, id);
			nodeLon.push(lon);
			nodeLat.push(lat);
		}
		return id;
	};
	for (const feature of features) {
		const properties = (feature.properties ?? {}) as Record<string, unknown>;
		if (!walkable(properties)) continue;
		const segmentFlags = properties.highway === 'steps' ? EDGE_FLAGS.steps : 0;
		const geometry = feature.geometry;
		const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
		for (const line of lines) {
			for (let i = 1; i < line.length; i++) {
				const a = nodeOf(line[i - 1][0], line[i - 1][1]);
				const b = nodeOf(line[i][0], line[i][1]);
				if (a === b) continue;
				from.push(a);
				to.push(b);
				lengthM.push(haversineM(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]));
				flags.push(segmentFlags);
			}
		}
	}
	return RoadGraph.build({
		nodeLon,
		nodeLat,
		segmentFrom: from,
		segmentTo: to,
		segmentLengthM: lengthM,
		segmentFlags: flags
	});
}

/** Which conversion built a graph: the engine's builder or the local stand-in. */
export type GraphSource =
	'engine builder (graph/build.ts)' | 'local conversion (scripts/bench/network.ts)';

interface Builder {
	buildWalkGraphFromOsm?: (data: ReturnType<typeof readOsm>) => unknown;
	buildWalkGraph?: (features: NetworkFeature[]) => unknown;
}

/** The RoadGraph inside whatever the builder returns (a RoadGraph or { graph }). */
function graphOf(built: unknown): RoadGraph | undefined {
	if (built instanceof RoadGraph) return built;
	const inner = (built as { graph?: unknown } | undefined)?.graph;
	return inner instanceof RoadGraph ? inner : undefined;
}

async function engineBuilder(): Promise<Builder | undefined> {
	if (!existsSync(builderPath)) return undefined;
	try {
		return (await import(builderPath)) as Builder;
	} catch {
		return undefined;
	}
}

/** Monaco's walking graph from the shared PBF (engine builder when present). */
export async function monacoGraph(): Promise<{ graph: RoadGraph; source: GraphSource }> {
	const bytes = new Uint8Array(await readFile(monacoPbfPath));
	const data = readOsm(bytes, 'monaco.osm.pbf');
	const builder = await engineBuilder();
	const built = builder?.buildWalkGraphFromOsm
		? graphOf(builder.buildWalkGraphFromOsm(data))
		: undefined;
	if (built) return { graph: built, source: 'engine builder (graph/build.ts)' };
	return {
		graph: localGraphFromFeatures(osmToNetworkFeatures(data).features),
		source: 'local conversion (scripts/bench/network.ts)'
	};
}

/** The Shanghai demo region's walking graph from its network.geojson (engine builder when present). */
export async function shanghaiGraph(): Promise<{ graph: RoadGraph; source: GraphSource }> {
	const features = (
		JSON.parse(await readFile(shanghaiNetworkPath, 'utf8')) as { features: NetworkFeature[] }
	).features;
	const builder = await engineBuilder();
	const built = builder?.buildWalkGraph ? graphOf(builder.buildWalkGraph(features)) : undefined;
	if (built) return { graph: built, source: 'engine builder (graph/build.ts)' };
	return {
		graph: localGraphFromFeatures(features),
		source: 'local conversion (scripts/bench/network.ts)'
	};
}
