/**
 * deck.gl layers of the workspace, added once the map is idle: street / district choropleth, the
 * selected station's isochrone, suggested sites (ranked, TextLayer with the system CJK font) and
 * the project being evaluated. Residential areas, facilities, planned stations and their names are
 * MapLibre layers (native-layers.ts) so that the first map with coverage needs no second context.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Isochrone, SessionResult } from '$lib/engine/session/what-if.ts';
import type { SuggestedSite } from '$lib/engine/siting/run.ts';
import type { BoundaryFeature } from '$lib/engine/region/schema.ts';
import type { TargetsResult } from '$lib/engine/targets/targets.ts';
import { deficitColor, shareColor, type Rgba } from './colors.ts';
import type { Choropleth, RegionPayload } from './workspace.svelte.ts';

export const LABEL_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif';

export interface LayerVisibility {
	areas: boolean;
	facilities: boolean;
	districts: boolean;
	isochrone: boolean;
	labels: boolean;
}

/**
 * The gap measure per street or district code, and its colour: share of elders within the
 * circle, m² deficit (scaled to the largest), or welfare land per elder against the profile's
 * minimum (districts only; the ratio to the minimum, 1 = met).
 */
export function choroplethValues(
	result: SessionResult,
	choropleth: Choropleth,
	targets: TargetsResult | null = null
) {
	const rows = choropleth.level === 'street' ? result.analysis.streets : result.analysis.districts;
	if (choropleth.measure === 'overdue') return overdueValues(rows, choropleth.level, targets);
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

/**
 * Overdue targets per street or district (issue 16): their count, 0 when every target with data
 * is met or not yet due, null when no target of the place has data.
 */
function overdueValues(
	rows: readonly { code: string | null }[],
	level: Choropleth['level'],
	targets: TargetsResult | null
) {
	const value = new Map<string | null, number | null>();
	for (const row of rows) {
		const own = (targets?.rows ?? []).filter((t) => t.level === level && t.code === row.code);
		const judged = own.filter((t) => t.status !== 'unknown');
		value.set(row.code, judged.length ? judged.filter((t) => t.status === 'overdue').length : null);
	}
	const max = Math.max(0, ...[...value.values()].map((v) => v ?? 0));
	return {
		value,
		color: (code: string | null): Rgba => deficitColor(value.get(code) ?? null, max)
	};
}

export function buildLayers(input: {
	region: RegionPayload;
	result: SessionResult | null;
	/** The targets view's rows: the `overdue` choropleth. */
	targets?: TargetsResult | null;
	isochrone: Isochrone | null;
	/** Suggested sites of a siting run, not yet planned. */
	suggested: SuggestedSite[];
	/** The residential project being evaluated: its boundary (drawn or read) and facilities. */
	project: {
		ring: [number, number][];
		closed: boolean;
		facilities: { position: [number, number] }[];
	};
	choropleth: Choropleth;
	visible: LayerVisibility;
}): Layer[] {
	const { region, result, isochrone, suggested, project, choropleth, visible } = input;
	const layers: Layer[] = [];

	if (visible.districts && region.boundaries && result) {
		const values = choroplethValues(result, choropleth, input.targets ?? null);
		layers.push(
			new GeoJsonLayer<BoundaryFeature['properties']>({
				id: 'choropleth',
				data: region.boundaries.filter((b) => b.properties.level === choropleth.level) as never,
				filled: true,
				stroked: false,
				getFillColor: (f: { properties: BoundaryFeature['properties'] }) =>
					values.color(f.properties.code),
				updateTriggers: {
					getFillColor: [result, input.targets, choropleth.level, choropleth.measure]
				}
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

	// Areas, facilities, planned stations and their names are MapLibre layers (native-layers.ts).
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
