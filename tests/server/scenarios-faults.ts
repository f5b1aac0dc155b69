/**
 * Fault injection for the scenario store's transaction tests: a Kysely plugin that runs `onFault`
 * (throw, or kill the process) when the n-th INSERT into scenario_streets is about to run — after
 * the scenario row and the earlier street rows of the same save were written. No test hook in the
 * repository itself: the plugin wraps the Kysely instance the repository is given.
 */
import type {
	KyselyPlugin,
	PluginTransformQueryArgs,
	PluginTransformResultArgs,
	QueryResult,
	RootOperationNode,
	UnknownRow
} from 'kysely';

export class FailOnStreetInsert implements KyselyPlugin {
	#seen = 0;
	readonly #failAt: number;
	readonly #onFault: () => never;

	constructor(failAt: number, onFault: () => never) {
		this.#failAt = failAt;
		this.#onFault = onFault;
	}

	transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
		if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'scenario_streets')
			if (++this.#seen === this.#failAt) this.#onFault();
		return node;
	}

	async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return result;
	}
}
