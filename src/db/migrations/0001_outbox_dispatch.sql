CREATE TABLE "channel_budgets" (
	"channel" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"refilled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "outbox_claim_idx" ON "outbox" USING btree ("channel","priority","id") WHERE "outbox"."status" = 'pending';