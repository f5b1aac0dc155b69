import { fail } from '@sveltejs/kit';
import { AccountError, serverAccounts } from '$lib/server/auth/index.ts';
import { ROLE_NAMES, ROLES, type Role } from '$lib/server/auth/permissions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const accounts = await serverAccounts();
	return {
		users: (await accounts.listUsers()).map((user) => ({
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			organization: user.organizationName,
			disabled: user.disabled
		})),
		roles: ROLES.map((role) => ({ id: role, ...ROLE_NAMES[role] })),
		anonymousViewing: await accounts.anonymousViewing()
	};
};

const roleOf = (value: FormDataEntryValue | null): Role => String(value ?? '') as Role;

export const actions: Actions = {
	create: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		try {
			const created = await accounts.createUser({
				username: String(form.get('username') ?? ''),
				displayName: String(form.get('displayName') ?? ''),
				password: String(form.get('password') ?? ''),
				role: roleOf(form.get('role')),
				organization: String(form.get('organization') ?? '')
			});
			await accounts.audit({
				action: 'user.create',
				outcome: 'ok',
				user: locals.user,
				objectType: 'user',
				objectId: created.id,
				address: getClientAddress(),
				details: {
					username: created.username,
					role: created.role,
					organization: created.organizationName
				}
			});
		} catch (error) {
			if (error instanceof AccountError)
				return fail(400, { message: `${error.zh} / ${error.message}` });
			throw error;
		}
		return { done: true };
	},
	role: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		const id = String(form.get('id') ?? '');
		const role = roleOf(form.get('role'));
		const before = await accounts.userById(id);
		if (!before) return fail(404, { message: '没有这个用户 / no such user' });
		if (before.id === locals.user!.id && role !== 'admin')
			return fail(400, { message: '不能取消自己的管理员角色 / you cannot demote yourself' });
		try {
			await accounts.setRole(id, role);
		} catch (error) {
			if (error instanceof AccountError)
				return fail(400, { message: `${error.zh} / ${error.message}` });
			throw error;
		}
		await accounts.audit({
			action: 'user.role',
			outcome: 'ok',
			user: locals.user,
			objectType: 'user',
			objectId: id,
			address: getClientAddress(),
			details: { username: before.username, from: before.role, to: role }
		});
		return { done: true };
	},
	disable: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		const id = String(form.get('id') ?? '');
		const disabled = form.get('disabled') === 'on';
		if (id === locals.user!.id)
			return fail(400, { message: '不能停用自己 / you cannot disable yourself' });
		await accounts.setDisabled(id, disabled);
		await accounts.audit({
			action: disabled ? 'user.disable' : 'user.enable',
			outcome: 'ok',
			user: locals.user,
			objectType: 'user',
			objectId: id,
			address: getClientAddress()
		});
		return { done: true };
	},
	/** A new password for a user who forgot theirs (there is no mail on the intranet). */
	reset: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		const id = String(form.get('id') ?? '');
		try {
			await accounts.resetPassword(id, String(form.get('password') ?? ''));
		} catch (error) {
			if (error instanceof AccountError)
				return fail(400, { message: `${error.zh} / ${error.message}` });
			throw error;
		}
		await accounts.audit({
			action: 'user.password_reset',
			outcome: 'ok',
			user: locals.user,
			objectType: 'user',
			objectId: id,
			address: getClientAddress()
		});
		return { done: true };
	},
	anonymous: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		const on = form.get('on') === 'on';
		await accounts.setAnonymousViewing(on);
		await accounts.audit({
			action: 'settings.anonymous_view',
			outcome: 'ok',
			user: locals.user,
			address: getClientAddress(),
			details: { on }
		});
		return { done: true };
	}
};
