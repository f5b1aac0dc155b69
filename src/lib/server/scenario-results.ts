/**
 * The results snapshot of a scenario, computed on the server with the engine — never taken from
 * the client. The region's data with the scenario's changes (existing stations moved or removed,
 * planned stations added) goes through the map's own what-if (engine/session/what-if.ts:
 * computeCoverage + analyzeRegion on the region's walking graph), so a saved scenario shows the
 * numbers the map showed for the same plan.
 */
import type { FacilityFeature } from '../engine/region/schema.ts';
import { ProfileError } from '../engine/rules/profiles.ts';
import type { RuleProfile } from '../engine/rules/profile-schema.ts';
import {
	facilitiesWithPlan,
	PlanError,
	WhatIfSession,
	type SessionRegion
} from '../engine/session/what-if.ts';
import {
	ScenarioError,
	type ScenarioInput,
	type ScenarioResults,
	type ScenarioSummary
} from './db/scenario-model.ts';
import { defaultProfilesDir, loadProfile } from './profile-store.ts';
import { regionGraph } from './region-graph.ts';
import { defaultRegionsDir, listRegionIds, readRegion } from './region-store.ts';

export interface ScenarioDataDirs {
	regionsDir: string;
	profilesDir: string;
}

function invalid(field: string, message: string): ScenarioError {
	return new ScenarioError('INVALID_SCENARIO', `field "${field}": ${message}`, { field });
}

function loadScenarioProfile(profilesDir: string, id: string): RuleProfile {
	try {
		return loadProfile(profilesDir, id);
	} catch (error) {
		if (error instanceof ProfileError && error.code === 'PROFILE_NOT_FOUND')
			throw invalid('profileId', error.message);
		if (error instanceof ProfileError)
			throw new ScenarioError('PROFILE_INVALID', `profile "${id}": ${error.message}`);
		throw error;
	}
}

/**
 * Compute a scenario's results on its region.
 * @param scenario a validated scenario (scenarioInputSchema)
 * @param dirs region and profile folders (default: the server's, from the environment)
 * @param now the time recorded as `computedAt`
 * @throws ScenarioError INVALID_SCENARIO (unknown region, profile or station id, planned id that
 *   an existing station already has), PROFILE_INVALID
 */
export function computeScenarioResults(
	scenario: ScenarioInput,
	dirs: ScenarioDataDirs = { regionsDir: defaultRegionsDir(), profilesDir: defaultProfilesDir() },
	now: Date = new Date()
): ScenarioResults {
	if (!listRegionIds(dirs.regionsDir).includes(scenario.regionId))
		throw invalid(
			'regionId',
			`no region "${scenario.regionId}"; GET /api/regions lists the regions`
		);
	const profile = loadScenarioProfile(dirs.profilesDir, scenario.profileId);
	const region = readRegion(dirs.regionsDir, scenario.regionId);
	let facilities: FacilityFeature[] | null;
	try {
		// The plan applied as the map applies it; a region without a facilities layer and an empty
		// plan stays without one (unknown, not "no stations").
		facilities = facilitiesWithPlan(region.layers.facilities, scenario);
	} catch (error) {
		if (error instanceof PlanError) throw invalid(error.field, error.reason);
		throw error;
	}
	const sessionRegion: SessionRegion = {
		meta: { id: region.meta.id, name: region.meta.name },
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities,
		communities: region.communities
	};
	const session = new WhatIfSession(
		regionGraph(dirs.regionsDir, scenario.regionId),
		sessionRegion,
		profile
	);
	const { analysis } = session.run(scenario.settings);
	const s = analysis.summary;
	const summary: ScenarioSummary = {
		profileVersion: profile.version,
		networkAvailable: analysis.settings.networkAvailable,
		areas: s.areas,
		areasCompliant: s.areasCompliant,
		areasDeficit: s.areasDeficit,
		areasNoData: s.areasNoData,
		areasCovered: s.areasCovered,
		households: s.households,
		elders: s.elders,
		eldersCovered: s.eldersCovered,
		eldersCoveredShare: s.eldersCoveredShare,
		requiredM2: s.requiredM2,
		providedM2: s.providedM2,
		deficitM2: s.deficitM2,
		facilities: s.facilities,
		streets: s.streets,
		streetsFailing: s.streetsFailing,
		districts: s.districts,
		districtsFailing: s.districtsFailing,
		usesEstimate: s.usesEstimate
	};
	return {
		computedAt: now.toISOString(),
		summary,
		streets: analysis.streets.map((street) => ({
			code: street.code,
			name: street.name,
			elders: street.elders,
			eldersCovered: street.eldersCovered,
			deficitM2: street.deficitM2,
			verdict: street.verdict
		}))
	};
}
