import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256FileHex } from '../../src/lib/server/file-hash.ts';

const dir = mkdtempSync(join(tmpdir(), 'carecircle-file-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256FileHex', () => {
	// Sizes around the 1 MiB chunk: empty, short, exactly one and two chunks, one byte either side.
	for (const size of [0, 17, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 2 << 20, 3.5 * (1 << 20)]) {
		it(`equals the hash of the whole bytes (${size} B)`, () => {
			const file = join(dir, `f-${size}`);
			writeFileSync(file, randomBytes(size));
			const whole = createHash('sha256').update(readFileSync(file)).digest('hex');
			expect(sha256FileHex(file)).toBe(whole);
		});
	}
	it('names the file it cannot read', () => {
		expect(() => sha256FileHex(join(dir, 'missing.geojson'))).toThrow(/missing\.geojson/);
	});
});
