/**
 * What an older person can walk on: the tag table that turns network ways (OSM-style tags, as
 * `osmToNetworkFeatures` copies them or a GeoJSON road layer carries them) into walkable or not.
 *
 * The table is data — an ordered list of rules, the first rule whose condition holds decides,
 * each with the reason it gives — so `docs/WALKABILITY.md` can list it row for row and the
 * graph report can count ways by reason. Keep the two in step when a rule changes.
 *
 * Tag values are compared after trimming and lower-casing (`Yes` = `yes`); numbers and
 * booleans are read as their text (`true` = `yes`, `false` = `no`); null counts as absent.
 */
import { EDGE_FLAGS } from './road-graph.ts';

/** Tags of one way, as network features carry them. */
export type WayTags = Record<string, string | number | boolean | null | undefined>;

export interface WayClass {
	/** May an older person walk along this way? */
	walkable: boolean;
	/** Why, in words: the reason of the rule that decided (what the graph report counts). */
	reason: string;
	/** Id of the deciding rule (stable; see WALKABILITY_RULES). */
	ruleId: string;
	/** EDGE_FLAGS bits for every segment of the way (steps, incline). */
	flags: number;
}

/** Tag facts the rules read, normalised once per way. */
export interface WayFacts {
	/** A tag value trimmed and lower-cased, or undefined when absent/empty. */
	tag(key: string): string | undefined;
	highway: string;
	/** foot=yes|designated|permissive: walking explicitly allowed (overrides access=no|private). */
	footAllowed: boolean;
	/** foot=yes|designated: walking explicitly intended (what opens trunks and road tunnels). */
	footExplicit: boolean;
	/** A sidewalk on the way itself: sidewalk(/:left/:right/:both) = yes|both|left|right. */
	hasSidewalk: boolean;
}

export interface WalkabilityRule {
	/** Stable id (tests and the docs table use it). */
	id: string;
	/** The tag condition, as the docs table prints it. */
	condition: string;
	walkable: boolean;
	/** Why; may depend on the tags (e.g. names the highway value). */
	reason: string | ((facts: WayFacts) => string);
	when(facts: WayFacts): boolean;
}

/** Footway-type ways: built for people on foot (or bikes), so tunnels of these are underpasses. */
export const PEDESTRIAN_HIGHWAYS: ReadonlySet<string> = new Set([
	'footway',
	'path',
	'pedestrian',
	'steps',
	'corridor',
	'cycleway'
]);

/** Highway values walkable by their kind once the exclusions above them did not match. */
export const WALKABLE_HIGHWAYS: ReadonlySet<string> = new Set([
	'footway',
	'path',
	'pedestrian',
	'steps',
	'living_street',
	'residential',
	'service',
	'unclassified',
	'tertiary',
	'tertiary_link',
	'secondary',
	'secondary_link',
	'primary',
	'primary_link',
	'track',
	'cycleway',
	'corridor',
	'elevator',
	'platform'
]);

const NOT_OPEN_HIGHWAYS = new Set(['construction', 'proposed', 'abandoned', 'disused', 'razed']);
const SIDEWALK_PRESENT = new Set(['yes', 'both', 'left', 'right']);
const NO_INCLINE = new Set(['0', '0%', '0°', 'no']);

/**
 * The walkability table, in order: the first rule whose `when` holds decides. The last rule
 * catches every highway value not listed, so every way gets exactly one rule.
 */
export const WALKABILITY_RULES: readonly WalkabilityRule[] = [
	{
		id: 'no-highway',
		condition: 'no `highway` tag',
		walkable: false,
		reason: 'no highway tag: not a way of the road network',
		when: (w) => w.highway === ''
	},
	{
		id: 'pier',
		condition: '`man_made=pier`',
		walkable: false,
		reason:
			'pier: leads onto the water, not a through walking route (and would join ferry landings)',
		when: (w) => w.tag('man_made') === 'pier'
	},
	{
		id: 'ferry',
		condition: '`route=ferry`',
		walkable: false,
		reason: 'ferry route: a boat crossing, not a walk',
		when: (w) => w.tag('route') === 'ferry'
	},
	{
		id: 'not-open',
		condition: '`highway=construction|proposed|abandoned|disused|razed`',
		walkable: false,
		reason: (w) => `highway=${w.highway}: not an open way`,
		when: (w) => NOT_OPEN_HIGHWAYS.has(w.highway)
	},
	{
		id: 'foot-no',
		condition: '`foot=no`',
		walkable: false,
		reason: 'foot=no: walking is not allowed',
		when: (w) => w.tag('foot') === 'no'
	},
	{
		id: 'access-closed',
		condition: '`access=no|private` without `foot=yes|designated|permissive`',
		walkable: false,
		reason: (w) => `access=${w.tag('access')} without foot access: closed to the public`,
		when: (w) => (w.tag('access') === 'no' || w.tag('access') === 'private') && !w.footAllowed
	},
	{
		id: 'motorway',
		condition: '`highway=motorway|motorway_link`',
		walkable: false,
		reason: (w) => `highway=${w.highway}: motorways are closed to pedestrians`,
		when: (w) => w.highway === 'motorway' || w.highway === 'motorway_link'
	},
	{
		id: 'raceway-guideway',
		condition: '`highway=raceway|bus_guideway`',
		walkable: false,
		reason: (w) => `highway=${w.highway}: not a way for pedestrians`,
		when: (w) => w.highway === 'raceway' || w.highway === 'bus_guideway'
	},
	{
		id: 'platform-area',
		condition: '`highway=platform` with `area=yes`',
		walkable: false,
		reason: 'platform mapped as an area: its outline is the platform edge, not a walking route',
		when: (w) => w.highway === 'platform' && w.tag('area') === 'yes'
	},
	{
		id: 'road-tunnel',
		condition:
			'`tunnel=yes` on a highway other than footway/path/pedestrian/steps/corridor/cycleway, without `foot=yes|designated` and without a sidewalk tag',
		walkable: false,
		reason: 'road tunnel for motor traffic: no pedestrian passage unless tagged',
		when: (w) =>
			w.tag('tunnel') === 'yes' &&
			!PEDESTRIAN_HIGHWAYS.has(w.highway) &&
			!w.footExplicit &&
			!w.hasSidewalk
	},
	{
		id: 'trunk-open',
		condition: '`highway=trunk|trunk_link` with `foot=yes|designated` or a sidewalk tag',
		walkable: true,
		reason: (w) => `highway=${w.highway} with foot access or a sidewalk`,
		when: (w) =>
			(w.highway === 'trunk' || w.highway === 'trunk_link') && (w.footExplicit || w.hasSidewalk)
	},
	{
		id: 'trunk-closed',
		condition: '`highway=trunk|trunk_link` otherwise',
		walkable: false,
		reason: (w) => `highway=${w.highway} without foot access or sidewalk: expressway-like road`,
		when: (w) => w.highway === 'trunk' || w.highway === 'trunk_link'
	},
	{
		id: 'sidewalk',
		condition: '`highway=footway` with `footway=sidewalk`',
		walkable: true,
		reason: 'sidewalk mapped as its own way',
		when: (w) => w.highway === 'footway' && w.tag('footway') === 'sidewalk'
	},
	{
		id: 'pedestrian-area',
		condition: '`highway=pedestrian` with `area=yes`',
		walkable: true,
		reason: 'pedestrian area (square): walkable along its outline',
		when: (w) => w.highway === 'pedestrian' && w.tag('area') === 'yes'
	},
	{
		id: 'underpass',
		condition: '`tunnel=yes` on footway/path/pedestrian/steps/corridor/cycleway',
		walkable: true,
		reason: (w) => `highway=${w.highway} in a tunnel: pedestrian underpass`,
		when: (w) => w.tag('tunnel') === 'yes' && PEDESTRIAN_HIGHWAYS.has(w.highway)
	},
	{
		id: 'walkable-highway',
		condition: `\`highway=${[...WALKABLE_HIGHWAYS].join('|')}\``,
		walkable: true,
		reason: (w) => `highway=${w.highway}`,
		when: (w) => WALKABLE_HIGHWAYS.has(w.highway)
	},
	{
		id: 'other-highway',
		condition: 'any other `highway` value',
		walkable: false,
		reason: (w) => `highway=${w.highway} is not a walkable highway kind`,
		when: () => true
	}
];

function normalise(value: WayTags[string]): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (value === true) return 'yes';
	if (value === false) return 'no';
	const text = String(value).trim().toLowerCase();
	return text === '' ? undefined : text;
}

/** Normalised tag facts of one way (what the rules read). */
export function wayFacts(tags: WayTags): WayFacts {
	const tag = (key: string) => (Object.hasOwn(tags, key) ? normalise(tags[key]) : undefined);
	const foot = tag('foot');
	const sidewalkKeys = ['sidewalk', 'sidewalk:both', 'sidewalk:left', 'sidewalk:right'];
	return {
		tag,
		highway: tag('highway') ?? '',
		footAllowed: foot === 'yes' || foot === 'designated' || foot === 'permissive',
		footExplicit: foot === 'yes' || foot === 'designated',
		hasSidewalk: sidewalkKeys.some((key) => SIDEWALK_PRESENT.has(tag(key) ?? ''))
	};
}

/** EDGE_FLAGS bits of a way: steps for highway=steps, incline for an incline tag other than 0/no. */
export function wayFlags(facts: WayFacts): number {
	let flags = 0;
	if (facts.highway === 'steps') flags |= EDGE_FLAGS.steps;
	const incline = facts.tag('incline');
	if (incline !== undefined && !NO_INCLINE.has(incline)) flags |= EDGE_FLAGS.incline;
	return flags;
}

/**
 * Decide whether an older person can walk along a way, by the first matching rule of
 * WALKABILITY_RULES (documented in docs/WALKABILITY.md).
 *
 * @param tags the way's tags (network feature properties); values may be strings, numbers,
 *   booleans or null (= absent)
 * @returns walkable, the deciding rule's reason and id, and the EDGE_FLAGS of its segments
 * @example
 * classifyWay({ highway: 'primary', tunnel: 'yes', name: '延安东路隧道' });
 * // → { walkable: false, ruleId: 'road-tunnel', reason: 'road tunnel for motor traffic: …', flags: 0 }
 */
export function classifyWay(tags: WayTags): WayClass {
	const facts = wayFacts(tags);
	for (const rule of WALKABILITY_RULES) {
		if (!rule.when(facts)) continue;
		return {
			walkable: rule.walkable,
			reason: typeof rule.reason === 'string' ? rule.reason : rule.reason(facts),
			ruleId: rule.id,
			flags: wayFlags(facts)
		};
	}
	throw new Error('unreachable: the last walkability rule matches every way');
}
