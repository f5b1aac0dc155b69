/**
 * Errors of the siting engine: a stable `code` (for the worker's `{ ok: false, code, message }`
 * and HTTP status mapping) and a message that says which input to fix and what was expected.
 */
export const SITING_ERROR_CODES = [
	/** A candidate point: missing or duplicate id, bad lon/lat, bad maxFloorAreaM2. */
	'INVALID_CANDIDATE',
	/** k is not a whole number ≥ 0. */
	'INVALID_K',
	/** A target share outside (0, 1]. */
	'INVALID_TARGET',
	/** Walking settings, spacing, class weights or capacities that cannot be used. */
	'INVALID_OPTION',
	/** A coverage matrix whose arrays disagree (lengths, indices out of range). */
	'INVALID_MATRIX',
	/** Capacity-aware siting without a floor area for a station and no user capacity. */
	'CAPACITY_UNKNOWN',
	/** Capacity from floor area needs the profile's facility_area_per_households rule. */
	'NO_AREA_RULE',
	/** The MILP solver failed or returned something unusable. */
	'SOLVER_FAILED'
] as const;
export type SitingErrorCode = (typeof SITING_ERROR_CODES)[number];

export class SitingError extends Error {
	readonly code: SitingErrorCode;
	constructor(code: SitingErrorCode, message: string) {
		super(message);
		this.name = 'SitingError';
		this.code = code;
	}
}

/** Throws INVALID_K unless k is a whole number ≥ 0. */
export function assertK(k: number): void {
	if (!(Number.isInteger(k) && k >= 0))
		throw new SitingError(
			'INVALID_K',
			`k ${String(k)}: expected a whole number ≥ 0 (how many new stations to choose)`
		);
}
