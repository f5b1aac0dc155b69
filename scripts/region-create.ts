/**
 * npm run region:create -- --id <id> --name <名称> --osm <file.osm.pbf|.osm>
 *                          (--boundary <GeoJSON/zipped SHP> | --admin <GB/T 2260 code> | --bbox w,s,e,n)
 *                          [--profile <id>] [--halo-m 1500] [--replace] [--progress-json]
 *
 * A new region from a bureau's own OSM extract (scripts/region/create.ts). The browser's 新建区域
 * page runs this command as a child process with --progress-json and cancels it by killing it:
 * everything is written to a staging folder and moved into place in one rename, so a cancelled or
 * failed run leaves no region behind.
 */
import { join, resolve } from 'node:path';
import { defaultRegionsDir } from '../src/lib/server/region-store.ts';
import { parseCli, runCli, UsageError } from './cli/args.ts';
import { createRegion, DEFAULT_HALO_M, type Bbox, type RegionOutline } from './region/create.ts';

const repoRoot = join(import.meta.dirname, '..');

export const REGION_CREATE_CLI = {
	command: 'npm run region:create --',
	summary:
		'用本地 OSM 数据与边界新建区域（步行路网、建筑、水域、离线底图） / Create a region from your own OSM extract and outline (walking network, buildings, water, offline basemap)',
	details:
		'Give exactly one outline: --boundary (a GeoJSON or zipped Shapefile of the district or its streets), --admin (a bundled Qingdao district or street code) or --bbox. The extract is clipped to the outline plus --halo-m while streaming, so a city-size file is fine. Compounds and facilities are imported next: npm run import -- <file> --region <id> --layer residential.',
	options: {
		id: {
			type: 'string',
			required: true,
			valueName: '<id>',
			description: 'folder name: lower-case letters, digits and hyphens'
		},
		name: {
			type: 'string',
			required: true,
			valueName: '<名称>',
			description: 'region name, e.g. 龙岗区龙城街道'
		},
		'name-en': {
			type: 'string',
			valueName: '<name>',
			description: 'English name (default: the id)'
		},
		osm: {
			type: 'string',
			required: true,
			valueName: '<file>',
			description: 'OpenStreetMap extract, .osm.pbf or .osm (XML)'
		},
		boundary: {
			type: 'string',
			valueName: '<file>',
			description: 'outline as GeoJSON or zipped Shapefile (district, street or community polygons)'
		},
		'osm-name': {
			type: 'string',
			valueName: '<name>',
			description: "the extract's file name to record and show (when --osm is a stored upload)"
		},
		'boundary-name': {
			type: 'string',
			valueName: '<name>',
			description:
				"the boundary file's name, whose extension tells its format (when --boundary is a stored upload)"
		},
		crs: {
			type: 'string',
			valueName: '<system>',
			description:
				"the boundary file's coordinate system when it does not say (wgs84, gcj02, EPSG:4528 …)"
		},
		admin: {
			type: 'string',
			valueName: '<code>',
			description:
				'GB/T 2260 code of a bundled Qingdao district (6 digits) or street (9 digits), e.g. 370212'
		},
		bbox: { type: 'string', valueName: '<w,s,e,n>', description: 'a rectangle in WGS84 degrees' },
		profile: {
			type: 'string',
			valueName: '<id>',
			description:
				"rule profile (data/profiles); default: the jurisdiction's, else the Qingdao city profile with a note"
		},
		'halo-m': {
			type: 'number',
			default: DEFAULT_HALO_M,
			min: 0,
			max: 20000,
			description: 'walking network kept around the outline, metres'
		},
		replace: {
			type: 'boolean',
			default: false,
			description: 'replace a region of the same id (the old one is kept in .staging/)'
		},
		'progress-json': {
			type: 'boolean',
			default: false,
			description: 'print progress as one JSON object per line (for the app)'
		},
		'regions-dir': {
			type: 'string',
			valueName: '<dir>',
			description: 'regions folder (default data/regions or CARECIRCLE_REGIONS_DIR)'
		},
		shared: {
			type: 'string',
			valueName: '<dir>',
			description: 'public inputs for --admin (default ../shared/data)'
		}
	},
	examples: [
		'npm run region:create -- --id shenzhen-longgang --name 深圳龙岗（测试） --osm ../shared/data/roads/shenzhen_longgang_raw.osm --bbox 114.1862,22.6732,114.2318,22.7019',
		'npm run region:create -- --id laoshan-osm --name 崂山区 --osm laoshan.osm.pbf --admin 370212'
	]
} as const;

function parseBbox(text: string): Bbox {
	const parts = text.split(',').map((part) => Number(part.trim()));
	if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)))
		throw new UsageError(
			`--bbox ${text}: expected four numbers west,south,east,north, e.g. 114.18,22.67,114.23,22.70`
		);
	return parts as Bbox;
}

async function main(): Promise<void> {
	const { values } = parseCli(REGION_CREATE_CLI);
	const given = (['boundary', 'admin', 'bbox'] as const).filter(
		(name) => values[name] !== undefined
	);
	if (given.length !== 1)
		throw new UsageError(
			given.length === 0
				? 'give the outline: --boundary <file>, --admin <code> or --bbox w,s,e,n'
				: `give one outline, not ${given.map((name) => `--${name}`).join(' and ')}`
		);
	const outline: RegionOutline = values.boundary
		? {
				kind: 'boundary',
				path: resolve(values.boundary),
				crs: values.crs,
				fileName: values['boundary-name']
			}
		: values.admin
			? { kind: 'admin', code: values.admin.trim() }
			: { kind: 'bbox', bbox: parseBbox(values.bbox!) };
	const json = values['progress-json'];
	const controller = new AbortController();
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort());
	let lastPhase = '';
	const report = await createRegion({
		id: values.id,
		name: values.name,
		nameEn: values['name-en'],
		osmPath: resolve(values.osm),
		osmName: values['osm-name'],
		outline,
		profile: values.profile,
		haloM: values['halo-m'],
		regionsDir: values['regions-dir'] ? resolve(values['regions-dir']) : defaultRegionsDir(),
		sharedDir: values.shared ? resolve(values.shared) : join(repoRoot, '..', 'shared', 'data'),
		replace: values.replace,
		signal: controller.signal,
		onProgress: (p) => {
			if (json) console.log(JSON.stringify({ type: 'progress', ...p }));
			else if (p.phase !== lastPhase)
				console.log(`[${Math.round(p.fraction * 100)}%] ${p.message}`);
			lastPhase = p.phase;
		}
	});
	if (json) {
		console.log(JSON.stringify({ type: 'done', report }));
		return;
	}
	const { clip, graph } = report;
	console.log(
		[
			`created region ${report.id} (${report.meta.name}) in ${(report.millis / 1000).toFixed(1)} s`,
			`  extract: ${clip.nodesRead.toLocaleString('en-US')} nodes / ${clip.waysRead.toLocaleString('en-US')} ways read, ${clip.nodesKept.toLocaleString('en-US')} / ${clip.waysKept.toLocaleString('en-US')} kept (${clip.highwayWaysKept} highway ways), peak RSS ${(clip.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
			`  walking graph: ${graph.nodes.toLocaleString('en-US')} nodes, ${graph.directedEdges.toLocaleString('en-US')} directed edges, ${graph.lengthKm.toFixed(1)} km`,
			`  buildings ${report.buildings}, water areas ${report.water}, tiles ${report.tilesBytes.toLocaleString('en-US')} bytes`,
			`  profile: ${report.meta.defaultProfile}`,
			...report.meta.notes.map((note) =>
				typeof note === 'string'
					? `  说明 note: ${note}`
					: `  说明 note: ${note.zh}\n             ${note.en}`
			),
			`next: npm run import -- <小区名单.xlsx> --region ${report.id} --layer residential`
		].join('\n')
	);
}

if (import.meta.main) await runCli(main);
