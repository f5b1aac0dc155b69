/**
 * Issue 13: "The region report and the project report give the same finding, word for word, for
 * the same compound." Every compound of the demo region is taken out of the region and evaluated
 * as a project with its own boundary, households, status and gates; its floor-area and circle
 * findings must equal, character for character, those of its row in the region's analysis.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegion } from '../../../src/lib/engine/analysis/analyze.ts';
import { computeCoverage } from '../../../src/lib/engine/coverage/coverage.ts';
import { evaluateProject } from '../../../src/lib/engine/evaluation/evaluate.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import { REPORT_UP_TO_MINUTES } from '../../../src/lib/engine/rules/defaults.ts';
import { bundledNetwork, bundledRegion, profile } from './fixtures.ts';

const region = bundledRegion('shanghai-bund-lujiazui');
const { graph } = bundledNetwork('shanghai-bund-lujiazui');
const index = new SegmentIndex(graph);
const search = new WalkSearch(graph);

describe.each(['qingdao-laoshan-2024', 'donge-2023', 'yantai-district-draft'])(
	'%s: a compound reads the same in the region report and as a project',
	(profileId) => {
		const rules = profile(profileId);
		const residential = region.residential!;
		const facilities = region.facilities!;
		const coverage = computeCoverage(index, search, residential, facilities, {
			reportUpToMinutes: REPORT_UP_TO_MINUTES
		});
		const analysis = analyzeRegion({ ...region, profile: rules, coverage });
		const ruleIds = new Set(
			rules.rules
				.filter(
					(rule) => rule.kind === 'facility_area_per_households' || rule.kind === 'service_circle'
				)
				.map((rule) => rule.id)
		);

		it('floor area and service circle, word for word', () => {
			let compared = 0;
			for (const [i, compound] of residential.entries()) {
				if (compound.geometry.type === 'Point' || compound.properties.households === null) continue;
				const row = analysis.areas[i];
				const evaluation = evaluateProject({
					region: { ...region, residential: residential.filter((_, k) => k !== i) },
					network: { graph, index, search },
					profile: rules,
					project: {
						name: compound.properties.name,
						boundary: compound.geometry,
						status: compound.properties.status,
						households: compound.properties.households,
						elders: compound.properties.elders ?? undefined,
						gates: (compound.properties.gates ?? []).map(([lon, lat]): [number, number] => [
							lon,
							lat
						])
					}
				});
				// The rules' findings (the project report adds its own placement notes beside them).
				const own = (reasons: { ruleId: string | null; messageZh: string; messageEn: string }[]) =>
					reasons
						.filter((reason) => reason.ruleId !== null && ruleIds.has(reason.ruleId))
						.map((reason) => [reason.ruleId, reason.messageZh, reason.messageEn].join(' | '))
						.sort();
				const projectFindings = evaluation.reasons.filter((r) => r.check !== 'facility_placement');
				expect(own(projectFindings), compound.properties.id).toEqual(own(row.reasons));
				expect(own(row.reasons).length).toBeGreaterThanOrEqual(
					rules.rules.some((r) => r.kind === 'service_circle') ? 2 : 1
				);
				expect(evaluation.floorArea.deficitM2, compound.properties.id).toBe(row.deficitM2);
				compared++;
			}
			expect(compared).toBeGreaterThanOrEqual(15);
		});
	}
);
