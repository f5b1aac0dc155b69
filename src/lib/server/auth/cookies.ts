import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './accounts.ts';

/**
 * Whether the browser reached the app over https. adapter-node without ORIGIN takes every
 * request for https (its default), which would mark the cookie Secure on a plain-http intranet
 * address and the browser would drop it; so only ORIGIN (https://…) or a proxy's PROTOCOL_HEADER
 * says https here.
 */
export function servedOverHttps(
	url: URL,
	env: Record<string, string | undefined> = process.env
): boolean {
	if (env.ORIGIN) return env.ORIGIN.startsWith('https://');
	return Boolean(env.PROTOCOL_HEADER) && url.protocol === 'https:';
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, ending with the session. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: servedOverHttps(url),
		expires
	});
}
