import type { Flow, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { formatDate } from '../src/domain/dates.ts';
import { normalize } from '../src/domain/text.ts';
import type { MyData } from '../src/services/for-flows.ts';
import { day, menuOption } from './common.ts';

// The data subject's rights in the chat (UU 27/2022; DESIGN.md "Privacy and security"), each reached by a
// command that works at any step (src/domain/commands.ts): DATA SAYA shows what is held about the member this
// chat is linked to, HAPUS RIWAYAT deletes the chat's history after a confirmation, BERHENTI stops every message
// that is not a reply and MULAI lets them come again. Correcting data is a report of its own (complaint category
// wrong_data), offered from the data view.
//
// Session data: mode ('unlinked' | 'shown', what the data step showed).

// ---- DATA SAYA -----------------------------------------------------------------------------------------

function dataReplies(ctx: StepContext, d: MyData): Reply[] {
  const { t } = ctx;
  const place = [d.rt ? t('rights:data.rt', { rt: d.rt }) : '', d.rw ? t('rights:data.rw', { rw: d.rw }) : '', t('rights:data.area', { kelurahan: d.kelurahan, kecamatan: d.kecamatan })]
    .filter(Boolean)
    .join(', ');
  const person = [
    t('rights:data.header'),
    t('rights:data.name', { name: d.maskedName }),
    t('rights:data.nik', { nik: d.maskedNik }),
    t('rights:data.kk', { kk: d.maskedNoKk }),
    t('rights:data.birthYear', { year: d.birthYear }),
    t('rights:data.address', { place }),
    d.maskedPhone ? t('rights:data.phone', { phone: d.maskedPhone }) : t('rights:data.noPhone'),
  ];
  const family = [
    t('rights:data.familyHeader'),
    ...d.family.map((m) => {
      const notes = [m.self ? t('rights:data.you') : '', m.deceased ? t('rights:data.deceased') : '', m.missing ? t('rights:data.missing') : ''].filter(Boolean);
      return t('rights:data.familyLine', { name: m.maskedName, relationship: t(`rights:relationship.${m.relationship}`), notes: notes.length ? ` (${notes.join(', ')})` : '' });
    }),
  ];
  const aid = [d.desil === null ? t('rights:data.noDesil') : t('rights:data.desil', { desil: d.desil })];
  if (d.programs.length === 0) aid.push(t('rights:data.noPrograms'));
  else {
    aid.push(t('rights:data.programsHeader'));
    for (const p of d.programs) {
      aid.push(t('rights:data.programLine', { name: p.name, status: t(`rights:status.${p.status}`), who: p.memberMaskedName ? t('rights:data.forMember', { name: p.memberMaskedName }) : '' }));
    }
  }
  if (d.snapshotDate) aid.push(t('rights:data.snapshot', { date: formatDate(d.snapshotDate, ctx.locale) }));
  const about = [d.link ? t('rights:data.linked', { proof: t(`rights:proof.${d.link.proof}`), date: day(ctx, d.link.linkedAt) }) : '', t('rights:data.correct'), t('rights:data.otherRights')].filter(Boolean);
  return [
    { text: person.join('\n') },
    { text: family.join('\n') },
    { text: aid.join('\n') },
    { text: about.join('\n\n'), options: [{ id: 'correct', label: t('rights:options.correct') }, menuOption(t)] },
  ];
}

const data: Step = {
  async prompt(ctx) {
    const memberId = ctx.contact.memberId;
    if (memberId === null) {
      // What is held is shown only to a chat proved by possession or in person: a NIK typed here proves nothing.
      ctx.data.mode = 'unlinked';
      return [{ text: ctx.t('rights:data.needsLink'), options: [{ id: 'verify', label: ctx.t('rights:options.verify') }, menuOption(ctx.t)] }];
    }
    ctx.data.mode = 'shown';
    return dataReplies(ctx, await ctx.services.rights.myData({ memberId, contactId: ctx.contact.id, now: ctx.now }));
  },
  handle(ctx, answer) {
    if (answer.choice === 'verify' && ctx.data.mode === 'unlinked') return { flow: 'identity', data: { then: 'myData' } };
    if (answer.choice === 'correct' && ctx.data.mode === 'shown') return { flow: 'complaint', step: 'question', data: { category: 'wrong_data', answers: {} } };
    return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};

// ---- HAPUS RIWAYAT -------------------------------------------------------------------------------------

const YES = new Set(['ya', 'iya', 'y', 'yes', 'ok', 'oke', 'hapus', 'delete', 'ya hapus']);
const NO = new Set(['tidak', 'tdk', 'ga', 'gak', 'nggak', 'no', 'jangan', 'tidak jadi']);

const deleteAsk: Step = {
  prompt: ({ t }) => [
    {
      text: t('rights:delete.confirm'),
      options: [
        { id: 'yes', label: t('rights:options.deleteYes') },
        { id: 'no', label: t('rights:options.deleteNo') },
      ],
    },
  ],
  async handle(ctx, answer) {
    const typed = normalize(answer.text);
    if (answer.choice === 'yes' || (!answer.choice && YES.has(typed))) {
      await ctx.services.rights.deleteHistory({ contactId: ctx.contact.id, now: ctx.now });
      return { say: [{ text: ctx.t('rights:delete.done') }], end: true };
    }
    if (answer.choice === 'no' || (!answer.choice && NO.has(typed))) return { say: [{ text: ctx.t('rights:delete.kept') }], end: true };
    return { say: [{ text: ctx.t('rights:delete.pick') }], retry: true };
  },
};

// ---- BERHENTI / MULAI ----------------------------------------------------------------------------------

/**
 * Says that messages stopped, and rests: whatever the resident writes next is read by the menu, as if they had
 * written it there. Saying it again (or BANTUAN here) only says since when.
 */
const stop: Step = {
  async prompt(ctx) {
    const stopped = await ctx.services.rights.stopMessages({ contactId: ctx.contact.id, now: ctx.now });
    const text = stopped.already ? ctx.t('rights:stop.already', { since: day(ctx, stopped.since) }) : ctx.t('rights:stop.done');
    return [{ text, options: [{ id: 'resume', label: ctx.t('rights:options.resume') }, menuOption(ctx.t)] }];
  },
  handle(_ctx, answer) {
    if (answer.choice === 'resume') return { goto: 'resume' };
    if (answer.choice === 'cmd:menu') return { end: true };
    return { flow: 'menu', step: 'main', forward: true };
  },
};

/** MULAI: messages come again. From a chat that never stopped it is simply the menu (Telegram's /start). */
const resume: Step = {
  async prompt(ctx) {
    const resumed = await ctx.services.rights.resumeMessages({ contactId: ctx.contact.id, now: ctx.now });
    return resumed ? [{ text: ctx.t('rights:resume.done') }] : [];
  },
  next: { end: true },
};

export const rights: Flow = {
  id: 'rights',
  start: 'data',
  steps: { data, deleteAsk, stop, resume },
};
