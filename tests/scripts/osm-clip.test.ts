/**
 * The streaming OSM clipper (issue 12) against a brute-force answer: the whole file read with
 * readOsm, every node tested with turf (booleanPointInPolygon, pointToLineDistance to every ring),
 * then complete ways. Real files: shenzhen_longgang_raw.osm (CGImap XML) and monaco.osm.pbf.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { booleanPointInPolygon, lineString, pointToLineDistance } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clipOsmExtract, type ClipStats } from '../../scripts/region/osm-clip.ts';
import { benchPolygon, DEFAULT_GRID, writeSyntheticExtract } from '../../scripts/bench/osm-clip.ts';
import { readOsm, type OsmData } from '../../src/lib/engine/osm/index.ts';

const sharedData = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const shenzhenPath = join(sharedData, 'roads', 'shenzhen_longgang_raw.osm');
const monacoPath = join(sharedData, 'osm', 'monaco.osm.pbf');
const haveShared = existsSync(shenzhenPath) && existsSync(monacoPath);

/** A regular polygon of `corners` around (lon, lat), radius in degrees of latitude. */
function regularPolygon(lon: number, lat: number, radiusDeg: number, corners = 5): Position[] {
	const ring: Position[] = [];
	for (let i = 0; i <= corners; i++) {
		const angle = ((i % corners) * 2 * Math.PI) / corners + 0.3;
		ring.push([
			lon + (radiusDeg * Math.cos(angle)) / Math.cos((lat * Math.PI) / 180),
			lat + radiusDeg * Math.sin(angle)
		]);
	}
	return ring;
}

/** A pentagon inside the Longgang extract (bounds 114.186–114.232, 22.673–22.702). */
const longgangPolygon: Polygon = {
	type: 'Polygon',
	coordinates: [regularPolygon(114.205, 22.688, 0.006)]
};
/** Two parts, the first with a hole, so holes and multipolygons are exercised. */
const longgangMulti: MultiPolygon = {
	type: 'MultiPolygon',
	coordinates: [
		[regularPolygon(114.2, 22.69, 0.008, 7), regularPolygon(114.2, 22.69, 0.004, 4).reverse()],
		[regularPolygon(114.225, 22.68, 0.003, 6)]
	]
};
/** A pentagon inside Monaco (7.41–7.44 E, 43.72–43.75 N). */
const monacoPolygon: Polygon = {
	type: 'Polygon',
	coordinates: [regularPolygon(7.42, 43.735, 0.004)]
};
const paris: Polygon = { type: 'Polygon', coordinates: [regularPolygon(2.35, 48.85, 0.02)] };

interface Expected {
	nodeIds: number[];
	wayIds: number[];
	relationIds: number[];
}

/** The answer by brute force: turf on every node near the polygon, complete ways, relations by way. */
function bruteForce(data: OsmData, polygon: Polygon | MultiPolygon, haloM: number): Expected {
	const rings = polygon.type === 'Polygon' ? polygon.coordinates : polygon.coordinates.flat();
	const lines = rings.map((ring) => lineString(ring));
	const all = rings.flat();
	// A prefilter far wider than the halo (1° of latitude ≥ 110 km), only to keep turf's count down.
	const marginDeg = (3 * haloM) / 110_000 + 0.001;
	const minLon = Math.min(...all.map((p) => p[0])) - marginDeg * 2;
	const maxLon = Math.max(...all.map((p) => p[0])) + marginDeg * 2;
	const minLat = Math.min(...all.map((p) => p[1])) - marginDeg;
	const maxLat = Math.max(...all.map((p) => p[1])) + marginDeg;
	const inside = new Set<number>();
	for (let i = 0; i < data.nodeIds.length; i++) {
		const point = [data.nodeLon[i], data.nodeLat[i]];
		if (point[0] < minLon || point[0] > maxLon || point[1] < minLat || point[1] > maxLat) continue;
		if (
			booleanPointInPolygon(point, polygon) ||
			lines.some((line) => pointToLineDistance(point, line, { units: 'meters' }) <= haloM)
		)
			inside.add(data.nodeIds[i]);
	}
	const keptWays = data.ways.filter((way) => way.nodeRefs.some((ref) => inside.has(ref)));
	const wayIds = new Set(keptWays.map((way) => way.id));
	const nodeIds = new Set(inside);
	for (const way of keptWays)
		for (const ref of way.nodeRefs) if (data.nodeIndex(ref) >= 0) nodeIds.add(ref);
	const relationIds = data.relations
		.filter((r) => r.members.some((m) => m.type === 'way' && wayIds.has(m.ref)))
		.map((r) => r.id);
	const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
	return { nodeIds: sorted(nodeIds), wayIds: sorted(wayIds), relationIds: sorted(relationIds) };
}

function readOutput(path: string): OsmData {
	return readOsm(new Uint8Array(readFileSync(path)), path);
}

const ids = (items: ArrayLike<number> | { id: number }[]) =>
	Array.from(items as ArrayLike<number | { id: number }>, (x) =>
		typeof x === 'number' ? x : x.id
	).sort((a, b) => a - b);

/** Every claim a clipped extract makes, against the input read whole. */
function checkAgainstBruteForce(
	input: OsmData,
	outPath: string,
	stats: ClipStats,
	polygon: Polygon | MultiPolygon,
	haloM: number
): OsmData {
	const expected = bruteForce(input, polygon, haloM);
	expect(expected.wayIds.length).toBeGreaterThan(10);
	expect(expected.wayIds.length).toBeLessThan(input.ways.length); // the clip clips something
	const out = readOutput(outPath);
	expect(ids(out.ways)).toEqual(expected.wayIds);
	expect(ids(out.nodeIds)).toEqual(expected.nodeIds);
	expect(ids(out.relations)).toEqual(expected.relationIds);
	// Every node a kept way references (and the input has) is present, with its coordinates and tags.
	for (const way of out.ways) {
		for (const ref of way.nodeRefs) {
			const from = input.nodeIndex(ref);
			if (from < 0) continue;
			const to = out.nodeIndex(ref);
			expect(to, `node ${ref} of way ${way.id}`).toBeGreaterThanOrEqual(0);
			expect([out.nodeLon[to], out.nodeLat[to]]).toEqual([
				input.nodeLon[from],
				input.nodeLat[from]
			]);
			expect(out.nodeTags.get(to)).toEqual(input.nodeTags.get(from));
		}
	}
	// Ways keep all their nodes and tags; relations keep their tags and only kept members.
	const inputWays = new Map(input.ways.map((way) => [way.id, way]));
	for (const way of out.ways) expect(way).toEqual(inputWays.get(way.id));
	const inputRelations = new Map(input.relations.map((r) => [r.id, r]));
	const outWays = new Set(out.ways.map((w) => w.id));
	const outNodes = new Set(out.nodeIds);
	const outRelations = new Set(out.relations.map((r) => r.id));
	for (const relation of out.relations) {
		const original = inputRelations.get(relation.id)!;
		expect(relation.tags).toEqual(original.tags);
		const keptMembers = original.members.filter((m) =>
			(m.type === 'way' ? outWays : m.type === 'node' ? outNodes : outRelations).has(m.ref)
		);
		expect(relation.members).toEqual(keptMembers);
	}
	// The stats say what the file holds.
	expect(stats.nodesRead).toBe(input.nodeIds.length);
	expect(stats.waysRead).toBe(input.ways.length);
	expect(stats.relationsRead).toBe(input.relations.length);
	expect(stats.nodesKept).toBe(out.nodeIds.length);
	expect(stats.waysKept).toBe(out.ways.length);
	expect(stats.relationsKept).toBe(out.relations.length);
	expect(stats.highwayWaysKept).toBe(out.ways.filter((w) => w.tags.highway !== undefined).length);
	expect(stats.buildingWaysKept).toBe(out.ways.filter((w) => w.tags.building !== undefined).length);
	expect(stats.outputBytes).toBe(readFileSync(outPath).length);
	expect(stats.passes).toBe(3);
	// <bounds> is the bbox of the kept nodes, rounded outwards to 1e-7°.
	const lons = Array.from(out.nodeLon);
	const lats = Array.from(out.nodeLat);
	expect(stats.bbox).toEqual({
		minLon: Math.min(...lons),
		minLat: Math.min(...lats),
		maxLon: Math.max(...lons),
		maxLat: Math.max(...lats)
	});
	expect(out.bounds!.minLon).toBeLessThanOrEqual(stats.bbox.minLon);
	expect(out.bounds!.maxLat).toBeGreaterThanOrEqual(stats.bbox.maxLat);
	expect(stats.bbox.minLon - out.bounds!.minLon).toBeLessThan(2e-7);
	return out;
}

/**
 * OSM XML of `data`, written in the many ways real writers do: attributes in varying order,
 * either quote, untagged nodes sometimes as `<node …></node>`, comments, entities.
 */
function variedOsmXml(data: OsmData): string {
	const esc = (v: string, quote: string) =>
		v
			.replace(/&/g, '&amp;')
			.replace(/</g, '&lt;')
			.replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;')
			.replace(/\n/g, '&#10;')
			.replace(/\t/g, '&#x9;');
	const attr = (name: string, value: string | number, i: number) => {
		const quote = i % 3 === 0 ? "'" : '"';
		return `${name}=${quote}${esc(String(value), quote)}${quote}`;
	};
	const tags = (tagged: Record<string, string>, i: number) =>
		Object.entries(tagged)
			.map(([k, v], j) => `\n\t\t<tag ${attr('k', k, i + j)} ${attr('v', v, i + j + 1)}/>`)
			.join('');
	const parts = [
		`<?xml version="1.0" encoding="UTF-8"?>\n<!-- written by osm-clip.test.ts -->\n<osm version="0.6" generator='test'>\n`
	];
	for (let i = 0; i < data.nodeIds.length; i++) {
		const a = [
			attr('id', data.nodeIds[i], i),
			attr('lat', data.nodeLat[i], i + 1),
			attr('lon', data.nodeLon[i], i + 2),
			attr('version', 1, i)
		];
		if (i % 2 === 1) a.reverse();
		const t = data.nodeTags.get(i);
		if (t) parts.push(` <node ${a.join(' ')}>${tags(t, i)}\n </node>\n`);
		else if (i % 5 === 0) parts.push(` <node\n  ${a.join('\n  ')}\n ></node>\n`);
		else parts.push(` <node ${a.join(' ')} />\n`);
	}
	data.ways.forEach((way, i) => {
		parts.push(` <way ${attr('id', way.id, i)} visible="true">`);
		for (const ref of way.nodeRefs) parts.push(`<nd ${attr('ref', ref, i)}/>`);
		parts.push(`${tags(way.tags, i)}\n </way>\n`);
	});
	parts.push('<!-- relations <way id="1"> -->\n');
	data.relations.forEach((relation, i) => {
		parts.push(` <relation ${attr('id', relation.id, i)}>\n`);
		for (const m of relation.members)
			parts.push(
				`  <member ${attr('role', m.role, i)} ${attr('ref', m.ref, i)} type="${m.type}"/>\n`
			);
		parts.push(`${tags(relation.tags, i)}\n </relation>\n`);
	});
	parts.push('</osm>\n');
	return parts.join('');
}

describe.skipIf(!haveShared)('clipOsmExtract on real extracts (issue 12)', () => {
	let dir: string;
	let shenzhen: OsmData;
	let monaco: OsmData;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-osm-clip-'));
		shenzhen ??= readOutput(shenzhenPath);
		monaco ??= readOutput(monacoPath);
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it.each([
		['a pentagon', longgangPolygon, 400],
		['a multipolygon with a hole', longgangMulti, 250]
	] as const)(
		'XML (shenzhen_longgang_raw.osm, 8,005 nodes) clipped to %s keeps exactly the brute-force ways',
		async (_name, polygon, haloM) => {
			const out = join(dir, 'clip.osm');
			const stats = await clipOsmExtract(shenzhenPath, out, { polygon, haloM });
			expect(stats.format).toBe('xml');
			expect(stats.nodesRead).toBe(8005);
			expect(stats.waysRead).toBe(773);
			checkAgainstBruteForce(shenzhen, out, stats, polygon, haloM);
			expect(readdirSync(dir)).toEqual(['clip.osm']); // no temporary file left beside it
		}
	);

	it('PBF (monaco.osm.pbf) clipped to a pentagon keeps exactly the brute-force ways and relations', async () => {
		const out = join(dir, 'monaco.osm');
		const stats = await clipOsmExtract(monacoPath, out, { polygon: monacoPolygon, haloM: 300 });
		expect(stats.format).toBe('pbf');
		const clipped = checkAgainstBruteForce(monaco, out, stats, monacoPolygon, 300);
		// Water and landuse multipolygons survive as relations with their tags.
		expect(clipped.relations.some((r) => r.tags.type === 'multipolygon')).toBe(true);
	}, 60_000);

	it('the default halo is 1500 m', async () => {
		const corner: Polygon = {
			type: 'Polygon',
			coordinates: [regularPolygon(114.19, 22.676, 0.002)]
		};
		const out = join(dir, 'clip.osm');
		const stats = await clipOsmExtract(shenzhenPath, out, { polygon: corner });
		const expected = bruteForce(shenzhen, corner, 1500).wayIds;
		expect(ids(readOutput(out).ways)).toEqual(expected);
		expect(expected).not.toEqual(bruteForce(shenzhen, corner, 1000).wayIds);
		expect(stats.waysKept).toBeLessThan(shenzhen.ways.length);
	});

	it('XML and PBF of the same content give the same clipped extract (XML cut into 4 KiB chunks, gzip too)', async () => {
		const xmlPath = join(dir, 'monaco.osm');
		const xml = variedOsmXml(monaco);
		writeFileSync(xmlPath, xml);
		expect(readOutput(xmlPath).ways).toEqual(monaco.ways); // the test's writer is faithful
		const gzPath = join(dir, 'monaco.osm.gz');
		writeFileSync(gzPath, gzipSync(xml));
		const options = { polygon: monacoPolygon, haloM: 300 };
		const fromPbf = await clipOsmExtract(monacoPath, join(dir, 'a.osm'), options);
		const fromXml = await clipOsmExtract(xmlPath, join(dir, 'b.osm'), {
			...options,
			chunkBytes: 4093
		});
		const fromGz = await clipOsmExtract(gzPath, join(dir, 'c.osm'), {
			...options,
			chunkBytes: 1021
		});
		expect(fromXml.format).toBe('xml');
		const a = readOutput(join(dir, 'a.osm'));
		for (const other of ['b.osm', 'c.osm']) {
			const b = readOutput(join(dir, other));
			expect(ids(b.ways)).toEqual(ids(a.ways));
			expect(b.ways).toEqual(a.ways);
			expect(b.relations).toEqual(a.relations);
			expect(b.nodeIds).toEqual(a.nodeIds);
			expect(b.nodeLon).toEqual(a.nodeLon);
			expect(b.nodeLat).toEqual(a.nodeLat);
			expect(b.nodeTags).toEqual(a.nodeTags);
		}
		expect({ ...fromXml, millis: 0, peakRssBytes: 0, inputBytes: 0, format: '' }).toEqual({
			...fromPbf,
			millis: 0,
			peakRssBytes: 0,
			inputBytes: 0,
			format: ''
		});
		expect(fromGz.waysKept).toBe(fromPbf.waysKept);
	}, 60_000);

	it('is deterministic: two runs, and runs with other chunk sizes, write the same bytes', async () => {
		for (const [input, polygon] of [
			[shenzhenPath, longgangPolygon],
			[monacoPath, monacoPolygon]
		] as const) {
			await clipOsmExtract(input, join(dir, '1.osm'), { polygon, haloM: 400 });
			await clipOsmExtract(input, join(dir, '2.osm'), { polygon, haloM: 400 });
			// 997 bytes: every PBF blob is larger than the read window, XML tags and UTF-8 characters are cut.
			await clipOsmExtract(input, join(dir, '3.osm'), { polygon, haloM: 400, chunkBytes: 997 });
			const first = readFileSync(join(dir, '1.osm'));
			expect(readFileSync(join(dir, '2.osm')).equals(first)).toBe(true);
			expect(readFileSync(join(dir, '3.osm')).equals(first)).toBe(true);
		}
	}, 60_000);

	it('keeps Chinese names and tag values with entities intact', async () => {
		const out = join(dir, 'clip.osm');
		await clipOsmExtract(shenzhenPath, out, {
			polygon: longgangPolygon,
			haloM: 400,
			chunkBytes: 333
		});
		const clipped = readOutput(out);
		const named = clipped.ways.filter((w) => /[\u4e00-\u9fff]/.test(w.tags.name ?? ''));
		expect(named.length).toBeGreaterThan(0);
		const original = new Map(shenzhen.ways.map((w) => [w.id, w]));
		for (const way of named) expect(way.tags).toEqual(original.get(way.id)!.tags);
	});

	it('an abort leaves neither the output nor a temporary file', async () => {
		for (const input of [shenzhenPath, monacoPath]) {
			for (const abortIn of ['nodes', 'ways', 'write']) {
				const controller = new AbortController();
				const out = join(dir, 'clip.osm');
				const run = clipOsmExtract(input, out, {
					polygon: input === monacoPath ? monacoPolygon : longgangPolygon,
					haloM: 300,
					chunkBytes: 64 * 1024,
					signal: controller.signal,
					onProgress: ({ phase, fraction }) => {
						if (phase === abortIn && fraction > 0) controller.abort();
					}
				});
				await expect(run).rejects.toThrow(
					new RegExp(
						`${input === monacoPath ? 'monaco' : 'shenzhen'}.*cancelled during the ${abortIn} pass`
					)
				);
				await expect(run).rejects.toHaveProperty('name', 'AbortError');
				expect(readdirSync(dir)).toEqual([]);
			}
		}
		// Already aborted: refused before anything is read.
		const controller = new AbortController();
		controller.abort();
		await expect(
			clipOsmExtract(monacoPath, join(dir, 'x.osm'), {
				polygon: monacoPolygon,
				signal: controller.signal
			})
		).rejects.toHaveProperty('name', 'AbortError');
		expect(readdirSync(dir)).toEqual([]);
	});

	it('a boundary far from the extract (Paris for Longgang) is refused, naming the likely cause', async () => {
		const run = clipOsmExtract(shenzhenPath, join(dir, 'clip.osm'), { polygon: paris });
		await expect(run).rejects.toThrow(
			/shenzhen_longgang_raw\.osm: none of the 8005 nodes lies within 1500 m of the boundary: is this the extract of this region\? \(bbox of the file lon 114\.\d+…114\.\d+, lat 22\.\d+…22\.\d+; bbox of the boundary lon 2\.\d+…2\.\d+/
		);
		await expect(run).rejects.toHaveProperty('code', 'OUTSIDE_REGION');
		expect(readdirSync(dir)).toEqual([]);
	});

	it('a truncated PBF and a truncated XML are refused as truncated, leaving nothing', async () => {
		const pbf = join(dir, 'cut.osm.pbf');
		writeFileSync(pbf, readFileSync(monacoPath).subarray(0, 300_000));
		await expect(
			clipOsmExtract(pbf, join(dir, 'a.osm'), { polygon: monacoPolygon })
		).rejects.toThrow(
			/cut\.osm\.pbf: blob #\d+ at byte \d+: the OSMData blob declares \d+ bytes but only \d+ remain; the file is truncated/
		);
		const xml = join(dir, 'cut.osm');
		writeFileSync(xml, readFileSync(shenzhenPath).subarray(0, 1_000_000));
		await expect(
			clipOsmExtract(xml, join(dir, 'b.osm'), { polygon: longgangPolygon })
		).rejects.toThrow(/cut\.osm: .*the file is truncated/);
		expect(readdirSync(dir).sort()).toEqual(['cut.osm', 'cut.osm.pbf']);
	});
});

describe('clipOsmExtract on hand-written input', () => {
	let dir: string;
	beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'carecircle-osm-clip-'))));
	afterEach(() => rmSync(dir, { recursive: true, force: true }));
	/** A 2 km square at the equator-ish test site; node 4 is 300 m east of it, node 5 5 km away. */
	const square: Polygon = {
		type: 'Polygon',
		coordinates: [
			[
				[120.0, 36.0],
				[120.02, 36.0],
				[120.02, 36.02],
				[120.0, 36.02],
				[120.0, 36.0]
			]
		]
	};

	it('reads entities, either quote, any attribute order, self-closing or not, and ids past 2^32', async () => {
		const input = join(dir, 'hand.osm');
		writeFileSync(
			input,
			`<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE osm>
<osm version="0.6" generator="hand">
  <bounds minlat="0" minlon="0" maxlat="1" maxlon="1"/>
  <node lon="120.01" id="12900000001" lat='36.01'><tag k="name" v="A &amp; B &lt;老年&gt; &quot;q&quot; &#10;line"/><tag k='note' v='it&apos;s "ok"'/></node>
  <node id="12900000002" lat="36.011" lon="120.011"></node>
  <!-- a comment with <node id="99" lat="0" lon="0"/> inside -->
  <node id="12900000004" lat="36.01" lon="120.0233"/>
  <node id="12900000005" lat="36.01" lon="120.08"/>
  <node id="12900000006" lat="36.0" lon="120.09" action="delete"/>
  <node id="12900000007" lat="36.01" lon="120.085" visible="false"/>
  <way id="5000000001"><nd ref="12900000001"/><nd ref="12900000002"/><tag k="highway" v="footway"/></way>
  <way id="5000000002">
    <nd ref="12900000004"/>
    <nd ref="12900000005"/>
    <tag k="building" v="yes"/>
  </way>
  <way id="5000000003"><nd ref="12900000005"/><nd ref="12900000006"/><tag k="highway" v="far"/></way>
  <relation id="7"><member type="way" ref="5000000003" role="outer"/><member type="way" ref="5000000002" role="inner"/><member type="node" ref="12900000001" role="label"/><member type="node" ref="12900000007" role=""/><member type="relation" ref="8" role="sub"/><tag k="type" v="multipolygon"/></relation>
  <relation id="8"><member type="way" ref="5000000003" role=""/></relation>
</osm>
`
		);
		const out = join(dir, 'out.osm');
		const stats = await clipOsmExtract(input, out, { polygon: square, haloM: 500, chunkBytes: 7 });
		const text = readFileSync(out, 'utf8');
		const clipped = readOsm(new Uint8Array(readFileSync(out)), 'out.osm');
		expect(Array.from(clipped.nodeIds)).toEqual([
			12900000001, 12900000002, 12900000004, 12900000005
		]);
		expect(clipped.nodeTags.get(0)).toEqual({ name: 'A & B <老年> "q" \nline', note: `it's "ok"` });
		expect(text).toContain('v="A &amp; B &lt;老年&gt; &quot;q&quot; &#10;line"');
		expect(clipped.ways.map((w) => w.id)).toEqual([5000000001, 5000000002]);
		expect(clipped.relations).toEqual([
			{
				id: 7,
				members: [
					{ type: 'way', ref: 5000000002, role: 'inner' },
					{ type: 'node', ref: 12900000001, role: 'label' }
				],
				tags: { type: 'multipolygon' }
			}
		]);
		expect(stats).toMatchObject({
			nodesRead: 4, // the deleted and invisible nodes are not part of the data
			nodesKept: 4,
			waysRead: 3,
			waysKept: 2,
			relationsRead: 2,
			relationsKept: 1,
			highwayWaysKept: 1,
			buildingWaysKept: 1
		});
		expect(
			text.startsWith(
				'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="carecircle osm-clip">\n <bounds minlat="36.0100000" minlon="120.0100000" maxlat="36.0110000" maxlon="120.0800000"'
			)
		).toBe(true);
	});

	it('refuses a way after a relation with the osmium sort recipe', async () => {
		const input = join(dir, 'unsorted.osm');
		writeFileSync(
			input,
			`<osm version="0.6"><node id="1" lat="36.01" lon="120.01"/><way id="1"><nd ref="1"/></way><relation id="1"><member type="way" ref="1" role=""/></relation><way id="2"><nd ref="1"/></way></osm>`
		);
		await expect(clipOsmExtract(input, join(dir, 'o.osm'), { polygon: square })).rejects.toThrow(
			/unsorted\.osm: way 2 comes after relation 1: the file is not sorted .* `osmium sort unsorted\.osm/
		);
		expect(readdirSync(dir)).toEqual(['unsorted.osm']);
	});

	it('refuses a node after a way, and names the line of an error found after the node section', async () => {
		const nodes = Array.from(
			{ length: 40 },
			(_, i) => `<node id="${i + 1}" lat="36.01" lon="120.01"/>`
		).join('\n');
		const unsorted = join(dir, 'nodes-late.osm');
		writeFileSync(
			unsorted,
			`<osm version="0.6">\n${nodes}\n<way id="1">\n<nd ref="1"/>\n</way>\n<node id="99" lat="36.01" lon="120.01"/>\n</osm>\n`
		);
		// Line 1 is <osm>, 2–41 the nodes, 42–44 the way, 45 the late node.
		await expect(
			clipOsmExtract(unsorted, join(dir, 'o.osm'), { polygon: square, chunkBytes: 64 })
		).rejects.toThrow(
			/nodes-late\.osm: line 45: node 99 comes after way 1: the file is not sorted \(nodes, then ways, then relations\)/
		);
		const badRef = join(dir, 'bad-ref.osm');
		writeFileSync(
			badRef,
			`<osm version="0.6">\n${nodes}\n<way id="1">\n<nd ref="1"/>\n<nd ref="one"/>\n</way>\n</osm>\n`
		);
		for (const chunkBytes of [16, 64, 1000, 1 << 20]) {
			await expect(
				clipOsmExtract(badRef, join(dir, 'o.osm'), { polygon: square, chunkBytes })
			).rejects.toThrow(
				/bad-ref\.osm: line 44: <nd> has ref="one"; expected an OSM node id \(integer\)/
			);
		}
		expect(readdirSync(dir).sort()).toEqual(['bad-ref.osm', 'nodes-late.osm']);
	});

	it('refuses missing, empty, foreign and malformed files naming the file and the fix', async () => {
		const out = join(dir, 'o.osm');
		const cases: [string, string | Uint8Array | null, RegExp][] = [
			['missing.osm', null, /missing\.osm: cannot open .*missing\.osm/],
			['empty.osm', '', /empty\.osm: the file is empty \(0 bytes\)/],
			[
				'roads.geojson',
				'{"type":"FeatureCollection"}',
				/roads\.geojson: neither OSM PBF nor OSM XML.*looks like JSON/
			],
			[
				'page.osm',
				'<html><body>404</body></html>',
				/page\.osm: line 1: the root element is <html> — this is a web page/
			],
			[
				'bad.osm',
				'<osm version="0.6">\n<node id="x" lat="1" lon="2"/></osm>',
				/bad\.osm: line 2: <node id="x"> has id="x"; expected an OSM node id/
			],
			[
				'lat.osm',
				'<osm>\n\n<node id="1" lat="95" lon="2"/></osm>',
				/lat\.osm: line 3: <node id="1"> has lat="95"; expected a decimal latitude/
			],
			[
				'cut.osm',
				'<osm version="0.6"><node id="1" lat="36.01" lon="120.01"/>',
				/cut\.osm: the file ends without <\/osm>/
			],
			[
				'attr.osm',
				'<osm><node id="1" lat="36.01" lon="120.01" oops/></osm>',
				/attr\.osm: line 1: <node> has a malformed attribute/
			]
		];
		for (const [name, content, message] of cases) {
			const input = join(dir, name);
			if (content !== null) writeFileSync(input, content);
			await expect(clipOsmExtract(input, out, { polygon: square }), name).rejects.toThrow(message);
			expect(existsSync(out)).toBe(false);
		}
		expect(readdirSync(dir).some((f) => f.includes('.tmp-'))).toBe(false);
	});

	it('refuses a boundary that is not WGS84 lon/lat', async () => {
		const input = join(dir, 'a.osm');
		writeFileSync(input, '<osm><node id="1" lat="36.01" lon="120.01"/></osm>');
		const projected: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[500000, 3980000],
					[501000, 3980000],
					[501000, 3981000],
					[500000, 3980000]
				]
			]
		};
		await expect(clipOsmExtract(input, join(dir, 'o.osm'), { polygon: projected })).rejects.toThrow(
			/boundary polygon 0 ring 0 position 0 is \[500000,3980000\]; expected \[lon, lat\] in WGS84 degrees/
		);
		await expect(
			clipOsmExtract(input, join(dir, 'o.osm'), { polygon: square, haloM: -1 })
		).rejects.toThrow(/haloM is -1/);
		await expect(clipOsmExtract(input, input, { polygon: square })).rejects.toThrow(
			/a\.osm: the output path is the input file itself/
		);
		expect(readFileSync(input, 'utf8')).toContain('<node id="1"');
	});

	it("the bench's synthetic extract reads the same as PBF and XML and clips to the same bytes", async () => {
		const grid = { ...DEFAULT_GRID, rows: 120, cols: 130 };
		const pbf = join(dir, 'grid.osm.pbf');
		const xml = join(dir, 'grid.osm');
		expect(writeSyntheticExtract(pbf, 'pbf', grid)).toEqual(
			writeSyntheticExtract(xml, 'xml', grid)
		);
		const a = readOsm(new Uint8Array(readFileSync(pbf)), 'grid.osm.pbf');
		const b = readOsm(new Uint8Array(readFileSync(xml)), 'grid.osm');
		expect(a.nodeIds.length).toBe(120 * 130);
		expect(a.nodeIds[0]).toBe(12_000_000_000);
		expect(b.nodeIds).toEqual(a.nodeIds);
		expect(b.nodeLon).toEqual(a.nodeLon);
		expect(b.nodeLat).toEqual(a.nodeLat);
		expect(b.nodeTags).toEqual(a.nodeTags);
		expect(b.ways).toEqual(a.ways);
		expect(b.relations).toEqual(a.relations);
		const polygon = benchPolygon(grid);
		const fromPbf = await clipOsmExtract(pbf, join(dir, 'a.osm'), { polygon, haloM: 200 });
		const fromXml = await clipOsmExtract(xml, join(dir, 'b.osm'), { polygon, haloM: 200 });
		expect(readFileSync(join(dir, 'b.osm')).equals(readFileSync(join(dir, 'a.osm')))).toBe(true);
		expect(fromPbf.waysKept).toBe(fromXml.waysKept);
		expect(ids(readOutput(join(dir, 'a.osm')).ways)).toEqual(bruteForce(a, polygon, 200).wayIds);
	});
});
