// The photo of a surat kuasa a resident sends while naming a kuasa in the chat. It is recorded with the
// kuasa (services/distribution/invitations.ts nameProxy → recordAttachments) and fetched by the same job as complaint
// photos; staff who decide kuasa read it here, with the kuasa's own rule: distribution.manage, and the
// household's kecamatan for staff bound to one. Out of scope and "no such file" are the same answer.

import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { attachmentBlobs, attachments, households, invitations, kelurahan, proxies } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { ATTACHMENT_VIEW_COLUMNS, type AttachmentFile, type AttachmentView } from '../complaints/attachments.ts';
import { canManage } from './common.ts';

export interface ProxyAttachmentView extends AttachmentView {
  proxyId: number;
}

/** The kuasa's household kecamatan is the actor's, or the actor is city-wide. */
function inActorsArea(actor: Actor): SQL | undefined {
  return actor.kecamatanId !== null ? eq(kelurahan.kecamatanId, actor.kecamatanId) : undefined;
}

/**
 * The files sent with these kuasa, by kuasa id, oldest first; kuasa outside the actor's area are left out
 * (the console lists the ones pendingProxies answered, which are already in the area). Only what the file
 * is and whether it is stored: no bytes, so nothing here is read or audited.
 */
export async function proxyAttachments(db: Db, actor: Actor, proxyIds: readonly number[]): Promise<Map<number, ProxyAttachmentView[]>> {
  canManage(actor);
  const ids = [...new Set(proxyIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
  const out = new Map<number, ProxyAttachmentView[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ proxyId: proxies.id, ...ATTACHMENT_VIEW_COLUMNS })
    .from(attachments)
    .innerJoin(proxies, eq(proxies.id, attachments.proxyId))
    .innerJoin(invitations, eq(invitations.id, proxies.invitationId))
    .innerJoin(households, eq(households.id, invitations.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .where(and(inArray(attachments.proxyId, ids), inActorsArea(actor)))
    .orderBy(asc(attachments.id));
  for (const r of rows) {
    const list = out.get(r.proxyId) ?? [];
    list.push(r);
    out.set(r.proxyId, list);
  }
  return out;
}

/**
 * The bytes of one stored file of a kuasa, for the console to stream; every read is audited
 * (proxy.attachment_read). Null when the kuasa is outside the actor's area, the file is not this kuasa's,
 * or it is not stored (yet): the caller answers 404 for all of them alike. Throws Forbidden without
 * distribution.manage.
 */
export async function readProxyAttachment(db: Db, actor: Actor, proxyId: number, attachmentId: number, opts: { now?: Date } = {}): Promise<AttachmentFile | null> {
  canManage(actor);
  if (!Number.isSafeInteger(proxyId) || proxyId < 1 || !Number.isSafeInteger(attachmentId) || attachmentId < 1) return null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: attachments.id, mimeType: attachments.mimeType, fileName: attachments.fileName, bytes: attachmentBlobs.bytes, invitationId: invitations.id })
      .from(attachments)
      .innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
      .innerJoin(proxies, eq(proxies.id, attachments.proxyId))
      .innerJoin(invitations, eq(invitations.id, proxies.invitationId))
      .innerJoin(households, eq(households.id, invitations.householdId))
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .where(and(eq(attachments.id, attachmentId), eq(attachments.proxyId, proxyId), eq(attachments.status, 'stored'), inActorsArea(actor)));
    if (!row) return null;
    await audit(tx, actor, {
      action: 'proxy.attachment_read',
      entity: 'proxy',
      entityId: proxyId,
      details: { attachmentId: row.id, invitationId: row.invitationId },
      ...(opts.now ? { at: opts.now } : {}),
    });
    return { id: row.id, mimeType: row.mimeType, fileName: row.fileName, bytes: row.bytes };
  });
}
