/**
 * The largest request body each route accepts, deny-by-default: the server itself runs without
 * adapter-node's global limit (BODY_SIZE_LIMIT=Infinity, set by scripts/start.ts) so that an OSM
 * extract can be streamed to disk, and this table gives every other route a small allowance.
 * A body over its route's limit is answered 413 with a JSON reason before any handler reads it.
 */

/** Anything not named below: JSON saves of scenarios and evaluations, forms. */
export const DEFAULT_BODY_BYTES = 2 * 2 ** 20;
/** A list or boundary file to import (XLSX, CSV, GeoJSON, zipped SHP). */
export const IMPORT_BODY_BYTES = 100 * 2 ** 20;
/** An OSM extract or a boundary for a new region, streamed to disk (uploads.ts MAX_UPLOAD_BYTES). */
export const UPLOAD_BODY_BYTES = 4 * 2 ** 30;

/**
 * Each kind's limit, in MiB, may be set for a deployment: CARECIRCLE_LIMIT_UPLOAD_MB,
 * CARECIRCLE_LIMIT_IMPORT_MB, CARECIRCLE_LIMIT_DEFAULT_MB (a positive number; else the default).
 */
function configured(
	name: string,
	fallback: number,
	env: Record<string, string | undefined>
): number {
	const value = Number(env[name]);
	return Number.isFinite(value) && value > 0 ? Math.round(value * 2 ** 20) : fallback;
}

/** Path pattern → kind; the first match wins; anything else is the default kind. */
const KINDS: [RegExp, 'upload' | 'import'][] = [
	[/^\/api\/uploads\/?$/, 'upload'],
	[/^\/api\/regions\/[^/]+\/imports(\/preview)?\/?$/, 'import'],
	[/^\/api\/evaluations\/?$/, 'import'] // a project boundary file may ride along
];

export function bodyLimitFor(
	pathname: string,
	env: Record<string, string | undefined> = process.env
): number {
	const kind = KINDS.find(([pattern]) => pattern.test(pathname))?.[1];
	if (kind === 'upload') return configured('CARECIRCLE_LIMIT_UPLOAD_MB', UPLOAD_BODY_BYTES, env);
	if (kind === 'import') return configured('CARECIRCLE_LIMIT_IMPORT_MB', IMPORT_BODY_BYTES, env);
	return configured('CARECIRCLE_LIMIT_DEFAULT_MB', DEFAULT_BODY_BYTES, env);
}

/**
 * Whether a request's declared body fits its route: null when it does, else the answer to send.
 * A body without Content-Length (chunked) is only accepted where the route counts what it reads
 * (the upload route); elsewhere it is refused with 411.
 */
export function checkBodySize(request: Request, pathname: string): Response | null {
	if (request.method === 'GET' || request.method === 'HEAD') return null;
	const limit = bodyLimitFor(pathname);
	const declared = request.headers.get('content-length');
	if (declared === null) {
		if (!request.body || /^\/api\/uploads\/?$/.test(pathname)) return null;
		return Response.json(
			{ code: 'LENGTH_REQUIRED', message: 'send the body with a Content-Length' },
			{ status: 411 }
		);
	}
	const bytes = Number(declared);
	if (Number.isFinite(bytes) && bytes <= limit) return null;
	return Response.json(
		{
			code: 'BODY_TOO_LARGE',
			message: `请求体过大 / the request body (${bytes.toLocaleString('en-US')} bytes) is over this route's limit of ${limit.toLocaleString('en-US')} bytes`
		},
		{ status: 413 }
	);
}
