/**
 * Chart data of the map's side panel (issue 15, item 6): per-street bars and the histogram of
 * elders by walking minutes, on the demo region's real analysis (data/regions/shanghai-bund-
 * lujiazui: 18 areas, 11,814 estimated elders, 7,379 within 15 minutes of its one meal point)
 * and on hand-made rows; the charts' text helpers (chart-text.ts). Invariants: the totals are the summary's, a planned station moves
 * elders into lower bins and the bars follow it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analysis, AreaRow } from '../../src/lib/engine/analysis/types.ts';
import {
	DEFAULT_CIRCLE_MINUTES,
	REPORT_UP_TO_MINUTES
} from '../../src/lib/engine/rules/defaults.ts';
import { WhatIfSession, type PlannedStation } from '../../src/lib/engine/session/what-if.ts';
import { regionGraph } from '../../src/lib/server/region-graph.ts';
import {
	minutesHistogram,
	streetChartData,
	STREET_CHART_LIMIT,
	type MinutesBin
} from '../../src/lib/ui/map/chart-data.ts';
import { fitText, niceCeil, textWidth } from '../../src/lib/ui/map/chart-text.ts';
import { areaRow, profile, region } from '../engine/analysis/fixtures/streets-rows.ts';

const regionsDir = join(import.meta.dirname, '..', '..', 'data', 'regions');
const demo = region('shanghai-bund-lujiazui');
const sessionRegion = {
	meta: demo.meta,
	boundaries: demo.layers.boundaries,
	residential: demo.layers.residential,
	facilities: demo.layers.facilities,
	communities: demo.communities
};
const demoProfile = profile(demo.meta.defaultProfile);
const session = new WhatIfSession(
	regionGraph(regionsDir, demo.meta.id),
	sessionRegion,
	demoProfile
);
const baseline = session.run();

/** A station at the first vertex of the farthest area (osm-673517962, 2,214 elders at 29.4 min). */
function stationAtFarthestArea(): PlannedStation {
	const far = demo.layers.residential!.find((f) => f.properties.id === 'osm-673517962')!;
	const ring = far.geometry.type === 'Polygon' ? far.geometry.coordinates[0] : [];
	return {
		id: 'planned-test',
		name: '测试站点',
		kind: 'community_station',
		floorAreaM2: 300,
		position: [ring[0][0], ring[0][1]]
	};
}

const sumOf = (bins: MinutesBin[]) => bins.reduce((sum, bin) => sum + bin.elders, 0);
/** Elders within `minutes` by the histogram's bins (upper edges). */
const eldersUpTo = (bins: MinutesBin[], minutes: number) =>
	sumOf(bins.filter((bin) => bin.toMinutes !== null && bin.toMinutes <= minutes));

describe('minutes histogram on the demo region', () => {
	const histogram = minutesHistogram(baseline.analysis);

	it('has 5-minute bins up to the circle, then beyond it to the report bound', () => {
		expect(histogram.maxMinutes).toBe(DEFAULT_CIRCLE_MINUTES);
		expect(histogram.reportUpToMinutes).toBe(REPORT_UP_TO_MINUTES);
		expect(histogram.bins.map((bin) => [bin.kind, bin.fromMinutes, bin.toMinutes])).toEqual([
			['within', 0, 5],
			['within', 5, 10],
			['within', 10, 15],
			['beyond', 15, 20],
			['beyond', 20, 25],
			['beyond', 25, 30],
			['beyond', 30, 45],
			['beyond', 45, 60],
			['unreached', null, null],
			['unknown', null, null]
		]);
	});

	it('counts elders, not areas: totals are the summary’s', () => {
		const { summary } = baseline.analysis;
		expect(summary.elders).toBe(11814);
		expect(histogram.elders).toBe(summary.elders);
		expect(sumOf(histogram.bins)).toBe(summary.elders);
		expect(histogram.eldersWithin).toBe(summary.eldersCovered);
		expect(histogram.bins.reduce((sum, bin) => sum + bin.areas, 0)).toBe(summary.areas);
		expect(histogram.maxBinElders).toBe(Math.max(...histogram.bins.map((bin) => bin.elders)));
	});

	it('puts each area by its minutes; the one without a time is unreached', () => {
		const [b5, b10, b15, b20, b25, b30] = histogram.bins;
		// 崂山四村 1.56, 招远小区 1.68, 崂山五村 2.56 min
		expect(b5).toMatchObject({ areas: 3, elders: 264 + 384 + 447 });
		expect(b10.areas + b15.areas).toBe(10);
		expect(b20).toMatchObject({ areas: 2, elders: 929 + 459 }); // 16.7, 17.38 min
		expect(b25.areas).toBe(0);
		expect(b30).toMatchObject({ areas: 2, elders: 202 + 2214 }); // 29.68, 29.38 min
		const unreached = histogram.bins.find((bin) => bin.kind === 'unreached')!;
		expect(unreached).toMatchObject({ areas: 1, elders: 631 }); // osm-50323218, off the network
		expect(histogram.bins.find((bin) => bin.kind === 'unknown')!.areas).toBe(0);
	});

	it('flags the estimated elders (all of the demo’s are)', () => {
		expect(histogram.usesEstimate).toBe(true);
		for (const bin of histogram.bins) expect(bin.eldersEstimated).toBe(bin.elders);
		expect(histogram.areasEldersUnknown).toBe(0);
	});

	it('a planned station shifts elders into lower bins, the total unchanged', () => {
		session.setPlanned([stationAtFarthestArea()]);
		const planned = session.run();
		session.setPlanned([]);
		const after = minutesHistogram(planned.analysis);
		expect(after.elders).toBe(histogram.elders);
		expect(after.eldersWithin).toBe(planned.analysis.summary.eldersCovered);
		expect(after.eldersWithin).toBeGreaterThan(histogram.eldersWithin);
		// every cumulative count (elders within m minutes) grows or stays: a new station never
		// lengthens a walk
		for (const bin of histogram.bins.filter((b) => b.toMinutes !== null))
			expect(eldersUpTo(after.bins, bin.toMinutes!)).toBeGreaterThanOrEqual(
				eldersUpTo(histogram.bins, bin.toMinutes!)
			);
		expect(after.bins[5].elders).toBeLessThan(histogram.bins[5].elders); // 25–30 min emptied
	});

	it('follows another circle: 10 minutes', () => {
		const ten = session.run({ ...session.run().analysis.settings, maxMinutes: 10 });
		const h = minutesHistogram(ten.analysis);
		expect(h.bins.filter((bin) => bin.kind === 'within').map((bin) => bin.toMinutes)).toEqual([
			5, 10
		]);
		expect(h.bins.filter((bin) => bin.kind === 'beyond').map((bin) => bin.toMinutes)).toEqual([
			15, 20, 25, 30, 45, 60
		]);
		expect(h.eldersWithin).toBe(ten.analysis.summary.eldersCovered);
		expect(h.elders).toBe(ten.analysis.summary.elders);
	});
});

describe('minutes histogram on hand-made rows', () => {
	const settings = (maxMinutes: number, networkAvailable = true) =>
		({ maxMinutes, networkAvailable }) as Analysis['settings'];
	const area = (
		id: string,
		elders: number | null,
		minutes: number | null,
		covered: boolean | null
	) => areaRow({ id, elders, minutesToNearest: minutes, covered, estimatedFields: ['elders'] });

	it('decides inside or outside by the covered flag at the edge (minutes are rounded)', () => {
		const areas: AreaRow[] = [
			area('a', 10, 15, true), // 14.999 min, rounded
			area('b', 20, 15, false), // 15.004 min, rounded
			area('c', 30, 0, true)
		];
		const h = minutesHistogram({ areas, settings: settings(15) });
		expect(h.bins[0].elders).toBe(30);
		expect(h.bins[2].elders).toBe(10);
		expect(h.bins[3]).toMatchObject({ kind: 'beyond', elders: 20 });
		expect(h.eldersWithin).toBe(40);
	});

	it('keeps unknown elders out of the sums but counts their areas', () => {
		const areas = [area('a', null, 3, true), area('b', 5, 3, true), area('c', null, null, false)];
		const h = minutesHistogram({ areas, settings: settings(15) });
		expect(h.elders).toBe(5);
		expect(h.bins[0]).toMatchObject({ areas: 2, elders: 5, areasEldersUnknown: 1 });
		expect(h.bins.find((b) => b.kind === 'unreached')).toMatchObject({
			areas: 1,
			elders: 0,
			areasEldersUnknown: 1
		});
		expect(h.areasEldersUnknown).toBe(2);
	});

	it('without a network every area is unknown', () => {
		const areas = [area('a', 100, null, null), area('b', 50, null, null)];
		const h = minutesHistogram({ areas, settings: settings(15, false) });
		expect(h.networkAvailable).toBe(false);
		expect(h.bins.find((b) => b.kind === 'unknown')).toMatchObject({ areas: 2, elders: 150 });
		expect(h.eldersWithin).toBe(0);
		expect(h.elders).toBe(150);
	});

	it('a circle at the report bound has no beyond bins; a wide one wider bins', () => {
		const at = minutesHistogram({ areas: [], settings: settings(REPORT_UP_TO_MINUTES) });
		expect(at.bins.some((b) => b.kind === 'beyond')).toBe(false);
		expect(at.bins.filter((b) => b.kind === 'within')).toHaveLength(12);
		const wide = minutesHistogram(
			{ areas: [area('a', 7, null, true)], settings: settings(REPORT_UP_TO_MINUTES + 30) },
			{}
		);
		expect(wide.binMinutes).toBe(10);
		// covered by a circle past the report bound, with no time: the circle's last bin
		expect(wide.eldersWithin).toBe(7);
		const odd = minutesHistogram({ areas: [area('a', 1, 13, false)], settings: settings(12) });
		expect(odd.bins.slice(0, 4).map((b) => [b.fromMinutes, b.toMinutes])).toEqual([
			[0, 5],
			[5, 10],
			[10, 12],
			[12, 15]
		]);
		expect(odd.bins[3].elders).toBe(1);
	});

	it('a chart ahead of its run (another circle) decides on the minutes', () => {
		const areas = [area('a', 10, 12, true), area('b', 20, 9, true)];
		const h = minutesHistogram({ areas, settings: settings(15) }, { maxMinutes: 10 });
		expect(h.eldersWithin).toBe(20);
		expect(h.bins.find((b) => b.kind === 'beyond' && b.toMinutes === 15)!.elders).toBe(10);
	});
});

describe('street bars', () => {
	it('on the demo region: one unassigned street, sums equal the summary', () => {
		const data = streetChartData(baseline);
		const { summary } = baseline.analysis;
		expect(data.bars.map((bar) => bar.name)).toEqual(['未划分街道']);
		expect(data.totals.elders).toBe(summary.elders);
		expect(data.totals.eldersCovered).toBe(summary.eldersCovered);
		expect(data.totals.deficitM2).toBe(summary.deficitM2);
		const [bar] = data.bars;
		expect(bar.eldersCovered! + bar.eldersNotCovered!).toBe(bar.elders);
		expect(bar.eldersNotCovered).toBe(11814 - 7379);
		expect(bar.baseline).toEqual({ eldersCovered: 7379, deficitM2: 3141.3 });
		expect(data.planChanged).toBe(false);
		expect(data.usesEstimate).toBe(true);
		expect(data.maxElders).toBe(11814);
	});

	it('follow a planned station, with the baseline kept for comparison', () => {
		session.setPlanned([stationAtFarthestArea()]);
		const planned = session.run();
		session.setPlanned([]);
		const data = streetChartData(planned);
		const [bar] = data.bars;
		expect(data.planChanged).toBe(true);
		expect(bar.eldersCovered).toBe(planned.analysis.summary.eldersCovered);
		expect(bar.eldersCovered!).toBeGreaterThan(7379);
		expect(bar.baseline!.eldersCovered).toBe(7379);
		expect(bar.change!.eldersCovered).toBe(bar.eldersCovered! - 7379);
		expect(bar.deficitM2).toBeLessThan(bar.baseline!.deficitM2); // 300 m² counted somewhere
		expect(data.maxDeficitM2).toBe(3141.3);
	});

	it('on hand-made streets: order by elders, at most the limit drawn, no-area streets left out', () => {
		const street = (code: string, elders: number, covered: number | null, areas = 1) => ({
			code,
			name: `街道 ${code}`,
			areas,
			elders,
			eldersUnknownCount: 0,
			eldersCovered: covered,
			eldersCoveredShare: covered === null ? null : covered / elders,
			deficitM2: elders / 10,
			usesEstimate: false
		});
		const streets = [
			...Array.from({ length: STREET_CHART_LIMIT + 3 }, (_, i) =>
				street(`s${i}`, 100 * (i + 1), 50)
			),
			street('empty', 0, 0, 0)
		];
		const analysis = {
			settings: { networkAvailable: true },
			streets
		} as unknown as Analysis;
		const data = streetChartData({ analysis });
		expect(data.withoutAreas).toBe(1);
		expect(data.bars).toHaveLength(STREET_CHART_LIMIT + 3);
		expect(data.shown).toHaveLength(STREET_CHART_LIMIT);
		expect(data.more).toBe(3);
		expect(data.shown[0].code).toBe(`s${STREET_CHART_LIMIT + 2}`);
		expect(data.bars.every((bar) => bar.baseline === null)).toBe(true);
		expect(data.totals.eldersCovered).toBe(50 * (STREET_CHART_LIMIT + 3));

		const offline = streetChartData({
			analysis: { ...analysis, settings: { networkAvailable: false } } as unknown as Analysis
		});
		expect(offline.networkAvailable).toBe(false);
		expect(offline.totals.eldersCovered).toBeNull();
		expect(offline.bars.every((bar) => bar.eldersCovered === null)).toBe(true);
	});
});

describe('chart text helpers', () => {
	it('cuts names to an estimated width with …, Chinese as 1 em', () => {
		expect(textWidth('陆家嘴街道', 10)).toBe(50);
		expect(textWidth('Lujiazui', 10)).toBeCloseTo(48);
		expect(fitText('陆家嘴街道', 50, 10)).toEqual(['陆家嘴街道', false]);
		expect(fitText('浦东新区花木街道办事处', 50, 10)).toEqual(['浦东新区…', true]);
		const [cut, wasCut] = fitText('A very long English street name', 90, 11);
		expect(wasCut).toBe(true);
		expect(textWidth(cut, 11)).toBeLessThanOrEqual(90);
	});

	it('rounds an axis up to 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ', () => {
		expect([0, 1, 7, 11, 5478, 6026, 11814].map(niceCeil)).toEqual([
			1, 1, 8, 15, 6000, 8000, 15000
		]);
	});
});
