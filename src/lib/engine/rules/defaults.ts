/**
 * The walking settings every caller falls back to when neither the user nor the profile gives
 * one: the one place these numbers live (issue 13). A profile's `service_circle` rule names the
 * minutes of its own text (`circleMinutesOf`); these are the defaults when it has none.
 *
 * - 15 minutes: the 15分钟养老服务圈 of the Qingdao, Laoshan and Yantai texts.
 * - 1.0 m/s: an older pedestrian's ordinary pace; 0.8 m/s the frail pace the map offers
 *   (docs/RULES.md, interpretation 10).
 * - 60 minutes: how far walking times are still reported beyond the circle (coverage.csv,
 *   the project report's "nearest existing facility").
 */
export const DEFAULT_CIRCLE_MINUTES = 15;
export const DEFAULT_WALK_SPEED_MPS = 1.0;
export const FRAIL_WALK_SPEED_MPS = 0.8;
export const DEFAULT_STEP_PENALTY_S = 0;
export const REPORT_UP_TO_MINUTES = 60;

/** The walking settings of an analysis when none are given. */
export const DEFAULT_WALK = Object.freeze({
	maxMinutes: DEFAULT_CIRCLE_MINUTES,
	walkSpeedMps: DEFAULT_WALK_SPEED_MPS,
	stepPenaltyS: DEFAULT_STEP_PENALTY_S
});
