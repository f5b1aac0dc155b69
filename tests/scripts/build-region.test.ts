import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	area,
	booleanPointInPolygon,
	centroid,
	length as turfLength,
	lineString,
	pointOnFeature
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegions } from '../../scripts/build-region.ts';
import { measureConnectivity } from '../../scripts/region/connectivity.ts';
import { stitchWays } from '../../scripts/region/stitch.ts';
import { validateRegionFiles } from '../../scripts/region/validate.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const sharedDir = join(repoRoot, '..', 'shared', 'data');
const committedDir = join(repoRoot, 'data', 'regions');
const hasShared = existsSync(join(sharedDir, 'tiles', 'shanghai_bund_lujiazui_tilezen_z16.json'));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** File name → content; the binary map tiles (tiles.pmtiles) as latin1, one char per byte, so equal text is equal bytes. */
function readRegion(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir)
			.sort()
			.map((name) => [name, readFileSync(join(dir, name), isBinary(name) ? 'latin1' : 'utf8')])
	);
}

function isBinary(name: string): boolean {
	return name.endsWith('.pmtiles');
}

/** Length (degrees) over which two segments run on top of each other; 0 when they only touch or cross. */
function overlapLengthDeg(a: number[][], b: number[][]): number {
	const dx = a[1][0] - a[0][0];
	const dy = a[1][1] - a[0][1];
	const length = Math.hypot(dx, dy);
	if (length === 0) return 0;
	const offLine = (p: number[]) => Math.abs((p[0] - a[0][0]) * dy - (p[1] - a[0][1]) * dx) / length;
	if (offLine(b[0]) > 1e-7 || offLine(b[1]) > 1e-7) return 0;
	const along = (p: number[]) => ((p[0] - a[0][0]) * dx + (p[1] - a[0][1]) * dy) / length;
	const lo = Math.max(0, Math.min(along(b[0]), along(b[1])));
	const hi = Math.min(length, Math.max(along(b[0]), along(b[1])));
	return Math.max(0, hi - lo);
}

describe('stitchWays on constructed tile pieces (analytic)', () => {
	it('merges a seam overlap from a tile buffer and drops the cut vertices', () => {
		// One straight way 0 → 3 along the equator; tile A holds 0..1.2 (cut at its buffered edge 1.2),
		// tile B holds 0.8..3 (cut at 0.8); both carry the original vertices 1 and 2 where they have them.
		const { ways, stats } = stitchWays([
			{
				wayId: 7,
				tileIndex: 0,
				coordinates: [
					[0, 0],
					[1, 0],
					[1.2, 0]
				]
			},
			{
				wayId: 7,
				tileIndex: 1,
				coordinates: [
					[0.8, 0],
					[1, 0],
					[2, 0],
					[3, 0]
				]
			}
		]);
		expect(stats.duplicateSegmentsMerged).toBe(2); // 0.8–1 and 1–1.2 were in both tiles
		expect(ways).toEqual([
			{
				wayId: 7,
				parts: [
					[
						[0, 0],
						[1, 0],
						[2, 0],
						[3, 0]
					]
				]
			}
		]);
	});

	it('keeps a cut vertex that another way uses (a junction) and splits a way that leaves and re-enters', () => {
		const { ways } = stitchWays([
			{
				wayId: 1,
				tileIndex: 0,
				coordinates: [
					[0, 0],
					[1, 0]
				]
			},
			{
				wayId: 1,
				tileIndex: 1,
				coordinates: [
					[1, 0],
					[2, 0]
				]
			},
			{
				wayId: 2,
				tileIndex: 1,
				coordinates: [
					[1, 0],
					[1, 1]
				]
			},
			{
				wayId: 3,
				tileIndex: 0,
				coordinates: [
					[5, 0],
					[6, 0]
				]
			},
			{
				wayId: 3,
				tileIndex: 1,
				coordinates: [
					[8, 0],
					[9, 0]
				]
			}
		]);
		expect(ways[0].parts).toEqual([
			[
				[0, 0],
				[1, 0],
				[2, 0]
			]
		]);
		expect(ways[2].parts).toEqual([
			[
				[5, 0],
				[6, 0]
			],
			[
				[8, 0],
				[9, 0]
			]
		]);
	});

	it('rebuilds a closed way cut into two pieces as one ring', () => {
		const { ways } = stitchWays([
			{
				wayId: 4,
				tileIndex: 0,
				coordinates: [
					[0, 0],
					[1, 0],
					[1, 1]
				]
			},
			{
				wayId: 4,
				tileIndex: 1,
				coordinates: [
					[1, 1],
					[0, 1],
					[0, 0]
				]
			}
		]);
		expect(ways[0].parts).toEqual([
			[
				[0, 0],
				[1, 0],
				[1, 1],
				[0, 1],
				[0, 0]
			]
		]);
	});
});

describe.skipIf(!hasShared)(
	'region builder on the real inputs (skipped: ../shared/data is absent)',
	() => {
		let outDir = '';
		let secondDir = '';
		let sh: Record<string, Json> = {};
		let qd: Record<string, Json> = {};

		beforeAll(() => {
			outDir = mkdtempSync(join(tmpdir(), 'carecircle-regions-'));
			secondDir = mkdtempSync(join(tmpdir(), 'carecircle-regions-'));
			buildRegions({ sharedDir, outDir });
			buildRegions({ sharedDir, outDir: secondDir, regions: ['shanghai-bund-lujiazui'] });
			const parse = (files: Record<string, string>) =>
				Object.fromEntries(
					Object.entries(files)
						.filter(([name]) => !isBinary(name))
						.map(([name, text]) => [name, JSON.parse(text)])
				);
			sh = parse(readRegion(join(outDir, 'shanghai-bund-lujiazui')));
			qd = parse(readRegion(join(outDir, 'qingdao-laoshan')));
		}, 60_000);
		afterAll(() => {
			if (outDir) rmSync(outDir, { recursive: true, force: true });
			if (secondDir) rmSync(secondDir, { recursive: true, force: true });
		});

		it('writes files that validate against the region schemas, flags included', () => {
			for (const id of ['shanghai-bund-lujiazui', 'qingdao-laoshan']) {
				expect(validateRegionFiles(id, readRegion(join(outDir, id)))).toEqual([]);
			}
		});

		it('is deterministic and equals the committed data/regions byte for byte', () => {
			for (const id of ['shanghai-bund-lujiazui', 'qingdao-laoshan']) {
				const built = readRegion(join(outDir, id));
				const committed = readRegion(join(committedDir, id));
				expect(Object.keys(built)).toEqual(Object.keys(committed));
				for (const name of Object.keys(built))
					expect(built[name], `${id}/${name}`).toBe(committed[name]);
			}
			expect(readRegion(join(secondDir, 'shanghai-bund-lujiazui'))).toEqual(
				readRegion(join(outDir, 'shanghai-bund-lujiazui'))
			);
		});

		it('derives the expected counts', () => {
			const summary = sh['region.json'].summary;
			expect(summary.residentialInputPieces).toBe(37); // 33 Polygon + 4 MultiPolygon tile pieces
			expect(sh['residential.geojson'].features).toHaveLength(18); // … of 18 distinct OSM ids
			expect(summary.compounds).toBe(18);
			expect(summary.facilitiesPlaced).toBe(1);
			expect(sh['facilities.geojson'].features).toHaveLength(1);
			expect(summary.facilitiesNotPlaced).toBe(4);
			const notPlaced = sh['region.json'].notes.filter((note: Json) =>
				note.en.startsWith('Facility not placed')
			);
			expect(notPlaced).toHaveLength(4);
			for (const note of notPlaced) expect(note.zh).toMatch(/^未落点设施：/);
			const streets = qd['boundaries.geojson'].features.filter(
				(f: Json) => f.properties.level === 'street'
			);
			expect(streets.map((f: Json) => [f.properties.code, f.properties.name])).toEqual([
				['370212001', '中韩街道'],
				['370212002', '沙子口街道'],
				['370212003', '王哥庄街道'],
				['370212004', '北宅街道'],
				['370212005', '金家岭街道']
			]);
			expect(qd['communities.json']).toHaveLength(167);
			expect(new Set(qd['communities.json'].map((c: Json) => c.streetCode))).toEqual(
				new Set(streets.map((f: Json) => f.properties.code))
			);
		});

		it('totals add up and every estimate is flagged with a described method', () => {
			const meta = sh['region.json'];
			const compounds = sh['residential.geojson'].features;
			const sum = (field: string) =>
				compounds.reduce((total: number, f: Json) => total + f.properties[field], 0);
			expect(sum('households')).toBe(meta.summary.estimatedHouseholds);
			expect(sum('elders')).toBe(meta.summary.estimatedElders);
			const methodUse = new Map<string, number>();
			for (const f of compounds) {
				expect(Number.isInteger(f.properties.households)).toBe(true);
				expect(Object.keys(f.properties.estimated).sort()).toEqual(['elders', 'households']);
				for (const methodId of Object.values(f.properties.estimated) as string[])
					methodUse.set(methodId, (methodUse.get(methodId) ?? 0) + 1);
			}
			for (const [methodId, count] of methodUse)
				expect(meta.estimates[methodId]?.count, methodId).toBe(count);
			expect(meta.summary.compoundsFromBuildings + meta.summary.compoundsFromLandArea).toBe(
				compounds.length
			);
			// The building method is used only where mapped dwellings cover ≥ minBuildingCoverage of the land.
			const minCoverage =
				meta.estimates['households-from-buildings'].assumptions.minBuildingCoverage;
			const dwellings = sh['buildings.geojson'].features.filter((b: Json) =>
				[null, 'residential', 'apartments', 'house'].includes(b.properties.kindDetail)
			);
			for (const f of compounds as Feature<Polygon | MultiPolygon, Json>[]) {
				const footprintM2 = (dwellings as Feature<Polygon | MultiPolygon>[])
					.filter((b) => booleanPointInPolygon(pointOnFeature(b), f))
					.reduce((total, b) => total + area(b), 0);
				const coverage = footprintM2 / area(f);
				const expected =
					coverage >= minCoverage ? 'households-from-buildings' : 'households-from-land-area';
				expect(
					f.properties.estimated.households,
					`${f.properties.id} coverage ${coverage.toFixed(3)}`
				).toBe(expected);
			}
			expect(meta.summary.compoundsFromBuildings).toBe(3);
			// elders = households × persons per household × 60+ share, with the figures read from the census CSV
			const { personsPerHousehold, elderSharePercent } =
				meta.estimates['elders-from-census-share'].assumptions;
			expect([personsPerHousehold, elderSharePercent]).toEqual([2.32, 23.4]);
			for (const f of compounds)
				expect(f.properties.elders).toBe(Math.round(f.properties.households * 2.32 * 0.234));

			const district = qd['boundaries.geojson'].features.find(
				(f: Json) => f.properties.level === 'district'
			);
			expect(district.properties.population).toBe(502370);
			expect(district.properties.elders).toBe(Math.round(502370 * 0.2028));
			expect(district.properties.estimated).toEqual({ elders: 'elders-from-city-share' });
			expect(qd['region.json'].summary.estimatedElders).toBe(district.properties.elders);
		});

		it('places the GCJ-02 meal point inside the 崂山五村 polygon', () => {
			const [facility] = sh['facilities.geojson'].features;
			const laoshanWucun = sh['residential.geojson'].features.find(
				(f: Json) => f.properties.name === '崂山五村'
			);
			expect(booleanPointInPolygon(facility.geometry.coordinates, laoshanWucun)).toBe(true);
			// The raw GCJ-02 pair is offset by ~500 m and must NOT be used as is.
			expect(booleanPointInPolygon([121.516678, 31.2369], laoshanWucun)).toBe(false);
		});

		it('has one feature per OSM way and no way overlaps itself (brute force over segment pairs)', () => {
			const features = sh['network.geojson'].features;
			const ids = features.map((f: Json) => f.properties.osmId);
			expect(new Set(ids).size).toBe(ids.length);
			let pairsChecked = 0;
			for (const f of features) {
				const parts =
					f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
				const segments = parts.flatMap((part: number[][]) =>
					part.slice(1).map((p, i) => [part[i], p])
				);
				for (let i = 0; i < segments.length; i++) {
					for (let j = i + 1; j < segments.length; j++) {
						pairsChecked++;
						expect(
							overlapLengthDeg(segments[i], segments[j]),
							`way ${f.properties.osmId}`
						).toBeLessThan(1e-7);
					}
				}
			}
			expect(pairsChecked).toBeGreaterThan(10_000);
		});

		it('keeps the length of the tile pieces and does not lose connectivity against the naive union', () => {
			const tiles = JSON.parse(
				readFileSync(join(sharedDir, 'tiles', 'shanghai_bund_lujiazui_tilezen_z16.json'), 'utf8')
			);
			const naive: number[][][] = [];
			for (const tile of tiles) {
				for (const f of tile.roads.features) {
					if (
						!['path', 'major_road', 'minor_road'].includes(f.properties.kind) ||
						f.properties.kind_detail === 'pier'
					)
						continue;
					naive.push(
						...(f.geometry.type === 'LineString'
							? [f.geometry.coordinates]
							: f.geometry.coordinates)
					);
				}
			}
			const stitched = sh['network.geojson'].features.flatMap((f: Json) =>
				f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates
			);
			const km = (lines: number[][][]) =>
				lines.reduce((sum, line) => sum + turfLength(lineString(line)), 0);
			expect(Math.abs(km(stitched) - km(naive))).toBeLessThan(0.01); // < 10 m over ~190 km
			const before = measureConnectivity(naive);
			const after = measureConnectivity(stitched);
			expect(after.components).toBeLessThanOrEqual(before.components);
			expect(after.largestComponentNodes / after.nodes).toBeGreaterThanOrEqual(
				before.largestComponentNodes / before.nodes
			);
			// The PROVENANCE figures for the naive 1e-6° snap (piers included) are reproduced.
			expect(sh['region.json'].summary).toMatchObject({
				naiveNodesSnapped: 6270,
				naiveComponents: 54,
				naiveLargestComponentNodes: 5749
			});
		});

		it('keeps the Huangpu river road tunnels with tunnel=yes', () => {
			const tunnelNames = new Set(
				sh['network.geojson'].features
					.filter((f: Json) => f.properties.tunnel === 'yes')
					.map((f: Json) => String(f.properties.name).replace(/\s*\(.*$|\(.*$/, ''))
			);
			for (const name of ['延安东路隧道', '人民路隧道', '新建路隧道', '复兴东路隧道', '大连路隧道'])
				expect(tunnelNames, name).toContain(name);
			const highways = new Set(
				sh['network.geojson'].features.map((f: Json) => f.properties.highway)
			);
			expect(highways.has('pier')).toBe(false);
		});

		it('names the district faces by side: 黄浦区 west of the river, the Pudong new villages in 浦东新区', () => {
			const districts = sh['boundaries.geojson'].features;
			const byName = Object.fromEntries(districts.map((f: Json) => [f.properties.name, f]));
			expect(byName['黄浦区'].properties.code).toBe('310101');
			expect(byName['浦东新区'].properties.code).toBe('310115');
			expect(centroid(byName['黄浦区']).geometry.coordinates[0]).toBeLessThan(
				centroid(byName['浦东新区']).geometry.coordinates[0]
			);
			const villages = sh['residential.geojson'].features.filter((f: Json) =>
				/^(崂山|乳山)/.test(f.properties.name)
			);
			expect(villages.length).toBeGreaterThanOrEqual(6);
			for (const village of villages)
				expect(
					booleanPointInPolygon(pointOnFeature(village), byName['浦东新区']),
					village.properties.name
				).toBe(true);
			for (const f of districts) expect(f.properties.population).toBeNull();
		});
	}
);
