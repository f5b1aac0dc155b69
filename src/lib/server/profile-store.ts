/**
 * Rule profiles on disk: `data/profiles/<id>.json`, validated on every load by the engine's
 * `parseProfile`. Node-only (server and CLI). A broken profile file does not hide the others:
 * `listProfiles` reports it with its error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProfileError, parseProfileText } from '../engine/rules/profiles.ts';
import type { RuleProfile } from '../engine/rules/profile-schema.ts';

/** Where profiles live: `CARECIRCLE_PROFILES_DIR`, else `data/profiles` under the working directory. */
export function defaultProfilesDir(): string {
	return resolve(process.env.CARECIRCLE_PROFILES_DIR ?? join(process.cwd(), 'data', 'profiles'));
}

export type ProfileListEntry =
	| {
			id: string;
			ok: true;
			version: number | string;
			jurisdiction: RuleProfile['jurisdiction'];
			document: RuleProfile['document'];
			ruleIds: string[];
	  }
	| { id: string; ok: false; code: string; error: string };

const PROFILE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** The label error messages use: `data/profiles/<id>.json` (relative, whatever the real folder). */
const fileLabel = (id: string) => `data/profiles/${id}.json`;

/**
 * Every `*.json` profile in a folder, sorted by id, each summarised or with the reason it cannot
 * be used.
 * @param dir profiles folder (default `defaultProfilesDir()`); a missing folder gives []
 */
export function listProfiles(dir = defaultProfilesDir()): ProfileListEntry[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
		.map((entry) => entry.name.slice(0, -'.json'.length))
		.sort()
		.map((id): ProfileListEntry => {
			try {
				const profile = loadProfile(dir, id);
				return {
					id,
					ok: true,
					version: profile.version,
					jurisdiction: profile.jurisdiction,
					document: profile.document,
					ruleIds: profile.rules.map((rule) => rule.id)
				};
			} catch (error) {
				const code = error instanceof ProfileError ? error.code : 'PROFILE_NOT_READABLE';
				return { id, ok: false, code, error: (error as Error).message };
			}
		});
}

/**
 * Reads and validates `<dir>/<id>.json`.
 * @param dir profiles folder, e.g. `defaultProfilesDir()`
 * @param id profile id (lower-case letters, digits, hyphens), e.g. `donge-2023`
 * @throws {ProfileError} `PROFILE_NOT_FOUND` (no such file or an id that is not a plain name),
 *   `PROFILE_NOT_JSON`, or any code of `parseProfile`
 * @example
 * const profile = loadProfile(defaultProfilesDir(), 'qingdao-laoshan-2024');
 */
export function loadProfile(dir: string, id: string): RuleProfile {
	const label = fileLabel(id);
	if (!PROFILE_ID.test(id))
		throw new ProfileError('PROFILE_NOT_FOUND', label, [
			`"${id}" is not a profile id (expected lower-case letters, digits and hyphens)`
		]);
	const path = join(dir, `${id}.json`);
	if (!existsSync(path)) {
		const known = existsSync(dir)
			? readdirSync(dir)
					.filter((name) => name.endsWith('.json'))
					.map((name) => name.slice(0, -'.json'.length))
					.sort()
			: [];
		throw new ProfileError('PROFILE_NOT_FOUND', label, [
			`no such profile; known profiles: ${known.length ? known.join(', ') : '(none)'}`
		]);
	}
	return parseProfileText(readFileSync(path, 'utf8'), label);
}
