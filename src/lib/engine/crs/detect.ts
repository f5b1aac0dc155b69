/**
 * Guessing the CRS of coordinates from their numbers, and saying honestly when that is not
 * possible. What numbers can tell:
 * - lon/lat ranges → geographic, but WGS84, GCJ-02 and BD-09 look alike (they differ by
 *   ~300–600 m), so this is 'ambiguous' unless a declaration or the expected area decides;
 * - x of 25–45 million → CGCS2000 3° GK with the zone number in the easting (zone = ⌊x/10⁶⌋);
 * - x of 100 000–900 000 and y of 2–6 million → transverse Mercator without zone: any 3° GK
 *   central meridian or UTM; only the expected area can pick one.
 */
import {
	crsLabel,
	gk3Crs,
	isGeographicCrs,
	PROJECTED_CRS_IDS,
	transverseMercatorParams
} from './ids.ts';
import type { CrsId } from './ids.ts';
import { toWgs84 } from './transform.ts';
import type { XY } from './transform.ts';

export type CrsConfidence = 'declared' | 'likely' | 'ambiguous' | 'unknown';

export interface CrsDetection {
	/** The CRS to use; for ambiguous lon/lat this is the assumed WGS84, see `warnings`. */
	crs: CrsId | null;
	confidence: CrsConfidence;
	/** One sentence on how the verdict was reached. */
	reason: string;
	/** What the user should check or override. */
	warnings: string[];
	/** The CRSs the numbers are consistent with (the verdict included), for a picker. */
	candidates: CrsId[];
}

export interface DetectCrsOptions {
	/** The CRS the file or the user states (e.g. `parseCrs(prj)`); wins when the numbers fit it. */
	declared?: CrsId | null;
	/** Where the data should be, WGS84 [west, south, east, north] in degrees (e.g. the region). */
	expectedBbox?: [number, number, number, number];
}

/** Enough points to see the spread of a layer; more only costs time. */
const MAX_SAMPLE_POINTS = 500;
/** Share of points inside the expected bbox for a CRS to count as fitting / as clearly right. */
const FIT_SHARE = 0.5;
const STRONG_FIT_SHARE = 0.9;
/** Lon/lat box outside which GCJ-02/BD-09 are not applied (gcoord's `outOfChina` test). */
const CHINA_BBOX: [number, number, number, number] = [72.004, 0.8293, 137.8347, 55.8271];

const GEOGRAPHIC_OVERRIDE_HINT =
	"if the source was Amap/Tencent/Apple China pass crs 'GCJ-02', if Baidu pass 'BD-09', if GPS/OSM/GIS pass 'EPSG:4326'";

type SampleKind =
	| { kind: 'empty' }
	| { kind: 'geographic' }
	| { kind: 'swapped' }
	| { kind: 'gk3-prefixed'; zone: number }
	| { kind: 'mixed-zones'; zones: number[] }
	| { kind: 'projected-no-zone' }
	| { kind: 'other' };

function evenSample(points: XY[]): XY[] {
	const finite = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
	if (finite.length <= MAX_SAMPLE_POINTS) return finite;
	const step = finite.length / MAX_SAMPLE_POINTS;
	return Array.from({ length: MAX_SAMPLE_POINTS }, (_, i) => finite[Math.floor(i * step)]);
}

function classify(points: XY[]): SampleKind {
	if (points.length === 0) return { kind: 'empty' };
	const all = (test: (p: XY) => boolean) => points.every(test);
	if (all(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 90)) return { kind: 'geographic' };
	// Latitude in the first column, Chinese longitude (73–136°E) in the second.
	if (all(([x, y]) => x >= 3 && x <= 54 && y >= 73 && y <= 136)) return { kind: 'swapped' };
	if (all(([x, y]) => x >= 25e6 && x < 46e6 && y >= 0 && y <= 1e7)) {
		const zones = [...new Set(points.map(([x]) => Math.floor(x / 1e6)))].sort((a, b) => a - b);
		if (zones.length > 1) return { kind: 'mixed-zones', zones };
		const remainder = points.map(([x]) => x - zones[0] * 1e6);
		if (zones[0] <= 45 && remainder.every((r) => r >= 100_000 && r <= 900_000)) {
			return { kind: 'gk3-prefixed', zone: zones[0] };
		}
		return { kind: 'other' };
	}
	if (all(([x, y]) => x >= 100_000 && x <= 900_000 && y >= 2e6 && y <= 6e6))
		return { kind: 'projected-no-zone' };
	return { kind: 'other' };
}

function shareInside(points: XY[], crs: CrsId, bbox: [number, number, number, number]): number {
	const convert = toWgs84(crs);
	let inside = 0;
	for (const point of points) {
		const [lon, lat] = convert(point);
		if (lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3]) inside++;
	}
	return inside / points.length;
}

/** Which candidates put the sample inside the bbox: one clear winner, several, or none. */
function rankByBbox(
	points: XY[],
	candidates: readonly CrsId[],
	bbox: [number, number, number, number]
): { winner: CrsId | null; fitting: CrsId[] } {
	const scored = candidates.map((crs) => ({ crs, share: shareInside(points, crs, bbox) }));
	const fitting = scored.filter((s) => s.share >= FIT_SHARE);
	const winner =
		fitting.length === 1 && fitting[0].share >= STRONG_FIT_SHARE ? fitting[0].crs : null;
	return { winner, fitting: fitting.map((s) => s.crs) };
}

function formatPoint([x, y]: XY): string {
	return `(${+x.toFixed(6)}, ${+y.toFixed(6)})`;
}

function formatBbox(bbox: [number, number, number, number]): string {
	return `[${bbox.join(', ')}]`;
}

/** Does the sample look like coordinates of `crs` at all (before any bbox check)? */
function kindFits(kind: SampleKind, crs: CrsId): boolean {
	if (isGeographicCrs(crs)) return kind.kind === 'geographic';
	const params = transverseMercatorParams(crs)!;
	if (params.falseEastingM > 1e6)
		return kind.kind === 'gk3-prefixed' && gk3Crs(kind.zone, true) === crs;
	return kind.kind === 'projected-no-zone';
}

function describeKind(kind: SampleKind): string {
	switch (kind.kind) {
		case 'geographic':
			return 'lon/lat degrees';
		case 'gk3-prefixed':
			return `CGCS2000 3° GK zone ${kind.zone} eastings with zone prefix`;
		case 'projected-no-zone':
			return 'projected metres without zone prefix';
		case 'swapped':
			return 'lat/lon in swapped order';
		case 'mixed-zones':
			return `eastings from several GK zones (${kind.zones.join(', ')})`;
		default:
			return 'no coordinate system we know';
	}
}

const GEOGRAPHIC_CANDIDATES: CrsId[] = ['EPSG:4326', 'GCJ-02', 'BD-09'];
const NO_ZONE_CANDIDATES: CrsId[] = PROJECTED_CRS_IDS.filter(
	(crs) => transverseMercatorParams(crs)!.falseEastingM === 500_000
);

/**
 * Decides which CRS a sample of raw coordinates is in, from a declaration, the numbers and the
 * expected area; says when it cannot.
 * @param sample raw [x, y] pairs as read from the file (up to 500 evenly spaced are used;
 *   non-finite pairs are ignored)
 * @param options.declared CRS stated by the file or the user; returned with confidence
 *   'declared' when the numbers fit it, else the numbers decide and a warning says so
 * @param options.expectedBbox WGS84 [w, s, e, n] where the data should lie; picks the central
 *   meridian of zone-less projected data and can separate WGS84/GCJ-02/BD-09 only when just one
 *   of them puts the points inside
 * @returns crs null means: ask the user (see `reason` and `candidates`)
 * @example detectCrs([[40536019.98, 3996712.75]]) // { crs: 'EPSG:4528', confidence: 'likely', … }
 * @example detectCrs([[120.4, 36.1]]).confidence // 'ambiguous' (WGS84, GCJ-02 or BD-09)
 */
export function detectCrs(sample: XY[], options: DetectCrsOptions = {}): CrsDetection {
	const points = evenSample(sample);
	const kind = classify(points);
	const { declared, expectedBbox } = options;
	const warnings: string[] = [];

	if (kind.kind === 'empty') {
		return {
			crs: declared ?? null,
			confidence: declared ? 'declared' : 'unknown',
			reason: declared
				? `no coordinates to check; using the declared ${crsLabel(declared)}`
				: 'no finite coordinates in the sample',
			warnings,
			candidates: declared ? [declared] : []
		};
	}
	const example = formatPoint(points[0]);

	if (declared) {
		if (kindFits(kind, declared)) {
			if (expectedBbox && shareInside(points, declared, expectedBbox) < FIT_SHARE) {
				warnings.push(
					`with the declared ${crsLabel(declared)} most points fall outside the expected area ${formatBbox(expectedBbox)}; check the declaration`
				);
			}
			return {
				crs: declared,
				confidence: 'declared',
				reason: `declared ${crsLabel(declared)}, and the coordinates fit it`,
				warnings,
				candidates: [declared]
			};
		}
		warnings.push(
			`the declared ${crsLabel(declared)} does not fit the coordinates (e.g. ${example}, which look like ${describeKind(kind)}); the declaration was ignored`
		);
	}

	switch (kind.kind) {
		case 'geographic': {
			const ambiguityWarning =
				'WGS84, GCJ-02 and BD-09 lon/lat cannot be told apart from the numbers: offsets of ~300–600 m are possible; ' +
				GEOGRAPHIC_OVERRIDE_HINT;
			const insideChina = points.some(
				([x, y]) =>
					x >= CHINA_BBOX[0] && x <= CHINA_BBOX[2] && y >= CHINA_BBOX[1] && y <= CHINA_BBOX[3]
			);
			if (!insideChina) {
				return {
					crs: 'EPSG:4326',
					confidence: 'likely',
					reason: `lon/lat outside China (e.g. ${example}), where GCJ-02/BD-09 do not apply`,
					warnings,
					candidates: ['EPSG:4326']
				};
			}
			if (expectedBbox) {
				const { winner, fitting } = rankByBbox(points, GEOGRAPHIC_CANDIDATES, expectedBbox);
				if (winner) {
					return {
						crs: winner,
						confidence: 'likely',
						reason: `lon/lat; of WGS84, GCJ-02 and BD-09 only ${crsLabel(winner)} puts the points inside the expected area ${formatBbox(expectedBbox)}`,
						warnings,
						candidates: [winner]
					};
				}
				if (fitting.length === 0) {
					warnings.push(
						`the points (e.g. ${example}) lie outside the expected area ${formatBbox(expectedBbox)} in WGS84, GCJ-02 and BD-09 alike`
					);
				}
			}
			warnings.push(ambiguityWarning);
			return {
				crs: 'EPSG:4326',
				confidence: 'ambiguous',
				reason: `lon/lat degrees (e.g. ${example}); assumed WGS84`,
				warnings,
				candidates: GEOGRAPHIC_CANDIDATES
			};
		}
		case 'gk3-prefixed': {
			const crs = gk3Crs(kind.zone, true);
			if (!crs) break;
			if (expectedBbox && shareInside(points, crs, expectedBbox) < FIT_SHARE) {
				warnings.push(
					`converted as ${crsLabel(crs)}, most points fall outside the expected area ${formatBbox(expectedBbox)}`
				);
			}
			return {
				crs,
				confidence: 'likely',
				reason: `eastings of ${kind.zone} million (e.g. ${example}) carry the zone prefix of ${crsLabel(crs)}`,
				warnings,
				candidates: [crs]
			};
		}
		case 'projected-no-zone': {
			const what = `projected metres without a zone prefix (e.g. ${example})`;
			const choices =
				'a CGCS2000 3° GK central meridian (EPSG:4534–4554) or a UTM zone (EPSG:32649–32651)';
			if (!expectedBbox) {
				return {
					crs: null,
					confidence: 'unknown',
					reason: `${what}: could be ${choices}; the numbers alone cannot say which. Give the .prj or the CRS, or an expected area`,
					warnings,
					candidates: NO_ZONE_CANDIDATES
				};
			}
			const { winner, fitting } = rankByBbox(points, NO_ZONE_CANDIDATES, expectedBbox);
			if (winner) {
				return {
					crs: winner,
					confidence: 'likely',
					reason: `${what}; only ${crsLabel(winner)} puts them inside the expected area ${formatBbox(expectedBbox)}`,
					warnings,
					candidates: [winner]
				};
			}
			if (fitting.length > 1) {
				return {
					crs: null,
					confidence: 'ambiguous',
					reason: `${what}; several CRSs put them inside the expected area ${formatBbox(expectedBbox)}: ${fitting.join(', ')}. Choose one`,
					warnings,
					candidates: fitting
				};
			}
			return {
				crs: null,
				confidence: 'unknown',
				reason: `${what}; none of ${choices} puts them inside the expected area ${formatBbox(expectedBbox)}`,
				warnings,
				candidates: NO_ZONE_CANDIDATES
			};
		}
		case 'swapped':
			return {
				crs: null,
				confidence: 'unknown',
				reason: `the first value is latitude-like and the second longitude-like (e.g. ${example}): swap the x/lon and y/lat columns`,
				warnings,
				candidates: []
			};
		case 'mixed-zones':
			return {
				crs: null,
				confidence: 'unknown',
				reason: `eastings span GK zones ${kind.zones.join(', ')} (e.g. ${example}); one layer should be in one zone: check the x column`,
				warnings,
				candidates: []
			};
	}
	const sixDegreeHint = points.every(([x]) => x >= 13e6 && x < 24e6)
		? ' (eastings of 13–23 million suggest 6° GK zones, which are not supported)'
		: '';
	return {
		crs: null,
		confidence: 'unknown',
		reason: `coordinates (e.g. ${example}) match no supported CRS: expected lon/lat degrees, GK eastings of 25–45 million, or eastings of 100 000–900 000 m with northings of 2–6 million${sixDegreeHint}`,
		warnings,
		candidates: []
	};
}
