/**
 * `npm run analyze`: the gap report of a region under a rule profile (options: ANALYZE_CLI below,
 * or `npm run analyze -- --help`). A region without a walking network is analysed too: the checks
 * that need walking times are listed as not run, with the reason. Files are written to a temporary
 * folder and moved into place, so a failed run never leaves a half-written report.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeRegion } from '../src/lib/engine/analysis/analyze.ts';
import type { ReportMeta } from '../src/lib/engine/report/index.ts';
import { EMPTY_PLAN, PlanError, type StationPlan } from '../src/lib/engine/session/what-if.ts';
import { reportTargets } from '../src/lib/engine/targets/report-targets.ts';
import { planSchema } from '../src/lib/server/db/scenario-model.ts';
import { PdfUnavailableError } from '../src/lib/server/pdf.ts';
import { defaultProfilesDir, loadProfile } from '../src/lib/server/profile-store.ts';
import {
	planCounts,
	REPORT_FILES,
	regionWithPlan,
	reportFileBytes,
	type ReportFile
} from '../src/lib/server/region-report.ts';
import { parseCli, runCli, UsageError, WALK_CLI_OPTIONS } from './cli/args.ts';
import { CliError, openRegion, regionCoverage, walkSettingsOf } from './cli/region-run.ts';

export const ANALYZE_CLI = {
	command: 'npm run analyze',
	summary:
		'区域养老服务设施缺口分析报告（按规则配置） / The gap report of a region under a rule profile',
	details: `Writes to --out:
  areas.csv, streets.csv, districts.csv, facilities.csv   UTF-8 with BOM, one row per item
  summary.json    settings, profile (with its elder definition), headline figures, findings on
                  the whole region, checks that could not run, estimates
  areas.geojson   residential areas with their verdicts
  report.xlsx     one sheet per level, the targets (目标指标: the profile's targets on --date,
                  with the region's indicator table when imported) and the rules applied
  report.pdf      the printable report, printed by headless Chromium (CHROMIUM_PATH, default
                  /usr/bin/chromium); --no-pdf leaves it out
  report.html     the same page (prints to PDF from any browser)
With --plan, every file is of the plan (the map's 方案文件 plan.json: planned stations, existing
ones moved or removed), marked as such, and summary.json records it; the map's export gives the
same bytes for the same settings.`,
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
		plan: {
			type: 'string',
			valueName: '<plan.json>',
			description:
				'a plan: { planned: [stations], moved: { id: [lon, lat] }, removed: [ids] }, as the map downloads it'
		},
		'no-pdf': {
			type: 'boolean',
			default: false,
			description: 'leave out report.pdf (no Chromium needed)'
		},
		...WALK_CLI_OPTIONS
	},
	examples: [
		'npm run analyze -- --region shanghai-bund-lujiazui --out out/report',
		'npm run analyze -- --region shanghai-bund-lujiazui --profile donge-2023 --frail --out out/report-frail',
		'npm run analyze -- --region shanghai-bund-lujiazui --plan plan.json --date 2026-11-22 --out out/plan'
	]
} as const;

/**
 * Read and check a plan file: JSON, the plan's shape (planSchema, shared with scenarios and the
 * map's export), and ids that fit the region. Every error names the file and the field.
 */
function readPlan(file: string): StationPlan {
	const path = resolve(file);
	if (!existsSync(path)) throw new CliError(`--plan ${file}: no such file`);
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
	} catch (error) {
		throw new CliError(`--plan ${file}: not JSON (${(error as Error).message})`);
	}
	const parsed = planSchema.safeParse(json);
	if (!parsed.success)
		throw new CliError(
			parsed.error.issues
				.map(
					(issue) =>
						`--plan ${file}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`
				)
				.join('\n')
		);
	return parsed.data;
}

async function main() {
	const { values } = parseCli(ANALYZE_CLI);
	const generatedAt = values.date ?? new Date().toISOString().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(generatedAt))
		throw new UsageError(`--date ${generatedAt}: expected YYYY-MM-DD`);

	const settings = walkSettingsOf(values);
	const plan = values.plan ? readPlan(values.plan) : EMPTY_PLAN;
	const { path, id, region: asIs } = openRegion(values.region);
	const region = (() => {
		try {
			return regionWithPlan(asIs, plan);
		} catch (error) {
			if (error instanceof PlanError)
				throw new CliError(`--plan ${values.plan}: ${error.message} (region ${id})`);
			throw error;
		}
	})();
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

	const counts = planCounts(plan);
	const reportMeta: ReportMeta = {
		generatedAt,
		regionMeta: region.meta,
		plan: counts,
		// The 目标指标 sheet and section: the same function as the workspace's downloads.
		targets: reportTargets({
			analysis,
			indicators: region.indicators,
			residential: region.layers.residential,
			facilities: region.layers.facilities,
			network: coverage ? { index: coverage.index, search: coverage.search } : null,
			maxSnapM: settings.maxSnapM,
			date: generatedAt
		})
	};
	const files: Record<string, string | Uint8Array> = {};
	for (const file of Object.keys(REPORT_FILES) as ReportFile[]) {
		if (file === 'report.pdf' && values['no-pdf']) continue;
		try {
			files[file] = await reportFileBytes(file, analysis, reportMeta, region.layers.residential);
		} catch (error) {
			if (error instanceof PdfUnavailableError)
				throw new CliError(`${error.message}, or pass --no-pdf`);
			throw error;
		}
	}
	files['summary.json'] = `${JSON.stringify(
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
			// null: the region as it is; otherwise what the plan changes, and the plan itself.
			plan: counts
				? {
						file: basename(values.plan ?? ''),
						...counts,
						stations: { planned: plan.planned, moved: plan.moved, removed: plan.removed }
					}
				: null,
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
	)}\n`;

	// Write beside the target, then move each file in: a failure leaves the old report intact.
	const out = resolve(values.out);
	const staging = join(dirname(out), `.analyze-${process.pid}`);
	mkdirSync(staging, { recursive: true });
	try {
		for (const [name, content] of Object.entries(files))
			writeFileSync(join(staging, name), content);
		mkdirSync(out, { recursive: true });
		for (const name of Object.keys(files)) renameSync(join(staging, name), join(out, name));
		// An earlier run's PDF would no longer match the other files.
		if (values['no-pdf']) rmSync(join(out, 'report.pdf'), { force: true });
	} finally {
		if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
	}

	const s = analysis.summary;
	const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)} %`);
	console.log(
		`${region.meta.name} · ${profile.id} v${profile.version} (${profile.document.status}) · ${analysis.settings.maxMinutes} min at ${analysis.settings.walkSpeedMps} m/s` +
			(counts
				? ` · plan: ${counts.planned} planned, ${counts.moved} moved, ${counts.removed} removed`
				: '')
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
