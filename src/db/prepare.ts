import type postgres from 'postgres';

// drizzle sends every statement unnamed, so postgres.js spends two round trips on each one with parameters
// (Parse/Describe, wait, then Bind/Execute) and PostgreSQL parses and plans it every time. A named prepared
// statement costs one round trip and no parse after its first use. On loopback TCP the socket writes were
// the largest single cost of an inbound turn (about a third of the busy CPU in the profile), so halving
// them matters more than anything the query builder does.
//
// postgres.js keeps every prepared statement for the life of each connection, and so does the server, so a
// statement text is prepared only once it has come back (a turn's statements repeat; a bulk insert of an
// odd number of rows does not), never when it carries many parameters, and never beyond a fixed number of
// texts: the memory this can hold is bounded whatever the queries look like.
export const PREPARED_TEXTS_MAX = 400;
const PARAMS_MAX = 100;
const SEEN_MAX = 5_000;

export interface PreparePolicy {
  admit(text: string, params: readonly unknown[]): boolean;
  readonly size: number;
}

export function preparePolicy(max = PREPARED_TEXTS_MAX): PreparePolicy {
  const admitted = new Set<string>();
  const seen = new Set<string>();
  return {
    admit(text, params) {
      if (params.length === 0 || params.length > PARAMS_MAX) return false;
      if (admitted.has(text)) return true;
      if (admitted.size >= max) return false;
      if (seen.delete(text)) {
        admitted.add(text);
        return true;
      }
      if (seen.size >= SEEN_MAX) seen.clear();
      seen.add(text);
      return false;
    },
    get size() {
      return admitted.size;
    },
  };
}

/**
 * The same client, whose `unsafe` (what drizzle calls for every statement) prepares what the policy admits,
 * inside transactions and savepoints too.
 */
export function preparing(client: postgres.Sql, policy: PreparePolicy): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (text: string, params: postgres.ParameterOrJSON<never>[] = [], options: postgres.UnsafeQueryOptions = {}) =>
          target.unsafe(text, params, { ...options, prepare: options.prepare === true || policy.admit(text, params) });
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const body = args.pop() as (inner: postgres.Sql) => unknown;
          return open(...args, (inner: postgres.Sql) => body(preparing(inner, policy)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
