/**
 * `npm run evaluate`: one residential project against the region's rule profile. Options:
 * EVALUATE_CLI below, or `npm run evaluate -- --help`. Every input is checked before anything is
 * computed, and the files are written to a staging folder and moved into place: a failed run
 * writes nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseCrs, toWgs84 } from '../src/lib/engine/crs/index.ts';
import {
	evaluateProject,
	evaluationJson,
	evaluationReportHtml,
	evaluationXlsx,
	readProjectBoundary,
	readProjectPoints,
	type ProjectFacilityInput
} from '../src/lib/engine/evaluation/index.ts';
import {
	FACILITY_KIND_VALUES,
	RESIDENTIAL_STATUS_VALUES,
	matchValue
} from '../src/lib/engine/import/aliases.ts';
import { PROJECT_VERDICT } from '../src/lib/engine/labels.ts';
import type { FacilityKind } from '../src/lib/engine/region/schema.ts';
import { defaultProfilesDir, loadProfile } from '../src/lib/server/profile-store.ts';
import { parseCli, runCli, UsageError, WALK_CLI_OPTIONS } from './cli/args.ts';
import { CliError, openRegion, printPdfForCli, walkSettingsOf } from './cli/region-run.ts';
import { loadRegionGraph } from './graph-cache.ts';

export const EVALUATE_CLI = {
	command: 'npm run evaluate',
	summary:
		'住宅项目养老服务设施配建评估（附条款依据） / A residential project evaluated against the rule profile, with the clauses cited',
	details: `Give --households N, or --floor-area-m2 A (with --dwelling-m2), and --status. Writes to --out:
  report.pdf       the printable report, printed by headless Chromium (CHROMIUM_PATH, default
                   /usr/bin/chromium); --no-pdf leaves it out
  report.html      the same page (prints to PDF from any browser)
  report.xlsx      verdict, findings with clauses, figures, facilities, street before / after
  evaluation.json  the whole evaluation (inputs, derivations, figures, reasons, map geometry)`,
	options: {
		region: {
			type: 'string',
			required: true,
			valueName: '<id|dir>',
			description: 'region id under data/regions, or a region folder'
		},
		project: {
			type: 'string',
			required: true,
			valueName: '<file.geojson|file.zip>',
			description: "the project's boundary: GeoJSON, or a zipped Shapefile"
		},
		out: {
			type: 'string',
			required: true,
			valueName: '<dir>',
			description: 'folder for the report files, created'
		},
		status: {
			type: 'string',
			valueName: '<new|existing>',
			description: 'required: new (新建) or existing (已建成)'
		},
		households: {
			type: 'number',
			valueName: '<n>',
			description: 'planned households (户)'
		},
		'floor-area-m2': {
			type: 'number',
			valueName: '<m²>',
			description: 'residential floor area, m², instead of --households'
		},
		'dwelling-m2': {
			type: 'number',
			valueName: '<m²>',
			description: 'average dwelling size with --floor-area-m2, m² (default: 90)'
		},
		elders: {
			type: 'number',
			valueName: '<n>',
			description:
				"residents aged 60+ (default: the households × the region's elders per household)"
		},
		facility: {
			type: 'string',
			multiple: true,
			valueName: '<lon,lat,m2,kind[,name]>',
			description:
				'a care facility the project builds; kind as an id (community_station) or in Chinese (社区养老服务站)'
		},
		gates: {
			type: 'string',
			valueName: '<file>',
			description: "the project's gates (GeoJSON points), where walks start"
		},
		crs: {
			type: 'string',
			valueName: '<crs>',
			description:
				'coordinate system of everything given (project file, gates file, --facility positions) when the files do not declare it, e.g. EPSG:4528; lon/lat without it are WGS84'
		},
		name: {
			type: 'string',
			valueName: '<text>',
			description: 'project name on the report (default: from the file)'
		},
		profile: {
			type: 'string',
			valueName: '<id>',
			description: "rule profile under data/profiles (default: the region's own)"
		},
		date: {
			type: 'string',
			valueName: '<YYYY-MM-DD>',
			description:
				"date printed on the report, and the street's targets are judged on (default: today)"
		},
		'no-pdf': {
			type: 'boolean',
			default: false,
			description: 'leave out report.pdf (no Chromium needed)'
		},
		...WALK_CLI_OPTIONS
	},
	examples: [
		'npm run evaluate -- --region shanghai-bund-lujiazui --project tests/scripts/fixtures/evaluate/ruyi-project.geojson --households 600 --status new --out out/eval'
	]
} as const;

/** `lon,lat,m2,kind[,name]`; kind as an id (community_station) or in Chinese (社区养老服务站). */
function parseFacility(text: string, index: number, crs: string | undefined): ProjectFacilityInput {
	const parts = text.split(',').map((part) => part.trim());
	if (parts.length < 4)
		throw new CliError(
			`--facility ${text}: expected lon,lat,m2,kind (e.g. 121.5175,31.235,300,community_station)`
		);
	const [x, y, m2] = parts.slice(0, 3).map(Number);
	if (![x, y, m2].every(Number.isFinite))
		throw new CliError(`--facility ${text}: lon, lat and m2 must be numbers`);
	const kind = matchValue(FACILITY_KIND_VALUES, parts[3]) as FacilityKind | null;
	if (!kind)
		throw new CliError(
			`--facility ${text}: unknown kind "${parts[3]}"; expected one of ${Object.keys(FACILITY_KIND_VALUES).join(', ')} (or their Chinese names)`
		);
	let position: [number, number] = [x, y];
	if (crs) {
		const id = parseCrs(crs);
		if (!id) throw new CliError(`--crs ${crs}: not a coordinate system we know`);
		const [lon, lat] = toWgs84(id)([x, y]);
		position = [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
	} else if (Math.abs(x) > 180 || Math.abs(y) > 90)
		throw new CliError(
			`--facility ${text}: ${x}, ${y} are not lon/lat degrees; give WGS84 lon,lat or pass --crs for projected coordinates`
		);
	return {
		id: `project-facility-${index + 1}`,
		name: parts.slice(4).join(',') || undefined,
		kind,
		floorAreaM2: m2,
		position
	};
}

async function main() {
	const { values, usage } = parseCli(EVALUATE_CLI);
	if (!values.status)
		throw new CliError(`--status is required: new (新建) or existing (已建成)\n${usage}`);
	const status = matchValue(RESIDENTIAL_STATUS_VALUES, values.status);
	if (!status)
		throw new UsageError(`--status ${values.status}: expected new (新建) or existing (已建成)`);
	const generatedAt = values.date ?? new Date().toISOString().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(generatedAt))
		throw new UsageError(`--date ${generatedAt}: expected YYYY-MM-DD`);

	const settings = walkSettingsOf(values);
	const { path, id, region } = openRegion(values.region);
	const profile = loadProfile(defaultProfilesDir(), values.profile ?? region.meta.defaultProfile);
	const regionBbox = region.meta.bbox;

	const projectPath = resolve(values.project);
	if (!existsSync(projectPath)) throw new CliError(`--project ${values.project}: no such file`);
	const boundary = await readProjectBoundary(basename(projectPath), readFileSync(projectPath), {
		crs: values.crs,
		regionBbox,
		regionLabel: id
	});
	let gates: [number, number][] = [];
	if (values.gates) {
		const gatesPath = resolve(values.gates);
		if (!existsSync(gatesPath)) throw new CliError(`--gates ${values.gates}: no such file`);
		gates = (
			await readProjectPoints(basename(gatesPath), readFileSync(gatesPath), {
				crs: values.crs,
				regionBbox
			})
		).points;
	}
	const facilities = (values.facility ?? []).map((text, i) => parseFacility(text, i, values.crs));

	const network = region.meta.layers.network
		? { graph: loadRegionGraph(path, region.meta).graph }
		: null;
	const evaluation = evaluateProject({
		region: {
			meta: region.meta,
			boundaries: region.layers.boundaries,
			residential: region.layers.residential,
			facilities: region.layers.facilities,
			communities: region.communities
		},
		network,
		profile,
		project: {
			name: values.name ?? boundary.source.name ?? basename(projectPath).replace(/\.[^.]+$/, ''),
			boundary: boundary.geometry,
			boundarySource: boundary.source,
			status,
			households: values.households ?? null,
			residentialFloorAreaM2: values['floor-area-m2'] ?? null,
			dwellingM2: values['dwelling-m2'] ?? null,
			elders: values.elders ?? null,
			facilities,
			gates
		},
		walk: settings,
		// 所在街道的目标: the street's and district's targets on the report's date.
		targets: { indicators: region.indicators, date: generatedAt }
	});

	const meta = { generatedAt, regionMeta: region.meta };
	const html = evaluationReportHtml(evaluation, meta);
	const files: Record<string, string | Uint8Array> = {};
	if (!values['no-pdf'])
		files['report.pdf'] = await printPdfForCli(
			html,
			`${evaluation.project.name} · ${profile.id} v${profile.version} · ${generatedAt}`,
			generatedAt
		);
	files['report.html'] = html;
	files['report.xlsx'] = await evaluationXlsx(evaluation, meta);
	files['evaluation.json'] = evaluationJson(evaluation, generatedAt);

	// Write beside the target, then move each file in: a failure leaves nothing half-written.
	const out = resolve(values.out);
	const staging = join(dirname(out), `.evaluate-${process.pid}`);
	mkdirSync(staging, { recursive: true });
	try {
		for (const [name, content] of Object.entries(files))
			writeFileSync(join(staging, name), content);
		mkdirSync(out, { recursive: true });
		for (const name of Object.keys(files)) renameSync(join(staging, name), join(out, name));
	} finally {
		if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
	}

	const { floorArea: f, circle } = evaluation;
	const m2 = (value: number | null) => (value === null ? '—' : `${value} m²`);
	console.log(
		`${evaluation.project.name} · ${region.meta.name} · ${profile.id} v${profile.version} (${profile.document.status})`
	);
	console.log(
		`verdict: ${evaluation.verdict} — ${PROJECT_VERDICT[evaluation.verdict].en}${evaluation.incomplete ? ' (some checks could not run)' : ''}`
	);
	console.log(
		`households ${evaluation.project.households}${evaluation.project.householdsSource.estimated ? ' (estimate)' : ''}, elders ${evaluation.project.elders ?? '—'}${evaluation.project.eldersSource.estimated ? ' (estimate)' : ''}; required ${m2(f.requiredM2)}, provided ${m2(f.providedM2)}, deficit ${m2(f.deficitM2)}`
	);
	console.log(
		circle.nearest
			? `nearest station ${circle.nearest.name}: ${circle.nearest.minutes} min on foot (${circle.covered ? 'within' : 'outside'} the ${circle.maxMinutes}-minute circle)`
			: `nearest station: none reached${evaluation.settings.networkAvailable ? '' : ' (no walking network)'}`
	);
	for (const condition of evaluation.conditions) console.log(`must change: ${condition.en}`);
	for (const condition of evaluation.approvalConditions)
		console.log(`condition of approval (${condition.citation.clause}): ${condition.en}`);
	for (const item of evaluation.notRun) console.log(`not run: ${item.check} — ${item.reasonEn}`);
	console.log(`wrote ${Object.keys(files).join(', ')} to ${values.out}`);
}

if (import.meta.main) await runCli(main);
