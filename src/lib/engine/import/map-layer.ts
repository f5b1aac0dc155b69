/**
 * The mapping step: a `RawTable` from any reader → validated features of one region layer.
 * Columns are found through the aliases (or an explicit column map), values are coerced the
 * way Chinese spreadsheets write them ("1,200户", full-width digits, "—" for unknown),
 * coordinates are un-swapped, transformed and repaired, and every feature is validated with the
 * region schema. Each rejected or repaired value is reported; a bad value empties one field
 * but keeps the row, a row without a name or a location is rejected.
 */
import { layerFeatureSchemas, type LayerFeature } from '../region/schema.ts';
import {
	BOUNDARY_LEVEL_VALUES,
	FACILITY_KIND_VALUES,
	FACILITY_STATUS_VALUES,
	FIELD_ALIASES,
	REQUIRED_FIELDS,
	RESIDENTIAL_STATUS_VALUES,
	aliasesOf,
	fieldLabel,
	matchValue,
	normalizeHeader,
	type MappableLayer
} from './aliases.ts';
import { listRows } from './csv.ts';
import {
	mapPositions,
	positionsOf,
	readGeometry,
	repairGeometry,
	type AreaOrPoint,
	type GeometryTarget,
	type Position
} from './geometry-repair.ts';
import type { RawRecord, RawTable } from './raw.ts';
import { ImportError, formatIssue, type ImportIssue } from './report.ts';

export type { MappableLayer } from './aliases.ts';

/** Options of `mapLayer`. */
export interface MapLayerOptions {
	/** Target field → source column, overriding the aliases (CLI `--map name=小区名`). */
	columnMap?: Record<string, string>;
	/** File coordinates → WGS84 [lon, lat]; default: the file is WGS84 already. */
	toWgs84?: (xy: [number, number]) => [number, number];
	/** Values for rows (or files) without them: status (e.g. '既有'), facility kind, source. */
	defaults?: {
		status?: string;
		kind?: string;
		source?: string;
		/** Name for records without one (a region outline drawn without attributes). */
		name?: string;
		/** Boundary level for records without one and without a code to infer it from. */
		level?: 'district' | 'street' | 'community';
	};
	/** Prefix of generated ids (`${idPrefix}-${row}`); default: the layer name. */
	idPrefix?: string;
}

/** Result of `mapLayer`. */
export interface MappedLayer<L extends MappableLayer = MappableLayer> {
	/** Valid features of the layer, in WGS84, in file order. */
	features: LayerFeature[L][];
	/** The reader's issues followed by the mapping issues. */
	issues: ImportIssue[];
	/** Resolved target field → source column. */
	columnMap: Record<string, string>;
	/** Source columns no target field uses. */
	unmappedColumns: string[];
	/** Up to 200 coordinates (one per record, before `toWgs84`, lon/lat swaps undone) for CRS detection. */
	coordinateSample: [number, number][];
	/** Feature id → street name from a 街道/所属街道 column, for matching to street codes later. */
	streetNames: Record<string, string>;
	/** Source row (or feature index) of each feature, parallel to `features`, for later messages. */
	sourceRows: number[];
	/** Ids the file gives twice (or more): the id and the rows of its first and repeated use. */
	duplicateIds: { id: string; rows: [number, number] }[];
}

const SAMPLE_SIZE = 200;
/** Cells that mean "not known" in Chinese spreadsheets: empty, no issue. */
const EMPTY_TOKENS = new Set(['', '-', '--', '—', '——', '–', '无', '/', '\\', '暂无', 'n/a']);
/** Unit words allowed after a number ("1200户", "1800㎡" → NFKC "1800m2"). */
const NUMBER_WITH_UNIT =
	/^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:户|人|个|张|床|位|座|间|套|处|所|平方米|平米|米2|m2|sqm)?$/;
const ADMIN_CODE = /^\d{6}(\d{3}(\d{3})?)?$/;

const GEOMETRY_TARGET: Record<MappableLayer, GeometryTarget> = {
	residential: 'pointOrArea',
	facilities: 'point',
	boundaries: 'area'
};

/** What a numeric field holds, for messages; `integer` fields are counts. */
const NUMBER_FIELDS: Record<string, { expected: string; integer: boolean }> = {
	households: { expected: 'a whole number of households (户)', integer: true },
	elders: { expected: 'a whole number of persons aged 60+', integer: true },
	'eldersByClass.guaranteed': { expected: 'a whole number of persons', integer: true },
	'eldersByClass.disabledOrDementia': { expected: 'a whole number of persons', integer: true },
	'eldersByClass.specialHardship': { expected: 'a whole number of persons', integer: true },
	'eldersByClass.other': { expected: 'a whole number of persons', integer: true },
	floorAreaM2: { expected: 'a floor area in m²', integer: false },
	landAreaM2: { expected: 'a land area in m²', integer: false },
	beds: { expected: 'a whole number of beds', integer: true },
	nursingBeds: { expected: 'a whole number of nursing beds', integer: true },
	population: { expected: 'a whole number of residents', integer: true },
	lon: { expected: 'a longitude (or x) number', integer: false },
	lat: { expected: 'a latitude (or y) number', integer: false }
};

function isEmptyValue(value: unknown): boolean {
	if (value === null || value === undefined) return true;
	return (
		typeof value === 'string' && EMPTY_TOKENS.has(value.normalize('NFKC').trim().toLowerCase())
	);
}

/** Text of a cell: trimmed string, numbers without exponent; null when empty. */
function textOf(value: unknown): string | null {
	if (isEmptyValue(value)) return null;
	if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
	const text = String(value).trim();
	return text === '' ? null : text;
}

type Parsed<T> = { value: T | null; problem?: string };

/** Separators between compound names in one 所属小区 / 服务小区 cell. */
const COMPOUND_SEPARATORS = /[、，,;；\s]+/;

/**
 * The compounds one facility's 所属小区 / 服务小区 cell names: ids or names as written, split on
 * 、，,;； and spaces (full-width ones too), each once, in order. Empty tokens ("", "—", "无") → [].
 * @example parseCompoundList('崂山五村、乳山二村 ; 招远小区') // ['崂山五村', '乳山二村', '招远小区']
 */
export function parseCompoundList(value: unknown): string[] {
	const text = textOf(value);
	if (text === null) return [];
	const names = text
		.split(COMPOUND_SEPARATORS)
		.map((name) => name.trim())
		.filter((name) => name !== '' && !isEmptyValue(name));
	return [...new Set(names)];
}

/**
 * Parse a number as Chinese spreadsheets write it: "1,200", "1200户", " 1200 ", "１２００",
 * "1200.0", "1800㎡". Empty tokens ("", "-", "—", "无", "/") → null without a problem.
 */
export function parseNumber(value: unknown, integer: boolean, expected: string): Parsed<number> {
	if (isEmptyValue(value)) return { value: null };
	let n: number;
	if (typeof value === 'number') n = value;
	else {
		const text = String(value).normalize('NFKC').replace(/[\s,]/g, '');
		const match = NUMBER_WITH_UNIT.exec(text);
		if (!match) return { value: null, problem: `not a number: expected ${expected}; left empty` };
		n = Number(match[1]);
	}
	if (!Number.isFinite(n))
		return { value: null, problem: `not a number: expected ${expected}; left empty` };
	if (n < 0)
		return { value: null, problem: `negative: expected ${expected}, 0 or more; left empty` };
	if (integer && !Number.isInteger(n))
		return { value: null, problem: `not a whole number: expected ${expected}; left empty` };
	return { value: n };
}

/** Year from 2005, "2005", "2005年", "2005-06-01", "2005/6", "1990年代". */
export function parseYear(value: unknown): Parsed<number> {
	if (isEmptyValue(value)) return { value: null };
	const text = String(value).normalize('NFKC').replace(/\s/g, '');
	const match =
		/^(\d{4})(?:\.0+|年代?|年\d{1,2}月(?:\d{1,2}日)?|[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?$/.exec(text);
	const year = match ? Number(match[1]) : NaN;
	if (!(year >= 1800 && year <= 2100))
		return {
			value: null,
			problem: 'not a year: expected a year between 1800 and 2100 (e.g. 2005 or 2005年); left empty'
		};
	return { value: year };
}

/** GB/T 2260 code; a 12-digit street code ending in 000 (统计用区划代码 style) is shortened. */
export function parseAdminCode(
	value: unknown,
	expectedDigits?: 9
): Parsed<string> & { shortened?: boolean } {
	const text = textOf(value)?.normalize('NFKC').replace(/\s/g, '') ?? null;
	if (text === null) return { value: null };
	if (expectedDigits === 9 && /^\d{9}000$/.test(text))
		return { value: text.slice(0, 9), shortened: true };
	if (!ADMIN_CODE.test(text))
		return {
			value: null,
			problem: 'not a GB/T 2260 code: expected 6, 9 or 12 digits (e.g. 370212001); left empty'
		};
	return { value: text };
}

/** Coordinates of China (lon 73–136°E, lat 3–54°N): used only to recognise swapped columns. */
const inChina = ([x, y]: Position) => x >= 73 && x <= 136 && y >= 3 && y <= 54;

/** One canonical value and its spellings, for "expected one of" messages. */
function allowedValues(table: Record<string, readonly string[]>): string {
	return Object.entries(table)
		.map(
			([canonical, spellings]) =>
				`${canonical} (${spellings.filter((s) => s !== canonical).join('、')})`
		)
		.join('; ');
}

/**
 * Resolve target field → source column: the explicit map first, then for each remaining field
 * the column matching its earliest alias (ties: the leftmost column). A column serves one field.
 */
function resolveColumns(
	raw: RawTable,
	layer: MappableLayer,
	explicit: Record<string, string>
): Record<string, string> {
	const targets = Object.keys(FIELD_ALIASES[layer]);
	const resolved: Record<string, string> = {};
	const used = new Set<string>();
	for (const [target, column] of Object.entries(explicit)) {
		if (!targets.includes(target)) {
			throw new ImportError(
				'MISSING_COLUMN',
				raw.file,
				`--map ${target}=${column}: "${target}" is not a field of the ${layer} layer (fields: ${targets.join(', ')})`
			);
		}
		if (!raw.fields.includes(column)) {
			throw new ImportError(
				'MISSING_COLUMN',
				raw.file,
				`--map ${target}=${column}: there is no column "${column}"; found columns: ${raw.fields.join(', ')}`
			);
		}
		resolved[target] = column;
		used.add(column);
	}
	const normalized = raw.fields.map(normalizeHeader);
	for (const target of targets) {
		if (resolved[target] !== undefined) continue;
		const aliases = aliasesOf(layer).get(target)!;
		let best: { rank: number; column: string } | null = null;
		raw.fields.forEach((column, i) => {
			if (used.has(column)) return;
			const rank = aliases.indexOf(normalized[i]);
			if (rank >= 0 && (!best || rank < best.rank)) best = { rank, column };
		});
		if (best) {
			resolved[target] = (best as { column: string }).column;
			used.add(resolved[target]);
		}
	}
	return resolved;
}

/**
 * Map a raw table onto one region layer.
 *
 * Rows: a row without a name, or without usable geometry/coordinates, is rejected; a bad value
 * (non-numeric, negative, fractional count, malformed code) empties that field with a
 * 'rejected' issue and keeps the row. Swapped lon/lat columns (China) are swapped back,
 * rings are closed, bow-ties split, a facility polygon becomes its centroid ('repaired').
 * Status missing → `defaults.status` or 'existing' (one warning for the file). Facility kind
 * missing or unknown → row rejected. Ids come from the id column, else `${idPrefix}-${row}`;
 * duplicates get a suffix. `properties.source` = source column › `defaults.source` › file name.
 *
 * @param raw a reader's table (`readCsv`, `readXlsx`, `readGeoJson`, Shapefile reader)
 * @param layer target layer
 * @param options column map, coordinate transform (default: identity, i.e. WGS84), defaults,
 *   id prefix (default: the layer name)
 * @returns features validated with `layerFeatureSchemas[layer]`, issues, the resolved column
 *   map, unmapped columns and a coordinate sample for CRS detection
 * @throws ImportError MISSING_COLUMN (no name column; no lon/lat in a table without geometry;
 *   no kind column for facilities without `defaults.kind`; a `columnMap` naming an unknown
 *   field or column), WRONG_STRUCTURE (boundaries from a table without geometry, an unknown
 *   default), NO_USABLE_ROWS (every row rejected; `issues` attached)
 * @example
 *   const { features, issues } = mapLayer(readCsv(bytes, '小区.csv'), 'residential', { defaults: { status: '既有' } });
 */
export function mapLayer<L extends MappableLayer>(
	raw: RawTable,
	layer: L,
	options: MapLayerOptions = {}
): MappedLayer<L> {
	const file = raw.file;
	const columns = resolveColumns(raw, layer, options.columnMap ?? {});
	const hasGeometry = raw.records.some((r) => r.geometry !== null);
	checkRequiredColumns(raw, layer, columns, hasGeometry, options);
	const defaults = resolveDefaults(file, layer, options.defaults ?? {});

	const issues: ImportIssue[] = [...raw.issues];
	const accepted: {
		record: RawRecord;
		feature: Record<string, unknown>;
		properties: Record<string, unknown>;
	}[] = [];
	const coordinateSample: [number, number][] = [];
	const assumedStatusRows: number[] = [];
	const inferredLevelRows: number[] = [];
	const derivedParentRows: number[] = [];
	const streetNameByRow = new Map<number, string>();

	for (const record of raw.records) {
		const rowIssues: ImportIssue[] = [];
		const note = (field: string, value: unknown, reason: string, action: ImportIssue['action']) =>
			rowIssues.push({ file, row: record.row, rowKind: raw.rowKind, field, value, reason, action });
		const cell = (target: string): unknown =>
			columns[target] === undefined ? undefined : record.properties[columns[target]];
		const reject = (field: string, value: unknown, reason: string) => {
			note(field, value, reason, 'rejected');
			issues.push(...rowIssues);
		};

		// ---- name
		const name = textOf(cell('name')) ?? options.defaults?.name?.trim() ?? null;
		if (name === null) {
			reject(columns.name, cell('name') ?? null, 'no name: a record needs a name; row skipped');
			continue;
		}

		// ---- geometry (file coordinates → swap check → WGS84 → repair)
		const located = locate(record, columns, layer);
		if ('reason' in located) {
			reject(located.field, located.value, located.reason);
			continue;
		}
		let geometry = located.geometry;
		for (const n of located.notes) note('geometry', undefined, n.reason, n.action);
		const positions = positionsOf(geometry);
		if (positions.every((p) => !inChina(p) && inChina([p[1], p[0]]))) {
			const before = positions[0];
			geometry = mapPositions(geometry, ([x, y]) => [y, x]);
			const field = record.geometry ? 'geometry' : `${columns.lon}/${columns.lat}`;
			note(
				field,
				before,
				`longitude and latitude are swapped (${before[0]} is a latitude and ${before[1]} a longitude in China): swapped back`,
				'repaired'
			);
		}
		if (coordinateSample.length < SAMPLE_SIZE) coordinateSample.push([...positionsOf(geometry)[0]]);
		if (options.toWgs84) {
			const transform = options.toWgs84;
			geometry = mapPositions(geometry, (p) => transform(p));
		}
		const outOfRange = positionsOf(geometry).find(
			([x, y]) => !(Math.abs(x) <= 180 && Math.abs(y) <= 90)
		);
		if (outOfRange) {
			reject(
				'geometry',
				outOfRange,
				"coordinates are not WGS84 longitude/latitude: give the file's coordinate system (--crs, e.g. EPSG:4549 for CGCS2000 zone 40) so they can be converted"
			);
			continue;
		}
		const repaired = repairGeometry(geometry, GEOMETRY_TARGET[layer]);
		for (const n of repaired.notes) note('geometry', undefined, n.reason, n.action);
		if (!repaired.geometry) {
			issues.push(...rowIssues);
			continue;
		}

		// ---- layer fields
		const properties: Record<string, unknown> = { name };
		const number = (target: string): number | null => {
			if (columns[target] === undefined) return null;
			const spec = NUMBER_FIELDS[target];
			const parsed = parseNumber(cell(target), spec.integer, spec.expected);
			if (parsed.problem) note(columns[target], cell(target), parsed.problem, 'rejected');
			return parsed.value;
		};
		const code = (target: string, digits?: 9): string | null => {
			if (columns[target] === undefined) return null;
			const parsed = parseAdminCode(cell(target), digits);
			if (parsed.problem) note(columns[target], cell(target), parsed.problem, 'rejected');
			if (parsed.shortened)
				note(
					columns[target],
					cell(target),
					`12-digit code read as the street code ${parsed.value}`,
					'repaired'
				);
			return parsed.value;
		};
		const status = (table: Record<string, readonly string[]>): string | null | 'rejected' => {
			const value = cell('status');
			if (isEmptyValue(value)) {
				if (defaults.status) return defaults.status;
				assumedStatusRows.push(record.row);
				return 'existing';
			}
			const matched = matchValue(table, value);
			if (matched) return matched;
			reject(
				columns.status,
				value,
				`unknown status: expected one of ${allowedValues(table)}; row skipped`
			);
			return 'rejected';
		};
		const source = textOf(cell('source')) ?? defaults.source ?? file;

		if (layer === 'residential' || layer === 'facilities') {
			const street = textOf(cell('streetName'));
			if (street) streetNameByRow.set(record.row, street);
		}
		if (layer === 'residential') {
			properties.households = number('households');
			properties.elders = number('elders');
			const byClass: Record<string, number> = {};
			for (const elderClass of ['guaranteed', 'disabledOrDementia', 'specialHardship', 'other']) {
				const value = number(`eldersByClass.${elderClass}`);
				if (value !== null) byClass[elderClass] = value;
			}
			if (Object.keys(byClass).length > 0) properties.eldersByClass = byClass;
			const s = status(RESIDENTIAL_STATUS_VALUES);
			if (s === 'rejected') continue;
			properties.status = s;
			if (columns.builtYear !== undefined) {
				const year = parseYear(cell('builtYear'));
				if (year.problem) note(columns.builtYear, cell('builtYear'), year.problem, 'rejected');
				properties.builtYear = year.value;
			} else properties.builtYear = null;
			properties.streetCode = code('streetCode', 9);
			const community = textOf(cell('communityName'));
			if (community) properties.communityName = community;
			properties.source = source;
		} else if (layer === 'facilities') {
			const kindValue = cell('kind');
			const kind = isEmptyValue(kindValue)
				? defaults.kind
				: matchValue(FACILITY_KIND_VALUES, kindValue);
			if (!kind) {
				const what = isEmptyValue(kindValue) ? 'no facility kind' : 'unknown facility kind';
				reject(
					columns.kind ?? 'kind',
					kindValue ?? null,
					`${what}: expected one of ${allowedValues(FACILITY_KIND_VALUES)}; row skipped`
				);
				continue;
			}
			properties.kind = kind;
			properties.floorAreaM2 = number('floorAreaM2');
			properties.landAreaM2 = number('landAreaM2');
			properties.beds = number('beds');
			properties.nursingBeds = number('nursingBeds');
			const s = status(FACILITY_STATUS_VALUES);
			if (s === 'rejected') continue;
			properties.status = s;
			properties.streetCode = code('streetCode', 9);
			const serves = parseCompoundList(cell('servesCompounds'));
			if (serves.length > 0) properties.servesCompounds = serves;
			properties.source = source;
		} else {
			const levelValue = cell('level');
			const ownCode = code('code');
			let level = isEmptyValue(levelValue) ? null : matchValue(BOUNDARY_LEVEL_VALUES, levelValue);
			if (!level && isEmptyValue(levelValue) && !ownCode && options.defaults?.level)
				level = options.defaults.level;
			if (!level && isEmptyValue(levelValue) && ownCode) {
				level = ({ 6: 'district', 9: 'street', 12: 'community' } as const)[
					ownCode.length as 6 | 9 | 12
				];
				inferredLevelRows.push(record.row);
			}
			if (!level) {
				const what = isEmptyValue(levelValue)
					? 'no level and no code to infer it from'
					: 'unknown level';
				reject(
					columns.level ?? 'level',
					levelValue ?? null,
					`${what}: expected one of ${allowedValues(BOUNDARY_LEVEL_VALUES)}; row skipped`
				);
				continue;
			}
			properties.level = level;
			properties.code = ownCode;
			let parent = code('parentCode');
			if (parent === null && ownCode && ownCode.length > 6 && isEmptyValue(cell('parentCode'))) {
				parent = ownCode.slice(0, ownCode.length - 3);
				derivedParentRows.push(record.row);
			}
			properties.parentCode = parent;
			if (columns.population !== undefined) properties.population = number('population');
			if (columns.elders !== undefined) properties.elders = number('elders');
			properties.source = source;
		}
		issues.push(...rowIssues);
		accepted.push({
			record,
			feature: { type: 'Feature', geometry: repaired.geometry as AreaOrPoint, properties },
			properties
		});
	}

	// ---- ids (residential, facilities): id column, else prefix-row; duplicates get a suffix
	const duplicateIds: MappedLayer['duplicateIds'] = [];
	if (layer !== 'boundaries')
		assignIds(
			accepted,
			columns,
			options.idPrefix ?? layer,
			file,
			raw.rowKind,
			issues,
			duplicateIds
		);

	// ---- file-level warnings: one line each, naming how many rows
	const fileWarning = (rows: number[], field: string, reason: string) => {
		if (rows.length > 0)
			issues.push({
				file,
				row: rows[0],
				rowKind: raw.rowKind,
				field,
				value: undefined,
				reason,
				action: 'warning'
			});
	};
	const unit = raw.rowKind === 'row' ? 'rows' : 'features';
	fileWarning(
		assumedStatusRows,
		columns.status ?? 'status',
		`${assumedStatusRows.length} ${unit} have no status; assumed "existing" (既有) for ${unit} ${listRows(assumedStatusRows)} — add a 状态/类型 column or give a default status`
	);
	fileWarning(
		inferredLevelRows,
		columns.level ?? 'level',
		`${inferredLevelRows.length} ${unit} have no level; inferred from the code length (6 digits → district, 9 → street, 12 → community) for ${unit} ${listRows(inferredLevelRows)}`
	);
	fileWarning(
		derivedParentRows,
		columns.parentCode ?? 'parentCode',
		`${derivedParentRows.length} ${unit} have no parent code; taken from the first digits of their code for ${unit} ${listRows(derivedParentRows)}`
	);

	// ---- schema validation: the region format is the final word
	const schema = layerFeatureSchemas[layer];
	const features: LayerFeature[L][] = [];
	const streetNames: Record<string, string> = {};
	const sourceRows: number[] = [];
	for (const { record, feature } of accepted) {
		const parsed = schema.safeParse(feature);
		if (!parsed.success) {
			const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
			issues.push({
				file,
				row: record.row,
				rowKind: raw.rowKind,
				field: '',
				value: undefined,
				reason: `does not fit the ${layer} format (${detail}); row skipped`,
				action: 'rejected'
			});
			continue;
		}
		features.push(parsed.data as LayerFeature[L]);
		sourceRows.push(record.row);
		const street = streetNameByRow.get(record.row);
		const id = (parsed.data.properties as { id?: string }).id;
		if (street && id) streetNames[id] = street;
	}

	if (features.length === 0) {
		const rejected = issues.filter((i) => i.action === 'rejected');
		const examples = rejected.slice(0, 3).map(formatIssue).join(' | ');
		throw new ImportError(
			'NO_USABLE_ROWS',
			file,
			`no usable ${unit}: ${raw.records.length === 0 ? 'the file has no data rows' : `all ${raw.records.length} ${unit} were rejected`}${examples ? ` (${examples})` : ''}`,
			issues
		);
	}
	const mappedColumns = new Set(Object.values(columns));
	return {
		features,
		issues,
		columnMap: columns,
		unmappedColumns: raw.fields.filter((f) => !mappedColumns.has(f)),
		coordinateSample,
		streetNames,
		sourceRows,
		duplicateIds
	};
}

function checkRequiredColumns(
	raw: RawTable,
	layer: MappableLayer,
	columns: Record<string, string>,
	hasGeometry: boolean,
	options: MapLayerOptions
): void {
	if (layer === 'boundaries' && !hasGeometry && raw.records.length > 0) {
		throw new ImportError(
			'WRONG_STRUCTURE',
			raw.file,
			'boundaries need polygons: this table has no geometry; import a GeoJSON or Shapefile of the boundaries'
		);
	}
	const required = REQUIRED_FIELDS[layer].filter(
		(f) => !(f === 'kind' && options.defaults?.kind) && !(f === 'name' && options.defaults?.name)
	);
	if (!hasGeometry && layer !== 'boundaries') required.push('lon', 'lat');
	const missing = required.filter((f) => columns[f] === undefined);
	if (missing.length === 0) return;
	const what = missing
		.map(
			(f) =>
				`no column for "${fieldLabel(layer, f)}" (expected one of: ${FIELD_ALIASES[layer][f].join(', ')})`
		)
		.join('; ');
	const found = raw.fields.length > 0 ? raw.fields.join(', ') : '(none)';
	const how = missing.map((f) => `--map ${f}=<column>`).join(' ');
	throw new ImportError(
		'MISSING_COLUMN',
		raw.file,
		`${what}; found columns: ${found}; map ${missing.length === 1 ? 'one' : 'them'} with ${how}`
	);
}

function resolveDefaults(
	file: string,
	layer: MappableLayer,
	given: NonNullable<MapLayerOptions['defaults']>
) {
	const statusTable: Record<string, readonly string[]> =
		layer === 'facilities' ? FACILITY_STATUS_VALUES : RESIDENTIAL_STATUS_VALUES;
	const status =
		given.status === undefined || layer === 'boundaries'
			? undefined
			: matchValue(statusTable, given.status);
	if (status === null)
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`default status "${given.status}" is not one of ${allowedValues(statusTable)}`
		);
	const kind = given.kind === undefined ? undefined : matchValue(FACILITY_KIND_VALUES, given.kind);
	if (kind === null)
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`default kind "${given.kind}" is not one of ${allowedValues(FACILITY_KIND_VALUES)}`
		);
	return { status, kind, source: given.source?.trim() || undefined };
}

/** Geometry of a record: its own, else a Point from the lon/lat columns. */
function locate(
	record: RawRecord,
	columns: Record<string, string>,
	layer: MappableLayer
):
	| { geometry: AreaOrPoint; notes: { action: 'repaired' | 'rejected'; reason: string }[] }
	| { field: string; value: unknown; reason: string } {
	if (record.geometry) {
		const read = readGeometry(record.geometry, GEOMETRY_TARGET[layer]);
		if ('reason' in read)
			return {
				field: 'geometry',
				value: record.geometry.type,
				reason: `${read.reason}; row skipped`
			};
		return read;
	}
	if (columns.lon === undefined || columns.lat === undefined)
		return {
			field: 'geometry',
			value: null,
			reason: 'no geometry and no coordinate columns; row skipped'
		};
	const lonValue = record.properties[columns.lon];
	const latValue = record.properties[columns.lat];
	if (isEmptyValue(lonValue) && isEmptyValue(latValue)) {
		return {
			field: `${columns.lon}/${columns.lat}`,
			value: null,
			reason: `no coordinates: "${columns.lon}" and "${columns.lat}" are empty; row skipped`
		};
	}
	const lon = parseCoordinate(lonValue);
	const lat = parseCoordinate(latValue);
	if (lon === null)
		return {
			field: columns.lon,
			value: lonValue ?? null,
			reason: `no coordinates: "${columns.lon}" is ${isEmptyValue(lonValue) ? 'empty' : 'not a number'}; row skipped`
		};
	if (lat === null)
		return {
			field: columns.lat,
			value: latValue ?? null,
			reason: `no coordinates: "${columns.lat}" is ${isEmptyValue(latValue) ? 'empty' : 'not a number'}; row skipped`
		};
	return { geometry: { type: 'Point', coordinates: [lon, lat] }, notes: [] };
}

/** A coordinate cell: number, or text with full-width digits, spaces or a trailing °. */
function parseCoordinate(value: unknown): number | null {
	if (isEmptyValue(value)) return null;
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	const text = String(value).normalize('NFKC').replace(/[\s°]/g, '');
	if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return null;
	return Number(text);
}

function assignIds(
	accepted: { record: RawRecord; properties: Record<string, unknown> }[],
	columns: Record<string, string>,
	prefix: string,
	file: string,
	rowKind: 'row' | 'feature',
	issues: ImportIssue[],
	duplicates: MappedLayer['duplicateIds']
): void {
	const firstUse = new Map<string, number>();
	for (const { record, properties } of accepted) {
		const given = columns.id === undefined ? null : textOf(record.properties[columns.id]);
		let id = given ?? `${prefix}-${record.row}`;
		const earlier = firstUse.get(id);
		if (earlier !== undefined) {
			let n = 2;
			while (firstUse.has(`${id}-${n}`)) n++;
			const renamed = `${id}-${n}`;
			issues.push({
				file,
				row: record.row,
				rowKind,
				field: columns.id ?? 'id',
				value: id,
				reason: `duplicate id (also used by ${rowKind === 'row' ? 'row' : 'feature'} ${earlier}): renamed "${renamed}"`,
				action: 'repaired'
			});
			duplicates.push({ id, rows: [earlier, record.row] });
			id = renamed;
		}
		firstUse.set(id, record.row);
		properties.id = id;
	}
}

/**
 * Up to 200 coordinates of a table (one per record, in the file's own numbers, lon/lat swaps
 * undone) without mapping or validating anything else: for CRS detection before `mapLayer`,
 * which rejects projected coordinates when no `toWgs84` is given.
 * @throws ImportError MISSING_COLUMN only for a `columnMap` naming an unknown field or column
 * @example detectCrs(sampleCoordinates(raw, 'residential'))
 */
export function sampleCoordinates(
	raw: RawTable,
	layer: MappableLayer,
	options: Pick<MapLayerOptions, 'columnMap'> = {}
): [number, number][] {
	const columns = resolveColumns(raw, layer, options.columnMap ?? {});
	const sample: [number, number][] = [];
	for (const record of raw.records) {
		if (sample.length >= SAMPLE_SIZE) break;
		const located = locate(record, columns, layer);
		if ('reason' in located) continue;
		const [x, y] = positionsOf(located.geometry)[0];
		sample.push(!inChina([x, y]) && inChina([y, x]) ? [y, x] : [x, y]);
	}
	return sample;
}
