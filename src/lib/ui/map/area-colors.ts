/**
 * Per-area fill colours from the worker's result: by verdict, by walking minutes to the nearest
 * care station, or by walking minutes to the nearest meal provider (助餐服务圈, issue 16).
 */
import type { SessionResult } from '$lib/engine/session/what-if.ts';
import { VERDICT_COLORS, minutesColor, type Rgba } from './colors.ts';
import type { ColorBy } from './workspace.svelte.ts';

/** Per-area fill colours as one flat RGBA buffer (4 bytes per area), from the worker's arrays. */
export function areaColors(result: SessionResult, colorBy: ColorBy): Uint8Array {
	const colors = new Uint8Array(result.minutes.length * 4);
	const meal = colorBy === 'meal' ? result.meal : null;
	result.analysis.areas.forEach((area, i) => {
		let color: Rgba;
		if (meal) color = minutesColor(meal.compounds[i]?.minutes ?? Infinity);
		else if (colorBy === 'minutes') color = minutesColor(result.minutes[i]);
		else color = VERDICT_COLORS[area.verdict];
		colors.set(color, i * 4);
	});
	return colors;
}
