/**
 * OSM input: PBF and XML readers producing OsmData, and the conversion of highway ways to
 * network features. `readOsm` picks the reader from the content, never from the file name.
 */
import { gunzipSync, strFromU8 } from 'fflate';
import { ImportError } from '../import/report.ts';
import { looksLikeOsmPbf, readOsmPbf } from './read-pbf.ts';
import { readOsmXml } from './read-xml.ts';
import type { OsmData } from './types.ts';

export { readOsmPbf, looksLikeOsmPbf } from './read-pbf.ts';
export { readOsmXml } from './read-xml.ts';
export { osmToNetworkFeatures, WALKING_TAG_KEYS } from './network.ts';
export type { NetworkConversion, SkippedWay, ClippedWay } from './network.ts';
export { createOsmData, OSM_MEMBER_TYPES } from './types.ts';
export type {
	OsmData,
	OsmWay,
	OsmRelation,
	OsmMember,
	OsmMemberType,
	OsmTags,
	OsmBounds
} from './types.ts';

const EXPECTED_OSM =
	'an OSM PBF file (.osm.pbf) or an OSM XML file (.osm, optionally gzip-compressed)';

/**
 * Read an OSM extract, choosing the reader by content: PBF (a 4-byte big-endian length, then a
 * BlobHeader of type "OSMHeader"), XML (first non-blank character '<', e.g. `<?xml` or `<osm`),
 * or gzip-compressed XML/PBF (magic 1f 8b), which is inflated first.
 *
 * @param bytes the whole file
 * @param file the file name, used only in error messages
 * @throws ImportError UNREADABLE_FILE when the content is none of these (or is broken, see
 *   readOsmPbf / readOsmXml); UNSUPPORTED_FORMAT for bzip2 and o5m files
 * @example
 * const data = readOsm(new Uint8Array(await upload.arrayBuffer()), upload.name);
 */
export function readOsm(bytes: Uint8Array, file: string): OsmData {
	if (bytes.length === 0)
		throw new ImportError(
			'UNREADABLE_FILE',
			file,
			`the file is empty (0 bytes); expected ${EXPECTED_OSM}`
		);
	if (looksLikeOsmPbf(bytes)) return readOsmPbf(bytes, file);
	if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
		let inflated: Uint8Array;
		try {
			inflated = gunzipSync(bytes);
		} catch (error) {
			throw new ImportError(
				'UNREADABLE_FILE',
				file,
				`gzip data cannot be inflated (${error instanceof Error ? error.message : String(error)}); the file is corrupt or truncated`
			);
		}
		if (inflated.length >= 2 && inflated[0] === 0x1f && inflated[1] === 0x8b) {
			throw new ImportError(
				'UNREADABLE_FILE',
				file,
				`the file is gzip-compressed twice; expected ${EXPECTED_OSM}`
			);
		}
		return readOsm(inflated, file);
	}
	if (bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) {
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			`bzip2-compressed files are not supported; decompress it first (\`bunzip2 ${file}\`) or convert it to PBF (\`osmium cat ${file} -o out.osm.pbf\`)`
		);
	}
	if (bytes[0] === 0xff && bytes[1] === 0xe0) {
		throw new ImportError(
			'UNSUPPORTED_FORMAT',
			file,
			`o5m files are not supported; convert it to PBF (\`osmium cat ${file} -o out.osm.pbf\`)`
		);
	}
	const first = firstNonBlankByte(bytes);
	if (first === 0x3c /* < */) return readOsmXml(strFromU8(bytes), file); // fflate's UTF-8 decoder: typed under lib ES2022, unlike TextDecoder
	const hint =
		first === 0x7b /* { */
			? ' (it looks like JSON: GeoJSON networks go through the GeoJSON importer)'
			: '';
	const preview = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(
		' '
	);
	throw new ImportError(
		'UNREADABLE_FILE',
		file,
		`neither OSM PBF nor OSM XML: the file starts with bytes ${preview}${hint}; expected ${EXPECTED_OSM}`
	);
}

/** First byte after a UTF-8 BOM and ASCII whitespace, or -1. */
function firstNonBlankByte(bytes: Uint8Array): number {
	let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	while (
		i < bytes.length &&
		(bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
	)
		i++;
	return i < bytes.length ? bytes[i] : -1;
}
