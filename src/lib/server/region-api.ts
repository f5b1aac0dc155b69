/**
 * What the region-changing routes share: the import request read from a URL and a body, and
 * the errors of imports, uploads, jobs and versions answered as `{ code, message, issues? }`
 * with their HTTP status (a refused import is 422 and carries every row's issue).
 */
import { json } from '@sveltejs/kit';
import { ImportError } from '../engine/import/report.ts';
import {
	IMPORT_LAYERS,
	IMPORT_MODES,
	type ImportLayer,
	type ImportMode,
	type ImportRequest
} from './region-import.ts';
import { RegionFileError } from './region-store.ts';
import { NothingToUndoError, RegionBusyError } from './region-versions.ts';
import { UploadError } from './uploads.ts';
import { JobError } from './region-jobs.ts';
import { ProfileError } from '../engine/rules/profiles.ts';
import { ComputePoolError, computePoolErrorHeaders } from './compute-pool.ts';

export class RegionApiError extends Error {
	readonly code: string;
	readonly status: number;
	constructor(code: string, status: number, message: string) {
		super(message);
		this.code = code;
		this.status = status;
	}
}

/**
 * An import request from `?layer=&mode=&file=&crs=&map=<json>&status=&kind=&sheet=&keepDuplicates=1`
 * (an indicator table, `layer=indicators`: also `&asOf=YYYY-MM-DD&source=` for a sheet without
 * 统计日期 / 数据来源 columns) and the file's bytes as the body.
 */
export async function importRequestOf(url: URL, request: Request): Promise<ImportRequest> {
	const q = url.searchParams;
	const layer = q.get('layer') ?? '';
	if (!(IMPORT_LAYERS as readonly string[]).includes(layer))
		throw new RegionApiError(
			'INVALID_INPUT',
			400,
			`layer "${layer}": expected one of ${IMPORT_LAYERS.join(', ')}`
		);
	const mode = q.get('mode') ?? 'replace';
	if (!(IMPORT_MODES as readonly string[]).includes(mode))
		throw new RegionApiError('INVALID_INPUT', 400, `mode "${mode}": expected replace or merge`);
	const file = q.get('file')?.trim();
	if (!file)
		throw new RegionApiError(
			'INVALID_INPUT',
			400,
			'file: give the file name (?file=小区名单.xlsx)'
		);
	let columnMap: Record<string, string> = {};
	const map = q.get('map');
	if (map) {
		try {
			columnMap = JSON.parse(map);
		} catch {
			throw new RegionApiError('INVALID_INPUT', 400, 'map: expected a JSON object field → column');
		}
	}
	const blank = (value: string | null) => (value && value.trim() !== '' ? value.trim() : undefined);
	if (!request.headers.get('content-type'))
		throw new RegionApiError(
			'INVALID_INPUT',
			400,
			'send the file as the body with a Content-Type (e.g. application/octet-stream): without one the server reads no body'
		);
	return {
		file,
		bytes: new Uint8Array(await request.arrayBuffer()),
		layer: layer as ImportLayer,
		mode: mode as ImportMode,
		crs: blank(q.get('crs')),
		columnMap,
		sheet: blank(q.get('sheet')),
		status: blank(q.get('status')),
		kind: blank(q.get('kind')),
		keepDuplicates: q.get('keepDuplicates') === '1' || q.get('keepDuplicates') === 'true',
		asOf: blank(q.get('asOf')),
		source: blank(q.get('source'))
	};
}

/** Run a handler; known errors become their JSON answers, anything else a logged 500. */
export async function answerRegionApi(
	handler: () => Promise<Response> | Response
): Promise<Response> {
	try {
		return await handler();
	} catch (error) {
		if (error instanceof ImportError)
			return json(
				{ code: error.code, message: error.message, issues: error.issues },
				{ status: 422 }
			);
		if (
			error instanceof RegionApiError ||
			error instanceof UploadError ||
			error instanceof JobError
		)
			return json({ code: error.code, message: error.message }, { status: error.status });
		if (error instanceof ComputePoolError)
			return json(
				{ code: error.code, message: error.message },
				{ status: error.status, headers: computePoolErrorHeaders(error) }
			);
		if (error instanceof RegionBusyError)
			return json({ code: error.code, message: error.message }, { status: 409 });
		if (error instanceof NothingToUndoError)
			return json({ code: error.code, message: error.message }, { status: 409 });
		if (error instanceof ProfileError)
			return json(
				{ code: error.code, message: error.message },
				{ status: error.code === 'PROFILE_NOT_FOUND' ? 404 : 500 }
			);
		if (error instanceof RegionFileError)
			return json({ code: error.code, message: error.message }, { status: 500 });
		console.error('region api:', error);
		return json(
			{
				code: 'INTERNAL_ERROR',
				message: `the server could not complete the request: ${(error as Error)?.message ?? error}`
			},
			{ status: 500 }
		);
	}
}

/** 404 unless the region exists. */
export function requireRegion(ids: string[], id: string): void {
	if (!ids.includes(id)) throw new RegionApiError('REGION_NOT_FOUND', 404, `no region "${id}"`);
}
