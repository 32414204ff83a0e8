CREATE TYPE "public"."case_status" AS ENUM('draft', 'referred', 'returned', 'accepted', 'listed', 'discussed', 'closed');--> statement-breakpoint
CREATE TYPE "public"."match_decision" AS ENUM('pending', 'confirmed', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."person_role" AS ENUM('victim', 'perpetrator', 'child', 'other');--> statement-breakpoint
CREATE TYPE "public"."risk_band" AS ENUM('standard', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."meeting_case_outcome" AS ENUM('discussed', 'deferred', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."meeting_status" AS ENUM('planned', 'verification', 'circulated', 'in_progress', 'held', 'minutes_circulated', 'cancelled');--> statement-breakpoint
CREATE TABLE "case_match_candidates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"candidate_case_id" uuid NOT NULL,
	"score" real NOT NULL,
	"reasons" text[] DEFAULT '{}' NOT NULL,
	"candidate_referral_date" date,
	"decision" "match_decision" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_match_candidates_caseId_candidateCaseId_unique" UNIQUE("case_id","candidate_case_id")
);
--> statement-breakpoint
CREATE TABLE "case_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"role" "person_role" NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"first_name" text DEFAULT '' NOT NULL,
	"last_name" text DEFAULT '' NOT NULL,
	"aliases" text[] DEFAULT '{}' NOT NULL,
	"dobs" text[] DEFAULT '{}' NOT NULL,
	"gender" text DEFAULT '' NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"confidential_address" boolean DEFAULT false NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"safe_to_call" boolean,
	"contact_notes" text DEFAULT '' NOT NULL,
	"language" text DEFAULT '' NOT NULL,
	"interpreter_needed" boolean,
	"pregnant" boolean,
	"nhs_number" text DEFAULT '' NOT NULL,
	"relationship_to_victim" text DEFAULT '' NOT NULL,
	"relationship_to_perpetrator" text DEFAULT '' NOT NULL,
	"school" text DEFAULT '' NOT NULL,
	"ethnicity" text DEFAULT '' NOT NULL,
	"disability" text DEFAULT '' NOT NULL,
	"sexual_orientation" text DEFAULT '' NOT NULL,
	"gender_identity" text DEFAULT '' NOT NULL,
	"age" integer,
	"name_keys" text[] DEFAULT '{}' NOT NULL,
	"phonetic_keys" text[] DEFAULT '{}' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_sequences" (
	"area_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_sequences_area_id_year_pk" PRIMARY KEY("area_id","year")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid NOT NULL,
	"reference" text,
	"status" "case_status" DEFAULT 'draft' NOT NULL,
	"referring_agency_id" uuid NOT NULL,
	"referring_user_id" uuid NOT NULL,
	"referrer_name" text DEFAULT '' NOT NULL,
	"referrer_phone" text DEFAULT '' NOT NULL,
	"referrer_email" text DEFAULT '' NOT NULL,
	"referral_date" date,
	"criteria_visible_high_risk" boolean DEFAULT false NOT NULL,
	"criteria_professional_judgement" boolean DEFAULT false NOT NULL,
	"professional_judgement_rationale" text DEFAULT '' NOT NULL,
	"criteria_escalation" boolean DEFAULT false NOT NULL,
	"escalation_incident_count" integer,
	"criteria_repeat" boolean DEFAULT false NOT NULL,
	"dash_answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dash_fears" text DEFAULT '' NOT NULL,
	"dash_score" integer,
	"dash_band" "risk_band",
	"risk_level" "risk_band",
	"victim_aware" boolean,
	"victim_not_aware_reason" text DEFAULT '' NOT NULL,
	"consent_given" boolean,
	"no_consent_lawful_basis" text DEFAULT '' NOT NULL,
	"who_victim_fears" text DEFAULT '' NOT NULL,
	"safe_to_talk_to" text DEFAULT '' NOT NULL,
	"not_safe_to_talk_to" text DEFAULT '' NOT NULL,
	"victim_wants" text DEFAULT '' NOT NULL,
	"previous_marac_elsewhere" boolean,
	"previous_marac_details" text DEFAULT '' NOT NULL,
	"is_repeat" boolean DEFAULT false NOT NULL,
	"repeat_of_case_id" uuid,
	"restricted" boolean DEFAULT false NOT NULL,
	"returned_reason" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "safe_contacts" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"safe_number" text DEFAULT '' NOT NULL,
	"safe_times" text DEFAULT '' NOT NULL,
	"no_messages" boolean DEFAULT false NOT NULL,
	"must_not_know" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"planned_minutes" integer DEFAULT 12 NOT NULL,
	"is_repeat" boolean DEFAULT false NOT NULL,
	"carried_from_meeting_id" uuid,
	"outcome" "meeting_case_outcome",
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_cases_meetingId_caseId_unique" UNIQUE("meeting_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"series_date" date NOT NULL,
	"venue" text DEFAULT '' NOT NULL,
	"chair_user_id" uuid,
	"status" "meeting_status" DEFAULT 'planned' NOT NULL,
	"cancelled_reason" text DEFAULT '' NOT NULL,
	"referral_cutoff" date NOT NULL,
	"verification_sent" date NOT NULL,
	"verification_due" date NOT NULL,
	"circulation" date NOT NULL,
	"research_due" date NOT NULL,
	"minutes_due" date NOT NULL,
	"digest_on" date NOT NULL,
	"on_holiday" boolean DEFAULT false NOT NULL,
	"circulated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_areaId_seriesDate_unique" UNIQUE("area_id","series_date")
);
--> statement-breakpoint
ALTER TABLE "case_match_candidates" ADD CONSTRAINT "case_match_candidates_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_match_candidates" ADD CONSTRAINT "case_match_candidates_candidate_case_id_cases_id_fk" FOREIGN KEY ("candidate_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_match_candidates" ADD CONSTRAINT "case_match_candidates_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_people" ADD CONSTRAINT "case_people_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_people" ADD CONSTRAINT "case_people_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_sequences" ADD CONSTRAINT "case_sequences_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_referring_agency_id_agencies_id_fk" FOREIGN KEY ("referring_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_referring_user_id_users_id_fk" FOREIGN KEY ("referring_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safe_contacts" ADD CONSTRAINT "safe_contacts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD CONSTRAINT "meeting_cases_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_cases" ADD CONSTRAINT "meeting_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_chair_user_id_users_id_fk" FOREIGN KEY ("chair_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_people_case_id_index" ON "case_people" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_people_phonetic_keys_idx" ON "case_people" USING gin ("phonetic_keys");--> statement-breakpoint
CREATE INDEX "case_people_dobs_idx" ON "case_people" USING gin ("dobs");--> statement-breakpoint
CREATE INDEX "case_people_area_id_role_index" ON "case_people" USING btree ("area_id","role");--> statement-breakpoint
CREATE INDEX "cases_area_id_status_submitted_at_index" ON "cases" USING btree ("area_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "cases_referring_agency_id_status_index" ON "cases" USING btree ("referring_agency_id","status");--> statement-breakpoint
CREATE INDEX "cases_repeat_of_case_id_index" ON "cases" USING btree ("repeat_of_case_id");--> statement-breakpoint
CREATE INDEX "meeting_cases_case_id_index" ON "meeting_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "meeting_cases_meeting_id_position_index" ON "meeting_cases" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "meetings_area_id_starts_at_index" ON "meetings" USING btree ("area_id","starts_at");