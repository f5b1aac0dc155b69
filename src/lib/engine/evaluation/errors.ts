/**
 * Why a project cannot be evaluated as given. Thrown before any figure is computed, so a caller
 * (CLI, server, worker) never gets a half-made evaluation; the message names the input and says
 * how to fix it.
 */

export const EVALUATION_ERROR_CODES = [
	'NO_HOUSEHOLDS', // neither households nor a residential floor area, or 0 households
	'INVALID_NUMBER', // a count or area that is negative, not finite or not whole
	'INVALID_STATUS', // status other than new / existing
	'BOUNDARY_UNREADABLE', // the file holds no polygon, or a format that cannot hold one
	'BOUNDARY_NOT_CLOSED', // a ring whose last position is not its first
	'BOUNDARY_SELF_INTERSECTS', // a ring crossing itself (or another ring)
	'BOUNDARY_INVALID', // too few positions, zero area, bad structure
	'BOUNDARY_CRS', // coordinates in a projected or unknown system the file does not declare
	'PROJECT_OUTSIDE_REGION', // boundary (or a facility / gate) outside the region's bbox
	'INVALID_FACILITY', // planned facility: kind, floor area or position
	'INVALID_GATE', // gate position
	'ID_CONFLICT' // a project id clashes with the region's ids
] as const;
export type EvaluationErrorCode = (typeof EVALUATION_ERROR_CODES)[number];

/**
 * An input the evaluation cannot accept. `field` names the input (`households`, `boundary`,
 * `facilities[2].floorAreaM2`, …) so a form can put the message beside it.
 */
export class EvaluationError extends Error {
	readonly code: EvaluationErrorCode;
	readonly field: string;
	constructor(code: EvaluationErrorCode, field: string, message: string) {
		super(message);
		this.name = 'EvaluationError';
		this.code = code;
		this.field = field;
	}
}
