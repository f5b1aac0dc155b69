/**
 * Issue 15 item 7: one function applies a plan (planned stations, moves, removals) to a region's
 * facilities — for the map's what-if, saved scenarios and the gap report of a plan.
 */
import { describe, expect, it } from 'vitest';
import type { FacilityFeature } from '../../../src/lib/engine/region/schema.ts';
import {
	EMPTY_PLAN,
	facilitiesWithPlan,
	isEmptyPlan,
	PlanError,
	type PlannedStation
} from '../../../src/lib/engine/session/what-if.ts';

const facility = (id: string, position: [number, number]): FacilityFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: position },
	properties: {
		id,
		name: id,
		kind: 'community_station',
		floorAreaM2: 200,
		landAreaM2: null,
		beds: null,
		nursingBeds: null,
		status: 'existing',
		streetCode: null,
		source: 'test',
		estimated: {}
	}
});
const station: PlannedStation = {
	id: 'planned-1',
	name: '规划站点 1',
	kind: 'community_station',
	floorAreaM2: 300,
	position: [121.51, 31.23]
};
const region = [facility('a', [121.5, 31.2]), facility('b', [121.6, 31.3])];

describe('facilitiesWithPlan', () => {
	it('returns the layer itself for an empty plan, null staying null', () => {
		expect(isEmptyPlan(EMPTY_PLAN)).toBe(true);
		expect(facilitiesWithPlan(region, EMPTY_PLAN)).toBe(region);
		expect(facilitiesWithPlan(null, EMPTY_PLAN)).toBeNull();
	});

	it('moves, removes (removal wins) and appends planned stations, leaving the input alone', () => {
		const result = facilitiesWithPlan(region, {
			planned: [station],
			moved: { a: [121.55, 31.25], b: [0, 0] },
			removed: ['b']
		})!;
		expect(result.map((f) => f.properties.id)).toEqual(['a', 'planned-1']);
		expect(result[0].geometry.coordinates).toEqual([121.55, 31.25]);
		expect(result[1].properties.status).toBe('planned');
		expect(result[1].properties.floorAreaM2).toBe(300);
		expect(region[0].geometry.coordinates).toEqual([121.5, 31.2]);
	});

	it('gives a region without a facilities layer the planned stations only', () => {
		expect(
			facilitiesWithPlan(null, { ...EMPTY_PLAN, planned: [station] })!.map((f) => f.properties.id)
		).toEqual(['planned-1']);
	});

	it.each([
		[{ ...EMPTY_PLAN, removed: ['a', 'zz'] }, 'removed.1', /no existing station "zz"/],
		[{ ...EMPTY_PLAN, moved: { zz: [1, 1] as [number, number] } }, 'moved.zz', /"zz"/],
		[{ ...EMPTY_PLAN, planned: [{ ...station, id: 'a' }] }, 'planned.0.id', /existing station/],
		[{ ...EMPTY_PLAN, planned: [station, station] }, 'planned.1.id', /used twice/]
	])('names the entry that does not fit: %#', (plan, field, message) => {
		let error: unknown;
		try {
			facilitiesWithPlan(region, plan);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(PlanError);
		expect((error as PlanError).field).toBe(field);
		expect((error as PlanError).message).toMatch(message);
		expect((error as PlanError).message.startsWith(`${field}: `)).toBe(true);
	});
});
