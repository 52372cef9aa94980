DROP INDEX "outbox_recent_sent_idx";--> statement-breakpoint
CREATE INDEX "outbox_chat_sent_idx" ON "outbox" USING btree ("contact_id","sent_at") WHERE "outbox"."status" = 'sent';