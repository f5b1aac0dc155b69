/**
 * The UI side of the engine protocol: promises instead of postMessage. Each call can be aborted
 * (AbortSignal): a call not yet started in the worker is dropped there, and its promise rejects
 * with an AbortError either way. Used by the map workspace; works with any worker-like port
 * (a Web Worker in the browser, a worker_threads Worker in tests).
 */
import type { CallName, EngineCalls, FromEngine, ToEngine } from './protocol.ts';

export interface WorkerPort {
	postMessage(message: ToEngine, transfer: ArrayBuffer[]): void;
	addEventListener(type: 'message', listener: (event: { data: FromEngine }) => void): void;
}

/** An error the worker replied with: its stable code and message. */
export class EngineCallError extends Error {
	readonly code: string;
	constructor(code: string, message: string) {
		super(message);
		this.code = code;
		this.name = code === 'CANCELLED' ? 'AbortError' : 'EngineCallError';
	}
}

interface Pending {
	resolve(value: { result: unknown; engineMs: number }): void;
	reject(error: Error): void;
	onProgress?: (progress: { done: number; total: number; label: string }) => void;
}

export class EngineClient {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();

	private readonly port: WorkerPort;

	constructor(port: WorkerPort) {
		this.port = port;
		port.addEventListener('message', ({ data }) => {
			const pending = this.pending.get(data.id);
			if (!pending) return;
			if ('progress' in data) return pending.onProgress?.(data.progress);
			this.pending.delete(data.id);
			if (data.ok) pending.resolve({ result: data.result, engineMs: data.engineMs });
			else pending.reject(new EngineCallError(data.code, data.message));
		});
	}

	/** Reject every pending call (AbortError): the worker behind this client is being stopped. */
	dispose(): void {
		for (const pending of this.pending.values())
			pending.reject(new EngineCallError('CANCELLED', 'the engine was stopped'));
		this.pending.clear();
	}

	/**
	 * @param transfer buffers to move into the worker (the caller's copies become empty)
	 * @returns the result and the worker's engine time in ms
	 */
	call<K extends CallName>(
		call: K,
		params: EngineCalls[K]['params'],
		options: {
			transfer?: ArrayBuffer[];
			signal?: AbortSignal;
			onProgress?: Pending['onProgress'];
		} = {}
	): Promise<{ result: EngineCalls[K]['result']; engineMs: number }> {
		const id = this.nextId++;
		const { signal } = options;
		if (signal?.aborted) return Promise.reject(new EngineCallError('CANCELLED', 'cancelled'));
		return new Promise((resolve, reject) => {
			this.pending.set(id, {
				resolve: resolve as Pending['resolve'],
				reject,
				onProgress: options.onProgress
			});
			signal?.addEventListener(
				'abort',
				() => {
					if (!this.pending.delete(id)) return;
					this.port.postMessage({ id, cancel: true }, []);
					reject(new EngineCallError('CANCELLED', 'cancelled'));
				},
				{ once: true }
			);
			this.port.postMessage({ id, call, params } as ToEngine, options.transfer ?? []);
		});
	}
}
