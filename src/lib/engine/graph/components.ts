/**
 * Connected parts of the walking network: which nodes can reach which at all, whatever the
 * time. Coverage uses it to tell "no facility within the report bound" from "no facility
 * reachable at all" (the two banks of a river without a walkable crossing), without a search of
 * the whole graph per compound.
 *
 * Union–find over the CSR edges (edges are stored in both directions, so weakly connected is
 * connected), with path halving and union by size: one pass over the edges, O(m α(n)). The
 * result is cached per graph (a WeakMap on the RoadGraph), so the what-if session pays for it
 * once, not on every recompute.
 */
import type { RoadGraph } from './road-graph.ts';

const cache = new WeakMap<RoadGraph, Int32Array>();

/**
 * The connected part of every node, as the smallest node index in it (so equal numbers mean
 * "connected").
 * @returns one entry per node
 * @example const part = componentOf(graph); part[a] === part[b] // a walk from a to b exists
 */
export function componentOf(graph: RoadGraph): Int32Array {
	const cached = cache.get(graph);
	if (cached) return cached;
	const n = graph.nodeCount;
	/** Parent in the union–find forest, one entry per node. */
	const parent = new Int32Array(n);
	/** Nodes under each root, one entry per node (meaningful at roots only). */
	const size = new Int32Array(n).fill(1);
	for (let i = 0; i < n; i++) parent[i] = i;
	const find = (x: number): number => {
		while (parent[x] !== x) {
			parent[x] = parent[parent[x]];
			x = parent[x];
		}
		return x;
	};
	const { firstEdge, edgeTarget } = graph;
	for (let node = 0; node < n; node++) {
		for (let e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
			let a = find(node);
			let b = find(edgeTarget[e]);
			if (a === b) continue;
			if (size[a] < size[b]) [a, b] = [b, a];
			parent[b] = a;
			size[a] += size[b];
		}
	}
	const smallest = new Int32Array(n).fill(-1);
	const part = new Int32Array(n);
	for (let node = 0; node < n; node++) {
		const root = find(node);
		if (smallest[root] < 0) smallest[root] = node;
		part[node] = smallest[root];
	}
	cache.set(graph, part);
	return part;
}
