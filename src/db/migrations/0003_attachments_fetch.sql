CREATE TABLE "attachment_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "size" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "sha256" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "ref" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "fail_reason" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "attempts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "stored_at" timestamp with time zone;--> statement-breakpoint
-- Rows written before this migration carry no provider ref and their bytes were never copied into
-- attachment_blobs: nothing can fetch or serve them, so they are marked failed with the reason (hand-added).
UPDATE "attachments" SET "status" = 'failed', "fail_reason" = 'no_source: filed before attachments were fetched';--> statement-breakpoint
CREATE INDEX "attachments_complaint_idx" ON "attachments" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "attachments_pending_idx" ON "attachments" USING btree ("next_attempt_at") WHERE "attachments"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_stored_has_bytes" CHECK ("attachments"."status" <> 'stored' or ("attachments"."sha256" is not null and "attachments"."size" is not null));