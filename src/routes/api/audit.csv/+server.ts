import { serverAccounts } from '$lib/server/auth/index.ts';
import { auditCsv, auditFilterOf } from '$lib/server/auth/audit-csv.ts';
import type { RequestHandler } from './$types';

/** GET /api/audit.csv[?action=&username=&outcome=&from=&to=]: the audit trail as CSV (UTF-8 BOM). */
export const GET: RequestHandler = async ({ url }) => {
	const rows = await (await serverAccounts()).auditRows({ ...auditFilterOf(url), limit: 10_000 });
	return new Response(auditCsv(rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="carecircle-audit-${new Date().toISOString().slice(0, 10)}.csv"`
		}
	});
};
