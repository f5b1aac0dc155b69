/**
 * SHA-256 of files read in 1 MiB chunks: a network file may be larger than one Buffer should be
 * (a 12 M-node network.geojson is about 1 GB).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

/** Feed a file's bytes to `hash`, a chunk at a time. */
export function updateHashFromFile(hash: Hash, file: string): void {
	const chunk = new Uint8Array(CHUNK_BYTES);
	const fd = openSync(file, 'r');
	try {
		for (let read; (read = readSync(fd, chunk, 0, chunk.length, null)) > 0;)
			hash.update(chunk.subarray(0, read));
	} finally {
		closeSync(fd);
	}
}

/** The file's SHA-256, hex. */
export function sha256FileHex(file: string): string {
	const hash = createHash('sha256');
	updateHashFromFile(hash, file);
	return hash.digest('hex');
}
