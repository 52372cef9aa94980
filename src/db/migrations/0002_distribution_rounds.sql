ALTER TABLE "distribution_events" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "previous_invitation_id" bigint;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "reminder_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "invitations_event_status_idx" ON "invitations" USING btree ("event_id","status");