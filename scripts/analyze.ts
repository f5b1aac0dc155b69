/**
 * `npm run analyze`: the gap report of a region under a rule profile (options: ANALYZE_CLI below,
 * or `npm run analyze -- --help`). A region without a walking network is analysed too: the checks
 * that need walking times are listed as not run, with the reason. Files are written to a temporary
 * folder and moved into place, so a failed run never leaves a half-written report.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeRegion } from '../src/lib/engine/analysis/analyze.ts';
import {
	analysisCsvFiles,
	areasGeoJson,
	reportHtml,
	reportXlsx
} from '../src/lib/engine/report/index.ts';
import { defaultProfilesDir, loadProfile } from '../src/lib/server/profile-store.ts';
import { parseCli, runCli, UsageError, WALK_CLI_OPTIONS } from './cli/args.ts';
import { openRegion, regionCoverage, walkSettingsOf } from './cli/region-run.ts';

export const ANALYZE_CLI = {
	command: 'npm run analyze',
	summary:
		'区域养老服务设施缺口分析报告（按规则配置） / The gap report of a region under a rule profile',
	details: `Writes to --out:
  areas.csv, streets.csv, districts.csv, facilities.csv   UTF-8 with BOM, one row per item
  summary.json    settings, profile (with its elder definition), headline figures, findings on
                  the whole region, checks that could not run, estimates
  areas.geojson   residential areas with their verdicts
  report.xlsx     one sheet per level plus the rules applied with citations
  report.html     printable (A4) report`,
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
			description: 'folder for the report files, created; an earlier report there is replaced'
		},
		profile: {
			type: 'string',
			valueName: '<id>',
			description: "rule profile under data/profiles (default: the region's own)"
		},
		date: {
			type: 'string',
			valueName: '<YYYY-MM-DD>',
			description: 'date printed on the report (default: today)'
		},
		...WALK_CLI_OPTIONS
	},
	examples: [
		'npm run analyze -- --region shanghai-bund-lujiazui --out out/report',
		'npm run analyze -- --region shanghai-bund-lujiazui --profile donge-2023 --frail --out out/report-frail'
	]
} as const;

async function main() {
	const { values } = parseCli(ANALYZE_CLI);
	const generatedAt = values.date ?? new Date().toISOString().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(generatedAt))
		throw new UsageError(`--date ${generatedAt}: expected YYYY-MM-DD`);

	const settings = walkSettingsOf(values);
	const { path, id, region } = openRegion(values.region);
	const profileId = values.profile ?? region.meta.defaultProfile;
	const profile = loadProfile(defaultProfilesDir(), profileId);

	const coverage = regionCoverage(path, region, settings);
	const analysis = analyzeRegion({
		meta: region.meta,
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities: region.layers.facilities,
		communities: region.communities,
		profile,
		coverage: coverage?.result ?? null,
		walk: settings
	});

	const reportMeta = { generatedAt, regionMeta: region.meta };
	const files: Record<string, string | Uint8Array> = {
		...analysisCsvFiles(analysis),
		'summary.json': `${JSON.stringify(
			{
				generatedAt,
				region: { id, name: region.meta.name },
				profile: {
					id: profile.id,
					version: profile.version,
					status: profile.document.status,
					document: profile.document.title,
					number: profile.document.number,
					elderDefinition: profile.elderDefinition
				},
				settings: analysis.settings,
				summary: analysis.summary,
				regionFindings: analysis.regionFindings,
				skipped: analysis.skipped,
				graph: coverage
					? {
							nodes: coverage.graph.nodeCount,
							directedEdges: coverage.graph.edgeCount,
							fromCache: coverage.graphFromCache
						}
					: null,
				estimates: region.meta.estimates ?? {}
			},
			null,
			2
		)}\n`,
		'areas.geojson': areasGeoJson(analysis, region.layers.residential ?? []),
		'report.xlsx': await reportXlsx(analysis, reportMeta),
		'report.html': reportHtml(analysis, reportMeta)
	};

	// Write beside the target, then move each file in: a failure leaves the old report intact.
	const out = resolve(values.out);
	const staging = join(dirname(out), `.analyze-${process.pid}`);
	mkdirSync(staging, { recursive: true });
	try {
		for (const [name, content] of Object.entries(files))
			writeFileSync(join(staging, name), content);
		mkdirSync(out, { recursive: true });
		for (const name of Object.keys(files)) renameSync(join(staging, name), join(out, name));
	} finally {
		if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
	}

	const s = analysis.summary;
	const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)} %`);
	console.log(
		`${region.meta.name} · ${profile.id} v${profile.version} (${profile.document.status}) · ${analysis.settings.maxMinutes} min at ${analysis.settings.walkSpeedMps} m/s`
	);
	console.log(
		`areas ${s.areas}: ${s.areasCompliant} compliant, ${s.areasDeficit} deficit, ${s.areasNoData} no data; required ${s.requiredM2} m², provided ${s.providedM2} m², deficit ${s.deficitM2} m²`
	);
	console.log(
		`elders ${s.elders}, within the circle ${s.eldersCovered ?? '—'} (${pct(s.eldersCoveredShare)}); streets failing ${s.streetsFailing} of ${s.streets}; districts failing ${s.districtsFailing} of ${s.districts}` +
			(s.usesEstimate ? ' — figures rest on estimates (see summary.json estimates)' : '')
	);
	for (const skipped of analysis.skipped)
		console.log(`not run: ${skipped.check} (${skipped.level}) — ${skipped.reasonEn}`);
	console.log(`wrote ${Object.keys(files).join(', ')} to ${values.out}`);
}

if (import.meta.main) await runCli(main);
