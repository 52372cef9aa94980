CREATE TABLE "session_keys" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_keys_one_row" CHECK ("session_keys"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
-- Sessions keep a typed NIK sealed from now on (conversation/seal.ts); 0008 dropped the identity flow's, this
-- drops the one a complaint in progress holds. That complaint asks for it again.
UPDATE "sessions" SET "data" = "data" #- '{answers,nik}' WHERE "data"->'answers' ? 'nik';
