import { viewerOf } from '$lib/server/auth/viewer.ts';
import type { LayoutServerLoad } from './$types';

/** Who is asking, on every page: the account bar and the panels a role may use (issue 14). */
export const load: LayoutServerLoad = ({ locals }) => ({ viewer: viewerOf(locals.user) });
