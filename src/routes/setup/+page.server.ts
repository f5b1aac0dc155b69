import { fail, redirect } from '@sveltejs/kit';
import { AccountError, serverAccounts } from '$lib/server/auth/index.ts';
import { setupTokenMatches } from '$lib/server/auth/setup.ts';
import { setSessionCookie } from '$lib/server/auth/cookies.ts';
import type { Actions, PageServerLoad } from './$types';

/** The first administrator, once: only with the start's token and while no account exists. */
export const load: PageServerLoad = async ({ url }) => {
	const accounts = await serverAccounts();
	return {
		open: (await accounts.userCount()) === 0 && setupTokenMatches(url.searchParams.get('token')),
		token: url.searchParams.get('token') ?? ''
	};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const accounts = await serverAccounts();
		if ((await accounts.userCount()) > 0 || !setupTokenMatches(String(form.get('token') ?? '')))
			return fail(403, {
				message: '此链接已失效（已有账户或令牌不符） / this link no longer works'
			});
		try {
			const user = await accounts.createUser({
				username: String(form.get('username') ?? ''),
				displayName: String(form.get('displayName') ?? ''),
				password: String(form.get('password') ?? ''),
				role: 'admin',
				organization: String(form.get('organization') ?? '') || '管理单位'
			});
			await accounts.audit({
				action: 'user.create',
				outcome: 'ok',
				user,
				objectType: 'user',
				objectId: user.id,
				address: getClientAddress(),
				details: { role: 'admin', via: 'setup link' }
			});
			const session = await accounts.startSession(user.id);
			setSessionCookie(cookies, url, session.token, session.expiresAt);
		} catch (error) {
			if (error instanceof AccountError)
				return fail(400, { message: `${error.zh} / ${error.message}` });
			throw error;
		}
		redirect(303, '/admin/users');
	}
};
