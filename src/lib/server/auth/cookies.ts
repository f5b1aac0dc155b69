import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './accounts.ts';

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, ending with the session. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires
	});
}
