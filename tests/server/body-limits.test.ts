/** Issue 14 hardening: an oversized body is 413 with a clear message, per kind, configurable. */
import { describe, expect, it } from 'vitest';
import {
	bodyLimitFor,
	checkBodySize,
	DEFAULT_BODY_BYTES,
	IMPORT_BODY_BYTES,
	UPLOAD_BODY_BYTES
} from '../../src/lib/server/body-limits.ts';

const post = (path: string, bytes: number | null) =>
	new Request(`http://127.0.0.1${path}`, {
		method: 'POST',
		headers: bytes === null ? {} : { 'content-length': String(bytes) },
		body: 'x',
		// @ts-expect-error duplex is needed for a streamed body in Node
		duplex: 'half'
	});

describe('body limits', () => {
	it('gives each kind its limit and lets a deployment set them in MiB', () => {
		expect(bodyLimitFor('/api/scenarios', {})).toBe(DEFAULT_BODY_BYTES);
		expect(bodyLimitFor('/api/regions/x/imports/preview', {})).toBe(IMPORT_BODY_BYTES);
		expect(bodyLimitFor('/api/uploads', {})).toBe(UPLOAD_BODY_BYTES);
		expect(bodyLimitFor('/api/regions/x/imports', { CARECIRCLE_LIMIT_IMPORT_MB: '20' })).toBe(
			20 * 2 ** 20
		);
		expect(bodyLimitFor('/api/scenarios', { CARECIRCLE_LIMIT_DEFAULT_MB: 'lots' })).toBe(
			DEFAULT_BODY_BYTES
		);
	});

	it('answers 413 with the sizes before any handler reads the body', async () => {
		const answer = checkBodySize(post('/api/scenarios', 3 * 2 ** 20), '/api/scenarios')!;
		expect(answer.status).toBe(413);
		const body = await answer.json();
		expect(body.code).toBe('BODY_TOO_LARGE');
		expect(body.message).toContain('请求体过大');
		expect(body.message).toContain('3,145,728 bytes');
		expect(checkBodySize(post('/api/scenarios', 1000), '/api/scenarios')).toBeNull();
		// without a length only the streamed upload route accepts a body
		expect(checkBodySize(post('/api/scenarios', null), '/api/scenarios')?.status).toBe(411);
		expect(checkBodySize(post('/api/uploads', null), '/api/uploads')).toBeNull();
	});
});
