/**
 * The five shipped rule profiles: they load, every number is the one printed in its clause, every
 * quote (and section, clause and title) occurs verbatim in the policy text, and broken profiles
 * are rejected with stable codes and messages that name file, rule and field.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	ProfileError,
	parseProfile,
	parseProfileText,
	ruleOfKind,
	rulesOfKind
} from '../../../src/lib/engine/rules/profiles.ts';
import type { RuleProfile } from '../../../src/lib/engine/rules/profile-schema.ts';
import { listProfiles, loadProfile } from '../../../src/lib/server/profile-store.ts';

const repoRoot = path.join(import.meta.dirname, '../../..');
const profilesDir = path.join(repoRoot, 'data', 'profiles');
const policiesDir = path.join(repoRoot, '..', 'shared', 'policies');

/** Raw profile JSON, mutated freely to make broken profiles. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHIPPED = [
	'donge-2023',
	'qingdao-city-2023-draft',
	'qingdao-laoshan-2024',
	'qingdao-rural-2022',
	'yantai-district-draft'
];

const load = (id: string) => loadProfile(profilesDir, id);
const readRaw = (id: string): Record<string, unknown> =>
	JSON.parse(readFileSync(path.join(profilesDir, `${id}.json`), 'utf8'));

/** PDF line breaks and spaces around numbers are not part of the text. */
const normalise = (text: string) => text.replace(/\s+/gu, '');

describe('shipped profiles', () => {
	it('include the five of issue 4, and every profile in the folder loads', () => {
		const entries = listProfiles(profilesDir);
		expect(entries.map((entry) => entry.id)).toEqual(expect.arrayContaining(SHIPPED));
		for (const entry of entries) expect(entry, JSON.stringify(entry)).toMatchObject({ ok: true });
	});

	// Numbers read from the clauses by hand (see docs/RULES.md), one row per rule.
	const expected: Record<string, [string, string, Record<string, unknown>][]> = {
		'qingdao-laoshan-2024': [
			[
				'community-facility-area',
				'facility_area_per_households',
				{
					newRateM2Per100Households: 20,
					existingRateM2Per100Households: 15,
					minSingleSiteM2: null,
					poolingAllowed: false
				}
			],
			[
				'welfare-land-per-elder',
				'welfare_land_per_elder',
				{ minM2PerElder: 0.25, byYear: 2035, scope: 'district' }
			],
			['service-circle-15min', 'service_circle', { maxMinutes: 15 }],
			[
				'station-coverage',
				'station_coverage',
				{ units: ['community', 'village'], facilityKinds: ['community_station', 'rural_station'] }
			],
			['nursing-bed-share', 'nursing_bed_share', { minShare: 0.7, byYear: 2026 }],
			[
				'meal-service-circle',
				'meal_service_circle',
				{ maxMinutes: 15, facilityKinds: ['meal_point'] }
			]
		],
		'qingdao-city-2023-draft': [
			[
				'service-objects',
				'service_objects',
				{
					minAgeYears: 60,
					classes: ['guaranteed', 'disabledOrDementia', 'specialHardship', 'other']
				}
			],
			['service-circle-15min', 'service_circle', { maxMinutes: 15 }],
			['welfare-land-per-elder', 'welfare_land_per_elder', { minM2PerElder: 0.25, scope: 'city' }],
			[
				'community-facility-area',
				'facility_area_per_households',
				{
					newRateM2Per100Households: 20,
					existingRateM2Per100Households: 15,
					minSingleSiteM2: null,
					poolingAllowed: false
				}
			],
			[
				'street-center-area',
				'street_center_area',
				{
					minFloorAreaM2: 1000,
					byYear: 2024,
					functions: ['助餐', '助浴', '助医', '助洁', '助乐', '全托', '日托', '康复辅具租赁']
				}
			],
			[
				'station-coverage',
				'station_coverage',
				{ units: ['community', 'village'], facilityKinds: ['community_station', 'rural_station'] }
			]
		],
		'yantai-district-draft': [
			[
				'community-facility-area',
				'facility_area_per_households',
				{
					newRateM2Per100Households: 20,
					existingRateM2Per100Households: 15,
					minSingleSiteM2: { new: 350 },
					poolingAllowed: true,
					poolingOnly: { maxLandAreaM2: 20000, statuses: ['new'] },
					excludesSharedAreas: true
				}
			],
			['service-circle-15min', 'service_circle', { maxMinutes: 15 }],
			['nursing-bed-share', 'nursing_bed_share', { minShare: 0.7, byYear: 2025 }],
			['social-workers', 'social_workers', { perBeds: 100, byYear: 2025 }],
			[
				'synchronous-delivery',
				'synchronous_delivery',
				{ stages: ['同步规划', '同步建设', '同步验收', '同步交付使用'], statuses: ['new'] }
			],
			['family-care-beds', 'family_care_beds', { minBeds: 300, byYear: 2025, scope: 'district' }],
			[
				'ability-assessment-80',
				'ability_assessment',
				{ minAgeYears: 80, minShare: 1, byYear: 2025 }
			],
			[
				'meal-service-circle',
				'meal_service_circle',
				{ maxMinutes: 15, facilityKinds: ['meal_point', 'day_care'], byYear: 2025 }
			]
		],
		'donge-2023': [
			[
				'community-facility-area',
				'facility_area_per_households',
				{
					newRateM2Per100Households: 20,
					existingRateM2Per100Households: 15,
					minSingleSiteM2: { new: 200, existing: 200 },
					poolingAllowed: false
				}
			],
			['street-center-area', 'street_center_area', { minFloorAreaM2: 600 }],
			['community-center-area', 'community_station_area', { minFloorAreaM2: 300 }],
			['station-coverage', 'station_coverage', { units: ['community'] }],
			['nursing-bed-share', 'nursing_bed_share', { minShare: 0.65, byYear: 2025 }],
			['social-workers', 'social_workers', { perElders: 1000 }],
			['land-sale-precondition', 'land_sale_precondition', { statuses: ['new'] }],
			[
				'synchronous-delivery',
				'synchronous_delivery',
				{ stages: ['同步规划', '同步建设', '同步验收', '同步交付'], statuses: ['new'] }
			],
			['special-visit-rate', 'special_visit_rate', { minShare: 1, byYear: 2025 }]
		],
		'qingdao-rural-2022': [
			[
				'village-station-coverage',
				'station_coverage',
				{ units: ['village'], onlyStreets: { codes: [] } }
			],
			['village-station-area', 'village_station_area', { typicalFloorAreaM2: 350 }]
		]
	};

	for (const [id, rows] of Object.entries(expected))
		it(`${id}: rules, kinds and numbers as printed`, () => {
			const profile = load(id);
			expect(profile.rules.map((rule) => [rule.id, rule.kind])).toEqual(
				rows.map(([ruleId, kind]) => [ruleId, kind])
			);
			for (const [ruleId, , params] of rows)
				expect(profile.rules.find((rule) => rule.id === ruleId)?.params).toMatchObject(params);
		});

	it('carry the document numbers, dates and statuses of the policy README', () => {
		const documents = Object.fromEntries(SHIPPED.map((id) => [id, load(id).document]));
		expect(documents['qingdao-laoshan-2024']).toMatchObject({
			number: '崂办字〔2024〕12号',
			date: '2024-10-22',
			status: 'in_force'
		});
		expect(documents['donge-2023']).toMatchObject({
			number: '东政办字〔2023〕26号',
			date: '2023-12-26',
			status: 'in_force'
		});
		expect(documents['qingdao-rural-2022']).toMatchObject({
			date: '2022-02-28',
			status: 'expired'
		});
		expect(documents['qingdao-city-2023-draft']).toMatchObject({
			number: null,
			date: null,
			status: 'draft'
		});
		expect(documents['yantai-district-draft']).toMatchObject({
			number: null,
			date: null,
			status: 'draft'
		});
	});

	const policiesPresent = existsSync(policiesDir);
	it.skipIf(!policiesPresent)(
		`quotes, sections, clauses and titles occur verbatim in ../shared/policies${policiesPresent ? '' : ' (skipped: ../shared/policies is absent)'}`,
		() => {
			// Every profile in the folder, so a bureau's own profile is checked too.
			const ids = listProfiles(profilesDir).map((entry) => entry.id);
			let checkedShipped = 0;
			for (const id of ids) {
				const profile = load(id);
				const sourcePath = path.join(policiesDir, profile.sourceFile);
				expect(
					existsSync(sourcePath),
					`${id}: ${profile.sourceFile} missing in ../shared/policies`
				).toBe(true);
				const source = normalise(readFileSync(sourcePath, 'utf8'));
				expect(source, `${id}: document title`).toContain(normalise(profile.document.title));
				for (const rule of profile.rules) {
					for (const field of ['quote', 'section', 'clause', 'document'] as const)
						expect(source, `${id} ${rule.id} citation.${field}`).toContain(
							normalise(rule.citation[field])
						);
					// The sentence each interpretation rests on is quoted too, and lies in the rule's clause.
					for (const choice of rule.interpretations ?? []) {
						expect(source, `${id} ${rule.id} interpretation ${choice.param}`).toContain(
							normalise(choice.quote)
						);
					}
					if (SHIPPED.includes(id)) checkedShipped++;
				}
				if (profile.elderDefinition.citation)
					expect(source, `${id} elderDefinition.citation.quote`).toContain(
						normalise(profile.elderDefinition.citation.quote)
					);
			}
			expect(checkedShipped).toBe(31);
		}
	);

	it.skipIf(!policiesPresent)('the verbatim check catches a one-character change', () => {
		const source = normalise(
			readFileSync(path.join(policiesDir, 'yantai-district-draft.txt'), 'utf8')
		);
		const quote = load('yantai-district-draft').rules[0].citation.quote;
		expect(source).toContain(normalise(quote));
		expect(source).not.toContain(normalise(quote.replace('350', '300')));
	});

	it('quote the numbers they carry', () => {
		// A cheap guard against a number edited in params but not in the quote (or the reverse).
		for (const id of SHIPPED)
			for (const rule of load(id).rules) {
				const quote = normalise(rule.citation.quote);
				const numbers: number[] = [];
				const params = rule.params as Record<string, unknown>;
				for (const key of [
					'newRateM2Per100Households',
					'existingRateM2Per100Households',
					'minM2PerElder',
					'minFloorAreaM2',
					'typicalFloorAreaM2',
					'perBeds',
					'perElders',
					'minAgeYears',
					'byYear'
				])
					if (typeof params[key] === 'number') numbers.push(params[key] as number);
				if (rule.kind === 'facility_area_per_households')
					numbers.push(...Object.values(rule.params.minSingleSiteM2 ?? {}));
				if (rule.kind === 'nursing_bed_share') numbers.push(Math.round(rule.params.minShare * 100));
				if (rule.kind === 'service_circle') numbers.push(rule.params.maxMinutes);
				for (const value of numbers) {
					const printed =
						rule.kind === 'social_workers' && value === 100
							? '每百张'
							: rule.kind === 'social_workers' && value === 1000
								? '每千名'
								: String(value);
					expect(quote, `${id} ${rule.id}: ${value}`).toContain(printed);
				}
			}
	});
});

describe('parseProfile errors', () => {
	const file = 'data/profiles/yantai-district-draft.json';
	const base = readRaw('yantai-district-draft');
	function errorOf(mutate: (profile: Json) => void, label = file): ProfileError {
		const profile = structuredClone(base);
		mutate(profile);
		try {
			parseProfile(profile, label);
		} catch (error) {
			expect(error).toBeInstanceOf(ProfileError);
			return error as ProfileError;
		}
		throw new Error('expected parseProfile to throw');
	}

	it('names file, rule index and id, field, value and expectation', () => {
		const error = errorOf((profile) => (profile.rules[0].params.newRateM2Per100Households = -20));
		expect(error.code).toBe('INVALID_PROFILE');
		expect(error.message).toBe(
			'data/profiles/yantai-district-draft.json: rules[0] (community-facility-area): params.newRateM2Per100Households: expected a positive number (got -20)'
		);
	});

	it.each([
		[
			'a rate given as text',
			(p: Json) => (p.rules[0].params.newRateM2Per100Households = '20'),
			'rules[0] (community-facility-area): params.newRateM2Per100Households: expected a positive number (got "20")'
		],
		[
			'a missing rate',
			(p: Json) => delete p.rules[0].params.existingRateM2Per100Households,
			'params.existingRateM2Per100Households: expected a positive number (missing)'
		],
		[
			'a zero single-site minimum',
			(p: Json) => (p.rules[0].params.minSingleSiteM2 = { new: 0 }),
			'params.minSingleSiteM2.new: expected a positive number (got 0)'
		],
		[
			'an unknown kind',
			(p: Json) => (p.rules[2].kind = 'nursing_beds'),
			'rules[2] (nursing-bed-share): kind: expected kind to be one of'
		],
		[
			'a share given in percent',
			(p: Json) => (p.rules[2].params.minShare = 70),
			'params.minShare: expected a share between 0 and 1'
		],
		[
			'a misspelt parameter',
			(p: Json) => (p.rules[0].params.newRate = 20),
			'params: unexpected field "newRate"'
		],
		[
			'service circle of a fractional number of minutes',
			(p: Json) => (p.rules[1].params.maxMinutes = 12.5),
			'params.maxMinutes: expected a positive integer'
		],
		[
			'an impossible date',
			(p: Json) => (p.document.date = '2023-02-30'),
			'document.date: expected a real calendar date'
		],
		[
			'a null date without a note',
			(p: Json) => delete p.document.dateNote,
			'document.dateNote: expected a dateNote'
		],
		[
			'an unknown status',
			(p: Json) => (p.document.status = 'final'),
			'document.status: expected status to be one of in_force, draft, expired'
		],
		[
			'an empty quote',
			(p: Json) => (p.rules[1].citation.quote = ' '),
			'citation.quote: expected the quoted requirement in Chinese'
		],
		[
			'social workers without a ratio',
			(p: Json) => (p.rules[3].params = { byYear: 2025 }),
			'params: expected perBeds or perElders'
		],
		[
			'a source file with folders',
			(p: Json) => (p.sourceFile = '../x.txt'),
			'sourceFile: expected a plain .txt file name'
		],
		['no rules', (p: Json) => (p.rules = []), 'rules: expected at least one rule']
	])('rejects %s', (_name, mutate, message) => {
		const error = errorOf(mutate);
		expect(error.code).toBe('INVALID_PROFILE');
		expect(error.message.startsWith(`${file}: `)).toBe(true);
		expect(error.message).toContain(message);
	});

	it('rejects duplicate rule ids', () => {
		const error = errorOf((profile) => (profile.rules[1].id = 'community-facility-area'));
		expect(error.code).toBe('DUPLICATE_RULE_ID');
		expect(error.message).toContain(
			'rules[1] (community-facility-area): id: the same id as rules[0]'
		);
	});

	it('rejects two rules of one kind unless their appliesTo differ', () => {
		const second = (profile: Json, appliesTo?: [string, string]) => {
			const copy = structuredClone(profile.rules[0]);
			copy.id = 'community-facility-area-2';
			if (appliesTo) [profile.rules[0].appliesTo, copy.appliesTo] = appliesTo;
			profile.rules.push(copy);
		};
		expect(errorOf((profile) => second(profile)).code).toBe('DUPLICATE_RULE_KIND');
		expect(errorOf((profile) => second(profile, ['urban', 'urban'])).message).toContain(
			`rules[${(base.rules as unknown[]).length}] (community-facility-area-2): kind: "facility_area_per_households" already used by rules[0] (community-facility-area) with the same appliesTo "urban"`
		);
		const scoped = structuredClone(base) as Json;
		second(scoped, ['urban', 'rural']);
		scoped.rules[scoped.rules.length - 1].params.newRateM2Per100Households = 30;
		const profile = parseProfile(scoped, file);
		expect(
			ruleOfKind(profile, 'facility_area_per_households', 'rural')?.params.newRateM2Per100Households
		).toBe(30);
		expect(ruleOfKind(profile, 'facility_area_per_households', 'urban')?.id).toBe(
			'community-facility-area'
		);
		// Both scoped, so there is no unscoped default.
		expect(rulesOfKind(profile, 'facility_area_per_households')).toEqual([]);
	});

	it('requires the id to match the file name', () => {
		const error = errorOf(() => {}, 'data/profiles/my-bureau.json');
		expect(error.code).toBe('PROFILE_ID_MISMATCH');
		expect(error.message).toContain('expected "my-bureau"');
	});

	it('reports text that is not JSON', () => {
		expect(() => parseProfileText('{ "id": ', 'data/profiles/x.json')).toThrow(
			expect.objectContaining({ code: 'PROFILE_NOT_JSON' })
		);
	});

	it('accepts semver versions and a BOM', () => {
		const profile = { ...structuredClone(base), version: '1.2.0' };
		const parsed: RuleProfile = parseProfileText(`\uFEFF${JSON.stringify(profile)}`, file);
		expect(parsed.version).toBe('1.2.0');
	});
});

describe('profile store', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'profiles-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('loads a bureau copy, reports a broken one, and lists known ids when one is missing', () => {
		// How a bureau makes its own profile (data/profiles/README.md): copy, rename the id, edit.
		const copy = readRaw('donge-2023') as Json;
		copy.id = 'my-county-2025';
		copy.rules[0].params.newRateM2Per100Households = 25;
		writeFileSync(path.join(dir, 'my-county-2025.json'), JSON.stringify(copy, null, '\t'));
		const broken = structuredClone(copy);
		broken.id = 'broken';
		broken.rules[0].params.existingRateM2Per100Households = 0;
		writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
		writeFileSync(path.join(dir, 'README.md'), '# not a profile');

		const entries = listProfiles(dir);
		expect(entries.map((entry) => [entry.id, entry.ok])).toEqual([
			['broken', false],
			['my-county-2025', true]
		]);
		expect(entries[0]).toMatchObject({
			code: 'INVALID_PROFILE',
			error: expect.stringContaining(
				'data/profiles/broken.json: rules[0] (community-facility-area): params.existingRateM2Per100Households: expected a positive number (got 0)'
			)
		});
		expect(loadProfile(dir, 'my-county-2025').rules[0].params).toMatchObject({
			newRateM2Per100Households: 25
		});
		expect(() => loadProfile(dir, 'nope')).toThrow(
			/no such profile; known profiles: broken, my-county-2025/
		);
		expect(() => loadProfile(dir, '../etc/passwd')).toThrow(
			expect.objectContaining({ code: 'PROFILE_NOT_FOUND' })
		);
		expect(listProfiles(path.join(dir, 'absent'))).toEqual([]);
	});

	it('lists only .json files of the shipped folder', () => {
		const jsonFiles = readdirSync(profilesDir).filter((name) => name.endsWith('.json'));
		expect(listProfiles(profilesDir)).toHaveLength(jsonFiles.length);
	});
});
