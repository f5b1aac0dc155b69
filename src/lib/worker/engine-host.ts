/**
 * The worker side of the engine protocol: queues calls, drops cancelled ones, runs the rest one at
 * a time on one WhatIfSession and replies with transferable results. No DOM and no Node: the same
 * code runs in the browser's Web Worker (engine.worker.ts) and in the tests (in a Node worker
 * thread with Node's globals removed, to prove it is worker-safe).
 */
import { RoadGraph } from '../engine/graph/road-graph.ts';
import { parseProfile } from '../engine/rules/profiles.ts';
import {
	NO_EDITS,
	WhatIfSession,
	type PlannedStation,
	type StationEdits
} from '../engine/session/what-if.ts';
import type { MilpSolver } from '../engine/siting/milp.ts';
import type { CallMessage, CallName, EngineCalls, FromEngine, ToEngine } from './protocol.ts';

type Post = (message: FromEngine, transfer: ArrayBuffer[]) => void;

/** Reports progress of the call being run (long work: siting, large regions). */
export type Progress = (done: number, total: number, label: string) => void;

type Reply<K extends CallName> = { result: EngineCalls[K]['result']; transfer?: ArrayBuffer[] };
type Handlers = {
	[K in CallName]: (
		params: EngineCalls[K]['params'],
		progress: Progress
	) => Reply<K> | Promise<Reply<K>>;
};
type AnyHandler = (
	params: unknown,
	progress: Progress
) =>
	| { result: unknown; transfer?: ArrayBuffer[] }
	| Promise<{ result: unknown; transfer?: ArrayBuffer[] }>;

class HostError extends Error {
	readonly code: string;
	constructor(code: string, message: string) {
		super(message);
		this.code = code;
	}
}

/**
 * @param post how replies leave (self.postMessage in a worker)
 * @param options.schedule how the queue is drained later (default setTimeout 0), so that a cancel
 *   sent right after a call is seen before the call runs
 * @param options.loadSolver the MILP solver for exact siting (loaded on first use); without it,
 *   or when it fails to load, siting is greedy and says so
 * @returns the message handler to attach to the worker's message event
 */
export function createEngineHost(
	post: Post,
	options: {
		schedule?: (drain: () => void) => void;
		loadSolver?: () => Promise<MilpSolver>;
	} = {}
): (message: ToEngine) => void {
	const schedule = options.schedule ?? ((drain: () => void) => setTimeout(drain, 0));
	const solver = async (): Promise<MilpSolver | null> => {
		try {
			return options.loadSolver ? await options.loadSolver() : null;
		} catch {
			return null; // greedy, and the result names no solver
		}
	};
	let session: WhatIfSession | null = null;
	const queue: CallMessage[] = [];
	const cancelled = new Set<number>();
	let scheduled = false;
	let draining = false;

	const opened = () => {
		if (!session) throw new HostError('NOT_OPEN', 'no region is open: call "open" first');
		return session;
	};
	/** The open session with the caller's plan (planned stations, moves and removals) applied. */
	const withPlan = (planned: PlannedStation[], edits: StationEdits | undefined) => {
		const current = opened();
		current.setPlanned(planned);
		current.setEdits(edits ?? NO_EDITS);
		return current;
	};
	const profileOf = (json: unknown) => parseProfile(json, 'profile (sent to the worker)');

	const handlers: Handlers = {
		open: ({ graph, region, profile }) => {
			const roadGraph = graph ? RoadGraph.from(graph) : null;
			const parsed = profileOf(profile);
			session = new WhatIfSession(roadGraph, region, parsed);
			return {
				result: {
					nodes: roadGraph?.nodeCount ?? 0,
					directedEdges: roadGraph?.edgeCount ?? 0,
					profileId: parsed.id
				}
			};
		},
		setProfile: ({ profile }) => {
			const parsed = profileOf(profile);
			opened().setProfile(parsed);
			return { result: { profileId: parsed.id } };
		},
		run: ({ settings, planned, edits }) => {
			const current = withPlan(planned, edits);
			const result = current.run(settings);
			return { result, transfer: [result.minutes.buffer, result.covered.buffer] as ArrayBuffer[] };
		},
		site: async ({ request, settings, planned, edits, service }, progress) => {
			const current = withPlan(planned, edits);
			const exact = request.exact !== false ? await solver() : null;
			const outcome = await current.site(request, settings, exact, progress, service);
			return { result: { ...outcome, solver: exact?.name ?? null } };
		},
		evaluate: ({ project, settings, planned, edits, generatedAt }) => {
			const current = withPlan(planned, edits);
			return { result: current.evaluate(project, settings, generatedAt) };
		},
		isochrone: ({ facilityId, settings }) => ({
			result: opened().isochrone(facilityId, settings)
		})
	};

	async function runOne(message: CallMessage) {
		if (cancelled.delete(message.id)) {
			post({ id: message.id, ok: false, code: 'CANCELLED', message: 'cancelled' }, []);
			return;
		}
		const started = Date.now();
		const progress: Progress = (done, total, label) =>
			post({ id: message.id, progress: { done, total, label } }, []);
		try {
			const handler = handlers[message.call] as AnyHandler | undefined;
			if (!handler) throw new HostError('UNKNOWN_CALL', `unknown call "${String(message.call)}"`);
			const { result, transfer } = await handler(message.params, progress);
			post({ id: message.id, ok: true, result, engineMs: Date.now() - started }, transfer ?? []);
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			post(
				{
					id: message.id,
					ok: false,
					code: typeof code === 'string' ? code : 'ENGINE_ERROR',
					message: (error as Error).message ?? String(error)
				},
				[]
			);
		}
	}

	// One call at a time, in order: an async call (a solver) holds the queue until it ends.
	async function drain() {
		scheduled = false;
		if (draining) return;
		draining = true;
		try {
			while (queue.length) await runOne(queue.shift()!);
		} finally {
			draining = false;
		}
	}

	return (message: ToEngine) => {
		if ('cancel' in message) {
			// Only a call still queued can be dropped; a cancel for a finished call is forgotten.
			if (queue.some((queued) => queued.id === message.id)) cancelled.add(message.id);
			return;
		}
		queue.push(message);
		if (!scheduled && !draining) {
			scheduled = true;
			schedule(() => void drain());
		}
	};
}
