/**
 * The command line of every `npm run` script: one definition gives the parser and the `--help`
 * text, and `runCli` turns a user's mistake into one line on stderr instead of a stack trace.
 *
 *   const { values, positionals } = parseCli({
 *     command: 'npm run analyze',
 *     summary: '区域缺口分析报告 / The gap report of a region',
 *     options: {
 *       region: { type: 'string', required: true, valueName: '<id|dir>', description: 'region id or folder' },
 *       minutes: { type: 'number', default: 15, min: 0, description: 'walking time limit, minutes' }
 *     },
 *     examples: ['npm run analyze -- --region shanghai-bund-lujiazui --out out/report']
 *   });
 *   if (import.meta.main) await runCli(main);
 *
 * Exit codes: 0 for `--help`; 2 when the command line cannot be used (unknown option, missing or
 * malformed value, missing required option, `UsageError`); 1 when the request is refused (a known
 * user error: bad file, unknown region …) or a bug (the only case that prints a stack).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_SNAP_M } from '../../src/lib/engine/graph/snap.ts';
import {
	DEFAULT_CIRCLE_MINUTES,
	DEFAULT_STEP_PENALTY_S,
	DEFAULT_WALK_SPEED_MPS,
	FRAIL_WALK_SPEED_MPS
} from '../../src/lib/engine/rules/defaults.ts';

export interface CliOption {
	/** `number` is parsed from the text and checked against `integer`, `min`, `max`. */
	type: 'string' | 'boolean' | 'number';
	description: string;
	/** Shown after the option name in the help: `<dir>`, `<id|dir>` (default `<value>` / `<n>`). */
	valueName?: string;
	default?: string | boolean | number | readonly string[] | readonly number[];
	multiple?: boolean;
	short?: string;
	/** Missing → exit 2 with "--name is required"; shown in the usage line. */
	required?: boolean;
	/** Accepted values of a string option. */
	choices?: readonly string[];
	integer?: boolean;
	/** Inclusive bounds of a number option. */
	min?: number;
	max?: number;
}

export interface CliSpec {
	/** How the user runs it: `npm run analyze` (a trailing ` --` is allowed). */
	command: string;
	/** One line in Chinese and one in English, as `中文 / English`. */
	summary: string;
	/** More lines printed under the summary: what the command writes, how it behaves. */
	details?: string;
	options: Readonly<Record<string, CliOption>>;
	/** Positional arguments as shown in the usage line (`<file>`); without it none are accepted. */
	positionals?: string;
	/** Environment variables the command reads, with what they do. */
	environment?: Readonly<Record<string, string>>;
	examples: readonly string[];
}

type Scalar<O> = O extends { type: 'boolean' }
	? boolean
	: O extends { type: 'number' }
		? number
		: string;
type Value<O> = O extends { multiple: true } ? Scalar<O>[] : Scalar<O>;
/** Like parseArgs' values: an option without a default (and not required) may be undefined. */
export type CliValues<T extends CliSpec['options']> = {
	-readonly [K in keyof T]: T[K] extends { default: unknown } | { required: true }
		? Value<T[K]>
		: Value<T[K]> | undefined;
};

/** A command line that cannot be used; `runCli` prints it with the `--help` hint and exits 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

const HINT = 'run with --help for the options';
const baseCommand = (spec: CliSpec) => spec.command.replace(/\s+--$/, '');
const valueName = (option: CliOption) =>
	option.valueName ??
	(option.choices ? `<${option.choices.join('|')}>` : option.type === 'number' ? '<n>' : '<value>');
const flag = (name: string, option: CliOption) =>
	option.type === 'boolean' ? `--${name}` : `--${name} ${valueName(option)}`;

/** `usage: npm run analyze -- --region <id|dir> --out <dir> [options]` */
export function usageLine(spec: CliSpec): string {
	const required = Object.entries(spec.options)
		.filter(([, option]) => option.required)
		.map(([name, option]) => flag(name, option));
	const optional = Object.values(spec.options).some((option) => !option.required);
	const parts = [spec.positionals ?? [], required, optional ? '[options]' : []].flat();
	return `usage: ${baseCommand(spec)}${parts.length ? ` -- ${parts.join(' ')}` : ''}`;
}

/** Wrap `text` at spaces to fit `width` columns when it starts at column `indent`. */
function wrap(text: string, indent: number, width = 100): string {
	const lines: string[] = [];
	let rest = text;
	for (
		let cut;
		rest.length > width - indent && (cut = rest.lastIndexOf(' ', width - indent)) > 0;
	) {
		lines.push(rest.slice(0, cut).trimEnd());
		rest = rest.slice(cut + 1).trimStart();
	}
	lines.push(rest);
	return lines.join(`\n${' '.repeat(indent)}`);
}

/** Terminal columns of `text`: CJK and full-width characters take two. */
const columns = (text: string) =>
	[...text].reduce(
		(sum, char) => sum + (/[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(char) ? 2 : 1),
		0
	);

/** A two-column table; a name too long for the first column puts its text on the next line. */
function table(rows: [string, string][]): string {
	const column = Math.min(Math.max(...rows.map(([name]) => columns(name))), 30) + 4;
	return rows
		.map(([name, text]) =>
			columns(name) + 4 > column
				? `  ${name}\n${' '.repeat(column)}${wrap(text, column)}`
				: `  ${name}${' '.repeat(column - 2 - columns(name))}${wrap(text, column)}`
		)
		.join('\n');
}

/** The `--help` text: usage, summary (zh-CN, en), details, options, environment, examples. */
export function helpText(spec: CliSpec): string {
	const rows: [string, string][] = Object.entries(spec.options).map(([name, option]) => {
		const notes = [
			option.required ? 'required' : null,
			option.default !== undefined && option.default !== false
				? `default: ${[option.default].flat().join(', ')}`
				: null,
			option.multiple ? 'repeatable' : null
		].filter((note) => note !== null);
		const short = option.short ? `-${option.short}, ` : '';
		return [
			short + flag(name, option),
			option.description + (notes.length ? ` (${notes.join('; ')})` : '')
		];
	});
	rows.push(['-h, --help', 'show this help and exit']);
	const sections = [
		usageLine(spec),
		spec.summary
			.split(' / ')
			.map((line) => line.trim())
			.join('\n'),
		...(spec.details
			? [
					spec.details
						.trim()
						.split('\n')
						.map((line) => {
							const lead = line.length - line.trimStart().length;
							return ' '.repeat(lead) + wrap(line.trimStart(), lead);
						})
						.join('\n')
				]
			: []),
		`options:\n${table(rows)}`,
		...(spec.environment ? [`environment:\n${table(Object.entries(spec.environment))}`] : []),
		`${spec.examples.length > 1 ? 'examples' : 'example'}:\n${spec.examples.map((example) => `  ${example}`).join('\n')}`
	];
	return `${sections.join('\n\n')}\n`;
}

function numberValue(name: string, option: CliOption, text: string): number {
	const value = Number(text);
	const wanted = option.integer ? 'a whole number' : 'a number';
	const range =
		option.min !== undefined && option.max !== undefined
			? ` in ${option.min}–${option.max}`
			: option.min !== undefined
				? ` ≥ ${option.min}`
				: option.max !== undefined
					? ` ≤ ${option.max}`
					: '';
	if (
		text.trim() === '' ||
		!Number.isFinite(value) ||
		(option.integer && !Number.isInteger(value)) ||
		(option.min !== undefined && value < option.min) ||
		(option.max !== undefined && value > option.max)
	)
		throw new UsageError(`--${name} ${text}: expected ${wanted}${range}`);
	return value;
}

/** Checks the tokens parseArgs (non-strict) found, then converts and defaults the values. */
function parseTokens(spec: CliSpec, args: string[]) {
	const { tokens } = parseArgs({
		args,
		options: Object.fromEntries(
			Object.entries(spec.options).map(([name, option]) => [
				name,
				{
					type: option.type === 'boolean' ? ('boolean' as const) : ('string' as const),
					...(option.multiple ? { multiple: true } : {}),
					...(option.short ? { short: option.short } : {})
				}
			])
		),
		strict: false,
		allowPositionals: true,
		tokens: true
	});
	const values: Record<string, unknown> = {};
	const positionals: string[] = [];
	for (const token of tokens) {
		if (token.kind === 'option-terminator') continue;
		if (token.kind === 'positional') {
			if (!spec.positionals) throw new UsageError(`unexpected argument "${token.value}"`);
			positionals.push(token.value);
			continue;
		}
		const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
		if (!option) throw new UsageError(`unknown option ${token.rawName}`);
		const name = token.name;
		let value: string | number | boolean;
		if (option.type === 'boolean') {
			if (token.inlineValue) throw new UsageError(`--${name} takes no value`);
			value = true;
		} else {
			// `--out --frail` would take "--frail" as the directory: refuse unless written --out=--frail.
			const text = token.value;
			if (text === undefined || (!token.inlineValue && /^-[^\d.]/.test(text)))
				throw new UsageError(`--${name} needs a value: --${name} ${valueName(option)}`);
			if (option.choices && !option.choices.includes(text))
				throw new UsageError(`--${name} ${text}: expected one of ${option.choices.join(', ')}`);
			value = option.type === 'number' ? numberValue(name, option, text) : text;
		}
		if (option.multiple) values[name] = [...((values[name] as unknown[]) ?? []), value];
		else values[name] = value;
	}
	for (const [name, option] of Object.entries(spec.options)) {
		if (values[name] !== undefined) continue;
		if (option.required) throw new UsageError(`--${name} is required`);
		if (option.default !== undefined)
			values[name] = Array.isArray(option.default) ? [...option.default] : option.default;
	}
	return { values, positionals };
}

/**
 * Parse `process.argv` (or `args`) by `spec`. `--help`/`-h` prints the help and exits 0; an
 * unknown option, a missing or malformed value or a missing required option prints
 * `error: …`, the usage line and the `--help` hint, and exits 2.
 * @returns values typed from the spec (numbers for `type: 'number'`), positionals, the usage line
 */
export function parseCli<const S extends CliSpec>(
	spec: S,
	args: string[] = process.argv.slice(2)
): { values: CliValues<S['options']>; positionals: string[]; usage: string } {
	const beforeTerminator = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
	if (beforeTerminator.includes('--help') || beforeTerminator.includes('-h')) {
		process.stdout.write(helpText(spec));
		process.exit(0);
	}
	try {
		const { values, positionals } = parseTokens(spec, args);
		return { values: values as CliValues<S['options']>, positionals, usage: usageLine(spec) };
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`error: ${error.message}\n${usageLine(spec)}\n${HINT}\n`);
		process.exit(2);
	}
}

/**
 * Errors that describe bad input, by class name (a subclass counts): printed as one line.
 * By name so this file imports nothing; tests/scripts/cli-help.test.ts checks the real classes.
 */
export const USER_ERROR_CLASSES = new Set([
	'CliError', // scripts/cli/region-run.ts
	'ImportError', // src/lib/engine/import/report.ts
	'RegionFileError', // src/lib/server/region-store.ts
	'RegionBuildError', // scripts/region/io.ts
	'ProfileError', // src/lib/engine/rules/profiles.ts
	'EvaluationError', // src/lib/engine/evaluation/errors.ts
	'SitingError', // src/lib/engine/siting/errors.ts
	'WalkGraphError', // src/lib/engine/graph/build.ts
	'GraphFormatError', // src/lib/engine/graph/road-graph.ts
	'ReportInputError', // src/lib/engine/report/geojson.ts
	'RuleInputError', // src/lib/engine/rules/area-check.ts
	'DatabaseConfigError', // src/lib/server/db/database.ts
	'RegionBusyError', // src/lib/server/region-versions.ts
	'NothingToUndoError' // src/lib/server/region-versions.ts
]);

const FILE_ERRORS: Record<string, string> = {
	ENOENT: 'no such file or folder',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'is a folder, expected a file',
	ENOTDIR: 'a part of the path is not a folder'
};

function isUserError(error: Error): boolean {
	for (let proto = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto))
		if (USER_ERROR_CLASSES.has((proto as { constructor: { name: string } }).constructor.name))
			return true;
	return false;
}

/** The one line (or few) a user sees for an error, or null when it is a bug. */
export function userMessage(error: unknown): string | null {
	if (!(error instanceof Error)) return null;
	const { code, path } = error as { code?: unknown; path?: unknown };
	if (typeof code === 'string' && FILE_ERRORS[code] && typeof path === 'string')
		return `${path}: ${FILE_ERRORS[code]}`;
	if (error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues))
		return (error as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues
			.map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`)
			.join('\n');
	if (error instanceof UsageError || isUserError(error)) return error.message;
	return null;
}

/**
 * Run a command's `main`: a user error prints `error: <message>` and exits 1 (`UsageError`: 2,
 * with the `--help` hint); anything else prints its stack, says it is a bug, and exits 1.
 */
export async function runCli(main: () => Promise<void> | void): Promise<void> {
	try {
		await main();
	} catch (error) {
		const message = userMessage(error);
		if (message === null) {
			console.error(error instanceof Error ? (error.stack ?? String(error)) : String(error));
			console.error('this is a bug: please report it, with the command you ran and this output');
			process.exit(1);
		}
		console.error(`error: ${message}`);
		if (error instanceof UsageError) {
			console.error(HINT);
			process.exit(2);
		}
		process.exit(1);
	}
}

/**
 * The walking settings of the region commands, for `walkSettingsOf` in scripts/cli/region-run.ts:
 * the same names, types (text, checked there) and defaults as its `WALK_OPTIONS`, described.
 */
export const WALK_CLI_OPTIONS = {
	minutes: {
		type: 'string',
		default: String(DEFAULT_CIRCLE_MINUTES),
		valueName: '<min>',
		description: 'walking time that defines the circle, minutes'
	},
	'speed-mps': {
		type: 'string',
		valueName: '<m/s>',
		description: `walking speed, metres per second (default ${DEFAULT_WALK_SPEED_MPS.toFixed(1)}; ${FRAIL_WALK_SPEED_MPS.toFixed(1)} with --frail); wins over --frail`
	},
	frail: {
		type: 'boolean',
		default: false,
		description: `walk at the frail-elder speed, ${FRAIL_WALK_SPEED_MPS.toFixed(1)} m/s`
	},
	'step-penalty-s': {
		type: 'string',
		default: String(DEFAULT_STEP_PENALTY_S),
		valueName: '<s>',
		description: 'seconds added for each stretch of steps (stairs) on the way'
	},
	'max-snap-m': {
		type: 'string',
		default: String(DEFAULT_MAX_SNAP_M),
		valueName: '<m>',
		description:
			'farthest a compound gate or a facility may lie from the walking network, metres (farther: not reached)'
	}
} as const satisfies Record<string, CliOption>;
