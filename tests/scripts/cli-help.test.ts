/**
 * Issue 12: every `npm run` command that runs `node scripts/<x>.ts` answers `--help` with its
 * options and an example, and a user's mistake is one `error: …` line, never a stack trace.
 * The commands are read from package.json, so a new CLI without a row here fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ImportError } from '../../src/lib/engine/import/report.ts';
import { EvaluationError } from '../../src/lib/engine/evaluation/errors.ts';
import { WalkGraphError } from '../../src/lib/engine/graph/build.ts';
import { GraphFormatError } from '../../src/lib/engine/graph/road-graph.ts';
import { ReportInputError } from '../../src/lib/engine/report/geojson.ts';
import { RuleInputError } from '../../src/lib/engine/rules/area-check.ts';
import { ProfileError } from '../../src/lib/engine/rules/profiles.ts';
import { SitingError } from '../../src/lib/engine/siting/errors.ts';
import { DatabaseConfigError } from '../../src/lib/server/db/database.ts';
import { RegionFileError } from '../../src/lib/server/region-store.ts';
import { NothingToUndoError, RegionBusyError } from '../../src/lib/server/region-versions.ts';
import {
	helpText,
	UsageError,
	USER_ERROR_CLASSES,
	userMessage,
	WALK_CLI_OPTIONS
} from '../../scripts/cli/args.ts';
import { CliError, WALK_OPTIONS } from '../../scripts/cli/region-run.ts';
import { RegionBuildError } from '../../scripts/region/io.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'carecircle-cli-help-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `npm run <name>` → scripts/<file>.ts, for every script that is `node scripts/<file>.ts`. */
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
	scripts: Record<string, string>;
};
const COMMANDS = Object.entries(pkg.scripts).flatMap(([name, command]) => {
	const match = /^node scripts\/([\w-]+)\.ts$/.exec(command);
	return match ? [{ name, file: match[1] }] : [];
});

const WALK = ['minutes', 'speed-mps', 'frail', 'step-penalty-s', 'max-snap-m'];
/** Every option each command accepts (its help must list exactly these, plus --help). */
const OPTIONS: Record<string, string[]> = {
	start: [],
	import: [
		'region',
		'layer',
		'mode',
		'crs',
		'map',
		'sheet',
		'status',
		'kind',
		'as-of',
		'source',
		'keep-duplicates',
		'dry-run',
		'json',
		'undo',
		'regions-dir'
	],
	'build-region': ['region', 'shared', 'out', 'osm', 'verbose'],
	'region-create': [
		'id',
		'name',
		'name-en',
		'osm',
		'boundary',
		'osm-name',
		'boundary-name',
		'crs',
		'admin',
		'bbox',
		'profile',
		'halo-m',
		'replace',
		'progress-json',
		'regions-dir',
		'shared'
	],
	'user-add': ['username', 'role', 'organization', 'display-name', 'password-env'],
	bench: ['out', 'only'],
	coverage: ['region', 'out', ...WALK],
	analyze: ['region', 'out', 'profile', 'date', 'plan', 'no-pdf', ...WALK],
	'bench-ui': ['out', 'loads'],
	site: [
		'region',
		'out',
		'k',
		'target',
		'profile',
		'capacity',
		'households-per-station',
		'candidates',
		'spacing-m',
		'kind',
		'floor-area-m2',
		'greedy',
		'time-limit-s',
		...WALK
	],
	evaluate: [
		'region',
		'project',
		'out',
		'status',
		'households',
		'floor-area-m2',
		'dwelling-m2',
		'elders',
		'facility',
		'gates',
		'crs',
		'name',
		'profile',
		'date',
		'no-pdf',
		...WALK
	]
};

const DEMO = 'shanghai-bund-lujiazui';
const PROJECT = 'tests/scripts/fixtures/evaluate/ruyi-project.geojson';
const out = (name: string) => join(scratch, name);
/** Bad invocations per command: what to pass, and what stderr must name. */
const BAD: Record<string, [string, string[], RegExp][]> = {
	start: [['an unknown option', ['--port', '4000'], /unknown option --port/]],
	import: [['an unknown option', ['--foo'], /unknown option --foo/]],
	'region-create': [['an unknown option', ['--foo'], /unknown option --foo/]],
	'user-add': [
		['an unknown role', ['--username', 'li', '--role', 'boss', '--organization', 'x'], /--role/],
		[
			'no password in the environment',
			[
				'--username',
				'li',
				'--role',
				'viewer',
				'--organization',
				'x',
				'--password-env',
				'NO_SUCH_VAR'
			],
			/set the password in the environment variable NO_SUCH_VAR/
		]
	],
	'build-region': [
		['an unknown option', ['--foo'], /unknown option --foo/],
		['an unknown region id', ['--region', 'atlantis'], /--region atlantis: unknown region/],
		[
			'a missing OSM extract',
			['--region', 'qingdao-laoshan', '--osm', '/no/such/extract.osm', '--out', out('regions')],
			/\/no\/such\/extract\.osm: no such file/
		],
		['a missing value', ['--shared'], /--shared needs a value/]
	],
	bench: [
		['an unknown option', ['--foo'], /unknown option --foo/],
		['an unknown part', ['--only', 'tokyo'], /--only tokyo: expected one of monaco/],
		['a missing value', ['--out'], /--out needs a value/]
	],
	coverage: [
		['an unknown option', ['--foo', '--region', DEMO, '--out', out('c')], /unknown option --foo/],
		[
			'a bad number',
			['--region', DEMO, '--minutes', 'abc', '--out', out('c')],
			/--minutes abc: expected a non-negative number/
		],
		['an unknown region id', ['--region', 'nope', '--out', out('c')], /region "nope"/],
		['a missing required option', ['--region', DEMO], /--out is required/]
	],
	analyze: [
		['an unknown option', ['--foo'], /unknown option --foo/],
		[
			'a bad number',
			['--region', DEMO, '--max-snap-m', '-5', '--out', out('a')],
			/--max-snap-m -5: expected a non-negative number/
		],
		['an unknown region id', ['--region', 'nope', '--out', out('a')], /region "nope"/],
		[
			'a missing profile file',
			['--region', DEMO, '--profile', 'nowhere', '--out', out('a')],
			/data\/profiles\/nowhere\.json/
		],
		[
			'a bad date',
			['--region', DEMO, '--date', '1.1.2024', '--out', out('a')],
			/--date 1\.1\.2024/
		],
		[
			'a value on a flag',
			['--region', DEMO, '--frail=yes', '--out', out('a')],
			/--frail takes no value/
		],
		[
			'a missing plan file',
			['--region', DEMO, '--plan', '/no/such/plan.json', '--no-pdf', '--out', out('a')],
			/--plan \/no\/such\/plan\.json: no such file/
		],
		['a value on --no-pdf', ['--region', DEMO, '--no-pdf=1', '--out', out('a')], /--no-pdf/]
	],
	'bench-ui': [
		['an unknown option', ['--foo'], /unknown option --foo/],
		['a bad number', ['--loads', 'abc'], /--loads abc: expected a whole number ≥ 1/]
	],
	site: [
		[
			'a bad number',
			['--region', DEMO, '--k', 'abc', '--out', out('s')],
			/--k abc: expected a whole number/
		],
		['a fractional k', ['--region', DEMO, '--k', '1.5', '--out', out('s')], /--k 1\.5/],
		[
			'a share above 1',
			['--region', DEMO, '--target', '90', '--out', out('s')],
			/--target 90: expected a number in 0–1/
		],
		['an unknown region id', ['--region', 'nope', '--k', '3', '--out', out('s')], /region "nope"/],
		[
			'a missing candidate file',
			[
				'--region',
				DEMO,
				'--k',
				'3',
				'--candidates',
				'/no/such/list.csv',
				'--greedy',
				'--out',
				out('s')
			],
			/\/no\/such\/list\.csv: no such file/
		],
		[
			'an unknown kind',
			['--region', DEMO, '--k', '3', '--kind', 'hospital', '--out', out('s')],
			/--kind hospital/
		]
	],
	evaluate: [
		['an unknown option', ['--bar'], /unknown option --bar/],
		[
			'a bad number',
			[
				'--region',
				DEMO,
				'--project',
				PROJECT,
				'--status',
				'new',
				'--households',
				'many',
				'--out',
				out('e')
			],
			/--households many: expected a number/
		],
		[
			'an unknown region id',
			[
				'--region',
				'nope',
				'--project',
				PROJECT,
				'--status',
				'new',
				'--households',
				'600',
				'--out',
				out('e')
			],
			/region "nope"/
		],
		[
			'a missing project file',
			[
				'--region',
				DEMO,
				'--project',
				'/no/such/project.geojson',
				'--status',
				'new',
				'--households',
				'600',
				'--out',
				out('e')
			],
			/\/no\/such\/project\.geojson/
		]
	]
};

interface Run {
	status: number | null;
	stdout: string;
	stderr: string;
}
/** Run a script (async, so the rows run side by side); a hung command fails after 60 s. */
function run(file: string, args: string[]): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [join(repoRoot, 'scripts', `${file}.ts`), ...args], {
			cwd: repoRoot,
			env: { ...process.env, PORT: '0' }
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`scripts/${file}.ts ${args.join(' ')} still running after 60 s`));
		}, 60_000);
		child.on('close', (status) => {
			clearTimeout(timer);
			resolve({ status, stdout, stderr });
		});
	});
}

const STACK_FRAME = /^ {4}at /m;

it('finds the CLIs in package.json', () => {
	expect(COMMANDS.map((command) => command.file)).toEqual(
		expect.arrayContaining([
			'analyze',
			'coverage',
			'site',
			'evaluate',
			'build-region',
			'bench',
			'start'
		])
	);
});

describe.concurrent('--help', () => {
	for (const { name, file } of COMMANDS)
		it(`npm run ${name} -- --help`, async () => {
			expect(OPTIONS[file], `list the options of scripts/${file}.ts in OPTIONS`).toBeDefined();
			const result = await run(file, ['--help']);
			expect(result.status, result.stderr).toBe(0);
			expect(result.stderr).toBe('');
			expect(result.stdout).toMatch(/^usage: npm (run \S+|start)/);
			const listed = [...result.stdout.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
			expect(listed.sort()).toEqual([...OPTIONS[file], 'help'].sort());
			const command = name === 'start' ? 'npm start' : `npm run ${name}`;
			expect(result.stdout).toMatch(/^examples?:$/m);
			expect(result.stdout.split(/^examples?:$/m)[1]).toContain(`  ${command}`);
			// A Chinese line and an English one.
			expect(result.stdout).toMatch(/\p{Script=Han}/u);
		});
});

describe.concurrent('bad invocations: exit non-zero, one error line, no stack', () => {
	it('has a row for every CLI', () => {
		for (const { file } of COMMANDS) expect(BAD[file], file).toBeDefined();
	});
	// Only the CLIs package.json names (a row may land before its script does).
	for (const { file } of COMMANDS)
		for (const [label, args, message] of BAD[file] ?? [])
			it(`${file}: ${label}`, async () => {
				const result = await run(file, args);
				expect(result.status, result.stdout + result.stderr).not.toBe(0);
				expect(result.stderr).toMatch(/^error: /);
				expect(result.stderr).toMatch(message);
				expect(result.stderr).not.toMatch(STACK_FRAME);
				expect(result.stderr).not.toContain('this is a bug');
			});
	it('exits 2 for a command line it cannot parse, with the --help hint', async () => {
		const result = await run('analyze', ['--region', DEMO, '--out']);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(
			'error: --out needs a value: --out <dir>\nusage: npm run analyze -- --region <id|dir> --out <dir> [options]\nrun with --help for the options\n'
		);
	});
});

describe('scripts/cli/args.ts', () => {
	it('knows the repo’s user errors by class (a rename would break the name list)', () => {
		const errors = [
			new CliError('bad'),
			new ImportError('UNREADABLE_FILE', 'f.csv', 'bad'),
			new RegionFileError('bad'),
			new RegionBuildError('f.csv', 'bad'),
			new ProfileError('PROFILE_NOT_FOUND', 'p.json', ['bad']),
			new EvaluationError('NO_HOUSEHOLDS', 'households', 'bad'),
			new SitingError('INVALID_K', 'bad'),
			new WalkGraphError('NO_WALKABLE_WAYS', 'n.geojson', 'bad'),
			new GraphFormatError('bad'),
			new ReportInputError('bad'),
			new RuleInputError('bad'),
			new DatabaseConfigError('bad'),
			new RegionBusyError('bad'),
			new NothingToUndoError('bad'),
			new UsageError('bad')
		];
		for (const error of errors) expect(userMessage(error), error.constructor.name).toMatch(/bad/);
		expect(USER_ERROR_CLASSES.size).toBe(errors.length - 1);
	});

	it('names the path of a file error, and the fields of a ZodError', () => {
		let missing: unknown;
		try {
			readFileSync('/no/such/file.csv');
		} catch (error) {
			missing = error;
		}
		expect(userMessage(missing)).toBe('/no/such/file.csv: no such file or folder');
		const zod = z.object({ households: z.number() }).safeParse({ households: 'x' }).error;
		expect(userMessage(zod)).toMatch(/^households: /);
	});

	it('treats anything else as a bug', () => {
		expect(userMessage(new TypeError('x is undefined'))).toBeNull();
		expect(userMessage(new Error('plain'))).toBeNull();
		expect(userMessage('a string')).toBeNull();
	});

	it('prints the stack of a bug and says so', async () => {
		const child = await new Promise<Run>((resolve) => {
			const p = spawn(
				process.execPath,
				[
					'--input-type=module',
					'-e',
					"import { runCli } from './scripts/cli/args.ts'; await runCli(() => { throw new TypeError('boom'); });"
				],
				{ cwd: repoRoot }
			);
			let stderr = '';
			p.stderr.on('data', (chunk) => (stderr += chunk));
			p.on('close', (status) => resolve({ status, stdout: '', stderr }));
		});
		expect(child.status).toBe(1);
		expect(child.stderr).toMatch(STACK_FRAME);
		expect(child.stderr).toContain('this is a bug: please report it');
	});

	it('describes the walking options with region-run’s names, types and defaults', () => {
		expect(
			Object.fromEntries(
				Object.entries(WALK_CLI_OPTIONS).map(([name, o]) => [
					name,
					{ type: o.type, default: 'default' in o ? o.default : undefined }
				])
			)
		).toEqual(
			Object.fromEntries(
				Object.entries(WALK_OPTIONS).map(([name, o]) => [
					name,
					{ type: o.type, default: 'default' in o ? o.default : undefined }
				])
			)
		);
	});

	it('writes usage, both summary lines, defaults and examples', () => {
		const text = helpText({
			command: 'npm run demo --',
			summary: '演示 / A demo',
			options: {
				out: { type: 'string', required: true, valueName: '<dir>', description: 'where' },
				k: { type: 'number', default: 3, description: 'how many' },
				tag: { type: 'string', multiple: true, description: 'a tag' }
			},
			positionals: '<file>',
			examples: ['npm run demo -- a.csv --out x']
		});
		expect(text).toBe(
			[
				'usage: npm run demo -- <file> --out <dir> [options]',
				'',
				'演示',
				'A demo',
				'',
				'options:',
				'  --out <dir>    where (required)',
				'  --k <n>        how many (default: 3)',
				'  --tag <value>  a tag (repeatable)',
				'  -h, --help     show this help and exit',
				'',
				'example:',
				'  npm run demo -- a.csv --out x',
				''
			].join('\n')
		);
	});
});
