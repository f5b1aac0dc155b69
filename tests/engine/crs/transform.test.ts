import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fromWgs84, toWgs84, transformGeometry } from '../../../src/lib/engine/crs/index.ts';
import type { CrsId } from '../../../src/lib/engine/crs/index.ts';

const sharedData = path.join(import.meta.dirname, '../../..', '..', 'shared', 'data');

// ------------------------------------------------------------ independent references

const GRS80 = { a: 6378137, f: 1 / 298.257222101 };
const WGS84 = { a: 6378137, f: 1 / 298.257223563 };

/** Meridian arc length from the equator to latitude φ (Helmert's series in n, sub-mm). */
function meridianArcSeriesM(latDeg: number, { a, f }: { a: number; f: number }): number {
	const n = f / (2 - f);
	const phi = (latDeg * Math.PI) / 180;
	return (
		(a / (1 + n)) *
		((1 + n ** 2 / 4 + n ** 4 / 64) * phi -
			1.5 * (n - n ** 3 / 8) * Math.sin(2 * phi) +
			(15 / 16) * (n ** 2 - n ** 4 / 4) * Math.sin(4 * phi) -
			(35 / 48) * n ** 3 * Math.sin(6 * phi) +
			(315 / 512) * n ** 4 * Math.sin(8 * phi))
	);
}

/** The same arc by Simpson integration of the meridian radius of curvature. */
function meridianArcSimpsonM(
	latDeg: number,
	{ a, f }: { a: number; f: number },
	intervals = 20_000
): number {
	const e2 = f * (2 - f);
	const phiEnd = (latDeg * Math.PI) / 180;
	const radius = (phi: number) => (a * (1 - e2)) / (1 - e2 * Math.sin(phi) ** 2) ** 1.5;
	const h = phiEnd / intervals;
	let sum = radius(0) + radius(phiEnd);
	for (let i = 1; i < intervals; i++) sum += (i % 2 ? 4 : 2) * radius(i * h);
	return (sum * h) / 3;
}

/** GCJ-02 → BD-09, the published closed form (Baidu's bd_encrypt), written out here. */
function gcjToBd([lon, lat]: [number, number]): [number, number] {
	const xPi = (Math.PI * 3000) / 180;
	const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * xPi);
	const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * xPi);
	return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

describe('meridian arc references agree with each other', () => {
	it('series and numeric integration agree within 0.1 mm at 36°N', () => {
		expect(Math.abs(meridianArcSeriesM(36, GRS80) - meridianArcSimpsonM(36, GRS80))).toBeLessThan(
			1e-4
		);
	});
});

// ------------------------------------------------------------ projected

describe('CGCS2000 3° GK and UTM through proj4', () => {
	const cases: {
		crs: CrsId;
		cmDeg: number;
		falseEastingM: number;
		scale: number;
		ellipsoid: typeof GRS80;
	}[] = [
		{ crs: 'EPSG:4528', cmDeg: 120, falseEastingM: 40_500_000, scale: 1, ellipsoid: GRS80 },
		{ crs: 'EPSG:4549', cmDeg: 120, falseEastingM: 500_000, scale: 1, ellipsoid: GRS80 },
		{ crs: 'EPSG:4513', cmDeg: 75, falseEastingM: 25_500_000, scale: 1, ellipsoid: GRS80 },
		{ crs: 'EPSG:4554', cmDeg: 135, falseEastingM: 500_000, scale: 1, ellipsoid: GRS80 },
		{ crs: 'EPSG:32650', cmDeg: 117, falseEastingM: 500_000, scale: 0.9996, ellipsoid: WGS84 }
	];
	for (const { crs, cmDeg, falseEastingM, scale, ellipsoid } of cases) {
		for (const latDeg of [22.5, 36, 48]) {
			it(`${crs}: (CM ${cmDeg}°E, ${latDeg}°N) → x = false easting, y = k × meridian arc`, () => {
				const [x, y] = fromWgs84(crs)([cmDeg, latDeg]);
				expect(Math.abs(x - falseEastingM)).toBeLessThan(1e-6);
				expect(Math.abs(y - scale * meridianArcSeriesM(latDeg, ellipsoid))).toBeLessThan(1e-3);
				const [lon, lat] = toWgs84(crs)([x, y]);
				expect(Math.abs(lon - cmDeg)).toBeLessThan(1e-9);
				expect(Math.abs(lat - latDeg)).toBeLessThan(1e-9);
			});
		}
	}

	// Qingdao: 栈桥, 崂山区政府 area, 即墨 — within 1° of the 120°E central meridian.
	const qingdao: [number, number][] = [
		[120.3176, 36.0597],
		[120.4683, 36.1072],
		[120.4473, 36.3899],
		[119.9, 35.9]
	];
	for (const crs of ['EPSG:4528', 'EPSG:4549'] as const) {
		it(`${crs}: Qingdao points round-trip within 1 mm`, () => {
			const forward = fromWgs84(crs);
			const inverse = toWgs84(crs);
			for (const lonLat of qingdao) {
				const xy = forward(lonLat);
				const back = inverse(xy);
				const again = forward(back);
				// 1e-8° is 1.1 mm of latitude.
				expect(Math.abs(back[0] - lonLat[0])).toBeLessThan(1e-8);
				expect(Math.abs(back[1] - lonLat[1])).toBeLessThan(1e-8);
				expect(Math.hypot(again[0] - xy[0], again[1] - xy[1])).toBeLessThan(1e-3);
			}
		});
	}

	it('zone prefix only shifts the easting by 40 000 000 m', () => {
		for (const lonLat of qingdao) {
			const prefixed = fromWgs84('EPSG:4528')(lonLat);
			const plain = fromWgs84('EPSG:4549')(lonLat);
			expect(Math.abs(prefixed[0] - plain[0] - 40_000_000)).toBeLessThan(1e-6);
			expect(prefixed[1]).toBe(plain[1]);
		}
	});

	it('points mirrored about the central meridian mirror in easting and share the northing', () => {
		const east = fromWgs84('EPSG:4549')([121.2, 36.1]);
		const west = fromWgs84('EPSG:4549')([118.8, 36.1]);
		expect(Math.abs(east[0] - 500_000 - (500_000 - west[0]))).toBeLessThan(1e-6);
		expect(Math.abs(east[1] - west[1])).toBeLessThan(1e-6);
		// 1.2° of longitude at 36°N is ≈ 108 km.
		expect(east[0] - 500_000).toBeGreaterThan(107_000);
		expect(east[0] - 500_000).toBeLessThan(109_000);
	});
});

// ------------------------------------------------------------ GCJ-02 / BD-09

describe('GCJ-02 and BD-09', () => {
	it('the Apple Maps China (GCJ-02) point of the Lujiazui meal point lands where PROVENANCE.md says', () => {
		const csv = readFileSync(
			path.join(sharedData, 'facilities', 'shanghai_bund_lujiazui_elderly_facilities_all.csv'),
			'utf8'
		);
		const rows = Papa.parse<Record<string, string>>(csv, {
			header: true,
			skipEmptyLines: true
		}).data;
		const gcjRows = rows.filter((row) => row.src_crs.startsWith('GCJ-02'));
		expect(gcjRows).toHaveLength(1);
		const source: [number, number] = [Number(gcjRows[0].src_lon), Number(gcjRows[0].src_lat)];
		expect(source).toEqual([121.516678, 31.2369]);
		const [lon, lat] = toWgs84('GCJ-02')(source);
		// PROVENANCE: "Shifted approximately to WGS84 (-0.00446 lon, +0.00195 lat)".
		expect(Math.abs(lon - (source[0] - 0.00446))).toBeLessThan(0.0002);
		expect(Math.abs(lat - (source[1] + 0.00195))).toBeLessThan(0.0002);
	});

	it('GCJ-02 → WGS84 → GCJ-02 round-trips within 1e-5°', () => {
		for (const gcj of [
			[121.516678, 31.2369],
			[120.38, 36.07],
			[116.397, 39.908],
			[113.95, 22.54]
		] as [number, number][]) {
			const back = fromWgs84('GCJ-02')(toWgs84('GCJ-02')(gcj));
			expect(Math.abs(back[0] - gcj[0])).toBeLessThan(1e-5);
			expect(Math.abs(back[1] - gcj[1])).toBeLessThan(1e-5);
		}
	});

	it('BD-09 is the published closed form of GCJ-02, and BD-09 ↔ WGS84 round-trips', () => {
		for (const wgs of [
			[121.51229, 31.23895],
			[120.38, 36.07],
			[116.397, 39.908]
		] as [number, number][]) {
			const bd = fromWgs84('BD-09')(wgs);
			const expected = gcjToBd(fromWgs84('GCJ-02')(wgs));
			expect(Math.abs(bd[0] - expected[0])).toBeLessThan(1e-6);
			expect(Math.abs(bd[1] - expected[1])).toBeLessThan(1e-6);
			const back = toWgs84('BD-09')(bd);
			expect(Math.abs(back[0] - wgs[0])).toBeLessThan(1e-5);
			expect(Math.abs(back[1] - wgs[1])).toBeLessThan(1e-5);
		}
	});

	it('points outside China are unchanged by GCJ-02 and BD-09 (gcoord leaves them alone)', () => {
		const paris: [number, number] = [2.3522, 48.8566];
		expect(toWgs84('GCJ-02')(paris)).toEqual(paris);
		expect(fromWgs84('GCJ-02')(paris)).toEqual(paris);
		const monaco: [number, number] = [7.42, 43.73];
		expect(toWgs84('GCJ-02')(monaco)).toEqual(monaco);
	});

	it('CGCS2000 and WGS84 lon/lat pass through unchanged', () => {
		expect(toWgs84('EPSG:4490')([120.4, 36.1])).toEqual([120.4, 36.1]);
		expect(toWgs84('EPSG:4326')([120.4, 36.1])).toEqual([120.4, 36.1]);
	});
});

// ------------------------------------------------------------ transformGeometry

describe('transformGeometry', () => {
	const shift = (xy: [number, number]): [number, number] => [xy[0] + 1, xy[1] * 2];

	it('applies the function to every position of every type, keeps z, does not mutate', () => {
		const polygon = {
			type: 'Polygon' as const,
			coordinates: [
				[
					[0, 0, 5],
					[1, 0, 5],
					[1, 1, 5],
					[0, 0, 5]
				],
				[
					[0.2, 0.2],
					[0.4, 0.2],
					[0.4, 0.4],
					[0.2, 0.2]
				]
			]
		};
		const copy = structuredClone(polygon);
		const moved = transformGeometry(polygon, shift);
		expect(polygon).toEqual(copy);
		expect(moved.coordinates[0]).toEqual([
			[1, 0, 5],
			[2, 0, 5],
			[2, 2, 5],
			[1, 0, 5]
		]);
		expect(moved.coordinates[1][1]).toEqual([1.4, 0.4]);
		expect(transformGeometry({ type: 'Point', coordinates: [3, 4] }, shift).coordinates).toEqual([
			4, 8
		]);
		expect(
			transformGeometry({ type: 'MultiPoint', coordinates: [[3, 4]] }, shift).coordinates
		).toEqual([[4, 8]]);
		expect(
			transformGeometry(
				{
					type: 'LineString',
					coordinates: [
						[0, 1],
						[2, 3]
					]
				},
				shift
			).coordinates
		).toEqual([
			[1, 2],
			[3, 6]
		]);
		expect(
			transformGeometry(
				{
					type: 'MultiLineString',
					coordinates: [
						[
							[0, 1],
							[2, 3]
						]
					]
				},
				shift
			).coordinates
		).toEqual([
			[
				[1, 2],
				[3, 6]
			]
		]);
		expect(
			transformGeometry(
				{
					type: 'MultiPolygon',
					coordinates: [
						[
							[
								[0, 0],
								[1, 0],
								[1, 1],
								[0, 0]
							]
						]
					]
				},
				shift
			).coordinates
		).toEqual([
			[
				[
					[1, 0],
					[2, 0],
					[2, 2],
					[1, 0]
				]
			]
		]);
	});

	it('drops a stale bbox', () => {
		const moved = transformGeometry(
			{ type: 'Point', coordinates: [3, 4], bbox: [3, 4, 3, 4] },
			shift
		);
		expect(moved).toEqual({ type: 'Point', coordinates: [4, 8] });
	});

	it('converts a real zone-40 polygon to lon/lat', () => {
		const toXy = fromWgs84('EPSG:4528');
		const ring = [
			[120.4, 36.1],
			[120.41, 36.1],
			[120.41, 36.11],
			[120.4, 36.1]
		] as [number, number][];
		const projected = { type: 'Polygon' as const, coordinates: [ring.map(toXy)] };
		const back = transformGeometry(projected, toWgs84('EPSG:4528'));
		back.coordinates[0].forEach((position, i) => {
			expect(position[0]).toBeCloseTo(ring[i][0], 9);
			expect(position[1]).toBeCloseTo(ring[i][1], 9);
		});
	});

	it('rejects other geometry types and malformed positions with the path', () => {
		expect(() => transformGeometry({ type: 'GeometryCollection', coordinates: [] }, shift)).toThrow(
			/cannot transform geometry type "GeometryCollection"/
		);
		expect(() =>
			transformGeometry({ type: 'LineString', coordinates: [[0, 1], [2]] }, shift)
		).toThrow('coordinates[1] is not an [x, y] position: [2]');
		expect(() =>
			transformGeometry({ type: 'Polygon', coordinates: [[[0, 0], 'x']] }, shift)
		).toThrow('coordinates[0][1] is not an array');
	});
});
