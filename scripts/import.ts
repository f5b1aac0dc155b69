/**
 * npm run import -- <file> --region <id> --layer <residential|facilities|boundaries>
 *                   [--crs <wgs84|gcj02|bd09|EPSG:nnnn>] [--map field=column ...] [--sheet <name>]
 *                   [--status new|existing] [--kind <facility kind>] [--append] [--dry-run]
 *
 * Reads a user's file, reports every rejected or repaired row, and only then replaces (or, with
 * --append, extends) the region's layer in one atomic write. Exit code 1 on a failed import:
 * the region is left exactly as it was.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue, importFile, ImportError } from '../src/lib/engine/import/index.ts';
import { MAPPABLE_LAYERS, type MappableLayer } from '../src/lib/engine/import/aliases.ts';
import {
	defaultRegionsDir,
	readRegion,
	readRegionMeta,
	writeLayer
} from '../src/lib/server/region-store.ts';

const usage = `usage: npm run import -- <file> --region <id> --layer <${MAPPABLE_LAYERS.join('|')}> [--crs <system>] [--map field=column] [--sheet <name>] [--status new|existing] [--kind <kind>] [--append] [--dry-run]`;

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		region: { type: 'string' },
		layer: { type: 'string' },
		crs: { type: 'string' },
		map: { type: 'string', multiple: true },
		sheet: { type: 'string' },
		status: { type: 'string' },
		kind: { type: 'string' },
		append: { type: 'boolean', default: false },
		'dry-run': { type: 'boolean', default: false },
		'regions-dir': { type: 'string' }
	}
});

const [path] = positionals;
if (!path || !values.region || !values.layer) fail(usage);
if (!(MAPPABLE_LAYERS as readonly string[]).includes(values.layer)) {
	fail(
		`--layer ${values.layer}: expected one of ${MAPPABLE_LAYERS.join(', ')} (the walking network is added with npm run region:build -- --osm <file>)`
	);
}
const layer = values.layer as MappableLayer;
const regionsDir = values['regions-dir'] ? resolve(values['regions-dir']) : defaultRegionsDir();
const columnMap: Record<string, string> = {};
for (const pair of values.map ?? []) {
	const [field, column] = pair.split('=');
	if (!field || !column) fail(`--map ${pair}: expected field=column, e.g. --map households=总户数`);
	columnMap[field.trim()] = column.trim();
}

const file = basename(path);
let meta;
try {
	meta = readRegionMeta(regionsDir, values.region);
} catch (error) {
	fail(`region "${values.region}": ${(error as Error).message}`);
}

let outcome;
try {
	outcome = await importFile(file, new Uint8Array(readFileSync(path)), {
		layer,
		crs: values.crs,
		columnMap,
		sheet: values.sheet,
		defaults: { status: values.status, kind: values.kind, source: file },
		expectedBbox: meta.bbox
	});
} catch (error) {
	if (error instanceof ImportError) {
		for (const issue of error.issues) console.error(formatIssue(issue));
		fail(`import failed (${error.code}): ${error.message}\nThe region was not changed.`);
	}
	throw error;
}

for (const issue of outcome.issues) console.log(formatIssue(issue));
const count = (action: string) => outcome.issues.filter((issue) => issue.action === action).length;
console.log(
	`${file}: ${outcome.format}, ${outcome.features.length} features for layer "${layer}"; ` +
		`${count('rejected')} rejected, ${count('repaired')} repaired, ${count('warning')} warnings`
);
if (outcome.crs)
	console.log(`coordinates: ${outcome.crs.crs} (${outcome.crs.how}: ${outcome.crs.reason})`);
console.log(
	`columns: ${Object.entries(outcome.columnMap)
		.map(([field, column]) => `${field}←${column}`)
		.join(', ')}`
);
if (outcome.unmappedColumns.length > 0)
	console.log(`not used: ${outcome.unmappedColumns.join(', ')}`);

if (values['dry-run']) {
	console.log('--dry-run: nothing written.');
	process.exit(0);
}

let features = outcome.features;
if (values.append) {
	const existing = (readRegion(regionsDir, values.region).layers[layer] ?? []) as typeof features;
	const taken = new Set(existing.map((feature) => feature.properties.id));
	const clash = features.find((feature) => taken.has(feature.properties.id));
	if (clash)
		fail(
			`--append: id "${clash.properties.id}" already exists in layer "${layer}"; use --map id=<column> or rename. The region was not changed.`
		);
	features = [...existing, ...features];
}

const sourceId = `import-${layer}-${file}`;
writeLayer(regionsDir, values.region, layer, features, (current) => ({
	...current,
	sources: [
		...current.sources.filter((source) => source.id !== sourceId),
		{
			id: sourceId,
			title: file,
			origin: `imported with npm run import (${outcome.format})`,
			licence: 'as supplied by the user',
			usedFor: [layer]
		}
	]
}));
console.log(
	`wrote ${features.length} features to data/regions/${values.region}/${meta.layers[layer] ?? `${layer}.geojson`}`
);
