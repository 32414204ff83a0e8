DROP INDEX "actions_owner_agency_id_status_due_on_index";--> statement-breakpoint
CREATE INDEX "actions_by_agency_index" ON "actions" USING btree ("area_id","owner_agency_id","status","due_on","completed_on");--> statement-breakpoint
CREATE INDEX "actions_working_list_index" ON "actions" USING btree ("area_id","owner_agency_id",(case when "status" in ('open', 'in_progress') then 'infinity'::timestamptz else "updated_at" end));--> statement-breakpoint
-- An agency belongs to one panel, so its id decides the panel's: without being told, PostgreSQL
-- multiplies the two selectivities and expects the 15 agencies of a panel to own some 30 times fewer actions
-- than they do (docs/performance.md, finding 28). Analysed here so that it holds from the start.
CREATE STATISTICS IF NOT EXISTS "actions_area_owner" (dependencies) ON "area_id", "owner_agency_id" FROM "actions";--> statement-breakpoint
ANALYZE "actions";
