/**
 * The coverage layers MapLibre draws itself: residential areas (fill by verdict or walking minutes
 * from the worker's arrays, dashed outline when estimated), facilities by kind and floor area,
 * planned stations, and their names. Drawn in MapLibre's own WebGL context, so the first map with
 * coverage does not wait for deck.gl's second context and shaders (npm run bench:ui); deck.gl adds
 * isochrones, choropleths and suggestions once the map is idle. Names are MapLibre symbols drawn
 * from the system's CJK font (no glyph server, basemap.ts) with collision detection: where two
 * names would overlap, the bigger compound's (more elders) and every station's win.
 */
import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import { centerOfMass } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { ResidentialFeature } from '$lib/engine/region/schema.ts';
import { LABEL_FONTS } from './basemap.ts';
import type { PlannedStation, SessionResult } from '$lib/engine/session/what-if.ts';
import type { FacilityFeature } from '$lib/engine/region/schema.ts';
import { KIND_COLORS, PLANNED_COLOR, css, type Rgba } from './colors.ts';
import { areaColors } from './area-colors.ts';
import type { ColorBy, RegionPayload, Selection } from './workspace.svelte.ts';

export const NATIVE_LAYERS = {
	areasFill: 'cc-areas-fill',
	areasLine: 'cc-areas-line',
	areasLineEstimated: 'cc-areas-line-estimated',
	facilities: 'cc-facilities',
	planned: 'cc-planned',
	areaLabels: 'cc-area-labels',
	facilityLabels: 'cc-facility-labels',
	plannedLabels: 'cc-planned-labels'
} as const;
const SOURCES = {
	areas: 'cc-areas',
	areaLabels: 'cc-area-labels',
	facilities: 'cc-facilities',
	planned: 'cc-planned'
} as const;
const LABEL_LAYERS = [
	NATIVE_LAYERS.areaLabels,
	NATIVE_LAYERS.facilityLabels,
	NATIVE_LAYERS.plannedLabels
];

/** Where a compound's name goes: its point, or its polygon's centre of mass. */
export function labelPoint(area: ResidentialFeature): [number, number] {
	return area.geometry.type === 'Point'
		? (area.geometry.coordinates as [number, number])
		: (centerOfMass(area as unknown as Feature<Polygon | MultiPolygon>).geometry.coordinates as [
				number,
				number
			]);
}

/** OSM areas without a name carry a generated one (未命名居住用地 osm-…): not worth a label. */
const labelOf = (name: string) => (name.startsWith('未命名') ? '' : name);

const floorRadius = (floorAreaM2: number | null) =>
	floorAreaM2 === null ? 6 : Math.max(5, Math.min(16, Math.sqrt(floorAreaM2) / 2));

const empty = { type: 'FeatureCollection' as const, features: [] };

/** Add the sources and layers (after every style load: setStyle drops them). */
export function addNativeLayers(map: MaplibreMap, region: RegionPayload): void {
	if (map.getSource(SOURCES.areas)) return;
	map.addSource(SOURCES.areas, {
		type: 'geojson',
		promoteId: 'id',
		data: {
			type: 'FeatureCollection',
			features: (region.residential ?? []).map((area) => ({
				type: 'Feature',
				geometry: area.geometry,
				properties: {
					id: area.properties.id,
					estimated: Object.keys(area.properties.estimated ?? {}).length > 0
				}
			}))
		}
	});
	map.addSource(SOURCES.areaLabels, {
		type: 'geojson',
		data: {
			type: 'FeatureCollection',
			features: (region.residential ?? []).map((area) => ({
				type: 'Feature',
				geometry: { type: 'Point', coordinates: labelPoint(area) },
				properties: {
					name: labelOf(area.properties.name),
					elders: area.properties.elders ?? 0
				}
			}))
		}
	});
	map.addSource(SOURCES.facilities, { type: 'geojson', promoteId: 'id', data: empty });
	map.addSource(SOURCES.planned, { type: 'geojson', promoteId: 'id', data: empty });
	const selectedWidth = ['case', ['boolean', ['feature-state', 'selected'], false], 3, 1.5];
	map.addLayer({
		id: NATIVE_LAYERS.areasFill,
		type: 'fill',
		source: SOURCES.areas,
		paint: {
			'fill-color': ['coalesce', ['feature-state', 'color'], 'rgba(150,150,150,0.45)'],
			'fill-opacity': 1
		}
	});
	map.addLayer({
		id: NATIVE_LAYERS.areasLine,
		type: 'line',
		source: SOURCES.areas,
		filter: ['!', ['get', 'estimated']],
		paint: { 'line-color': '#5a5a5a', 'line-width': selectedWidth as never }
	});
	// Dashed outline = households or elders of the area are estimates (the legend says so).
	map.addLayer({
		id: NATIVE_LAYERS.areasLineEstimated,
		type: 'line',
		source: SOURCES.areas,
		filter: ['get', 'estimated'],
		paint: {
			'line-color': '#5a5a5a',
			'line-width': selectedWidth as never,
			'line-dasharray': [3, 2]
		}
	});
	map.addLayer({
		id: NATIVE_LAYERS.facilities,
		type: 'circle',
		source: SOURCES.facilities,
		paint: {
			'circle-radius': ['get', 'radius'],
			'circle-color': ['get', 'color'],
			'circle-stroke-color': ['get', 'stroke'],
			'circle-stroke-width': 2
		}
	});
	map.addLayer({
		id: NATIVE_LAYERS.planned,
		type: 'circle',
		source: SOURCES.planned,
		paint: {
			'circle-radius': ['get', 'radius'],
			'circle-color': css(PLANNED_COLOR),
			'circle-stroke-color': ['get', 'stroke'],
			'circle-stroke-width': 3
		}
	});
	const halo = { 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.6 };
	map.addLayer({
		id: NATIVE_LAYERS.areaLabels,
		type: 'symbol',
		source: SOURCES.areaLabels,
		layout: {
			'text-field': ['get', 'name'],
			'text-font': LABEL_FONTS,
			'text-size': 12,
			'symbol-sort-key': ['-', 0, ['get', 'elders']],
			'text-max-width': 8
		},
		paint: { 'text-color': '#1e1e1e', ...halo }
	});
	for (const [id, source] of [
		[NATIVE_LAYERS.facilityLabels, SOURCES.facilities],
		[NATIVE_LAYERS.plannedLabels, SOURCES.planned]
	] as const)
		map.addLayer({
			id,
			type: 'symbol',
			source,
			layout: {
				'text-field': ['get', 'name'],
				'text-font': LABEL_FONTS,
				'text-size': 12,
				'text-anchor': 'bottom',
				'text-offset': [0, -0.9],
				'text-max-width': 10
			},
			paint: { 'text-color': '#3c1450', ...halo }
		});
}

/** Names of compounds, facilities and planned stations: with their layer and the 标注 toggle. */
export function showLabels(
	map: MaplibreMap,
	visible: { areas: boolean; facilities: boolean; labels: boolean }
): void {
	for (const id of LABEL_LAYERS) {
		const on =
			visible.labels && (id === NATIVE_LAYERS.areaLabels ? visible.areas : visible.facilities);
		if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== visibility(on))
			map.setLayoutProperty(id, 'visibility', visibility(on));
	}
}

const visibility = (on: boolean) => (on ? 'visible' : 'none');

/** Area colours (verdict or minutes) and the selected outline: on every result. */
export function paintAreas(
	map: MaplibreMap,
	input: {
		region: RegionPayload;
		result: SessionResult | null;
		colorBy: ColorBy;
		selected: Selection;
		visible: boolean;
	}
): void {
	if (!map.getSource(SOURCES.areas)) return;
	const { selected } = input;
	const colors = input.result ? areaColors(input.result, input.colorBy) : null;
	(input.region.residential ?? []).forEach((area, i) => {
		const id = area.properties.id;
		const color = colors
			? css(Array.from(colors.subarray(i * 4, i * 4 + 4)) as Rgba)
			: 'rgba(150,150,150,0.45)';
		const isSelected = selected?.kind === 'area' && selected.id === id;
		// Only what changed: a feature-state change repaints the whole map, which costs a frame
		// of software WebGL; a new walking time that leaves the verdict as it was repaints nothing.
		const state = map.getFeatureState({ source: SOURCES.areas, id });
		if (state.color !== color || state.selected !== isSelected)
			map.setFeatureState({ source: SOURCES.areas, id }, { color, selected: isSelected });
	});
	for (const id of [
		NATIVE_LAYERS.areasFill,
		NATIVE_LAYERS.areasLine,
		NATIVE_LAYERS.areasLineEstimated
	])
		if (map.getLayoutProperty(id, 'visibility') !== visibility(input.visible))
			map.setLayoutProperty(id, 'visibility', visibility(input.visible));
}

/**
 * Facilities and planned stations: positions (moves of the plan), removals, selection. Only when
 * those change (a new result alone does not move a station), since setData re-tiles the source.
 */
export function placeStations(
	map: MaplibreMap,
	input: {
		region: RegionPayload;
		planned: PlannedStation[];
		moved: Record<string, [number, number]>;
		removed: string[];
		selected: Selection;
		visible: boolean;
		/** Shown after a facility taken out of the plan: 移除 / removed. */
		removedWord: string;
	}
): void {
	if (!map.getSource(SOURCES.facilities)) return;
	const { removedWord } = input;
	const { selected } = input;
	const isSelected = (id: string) => selected?.kind === 'facility' && selected.id === id;
	const removed = new Set(input.removed);
	(map.getSource(SOURCES.facilities) as GeoJSONSource).setData({
		type: 'FeatureCollection',
		features: (input.region.facilities ?? []).map((facility: FacilityFeature) => ({
			type: 'Feature',
			geometry: {
				type: 'Point',
				coordinates: input.moved[facility.properties.id] ?? facility.geometry.coordinates
			},
			properties: {
				id: facility.properties.id,
				name: removed.has(facility.properties.id)
					? `${facility.properties.name}（${removedWord}）`
					: facility.properties.name,
				radius: floorRadius(facility.properties.floorAreaM2),
				// Taken out of the plan: drawn faint, still there to be put back.
				color: removed.has(facility.properties.id)
					? 'rgba(160,160,160,0.35)'
					: css(KIND_COLORS[facility.properties.kind]),
				stroke: isSelected(facility.properties.id) ? '#000000' : '#ffffff'
			}
		}))
	});
	(map.getSource(SOURCES.planned) as GeoJSONSource).setData({
		type: 'FeatureCollection',
		features: input.planned.map((station) => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: station.position },
			properties: {
				id: station.id,
				name: station.name,
				radius: floorRadius(station.floorAreaM2) + 2,
				stroke: isSelected(station.id) ? '#000000' : '#ffffff'
			}
		}))
	});
	for (const id of [NATIVE_LAYERS.facilities, NATIVE_LAYERS.planned])
		if (map.getLayoutProperty(id, 'visibility') !== visibility(input.visible))
			map.setLayoutProperty(id, 'visibility', visibility(input.visible));
}

/** The planned station or facility under a point (for dragging and selection), by id. */
export function stationAt(map: MaplibreMap, point: { x: number; y: number }): string | null {
	const box: [[number, number], [number, number]] = [
		[point.x - 4, point.y - 4],
		[point.x + 4, point.y + 4]
	];
	const [hit] = map.queryRenderedFeatures(box, {
		layers: [NATIVE_LAYERS.planned, NATIVE_LAYERS.facilities]
	});
	return (hit?.properties?.id as string | undefined) ?? null;
}

/** The residential area under a point, by id. */
export function areaAt(map: MaplibreMap, point: { x: number; y: number }): string | null {
	const [hit] = map.queryRenderedFeatures([point.x, point.y], {
		layers: [NATIVE_LAYERS.areasFill]
	});
	return (hit?.properties?.id as string | undefined) ?? null;
}
