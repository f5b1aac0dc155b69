/**
 * A project evaluation computed on the server — never taken from the client: the region from
 * region-store.ts, its walking graph from region-graph.ts (the map's own graph), the rule profile
 * from profile-store.ts, then the engine's `evaluateProject`. The whole evaluation is kept for the
 * report; a summary of it (`EvaluationResults`: verdict, conditions, figures, and sha-256
 * fingerprints of the profile and of the region's data files) is what a saved evaluation lists
 * and what a re-run compares (`compareEvaluationResults`), in Chinese and English.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sha256FileHex } from './file-hash.ts';
import type { LevelVerdict } from '../engine/analysis/types.ts';
import { EvaluationError, evaluateProject } from '../engine/evaluation/index.ts';
import type {
	NearestFacility,
	ProjectEvaluation,
	ProjectInput,
	ProjectVerdict,
	StreetFigures
} from '../engine/evaluation/types.ts';
import { formatAmount } from '../engine/format.ts';
import { LEVEL_VERDICT, PROJECT_VERDICT } from '../engine/labels.ts';
import type { RegionMeta } from '../engine/region/schema.ts';
import { ProfileError } from '../engine/rules/profiles.ts';
import type { RuleProfile } from '../engine/rules/profile-schema.ts';
import {
	SavedEvaluationError,
	type EvaluationChange,
	type EvaluationRequest,
	type EvaluationResults,
	type RegionFingerprint,
	type StreetFiguresSummary
} from './db/evaluation-model.ts';
import { defaultProfilesDir, loadProfile } from './profile-store.ts';
import { regionGraph } from './region-graph.ts';
import { defaultRegionsDir, listRegionIds, readRegion } from './region-store.ts';

export interface EvaluationDataDirs {
	regionsDir: string;
	profilesDir: string;
}

/** The server's folders, read from the environment at each call (CARECIRCLE_REGIONS_DIR / _PROFILES_DIR). */
export function defaultEvaluationDirs(): EvaluationDataDirs {
	return { regionsDir: defaultRegionsDir(), profilesDir: defaultProfilesDir() };
}

/** The whole evaluation as computed and the region meta it was computed with: what the report prints. */
export interface EvaluationDocument {
	evaluation: ProjectEvaluation;
	regionMeta: RegionMeta;
}

export interface ComputedEvaluation {
	/** The profile applied: the one named, else the region's default. */
	profileId: string;
	results: EvaluationResults;
	document: EvaluationDocument;
}

function invalid(field: string, message: string): SavedEvaluationError {
	return new SavedEvaluationError('INVALID_EVALUATION', `field "${field}": ${message}`, { field });
}

/** The engine's input name (`facilities[2].floorAreaM2`) as a path in the request body. */
export function requestField(engineField: string): string {
	const dotted = engineField.replace(/\[(\d+)\]/g, '.$1');
	return dotted === 'name' ? 'name' : `inputs.${dotted}`;
}

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted, so that the same profile always hashes the same. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.map(
				(key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`
			)
			.join(',')}}`;
	return JSON.stringify(value);
}

/** sha-256 of a profile as parsed (canonical JSON): the same rules give the same hash. */
export function profileFingerprint(profile: RuleProfile): string {
	return sha256Hex(canonicalJson(profile));
}

/**
 * sha-256 of the region's files that an evaluation reads: region.json and the boundaries,
 * residential, facilities, network and communities files it names (buildings and map tiles are
 * display only and left out).
 */
export function regionFingerprint(regionsDir: string, meta: RegionMeta): RegionFingerprint {
	const layers = meta.layers;
	const names = [
		'region.json',
		layers.boundaries,
		layers.residential,
		layers.facilities,
		layers.network,
		layers.communities
	].filter((name): name is string => typeof name === 'string' && name.length > 0);
	const files: Record<string, string> = {};
	for (const name of [...new Set(names)].sort())
		files[name] = sha256FileHex(join(regionsDir, meta.id, name));
	const lines = Object.entries(files).map(([name, hash]) => `${name} ${hash}\n`);
	return { sha256: sha256Hex(lines.join('')), files };
}

function loadEvaluationProfile(profilesDir: string, id: string): RuleProfile {
	try {
		return loadProfile(profilesDir, id);
	} catch (error) {
		if (error instanceof ProfileError && error.code === 'PROFILE_NOT_FOUND')
			throw invalid('profileId', error.message);
		if (error instanceof ProfileError)
			throw new SavedEvaluationError('PROFILE_INVALID', `profile "${id}": ${error.message}`);
		throw error;
	}
}

const streetFigures = (s: StreetFigures): StreetFiguresSummary => ({
	households: s.households,
	elders: s.elders,
	eldersCovered: s.eldersCovered,
	eldersCoveredShare: s.eldersCoveredShare,
	requiredM2: s.requiredM2,
	providedM2: s.providedM2,
	deficitM2: s.deficitM2,
	landPerElderM2: s.landPerElderM2,
	verdict: s.verdict
});

const station = (nearest: NearestFacility | null) =>
	nearest && {
		id: nearest.id,
		name: nearest.name,
		kind: nearest.kind,
		status: nearest.status,
		project: nearest.project,
		minutes: nearest.minutes
	};

/**
 * The figures of an evaluation that are stored with it and compared on a re-run.
 * @param fingerprints sha-256 of the profile applied and of the region's data files
 * @param now recorded as `computedAt`
 */
export function summariseEvaluation(
	evaluation: ProjectEvaluation,
	fingerprints: { profile: string; region: RegionFingerprint },
	now: Date
): EvaluationResults {
	const e = evaluation;
	return {
		computedAt: now.toISOString(),
		verdict: e.verdict,
		incomplete: e.incomplete,
		conditions: e.conditions.map((c) => ({ check: c.check, ruleId: c.ruleId, zh: c.zh, en: c.en })),
		notRun: e.notRun.map((n) => ({ check: n.check, reasonZh: n.reasonZh, reasonEn: n.reasonEn })),
		households: e.project.households,
		householdsEstimated: e.project.householdsSource.estimated,
		elders: e.project.elders,
		eldersEstimated: e.project.eldersSource.estimated,
		floorArea: {
			requiredM2: e.floorArea.requiredM2,
			providedM2: e.floorArea.providedM2,
			deficitM2: e.floorArea.deficitM2
		},
		circle: {
			maxMinutes: e.circle.maxMinutes,
			covered: e.circle.covered,
			nearest: station(e.circle.nearest),
			nearestExisting: station(e.circle.nearestExisting)
		},
		streetCenter: e.streetCenter && {
			name: e.streetCenter.name,
			floorAreaM2: e.streetCenter.floorAreaM2,
			meetsMinimum: e.streetCenter.meetsMinimum,
			minutes: e.streetCenter.minutes,
			withinCircle: e.streetCenter.withinCircle
		},
		street: {
			code: e.street.code,
			name: e.street.name,
			before: streetFigures(e.street.before),
			after: streetFigures(e.street.after)
		},
		district: e.district && {
			code: e.district.code,
			name: e.district.name,
			before: {
				elders: e.district.before.elders,
				landPerElderM2: e.district.before.landPerElderM2,
				verdict: e.district.before.verdict
			},
			after: {
				elders: e.district.after.elders,
				landPerElderM2: e.district.after.landPerElderM2,
				verdict: e.district.after.verdict
			}
		},
		profile: {
			id: e.settings.profileId,
			version: e.settings.profileVersion,
			sha256: fingerprints.profile
		},
		region: { id: e.settings.regionId, fingerprint: fingerprints.region }
	};
}

/**
 * Evaluate a project on the server.
 * @param request a validated request (evaluationRequestSchema); `profileId` absent = the region's default
 * @param dirs region and profile folders (default: the server's, from the environment)
 * @param now recorded as `computedAt`
 * @throws SavedEvaluationError INVALID_EVALUATION naming the field (unknown region or profile, or
 *   an input the engine refuses: no households, an open boundary, a boundary outside the region …),
 *   PROFILE_INVALID
 */
export function computeEvaluation(
	request: EvaluationRequest,
	dirs: EvaluationDataDirs = defaultEvaluationDirs(),
	now: Date = new Date()
): ComputedEvaluation {
	if (!listRegionIds(dirs.regionsDir).includes(request.regionId))
		throw invalid(
			'regionId',
			`no region "${request.regionId}"; GET /api/regions lists the regions`
		);
	const region = readRegion(dirs.regionsDir, request.regionId);
	const profileId = request.profileId ?? region.meta.defaultProfile;
	const profile = loadEvaluationProfile(dirs.profilesDir, profileId);
	const graph = regionGraph(dirs.regionsDir, request.regionId);
	const { settings, ...project } = request.inputs;
	let evaluation: ProjectEvaluation;
	try {
		evaluation = evaluateProject({
			region: {
				meta: region.meta,
				boundaries: region.layers.boundaries,
				residential: region.layers.residential,
				facilities: region.layers.facilities,
				communities: region.communities
			},
			network: graph ? { graph } : null,
			profile,
			project: {
				...project,
				name: request.name,
				// zod gives number[] positions and a CRS name as a string; the engine checks the
				// boundary itself (closed, not crossing, inside the region).
				boundary: project.boundary as ProjectInput['boundary'],
				boundarySource: project.boundarySource as ProjectInput['boundarySource']
			},
			walk: settings,
			// 所在街道的目标, dated on the day it is computed (UTC, like computedAt).
			targets: { indicators: region.indicators, date: now.toISOString().slice(0, 10) }
		});
	} catch (error) {
		if (error instanceof EvaluationError) {
			const field = requestField(error.field);
			throw new SavedEvaluationError(
				'INVALID_EVALUATION',
				`field "${field}": ${error.message} (${error.code})`,
				{ field }
			);
		}
		throw error;
	}
	const results = summariseEvaluation(
		evaluation,
		{
			profile: profileFingerprint(profile),
			region: regionFingerprint(dirs.regionsDir, region.meta)
		},
		now
	);
	return { profileId, results, document: { evaluation, regionMeta: region.meta } };
}

// ---------------------------------------------------------------- what changed

type Shown = { zh: string; en: string };
const same = (a: unknown, b: unknown) =>
	typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 : a === b;

const amount =
	(unitZh: string, unitEn: string) =>
	(value: unknown): Shown =>
		typeof value === 'number'
			? { zh: `${formatAmount(value)} ${unitZh}`, en: `${formatAmount(value)} ${unitEn}` }
			: { zh: '无', en: 'none' };
const share = (value: unknown): Shown =>
	typeof value === 'number'
		? { zh: `${formatAmount(value * 100)}%`, en: `${formatAmount(value * 100)}%` }
		: { zh: '无', en: 'none' };
const yesNo = (value: unknown): Shown =>
	value === true
		? { zh: '是', en: 'yes' }
		: value === false
			? { zh: '否', en: 'no' }
			: { zh: '未知', en: 'unknown' };
const level = (value: unknown): Shown => ({
	...(LEVEL_VERDICT[value as LevelVerdict] ?? { zh: String(value), en: String(value) })
});
const text = (value: unknown): Shown =>
	value === null || value === undefined
		? { zh: '无', en: 'none' }
		: { zh: String(value), en: String(value) };

interface Figure {
	field: string;
	zh: string;
	en: string;
	get: (r: EvaluationResults) => unknown;
	show: (value: unknown) => Shown;
}

const streetFigureList = (side: 'before' | 'after'): Figure[] => {
	const zh = side === 'before' ? '街道（项目前）' : '街道（项目后）';
	const en = side === 'before' ? 'Street before the project' : 'Street with the project';
	const of = (r: EvaluationResults) => r.street[side];
	return [
		{ key: 'households', zh: '户数', en: 'households', show: amount('户', 'households') },
		{ key: 'elders', zh: '老年人口', en: 'elders', show: amount('人', 'elders') },
		{
			key: 'eldersCovered',
			zh: '服务圈内老年人',
			en: 'elders within the circle',
			show: amount('人', 'elders')
		},
		{
			key: 'eldersCoveredShare',
			zh: '服务圈覆盖率',
			en: 'share of elders within the circle',
			show: share
		},
		{ key: 'requiredM2', zh: '应配建面积', en: 'required floor area', show: amount('m²', 'm²') },
		{ key: 'providedM2', zh: '已配建面积', en: 'provided floor area', show: amount('m²', 'm²') },
		{ key: 'deficitM2', zh: '配建面积缺口', en: 'floor-area deficit', show: amount('m²', 'm²') },
		{
			key: 'landPerElderM2',
			zh: '人均养老用地',
			en: 'welfare land per elder',
			show: amount('m²/人', 'm² per elder')
		},
		{ key: 'verdict', zh: '判定', en: 'verdict', show: level }
	].map((f) => ({
		field: `street.${side}.${f.key}`,
		zh: `${zh}${f.zh}`,
		en: `${en}: ${f.en}`,
		get: (r: EvaluationResults) => of(r)[f.key as keyof StreetFiguresSummary],
		show: f.show
	}));
};

const districtFigureList = (side: 'before' | 'after'): Figure[] => {
	const zh = side === 'before' ? '区（项目前）' : '区（项目后）';
	const en = side === 'before' ? 'District before the project' : 'District with the project';
	return [
		{ key: 'elders' as const, zh: '老年人口', en: 'elders', show: amount('人', 'elders') },
		{
			key: 'landPerElderM2' as const,
			zh: '人均养老用地',
			en: 'welfare land per elder',
			show: amount('m²/人', 'm² per elder')
		},
		{ key: 'verdict' as const, zh: '判定', en: 'verdict', show: level }
	].map((f) => ({
		field: `district.${side}.${f.key}`,
		zh: `${zh}${f.zh}`,
		en: `${en}: ${f.en}`,
		get: (r: EvaluationResults) => r.district?.[side][f.key] ?? null,
		show: f.show
	}));
};

const FIGURES: Figure[] = [
	{
		field: 'verdict',
		zh: '判定',
		en: 'Verdict',
		get: (r) => r.verdict,
		show: (v) => ({ ...PROJECT_VERDICT[v as ProjectVerdict] })
	},
	{
		field: 'incomplete',
		zh: '部分检查未能运行',
		en: 'Some checks could not run',
		get: (r) => r.incomplete,
		show: yesNo
	},
	{
		field: 'households',
		zh: '户数',
		en: 'Households',
		get: (r) => r.households,
		show: amount('户', 'households')
	},
	{
		field: 'householdsEstimated',
		zh: '户数为估算值',
		en: 'Households are an estimate',
		get: (r) => r.householdsEstimated,
		show: yesNo
	},
	{
		field: 'elders',
		zh: '老年人口',
		en: 'Elders',
		get: (r) => r.elders,
		show: amount('人', 'elders')
	},
	{
		field: 'eldersEstimated',
		zh: '老年人口为估算值',
		en: 'Elders are an estimate',
		get: (r) => r.eldersEstimated,
		show: yesNo
	},
	{
		field: 'floorArea.requiredM2',
		zh: '应配建面积',
		en: 'Required floor area',
		get: (r) => r.floorArea.requiredM2,
		show: amount('m²', 'm²')
	},
	{
		field: 'floorArea.providedM2',
		zh: '已配建面积',
		en: 'Provided floor area',
		get: (r) => r.floorArea.providedM2,
		show: amount('m²', 'm²')
	},
	{
		field: 'floorArea.deficitM2',
		zh: '配建面积缺口',
		en: 'Floor-area deficit',
		get: (r) => r.floorArea.deficitM2,
		show: amount('m²', 'm²')
	},
	{
		field: 'circle.maxMinutes',
		zh: '服务圈步行时间',
		en: 'Circle walking time',
		get: (r) => r.circle.maxMinutes,
		show: amount('分钟', 'min')
	},
	{
		field: 'circle.covered',
		zh: '服务圈内有站点',
		en: 'A station within the circle',
		get: (r) => r.circle.covered,
		show: yesNo
	},
	{
		field: 'streetCenter.name',
		zh: '街道综合中心',
		en: 'Street comprehensive centre',
		get: (r) => r.streetCenter?.name ?? null,
		show: text
	},
	{
		field: 'streetCenter.floorAreaM2',
		zh: '街道综合中心面积',
		en: 'Street centre floor area',
		get: (r) => r.streetCenter?.floorAreaM2 ?? null,
		show: amount('m²', 'm²')
	},
	{
		field: 'streetCenter.meetsMinimum',
		zh: '街道综合中心面积达标',
		en: 'Street centre meets its minimum size',
		get: (r) => r.streetCenter?.meetsMinimum ?? null,
		show: yesNo
	},
	{
		field: 'streetCenter.minutes',
		zh: '至街道综合中心步行时间',
		en: 'Walking time to the street centre',
		get: (r) => r.streetCenter?.minutes ?? null,
		show: amount('分钟', 'min')
	},
	{
		field: 'streetCenter.withinCircle',
		zh: '街道综合中心在服务圈内',
		en: 'Street centre within the circle',
		get: (r) => r.streetCenter?.withinCircle ?? null,
		show: yesNo
	},
	{
		field: 'street.name',
		zh: '所在街道',
		en: 'Street',
		get: (r) => r.street.name,
		show: text
	},
	...streetFigureList('before'),
	...streetFigureList('after'),
	...districtFigureList('before'),
	...districtFigureList('after')
];

function showStation(value: EvaluationResults['circle']['nearest']): Shown {
	if (!value) return { zh: '无（60 分钟内未到达）', en: 'none (none reached within 60 min)' };
	const minutes = (Math.round(value.minutes * 10) / 10).toFixed(1);
	return {
		zh: `${value.name}，步行 ${minutes} 分钟`,
		en: `${value.name}, ${minutes} min on foot`
	};
}

function changed(
	field: string,
	saved: unknown,
	current: unknown,
	label: Shown,
	show: (v: unknown) => Shown
): EvaluationChange {
	const a = show(saved);
	const b = show(current);
	return {
		field,
		kind: 'changed',
		saved,
		current,
		zh: `${label.zh}：${a.zh} → ${b.zh}`,
		en: `${label.en}: ${a.en} → ${b.en}`
	};
}

/**
 * What differs between the results saved with an evaluation and today's: the verdict, each
 * figure, the conditions added or removed, the checks that could (not) run, the profile's version
 * and rules, and the region's data files. `computedAt` is not a change.
 * @returns [] when the two agree
 */
export function compareEvaluationResults(
	saved: EvaluationResults,
	current: EvaluationResults
): EvaluationChange[] {
	const changes: EvaluationChange[] = [];
	for (const figure of FIGURES) {
		const a = figure.get(saved);
		const b = figure.get(current);
		if (!same(a, b)) changes.push(changed(figure.field, a, b, figure, figure.show));
	}
	for (const key of ['nearest', 'nearestExisting'] as const) {
		const a = saved.circle[key];
		const b = current.circle[key];
		if (a?.id !== b?.id || !same(a?.minutes, b?.minutes))
			changes.push(
				changed(
					`circle.${key}`,
					a,
					b,
					key === 'nearest'
						? { zh: '最近站点（含规划）', en: 'Nearest station (incl. planned)' }
						: { zh: '最近现有站点', en: 'Nearest existing station' },
					(value) => showStation(value as EvaluationResults['circle']['nearest'])
				)
			);
	}

	const conditionKey = (c: EvaluationResults['conditions'][number]) =>
		`${c.check}\u0000${c.zh}\u0000${c.en}`;
	const savedConditions = new Set(saved.conditions.map(conditionKey));
	const currentConditions = new Set(current.conditions.map(conditionKey));
	for (const c of saved.conditions)
		if (!currentConditions.has(conditionKey(c)))
			changes.push({
				field: 'conditions',
				kind: 'removed',
				saved: c,
				current: null,
				zh: `不再要求整改：${c.zh}`,
				en: `No longer required: ${c.en}`
			});
	for (const c of current.conditions)
		if (!savedConditions.has(conditionKey(c)))
			changes.push({
				field: 'conditions',
				kind: 'added',
				saved: null,
				current: c,
				zh: `新增整改要求：${c.zh}`,
				en: `Now required: ${c.en}`
			});

	const savedNotRun = new Set(saved.notRun.map((n) => n.check));
	const currentNotRun = new Set(current.notRun.map((n) => n.check));
	for (const n of saved.notRun)
		if (!currentNotRun.has(n.check))
			changes.push({
				field: 'notRun',
				kind: 'removed',
				saved: n,
				current: null,
				zh: `此前未能运行的检查现已运行：${n.check}`,
				en: `A check that could not run now runs: ${n.check}`
			});
	for (const n of current.notRun)
		if (!savedNotRun.has(n.check))
			changes.push({
				field: 'notRun',
				kind: 'added',
				saved: null,
				current: n,
				zh: `检查未能运行：${n.check}（${n.reasonZh}）`,
				en: `Check could not run: ${n.check} (${n.reasonEn})`
			});

	if (saved.profile.id !== current.profile.id)
		changes.push(
			changed(
				'profile.id',
				saved.profile.id,
				current.profile.id,
				{ zh: '规则集', en: 'Rule profile' },
				text
			)
		);
	if (String(saved.profile.version) !== String(current.profile.version))
		changes.push(
			changed(
				'profile.version',
				saved.profile.version,
				current.profile.version,
				{
					zh: `规则集 ${current.profile.id} 版本`,
					en: `Rule profile ${current.profile.id} version`
				},
				(v) => ({ zh: `v${v}`, en: `v${v}` })
			)
		);
	else if (saved.profile.sha256 !== current.profile.sha256)
		changes.push({
			field: 'profile.sha256',
			kind: 'changed',
			saved: saved.profile.sha256,
			current: current.profile.sha256,
			zh: `规则集 ${current.profile.id} v${current.profile.version} 的内容已修改（版本号未变）`,
			en: `Rule profile ${current.profile.id} v${current.profile.version} was edited without a new version number`
		});

	const a = saved.region.fingerprint;
	const b = current.region.fingerprint;
	if (a.sha256 !== b.sha256) {
		const names = [...new Set([...Object.keys(a.files), ...Object.keys(b.files)])].sort();
		for (const name of names) {
			const before = a.files[name] ?? null;
			const after = b.files[name] ?? null;
			if (before === after) continue;
			const kind = before === null ? 'added' : after === null ? 'removed' : 'changed';
			changes.push({
				field: `region.fingerprint.files.${name}`,
				kind,
				saved: before,
				current: after,
				zh: `区域 ${current.region.id} 的数据文件${{ added: '新增', removed: '已移除', changed: '已更新' }[kind]}：${name}`,
				en: `Region ${current.region.id} data file ${kind}: ${name}`
			});
		}
	}
	return changes;
}
