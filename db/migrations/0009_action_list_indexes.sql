DROP INDEX "actions_owner_agency_id_status_due_on_index";--> statement-breakpoint
CREATE INDEX "actions_area_id_owner_agency_id_status_due_on_index" ON "actions" USING btree ("area_id","owner_agency_id","status","due_on");--> statement-breakpoint
CREATE INDEX "actions_owner_agency_id_updated_at_index" ON "actions" USING btree ("owner_agency_id","updated_at");