/**
 * The gap analysis of a region under one rule profile (issue 4): places → areas and facilities →
 * streets → districts → summary. Pure: the walking coverage comes in already computed (null when
 * the region has no network), so the same call serves the CLI, the server and the Web Worker.
 */
import { DEFAULT_WALK } from '../rules/defaults.ts';
import { circleMinutesOf } from '../rules/service-circle.ts';
import type { CoverageResult } from '../coverage/coverage.ts';
import type {
	BoundaryFeature,
	CommunityCode,
	FacilityFeature,
	RegionMeta,
	ResidentialFeature
} from '../region/schema.ts';
import type { RuleProfile } from '../rules/profile-schema.ts';
import { analyzeAreas } from './areas.ts';
import { analyzeDistricts } from './districts.ts';
import { buildPlaceIndex } from './places.ts';
import { analyzeStreets } from './streets.ts';
import { summarizeAnalysis } from './summary.ts';
import type { Analysis, SkippedCheck } from './types.ts';

export interface AnalysisInput {
	meta: Pick<RegionMeta, 'id' | 'name'>;
	boundaries: BoundaryFeature[] | null;
	/** null = the region has no residential layer (analysed as zero areas, and said so). */
	residential: ResidentialFeature[] | null;
	/** null = the region has no facilities layer: unknown, not "no facilities". */
	facilities: FacilityFeature[] | null;
	communities: CommunityCode[] | null;
	profile: RuleProfile;
	/** Walking coverage of the same compounds and facilities; null = no network. */
	coverage: CoverageResult | null;
	/** Used only when there is no coverage (which carries its own settings). */
	walk?: { maxMinutes: number; walkSpeedMps: number; stepPenaltyS: number };
}

/**
 * @example
 * const coverage = computeCoverage(index, search, residential, facilities, { maxMinutes: 15 });
 * const analysis = analyzeRegion({ meta, boundaries, residential, facilities, communities, profile, coverage });
 * analysis.summary.deficitM2; // m² of community care floor area missing, summed over areas
 */
export function analyzeRegion(input: AnalysisInput): Analysis {
	const networkAvailable = input.coverage !== null;
	const walk = input.coverage?.settings ?? {
		...DEFAULT_WALK,
		maxMinutes: circleMinutesOf(input.profile),
		...input.walk
	};
	const places = buildPlaceIndex(input.boundaries, input.communities);
	const area = analyzeAreas({
		residential: input.residential ?? [],
		facilities: input.facilities,
		places,
		coverage: input.coverage,
		profile: input.profile
	});
	const facilityRows = input.facilities === null ? null : area.facilities;
	const street = analyzeStreets({
		boundaries: input.boundaries,
		communities: input.communities,
		areas: area.areas,
		facilities: facilityRows,
		profile: input.profile,
		networkAvailable,
		maxMinutes: walk.maxMinutes
	});
	const district = analyzeDistricts({
		boundaries: input.boundaries,
		areas: area.areas,
		facilities: facilityRows,
		streets: street.streets,
		profile: input.profile,
		networkAvailable
	});
	const skipped: SkippedCheck[] = [...area.skipped, ...street.skipped, ...district.skipped];
	if (input.residential === null)
		skipped.unshift({
			check: 'floor_area',
			level: 'area',
			ruleId: null,
			reasonZh: '本区域没有居住区（小区）图层，无法逐个居住区核算配建面积',
			reasonEn: 'The region has no residential layer: no per-area floor-area check',
			subjects: []
		});
	return {
		settings: {
			regionId: input.meta.id,
			regionName: input.meta.name,
			profileId: input.profile.id,
			profileVersion: input.profile.version,
			maxMinutes: walk.maxMinutes,
			walkSpeedMps: walk.walkSpeedMps,
			stepPenaltyS: walk.stepPenaltyS,
			networkAvailable
		},
		profile: input.profile,
		areas: area.areas,
		facilities: area.facilities,
		streets: street.streets,
		districts: district.districts,
		regionFindings: district.regionFindings,
		summary: summarizeAnalysis(
			area.areas,
			area.facilities,
			street.streets,
			district.districts,
			networkAvailable
		),
		skipped
	};
}
