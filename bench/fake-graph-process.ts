// The fake Graph API (test/fakes/graph.ts) in a process of its own, as Meta is: so the dispatcher being measured
// does not share its one thread with the server it sends to (the same reason as fake-telegram-process.ts).
// Parent ↔ child over IPC: 'ready' with the address, 'count' of accepted messages, 'between' (how many were
// accepted in a window of wall-clock ms), 'report' of each accepted message (recipient, message type, arrival
// time), 'close'.
import { startFakeGraph } from '../test/fakes/graph.ts';

const fake = await startFakeGraph();
const accepted = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages') && r.status === 200);
process.send!({ type: 'ready', apiRoot: fake.apiRoot, token: fake.token, phoneNumberId: fake.phoneNumberId });
process.on('message', async (msg: { type: string; from?: number; to?: number }) => {
  if (msg.type === 'count') process.send!({ type: 'count', count: accepted().length });
  if (msg.type === 'between') process.send!({ type: 'between', count: accepted().filter((r) => r.at >= msg.from! && r.at < msg.to!).length });
  if (msg.type === 'report') {
    process.send!({ type: 'report', sent: accepted().map((r) => ({ to: String(r.json!.to), type: String(r.json!.type), at: r.at })) });
  }
  if (msg.type === 'close') {
    await fake.close();
    process.exit(0);
  }
});
