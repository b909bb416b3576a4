-- Built after the load, as a bulk load should.
CREATE INDEX org_parent ON org(parent);
CREATE INDEX closure_descendant ON org_closure(descendant, ancestor);
CREATE INDEX posting_org ON posting(org, from_day);
CREATE INDEX pledge_owner_org ON pledge(owner_org);
CREATE INDEX pledge_owner_member ON pledge(owner_member);
CREATE INDEX pledge_review_pledge ON pledge_review(pledge);
CREATE INDEX fulfilment_pledge ON fulfilment(pledge, day);
CREATE INDEX household_village ON household(village);
CREATE INDEX reception_village_day ON reception(village, day);
CREATE INDEX reception_cadre_reception ON reception_cadre(reception);
CREATE INDEX visit_household_day ON visit(household, day);
CREATE INDEX concern_village ON concern(village, raised);
CREATE INDEX unit_area ON unit(area);
CREATE INDEX matter_village ON matter(village, proposed);
CREATE INDEX hotline_case_org ON hotline_case(org, received);
CREATE INDEX donation_org ON donation(org, day);
CREATE INDEX home_visit_org ON home_visit(org, day);
ANALYZE;
