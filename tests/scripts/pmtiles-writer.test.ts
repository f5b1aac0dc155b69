import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, Point, Polygon, MultiPolygon } from 'geojson';
import { PbfReader } from 'pbf';
import { PMTiles, tileIdToZxy, zxyToTileId as readerTileId, type Source } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegions } from '../../scripts/build-region.ts';
import { MAJOR_HIGHWAYS, tileRange, TILES_FILE } from '../../scripts/region/map-tiles.ts';
import {
	PMTILES_HEADER_BYTES,
	PMTILES_ROOT_FETCH_BYTES,
	writePmtiles,
	zxyToTileId
} from '../../scripts/region/pmtiles-writer.ts';
import { GET } from '../../src/routes/api/regions/[id]/tiles.pmtiles/+server.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const committedDir = join(repoRoot, 'data', 'regions');
const sharedDir = join(repoRoot, '..', 'shared', 'data');
const hasShared = existsSync(join(sharedDir, 'tiles', 'shanghai_bund_lujiazui_tilezen_z16.json'));
const DEMO = 'shanghai-bund-lujiazui';
const LAOSHAN = 'qingdao-laoshan';

// @mapbox/vector-tile 1.x is CommonJS without types: the decoder side of vt-pbf.
interface DecodedFeature {
	properties: Record<string, string | number | boolean>;
	toGeoJSON(x: number, y: number, z: number): Feature;
}
interface DecodedLayer {
	length: number;
	extent: number;
	feature(i: number): DecodedFeature;
}
const { VectorTile } = createRequire(import.meta.url)('@mapbox/vector-tile') as {
	VectorTile: new (pbf: PbfReader) => { layers: Record<string, DecodedLayer> };
};

function memorySource(bytes: Uint8Array, key = 'memory'): Source {
	return {
		getKey: () => key,
		getBytes: async (offset, length) => ({ data: bytes.slice(offset, offset + length).buffer })
	};
}

function decode(data: ArrayBuffer): Record<string, DecodedLayer> {
	return new VectorTile(new PbfReader(new Uint8Array(data))).layers;
}

function features(layer: DecodedLayer | undefined): DecodedFeature[] {
	return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)) : [];
}

function lonLatToTile(lon: number, lat: number, z: number): [number, number] {
	const rad = (lat * Math.PI) / 180;
	return [
		Math.floor(((lon + 180) / 360) * 2 ** z),
		Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z)
	];
}

/** Small deterministic generator (mulberry32) for synthetic tiles. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const json = (text: string) => JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('zxyToTileId (Hilbert tile ids)', () => {
	it('agrees with the pmtiles reader on every tile of z0–7 and on samples up to z26', () => {
		let checked = 0;
		for (let z = 0; z <= 7; z++)
			for (let x = 0; x < 2 ** z; x++)
				for (let y = 0; y < 2 ** z; y++) {
					expect(zxyToTileId(z, x, y)).toBe(readerTileId(z, x, y));
					checked++;
				}
		const next = random(7);
		for (let i = 0; i < 2000; i++) {
			const z = 8 + Math.floor(next() * 19);
			const x = Math.floor(next() * 2 ** z);
			const y = Math.floor(next() * 2 ** z);
			expect(zxyToTileId(z, x, y), `${z}/${x}/${y}`).toBe(readerTileId(z, x, y));
		}
		expect(checked).toBe((4 ** 8 - 1) / 3);
		expect(zxyToTileId(1, 0, 0)).toBe(1);
		expect(() => zxyToTileId(3, 8, 0)).toThrow(/outside zoom 3/);
		expect(() => zxyToTileId(27, 0, 0)).toThrow(/0–26/);
	});
});

describe('writePmtiles round trip through the pmtiles reader', () => {
	// z2–5 over one corner of the world; every third tile repeats one shared content, and a block of
	// consecutive Hilbert ids repeats another (a run-length entry).
	const shared = new TextEncoder().encode('shared tile content');
	const runContent = new TextEncoder().encode('run of identical tiles');
	const tiles = new Map<string, Uint8Array>();
	let distinct = 0;
	for (let z = 2; z <= 5; z++)
		for (let x = 0; x < 3; x++)
			for (let y = 0; y < 3; y++) {
				const key = `${z}/${x}/${y}`;
				if ((x + y + z) % 3 === 0) tiles.set(key, shared);
				else {
					tiles.set(key, new TextEncoder().encode(`tile ${key}`));
					distinct++;
				}
			}
	// z6 tiles 0..15 along the Hilbert curve: x, y in 0..3, all the same bytes.
	for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) tiles.set(`6/${x}/${y}`, runContent);
	// The same bytes once more after a gap in the ids: a separate entry pointing at the same data.
	tiles.set('6/7/7', runContent);
	const meta = {
		tileType: 'mvt' as const,
		bounds: [120.4058883, 35.888432, 120.955088, 36.341497] as [number, number, number, number],
		center: [120.68, 36.11, 11] as [number, number, number],
		metadata: { name: '测试 test', vector_layers: [{ id: 'roads', fields: {} }] }
	};

	async function expectEveryTile(bytes: Uint8Array): Promise<void> {
		const reader = new PMTiles(memorySource(bytes));
		for (const [key, data] of tiles) {
			const [z, x, y] = key.split('/').map(Number);
			const got = await reader.getZxy(z, x, y);
			expect(got, key).toBeDefined();
			expect(new Uint8Array(got!.data), key).toEqual(data);
		}
		expect(await reader.getZxy(5, 20, 20)).toBeUndefined(); // inside the zooms, not written
		const [z, x, y] = tileIdToZxy(zxyToTileId(6, 0, 0) + 16); // just past the run of 16
		expect(tiles.has(`${z}/${x}/${y}`)).toBe(false);
		expect(await reader.getZxy(z, x, y)).toBeUndefined();
		expect(await reader.getZxy(7, 0, 0)).toBeUndefined(); // above maxZoom
	}

	it('writes the header fields, every tile and the metadata (gzip tiles and directories)', async () => {
		const { bytes, stats } = writePmtiles(tiles, meta);
		const header = await new PMTiles(memorySource(bytes)).getHeader();
		expect(header).toMatchObject({
			specVersion: 3,
			rootDirectoryOffset: PMTILES_HEADER_BYTES,
			numAddressedTiles: tiles.size,
			numTileContents: distinct + 2,
			clustered: true,
			internalCompression: 2,
			tileCompression: 2,
			tileType: 1,
			minZoom: 2,
			maxZoom: 6,
			minLon: 120.4058883,
			minLat: 35.888432,
			maxLon: 120.955088,
			maxLat: 36.341497,
			centerLon: 120.68,
			centerLat: 36.11,
			centerZoom: 11
		});
		// The first 16 z6 tiles are consecutive ids 1365 … 1380 with the same bytes: one entry with
		// run length 16; 6/7/7 repeats those bytes after a gap, so it is an entry of its own.
		expect(header.numTileEntries).toBe(tiles.size - 15);
		expect(header.leafDirectoryLength).toBe(0);
		expect(header.tileDataOffset! + header.tileDataLength!).toBe(bytes.length);
		expect(stats).toMatchObject({ bytes: bytes.length, leafDirectories: 0 });
		await expectEveryTile(bytes);
		expect(await new PMTiles(memorySource(bytes)).getMetadata()).toEqual(meta.metadata);
	});

	it('stores raw bytes when asked for no compression, and flags it in the header', async () => {
		const { bytes } = writePmtiles(tiles, {
			...meta,
			tileCompression: 'none',
			internalCompression: 'none'
		});
		const header = await new PMTiles(memorySource(bytes)).getHeader();
		expect([header.internalCompression, header.tileCompression]).toEqual([1, 1]);
		const text = new TextDecoder().decode(bytes);
		expect(text).toContain('tile 3/1/0');
		expect(text.split('shared tile content')).toHaveLength(2); // stored once
		expect(text).toContain('"name":"测试 test"');
		await expectEveryTile(bytes);
	});

	it('moves entries into leaf directories when asked to and the reader still finds every tile', async () => {
		const { bytes, stats } = writePmtiles(tiles, { ...meta, forceLeaves: true, leafEntries: 7 });
		expect(stats.leafDirectories).toBe(Math.ceil(stats.tileEntries / 7));
		const header = await new PMTiles(memorySource(bytes)).getHeader();
		expect(header.leafDirectoryLength).toBeGreaterThan(0);
		await expectEveryTile(bytes);
	});

	it('keeps the root directory inside the first 16 KiB when 40 000 distinct tiles need leaves', async () => {
		const next = random(11);
		const many = new Map<string, Uint8Array>();
		for (let x = 0; x < 256 && many.size < 40_000; x++)
			for (let y = 0; y < 256 && many.size < 40_000; y++) {
				if (next() < 0.35) continue;
				const data = new Uint8Array(1 + Math.floor(next() * 300));
				data[0] = x;
				data[1 % data.length] = y;
				many.set(`8/${x}/${y}`, data);
			}
		const { bytes, stats } = writePmtiles(many, {
			tileType: 'mvt',
			tileCompression: 'none',
			bounds: [-180, -85, 180, 85],
			metadata: {}
		});
		expect(stats.leafDirectories).toBeGreaterThan(0);
		const reader = new PMTiles(memorySource(bytes));
		const header = await reader.getHeader();
		expect(PMTILES_HEADER_BYTES + header.rootDirectoryLength).toBeLessThanOrEqual(
			PMTILES_ROOT_FETCH_BYTES
		);
		for (const [key, data] of many) {
			const [z, x, y] = key.split('/').map(Number);
			const got = await reader.getZxy(z, x, y);
			expect(got && new Uint8Array(got.data), key).toEqual(data);
		}
	});

	it('is deterministic: the same input gives the same bytes, gzip without a timestamp', () => {
		const a = writePmtiles(tiles, meta).bytes;
		const b = writePmtiles(new Map([...tiles].reverse()), meta).bytes;
		expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
		// The first tile's gzip member: magic 1f 8b, method 8, then 4 bytes of mtime, all zero.
		const dataOffset = Number(new DataView(a.buffer, a.byteOffset).getBigUint64(56, true));
		expect([...a.subarray(dataOffset, dataOffset + 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
	});

	it('rejects an empty tile set and keys that are not z/x/y inside their zoom', () => {
		expect(() => writePmtiles(new Map(), meta)).toThrow(/no tiles/);
		expect(() => writePmtiles(new Map([['1/2/0', shared]]), meta)).toThrow(/outside zoom 1/);
		expect(() => writePmtiles(new Map([['a/b', shared]]), meta)).toThrow(/not "z\/x\/y"/);
	});
});

describe('region tiles.pmtiles (committed data)', () => {
	const read = (id: string) => new Uint8Array(readFileSync(join(committedDir, id, TILES_FILE)));
	const regionJson = (id: string) =>
		json(readFileSync(join(committedDir, id, 'region.json'), 'utf8'));
	const layerJson = (id: string, file: string) =>
		json(readFileSync(join(committedDir, id, file), 'utf8'));

	it('demo region: header, metadata and every addressed tile decodes as MVT', async () => {
		const bytes = read(DEMO);
		expect(bytes.length).toBeLessThan(3 * 1024 * 1024);
		const reader = new PMTiles(memorySource(bytes));
		const header = await reader.getHeader();
		const meta = regionJson(DEMO);
		expect([header.minLon, header.minLat, header.maxLon, header.maxLat]).toEqual(meta.bbox);
		expect([header.minZoom, header.maxZoom, header.tileType, header.tileCompression]).toEqual([
			10, 16, 1, 2
		]);
		const metadata = json(JSON.stringify(await reader.getMetadata()));
		expect(metadata.vector_layers.map((layer: { id: string }) => layer.id)).toEqual([
			'water',
			'boundaries',
			'compounds',
			'buildings',
			'roads',
			'facilities'
		]);
		expect(metadata.attribution).toContain('© OpenStreetMap contributors');
		expect(Object.keys(metadata.carecircle.inputs).sort()).toEqual([
			'boundaries.geojson',
			'buildings.geojson',
			'facilities.geojson',
			'network.geojson',
			'residential.geojson'
		]);
		let found = 0;
		for (let z = header.minZoom; z <= header.maxZoom; z++) {
			const { x0, x1, y0, y1 } = tileRange(meta.bbox, z);
			for (let x = x0; x <= x1; x++)
				for (let y = y0; y <= y1; y++) {
					const tile = await reader.getZxy(z, x, y);
					if (!tile) continue;
					found++;
					const layers = decode(tile.data);
					expect(Object.keys(layers).length, `${z}/${x}/${y}`).toBeGreaterThan(0);
					for (const layer of Object.values(layers)) expect(layer.extent).toBe(4096);
				}
		}
		expect(found).toBe(header.numAddressedTiles);
	});

	it('demo region: 崂山五村 and its meal point at z16, in place; buildings from z14; major roads only below z13', async () => {
		const reader = new PMTiles(memorySource(read(DEMO)));
		const facility = layerJson(DEMO, 'facilities.geojson').features[0] as Feature<Point>;
		const [lon, lat] = facility.geometry.coordinates;
		const tileAt = async (z: number) => {
			const [x, y] = lonLatToTile(lon, lat, z);
			const tile = await reader.getZxy(z, x, y);
			expect(tile, `z${z}`).toBeDefined();
			return { layers: decode(tile!.data), x, y };
		};

		const z16 = await tileAt(16);
		expect(Object.keys(z16.layers).sort()).toEqual(
			['boundaries', 'buildings', 'compounds', 'facilities', 'roads'].sort()
		);
		const compound = features(z16.layers.compounds).find((f) => f.properties.name === '崂山五村');
		expect(compound?.properties).toEqual({
			id: 'osm-407443046',
			name: '崂山五村',
			status: 'existing',
			estimated: true
		});
		const [meal] = features(z16.layers.facilities);
		expect(meal.properties).toEqual({
			id: facility.properties!.id,
			name: '陆家嘴街道综合为老服务中心助餐点',
			kind: 'meal_point',
			status: 'existing'
		});
		// Decoded back to lon/lat, the tile's compound polygon contains the tile's facility point.
		const polygon = compound!.toGeoJSON(z16.x, z16.y, 16) as Feature<Polygon | MultiPolygon>;
		const point = meal.toGeoJSON(z16.x, z16.y, 16) as Feature<Point>;
		expect(booleanPointInPolygon(point, polygon)).toBe(true);
		const [decodedLon, decodedLat] = point.geometry.coordinates;
		expect(Math.abs(decodedLon - lon)).toBeLessThan(1e-5); // < 1 m: 4096 units per 600 m tile
		expect(Math.abs(decodedLat - lat)).toBeLessThan(1e-5);

		expect((await tileAt(14)).layers.buildings).toBeDefined();
		const z13 = await tileAt(13);
		expect(z13.layers.buildings).toBeUndefined();
		expect(features(z13.layers.roads).some((f) => f.properties.highway === 'footway')).toBe(true);
		const z12 = await tileAt(12);
		const z12Roads = features(z12.layers.roads);
		expect(z12Roads.length).toBeGreaterThan(0);
		for (const road of z12Roads)
			expect(MAJOR_HIGHWAYS.has(String(road.properties.highway))).toBe(true);
		expect(features(z12.layers.compounds).map((f) => f.properties.name)).toContain('崂山五村');
		const water = features((await tileAt(10)).layers.water).map((f) => f.properties.name);
		expect(water).toContain('黄浦江');
	});

	it('Laoshan (boundaries only): the district and its five streets by name and code', async () => {
		const bytes = read(LAOSHAN);
		expect(bytes.length).toBeLessThan(3 * 1024 * 1024);
		const reader = new PMTiles(memorySource(bytes));
		const metadata = json(JSON.stringify(await reader.getMetadata()));
		expect(metadata.vector_layers.map((layer: { id: string }) => layer.id)).toEqual(['boundaries']);
		const meta = regionJson(LAOSHAN);
		const names = new Map<string, string>();
		const { x0, x1, y0, y1 } = tileRange(meta.bbox, 11);
		for (let x = x0; x <= x1; x++)
			for (let y = y0; y <= y1; y++) {
				const tile = await reader.getZxy(11, x, y);
				if (!tile) continue;
				const layers = decode(tile.data);
				expect(Object.keys(layers)).toEqual(['boundaries']);
				for (const f of features(layers.boundaries))
					names.set(String(f.properties.code), String(f.properties.name));
			}
		expect(Object.fromEntries(names)).toEqual({
			'370212': '崂山区',
			'370212001': '中韩街道',
			'370212002': '沙子口街道',
			'370212003': '王哥庄街道',
			'370212004': '北宅街道',
			'370212005': '金家岭街道'
		});
	});

	describe.skipIf(!hasShared)('rebuild (skipped: ../shared/data is absent)', () => {
		let outA = '';
		let outB = '';
		beforeAll(() => {
			outA = mkdtempSync(join(tmpdir(), 'carecircle-tiles-'));
			outB = mkdtempSync(join(tmpdir(), 'carecircle-tiles-'));
			buildRegions({ sharedDir, outDir: outA });
			buildRegions({ sharedDir, outDir: outB });
		}, 60_000);
		afterAll(() => {
			for (const dir of [outA, outB]) if (dir) rmSync(dir, { recursive: true, force: true });
		});

		it('two builds write the same bytes, equal to the committed tiles byte for byte', () => {
			for (const id of [DEMO, LAOSHAN]) {
				const a = readFileSync(join(outA, id, TILES_FILE));
				const b = readFileSync(join(outB, id, TILES_FILE));
				expect(a.equals(b), `${id}: two builds`).toBe(true);
				expect(a.equals(readFileSync(join(committedDir, id, TILES_FILE))), `${id}: committed`).toBe(
					true
				);
			}
		});
	});
});

describe.skipIf(!hasShared)(
	'roads from an OSM extract added with --osm (skipped: ../shared/data is absent)',
	() => {
		// Two ways in 崂山区 near 金家岭 and one in Shanghai, outside the region.
		const extract = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand-written test extract">
  <node id="1" lat="36.0900" lon="120.4700"/>
  <node id="2" lat="36.0910" lon="120.4710"/>
  <node id="3" lat="36.0920" lon="120.4705"/>
  <node id="4" lat="31.2300" lon="121.5000"/>
  <node id="5" lat="31.2310" lon="121.5010"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="测试路"/></way>
  <way id="12"><nd ref="4"/><nd ref="5"/><tag k="highway" v="footway"/></way>
</osm>
`;
		let dir = '';
		beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'carecircle-tiles-osm-'))));
		afterAll(() => {
			if (dir) rmSync(dir, { recursive: true, force: true });
		});

		async function roadsAt(regionDir: string, z: number): Promise<DecodedFeature[]> {
			const reader = new PMTiles(
				memorySource(new Uint8Array(readFileSync(join(regionDir, TILES_FILE))))
			);
			const [x, y] = lonLatToTile(120.4705, 36.091, z);
			const tile = await reader.getZxy(z, x, y);
			expect(tile, `z${z}`).toBeDefined();
			return features(decode(tile!.data).roads);
		}

		it("draws the extract's ways inside the region, on the first build and on a rebuild without --osm", async () => {
			writeFileSync(join(dir, 'laoshan.osm'), extract);
			const out = join(dir, 'regions');
			const regionDir = join(out, LAOSHAN);
			buildRegions({
				sharedDir,
				outDir: out,
				regions: [LAOSHAN],
				osmExtract: join(dir, 'laoshan.osm')
			});
			const first = readFileSync(join(regionDir, TILES_FILE));
			const roads = (await roadsAt(regionDir, 16)).map((f) => f.properties);
			expect(roads).toEqual(
				expect.arrayContaining([{ highway: 'footway' }, { highway: 'residential', name: '测试路' }])
			);
			expect(roads).toHaveLength(2);
			expect(await roadsAt(regionDir, 12)).toEqual([]); // neither is a major road
			const reader = new PMTiles(memorySource(new Uint8Array(first)));
			const metadata = json(JSON.stringify(await reader.getMetadata()));
			expect(Object.keys(metadata.carecircle.inputs)).toContain('network.osm');

			buildRegions({ sharedDir, outDir: out, regions: [LAOSHAN] }); // the installed extract stays
			expect(readFileSync(join(regionDir, TILES_FILE)).equals(first)).toBe(true);
		});
	}
);

describe('GET /api/regions/[id]/tiles.pmtiles', () => {
	let regionsDir = '';
	let previousEnv: string | undefined;
	let archive: Uint8Array;
	beforeAll(() => {
		previousEnv = process.env.CARECIRCLE_REGIONS_DIR;
		regionsDir = mkdtempSync(join(tmpdir(), 'carecircle-tiles-route-'));
		mkdirSync(join(regionsDir, DEMO));
		for (const file of ['region.json', TILES_FILE])
			copyFileSync(join(committedDir, DEMO, file), join(regionsDir, DEMO, file));
		mkdirSync(join(regionsDir, LAOSHAN)); // a region whose tiles were never built
		copyFileSync(
			join(committedDir, LAOSHAN, 'region.json'),
			join(regionsDir, LAOSHAN, 'region.json')
		);
		mkdirSync(join(regionsDir, 'stray')); // a folder without region.json is no region
		copyFileSync(join(committedDir, DEMO, TILES_FILE), join(regionsDir, 'stray', TILES_FILE));
		process.env.CARECIRCLE_REGIONS_DIR = regionsDir;
		archive = new Uint8Array(readFileSync(join(regionsDir, DEMO, TILES_FILE)));
	});
	afterAll(() => {
		if (previousEnv === undefined) delete process.env.CARECIRCLE_REGIONS_DIR;
		else process.env.CARECIRCLE_REGIONS_DIR = previousEnv;
		if (regionsDir) rmSync(regionsDir, { recursive: true, force: true });
	});

	const get = (id: string, headers: Record<string, string> = {}) =>
		GET({
			params: { id },
			request: new Request(`http://localhost/api/regions/${id}/tiles.pmtiles`, { headers })
		} as unknown as Parameters<typeof GET>[0]);
	const body = async (response: Response) => new Uint8Array(await response.arrayBuffer());

	it('answers Range: bytes=0-126 with 206 and the 127-byte header', async () => {
		const response = await get(DEMO, { Range: 'bytes=0-126' });
		expect(response.status).toBe(206);
		expect(response.headers.get('Content-Range')).toBe(`bytes 0-126/${archive.length}`);
		expect(response.headers.get('Content-Length')).toBe('127');
		expect(response.headers.get('Accept-Ranges')).toBe('bytes');
		expect(response.headers.get('Cache-Control')).toMatch(/max-age=\d+/);
		expect(response.headers.get('ETag')).toMatch(/^"[0-9a-f]{32}"$/);
		const bytes = await body(response);
		expect(bytes).toEqual(archive.subarray(0, 127));
		expect(new TextDecoder().decode(bytes.subarray(0, 7))).toBe('PMTiles');
	});

	it('answers without Range with 200 and the whole file', async () => {
		const response = await get(DEMO);
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('application/vnd.pmtiles');
		expect(response.headers.get('Content-Length')).toBe(String(archive.length));
		expect(await body(response)).toEqual(archive);
	});

	it('serves open and suffix ranges, and cuts an end past the file to the file', async () => {
		const size = archive.length;
		const open = await get(DEMO, { Range: `bytes=${size - 10}-` });
		expect(open.status).toBe(206);
		expect(await body(open)).toEqual(archive.subarray(size - 10));
		const suffix = await get(DEMO, { Range: 'bytes=-5' });
		expect(suffix.headers.get('Content-Range')).toBe(`bytes ${size - 5}-${size - 1}/${size}`);
		expect(await body(suffix)).toEqual(archive.subarray(size - 5));
		const past = await get(DEMO, { Range: `bytes=${size - 3}-${size + 16_000}` });
		expect(past.status).toBe(206);
		expect(past.headers.get('Content-Range')).toBe(`bytes ${size - 3}-${size - 1}/${size}`);
		expect((await body(past)).length).toBe(3);
	});

	it('answers 416 with Content-Range bytes */size to ranges it cannot satisfy', async () => {
		for (const range of [
			`bytes=${archive.length}-`,
			'bytes=50-10',
			'bytes=-0',
			'bytes=x-y',
			'bytes='
		]) {
			const response = await get(DEMO, { Range: range });
			expect(response.status, range).toBe(416);
			expect(response.headers.get('Content-Range'), range).toBe(`bytes */${archive.length}`);
		}
	});

	it('answers 304 to a matching If-None-Match and ignores Range under a stale If-Range', async () => {
		const etag = (await get(DEMO)).headers.get('ETag')!;
		expect((await get(DEMO, { 'If-None-Match': etag })).status).toBe(304);
		const stale = await get(DEMO, { Range: 'bytes=0-126', 'If-Range': '"old"' });
		expect(stale.status).toBe(200);
		const fresh = await get(DEMO, { Range: 'bytes=0-126', 'If-Range': etag });
		expect(fresh.status).toBe(206);
	});

	it('answers 404 to unknown regions, path tricks, folders without region.json and regions without tiles', async () => {
		for (const id of ['no-such-region', '..', '../qingdao-laoshan', 'stray', '%2e%2e', '']) {
			const response = await get(id);
			expect(response.status, id).toBe(404);
			expect((await response.json()).code, id).toBe('REGION_NOT_FOUND');
		}
		const missing = await get(LAOSHAN);
		expect(missing.status).toBe(404);
		expect((await missing.json()).code).toBe('TILES_NOT_BUILT');
	});

	it('is readable by the pmtiles reader through range requests', async () => {
		const source: Source = {
			getKey: () => `/api/regions/${DEMO}/tiles.pmtiles`,
			async getBytes(offset, length) {
				const response = await get(DEMO, { Range: `bytes=${offset}-${offset + length - 1}` });
				expect(response.status).toBe(206);
				return {
					data: await response.arrayBuffer(),
					etag: response.headers.get('ETag') ?? undefined
				};
			}
		};
		const overHttp = new PMTiles(source);
		const direct = new PMTiles(memorySource(archive));
		const { etag, ...header } = await overHttp.getHeader();
		expect(etag).toMatch(/^"[0-9a-f]{32}"$/); // the reader keeps the route's ETag to detect rebuilds
		const expected = { ...(await direct.getHeader()) };
		delete expected.etag;
		expect(header).toEqual(expected);
		const [x, y] = lonLatToTile(121.5, 31.23, 16);
		const tile = await overHttp.getZxy(16, x, y);
		expect(tile).toBeDefined();
		expect(new Uint8Array(tile!.data)).toEqual(
			new Uint8Array((await direct.getZxy(16, x, y))!.data)
		);
	});
});
