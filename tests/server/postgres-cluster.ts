/**
 * A throwaway PostgreSQL cluster for the stores' PostgreSQL tests (Debian's postgresql package:
 * initdb + pg_ctl, listening on a Unix socket in a temporary folder only, no TCP port), or the
 * server CARECIRCLE_TEST_DATABASE_URL names (its `public` schema is used and emptied).
 * `postgresSkipReason` says why the tests cannot run here (null when they can).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseLocation } from '../../src/lib/server/db/database.ts';

/** The binaries of the newest installed PostgreSQL, or null. */
function postgresBin(): string | null {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : null;
}

const external = process.env.CARECIRCLE_TEST_DATABASE_URL;
const bin = postgresBin();
const isRoot = userInfo().uid === 0;
// PostgreSQL refuses to run as root: as root the cluster runs as the postgres user (runuser).
const canRunAsRoot = !isRoot || spawnSync('id', ['postgres']).status === 0;

export const postgresSkipReason: string | null = external
	? null
	: !bin
		? 'PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql'
		: !canRunAsRoot
			? 'running as root without a postgres user to run the cluster'
			: null;

function asPostgres(command: string, args: string[]) {
	const result = isRoot
		? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
		: spawnSync(command, args, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

export interface TestCluster {
	/** Whether the tests run against CARECIRCLE_TEST_DATABASE_URL instead of their own cluster. */
	readonly external: boolean;
	/** Start it (call in beforeAll). */
	start(): void;
	/** Stop it and remove its folder (call in afterAll). */
	stop(): void;
	urlFor(database: string): string;
	location(database?: string): DatabaseLocation;
	/** A fresh, empty database (or the emptied public schema of an external server). */
	freshDatabase(name: string): Promise<string>;
}

/** @param prefix the temporary folder's name prefix */
export function testCluster(prefix: string): TestCluster {
	let dir = '';
	const urlFor = (database: string) =>
		external ?? `postgresql://postgres@/${database}?host=${encodeURIComponent(dir)}`;
	return {
		external: external !== undefined,
		start() {
			if (external) return;
			dir = mkdtempSync(join(tmpdir(), prefix));
			if (isRoot) {
				const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
				const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
				chownSync(dir, uid, gid);
			}
			const data = join(dir, 'data');
			asPostgres(join(bin!, 'initdb'), [
				'-D',
				data,
				'-A',
				'trust',
				'-U',
				'postgres',
				'-E',
				'UTF8',
				'--no-sync'
			]);
			asPostgres(join(bin!, 'pg_ctl'), [
				'-D',
				data,
				'-l',
				join(dir, 'server.log'),
				'-w',
				'-o',
				`-c listen_addresses='' -k ${dir} -c fsync=off`,
				'start'
			]);
		},
		stop() {
			if (!dir) return;
			try {
				asPostgres(join(bin!, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		},
		urlFor,
		location: (database = 'postgres') => ({ dialect: 'postgres', url: urlFor(database) }),
		async freshDatabase(name: string) {
			const client = new pg.Client({ connectionString: urlFor('postgres') });
			await client.connect();
			try {
				if (external) {
					await client.query('drop schema public cascade; create schema public');
					return 'postgres';
				}
				await client.query(`drop database if exists ${name}`);
				await client.query(`create database ${name}`);
				return name;
			} finally {
				await client.end();
			}
		}
	};
}
