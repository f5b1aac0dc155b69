/**
 * OSM XML reader (https://wiki.openstreetmap.org/wiki/OSM_XML): `<node id lat lon>` with
 * `<tag k v/>`, `<way>` with `<nd ref/>`, `<relation>` with `<member type ref role/>`, `<bounds>`.
 *
 * A hand-written scanner over the string, not fast-xml-parser, because it is the faster of the two
 * on shenzhen_longgang_raw.osm (2.3 MB, 8,005 nodes): warm median 26–59 ms against 178–460 ms for
 * fast-xml-parser (which builds a full object tree first, then needs a second pass to pick out
 * the OSM elements); first read 55–160 ms against 210–600 ms; both give identical OsmData.
 * Measured with `node --expose-gc tests/engine/osm/measure-read.ts`, which runs both (Node 24.21,
 * shared 2-core machine); the result retains ≈ 1.4 MB of heap. OSM XML is flat and
 * machine-written, so a scanner that understands elements, quoted attributes (either quote),
 * comments, processing instructions, CDATA, the five XML entities and numeric references is
 * complete for it.
 *
 * Elements that JOSM marks `action="delete"` and history elements with `visible="false"` are
 * skipped: they are not part of the data the file describes.
 */
import { ImportError } from '../import/report.ts';
import {
	createOsmData,
	Float64Builder,
	OSM_MEMBER_TYPES,
	setTag,
	type OsmBounds,
	type OsmData,
	type OsmMember,
	type OsmMemberType,
	type OsmRelation,
	type OsmTags,
	type OsmWay
} from './types.ts';

const EXPECTED_XML =
	'an OSM XML file (.osm): an <osm version="0.6"> element holding <node>, <way> and <relation> elements';

/** Element name right after '<'. */
const NAME = /[A-Za-z_][\w:.-]*/y;
/** One attribute: name = "value" or 'value'. */
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?)>/y;
const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const LITERAL_WHITESPACE = /[\t\n\r]/;
const LITERAL_WHITESPACE_ALL = /\r\n|[\t\n\r]/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Read an OSM XML document.
 *
 * @param text the file's text (UTF-8 decoded; a leading BOM is ignored)
 * @param file name used in error messages (default 'input.osm')
 * @returns nodes, ways, relations and the declared `<bounds>` (degrees, WGS84)
 * @throws ImportError UNREADABLE_FILE: empty, not OSM XML (e.g. an HTML page), malformed markup
 *   or truncated (no closing `</osm>`); UNSUPPORTED_FORMAT: an osmChange (.osc) file;
 *   WRONG_STRUCTURE: an OSM element with a missing or invalid attribute (the message gives the
 *   line, the element, the attribute, its value and what was expected).
 * @example
 * const data = readOsmXml(await file.text(), file.name);
 * data.ways.filter((way) => way.tags.highway).length; // 516 for shenzhen_longgang_raw.osm
 */
export function readOsmXml(text: string, file = 'input.osm'): OsmData {
	const scanner = new OsmXmlScanner(text, file);
	return scanner.read();
}

type OpenElement =
	| { kind: 'node'; id: number; lon: number; lat: number; tags: OsmTags; skip: boolean }
	| { kind: 'way'; id: number; refs: number[]; tags: OsmTags; skip: boolean }
	| { kind: 'relation'; id: number; members: OsmMember[]; tags: OsmTags; skip: boolean };

class OsmXmlScanner {
	private readonly text: string;
	private readonly file: string;
	private pos = 0;
	// Attributes of the element being scanned, reused: names[i] = values[i].
	private attrNames: string[] = [];
	private attrValues: string[] = [];
	private attrCount = 0;

	private nodeIds = new Float64Builder(4096);
	private nodeLon = new Float64Builder(4096);
	private nodeLat = new Float64Builder(4096);
	private nodeTags = new Map<number, OsmTags>();
	private ways: OsmWay[] = [];
	private relations: OsmRelation[] = [];
	private bounds: OsmBounds | null = null;

	constructor(text: string, file: string) {
		this.text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
		this.file = file;
	}

	read(): OsmData {
		const text = this.text;
		if (text.trim() === '')
			throw new ImportError(
				'UNREADABLE_FILE',
				this.file,
				`the file is empty; expected ${EXPECTED_XML}`
			);
		let rootSeen = false;
		let rootClosed = false;
		let open: OpenElement | null = null;
		let openStart = 0; // offset of `open`, for error messages (lines are counted only then)

		while (!rootClosed) {
			const start = text.indexOf('<', this.pos);
			if (start < 0) break;
			const lt = start;
			const next = text.charCodeAt(lt + 1);
			if (next === 0x3f /* ? */) {
				this.pos = this.skipPast('?>', lt, 'processing instruction');
				continue;
			}
			if (next === 0x21 /* ! */) {
				if (text.startsWith('<!--', lt)) this.pos = this.skipPast('-->', lt, 'comment');
				else if (text.startsWith('<![CDATA[', lt))
					this.pos = this.skipPast(']]>', lt, 'CDATA section');
				else this.pos = this.skipPast('>', lt, 'declaration'); // <!DOCTYPE …>
				continue;
			}
			if (next === 0x2f /* / */) {
				const close = text.indexOf('>', lt);
				if (close < 0) throw this.syntaxError(lt, 'a closing tag is not ended by ">"');
				const name = text.slice(lt + 2, close).trim();
				this.pos = close + 1;
				if (open !== null && name === open.kind) {
					this.finishElement(open);
					open = null;
				} else if (name === 'osm') rootClosed = true;
				continue;
			}

			NAME.lastIndex = lt + 1;
			const nameMatch = NAME.exec(text);
			if (nameMatch === null) throw this.syntaxError(lt, `"<" is not followed by an element name`);
			const name = nameMatch[0];
			if (!rootSeen) {
				this.checkRoot(name, lt);
				rootSeen = true;
			}
			const selfClosing = this.readAttributes(NAME.lastIndex, name, lt);

			if (name === 'node' || name === 'way' || name === 'relation') {
				if (open !== null)
					throw this.syntaxError(
						lt,
						`<${name}> starts inside <${open.kind} id="${open.id}"> (line ${this.lineAt(openStart)}), which was never closed`
					);
				const element = this.startElement(name, start);
				if (selfClosing) this.finishElement(element);
				else {
					open = element;
					openStart = start;
				}
			} else if (open !== null) {
				if (name === 'tag') this.readTag(open, start);
				else if (name === 'nd' && open.kind === 'way')
					open.refs.push(
						this.numberAttribute('ref', 'nd', start, 'an OSM node id (integer)', true)
					);
				else if (name === 'member' && open.kind === 'relation')
					open.members.push(this.readMember(start));
			} else if (name === 'bounds') {
				this.bounds = {
					minLon: this.coordinateAttribute('minlon', 'bounds', start, 180),
					minLat: this.coordinateAttribute('minlat', 'bounds', start, 90),
					maxLon: this.coordinateAttribute('maxlon', 'bounds', start, 180),
					maxLat: this.coordinateAttribute('maxlat', 'bounds', start, 90)
				};
			} else if (name === 'bound') {
				this.bounds = this.readOsmosisBound(start);
			}
			// Anything else (<changeset>, <note>, <meta>, <remark> …) carries no map data.
		}

		if (!rootSeen)
			throw new ImportError(
				'UNREADABLE_FILE',
				this.file,
				`no XML element found; expected ${EXPECTED_XML}`
			);
		if (open !== null) {
			throw new ImportError(
				'UNREADABLE_FILE',
				this.file,
				`the file ends inside <${open.kind} id="${open.id}"> opened on line ${this.lineAt(openStart)}; the file is truncated: expected a complete OSM XML file ending with </osm>`
			);
		}
		if (!rootClosed) {
			throw new ImportError(
				'UNREADABLE_FILE',
				this.file,
				`the file ends without </osm> (line ${this.lineAt(text.length)}); the file is truncated: expected a complete OSM XML file ending with </osm>`
			);
		}
		return createOsmData({
			nodeIds: this.nodeIds.finish(),
			nodeLon: this.nodeLon.finish(),
			nodeLat: this.nodeLat.finish(),
			nodeTags: this.nodeTags,
			ways: this.ways,
			relations: this.relations,
			bounds: this.bounds
		});
	}

	private checkRoot(name: string, at: number): void {
		if (name === 'osm') return;
		if (name === 'osmChange') {
			throw new ImportError(
				'UNSUPPORTED_FORMAT',
				this.file,
				`the root element is <osmChange>: this is a change file (.osc), not a map extract; expected ${EXPECTED_XML}`
			);
		}
		const hint =
			name.toLowerCase() === 'html'
				? ' — this is a web page (an error page or a download link saved instead of the export?)'
				: '';
		throw new ImportError(
			'UNREADABLE_FILE',
			this.file,
			`line ${this.lineAt(at)}: the root element is <${name}>${hint}; expected ${EXPECTED_XML}`
		);
	}

	/** Scan attributes from `from`; returns true for a self-closing element. */
	private readAttributes(from: number, name: string, start: number): boolean {
		const text = this.text;
		let pos = from;
		this.attrCount = 0;
		for (;;) {
			ATTRIBUTE.lastIndex = pos;
			const match = ATTRIBUTE.exec(text);
			if (match === null) break;
			const raw = match[2] ?? match[3];
			this.attrNames[this.attrCount] = match[1];
			this.attrValues[this.attrCount] = decodeAttribute(raw);
			this.attrCount++;
			pos = ATTRIBUTE.lastIndex;
		}
		TAG_END.lastIndex = pos;
		const end = TAG_END.exec(text);
		if (end === null) {
			const found = JSON.stringify(text.slice(pos, pos + 30));
			throw this.syntaxError(
				start,
				`<${name}> has a malformed attribute or is not closed: found ${found}; expected name="value" pairs, then ">" or "/>"`
			);
		}
		this.pos = TAG_END.lastIndex;
		return end[1] === '/';
	}

	private attribute(name: string): string | undefined {
		for (let i = 0; i < this.attrCount; i++)
			if (this.attrNames[i] === name) return this.attrValues[i];
		return undefined;
	}

	private startElement(kind: 'node' | 'way' | 'relation', start: number): OpenElement {
		const id = this.numberAttribute('id', kind, start, `an OSM ${kind} id (integer)`, true);
		// Deleted in a JOSM edit, or a deleted version in a history file: not part of the data.
		const skip = this.attribute('action') === 'delete' || this.attribute('visible') === 'false';
		if (kind === 'node') {
			const lat = skip ? 0 : this.coordinateAttribute('lat', 'node', start, 90);
			const lon = skip ? 0 : this.coordinateAttribute('lon', 'node', start, 180);
			return { kind, id, lat, lon, tags: {}, skip };
		}
		if (kind === 'way') return { kind, id, refs: [], tags: {}, skip };
		return { kind, id, members: [], tags: {}, skip };
	}

	private finishElement(element: OpenElement): void {
		if (element.skip) return;
		if (element.kind === 'node') {
			const index = this.nodeIds.length;
			this.nodeIds.push(element.id);
			this.nodeLon.push(element.lon);
			this.nodeLat.push(element.lat);
			if (hasAnyTag(element.tags)) this.nodeTags.set(index, element.tags);
		} else if (element.kind === 'way') {
			this.ways.push({
				id: element.id,
				nodeRefs: Float64Array.from(element.refs),
				tags: element.tags
			});
		} else {
			this.relations.push({ id: element.id, members: element.members, tags: element.tags });
		}
	}

	private readTag(open: OpenElement, start: number): void {
		const key = this.attribute('k');
		const value = this.attribute('v');
		if (key === undefined || value === undefined) {
			throw this.structureError(
				start,
				`<tag> inside <${open.kind} id="${open.id}"> lacks ${key === undefined ? 'k' : 'v'}; expected <tag k="key" v="value"/>`
			);
		}
		setTag(open.tags, key, value);
	}

	private readMember(start: number): OsmMember {
		const type = this.attribute('type');
		if (type === undefined || !(OSM_MEMBER_TYPES as readonly string[]).includes(type)) {
			throw this.structureError(
				start,
				`<member> has type=${JSON.stringify(type ?? null)}; expected "node", "way" or "relation"`
			);
		}
		const ref = this.numberAttribute('ref', 'member', start, 'an OSM id (integer)', true);
		return { type: type as OsmMemberType, ref, role: this.attribute('role') ?? '' };
	}

	/** Osmosis writes `<bound box="minlat,minlon,maxlat,maxlon" origin="…"/>`. */
	private readOsmosisBound(start: number): OsmBounds {
		const box = this.attribute('box') ?? '';
		const parts = box.split(',').map(Number);
		if (parts.length !== 4 || !parts.every(Number.isFinite)) {
			throw this.structureError(
				start,
				`<bound> has box=${JSON.stringify(box)}; expected "minlat,minlon,maxlat,maxlon" in degrees`
			);
		}
		return { minLat: parts[0], minLon: parts[1], maxLat: parts[2], maxLon: parts[3] };
	}

	private numberAttribute(
		name: string,
		element: string,
		start: number,
		expected: string,
		integer: boolean
	): number {
		const raw = this.attribute(name);
		const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
		if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
			throw this.structureError(
				start,
				`<${element}${this.idText(element)}> has ${name}=${JSON.stringify(raw ?? null)}; expected ${expected}`
			);
		}
		return value;
	}

	private coordinateAttribute(
		name: string,
		element: string,
		start: number,
		limitDeg: number
	): number {
		const expected = `a decimal ${limitDeg === 90 ? 'latitude' : 'longitude'} in WGS84 degrees between -${limitDeg} and ${limitDeg}`;
		const value = this.numberAttribute(name, element, start, expected, false);
		if (Math.abs(value) > limitDeg) {
			throw this.structureError(
				start,
				`<${element}${this.idText(element)}> has ${name}="${value}"; expected ${expected}`
			);
		}
		return value;
	}

	private idText(element: string): string {
		const id =
			element === 'node' || element === 'way' || element === 'relation'
				? this.attribute('id')
				: undefined;
		return id === undefined ? '' : ` id="${id}"`;
	}

	private skipPast(terminator: string, from: number, what: string): number {
		const end = this.text.indexOf(terminator, from);
		if (end < 0)
			throw this.syntaxError(
				from,
				`a ${what} is never closed with "${terminator}" (truncated file?)`
			);
		return end + terminator.length;
	}

	private lineAt(offset: number): number {
		let line = 1;
		for (
			let at = this.text.indexOf('\n');
			at >= 0 && at < offset;
			at = this.text.indexOf('\n', at + 1)
		)
			line++;
		return line;
	}

	private syntaxError(offset: number, detail: string): ImportError {
		return new ImportError(
			'UNREADABLE_FILE',
			this.file,
			`line ${this.lineAt(offset)}: ${detail}; expected ${EXPECTED_XML}`
		);
	}

	private structureError(offset: number, detail: string): ImportError {
		return new ImportError('WRONG_STRUCTURE', this.file, `line ${this.lineAt(offset)}: ${detail}`);
	}
}

/**
 * XML attribute value → string (XML 1.0 §3.3.3): literal tabs and line ends become spaces first,
 * then entity references are decoded (so `&#10;` stays a newline).
 */
function decodeAttribute(raw: string): string {
	let value = raw;
	if (LITERAL_WHITESPACE.test(value)) value = value.replace(LITERAL_WHITESPACE_ALL, ' ');
	if (value.includes('&')) {
		value = value.replace(
			ENTITY,
			(whole: string, decimal?: string, hex?: string, named?: string) => {
				if (named !== undefined) return NAMED_ENTITIES[named];
				const codePoint =
					decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex as string, 16);
				return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
			}
		);
	}
	return value;
}

function hasAnyTag(tags: OsmTags): boolean {
	for (const key in tags) if (Object.hasOwn(tags, key)) return true;
	return false;
}
