/** What a page may know of who is asking: name, role and the permissions the UI shows panels by. */
import type { User } from './accounts.ts';
import { PERMISSIONS, ROLE_NAMES, roleMay, type Permission } from './permissions.ts';

export interface Viewer {
	username: string;
	displayName: string;
	role: string;
	roleZh: string;
	roleEn: string;
	organization: string;
	permissions: Permission[];
}

export function viewerOf(user: User | null): Viewer | null {
	if (!user) return null;
	return {
		username: user.username,
		displayName: user.displayName,
		role: user.role,
		roleZh: ROLE_NAMES[user.role].zh,
		roleEn: ROLE_NAMES[user.role].en,
		organization: user.organizationName,
		permissions: PERMISSIONS.filter((permission) => roleMay(user.role, permission))
	};
}
