CREATE TABLE "action_totals" (
	"area_id" uuid NOT NULL,
	"owner_agency_id" uuid NOT NULL,
	"status" "action_status" NOT NULL,
	"total" integer NOT NULL,
	CONSTRAINT "action_totals_area_id_owner_agency_id_status_pk" PRIMARY KEY("area_id","owner_agency_id","status")
);
--> statement-breakpoint
-- Keep action_totals in step with actions, in the same transaction as each change (docs/performance.md,
-- finding 36). Both sides of a change are one statement with its rows in key order, so changes made at
-- the same time lock the totals they share in the same order.
CREATE OR REPLACE FUNCTION action_totals_follow() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO action_totals AS t (area_id, owner_agency_id, status, total)
      VALUES (NEW.area_id, NEW.owner_agency_id, NEW.status, 1)
      ON CONFLICT (area_id, owner_agency_id, status) DO UPDATE SET total = t.total + 1;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE action_totals SET total = total - 1
      WHERE area_id = OLD.area_id AND owner_agency_id = OLD.owner_agency_id AND status = OLD.status;
  ELSIF (NEW.area_id, NEW.owner_agency_id, NEW.status) IS DISTINCT FROM (OLD.area_id, OLD.owner_agency_id, OLD.status) THEN
    INSERT INTO action_totals AS t (area_id, owner_agency_id, status, total)
      SELECT d.area_id, d.owner_agency_id, d.status, d.delta
      FROM (VALUES (NEW.area_id, NEW.owner_agency_id, NEW.status, 1), (OLD.area_id, OLD.owner_agency_id, OLD.status, -1))
        AS d(area_id, owner_agency_id, status, delta)
      ORDER BY d.area_id, d.owner_agency_id, d.status
      ON CONFLICT (area_id, owner_agency_id, status) DO UPDATE SET total = t.total + EXCLUDED.total;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER actions_totals_follow
  AFTER INSERT OR DELETE OR UPDATE OF area_id, owner_agency_id, status ON actions
  FOR EACH ROW EXECUTE FUNCTION action_totals_follow();
--> statement-breakpoint
-- The actions already there, counted once.
INSERT INTO action_totals (area_id, owner_agency_id, status, total)
  SELECT area_id, owner_agency_id, status, count(*)::int FROM actions GROUP BY area_id, owner_agency_id, status;
