/**
 * Whether a rule profile's text governs a region (issue 15): a region whose districts all lie
 * outside the profile's GB/T 2260 codes is analysed under another place's rules, and the map and
 * the reports must say so. Codes match by prefix (a 4-digit city code covers its districts).
 */

export type JurisdictionFit =
	/** Every coded district of the region is governed by the profile's text. */
	| 'governs'
	/** Some districts are, some are not (a region across a jurisdiction's border). */
	| 'partly'
	/** None is: the profile belongs to another place. */
	| 'other'
	/** The region has no coded district or street boundaries, or the profile names no codes. */
	| 'unknown';

/** How a profile's jurisdiction codes cover a region's district / street codes. */
export function jurisdictionFit(
	profileCodes: readonly string[],
	regionCodes: readonly (string | null | undefined)[]
): JurisdictionFit {
	if (profileCodes.length === 0) return 'unknown';
	const coded = regionCodes.filter((code): code is string => !!code && /^\d{6,}$/.test(code));
	if (coded.length === 0) return 'unknown';
	const governed = coded.filter((code) =>
		profileCodes.some((prefix) => code.startsWith(prefix))
	).length;
	return governed === coded.length ? 'governs' : governed === 0 ? 'other' : 'partly';
}

/** What choosing a region's default profile needs to know of each profile. */
export interface ProfileJurisdiction {
	id: string;
	codes: readonly string[] | undefined;
	status: 'in_force' | 'draft' | 'expired';
}

const STATUS_ORDER = { in_force: 0, draft: 1, expired: 2 } as const;

/**
 * The profile of the jurisdiction that governs an administrative code: the most specific one
 * (longest matching code, so 崂山区's own before Qingdao city's), then one in force before a draft
 * before an expired text, then by id. null when no profile governs the code.
 */
export function profileForCode(
	code: string,
	profiles: readonly ProfileJurisdiction[]
): string | null {
	const ranked = profiles
		.map((profile) => ({
			profile,
			match: Math.max(
				0,
				...(profile.codes ?? []).filter((c) => code.startsWith(c)).map((c) => c.length)
			)
		}))
		.filter((entry) => entry.match > 0)
		.sort(
			(a, b) =>
				b.match - a.match ||
				STATUS_ORDER[a.profile.status] - STATUS_ORDER[b.profile.status] ||
				a.profile.id.localeCompare(b.profile.id)
		);
	return ranked[0]?.profile.id ?? null;
}
