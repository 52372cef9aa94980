// The fake Bot API in a process of its own, as Telegram is: so the dispatcher being measured does not share its
// one thread with the server it sends to. Parent ↔ child over IPC: 'ready' with the address, then 'count' of
// what arrived, 'between' (how many arrived in a window of wall-clock ms), 'report' of each (chat, text, time).
import { FakeTelegram } from '../test/fakes/telegram.ts';

const fake = await FakeTelegram.start();
process.send!({ type: 'ready', apiRoot: fake.apiRoot, token: fake.token });
process.on('message', async (msg: { type: string; from?: number; to?: number }) => {
  if (msg.type === 'count') process.send!({ type: 'count', count: fake.sentMessages.length });
  if (msg.type === 'between') process.send!({ type: 'between', count: fake.sentMessages.filter((m) => m.at >= msg.from! && m.at < msg.to!).length });
  if (msg.type === 'report') {
    process.send!({ type: 'report', sent: fake.sent().map((m) => ({ chatId: m.chatId, text: m.text ?? m.caption ?? '', at: m.at })) });
  }
  if (msg.type === 'close') {
    await fake.close();
    process.exit(0);
  }
});
