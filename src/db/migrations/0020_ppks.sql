CREATE TABLE "duty_roster" (
	"on_date" date PRIMARY KEY NOT NULL,
	"staff_id" integer NOT NULL,
	"set_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "urgent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "duty_roster" ADD CONSTRAINT "duty_roster_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_roster" ADD CONSTRAINT "duty_roster_set_by_staff_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaints_urgent_open_idx" ON "complaints" USING btree ("verify_due_at") WHERE "complaints"."urgent" and "complaints"."status" <> 'closed';--> statement-breakpoint
-- Reports of people in need go to Rehsos (rehabilitasi sosial) by default, where a city already has its routes;
-- a new city gets the same route from its seed (services/seed). Admins may change it like any route.
INSERT INTO "complaint_routes" ("category", "bidang")
SELECT 'ppks', 'Rehsos'
WHERE EXISTS (SELECT 1 FROM "complaint_routes")
  AND NOT EXISTS (SELECT 1 FROM "complaint_routes" WHERE "category" = 'ppks' AND "kecamatan_id" IS NULL);
