// Broadcasts (issue 7): announcements to a segment of residents through the outbox.
export * from './common.ts';
export type { BroadcastSegment } from '../../db/schema/index.ts';
export { broadcastInScope, createBroadcast, getBroadcast, listBroadcasts, updateDraft, type BroadcastInput } from './drafts.ts';
export { previewBroadcast, type BroadcastPreview } from './preview.ts';
export { cancelBroadcast, scheduleBroadcast } from './schedule.ts';
export { sendDueBroadcasts } from './send.ts';
export { interruptedCount, resendInterrupted } from './resend.ts';
export { broadcastStats, type BroadcastStats } from './stats.ts';
export { countSegment, segmentRecipients, type SegmentCount } from './segment.ts';
export { MAX_TEXT, MAX_TITLE } from './texts.ts';
