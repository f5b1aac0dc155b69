/**
 * What an import says about its input. Every rejected or repaired record is reported with the
 * file, the row (table row, 1-based, header = row 1) or feature index (0-based), the field, the
 * value and the reason — nothing is dropped silently.
 */

export type IssueAction = 'rejected' | 'repaired' | 'warning';

export interface ImportIssue {
	file: string;
	/** Spreadsheet row number (header is row 1) or GeoJSON/Shapefile feature index. */
	row: number;
	rowKind: 'row' | 'feature';
	/** Source field (column header) or target field name; '' for the record as a whole. */
	field: string;
	value: unknown;
	reason: string;
	action: IssueAction;
}

/** Stable error codes: routes and the CLI map them, tests assert them. */
export const IMPORT_ERROR_CODES = [
	'UNREADABLE_FILE',
	'WRONG_STRUCTURE',
	'MISSING_COLUMN',
	'UNKNOWN_CRS',
	'NO_USABLE_ROWS',
	'UNSUPPORTED_FORMAT',
	'OUTSIDE_REGION',
	'DUPLICATE_RECORDS',
	// issue 17: a zip that inflates past the limits (zip.ts), JSON nested too deep (json-depth.ts)
	'TOO_LARGE',
	'TOO_DEEP'
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/**
 * An import that cannot be trusted as a whole. Thrown before anything is written, so the region
 * stays as it was. `issues` carries the per-record findings gathered so far.
 */
export class ImportError extends Error {
	readonly code: ImportErrorCode;
	readonly file: string;
	readonly issues: ImportIssue[];
	constructor(code: ImportErrorCode, file: string, message: string, issues: ImportIssue[] = []) {
		super(`${file}: ${message}`);
		this.name = 'ImportError';
		this.code = code;
		this.file = file;
		this.issues = issues;
	}
}

/** One line per issue, as the CLI prints it and the UI lists it. */
export function formatIssue(issue: ImportIssue): string {
	const where = issue.rowKind === 'row' ? `row ${issue.row}` : `feature ${issue.row}`;
	const field = issue.field ? `, field "${issue.field}"` : '';
	const value = issue.value === undefined ? '' : ` = ${JSON.stringify(issue.value)}`;
	return `${issue.file}: ${where}${field}${value}: ${issue.action}: ${issue.reason}`;
}
