/**
 * How the engine writes numbers into findings and reports: one formatter per kind of figure, so
 * that a figure reads the same in the region report, the project report and the map.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * One Intl.NumberFormat per locale and options, made once: `value.toLocaleString(locale,
 * options)` builds a new one on every call (issue 18: a quarter of a city report's CPU in three
 * writers). The strings are the same: toLocaleString is specified as that format's `format`.
 * Keep the formatter (a module constant) rather than calling this per value.
 * @example intlNumberFormat('en-US', { maximumFractionDigits: 3 }).format(0.12345) // '0.123'
 */
export function intlNumberFormat(
	locale: string,
	options: Intl.NumberFormatOptions = {}
): Intl.NumberFormat {
	const key = `${locale} ${JSON.stringify(options)}`;
	let format = numberFormats.get(key);
	if (!format) {
		format = new Intl.NumberFormat(locale, options);
		numberFormats.set(key, format);
	}
	return format;
}

const AMOUNT = intlNumberFormat('en-US', { maximumFractionDigits: 2 });

/** 25470.25 → "25,470.25"; 1000 → "1,000" (grouped, up to 0.01). */
export function formatAmount(value: number): string {
	return AMOUNT.format(value);
}

/** 0.8125 → "81.3%". */
export function formatShare(share: number): string {
	return `${(Math.round(share * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

/** Minutes to one decimal, always shown: 7 → "7.0". */
export function formatMinutes(minutes: number): string {
	return (Math.round(minutes * 10) / 10).toFixed(1);
}

/** As a formula writes figures: up to 0.01, no grouping (1162 户 ÷ 100 × 15). */
export function formatPlain(value: number): string {
	const rounded = Math.round(value * 100) / 100;
	return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/\.?0+$/, '');
}
