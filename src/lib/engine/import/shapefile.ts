/**
 * Zipped Shapefile → `RawTable`, in the file's own coordinates.
 *
 * Geometry is parsed by shpjs's `parseShp` *without* a projection, so nothing is reprojected
 * behind our back: the CRS is decided later (`crs/detectCrs`, user override) from the .prj
 * text, which is passed on as `declaredCrs`. The .dbf is parsed here rather than by shpjs
 * (parsedbf) because the encoding must be detected from the raw bytes (Chinese DBFs are GBK
 * far more often than they carry a .cpg), deleted records must be seen, and blank numbers must
 * become null rather than NaN.
 */
// @ts-expect-error -- shpjs 6 ships no type declarations; `parseShp` is typed right below.
import { parseShp as shpjsParseShp } from 'shpjs';
import type { RawGeometry, RawRecord, RawTable } from './raw.ts';
import { ImportError } from './report.ts';
import type { ImportIssue } from './report.ts';
import { TextDecoder } from '../text.ts';
import { decodeZipName, unzipLimited } from './zip.ts';

/** shpjs `parseShp(shp, prj?)`: one GeoJSON geometry (with bbox) or null per record. */
const parseShp = shpjsParseShp as (
	shp: DataView
) => ({ type: string; coordinates: unknown } | null)[];

export interface ReadShapefileOptions {
	/**
	 * Which layer to read when the zip holds several: the .shp name without extension, with
	 * or without its folder (case-insensitive), e.g. `'小区'` or `'export/小区'`.
	 */
	layerName?: string;
}

/** Shapefile parts we read; everything else in the zip (.shx, .sbn, .xml, __MACOSX) is ignored. */
const PART_EXTENSIONS = ['shp', 'dbf', 'prj', 'cpg'] as const;
type PartExtension = (typeof PART_EXTENSIONS)[number];

interface LayerParts {
	/** Path in the zip without extension, as the user would recognise it. */
	name: string;
	parts: Partial<Record<PartExtension, { member: string; bytes: Uint8Array }>>;
}

/** Shape types shpjs parses (M variants 21/23/25/28 keep x/y, the measures are dropped). */
const SUPPORTED_SHAPE_TYPES = new Set([0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28]);
const SHP_FILE_CODE = 9994;
const SHP_HEADER_BYTES = 100;

function unzip(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
	try {
		return unzipLimited(bytes, file, (name) => {
			const extension = name.split('.').pop()?.toLowerCase() ?? '';
			return (
				!name.includes('__MACOSX/') && (PART_EXTENSIONS as readonly string[]).includes(extension)
			);
		});
	} catch (error) {
		if (error instanceof ImportError) throw error;
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`is not a readable zip archive (${error instanceof Error ? error.message : String(error)}): zip the .shp, .shx, .dbf, .prj and .cpg files again`
		);
	}
}

function groupLayers(entries: Record<string, Uint8Array>): LayerParts[] {
	const layers = new Map<string, LayerParts>();
	for (const [member, bytes] of Object.entries(entries)) {
		const dot = member.lastIndexOf('.');
		const extension = member.slice(dot + 1).toLowerCase() as PartExtension;
		const name = decodeZipName(member.slice(0, dot));
		const key = name.toLowerCase();
		const layer = layers.get(key) ?? { name, parts: {} };
		layer.parts[extension] = { member: decodeZipName(member), bytes };
		layers.set(key, layer);
	}
	return [...layers.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function pickLayer(layers: LayerParts[], file: string, layerName: string | undefined): LayerParts {
	const withShp = layers.filter((layer) => layer.parts.shp);
	const names = withShp.map((layer) => `"${layer.name}"`).join(', ');
	if (withShp.length === 0) {
		const found = layers.flatMap((layer) => Object.values(layer.parts).map((part) => part!.member));
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`contains no .shp file (found: ${found.length ? found.join(', ') : 'no Shapefile parts'}): zip the .shp together with its .shx, .dbf, .prj and .cpg`
		);
	}
	if (layerName !== undefined) {
		const wanted = layerName.trim().toLowerCase();
		const match =
			withShp.find((layer) => layer.name.toLowerCase() === wanted) ??
			withShp.filter((layer) => layer.name.toLowerCase().split('/').pop() === wanted);
		if (!Array.isArray(match)) return match;
		if (match.length === 1) return match[0];
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`has no single layer named "${layerName}"; its layers are ${names}`
		);
	}
	if (withShp.length > 1) {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`contains ${withShp.length} Shapefile layers (${names}): import one at a time by choosing the layer name, or zip each layer separately`
		);
	}
	return withShp[0];
}

function dataView(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------- .shp

function readGeometries(bytes: Uint8Array, member: string, file: string): (RawGeometry | null)[] {
	const view = dataView(bytes);
	if (bytes.byteLength < SHP_HEADER_BYTES || view.getInt32(0, false) !== SHP_FILE_CODE) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`${member} is not a Shapefile .shp (its header does not start with file code 9994)`
		);
	}
	const shapeType = view.getInt32(32, true);
	if (!SUPPORTED_SHAPE_TYPES.has(shapeType)) {
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			`${member} has shape type ${shapeType} (${shapeType === 31 ? 'MultiPatch' : 'unknown'}): expected points, lines or polygons`
		);
	}
	if (shapeType === 0) return [];
	let geometries: ({ type: string; coordinates: unknown } | null)[];
	try {
		geometries = parseShp(view);
	} catch (error) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`${member} cannot be parsed: ${error instanceof Error ? error.message : String(error)}`
		);
	}
	// shpjs adds a bbox in file coordinates; keep only what RawGeometry promises.
	return geometries.map((geometry) =>
		geometry ? { type: geometry.type, coordinates: geometry.coordinates } : null
	);
}

// ---------------------------------------------------------------- .dbf

interface DbfField {
	name: string;
	type: string;
	lengthBytes: number;
	decimals: number;
	offset: number;
}

type EncodingChoice = { label: string; issue: string | null };

/** .cpg contents → a TextDecoder label; null when we do not know the name. */
function encodingFromCpg(cpg: string): string | null {
	const key = cpg
		.trim()
		.toLowerCase()
		.replace(/^ansi\s*/, '')
		.replace(/[\s_-]/g, '');
	if (['utf8', '65001'].includes(key)) return 'utf-8';
	if (['gbk', 'gb2312', 'cp936', '936', 'windows936', 'gb18030', '54936'].includes(key))
		return key === 'gb18030' || key === '54936' ? 'gb18030' : 'gbk';
	if (/^\d+$/.test(key)) {
		const label = `windows-${key}`;
		return isKnownEncoding(label) ? label : null;
	}
	return isKnownEncoding(cpg.trim()) ? cpg.trim() : null;
}

function isKnownEncoding(label: string): boolean {
	try {
		new TextDecoder(label);
		return true;
	} catch {
		return false;
	}
}

function isValidUtf8(chunks: Uint8Array[]): boolean {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	try {
		for (const chunk of chunks) decoder.decode(chunk);
		return true;
	} catch {
		return false;
	}
}

function chooseEncoding(
	textChunks: Uint8Array[],
	cpg: { member: string; text: string } | null,
	dbfMember: string
): EncodingChoice {
	const hasNonAscii = textChunks.some((chunk) => chunk.some((byte) => byte >= 0x80));
	if (cpg) {
		const label = encodingFromCpg(cpg.text);
		if (label === 'utf-8' && hasNonAscii && !isValidUtf8(textChunks)) {
			return {
				label: 'gbk',
				issue: `${cpg.member} says UTF-8, but ${dbfMember} is not valid UTF-8; decoded it as GBK — check the Chinese text`
			};
		}
		if (label) return { label, issue: null };
		const fallback = !hasNonAscii || isValidUtf8(textChunks) ? 'utf-8' : 'gbk';
		return {
			label: fallback,
			issue: `${cpg.member} names an unknown encoding ${JSON.stringify(cpg.text.trim())}; decoded ${dbfMember} as ${fallback.toUpperCase()}`
		};
	}
	if (!hasNonAscii) return { label: 'utf-8', issue: null };
	if (isValidUtf8(textChunks)) {
		return {
			label: 'utf-8',
			issue: `no .cpg file: ${dbfMember} is valid UTF-8, so UTF-8 was assumed; add a .cpg if the text looks wrong`
		};
	}
	return {
		label: 'gbk',
		issue: `no .cpg file: ${dbfMember} is not valid UTF-8, so GBK (Chinese Windows) was assumed; add a .cpg if the text looks wrong`
	};
}

function trimText(text: string): string {
	// DBF pads with spaces; some writers pad with NULs.
	const nul = text.indexOf('\0');
	return (nul === -1 ? text : text.slice(0, nul)).trim();
}

interface DbfTable {
	fields: string[];
	/** One entry per DBF record; null for records marked deleted. */
	rows: (Record<string, unknown> | null)[];
	issues: {
		row: number;
		field: string;
		value: unknown;
		reason: string;
		action: ImportIssue['action'];
	}[];
}

function readDbf(
	bytes: Uint8Array,
	member: string,
	file: string,
	cpg: { member: string; text: string } | null
): DbfTable {
	const view = dataView(bytes);
	if (bytes.byteLength < 33)
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`${member} is too short to be a .dbf (${bytes.byteLength} bytes)`
		);
	const recordCount = view.getUint32(4, true);
	const headerBytes = view.getUint16(8, true);
	const recordBytes = view.getUint16(10, true);
	if (headerBytes < 33 || headerBytes > bytes.byteLength || recordBytes < 1) {
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`${member} has a damaged header (header ${headerBytes} B, record ${recordBytes} B)`
		);
	}
	const issues: DbfTable['issues'] = [];

	const rawFields: {
		nameBytes: Uint8Array;
		type: string;
		lengthBytes: number;
		decimals: number;
		offset: number;
	}[] = [];
	let recordOffset = 1; // byte 0 of a record is the deletion flag
	for (let at = 32; at + 32 <= headerBytes && bytes[at] !== 0x0d; at += 32) {
		const nameEnd = bytes.subarray(at, at + 11).indexOf(0);
		const nameBytes = bytes.subarray(at, at + (nameEnd === -1 ? 11 : nameEnd));
		const lengthBytes = bytes[at + 16];
		rawFields.push({
			nameBytes,
			type: String.fromCharCode(bytes[at + 11]),
			lengthBytes,
			decimals: bytes[at + 17],
			offset: recordOffset
		});
		recordOffset += lengthBytes;
	}

	const available = Math.max(0, Math.floor((bytes.byteLength - headerBytes) / recordBytes));
	const readable = Math.min(recordCount, available);
	if (readable < recordCount) {
		issues.push({
			row: readable,
			field: '',
			value: recordCount,
			reason: `${member} is truncated: its header promises ${recordCount} records, the file holds ${readable}`,
			action: 'warning'
		});
	}
	const recordAt = (index: number) => headerBytes + index * recordBytes;

	// Encoding is judged on every byte of text we will decode: field names and character fields.
	const textChunks: Uint8Array[] = rawFields.map((field) => field.nameBytes);
	for (let index = 0; index < readable; index++) {
		for (const field of rawFields) {
			if (field.type === 'C' || field.type === 'M') {
				const start = recordAt(index) + field.offset;
				textChunks.push(bytes.subarray(start, start + field.lengthBytes));
			}
		}
	}
	const encoding = chooseEncoding(textChunks, cpg, member);
	if (encoding.issue)
		issues.push({
			row: 0,
			field: '',
			value: encoding.label,
			reason: encoding.issue,
			action: 'warning'
		});
	const decoder = new TextDecoder(encoding.label);

	const fields: DbfField[] = [];
	const seen = new Set<string>();
	rawFields.forEach((raw, index) => {
		let name = trimText(decoder.decode(raw.nameBytes)) || `field_${index + 1}`;
		if (seen.has(name)) {
			const renamed = `${name}_${index + 1}`;
			issues.push({
				row: 0,
				field: name,
				value: renamed,
				reason: `${member} has a second field named "${name}"; renamed it to "${renamed}"`,
				action: 'repaired'
			});
			name = renamed;
		}
		seen.add(name);
		fields.push({
			name,
			type: raw.type,
			lengthBytes: raw.lengthBytes,
			decimals: raw.decimals,
			offset: raw.offset
		});
	});

	const latin = new TextDecoder('latin1');
	const unknownTypeReported = new Set<string>();
	const rows: DbfTable['rows'] = [];
	for (let index = 0; index < readable; index++) {
		const start = recordAt(index);
		if (bytes[start] === 0x2a) {
			rows.push(null);
			continue;
		}
		const properties: Record<string, unknown> = {};
		for (const field of fields) {
			const cell = bytes.subarray(start + field.offset, start + field.offset + field.lengthBytes);
			const text = () =>
				trimText((field.type === 'C' || field.type === 'M' ? decoder : latin).decode(cell));
			switch (field.type) {
				case 'C':
					properties[field.name] = text();
					break;
				case 'N':
				case 'F': {
					const raw = text();
					if (raw === '' || /^[*?-]+$/.test(raw)) {
						properties[field.name] = null;
						break;
					}
					const value = Number(raw);
					if (!Number.isFinite(value)) {
						issues.push({
							row: index,
							field: field.name,
							value: raw,
							reason: `not a number in ${member} (numeric field ${field.type}${field.lengthBytes}.${field.decimals}); set to empty`,
							action: 'rejected'
						});
					}
					properties[field.name] = Number.isFinite(value) ? value : null;
					break;
				}
				case 'D': {
					const raw = text();
					const match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
					properties[field.name] =
						match && raw !== '00000000' ? `${match[1]}-${match[2]}-${match[3]}` : null;
					if (!match && raw !== '') {
						issues.push({
							row: index,
							field: field.name,
							value: raw,
							reason: `not a date YYYYMMDD in ${member}; set to empty`,
							action: 'rejected'
						});
					}
					break;
				}
				case 'L': {
					const raw = text().toUpperCase();
					properties[field.name] =
						'TY'.includes(raw) && raw !== ''
							? true
							: 'FN'.includes(raw) && raw !== ''
								? false
								: null;
					break;
				}
				case 'I':
					properties[field.name] =
						field.lengthBytes === 4 ? dataView(cell).getInt32(0, true) : null;
					break;
				case 'O':
					properties[field.name] =
						field.lengthBytes === 8 ? dataView(cell).getFloat64(0, true) : null;
					break;
				default:
					properties[field.name] = text();
					if (!unknownTypeReported.has(field.name)) {
						unknownTypeReported.add(field.name);
						issues.push({
							row: 0,
							field: field.name,
							value: field.type,
							reason: `${member} field type "${field.type}" is not a DBF type we decode; its bytes were read as text`,
							action: 'warning'
						});
					}
			}
		}
		rows.push(properties);
	}
	return { fields: fields.map((field) => field.name), rows, issues };
}

// ---------------------------------------------------------------- reader

function decodeSmallText(bytes: Uint8Array): string {
	return new TextDecoder('utf-8')
		.decode(bytes)
		.replace(/^\uFEFF/, '')
		.trim();
}

/**
 * Reads a zipped Shapefile (a .zip holding .shp, .dbf and ideally .prj, .cpg; the parts may
 * sit in a sub-folder) into a `RawTable` with one record per shape, in the file's own
 * coordinates (no reprojection: pass `declaredCrs` to `parseCrs`/`detectCrs`).
 *
 * The .dbf is decoded with the .cpg encoding (UTF-8, GBK/GB2312/CP936, GB18030, or a Windows
 * code page); without a .cpg it is read as UTF-8 if it is valid UTF-8, else as GBK, and an
 * issue says which was assumed. File-level issues use row 0 and field ''.
 *
 * @param bytes the .zip file
 * @param file file name as the user knows it (used in every message)
 * @param options.layerName picks one layer when the zip holds several
 * @returns `rowKind: 'feature'`, `row` = 0-based shape index, `fields` = DBF field names in
 *   order, `declaredCrs` = the .prj WKT text (null when there is none). Null shapes become
 *   records with `geometry: null` plus an issue; records marked deleted in the .dbf are left
 *   out with a 'rejected' issue.
 * @throws ImportError TOO_LARGE (the parts inflate past `INFLATE_LIMITS` of zip.ts: a zip
 *   bomb is refused after a few MB), UNREADABLE_FILE (not a zip, damaged .shp/.dbf), WRONG_STRUCTURE (no .shp,
 *   no .dbf, several layers without `layerName`, unknown `layerName`), UNSUPPORTED_FORMAT
 *   (MultiPatch)
 * @example
 *   const table = await readZippedShapefile(bytes, '崂山区小区.zip');
 *   const crs = table.declaredCrs ? parseCrs(table.declaredCrs) : null; // 'EPSG:4528'
 */
export async function readZippedShapefile(
	bytes: Uint8Array,
	file: string,
	options: ReadShapefileOptions = {}
): Promise<RawTable> {
	const layer = pickLayer(groupLayers(unzip(bytes, file)), file, options.layerName);
	const { shp, dbf, prj, cpg } = layer.parts;
	if (!dbf) {
		throw new ImportError(
			'WRONG_STRUCTURE',
			file,
			`layer "${layer.name}" has no .dbf file (the attribute table with names, 户数 …): zip ${layer.name}.shp together with ${layer.name}.dbf, .shx, .prj and .cpg`
		);
	}
	const issues: ImportIssue[] = [];
	const issue = (
		row: number,
		field: string,
		value: unknown,
		reason: string,
		action: ImportIssue['action']
	) => issues.push({ file, row, rowKind: 'feature', field, value, reason, action });

	const geometries = readGeometries(shp!.bytes, shp!.member, file);
	const table = readDbf(
		dbf.bytes,
		dbf.member,
		file,
		cpg ? { member: cpg.member, text: decodeSmallText(cpg.bytes) } : null
	);
	for (const found of table.issues)
		issue(found.row, found.field, found.value, found.reason, found.action);

	const declaredCrs = prj ? decodeSmallText(prj.bytes) || null : null;
	if (!declaredCrs) {
		issue(
			0,
			'',
			undefined,
			`no .prj file for layer "${layer.name}": the coordinate system must be detected from the numbers or given`,
			'warning'
		);
	}
	if (geometries.length !== table.rows.length) {
		issue(
			0,
			'',
			undefined,
			`${shp!.member} has ${geometries.length} shapes but ${dbf.member} has ${table.rows.length} records; ` +
				(geometries.length < table.rows.length
					? 'records without a shape have no geometry'
					: 'shapes without a record have no attributes'),
			'warning'
		);
	}

	const records: RawRecord[] = [];
	const count = Math.max(geometries.length, table.rows.length);
	for (let index = 0; index < count; index++) {
		const properties = index < table.rows.length ? table.rows[index] : {};
		if (properties === null) {
			issue(
				index,
				'',
				undefined,
				`record ${index} is marked deleted in ${dbf.member}; left out`,
				'rejected'
			);
			continue;
		}
		const geometry = geometries[index] ?? null;
		if (!geometry && index < geometries.length) {
			issue(index, 'geometry', null, `null shape (no coordinates) in ${shp!.member}`, 'warning');
		}
		records.push({ row: index, properties, geometry });
	}
	return { file, rowKind: 'feature', fields: table.fields, records, declaredCrs, issues };
}
