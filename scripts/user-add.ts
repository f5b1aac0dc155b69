/**
 * `npm run user:add`: an account on the server's database (SQLite file or DATABASE_URL), for
 * the first administrator without the setup link, or any user from a script. The password is
 * read from --password-env (the name of an environment variable), never from the command line
 * where `ps` would show it.
 */
import { closeServerDatabase } from '../src/lib/server/db/database.ts';
import { AccountError, serverAccounts } from '../src/lib/server/auth/index.ts';
import { ROLES, type Role } from '../src/lib/server/auth/permissions.ts';
import { parseCli, runCli, UsageError } from './cli/args.ts';

export const USER_ADD_CLI = {
	command: 'npm run user:add',
	summary:
		'新建账户（首个管理员或任意角色） / Add an account (the first administrator, or any role)',
	details:
		'Writes to the database the app uses (CARECIRCLE_DB or DATABASE_URL, as npm start). Roles: viewer 查看, analyst 分析, civil_affairs 民政, planning 规划, admin 管理员.',
	options: {
		username: {
			type: 'string',
			required: true,
			description: 'user name (2–40 letters, digits, _ . -)'
		},
		role: { type: 'string', required: true, choices: ROLES, description: 'role' },
		organization: {
			type: 'string',
			required: true,
			description: 'organisation (单位), created when new'
		},
		'display-name': {
			type: 'string',
			description: 'name shown in the app (default: the user name)'
		},
		'password-env': {
			type: 'string',
			default: 'CARECIRCLE_PASSWORD',
			description: 'environment variable holding the password (12+ characters)'
		}
	},
	environment: {
		CARECIRCLE_PASSWORD: 'the new password (or the variable named by --password-env)',
		CARECIRCLE_DB: 'SQLite file (default: data/carecircle.sqlite)',
		DATABASE_URL: 'PostgreSQL URL; wins over CARECIRCLE_DB'
	},
	examples: [
		'npm run user:add -- --username admin --role admin --organization 民政局   (password in CARECIRCLE_PASSWORD)',
		'npm run user:add -- --username li --role planning --organization 规划局 --password-env LI_PASSWORD'
	]
} as const;

async function main(): Promise<void> {
	const { values } = parseCli(USER_ADD_CLI);
	const password = process.env[values['password-env']];
	if (!password)
		throw new UsageError(`set the password in the environment variable ${values['password-env']}`);
	try {
		const accounts = await serverAccounts();
		const user = await accounts.createUser({
			username: values.username,
			displayName: values['display-name'],
			password,
			role: values.role as Role,
			organization: values.organization
		});
		await accounts.audit({
			action: 'user.create',
			outcome: 'ok',
			user: null,
			username: 'cli',
			objectType: 'user',
			objectId: user.id,
			details: { username: user.username, role: user.role, via: 'npm run user:add' }
		});
		console.log(`created ${user.username} (${user.role}, ${user.organizationName})`);
	} catch (error) {
		if (error instanceof AccountError) throw new UsageError(`${error.zh} / ${error.message}`);
		throw error;
	} finally {
		await closeServerDatabase();
	}
}

if (import.meta.main) await runCli(main);
