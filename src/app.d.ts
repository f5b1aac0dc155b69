// See https://svelte.dev/docs/kit/types#app.d.ts
import type { User } from '$lib/server/auth/accounts.ts';

declare global {
	namespace App {
		interface Error {
			code?: string;
		}
		interface Locals {
			/** Who is asking: the session's user, null for an anonymous visitor (hooks.server.ts). */
			user: User | null;
		}
	}
}

export {};
