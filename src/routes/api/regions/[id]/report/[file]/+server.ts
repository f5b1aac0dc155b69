import { DEFAULT_CIRCLE_MINUTES, DEFAULT_WALK_SPEED_MPS } from '$lib/engine/rules/defaults.ts';
import { answerRegionApi, RegionApiError, requireRegion } from '$lib/server/region-api.ts';
import { REPORT_FILES, regionReportFile, type ReportFile } from '$lib/server/region-report.ts';
import { defaultRegionsDir, listRegionIds, readRegionMeta } from '$lib/server/region-store.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/regions/<id>/report/<report.xlsx|report.html|areas.csv|streets.csv|…>
 *   ?profile=&minutes=15&speedMps=1.0&date=YYYY-MM-DD
 * The gap report the CLI writes (npm run analyze), as a download named after the region, the
 * profile and the date.
 */
export const GET: RequestHandler = ({ params, url }) =>
	answerRegionApi(async () => {
		const regionsDir = defaultRegionsDir();
		requireRegion(listRegionIds(regionsDir), params.id);
		if (!Object.hasOwn(REPORT_FILES, params.file))
			throw new RegionApiError(
				'NOT_FOUND',
				404,
				`no report file "${params.file}": one of ${Object.keys(REPORT_FILES).join(', ')}`
			);
		const file = params.file as ReportFile;
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
		const date = url.searchParams.get('date') || new Date().toISOString().slice(0, 10);
		if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
			throw new RegionApiError('INVALID_INPUT', 400, `date=${date}: expected YYYY-MM-DD`);
		const meta = readRegionMeta(regionsDir, params.id);
		const profileId = url.searchParams.get('profile') || meta.defaultProfile;
		const body = await regionReportFile(regionsDir, params.id, file, {
			profileId,
			maxMinutes: number('minutes', DEFAULT_CIRCLE_MINUTES),
			walkSpeedMps: number('speedMps', DEFAULT_WALK_SPEED_MPS),
			generatedAt: date
		});
		const [stem, extension] = file.split('.');
		const name = `${meta.id}_${profileId}_${date}_${stem === 'report' ? '缺口报告' : stem}.${extension}`;
		return new Response(body as BodyInit, {
			headers: {
				'content-type': REPORT_FILES[file],
				'content-disposition': `attachment; filename="${meta.id}_${date}_${file}"; filename*=UTF-8''${encodeURIComponent(name)}`
			}
		});
	});
