/**
 * Per-area fill colours from the worker's result: by verdict or by walking minutes.
 */
import type { SessionResult } from '$lib/engine/session/what-if.ts';
import { VERDICT_COLORS, minutesColor, type Rgba } from './colors.ts';
import type { ColorBy } from './workspace.svelte.ts';

/** Per-area fill colours as one flat RGBA buffer (4 bytes per area), from the worker's arrays. */
export function areaColors(result: SessionResult, colorBy: ColorBy): Uint8Array {
	const colors = new Uint8Array(result.minutes.length * 4);
	result.analysis.areas.forEach((area, i) => {
		const color: Rgba =
			colorBy === 'verdict' ? VERDICT_COLORS[area.verdict] : minutesColor(result.minutes[i]);
		colors.set(color, i * 4);
	});
	return colors;
}
