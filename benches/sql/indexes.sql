-- Built after the load, as a bulk load should; each lookup the rollups make has its index
-- (by organization and day, and by member for the cadres' part in the 123 records).
CREATE INDEX IF NOT EXISTS org_parent ON org(parent);
CREATE INDEX IF NOT EXISTS closure_descendant ON org_closure(descendant, ancestor);
CREATE INDEX IF NOT EXISTS posting_org ON posting(org, from_day);
CREATE INDEX IF NOT EXISTS pledge_owner_org ON pledge(owner_org);
CREATE INDEX IF NOT EXISTS pledge_owner_member ON pledge(owner_member);
CREATE INDEX IF NOT EXISTS pledge_review_pledge ON pledge_review(pledge);
CREATE INDEX IF NOT EXISTS fulfilment_pledge ON fulfilment(pledge, day);
CREATE INDEX IF NOT EXISTS household_village ON household(village);
CREATE INDEX IF NOT EXISTS reception_village_day ON reception(village, day);
CREATE INDEX IF NOT EXISTS reception_cadre_reception ON reception_cadre(reception);
CREATE INDEX IF NOT EXISTS reception_cadre_member ON reception_cadre(member, reception);
CREATE INDEX IF NOT EXISTS visit_household_day ON visit(household, day);
CREATE INDEX IF NOT EXISTS visit_cadre_day ON visit(cadre, day);
CREATE INDEX IF NOT EXISTS visit_day ON visit(day);
CREATE INDEX IF NOT EXISTS reception_day ON reception(day);
CREATE INDEX IF NOT EXISTS concern_village ON concern(village, raised);
CREATE INDEX IF NOT EXISTS concern_handler ON concern(handler, resolved);
CREATE INDEX IF NOT EXISTS unit_area ON unit(area);
CREATE INDEX IF NOT EXISTS matter_village ON matter(village, proposed);
CREATE INDEX IF NOT EXISTS hotline_case_org ON hotline_case(org, received);
CREATE INDEX IF NOT EXISTS donation_org ON donation(org, day);
CREATE INDEX IF NOT EXISTS home_visit_org ON home_visit(org, day);
ANALYZE;
