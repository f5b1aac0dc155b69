/**
 * `npm run coverage`: walking coverage of a region's compounds by its care facilities (options:
 * COVERAGE_CLI below, or `npm run coverage -- --help`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { booleanPointInPolygon, centroid } from '@turf/turf';
import { coverageCsv } from '../src/lib/engine/coverage/csv.ts';
import { isochroneBand, reachedEdges } from '../src/lib/engine/coverage/isochrone.ts';
import { totalsBy } from '../src/lib/engine/coverage/totals.ts';
import type { BoundaryFeature } from '../src/lib/engine/region/schema.ts';
import { parseCli, runCli, WALK_CLI_OPTIONS } from './cli/args.ts';
import { CliError, openRegion, regionCoverage, walkSettingsOf } from './cli/region-run.ts';

export const COVERAGE_CLI = {
	command: 'npm run coverage',
	summary:
		"步行可达覆盖：各小区到最近养老设施的步行时间 / Walking coverage of a region's compounds by its care facilities",
	details: `Writes to --out:
  coverage.csv        one row per compound (minutes to the nearest facility, covered or not …)
  isochrones.geojson  per placed facility: the reached streets and the band polygon
  summary.json        settings, graph figures, totals per region / district / street, facilities`,
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
		...WALK_CLI_OPTIONS
	},
	examples: [
		'npm run coverage -- --region shanghai-bund-lujiazui --out out/coverage',
		'npm run coverage -- --region shanghai-bund-lujiazui --minutes 10 --frail --out out/coverage-frail'
	]
} as const;

async function main() {
	const { values } = parseCli(COVERAGE_CLI);
	const settings = walkSettingsOf(values);
	const opened = openRegion(values.region);
	const { maxMinutes, walkSpeedMps, stepPenaltyS } = settings;
	const { meta, layers } = opened.region;
	const regionId = opened.id;
	if (!meta.layers.network) {
		throw new CliError(
			`region "${regionId}" has no walking network, so walking coverage cannot be computed.\nAdd an OpenStreetMap extract: npm run region:build -- --region ${regionId} --osm <file.osm.pbf>`
		);
	}
	const compounds = layers.residential ?? [];
	if (compounds.length === 0)
		throw new CliError(
			`region "${regionId}" has no residential compounds: import them with npm run import -- <file> --region ${regionId} --layer residential`
		);
	const facilities = layers.facilities ?? [];

	const coverage = regionCoverage(opened.path, opened.region, settings);
	if (!coverage) throw new CliError(`region "${regionId}" has no walking network`);
	const {
		result,
		graph,
		search,
		graphReport: report,
		graphFromCache: fromCache,
		graphMs
	} = coverage;

	// Districts and streets from the region's boundaries (by the compound's centroid).
	const boundaries = layers.boundaries ?? [];
	const containing = (level: BoundaryFeature['properties']['level']) => {
		const candidates = boundaries.filter((b) => b.properties.level === level);
		return compounds.map((compound) => {
			const point = centroid(compound);
			return candidates.find((b) => booleanPointInPolygon(point, b)) ?? null;
		});
	};
	const districtOf = containing('district');
	const streetOf = containing('street');
	const groupName = (b: BoundaryFeature | null) =>
		b
			? { key: b.properties.code ?? b.properties.name, name: b.properties.name }
			: { key: '(none)', name: '(outside every boundary)' };

	const totals = {
		region: totalsBy(result.compounds, () => ({ key: meta.id, name: meta.name })),
		districts: totalsBy(result.compounds, (_, i) => groupName(districtOf[i])),
		streets: totalsBy(result.compounds, (row, i) =>
			row.streetCode
				? { key: row.streetCode, name: streetOf[i]?.properties.name ?? row.streetCode }
				: groupName(streetOf[i])
		)
	};

	// Isochrones: one bounded search per placed facility.
	const isochrones: object[] = [];
	result.facilityPoints.forEach((point, f) => {
		if (!point) return;
		search.run(
			[
				{ node: point.fromNode, initialS: point.offsetM / walkSpeedMps, label: f },
				{ node: point.toNode, initialS: (point.lengthM - point.offsetM) / walkSpeedMps, label: f }
			],
			{ walkSpeedMps, stepPenaltyS, maxSeconds: maxMinutes * 60 }
		);
		const times = Float64Array.from({ length: graph.nodeCount }, (_, node) => search.time(node));
		const lines = reachedEdges(graph, times, {
			maxSeconds: maxMinutes * 60,
			walkSpeedMps,
			sources: [point]
		});
		const properties = {
			facilityId: facilities[f].properties.id,
			name: facilities[f].properties.name,
			maxMinutes,
			walkSpeedMps
		};
		isochrones.push({
			type: 'Feature',
			geometry: isochroneBand(lines),
			properties: { ...properties, part: 'band', bandM: 50 }
		});
		isochrones.push({
			type: 'Feature',
			geometry: lines,
			properties: { ...properties, part: 'reached-streets' }
		});
	});

	mkdirSync(values.out, { recursive: true });
	writeFileSync(join(values.out, 'coverage.csv'), coverageCsv(result.compounds));
	writeFileSync(
		join(values.out, 'isochrones.geojson'),
		`${JSON.stringify({ type: 'FeatureCollection', features: isochrones })}\n`
	);
	const estimatedNote = meta.estimates
		? Object.entries(meta.estimates).map(([id, e]) => `${id}: ${e.methodEn ?? e.method}`)
		: [];
	writeFileSync(
		join(values.out, 'summary.json'),
		`${JSON.stringify({ region: meta.id, settings: result.settings, graph: { ...report, fromCache, loadMs: Math.round(graphMs) }, totals, facilities: result.facilities, estimates: estimatedNote }, null, 2)}\n`
	);

	const all = totals.region[0];
	const share =
		all.eldersCoveredShare === null ? 'unknown' : `${(all.eldersCoveredShare * 100).toFixed(1)} %`;
	console.log(
		`${meta.name}: ${result.compounds.length} compounds, ${facilities.length} facilities (${result.facilities.filter((f) => f.placed).length} on the network)`
	);
	console.log(
		`graph: ${graph.nodeCount} nodes, ${graph.edgeCount} directed edges (${fromCache ? 'from cache' : 'built'} in ${Math.round(graphMs)} ms)`
	);
	console.log(
		`within ${maxMinutes} min at ${walkSpeedMps} m/s: ${all.compoundsCovered} of ${all.compounds} compounds, ${all.eldersCovered} of ${all.elders} elders (${share})` +
			(all.estimatedCompounds > 0
				? ` — ${all.estimatedCompounds} compounds have estimated households/elders`
				: '')
	);
	console.log(`wrote coverage.csv, isochrones.geojson, summary.json to ${values.out}`);
}

if (import.meta.main) await runCli(main);
