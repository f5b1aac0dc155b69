import { fail } from '@sveltejs/kit';
import { AccountError, serverAccounts } from '$lib/server/auth/index.ts';
import { ROLE_NAMES } from '$lib/server/auth/permissions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user!;
	return {
		user: {
			username: user.username,
			displayName: user.displayName,
			role: ROLE_NAMES[user.role],
			organization: user.organizationName
		}
	};
};

export const actions: Actions = {
	/** A new password; every session of the user ends (log in again). */
	password: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		const user = locals.user!;
		try {
			const changed = await accounts.changePassword(
				user.id,
				String(form.get('current') ?? ''),
				String(form.get('next') ?? '')
			);
			await accounts.audit({
				action: 'user.password',
				outcome: changed ? 'ok' : 'refused',
				user,
				objectType: 'user',
				objectId: user.id,
				address: getClientAddress()
			});
			if (!changed) return fail(400, { message: '当前密码不正确 / the current password is wrong' });
		} catch (error) {
			if (error instanceof AccountError)
				return fail(400, { message: `${error.zh} / ${error.message}` });
			throw error;
		}
		return { changed: true };
	}
};
