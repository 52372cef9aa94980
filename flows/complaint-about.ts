import type { StepContext } from '../src/conversation/types.ts';
import type { Option } from '../src/messages/types.ts';
import type { AgentProblem } from '../src/domain/vocabulary.ts';
import { nameOf } from './common.ts';

// What a report is about beyond the resident's words (issue 20): the program it names, which decides the bidang
// that answers it, and the e-warong or agent it names, against which it is counted. A verified chat is offered
// its own family's programs and nearby agents as buttons; anyone may type a name instead, matched when the
// report is sent (services/programs/match.ts, services/agents/match.ts). The words stay in the report either way.
//
// Session data: picks (field name → the id and label of the button pressed for it; the id counts only while
// the answer is still that label, so a changed answer is matched afresh).

/** The answers to "Apa yang terjadi?" that are about the e-warong or agent rather than the transfer. */
export const AGENT_ISSUES = ['quality', 'quantity', 'closed', 'price'] as const satisfies readonly AgentProblem[];

export const aboutAgent = (answers: Record<string, string>) => (AGENT_ISSUES as readonly string[]).includes(answers.problem ?? '');

const PICK = 'pick:';

interface Pick {
  id: number;
  label: string;
}

/** The buttons drawn from the registry for a question, with the id each stands for. */
export type Choices = (ctx: StepContext) => Promise<(Option & { ref: number })[]>;

/** The programs the verified family receives. */
export const programChoices: Choices = async (ctx) => {
  if (ctx.contact.memberId === null) return [];
  const family = await ctx.services.programs.familyPrograms(ctx.contact.memberId);
  return (family?.programs ?? []).map((p) => ({ id: `${PICK}${p.id}`, label: nameOf(ctx, p), ref: p.id }));
};

/** The e-warong and agents nearest the verified family that serve its programs. */
export const agentChoices: Choices = async (ctx) => {
  if (ctx.contact.memberId === null) return [];
  const near = await ctx.services.agents.nearbyAgents(ctx.contact.memberId);
  return near.map((a) => ({ id: `${PICK}${a.id}`, label: a.name, ref: a.id }));
};

function picksOf(ctx: StepContext): Record<string, Pick> {
  const p = ctx.data.picks;
  if (p && typeof p === 'object' && !Array.isArray(p)) return p as Record<string, Pick>;
  const fresh: Record<string, Pick> = {};
  ctx.data.picks = fresh;
  return fresh;
}

/** A button of `choices` pressed for `field`: its label becomes the answer, its id is kept. False: not one of them. */
export async function takePick(ctx: StepContext, field: string, choices: Choices, choice: string | undefined, answers: Record<string, string>): Promise<boolean> {
  if (!choice?.startsWith(PICK)) return false;
  const picked = (await choices(ctx)).find((c) => c.id === choice);
  if (!picked) return false;
  answers[field] = picked.label;
  picksOf(ctx)[field] = { id: picked.ref, label: picked.label };
  return true;
}

/** The id behind an answer: the button pressed for it, else the name typed, matched. */
async function resolve(ctx: StepContext, field: string, answer: string | undefined, match: (text: string) => Promise<{ id: number } | null>): Promise<number | null> {
  if (answer === undefined || answer === 'unknown') return null;
  const pick = picksOf(ctx)[field];
  if (pick && pick.label === answer) return pick.id;
  return (await match(answer))?.id ?? null;
}

export interface ReportAbout {
  programId: number | null;
  agentId: number | null;
  agentProblem: AgentProblem | null;
}

/** At sending: the program and agent the answers name, and what went wrong at the agent. */
export async function reportAbout(ctx: StepContext, answers: Record<string, string>, asked: ReadonlySet<string>): Promise<ReportAbout> {
  const programId = asked.has('program') ? await resolve(ctx, 'program', answers.program, (text) => ctx.services.programs.matchProgram(text)) : null;
  if (!asked.has('agent') || !aboutAgent(answers)) return { programId, agentId: null, agentProblem: null };
  const agentId = await resolve(ctx, 'agent', answers.agent, (text) => ctx.services.agents.matchAgent(text, { memberId: ctx.contact.memberId }));
  return { programId, agentId, agentProblem: answers.problem as AgentProblem };
}
