import { error, json } from '@sveltejs/kit';
import { defaultProfilesDir, loadProfile } from '$lib/server/profile-store.ts';
import { ProfileError } from '$lib/engine/rules/profiles.ts';
import type { RequestHandler } from './$types';

/** GET /api/profiles/<id>: one validated rule profile (404 unknown, 422 invalid, with the reason). */
export const GET: RequestHandler = ({ params }) => {
	try {
		return json(loadProfile(defaultProfilesDir(), params.id));
	} catch (caught) {
		if (caught instanceof ProfileError)
			error(caught.code === 'PROFILE_NOT_FOUND' ? 404 : 422, caught.message);
		throw caught;
	}
};
