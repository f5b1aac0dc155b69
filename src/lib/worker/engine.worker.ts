/// <reference lib="webworker" />
/**
 * The engine's Web Worker: the app creates it with
 * `new Worker(new URL('$lib/worker/engine.worker.ts', import.meta.url), { type: 'module' })`
 * and talks to it through EngineClient (engine-client.ts).
 */
import { createEngineHost } from './engine-host.ts';
import { workerHighsSolver } from './highs.ts';
import type { ToEngine } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createEngineHost((message, transfer) => scope.postMessage(message, transfer), {
	loadSolver: workerHighsSolver
});
scope.addEventListener('message', (event: MessageEvent<ToEngine>) => handle(event.data));
