/**
 * Node adapter: a region's walking graph, built once and then loaded from a binary cache.
 *
 * The cache file is the RoadGraph buffer byte for byte (`RoadGraph.from` wraps it without
 * parsing), beside it the build report as JSON. Its name carries a hash of everything the graph
 * depends on — the network file's bytes, the builder sources (walkability.ts, build.ts,
 * road-graph.ts, geodesic.ts, osm/network.ts) and the options — so editing the tag table or
 * the network rebuilds it, and stale files are simply never read again.
 *
 *   <repo>/.cache/graphs/<regionId>-<sha256 prefix>.bin   the graph buffer
 *   <repo>/.cache/graphs/<regionId>-<sha256 prefix>.json  the WalkGraphReport of its build
 *
 * Measure build vs load: node scripts/graph-cache.ts [regionDir | file.osm.pbf …]
 */
import { createHash } from 'node:crypto';
import { updateHashFromFile } from '../src/lib/server/file-hash.ts';
import {
	closeSync,
	existsSync,
	fstatSync,
	mkdirSync,
	openSync,
	readFileSync,
	readSync,
	renameSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import {
	WalkGraphError,
	type WalkGraphOptions,
	type WalkGraphReport
} from '../src/lib/engine/graph/build.ts';
import {
	buildNetworkFileGraph,
	REGION_MIN_COMPONENT_NODES
} from '../src/lib/engine/graph/network-file.ts';
import { RoadGraph } from '../src/lib/engine/graph/road-graph.ts';
import { buildNetworkFileGraphFromPath } from '../src/lib/server/network-file-graph.ts';
import type { RegionMeta } from '../src/lib/engine/region/schema.ts';

export { buildNetworkFileGraph };

const repoRoot = path.join(import.meta.dirname, '..');
const engineDir = path.join(repoRoot, 'src', 'lib', 'engine');
/** Sources whose content decides the graph: a change to any of them invalidates the cache. */
const BUILDER_SOURCES = [
	'graph/walkability.ts',
	'graph/build.ts',
	'graph/road-graph.ts',
	'graph/geodesic.ts',
	'graph/network-file.ts',
	'graph/geojson-stream.ts',
	'osm/network.ts'
].map((file) => path.join(engineDir, file));

/** Default cache folder (git-ignored). */
export const defaultGraphCacheDir = path.join(repoRoot, '.cache', 'graphs');

export interface LoadRegionGraphOptions extends Pick<WalkGraphOptions, 'minComponentNodes'> {
	/** Where cache files live (default `<repo>/.cache/graphs`). */
	cacheDir?: string;
	/** Build even when a cache file exists, and rewrite it (default false). */
	rebuild?: boolean;
}

export interface LoadedRegionGraph {
	graph: RoadGraph;
	/** The report of the build that made this graph (read back from the cache when loaded). */
	report: WalkGraphReport;
	fromCache: boolean;
	/** The cache file read or written. */
	cacheFile: string;
}

/** Read a whole file into a fresh ArrayBuffer (one copy; a Node Buffer may share a pool). */
function readArrayBuffer(file: string): ArrayBuffer {
	const fd = openSync(file, 'r');
	try {
		const size = fstatSync(fd).size;
		const buffer = new ArrayBuffer(size);
		const bytes = new Uint8Array(buffer);
		let offset = 0;
		while (offset < size) {
			const read = readSync(fd, bytes, offset, size - offset, offset);
			if (read === 0) break;
			offset += read;
		}
		return buffer;
	} finally {
		closeSync(fd);
	}
}

/** Write then rename, so a reader never sees half a file. */
function writeAtomically(file: string, data: Uint8Array | string): void {
	const partial = `${file}.${process.pid}.partial`;
	writeFileSync(partial, data);
	renameSync(partial, file);
}

/**
 * The walking graph of a region: loaded from `<repo>/.cache/graphs/<regionId>-<hash>.bin` when
 * that file exists, else built from the region's network layer (GeoJSON or OSM extract) and
 * cached. The hash covers the network file's content, the builder sources and the options.
 *
 * @param regionDir the region folder (holding region.json)
 * @param meta the region's parsed region.json (its `id` and `layers.network` are used)
 * @param options minComponentNodes (default 20), cacheDir, rebuild
 * @throws WalkGraphError EMPTY_NETWORK when the region has no network layer; the build's errors
 * @example
 * const { graph, report, fromCache } = loadRegionGraph('data/regions/shanghai-bund-lujiazui', meta);
 */
export function loadRegionGraph(
	regionDir: string,
	meta: Pick<RegionMeta, 'id' | 'layers'>,
	options: LoadRegionGraphOptions = {}
): LoadedRegionGraph {
	const networkName = meta.layers.network;
	if (!networkName) {
		throw new WalkGraphError(
			'EMPTY_NETWORK',
			path.join(regionDir, 'region.json'),
			`region "${meta.id}" has no walking network (layers.network is null), so walking times cannot be computed. ` +
				`Add one from an OpenStreetMap extract: npm run region:build -- --region ${meta.id} --osm <file.osm.pbf>`
		);
	}
	const networkFile = path.join(regionDir, networkName);
	const buildOptions: WalkGraphOptions = {
		minComponentNodes: options.minComponentNodes ?? REGION_MIN_COMPONENT_NODES
	};

	const hash = createHash('sha256');
	updateHashFromFile(hash, networkFile); // the same digest as of the whole bytes
	for (const source of BUILDER_SOURCES)
		hash.update(existsSync(source) ? readFileSync(source) : source);
	hash.update(JSON.stringify(buildOptions));
	const cacheDir = options.cacheDir ?? defaultGraphCacheDir;
	const cacheBase = path.join(cacheDir, `${meta.id}-${hash.digest('hex').slice(0, 16)}`);
	const cacheFile = `${cacheBase}.bin`;
	const reportFile = `${cacheBase}.json`;

	if (!options.rebuild && existsSync(cacheFile) && existsSync(reportFile)) {
		try {
			const graph = RoadGraph.from(readArrayBuffer(cacheFile));
			const report = JSON.parse(readFileSync(reportFile, 'utf8')) as WalkGraphReport;
			return { graph, report, fromCache: true, cacheFile };
		} catch {
			// A truncated or foreign cache file: rebuild it below.
		}
	}
	// Streamed from the file (server/network-file-graph.ts): a network of any size loads.
	const { graph, report } = buildNetworkFileGraphFromPath(
		networkFile,
		path.relative(process.cwd(), networkFile) || networkFile,
		buildOptions
	);
	mkdirSync(cacheDir, { recursive: true });
	writeAtomically(cacheFile, new Uint8Array(graph.buffer));
	writeAtomically(reportFile, `${JSON.stringify(report, null, 1)}\n`);
	return { graph, report, fromCache: false, cacheFile };
}

// Measurement when run directly: build vs load time per region folder or OSM file.
if (import.meta.main) {
	const targets = process.argv.slice(2);
	if (targets.length === 0) {
		targets.push(
			path.join(repoRoot, 'data', 'regions', 'shanghai-bund-lujiazui'),
			path.join(repoRoot, '..', 'shared', 'data', 'osm', 'monaco.osm.pbf')
		);
	}
	const cacheDir = path.join(defaultGraphCacheDir, 'measure');
	for (const target of targets) {
		let regionDir = target;
		let meta: Pick<RegionMeta, 'id' | 'layers'>;
		if (existsSync(path.join(target, 'region.json'))) {
			meta = JSON.parse(readFileSync(path.join(target, 'region.json'), 'utf8')) as RegionMeta;
		} else {
			regionDir = path.dirname(target);
			meta = {
				id: path.basename(target).replace(/\..*$/, '').toLowerCase(),
				layers: {
					network: path.basename(target),
					boundaries: null,
					residential: null,
					facilities: null
				}
			};
		}
		const buildMs: number[] = [];
		const loadMs: number[] = [];
		let loaded: LoadedRegionGraph | undefined;
		for (let run = 0; run < 5; run++) {
			let started = performance.now();
			loaded = loadRegionGraph(regionDir, meta, { cacheDir, rebuild: true });
			buildMs.push(performance.now() - started);
			started = performance.now();
			loaded = loadRegionGraph(regionDir, meta, { cacheDir });
			loadMs.push(performance.now() - started);
			if (!loaded.fromCache) throw new Error('expected a cache hit');
		}
		const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
		const { report } = loaded!;
		console.log(
			`${meta.id}: ${report.nodes} nodes, ${report.directedEdges} directed edges, ${report.bytesPerDirectedEdge.toFixed(2)} B/edge; ` +
				`build (read file + parse + build + write cache) median ${median(buildMs).toFixed(1)} ms, load from cache (hash + read + RoadGraph.from) median ${median(loadMs).toFixed(2)} ms, ratio ${(median(loadMs) / median(buildMs)).toFixed(3)}`
		);
	}
}
