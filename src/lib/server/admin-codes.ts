/**
 * The Qingdao districts and streets a new region can be outlined by (`--admin`), from the
 * bundled GB/T 2260 tables in ../shared/data/admin_codes; empty where those are not present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';

export interface AdminChoice {
	code: string;
	name: string;
	/** District name for a street. */
	parent: string | null;
}

export function sharedDataDir(): string {
	return resolve(process.env.CARECIRCLE_SHARED_DIR ?? join(process.cwd(), '..', 'shared', 'data'));
}

function rows(path: string): Record<string, string>[] {
	if (!existsSync(path)) return [];
	return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), {
		header: true,
		skipEmptyLines: true
	}).data;
}

/** Districts (6 digits) then their streets (9 digits), in code order. */
export function qingdaoAdminChoices(dir = sharedDataDir()): AdminChoice[] {
	const districts = rows(join(dir, 'census', 'qingdao_census2020_districts.csv'))
		.filter((row) => /^3702\d\d$/.test(row.region_code) && row.region_code !== '370200')
		.map((row) => ({ code: row.region_code, name: row.region_name, parent: null }));
	const names = new Map(districts.map((d) => [d.code, d.name]));
	const streets = rows(join(dir, 'admin_codes', 'qingdao_streets_gb2260.csv'))
		.filter((row) => names.has(row.areaCode))
		.map((row) => ({ code: row.code, name: row.name, parent: names.get(row.areaCode) ?? null }));
	return [...districts, ...streets].sort((a, b) => (a.code < b.code ? -1 : 1));
}
