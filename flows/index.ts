import type { FlowRegistry } from '../src/conversation/types.ts';
import { aid } from './aid.ts';
import { complaint } from './complaint.ts';
import { CSAT_ROUTE, csat } from './csat.ts';
import { faq } from './faq.ts';
import { handover } from './handover.ts';
import { identity } from './identity.ts';
import { INVITATION_ROUTE, invitations } from './invitations.ts';
import { LAPOR_ROUTE, lapor } from './lapor.ts';
import { menu } from './menu.ts';
import { proxy } from './proxy.ts';
import { rights } from './rights.ts';
import { language, welcome } from './welcome.ts';

/** Every conversation the engine can run, by id. The menu and other flows name them here. */
export const flows: FlowRegistry = { welcome, language, menu, identity, aid, complaint, invitations, proxy, faq, handover, csat, lapor, rights };

/** Buttons sent outside a conversation (the rating question) and the steps that take them. */
export const choiceRoutes = [CSAT_ROUTE, LAPOR_ROUTE, INVITATION_ROUTE];
