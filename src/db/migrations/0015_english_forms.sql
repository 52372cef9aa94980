ALTER TABLE "offices" ADD COLUMN "name_en" text;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "hours_en" text;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "name_en" text;--> statement-breakpoint
ALTER TABLE "distribution_events" ADD COLUMN "title_en" text;