/**
 * A station in every community / village (社区（村）养老服务站: Qingdao city 7. 基本全覆盖, Dong'e
 * 15. every 社区, Qingdao rural 4. every 行政村 of the 2022 pilot towns, Laoshan （七） inferred):
 * the communities of a street (the units the rule names) with and without a station of the
 * rule's kinds, matched by the facility's community code.
 *
 * Severity: a missing station fails a requirement; a target (基本全覆盖) or an inference gives a
 * warning, and an inferred rule says so in every finding; a street outside the streets the
 * sentence names (`onlyStreets`) is information only.
 */
import type { CommunityCode, FacilityKind } from '../region/schema.ts';
import { bindingNote, citeRule, shortfallSeverity, type CheckReason } from './findings.ts';
import type { RuleOfKind } from './profile-schema.ts';

/** Community (社区居民委员会) or administrative village (村民委员会), from the official name. */
export function communityUnitOf(name: string): 'community' | 'village' {
	return /村民委员会$|村委会$/.test(name) ? 'village' : 'community';
}

/** What the check reads of one street. */
export interface StationCoverageStreet {
	/** Street code; null = not a real street (not checked). */
	code: string | null;
	/** Every community / village code of the region; null = the region has none. */
	communities: readonly CommunityCode[] | null;
	/** The street's facilities; null = the region has no facilities layer. */
	facilities: readonly { kind: FacilityKind; communityCode: string | null }[] | null;
	/** Whether any facility of the region could be placed in a community. */
	anyCommunityOnFacilities: boolean;
}

export interface StationCoverage {
	/** Communities / villages of the units the rule names. */
	total: number;
	/** null = not judged. */
	withStation: number | null;
	withoutStation: { code: string; name: string }[];
}

const UNIT_NAMES = {
	community: { zh: '社区', en: 'communities' },
	village: { zh: '行政村', en: 'villages' }
} as const;

/**
 * Communities / villages of the street (the units the rule names) and those without a station.
 * null when the street's communities are not known.
 */
export function checkStationCoverage(
	street: StationCoverageStreet,
	rule: RuleOfKind<'station_coverage'> | null,
	reasons: CheckReason[]
): StationCoverage | null {
	if (street.communities === null || street.code === null) return null;
	const units = rule?.params.units ?? ['community', 'village'];
	const all = street.communities.filter((community) => community.streetCode === street.code);
	const listed = all.filter((community) => units.includes(communityUnitOf(community.name)));
	if (all.length === 0) return null;
	const result: StationCoverage = {
		total: listed.length,
		withStation: null,
		withoutStation: []
	};
	if (!rule) return result;

	const cite = citeRule(rule);
	const note = bindingNote(rule);
	// Qingdao rural 4.: the sentence is the pilot towns' task; elsewhere it is information only.
	const only = rule.params.onlyStreets;
	const outsideNamedStreets = only !== undefined && !only.codes.includes(street.code);
	const outsideZh = outsideNamedStreets
		? `本条仅适用于${only.labelZh}，本街道（镇）未列入，不作判定；`
		: '';
	const outsideEn = outsideNamedStreets
		? `The clause applies only to ${only.labelEn}, which do not include this street (not judged); `
		: '';
	const unitsZh = units.map((unit) => UNIT_NAMES[unit].zh).join('和');
	const unitsEn = units.map((unit) => UNIT_NAMES[unit].en).join(' and ');
	const excluded = all.length - listed.length;
	const excludedZh = excluded ? `（另有 ${excluded} 个不在本条规定范围内，未计）` : '';
	const excludedEn = excluded ? ` (${excluded} others are outside this clause, not counted)` : '';
	const kinds = new Set<FacilityKind>(rule.params.facilityKinds);

	if (listed.length === 0) {
		// e.g. Dong'e (every 社区) in a street of villages only: nothing to check, nothing missing.
		result.withStation = 0;
		reasons.push({
			...cite,
			severity: 'info',
			messageZh: `本街道没有本条规定范围内的${unitsZh}${excludedZh}，不核查站点覆盖`,
			messageEn: `No ${unitsEn} within this clause in this street${excludedEn}: station coverage not checked`,
			numbers: { communities: 0, excluded },
			usesEstimate: false
		});
		return result;
	}

	if (street.facilities === null || !street.anyCommunityOnFacilities) {
		reasons.push({
			...cite,
			severity: outsideNamedStreets ? 'info' : 'warning',
			messageZh:
				outsideZh +
				(street.facilities === null
					? `本街道 ${listed.length} 个${unitsZh}${excludedZh}：没有设施图层，无法核查是否每个都有养老服务站`
					: `本街道 ${listed.length} 个${unitsZh}${excludedZh}：设施无法定位到社区（缺少社区边界或社区代码），无法核查是否每个都有养老服务站`),
			messageEn:
				outsideEn +
				(street.facilities === null
					? `${listed.length} ${unitsEn} in this street${excludedEn}: no facilities layer, station coverage cannot be checked`
					: `${listed.length} ${unitsEn} in this street${excludedEn}: facilities cannot be placed in communities (no community polygons or codes), station coverage cannot be checked`),
			numbers: { communities: listed.length, withStation: null },
			usesEstimate: false
		});
		return result;
	}

	const stations = street.facilities.filter((facility) => kinds.has(facility.kind));
	const stationCommunities = new Set(
		stations.map((facility) => facility.communityCode).filter((code) => code !== null)
	);
	const unplacedStations = stations.filter((facility) => facility.communityCode === null).length;
	result.withoutStation = listed
		.filter((community) => !stationCommunities.has(community.code))
		.map((community) => ({ code: community.code, name: community.name }))
		.sort((a, b) => a.code.localeCompare(b.code));
	result.withStation = listed.length - result.withoutStation.length;

	const numbers = {
		communities: listed.length,
		withStation: result.withStation,
		withoutStation: result.withoutStation.length,
		unplacedStations
	};
	if (result.withoutStation.length === 0) {
		reasons.push({
			...cite,
			severity: 'info',
			messageZh: `本街道 ${listed.length} 个${unitsZh}均有养老服务站${excludedZh}`,
			messageEn: `All ${listed.length} ${unitsEn} of this street have a station${excludedEn}`,
			numbers,
			usesEstimate: false
		});
		return result;
	}
	const shown = result.withoutStation.slice(0, 10).map((community) => community.name);
	const moreZh = result.withoutStation.length > 10 ? ` 等 ${result.withoutStation.length} 个` : '';
	const moreEn =
		result.withoutStation.length > 10 ? ` and ${result.withoutStation.length - 10} more` : '';
	const unplacedZh = unplacedStations
		? `；另有 ${unplacedStations} 处站点无法定位到社区，可能服务其中部分社区`
		: '';
	const unplacedEn = unplacedStations
		? `; ${unplacedStations} station(s) could not be placed in a community and may serve some of them`
		: '';
	reasons.push({
		...cite,
		severity: outsideNamedStreets
			? 'info'
			: unplacedStations > 0
				? 'warning'
				: shortfallSeverity(rule),
		messageZh: `${outsideZh}本街道 ${listed.length} 个${unitsZh}中 ${result.withoutStation.length} 个没有养老服务站${excludedZh}：${shown.join('、')}${moreZh}${unplacedZh}${note.zh}`,
		messageEn: `${outsideEn}${result.withoutStation.length} of ${listed.length} ${unitsEn} in this street have no station${excludedEn}: ${shown.join(', ')}${moreEn}${unplacedEn}${note.en}`,
		numbers,
		usesEstimate: false
	});
	return result;
}
