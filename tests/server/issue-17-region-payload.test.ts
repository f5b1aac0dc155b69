/**
 * Issue 17 item 4: GET /api/regions/<id> serialises a region once per state of its files and
 * answers with a gzip copy, an ETag and 304s. What must hold: the body is the same JSON as
 * before (json() of the region as read), a layer replaced by an import or a file mended shows
 * at the next request, and a client without gzip gets plain JSON.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	acceptsGzip,
	regionPayload,
	regionPayloadObject,
	regionPayloadResponse
} from '../../src/lib/server/region-payload.ts';
import { readRegion, writeLayer } from '../../src/lib/server/region-store.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const ID = 'shanghai-bund-lujiazui';
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('issue 17: the region payload is serialised once and sent compressed', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'carecircle-region-payload-'));
		cpSync(join(repoRoot, 'data', 'regions', ID), join(dir, ID), { recursive: true });
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('is the JSON json() made of the region as read, and its gzip copy inflates to it', async () => {
		const region = readRegion(dir, ID);
		const expected = JSON.stringify({
			meta: region.meta,
			boundaries: region.layers.boundaries,
			residential: region.layers.residential,
			facilities: region.layers.facilities,
			communities: region.communities,
			indicators: region.indicators
		});
		const bytes = await regionPayload(dir, ID);
		expect(text(bytes.json)).toBe(expected);
		expect(text(gunzipSync(bytes.gzip))).toBe(expected);
		expect(bytes.gzip.byteLength).toBeLessThan(bytes.json.byteLength / 3);
		expect(JSON.parse(expected).residential.length).toBe(region.layers.residential!.length);
	});

	it('is kept while the files are unchanged and read again after an import replaces a layer', async () => {
		const first = await regionPayload(dir, ID);
		expect(await regionPayload(dir, ID)).toBe(first);
		const compounds = readRegion(dir, ID).layers.residential!;
		writeLayer(dir, ID, 'residential', compounds.slice(0, 3));
		const after = await regionPayload(dir, ID);
		expect(after.etag).not.toBe(first.etag);
		expect(JSON.parse(text(after.json)).residential).toHaveLength(3);
		expect(text(after.json)).toBe(JSON.stringify(regionPayloadObject(dir, ID)));
	});

	it('fails on a broken file, and answers once the file is mended', async () => {
		const file = join(dir, ID, 'region.json');
		const good = readFileSync(file, 'utf8');
		writeFileSync(file, '{ not json');
		await expect(regionPayload(dir, ID)).rejects.toThrow(/region\.json/);
		writeFileSync(file, good);
		expect(JSON.parse(text((await regionPayload(dir, ID)).json)).meta.id).toBe(ID);
	});

	it('answers gzip when accepted, plain JSON when not, and 304 for the ETag it gave', async () => {
		const url = `http://localhost/api/regions/${ID}`;
		const plain = await regionPayloadResponse(dir, ID, new Request(url));
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(plain.headers.get('content-type')).toBe('application/json');
		const body = await plain.text();
		expect(body).toBe(JSON.stringify(regionPayloadObject(dir, ID)));

		const zipped = await regionPayloadResponse(
			dir,
			ID,
			new Request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } })
		);
		expect(zipped.headers.get('content-encoding')).toBe('gzip');
		expect(zipped.headers.get('vary')).toBe('accept-encoding');
		expect(text(gunzipSync(new Uint8Array(await zipped.arrayBuffer())))).toBe(body);

		const etag = plain.headers.get('etag')!;
		const again = await regionPayloadResponse(
			dir,
			ID,
			new Request(url, { headers: { 'if-none-match': etag } })
		);
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
		const stale = await regionPayloadResponse(
			dir,
			ID,
			new Request(url, { headers: { 'if-none-match': '"something else"' } })
		);
		expect(stale.status).toBe(200);
	});

	it('reads Accept-Encoding as HTTP does', () => {
		expect(acceptsGzip(null)).toBe(false);
		expect(acceptsGzip('identity')).toBe(false);
		expect(acceptsGzip('gzip;q=0, br')).toBe(false);
		expect(acceptsGzip('br, GZIP;q=0.5')).toBe(true);
		expect(acceptsGzip('*')).toBe(true);
	});
});
