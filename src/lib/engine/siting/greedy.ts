/**
 * Lazy greedy (CELF, Leskovec et al. 2007; Minoux 1978) on a reduced coverage instance: a
 * max-priority queue of candidate classes keyed by an upper bound of their marginal gain
 * (elders they would newly cover). Coverage is submodular — a class never gains more after
 * other stations are added — so a stale key is still an upper bound: pop the top, recompute
 * its gain; if it is still on top it is the best choice, otherwise push it back. Most classes
 * are recomputed a handful of times instead of k times.
 *
 * The same stale keys give a bound on the optimum for free: for any greedy set S and any k,
 * OPT_k ≤ f(S) + (sum of the k largest marginal gains w.r.t. S) ≤ f(S) + (sum of the k largest
 * keys in the queue). The smallest such value over the run is the greedy's reported bound.
 *
 * Queue: a binary heap on parallel typed arrays (key Float64, class Int32); ties go to the
 * lower class index, so runs are repeatable.
 */
import type { ReducedInstance } from './reduce.ts';

/** Max-heap of (gain, id), ties to the lower id. */
export class GainHeap {
	readonly key: Float64Array;
	readonly id: Int32Array;
	size = 0;
	constructor(capacity: number) {
		this.key = new Float64Array(Math.max(1, capacity));
		this.id = new Int32Array(Math.max(1, capacity));
	}
	private above(a: number, b: number): boolean {
		const ka = this.key[a];
		const kb = this.key[b];
		return ka > kb || (ka === kb && this.id[a] < this.id[b]);
	}
	private swap(a: number, b: number): void {
		const k = this.key[a];
		this.key[a] = this.key[b];
		this.key[b] = k;
		const i = this.id[a];
		this.id[a] = this.id[b];
		this.id[b] = i;
	}
	push(key: number, id: number): void {
		let at = this.size++;
		this.key[at] = key;
		this.id[at] = id;
		while (at > 0) {
			const parent = (at - 1) >> 1;
			if (!this.above(at, parent)) break;
			this.swap(at, parent);
			at = parent;
		}
	}
	pop(): void {
		const last = --this.size;
		if (last === 0) return;
		this.key[0] = this.key[last];
		this.id[0] = this.id[last];
		let at = 0;
		for (;;) {
			const left = 2 * at + 1;
			if (left >= this.size) break;
			let child = left;
			if (left + 1 < this.size && this.above(left + 1, left)) child = left + 1;
			if (!this.above(child, at)) break;
			this.swap(child, at);
			at = child;
		}
	}
	/** Sum of the k largest keys (explores the heap from the root; O(k log k)). */
	topSum(k: number): number {
		if (k <= 0 || this.size === 0) return 0;
		const frontier: number[] = [0];
		let sum = 0;
		for (let taken = 0; taken < k && frontier.length > 0; taken++) {
			let best = 0;
			for (let i = 1; i < frontier.length; i++)
				if (this.key[frontier[i]] > this.key[frontier[best]]) best = i;
			const at = frontier[best];
			frontier[best] = frontier[frontier.length - 1];
			frontier.pop();
			sum += this.key[at];
			if (2 * at + 1 < this.size) frontier.push(2 * at + 1);
			if (2 * at + 2 < this.size) frontier.push(2 * at + 2);
		}
		return sum;
	}
}

export interface GreedyRun {
	/** Chosen classes in pick order. */
	picks: number[];
	/** Weight each pick newly covered. */
	gains: number[];
	/** Weight newly covered by all picks. */
	value: number;
	/** Per reduced demand: 1 when a pick covers it. */
	covered: Uint8Array;
	/** min over steps of value + (sum of the boundK largest keys); Infinity without boundK. */
	upperBound: number;
	/** Gain recomputations (for the bench). */
	evaluations: number;
}

/**
 * @param instance reduced instance
 * @param options.maxPicks stop after this many picks
 * @param options.targetValue stop once the covered weight reaches this (LSCP)
 * @param options.boundK compute the online bound for k = boundK (MCLP)
 * @param options.onProgress called after each pick with (picks, maxPicks)
 */
export function lazyGreedy(
	instance: ReducedInstance,
	options: {
		maxPicks: number;
		targetValue?: number;
		boundK?: number;
		onProgress?: (picked: number, of: number) => void;
	}
): GreedyRun {
	const { classCount, classStart, classDemand, weight } = instance;
	const covered = new Uint8Array(instance.demandCount);
	const heap = new GainHeap(classCount);
	for (let k = 0; k < classCount; k++) {
		let gain = 0;
		for (let i = classStart[k]; i < classStart[k + 1]; i++) gain += weight[classDemand[i]];
		if (gain > 0) heap.push(gain, k);
	}
	const stamp = new Int32Array(classCount); // pick round in which the key was computed
	const picks: number[] = [];
	const gains: number[] = [];
	let value = 0;
	let evaluations = 0;
	const boundK = options.boundK;
	let upperBound = boundK === undefined ? Infinity : heap.topSum(boundK);
	const target = options.targetValue ?? Infinity;
	while (picks.length < options.maxPicks && heap.size > 0 && value < target) {
		const round = picks.length;
		const k = heap.id[0];
		if (stamp[k] === round) {
			// Fresh key on top: the best class of this round.
			const gain = heap.key[0];
			heap.pop();
			for (let i = classStart[k]; i < classStart[k + 1]; i++) {
				const d = classDemand[i];
				if (!covered[d]) {
					covered[d] = 1;
					value += weight[d];
				}
			}
			picks.push(k);
			gains.push(gain);
			if (boundK !== undefined) upperBound = Math.min(upperBound, value + heap.topSum(boundK));
			options.onProgress?.(picks.length, options.maxPicks);
			continue;
		}
		heap.pop();
		let gain = 0;
		for (let i = classStart[k]; i < classStart[k + 1]; i++) {
			const d = classDemand[i];
			if (!covered[d]) gain += weight[d];
		}
		evaluations++;
		stamp[k] = round;
		if (gain > 0) heap.push(gain, k);
	}
	if (boundK !== undefined && heap.size === 0) upperBound = Math.min(upperBound, value);
	return { picks, gains, value, covered, upperBound: Math.max(upperBound, value), evaluations };
}
