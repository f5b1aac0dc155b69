/**
 * Headline figures of a gap analysis, summed from its rows. Sums skip unknown values (the rows
 * carry the unknown counts); covered figures are null when no walking network was available.
 */
import type { AnalysisSummary, AreaRow, DistrictRow, FacilityRow, StreetRow } from './types.ts';

const sum = (values: (number | null)[]) =>
	values.reduce<number>((total, value) => total + (value ?? 0), 0);
const roundM2 = (value: number) => Math.round(value * 100) / 100;

/**
 * @param networkAvailable false when coverage could not be computed (covered figures stay null)
 * @example summarizeAnalysis(areas, facilities, streets, districts, true).eldersCoveredShare
 */
export function summarizeAnalysis(
	areas: AreaRow[],
	facilities: FacilityRow[],
	streets: StreetRow[],
	districts: DistrictRow[],
	networkAvailable: boolean
): AnalysisSummary {
	const elders = sum(areas.map((area) => area.elders));
	const eldersCovered = networkAvailable
		? sum(areas.map((area) => (area.covered ? area.elders : 0)))
		: null;
	return {
		areas: areas.length,
		areasCompliant: areas.filter((area) => area.verdict === 'compliant').length,
		areasDeficit: areas.filter((area) => area.verdict === 'deficit').length,
		areasNoData: areas.filter((area) => area.verdict === 'no_data').length,
		areasCovered: networkAvailable ? areas.filter((area) => area.covered === true).length : null,
		areasCrowded: networkAvailable
			? areas.filter((area) => area.capacity.crowded === true).length
			: null,
		households: sum(areas.map((area) => area.households)),
		elders,
		eldersCovered,
		eldersCoveredShare: eldersCovered === null || elders === 0 ? null : eldersCovered / elders,
		requiredM2: roundM2(sum(areas.map((area) => area.requiredM2))),
		providedM2: roundM2(sum(areas.map((area) => area.providedM2))),
		deficitM2: roundM2(sum(areas.map((area) => area.deficitM2))),
		facilities: facilities.length,
		streets: streets.length,
		streetsFailing: streets.filter((street) => street.verdict === 'fail').length,
		districts: districts.length,
		districtsFailing: districts.filter((district) => district.verdict === 'fail').length,
		usesEstimate:
			areas.some((area) => area.estimatedFields.length > 0) ||
			districts.some((district) => district.usesEstimate)
	};
}
