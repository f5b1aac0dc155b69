import { describe, expect, it } from 'vitest';
import { detectCrs, fromWgs84, PROJECTED_CRS_IDS } from '../../../src/lib/engine/crs/index.ts';
import type { XY } from '../../../src/lib/engine/crs/index.ts';

/** Laoshan district, Qingdao (WGS84 lon/lat), a few km apart. */
const LAOSHAN: XY[] = [
	[120.4683, 36.1072],
	[120.45, 36.12],
	[120.49, 36.15],
	[120.6, 36.2]
];
const LAOSHAN_BBOX: [number, number, number, number] = [120.4059, 35.8884, 120.9551, 36.3415];

describe('detectCrs', () => {
	it('eastings of 40 million are CGCS2000 GK zone 40 with prefix (EPSG:4528)', () => {
		const detection = detectCrs(LAOSHAN.map(fromWgs84('EPSG:4528')));
		expect(detection.crs).toBe('EPSG:4528');
		expect(detection.confidence).toBe('likely');
		expect(detection.reason).toContain('eastings of 40 million');
		expect(detection.warnings).toEqual([]);
	});

	it('eastings of 39 million are zone 39 (EPSG:4527)', () => {
		expect(detectCrs([[39_500_000, 4_000_000]]).crs).toBe('EPSG:4527');
	});

	it('lon/lat in China is ambiguous between WGS84, GCJ-02 and BD-09, with an override hint', () => {
		const detection = detectCrs(LAOSHAN);
		expect(detection.confidence).toBe('ambiguous');
		expect(detection.crs).toBe('EPSG:4326');
		expect(detection.candidates).toEqual(['EPSG:4326', 'GCJ-02', 'BD-09']);
		expect(detection.warnings).toHaveLength(1);
		expect(detection.warnings[0]).toMatch(/~300–600 m/);
		expect(detection.warnings[0]).toMatch(/'GCJ-02'/);
		expect(detection.warnings[0]).toMatch(/'BD-09'/);
	});

	it('a region-sized expected bbox cannot separate WGS84 from GCJ-02: still ambiguous', () => {
		expect(detectCrs(LAOSHAN, { expectedBbox: LAOSHAN_BBOX }).confidence).toBe('ambiguous');
	});

	it('an expected bbox decides when only one of WGS84/GCJ-02/BD-09 puts the points inside', () => {
		// GCJ-02 coordinates of points whose true (WGS84) positions fill a 100 m box.
		const truePositions: XY[] = [
			[120.468, 36.107],
			[120.469, 36.107],
			[120.469, 36.108],
			[120.468, 36.108]
		];
		const gcj = truePositions.map(fromWgs84('GCJ-02'));
		const tightBbox: [number, number, number, number] = [120.4675, 36.1065, 120.4695, 36.1085];
		const detection = detectCrs(gcj, { expectedBbox: tightBbox });
		expect(detection.crs).toBe('GCJ-02');
		expect(detection.confidence).toBe('likely');
		// The same numbers read as WGS84 are ~500 m off, so without GCJ they would not fit.
		expect(detectCrs(truePositions, { expectedBbox: tightBbox }).crs).toBe('EPSG:4326');
	});

	it('lon/lat outside China is WGS84: GCJ-02/BD-09 do not apply there', () => {
		const detection = detectCrs([
			[7.42, 43.73],
			[7.43, 43.74]
		]);
		expect(detection).toMatchObject({ crs: 'EPSG:4326', confidence: 'likely' });
	});

	it('projected metres without a zone prefix and no expected area: unknown, says why', () => {
		const detection = detectCrs(LAOSHAN.map(fromWgs84('EPSG:4549')));
		expect(detection.crs).toBeNull();
		expect(detection.confidence).toBe('unknown');
		expect(detection.reason).toMatch(/without a zone prefix/);
		expect(detection.reason).toMatch(/central meridian/);
		expect(detection.reason).toMatch(/UTM/);
		expect(detection.candidates).toHaveLength(24);
	});

	it('projected metres without a zone prefix: the expected area picks the central meridian', () => {
		const detection = detectCrs(LAOSHAN.map(fromWgs84('EPSG:4549')), {
			expectedBbox: LAOSHAN_BBOX
		});
		expect(detection).toMatchObject({
			crs: 'EPSG:4549',
			confidence: 'likely',
			candidates: ['EPSG:4549']
		});
		// UTM 51N shares its meridian (123°E) with GK EPSG:4550; 0.04 % scale cannot be told apart
		// over a district, so both are offered.
		const utm = detectCrs(LAOSHAN.map(fromWgs84('EPSG:32651')), { expectedBbox: LAOSHAN_BBOX });
		expect(utm).toMatchObject({ crs: null, confidence: 'ambiguous' });
		expect(utm.candidates.sort()).toEqual(['EPSG:32651', 'EPSG:4550']);
	});

	it('brute force: for every zone-less CRS, points near its meridian are detected as it or flagged ambiguous', () => {
		for (const crs of PROJECTED_CRS_IDS.filter((id) => !/^EPSG:45(1[3-9]|2\d|3[0-3])$/.test(id))) {
			const zone = crs.startsWith('EPSG:326') ? Number(crs.slice(-2)) : null;
			const cm = zone === null ? (Number(crs.slice(5)) - 4534) * 3 + 75 : zone * 6 - 183;
			const points: XY[] = [
				[cm + 0.3, 30],
				[cm + 0.35, 30.05],
				[cm + 0.4, 30.1]
			];
			const bbox: [number, number, number, number] = [cm + 0.25, 29.95, cm + 0.45, 30.15];
			const detection = detectCrs(points.map(fromWgs84(crs)), { expectedBbox: bbox });
			expect(detection.candidates).toContain(crs);
			// GK CM 117 and UTM 50N share a meridian; at 30°N their northings differ by 0.04 % (1.3 km),
			// which this 20 km box cannot separate. Elsewhere the answer is unique.
			if (detection.confidence !== 'likely') {
				expect(detection.confidence).toBe('ambiguous');
				expect([111, 117, 123]).toContain(cm);
			} else {
				expect(detection.crs).toBe(crs);
			}
		}
	});

	it('GK CM 117°E and UTM 50N (same meridian) are reported as ambiguous with both named', () => {
		const points = [
			[117.3, 36.1],
			[117.35, 36.15]
		].map((p) => fromWgs84('EPSG:4548')(p as XY));
		const detection = detectCrs(points, { expectedBbox: [117.0, 35.8, 117.6, 36.4] });
		expect(detection.confidence).toBe('ambiguous');
		expect(detection.crs).toBeNull();
		expect(detection.candidates.sort()).toEqual(['EPSG:32650', 'EPSG:4548']);
		expect(detection.reason).toMatch(
			/several CRSs put them inside the expected area .*: EPSG:4548, EPSG:32650\. Choose one$/
		);
	});

	it('a declared CRS that fits the numbers wins', () => {
		const detection = detectCrs(LAOSHAN, { declared: 'GCJ-02' });
		expect(detection).toMatchObject({ crs: 'GCJ-02', confidence: 'declared', warnings: [] });
		expect(
			detectCrs(LAOSHAN.map(fromWgs84('EPSG:4549')), { declared: 'EPSG:4549' }).confidence
		).toBe('declared');
	});

	it('a declared CRS that contradicts the numbers is reported and the numbers decide', () => {
		const detection = detectCrs(LAOSHAN.map(fromWgs84('EPSG:4528')), { declared: 'EPSG:4326' });
		expect(detection.crs).toBe('EPSG:4528');
		expect(detection.confidence).toBe('likely');
		expect(detection.warnings[0]).toMatch(
			/^the declared EPSG:4326 \(WGS84 lon\/lat\) does not fit the coordinates/
		);
	});

	it('a declared CRS whose conversion lands outside the expected area gets a warning', () => {
		const detection = detectCrs(LAOSHAN.map(fromWgs84('EPSG:4549')), {
			declared: 'EPSG:4548',
			expectedBbox: LAOSHAN_BBOX
		});
		expect(detection.confidence).toBe('declared');
		expect(detection.warnings[0]).toMatch(/fall outside the expected area/);
	});

	it('garbage is unknown', () => {
		expect(
			detectCrs([
				[1e9, 5],
				[3, -7e7]
			])
		).toMatchObject({ crs: null, confidence: 'unknown' });
		expect(detectCrs([[Number.NaN, 1]])).toMatchObject({
			crs: null,
			confidence: 'unknown',
			reason: 'no finite coordinates in the sample'
		});
		expect(detectCrs([])).toMatchObject({ crs: null, confidence: 'unknown' });
		// Mixed lon/lat and metres.
		expect(
			detectCrs([
				[120.4, 36.1],
				[40_536_019, 3_996_712]
			]).confidence
		).toBe('unknown');
	});

	it('lat/lon in swapped order is named as such', () => {
		const detection = detectCrs(LAOSHAN.map(([lon, lat]) => [lat, lon] as XY));
		expect(detection.crs).toBeNull();
		expect(detection.reason).toMatch(/swap the x\/lon and y\/lat columns/);
	});

	it('eastings from two GK zones are not silently split', () => {
		const detection = detectCrs([
			[39_700_000, 4_000_000],
			[40_300_000, 4_000_000]
		]);
		expect(detection.confidence).toBe('unknown');
		expect(detection.reason).toMatch(/span GK zones 39, 40/);
	});

	it('6° GK eastings are named as unsupported', () => {
		expect(detectCrs([[20_500_000, 4_000_000]]).reason).toMatch(/6° GK zones/);
	});
});
