/**
 * What the /api/evaluations routes share: the repository on the server's database (which computes
 * every result on the server), request bodies read as JSON, the printable report of a saved
 * evaluation, and errors answered as JSON `{ code, message }` (plus `field` for invalid input,
 * `currentVersion` for a stale save) with the status of the error's code: 400 invalid, 404 unknown
 * evaluation, 409 stale version, 422 cannot be evaluated again.
 */
import { jsonApi, type ApiError } from './json-api.ts';
import { evaluationReportHtml } from '../engine/evaluation/report-html.ts';
import { escapeHtml } from '../engine/report/html.ts';
import { serverDatabase } from './db/database.ts';
import { SavedEvaluationError } from './db/evaluation-model.ts';
import { EvaluationRepository } from './db/evaluations.ts';

export async function evaluationRepository(): Promise<EvaluationRepository> {
	return new EvaluationRepository((await serverDatabase()).db);
}

export const { readJsonBody, errorResponse, answer } = jsonApi(
	(error): error is ApiError => error instanceof SavedEvaluationError,
	(message) => new SavedEvaluationError('INVALID_JSON', message),
	'evaluation API'
);

const REGION_ID = /^[a-z0-9][a-z0-9-]*$/;

/** `?region=<id>`, or undefined when absent; INVALID_EVALUATION for something that is not an id. */
export function regionParam(url: URL): string | undefined {
	const region = url.searchParams.get('region') ?? undefined;
	if (region !== undefined && !REGION_ID.test(region))
		throw new SavedEvaluationError(
			'INVALID_EVALUATION',
			`field "region": "${region}" is not a region id`,
			{ field: 'region' }
		);
	return region;
}

/** A positive integer query parameter, or undefined when absent. */
export function versionParam(url: URL, name = 'version'): number | undefined {
	const text = url.searchParams.get(name);
	if (text === null) return undefined;
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1)
		throw new SavedEvaluationError(
			'INVALID_EVALUATION',
			`field "${name}": expected a version number (1, 2, …), got "${text}"`,
			{ field: name }
		);
	return value;
}

/** Today in the server's time zone, `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `?date=YYYY-MM-DD` (the date printed on the report), default today. */
export function reportDateParam(url: URL): string {
	const text = url.searchParams.get('date');
	if (text === null) return today();
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	const valid =
		match !== null &&
		(() => {
			const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
			return date.toISOString().slice(0, 10) === text;
		})();
	if (!valid)
		throw new SavedEvaluationError(
			'INVALID_EVALUATION',
			`field "date": expected a date as YYYY-MM-DD, got "${text}"`,
			{ field: 'date' }
		);
	return text;
}

/**
 * The printable report of a saved evaluation: the evaluation as it was computed and saved (its
 * figures, clauses and map), dated `generatedAt`, with a line saying which saved version it is
 * and when it was computed (a re-run shows what today's rules and data would change).
 */
export async function savedEvaluationReport(id: string, generatedAt: string): Promise<string> {
	const { saved, document } = await (await evaluationRepository()).document(id);
	const html = evaluationReportHtml(document.evaluation, {
		generatedAt,
		regionMeta: document.regionMeta
	});
	const computed = saved.results.computedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
	const note =
		`<p class="banner">已保存的评估「${escapeHtml(saved.name)}」第 ${saved.version} 版，计算于 ${escapeHtml(computed)}` +
		`（规则集 ${escapeHtml(saved.results.profile.id)} v${escapeHtml(String(saved.results.profile.version))}）；` +
		`此后规则或数据如有更新，请“重新评估”查看变化。 <span class="en">Saved evaluation, version ${saved.version}, ` +
		`computed ${escapeHtml(computed)} (profile ${escapeHtml(saved.results.profile.id)} ` +
		`v${escapeHtml(String(saved.results.profile.version))}); re-run it to see what later rules or data change.</span></p>`;
	const at = html.indexOf('</header>');
	return at < 0 ? html : `${html.slice(0, at)}${note}\n${html.slice(at)}`;
}
