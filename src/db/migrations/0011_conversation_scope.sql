-- Conversation scope (issue 15): messages tagged with their complaint, and the message a handover began at.
-- No backfill: which case an old message belonged to cannot be told after the fact, so complaints filed before
-- this upgrade show no chat on their page (their history of replies and notes stays), and a handover already
-- open shows its messages since handover_at.
ALTER TABLE "contacts" ADD COLUMN "handover_message_id" bigint;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "complaint_id" bigint;--> statement-breakpoint
CREATE INDEX "messages_complaint_idx" ON "messages" USING btree ("complaint_id","created_at") WHERE "messages"."complaint_id" is not null;