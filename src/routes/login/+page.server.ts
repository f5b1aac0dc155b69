import { fail, redirect } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookies.ts';
import { loginLimiter, serverAccounts, SESSION_COOKIE } from '$lib/server/auth/index.ts';
import { lockedMessage } from '$lib/server/auth/rate-limit.ts';
import type { Actions, PageServerLoad } from './$types';

/** Only a path of this app: never an absolute URL (no open redirect). */
function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const accounts = await serverAccounts();
	return {
		user: locals.user ? { username: locals.user.username, role: locals.user.role } : null,
		next: safeNext(url.searchParams.get('next')),
		noAccounts: (await accounts.userCount()) === 0
	};
};

export const actions: Actions = {
	login: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const next = safeNext(String(form.get('next') ?? '/'));
		const address = getClientAddress();
		const accounts = await serverAccounts();
		const wait = loginLimiter.waitMinutes(username, address);
		if (wait > 0) {
			await accounts.audit({ action: 'login_locked', outcome: 'refused', username, address });
			const message = lockedMessage(wait);
			return fail(429, { username, message: `${message.zh} / ${message.en}` });
		}
		const user = await accounts.authenticate(username, password);
		if (!user) {
			loginLimiter.fail(username, address);
			await accounts.audit({ action: 'login_failed', outcome: 'refused', username, address });
			return fail(400, {
				username,
				message: '用户名或密码不正确 / wrong user name or password'
			});
		}
		loginLimiter.succeed(username);
		// A new session every login; whatever cookie came in is ended (no session fixation).
		await accounts.endSession(cookies.get(SESSION_COOKIE));
		const session = await accounts.startSession(user.id);
		setSessionCookie(cookies, url, session.token, session.expiresAt);
		await accounts.audit({ action: 'login', outcome: 'ok', user, address });
		redirect(303, next);
	},
	logout: async ({ cookies, locals, getClientAddress }) => {
		const accounts = await serverAccounts();
		await accounts.endSession(cookies.get(SESSION_COOKIE));
		cookies.delete(SESSION_COOKIE, { path: '/' });
		if (locals.user)
			await accounts.audit({
				action: 'logout',
				outcome: 'ok',
				user: locals.user,
				address: getClientAddress()
			});
		redirect(303, '/login');
	}
};
