/**
 * A walking network from a user's OSM extract (`npm run region:build -- --region <id> --osm
 * <file>`). The extract is checked (readable, has highway ways inside the region) and copied into
 * the region folder unchanged; a later rebuild keeps it, so a network once added is never lost.
 */
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readOsm } from '../../src/lib/engine/osm/index.ts';
import { looksLikeOsmPbf } from '../../src/lib/engine/osm/read-pbf.ts';
import {
	noteText,
	type BilingualNote,
	type RegionMeta
} from '../../src/lib/engine/region/schema.ts';
import { jsonText } from './io.ts';
import type { RegionBuild } from './types.ts';

export const OSM_NETWORK_FILES = ['network.osm.pbf', 'network.osm'] as const;

/** The notes a region without a network carries; removed once one is attached. */
export function missingNetworkNotes(regionId: string): BilingualNote[] {
	return [
		{
			zh: '本区域尚无道路网络（layers.network 为 null），无法计算步行覆盖。',
			en: 'No road network exists for this region yet (layers.network is null): walking coverage cannot be computed.'
		},
		{
			zh: `添加步行路网：npm run region:build -- --region ${regionId} --osm <file.osm.pbf>`,
			en: `To add a walking network: npm run region:build -- --region ${regionId} --osm <file.osm.pbf>`
		}
	];
}

export interface OsmNetworkCheck {
	file: string;
	highwayWays: number;
	highwayWaysInRegion: number;
}

/** Read an extract and count its highway ways, and those with a node inside the region bbox. */
export function checkOsmExtract(path: string, bbox: RegionMeta['bbox']): OsmNetworkCheck {
	const file = basename(path);
	const data = readOsm(new Uint8Array(readFileSync(path)), file);
	const [west, south, east, north] = bbox;
	let highwayWays = 0;
	let highwayWaysInRegion = 0;
	for (const way of data.ways) {
		if (!way.tags.highway) continue;
		highwayWays += 1;
		for (const ref of way.nodeRefs) {
			const index = data.nodeIndex(ref);
			if (index < 0) continue;
			const lon = data.nodeLon[index];
			const lat = data.nodeLat[index];
			if (lon >= west && lon <= east && lat >= south && lat <= north) {
				highwayWaysInRegion += 1;
				break;
			}
		}
	}
	return { file, highwayWays, highwayWaysInRegion };
}

/** The file name an extract gets inside the region folder: PBF and XML keep their format. */
export function networkFileName(path: string): (typeof OSM_NETWORK_FILES)[number] {
	return looksLikeOsmPbf(new Uint8Array(readFileSync(path).subarray(0, 64)))
		? 'network.osm.pbf'
		: 'network.osm';
}

/**
 * Check a user's extract against the region before anything is written.
 * @throws Error when the extract has no highway way inside the region (wrong file or region)
 */
export function checkSuppliedExtract(path: string, bbox: RegionMeta['bbox']): OsmNetworkCheck {
	const check = checkOsmExtract(path, bbox);
	if (check.highwayWaysInRegion === 0) {
		throw new Error(
			`${check.file}: none of its ${check.highwayWays} highway ways has a node inside the region bbox ${bbox.join(', ')}; is it the extract for this region?`
		);
	}
	return check;
}

/** Copy the extract into the region folder (temp file + rename), replacing an older one. */
export function installExtract(path: string, regionDir: string): void {
	const target = networkFileName(path);
	const temporary = join(regionDir, `${target}.import-${process.pid}`);
	copyFileSync(path, temporary);
	renameSync(temporary, join(regionDir, target));
	for (const other of OSM_NETWORK_FILES) {
		if (other !== target && existsSync(join(regionDir, other)))
			renameSync(join(regionDir, other), join(regionDir, `${other}.replaced`));
	}
}

/** The extract installed earlier in a region folder, if any. */
export function installedExtract(regionDir: string): string | null {
	return OSM_NETWORK_FILES.find((name) => existsSync(join(regionDir, name))) ?? null;
}

/**
 * Point a build's region.json at an OSM extract: layers.network, a source with the ODbL
 * attribution, notes and summary. Only for regions whose sources give no network of their own.
 */
export function attachOsmNetwork(
	build: RegionBuild,
	networkFile: string,
	check: OsmNetworkCheck
): void {
	if (build.meta.layers.network !== null) {
		throw new Error(
			`${build.id} already has a walking network (${build.meta.layers.network}) built from its sources`
		);
	}
	const dropped = new Set(missingNetworkNotes(build.id).map((note) => note.en));
	const meta: RegionMeta = {
		...build.meta,
		layers: { ...build.meta.layers, network: networkFile },
		sources: [
			...build.meta.sources,
			{
				id: 'osm-extract',
				title: 'OpenStreetMap extract supplied with --osm',
				origin: 'supplied by the user: npm run region:build -- --osm <file>',
				licence: 'ODbL-1.0',
				attribution: '© OpenStreetMap contributors',
				usedFor: ['network']
			}
		],
		notes: [
			...build.meta.notes.filter((note) => !dropped.has(noteText(note, 'en'))),
			{
				zh: `步行路网：OSM 数据 ${networkFile}（道路 ${check.highwayWays} 条，其中 ${check.highwayWaysInRegion} 条有节点位于区域内）。哪些道路可步行由路网构建程序的标签表决定。`,
				en: `Walking network: the OSM extract ${networkFile} (${check.highwayWays} highway ways, ${check.highwayWaysInRegion} with a node inside the region). Walkability is decided by the graph builder's tag table.`
			}
		],
		summary: {
			...build.meta.summary,
			networkHighwayWays: check.highwayWays,
			networkHighwayWaysInRegion: check.highwayWaysInRegion
		}
	};
	build.meta = meta;
	build.files['region.json'] = jsonText(meta);
}
