/**
 * `npm run site`: where new stations should go (issue 6). Options: SITE_CLI below, or
 * `npm run site -- --help`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRegion } from '../src/lib/engine/analysis/analyze.ts';
import { computeCoverage } from '../src/lib/engine/coverage/coverage.ts';
import {
	FACILITY_KINDS,
	type FacilityFeature,
	type FacilityKind
} from '../src/lib/engine/region/schema.ts';
import { toCsv } from '../src/lib/engine/report/csv.ts';
import { runSiting, type CandidateRequest } from '../src/lib/engine/siting/run.ts';
import { plannedFeature } from '../src/lib/engine/session/what-if.ts';
import { SegmentIndex } from '../src/lib/engine/graph/snap.ts';
import { importCandidates } from '../src/lib/engine/siting/candidate-import.ts';
import {
	buildingCandidates,
	type BuildingFeature
} from '../src/lib/engine/siting/building-candidates.ts';
import { formatIssue } from '../src/lib/engine/import/index.ts';
import { loadHighsSolver } from '../src/lib/server/milp-highs.ts';
import { defaultProfilesDir, loadProfile } from '../src/lib/server/profile-store.ts';
import { parseCli, runCli, WALK_CLI_OPTIONS } from './cli/args.ts';
import { CliError, openRegion, regionCoverage, walkSettingsOf } from './cli/region-run.ts';

export const SITE_CLI = {
	command: 'npm run site',
	summary:
		'新增养老服务站选址（最大覆盖或最少站点） / Where new stations should go: the most elders covered, or the fewest stations for a target',
	details: `--k N: the N new stations that cover the most elders (MCLP); --target S: the fewest new
stations that bring the share of elders within the circle to S (LSCP). Existing facilities stay.
Exact with HiGHS (WebAssembly), greedy with --greedy. Writes to --out:
  sites.geojson, sites.csv    the chosen sites (elders each adds, interchangeable sites)
  contributions.csv           every open station: elders reached, only here, change if removed
  streets-before-after.csv    the street table without and with the sites (as npm run analyze)
  summary.json                request, method, optimality gap, before/after, notes
A candidate file is read with the region importers (XLSX, CSV, GeoJSON, zipped SHP; Chinese
headers 名称 / 经度 / 纬度 / 建筑面积; GCJ-02, BD-09, CGCS2000 converted); its floor area caps a
station there.`,
	options: {
		region: {
			type: 'string',
			required: true,
			valueName: '<id|dir>',
			description: 'region id under data/regions, or a region folder'
		},
		out: {
			type: 'string',
			required: true,
			valueName: '<dir>',
			description: 'folder for the files, created'
		},
		k: {
			type: 'number',
			integer: true,
			min: 0,
			valueName: '<n>',
			description: 'choose this many new stations, covering the most elders (give --k or --target)'
		},
		target: {
			type: 'number',
			min: 0,
			max: 1,
			valueName: '<share>',
			description:
				'choose the fewest new stations that bring the share of elders covered to this, 0–1'
		},
		profile: {
			type: 'string',
			valueName: '<id>',
			description: "rule profile under data/profiles (default: the region's own)"
		},
		capacity: {
			type: 'boolean',
			default: false,
			description: 'each station serves only as many households as its floor area allows'
		},
		'households-per-station': {
			type: 'number',
			min: 0,
			valueName: '<n>',
			description:
				"with --capacity: households one station serves (default: its floor area ÷ the profile's area per 100 households)"
		},
		candidates: {
			type: 'string',
			default: 'network',
			valueName: 'network|street:<code>|buildings|<file>',
			description:
				"where stations may go: network nodes, the nodes of one street, the region's public / community / convertible buildings, or a candidate file (.xlsx, .csv, .geojson, .zip)"
		},
		'spacing-m': {
			type: 'number',
			min: 0,
			valueName: '<m>',
			description:
				'network / street candidates: one per cell of this size, metres (default: every node)'
		},
		kind: {
			type: 'string',
			default: 'community_station',
			choices: FACILITY_KINDS,
			valueName: '<kind>',
			description: `kind of the new stations: ${FACILITY_KINDS.join(', ')}`
		},
		'floor-area-m2': {
			type: 'number',
			default: 300,
			min: 0,
			valueName: '<m²>',
			description: 'floor area of a new station, m²'
		},
		greedy: {
			type: 'boolean',
			default: false,
			description: 'greedy heuristic instead of the exact solver'
		},
		'time-limit-s': {
			type: 'number',
			default: 30,
			min: 0,
			valueName: '<s>',
			description: 'time limit of the exact solver, seconds (then the best found, with its gap)'
		},
		...WALK_CLI_OPTIONS
	},
	examples: [
		'npm run site -- --region shanghai-bund-lujiazui --k 3 --out out/site',
		'npm run site -- --region shanghai-bund-lujiazui --target 0.9 --candidates buildings --out out/site-target'
	]
} as const;

/**
 * network | street:<code> | buildings (the region's public / community / convertible buildings) |
 * a candidate file read with the region importers (issues printed).
 */
async function candidatesOf(
	value: string,
	spacingM: number | undefined,
	bbox: [number, number, number, number],
	buildingsFile: string | null
): Promise<CandidateRequest> {
	if (value === 'network') return { source: 'network', spacingM };
	if (value.startsWith('street:'))
		return { source: 'street', streetCode: value.slice('street:'.length), spacingM };
	if (value === 'buildings') {
		// Public, community and convertible buildings of the region's OSM data (no vacancy in OSM).
		if (!buildingsFile)
			throw new CliError('--candidates buildings: this region has no buildings layer');
		const collection = JSON.parse(readFileSync(buildingsFile, 'utf8')) as {
			features: BuildingFeature[];
		};
		return { source: 'list', points: buildingCandidates(collection.features) };
	}
	const { points, issues } = await importCandidates(value, new Uint8Array(readFileSync(value)), {
		expectedBbox: bbox
	});
	for (const issue of issues) console.error(formatIssue(issue));
	return { source: 'list', points };
}

async function main() {
	const { values, usage } = parseCli(SITE_CLI);
	if ((values.k === undefined) === (values.target === undefined))
		throw new CliError(`give --k <n> or --target <share>, not both and not neither\n${usage}`);
	const walk = walkSettingsOf(values);
	const { path, region } = openRegion(values.region);
	const profile = loadProfile(defaultProfilesDir(), values.profile ?? region.meta.defaultProfile);
	const coverage = regionCoverage(path, region, walk);
	if (!coverage)
		throw new CliError(
			`region "${region.meta.id}" has no walking network: siting needs walking times. Add one with npm run region:build -- --region ${region.meta.id} --osm <file.osm.pbf>`
		);
	const floorAreaM2 = values['floor-area-m2'];
	const request = {
		mode: values.k !== undefined ? ('mclp' as const) : ('lscp' as const),
		k: values.k,
		targetShare: values.target,
		candidates: await candidatesOf(
			values.candidates,
			values['spacing-m'],
			region.meta.bbox as [number, number, number, number],
			region.meta.layers.buildings ? join(path, region.meta.layers.buildings) : null
		),
		capacity: values.capacity ? { householdsPerStation: values['households-per-station'] } : null,
		newStation: { kind: values.kind as FacilityKind, floorAreaM2 },
		exact: !values.greedy,
		timeLimitS: values['time-limit-s']
	};
	const residential = region.layers.residential ?? [];
	const facilities = region.layers.facilities ?? [];
	const index = new SegmentIndex(coverage.graph);
	const outcome = await runSiting(
		{
			graph: coverage.graph,
			index,
			search: coverage.search,
			residential,
			facilities,
			boundaries: region.layers.boundaries,
			profile,
			walk,
			solver: values.greedy ? null : await loadHighsSolver()
		},
		request
	);

	// The street table without and with the suggested sites, as npm run analyze computes it.
	const planned = outcome.sites.map((site) =>
		plannedFeature(
			{
				id: site.id,
				name: site.name,
				kind: request.newStation.kind,
				floorAreaM2,
				position: [site.lon, site.lat]
			},
			'npm run site'
		)
	);
	const analyse = (withSites: FacilityFeature[]) =>
		analyzeRegion({
			meta: region.meta,
			boundaries: region.layers.boundaries,
			residential: region.layers.residential,
			facilities:
				region.layers.facilities === null && withSites.length === 0
					? null
					: [...facilities, ...withSites],
			communities: region.communities,
			profile,
			coverage: computeCoverage(
				index,
				coverage.search,
				residential,
				[...facilities, ...withSites],
				walk
			)
		});
	const before = analyse([]);
	const after = analyse(planned);
	const afterByCode = new Map(after.streets.map((street) => [street.code, street]));
	const streetRows = before.streets.map((street) => {
		const next = afterByCode.get(street.code);
		return {
			code: street.code,
			name: street.name,
			elders: street.elders,
			eldersCoveredBefore: street.eldersCovered,
			eldersCoveredAfter: next?.eldersCovered ?? null,
			deficitM2Before: street.deficitM2,
			deficitM2After: next?.deficitM2 ?? null,
			verdictBefore: street.verdict,
			verdictAfter: next?.verdict ?? null
		};
	});
	type StreetRow = (typeof streetRows)[number];
	/** A CSV column factory for one row type (report/columns.ts's Column shape). */
	const columnsOf =
		<R>() =>
		(
			key: string,
			zh: string,
			en: string,
			unit: string | null,
			value: (row: R) => string | number | boolean | null
		) => ({ key, zh, en, unit, value });
	const siteColumn = columnsOf<(typeof outcome.sites)[number]>();
	const contributionColumn = columnsOf<(typeof outcome.contributions)[number]>();
	const streetColumn = columnsOf<StreetRow>();

	mkdirSync(values.out, { recursive: true });
	writeFileSync(
		join(values.out, 'sites.geojson'),
		`${JSON.stringify({ type: 'FeatureCollection', features: outcome.sites.map((site) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [site.lon, site.lat] }, properties: { id: site.id, name: site.name, gainElders: site.gainElders, equivalentSites: site.equivalentSites, kind: request.newStation.kind, floorAreaM2 } })) }, null, 1)}\n`
	);
	writeFileSync(
		join(values.out, 'sites.csv'),
		toCsv(outcome.sites, [
			siteColumn('id', '编号', 'id', null, (s) => s.id),
			siteColumn('name', '名称', 'name', null, (s) => s.name),
			siteColumn('lon', '经度', 'longitude', '°', (s) => s.lon),
			siteColumn('lat', '纬度', 'latitude', '°', (s) => s.lat),
			siteColumn('gain_elders', '新增覆盖老年人', 'elders added', '人', (s) => s.gainElders),
			siteColumn(
				'equivalent_sites',
				'等效候选点',
				'interchangeable sites',
				'处',
				(s) => s.equivalentSites
			)
		])
	);
	writeFileSync(
		join(values.out, 'contributions.csv'),
		toCsv(outcome.contributions, [
			contributionColumn('id', '编号', 'id', null, (c) => c.id),
			contributionColumn('name', '名称', 'name', null, (c) => c.name),
			contributionColumn('fixed', '现有', 'existing', null, (c) => c.fixed),
			contributionColumn(
				'reached_elders',
				'覆盖老年人',
				'elders reached',
				'人',
				(c) => c.reachedElders
			),
			contributionColumn(
				'only_here_elders',
				'仅由本站覆盖',
				'elders only here',
				'人',
				(c) => c.onlyHereElders
			),
			contributionColumn(
				'change_if_removed',
				'撤除后变化',
				'change if removed',
				'人',
				(c) => c.changeIfRemoved
			),
			contributionColumn(
				'served_elders',
				'按容量服务',
				'served (capacity)',
				'人',
				(c) => c.servedElders
			)
		])
	);
	writeFileSync(
		join(values.out, 'streets-before-after.csv'),
		toCsv(streetRows, [
			streetColumn('code', '街道代码', 'street code', null, (r) => r.code),
			streetColumn('name', '街道', 'street', null, (r) => r.name),
			streetColumn('elders', '老年人', 'elders', '人', (r) => r.elders),
			streetColumn(
				'elders_covered_before',
				'圈内老年人（现状）',
				'elders covered before',
				'人',
				(r) => r.eldersCoveredBefore
			),
			streetColumn(
				'elders_covered_after',
				'圈内老年人（新增站点后）',
				'elders covered after',
				'人',
				(r) => r.eldersCoveredAfter
			),
			streetColumn(
				'deficit_m2_before',
				'面积缺口（现状）',
				'deficit before',
				'm²',
				(r) => r.deficitM2Before
			),
			streetColumn(
				'deficit_m2_after',
				'面积缺口（新增站点后）',
				'deficit after',
				'm²',
				(r) => r.deficitM2After
			),
			streetColumn(
				'verdict_before',
				'结论（现状）',
				'verdict before',
				null,
				(r) => r.verdictBefore
			),
			streetColumn(
				'verdict_after',
				'结论（新增站点后）',
				'verdict after',
				null,
				(r) => r.verdictAfter
			)
		])
	);
	writeFileSync(
		join(values.out, 'summary.json'),
		`${JSON.stringify({ region: region.meta.id, profile: { id: profile.id, version: profile.version }, walk, ...outcome, request: { ...outcome.request, candidates: outcome.request.candidates.source === 'list' ? { source: 'list', count: outcome.request.candidates.points.length } : outcome.request.candidates }, summaryBefore: before.summary, summaryAfter: after.summary }, null, 2)}\n`
	);

	const pct = (value: number) => `${((value / outcome.totalElders) * 100).toFixed(1)} %`;
	const gap =
		outcome.relativeGap === null ? 'unknown' : `${(outcome.relativeGap * 100).toFixed(2)} %`;
	console.log(
		`${region.meta.name} · ${profile.id} · ${walk.maxMinutes} min at ${walk.walkSpeedMps} m/s · ${outcome.candidateCount} candidates · ${request.mode}${request.capacity ? ' with capacity' : ''} · ${outcome.method} (${outcome.status}, gap ${gap})`
	);
	console.log(
		`elders within the circle: ${outcome.eldersBefore} (${pct(outcome.eldersBefore)}) → ${outcome.eldersAfter} (${pct(outcome.eldersAfter)}) of ${outcome.totalElders}; unreachable from any site ${outcome.unreachableElders}` +
			(outcome.targetReachable === false
				? `; target not reachable, at most ${((outcome.maxReachableShare ?? 0) * 100).toFixed(1)} %`
				: '')
	);
	for (const site of outcome.sites)
		console.log(
			`  ${site.id}  ${site.lon.toFixed(6)}, ${site.lat.toFixed(6)}  +${site.gainElders} elders  (${site.equivalentSites} interchangeable sites)`
		);
	console.log(
		`matrix ${outcome.matrixMs.toFixed(0)} ms, solve ${outcome.solveMs.toFixed(0)} ms; wrote sites.geojson, sites.csv, contributions.csv, streets-before-after.csv, summary.json to ${values.out}`
	);
}

if (import.meta.main) await runCli(main);
