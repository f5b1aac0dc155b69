/**
 * Colours of the map and its legend: verdicts, the 0–30 min walking ramp, facility kinds and the
 * share-of-elders-covered choropleth. RGBA arrays as deck.gl takes them, plus CSS for the legend.
 */
import type { FacilityKind } from '$lib/engine/region/schema.ts';
import type { AreaVerdict } from '$lib/engine/rules/area-check.ts';
import { DEFAULT_CIRCLE_MINUTES } from '$lib/engine/rules/defaults.ts';

export type Rgba = [number, number, number, number];

export const VERDICT_COLORS: Record<AreaVerdict, Rgba> = {
	compliant: [46, 160, 67, 170],
	deficit: [215, 58, 73, 170],
	no_data: [150, 150, 150, 150]
};

/**
 * Walking minutes ramp stops (0–30 min): green → yellow → orange → red; beyond 30 dark red. The
 * yellow stop is the service circle's edge (DEFAULT_CIRCLE_MINUTES, rules/defaults.ts).
 */
export const MINUTE_STOPS: { minutes: number; color: Rgba }[] = [
	{ minutes: 0, color: [26, 152, 80, 180] },
	{ minutes: 10, color: [166, 217, 106, 180] },
	{ minutes: DEFAULT_CIRCLE_MINUTES, color: [254, 224, 139, 180] },
	{ minutes: 20, color: [253, 174, 97, 180] },
	{ minutes: 30, color: [215, 48, 39, 180] }
];
export const UNREACHED_COLOR: Rgba = [120, 20, 30, 190];

export function minutesColor(minutes: number): Rgba {
	if (!Number.isFinite(minutes)) return UNREACHED_COLOR;
	if (minutes >= 30) return MINUTE_STOPS[MINUTE_STOPS.length - 1].color;
	for (let i = 1; i < MINUTE_STOPS.length; i++) {
		const a = MINUTE_STOPS[i - 1];
		const b = MINUTE_STOPS[i];
		if (minutes <= b.minutes) {
			const t = (minutes - a.minutes) / (b.minutes - a.minutes);
			return a.color.map((value, k) => Math.round(value + (b.color[k] - value) * t)) as Rgba;
		}
	}
	return UNREACHED_COLOR;
}

export const KIND_COLORS: Record<FacilityKind, Rgba> = {
	street_center: [106, 61, 154, 255],
	community_station: [31, 120, 180, 255],
	day_care: [51, 160, 44, 255],
	institution: [177, 89, 40, 255],
	meal_point: [227, 26, 28, 255],
	rural_station: [255, 127, 0, 255]
};
export const PLANNED_COLOR: Rgba = [255, 140, 0, 255];

/** Share of elders within the circle, 0–1 → red … green (district / street choropleth). */
export function shareColor(share: number | null): Rgba {
	if (share === null) return [200, 200, 200, 60];
	const t = Math.max(0, Math.min(1, share));
	return [Math.round(215 - 169 * t), Math.round(48 + 112 * t), Math.round(39 + 28 * t), 70];
}

export const css = (color: Rgba) =>
	`rgba(${color[0]}, ${color[1]}, ${color[2]}, ${color[3] / 255})`;

/** Floor-area deficit, m², on a 0 … max scale: light → dark red; none = pale green. */
export function deficitColor(deficitM2: number | null, maxM2: number): Rgba {
	if (deficitM2 === null) return [200, 200, 200, 60];
	if (deficitM2 <= 0 || maxM2 <= 0) return [46, 160, 67, 60];
	const t = Math.min(1, deficitM2 / maxM2);
	return [Math.round(252 - 99 * t), Math.round(187 - 172 * t), Math.round(161 - 140 * t), 110];
}
