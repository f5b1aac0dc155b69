import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json } from '@sveltejs/kit';
import { defaultRegionsDir, listRegionIds } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/regions/<id>/tiles.pmtiles: the region's map tiles (PMTiles v3, built by
 * `npm run region:build`), served with HTTP range requests as PMTiles readers expect.
 *
 * - `Range: bytes=a-b`, `bytes=a-`, `bytes=-n` → 206 with Content-Range; an end past the file is
 *   cut to the file (readers ask for the first 16 KiB of any archive). One range only: a
 *   multi-range request gets the whole file (200), as HTTP allows.
 * - A bytes range that cannot be satisfied or does not parse → 416, its Content-Range giving the
 *   file size (`bytes *` then `/size`).
 * - Strong ETag (SHA-256 of the file); If-None-Match → 304; If-Range with another ETag → 200 whole.
 * - Cache-Control: 5 minutes, then revalidate: a rebuild changes the ETag, which PMTiles readers
 *   detect and reload.
 * - Only ids of regions that exist (a folder with region.json) are served; anything else, including
 *   `..` or a slash, is 404 before any path is built.
 */

const CONTENT_TYPE = 'application/vnd.pmtiles';
const CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/** ETags by file, reused while size and mtime stay the same. */
const etags = new Map<string, { size: number; mtimeMs: number; etag: string }>();

async function etagOf(path: string, size: number, mtimeMs: number): Promise<string> {
	const known = etags.get(path);
	if (known && known.size === size && known.mtimeMs === mtimeMs) return known.etag;
	const etag = `"${createHash('sha256')
		.update(await readFile(path))
		.digest('hex')
		.slice(0, 32)}"`;
	etags.set(path, { size, mtimeMs, etag });
	return etag;
}

type RangeRequest =
	{ kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

/** Parse a Range header against a file of `size` bytes (RFC 9110 §14.1.2). */
function parseRange(header: string | null, size: number): RangeRequest {
	if (header === null) return { kind: 'none' };
	const [unit, spec] = header.split('=', 2).map((part) => part.trim());
	if (unit.toLowerCase() !== 'bytes') return { kind: 'none' }; // other units: ignore the header
	if (spec === undefined) return { kind: 'unsatisfiable' };
	if (spec.includes(',')) return { kind: 'none' }; // multi-range: whole file
	const match = /^(\d*)-(\d*)$/.exec(spec);
	if (!match || (match[1] === '' && match[2] === '')) return { kind: 'unsatisfiable' };
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
		return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
	}
	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size || Number(match[2] || start) < start) return { kind: 'unsatisfiable' };
	return { kind: 'range', start, end };
}

function notFound(code: string, message: string): Response {
	return json({ ok: false, code, message }, { status: 404 });
}

export const GET: RequestHandler = async ({ params, request }) => {
	const regionsDir = defaultRegionsDir();
	const id = params.id;
	if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || !listRegionIds(regionsDir).includes(id))
		return notFound('REGION_NOT_FOUND', `no region "${id}"; GET /api/regions lists the regions`);
	const path = join(regionsDir, id, 'tiles.pmtiles');
	if (!existsSync(path))
		return notFound(
			'TILES_NOT_BUILT',
			`region "${id}" has no tiles.pmtiles yet; run npm run region:build -- --region ${id}`
		);
	const { size, mtimeMs, mtime } = statSync(path);
	const etag = await etagOf(path, size, mtimeMs);
	const headers: Record<string, string> = {
		'Accept-Ranges': 'bytes',
		'Cache-Control': CACHE_CONTROL,
		'Content-Type': CONTENT_TYPE,
		ETag: etag,
		'Last-Modified': mtime.toUTCString()
	};

	const ifNoneMatch = request.headers.get('if-none-match');
	if (
		ifNoneMatch &&
		ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
	)
		return new Response(null, { status: 304, headers });

	const ifRange = request.headers.get('if-range');
	const range =
		ifRange && ifRange !== etag
			? ({ kind: 'none' } as const)
			: parseRange(request.headers.get('range'), size);
	if (range.kind === 'unsatisfiable')
		return new Response(null, {
			status: 416,
			headers: { ...headers, 'Content-Range': `bytes */${size}` }
		});
	if (range.kind === 'none') {
		const body = new Uint8Array(await readFile(path));
		return new Response(body, {
			status: 200,
			headers: { ...headers, 'Content-Length': String(body.length) }
		});
	}
	const length = range.end - range.start + 1;
	const body = new Uint8Array(length);
	const handle = await open(path, 'r');
	try {
		let read = 0;
		while (read < length) {
			const { bytesRead } = await handle.read(body, read, length - read, range.start + read);
			if (bytesRead === 0) break;
			read += bytesRead;
		}
	} finally {
		await handle.close();
	}
	return new Response(body, {
		status: 206,
		headers: {
			...headers,
			'Content-Length': String(length),
			'Content-Range': `bytes ${range.start}-${range.end}/${size}`
		}
	});
};
