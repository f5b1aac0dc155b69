/**
 * Small helpers of the SVG charts (StreetCharts, MinutesHistogram): SVG text does not ellipsise,
 * so names are cut to an estimated width, and axes end at a round number.
 */

/** Estimated width of text in px at a font size: CJK and full-width as 1 em, Latin as 0.6 em. */
export function textWidth(text: string, fontPx: number): number {
	let em = 0;
	for (const char of text) em += /[\u2e80-\uffef]/.test(char) ? 1 : 0.6;
	return em * fontPx;
}

/** The text cut with … to fit `widthPx`, and whether it was cut. */
export function fitText(text: string, widthPx: number, fontPx: number): [string, boolean] {
	if (textWidth(text, fontPx) <= widthPx) return [text, false];
	const chars = [...text];
	let cut = '';
	for (const char of chars) {
		if (textWidth(`${cut}${char}…`, fontPx) > widthPx) break;
		cut += char;
	}
	return [`${cut}…`, true];
}

/** The least of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above the value (1 for 0 or less). */
export function niceCeil(value: number): number {
	if (!(value > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10])
		if (step * power >= value - 1e-9) return step * power;
	return 10 * power;
}
