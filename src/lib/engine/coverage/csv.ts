/**
 * coverage.csv: one row per compound, as the CLI writes it and the app exports it. UTF-8 with a
 * BOM so that Excel on a Chinese Windows opens it without mojibake; RFC 4180 quoting.
 */
import type { CompoundCoverage } from './coverage.ts';

export const COVERAGE_CSV_COLUMNS = [
	'id',
	'name',
	'streetCode',
	'households',
	'households_estimated',
	'elders',
	'elders_estimated',
	'access',
	'minutesToNearest',
	'nearestFacilityId',
	'covered',
	'reachingFacilityIds',
	'note'
] as const;

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV text (with BOM) for coverage rows. */
export function coverageCsv(rows: CompoundCoverage[]): string {
	const lines = [COVERAGE_CSV_COLUMNS.join(',')];
	for (const row of rows) {
		lines.push(
			[
				row.id,
				row.name,
				row.streetCode,
				row.households,
				row.estimated.households ?? '',
				row.elders,
				row.estimated.elders ?? '',
				row.access,
				row.minutes,
				row.nearestFacilityId,
				row.covered ? 'yes' : 'no',
				row.reachingFacilityIds.join(' '),
				row.note
			]
				.map(cell)
				.join(',')
		);
	}
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
