/**
 * Region creation from the browser (新建区域): the server runs the same command a user would,
 * `node scripts/region-create.ts … --progress-json`, as a child process — off the server's event
 * loop, with its progress read line by line from stdout, and cancelled by ending the process
 * (the command works in a staging folder and moves the region into place in one rename, so a
 * cancelled job leaves nothing behind). Jobs live in memory: a restart forgets them, not regions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRegionsDir } from './region-store.ts';
import { getUpload, removeUpload } from './uploads.ts';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface RegionJob {
	id: string;
	regionId: string;
	state: JobState;
	phase: string;
	/** 0..1 of the whole job. */
	fraction: number;
	message: string;
	/** What the command printed on stderr (its error line on failure). */
	error: string | null;
	startedAt: string;
	endedAt: string | null;
	/** The command's report when done (counts, clip statistics, region.json). */
	report: unknown;
}

export interface CreateJobRequest {
	id: string;
	name: string;
	nameEn?: string;
	osmUpload: string;
	outline:
		| { kind: 'boundary'; upload: string; crs?: string }
		| { kind: 'admin'; code: string }
		| { kind: 'bbox'; bbox: [number, number, number, number] };
	profile?: string;
	haloM?: number;
}

export class JobError extends Error {
	readonly code: 'JOB_NOT_FOUND' | 'JOB_INVALID' | 'JOB_BUSY';
	readonly status: number;
	constructor(code: 'JOB_NOT_FOUND' | 'JOB_INVALID' | 'JOB_BUSY', status: number, message: string) {
		super(message);
		this.code = code;
		this.status = status;
		this.name = 'JobError';
	}
}

/** One creation at a time: each reads a whole extract's worth of bytes on a 2-core machine. */
const MAX_RUNNING = 1;
const jobs = new Map<string, RegionJob>();
const children = new Map<string, ChildProcess>();

function scriptPath(): string {
	const path = join(process.cwd(), 'scripts', 'region-create.ts');
	if (!existsSync(path))
		throw new Error(
			`${path} not found: the server must run from the carecircle folder (npm start)`
		);
	return path;
}

/** Start creating a region; the job's state is read with getJob. */
export function startCreateJob(request: CreateJobRequest): RegionJob {
	if ([...jobs.values()].filter((job) => job.state === 'running').length >= MAX_RUNNING)
		throw new JobError(
			'JOB_BUSY',
			429,
			'another region is being created; wait until it has finished, then try again'
		);
	const osm = getUpload(request.osmUpload);
	const args = [
		scriptPath(),
		'--id',
		request.id,
		'--name',
		request.name,
		'--osm',
		osm.path,
		'--osm-name',
		osm.fileName,
		'--progress-json',
		'--regions-dir',
		defaultRegionsDir()
	];
	if (request.nameEn) args.push('--name-en', request.nameEn);
	if (request.profile) args.push('--profile', request.profile);
	if (request.haloM !== undefined) args.push('--halo-m', String(request.haloM));
	const { outline } = request;
	if (outline.kind === 'boundary') {
		const boundary = getUpload(outline.upload);
		args.push('--boundary', boundary.path, '--boundary-name', boundary.fileName);
		if (outline.crs) args.push('--crs', outline.crs);
	} else if (outline.kind === 'admin') args.push('--admin', outline.code);
	else args.push('--bbox', outline.bbox.join(','));

	const job: RegionJob = {
		id: randomUUID(),
		regionId: request.id,
		state: 'running',
		phase: 'start',
		fraction: 0,
		message: '开始 / starting',
		error: null,
		startedAt: new Date().toISOString(),
		endedAt: null,
		report: null
	};
	jobs.set(job.id, job);
	const child = spawn(process.execPath, args, {
		cwd: process.cwd(),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.set(job.id, child);
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
		let newline;
		while ((newline = stdout.indexOf('\n')) >= 0) {
			const line = stdout.slice(0, newline);
			stdout = stdout.slice(newline + 1);
			try {
				const event = JSON.parse(line) as {
					type: string;
					phase?: string;
					fraction?: number;
					message?: string;
					report?: unknown;
				};
				if (event.type === 'progress') {
					job.phase = event.phase ?? job.phase;
					job.fraction = event.fraction ?? job.fraction;
					job.message = event.message ?? job.message;
				} else if (event.type === 'done') job.report = event.report;
			} catch {
				// a plain line (warnings): not progress
			}
		}
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	child.on('exit', (code) => {
		children.delete(job.id);
		job.endedAt = new Date().toISOString();
		if (job.state === 'cancelled') return;
		if (code === 0 && job.report) {
			job.state = 'done';
			job.fraction = 1;
			removeUpload(request.osmUpload);
			if (outline.kind === 'boundary') removeUpload(outline.upload);
		} else {
			job.state = 'failed';
			// The upload's stored path means nothing to the user: name the file they chose.
			job.error =
				stderr
					.replaceAll(osm.path, osm.fileName)
					.replace(/^error: /m, '')
					.trim() || `the command ended with code ${code}`;
		}
	});
	return job;
}

/** @throws JobError JOB_NOT_FOUND */
export function getJob(id: string): RegionJob {
	const job = jobs.get(id);
	if (!job)
		throw new JobError(
			'JOB_NOT_FOUND',
			404,
			`no job "${id}" (jobs are forgotten when the server restarts)`
		);
	return job;
}

/** Cancel a running job: the command is ended and its staging folder removed; nothing is created. */
export function cancelJob(id: string): RegionJob {
	const job = getJob(id);
	const child = children.get(id);
	if (job.state !== 'running' || !child) return job;
	job.state = 'cancelled';
	job.message = '已取消 / cancelled';
	child.kill('SIGTERM');
	// A command deep in a synchronous step answers SIGTERM late; end it for sure.
	setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
	return job;
}
