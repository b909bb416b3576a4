-- The campaign's records as a competent engineer would lay them out in SQLite for the stage
-- report: one table per kind of record, histories as validity intervals [from_day, until_day)
-- (until_day NULL: still in force), dates as day numbers (days since 1970-01-01), a closure
-- table for the organization tree, and a calendar dimension for weeks, months and quarters.
-- Loaded by benches/sqlite/mod.rs from the same state the engine reports on.

PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;

CREATE TABLE org (
    idx     INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    parent  INTEGER REFERENCES org(idx),
    kind    TEXT NOT NULL,
    since   INTEGER NOT NULL
);

-- Every (ancestor, descendant) pair, each organization its own ancestor at depth 0.
CREATE TABLE org_closure (
    ancestor   INTEGER NOT NULL,
    descendant INTEGER NOT NULL,
    depth      INTEGER NOT NULL,
    PRIMARY KEY (ancestor, descendant)
) WITHOUT ROWID;

CREATE TABLE member (
    idx      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL
);

-- A member's postings: organization and role, each from a day until the next posting.
CREATE TABLE posting (
    member    INTEGER NOT NULL REFERENCES member(idx),
    seq       INTEGER NOT NULL,
    from_day  INTEGER NOT NULL,
    until_day INTEGER,
    org       INTEGER NOT NULL REFERENCES org(idx),
    role      TEXT NOT NULL,
    PRIMARY KEY (member, seq)
) WITHOUT ROWID;

CREATE TABLE pledge (
    idx          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    owner_org    INTEGER REFERENCES org(idx),      -- an organization's own pledge
    owner_member INTEGER REFERENCES member(idx),   -- or a member's
    kind         TEXT NOT NULL,
    focus        TEXT NOT NULL,
    carrier      TEXT,
    deadline     INTEGER NOT NULL,                  -- of the current version
    drafted      INTEGER NOT NULL
);

-- Status changes; several may fall on one day, so seq orders them and until_day ends each.
CREATE TABLE pledge_status (
    pledge    INTEGER NOT NULL REFERENCES pledge(idx),
    seq       INTEGER NOT NULL,
    from_day  INTEGER NOT NULL,
    until_day INTEGER,
    status    TEXT NOT NULL,
    PRIMARY KEY (pledge, seq)
) WITHOUT ROWID;

CREATE TABLE pledge_review (
    pledge   INTEGER NOT NULL REFERENCES pledge(idx),
    day      INTEGER NOT NULL,
    returned INTEGER NOT NULL                       -- 1: returned for revision
);

-- Monthly progress reports (监督): loaded for the same data, not read by the rollups.
CREATE TABLE pledge_report (
    pledge INTEGER NOT NULL REFERENCES pledge(idx),
    month  TEXT NOT NULL,
    filed  INTEGER NOT NULL,
    values_json TEXT NOT NULL
);

CREATE TABLE fulfilment (
    pledge              INTEGER NOT NULL REFERENCES pledge(idx),
    day                 INTEGER NOT NULL,
    problems_solved     INTEGER NOT NULL,
    matters_done        INTEGER NOT NULL,
    clinics_held        INTEGER NOT NULL,
    cleanups_held       INTEGER NOT NULL,
    volunteer_teams     INTEGER NOT NULL,
    supervision_actions INTEGER NOT NULL,
    resident_events     INTEGER NOT NULL,
    tech_groups         INTEGER NOT NULL,
    projects_completed  INTEGER NOT NULL,
    benefit_fen         INTEGER NOT NULL
);

CREATE TABLE household (
    idx     INTEGER PRIMARY KEY,
    village INTEGER NOT NULL REFERENCES org(idx),
    since   INTEGER NOT NULL
);

CREATE TABLE reception (
    idx      INTEGER PRIMARY KEY,
    day      INTEGER NOT NULL,
    village  INTEGER NOT NULL REFERENCES org(idx),
    visitors INTEGER NOT NULL
);

CREATE TABLE reception_cadre (
    reception INTEGER NOT NULL REFERENCES reception(idx),
    member    INTEGER NOT NULL REFERENCES member(idx)
);

CREATE TABLE visit (
    day       INTEGER NOT NULL,
    cadre     INTEGER NOT NULL REFERENCES member(idx),
    household INTEGER NOT NULL REFERENCES household(idx)
);

CREATE TABLE concern (
    idx          INTEGER PRIMARY KEY,
    village      INTEGER NOT NULL REFERENCES org(idx),
    raised       INTEGER NOT NULL,
    resolved     INTEGER,                           -- the resolution's day
    resolved_tier TEXT,
    handler      INTEGER REFERENCES member(idx)
);

CREATE TABLE unit (
    idx  INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    area INTEGER NOT NULL REFERENCES org(idx)
);

CREATE TABLE unit_standing (
    unit       INTEGER NOT NULL REFERENCES unit(idx),
    from_day   INTEGER NOT NULL,
    until_day  INTEGER,
    eligible   INTEGER NOT NULL,
    covered_by INTEGER REFERENCES org(idx),
    PRIMARY KEY (unit, from_day)
) WITHOUT ROWID;

CREATE TABLE matter (
    village  INTEGER NOT NULL REFERENCES org(idx),
    proposed INTEGER NOT NULL,
    resolution_published INTEGER,                   -- the step's day, if recorded
    result_published     INTEGER
);

CREATE TABLE hotline_case (
    org      INTEGER NOT NULL REFERENCES org(idx),
    received INTEGER NOT NULL,
    resolved INTEGER,
    replied  INTEGER
);

CREATE TABLE donation (
    org        INTEGER NOT NULL REFERENCES org(idx),
    member     INTEGER NOT NULL REFERENCES member(idx),
    day        INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL
);

CREATE TABLE home_visit (
    org             INTEGER NOT NULL REFERENCES org(idx),
    cadre           INTEGER NOT NULL REFERENCES member(idx),
    day             INTEGER NOT NULL,
    problems_solved INTEGER NOT NULL,
    aid_fen         INTEGER NOT NULL
);

-- The calendar dimension: each day's ISO week (its Monday), month and quarter.
CREATE TABLE calendar_day (
    day           INTEGER PRIMARY KEY,
    week_first    INTEGER NOT NULL,
    month_first   INTEGER NOT NULL,
    quarter_first INTEGER NOT NULL
);

-- The periods themselves, to enumerate the whole periods of a span.
CREATE TABLE period (
    kind      TEXT NOT NULL,                        -- week, month, quarter
    first_day INTEGER NOT NULL,
    last_day  INTEGER NOT NULL,
    PRIMARY KEY (kind, first_day)
) WITHOUT ROWID;
