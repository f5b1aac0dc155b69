/**
 * Regions for the evaluation tests: a generated street grid with known walking times (80 m
 * blocks at 1 m/s: (Δrow + Δcol) × 80 s from node to node), and the two bundled regions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRegionGraph } from '../../../scripts/graph-cache.ts';
import { readProjectBoundary } from '../../../src/lib/engine/evaluation/boundary.ts';
import {
	evaluateProject,
	type EvaluationRegion
} from '../../../src/lib/engine/evaluation/evaluate.ts';
import type { ProjectEvaluation } from '../../../src/lib/engine/evaluation/types.ts';
import { metresPerDegree } from '../../../src/lib/engine/graph/geodesic.ts';
import { gridGraph } from '../../../src/lib/engine/graph/grid.ts';
import type { RoadGraph } from '../../../src/lib/engine/graph/road-graph.ts';
import type {
	BoundaryFeature,
	FacilityFeature,
	FacilityKind,
	RegionMeta,
	ResidentialFeature
} from '../../../src/lib/engine/region/schema.ts';
import type { RuleProfile } from '../../../src/lib/engine/rules/profile-schema.ts';
import { defaultProfilesDir, loadProfile } from '../../../src/lib/server/profile-store.ts';
import {
	defaultRegionsDir,
	readRegion,
	type LoadedRegion
} from '../../../src/lib/server/region-store.ts';

export const profile = (id: string): RuleProfile => loadProfile(defaultProfilesDir(), id);

// ---------------------------------------------------------------- the grid

export const SPACING_M = 80;
export const GRID_SIZE = 31;
const ORIGIN: [number, number] = [121.5, 31.23];
const scale = metresPerDegree(ORIGIN[1]);

/** WGS84 position of a point `col` blocks east and `row` blocks north of node (0, 0) (fractions allowed). */
export function at(col: number, row: number): [number, number] {
	return [ORIGIN[0] + (col * SPACING_M) / scale.x, ORIGIN[1] + (row * SPACING_M) / scale.y];
}

/** A rectangle from block corner (col0, row0) to (col1, row1), closed, counter-clockwise. */
/** A GeoJSON Polygon that is also a region-schema polygon (positions as pairs). */
export type GridPolygon = { type: 'Polygon'; coordinates: [number, number][][] };

export function rectangle(col0: number, row0: number, col1: number, row1: number): GridPolygon {
	return {
		type: 'Polygon',
		coordinates: [[at(col0, row0), at(col1, row0), at(col1, row1), at(col0, row1), at(col0, row0)]]
	};
}

let grid: RoadGraph | null = null;
/** The 31 × 31 grid of 80 m blocks (2.4 km square), built once. */
export function gridNetwork(): { graph: RoadGraph } {
	grid ??= gridGraph({
		rows: GRID_SIZE,
		cols: GRID_SIZE,
		spacingM: SPACING_M,
		originLon: ORIGIN[0],
		originLat: ORIGIN[1]
	}).graph;
	return { graph: grid };
}

export const GRID_META: RegionMeta = {
	formatVersion: 1,
	id: 'grid-test',
	name: '测试网格区',
	nameEn: 'Test grid',
	bbox: [...at(-1, -1), ...at(GRID_SIZE, GRID_SIZE)] as [number, number, number, number],
	defaultProfile: 'qingdao-laoshan-2024',
	layers: {
		boundaries: null,
		residential: 'residential.geojson',
		facilities: 'facilities.geojson',
		network: 'network.geojson'
	},
	sources: [
		{
			id: 'generated',
			title: 'Generated street grid (tests)',
			origin: 'tests/engine/evaluation/fixtures.ts',
			licence: 'CC0-1.0',
			usedFor: ['network', 'residential', 'facilities']
		}
	],
	estimates: {},
	notes: [],
	summary: {}
};

export function facility(
	id: string,
	kind: FacilityKind,
	floorAreaM2: number | null,
	position: [number, number],
	extra: Partial<FacilityFeature['properties']> = {}
): FacilityFeature {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: position },
		properties: {
			id,
			name: id,
			kind,
			floorAreaM2,
			landAreaM2: null,
			beds: null,
			nursingBeds: null,
			status: 'existing',
			streetCode: null,
			source: 'test',
			estimated: {},
			...extra
		}
	};
}

export function compound(
	id: string,
	geometry: GridPolygon,
	households: number,
	elders: number,
	gates: [number, number][],
	status: 'new' | 'existing' = 'existing'
): ResidentialFeature {
	return {
		type: 'Feature',
		geometry,
		properties: {
			id,
			name: id,
			households,
			elders,
			status,
			builtYear: null,
			streetCode: null,
			gates,
			estimated: {}
		}
	};
}

/** A street polygon over the whole grid (for the street-centre rules). */
export const GRID_STREET: BoundaryFeature = {
	type: 'Feature',
	geometry: rectangle(-1, -1, GRID_SIZE, GRID_SIZE),
	properties: {
		level: 'street',
		code: '310115001',
		name: '测试街道',
		parentCode: null,
		estimated: {}
	}
};

export function gridRegion(parts: {
	residential?: ResidentialFeature[];
	facilities?: FacilityFeature[] | null;
	boundaries?: BoundaryFeature[] | null;
}): EvaluationRegion {
	return {
		meta: GRID_META,
		boundaries: parts.boundaries ?? null,
		residential: parts.residential ?? [],
		facilities: parts.facilities === undefined ? [] : parts.facilities,
		communities: null
	};
}

/**
 * A project on the grid street (310115001) under donge-2023 with an indicator table (issue 16):
 * monthly visits 90 % in the street, 50 % in another street of the district, 95 % in the district
 * (Dong'e 6.: 100 % by end-2025), and an 800 m² street centre (Dong'e: at least 600 m²).
 * @param date the targets' date; null = no targets asked for
 */
export function gridTargetsEvaluation(date: string | null): ProjectEvaluation {
	const row = (level: 'street' | 'district', code: string, name: string, visitRate: number) => ({
		level,
		code,
		name,
		asOf: '2025-12-31',
		source: '测试指标表',
		values: { visitRate }
	});
	return evaluateProject({
		region: gridRegion({
			facilities: [facility('centre', 'street_center', 800, at(0, 0), { name: '街道中心' })],
			boundaries: [GRID_STREET]
		}),
		network: gridNetwork(),
		profile: profile('donge-2023'),
		project: {
			name: '测试项目',
			boundary: rectangle(4.1, 5.1, 4.9, 5.9),
			status: 'new',
			households: 800,
			gates: [at(4, 5)],
			facilities: [{ kind: 'community_station', floorAreaM2: 200, position: at(4.5, 5.5) }]
		},
		...(date === null
			? {}
			: {
					targets: {
						indicators: [
							row('street', '310115001', '测试街道', 0.9),
							row('street', '310115002', '其他街道', 0.5),
							row('district', '310115', '某区', 0.95)
						],
						date
					}
				})
	});
}

// ---------------------------------------------------------------- bundled regions

const loaded = new Map<string, LoadedRegion>();
export function bundledRegion(id: string): EvaluationRegion {
	if (!loaded.has(id)) loaded.set(id, readRegion(defaultRegionsDir(), id));
	const region = loaded.get(id)!;
	return {
		meta: region.meta,
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities: region.layers.facilities,
		communities: region.communities
	};
}

export function bundledNetwork(id: string): { graph: RoadGraph } {
	const region = bundledRegion(id);
	return { graph: loadRegionGraph(join(defaultRegionsDir(), id), region.meta).graph };
}

/** The demo project: the block south of 乳山四村, east of 乳山三村 (Lujiazui). */
export const DEMO_PROJECT_FILE = join(
	import.meta.dirname,
	'../../scripts/fixtures/evaluate/ruyi-project.geojson'
);

/** The demo project under donge-2023 with a 150 m² station: conditional (two changes). */
export async function demoEvaluation(name?: string): Promise<ProjectEvaluation> {
	const boundary = await readProjectBoundary(
		'ruyi-project.geojson',
		readFileSync(DEMO_PROJECT_FILE),
		{ regionBbox: bundledRegion('shanghai-bund-lujiazui').meta.bbox }
	);
	return evaluateProject({
		region: bundledRegion('shanghai-bund-lujiazui'),
		network: bundledNetwork('shanghai-bund-lujiazui'),
		profile: profile('donge-2023'),
		project: {
			name: name ?? boundary.source.name!,
			boundary: boundary.geometry,
			boundarySource: boundary.source,
			status: 'new',
			households: 600,
			facilities: [
				{
					kind: 'community_station',
					floorAreaM2: 150,
					position: [121.5175, 31.235],
					name: '乳山路东社区养老服务站'
				}
			]
		}
	});
}
