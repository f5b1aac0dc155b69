import { describe, expect, it } from 'vitest';
import { haversineM } from '../../../src/lib/engine/graph/geodesic.ts';
import {
	EDGE_FLAGS,
	GraphFormatError,
	RoadGraph
} from '../../../src/lib/engine/graph/road-graph.ts';

/** A 3 × 2 ladder: nodes 0-1-2 over 3-4-5, rungs 0-3, 1-4, 2-5. */
function ladder(): RoadGraph {
	return RoadGraph.build({
		nodeLon: [121.5, 121.501, 121.502, 121.5, 121.501, 121.502],
		nodeLat: [31.23, 31.23, 31.23, 31.231, 31.231, 31.231],
		segmentFrom: [0, 1, 3, 4, 0, 1, 2],
		segmentTo: [1, 2, 4, 5, 3, 4, 5],
		segmentLengthM: [95.2, 95.2, 95.2, 95.2, 111.2, 111.2, 111.2],
		segmentFlags: [0, 0, 0, 0, EDGE_FLAGS.steps, 0, 0]
	});
}

describe('RoadGraph', () => {
	it('stores every segment in both directions, grouped by source node', () => {
		const graph = ladder();
		expect(graph.nodeCount).toBe(6);
		expect(graph.edgeCount).toBe(14);
		const neighbours = (node: number) =>
			Array.from(
				graph.edgeTarget.subarray(graph.firstEdge[node], graph.firstEdge[node + 1])
			).sort();
		expect(neighbours(0)).toEqual([1, 3]);
		expect(neighbours(1)).toEqual([0, 2, 4]);
		expect(neighbours(4)).toEqual([1, 3, 5]);
		const stepsEdges = Array.from(graph.edgeFlags).filter(
			(flags) => flags & EDGE_FLAGS.steps
		).length;
		expect(stepsEdges).toBe(2);
		expect(graph.lon(2)).toBe(121.502);
		expect(graph.lat(3)).toBe(31.231);
	});

	it('round-trips through its single ArrayBuffer without copying', () => {
		const graph = ladder();
		const copy = graph.buffer.slice(0);
		const again = RoadGraph.from(copy);
		expect(again.buffer).toBe(copy);
		expect(Array.from(again.edgeTarget)).toEqual(Array.from(graph.edgeTarget));
		expect(Array.from(again.edgeLengthM)).toEqual(Array.from(graph.edgeLengthM));
		expect(again.bytesPerDirectedEdge).toBe(graph.buffer.byteLength / 14);
	});

	it('refuses a buffer that is not a graph, of another version, or truncated', () => {
		const graph = ladder();
		expect(() => RoadGraph.from(new ArrayBuffer(8))).toThrow(GraphFormatError);
		const wrongMagic = graph.buffer.slice(0);
		new Uint32Array(wrongMagic, 0, 1)[0] = 0;
		expect(() => RoadGraph.from(wrongMagic)).toThrow(
			'not a carecircle road graph (magic "CCRG" missing): rebuild the graph cache'
		);
		const newer = graph.buffer.slice(0);
		new Uint32Array(newer, 4, 1)[0] = 99;
		expect(() => RoadGraph.from(newer)).toThrow(
			'road graph format version 99 is not the supported version 1: rebuild the graph cache'
		);
		expect(() => RoadGraph.from(graph.buffer.slice(0, graph.buffer.byteLength - 4))).toThrow(
			/truncated or corrupt/
		);
	});

	it('measures lengths with the haversine formula (1° of latitude ≈ 111.195 km)', () => {
		expect(haversineM(121, 31, 121, 32)).toBeCloseTo(111_195.08, 1);
		expect(haversineM(0, 0, 1, 0)).toBeCloseTo(111_195.08, 1);
		expect(haversineM(121.5, 31.23, 121.5, 31.23)).toBe(0);
	});
});
