/**
 * evaluateProject (issue 7): hand-computed floor areas per profile, the verdict rules, the
 * 15-minute circle on a grid with known walking times (80 m blocks at 1 m/s), pooling under
 * Yantai, the street centre under the Qingdao city draft, and the demo region's street figures
 * before and after a project (they must add up).
 */
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { readProjectBoundary } from '../../../src/lib/engine/evaluation/boundary.ts';
import { evaluateProject } from '../../../src/lib/engine/evaluation/evaluate.ts';
import type { ProjectInput } from '../../../src/lib/engine/evaluation/types.ts';
import {
	DEMO_PROJECT_FILE,
	GRID_STREET,
	at,
	bundledNetwork,
	bundledRegion,
	compound,
	facility,
	gridNetwork,
	gridRegion,
	gridTargetsEvaluation,
	profile,
	rectangle
} from './fixtures.ts';

/** A project in the block north-east of node (col, row), its gate on node (col, row). */
function gridProject(
	col: number,
	row: number,
	overrides: Partial<ProjectInput> = {}
): ProjectInput {
	return {
		name: '测试项目',
		boundary: rectangle(col + 0.1, row + 0.1, col + 0.9, row + 0.9),
		status: 'new',
		households: 800,
		gates: [at(col, row)],
		...overrides
	};
}

/** A station planned in the middle of that block (40 m from the streets around it). */
const stationIn = (col: number, row: number, floorAreaM2: number, kind = 'community_station') => ({
	kind: kind as 'community_station',
	floorAreaM2,
	position: at(col + 0.5, row + 0.5)
});

/**
 * The region's one facility: an institution (养老机构) on node (0, 0). It counts for the walking
 * circle (nearest facility of any kind) but never toward a compound's floor area, pooled or not.
 */
const STATION = facility('station-0-0', 'institution', 2000, at(0, 0));

describe('required floor area, hand-computed per profile', () => {
	const cases = [
		// [profile, status, households, required m²]
		['donge-2023', 'new', 800, 200], // max(800 ÷ 100 × 20 = 160, 200)
		['donge-2023', 'existing', 2000, 300], // max(2000 ÷ 100 × 15 = 300, 200)
		['yantai-district-draft', 'new', 1234, 350], // max(246.8, 350)
		['yantai-district-draft', 'existing', 1234, 185.1], // no minimum for existing compounds
		['qingdao-laoshan-2024', 'existing', 1000, 150],
		['qingdao-city-2023-draft', 'new', 800, 160]
	] as const;
	for (const [profileId, status, households, required] of cases)
		it(`${profileId}: ${households} ${status} households need ${required} m²`, () => {
			const evaluation = evaluateProject({
				region: gridRegion({ facilities: [STATION] }),
				network: gridNetwork(),
				profile: profile(profileId),
				project: gridProject(3, 3, { status, households })
			});
			expect(evaluation.floorArea.requiredM2).toBe(required);
			expect(evaluation.floorArea.providedM2).toBe(0);
			expect(evaluation.floorArea.deficitM2).toBe(required);
			// nothing planned inside: the submission lacks the facility altogether
			expect(evaluation.verdict).toBe('non_compliant');
			const reason = evaluation.reasons.find((r) => r.check === 'floor_area')!;
			expect(reason).toMatchObject({ ruleId: 'community-facility-area', effect: 'non_compliant' });
			expect(reason.citation?.clause).toBeTruthy();
			expect(evaluation.conditions[0].zh).toContain(`不少于 ${required} m²`);
		});

	it('qingdao-rural-2022 has no per-household rule: the floor-area check does not run', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-rural-2022'),
			project: gridProject(3, 3)
		});
		expect(evaluation.floorArea.requiredM2).toBeNull();
		expect(evaluation.notRun.map((item) => item.check)).toContain('floor_area');
		expect(evaluation.incomplete).toBe(true);
		expect(evaluation.verdict).toBe('compliant');
	});
});

describe('verdicts and what must change', () => {
	it('donge-2023: 800 new households with a 150 m² station → the site is under 单处 200 m², counts 0 m², and the station must reach 300 m²', () => {
		// Dong'e 13. "单处不低于200平方米": every site; a 150 m² room provides nothing (issue 13).
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('donge-2023'),
			project: gridProject(3, 3, { facilities: [stationIn(3, 3, 150)] })
		});
		expect(evaluation.floorArea).toMatchObject({
			rateBasedM2: 160,
			minSingleSiteM2: 200,
			requiredM2: 200,
			insideM2: 150,
			providedM2: 0,
			deficitM2: 200
		});
		expect(evaluation.verdict).toBe('conditional');
		expect(evaluation.conditions.map((c) => [c.ruleId, c.check])).toEqual([
			['community-facility-area', 'floor_area'],
			['community-center-area', 'station_size']
		]);
		expect(evaluation.conditions[0].zh).toContain('每处设施不少于 200 m²');
		expect(evaluation.conditions[0].en).toContain('Each site at least 200 m²');
		expect(evaluation.reasons.find((r) => r.numbers.sitesBelowMinimum === 1)?.messageZh).toContain(
			'不足单处最小面积，不计入已配建面积'
		);
		expect(evaluation.conditions[1].zh).toContain('不少于 300 m²');
		// every failing reason cites its clause
		for (const reason of evaluation.reasons.filter((r) => r.effect !== 'none'))
			expect(reason.citation?.quote, reason.messageEn).toBeTruthy();
	});

	it('donge-2023: a 300 m² station makes the same project compliant', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('donge-2023'),
			project: gridProject(3, 3, { facilities: [stationIn(3, 3, 300)] })
		});
		expect(evaluation.floorArea.deficitM2).toBe(0);
		expect(evaluation.verdict).toBe('compliant');
		expect(evaluation.conditions).toEqual([]);
	});

	it('yantai-district-draft: 1,234 new households and a 300 m² station → under 单个项目 350 m², it counts 0 m²', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('yantai-district-draft'),
			project: gridProject(3, 3, { households: 1234, facilities: [stationIn(3, 3, 300)] })
		});
		expect(evaluation.floorArea.requiredM2).toBe(350);
		expect(evaluation.floorArea.deficitM2).toBe(350);
		expect(evaluation.verdict).toBe('conditional');
		expect(evaluation.conditions[0].zh).toContain('每处设施不少于 350 m²');
		expect(evaluation.conditions[0].zh).toContain('不计入分摊的共用建筑面积');
	});

	it('a facility planned outside the boundary does not count where the profile does not pool', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(3, 3, { households: 1000, facilities: [stationIn(5, 3, 500)] })
		});
		const planned = evaluation.facilities.find((f) => f.project)!;
		expect(planned).toMatchObject({ insideBoundary: false, countedM2: 0 });
		expect(evaluation.floorArea.providedM2).toBe(0);
		expect(evaluation.verdict).toBe('non_compliant');
		expect(
			evaluation.reasons.some(
				(r) => r.check === 'facility_placement' && r.messageZh.includes('不允许多个小区统筹配建')
			)
		).toBe(true);
	});
});

describe('the 15-minute circle on the grid (walking time = blocks × 80 s)', () => {
	it('a gate 10 blocks from the only station is within 13.33 minutes', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(5, 5)
		});
		expect(evaluation.circle.access).toBe('gates');
		expect(evaluation.circle.nearest).toMatchObject({ id: 'station-0-0', minutes: 13.33 });
		expect(evaluation.circle.nearestExisting?.minutes).toBe(13.33);
		expect(evaluation.circle.covered).toBe(true);
		const reason = evaluation.reasons.find((r) => r.check === 'service_circle')!;
		expect(reason).toMatchObject({ ruleId: 'service-circle-15min', severity: 'info' });
	});

	it('a project outside every circle, with nothing planned, fails with the circle clause and the floor area', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(20, 20, { households: 600 })
		});
		// 40 blocks × 80 m at 1 m/s = 3,200 s
		expect(evaluation.circle.nearest?.minutes).toBe(53.33);
		expect(evaluation.circle.covered).toBe(false);
		expect(evaluation.verdict).toBe('non_compliant');
		const [circle, detail] = evaluation.reasons.filter((r) => r.check === 'service_circle');
		// the region report's finding for this compound, word for word (issue 13)
		expect(circle).toMatchObject({
			ruleId: 'service-circle-15min',
			severity: 'warning',
			effect: 'condition',
			messageZh: '最近站点步行 53.3 分钟，超出 15 分钟养老服务圈'
		});
		expect(circle.citation?.clause).toBe('（七）加强养老服务网络建设');
		expect(detail.messageZh).toContain('53.3 分钟');
		expect(detail.ruleId).toBeNull();
		expect(evaluation.conditions.map((c) => c.check)).toEqual(['floor_area', 'service_circle']);
	});

	it('enough floor area but a station nobody can walk to: conditional, a station within 15 minutes is needed', () => {
		// The planned station sits 40 m from every street; with a 10 m snap limit it is off the network.
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(20, 20, { households: 600, facilities: [stationIn(20, 20, 200)] }),
			walk: { maxSnapM: 10 }
		});
		expect(evaluation.floorArea.deficitM2).toBe(0);
		expect(evaluation.facilities[0].placed).toBe(false);
		expect(evaluation.circle.covered).toBe(false);
		expect(evaluation.verdict).toBe('conditional');
		expect(evaluation.conditions).toHaveLength(1);
		expect(evaluation.conditions[0]).toMatchObject({ check: 'service_circle' });
		expect(evaluation.conditions[0].zh).toContain('步行 15 分钟范围内需有养老服务站点');
	});

	it('profiles without a circle rule show minutes for reference and never fail on them', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('donge-2023'),
			project: gridProject(20, 20, { facilities: [stationIn(20, 20, 300)] }),
			walk: { maxSnapM: 10 }
		});
		expect(evaluation.circle.ruleId).toBeNull();
		expect(evaluation.verdict).toBe('compliant');
		expect(evaluation.reasons.find((r) => r.check === 'service_circle')?.severity).toBe('info');
	});

	it('draws the isochrone from the gate: every reached position within 15 minutes of it', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(10, 10)
		});
		const reached = evaluation.map.reached!;
		expect(reached.coordinates.length).toBeGreaterThan(100);
		const [gateLon, gateLat] = at(10, 10);
		const [lon1, lat1] = at(11, 11);
		const blockLon = lon1 - gateLon;
		const blockLat = lat1 - gateLat;
		for (const line of reached.coordinates)
			for (const [lon, lat] of line) {
				// Manhattan distance on the grid, metres: within 900 m (15 min at 1 m/s)
				const metres =
					(Math.abs(lon - gateLon) / blockLon + Math.abs(lat - gateLat) / blockLat) * 80;
				expect(metres).toBeLessThanOrEqual(900 + 0.05); // positions are rounded to 1e-7°
			}
		expect(evaluation.map.accessPoints).toHaveLength(1);
		expect(booleanPointInPolygon(at(10, 10), evaluation.map.band!)).toBe(true);
	});
});

describe('pooling (yantai-district-draft 4.)', () => {
	it('an existing 400 m² community station within the circle counts for the one compound it serves', () => {
		const shared = facility('shared', 'community_station', 400, at(0, 0));
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [shared] }),
			network: gridNetwork(),
			profile: profile('yantai-district-draft'),
			project: gridProject(3, 3, { households: 1234 }) // 6 blocks = 8 minutes away
		});
		expect(evaluation.floorArea).toMatchObject({
			requiredM2: 350,
			insideM2: 0,
			pooledM2: 400,
			providedM2: 400,
			deficitM2: 0
		});
		expect(evaluation.verdict).toBe('compliant');
		expect(evaluation.facilities).toEqual([]); // listed facilities: planned or inside only
	});

	it('a 300 m² station in the circle is no site for a new compound under the 350 m² 单个项目 minimum', () => {
		const shared = facility('shared', 'community_station', 300, at(0, 0));
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [shared] }),
			network: gridNetwork(),
			profile: profile('yantai-district-draft'),
			project: gridProject(3, 3, { households: 1234 })
		});
		expect(evaluation.floorArea).toMatchObject({ pooledM2: 0, providedM2: 0, deficitM2: 350 });
		expect(evaluation.verdict).toBe('non_compliant');
	});

	it('a shared station outside both compounds goes to the new one only: an existing compound does not pool (规划配建)', () => {
		// Existing compound A: 500 existing households → 75 m²; under Yantai 4. only new compounds
		// pool (规划配建), so the whole 400 m² counts for the project (issue 13; it was 329.41).
		const a = compound('A', rectangle(15.1, 15.1, 15.9, 15.9), 500, 250, [at(15, 15)]);
		const evaluation = evaluateProject({
			region: gridRegion({ residential: [a], facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('yantai-district-draft'),
			project: gridProject(15, 20, {
				households: 1234,
				facilities: [{ kind: 'community_station', floorAreaM2: 400, position: at(15, 17) }]
			})
		});
		expect(evaluation.floorArea.requiredM2).toBe(350);
		expect(evaluation.floorArea.insideM2).toBe(0);
		expect(evaluation.floorArea.pooledM2).toBe(400);
		expect(evaluation.floorArea.deficitM2).toBe(0);
		expect(evaluation.facilities[0]).toMatchObject({ insideBoundary: false, countedM2: 400 });
		expect(evaluation.verdict).toBe('compliant');
	});

	it('a shared station outside two small new compounds is split by their required areas: 400 × 350 ÷ 700', () => {
		const a = compound('A', rectangle(15.1, 15.1, 15.9, 15.9), 500, 250, [at(15, 15)]);
		a.properties.status = 'new'; // 500 new households → max(100, 350) = 350 m²
		const evaluation = evaluateProject({
			region: gridRegion({ residential: [a], facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('yantai-district-draft'),
			project: gridProject(15, 20, {
				households: 1234,
				facilities: [{ kind: 'community_station', floorAreaM2: 400, position: at(15, 17) }]
			})
		});
		expect(evaluation.floorArea.pooledM2).toBe(200);
		expect(evaluation.floorArea.deficitM2).toBe(150);
		expect(evaluation.verdict).toBe('conditional');
		expect(evaluation.conditions[0].zh).toContain('增加不少于 150 m²');
	});
});

describe('the street comprehensive centre (qingdao-city-2023-draft 7.)', () => {
	it('reports the centre’s size and walking time without changing the project’s verdict', () => {
		const centre = facility('centre', 'street_center', 800, at(0, 0), { name: '街道中心' });
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [centre], boundaries: [GRID_STREET] }),
			network: gridNetwork(),
			profile: profile('qingdao-city-2023-draft'),
			project: gridProject(4, 5, { facilities: [stationIn(4, 5, 160)] })
		});
		expect(evaluation.streetCenter).toMatchObject({
			streetCode: '310115001',
			facilityId: 'centre',
			floorAreaM2: 800,
			minFloorAreaM2: 1000,
			meetsMinimum: false,
			minutes: 12, // 9 blocks × 80 s
			withinCircle: true
		});
		const reason = evaluation.reasons.find((r) => r.check === 'street_center')!;
		expect(reason).toMatchObject({
			ruleId: 'street-center-area',
			severity: 'warning',
			effect: 'none'
		});
		expect(evaluation.verdict).toBe('compliant');
		expect(evaluation.street.code).toBe('310115001');
	});

	it('no street polygon: the centre check is listed as not run', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-city-2023-draft'),
			project: gridProject(4, 5, { elders: 400, facilities: [stationIn(4, 5, 160)] })
		});
		expect(evaluation.notRun.map((item) => item.check)).toEqual(['street_center']);
		expect(evaluation.verdict).toBe('compliant');
		expect(evaluation.incomplete).toBe(true);
	});
});

describe('households and elders', () => {
	it('derives households from the residential floor area and says how (an estimate)', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('donge-2023'),
			project: gridProject(3, 3, {
				households: null,
				residentialFloorAreaM2: 54000,
				dwellingM2: 90,
				facilities: [stationIn(3, 3, 300)]
			})
		});
		expect(evaluation.project.households).toBe(600);
		expect(evaluation.project.householdsSource).toMatchObject({
			method: 'floor_area',
			exact: 600,
			estimated: true
		});
		expect(evaluation.project.householdsSource.derivationZh).toContain(
			'住宅建筑面积 54,000 m² ÷ 户均 90 m²/户 = 600'
		);
		expect(evaluation.estimates.map((e) => e.field)).toContain('households');
		expect(evaluation.reasons.find((r) => r.check === 'floor_area')?.usesEstimate).toBe(true);
	});

	it('rounds a part-dwelling up (100,000 m² ÷ 90 m² = 1,111.11 → 1,112 households)', () => {
		const evaluation = evaluateProject({
			region: gridRegion({ facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(3, 3, { households: undefined, residentialFloorAreaM2: 100000 })
		});
		expect(evaluation.project.households).toBe(1112);
		expect(evaluation.project.householdsSource.derivationZh).toContain(
			'1111.11，向上取整 → 1,112 户'
		);
		expect(evaluation.floorArea.requiredM2).toBe(222.4);
	});

	it('estimates elders from the region’s elders per household, and takes entered elders as they are', () => {
		const a = compound('A', rectangle(15.1, 15.1, 15.9, 15.9), 1000, 300, [at(15, 15)]);
		const b = compound('B', rectangle(16.1, 15.1, 16.9, 15.9), 500, 200, [at(16, 15)]);
		const region = gridRegion({ residential: [a, b], facilities: [STATION] });
		const estimated = evaluateProject({
			region,
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(3, 3, { households: 300 })
		});
		// 500 elders ÷ 1,500 households = 1/3 per household → 100
		expect(estimated.project.elders).toBe(100);
		expect(estimated.project.eldersSource).toMatchObject({
			method: 'region_ratio',
			ratioBasis: { areas: 2, households: 1500, elders: 500 },
			estimated: true
		});
		expect(estimated.estimates.map((e) => e.field)).toContain('elders');
		const entered = evaluateProject({
			region,
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(3, 3, { households: 300, elders: 90 })
		});
		expect(entered.project.elders).toBe(90);
		expect(entered.project.eldersSource.estimated).toBe(false);
		expect(entered.estimates.map((e) => e.field)).not.toContain('elders');
	});

	it('warns when the boundary overlaps an existing compound', () => {
		const a = compound('A', rectangle(3, 3, 4, 4), 1000, 300, [at(3, 3)]);
		const evaluation = evaluateProject({
			region: gridRegion({ residential: [a], facilities: [STATION] }),
			network: gridNetwork(),
			profile: profile('qingdao-laoshan-2024'),
			project: gridProject(3, 3)
		});
		expect(evaluation.project.overlaps).toHaveLength(1);
		// the project covers 0.8 × 0.8 of an 80 m block
		expect(evaluation.project.overlaps[0].overlapM2).toBeCloseTo(64 * 64, -1);
		expect(evaluation.reasons.some((r) => r.check === 'overlap' && r.severity === 'warning')).toBe(
			true
		);
	});
});

describe('the demo region (Bund / Lujiazui): 600 new households south of 乳山四村', () => {
	const region = bundledRegion('shanghai-bund-lujiazui');
	const network = bundledNetwork('shanghai-bund-lujiazui');

	it('adds the project to its street: the figures before and after add up', async () => {
		const boundary = await readProjectBoundary(
			'ruyi-project.geojson',
			readFileSync(DEMO_PROJECT_FILE),
			{
				regionBbox: region.meta.bbox
			}
		);
		const evaluation = evaluateProject({
			region,
			network,
			profile: profile('qingdao-laoshan-2024'),
			project: {
				name: boundary.source.name!,
				boundary: boundary.geometry,
				boundarySource: boundary.source,
				status: 'new',
				households: 600,
				facilities: [{ kind: 'community_station', floorAreaM2: 150, position: [121.5175, 31.235] }]
			}
		});
		// elders from the region's own ratio, computed here from the residential layer
		const features = region.residential!;
		const households = features.reduce((sum, f) => sum + (f.properties.households ?? 0), 0);
		const elders = features.reduce((sum, f) => sum + (f.properties.elders ?? 0), 0);
		expect(evaluation.project.elders).toBe(Math.round((600 * elders) / households));

		const { before, after } = evaluation.street;
		expect(evaluation.street.code).toBeNull(); // no street polygons in the demo region
		expect(after.areas).toBe(before.areas + 1);
		expect(after.households).toBe(before.households + 600);
		expect(after.elders).toBe(before.elders + evaluation.project.elders!);
		expect(after.requiredM2).toBeCloseTo(before.requiredM2 + 120, 2); // 600 × 20 ÷ 100
		expect(after.deficitM2).toBeCloseTo(before.deficitM2, 2); // the project itself has no deficit
		expect(after.eldersCovered!).toBeGreaterThanOrEqual(
			before.eldersCovered! + evaluation.project.elders!
		);
		expect(before.eldersCovered).toBe(7379); // the analysis CLI's golden figure
		expect(evaluation.verdict).toBe('compliant');
		expect(evaluation.district?.name).toBe('浦东新区');
		expect(evaluation.district!.after.elders).toBe(
			evaluation.district!.before.elders! + evaluation.project.elders!
		);
	});
});

describe('the targets of the project’s street and district (issue 16)', () => {
	it('lists the street’s and its district’s targets as analyzeTargets judges them, and no other place', () => {
		const evaluation = gridTargetsEvaluation('2026-11-22');
		const targets = evaluation.streetTargets!;
		expect(targets).toMatchObject({ date: '2026-11-22', hasIndicators: true });
		// Only the project's street (310115001) and its district (310115): not 其他街道 (50 %).
		for (const row of targets.rows)
			expect([row.level, row.code]).toSatisfy(
				([level, code]: [string, string]) =>
					(level === 'street' && code === '310115001') ||
					(level === 'district' && code === '310115')
			);
		const visits = targets.rows.filter((row) => row.kind === 'special_visit_rate');
		// Dong'e 6.: 100 % by end-2025; on 2026-11-22 both shortfalls are overdue.
		expect(visits.map((row) => [row.level, row.status, row.value, row.target])).toEqual([
			['district', 'overdue', 0.95, 1],
			['street', 'overdue', 0.9, 1]
		]);
		expect(visits[1].gap).toBeCloseTo(0.1, 12);
		expect(visits[1].reason.messageZh).toContain('现为 90%，未达标');
		// The street centre of the region as it is: 800 m² ≥ 600 m².
		const centre = targets.rows.find((row) => row.kind === 'street_center_area')!;
		expect([centre.status, centre.value, centre.target]).toEqual(['met', 800, 600]);
		expect(Object.values(targets.counts).reduce((a, b) => a + b, 0)).toBe(targets.rows.length);
		// Context only: the verdict is the one without targets.
		const without = gridTargetsEvaluation(null);
		expect(without.streetTargets).toBeNull();
		expect(evaluation.verdict).toBe(without.verdict);
		expect(evaluation.reasons).toEqual(without.reasons);
	});

	it('before the end of 2025 the same shortfalls are behind', () => {
		const early = gridTargetsEvaluation('2025-12-31').streetTargets!;
		expect(
			early.rows.filter((row) => row.kind === 'special_visit_rate').map((row) => row.status)
		).toEqual(['behind', 'behind']);
	});
});
