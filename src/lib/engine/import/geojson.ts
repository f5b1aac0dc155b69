/**
 * GeoJSON reader: FeatureCollection, a single Feature or a bare geometry → `RawTable` with
 * `rowKind: 'feature'` (row = 0-based feature index). Geometry is passed through in the file's
 * own coordinates; the legacy `crs` member (GeoJSON 2008, still written by QGIS and ArcGIS for
 * projected data, e.g. `urn:ogc:def:crs:EPSG::4549`) becomes `declaredCrs`.
 */
import type { RawGeometry, RawRecord, RawTable } from './raw.ts';
import { lineAndColumnOf, tooDeepMessage } from './json-depth.ts';
import { ImportError, type ImportIssue } from './report.ts';

const GEOMETRY_TYPES = [
	'Point',
	'MultiPoint',
	'LineString',
	'MultiLineString',
	'Polygon',
	'MultiPolygon',
	'GeometryCollection'
];

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Offset of the first syntax error in JSON text, by a small recursive-descent scan. Used only
 * after `JSON.parse` failed: V8 no longer puts the position into most of its messages.
 * @returns the character offset, or -1 when the scan finds no error.
 */
export function jsonErrorPosition(text: string): number {
	let i = 0;
	// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
	const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
	const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
	const skipSpace = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const token = (pattern: RegExp) => {
		pattern.lastIndex = i;
		if (!pattern.test(text)) throw i;
		i = pattern.lastIndex;
	};
	const value = (): void => {
		skipSpace();
		const c = text[i];
		if (c === '{' || c === '[') {
			const close = c === '{' ? '}' : ']';
			i++;
			skipSpace();
			if (text[i] === close) return void i++;
			for (;;) {
				if (c === '{') {
					skipSpace();
					if (text[i] !== '"') throw i;
					token(STRING);
					skipSpace();
					if (text[i] !== ':') throw i;
					i++;
				}
				value();
				skipSpace();
				if (text[i] === ',') i++;
				else if (text[i] === close) return void i++;
				else throw i;
			}
		}
		if (c === '"') return token(STRING);
		for (const literal of ['true', 'false', 'null'])
			if (text.startsWith(literal, i)) return void (i += literal.length);
		token(NUMBER);
	};
	try {
		value();
		skipSpace();
		return i < text.length ? i : -1;
	} catch (position) {
		return position as number;
	}
}

/** `line L, column C` of a character offset (1-based), for files opened in an editor. */
function lineAndColumn(text: string, position: number): string {
	const { line, column } = lineAndColumnOf(text, position);
	return `line ${line}, column ${column}`;
}

function parseJson(text: string, file: string): unknown {
	// Before parsing: what walks a 100,000-deep result recursively overflows the stack.
	const tooDeep = tooDeepMessage(text);
	if (tooDeep) throw new ImportError('TOO_DEEP', file, tooDeep);
	try {
		return JSON.parse(text);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		if (text.trim() === '')
			throw new ImportError('UNREADABLE_FILE', file, 'invalid JSON: the file is empty');
		const position = jsonErrorPosition(text);
		const where =
			position >= 0 ? ` at ${lineAndColumn(text, position)} (character ${position})` : '';
		throw new ImportError('UNREADABLE_FILE', file, `invalid JSON${where}: ${message}`);
	}
}

/** The legacy `crs` member as a string: a `name` (URN/EPSG) or an `EPSG` code object. */
function declaredCrsOf(root: Record<string, unknown>): string | null {
	const crs = root.crs;
	if (!isObject(crs) || !isObject(crs.properties)) return null;
	if (typeof crs.properties.name === 'string') return crs.properties.name;
	if (crs.properties.code !== undefined) return `EPSG:${String(crs.properties.code)}`;
	return null;
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (isObject(value))
		return typeof value.type === 'string'
			? `an object with "type": ${JSON.stringify(value.type)}`
			: 'an object without "type"';
	return JSON.stringify(value);
}

/** Check a geometry's shape (not its validity: that is the mapping step's job). */
function geometryProblem(geometry: Record<string, unknown>): string | null {
	if (typeof geometry.type !== 'string' || !GEOMETRY_TYPES.includes(geometry.type)) {
		return `unknown geometry type ${JSON.stringify(geometry.type)} (expected one of ${GEOMETRY_TYPES.join(', ')})`;
	}
	if (geometry.type === 'GeometryCollection')
		return Array.isArray(geometry.geometries)
			? null
			: 'GeometryCollection without a "geometries" array';
	return Array.isArray(geometry.coordinates)
		? null
		: `${geometry.type} without a "coordinates" array`;
}

/**
 * Read GeoJSON text into a `RawTable`.
 * A feature's top-level `id` is kept as property `id` when the properties have none.
 * Features that are not Feature objects, or whose geometry is malformed, are reported
 * ('rejected') and left out; a feature with `geometry: null` is kept (the mapping step decides).
 * @param text the file contents (a leading BOM is ignored)
 * @param file the file name, used in every issue and error
 * @throws ImportError UNREADABLE_FILE for invalid JSON (with line, column and character
 *   position), TOO_DEEP for JSON nested deeper than `MAX_JSON_DEPTH` (checked before parsing),
 *   WRONG_STRUCTURE for JSON that is not GeoJSON
 * @example readGeoJson('{"type":"Point","coordinates":[120.4,36.1]}', 'p.geojson').records[0].geometry
 */
export function readGeoJson(text: string, file: string): RawTable {
	const root = parseJson(text.replace(/^\uFEFF/, ''), file);
	if (!isObject(root) || typeof root.type !== 'string') {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`not GeoJSON: expected an object with "type" FeatureCollection, Feature or a geometry type; found ${describe(root)}`
		);
	}
	let features: unknown[];
	if (root.type === 'FeatureCollection') {
		if (!Array.isArray(root.features)) {
			throw new ImportError(
				'WRONG_STRUCTURE',
				file,
				`not GeoJSON: a FeatureCollection needs a "features" array; found ${describe(root.features)}`
			);
		}
		features = root.features;
	} else if (root.type === 'Feature') {
		features = [root];
	} else if (GEOMETRY_TYPES.includes(root.type)) {
		features = [{ type: 'Feature', properties: {}, geometry: root }];
	} else {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`not GeoJSON: "type" is ${JSON.stringify(root.type)}; expected FeatureCollection, Feature or one of ${GEOMETRY_TYPES.join(', ')}`
		);
	}

	const issues: ImportIssue[] = [];
	const records: RawRecord[] = [];
	const fields = new Set<string>();
	features.forEach((feature, index) => {
		const reject = (field: string, value: unknown, reason: string) =>
			issues.push({
				file,
				row: index,
				rowKind: 'feature',
				field,
				value,
				reason,
				action: 'rejected'
			});
		if (!isObject(feature) || feature.type !== 'Feature') {
			reject(
				'',
				isObject(feature) ? feature.type : feature,
				`not a GeoJSON Feature: expected an object with "type": "Feature", found ${describe(feature)}`
			);
			return;
		}
		let geometry: RawGeometry | null = null;
		if (feature.geometry !== null && feature.geometry !== undefined) {
			const problem = isObject(feature.geometry)
				? geometryProblem(feature.geometry)
				: `geometry is ${describe(feature.geometry)}, expected an object`;
			if (problem) {
				reject(
					'geometry',
					isObject(feature.geometry) ? feature.geometry.type : feature.geometry,
					problem
				);
				return;
			}
			const g = feature.geometry as Record<string, unknown>;
			geometry = {
				type: g.type as string,
				coordinates: g.type === 'GeometryCollection' ? g.geometries : g.coordinates
			};
		}
		const properties: Record<string, unknown> = isObject(feature.properties)
			? { ...feature.properties }
			: {};
		if (feature.id !== undefined && properties.id === undefined) properties.id = feature.id;
		for (const key of Object.keys(properties)) fields.add(key);
		records.push({ row: index, properties, geometry });
	});
	return {
		file,
		rowKind: 'feature',
		fields: [...fields],
		records,
		declaredCrs: declaredCrsOf(root),
		issues
	};
}
