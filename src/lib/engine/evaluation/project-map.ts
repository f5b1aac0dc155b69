/**
 * The project report's map: the project, its isochrone, the roads, residential areas and
 * facilities around it, framed on what matters (the boundary, the band, the project's and the
 * nearest facilities) with a margin.
 */
import type { MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { RoadGraph } from '../graph/road-graph.ts';
import type { FacilityFeature, RegionMeta } from '../region/schema.ts';
import type { EvaluationNetwork, EvaluationRegion } from './evaluate.ts';
import type { CircleFigures, EvaluatedFacility, EvaluationMap } from './types.ts';

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export function insideBbox([lon, lat]: [number, number], bbox: RegionMeta['bbox']): boolean {
	return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

/** The network within a bbox, each undirected segment once. */
function roadsWithin(graph: RoadGraph, bbox: RegionMeta['bbox']): MultiLineString {
	const lines: Position[][] = [];
	const { firstEdge, edgeTarget } = graph;
	const inside = (node: number) => {
		const lon = graph.lon(node);
		const lat = graph.lat(node);
		return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
	};
	for (let u = 0; u < graph.nodeCount; u++) {
		for (let e = firstEdge[u]; e < firstEdge[u + 1]; e++) {
			const v = edgeTarget[e];
			if (v <= u || (!inside(u) && !inside(v))) continue;
			lines.push([
				[round6(graph.lon(u)), round6(graph.lat(u))],
				[round6(graph.lon(v)), round6(graph.lat(v))]
			]);
		}
	}
	return { type: 'MultiLineString', coordinates: lines };
}

export function bboxOfPositions(positions: Position[]): RegionMeta['bbox'] | null {
	if (positions.length === 0) return null;
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [lon, lat] of positions) {
		w = Math.min(w, lon);
		s = Math.min(s, lat);
		e = Math.max(e, lon);
		n = Math.max(n, lat);
	}
	return [w, s, e, n];
}

export function positionsOf(geometry: Polygon | MultiPolygon | MultiLineString): Position[] {
	if (geometry.type === 'Polygon') return geometry.coordinates.flat();
	if (geometry.type === 'MultiLineString') return geometry.coordinates.flat();
	return geometry.coordinates.flat(2);
}

export function projectMap(context: {
	boundary: { geometry: Polygon | MultiPolygon };
	band: Polygon | MultiPolygon | null;
	reached: MultiLineString | null;
	evaluated: readonly EvaluatedFacility[];
	circle: CircleFigures;
	facilityById: ReadonlyMap<string, FacilityFeature>;
	network: EvaluationNetwork | null;
	region: EvaluationRegion;
	afterFacilities: readonly FacilityFeature[] | null;
	plannedSet: ReadonlySet<string>;
	minutesTo: ReadonlyMap<string, number | null>;
}): EvaluationMap {
	const { boundary, band, reached, evaluated, circle, facilityById, network, region } = context;
	const { afterFacilities, plannedSet, minutesTo } = context;
	// ---- the map: the project, its isochrone, roads, areas and facilities around it
	const extentPositions = [
		...positionsOf(boundary.geometry),
		...(band ? positionsOf(band) : []),
		...evaluated.map((facility) => facility.position),
		...(circle.nearest && facilityById.get(circle.nearest.id)
			? [facilityById.get(circle.nearest.id)!.geometry.coordinates]
			: [])
	];
	const raw = bboxOfPositions(extentPositions)!;
	const marginLon = Math.max((raw[2] - raw[0]) * 0.08, 0.0015);
	const marginLat = Math.max((raw[3] - raw[1]) * 0.08, 0.0012);
	const mapBbox: RegionMeta['bbox'] = [
		round6(raw[0] - marginLon),
		round6(raw[1] - marginLat),
		round6(raw[2] + marginLon),
		round6(raw[3] + marginLat)
	];
	const overlapsBox = (geometry: Polygon | MultiPolygon) => {
		const box = bboxOfPositions(positionsOf(geometry))!;
		return (
			box[0] <= mapBbox[2] && box[2] >= mapBbox[0] && box[1] <= mapBbox[3] && box[3] >= mapBbox[1]
		);
	};
	const map: EvaluationMap = {
		bbox: mapBbox,
		boundary: boundary.geometry,
		accessPoints: circle.accessPoints,
		reached,
		band,
		roads: network ? roadsWithin(network.graph, mapBbox) : null,
		areas: (region.residential ?? [])
			.filter(
				(area) =>
					area.geometry.type !== 'Point' && overlapsBox(area.geometry as Polygon | MultiPolygon)
			)
			.map((area) => ({
				id: area.properties.id,
				name: area.properties.name,
				geometry: area.geometry as Polygon | MultiPolygon
			})),
		facilities: (afterFacilities ?? [])
			.filter((facility) =>
				insideBbox([facility.geometry.coordinates[0], facility.geometry.coordinates[1]], mapBbox)
			)
			.map((facility) => ({
				id: facility.properties.id,
				name: facility.properties.name,
				kind: facility.properties.kind,
				status: facility.properties.status,
				project: plannedSet.has(facility.properties.id),
				position: [facility.geometry.coordinates[0], facility.geometry.coordinates[1]],
				floorAreaM2: facility.properties.floorAreaM2,
				minutes: minutesTo.get(facility.properties.id) ?? null
			}))
	};
	return map;
}
