import { computePool } from '$lib/server/compute-pool.ts';
import { DEFAULT_CIRCLE_MINUTES, DEFAULT_WALK_SPEED_MPS } from '$lib/engine/rules/defaults.ts';
import { PlanError } from '$lib/engine/session/what-if.ts';
import { PdfUnavailableError } from '$lib/server/pdf.ts';
import { answerRegionApi, RegionApiError, requireRegion } from '$lib/server/region-api.ts';
import {
	REPORT_FILES,
	reportFileName,
	reportRequestSchema,
	type ReportFile,
	type ReportSettings
} from '$lib/server/region-report.ts';
import { defaultRegionsDir, listRegionIds, readRegionMeta } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/** The region's report file, checked: 404 for an unknown region or file name. */
function reportFileOf(regionsDir: string, params: { id: string; file: string }): ReportFile {
	requireRegion(listRegionIds(regionsDir), params.id);
	if (!Object.hasOwn(REPORT_FILES, params.file))
		throw new RegionApiError(
			'NOT_FOUND',
			404,
			`no report file "${params.file}": one of ${Object.keys(REPORT_FILES).join(', ')}`
		);
	return params.file as ReportFile;
}

/**
 * The file as a download named after the region, profile, date (and 方案 for a plan), computed in
 * the server's compute pool (503 COMPUTE_BUSY with Retry-After when its queue is full).
 */
async function download(
	regionsDir: string,
	id: string,
	file: ReportFile,
	settings: ReportSettings & { profileId: string },
	signal: AbortSignal
): Promise<Response> {
	let body: string | Uint8Array;
	try {
		// In the compute pool: the report of a city takes seconds; the event loop stays free.
		body = await computePool().run('regionReportFile', [regionsDir, id, file, settings], {
			signal
		});
	} catch (error) {
		if (error instanceof PlanError)
			throw new RegionApiError(
				'INVALID_PLAN',
				400,
				`plan.${error.field}: ${error.reason} (region ${id})`
			);
		if (error instanceof PdfUnavailableError)
			throw new RegionApiError(
				error.code,
				503,
				`report.pdf cannot be printed on this server: ${error.message}; the other files (report.html prints from the browser) are available`
			);
		throw error;
	}
	const { name, ascii } = reportFileName(
		id,
		settings.profileId,
		settings.generatedAt,
		file,
		settings.plan
	);
	return new Response(body as BodyInit, {
		headers: {
			'content-type': REPORT_FILES[file],
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
		}
	});
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * GET /api/regions/<id>/report/<report.xlsx|report.pdf|report.html|areas.csv|streets.csv|…>
 *   ?profile=&minutes=15&speedMps=1.0&date=YYYY-MM-DD
 * The gap report the CLI writes (npm run analyze), as a download named after the region, the
 * profile and the date. report.pdf without Chromium on the server: 503 PDF_UNAVAILABLE.
 */
export const GET: RequestHandler = ({ params, url, request }) =>
	answerRegionApi(async () => {
		const regionsDir = defaultRegionsDir();
		const file = reportFileOf(regionsDir, params);
		const number = (name: string, fallback: number) => {
			const text = url.searchParams.get(name);
			const value = text === null || text === '' ? fallback : Number(text);
			if (!Number.isFinite(value) || value <= 0)
				throw new RegionApiError(
					'INVALID_INPUT',
					400,
					`${name}=${text}: expected a number above 0`
				);
			return value;
		};
		const date = url.searchParams.get('date') || today();
		if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
			throw new RegionApiError('INVALID_INPUT', 400, `date=${date}: expected YYYY-MM-DD`);
		const meta = readRegionMeta(regionsDir, params.id);
		return download(
			regionsDir,
			params.id,
			file,
			{
				profileId: url.searchParams.get('profile') || meta.defaultProfile,
				maxMinutes: number('minutes', DEFAULT_CIRCLE_MINUTES),
				walkSpeedMps: number('speedMps', DEFAULT_WALK_SPEED_MPS),
				generatedAt: date
			},
			request.signal
		);
	});

/**
 * POST /api/regions/<id>/report/<file> with JSON
 *   { profile?, minutes?, speedMps?, stepPenaltyS?, date?, plan?: { planned, moved, removed } }
 * The gap report of what the map shows — its plan included — byte for byte what
 * `npm run analyze -- --plan plan.json` writes for the same settings and date. 400 names the
 * field (INVALID_INPUT) or the plan entry that does not fit the region (INVALID_PLAN).
 */
export const POST: RequestHandler = ({ params, request }) =>
	answerRegionApi(async () => {
		const regionsDir = defaultRegionsDir();
		const file = reportFileOf(regionsDir, params);
		let json: unknown;
		try {
			json = await request.json();
		} catch {
			throw new RegionApiError(
				'INVALID_JSON',
				400,
				'the body is not JSON: send { profile, minutes, speedMps, date, plan }'
			);
		}
		const parsed = reportRequestSchema.safeParse(json);
		if (!parsed.success)
			throw new RegionApiError(
				'INVALID_INPUT',
				400,
				parsed.error.issues
					.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
					.join('; ')
			);
		const body = parsed.data;
		const meta = readRegionMeta(regionsDir, params.id);
		return download(
			regionsDir,
			params.id,
			file,
			{
				profileId: body.profile ?? meta.defaultProfile,
				maxMinutes: body.minutes,
				walkSpeedMps: body.speedMps,
				stepPenaltyS: body.stepPenaltyS,
				generatedAt: body.date ?? today(),
				plan: body.plan
			},
			request.signal
		);
	});
