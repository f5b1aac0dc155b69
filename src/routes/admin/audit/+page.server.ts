import { serverAccounts } from '$lib/server/auth/index.ts';
import { auditFilterOf } from '$lib/server/auth/audit-csv.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const filter = auditFilterOf(url);
	const rows = await (await serverAccounts()).auditRows({ ...filter, limit: 500 });
	return { filter, rows, csv: `/api/audit.csv${url.search}` };
};
