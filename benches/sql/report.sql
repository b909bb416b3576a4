-- The stage report's rollups in SQL, for one scope (an organization's subtree) and its parts
-- (the scope itself, and each organization directly under it, with its subtree), over a span
-- [:from, :as_of] (day numbers). Each statement starts with a "-- name:" line; the bench runs
-- them in order. Rows come out per part (the part's organization index) and are summed into
-- the scope's figures by the caller; every count is exactly additive over the parts.

-- name: scope
DROP TABLE IF EXISTS temp.scope_part;
CREATE TEMP TABLE scope_part (org INTEGER PRIMARY KEY, part INTEGER NOT NULL);
INSERT INTO scope_part (org, part)
SELECT :scope, :scope
UNION ALL
SELECT c.descendant, ch.idx
FROM org ch JOIN org_closure c ON c.ancestor = ch.idx
WHERE ch.parent = :scope;

-- name: pledge_asof
-- Each pledge drafted in the span, with its status on :as_of and the part of its owner's
-- organization then (a member's posting on :as_of, or their first one).
DROP TABLE IF EXISTS temp.pledge_asof;
CREATE TEMP TABLE pledge_asof AS
SELECT sp.part, o.idx, o.kind, o.carrier, o.owner_org, o.owner_member, o.deadline, o.status
FROM (
    SELECT p.idx, p.kind, p.carrier, p.owner_org, p.owner_member, p.deadline,
           COALESCE(
               p.owner_org,
               (SELECT org FROM posting po WHERE po.member = p.owner_member
                    AND po.from_day <= :as_of AND (po.until_day IS NULL OR po.until_day > :as_of)),
               (SELECT org FROM posting po WHERE po.member = p.owner_member AND po.seq = 0)
           ) AS org,
           (SELECT status FROM pledge_status s WHERE s.pledge = p.idx
                AND s.from_day <= :as_of AND (s.until_day IS NULL OR s.until_day > :as_of)) AS status
    FROM pledge p
    WHERE p.drafted BETWEEN :from AND :as_of
) o
JOIN scope_part sp ON sp.org = o.org;

-- name: pledge_counts
-- part, kind, made, fulfilled (on :as_of), of them fulfilled by the deadline
SELECT part, kind,
       COUNT(*) FILTER (WHERE status IN ('published', 'fulfilled', 'withdrawn', 'unfulfilled')),
       COUNT(*) FILTER (WHERE status = 'fulfilled'),
       COUNT(*) FILTER (WHERE status = 'fulfilled' AND (
           SELECT MIN(from_day) FROM pledge_status f
           WHERE f.pledge = pledge_asof.idx AND f.status = 'fulfilled') <= deadline)
FROM pledge_asof
GROUP BY part, kind;

-- name: pledge_revised
-- part, owners with a pledge returned for revision by :as_of: organizations, members
SELECT part,
       COUNT(DISTINCT owner_org) FILTER (WHERE owner_org IS NOT NULL),
       COUNT(DISTINCT owner_member) FILTER (WHERE owner_member IS NOT NULL)
FROM pledge_asof a
WHERE EXISTS (SELECT 1 FROM pledge_review r
              WHERE r.pledge = a.idx AND r.returned = 1 AND r.day <= :as_of)
GROUP BY part;

-- name: carrier_members
-- part, carrier, members with a pledge made under it
SELECT part, carrier, COUNT(DISTINCT owner_member)
FROM pledge_asof
WHERE carrier IS NOT NULL AND owner_member IS NOT NULL
  AND status IN ('published', 'fulfilled', 'withdrawn', 'unfulfilled')
GROUP BY part, carrier;

-- name: carrier_outputs
-- part, carrier, the outputs recorded in the span on pledges made under it
SELECT a.part, a.carrier,
       SUM(f.problems_solved), SUM(f.matters_done), SUM(f.clinics_held), SUM(f.cleanups_held),
       SUM(f.volunteer_teams), SUM(f.supervision_actions), SUM(f.resident_events),
       SUM(f.tech_groups), SUM(f.projects_completed), SUM(f.benefit_fen)
FROM pledge_asof a JOIN fulfilment f ON f.pledge = a.idx
WHERE a.carrier IS NOT NULL
  AND a.status IN ('published', 'fulfilled', 'withdrawn', 'unfulfilled')
  AND f.day BETWEEN :from AND :as_of
GROUP BY a.part, a.carrier;

-- name: receptions
-- part, receptions, visitors
SELECT sp.part, COUNT(*), SUM(r.visitors)
FROM reception r JOIN scope_part sp ON sp.org = r.village
WHERE r.day BETWEEN :from AND :as_of
GROUP BY sp.part;

-- name: visits
-- part, household visits, distinct households visited
SELECT sp.part, COUNT(*), COUNT(DISTINCT v.household)
FROM visit v
JOIN household h ON h.idx = v.household
JOIN scope_part sp ON sp.org = h.village
WHERE v.day BETWEEN :from AND :as_of
GROUP BY sp.part;

-- name: concerns
-- part, concerns raised in the span, resolved by :as_of, open on :as_of
SELECT sp.part, COUNT(*),
       COUNT(*) FILTER (WHERE c.resolved <= :as_of),
       COUNT(*) FILTER (WHERE c.resolved IS NULL OR c.resolved > :as_of)
FROM concern c JOIN scope_part sp ON sp.org = c.village
WHERE c.raised BETWEEN :from AND :as_of
GROUP BY sp.part;

-- name: cadres
-- part, village secretaries and committee members on :as_of, and of them those with a
-- reception, a visit or a resolution in the span
SELECT sp.part,
       COUNT(*) FILTER (WHERE po.role = 'secretary'),
       COUNT(*) FILTER (WHERE po.role = 'committee_member'),
       COUNT(*) FILTER (WHERE
           EXISTS (SELECT 1 FROM reception_cadre rc JOIN reception r ON r.idx = rc.reception
                   WHERE rc.member = po.member AND r.day BETWEEN :from AND :as_of)
           OR EXISTS (SELECT 1 FROM visit v
                      WHERE v.cadre = po.member AND v.day BETWEEN :from AND :as_of)
           OR EXISTS (SELECT 1 FROM concern c
                      WHERE c.handler = po.member AND c.resolved BETWEEN :from AND :as_of))
FROM posting po
JOIN org o ON o.idx = po.org AND o.kind = 'village'
JOIN scope_part sp ON sp.org = po.org
WHERE po.role IN ('secretary', 'committee_member')
  AND po.from_day <= :as_of AND (po.until_day IS NULL OR po.until_day > :as_of)
GROUP BY sp.part;

-- name: method123_start
-- The 123 method's first record in the campaign: its quotas are judged from then on.
SELECT MIN(d) FROM (
    SELECT MIN(since) AS d FROM household
    UNION ALL SELECT MIN(day) FROM reception
    UNION ALL SELECT MIN(day) FROM visit
    UNION ALL SELECT MIN(raised) FROM concern
);

-- name: quota_receptions
-- part, village-weeks judged, met: receptions held in each whole ISO week from the village's
-- first judged day (:start, or its founding if later) to :as_of
SELECT sp.part, COUNT(*), COUNT(*) FILTER (WHERE COALESCE(n.cnt, 0) >= :receptions_per_week)
FROM scope_part sp
JOIN org o ON o.idx = sp.org AND o.kind = 'village' AND o.since <= :as_of
JOIN period p ON p.kind = 'week' AND p.first_day >= MAX(:start, o.since) AND p.last_day <= :as_of
LEFT JOIN (
    SELECT r.village, c.week_first, COUNT(*) AS cnt
    FROM reception r JOIN calendar_day c ON c.day = r.day
    WHERE r.day BETWEEN :start AND :as_of
    GROUP BY r.village, c.week_first
) n ON n.village = o.idx AND n.week_first = p.first_day
GROUP BY sp.part;

-- name: quota_visits
-- part, village-months judged, met: distinct households visited in each whole month
SELECT sp.part, COUNT(*), COUNT(*) FILTER (WHERE COALESCE(n.cnt, 0) >= :visits_per_month)
FROM scope_part sp
JOIN org o ON o.idx = sp.org AND o.kind = 'village' AND o.since <= :as_of
JOIN period p ON p.kind = 'month' AND p.first_day >= MAX(:start, o.since) AND p.last_day <= :as_of
LEFT JOIN (
    SELECT h.village, c.month_first, COUNT(DISTINCT v.household) AS cnt
    FROM visit v JOIN household h ON h.idx = v.household JOIN calendar_day c ON c.day = v.day
    WHERE v.day BETWEEN :start AND :as_of
    GROUP BY h.village, c.month_first
) n ON n.village = o.idx AND n.month_first = p.first_day
GROUP BY sp.part;

-- name: quota_concerns
-- part, village-quarters judged, met: concerns resolved in each whole quarter
SELECT sp.part, COUNT(*), COUNT(*) FILTER (WHERE COALESCE(n.cnt, 0) >= :concerns_per_quarter)
FROM scope_part sp
JOIN org o ON o.idx = sp.org AND o.kind = 'village' AND o.since <= :as_of
JOIN period p ON p.kind = 'quarter' AND p.first_day >= MAX(:start, o.since) AND p.last_day <= :as_of
LEFT JOIN (
    SELECT q.village, c.quarter_first, COUNT(*) AS cnt
    FROM concern q JOIN calendar_day c ON c.day = q.resolved
    WHERE q.resolved BETWEEN :start AND :as_of
    GROUP BY q.village, c.quarter_first
) n ON n.village = o.idx AND n.quarter_first = p.first_day
GROUP BY sp.part;

-- name: coverage
-- part, unit kind, units standing on :as_of, eligible, eligible and covered
SELECT sp.part, u.kind, COUNT(*),
       COUNT(*) FILTER (WHERE s.eligible = 1),
       COUNT(*) FILTER (WHERE s.eligible = 1 AND s.covered_by IS NOT NULL)
FROM unit u
JOIN unit_standing s ON s.unit = u.idx
     AND s.from_day <= :as_of AND (s.until_day IS NULL OR s.until_day > :as_of)
JOIN scope_part sp ON sp.org = u.area
GROUP BY sp.part, u.kind;

-- name: covering_orgs
-- part, unit kind, organizations covering a unit on :as_of, where the organization sits,
-- each under the kind of the first unit it covers
SELECT sp.part, u.kind, COUNT(*)
FROM (
    SELECT covered_by, MIN(unit) AS first_unit
    FROM unit_standing
    WHERE covered_by IS NOT NULL
      AND from_day <= :as_of AND (until_day IS NULL OR until_day > :as_of)
    GROUP BY covered_by
) f
JOIN unit u ON u.idx = f.first_unit
JOIN scope_part sp ON sp.org = f.covered_by
GROUP BY sp.part, u.kind;

-- name: matters
-- part, matters proposed in the span, resolutions published, results published by :as_of
SELECT sp.part, COUNT(*),
       COUNT(*) FILTER (WHERE m.resolution_published <= :as_of),
       COUNT(*) FILTER (WHERE m.result_published <= :as_of)
FROM matter m JOIN scope_part sp ON sp.org = m.village
WHERE m.proposed BETWEEN :from AND :as_of
GROUP BY sp.part;

-- name: hotline
-- part, cases received in the span, resolved and replied to by :as_of
SELECT sp.part, COUNT(*),
       COUNT(*) FILTER (WHERE h.resolved <= :as_of),
       COUNT(*) FILTER (WHERE h.replied <= :as_of)
FROM hotline_case h JOIN scope_part sp ON sp.org = h.org
WHERE h.received BETWEEN :from AND :as_of
GROUP BY sp.part;

-- name: donations
-- part, donations, distinct donors per organization, amount in fen
SELECT part, SUM(n), SUM(donors), SUM(fen)
FROM (
    SELECT sp.part, COUNT(*) AS n, COUNT(DISTINCT d.member) AS donors, SUM(d.amount_fen) AS fen
    FROM donation d JOIN scope_part sp ON sp.org = d.org
    WHERE d.day BETWEEN :from AND :as_of
    GROUP BY sp.part, d.org
)
GROUP BY part;

-- name: home_visits
-- part, visits, distinct visiting cadres per organization, problems solved, aid in fen
SELECT part, SUM(n), SUM(cadres), SUM(solved), SUM(fen)
FROM (
    SELECT sp.part, COUNT(*) AS n, COUNT(DISTINCT h.cadre) AS cadres,
           SUM(h.problems_solved) AS solved, SUM(h.aid_fen) AS fen
    FROM home_visit h JOIN scope_part sp ON sp.org = h.org
    WHERE h.day BETWEEN :from AND :as_of
    GROUP BY sp.part, h.org
)
GROUP BY part;
