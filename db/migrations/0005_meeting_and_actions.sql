CREATE TYPE "public"."action_priority" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."action_status" AS ENUM('open', 'in_progress', 'completed', 'not_completed');--> statement-breakpoint
CREATE TYPE "public"."attendance_status" AS ENUM('present', 'apologies', 'absent');--> statement-breakpoint
CREATE TYPE "public"."not_completed_reason" AS ENUM('circumstances_changed', 'not_undertaken');--> statement-breakpoint
CREATE TABLE "action_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"user_id" uuid,
	"from_status" "action_status",
	"to_status" "action_status" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"changes" text[] DEFAULT '{}' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_case_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"description" text NOT NULL,
	"owner_agency_id" uuid NOT NULL,
	"owner_user_id" uuid,
	"owner_name" text DEFAULT '' NOT NULL,
	"due_on" date NOT NULL,
	"priority" "action_priority" DEFAULT 'medium' NOT NULL,
	"status" "action_status" DEFAULT 'open' NOT NULL,
	"not_completed_reason" "not_completed_reason",
	"note" text DEFAULT '' NOT NULL,
	"completed_on" date,
	"carried_count" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"agency_id" uuid,
	"person_name" text DEFAULT '' NOT NULL,
	"observer_organisation" text DEFAULT '' NOT NULL,
	"status" "attendance_status" NOT NULL,
	"info_sent" boolean DEFAULT false NOT NULL,
	"confidentiality_confirmed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "info_shared" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "risks_victim" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "risks_children" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "risks_others" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "risks_staff" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "safety_planning" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "crimes_reported" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD COLUMN "decisions" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "minutes_circulated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "action_updates" ADD CONSTRAINT "action_updates_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_updates" ADD CONSTRAINT "action_updates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_meeting_case_id_meeting_cases_id_fk" FOREIGN KEY ("meeting_case_id") REFERENCES "public"."meeting_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_owner_agency_id_agencies_id_fk" FOREIGN KEY ("owner_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_updates_action_id_index" ON "action_updates" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "actions_area_id_status_due_on_index" ON "actions" USING btree ("area_id","status","due_on");--> statement-breakpoint
CREATE INDEX "actions_owner_agency_id_status_due_on_index" ON "actions" USING btree ("owner_agency_id","status","due_on");--> statement-breakpoint
CREATE INDEX "actions_meeting_case_id_index" ON "actions" USING btree ("meeting_case_id");--> statement-breakpoint
CREATE INDEX "actions_case_id_index" ON "actions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "attendance_meeting_id_index" ON "attendance" USING btree ("meeting_id");