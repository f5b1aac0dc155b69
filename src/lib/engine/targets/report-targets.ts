/**
 * The targets of a gap report (issue 16), computed once for `npm run analyze` (scripts/analyze.ts)
 * and the workspace's downloads (server/region-report.ts), so that both print the same 目标指标
 * sheet and section for the same inputs: `analyzeTargets` on the report's analysis and the
 * region's indicator table, with the meal-assistance circle when the profile has the rule.
 *
 * The meal circle walks on the network the analysis ran on (its segment index and search, reused)
 * at the analysis's speed and step penalty and the rule's minutes; without a network the target is
 * listed as not computable, never as a share of 0.
 */
import type { Analysis } from '../analysis/types.ts';
import type { LabelledSearch } from '../coverage/coverage.ts';
import { computeMealCircle, mealCircleRule } from '../coverage/meal-circle.ts';
import type { SegmentIndex } from '../graph/snap.ts';
import type { IndicatorRow } from '../region/indicators.ts';
import type { FacilityFeature, ResidentialFeature } from '../region/schema.ts';
import { analyzeTargets, type TargetsResult } from './targets.ts';

export interface ReportTargetsInput {
	/** The report's analysis (the plan applied, if any). */
	analysis: Analysis;
	/** The region's indicator table (`LoadedRegion.indicators`); null = none imported. */
	indicators: readonly IndicatorRow[] | null;
	/** The compounds the analysis ran on (layer order, as `analysis.areas`); null = no layer. */
	residential: readonly ResidentialFeature[] | null;
	/** The facilities the analysis ran on (plan applied); null = the region has no such layer. */
	facilities: readonly FacilityFeature[] | null;
	/** The walking network the analysis's coverage used; null = the region has none. */
	network: { index: SegmentIndex; search: LabelledSearch } | null;
	/** Snap distance of the analysis's coverage, m (default 150 m). */
	maxSnapM?: number;
	/** The report's date (`ReportMeta.generatedAt`), YYYY-MM-DD: targets are dated on it. */
	date: string;
}

/**
 * The profile's targets for the report: every target per street, district and region on `date`,
 * the meal-assistance circle's rows included when the profile has a meal_service_circle rule.
 * @example
 * const meta: ReportMeta = { generatedAt, regionMeta: region.meta,
 *   targets: reportTargets({ analysis, indicators: region.indicators,
 *     residential: region.layers.residential, facilities: region.layers.facilities,
 *     network: { index, search }, maxSnapM: 150, date: generatedAt }) };
 */
export function reportTargets(input: ReportTargetsInput): TargetsResult {
	const { analysis, network } = input;
	const rule = mealCircleRule(analysis.profile);
	const meal = rule
		? computeMealCircle(
				network?.index ?? null,
				network?.search ?? null,
				input.residential ?? [],
				input.facilities,
				rule,
				{
					walkSpeedMps: analysis.settings.walkSpeedMps,
					stepPenaltyS: analysis.settings.stepPenaltyS,
					...(input.maxSnapM === undefined ? {} : { maxSnapM: input.maxSnapM })
				},
				analysis.areas
			)
		: undefined;
	return analyzeTargets({
		analysis,
		indicators: input.indicators,
		date: input.date,
		...(meal === undefined ? {} : { meal })
	});
}
