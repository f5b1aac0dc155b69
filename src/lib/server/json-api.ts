/**
 * What every JSON API of the server shares (scenarios, evaluations): request bodies read as JSON,
 * errors answered as `{ code, message }` (the compute pool's COMPUTE_BUSY … too) (plus `field` for invalid input, `currentVersion` for a
 * stale save) with the status their code carries, anything unexpected as a logged 500.
 */
import { json } from '@sveltejs/kit';
import { ComputePoolError, computePoolErrorHeaders } from './compute-pool.ts';

/** An error a store throws on purpose: a stable code, its HTTP status, the field at fault. */
export interface ApiError extends Error {
	code: string;
	status: number;
	field?: string;
	currentVersion?: number;
}

/**
 * @param isApiError recognises the store's own errors (answered with their status)
 * @param invalidJson the store's error for a body that is not JSON
 * @param label names the API in the server log
 */
export function jsonApi(
	isApiError: (error: unknown) => error is ApiError,
	invalidJson: (message: string) => Error,
	label: string
) {
	/** The request body as JSON (undefined when empty), or the store's INVALID_JSON error. */
	async function readJsonBody(request: Request): Promise<unknown> {
		const text = await request.text();
		if (text.trim() === '') return undefined;
		try {
			return JSON.parse(text);
		} catch (error) {
			throw invalidJson(`the request body is not JSON (${(error as Error).message})`);
		}
	}

	/** An error as the API's JSON answer; anything that is not the store's own is a 500. */
	function errorResponse(error: unknown): Response {
		if (error instanceof ComputePoolError)
			return json(
				{ code: error.code, message: error.message },
				{ status: error.status, headers: computePoolErrorHeaders(error) }
			);
		if (isApiError(error))
			return json(
				{
					code: error.code,
					message: error.message,
					...(error.field !== undefined ? { field: error.field } : {}),
					...(error.currentVersion !== undefined ? { currentVersion: error.currentVersion } : {})
				},
				{ status: error.status }
			);
		const code = (error as { code?: unknown })?.code;
		console.error(`${label}:`, error);
		return json(
			{
				code: typeof code === 'string' ? code : 'INTERNAL_ERROR',
				message: `the server could not complete the request: ${(error as Error)?.message ?? error}`
			},
			{ status: 500 }
		);
	}

	/** Run a handler; its errors become JSON error answers. */
	async function answer(handler: () => Promise<Response>): Promise<Response> {
		try {
			return await handler();
		} catch (error) {
			return errorResponse(error);
		}
	}

	return { readJsonBody, errorResponse, answer };
}
