/**
 * OSM ways → network GeoJSON features (the region format's `network` layer). This step only
 * converts geometry and copies tags; deciding what is walkable is the graph builder's job,
 * done there with a documented tag table.
 */
import type { NetworkFeature } from '../region/schema.ts';
import type { OsmData, OsmWay } from './types.ts';

/** Tags copied onto each feature because walking rules read them (besides highway and name). */
export const WALKING_TAG_KEYS = [
	'foot',
	'access',
	'footway',
	'sidewalk',
	'tunnel',
	'bridge',
	'layer',
	'incline',
	'area',
	'service',
	'oneway',
	// piers (man_made=pier) and ferry routes (route=ferry) are excluded by the tag table
	'man_made',
	'route'
] as const;

export interface SkippedWay {
	wayId: number;
	reason: string;
}

/** A highway way kept only in part because some of its nodes are not in the file. */
export interface ClippedWay {
	wayId: number;
	/** Node refs of the way that the file lacks. */
	missingNodeCount: number;
	/** Lines kept (≥ 1; > 1 gives a MultiLineString). */
	pieceCount: number;
}

export interface NetworkConversion {
	/** One feature per highway way with at least 2 consecutive nodes in the file. */
	features: NetworkFeature[];
	/** Highway ways with no 2 consecutive nodes in the file: no feature, and the reason. */
	skipped: SkippedWay[];
	/** Highway ways converted with nodes missing (clipped extracts). */
	clipped: ClippedWay[];
}

/**
 * Convert every way that has a `highway` tag into one LineString feature (MultiLineString when
 * missing nodes split it), with properties `highway`, `osmId`, `name` (if tagged) and the
 * walking-relevant tags of WALKING_TAG_KEYS, as strings. Coordinates are [lon, lat] in WGS84
 * degrees, as read.
 *
 * Ways clipped by the extract keep their runs of ≥ 2 consecutive nodes present in the file and
 * are listed in `clipped`; ways left with no such run are listed in `skipped`. Nothing is
 * dropped silently: features + skipped = highway ways.
 *
 * @example
 * const { features, skipped, clipped } = osmToNetworkFeatures(readOsm(bytes, 'area.osm.pbf'));
 */
export function osmToNetworkFeatures(data: OsmData): NetworkConversion {
	const features: NetworkFeature[] = [];
	const skipped: SkippedWay[] = [];
	const clipped: ClippedWay[] = [];

	for (const way of data.ways) {
		const highway = way.tags.highway;
		if (highway === undefined) continue;
		const refs = way.nodeRefs;
		if (refs.length < 2) {
			skipped.push({
				wayId: way.id,
				reason: `has ${refs.length} node ref(s); a line needs at least 2`
			});
			continue;
		}

		const pieces: number[][][] = [];
		let piece: number[][] = [];
		let missing = 0;
		for (let i = 0; i < refs.length; i++) {
			const index = data.nodeIndex(refs[i]);
			if (index < 0) {
				missing++;
				if (piece.length >= 2) pieces.push(piece);
				piece = [];
			} else {
				piece.push([data.nodeLon[index], data.nodeLat[index]]);
			}
		}
		if (piece.length >= 2) pieces.push(piece);

		if (pieces.length === 0) {
			const present = refs.length - missing;
			skipped.push({
				wayId: way.id,
				reason:
					present === 0
						? `none of its ${refs.length} nodes is in the file (clipped extract)`
						: `only ${present} of its ${refs.length} nodes are in the file and no 2 of them are consecutive (clipped extract)`
			});
			continue;
		}
		if (missing > 0)
			clipped.push({ wayId: way.id, missingNodeCount: missing, pieceCount: pieces.length });
		features.push({
			type: 'Feature',
			geometry:
				pieces.length === 1
					? { type: 'LineString', coordinates: pieces[0] as [number, number][] }
					: { type: 'MultiLineString', coordinates: pieces as [number, number][][] },
			properties: networkProperties(way, highway)
		});
	}
	return { features, skipped, clipped };
}

function networkProperties(way: OsmWay, highway: string): NetworkFeature['properties'] {
	const properties: NetworkFeature['properties'] = { highway, osmId: way.id };
	if (way.tags.name !== undefined) properties.name = way.tags.name;
	for (const key of WALKING_TAG_KEYS) {
		const value = way.tags[key];
		if (value !== undefined) properties[key] = value;
	}
	return properties;
}
