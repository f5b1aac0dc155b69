/**
 * npm run site -- --region <id|dir> [--profile <id>] --k 3 | --target 0.9 [--capacity]
 *                 [--candidates network | street:<code> | buildings | <file.xlsx|csv|geojson|zip>] [--spacing-m 50]
 *                 [--kind community_station] [--floor-area-m2 300] [--households-per-station N]
 *                 [--greedy] [--time-limit-s 30] [--minutes 15] [--speed-mps 1.0 | --frail] --out <dir>
 *
 * Where new stations should go (issue 6): k new stations covering the most elders (MCLP), or the
 * fewest stations reaching a target share (LSCP), existing facilities fixed; exact with HiGHS
 * (WebAssembly), greedy with --greedy. Writes
 *   sites.geojson, sites.csv       the chosen sites (elders each adds, interchangeable sites)
 *   contributions.csv              every open station: elders reached, only here, change if removed
 *   streets-before-after.csv       the street table without and with the sites (npm run analyze's figures)
 *   summary.json                   request, method, optimality gap, before/after, notes
 * A candidate file is read with the region importers (XLSX, CSV, GeoJSON, zipped SHP; Chinese headers
 * 名称 / 经度 / 纬度 / 建筑面积; GCJ-02, BD-09, CGCS2000 converted); its floor area caps a station there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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
import {
	CliError,
	WALK_OPTIONS,
	openRegion,
	regionCoverage,
	walkSettingsOf
} from './cli/region-run.ts';

const USAGE =
	'usage: npm run site -- --region <id|dir> [--profile <id>] --k 3 | --target 0.9 [--capacity] [--candidates network|street:<code>|buildings|<file>] [--greedy] --out <dir>';

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

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

const number = (name: string, text: string | undefined): number | undefined => {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value)) throw new CliError(`--${name} ${text}: expected a number`);
	return value;
};

async function main() {
	const { values } = parseArgs({
		options: {
			region: { type: 'string' },
			profile: { type: 'string' },
			k: { type: 'string' },
			target: { type: 'string' },
			capacity: { type: 'boolean', default: false },
			'households-per-station': { type: 'string' },
			candidates: { type: 'string', default: 'network' },
			'spacing-m': { type: 'string' },
			kind: { type: 'string', default: 'community_station' },
			'floor-area-m2': { type: 'string', default: '300' },
			greedy: { type: 'boolean', default: false },
			'time-limit-s': { type: 'string', default: '30' },
			out: { type: 'string' },
			...WALK_OPTIONS
		}
	});
	if (!values.region || !values.out || (values.k === undefined) === (values.target === undefined))
		fail(USAGE);
	if (!(FACILITY_KINDS as readonly string[]).includes(values.kind))
		fail(`--kind ${values.kind}: expected one of ${FACILITY_KINDS.join(', ')}`);
	const walk = walkSettingsOf(values);
	const { path, region } = openRegion(values.region);
	const profile = loadProfile(defaultProfilesDir(), values.profile ?? region.meta.defaultProfile);
	const coverage = regionCoverage(path, region, walk);
	if (!coverage)
		throw new CliError(
			`region "${region.meta.id}" has no walking network: siting needs walking times. Add one with npm run region:build -- --region ${region.meta.id} --osm <file.osm.pbf>`
		);
	const floorAreaM2 = number('floor-area-m2', values['floor-area-m2']) ?? null;
	const request = {
		mode: values.k !== undefined ? ('mclp' as const) : ('lscp' as const),
		k: number('k', values.k),
		targetShare: number('target', values.target),
		candidates: await candidatesOf(
			values.candidates,
			number('spacing-m', values['spacing-m']),
			region.meta.bbox as [number, number, number, number],
			region.meta.layers.buildings ? join(path, region.meta.layers.buildings) : null
		),
		capacity: values.capacity
			? { householdsPerStation: number('households-per-station', values['households-per-station']) }
			: null,
		newStation: { kind: values.kind as FacilityKind, floorAreaM2 },
		exact: !values.greedy,
		timeLimitS: number('time-limit-s', values['time-limit-s'])
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

main().catch((error: unknown) => {
	if (error instanceof CliError || (error as { code?: string }).code)
		fail((error as Error).message);
	throw error;
});
