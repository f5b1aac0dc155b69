/**
 * Issue 13: "no literal walking minutes or speeds outside profiles and the defaults module".
 * Every .ts and .svelte file under src/ and scripts/ is scanned, comments stripped, for the
 * walking settings written as numbers in code: the 15-minute circle (`maxMinutes: 15`,
 * `?? 15`, `default: '15'`), the 60 minutes walking times are reported up to, the speeds
 * (`walkSpeedMps: 1`, `?? 1.0`, `=== 0.8`, "0.8 m/s" in text) and the circle in seconds
 * (`900`, `15 * 60`). They belong in src/lib/engine/rules/defaults.ts (or a profile's
 * `service_circle` rule, data/profiles/); everything else imports them from there.
 *
 * Comments and JSDoc are stripped, so they may keep saying "15 minutes"; string and markup text
 * is scanned only for a speed with its unit ("1.0 m/s"), not for the policy's name
 * (15分钟养老服务圈, "15-minute circles").
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The one module the numbers live in. */
const DEFAULTS_MODULE = 'src/lib/engine/rules/defaults.ts';

const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
const SCANNED_ROOTS = ['src', 'scripts'];
const SKIPPED_DIRS = new Set(['node_modules', '.svelte-kit']);

/**
 * The source with its comments (`// …`, `/* … *\/`, JSDoc, `<!-- … -->`) replaced by spaces,
 * newlines kept so offsets map to the same lines. Strings, template literals and regular
 * expressions are kept as they are (a `//` inside one is not a comment).
 */
function stripComments(source: string): string {
	const out = source.split('');
	const blank = (from: number, to: number) => {
		for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
	};
	/** Template literal nesting: each entry is the brace depth at which a `${` opened. */
	const templates: number[] = [];
	let depth = 0;
	let i = 0;
	/** The last code character before i that is not whitespace (regex-or-division). */
	let previous = '';
	let previousWord = '';
	const n = source.length;
	const skipString = (quote: string) => {
		i++;
		while (i < n && source[i] !== quote && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
		i++;
	};
	/** Scans template text from i (just after ` or }) to its end or to a `${`. */
	const skipTemplate = () => {
		while (i < n) {
			if (source[i] === '\\') i += 2;
			else if (source[i] === '`') {
				i++;
				return;
			} else if (source[i] === '$' && source[i + 1] === '{') {
				i += 2;
				templates.push(depth);
				depth++;
				return;
			} else i++;
		}
	};
	while (i < n) {
		const c = source[i];
		const next = source[i + 1];
		if (c === '/' && next === '/') {
			const end = source.indexOf('\n', i);
			const stop = end === -1 ? n : end;
			blank(i, stop);
			i = stop;
		} else if (c === '/' && next === '*') {
			const end = source.indexOf('*/', i + 2);
			const stop = end === -1 ? n : end + 2;
			blank(i, stop);
			i = stop;
		} else if (c === '<' && source.startsWith('<!--', i)) {
			const end = source.indexOf('-->', i + 4);
			const stop = end === -1 ? n : end + 3;
			blank(i, stop);
			i = stop;
		} else if (c === '"' || c === "'") {
			skipString(c);
			previous = c;
			previousWord = '';
		} else if (c === '`') {
			i++;
			skipTemplate();
			previous = '`';
			previousWord = '';
		} else if (
			c === '/' &&
			(/^[(,=:[!&|?{};~+\-*%<>^]?$/.test(previous) || previousWord === 'return')
		) {
			// a regular expression literal
			i++;
			let inClass = false;
			while (i < n && source[i] !== '\n') {
				if (source[i] === '\\') i++;
				else if (source[i] === '[') inClass = true;
				else if (source[i] === ']') inClass = false;
				else if (source[i] === '/' && !inClass) break;
				i++;
			}
			i++;
			previous = '/';
			previousWord = '';
		} else {
			if (c === '{') depth++;
			else if (c === '}') {
				depth--;
				if (templates.length > 0 && templates[templates.length - 1] === depth) {
					templates.pop();
					i++;
					skipTemplate();
					previous = '`';
					previousWord = '';
					continue;
				}
			}
			if (!/\s/.test(c)) {
				if (/\w/.test(c)) {
					previousWord = /\w/.test(previous) ? previousWord + c : c;
				} else previousWord = '';
				previous = c;
			}
			i++;
		}
	}
	return out.join('');
}

/** Names of walking minutes, speeds and seconds (identifiers, object keys, CLI option names). */
const MINUTES_NAME = String.raw`['"]?[\w-]*minutes[\w-]*['"]?`;
const SPEED_NAME = String.raw`['"]?[\w-]*(?:speed|mps|pace)[\w-]*['"]?`;
const SECONDS_NAME = String.raw`['"]?[\w-]*(?:seconds|limit_?s)\b['"]?`;
/** The values: the circle and report-up-to minutes; the default and frail speeds; 15 min in s. */
const MINUTES_VALUE = String.raw`['"\`]?(?:15|60)(?![\d.])`;
const SPEED_VALUE = String.raw`['"\`]?(?:1(?:\.0+)?|0\.80*)(?![\d.])`;
const SECONDS_VALUE = String.raw`(?:900|15\s*\*\s*60|60\s*\*\s*15)(?![\d.])`;
/** `name = v`, `name: v`, `name ?? v`, `name || v`, `name === v`, `name: number = v`, `'name', v`. */
const GIVES = String.raw`\??\s*(?::\s*[A-Za-z_][\w.<>|[\] ]*?\s*)?(?:=|:|\?\?=?|\|\|=?|===?|!==?|,)\s*`;

const PATTERNS: { what: string; regex: RegExp }[] = [
	{ what: 'walking minutes', regex: new RegExp(`${MINUTES_NAME}${GIVES}${MINUTES_VALUE}`, 'gi') },
	{
		what: 'walking minutes',
		regex: new RegExp(`${MINUTES_VALUE}\\s*(?:===?|!==?)\\s*[\\w.]*minutes`, 'gi')
	},
	{ what: 'walking speed', regex: new RegExp(`${SPEED_NAME}${GIVES}${SPEED_VALUE}`, 'gi') },
	{
		what: 'walking speed',
		regex: new RegExp(`${SPEED_VALUE}\\s*(?:===?|!==?)\\s*[\\w.]*(?:speed|mps)`, 'gi')
	},
	{ what: 'circle seconds', regex: new RegExp(`${SECONDS_NAME}${GIVES}${SECONDS_VALUE}`, 'gi') },
	{ what: 'circle seconds', regex: /(?<![\w.])(?:15\s*\*\s*60|60\s*\*\s*15)(?![\d.])/g },
	// an option or schema default beside the name: `minutes: { type: 'string', default: '15' }`,
	// `maxMinutes: z.number().default(15)`, `WALK_SPEED_MPS = { default: 1.0, frail: 0.8 }`
	{
		what: 'walking minutes default',
		regex: new RegExp(
			`${MINUTES_NAME}\\s*[:=]\\s*(?:\\{[^{}]*?|z\\.[^\\n]*?)\\b(?:default\\s*:\\s*|default\\(\\s*)${MINUTES_VALUE}`,
			'gi'
		)
	},
	{
		what: 'walking speed default',
		regex: new RegExp(
			`${SPEED_NAME}\\s*(?::[^=\\n]*)?[:=]\\s*(?:\\{[^{}]*?[:,]\\s*|z\\.[^\\n]*?\\bdefault\\(\\s*)${SPEED_VALUE}`,
			'gi'
		)
	},
	// a preset list of minutes buttons: `{#each [5, 10, 15] as minutes}`
	{ what: 'walking minutes preset', regex: /\[[\d\s,]*\b15\b[\d\s,]*\]\s*as\s+\w*minutes/gi },
	// a speed with its unit in text: "1.0 m/s", '0.8 m/s'
	{ what: 'walking speed in text', regex: /(?<![\w.])(?:1\.0|0\.8)\s*m\/s/g }
];

interface Offence {
	file: string;
	line: number;
	what: string;
	text: string;
}

/** The walking literals in one file's source (comments stripped first). */
function walkingLiterals(file: string, source: string): Offence[] {
	const code = stripComments(source);
	const lines = source.split('\n');
	const lineOf = (offset: number) => code.slice(0, offset).split('\n').length;
	const found = new Map<string, Offence>();
	for (const { what, regex } of PATTERNS) {
		for (const match of code.matchAll(regex)) {
			const line = lineOf(match.index);
			const key = `${line}`;
			if (!found.has(key)) found.set(key, { file, line, what, text: lines[line - 1].trim() });
		}
	}
	return [...found.values()].sort((a, b) => a.line - b.line);
}

function sourceFiles(): string[] {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
			const relative = `${dir}/${entry.name}`;
			if (entry.isDirectory()) {
				if (!SKIPPED_DIRS.has(entry.name)) walk(relative);
			} else if (/\.(ts|svelte)$/.test(entry.name)) files.push(relative);
		}
	};
	for (const root of SCANNED_ROOTS) walk(root);
	return files.sort();
}

function scan(): Offence[] {
	return sourceFiles()
		.filter((file) => file !== DEFAULTS_MODULE)
		.flatMap((file) => walkingLiterals(file, readFileSync(path.join(repoRoot, file), 'utf8')));
}

const format = (offences: Offence[]) =>
	offences.map((o) => `${o.file}:${o.line}  ${o.what}: ${o.text}`).join('\n');

describe('the walking-literal scanner', () => {
	const flagged = (source: string) => walkingLiterals('x.ts', source).map((o) => o.line);

	it.each([
		['maxMinutes: 15,'],
		['const maxMinutes = settings.maxMinutes ?? 15;'],
		['reportUpToMinutes: 60'],
		["minutes: { type: 'string', default: '15' },"],
		["minutes: {\n\ttype: 'string',\n\tdefault: '15',"],
		['maxMinutes: z.number().positive().max(120).default(15),'],
		["maxMinutes: number('minutes', 15),"],
		['walkSpeedMps: 1,'],
		['walkSpeedMps: 1.0,'],
		['const walkSpeedMps = options.walkSpeedMps ?? 1.0;'],
		['timeToPoint(point: EdgePoint, walkSpeedMps: number = 1.0): number {'],
		['export const FRAIL_WALK_SPEED_MPS = 0.8;'],
		['export const WALK_SPEED_MPS = { default: 1.0, frail: 0.8 } as const;'],
		['class:active={workspace.settings.walkSpeedMps === 0.8}'],
		['walkSpeedMps: z.number().positive().max(3).default(1),'],
		["walkSpeedMps: number('speedMps', 1.0),"],
		['const MAX_SECONDS = 900;'],
		['search.run(sources, { maxSeconds: 15 * 60 });'],
		['{#each [5, 10, 15] as minutes (minutes)}'],
		['<p>下载缺口报告（15 分钟，1.0 m/s）</p>'],
		["description: 'walk at the frail-elder speed, 0.8 m/s'"]
	])('flags %j', (source) => {
		expect(flagged(source)).not.toEqual([]);
	});

	it.each([
		['maxMinutes: DEFAULT_CIRCLE_MINUTES,'],
		['// maxMinutes: 15 in a line comment'],
		['/** Walking speed, m/s (default 1.0; 0.8 for frail elders). */'],
		['/*\n * walkSpeedMps: 1.0\n */'],
		['<!-- 15 分钟，1.0 m/s -->'],
		['const limitS = settings.maxMinutes * 60;'],
		['const timeLimitS = options.timeLimitS ?? 60;'],
		['if (walkSpeedMps === 0) throw new Error();'],
		['initialS: (place.lengthM - place.offsetM) / walkSpeedMps, label: 0'],
		['{ minutes: 10, color: [166, 217, 106, 180] },'],
		["app: { title: '15-minute elderly-care circles' }"],
		["const url = 'https://example.org/'; const walkSpeedMps = DEFAULT_WALK_SPEED_MPS;"],
		['const re = /\\/\\*/; const maxMinutes = DEFAULT_CIRCLE_MINUTES;'],
		['walkSpeedMps: 1.5,']
	])('does not flag %j', (source) => {
		expect(flagged(source)).toEqual([]);
	});

	it('reports the line of the literal, after a template and a comment', () => {
		const source = 'const a = `x ${b} y`; // 15 * 60\n/* 0.8 m/s */\nconst walkSpeedMps = 0.8;';
		expect(flagged(source)).toEqual([3]);
	});
});

describe('issue 13: walking minutes and speeds come from rules/defaults.ts', () => {
	const offences = scan();

	it('no file outside the defaults module writes them as numbers', () => {
		const left = offences;
		expect(left, `import the values from ${DEFAULTS_MODULE} instead:\n${format(left)}`).toEqual([]);
	});
});
