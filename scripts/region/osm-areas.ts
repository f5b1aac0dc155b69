/**
 * Display layers of a created region from its (clipped) OSM extract: building footprints and
 * water areas. Buildings are closed `building=*` ways; water is closed `natural=water`,
 * `waterway=riverbank`, `landuse=reservoir|basin` ways and the outer rings of water
 * multipolygon relations (member ways joined end to end). Display only: nothing is estimated
 * from them.
 */
import type { OsmData } from '../../src/lib/engine/osm/index.ts';
import { roundGeometry } from './io.ts';

type Ring = number[][];
type Bbox = [number, number, number, number];

export interface BuildingFeature {
	type: 'Feature';
	geometry: { type: 'Polygon'; coordinates: Ring[] };
	properties: {
		id: string;
		osmId: number;
		name: string | null;
		kindDetail: string | null;
		heightM: number | null;
		minHeightM: number | null;
	};
}

export interface WaterFeature {
	type: 'Feature';
	geometry: { type: 'Polygon'; coordinates: Ring[] };
	properties: { kind: string; name?: string };
}

function ringOf(data: OsmData, refs: ArrayLike<number>): Ring | null {
	const ring: Ring = [];
	for (let i = 0; i < refs.length; i++) {
		const index = data.nodeIndex(refs[i]);
		if (index < 0) return null; // a vertex clipped off the extract: the shape is unknown
		ring.push([data.nodeLon[index], data.nodeLat[index]]);
	}
	const closed =
		ring.length >= 4 &&
		ring[0][0] === ring[ring.length - 1][0] &&
		ring[0][1] === ring[ring.length - 1][1];
	return closed ? ring : null;
}

function touches(ring: Ring, [w, s, e, n]: Bbox): boolean {
	return ring.some(([lon, lat]) => lon >= w && lon <= e && lat >= s && lat <= n);
}

/** A height tag as OSM writes it ("24", "24 m", "24.5"); null when not a plain metre value. */
function metres(value: string | undefined): number | null {
	if (!value) return null;
	const match = /^\s*(\d+(?:\.\d+)?)\s*(m)?\s*$/.exec(value);
	return match ? Number(match[1]) : null;
}

/** Building footprints with a vertex inside bbox, in file order. */
export function osmBuildings(data: OsmData, bbox: Bbox): BuildingFeature[] {
	const out: BuildingFeature[] = [];
	for (const way of data.ways) {
		const kind = way.tags.building;
		if (!kind || kind === 'no') continue;
		const ring = ringOf(data, way.nodeRefs);
		if (!ring || !touches(ring, bbox)) continue;
		out.push({
			type: 'Feature',
			geometry: roundGeometry({ type: 'Polygon', coordinates: [ring] }),
			properties: {
				id: `osm-${way.id}`,
				osmId: way.id,
				name: way.tags['name:zh'] ?? way.tags.name ?? null,
				kindDetail: kind === 'yes' ? null : kind,
				heightM: metres(way.tags.height),
				minHeightM: metres(way.tags.min_height)
			}
		});
	}
	return out;
}

function waterKind(tags: Record<string, string>): string | null {
	if (tags.natural === 'water') return tags.water ?? 'water';
	if (tags.waterway === 'riverbank') return 'river';
	if (tags.landuse === 'reservoir' || tags.landuse === 'basin') return tags.landuse;
	return null;
}

/** Join open ways into closed rings end to end (the usual shape of multipolygon outers). */
function joinRings(data: OsmData, members: ArrayLike<number>[]): Ring[] {
	const pieces = members.map((refs) => Array.from(refs));
	const rings: Ring[] = [];
	while (pieces.length > 0) {
		let current = pieces.shift()!;
		let grew = true;
		while (current[0] !== current[current.length - 1] && grew) {
			grew = false;
			for (let i = 0; i < pieces.length; i++) {
				const piece = pieces[i];
				const end = current[current.length - 1];
				if (piece[0] === end) current = [...current, ...piece.slice(1)];
				else if (piece[piece.length - 1] === end)
					current = [...current, ...piece.slice(0, -1).reverse()];
				else continue;
				pieces.splice(i, 1);
				grew = true;
				break;
			}
		}
		const ring = ringOf(data, current);
		if (ring) rings.push(ring);
	}
	return rings;
}

/** Water areas with a vertex inside bbox: closed ways and multipolygon outers. */
export function osmWater(data: OsmData, bbox: Bbox): WaterFeature[] {
	const out: WaterFeature[] = [];
	const push = (ring: Ring, tags: Record<string, string>, kind: string) => {
		if (!touches(ring, bbox)) return;
		const name = tags['name:zh'] ?? tags.name;
		out.push({
			type: 'Feature',
			geometry: roundGeometry({ type: 'Polygon', coordinates: [ring] }),
			properties: name ? { kind, name } : { kind }
		});
	};
	const wayById = new Map(data.ways.map((way) => [way.id, way]));
	for (const way of data.ways) {
		const kind = waterKind(way.tags);
		if (!kind) continue;
		const ring = ringOf(data, way.nodeRefs);
		if (ring) push(ring, way.tags, kind);
	}
	for (const relation of data.relations) {
		const kind = waterKind(relation.tags);
		if (!kind || relation.tags.type !== 'multipolygon') continue;
		const outers = relation.members
			.filter((m) => m.type === 'way' && m.role !== 'inner')
			.map((m) => wayById.get(m.ref)?.nodeRefs)
			.filter((refs): refs is Float64Array => refs !== undefined);
		for (const ring of joinRings(data, outers)) push(ring, relation.tags, kind);
	}
	return out;
}
