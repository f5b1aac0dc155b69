/**
 * The project's boundary and inputs on the way in: each bad input gives its own error code and a
 * message that says what is wrong and how to fix it; nothing is guessed that could move the
 * boundary (projected metres without a declared CRS are refused, not detected into a zone).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../../src/lib/engine/crs/index.ts';
import {
	readProjectBoundary,
	readProjectPoints,
	validateProjectBoundary
} from '../../../src/lib/engine/evaluation/boundary.ts';
import { EvaluationError } from '../../../src/lib/engine/evaluation/errors.ts';
import { evaluateProject } from '../../../src/lib/engine/evaluation/evaluate.ts';
import type { ProjectInput } from '../../../src/lib/engine/evaluation/types.ts';
import {
	at,
	bundledRegion,
	facility,
	gridNetwork,
	gridRegion,
	profile,
	rectangle
} from './fixtures.ts';

const shanghai = bundledRegion('shanghai-bund-lujiazui');
const laoshan = bundledRegion('qingdao-laoshan');
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const RING: [number, number][] = [
	[121.5162, 31.235],
	[121.518, 31.2355],
	[121.5189, 31.2352],
	[121.5171, 31.2345],
	[121.5164, 31.2345],
	[121.5162, 31.235]
];

/** The error thrown by `run`, checked to be an EvaluationError. */
async function errorOf(run: () => unknown): Promise<EvaluationError> {
	try {
		await run();
	} catch (error) {
		expect(error).toBeInstanceOf(EvaluationError);
		return error as EvaluationError;
	}
	throw new Error('expected an EvaluationError, nothing was thrown');
}

describe('readProjectBoundary', () => {
	it('reads a GeoJSON polygon as WGS84 (assumed, and says so) with its name', async () => {
		const boundary = await readProjectBoundary(
			'地块.geojson',
			encode({
				type: 'Feature',
				properties: { 名称: '某地块' },
				geometry: { type: 'Polygon', coordinates: [RING] }
			}),
			{ regionBbox: shanghai.meta.bbox }
		);
		expect(boundary.geometry).toEqual({ type: 'Polygon', coordinates: [RING] });
		expect(boundary.source).toMatchObject({
			file: '地块.geojson',
			format: 'geojson',
			name: '某地块',
			crs: { crs: 'EPSG:4326', how: 'assumed' }
		});
		expect(boundary.source.crs.reason).toMatch(/GCJ-02/);
	});

	it('refuses an unclosed ring, naming its first and last positions', async () => {
		const error = await errorOf(() =>
			readProjectBoundary(
				'open.geojson',
				encode({ type: 'Polygon', coordinates: [RING.slice(0, -1)] }),
				{ regionBbox: shanghai.meta.bbox }
			)
		);
		expect(error.code).toBe('BOUNDARY_NOT_CLOSED');
		expect(error.field).toBe('boundary');
		expect(error.message).toContain('outer ring is not closed');
		expect(error.message).toContain('[121.5162, 31.235]');
		expect(error.message).toContain('[121.5164, 31.2345]');
		expect(error.message).toContain('repeat the first position');
	});

	it('refuses a bow-tie, with where it crosses itself', async () => {
		const bowtie = [
			[121.516, 31.234],
			[121.518, 31.236],
			[121.518, 31.234],
			[121.516, 31.236],
			[121.516, 31.234]
		];
		const error = await errorOf(() =>
			readProjectBoundary('bowtie.geojson', encode({ type: 'Polygon', coordinates: [bowtie] }), {
				regionBbox: shanghai.meta.bbox
			})
		);
		expect(error.code).toBe('BOUNDARY_SELF_INTERSECTS');
		expect(error.message).toContain('crosses itself');
		expect(error.message).toContain('[121.517, 31.235]');
	});

	it('refuses CGCS2000 Gauss–Krüger metres the file does not declare, and names the --crs to pass', async () => {
		const toZone40 = fromWgs84('EPSG:4528');
		const ring = [
			[120.4601, 36.1012],
			[120.4627, 36.1012],
			[120.4627, 36.1031],
			[120.4601, 36.1031],
			[120.4601, 36.1012]
		] as [number, number][];
		const metres = ring.map((p) => toZone40(p));
		const bytes = encode({ type: 'Polygon', coordinates: [metres] });
		const error = await errorOf(() =>
			readProjectBoundary('cgcs2000.geojson', bytes, { regionBbox: laoshan.meta.bbox })
		);
		expect(error.code).toBe('BOUNDARY_CRS');
		expect(error.message).toContain('projected metres');
		expect(error.message).toContain('does not say which coordinate system');
		expect(error.message).toContain('--crs EPSG:4528');

		// Said so: the same file is read, and lands where it was projected from.
		const given = await readProjectBoundary('cgcs2000.geojson', bytes, {
			crs: 'EPSG:4528',
			regionBbox: laoshan.meta.bbox
		});
		expect(given.source.crs).toMatchObject({ crs: 'EPSG:4528', how: 'override' });
		const [outer] = (given.geometry as { coordinates: number[][][] }).coordinates;
		outer.forEach(([lon, lat], i) => {
			expect(lon).toBeCloseTo(ring[i][0], 6);
			expect(lat).toBeCloseTo(ring[i][1], 6);
		});

		// Declared in the file (the legacy GeoJSON crs member): read without --crs.
		const declared = await readProjectBoundary(
			'declared.geojson',
			encode({
				type: 'FeatureCollection',
				crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4528' } },
				features: [
					{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [metres] } }
				]
			}),
			{ regionBbox: laoshan.meta.bbox }
		);
		expect(declared.source.crs.how).toBe('declared');
	});

	it('reads a zipped Shapefile with its .prj (three Laoshan compounds → a MultiPolygon)', async () => {
		const zip = readFileSync(
			join(import.meta.dirname, '../import/fixtures/shapefile/compounds-gk40-gbk.zip')
		);
		const expected = JSON.parse(
			readFileSync(join(import.meta.dirname, '../import/fixtures/shapefile/expected.json'), 'utf8')
		);
		const boundary = await readProjectBoundary('compounds-gk40-gbk.zip', zip, {
			regionBbox: laoshan.meta.bbox
		});
		expect(boundary.source).toMatchObject({
			format: 'shapefile',
			polygonFeatures: 3,
			crs: { crs: 'EPSG:4528', how: 'declared' }
		});
		expect(boundary.geometry.type).toBe('MultiPolygon');
		const first = (boundary.geometry as { coordinates: number[][][][] }).coordinates[0][0];
		// Shapefile outer rings are clockwise; the reader gives them back as stored
		const expectedFirst: number[][] = expected.compounds[0].lonLat.coordinates[0];
		for (const [lon, lat] of first)
			expect(
				expectedFirst.some(([x, y]) => Math.abs(x - lon) < 1e-6 && Math.abs(y - lat) < 1e-6)
			).toBe(true);
	});

	it('refuses a project outside the region, with both extents', async () => {
		const error = await errorOf(() =>
			readProjectBoundary(
				'qingdao.geojson',
				encode({
					type: 'Polygon',
					coordinates: [
						[
							[120.46, 36.1],
							[120.47, 36.1],
							[120.47, 36.11],
							[120.46, 36.1]
						]
					]
				}),
				{ regionBbox: shanghai.meta.bbox, regionLabel: 'shanghai-bund-lujiazui' }
			)
		);
		expect(error.code).toBe('PROJECT_OUTSIDE_REGION');
		expect(error.message).toContain('the project lies outside the region shanghai-bund-lujiazui');
		expect(error.message).toContain(shanghai.meta.bbox.join(', '));
		expect(error.message).toContain('--region');
	});

	it('refuses a file without a polygon, and a CSV', async () => {
		const points = await errorOf(() =>
			readProjectBoundary(
				'gates.geojson',
				encode({ type: 'Point', coordinates: [121.51, 31.24] }),
				{
					regionBbox: shanghai.meta.bbox
				}
			)
		);
		expect(points.code).toBe('BOUNDARY_UNREADABLE');
		expect(points.message).toContain('no Polygon or MultiPolygon');
		const csv = await errorOf(() =>
			readProjectBoundary('table.csv', new TextEncoder().encode('a,b\n1,2\n'), {
				regionBbox: shanghai.meta.bbox
			})
		);
		expect(csv.code).toBe('BOUNDARY_UNREADABLE');
		expect(csv.message).toContain('GeoJSON');
	});

	it('reads gates as points, in the same coordinate system rules', async () => {
		const { points, crs } = await readProjectPoints(
			'gates.geojson',
			encode({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: {},
						geometry: { type: 'Point', coordinates: [121.5165, 31.2347] }
					}
				]
			}),
			{ regionBbox: shanghai.meta.bbox, crs: 'gcj02' }
		);
		expect(crs).toMatchObject({ crs: 'GCJ-02', how: 'override' });
		// GCJ-02 → WGS84 moves a Shanghai point by a few hundred metres
		const dxM = (points[0][0] - 121.5165) * 111_320 * Math.cos((31.2347 * Math.PI) / 180);
		const dyM = (points[0][1] - 31.2347) * 110_574;
		expect(Math.hypot(dxM, dyM)).toBeGreaterThan(300);
		expect(Math.hypot(dxM, dyM)).toBeLessThan(700);
	});
});

describe('validateProjectBoundary (a boundary drawn on the map)', () => {
	it('drops repeated vertices and says so', () => {
		const ring = [RING[0], RING[0], ...RING.slice(1)];
		const { geometry, notes } = validateProjectBoundary(
			{ type: 'Polygon', coordinates: [ring] },
			shanghai.meta.bbox
		);
		expect(geometry.coordinates[0]).toHaveLength(RING.length);
		expect(notes[0]).toContain('1 repeated vertex');
	});

	it('refuses a partly outside boundary, counting the vertices outside', async () => {
		const ring = [...RING];
		ring[2] = [121.53, 31.2352];
		const error = await errorOf(() =>
			validateProjectBoundary({ type: 'Polygon', coordinates: [ring] }, shanghai.meta.bbox)
		);
		expect(error.code).toBe('PROJECT_OUTSIDE_REGION');
		expect(error.message).toContain('1 of 6 vertices lie outside');
	});
});

describe('evaluateProject refuses inputs it cannot evaluate', () => {
	const base: ProjectInput = {
		name: '测试项目',
		boundary: rectangle(3.1, 3.1, 3.9, 3.9),
		status: 'new',
		households: 800
	};
	const run = (project: Partial<ProjectInput>) => () =>
		evaluateProject({
			region: gridRegion({ facilities: [facility('s', 'community_station', 300, at(0, 0))] }),
			network: gridNetwork(),
			profile: profile('donge-2023'),
			project: { ...base, ...project }
		});

	it('no households (neither households nor floor area)', async () => {
		const error = await errorOf(run({ households: null }));
		expect(error.code).toBe('NO_HOUSEHOLDS');
		expect(error.message).toContain('--households N');
		expect(error.message).toContain('--floor-area-m2');
	});

	it('0 households, fractional households, both households and floor area', async () => {
		expect((await errorOf(run({ households: 0 }))).code).toBe('NO_HOUSEHOLDS');
		expect((await errorOf(run({ households: 12.5 }))).code).toBe('INVALID_NUMBER');
		const both = await errorOf(run({ residentialFloorAreaM2: 50000 }));
		expect(both.message).toContain('not both');
	});

	it('a bad status, a facility without floor area or of an unknown kind, a gate outside the region', async () => {
		expect((await errorOf(run({ status: 'planned' as unknown as 'new' }))).code).toBe(
			'INVALID_STATUS'
		);
		const noArea = await errorOf(
			run({ facilities: [{ kind: 'community_station', floorAreaM2: 0, position: at(3.5, 3.5) }] })
		);
		expect(noArea).toMatchObject({ code: 'INVALID_FACILITY', field: 'facilities[0].floorAreaM2' });
		const kind = await errorOf(
			run({
				facilities: [{ kind: 'hospital' as 'day_care', floorAreaM2: 100, position: at(3.5, 3.5) }]
			})
		);
		expect(kind.field).toBe('facilities[0].kind');
		const gate = await errorOf(run({ gates: [[120.4, 36.1]] }));
		expect(gate).toMatchObject({ code: 'PROJECT_OUTSIDE_REGION', field: 'gates[0]' });
	});

	it('an unclosed boundary given directly', async () => {
		const open = rectangle(3.1, 3.1, 3.9, 3.9).coordinates[0].slice(0, -1);
		const error = await errorOf(run({ boundary: { type: 'Polygon', coordinates: [open] } }));
		expect(error.code).toBe('BOUNDARY_NOT_CLOSED');
	});
});
