/** The audit trail's filter from a query string, and its CSV (UTF-8 with BOM, Chinese headers). */
import Papa from 'papaparse';
import type { AuditFilter, AuditRow } from './accounts.ts';

export function auditFilterOf(url: URL): AuditFilter {
	const text = (name: string) => url.searchParams.get(name)?.trim() || undefined;
	const day = (name: string, end: boolean) => {
		const value = text(name);
		if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
		return end ? `${value}T23:59:59.999Z` : `${value}T00:00:00.000Z`;
	};
	return {
		action: text('action'),
		username: text('username'),
		outcome: text('outcome'),
		from: day('from', false),
		to: day('to', true)
	};
}

export function auditCsv(rows: readonly AuditRow[]): string {
	const fields = [
		'时间 at',
		'用户 username',
		'角色 role',
		'操作 action',
		'对象类型 object_type',
		'对象 object_id',
		'版本 object_version',
		'结果 outcome',
		'地址 address',
		'详情 details'
	];
	const data = rows.map((row) => [
		row.at,
		row.username ?? '',
		row.role ?? '',
		row.action,
		row.object_type ?? '',
		row.object_id ?? '',
		row.object_version ?? '',
		row.outcome,
		row.address ?? '',
		row.details
	]);
	// Cells that a spreadsheet would run as a formula are quoted as text.
	return `\uFEFF${Papa.unparse({ fields, data }, { escapeFormulae: true })}\r\n`;
}
