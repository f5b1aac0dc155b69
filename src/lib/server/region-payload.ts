/**
 * GET /api/regions/<id>'s body, serialised once per state of the region's files and kept with a
 * gzip copy (issue 17 item 4). With 400,000 compounds the body is over 100 MB: each request
 * read and validated every layer and stringified it again on the event loop, and sent it
 * uncompressed. Now a repeated request costs a stat of the folder, a conditional one (ETag)
 * nothing, and a browser receives the gzip copy, compressed off the event loop (libuv's pool).
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { readRegion } from './region-store.ts';

const gzipAsync = promisify(gzip);

export interface RegionPayloadBytes {
	/** UTF-8 JSON, the same bytes as `json(payload)` of the region as read. */
	json: Uint8Array<ArrayBuffer>;
	/** `json` gzip-compressed. */
	gzip: Uint8Array<ArrayBuffer>;
	/** A strong ETag of the files' state (name, inode, size, mtime of each). */
	etag: string;
}

/** Payloads kept at most, most recently used last: a big one is a few hundred MB with its copy. */
const KEPT_REGIONS = 4;
const kept = new Map<string, { state: string; bytes: Promise<RegionPayloadBytes> }>();

function folderState(folder: string): string {
	return readdirSync(folder)
		.sort()
		.map((name) => {
			const { ino, size, mtimeMs } = statSync(join(folder, name));
			return `${name}:${ino}:${size}:${mtimeMs}`;
		})
		.join('|');
}

/** The object the map workspace reads (RegionPayload in ui/map/workspace.svelte.ts). */
export function regionPayloadObject(regionsDir: string, id: string) {
	const region = readRegion(regionsDir, id);
	return {
		meta: region.meta,
		boundaries: region.layers.boundaries,
		residential: region.layers.residential,
		facilities: region.layers.facilities,
		communities: region.communities,
		indicators: region.indicators
	};
}

async function build(regionsDir: string, id: string, state: string): Promise<RegionPayloadBytes> {
	const json = new TextEncoder().encode(JSON.stringify(regionPayloadObject(regionsDir, id)));
	const compressed = await gzipAsync(json, { level: 6 });
	const etag = `"${createHash('sha256').update(id).update('\0').update(state).digest('base64url').slice(0, 32)}"`;
	return {
		json,
		gzip: new Uint8Array(
			compressed.buffer as ArrayBuffer,
			compressed.byteOffset,
			compressed.length
		),
		etag
	};
}

/**
 * The region's payload bytes, from the cache while its folder is unchanged. Concurrent requests
 * share one build; a failed build is not kept, so a mended file shows at the next request.
 * @throws RegionFileError as readRegion does
 */
export function regionPayload(regionsDir: string, id: string): Promise<RegionPayloadBytes> {
	const folder = join(regionsDir, id);
	// Before reading: a file replaced meanwhile changes the state, so the next request reads again.
	const state = folderState(folder);
	const known = kept.get(folder);
	if (known && known.state === state) {
		kept.delete(folder);
		kept.set(folder, known);
		return known.bytes;
	}
	const bytes = build(regionsDir, id, state);
	kept.delete(folder);
	kept.set(folder, { state, bytes });
	while (kept.size > KEPT_REGIONS) kept.delete(kept.keys().next().value!);
	bytes.catch(() => {
		if (kept.get(folder)?.bytes === bytes) kept.delete(folder);
	});
	return bytes;
}

/** Whether an Accept-Encoding header takes gzip (q=0 refuses it). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
	if (!acceptEncoding) return false;
	return acceptEncoding.split(',').some((part) => {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return q === undefined || Number(q.slice(2)) > 0;
	});
}

/**
 * The answer to GET /api/regions/<id>: 304 on a matching If-None-Match, gzip when accepted.
 * Without a request (a handler called directly, as some tests do) the plain JSON.
 */
export async function regionPayloadResponse(
	regionsDir: string,
	id: string,
	request?: Request
): Promise<Response> {
	const bytes = await regionPayload(regionsDir, id);
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		etag: bytes.etag,
		vary: 'accept-encoding',
		'cache-control': 'no-cache'
	};
	const ifNoneMatch = request?.headers.get('if-none-match');
	if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === bytes.etag))
		return new Response(null, { status: 304, headers });
	if (acceptsGzip(request?.headers.get('accept-encoding') ?? null))
		return new Response(bytes.gzip, {
			headers: { ...headers, 'content-encoding': 'gzip' }
		});
	return new Response(bytes.json, { headers });
}
