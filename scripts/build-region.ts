/**
 * `npm run region:build`: derive the bundled regions in data/regions/ from the public inputs in
 * ../shared/data (see data/README.md). Output is deterministic: a second run writes the same bytes.
 * Options: REGION_BUILD_CLI below, or `npm run region:build -- --help`.
 *
 * Every file is validated against src/lib/engine/region/schema.ts before anything is written.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCli, runCli } from './cli/args.ts';
import { CliError } from './cli/region-run.ts';
import { sharedInputs } from './region/io.ts';
import {
	attachOsmNetwork,
	checkOsmExtract,
	checkSuppliedExtract,
	installedExtract,
	installExtract,
	networkFileName
} from './region/osm-network.ts';
import {
	buildRegionTiles,
	regionWater,
	TILES_FILE,
	type RegionTilesStats
} from './region/map-tiles.ts';
import { buildQingdao, QINGDAO_REGION_ID } from './region/qingdao.ts';
import { buildShanghai, SHANGHAI_REGION_ID } from './region/shanghai.ts';
import type { RegionBuild } from './region/types.ts';
import { validateRegionFiles } from './region/validate.ts';
import type { SharedInputs } from './region/io.ts';

const repoRoot = join(import.meta.dirname, '..');

export const REGION_BUILDERS: Record<string, (inputs: SharedInputs) => RegionBuild> = {
	[SHANGHAI_REGION_ID]: buildShanghai,
	[QINGDAO_REGION_ID]: buildQingdao
};

export interface BuildOptions {
	/** Folder with the public inputs (default ../shared/data from the repo root). */
	sharedDir?: string;
	/** Output folder; one sub-folder per region (default data/regions). */
	outDir?: string;
	/** Region ids to build (default: all). */
	regions?: string[];
	/** An OSM extract to install as the walking network of the (single) region being built. */
	osmExtract?: string;
}

/**
 * Build, validate and write regions.
 * @returns the builds, in the order requested
 * @throws Error listing every schema problem (nothing is written then), or a RegionBuildError for bad input
 * @example buildRegions({ outDir: '/tmp/regions', regions: ['qingdao-laoshan'] })
 */
export function buildRegions(options: BuildOptions = {}): RegionBuild[] {
	const sharedDir = resolve(options.sharedDir ?? join(repoRoot, '..', 'shared', 'data'));
	const outDir = resolve(options.outDir ?? join(repoRoot, 'data', 'regions'));
	const ids = options.regions ?? Object.keys(REGION_BUILDERS);
	for (const id of ids)
		if (!REGION_BUILDERS[id])
			throw new Error(
				`unknown region "${id}"; expected one of ${Object.keys(REGION_BUILDERS).join(', ')}`
			);
	if (options.osmExtract && ids.length !== 1)
		throw new Error('--osm needs exactly one --region: the region whose walking network it is');
	const inputs = sharedInputs(sharedDir);
	const builds = ids.map((id) => REGION_BUILDERS[id](inputs));
	for (const build of builds) {
		const dir = join(outDir, build.id);
		if (options.osmExtract) {
			const check = checkSuppliedExtract(options.osmExtract, build.meta.bbox);
			attachOsmNetwork(build, networkFileName(options.osmExtract), check);
		} else {
			// A network added earlier with --osm stays attached on every rebuild.
			const installed = installedExtract(dir);
			if (installed)
				attachOsmNetwork(build, installed, checkOsmExtract(join(dir, installed), build.meta.bbox));
		}
	}
	const problems = builds.flatMap((build) => validateRegionFiles(build.id, build.files));
	if (problems.length > 0)
		throw new Error(
			`region files do not match the schema, nothing written:\n${problems.slice(0, 50).join('\n')}`
		);
	// ---- map tiles (issue 5): tiles.pmtiles per region from its validated layers, made before
	// anything is written (scripts/region/map-tiles.ts); stats go to build.report.tiles.
	const archives = builds.map((build) => {
		const network = build.meta.layers.network;
		const extract = network?.endsWith('.geojson')
			? null
			: (options.osmExtract ?? (network ? join(outDir, build.id, network) : null));
		const archive = buildRegionTiles({
			meta: build.meta,
			files: build.files,
			networkExtract: extract,
			water: regionWater(build.id, inputs)
		});
		build.report.tiles = archive?.stats ?? null;
		return archive;
	});
	// ---- end map tiles
	builds.forEach((build, i) => {
		const dir = join(outDir, build.id);
		mkdirSync(dir, { recursive: true });
		for (const [name, text] of Object.entries(build.files)) writeFileSync(join(dir, name), text);
		const archive = archives[i]; // map tiles (issue 5)
		if (archive) writeFileSync(join(dir, TILES_FILE), archive.bytes);
		else rmSync(join(dir, TILES_FILE), { force: true });
		if (options.osmExtract) installExtract(options.osmExtract, dir);
	});
	return builds;
}

function printSummary(builds: RegionBuild[]): void {
	for (const build of builds) {
		console.log(`\n${build.id}  (${build.millis.toFixed(0)} ms)`);
		const tiles = build.report.tiles as RegionTilesStats | null; // map tiles (issue 5)
		if (tiles)
			console.log(
				`  ${TILES_FILE}: ${tiles.bytes.toLocaleString('en-US')} bytes, ${tiles.addressedTiles} tiles z${tiles.minZoom}–${tiles.maxZoom} (${Object.values(tiles.tilesPerZoom).join(' / ')}), ${tiles.millis.toFixed(0)} ms`
			);
		const rows = Object.entries(build.meta.summary);
		const width = Math.max(...rows.map(([name]) => name.length));
		for (const [name, value] of rows)
			console.log(`  ${name.padEnd(width)}  ${value.toLocaleString('en-US')}`);
		if (process.env.VERBOSE) console.log(JSON.stringify(build.report, null, 2));
	}
}

export const REGION_BUILD_CLI = {
	command: 'npm run region:build',
	summary:
		'由公开数据生成内置区域（data/regions） / Build the bundled regions in data/regions from the public inputs',
	details:
		'Every file is validated against the region schema before anything is written; a second run writes the same bytes.',
	options: {
		region: {
			type: 'string',
			multiple: true,
			valueName: '<id>',
			description: `region to build: ${Object.keys(REGION_BUILDERS).join(', ')} (default: all)`
		},
		shared: {
			type: 'string',
			valueName: '<dir>',
			description: 'folder with the public inputs (default: ../shared/data from the repo root)'
		},
		out: {
			type: 'string',
			valueName: '<dir>',
			description: 'output folder, one sub-folder per region (default: data/regions)'
		},
		osm: {
			type: 'string',
			valueName: '<file.osm.pbf|file.osm>',
			description:
				'an OpenStreetMap extract to install as the walking network of the one --region built'
		},
		verbose: {
			type: 'boolean',
			default: false,
			description: 'print each build report as JSON (or set VERBOSE=1)'
		}
	},
	examples: [
		'npm run region:build',
		'npm run region:build -- --region qingdao-laoshan --osm laoshan.osm.pbf'
	]
} as const;

function main(): void {
	const { values } = parseCli(REGION_BUILD_CLI);
	for (const id of values.region ?? [])
		if (!REGION_BUILDERS[id])
			throw new CliError(
				`--region ${id}: unknown region; expected one of ${Object.keys(REGION_BUILDERS).join(', ')}`
			);
	if (values.osm && values.region?.length !== 1)
		throw new CliError('--osm needs exactly one --region: the region whose walking network it is');
	if (values.verbose) process.env.VERBOSE = '1';
	let builds: RegionBuild[];
	try {
		builds = buildRegions({
			sharedDir: values.shared,
			outDir: values.out,
			regions: values.region,
			osmExtract: values.osm
		});
	} catch (error) {
		// The builders report bad input (a wrong extract, files off the schema) as plain Errors
		// whose message names the file; a file error (code ENOENT …) or a TypeError goes to runCli.
		if (error instanceof Error && error.constructor === Error && !('code' in error))
			throw new CliError(error.message);
		throw error;
	}
	printSummary(builds);
}

if (import.meta.main) await runCli(main);
