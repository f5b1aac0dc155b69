/**
 * The one-time link that creates the first administrator on an empty database: `npm start`
 * makes a random token per start and passes it as CARECIRCLE_SETUP_TOKEN; the link works only
 * while no account exists.
 */
import { timingSafeEqual } from 'node:crypto';

export function setupToken(): string | null {
	const token = process.env.CARECIRCLE_SETUP_TOKEN?.trim();
	return token && token.length >= 16 ? token : null;
}

export function setupLink(): string | null {
	const token = setupToken();
	if (!token) return null;
	const base = process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? '3000'}`;
	return `${base.replace(/\/$/, '')}/setup?token=${encodeURIComponent(token)}`;
}

export function setupTokenMatches(given: string | null | undefined): boolean {
	const token = setupToken();
	if (!token || !given) return false;
	const a = Buffer.from(token);
	const b = Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}
