/**
 * Generated street grids with a known block length, for tests (walking time to (row, col) is the
 * Manhattan distance ÷ speed) and for the benchmark (the 1000 × 1000 grid of 80 m blocks: 1 M
 * nodes, ~4 M directed edges).
 *
 * Every edge stores exactly `spacingM` as its length (not a haversine distance), so with a
 * spacing that Float32 holds exactly (any whole number of metres below 2^24) the analytic answer
 * is exact, not "close".
 */
import { metresPerDegree } from './geodesic.ts';
import { RoadGraph } from './road-graph.ts';

export interface GridOptions {
	/** Nodes per column (north–south). */
	rows: number;
	/** Nodes per row (east–west). */
	cols: number;
	/** Block length in metres, stored as every edge's length (default 80). */
	spacingM?: number;
	/** Longitude of node (0, 0), degrees (default 121.5). */
	originLon?: number;
	/** Latitude of node (0, 0), degrees (default 31.23). */
	originLat?: number;
	/** Node numbering: 'row-major' (default) or 'hilbert' (nearby nodes get nearby numbers). */
	order?: 'row-major' | 'hilbert';
}

export interface Grid {
	graph: RoadGraph;
	rows: number;
	cols: number;
	spacingM: number;
	/** Node index of the crossing at (row, col). */
	nodeAt(row: number, col: number): number;
}

/**
 * Build a rows × cols street grid: node (row, col) lies `row * spacingM` north and
 * `col * spacingM` east of the origin, joined to its 4 neighbours by edges of exactly
 * `spacingM` metres. Directed edges: 2 × (rows × (cols − 1) + cols × (rows − 1)).
 *
 * @throws RangeError when rows or cols is not a positive integer, or spacingM is not > 0
 * @example
 * const { graph, nodeAt } = gridGraph({ rows: 10, cols: 10, spacingM: 80 });
 * // walking time from nodeAt(0, 0) to nodeAt(3, 4) at 1 m/s is (3 + 4) × 80 = 560 s
 */
export function gridGraph(options: GridOptions): Grid {
	const { rows, cols, spacingM = 80, originLon = 121.5, originLat = 31.23 } = options;
	if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
		throw new RangeError(`grid size ${rows} × ${cols}: rows and cols must be positive integers`);
	}
	if (!(spacingM > 0)) throw new RangeError(`grid spacingM ${spacingM} must be > 0`);
	const nodeCount = rows * cols;
	// rank[rowMajorIndex] = node number in the chosen order.
	const rank = new Uint32Array(nodeCount);
	if (options.order === 'hilbert') {
		const keys = new Float64Array(nodeCount);
		let side = 1;
		while (side < Math.max(rows, cols)) side *= 2;
		for (let row = 0; row < rows; row++) {
			for (let col = 0; col < cols; col++) keys[row * cols + col] = hilbertIndex(side, col, row);
		}
		const byKey = Array.from({ length: nodeCount }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
		for (let r = 0; r < nodeCount; r++) rank[byKey[r]] = r;
	} else {
		for (let i = 0; i < nodeCount; i++) rank[i] = i;
	}

	const scale = metresPerDegree(originLat);
	const nodeLon = new Float64Array(nodeCount);
	const nodeLat = new Float64Array(nodeCount);
	for (let row = 0; row < rows; row++) {
		for (let col = 0; col < cols; col++) {
			const node = rank[row * cols + col];
			nodeLon[node] = originLon + (col * spacingM) / scale.x;
			nodeLat[node] = originLat + (row * spacingM) / scale.y;
		}
	}
	const segmentCount = rows * (cols - 1) + cols * (rows - 1);
	const segmentFrom = new Uint32Array(segmentCount);
	const segmentTo = new Uint32Array(segmentCount);
	const segmentLengthM = new Float32Array(segmentCount).fill(spacingM);
	let s = 0;
	for (let row = 0; row < rows; row++) {
		for (let col = 0; col < cols; col++) {
			const here = row * cols + col;
			if (col + 1 < cols) {
				segmentFrom[s] = rank[here];
				segmentTo[s++] = rank[here + 1];
			}
			if (row + 1 < rows) {
				segmentFrom[s] = rank[here];
				segmentTo[s++] = rank[here + cols];
			}
		}
	}
	const graph = RoadGraph.build({ nodeLon, nodeLat, segmentFrom, segmentTo, segmentLengthM });
	return {
		graph,
		rows,
		cols,
		spacingM,
		nodeAt: (row, col) => rank[row * cols + col]
	};
}

/** Position of (x, y) along the Hilbert curve filling a side × side square (side a power of 2). */
export function hilbertIndex(side: number, x: number, y: number): number {
	let index = 0;
	for (let s = side >>> 1; s > 0; s >>>= 1) {
		const rx = (x & s) > 0 ? 1 : 0;
		const ry = (y & s) > 0 ? 1 : 0;
		index += s * s * ((3 * rx) ^ ry);
		// Rotate the quadrant so the curve stays continuous.
		if (ry === 0) {
			if (rx === 1) {
				x = side - 1 - x;
				y = side - 1 - y;
			}
			const t = x;
			x = y;
			y = t;
		}
	}
	return index;
}
