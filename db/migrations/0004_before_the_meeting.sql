CREATE TYPE "public"."contact_method" AS ENUM('phone', 'text', 'in_person', 'email', 'via_professional');--> statement-breakpoint
CREATE TYPE "public"."contact_outcome" AS ENUM('spoke', 'no_answer', 'unsafe_to_talk', 'declined', 'message_left');--> statement-breakpoint
CREATE TYPE "public"."contact_phase" AS ENUM('before', 'after');--> statement-breakpoint
CREATE TYPE "public"."identity_check_status" AS ENUM('pending', 'confirmed', 'corrected', 'not_known');--> statement-breakpoint
CREATE TYPE "public"."research_status" AS ENUM('draft', 'submitted', 'nothing_held');--> statement-breakpoint
CREATE TABLE "identity_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_case_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"status" "identity_check_status" DEFAULT 'pending' NOT NULL,
	"corrections" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"responded_by" uuid,
	"responded_at" timestamp with time zone,
	"decisions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_checks_meetingCaseId_agencyId_personId_unique" UNIQUE("meeting_case_id","agency_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "person_field_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"field" text NOT NULL,
	"old_value" text NOT NULL,
	"new_value" text NOT NULL,
	"changed_by" uuid,
	"identity_check_id" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_returns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_case_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"status" "research_status" DEFAULT 'draft' NOT NULL,
	"facts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"opinion" text DEFAULT '' NOT NULL,
	"actions_in_place" text DEFAULT '' NOT NULL,
	"suggested_actions" text DEFAULT '' NOT NULL,
	"withheld" text DEFAULT '' NOT NULL,
	"withheld_reason" text DEFAULT '' NOT NULL,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone,
	"late" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "research_returns_meetingCaseId_agencyId_unique" UNIQUE("meeting_case_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "victim_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"agency_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"method" "contact_method" NOT NULL,
	"outcome" "contact_outcome" NOT NULL,
	"phase" "contact_phase" NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"feedback_given" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "victim_views" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"views" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "verification_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "identity_checks" ADD CONSTRAINT "identity_checks_meeting_case_id_meeting_cases_id_fk" FOREIGN KEY ("meeting_case_id") REFERENCES "public"."meeting_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_checks" ADD CONSTRAINT "identity_checks_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_checks" ADD CONSTRAINT "identity_checks_person_id_case_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."case_people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_checks" ADD CONSTRAINT "identity_checks_responded_by_users_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_checks" ADD CONSTRAINT "identity_checks_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_field_history" ADD CONSTRAINT "person_field_history_person_id_case_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."case_people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_field_history" ADD CONSTRAINT "person_field_history_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_field_history" ADD CONSTRAINT "person_field_history_identity_check_id_identity_checks_id_fk" FOREIGN KEY ("identity_check_id") REFERENCES "public"."identity_checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_returns" ADD CONSTRAINT "research_returns_meeting_case_id_meeting_cases_id_fk" FOREIGN KEY ("meeting_case_id") REFERENCES "public"."meeting_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_returns" ADD CONSTRAINT "research_returns_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_returns" ADD CONSTRAINT "research_returns_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_contacts" ADD CONSTRAINT "victim_contacts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_contacts" ADD CONSTRAINT "victim_contacts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_contacts" ADD CONSTRAINT "victim_contacts_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_views" ADD CONSTRAINT "victim_views_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_views" ADD CONSTRAINT "victim_views_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_checks_agency_id_status_index" ON "identity_checks" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "person_field_history_person_id_index" ON "person_field_history" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "research_returns_agency_id_status_index" ON "research_returns" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "victim_contacts_case_id_at_index" ON "victim_contacts" USING btree ("case_id","at");