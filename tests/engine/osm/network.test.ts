import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	createOsmData,
	osmToNetworkFeatures,
	readOsm,
	readOsmPbf,
	readOsmXml,
	WALKING_TAG_KEYS,
	type OsmData
} from '../../../src/lib/engine/osm/index.ts';
import { networkFeature } from '../../../src/lib/engine/region/schema.ts';

const DATA_DIR = path.join(import.meta.dirname, '../../..', '..', 'shared', 'data');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

describe('osmToNetworkFeatures on the hand-written fixture', () => {
	const data = readOsmXml(
		readFileSync(path.join(FIXTURES, 'tiny-edge-cases.osm'), 'utf8'),
		'tiny-edge-cases.osm'
	);
	const { features, skipped, clipped } = osmToNetworkFeatures(data);
	const lonLat = (id: number): [number, number] => {
		const i = data.nodeIndex(id);
		return [data.nodeLon[i], data.nodeLat[i]];
	};

	it('converts each highway way once; non-highway ways are not converted', () => {
		expect(features.map((f) => f.properties.osmId)).toEqual([100, 101, -7]);
		expect(skipped.map((s) => s.wayId)).toEqual([102, 104, 105]);
		// 6 highway ways = 3 features + 3 skipped; the building (103) is not a highway.
		expect(features.length + skipped.length).toBe(data.ways.filter((w) => w.tags.highway).length);
	});

	it('copies highway, osmId, name and the walking tags only, as strings', () => {
		expect(features[0].properties).toEqual({
			highway: 'footway',
			osmId: 100,
			name: '水官 path',
			footway: 'sidewalk',
			incline: 'up'
		});
		expect(features[1].properties).toEqual({
			highway: 'service',
			osmId: 101,
			service: 'alley',
			access: 'private'
		});
		expect(features[2].properties).toEqual({
			highway: 'pedestrian',
			osmId: -7,
			area: 'yes',
			foot: 'designated'
		});
	});

	it('a complete way becomes a LineString through its nodes in order', () => {
		expect(features[0].geometry).toEqual({
			type: 'LineString',
			coordinates: [lonLat(1), lonLat(2), lonLat(4291998095), lonLat(12345678901)]
		});
	});

	it('a way clipped in the middle keeps both pieces as a MultiLineString and is counted in `clipped`', () => {
		expect(features[1].geometry).toEqual({
			type: 'MultiLineString',
			coordinates: [
				[lonLat(1), lonLat(2)],
				[lonLat(7), lonLat(8)]
			]
		});
		expect(clipped).toEqual([{ wayId: 101, missingNodeCount: 1, pieceCount: 2 }]);
	});

	it('ways with no 2 consecutive nodes in the file are skipped with the reason', () => {
		expect(skipped).toEqual([
			{
				wayId: 102,
				reason:
					'only 2 of its 3 nodes are in the file and no 2 of them are consecutive (clipped extract)'
			},
			{ wayId: 104, reason: 'none of its 2 nodes is in the file (clipped extract)' },
			{ wayId: 105, reason: 'has 1 node ref(s); a line needs at least 2' }
		]);
	});

	it('every feature is valid against the region schema', () => {
		for (const feature of features) expect(networkFeature.safeParse(feature).success).toBe(true);
	});
});

describe('osmToNetworkFeatures on real extracts', () => {
	const monaco = readOsmPbf(
		new Uint8Array(readFileSync(path.join(DATA_DIR, 'osm/monaco.osm.pbf'))),
		'monaco.osm.pbf'
	);

	it('monaco: 2,927 highway ways → 2,924 features + 3 single-node ways skipped; none clipped', () => {
		const { features, skipped, clipped } = osmToNetworkFeatures(monaco);
		expect(features.length).toBe(2_924);
		expect(skipped).toHaveLength(3);
		for (const s of skipped) {
			expect(s.reason).toBe('has 1 node ref(s); a line needs at least 2');
			expect(monaco.ways.find((w) => w.id === s.wayId)?.nodeRefs.length).toBe(1);
		}
		expect(clipped).toEqual([]);
		// Every feature passes the region schema (WGS84 ranges, ≥ 2 positions, property types).
		const invalid = features
			.filter((f) => !networkFeature.safeParse(f).success)
			.map((f) => f.properties.osmId);
		expect(invalid).toEqual([]);
		// Only the listed tags are copied.
		const allowed = new Set<string>(['highway', 'osmId', 'name', ...WALKING_TAG_KEYS]);
		expect(
			features.flatMap((f) => Object.keys(f.properties)).filter((k) => !allowed.has(k))
		).toEqual([]);
		expect(features.filter((f) => f.properties.highway === 'steps').length).toBe(259);
	});

	it('monaco: coordinates agree with a brute-force linear search of the node arrays (seeded sample of 60 ways)', () => {
		const { features } = osmToNetworkFeatures(monaco);
		const byId = new Map(monaco.ways.map((w) => [w.id, w]));
		let seed = 12345;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let k = 0; k < 60; k++) {
			const feature = features[Math.floor(random() * features.length)];
			const way = byId.get(feature.properties.osmId!)!;
			expect(feature.geometry.type).toBe('LineString');
			const coordinates = feature.geometry.coordinates as number[][];
			expect(coordinates.length).toBe(way.nodeRefs.length);
			way.nodeRefs.forEach((ref, i) => {
				const index = monaco.nodeIds.indexOf(ref);
				expect(coordinates[i]).toEqual([monaco.nodeLon[index], monaco.nodeLat[index]]);
			});
		}
	});

	it('monaco clipped to lon < 7.42 (a synthetic clipped extract): pieces match an independent count, nothing dropped silently', () => {
		const keep: number[] = [];
		for (let i = 0; i < monaco.nodeIds.length; i++) if (monaco.nodeLon[i] < 7.42) keep.push(i);
		const clippedData: OsmData = createOsmData({
			nodeIds: Float64Array.from(keep, (i) => monaco.nodeIds[i]),
			nodeLon: Float64Array.from(keep, (i) => monaco.nodeLon[i]),
			nodeLat: Float64Array.from(keep, (i) => monaco.nodeLat[i]),
			nodeTags: new Map(),
			ways: monaco.ways,
			relations: [],
			bounds: null
		});
		const kept = new Set(clippedData.nodeIds);
		// Independent count: a way yields one line per run of ≥ 2 consecutive kept nodes.
		let expectedFeatures = 0;
		let expectedClipped = 0;
		let expectedLines = 0;
		for (const way of monaco.ways) {
			if (!way.tags.highway) continue;
			let run = 0;
			let lines = 0;
			const refs = Array.from(way.nodeRefs);
			for (const ref of [...refs, NaN]) {
				if (kept.has(ref)) run++;
				else {
					if (run >= 2) lines++;
					run = 0;
				}
			}
			if (lines > 0) {
				expectedFeatures++;
				expectedLines += lines;
				if (refs.some((ref) => !kept.has(ref))) expectedClipped++;
			}
		}
		const { features, skipped, clipped } = osmToNetworkFeatures(clippedData);
		expect(features.length).toBe(expectedFeatures);
		expect(clipped.length).toBe(expectedClipped);
		expect(clipped.length).toBeGreaterThan(10); // the cut really clips ways
		expect(features.length + skipped.length).toBe(2_927);
		const lines = features.reduce(
			(sum, f) => sum + (f.geometry.type === 'LineString' ? 1 : f.geometry.coordinates.length),
			0
		);
		expect(lines).toBe(expectedLines);
		for (const f of features) {
			const parts =
				f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
			for (const part of parts) for (const [lon] of part) expect(lon).toBeLessThan(7.42);
		}
	});

	it('shenzhen XML and shanghai OSMnx XML: every highway way becomes a LineString (complete ways)', () => {
		for (const [file, highways] of [
			['roads/shenzhen_longgang_raw.osm', 516],
			['roads/shanghai_jingan_huangpu_drive_osmnx.osm', 796]
		] as const) {
			const data = readOsm(new Uint8Array(readFileSync(path.join(DATA_DIR, file))), file);
			const { features, skipped, clipped } = osmToNetworkFeatures(data);
			expect(features.length, file).toBe(highways);
			expect(skipped, file).toEqual([]);
			expect(clipped, file).toEqual([]);
			expect(
				features.every(
					(f) => f.geometry.type === 'LineString' && networkFeature.safeParse(f).success
				),
				file
			).toBe(true);
		}
	});
});
