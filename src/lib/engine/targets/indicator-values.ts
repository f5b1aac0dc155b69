/**
 * The figure of one indicator for one place on a date (issue 16): the place's own row (the latest
 * dated on or before the date), else — for a district — the sum over its streets or its
 * institutions when every one of them reports it. Every value keeps its date and source, and says
 * how it was put together, so the targets view never shows a figure without its origin.
 */
import { INDICATORS, type IndicatorKey, type IndicatorRow } from '../region/indicators.ts';

export interface IndicatorValue {
	value: number;
	/** The date of the figure (the oldest date when summed). */
	asOf: string;
	/** The source(s), joined with "；" when summed from several rows. */
	source: string;
	/** `row`: the place's own row; `streets` / `institutions`: summed from that many rows. */
	from: 'row' | 'streets' | 'institutions';
	parts: number;
}

export class IndicatorLookup {
	/** level|code → rows dated on or before `date`, newest first. */
	private readonly byPlace = new Map<string, IndicatorRow[]>();

	/**
	 * @param rows the region's indicator table (null = none imported)
	 * @param date YYYY-MM-DD: figures dated after it are not "now"
	 */
	constructor(rows: readonly IndicatorRow[] | null, date: string) {
		for (const row of rows ?? []) {
			if (row.asOf > date) continue;
			const key = `${row.level}|${row.code}`;
			const list = this.byPlace.get(key) ?? [];
			list.push(row);
			this.byPlace.set(key, list);
		}
		for (const list of this.byPlace.values()) list.sort((a, b) => b.asOf.localeCompare(a.asOf));
	}

	get isEmpty(): boolean {
		return this.byPlace.size === 0;
	}

	/** The place's own latest figure of `key`. */
	own(level: IndicatorRow['level'], code: string | null, key: IndicatorKey): IndicatorValue | null {
		if (code === null) return null;
		const row = this.byPlace.get(`${level}|${code}`)?.find((r) => r.values[key] !== undefined);
		if (!row) return null;
		return { value: row.values[key]!, asOf: row.asOf, source: row.source, from: 'row', parts: 1 };
	}

	/**
	 * A district's figure: its own row, else the sum over `streetCodes` (counts only), else over
	 * `institutionIds` (counts only) — a sum only when every part reports the figure.
	 */
	district(
		code: string | null,
		key: IndicatorKey,
		streetCodes: readonly string[],
		institutionIds: readonly string[] = []
	): IndicatorValue | null {
		const own = this.own('district', code, key);
		if (own || INDICATORS[key].kind !== 'count') return own;
		return (
			this.sum('street', streetCodes, key, 'streets') ??
			this.sum('institution', institutionIds, key, 'institutions')
		);
	}

	/**
	 * A district's share (e.g. 月探访率): its own row, else its streets' shares weighted by
	 * `weightKey` (e.g. 特殊困难老年人数) when every street reports both.
	 */
	districtShare(
		code: string | null,
		key: IndicatorKey,
		weightKey: IndicatorKey,
		streetCodes: readonly string[]
	): IndicatorValue | null {
		const own = this.own('district', code, key);
		if (own || !streetCodes.length) return own;
		const shares = streetCodes.map((street) => this.own('street', street, key));
		const weights = this.sum('street', streetCodes, weightKey, 'streets');
		if (!weights || weights.value === 0 || shares.some((share) => share === null)) return null;
		const known = shares as IndicatorValue[];
		const weighted = known.reduce(
			(total, share, i) =>
				total + share.value * this.own('street', streetCodes[i], weightKey)!.value,
			0
		);
		return {
			value: weighted / weights.value,
			asOf: known.reduce((oldest, part) => (part.asOf < oldest ? part.asOf : oldest), weights.asOf),
			source: [...new Set([...known.map((part) => part.source), weights.source])].join('；'),
			from: 'streets',
			parts: known.length
		};
	}

	private sum(
		level: IndicatorRow['level'],
		codes: readonly string[],
		key: IndicatorKey,
		from: 'streets' | 'institutions'
	): IndicatorValue | null {
		if (!codes.length) return null;
		const parts = codes.map((code) => this.own(level, code, key));
		if (parts.some((part) => part === null)) return null;
		const known = parts as IndicatorValue[];
		return {
			value: known.reduce((total, part) => total + part.value, 0),
			asOf: known.reduce(
				(oldest, part) => (part.asOf < oldest ? part.asOf : oldest),
				known[0].asOf
			),
			source: [...new Set(known.map((part) => part.source))].join('；'),
			from,
			parts: known.length
		};
	}
}
