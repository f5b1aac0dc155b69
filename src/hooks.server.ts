import type { Handle } from '@sveltejs/kit';
import { checkBodySize } from '$lib/server/body-limits.ts';

/** Every request: the body-size limit of its route (body-limits.ts) before any handler reads it. */
export const handle: Handle = async ({ event, resolve }) => {
	const tooLarge = checkBodySize(event.request, event.url.pathname);
	if (tooLarge) return tooLarge;
	return resolve(event);
};
