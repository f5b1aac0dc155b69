/**
 * The basemap style of a region: its own PMTiles (built by `npm run region:build` from the
 * region's OSM-derived layers, served by /api/regions/<id>/tiles.pmtiles), no external URL.
 * Names (roads, water; compounds and stations in native-layers.ts) are MapLibre symbols with no
 * `glyphs` URL: MapLibre (≥ 5.11) then draws every glyph locally with TinySDF from the fonts named
 * in `text-font`, so Chinese names render offline with the system's Noto CJK font.
 */
import type { StyleSpecification } from 'maplibre-gl';

export const OSM_ATTRIBUTION =
	'© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL 1.0)';

/** Fonts of every map label, resolved as local CSS fonts (Debian: fonts-noto-cjk). */
export const LABEL_FONTS = ['Noto Sans CJK SC', 'Noto Sans SC', 'sans-serif'];

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
			},
			{
				id: 'water-labels',
				type: 'symbol',
				source: 'region',
				'source-layer': 'water',
				filter: ['has', 'name'],
				layout: {
					'text-field': ['get', 'name'],
					'text-font': LABEL_FONTS,
					'text-size': 13,
					'text-letter-spacing': 0.2,
					// Water is cut per tile and each piece would carry the name: keep them far apart.
					'text-padding': 120
				},
				paint: {
					'text-color': '#3b6e98',
					'text-halo-color': 'rgba(255,255,255,0.7)',
					'text-halo-width': 1
				}
			},
			{
				id: 'road-labels',
				type: 'symbol',
				source: 'region',
				'source-layer': 'roads',
				minzoom: 14,
				filter: ['all', ['has', 'name'], ['!', ['in', ['get', 'highway'], ['literal', FOOT_WAYS]]]],
				layout: {
					'symbol-placement': 'line',
					'text-field': ['get', 'name'],
					'text-font': LABEL_FONTS,
					'text-size': 11,
					'symbol-spacing': 300
				},
				paint: {
					'text-color': '#6b5d45',
					'text-halo-color': 'rgba(255,255,255,0.9)',
					'text-halo-width': 1.4
				}
			}
		]
	};
}
