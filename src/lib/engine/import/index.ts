/**
 * One entry for every import: bytes of a user's file in, validated region features out, with
 * every rejected or repaired record reported. Nothing here writes: the caller (CLI, server)
 * stores the result only when this returns, so a failed import leaves the region untouched.
 *
 *   file → reader (by content/extension) → RawTable → CRS (override › declared › detected)
 *        → mapLayer (aliases, coercion, geometry repair, zod) → features + issues
 */
import { detectCrs, parseCrs, toWgs84, type CrsId } from '../crs/index.ts';
import type { LayerFeature } from '../region/schema.ts';
import type { MappableLayer } from './aliases.ts';
import { readCsv } from './csv.ts';
import { readGeoJson } from './geojson.ts';
import { mapLayer, sampleCoordinates, type MapLayerOptions } from './map-layer.ts';
import type { RawTable } from './raw.ts';
import { ImportError, type ImportIssue } from './report.ts';
import { readZippedShapefile } from './shapefile.ts';
import { readXlsx } from './xlsx.ts';
import { TextDecoder } from '../text.ts';
import { checkInsideRegion, findDuplicates, resolveStreetNames } from './integrity.ts';
import { FIELD_ALIASES, fieldLabel } from './aliases.ts';

export type { ImportIssue } from './report.ts';
export { ImportError, formatIssue } from './report.ts';

export const TABLE_FORMATS = ['csv', 'xlsx', 'geojson', 'shapefile'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export interface ImportFileOptions {
	layer: MappableLayer;
	/** Coordinate system of the file, overriding what it declares and what detection suggests. */
	crs?: string;
	/** Target field → source column, overriding the header aliases. */
	columnMap?: Record<string, string>;
	sheet?: string;
	defaults?: MapLayerOptions['defaults'];
	idPrefix?: string;
	/**
	 * Region bbox [w, s, e, n]: helps pick a CRS, flags features outside the region and refuses
	 * a file whose features are mostly outside it (OUTSIDE_REGION).
	 */
	expectedBbox?: [number, number, number, number];
	/** The region's streets: a 所属街道 name fills a missing street code. */
	streets?: { code: string; name: string }[];
	/**
	 * Keep records that repeat an id or a name (ids get a suffix); by default such a file is
	 * refused (DUPLICATE_RECORDS) with both rows of every pair.
	 */
	keepDuplicates?: boolean;
}

export interface CrsDecision {
	crs: CrsId;
	/** How it was chosen: given by the user, declared by the file, or detected from the numbers. */
	how: 'override' | 'declared' | 'detected' | 'assumed';
	reason: string;
}

export interface ImportOutcome<L extends MappableLayer> {
	file: string;
	format: TableFormat;
	layer: L;
	features: LayerFeature[L][];
	issues: ImportIssue[];
	crs: CrsDecision | null;
	columnMap: Record<string, string>;
	unmappedColumns: string[];
}

/** Decide the format from the content first (zip, xlsx, JSON), then from the extension. */
export function detectTableFormat(file: string, bytes: Uint8Array): TableFormat {
	const lower = file.toLowerCase();
	const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
	if (isZip) {
		if (lower.endsWith('.xlsx')) return 'xlsx';
		if (lower.endsWith('.zip') || lower.endsWith('.shp.zip')) return 'shapefile';
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			'is a zip archive: name it .xlsx (Excel) or .zip (zipped Shapefile)'
		);
	}
	if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
	if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
	if (lower.endsWith('.xlsx')) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			'is not a valid .xlsx workbook (an .xlsx file is a zip archive); save it again from Excel'
		);
	}
	if (lower.endsWith('.xls')) {
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			'is an old Excel .xls workbook: save it as .xlsx or .csv'
		);
	}
	if (lower.endsWith('.shp') || lower.endsWith('.dbf')) {
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			'is one part of a Shapefile: zip the .shp, .shx, .dbf, .prj and .cpg together and import the .zip'
		);
	}
	throw new ImportError(
		'UNSUPPORTED_FORMAT',
		file,
		'has an unknown format: expected .xlsx, .csv, .geojson or a zipped Shapefile (.zip)'
	);
}

async function readTable(
	file: string,
	bytes: Uint8Array,
	format: TableFormat,
	sheet?: string
): Promise<RawTable> {
	switch (format) {
		case 'csv':
			return readCsv(bytes, file);
		case 'xlsx':
			return readXlsx(bytes, file, { sheet });
		case 'geojson':
			return readGeoJson(new TextDecoder('utf-8').decode(bytes), file);
		case 'shapefile':
			return readZippedShapefile(bytes, file);
	}
}

function fileIssue(
	file: string,
	rowKind: 'row' | 'feature',
	reason: string,
	action: ImportIssue['action'] = 'warning'
): ImportIssue {
	return { file, row: 0, rowKind, field: '', value: undefined, reason, action };
}

/**
 * Import one file into one layer.
 *
 * @param file  file name as the user knows it (used in every message)
 * @param bytes file content
 * @param options layer, optional CRS override, column map, region bbox
 * @returns features in WGS84 plus every issue; throws `ImportError` when the file cannot be
 *   trusted as a whole (UNSUPPORTED_FORMAT, UNREADABLE_FILE, WRONG_STRUCTURE, MISSING_COLUMN,
 *   UNKNOWN_CRS, NO_USABLE_ROWS).
 * @example
 *   const outcome = await importFile('小区名单.xlsx', bytes, { layer: 'residential', expectedBbox: region.bbox });
 */
export async function importFile<L extends MappableLayer>(
	file: string,
	bytes: Uint8Array,
	options: ImportFileOptions & { layer: L }
): Promise<ImportOutcome<L>> {
	if (bytes.length === 0) throw new ImportError('UNREADABLE_FILE', file, 'is empty (0 bytes)');
	const format = detectTableFormat(file, bytes);
	const raw = await readTable(file, bytes, format, options.sheet);
	const mapOptions: MapLayerOptions = {
		columnMap: options.columnMap,
		defaults: options.defaults,
		idPrefix: options.idPrefix
	};

	// The CRS is decided on the file's own numbers before mapping, which rejects non-WGS84 positions.
	const crs = decideCrs(
		file,
		raw,
		sampleCoordinates(raw, options.layer, { columnMap: options.columnMap }),
		options
	);
	const geographic = crs.crs === 'EPSG:4326' || crs.crs === 'EPSG:4490';
	const mapped = mapLayer(
		raw,
		options.layer,
		geographic ? mapOptions : { ...mapOptions, toWgs84: toWgs84(crs.crs) }
	);

	const issues = [...mapped.issues];
	if (crs.how === 'assumed') issues.unshift(fileIssue(file, raw.rowKind, crs.reason));
	let features = mapped.features as LayerFeature[L][];
	if (options.streets && options.layer !== 'boundaries') {
		const resolved = resolveStreetNames(
			file,
			raw.rowKind,
			features as (LayerFeature['residential'] | LayerFeature['facilities'])[],
			mapped.sourceRows,
			mapped.streetNames,
			options.streets
		);
		features = resolved.features as LayerFeature[L][];
		issues.push(...resolved.issues);
	}
	issues.push(...missingColumnWarnings(file, raw.rowKind, options.layer, mapped.columnMap));
	if (mapped.unmappedColumns.length > 0)
		issues.push(
			fileIssue(
				file,
				raw.rowKind,
				`未使用的列 / columns not used: ${mapped.unmappedColumns.join(', ')} — map one with --map <field>=<column> if it holds a field`
			)
		);
	if (options.expectedBbox)
		issues.push(
			...checkInsideRegion(
				file,
				raw.rowKind,
				features,
				mapped.sourceRows,
				options.expectedBbox,
				crs.crs
			)
		);
	if (options.layer !== 'boundaries') {
		const duplicates = findDuplicates(
			file,
			raw.rowKind,
			features as (LayerFeature['residential'] | LayerFeature['facilities'])[],
			mapped.sourceRows,
			mapped.duplicateIds,
			(index) => mapped.streetNames[(features[index].properties as { id: string }).id] ?? null
		);
		if (duplicates.length > 0 && !options.keepDuplicates) {
			throw new ImportError(
				'DUPLICATE_RECORDS',
				file,
				`${duplicates.length} 条重复记录 / ${duplicates.length} repeated record(s): ${duplicates
					.slice(0, 5)
					.map((issue) => issue.reason.replace(/^[^/]*\/ /, ''))
					.join(
						'; '
					)}${duplicates.length > 5 ? '; …' : ''}. Make every id and name distinct (add the street or a 期/区 suffix), or import anyway with --keep-duplicates. 导入已拒绝，区域未改动 / Import refused; the region is unchanged.`,
				[...issues, ...duplicates]
			);
		}
		issues.push(...duplicates.map((issue) => ({ ...issue, action: 'warning' as const })));
	}
	return {
		file,
		format,
		layer: options.layer,
		features,
		issues,
		crs,
		columnMap: mapped.columnMap,
		unmappedColumns: mapped.unmappedColumns
	};
}

/** Fields a layer can do without, but whose absence changes every verdict: said once per file. */
const CONSEQUENTIAL_FIELDS: Partial<Record<MappableLayer, Record<string, string>>> = {
	residential: {
		households:
			'户数未知：配建面积要求无法计算 / households unknown for every row: the required care floor area cannot be computed',
		elders:
			'老年人口未知：覆盖的老年人数无法统计 / elders unknown for every row: elders covered cannot be counted',
		status:
			'无建成状态列：全部按既有小区（15 m²/百户）核算 / no status column: every row is judged as an existing compound (the existing-area rate)'
	},
	facilities: {
		floorAreaM2:
			'建筑面积未知：站点规模与配建面积无法核算 / floor area unknown for every row: station size and provided area cannot be checked'
	}
};

function missingColumnWarnings(
	file: string,
	rowKind: 'row' | 'feature',
	layer: MappableLayer,
	columns: Record<string, string>
): ImportIssue[] {
	return Object.entries(CONSEQUENTIAL_FIELDS[layer] ?? {})
		.filter(([field]) => columns[field] === undefined)
		.map(([field, consequence]) => ({
			...fileIssue(
				file,
				rowKind,
				`${consequence}. No column for "${fieldLabel(layer, field)}" (expected one of: ${FIELD_ALIASES[layer][field].join(', ')}); map one with --map ${field}=<column>`
			),
			field
		}));
}

function decideCrs(
	file: string,
	raw: RawTable,
	sample: [number, number][],
	options: ImportFileOptions
): CrsDecision {
	if (options.crs) {
		const crs = parseCrs(options.crs);
		if (!crs) {
			throw new ImportError(
				'UNKNOWN_CRS',
				file,
				`--crs "${options.crs}" is not a known coordinate system: use wgs84, gcj02, bd09, cgcs2000, EPSG:4513–4554 (CGCS2000 3° Gauss–Krüger) or EPSG:32649–32651 (UTM)`
			);
		}
		return { crs, how: 'override', reason: `given: ${options.crs}` };
	}
	const declared = raw.declaredCrs ? parseCrs(raw.declaredCrs) : null;
	if (raw.declaredCrs && !declared) {
		throw new ImportError(
			'UNKNOWN_CRS',
			file,
			`declares a coordinate system that is not supported (${raw.declaredCrs.slice(0, 120)}): pass --crs to say which one it is`
		);
	}
	if (sample.length === 0)
		return {
			crs: declared ?? 'EPSG:4326',
			how: declared ? 'declared' : 'assumed',
			reason: 'no coordinates to check'
		};
	const detected = detectCrs(sample, { declared, expectedBbox: options.expectedBbox });
	if (declared) return { crs: declared, how: 'declared', reason: detected.reason };
	if (!detected.crs || detected.confidence === 'unknown') {
		throw new ImportError(
			'UNKNOWN_CRS',
			file,
			`coordinates such as ${JSON.stringify(sample[0])} are in an unknown coordinate system (${detected.reason}): pass --crs (wgs84, gcj02, bd09, EPSG:4528 …)`
		);
	}
	if (detected.confidence === 'ambiguous') {
		return {
			crs: detected.crs,
			how: 'assumed',
			reason: [detected.reason, ...detected.warnings].join(' ')
		};
	}
	return { crs: detected.crs, how: 'detected', reason: detected.reason };
}
