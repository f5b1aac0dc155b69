/**
 * `areas.geojson` (issue 4): the residential features in input order, geometry byte-for-byte,
 * with the verdict and figures of their analysis rows.
 */
import { describe, expect, it } from 'vitest';
import { areasGeoJson, ReportInputError } from '../../../src/lib/engine/report/geojson.ts';
import { laoshanAnalysis, residentialFeatures } from './fixtures/analysis.ts';

describe('areasGeoJson', () => {
	const analysis = laoshanAnalysis();
	const features = residentialFeatures();

	it('keeps the input order and the coordinates exactly', () => {
		const reversed = [...features].reverse();
		const geojson = JSON.parse(areasGeoJson(analysis, reversed));
		expect(geojson.type).toBe('FeatureCollection');
		expect(geojson.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual([
			'a4',
			'a3',
			'a2',
			'a1'
		]);
		geojson.features.forEach((feature: { geometry: unknown }, index: number) =>
			expect(feature.geometry).toEqual(reversed[index].geometry)
		);
		// 11 significant digits survive: no rounding on the way out
		expect(geojson.features[2].geometry.coordinates[0][0][0]).toBe(120.4 + 1 * 0.01234567891); // a2
	});

	it('carries the verdicts and figures of the rows, unknown as null', () => {
		const geojson = JSON.parse(areasGeoJson(analysis, features));
		expect(geojson.features[0].properties).toEqual({
			id: 'a1',
			name: '=HYPERLINK("evil.example","点我")',
			verdict: 'compliant',
			required_m2: 150,
			provided_m2: 200,
			deficit_m2: 0,
			minutes_to_nearest: 6.25,
			covered: true,
			households: 1000,
			elders: 400,
			estimated: []
		});
		expect(geojson.features[1].properties).toMatchObject({
			verdict: 'deficit',
			required_m2: 246.8,
			covered: false,
			estimated: ['households']
		});
		expect(geojson.features[3].properties).toMatchObject({
			verdict: 'no_data',
			required_m2: null,
			households: null,
			minutes_to_nearest: null,
			covered: null
		});
	});

	it('names a feature the analysis does not know', () => {
		const stranger = { ...features[0], properties: { ...features[0].properties, id: 'zz' } };
		expect(() => areasGeoJson(analysis, [...features, stranger])).toThrow(ReportInputError);
		expect(() => areasGeoJson(analysis, [...features, stranger])).toThrow(
			/residential feature 4 \(id "zz"\) has no row/
		);
	});
});
