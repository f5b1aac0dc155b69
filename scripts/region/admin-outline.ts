/**
 * The outline of a bundled Qingdao district (6-digit GB/T 2260 code) or street (9 digits) for
 * `npm run region:create -- --admin <code>`: its OSM boundary polygon, its streets, their codes
 * and the community/village codes, from the public inputs in ../shared/data (data/README.md).
 */
import type {
	BilingualNote,
	BoundaryFeature,
	CommunityCode
} from '../../src/lib/engine/region/schema.ts';
import { profileForCode } from '../../src/lib/engine/rules/jurisdiction.ts';
import { listProfiles } from '../../src/lib/server/profile-store.ts';
import { RegionBuildError, roundGeometry, type SharedInputs } from './io.ts';
import { OSM_BOUNDARY_NOTE } from './notes.ts';

export const ADMIN_INPUTS = {
	boundaries: 'boundaries/qingdao_admin_osm.geojson',
	streets: 'admin_codes/qingdao_streets_gb2260.csv',
	communities: 'admin_codes/qingdao_communities_villages_gb2260.csv',
	census: 'census/qingdao_census2020_districts.csv'
} as const;

const CITY_CODE = '370200';

interface InputFeature {
	type: 'Feature';
	geometry: BoundaryFeature['geometry'];
	properties: Record<string, string | null>;
}

export interface AdminOutline {
	/** Name of the district or street, e.g. 崂山区. */
	name: string;
	boundaries: BoundaryFeature[];
	communities: CommunityCode[];
	/** Rule profile of the jurisdiction (data/profiles). */
	defaultProfile: string;
	notes: BilingualNote[];
}

/**
 * The profile whose jurisdiction (its GB/T 2260 codes) covers a code, from data/profiles: 崂山区
 * has its own, the rest of Qingdao the city's.
 */
function jurisdictionProfile(code: string): string | null {
	const profiles = listProfiles().flatMap((entry) =>
		entry.ok
			? [{ id: entry.id, codes: entry.jurisdiction.codes, status: entry.document.status }]
			: []
	);
	const id = profileForCode(code, profiles);
	if (!id)
		throw new RegionBuildError(
			'--admin',
			`no rule profile in data/profiles governs ${code} (jurisdiction.codes): pass --profile`
		);
	return id;
}

/**
 * A Qingdao district or street from the bundled inputs.
 * @throws RegionBuildError naming the input and the code when it is not found
 */
export function qingdaoAdminOutline(inputs: SharedInputs, code: string): AdminOutline {
	if (!/^3702\d{2}(\d{3})?$/.test(code))
		throw new RegionBuildError(
			'--admin',
			`"${code}" is not the GB/T 2260 code of a Qingdao district (6 digits, 3702xx) or street (9 digits); the bundled boundaries cover Qingdao only — for another place give --boundary <file> or --bbox`
		);
	const osm = inputs.readJson<{ features: InputFeature[] }>(ADMIN_INPUTS.boundaries).features;
	const nameOf = (f: InputFeature) => (f.properties['name:zh'] ?? f.properties.name) as string;
	const streetRows = inputs.readCsv(ADMIN_INPUTS.streets);
	const census = inputs.readCsv(ADMIN_INPUTS.census);
	const districtCode = code.slice(0, 6);
	const districtRow = census.find((row) => row.region_code === districtCode);
	if (!districtRow)
		throw new RegionBuildError(
			ADMIN_INPUTS.census,
			`no district with region_code ${districtCode}; known: ${census
				.filter((row) => row.region_code !== CITY_CODE)
				.map((row) => `${row.region_code} ${row.region_name}`)
				.join(', ')}`
		);
	const streetFeature = (row: Record<string, string>): BoundaryFeature | null => {
		const match = osm.find((f) => f.properties.admin_level === '8' && nameOf(f) === row.name);
		if (!match) return null;
		return {
			type: 'Feature',
			geometry: roundGeometry(match.geometry),
			properties: {
				level: 'street',
				code: row.code,
				name: row.name,
				parentCode: districtCode,
				estimated: {},
				source: `OpenStreetMap relation ${match.properties.osm_id}; code: GB/T 2260`
			}
		};
	};
	const communityRows = inputs.readCsv(ADMIN_INPUTS.communities);
	const notes: BilingualNote[] = [OSM_BOUNDARY_NOTE];

	if (code.length === 9) {
		const row = streetRows.find((r) => r.code === code);
		if (!row) throw new RegionBuildError(ADMIN_INPUTS.streets, `no street with code ${code}`);
		const street = streetFeature(row);
		if (!street)
			throw new RegionBuildError(
				ADMIN_INPUTS.boundaries,
				`no OSM boundary (admin_level 8) named ${row.name} (street ${code})`
			);
		return {
			name: row.name,
			boundaries: [street],
			communities: communityRows
				.filter((r) => r.streetCode === code)
				.map((r) => ({ code: r.code, name: r.name, streetCode: r.streetCode })),
			defaultProfile: jurisdictionProfile(code),
			notes
		};
	}

	const districtName = districtRow.region_name;
	const district = osm.find(
		(f) =>
			f.properties.admin_level === '6' &&
			(nameOf(f) === districtName || nameOf(f).includes(districtName))
	);
	if (!district)
		throw new RegionBuildError(
			ADMIN_INPUTS.boundaries,
			`no OSM boundary (admin_level 6) named ${districtName} (district ${code})`
		);
	const rows = streetRows.filter((r) => r.areaCode === code);
	const streets = rows.map((row) => ({ row, feature: streetFeature(row) }));
	const missing = streets.filter((s) => !s.feature).map((s) => s.row.name);
	if (missing.length > 0)
		notes.push({
			zh: `${rows.length} 个街道中有 ${missing.length} 个没有 OSM 边界（${missing.join('、')}）：这些街道的小区不归属任何街道，除非名单写明所属街道。`,
			en: `No OSM boundary for ${missing.length} of the ${rows.length} streets (${missing.join('、')}): their compounds get no street unless the list names it.`
		});
	const population = Number(districtRow.total_resident_pop);
	const boundaries: BoundaryFeature[] = [
		{
			type: 'Feature',
			geometry: roundGeometry(district.geometry),
			properties: {
				level: 'district',
				code,
				name: districtName,
				parentCode: CITY_CODE,
				population:
					Number.isFinite(population) && districtRow.total_resident_pop ? population : null,
				elders: null,
				estimated: {},
				source: `OpenStreetMap relation ${district.properties.osm_id}; population: 2020 census (${districtRow.source})`
			}
		},
		...streets.flatMap((s) => (s.feature ? [s.feature] : []))
	];
	const streetCodes = new Set(rows.map((r) => r.code));
	return {
		name: districtName,
		boundaries,
		communities: communityRows
			.filter((r) => streetCodes.has(r.streetCode))
			.map((r) => ({ code: r.code, name: r.name, streetCode: r.streetCode })),
		defaultProfile: jurisdictionProfile(code),
		notes
	};
}
