// The dependency direction of DESIGN.md ("Layout"), checked on every `npm test` (test/architecture).
//
//   app, cli ─► http, channels ─► conversation ─► flows ─► services ─► outbox ─► messages, domain, db
//   (config, log, i18n are used by all; metrics read the outbox and are reported to by the engine, channels, pages)
//
// Flows see the engine only through its contract (conversation/types.ts) and services only through the list
// made for them (services/for-flows.ts). domain/ and messages/ are pure. Type-only imports count too: a
// circle of types is still a circle a reader has to untangle.

const layer = {
  domain: '^src/domain/',
  messages: '^src/messages/',
  infra: '^src/(config|log|i18n)[.]ts$',
  metrics: '^src/metrics/',
  db: '^src/db/',
  schema: '^src/db/schema/',
  outbox: '^src/outbox/',
  services: '^src/services/',
  flows: '^flows/',
  conversation: '^src/conversation/',
  channels: '^src/channels/',
  http: '^src/http/',
  top: '^src/(app|cli)/|^src/main[.]ts$',
};
const any = (...names) => names.map((n) => layer[n]);

/** `from` may import only what `allowed` lists (and npm packages and node built-ins). */
const only = (name, from, allowed, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from },
  to: { path: '^(src|flows)/', pathNot: allowed },
});
const never = (name, from, to, comment, except) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from, ...(except ? { pathNot: except } : {}) },
  to: { path: to },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import circle, type imports included.', from: {}, to: { circular: true } },
    only('domain-is-pure', layer.domain, any('domain'), 'domain/ holds pure rules: it imports nothing of the project but itself.'),
    only('messages-know-no-io', layer.messages, any('messages', 'domain', 'infra'), 'messages/ says what is told to a resident, from locales/; it knows no database, service or channel.'),
    only('infra-stays-low', layer.infra, any('infra', 'domain'), 'config, log and i18n are used by every layer and so may use none.'),
    only('db-below-all', layer.db, any('db', 'domain'), 'The schema and the client know nothing above them; value lists come from domain/vocabulary.ts.'),
    only('metrics-above-the-outbox', layer.metrics, any('metrics', 'outbox', 'db', 'domain', 'infra'), 'Metrics read the outbox and the database; the engine, channels and pages report to them.'),
    only('outbox-below-services', layer.outbox, any('outbox', 'db', 'domain', 'messages', 'infra'), 'The outbox is driven by services and channels; it calls neither.'),
    only('services-below-conversation', layer.services, any('services', 'outbox', 'db', 'domain', 'messages', 'infra'), 'Services are the use cases; they know no flow, engine, channel or page.'),
    only(
      'flows-through-their-contracts',
      layer.flows,
      ['^flows/', layer.domain, layer.messages, '^src/conversation/types[.]ts$', '^src/services/for-flows[.]ts$', '^src/config[.]ts$'],
      'A flow implements the engine\'s types and calls only services/for-flows.ts.',
    ),
    only('conversation-below-channels', layer.conversation, any('conversation', 'services', 'outbox', 'db', 'domain', 'messages', 'infra', 'metrics'), 'The engine knows no particular flow (they are handed in) and no channel.'),
    never('channels-not-http-or-top', layer.channels, [layer.http, layer.top, layer.schema, layer.flows].join('|'), 'Channels normalise, render and send; tables are written by services and the outbox.'),
    never('http-not-top-or-schema', layer.http, [layer.top, layer.schema, layer.flows].join('|'), 'Pages and the API call services; they never query tables themselves.'),
    never('nothing-imports-the-top', '^(src|flows)/', layer.top, 'app/ and cli/ compose everything; nothing below may reach back up.', layer.top),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test|bench|scripts)/' },
  },
};
