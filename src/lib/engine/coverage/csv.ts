/**
 * coverage.csv: one row per compound, as the CLI writes it and the app exports it. UTF-8 with a
 * BOM so that Excel on a Chinese Windows opens it without mojibake; RFC 4180 quoting.
 *
 * `snapDistanceM`: metres from the compound to the walking network where it joins it (see
 * CompoundCoverage). `reason`: why a compound is not covered, and a warning when that snap is
 * farther than SNAP_WARNING_M, each as `中文 / English`, several joined by ` | `.
 */
import { farSnapMessage, type CompoundCoverage } from './coverage.ts';

export const COVERAGE_CSV_COLUMNS = [
	'id',
	'name',
	'streetCode',
	'households',
	'households_estimated',
	'elders',
	'elders_estimated',
	'access',
	'snapDistanceM',
	'minutesToNearest',
	'nearestFacilityId',
	'covered',
	'reachingFacilityIds',
	'note',
	'reason'
] as const;

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The `reason` cell of a row: why it is not covered, and a far snap; empty when neither. */
export function coverageReason(row: CompoundCoverage): string {
	return [row.notCovered, farSnapMessage(row.snapDistanceM)]
		.filter((reason) => reason !== null)
		.map((reason) => `${reason.messageZh} / ${reason.messageEn}`)
		.join(' | ');
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
				row.snapDistanceM,
				row.minutes,
				row.nearestFacilityId,
				row.covered ? 'yes' : 'no',
				row.reachingFacilityIds.join(' '),
				row.note,
				coverageReason(row)
			]
				.map(cell)
				.join(',')
		);
	}
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
