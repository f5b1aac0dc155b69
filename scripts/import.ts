/**
 * npm run import -- <file> --region <id> --layer <residential|facilities|boundaries|indicators>
 *                   [--mode replace|merge] [--crs <wgs84|gcj02|bd09|EPSG:nnnn>] [--map field=column ...]
 *                   [--sheet <name>] [--status new|existing] [--kind <facility kind>]
 *                   [--as-of YYYY-MM-DD] [--source <text>] [--keep-duplicates] [--dry-run] [--json]
 * npm run import -- --region <id> --undo
 *
 * Reads a user's file, reports every rejected or repaired row, and only then writes the layer in
 * one atomic write, keeping the previous version (undo with --undo). A file that cannot be
 * trusted as a whole (another city, the wrong CRS, repeated records) exits 1 and changes nothing.
 * The browser's 导入数据 page runs the same code (src/lib/server/region-import.ts).
 */
import { readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { formatIssue, ImportError } from '../src/lib/engine/import/index.ts';
import {
	applyImport,
	IMPORT_LAYERS,
	IMPORT_MODES,
	previewImport,
	type ImportLayer,
	type ImportMode,
	type ImportPreview,
	type ImportRequest
} from '../src/lib/server/region-import.ts';
import { defaultRegionsDir, readRegionMeta } from '../src/lib/server/region-store.ts';
import { undoLastVersion } from '../src/lib/server/region-versions.ts';
import { parseCli, runCli, UsageError } from './cli/args.ts';

export const IMPORT_CLI = {
	command: 'npm run import --',
	summary:
		'把小区名单、设施清单、街道/社区边界或指标表导入区域（先校验，整体原子写入，可撤销） / Import a compound list, facility list, boundaries or an indicator table into a region (validated first, one atomic write, undoable)',
	positionals: '<file.xlsx|csv|geojson|zip>',
	options: {
		region: { type: 'string', valueName: '<id>', description: 'region id under data/regions' },
		layer: {
			type: 'string',
			valueName: `<${IMPORT_LAYERS.join('|')}>`,
			description:
				'layer the file fills; indicators: a table of yearly figures per street, district or institution (指标表)'
		},
		mode: {
			type: 'string',
			default: 'replace',
			valueName: '<replace|merge>',
			description:
				'replace: the file becomes the layer; merge: records matching by id (or name + street) are updated, the others added (indicators: always rows of the same level, code and date replaced, the others kept)'
		},
		crs: {
			type: 'string',
			valueName: '<system>',
			description:
				"the file's coordinate system when it does not say: wgs84, gcj02 (Amap/Tencent), bd09 (Baidu), EPSG:4528 …"
		},
		map: {
			type: 'string',
			multiple: true,
			valueName: '<field=column>',
			description: 'take a field from a column the aliases do not know, e.g. households=总户数'
		},
		sheet: {
			type: 'string',
			valueName: '<name>',
			description: 'XLSX sheet (default: the first with data)'
		},
		status: {
			type: 'string',
			valueName: '<new|existing|planned>',
			description: 'status for rows without one'
		},
		kind: {
			type: 'string',
			valueName: '<kind>',
			description: 'facility kind for rows without one'
		},
		'as-of': {
			type: 'string',
			valueName: '<YYYY-MM-DD>',
			description:
				'indicators: 统计日期 of every row, for a sheet without that column (or with blank cells)'
		},
		source: {
			type: 'string',
			valueName: '<text>',
			description:
				'indicators: 数据来源 of every row, for a sheet without that column (or with blank cells)'
		},
		'keep-duplicates': {
			type: 'boolean',
			default: false,
			description:
				'import a file that repeats an id or a name (ids get a suffix) instead of refusing it'
		},
		'dry-run': { type: 'boolean', default: false, description: 'report only, write nothing' },
		json: { type: 'boolean', default: false, description: 'print the report as JSON' },
		undo: {
			type: 'boolean',
			default: false,
			description: "undo the region's last import (restores the previous version)"
		},
		'regions-dir': {
			type: 'string',
			valueName: '<dir>',
			description: 'regions folder (default data/regions or CARECIRCLE_REGIONS_DIR)'
		}
	},
	examples: [
		'npm run import -- 小区名单.xlsx --region qingdao-laoshan --layer residential --crs gcj02',
		'npm run import -- 设施清单.xlsx --region qingdao-laoshan --layer facilities --mode merge --dry-run',
		'npm run import -- data/samples/indicators-sample.csv --region shanghai-bund-lujiazui --layer indicators --dry-run',
		'npm run import -- --region qingdao-laoshan --undo'
	]
} as const;

function printPreview(preview: ImportPreview, dryRun: boolean): void {
	for (const issue of preview.issues) console.log(formatIssue(issue));
	const { counts, change } = preview;
	console.log(
		`${preview.file}: ${preview.format}, ${counts.features} ${preview.layer === 'indicators' ? 'rows' : 'features'} for layer "${preview.layer}"; ` +
			`${counts.rejected} rejected, ${counts.repaired} repaired, ${counts.warnings} warnings`
	);
	if (preview.crs)
		console.log(`coordinates: ${preview.crs.crs} (${preview.crs.how}: ${preview.crs.reason})`);
	console.log(
		`columns: ${Object.entries(preview.columnMap)
			.map(([field, column]) => `${field}←${column}`)
			.join(', ')}`
	);
	if (preview.unmappedColumns.length > 0)
		console.log(`not used: ${preview.unmappedColumns.join(', ')}`);
	const table = preview.indicators;
	if (table) {
		console.log(
			`indicator rows: ${table.rowsRead} read, ${table.rowsWithErrors} with errors; dates ${table.dates.join(', ') || 'none'}; ${table.levels.street} street, ${table.levels.district} district, ${table.levels.institution} institution rows`
		);
		for (const row of table.firstRows)
			console.log(
				`  ${row.level} ${row.code} ${row.name} ${row.asOf} (${row.source}): ${Object.entries(
					row.values
				)
					.map(([key, value]) => `${key}=${value}`)
					.join(', ')}`
			);
		console.log(
			`${dryRun ? 'would change' : 'change'}: ${change.before} → ${change.after} rows; ${table.replaced} replaced (same level, code and date), ${table.added} added, ${table.kept} other rows kept`
		);
		return;
	}
	console.log(
		`${dryRun ? 'would change' : 'change'} (${change.mode}): ${change.before} → ${change.after} features; ${change.added} added, ${change.updated} updated, ${change.removed} removed`
	);
}

async function main(): Promise<void> {
	const { values, positionals } = parseCli(IMPORT_CLI);
	if (!values.region) throw new UsageError('--region is required');
	const regionsDir = values['regions-dir'] ? resolve(values['regions-dir']) : defaultRegionsDir();
	readRegionMeta(regionsDir, values.region); // a clear error for an unknown region, before reading the file

	if (values.undo) {
		const undone = undoLastVersion(regionsDir, values.region);
		console.log(
			`undone: ${undone.action} (${undone.at}, by ${undone.actor}); restored ${undone.saved.join(', ')}${undone.created.length ? `, removed ${undone.created.join(', ')}` : ''}`
		);
		return;
	}
	const [path] = positionals;
	if (!path) throw new UsageError('give the file to import');
	if (!values.layer) throw new UsageError('--layer is required');
	if (!(IMPORT_LAYERS as readonly string[]).includes(values.layer))
		throw new UsageError(
			`--layer ${values.layer}: expected one of ${IMPORT_LAYERS.join(', ')} (the walking network comes with npm run region:create -- --osm <file>)`
		);
	if (!(IMPORT_MODES as readonly string[]).includes(values.mode))
		throw new UsageError(`--mode ${values.mode}: expected replace or merge`);
	const columnMap: Record<string, string> = {};
	for (const pair of values.map ?? []) {
		const [field, column] = pair.split('=');
		if (!field || !column)
			throw new UsageError(`--map ${pair}: expected field=column, e.g. --map households=总户数`);
		columnMap[field.trim()] = column.trim();
	}
	const request: ImportRequest = {
		file: basename(path),
		bytes: new Uint8Array(readFileSync(path)),
		layer: values.layer as ImportLayer,
		mode: values.mode as ImportMode,
		crs: values.crs,
		columnMap,
		sheet: values.sheet,
		status: values.status,
		kind: values.kind,
		keepDuplicates: values['keep-duplicates'],
		asOf: values['as-of'],
		source: values.source
	};
	try {
		if (values['dry-run']) {
			const preview = await previewImport(regionsDir, values.region, request);
			if (values.json) console.log(JSON.stringify(preview, null, 2));
			else printPreview(preview, true);
			console.log('--dry-run: nothing written.');
			return;
		}
		const { preview, meta, version } = await applyImport(regionsDir, values.region, request, 'cli');
		if (values.json) console.log(JSON.stringify({ ...preview, version }, null, 2));
		else printPreview(preview, false);
		console.log(
			`wrote ${preview.change.after} ${request.layer === 'indicators' ? 'rows' : 'features'} to ${relative(process.cwd(), join(regionsDir, values.region, meta.layers[request.layer] ?? ''))} (previous version kept as #${version.seq}: npm run import -- --region ${values.region} --undo)`
		);
	} catch (error) {
		if (!(error instanceof ImportError)) throw error;
		for (const issue of error.issues) console.error(formatIssue(issue));
		console.error(
			`error: import failed (${error.code}): ${error.message}\nThe region was not changed.`
		);
		process.exit(1);
	}
}

if (import.meta.main) await runCli(main);
