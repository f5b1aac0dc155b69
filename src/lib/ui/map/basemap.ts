/**
 * The basemap style of a region: its own PMTiles (built by `npm run region:build` from the
 * region's OSM-derived layers, served by /api/regions/<id>/tiles.pmtiles), no external URL.
 * No symbol layers: MapLibre would need a glyph server for them; labels are drawn by deck.gl's
 * TextLayer with the system's CJK font instead (offline).
 */
import type { StyleSpecification } from 'maplibre-gl';

export const OSM_ATTRIBUTION =
	'© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL 1.0)';

/** Ways drawn dashed: paths for people on foot. */
const FOOT_WAYS = ['footway', 'path', 'pedestrian', 'steps', 'cycleway', 'corridor'];

export function regionStyle(regionId: string, origin: string): StyleSpecification {
	const url = `pmtiles://${origin}/api/regions/${encodeURIComponent(regionId)}/tiles.pmtiles`;
	return {
		version: 8,
		sources: {
			region: { type: 'vector', url, attribution: OSM_ATTRIBUTION }
		},
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } },
			{
				id: 'water',
				type: 'fill',
				source: 'region',
				'source-layer': 'water',
				paint: { 'fill-color': '#a9cbe6' }
			},
			{
				id: 'buildings',
				type: 'fill',
				source: 'region',
				'source-layer': 'buildings',
				paint: { 'fill-color': '#ddd6cb', 'fill-outline-color': '#c9c0b3' }
			},
			{
				id: 'roads-casing',
				type: 'line',
				source: 'region',
				'source-layer': 'roads',
				filter: [
					'in',
					['get', 'highway'],
					['literal', ['primary', 'secondary', 'tertiary', 'trunk']]
				],
				paint: {
					'line-color': '#d8c9a8',
					'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2, 16, 8]
				}
			},
			{
				id: 'roads',
				type: 'line',
				source: 'region',
				'source-layer': 'roads',
				filter: ['!', ['in', ['get', 'highway'], ['literal', FOOT_WAYS]]],
				paint: {
					'line-color': '#ffffff',
					'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 16, 4]
				}
			},
			{
				id: 'footways',
				type: 'line',
				source: 'region',
				'source-layer': 'roads',
				filter: ['in', ['get', 'highway'], ['literal', FOOT_WAYS]],
				paint: {
					'line-color': '#a08f74',
					'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.5, 16, 2],
					'line-dasharray': [2, 1]
				}
			},
			{
				id: 'boundaries',
				type: 'line',
				source: 'region',
				'source-layer': 'boundaries',
				paint: {
					'line-color': '#7a5c99',
					'line-width': ['match', ['get', 'level'], 'district', 2, 1],
					'line-dasharray': [3, 2]
				}
			}
		]
	};
}
