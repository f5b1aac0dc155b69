/**
 * The project as the evaluation needs it: its inputs validated (name, status, boundary,
 * households or residential floor area, elders, gates, planned facilities) before anything is
 * computed, and turned into one more residential area and planned facilities of the region, with
 * ids that cannot clash with the region's.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { formatAmount } from '../format.ts';
import {
	FACILITY_KINDS,
	type FacilityFeature,
	type RegionMeta,
	type ResidentialFeature
} from '../region/schema.ts';
import { validateProjectBoundary, type BoundarySource } from './boundary-check.ts';
import type { EvaluationRegion } from './evaluate.ts';
import { EvaluationError } from './errors.ts';
import type {
	EldersSource,
	HouseholdsSource,
	ProjectFacilityInput,
	ProjectInput
} from './types.ts';
import { insideBbox } from './project-map.ts';

const fmt = formatAmount;

/** Average dwelling floor area when only the residential floor area is given, m² per household. */
export const DEFAULT_DWELLING_M2 = 90;

function isWhole(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

function positiveNumber(value: unknown, field: string, what: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
		throw new EvaluationError(
			'INVALID_NUMBER',
			field,
			`${field}: ${what} must be a number above 0, got ${JSON.stringify(value)}`
		);
	return value;
}

/** Households entered, or derived from the residential floor area (rounded up). */
export function projectHouseholds(project: ProjectInput): {
	households: number;
	source: HouseholdsSource;
} {
	const entered = project.households;
	const floor = project.residentialFloorAreaM2;
	if (entered !== null && entered !== undefined) {
		if (floor !== null && floor !== undefined)
			throw new EvaluationError(
				'INVALID_NUMBER',
				'households',
				'households: give the households or the residential floor area, not both'
			);
		if (!isWhole(entered) || entered < 0)
			throw new EvaluationError(
				'INVALID_NUMBER',
				'households',
				`households: expected a whole number of households (户), got ${JSON.stringify(entered)}`
			);
		if (entered === 0)
			throw new EvaluationError(
				'NO_HOUSEHOLDS',
				'households',
				'households: 0 households — a residential project has households; enter the planned number (户), or the residential floor area'
			);
		return {
			households: entered,
			source: {
				method: 'entered',
				residentialFloorAreaM2: null,
				dwellingM2: null,
				exact: null,
				estimated: false,
				derivationZh: `规划户数 ${fmt(entered)} 户（申报值）`,
				derivationEn: `${fmt(entered)} households as planned (entered)`
			}
		};
	}
	if (floor === null || floor === undefined)
		throw new EvaluationError(
			'NO_HOUSEHOLDS',
			'households',
			'households: the project has no households — enter the planned households (--households N), or the residential floor area (--floor-area-m2 A, with --dwelling-m2 for the average dwelling size, default 90 m²)'
		);
	const area = positiveNumber(floor, 'residentialFloorAreaM2', 'the residential floor area (m²)');
	const dwellingM2 = positiveNumber(
		project.dwellingM2 ?? DEFAULT_DWELLING_M2,
		'dwellingM2',
		'the average dwelling floor area (m² per household)'
	);
	// Rounded to 1e-9 first so that 54,000 ÷ 90 is 600, not 600.0000000001 → 601.
	const exact = Math.round((area / dwellingM2) * 1e9) / 1e9;
	const households = Math.ceil(exact);
	if (households === 0)
		throw new EvaluationError('NO_HOUSEHOLDS', 'households', 'households: 0 households derived');
	const exactText = Number.isInteger(exact) ? fmt(exact) : exact.toFixed(2);
	return {
		households,
		source: {
			method: 'floor_area',
			residentialFloorAreaM2: area,
			dwellingM2,
			exact,
			estimated: true,
			derivationZh: `住宅建筑面积 ${fmt(area)} m² ÷ 户均 ${fmt(dwellingM2)} m²/户 = ${exactText}${Number.isInteger(exact) ? '' : '，向上取整'} → ${fmt(households)} 户（估算）`,
			derivationEn: `residential floor area ${fmt(area)} m² ÷ ${fmt(dwellingM2)} m² per household = ${exactText}${Number.isInteger(exact) ? '' : ', rounded up'} → ${fmt(households)} households (estimate)`
		}
	};
}

/** Elders entered, or households × the region's elders per household. */
export function projectElders(
	households: number,
	entered: number | null | undefined,
	residential: readonly ResidentialFeature[] | null
): { elders: number | null; source: EldersSource } {
	if (entered !== null && entered !== undefined) {
		if (!isWhole(entered) || entered < 0)
			throw new EvaluationError(
				'INVALID_NUMBER',
				'elders',
				`elders: expected a whole number of residents aged 60+, got ${JSON.stringify(entered)}`
			);
		return {
			elders: entered,
			source: {
				method: 'entered',
				ratio: null,
				ratioBasis: null,
				estimated: false,
				basisEstimated: false,
				derivationZh: `60岁及以上老年人 ${fmt(entered)} 人（申报值）`,
				derivationEn: `${fmt(entered)} residents aged 60+ (entered)`
			}
		};
	}
	let areas = 0;
	let sumHouseholds = 0;
	let sumElders = 0;
	let basisEstimated = false;
	for (const feature of residential ?? []) {
		const { households: h, elders: e, estimated } = feature.properties;
		if (h === null || e === null || h <= 0) continue;
		areas++;
		sumHouseholds += h;
		sumElders += e;
		if (estimated && ('households' in estimated || 'elders' in estimated)) basisEstimated = true;
	}
	if (areas === 0)
		return {
			elders: null,
			source: {
				method: 'unknown',
				ratio: null,
				ratioBasis: null,
				estimated: false,
				basisEstimated: false,
				derivationZh:
					'本区域没有同时具有户数和老年人口的居住区，无法按户推算老年人口；请申报项目老年人口',
				derivationEn:
					'The region has no residential area with both households and elders: elders cannot be estimated per household; enter the project’s elders'
			}
		};
	const ratio = sumElders / sumHouseholds;
	const elders = Math.round(households * ratio);
	const ratioText = ratio.toFixed(4);
	return {
		elders,
		source: {
			method: 'region_ratio',
			ratio,
			ratioBasis: { areas, households: sumHouseholds, elders: sumElders },
			estimated: true,
			basisEstimated,
			derivationZh: `${fmt(households)} 户 × 区域户均老年人 ${ratioText} 人/户（${areas} 个居住区：${fmt(sumElders)} 人 ÷ ${fmt(sumHouseholds)} 户）≈ ${fmt(elders)} 人（估算${basisEstimated ? '；区域户数、老年人口本身也是估算' : ''}）`,
			derivationEn: `${fmt(households)} households × ${ratioText} elders per household in the region (${areas} areas: ${fmt(sumElders)} elders ÷ ${fmt(sumHouseholds)} households) ≈ ${fmt(elders)} (estimate${basisEstimated ? '; the region’s own households and elders are estimates too' : ''})`
		}
	};
}

function checkPosition(
	value: unknown,
	field: string,
	code: 'INVALID_FACILITY' | 'INVALID_GATE',
	meta: RegionMeta
): [number, number] {
	if (
		!Array.isArray(value) ||
		value.length < 2 ||
		!Number.isFinite(value[0]) ||
		!Number.isFinite(value[1]) ||
		Math.abs(value[0]) > 180 ||
		Math.abs(value[1]) > 90
	)
		throw new EvaluationError(
			code,
			field,
			`${field}: expected WGS84 [lon, lat] degrees, got ${JSON.stringify(value)}`
		);
	const position: [number, number] = [value[0], value[1]];
	if (!insideBbox(position, meta.bbox))
		throw new EvaluationError(
			'PROJECT_OUTSIDE_REGION',
			field,
			`${field}: [${position.join(', ')}] lies outside the region ${meta.id} (bbox ${meta.bbox.join(', ')}); check the coordinates (lon first, then lat, WGS84)`
		);
	return position;
}

function checkFacility(
	facility: ProjectFacilityInput,
	index: number,
	meta: RegionMeta
): ProjectFacilityInput {
	const field = `facilities[${index}]`;
	if (!FACILITY_KINDS.includes(facility.kind))
		throw new EvaluationError(
			'INVALID_FACILITY',
			`${field}.kind`,
			`${field}.kind: ${JSON.stringify(facility.kind)} is not a facility kind; expected one of ${FACILITY_KINDS.join(', ')}`
		);
	if (
		typeof facility.floorAreaM2 !== 'number' ||
		!Number.isFinite(facility.floorAreaM2) ||
		facility.floorAreaM2 <= 0
	)
		throw new EvaluationError(
			'INVALID_FACILITY',
			`${field}.floorAreaM2`,
			`${field}.floorAreaM2: a planned facility needs its floor area in m² (above 0), got ${JSON.stringify(facility.floorAreaM2)}`
		);
	const land = facility.landAreaM2;
	if (land !== null && land !== undefined && (!Number.isFinite(land) || land < 0))
		throw new EvaluationError(
			'INVALID_FACILITY',
			`${field}.landAreaM2`,
			`${field}.landAreaM2: expected a land area in m² (0 or more), got ${JSON.stringify(land)}`
		);
	return {
		...facility,
		position: checkPosition(facility.position, `${field}.position`, 'INVALID_FACILITY', meta)
	};
}

/**
 * @throws {EvaluationError} for an input the evaluation cannot accept (see `evaluateProject`)
 */
export function prepareProject(region: EvaluationRegion, project: ProjectInput) {
	const meta = region.meta;
	// ---- inputs, validated before anything is computed
	const name = typeof project.name === 'string' && project.name.trim() ? project.name.trim() : '';
	if (!name) throw new EvaluationError('INVALID_NUMBER', 'name', 'name: the project needs a name');
	if (project.status !== 'new' && project.status !== 'existing')
		throw new EvaluationError(
			'INVALID_STATUS',
			'status',
			`status: expected "new" (新建) or "existing" (已建成), got ${JSON.stringify(project.status)}`
		);
	const boundary = validateProjectBoundary(project.boundary, meta.bbox, { regionLabel: meta.id });
	const given: BoundarySource = project.boundarySource ?? {
		file: null,
		format: 'drawn',
		crs: { crs: 'EPSG:4326', how: 'drawn', reason: 'drawn on the map (WGS84)' },
		polygonFeatures: 1,
		name: null,
		notes: []
	};
	const boundarySource: BoundarySource = {
		...given,
		notes: [...new Set([...given.notes, ...boundary.notes])]
	};
	const { households, source: householdsSource } = projectHouseholds(project);
	const { elders, source: eldersSource } = projectElders(
		households,
		project.elders,
		region.residential
	);
	const gates = (project.gates ?? []).map((gate, i) =>
		checkPosition(gate, `gates[${i}]`, 'INVALID_GATE', meta)
	);
	const plannedInputs = (project.facilities ?? []).map((facility, i) =>
		checkFacility(facility, i, meta)
	);

	// ---- ids that cannot clash with the region's
	const areaIds = new Set((region.residential ?? []).map((area) => area.properties.id));
	let projectId = 'project';
	for (let n = 2; areaIds.has(projectId); n++) projectId = `project-${n}`;
	const facilityIds = new Set((region.facilities ?? []).map((f) => f.properties.id));
	const plannedIds: string[] = [];
	plannedInputs.forEach((facility, i) => {
		const id = facility.id ?? `project-facility-${i + 1}`;
		if (facilityIds.has(id) || plannedIds.includes(id))
			throw new EvaluationError(
				'ID_CONFLICT',
				`facilities[${i}].id`,
				`facilities[${i}].id: "${id}" is already used by another facility; choose another id`
			);
		plannedIds.push(id);
	});

	const projectFeature: ResidentialFeature = {
		type: 'Feature',
		geometry: boundary.geometry as ResidentialFeature['geometry'],
		properties: {
			id: projectId,
			name,
			households,
			elders,
			status: project.status,
			builtYear: null,
			streetCode: null,
			gates,
			estimated: {
				...(householdsSource.estimated ? { households: 'project-households-from-floor-area' } : {}),
				...(eldersSource.estimated ? { elders: 'project-elders-from-region-ratio' } : {})
			},
			source: '待评估项目 / project under evaluation'
		}
	};
	const shape = projectFeature as unknown as Feature<Polygon | MultiPolygon>;
	const plannedFeatures: FacilityFeature[] = plannedInputs.map((facility, i) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: facility.position },
		properties: {
			id: plannedIds[i],
			name: facility.name?.trim() || `规划设施 ${i + 1}`,
			kind: facility.kind,
			floorAreaM2: facility.floorAreaM2,
			landAreaM2: facility.landAreaM2 ?? null,
			beds: null,
			nursingBeds: null,
			status: 'planned',
			streetCode: null,
			source: `${name}（规划） / planned by the project`,
			estimated: {}
		}
	}));
	return {
		name,
		boundary,
		boundarySource,
		households,
		householdsSource,
		elders,
		eldersSource,
		gates,
		projectId,
		plannedIds,
		projectFeature,
		shape,
		plannedFeatures
	};
}
