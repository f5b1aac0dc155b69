/**
 * Loading a rule profile: schema validation plus the checks zod cannot express (unique rule ids,
 * one rule per kind unless scoped by `appliesTo`, file name = profile id). Errors name the file,
 * the rule index and id, the field, the value found and what was expected, e.g.
 * `data/profiles/x.json: rules[2] (community-facility-area): params.newRateM2Per100Households: expected a positive number (got -20)`.
 */
import type { z } from 'zod';
import {
	ruleProfile,
	type Rule,
	type RuleKind,
	type RuleOfKind,
	type RuleProfile
} from './profile-schema.ts';

/** Stable error codes: the server maps them, tests assert them. */
export const PROFILE_ERROR_CODES = [
	'PROFILE_NOT_JSON',
	'INVALID_PROFILE',
	'DUPLICATE_RULE_ID',
	'DUPLICATE_RULE_KIND',
	'PROFILE_ID_MISMATCH',
	'PROFILE_NOT_FOUND'
] as const;
export type ProfileErrorCode = (typeof PROFILE_ERROR_CODES)[number];

/** A profile that cannot be used. `problems` lists every finding (the message shows the first few). */
export class ProfileError extends Error {
	readonly code: ProfileErrorCode;
	readonly file: string;
	readonly problems: string[];
	constructor(code: ProfileErrorCode, file: string, problems: string[]) {
		const shown = problems.slice(0, 5).join('; ');
		const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
		super(`${file}: ${shown}${more}`);
		this.name = 'ProfileError';
		this.code = code;
		this.file = file;
		this.problems = problems;
	}
}

type PathKey = PropertyKey;

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
	let value: unknown = root;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}

/** `rules[2] (community-facility-area): params.newRateM2Per100Households` from a zod path. */
function describePath(root: unknown, path: readonly PathKey[]): string {
	if (path.length === 0) return '(profile)';
	if (path[0] === 'rules' && typeof path[1] === 'number') {
		const ruleId = valueAt(root, ['rules', path[1], 'id']);
		const head = `rules[${path[1]}]${typeof ruleId === 'string' ? ` (${ruleId})` : ''}`;
		const rest = describeFieldPath(path.slice(2));
		return rest ? `${head}: ${rest}` : head;
	}
	return describeFieldPath(path);
}

function describeFieldPath(path: readonly PathKey[]): string {
	let text = '';
	for (const key of path) {
		if (typeof key === 'number') text += `[${key}]`;
		else text += text ? `.${String(key)}` : String(key);
	}
	return text;
}

function describeValue(value: unknown): string {
	if (value === undefined) return ' (missing)';
	if (value !== null && typeof value === 'object') return '';
	const text = JSON.stringify(value);
	return ` (got ${text.length > 60 ? `${text.slice(0, 57)}…` : text})`;
}

function describeZodIssue(root: unknown, issue: z.core.$ZodIssue): string {
	if (issue.code === 'unrecognized_keys') {
		const keys = issue.keys.map((key) => `"${key}"`).join(', ');
		return `${describePath(root, issue.path)}: unexpected field ${keys} (check the spelling; see data/profiles/README.md)`;
	}
	if (issue.code === 'invalid_union' && issue.path.length === 2 && issue.path[0] === 'rules') {
		// Unknown `kind`: zod reports it on the rule itself.
		const kind = valueAt(root, [...issue.path, 'kind']);
		return `${describePath(root, issue.path)}: kind: ${issue.message}${describeValue(kind)}`;
	}
	return `${describePath(root, issue.path)}: ${issue.message}${describeValue(valueAt(root, issue.path))}`;
}

/** The profile id a file name implies: `data/profiles/donge-2023.json` → `donge-2023`. */
function idFromFileName(file: string): string | null {
	const base = file.split(/[\\/]/).pop() ?? '';
	return base.endsWith('.json') ? base.slice(0, -'.json'.length) : null;
}

/**
 * Validates a parsed profile JSON value and returns it typed.
 *
 * @param json the value of `JSON.parse(fileText)`
 * @param file the file name to put in error messages (e.g. `data/profiles/donge-2023.json`); when
 *   it ends in `.json` the profile `id` must equal the file name without `.json`
 * @throws {ProfileError} `INVALID_PROFILE` (schema), `DUPLICATE_RULE_ID`, `DUPLICATE_RULE_KIND`
 *   (two rules of one kind without distinct `appliesTo`), `PROFILE_ID_MISMATCH`
 * @example
 * const profile = parseProfile(JSON.parse(text), 'data/profiles/donge-2023.json');
 * profile.rules.find((rule) => rule.kind === 'facility_area_per_households');
 */
export function parseProfile(json: unknown, file: string): RuleProfile {
	const parsed = ruleProfile.safeParse(json);
	if (!parsed.success)
		throw new ProfileError(
			'INVALID_PROFILE',
			file,
			parsed.error.issues.map((issue) => describeZodIssue(json, issue))
		);
	const profile = parsed.data;

	const firstIndexById = new Map<string, number>();
	const duplicateIds: string[] = [];
	profile.rules.forEach((rule, index) => {
		const first = firstIndexById.get(rule.id);
		if (first === undefined) firstIndexById.set(rule.id, index);
		else
			duplicateIds.push(
				`rules[${index}] (${rule.id}): id: the same id as rules[${first}]; rule ids must be unique within a profile`
			);
	});
	if (duplicateIds.length) throw new ProfileError('DUPLICATE_RULE_ID', file, duplicateIds);

	const firstIndexByScope = new Map<string, number>();
	const duplicateKinds: string[] = [];
	profile.rules.forEach((rule, index) => {
		const scope = `${rule.kind}\u0000${rule.appliesTo ?? ''}`;
		const first = firstIndexByScope.get(scope);
		if (first === undefined) firstIndexByScope.set(scope, index);
		else
			duplicateKinds.push(
				`rules[${index}] (${rule.id}): kind: "${rule.kind}" already used by rules[${first}] (${profile.rules[first].id})` +
					(rule.appliesTo
						? ` with the same appliesTo "${rule.appliesTo}"`
						: '; give the two rules different "appliesTo" labels or merge them')
			);
	});
	if (duplicateKinds.length) throw new ProfileError('DUPLICATE_RULE_KIND', file, duplicateKinds);

	const expectedId = idFromFileName(file);
	if (expectedId !== null && expectedId !== profile.id)
		throw new ProfileError('PROFILE_ID_MISMATCH', file, [
			`id: "${profile.id}" differs from the file name; expected "${expectedId}" (rename the file or the id)`
		]);
	return profile;
}

/**
 * Parses profile file text (JSON) and validates it; see {@link parseProfile}.
 * @throws {ProfileError} `PROFILE_NOT_JSON` when the text is not JSON, else as parseProfile
 */
export function parseProfileText(text: string, file: string): RuleProfile {
	let json: unknown;
	try {
		json = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		throw new ProfileError('PROFILE_NOT_JSON', file, [
			`not readable as JSON (${(error as Error).message})`
		]);
	}
	return parseProfile(json, file);
}

/**
 * The rules of one kind applicable to a scope: those with `appliesTo === scope`, else those
 * without `appliesTo`. Returns an empty list when the profile has none.
 * @param scope an `appliesTo` label, or undefined for the profile's unscoped rule
 */
export function rulesOfKind<K extends RuleKind>(
	profile: RuleProfile,
	kind: K,
	scope?: string
): RuleOfKind<K>[] {
	const ofKind = profile.rules.filter((rule: Rule): rule is RuleOfKind<K> => rule.kind === kind);
	if (scope !== undefined) {
		const scoped = ofKind.filter((rule) => rule.appliesTo === scope);
		if (scoped.length) return scoped;
	}
	return ofKind.filter((rule) => rule.appliesTo === undefined);
}

/** The one rule of a kind for a scope (see {@link rulesOfKind}), or null. */
export function ruleOfKind<K extends RuleKind>(
	profile: RuleProfile,
	kind: K,
	scope?: string
): RuleOfKind<K> | null {
	return rulesOfKind(profile, kind, scope)[0] ?? null;
}
