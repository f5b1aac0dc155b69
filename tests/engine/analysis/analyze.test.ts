/**
 * analyzeRegion end to end on both bundled regions: the levels add up (areas → streets →
 * districts → summary) and a region without a network or residential layer says what it skipped.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRegion } from '../../../src/lib/engine/analysis/analyze.ts';
import { computeCoverage } from '../../../src/lib/engine/coverage/coverage.ts';
import { WalkSearch } from '../../../src/lib/engine/graph/search.ts';
import { SegmentIndex } from '../../../src/lib/engine/graph/snap.ts';
import { loadRegionGraph } from '../../../scripts/graph-cache.ts';
import { profile, region } from './fixtures/streets-rows.ts';

const sum = (values: (number | null)[]) => values.reduce<number>((t, v) => t + (v ?? 0), 0);

describe('analyzeRegion', () => {
	it('adds up on the demo region: Σ areas = Σ streets = Σ districts = summary', () => {
		const demo = region('shanghai-bund-lujiazui');
		const { graph } = loadRegionGraph(
			join(import.meta.dirname, '../../../data/regions/shanghai-bund-lujiazui'),
			demo.meta
		);
		const coverage = computeCoverage(
			new SegmentIndex(graph),
			new WalkSearch(graph),
			demo.layers.residential!,
			demo.layers.facilities!,
			{ maxMinutes: 15 }
		);
		const analysis = analyzeRegion({
			meta: demo.meta,
			boundaries: demo.layers.boundaries,
			residential: demo.layers.residential,
			facilities: demo.layers.facilities,
			communities: demo.communities,
			profile: profile('qingdao-laoshan-2024'),
			coverage
		});
		const { summary, areas, streets, districts } = analysis;
		expect(summary.areas).toBe(18);
		expect(summary.elders).toBe(sum(areas.map((a) => a.elders)));
		expect(sum(streets.map((s) => s.elders))).toBe(summary.elders);
		expect(sum(districts.map((d) => (d.eldersSource === 'areas' ? d.elders : 0)))).toBe(
			summary.elders
		);
		expect(summary.eldersCovered).toBe(
			sum(coverage.compounds.map((c) => (c.covered ? c.elders : 0)))
		);
		expect(sum(streets.map((s) => s.eldersCovered))).toBe(summary.eldersCovered);
		expect(sum(streets.map((s) => s.deficitM2))).toBeCloseTo(summary.deficitM2, 2);
		expect(summary.areasCompliant + summary.areasDeficit + summary.areasNoData).toBe(18);
		expect(analysis.settings).toMatchObject({
			regionId: 'shanghai-bund-lujiazui',
			maxMinutes: 15,
			walkSpeedMps: 1,
			networkAvailable: true
		});
		expect(summary.usesEstimate).toBe(true);
	});

	it('analyses Laoshan without a network or compounds and lists what it could not check', () => {
		const laoshan = region('qingdao-laoshan');
		const analysis = analyzeRegion({
			meta: laoshan.meta,
			boundaries: laoshan.layers.boundaries,
			residential: laoshan.layers.residential,
			facilities: laoshan.layers.facilities,
			communities: laoshan.communities,
			profile: profile('qingdao-laoshan-2024'),
			coverage: null
		});
		expect(analysis.settings.networkAvailable).toBe(false);
		expect(analysis.streets.map((s) => s.name)).toEqual([
			'中韩街道',
			'沙子口街道',
			'王哥庄街道',
			'北宅街道',
			'金家岭街道'
		]);
		expect(analysis.summary.eldersCovered).toBeNull();
		const checks = analysis.skipped.map((s) => s.check);
		for (const check of ['floor_area', 'service_circle', 'station_coverage', 'nursing_beds'])
			expect(checks).toContain(check);
		expect(analysis.districts[0].requiredLandM2).toBeCloseTo(25470.25, 2);
	});
});
