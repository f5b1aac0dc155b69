/**
 * node scripts/bench/city.ts [--only city|scaling] [--out <file.json>] [--keep <dir>]
 *
 * A whole gap analysis (`npm run analyze`) on generated city-like regions (issue 17 item 1,
 * issue 18 item 3), and `benchCity()` for `npm run bench`:
 * - the city: ≥ 1 M walkable nodes, 50,000 compounds, 2,500 facilities; goal < 10 s and < 2 GB
 *   for the whole chain, reports included (PDF left out: it needs Chromium);
 * - the scaling series 10 k → 100 k → 1 M → 4 M nodes, one compound per 100 nodes and one
 *   facility per 2,000; goal: no stage grows faster than linearly from one size to the next.
 *
 * The region is city-like, not a plain grid: streets every 120 m, a node every 30 m along them
 * (so 6 of 7 nodes lie on two-edge chains, as in OSM extracts: Monaco 87 %), every node moved by
 * up to 3 m (edge lengths differ, as on real networks), compounds inside the blocks (polygons
 * without gates, with gates, and points), facilities on the streets and inside compounds, some
 * naming the compounds they serve (所属小区), districts / streets / communities as polygons and
 * the community code list.
 *
 * Each case runs in two fresh Node processes: one writes the region folder (region.json and its
 * GeoJSON layers, as an import leaves them) and primes the graph cache from network.geojson; the
 * other runs the chain of scripts/analyze.ts, timing each stage and reading RSS after it:
 * readRegion → loadRegionGraph (cache hit) → SegmentIndex + WalkSearch → computeCoverage →
 * analyzeRegion → reportTargets (meal circle) → reportFileBytes per file. Peak RSS is the
 * second process's maxRSS, so it is the chain's alone. Every output file's SHA-256 is returned,
 * so two runs (before and after a change) show whether the bytes stayed the same.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeRegion } from '../../src/lib/engine/analysis/analyze.ts';
import { computeCoverage } from '../../src/lib/engine/coverage/coverage.ts';
import { metresPerDegree } from '../../src/lib/engine/graph/geodesic.ts';
import { WalkSearch } from '../../src/lib/engine/graph/search.ts';
import { DEFAULT_MAX_SNAP_M, SegmentIndex } from '../../src/lib/engine/graph/snap.ts';
import type { ReportMeta } from '../../src/lib/engine/report/index.ts';
import type {
	BoundaryFeature,
	CommunityCode,
	FacilityFeature,
	FacilityKind,
	RegionMeta,
	ResidentialFeature
} from '../../src/lib/engine/region/schema.ts';
import { DEFAULT_WALK } from '../../src/lib/engine/rules/defaults.ts';
import { reportTargets } from '../../src/lib/engine/targets/report-targets.ts';
import { loadProfile } from '../../src/lib/server/profile-store.ts';
import {
	REPORT_FILES,
	reportFileBytes,
	type ReportFile
} from '../../src/lib/server/region-report.ts';
import { readRegion } from '../../src/lib/server/region-store.ts';
import { loadRegionGraph } from '../graph-cache.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const profilesDir = path.join(repoRoot, 'data', 'profiles');
const PROFILE_ID = 'qingdao-laoshan-2024';
const REPORT_DATE = '2026-11-22';
/** Metres between nodes along a street, and nodes per block side (streets every 4 × 30 m). */
const NODE_SPACING_M = 30;
const BLOCK_CELLS = 4;
/** Blocks per side of a street (街道) polygon, of a community, and streets per side of a district. */
const STREET_BLOCKS = 30;
const COMMUNITY_BLOCKS = 5;
const DISTRICT_STREETS = 4;

/** One size of region to analyse. */
export interface CityCase {
	name: string;
	kind: 'city' | 'scaling';
	/** Walkable nodes wanted (the generated street grid has at least this many). */
	nodes: number;
	compounds: number;
	facilities: number;
	seed: number;
}

export interface CityStage {
	stage: string;
	ms: number;
	/** Resident set after the stage, MiB. */
	rssMiB: number;
}

export interface CityBenchRow {
	name: string;
	kind: 'city' | 'scaling';
	nodes: number;
	directedEdges: number;
	compounds: number;
	facilities: number;
	streets: number;
	communities: number;
	/** Writing the region folder and priming the graph cache: not part of the chain. */
	prepareMs: number;
	stages: CityStage[];
	/** The chain, region read to last report written. */
	totalMs: number;
	/** Peak RSS of the process that ran the chain, MiB. */
	peakRssMiB: number;
	/** Growth exponent per stage against the previous size of the series (ln t ratio ÷ ln n ratio). */
	growth?: Record<string, number>;
	goal: string;
	met: boolean | null;
	/** SHA-256 (first 16 hex) of every report file: equal digests, equal bytes. */
	digests: Record<string, string>;
	note?: string;
}

/** The cases of `benchCity`: the city, then the scaling series. */
export const CITY_CASES: readonly CityCase[] = [
	{
		name: 'city 1 M nodes',
		kind: 'city',
		nodes: 1_000_000,
		compounds: 50_000,
		facilities: 2_500,
		seed: 17
	},
	...[10_000, 100_000, 1_000_000, 4_000_000].map((nodes): CityCase => ({
		name: `scaling ${nodes >= 1e6 ? `${nodes / 1e6} M` : `${nodes / 1e3} k`}`,
		kind: 'scaling',
		nodes,
		compounds: nodes / 100,
		facilities: Math.max(5, nodes / 2_000),
		seed: 18
	}))
];

/** mulberry32: the same region on every run. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface GeneratedCity {
	meta: RegionMeta;
	boundaries: BoundaryFeature[];
	residential: ResidentialFeature[];
	facilities: FacilityFeature[];
	communities: CommunityCode[];
	/** network.geojson's text: one LineString per street. */
	networkText: string;
	nodes: number;
}

/**
 * A city-like region in memory (see the file comment): of `side × side` grid points 30 m apart,
 * those on a street (every 4th row or column) are the network's nodes.
 * @example const city = generateCity(CITY_CASES[0]); city.residential.length // 50000
 */
export function generateCity(spec: CityCase): GeneratedCity {
	const random = seeded(spec.seed);
	// Street points of a side × side square: side² × (1 − (3/4)²) = 7/16 side².
	let blocks = Math.ceil(Math.sqrt((spec.nodes * 16) / 7) / BLOCK_CELLS);
	while ((blocks * BLOCK_CELLS + 1) ** 2 - (blocks * (BLOCK_CELLS - 1)) ** 2 < spec.nodes) blocks++;
	const side = blocks * BLOCK_CELLS + 1;
	const originLon = 121.2;
	const originLat = 31.0;
	const scale = metresPerDegree(originLat + (side * NODE_SPACING_M) / 2 / 111_000);
	const lonAt = (col: number) => originLon + (col * NODE_SPACING_M) / scale.x;
	const latAt = (row: number) => originLat + (row * NODE_SPACING_M) / scale.y;
	const jitter = () => ((random() * 2 - 1) * 3) / scale.x;
	const onStreet = (row: number, col: number) => row % BLOCK_CELLS === 0 || col % BLOCK_CELLS === 0;
	// Node coordinates (rounded to 1e-7° as the GeoJSON stores them), by grid point.
	const pointLon = new Float64Array(side * side);
	const pointLat = new Float64Array(side * side);
	let nodes = 0;
	for (let row = 0; row < side; row++)
		for (let col = 0; col < side; col++) {
			if (!onStreet(row, col)) continue;
			pointLon[row * side + col] = Math.round((lonAt(col) + jitter()) * 1e7) / 1e7;
			pointLat[row * side + col] = Math.round((latAt(row) + jitter()) * 1e7) / 1e7;
			nodes++;
		}
	const position = (row: number, col: number) =>
		`[${pointLon[row * side + col]},${pointLat[row * side + col]}]`;
	const lines: string[] = [];
	for (let row = 0; row < side; row += BLOCK_CELLS) {
		const coordinates: string[] = [];
		for (let col = 0; col < side; col++) coordinates.push(position(row, col));
		lines.push(streetFeature(`东西路 ${row / BLOCK_CELLS}`, coordinates));
	}
	for (let col = 0; col < side; col += BLOCK_CELLS) {
		const coordinates: string[] = [];
		for (let row = 0; row < side; row++) coordinates.push(position(row, col));
		lines.push(streetFeature(`南北路 ${col / BLOCK_CELLS}`, coordinates));
	}
	const networkText = `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;

	// ---- boundaries: districts of 4 × 4 streets, streets of 30 × 30 blocks, communities of 5 × 5
	const boundaries: BoundaryFeature[] = [];
	const communities: CommunityCode[] = [];
	const streetsPerSide = Math.ceil(blocks / STREET_BLOCKS);
	const districtsPerSide = Math.ceil(streetsPerSide / DISTRICT_STREETS);
	const rect = (b0: number, c0: number, b1: number, c1: number): [number, number][] => {
		// Block-corner rectangle [b0, b1) × [c0, c1), one vertex per block along each side.
		b1 = Math.min(b1, blocks);
		c1 = Math.min(c1, blocks);
		const lonOf = (c: number) => Math.round(lonAt(c * BLOCK_CELLS) * 1e7) / 1e7;
		const latOf = (b: number) => Math.round(latAt(b * BLOCK_CELLS) * 1e7) / 1e7;
		const ring: [number, number][] = [];
		for (let c = c0; c < c1; c++) ring.push([lonOf(c), latOf(b0)]);
		for (let b = b0; b < b1; b++) ring.push([lonOf(c1), latOf(b)]);
		for (let c = c1; c > c0; c--) ring.push([lonOf(c), latOf(b1)]);
		for (let b = b1; b > b0; b--) ring.push([lonOf(c0), latOf(b)]);
		ring.push(ring[0]);
		return ring;
	};
	const districtCode = (d: number) => String(310101 + d);
	const streetCodeOf = (sRow: number, sCol: number) => {
		const district =
			Math.floor(sRow / DISTRICT_STREETS) * districtsPerSide + Math.floor(sCol / DISTRICT_STREETS);
		const local = (sRow % DISTRICT_STREETS) * DISTRICT_STREETS + (sCol % DISTRICT_STREETS) + 1;
		return `${districtCode(district)}${String(local).padStart(3, '0')}`;
	};
	for (let dRow = 0; dRow < districtsPerSide; dRow++)
		for (let dCol = 0; dCol < districtsPerSide; dCol++) {
			const d = dRow * districtsPerSide + dCol;
			const span = DISTRICT_STREETS * STREET_BLOCKS;
			boundaries.push({
				type: 'Feature',
				geometry: {
					type: 'Polygon',
					coordinates: [rect(dRow * span, dCol * span, (dRow + 1) * span, (dCol + 1) * span)]
				},
				properties: {
					level: 'district',
					code: districtCode(d),
					name: `第${d + 1}区`,
					parentCode: null,
					estimated: {}
				}
			});
		}
	for (let sRow = 0; sRow < streetsPerSide; sRow++)
		for (let sCol = 0; sCol < streetsPerSide; sCol++) {
			const code = streetCodeOf(sRow, sCol);
			const b0 = sRow * STREET_BLOCKS;
			const c0 = sCol * STREET_BLOCKS;
			boundaries.push({
				type: 'Feature',
				geometry: {
					type: 'Polygon',
					coordinates: [rect(b0, c0, b0 + STREET_BLOCKS, c0 + STREET_BLOCKS)]
				},
				properties: {
					level: 'street',
					code,
					name: `${code.slice(6)}街道（${code.slice(0, 6)}）`,
					parentCode: code.slice(0, 6),
					estimated: {}
				}
			});
			const perSide = Math.ceil(STREET_BLOCKS / COMMUNITY_BLOCKS);
			for (let k = 0; k < perSide * perSide; k++) {
				const cb0 = b0 + Math.floor(k / perSide) * COMMUNITY_BLOCKS;
				const cc0 = c0 + (k % perSide) * COMMUNITY_BLOCKS;
				if (cb0 >= blocks || cc0 >= blocks) continue;
				const communityCode = `${code}${String(k + 1).padStart(3, '0')}`;
				const name = `${code.slice(6)}街道第${k + 1}社区`;
				communities.push({ code: communityCode, name, streetCode: code });
				boundaries.push({
					type: 'Feature',
					geometry: {
						type: 'Polygon',
						coordinates: [rect(cb0, cc0, cb0 + COMMUNITY_BLOCKS, cc0 + COMMUNITY_BLOCKS)]
					},
					properties: {
						level: 'community',
						code: communityCode,
						name,
						parentCode: code,
						estimated: {}
					}
				});
			}
		}
	const streetOfBlock = (b: number, c: number) =>
		streetCodeOf(Math.floor(b / STREET_BLOCKS), Math.floor(c / STREET_BLOCKS));

	// ---- compounds: distinct random blocks, inset 15 m from the streets
	const blockCount = blocks * blocks;
	if (spec.compounds > blockCount)
		throw new RangeError(`${spec.compounds} compounds do not fit ${blockCount} blocks`);
	const order = new Uint32Array(blockCount);
	for (let i = 0; i < blockCount; i++) order[i] = i;
	for (let i = 0; i < spec.compounds; i++) {
		const j = i + Math.floor(random() * (blockCount - i));
		[order[i], order[j]] = [order[j], order[i]];
	}
	const chosen = order.slice(0, spec.compounds).sort();
	const insetLon = 15 / scale.x;
	const insetLat = 15 / scale.y;
	const r7 = (value: number) => Math.round(value * 1e7) / 1e7;
	const residential: ResidentialFeature[] = [];
	const centres: [number, number][] = [];
	chosen.forEach((block, i) => {
		const b = Math.floor(block / blocks);
		const c = block % blocks;
		const west = lonAt(c * BLOCK_CELLS) + insetLon;
		const east = lonAt((c + 1) * BLOCK_CELLS) - insetLon;
		const south = latAt(b * BLOCK_CELLS) + insetLat;
		const north = latAt((b + 1) * BLOCK_CELLS) - insetLat;
		const centre: [number, number] = [r7((west + east) / 2), r7((south + north) / 2)];
		centres.push(centre);
		const shape = random();
		const households = 100 + Math.floor(random() * 2900);
		const elders = Math.round(households * (0.35 + random() * 0.3));
		const withClasses = random() < 0.2;
		const guaranteed = Math.floor(elders * 0.05);
		const disabled = Math.floor(elders * 0.1);
		residential.push({
			type: 'Feature',
			geometry:
				shape < 0.1
					? { type: 'Point', coordinates: centre }
					: {
							type: 'Polygon',
							coordinates: [
								[
									[r7(west), r7(south)],
									[r7(east), r7(south)],
									[r7(east), r7(north)],
									[r7(west), r7(north)],
									[r7(west), r7(south)]
								]
							]
						},
			properties: {
				id: `c-${i}`,
				name: `小区 ${i}`,
				households: random() < 0.03 ? null : households,
				elders: random() < 0.03 ? null : elders,
				...(withClasses
					? {
							eldersByClass: {
								guaranteed,
								disabledOrDementia: disabled,
								other: elders - guaranteed - disabled
							}
						}
					: {}),
				status: random() < 0.1 ? 'new' : 'existing',
				builtYear: random() < 0.5 ? null : 1980 + Math.floor(random() * 45),
				streetCode: random() < 0.5 ? streetOfBlock(b, c) : null,
				// Gates on the south and west sides, facing the streets (30 % of polygon compounds).
				gates:
					shape >= 0.1 && shape < 0.4
						? [
								[centre[0], r7(south)] as [number, number],
								...(shape < 0.25 ? [[r7(west), centre[1]] as [number, number]] : [])
							]
						: [],
				estimated: {}
			}
		});
	});

	// ---- facilities: a centre per street, the rest on the streets or inside compounds
	const facilities: FacilityFeature[] = [];
	const kinds: [FacilityKind, number][] = [
		['community_station', 0.45],
		['day_care', 0.15],
		['meal_point', 0.2],
		['institution', 0.15],
		['rural_station', 0.05]
	];
	const kindAt = (u: number): FacilityKind => {
		for (const [kind, share] of kinds) if ((u -= share) < 0) return kind;
		return 'community_station';
	};
	const offStreet = 8 / scale.y;
	const streetCodes = boundaries
		.filter((f) => f.properties.level === 'street')
		.map((f) => f.properties.code!);
	for (let f = 0; f < spec.facilities; f++) {
		const isCentre = f < Math.min(streetCodes.length, Math.floor(spec.facilities / 10));
		const kind: FacilityKind = isCentre ? 'street_center' : kindAt(random());
		let lon: number;
		let lat: number;
		let street: string;
		let servesCompounds: string[] | undefined;
		if (!isCentre && random() < 0.2 && residential.length > 0) {
			// Inside a compound (its centre): a station in the compound's own buildings.
			const k = Math.floor(random() * residential.length);
			[lon, lat] = centres[k];
			const block = chosen[k];
			street = streetOfBlock(Math.floor(block / blocks), block % blocks);
		} else {
			const b = isCentre
				? Math.min(blocks - 1, Math.floor(f / streetsPerSide) * STREET_BLOCKS + STREET_BLOCKS / 2)
				: Math.floor(random() * blocks);
			const c = isCentre
				? Math.min(blocks - 1, (f % streetsPerSide) * STREET_BLOCKS + STREET_BLOCKS / 2)
				: Math.floor(random() * blocks);
			lon = r7(lonAt(c * BLOCK_CELLS + 1 + Math.floor(random() * 3)));
			lat = r7(latAt(b * BLOCK_CELLS) + offStreet);
			street = streetOfBlock(b, c);
			if (kind === 'community_station' && random() < 0.25 && residential.length > 0) {
				const k = Math.floor(random() * residential.length);
				servesCompounds = [
					residential[k].properties.id,
					...(random() < 0.5 && k + 1 < residential.length
						? [residential[k + 1].properties.name]
						: [])
				];
			}
		}
		const institution = kind === 'institution';
		facilities.push({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [lon, lat] },
			properties: {
				id: `f-${f}`,
				name: `${kind === 'street_center' ? '综合养老服务中心' : '养老服务设施'} ${f}`,
				kind,
				floorAreaM2: random() < 0.05 ? null : Math.round(80 + random() * (isCentre ? 2500 : 1400)),
				landAreaM2: institution || random() < 0.3 ? Math.round(500 + random() * 6000) : null,
				beds: institution ? 50 + Math.floor(random() * 300) : null,
				nursingBeds: institution ? Math.floor(random() * 150) : null,
				status: random() < 0.05 ? 'planned' : 'existing',
				streetCode: random() < 0.5 ? street : null,
				...(servesCompounds ? { servesCompounds } : {}),
				source: 'generated by scripts/bench/city.ts',
				estimated: {}
			}
		});
	}

	const meta: RegionMeta = {
		formatVersion: 1,
		id: `bench-city-${spec.nodes}`,
		name: `基准城市（${spec.name}）`,
		nameEn: `Benchmark city (${spec.name})`,
		bbox: [originLon, originLat, lonAt(side - 1), latAt(side - 1)],
		defaultProfile: PROFILE_ID,
		layers: {
			boundaries: 'boundaries.geojson',
			residential: 'residential.geojson',
			facilities: 'facilities.geojson',
			network: 'network.geojson',
			buildings: null,
			communities: 'communities.json'
		},
		sources: [
			{
				id: 'generated',
				title: 'Generated by scripts/bench/city.ts (seeded)',
				origin: 'scripts/bench/city.ts',
				licence: 'CC0-1.0',
				usedFor: ['boundaries', 'residential', 'facilities', 'network', 'codes']
			}
		],
		estimates: {},
		notes: [],
		summary: {}
	};
	return { meta, boundaries, residential, facilities, communities, networkText, nodes };
}

function streetFeature(name: string, coordinates: string[]): string {
	return `{"type":"Feature","geometry":{"type":"LineString","coordinates":[${coordinates.join(',')}]},"properties":{"highway":"residential","name":${JSON.stringify(name)}}}`;
}

/** One feature per line, as the region store writes layers. */
function collectionText(features: unknown[]): string {
	return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** Write the region folder `<dir>/<id>/` and build the graph cache `<dir>/cache` from network.geojson. */
export function prepareCity(spec: CityCase, dir: string): { regionDir: string; nodes: number } {
	const city = generateCity(spec);
	const regionDir = path.join(dir, city.meta.id);
	mkdirSync(regionDir, { recursive: true });
	writeFileSync(path.join(regionDir, 'region.json'), `${JSON.stringify(city.meta, null, 2)}\n`);
	writeFileSync(path.join(regionDir, 'boundaries.geojson'), collectionText(city.boundaries));
	writeFileSync(path.join(regionDir, 'residential.geojson'), collectionText(city.residential));
	writeFileSync(path.join(regionDir, 'facilities.geojson'), collectionText(city.facilities));
	writeFileSync(path.join(regionDir, 'communities.json'), `${JSON.stringify(city.communities)}\n`);
	writeFileSync(path.join(regionDir, 'network.geojson'), city.networkText);
	loadRegionGraph(regionDir, city.meta, { cacheDir: path.join(dir, 'cache') });
	return { regionDir, nodes: city.nodes };
}

const mib = (bytes: number) => Math.round(bytes / 1048576);

/**
 * The chain of `npm run analyze` on a prepared region folder (scripts/analyze.ts without the PDF
 * and without writing files), each stage timed, RSS read after it.
 */
export async function runCityChain(
	regionDir: string,
	cacheDir: string
): Promise<
	Pick<
		CityBenchRow,
		| 'stages'
		| 'totalMs'
		| 'peakRssMiB'
		| 'digests'
		| 'nodes'
		| 'directedEdges'
		| 'compounds'
		| 'facilities'
		| 'streets'
		| 'communities'
	>
> {
	const stages: CityStage[] = [];
	const started = performance.now();
	let last = started;
	const mark = (stage: string) => {
		const now = performance.now();
		stages.push({ stage, ms: Math.round(now - last), rssMiB: mib(process.memoryUsage.rss()) });
		last = now;
	};
	const region = readRegion(path.dirname(regionDir), path.basename(regionDir));
	mark('read region');
	const { graph } = loadRegionGraph(regionDir, region.meta, { cacheDir });
	mark('graph (cache)');
	const index = new SegmentIndex(graph);
	const search = new WalkSearch(graph);
	mark('index + search');
	const profile = loadProfile(profilesDir, region.meta.defaultProfile);
	const walk = { ...DEFAULT_WALK, maxSnapM: DEFAULT_MAX_SNAP_M };
	const residential = region.layers.residential ?? [];
	const facilities = region.layers.facilities ?? [];
	const coverage = computeCoverage(index, search, residential, facilities, walk);
	mark('coverage');
	const analysis = analyzeRegion({
		meta: region.meta,
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities: region.layers.facilities,
		communities: region.communities,
		profile,
		coverage,
		walk
	});
	mark('analyze');
	const meta: ReportMeta = {
		generatedAt: REPORT_DATE,
		regionMeta: region.meta,
		plan: null,
		targets: reportTargets({
			analysis,
			indicators: region.indicators,
			residential: region.layers.residential,
			facilities: region.layers.facilities,
			network: { index, search },
			maxSnapM: walk.maxSnapM,
			date: REPORT_DATE
		})
	};
	mark('targets');
	const digests: Record<string, string> = {};
	for (const file of Object.keys(REPORT_FILES) as ReportFile[]) {
		if (file === 'report.pdf') continue;
		const bytes = await reportFileBytes(file, analysis, meta, region.layers.residential);
		digests[file] = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
		mark(file);
	}
	return {
		stages,
		totalMs: Math.round(performance.now() - started),
		peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
		digests,
		nodes: graph.nodeCount,
		directedEdges: graph.edgeCount,
		compounds: residential.length,
		facilities: facilities.length,
		streets: analysis.streets.length,
		communities: region.communities?.length ?? 0
	};
}

const GROWTH_LIMIT = 1.2;
/** Stages shorter than this are left out of the growth goal (timer and JIT noise). */
const GROWTH_MIN_MS = 100;

function runChild(args: string[]): string {
	const result = spawnSync(process.execPath, [import.meta.filename, ...args], {
		cwd: repoRoot,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	if (result.status !== 0)
		throw new Error(`scripts/bench/city.ts ${args.join(' ')} failed:\n${result.stderr}`);
	return result.stdout.trim().split('\n').at(-1)!;
}

/**
 * Run the cases, each in fresh processes (see the file comment); rows in the order of `cases`.
 * @param options.only 'city' or 'scaling' (default both)
 * @param options.keepDir leave the generated region folders there (default: a temporary folder, removed)
 * @example const rows = await benchCity({ only: 'scaling' }); console.log(cityTable(rows));
 */
export async function benchCity(
	options: { only?: 'city' | 'scaling'; cases?: readonly CityCase[]; keepDir?: string } = {}
): Promise<CityBenchRow[]> {
	const cases = (options.cases ?? CITY_CASES).filter(
		(spec) => !options.only || spec.kind === options.only
	);
	const dir = options.keepDir ?? mkdtempSync(path.join(os.tmpdir(), 'carecircle-bench-city-'));
	const rows: CityBenchRow[] = [];
	try {
		for (const spec of cases) {
			const started = performance.now();
			const { regionDir } = JSON.parse(runChild(['--prepare', JSON.stringify(spec), dir])) as {
				regionDir: string;
			};
			const prepareMs = Math.round(performance.now() - started);
			const chain = JSON.parse(
				runChild(['--chain', regionDir, path.join(dir, 'cache')])
			) as Awaited<ReturnType<typeof runCityChain>>;
			const row: CityBenchRow = {
				name: spec.name,
				kind: spec.kind,
				prepareMs,
				...chain,
				goal:
					spec.kind === 'city'
						? '< 10 s and 2 GB'
						: `each stage ≥ ${GROWTH_MIN_MS} ms grows ≤ n^${GROWTH_LIMIT} from the previous size`,
				met: null
			};
			if (spec.kind === 'city') row.met = row.totalMs < 10_000 && row.peakRssMiB < 2048;
			else {
				const previous = rows.filter((r) => r.kind === 'scaling').at(-1);
				if (previous) {
					const growth: Record<string, number> = {};
					const logN = Math.log(row.nodes / previous.nodes);
					for (const stage of [...row.stages, { stage: 'total', ms: row.totalMs, rssMiB: 0 }]) {
						const before =
							stage.stage === 'total'
								? previous.totalMs
								: previous.stages.find((s) => s.stage === stage.stage)?.ms;
						if (before === undefined) continue;
						growth[stage.stage] =
							Math.round((Math.log(Math.max(1, stage.ms) / Math.max(1, before)) / logN) * 100) /
							100;
					}
					row.growth = growth;
					row.met = [...row.stages, { stage: 'total', ms: row.totalMs }].every(
						(stage) => stage.ms < GROWTH_MIN_MS || (growth[stage.stage] ?? 0) <= GROWTH_LIMIT
					);
				}
			}
			rows.push(row);
			if (!options.keepDir) rmSync(regionDir, { recursive: true, force: true });
		}
	} finally {
		if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}

/** The rows as a fixed-width table: one line per case, its stages and growth below it. */
export function cityTable(rows: readonly CityBenchRow[]): string {
	const lines = [
		`${'case'.padEnd(16)} ${'nodes'.padStart(9)} ${'compounds'.padStart(9)} ${'facilities'.padStart(10)} ${'total ms'.padStart(9)} ${'peak MiB'.padStart(9)}  goal`
	];
	for (const row of rows) {
		const met = row.met === null ? '' : row.met ? ' — met' : ' — NOT met';
		lines.push(
			`${row.name.padEnd(16)} ${String(row.nodes).padStart(9)} ${String(row.compounds).padStart(9)} ${String(row.facilities).padStart(10)} ${String(row.totalMs).padStart(9)} ${String(row.peakRssMiB).padStart(9)}  ${row.goal}${met}`
		);
		lines.push(
			`${''.padEnd(17)}${row.stages.map((s) => `${s.stage} ${s.ms} ms (${s.rssMiB} MiB)`).join(' · ')}`
		);
		if (row.growth)
			lines.push(
				`${''.padEnd(17)}growth: ${Object.entries(row.growth)
					.map(([stage, exponent]) => `${stage} ${exponent}`)
					.join(' · ')}`
			);
	}
	return lines.join('\n');
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	if (args[0] === '--prepare') {
		console.log(JSON.stringify(prepareCity(JSON.parse(args[1]) as CityCase, args[2])));
	} else if (args[0] === '--chain') {
		console.log(JSON.stringify(await runCityChain(args[1], args[2])));
	} else {
		const option = (name: string) => {
			const at = args.indexOf(name);
			return at >= 0 ? args[at + 1] : undefined;
		};
		const only = option('--only');
		if (only !== undefined && only !== 'city' && only !== 'scaling') {
			console.error(
				'usage: node scripts/bench/city.ts [--only city|scaling] [--out <file.json>] [--keep <dir>]'
			);
			process.exit(2);
		}
		const rows = await benchCity({ only, keepDir: option('--keep') });
		console.log(cityTable(rows));
		const out = option('--out');
		if (out) {
			writeFileSync(out, `${JSON.stringify({ city: rows }, null, '\t')}\n`);
			console.log(`\nwrote ${out}`);
		}
	}
}
