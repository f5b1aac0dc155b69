/**
 * The MILP solver seam. The engine builds models; it never loads a solver: a WebAssembly solver
 * (HiGHS, GLPK) is loaded by the runtime that hosts the engine and passed in as a `MilpSolver`
 * — the same pattern as PMTiles' `Source` (one decoder, many sources). The Node adapter is
 * src/lib/server/milp-highs.ts; a worker adapter wraps the same HiGHS build loaded with a
 * `locateFile` that returns the .wasm asset's URL.
 *
 * Models are sparse rows (CSR) in typed arrays, so an adapter passes them to HiGHS' structured
 * API without copying into objects; `milpToLpText` writes the same model as CPLEX LP text for
 * solvers that only read text (glpk.js, HiGHS' one-shot `solve`).
 */
export interface MilpModel {
	sense: 'maximize' | 'minimize';
	/** Objective coefficient per column. */
	colCost: Float64Array;
	/** Lower bound per column. */
	colLower: Float64Array;
	/** Upper bound per column (Infinity = none). */
	colUpper: Float64Array;
	/** 1 = integer column, 0 = continuous; one entry per column. */
	integer: Uint8Array;
	/** CSR row offsets, one entry per row + 1. */
	rowStart: Int32Array;
	/** Column index of each coefficient (no repeats within a row). */
	rowIndex: Int32Array;
	/** Coefficient values. */
	rowValue: Float64Array;
	/** Lower bound per row activity (−Infinity = none). */
	rowLower: Float64Array;
	/** Upper bound per row activity (Infinity = none). */
	rowUpper: Float64Array;
	/** Optional column names (LP text; default x0, x1, …). */
	colNames?: readonly string[];
}

export interface MilpSolveOptions {
	/** A feasible solution to start from (one value per column): a MIP start / incumbent. */
	start?: Float64Array;
	/** Wall-clock limit, seconds (default: none). */
	timeLimitS?: number;
	/** Stop when (bound − incumbent) ÷ |incumbent| ≤ this (default 1e-9: solve to optimality). */
	relativeGap?: number;
	/** Stop when |bound − incumbent| ≤ this (default 1e-6). */
	absoluteGap?: number;
	/** Solve the LP relaxation instead (integrality ignored). */
	relaxation?: boolean;
}

export const MILP_STATUSES = ['optimal', 'time-limit', 'infeasible', 'unbounded', 'error'] as const;
export type MilpStatus = (typeof MILP_STATUSES)[number];

export interface MilpSolution {
	status: MilpStatus;
	/** Objective of the returned solution (NaN when there is none). */
	objective: number;
	/**
	 * Best proven bound on the optimum (≥ objective when maximising, ≤ when minimising); equals
	 * the objective at optimality; NaN when unknown.
	 */
	bound: number;
	/** Column values (empty when there is no solution). */
	values: Float64Array;
	/** Solver's own description, for messages (e.g. "HiGHS 1.15.1: Optimal"). */
	detail: string;
}

/** A MILP solver (HiGHS or GLPK compiled to WebAssembly, loaded outside the engine). */
export interface MilpSolver {
	readonly name: string;
	solve(model: MilpModel, options?: MilpSolveOptions): Promise<MilpSolution>;
}

/** Column and row counts of a model, checked for consistent array lengths. */
export function milpSize(model: MilpModel): { cols: number; rows: number; nonzeros: number } {
	const cols = model.colCost.length;
	const rows = model.rowLower.length;
	if (
		model.colLower.length !== cols ||
		model.colUpper.length !== cols ||
		model.integer.length !== cols ||
		model.rowUpper.length !== rows ||
		model.rowStart.length !== rows + 1 ||
		model.rowIndex.length !== model.rowStart[rows] ||
		model.rowValue.length !== model.rowStart[rows]
	)
		throw new RangeError('MilpModel arrays disagree in length');
	return { cols, rows, nonzeros: model.rowIndex.length };
}

/** Numbers as LP text reads them (JavaScript's shortest round-trip form; exponents allowed). */
const lpNumber = (value: number) => String(value);

/**
 * The model as CPLEX LP text (Maximize/Minimize, Subject To, Bounds, Generals, End), for solvers
 * that read text. Lines are kept under ~250 characters.
 * @example milpToLpText(model) // "Maximize\n obj: 10 x0 + 5 x1\nSubject To\n c0: …"
 */
export function milpToLpText(model: MilpModel): string {
	const { cols, rows } = milpSize(model);
	const name = (j: number) => model.colNames?.[j] ?? `x${j}`;
	const lines: string[] = [model.sense === 'maximize' ? 'Maximize' : 'Minimize'];
	const terms = (
		indices: ArrayLike<number>,
		values: ArrayLike<number>,
		start: number,
		end: number
	) => {
		const out: string[] = [];
		let line = '';
		for (let i = start; i < end; i++) {
			const v = values[i];
			if (v === 0) continue;
			const term = `${v < 0 ? '-' : line || out.length ? '+' : ''} ${lpNumber(Math.abs(v))} ${name(indices[i])}`;
			line += term;
			if (line.length > 200) {
				out.push(line);
				line = '';
			}
		}
		if (line) out.push(line);
		return out.length ? out : ['0 ' + name(0)];
	};
	const objIndex = Int32Array.from({ length: cols }, (_, j) => j);
	lines.push(' obj: ' + terms(objIndex, model.colCost, 0, cols).join('\n  '));
	lines.push('Subject To');
	for (let r = 0; r < rows; r++) {
		const body = terms(
			model.rowIndex,
			model.rowValue,
			model.rowStart[r],
			model.rowStart[r + 1]
		).join('\n  ');
		const lower = model.rowLower[r];
		const upper = model.rowUpper[r];
		if (lower === upper) lines.push(` c${r}: ${body} = ${lpNumber(upper)}`);
		else {
			if (upper < Infinity) lines.push(` c${r}u: ${body} <= ${lpNumber(upper)}`);
			if (lower > -Infinity) lines.push(` c${r}l: ${body} >= ${lpNumber(lower)}`);
		}
	}
	lines.push('Bounds');
	for (let j = 0; j < cols; j++) {
		const lower = model.colLower[j];
		const upper = model.colUpper[j];
		const lo = lower === -Infinity ? '-inf' : lpNumber(lower);
		const up = upper === Infinity ? '+inf' : lpNumber(upper);
		lines.push(` ${lo} <= ${name(j)} <= ${up}`);
	}
	const integers: string[] = [];
	for (let j = 0; j < cols; j++) if (model.integer[j]) integers.push(name(j));
	if (integers.length) {
		lines.push('Generals');
		for (let i = 0; i < integers.length; i += 20)
			lines.push(' ' + integers.slice(i, i + 20).join(' '));
	}
	lines.push('End');
	return lines.join('\n') + '\n';
}

/** Helper for building models row by row (the engine's MCLP/LSCP formulations). */
export class MilpBuilder {
	private readonly cost: number[] = [];
	private readonly lower: number[] = [];
	private readonly upper: number[] = [];
	private readonly integer: number[] = [];
	private readonly starts: number[] = [0];
	private readonly index: number[] = [];
	private readonly value: number[] = [];
	private readonly rowLo: number[] = [];
	private readonly rowUp: number[] = [];
	private readonly names: string[] = [];

	/** Add a column; returns its index. */
	column(cost: number, lower: number, upper: number, integer: boolean, name?: string): number {
		this.cost.push(cost);
		this.lower.push(lower);
		this.upper.push(upper);
		this.integer.push(integer ? 1 : 0);
		this.names.push(name ?? `x${this.cost.length - 1}`);
		return this.cost.length - 1;
	}

	/** Add a row lower ≤ Σ values[i] · x[indices[i]] ≤ upper. */
	row(indices: ArrayLike<number>, values: ArrayLike<number>, lower: number, upper: number): void {
		for (let i = 0; i < indices.length; i++) {
			this.index.push(indices[i]);
			this.value.push(values[i]);
		}
		this.starts.push(this.index.length);
		this.rowLo.push(lower);
		this.rowUp.push(upper);
	}

	build(sense: MilpModel['sense']): MilpModel {
		return {
			sense,
			colCost: Float64Array.from(this.cost),
			colLower: Float64Array.from(this.lower),
			colUpper: Float64Array.from(this.upper),
			integer: Uint8Array.from(this.integer),
			rowStart: Int32Array.from(this.starts),
			rowIndex: Int32Array.from(this.index),
			rowValue: Float64Array.from(this.value),
			rowLower: Float64Array.from(this.rowLo),
			rowUpper: Float64Array.from(this.rowUp),
			colNames: this.names
		};
	}
}
