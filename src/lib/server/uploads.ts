/**
 * Large files a user uploads (an OSM extract of a city, a boundary file) for a later job: the
 * request body is streamed to disk under `.cache/uploads/` — never held in memory whole — with
 * a small JSON beside it naming the file. Uploads older than a day are removed on the next one.
 */
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

/** The largest upload accepted: a province-size PBF is ≈ 1 GB; a city ≈ 100–300 MB. */
export const MAX_UPLOAD_BYTES = 4 * 2 ** 30;
const KEEP_MS = 24 * 3600_000;

export function uploadsDir(): string {
	return resolve(process.env.CARECIRCLE_UPLOADS_DIR ?? join(process.cwd(), '.cache', 'uploads'));
}

export class UploadError extends Error {
	readonly code: 'UPLOAD_TOO_LARGE' | 'UPLOAD_EMPTY' | 'UPLOAD_NOT_FOUND' | 'UPLOAD_FAILED';
	readonly status: number;
	constructor(
		code: 'UPLOAD_TOO_LARGE' | 'UPLOAD_EMPTY' | 'UPLOAD_NOT_FOUND' | 'UPLOAD_FAILED',
		status: number,
		message: string
	) {
		super(message);
		this.code = code;
		this.status = status;
		this.name = 'UploadError';
	}
}

export interface StoredUpload {
	id: string;
	/** The name the user's file had (path parts removed). */
	fileName: string;
	bytes: number;
	path: string;
}

function removeOld(dir: string): void {
	const now = Date.now();
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true, recursive: true });
	}
}

/**
 * Stream a request body to disk.
 * @param fileName the user's file name (from the X-File-Name header, URI-encoded)
 * @throws UploadError UPLOAD_TOO_LARGE (413) past maxBytes, UPLOAD_EMPTY (400)
 */
export async function saveUpload(
	body: ReadableStream<Uint8Array> | null,
	fileName: string,
	maxBytes = MAX_UPLOAD_BYTES
): Promise<StoredUpload> {
	if (!body)
		throw new UploadError(
			'UPLOAD_EMPTY',
			400,
			'the upload has no body: send the file as the request body, with a Content-Type (e.g. application/octet-stream)'
		);
	const dir = uploadsDir();
	mkdirSync(dir, { recursive: true });
	removeOld(dir);
	const id = randomUUID();
	const path = join(dir, `${id}.bin`);
	let bytes = 0;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			bytes += chunk.length;
			if (bytes > maxBytes)
				done(
					new UploadError(
						'UPLOAD_TOO_LARGE',
						413,
						`the file is larger than ${Math.round(maxBytes / 2 ** 20)} MiB`
					)
				);
			else done(null, chunk);
		}
	});
	try {
		await pipeline(Readable.fromWeb(body as never), counter, createWriteStream(path));
	} catch (error) {
		rmSync(path, { force: true });
		if (error instanceof UploadError) throw error;
		throw new UploadError(
			'UPLOAD_FAILED',
			400,
			`the upload was interrupted (${(error as Error).message})`
		);
	}
	if (bytes === 0) {
		rmSync(path, { force: true });
		throw new UploadError('UPLOAD_EMPTY', 400, `${fileName}: the file is empty (0 bytes)`);
	}
	const stored: StoredUpload = { id, fileName: basename(fileName) || 'upload', bytes, path };
	writeFileSync(join(dir, `${id}.json`), JSON.stringify(stored));
	return stored;
}

/** An upload by its id. @throws UploadError UPLOAD_NOT_FOUND (404) */
export function getUpload(id: string): StoredUpload {
	const meta = join(uploadsDir(), `${id}.json`);
	if (!/^[0-9a-f-]{36}$/.test(id) || !existsSync(meta))
		throw new UploadError(
			'UPLOAD_NOT_FOUND',
			404,
			`no upload "${id}" (uploads are kept for a day): upload the file again`
		);
	return JSON.parse(readFileSync(meta, 'utf8')) as StoredUpload;
}

/** Forget an upload once its job has used it. */
export function removeUpload(id: string): void {
	rmSync(join(uploadsDir(), `${id}.bin`), { force: true });
	rmSync(join(uploadsDir(), `${id}.json`), { force: true });
}
