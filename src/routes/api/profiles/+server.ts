import { json } from '@sveltejs/kit';
import { listProfiles } from '$lib/server/profile-store.ts';
import type { RequestHandler } from './$types';

/** GET /api/profiles: every rule profile, summarised, or with the reason it cannot be used. */
export const GET: RequestHandler = () => json(listProfiles());
