/**
 * One bounded search from the project's gates (its access points on the walking network): the
 * minutes to every facility's door and the streets reached within the circle (the isochrone).
 * Reported up to REPORT_UP_TO_MINUTES, as the coverage engine does.
 */
import type { MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { compoundAccess } from '../coverage/access.ts';
import type { LabelledSearch } from '../coverage/coverage.ts';
import { isochroneBand, reachedEdges } from '../coverage/isochrone.ts';
import type { NetworkPoint, SegmentIndex } from '../graph/snap.ts';
import type { FacilityFeature, ResidentialFeature } from '../region/schema.ts';
import { REPORT_UP_TO_MINUTES } from '../rules/defaults.ts';
import type { EvaluationNetwork } from './evaluate.ts';

/** Seconds from the last search's sources to a network point (Infinity when not reached). */
function secondsTo(search: LabelledSearch, point: NetworkPoint, walkSpeedMps: number): number {
	return Math.min(
		search.time(point.fromNode) + point.offsetM / walkSpeedMps,
		search.time(point.toNode) + (point.lengthM - point.offsetM) / walkSpeedMps
	);
}

export function walkFromGates(
	network: EvaluationNetwork | null,
	index: SegmentIndex | null,
	search: LabelledSearch | null,
	projectFeature: ResidentialFeature,
	afterFacilities: readonly FacilityFeature[] | null,
	walk: { maxMinutes: number; walkSpeedMps: number; stepPenaltyS: number; maxSnapM: number }
) {
	// ---- one search from the project's gates: minutes to every facility, the isochrone
	const maxSeconds = walk.maxMinutes * 60;
	const access = index ? compoundAccess(index, projectFeature, walk.maxSnapM) : null;
	const minutesTo = new Map<string, number | null>();
	const doors = new Map<string, NetworkPoint | null>();
	let reached: MultiLineString | null = null;
	let band: Polygon | MultiPolygon | null = null;
	if (network && index && search && access) {
		for (const facility of afterFacilities ?? []) {
			const [lon, lat] = facility.geometry.coordinates;
			doors.set(facility.properties.id, index.snap(lon, lat, walk.maxSnapM));
		}
		if (access.points.length > 0) {
			search.run(
				access.points.flatMap((point) => [
					{ node: point.fromNode, initialS: point.offsetM / walk.walkSpeedMps, label: 0 },
					{
						node: point.toNode,
						initialS: (point.lengthM - point.offsetM) / walk.walkSpeedMps,
						label: 0
					}
				]),
				{
					walkSpeedMps: walk.walkSpeedMps,
					stepPenaltyS: walk.stepPenaltyS,
					maxSeconds: REPORT_UP_TO_MINUTES * 60
				}
			);
			for (const [id, door] of doors) {
				const seconds = door ? secondsTo(search, door, walk.walkSpeedMps) : Infinity;
				minutesTo.set(
					id,
					seconds <= REPORT_UP_TO_MINUTES * 60 ? Math.round((seconds / 60) * 100) / 100 : null
				);
			}
			const times = new Float64Array(network.graph.nodeCount);
			for (let node = 0; node < times.length; node++) times[node] = search.time(node);
			reached = reachedEdges(network.graph, times, {
				maxSeconds,
				walkSpeedMps: walk.walkSpeedMps,
				sources: access.points
			});
			band = isochroneBand(reached);
		}
	}
	return { access, minutesTo, doors, reached, band };
}
