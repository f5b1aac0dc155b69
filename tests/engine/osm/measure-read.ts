/**
 * Read-time and memory measurement for the OSM readers (not a test: vitest only runs *.test.ts).
 *
 *   node --expose-gc tests/engine/osm/measure-read.ts
 *
 * Prints, per file: the first (cold) read, the median of 10 warm reads, and the heap the result
 * keeps alive (heapUsed after a GC while holding it, minus before). For the Shenzhen XML it also
 * times an equivalent reader built on fast-xml-parser, checks that both give identical OsmData,
 * and so justifies the choice of the hand-written scanner in read-xml.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
	createOsmData,
	readOsmPbf,
	readOsmXml,
	type OsmData,
	type OsmMember,
	type OsmTags
} from '../../../src/lib/engine/osm/index.ts';

const DATA_DIR = path.join(import.meta.dirname, '../../..', '..', 'shared', 'data');
const gc = (globalThis as { gc?: () => void }).gc;

function measure(label: string, read: () => OsmData): OsmData {
	gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	let start = performance.now();
	let data = read();
	const coldMs = performance.now() - start;
	gc?.();
	const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
	const heapAfterMb = process.memoryUsage().heapUsed / 1e6;
	const warm: number[] = [];
	for (let i = 0; i < 10; i++) {
		start = performance.now();
		data = read();
		warm.push(performance.now() - start);
	}
	warm.sort((a, b) => a - b);
	const warmMs = (warm[4] + warm[5]) / 2;
	console.log(
		`${label.padEnd(44)} cold ${coldMs.toFixed(0).padStart(4)} ms   warm median ${warmMs.toFixed(1).padStart(6)} ms   ` +
			`retained ${gc ? retainedMb.toFixed(1).padStart(5) + ' MB' : '(run with --expose-gc)'}   heapUsed ${heapAfterMb.toFixed(1)} MB`
	);
	return data;
}

/** The alternative considered: fast-xml-parser builds the whole tree, then OSM elements are picked out. */
function readOsmXmlWithFastXmlParser(text: string): OsmData {
	const asArray = new Set(['node', 'way', 'relation', 'tag', 'nd', 'member']);
	const parser = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '',
		parseAttributeValue: false,
		parseTagValue: false,
		isArray: (name) => asArray.has(name)
	});
	type Attrs = Record<string, string>;
	type Element = Attrs & { tag?: Attrs[]; nd?: Attrs[]; member?: Attrs[] };
	const osm = parser.parse(text).osm as {
		node?: Element[];
		way?: Element[];
		relation?: Element[];
		bounds?: Attrs;
	};
	const tagsOf = (element: Element): OsmTags => {
		const tags: OsmTags = {};
		for (const tag of element.tag ?? []) tags[tag.k] = tag.v;
		return tags;
	};
	const nodes = osm.node ?? [];
	const nodeTags = new Map<number, OsmTags>();
	nodes.forEach((node, i) => {
		if (node.tag) nodeTags.set(i, tagsOf(node));
	});
	return createOsmData({
		nodeIds: Float64Array.from(nodes, (n) => Number(n.id)),
		nodeLon: Float64Array.from(nodes, (n) => Number(n.lon)),
		nodeLat: Float64Array.from(nodes, (n) => Number(n.lat)),
		nodeTags,
		ways: (osm.way ?? []).map((w) => ({
			id: Number(w.id),
			nodeRefs: Float64Array.from(w.nd ?? [], (nd) => Number(nd.ref)),
			tags: tagsOf(w)
		})),
		relations: (osm.relation ?? []).map((r) => ({
			id: Number(r.id),
			members: (r.member ?? []).map((m): OsmMember => ({
				type: m.type as OsmMember['type'],
				ref: Number(m.ref),
				role: m.role ?? ''
			})),
			tags: tagsOf(r)
		})),
		bounds: osm.bounds
			? {
					minLon: Number(osm.bounds.minlon),
					minLat: Number(osm.bounds.minlat),
					maxLon: Number(osm.bounds.maxlon),
					maxLat: Number(osm.bounds.maxlat)
				}
			: null
	});
}

const same = (a: OsmData, b: OsmData): boolean =>
	JSON.stringify([
		Array.from(a.nodeIds),
		Array.from(a.nodeLon),
		Array.from(a.nodeLat),
		[...a.nodeTags],
		a.ways.map((w) => [w.id, Array.from(w.nodeRefs), w.tags]),
		a.relations,
		a.bounds
	]) ===
	JSON.stringify([
		Array.from(b.nodeIds),
		Array.from(b.nodeLon),
		Array.from(b.nodeLat),
		[...b.nodeTags],
		b.ways.map((w) => [w.id, Array.from(w.nodeRefs), w.tags]),
		b.relations,
		b.bounds
	]);

console.log(`Node ${process.version}`);
const monacoBytes = new Uint8Array(readFileSync(path.join(DATA_DIR, 'osm/monaco.osm.pbf')));
const monaco = measure('monaco.osm.pbf (1.76 MB) readOsmPbf', () =>
	readOsmPbf(monacoBytes, 'monaco.osm.pbf')
);
const nodeArraysMb =
	(monaco.nodeIds.byteLength + monaco.nodeLon.byteLength + monaco.nodeLat.byteLength) / 1e6;
console.log(
	`  ${monaco.nodeIds.length} nodes, ${monaco.ways.length} ways, ${monaco.relations.length} relations; node arrays ${nodeArraysMb.toFixed(1)} MB`
);

const andorraBytes = new Uint8Array(readFileSync(path.join(DATA_DIR, 'osm/andorra.osm.pbf')));
measure('andorra.osm.pbf (0.57 MB) readOsmPbf', () => readOsmPbf(andorraBytes, 'andorra.osm.pbf'));

const shenzhen = readFileSync(path.join(DATA_DIR, 'roads/shenzhen_longgang_raw.osm'), 'utf8');
const scanned = measure('shenzhen_longgang_raw.osm (2.3 MB) readOsmXml', () =>
	readOsmXml(shenzhen, 'shenzhen.osm')
);
const viaFxp = measure('  same file, fast-xml-parser alternative', () =>
	readOsmXmlWithFastXmlParser(shenzhen)
);
console.log(`  identical OsmData from both XML readers: ${same(scanned, viaFxp)}`);

const shanghai = readFileSync(
	path.join(DATA_DIR, 'roads/shanghai_jingan_huangpu_drive_osmnx.osm'),
	'utf8'
);
measure('shanghai_..._osmnx.osm (0.73 MB) readOsmXml', () => readOsmXml(shanghai, 'shanghai.osm'));
