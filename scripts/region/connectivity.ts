/**
 * Connectivity of a line network, measured the way PROVENANCE.md does it: vertices snapped to a
 * grid (default 1e-6°), consecutive vertices joined, components counted with union–find.
 */

export interface Connectivity {
	nodes: number;
	components: number;
	largestComponentNodes: number;
}

/**
 * @param lines vertex chains in WGS84 degrees
 * @param snapDeg grid size in degrees (default 1e-6 ≈ 0.1 m)
 * @example measureConnectivity([[[0, 0], [1, 0]], [[1, 0], [1, 1]]]) // → { nodes: 3, components: 1, largestComponentNodes: 3 }
 */
export function measureConnectivity(lines: number[][][], snapDeg = 1e-6): Connectivity {
	const index = new Map<string, number>();
	const parent: number[] = [];
	const find = (i: number): number => {
		while (parent[i] !== i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	};
	const node = (point: number[]): number => {
		const k = `${Math.round(point[0] / snapDeg)},${Math.round(point[1] / snapDeg)}`;
		let id = index.get(k);
		if (id === undefined) {
			id = parent.length;
			index.set(k, id);
			parent.push(id);
		}
		return id;
	};
	for (const line of lines) {
		let previous = -1;
		for (const point of line) {
			const id = node(point);
			if (previous >= 0) {
				const a = find(previous);
				const b = find(id);
				if (a !== b) parent[a] = b;
			}
			previous = id;
		}
	}
	const sizes = new Map<number, number>();
	for (let i = 0; i < parent.length; i++) {
		const root = find(i);
		sizes.set(root, (sizes.get(root) ?? 0) + 1);
	}
	return {
		nodes: parent.length,
		components: sizes.size,
		largestComponentNodes: Math.max(0, ...sizes.values())
	};
}
