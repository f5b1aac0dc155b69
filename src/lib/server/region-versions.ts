/**
 * Earlier versions of a region's files, so that every import can be undone. Before a change
 * writes, the files it will replace are copied into `data/regions/<id>/.versions/<seq>/` with a
 * manifest (what, when, by which command); undo restores the newest version's files (each an
 * atomic rename) and removes that version. A file the change created is deleted again on undo.
 *
 * One change at a time per region: a lock folder (`.versions/.lock`) held while a change is
 * snapshotted and written, so the CLI and the server never interleave two writes.
 */
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { join } from 'node:path';

export const VERSIONS_DIR = '.versions';
/** A lock older than this is left over by a killed process and is taken over. */
const STALE_LOCK_MS = 10 * 60_000;

export interface VersionManifest {
	/** Sequence number, 1 for the first change ever recorded in this region. */
	seq: number;
	/** ISO time the change was made. */
	at: string;
	/** What the change was, e.g. "import residential 小区名单.xlsx (replace)". */
	action: string;
	/** Who made it (an account once there are accounts; the CLI says "cli"). */
	actor: string;
	/** Region files (relative names) the change replaced, copied into this version. */
	saved: string[];
	/** Region files the change created (absent before): deleted on undo. */
	created: string[];
}

export class RegionBusyError extends Error {
	readonly code = 'REGION_BUSY';
	constructor(id: string) {
		super(`region "${id}" is being changed by another import; try again in a moment`);
		this.name = 'RegionBusyError';
	}
}

export class NothingToUndoError extends Error {
	readonly code = 'NOTHING_TO_UNDO';
	constructor(id: string) {
		super(`region "${id}" has no earlier version to go back to`);
		this.name = 'NothingToUndoError';
	}
}

function versionsDir(regionsDir: string, id: string): string {
	return join(regionsDir, id, VERSIONS_DIR);
}

/** Run `work` holding the region's change lock; throws RegionBusyError when another holds it. */
export function withRegionLock<T>(regionsDir: string, id: string, work: () => T): T {
	const dir = versionsDir(regionsDir, id);
	mkdirSync(dir, { recursive: true });
	const lock = join(dir, '.lock');
	try {
		mkdirSync(lock);
	} catch {
		if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) throw new RegionBusyError(id);
		rmSync(lock, { recursive: true, force: true });
		mkdirSync(lock);
	}
	try {
		return work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/** The region's recorded versions, newest first. */
export function listVersions(regionsDir: string, id: string): VersionManifest[] {
	const dir = versionsDir(regionsDir, id);
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => /^\d+$/.test(name) && existsSync(join(dir, name, 'manifest.json')))
		.map(
			(name) =>
				JSON.parse(readFileSync(join(dir, name, 'manifest.json'), 'utf8')) as VersionManifest
		)
		.sort((a, b) => b.seq - a.seq);
}

/**
 * Save the current state of `files` (relative to the region folder) before a change. Call it
 * inside withRegionLock, right before writing.
 */
export function saveVersion(
	regionsDir: string,
	id: string,
	files: string[],
	action: string,
	actor: string
): VersionManifest {
	const regionDir = join(regionsDir, id);
	const seq = (listVersions(regionsDir, id)[0]?.seq ?? 0) + 1;
	const dir = join(versionsDir(regionsDir, id), String(seq));
	const staging = `${dir}.partial`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	const saved: string[] = [];
	const created: string[] = [];
	for (const file of [...new Set(files)]) {
		if (existsSync(join(regionDir, file))) {
			copyFileSync(join(regionDir, file), join(staging, file));
			saved.push(file);
		} else created.push(file);
	}
	const manifest: VersionManifest = {
		seq,
		at: new Date().toISOString(),
		action,
		actor,
		saved,
		created
	};
	writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	renameSync(staging, dir);
	return manifest;
}

/**
 * Put back the files of the newest version and forget it.
 * @returns the manifest of the change that was undone
 * @throws NothingToUndoError when the region has no recorded version
 */
export function undoLastVersion(regionsDir: string, id: string): VersionManifest {
	return withRegionLock(regionsDir, id, () => {
		const [latest] = listVersions(regionsDir, id);
		if (!latest) throw new NothingToUndoError(id);
		const regionDir = join(regionsDir, id);
		const dir = join(versionsDir(regionsDir, id), String(latest.seq));
		for (const file of latest.saved) {
			const temporary = join(regionDir, `${file}.undo-${process.pid}`);
			copyFileSync(join(dir, file), temporary);
			renameSync(temporary, join(regionDir, file));
		}
		for (const file of latest.created) rmSync(join(regionDir, file), { force: true });
		rmSync(dir, { recursive: true, force: true });
		return latest;
	});
}
