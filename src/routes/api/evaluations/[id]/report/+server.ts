import { answer, reportDateParam, savedEvaluationReport } from '$lib/server/evaluation-api.ts';
import type { RequestHandler } from './$types';

/**
 * GET /api/evaluations/<id>/report[?date=YYYY-MM-DD]: the printable A4 report (HTML, no script,
 * no external resource) of the evaluation as saved, dated today (or `date`); the browser opens
 * it and prints it to PDF.
 */
export const GET: RequestHandler = ({ params, url }) =>
	answer(async () => {
		const html = await savedEvaluationReport(params.id, reportDateParam(url));
		return new Response(html, {
			headers: {
				'content-type': 'text/html; charset=utf-8',
				'cache-control': 'no-store',
				// The page is self-contained: nothing to load, nothing to run.
				'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
			}
		});
	});
