/**
 * Per-area floor-area check: hand-computed requirements from each profile's clause, unknowns
 * never taken as zero, the 15-minute circle, estimates flagged, an exact integer cross-check over
 * 0–5000 households, and the pooling allocation's conservation of floor area.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	allocatePooledFloorArea,
	checkArea,
	requiredFloorAreaM2,
	RuleInputError,
	type AreaCheckInput
} from '../../../src/lib/engine/rules/area-check.ts';
import { ruleOfKind } from '../../../src/lib/engine/rules/profiles.ts';
import type {
	FacilityAreaRule,
	RuleProfile
} from '../../../src/lib/engine/rules/profile-schema.ts';
import { loadProfile } from '../../../src/lib/server/profile-store.ts';

const profilesDir = path.join(import.meta.dirname, '../../..', 'data', 'profiles');
const profile = (id: string): RuleProfile => loadProfile(profilesDir, id);
const areaRule = (id: string): FacilityAreaRule => {
	const rule = ruleOfKind(profile(id), 'facility_area_per_households');
	if (!rule) throw new Error(`${id} has no facility-area rule`);
	return rule;
};
const input = (overrides: Partial<AreaCheckInput>): AreaCheckInput => ({
	households: 1000,
	status: 'new',
	providedM2: 0,
	minutesToNearest: null,
	estimated: {},
	...overrides
});

describe('requiredFloorAreaM2, hand-computed from the clauses', () => {
	it.each([
		// yantai 4.: 每百户不低于20平方米且单个项目建筑面积不少于350平方米 (new); 每百户不少于15平方米 (existing)
		['yantai-district-draft', 1234, 'new', 350], // max(1234 ÷ 100 × 20 = 246.8, 350)
		['yantai-district-draft', 2000, 'new', 400], // 2000 ÷ 100 × 20 = 400 > 350
		['yantai-district-draft', 1750, 'new', 350], // exactly 350 either way
		['yantai-district-draft', 1234, 'existing', 185.1], // 1234 ÷ 100 × 15, no minimum for 老旧小区
		// donge 13.: 每百户不低于20平方米、单处不低于200平方米 / 每百户不低于15平方米、单处不低于200平方米
		['donge-2023', 800, 'new', 200], // max(160, 200)
		['donge-2023', 800, 'existing', 200], // max(120, 200)
		['donge-2023', 1500, 'existing', 225], // 225 > 200
		['donge-2023', 1001, 'new', 200.2],
		// laoshan （五）: 每百户不低于20平方米 / 每百户不低于15平方米, no minimum
		['qingdao-laoshan-2024', 1000, 'existing', 150],
		['qingdao-laoshan-2024', 1000, 'new', 200],
		['qingdao-laoshan-2024', 1234, 'new', 246.8],
		['qingdao-laoshan-2024', 37, 'existing', 5.55],
		// qingdao city draft 5.: same rates, no minimum
		['qingdao-city-2023-draft', 3333, 'existing', 499.95],
		['qingdao-city-2023-draft', 250, 'new', 50]
	] as const)('%s: %i %s households → %d m²', (id, households, status, expectedM2) => {
		expect(requiredFloorAreaM2(households, status, areaRule(id))).toBe(expectedM2);
	});

	it('zero households need nothing, not the single-site minimum', () => {
		expect(requiredFloorAreaM2(0, 'new', areaRule('donge-2023'))).toBe(0);
	});

	it('rejects negative or non-finite households', () => {
		expect(() => requiredFloorAreaM2(-1, 'new', areaRule('donge-2023'))).toThrow(RuleInputError);
		expect(() => requiredFloorAreaM2(Number.NaN, 'new', areaRule('donge-2023'))).toThrow(
			/households: expected a non-negative finite number or null, got NaN/
		);
	});

	it('equals max(households × rate, 100 × minimum) in integer hundredths of m², 0–5000 households', () => {
		for (const id of [
			'yantai-district-draft',
			'donge-2023',
			'qingdao-laoshan-2024',
			'qingdao-city-2023-draft'
		])
			for (const status of ['new', 'existing'] as const) {
				const rule = areaRule(id);
				// Integer rates: households × rate is the requirement in hundredths of a m², exactly.
				const rate =
					status === 'new'
						? rule.params.newRateM2Per100Households
						: rule.params.existingRateM2Per100Households;
				const minimumHundredths = 100 * (rule.params.minSingleSiteM2?.[status] ?? 0);
				let previous = -1;
				const mismatches: string[] = [];
				for (let households = 1; households <= 5000; households++) {
					const requiredM2 = requiredFloorAreaM2(households, status, rule);
					const hundredths = requiredM2 * 100;
					if (
						Math.abs(hundredths - Math.max(households * rate, minimumHundredths)) > 1e-6 ||
						requiredM2 < previous
					)
						mismatches.push(`${id} ${status} ${households}: ${requiredM2}`);
					previous = requiredM2;
				}
				expect(mismatches).toEqual([]);
			}
	});
});

describe('checkArea', () => {
	it('yantai: 1,234 new households with 300 m² → deficit 50 m², cited to clause 4', () => {
		const result = checkArea(
			input({ households: 1234, providedM2: 300 }),
			profile('yantai-district-draft')
		);
		expect(result).toMatchObject({
			requiredM2: 350,
			providedM2: 300,
			deficitM2: 50,
			verdict: 'deficit'
		});
		const reason = result.reasons.find((r) => r.ruleId === 'community-facility-area');
		expect(reason).toMatchObject({
			severity: 'fail',
			usesEstimate: false,
			numbers: {
				households: 1234,
				rateM2Per100Households: 20,
				rateBasedM2: 246.8,
				minSingleSiteM2: 350,
				requiredM2: 350,
				providedM2: 300,
				deficitM2: 50
			}
		});
		expect(reason?.citation?.clause).toBe('4. 优化养老服务设施布局。');
		expect(reason?.messageZh).toContain(
			'1234 户 ÷ 100 × 20 = 246.8 m²，单处不低于 350 m²，应配建 350 m²'
		);
		expect(reason?.messageZh).toContain('不计入分摊的共用建筑面积');
		expect(reason?.messageEn).toContain('deficit 50 m²');
	});

	it('donge: 800 new households with 200 m² are compliant', () => {
		const result = checkArea(input({ households: 800, providedM2: 200 }), profile('donge-2023'));
		expect(result).toMatchObject({ requiredM2: 200, deficitM2: 0, verdict: 'compliant' });
		expect(result.reasons.map((r) => r.severity)).toEqual(['info']);
		// Dong'e has no 15-minute clause: no circle reason, coverage not judged.
		expect(result.covered).toBeNull();
	});

	it('laoshan: 1,000 existing households with 120 m² → 30 m² short', () => {
		const result = checkArea(
			input({ households: 1000, status: 'existing', providedM2: 120 }),
			profile('qingdao-laoshan-2024')
		);
		expect(result).toMatchObject({
			requiredM2: 150,
			providedM2: 120,
			deficitM2: 30,
			verdict: 'deficit'
		});
	});

	it('qingdao city draft: 3,333 existing households with 500 m² are compliant', () => {
		const result = checkArea(
			input({ households: 3333, status: 'existing', providedM2: 500 }),
			profile('qingdao-city-2023-draft')
		);
		expect(result).toMatchObject({ requiredM2: 499.95, deficitM2: 0, verdict: 'compliant' });
	});

	it('qingdao rural: no per-household rule, so no verdict and no invented requirement', () => {
		const result = checkArea(
			input({ households: 300, providedM2: 100 }),
			profile('qingdao-rural-2022')
		);
		expect(result).toMatchObject({
			requiredM2: null,
			deficitM2: null,
			verdict: 'no_data',
			covered: null
		});
		expect(result.reasons).toHaveLength(1);
		expect(result.reasons[0]).toMatchObject({ ruleId: null, citation: null, severity: 'info' });
	});

	it('unknown households → no_data, never a requirement of 0', () => {
		const result = checkArea(input({ households: null, providedM2: 0 }), profile('donge-2023'));
		expect(result).toMatchObject({ requiredM2: null, deficitM2: null, verdict: 'no_data' });
		expect(result.reasons[0]).toMatchObject({
			ruleId: 'community-facility-area',
			severity: 'warning'
		});
		expect(result.reasons[0].messageEn).toContain('not taken as 0');
	});

	it('unknown provided area → no_data, with the requirement still shown', () => {
		const result = checkArea(input({ households: 2000, providedM2: null }), profile('donge-2023'));
		expect(result).toMatchObject({
			requiredM2: 400,
			providedM2: null,
			deficitM2: null,
			verdict: 'no_data'
		});
		expect(result.reasons[0].severity).toBe('warning');
	});

	it('flags reasons that rest on estimated households', () => {
		const estimated = checkArea(
			input({ households: 800, providedM2: 0, estimated: { households: true } }),
			profile('donge-2023')
		);
		expect(estimated.reasons[0].usesEstimate).toBe(true);
		const measured = checkArea(input({ households: 800, providedM2: 0 }), profile('donge-2023'));
		expect(measured.reasons[0].usesEstimate).toBe(false);
	});

	it('reads minutes to the nearest station against the 15-minute circle', () => {
		const laoshan = profile('qingdao-laoshan-2024');
		const circle = (minutesToNearest: number | null, estimatedMinutes = false) =>
			checkArea(
				input({ minutesToNearest, estimated: { minutesToNearest: estimatedMinutes } }),
				laoshan
			);
		const far = circle(16.24);
		expect(far.covered).toBe(false);
		expect(far.reasons.find((r) => r.ruleId === 'service-circle-15min')).toMatchObject({
			severity: 'warning',
			numbers: { minutesToNearest: 16.24, maxMinutes: 15 },
			messageZh: '最近站点步行 16.2 分钟，超出 15 分钟养老服务圈'
		});
		// The circle does not change the floor-area verdict.
		expect(far.verdict).toBe('deficit');
		expect(circle(15).covered).toBe(true);
		expect(circle(3, true).reasons.at(-1)).toMatchObject({ severity: 'info', usesEstimate: true });
		const unknown = circle(null);
		expect(unknown.covered).toBeNull();
		expect(unknown.reasons.at(-1)?.messageEn).toContain('not computed');
	});

	it('counts pooled area only where the profile allows pooling', () => {
		// a small (15,000 m² ≤ 20,000 m²) new compound: the Yantai profile lets it pool
		const pooled = { households: 1234, providedM2: 100, pooledM2: 250, landAreaM2: 15000 };
		const yantai = checkArea(input(pooled), profile('yantai-district-draft'));
		expect(yantai).toMatchObject({
			requiredM2: 350,
			providedM2: 350,
			deficitM2: 0,
			verdict: 'compliant'
		});
		expect(yantai.reasons[0].numbers).toMatchObject({
			insideM2: 100,
			pooledM2: 250,
			providedM2: 350
		});
		expect(yantai.reasons[0].messageZh).toContain('其中圈内统筹 250 m²');
		const laoshan = checkArea(input(pooled), profile('qingdao-laoshan-2024'));
		expect(laoshan).toMatchObject({
			requiredM2: 246.8,
			providedM2: 100,
			deficitM2: 146.8,
			verdict: 'deficit'
		});
		expect(laoshan.reasons[1].messageEn).toContain('does not allow pooling');
	});

	it('every reason carries the citation of the rule it names', () => {
		for (const id of [
			'yantai-district-draft',
			'donge-2023',
			'qingdao-laoshan-2024',
			'qingdao-city-2023-draft'
		]) {
			const p = profile(id);
			const result = checkArea(input({ households: 999, providedM2: 10, minutesToNearest: 20 }), p);
			for (const reason of result.reasons)
				expect(reason.citation).toEqual(
					p.rules.find((rule) => rule.id === reason.ruleId)?.citation
				);
		}
	});

	it('rejects bad input with a stable code', () => {
		expect(() => checkArea(input({ providedM2: -5 }), profile('donge-2023'))).toThrow(
			expect.objectContaining({
				code: 'INVALID_CHECK_INPUT',
				message: expect.stringContaining('providedM2')
			})
		);
		expect(() => checkArea(input({ status: 'old' as 'new' }), profile('donge-2023'))).toThrow(
			RuleInputError
		);
	});
});

describe('allocatePooledFloorArea', () => {
	it('splits a station in proportion to required area', () => {
		const { byArea } = allocatePooledFloorArea(
			[{ id: 's', floorAreaM2: 300, areaIds: ['A', 'B', 'C'] }],
			new Map([
				['A', 200],
				['B', 100],
				['C', 0]
			])
		);
		expect(byArea.get('A')).toEqual({ pooledM2: 200, shares: [{ facilityId: 's', m2: 200 }] });
		expect(byArea.get('B')?.pooledM2).toBe(100);
		expect(byArea.has('C')).toBe(false);
	});

	it('conserves floor area on seeded random circles and reports unknown areas', () => {
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const areaIds = Array.from({ length: 40 }, (_, i) => `a${i}`);
		const required = new Map(areaIds.map((id) => [id, Math.round(random() * 500)]));
		const facilities = Array.from({ length: 25 }, (_, i) => ({
			id: `f${i}`,
			floorAreaM2: i === 7 ? null : Math.round(random() * 1000),
			areaIds: areaIds.filter(() => random() < 0.2)
		}));
		const { byArea, unknownAreaFacilityIds } = allocatePooledFloorArea(facilities, required);
		expect(unknownAreaFacilityIds).toEqual(['f7']);
		const allocatable = facilities
			.filter((f) => f.floorAreaM2 !== null && f.areaIds.some((id) => (required.get(id) ?? 0) > 0))
			.reduce((sum, f) => sum + (f.floorAreaM2 ?? 0), 0);
		const allocated = [...byArea.values()].reduce((sum, entry) => sum + entry.pooledM2, 0);
		expect(allocatable).toBeGreaterThan(0);
		expect(Math.abs(allocated - allocatable)).toBeLessThan(0.01 * byArea.size);
		for (const [areaId, entry] of byArea) {
			expect(required.get(areaId)).toBeGreaterThan(0);
			const sumOfShares = entry.shares.reduce((sum, share) => sum + share.m2, 0);
			expect(Math.abs(sumOfShares - entry.pooledM2)).toBeLessThan(0.01 * entry.shares.length);
		}
	});
});
