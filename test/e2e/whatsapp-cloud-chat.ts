import type { ChannelSender } from '../../src/outbox/sender.ts';
import type { Database } from '../../src/db/client.ts';
import { signedWebhook, webhook, type FakeGraph } from '../fakes/graph.ts';
import { drainOutbox } from '../helpers/drain.ts';

// One resident's WhatsApp seen from Meta's side: signed webhooks go to the app over HTTP, the outbox is
// drained through the real Cloud API sender, and what the fake Graph API accepted for this number comes back.

type Body = Record<string, any>;

/** The text a resident reads in a Graph API message body. */
export const bodyText = (b: Body): string => b.text?.body ?? b.interactive?.body?.text ?? b.image?.caption ?? '';
export const bodiesText = (bodies: Body[]) => bodies.map(bodyText).join('\n\n');

export interface CloudOption {
  id: string;
  title: string;
  /** Reply buttons come back as button_reply, list rows as list_reply. */
  kind: 'button' | 'row';
}

export class CloudChat {
  private seen = 0;

  constructor(
    private readonly base: string,
    private readonly database: Database,
    private readonly graph: FakeGraph,
    private readonly sender: ChannelSender,
    private readonly appSecret: string,
    readonly wa: string,
    readonly name = 'Warga',
  ) {}

  /** Everything the Graph API accepted for this number. */
  get all(): Body[] {
    return this.graph.sent().filter((b) => b.to === this.wa);
  }

  /** The choices of the last interactive message (buttons or list rows). */
  get options(): CloudOption[] {
    const last = [...this.all].reverse().find((b) => b.type === 'interactive');
    if (!last) return [];
    const i = last.interactive;
    if (i.type === 'button') return i.action.buttons.map((b: Body) => ({ id: b.reply.id, title: b.reply.title, kind: 'button' as const }));
    return i.action.sections.flatMap((s: Body) => s.rows).map((r: Body) => ({ id: r.id, title: r.title, kind: 'row' as const }));
  }

  say(text: string): Promise<Body[]> {
    return this.post(webhook.text(this.wa, text, { name: this.name }));
  }

  /** Taps a button or picks a list row of the last interactive message, as WhatsApp reports it. */
  choose(id: string): Promise<Body[]> {
    const o = this.options.find((x) => x.id === id);
    if (!o) throw new Error(`no option ${id} on the last interactive message (${this.options.map((x) => x.id).join(', ')})`);
    return this.post(o.kind === 'button' ? webhook.buttonReply(this.wa, o.id, o.title, { name: this.name }) : webhook.listReply(this.wa, o.id, o.title, { name: this.name }));
  }

  async post(payload: unknown): Promise<Body[]> {
    const { body, headers } = signedWebhook(payload, this.appSecret);
    const res = await fetch(`${this.base}/webhooks/whatsapp`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    return this.drain();
  }

  /** Sends what the outbox holds for WhatsApp Cloud and returns what reached this number since the last call. */
  async drain(): Promise<Body[]> {
    const results = await drainOutbox(this.database, this.sender);
    const stuck = results.filter((r) => r.status !== 'sent');
    if (stuck.length > 0) throw new Error(`not sent: ${JSON.stringify(stuck)}`);
    const fresh = this.all.slice(this.seen);
    this.seen = this.all.length;
    return fresh;
  }
}
