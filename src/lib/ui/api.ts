/**
 * JSON requests to the app's own API from the browser: the body sent as JSON, a 204 as
 * undefined, and an error answer `{ code, message, field? }` thrown as an Error whose message
 * names the field.
 */
export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
	const response = await fetch(url, {
		...init,
		headers: init?.body ? { 'content-type': 'application/json' } : undefined
	});
	if (response.status === 204) return undefined as T;
	const body = await response.json().catch(() => null);
	if (!response.ok) {
		const error = body as { message?: string; field?: string } | null;
		throw new Error(
			error?.message
				? `${error.message}${error.field ? ` (${error.field})` : ''}`
				: `${url}: ${response.status}`
		);
	}
	return body as T;
}
