/**
 * deck.gl layers of the workspace, built from the workspace state: residential areas coloured by
 * verdict or walking minutes (colours filled from the worker's typed arrays), estimate marks,
 * district choropleth, facilities by kind and floor area, planned stations (draggable), and the
 * selected station's isochrone. Dragging a planned station is handled by MapView (map events). Labels use TextLayer with the system CJK font (offline).
 */
import { PathStyleExtension, type PathStyleExtensionProps } from '@deck.gl/extensions';
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { centerOfMass } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Isochrone, PlannedStation, SessionResult } from '$lib/engine/session/what-if.ts';
import type { SuggestedSite } from '$lib/engine/siting/run.ts';
import type {
	BoundaryFeature,
	FacilityFeature,
	ResidentialFeature
} from '$lib/engine/region/schema.ts';
import {
	KIND_COLORS,
	PLANNED_COLOR,
	VERDICT_COLORS,
	deficitColor,
	minutesColor,
	shareColor,
	type Rgba
} from './colors.ts';
import type { Choropleth, ColorBy, RegionPayload, Selection } from './workspace.svelte.ts';

export const LABEL_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif';

export interface LayerVisibility {
	areas: boolean;
	facilities: boolean;
	districts: boolean;
	isochrone: boolean;
	labels: boolean;
}

export interface LayerHandlers {
	onSelect(selection: Selection): void;
}

/** Layer id of the planned stations (MapView picks it to start a drag). */
export const PLANNED_LAYER_ID = 'planned';
/** Layer id of the region's own facilities (draggable: a move becomes part of the plan). */
export const FACILITIES_LAYER_ID = 'facilities';

/** Per-area fill colours as one flat RGBA buffer (4 bytes per area), from the worker's arrays. */
export function areaColors(result: SessionResult, colorBy: ColorBy): Uint8Array {
	const colors = new Uint8Array(result.minutes.length * 4);
	result.analysis.areas.forEach((area, i) => {
		const color: Rgba =
			colorBy === 'verdict' ? VERDICT_COLORS[area.verdict] : minutesColor(result.minutes[i]);
		colors.set(color, i * 4);
	});
	return colors;
}

const centroids = new WeakMap<ResidentialFeature[], [number, number][]>();
function centroidsOf(areas: ResidentialFeature[]): [number, number][] {
	let known = centroids.get(areas);
	if (!known) {
		known = areas.map((area) =>
			area.geometry.type === 'Point'
				? (area.geometry.coordinates as [number, number])
				: (centerOfMass(area as unknown as Feature<Polygon | MultiPolygon>).geometry
						.coordinates as [number, number])
		);
		centroids.set(areas, known);
	}
	return known;
}

/**
 * The gap measure per street or district code, and its colour: share of elders within the
 * circle, m² deficit (scaled to the largest), or welfare land per elder against the profile's
 * minimum (districts only; the ratio to the minimum, 1 = met).
 */
export function choroplethValues(result: SessionResult, choropleth: Choropleth) {
	const rows = choropleth.level === 'street' ? result.analysis.streets : result.analysis.districts;
	const landRule = result.analysis.profile.rules.find(
		(rule) => rule.kind === 'welfare_land_per_elder'
	);
	const minLand =
		landRule && 'minM2PerElder' in landRule.params ? landRule.params.minM2PerElder : null;
	const value = new Map<string | null, number | null>();
	for (const row of rows) {
		const measured =
			choropleth.measure === 'share'
				? row.eldersCoveredShare
				: choropleth.measure === 'deficit'
					? row.deficitM2
					: 'landPerElderM2' in row && minLand
						? row.landPerElderM2 === null
							? null
							: row.landPerElderM2 / minLand
						: null;
		value.set(row.code, measured);
	}
	const maxDeficit = Math.max(0, ...rows.map((row) => row.deficitM2));
	return {
		value,
		color: (code: string | null): Rgba => {
			const v = value.get(code) ?? null;
			return choropleth.measure === 'deficit' ? deficitColor(v, maxDeficit) : shareColor(v);
		}
	};
}

const floorRadius = (floorAreaM2: number | null) =>
	floorAreaM2 === null ? 6 : Math.max(5, Math.min(16, Math.sqrt(floorAreaM2) / 2));

export function buildLayers(input: {
	region: RegionPayload;
	result: SessionResult | null;
	planned: PlannedStation[];
	isochrone: Isochrone | null;
	/** Suggested sites of a siting run, not yet planned. */
	suggested: SuggestedSite[];
	/** Existing facilities moved or taken out in the plan. */
	moved: Record<string, [number, number]>;
	removed: string[];
	/** The residential project being evaluated: its boundary (drawn or read) and facilities. */
	project: {
		ring: [number, number][];
		closed: boolean;
		facilities: { position: [number, number] }[];
	};
	colorBy: ColorBy;
	choropleth: Choropleth;
	selected: Selection;
	visible: LayerVisibility;
	handlers: LayerHandlers;
}): Layer[] {
	const {
		region,
		result,
		planned,
		isochrone,
		suggested,
		moved,
		removed,
		project,
		colorBy,
		choropleth,
		selected,
		visible,
		handlers
	} = input;
	const layers: Layer[] = [];
	const areas = region.residential ?? [];

	if (visible.districts && region.boundaries && result) {
		const values = choroplethValues(result, choropleth);
		layers.push(
			new GeoJsonLayer<BoundaryFeature['properties']>({
				id: 'choropleth',
				data: region.boundaries.filter((b) => b.properties.level === choropleth.level) as never,
				filled: true,
				stroked: false,
				getFillColor: (f: { properties: BoundaryFeature['properties'] }) =>
					values.color(f.properties.code),
				updateTriggers: { getFillColor: [result, choropleth.level, choropleth.measure] }
			})
		);
	}

	if (visible.isochrone && isochrone) {
		layers.push(
			new GeoJsonLayer({
				id: 'isochrone-band',
				data: { type: 'Feature', geometry: isochrone.band, properties: {} } as never,
				filled: true,
				stroked: true,
				getFillColor: [255, 140, 0, 45],
				getLineColor: [255, 120, 0, 200],
				getLineWidth: 2,
				lineWidthUnits: 'pixels'
			}),
			new GeoJsonLayer({
				id: 'isochrone-streets',
				data: { type: 'Feature', geometry: isochrone.reached, properties: {} } as never,
				getLineColor: [230, 100, 0, 230],
				getLineWidth: 3,
				lineWidthUnits: 'pixels'
			})
		);
	}

	if (visible.areas && areas.length) {
		const colors = result ? areaColors(result, colorBy) : null;
		layers.push(
			new GeoJsonLayer<ResidentialFeature['properties'], PathStyleExtensionProps>({
				id: 'areas',
				data: areas as never,
				pickable: true,
				filled: true,
				stroked: true,
				getFillColor: (_: unknown, { index }: { index: number }) =>
					colors
						? (Array.from(colors.subarray(index * 4, index * 4 + 4)) as Rgba)
						: [150, 150, 150, 120],
				getLineColor: (f: { properties: ResidentialFeature['properties'] }) =>
					selected?.kind === 'area' && selected.id === f.properties.id
						? [20, 20, 20, 255]
						: [90, 90, 90, 200],
				getLineWidth: (f: { properties: ResidentialFeature['properties'] }) =>
					selected?.kind === 'area' && selected.id === f.properties.id ? 3 : 1.5,
				lineWidthUnits: 'pixels',
				// Dashed outline = households or elders of this area are estimates (legend says so).
				extensions: [new PathStyleExtension({ dash: true })],
				getDashArray: (f: { properties: ResidentialFeature['properties'] }) =>
					Object.keys(f.properties.estimated ?? {}).length ? [5, 3] : [0, 0],
				dashUnits: 'pixels',
				pointRadiusMinPixels: 6,
				updateTriggers: {
					getFillColor: [colors],
					getLineColor: [selected],
					getLineWidth: [selected]
				},
				onClick: (info: PickingInfo) => {
					const feature = info.object as ResidentialFeature | undefined;
					if (feature) handlers.onSelect({ kind: 'area', id: feature.properties.id });
					return true;
				}
			})
		);
		if (visible.labels) {
			const centres = centroidsOf(areas);
			const labelled = areas.map((area, i) => ({
				position: centres[i],
				// OSM areas without a name carry a generated one (未命名居住用地 osm-…): not worth a label.
				name: area.properties.name.startsWith('未命名') ? '' : area.properties.name
			}));
			layers.push(
				new TextLayer({
					id: 'area-labels',
					data: labelled,
					getPosition: (d: (typeof labelled)[number]) => d.position,
					getText: (d: (typeof labelled)[number]) => d.name,
					getSize: 12,
					getColor: [30, 30, 30, 255],
					fontFamily: LABEL_FONT,
					characterSet: 'auto',
					outlineWidth: 2,
					outlineColor: [255, 255, 255, 220],
					getTextAnchor: 'middle',
					getAlignmentBaseline: 'center'
				})
			);
		}
	}

	if (visible.facilities) {
		const existing: FacilityFeature[] = region.facilities ?? [];
		layers.push(
			new ScatterplotLayer<FacilityFeature>({
				id: FACILITIES_LAYER_ID,
				data: existing,
				pickable: true,
				getPosition: (f: FacilityFeature) =>
					moved[f.properties.id] ?? (f.geometry.coordinates as [number, number]),
				getRadius: (f: FacilityFeature) => floorRadius(f.properties.floorAreaM2),
				radiusUnits: 'pixels',
				// Taken out of the plan: drawn faint, still there to be put back.
				getFillColor: (f: FacilityFeature) =>
					removed.includes(f.properties.id)
						? ([160, 160, 160, 90] as Rgba)
						: KIND_COLORS[f.properties.kind],
				getLineColor: (f: FacilityFeature) =>
					selected?.kind === 'facility' && selected.id === f.properties.id
						? [0, 0, 0, 255]
						: [255, 255, 255, 255],
				lineWidthMinPixels: 2,
				stroked: true,
				updateTriggers: {
					getLineColor: [selected],
					getPosition: [moved],
					getFillColor: [removed]
				},
				onClick: (info: PickingInfo) => {
					const feature = info.object as FacilityFeature | undefined;
					if (feature) handlers.onSelect({ kind: 'facility', id: feature.properties.id });
					return true;
				}
			}),
			new ScatterplotLayer<PlannedStation>({
				id: PLANNED_LAYER_ID,
				data: planned,
				pickable: true,
				getPosition: (s: PlannedStation) => s.position,
				getRadius: (s: PlannedStation) => floorRadius(s.floorAreaM2) + 2,
				radiusUnits: 'pixels',
				getFillColor: PLANNED_COLOR,
				getLineColor: (s: PlannedStation) =>
					selected?.kind === 'facility' && selected.id === s.id
						? [0, 0, 0, 255]
						: [255, 255, 255, 255],
				lineWidthMinPixels: 3,
				stroked: true,
				updateTriggers: { getLineColor: [selected] },
				onClick: (info: PickingInfo) => {
					const station = info.object as PlannedStation | undefined;
					if (station) handlers.onSelect({ kind: 'facility', id: station.id });
					return true;
				}
			})
		);
		if (visible.labels) {
			const labels = [
				...existing.map((f) => ({
					position: moved[f.properties.id] ?? (f.geometry.coordinates as [number, number]),
					name: removed.includes(f.properties.id)
						? `${f.properties.name}（移除）`
						: f.properties.name
				})),
				...planned.map((s) => ({ position: s.position, name: s.name }))
			];
			layers.push(
				new TextLayer({
					id: 'facility-labels',
					data: labels,
					getPosition: (d: (typeof labels)[number]) => d.position,
					getText: (d: (typeof labels)[number]) => d.name,
					getSize: 12,
					getColor: [60, 20, 80, 255],
					getPixelOffset: [0, -18],
					fontFamily: LABEL_FONT,
					characterSet: 'auto',
					outlineWidth: 2,
					outlineColor: [255, 255, 255, 230]
				})
			);
		}
	}
	if (project.ring.length) {
		const ring = project.closed ? [...project.ring, project.ring[0]] : project.ring;
		layers.push(
			new GeoJsonLayer({
				id: 'project',
				data: {
					type: 'Feature',
					geometry:
						project.closed && ring.length >= 4
							? { type: 'Polygon', coordinates: [ring] }
							: { type: 'LineString', coordinates: ring },
					properties: {}
				} as never,
				filled: true,
				stroked: true,
				getFillColor: [0, 120, 255, 50],
				getLineColor: [0, 90, 220, 255],
				getLineWidth: 2,
				lineWidthUnits: 'pixels',
				pointType: 'circle',
				getPointRadius: 4,
				pointRadiusUnits: 'pixels'
			}),
			new ScatterplotLayer<[number, number]>({
				id: 'project-vertices',
				data: project.ring,
				getPosition: (vertex: [number, number]) => vertex,
				getRadius: 3,
				radiusUnits: 'pixels',
				getFillColor: [0, 90, 220, 255]
			})
		);
	}
	if (project.facilities.length)
		layers.push(
			new ScatterplotLayer<{ position: [number, number] }>({
				id: 'project-facilities',
				data: project.facilities,
				getPosition: (facility: { position: [number, number] }) => facility.position,
				getRadius: 9,
				radiusUnits: 'pixels',
				getFillColor: [0, 150, 120, 255],
				stroked: true,
				getLineColor: [255, 255, 255, 255],
				lineWidthMinPixels: 2
			})
		);
	if (suggested.length)
		layers.push(
			new ScatterplotLayer<SuggestedSite>({
				id: 'suggested',
				data: suggested,
				getPosition: (site: SuggestedSite) => [site.lon, site.lat],
				getRadius: 11,
				radiusUnits: 'pixels',
				filled: true,
				getFillColor: [255, 255, 255, 200],
				stroked: true,
				getLineColor: [106, 61, 154, 255],
				lineWidthMinPixels: 3
			}),
			new TextLayer<SuggestedSite>({
				id: 'suggested-rank',
				data: suggested,
				getPosition: (site: SuggestedSite) => [site.lon, site.lat],
				getText: (site: SuggestedSite) => site.id.replace('suggested-', ''),
				getSize: 13,
				getColor: [106, 61, 154, 255],
				fontFamily: LABEL_FONT,
				fontWeight: 700
			})
		);
	return layers;
}
