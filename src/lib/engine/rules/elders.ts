/**
 * Who "an elder" is in a profile's per-elder figures. Only the Qingdao city text defines it
 * (1.: 青岛市户籍60周岁及以上老年人); the others do not, and the region data counts residents 60+.
 * Every figure per elder prints this definition beside it (issue 13).
 */
import type { ElderDefinition, RuleProfile } from './profile-schema.ts';

/** The definition the profile states (every shipped profile states one). */
export function elderDefinitionOf(profile: RuleProfile): ElderDefinition {
	return profile.elderDefinition;
}

/** "（老年人口径：…）" for the end of a message with a per-elder figure. */
export function elderDefinitionNote(profile: RuleProfile): { zh: string; en: string } {
	const definition = elderDefinitionOf(profile);
	return { zh: `（老年人口径：${definition.zh}）`, en: ` (elders: ${definition.en})` };
}
