/**
 * A region's network file (GeoJSON lines or an OSM extract) → walking graph. Pure: bytes in,
 * graph out, so the CLI's cache (scripts/graph-cache.ts), the server and the tests build the
 * same graph from the same file. GeoJSON is streamed (geojson-stream.ts): read in chunks, each
 * feature handed to the builder as it is parsed, so a network of any size loads — no string of
 * the whole file, no array of all its features (issue 18 item 4); server/network-file-graph.ts
 * feeds it from a file.
 */
import {
	buildWalkGraphFromOsm,
	WalkGraphBuilder,
	WalkGraphError,
	type WalkGraphOptions,
	type WalkGraphReport
} from './build.ts';
import { FeatureCollectionReader, JsonSyntaxError } from './geojson-stream.ts';
import type { RoadGraph } from './road-graph.ts';
import { readOsm } from '../osm/index.ts';

/** Smallest connected piece kept by the region graph (CLI, server and app use the same). */
export const REGION_MIN_COMPONENT_NODES = 20;

/** Bytes read and scanned at a time (as server/feature-count.ts). */
export const NETWORK_CHUNK_BYTES = 1 << 20;

/**
 * What a network file is by its first bytes: GeoJSON when the first byte that is not a control
 * character, space or BOM byte is "{", else an OSM extract (readOsm tells XML from PBF); null
 * while only such leading bytes have been seen.
 */
export function networkFileKind(bytes: Uint8Array): 'geojson' | 'osm' | null {
	let first = 0;
	while (
		first < bytes.length &&
		(bytes[first] <= 0x20 ||
			bytes[first] === 0xef ||
			bytes[first] === 0xbb ||
			bytes[first] === 0xbf)
	)
		first++;
	if (first === bytes.length) return null;
	return bytes[first] === 0x7b /* { */ ? 'geojson' : 'osm';
}

/**
 * A GeoJSON network file's walking graph from its bytes pushed in chunks of any size, then
 * `finish()`. Refuses what the whole-file parse refused, in the same order: text that is not
 * JSON (now with the byte, line and column), then a top level that is not a FeatureCollection
 * with a "features" array, then the builder's errors (WalkGraphBuilder).
 * @example
 * const builder = new GeoJsonNetworkGraphBuilder('network.geojson');
 * for (const chunk of chunks) builder.push(chunk);
 * const { graph, report } = builder.finish();
 */
export class GeoJsonNetworkGraphBuilder {
	private readonly file: string;
	private readonly options: WalkGraphOptions;
	private builder: WalkGraphBuilder | null = null;
	/** The builder's error, thrown by finish() unless the text turns out not to be JSON. */
	private builderError: unknown = null;
	private readonly reader: FeatureCollectionReader;

	constructor(file: string, options: WalkGraphOptions = {}) {
		this.file = file;
		this.options = { ...options, file };
		this.reader = new FeatureCollectionReader({
			startFeatures: () => {
				// A later "features" member replaces an earlier one, as in JSON.parse.
				this.builder = null;
				this.builderError = null;
				try {
					this.builder = new WalkGraphBuilder(this.options);
				} catch (error) {
					this.builderError = error;
				}
			},
			feature: (feature) => {
				if (this.builder === null) return;
				try {
					this.builder.add(feature);
				} catch (error) {
					this.builder = null; // nothing more to build; the rest is still checked as JSON
					this.builderError = error;
				}
			}
		});
	}

	/** The next bytes of the file (the buffer may be reused once this returns). */
	push(bytes: Uint8Array): void {
		try {
			this.reader.push(bytes);
		} catch (error) {
			throw this.jsonError(error);
		}
	}

	/** @throws WalkGraphError INVALID_GEOMETRY (not JSON, not a FeatureCollection) and the builder's */
	finish(): { graph: RoadGraph; report: WalkGraphReport } {
		let summary: ReturnType<FeatureCollectionReader['end']>;
		try {
			summary = this.reader.end();
		} catch (error) {
			throw this.jsonError(error);
		}
		if (summary.type !== 'FeatureCollection' || !summary.featuresIsArray) {
			throw new WalkGraphError(
				'INVALID_GEOMETRY',
				this.file,
				`field "type" = ${JSON.stringify(summary.type ?? null)}; expected a GeoJSON FeatureCollection with a "features" array`
			);
		}
		if (this.builderError !== null) throw this.builderError;
		return (this.builder as WalkGraphBuilder).finish();
	}

	private jsonError(error: unknown): unknown {
		if (!(error instanceof JsonSyntaxError)) return error;
		return new WalkGraphError(
			'INVALID_GEOMETRY',
			this.file,
			`不是有效的 JSON（第 ${error.line} 行第 ${error.column} 列，第 ${error.offset} 字节）/ not valid JSON (${error.message}); expected a GeoJSON FeatureCollection of network lines`
		);
	}
}

/**
 * Build the walking graph of a network file: GeoJSON (a FeatureCollection of network lines,
 * streamed in NETWORK_CHUNK_BYTES pieces) or an OSM extract (.osm / .osm.pbf, recognised by
 * content through readOsm).
 * @throws WalkGraphError (EMPTY_NETWORK, NO_WALKABLE_WAYS, …), ImportError for unreadable OSM
 */
export function buildNetworkFileGraph(
	bytes: Uint8Array,
	file: string,
	options: WalkGraphOptions = {}
): { graph: RoadGraph; report: WalkGraphReport } {
	if (networkFileKind(bytes) !== 'geojson')
		return buildWalkGraphFromOsm(readOsm(bytes, file), { ...options, file });
	const builder = new GeoJsonNetworkGraphBuilder(file, options);
	for (let at = 0; at < bytes.length; at += NETWORK_CHUNK_BYTES)
		builder.push(bytes.subarray(at, at + NETWORK_CHUNK_BYTES));
	return builder.finish();
}
