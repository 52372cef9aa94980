import type { TFunction } from 'i18next';
import { MESSAGE_KINDS, type Locale } from '../../../../domain/vocabulary.ts';
import { formatTime } from '../../shell/layout.tsx';

// A conversation as an officer reads it, for a complaint and a live chat alike: the resident's and the
// officers' messages in full, the bot's turns between them folded away (open them to see what the resident
// was asked), a button press shown as the option chosen.

export interface ThreadMessage {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  body: string | null;
  chosen: string | null;
  staffId: number | null;
  createdAt: Date;
}

type Group = { bot: false; message: ThreadMessage } | { bot: true; messages: ThreadMessage[] };

/** Consecutive bot messages become one folded group; everything else stands alone. */
function grouped(messages: readonly ThreadMessage[]): Group[] {
  const out: Group[] = [];
  for (const m of messages) {
    const bot = m.direction === 'out' && m.staffId === null;
    const last = out.at(-1);
    if (bot && last?.bot) last.messages.push(m);
    else if (bot) out.push({ bot: true, messages: [m] });
    else out.push({ bot: false, message: m });
  }
  return out;
}

export interface ThreadProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  messages: readonly ThreadMessage[];
  staffName: (id: number | null) => string;
  /** What tests and scripts find it by: the chat itself, or a case's own messages when its chat is hidden. */
  testId?: string;
}

export function Thread({ t, locale, timeZone, messages, staffName, testId = 'conversation' }: ThreadProps) {
  const time = (d: Date) => formatTime(d, locale, timeZone);
  const one = (m: ThreadMessage) => (
    <li class={m.direction === 'in' ? 'message_in' : 'message_out'} data-id={String(m.id)}>
      <div class="meta">
        {m.direction === 'in' ? t('console:thread.resident') : m.staffId !== null ? t('console:thread.officer', { name: staffName(m.staffId) }) : t('console:thread.bot')} · {time(m.createdAt)}
      </div>
      {m.kind === 'choice' ? (
        <div class="text chosen">{t('console:thread.chose', { option: m.chosen ?? m.body ?? '' })}</div>
      ) : m.body ? (
        <div class="text">{m.body}</div>
      ) : (
        <div class="text meta">{t(`console:thread.kind.${(MESSAGE_KINDS as readonly string[]).includes(m.kind) && m.kind !== 'choice' ? m.kind : 'other'}`)}</div>
      )}
    </li>
  );
  return (
    <ol class="events" data-testid={testId}>
      {grouped(messages).map((g) =>
        g.bot ? (
          <li class="bot-group">
            <details class="bot-turns">
              <summary>{t('console:thread.botTurns', { count: g.messages.length })}</summary>
              <ol class="events">{g.messages.map(one)}</ol>
            </details>
          </li>
        ) : (
          one(g.message)
        ),
      )}
    </ol>
  );
}
