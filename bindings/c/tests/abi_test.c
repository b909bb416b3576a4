/* Every function of the C ABI with good input and with each kind of bad input: NULL, invalid
 * UTF-8, malformed JSON, unknown ids, wrong state, bad dates and flags. Then the scenario every
 * binding runs: the small demo city's commands imported, and the report equal to the one the
 * Rust command-line tool computed, also as a workbook (.xlsx bytes). Run by
 * bindings/c/run_tests.sh (also under valgrind). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chuangzheng.h"
#include "check.h"

static const char *INFO = "{\"id\":\"dg-2010\",\"name\":\"东港市创先争优活动（演示数据）\"}";
static const char *ROOT =
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},"
    "\"event\":{\"create_org\":{\"id\":\"city\",\"name\":\"东港市委\",\"kind\":\"city_committee\"}}}";
static const char *INVALID_UTF8 = "{\"id\":\"\xff\xfe\"}";

/* The campaign's seq, checked to be read. */
static uint64_t seq_of(const cz_campaign *c) {
  uint64_t seq = UINT64_MAX;
  CHECK(cz_campaign_seq(c, &seq) == CZ_OK);
  return seq;
}

static void test_lifecycle_and_errors(void) {
  /* Versions. */
  char version[32];
  snprintf(version, sizeof version, "%d.%d.%d", CZ_VERSION_MAJOR, CZ_VERSION_MINOR, CZ_VERSION_PATCH);
  CHECK(strcmp(cz_version(), version) == 0);

  /* new: NULL out, NULL info, invalid UTF-8, malformed JSON, bad rules. */
  cz_campaign *c = NULL;
  CHECK_ERR(cz_campaign_new(INFO, NULL, NULL), CZ_NULL_ARGUMENT, "campaign_out");
  CHECK_ERR(cz_campaign_new(NULL, NULL, &c), CZ_NULL_ARGUMENT, "info_json");
  CHECK_ERR(cz_campaign_new(INVALID_UTF8, NULL, &c), CZ_INVALID_UTF8, "UTF-8");
  CHECK_ERR(cz_campaign_new("{\"id\":", NULL, &c), CZ_INVALID_JSON, "campaign info");
  CHECK_ERR(cz_campaign_new(INFO, "{\"version\":1,\"name\":\"t\",\"method123\":{\"receptions_per_week\":0}}", &c),
            2109, "method123.receptions_per_week");
  CHECK_ERR(cz_campaign_new(INFO, "[", &c), 2001, "rule");
  CHECK(c == NULL);

  /* A campaign in memory. */
  CHECK(cz_campaign_new(INFO, NULL, &c) == CZ_OK && c != NULL);
  CHECK(seq_of(c) == 0);
  cz_date d = {0, 0, 0};
  CHECK_ERR(cz_campaign_latest_date(c, &d), CZ_NO_RECORD, "no record");
  char *out = NULL;
  CHECK_ERR(cz_campaign_report(c, NULL, NULL, NULL, CZ_FORMAT_JSON, &out), CZ_NO_RECORD, "organization");
  CHECK(out == NULL);
  uint8_t *xlsx = NULL;
  size_t xlsx_len = 0;
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, &xlsx, &xlsx_len), CZ_NO_RECORD, "organization");
  CHECK(xlsx == NULL && xlsx_len == 0);

  /* execute: good, wrong state, malformed, NULLs, invalid UTF-8. */
  uint64_t seq = 0;
  CHECK(cz_campaign_execute(c, ROOT, &seq) == CZ_OK && seq == 1);
  CHECK_ERR(cz_campaign_execute(c, ROOT, &seq), 3006, "root");
  CHECK(seq == 1);
  CHECK_ERR(cz_campaign_execute(c, "{", NULL), 3001, "command");
  CHECK_ERR(cz_campaign_execute(c, NULL, NULL), CZ_NULL_ARGUMENT, "command_json");
  CHECK_ERR(cz_campaign_execute(NULL, ROOT, NULL), CZ_NULL_ARGUMENT, "campaign");
  CHECK_ERR(cz_campaign_execute(c, INVALID_UTF8, NULL), CZ_INVALID_UTF8, "UTF-8");
  CHECK_ERR(cz_campaign_execute(c,
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"rename_org\":{\"org\":\"nowhere\",\"name\":\"x\"}}}",
      NULL), 3002, "nowhere");
  CHECK(seq_of(c) == 1);
  uint64_t untouched = 7;
  CHECK_ERR(cz_campaign_seq(NULL, &untouched), CZ_NULL_ARGUMENT, "campaign");
  CHECK(untouched == 7);
  CHECK_ERR(cz_campaign_seq(c, NULL), CZ_NULL_ARGUMENT, "seq_out");
  /* A success clears the last error: the code tells of the last call. */
  CHECK(seq_of(c) == 1 && cz_last_error_code() == CZ_OK && cz_last_error_message()[0] == 0);
  CHECK(cz_campaign_latest_date(c, &d) == CZ_OK && d.year == 2010 && d.month == 5 && d.day == 1);
  CHECK_ERR(cz_campaign_latest_date(c, NULL), CZ_NULL_ARGUMENT, "date_out");

  /* state, snapshot and back. */
  CHECK(cz_campaign_state_json(c, &out) == CZ_OK && strstr(out, "\"city\"") != NULL);
  cz_string_free(out);
  out = NULL;
  CHECK_ERR(cz_campaign_state_json(c, NULL), CZ_NULL_ARGUMENT, "json_out");
  char *snap = NULL;
  CHECK(cz_campaign_snapshot_json(c, &snap) == CZ_OK);
  cz_campaign *copy = NULL;
  CHECK(cz_campaign_from_snapshot(snap, &copy) == CZ_OK && seq_of(copy) == 1);
  cz_campaign_free(copy);
  copy = NULL;
  CHECK_ERR(cz_campaign_from_snapshot("{}", &copy), 4008, "snapshot");
  CHECK_ERR(cz_campaign_from_snapshot(NULL, &copy), CZ_NULL_ARGUMENT, "snapshot_json");
  CHECK(copy == NULL);
  cz_string_free(snap);

  /* import: malformed line and unknown ids, all or nothing, then keep going. */
  char *result = NULL;
  const char *two =
      "# a comment, then a good line and a bad one\n"
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"t-01\",\"name\":\"镇\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}\n"
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"t-02\",\"name\":\"镇\",\"kind\":\"township_committee\",\"parent\":\"nowhere\"}}}\n"
      "not json\n";
  CHECK(cz_campaign_import(c, two, 0, &result) == CZ_REFUSED_LINES);
  /* Refused lines: the result is written all the same, and the last error says how many. */
  CHECK(cz_last_error_code() == CZ_REFUSED_LINES && strstr(cz_last_error_message(), "2 lines") != NULL);
  CHECK(strstr(result, "\"recorded\":0") != NULL);
  CHECK(strstr(result, "\"message_zh\":") != NULL && strstr(result, "\"message_en\":") != NULL);
  CHECK(strstr(result, "\"line\":3,\"code\":3002") != NULL || strstr(result, "\"code\":3002") != NULL);
  CHECK(strstr(result, "\"line\":4") != NULL);
  cz_string_free(result);
  CHECK(seq_of(c) == 1);
  CHECK(cz_campaign_import(c, two, CZ_IMPORT_KEEP_GOING, &result) == CZ_REFUSED_LINES);
  CHECK(strstr(result, "\"recorded\":1") != NULL);
  cz_string_free(result);
  CHECK(seq_of(c) == 2);
  CHECK_ERR(cz_campaign_import(c, two, 8, &result), CZ_INVALID_ARGUMENT, "flags");
  CHECK_ERR(cz_campaign_import(c, NULL, 0, &result), CZ_NULL_ARGUMENT, "commands_jsonl");
  CHECK_ERR(cz_campaign_import(c, two, 0, NULL), CZ_NULL_ARGUMENT, "result_json_out");

  /* queries on unknown ids and bad arguments. */
  CHECK_ERR(cz_campaign_pledge_json(c, "nope", &out), 3002, "nope");
  CHECK_ERR(cz_campaign_member_evaluation_json(c, "nope", "2010", &out), 3002, "nope");
  CHECK_ERR(cz_campaign_report(c, "nowhere", NULL, NULL, CZ_FORMAT_JSON, &out), 3002, "nowhere");
  CHECK_ERR(cz_campaign_report(c, NULL, NULL, NULL, 7, &out), CZ_INVALID_ARGUMENT, "format");
  CHECK_ERR(cz_campaign_report(c, NULL, NULL, "2010-02-30", CZ_FORMAT_JSON, &out), CZ_INVALID_ARGUMENT, "as_of");
  CHECK_ERR(cz_campaign_report(c, NULL, "2010-06-01", "2010-05-01", CZ_FORMAT_JSON, &out), CZ_INVALID_ARGUMENT, "from");
  CHECK_ERR(cz_campaign_audit_json(c, "{\"claims\":[{\"figure\":1}]}", NULL, NULL, NULL, &out), 5001, "claims");
  CHECK(out == NULL);

  /* typed paths: bad date, NULLs, unknown ids. */
  cz_date bad = {2010, 2, 30};
  cz_date oct = {2010, 10, 31};
  const char *cadres[] = {"m-1"};
  CHECK_ERR(cz_campaign_record_reception(c, bad, "city", NULL, "v-1", cadres, 1, 3, NULL), CZ_INVALID_ARGUMENT, "at");
  CHECK_ERR(cz_campaign_record_reception(c, oct, "city", NULL, "v-1", NULL, 1, 3, NULL), CZ_NULL_ARGUMENT, "cadres");
  CHECK_ERR(cz_campaign_record_reception(c, oct, "city", NULL, "v-1", cadres, 1, 3, NULL), 3002, "v-1");
  CHECK_ERR(cz_campaign_record_visit(c, oct, NULL, NULL, "m-1", "h-1", NULL), CZ_NULL_ARGUMENT, "actor_org");
  CHECK_ERR(cz_campaign_record_visit(c, oct, "city", NULL, "m-1", "h-1", NULL), 3002, "h-1");
  const char *values[] = {"1.5"};
  CHECK_ERR(cz_campaign_report_progress(c, oct, "city", NULL, "p-1", 2010, 13, values, 1, 0, NULL), CZ_INVALID_ARGUMENT, "month");
  CHECK_ERR(cz_campaign_report_progress(c, oct, "city", NULL, "p-1", 2010, 10, values, 1, 2, NULL), CZ_INVALID_ARGUMENT, "flags");
  CHECK_ERR(cz_campaign_report_progress(c, oct, "city", NULL, "p-1", 2010, 10, values, 1, 0, NULL), 3002, "p-1");
  CHECK(seq_of(c) == 2);

  cz_campaign_free(c);
  cz_campaign_free(NULL);
  cz_string_free(NULL);
}

/* The integer value of "key" in a pretty-printed JSON report's figures, -1 if absent. */
static long figure(const char *report, const char *key) {
  /* The top-level "figures" object (indented two spaces): the "display" object before it
   * holds the same keys with their labels and displayed forms. */
  const char *figures = strstr(report, "\n  \"figures\": {");
  char needle[128];
  snprintf(needle, sizeof needle, "\"%s\": ", key);
  const char *at = figures ? strstr(figures, needle) : NULL;
  return at ? strtol(at + strlen(needle), NULL, 10) : -1;
}

/* Whether two JSON reports hold the same text from key `from` up to key `to` (the keys come
 * in alphabetical order). */
static int same_between(const char *x, const char *y, const char *from, const char *to) {
  const char *x0 = strstr(x, from), *y0 = strstr(y, from);
  const char *x1 = x0 ? strstr(x0, to) : NULL, *y1 = y0 ? strstr(y0, to) : NULL;
  return x1 && y1 && x1 - x0 == y1 - y0 && memcmp(x0, y0, (size_t)(x1 - x0)) == 0;
}

/* A figure of scope's JSON report as of 2010-10-31 under `attribution`; -1 on failure. */
static long figure_of(cz_campaign *c, const char *scope, uint32_t attribution, const char *key) {
  char *report = NULL;
  long n = -1;
  CHECK(cz_campaign_report_with(c, scope, NULL, "2010-10-31", CZ_FORMAT_JSON, attribution, &report) == CZ_OK);
  if (report) {
    CHECK(strstr(report, attribution == CZ_ATTRIBUTION_HISTORICAL ? "\"attribution\": \"historical\""
                                                                   : "\"attribution\": \"as_of\"") != NULL);
    n = figure(report, key);
    cz_string_free(report);
  }
  return n;
}

/* cz_campaign_report_with: village v-1 moves from township t-a to t-b on MOVE, with receptions
 * on both sides of the move. The as-of reading counts them all in t-b, the historical one
 * each where the village stood on its day; the city is the same under both. */
static void test_attribution(void) {
  static const char *MOVE = "2010-07-01";
  static const struct { const char *at; int visitors; } receptions[] = {{"2010-06-01", 3}, {"2010-08-01", 5}};
  static const char *setup[] = {
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"t-a\",\"name\":\"甲镇党委\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}",
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"t-b\",\"name\":\"乙镇党委\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}",
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"t-a\"},\"event\":{\"create_org\":{\"id\":\"v-1\",\"name\":\"大鹿村党支部\",\"kind\":\"village\",\"parent\":\"t-a\"}}}",
      "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"v-1\"},\"event\":{\"add_member\":{\"id\":\"m-1\",\"org\":\"v-1\",\"category\":\"farmer\",\"role\":\"secretary\"}}}",
  };
  const size_t n = sizeof receptions / sizeof receptions[0];
  cz_campaign *c = NULL;
  CHECK(cz_campaign_new(INFO, NULL, &c) == CZ_OK);
  CHECK(cz_campaign_execute(c, ROOT, NULL) == CZ_OK);
  for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++) CHECK(cz_campaign_execute(c, setup[i], NULL) == CZ_OK);
  const char *cadres[] = {"m-1"};
  long before = 0, after = 0;
  int moved = 0;
  for (size_t i = 0; i < n; i++) { /* in date order, the move in its place */
    if (!moved && strcmp(receptions[i].at, MOVE) >= 0) {
      char move[200];
      snprintf(move, sizeof move,
               "{\"at\":\"%s\",\"actor\":{\"org\":\"city\"},\"event\":{\"move_org\":{\"org\":\"v-1\",\"parent\":\"t-b\"}}}", MOVE);
      CHECK(cz_campaign_execute(c, move, NULL) == CZ_OK);
      moved = 1;
    }
    cz_date d = {0, 0, 0};
    CHECK(sscanf(receptions[i].at, "%4hd-%2hhu-%2hhu", &d.year, &d.month, &d.day) == 3);
    CHECK(cz_campaign_record_reception(c, d, "v-1", NULL, "v-1", cadres, 1, (uint32_t)receptions[i].visitors, NULL) == CZ_OK);
    if (moved) after++; else before++;
  }
  CHECK(before > 0 && after > 0);

  const char *R = "m123.receptions";
  CHECK(figure_of(c, "t-a", CZ_ATTRIBUTION_AS_OF, R) == 0);
  CHECK(figure_of(c, "t-b", CZ_ATTRIBUTION_AS_OF, R) == before + after);
  CHECK(figure_of(c, "t-a", CZ_ATTRIBUTION_HISTORICAL, R) == before);
  CHECK(figure_of(c, "t-b", CZ_ATTRIBUTION_HISTORICAL, R) == after);
  CHECK(figure_of(c, NULL, CZ_ATTRIBUTION_AS_OF, R) == (long)n);
  CHECK(figure_of(c, NULL, CZ_ATTRIBUTION_HISTORICAL, R) == (long)n);
  /* At the root the two readings give the same figures and aggregates (its parts, the
   * townships, differ). */
  char *as_of = NULL, *historical = NULL, *plain = NULL;
  CHECK(cz_campaign_report_with(c, NULL, NULL, NULL, CZ_FORMAT_JSON, CZ_ATTRIBUTION_AS_OF, &as_of) == CZ_OK);
  CHECK(cz_campaign_report_with(c, NULL, NULL, NULL, CZ_FORMAT_JSON, CZ_ATTRIBUTION_HISTORICAL, &historical) == CZ_OK);
  CHECK(cz_campaign_report(c, NULL, NULL, NULL, CZ_FORMAT_JSON, &plain) == CZ_OK);
  CHECK(as_of && plain && strcmp(as_of, plain) == 0); /* cz_campaign_report is the as-of reading */
  CHECK(as_of && historical && same_between(as_of, historical, "\"figures\"", "\"format\""));
  CHECK(as_of && historical && same_between(as_of, historical, "\"aggregates\"", "\"attribution\""));
  cz_string_free(as_of);
  cz_string_free(historical);
  cz_string_free(plain);

  /* An unknown attribution: refused, *out untouched. */
  char sentinel = 0;
  char *out = &sentinel;
  CHECK_ERR(cz_campaign_report_with(c, NULL, NULL, NULL, CZ_FORMAT_JSON, 7, &out), CZ_INVALID_ARGUMENT, "attribution");
  CHECK(out == &sentinel);
  CHECK_ERR(cz_campaign_report_with(c, NULL, NULL, NULL, CZ_FORMAT_JSON, CZ_ATTRIBUTION_HISTORICAL + 1, &out),
            CZ_INVALID_ARGUMENT, "attribution");
  CHECK(out == &sentinel);
  CHECK_ERR(cz_campaign_report_with(c, NULL, NULL, NULL, 7, CZ_ATTRIBUTION_AS_OF, &out), CZ_INVALID_ARGUMENT, "format");
  CHECK(out == &sentinel);
  CHECK_ERR(cz_campaign_report_with(c, NULL, NULL, NULL, CZ_FORMAT_JSON, CZ_ATTRIBUTION_AS_OF, NULL), CZ_NULL_ARGUMENT, "out");
  cz_campaign_free(c);
}

static void test_journal_files(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/cz-c-abi-%ld.jsonl", (long)getpid());
  unlink(path);
  cz_campaign *c = NULL;
  CHECK_ERR(cz_campaign_open(path, &c), 4001, path);
  CHECK(cz_campaign_create(path, INFO, NULL, &c) == CZ_OK);
  CHECK(cz_campaign_execute(c, ROOT, NULL) == CZ_OK);
  cz_campaign *second = NULL;
  CHECK_ERR(cz_campaign_create(path, INFO, NULL, &second), 4002, path);
  CHECK_ERR(cz_campaign_open(path, &second), 4003, "another process");
  CHECK(second == NULL);
  cz_campaign_free(c);
  c = NULL;
  CHECK(cz_campaign_open(path, &c) == CZ_OK && seq_of(c) == 1);
  /* The anchor: the last hash, kept apart; the journal verified against it (reading only,
     while the handle holds the journal). */
  char *hash = NULL, *verified = NULL;
  CHECK(cz_campaign_last_hash(c, &hash) == CZ_OK && strlen(hash) == 64);
  uint64_t one = 1, two = 2;
  CHECK(cz_journal_verify(path, hash, &one, &verified) == CZ_OK);
  CHECK(strstr(verified, "\"last_seq\":1") != NULL && strstr(verified, hash) != NULL);
  cz_string_free(verified);
  verified = NULL;
  CHECK_ERR(cz_journal_verify(path, hash, &two, &verified), 4011, "its last seq is 1, not the 2");
  CHECK(verified == NULL);
  CHECK_ERR(cz_journal_verify(path, "ABC", NULL, &verified), CZ_INVALID_ARGUMENT, "expect_last_hash");
  CHECK_ERR(cz_journal_verify(path, NULL, NULL, NULL), CZ_NULL_ARGUMENT, "report_out");
  CHECK_ERR(cz_campaign_last_hash(c, NULL), CZ_NULL_ARGUMENT, "hash_out");
  cz_string_free(hash);
  cz_campaign_free(c);
  CHECK_ERR(cz_campaign_open(NULL, &c), CZ_NULL_ARGUMENT, "path");
  CHECK_ERR(cz_campaign_create(path, INVALID_UTF8, NULL, &c), CZ_INVALID_UTF8, "info_json");
  /* The journal as text, replayed. */
  char *text = slurp("/tmp", path + 5, NULL);
  cz_campaign *replayed = NULL;
  CHECK(cz_campaign_replay(text, &replayed) == CZ_OK && seq_of(replayed) == 1);
  cz_campaign_free(replayed);
  replayed = NULL;
  text[strlen(text) / 2] = 'X';
  CHECK_ERR(cz_campaign_replay(text, &replayed), 4004, "");
  CHECK(replayed == NULL);
  free(text);
  unlink(path);
}

/* cz_campaign_report_xlsx: the workbook's bytes, checked to start as a zip file does. */
static int is_zip(const uint8_t *bytes, size_t len) {
  return bytes != NULL && len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0;
}

/* Whether `needle` occurs in the `len` bytes at `hay` (a zip file names its entries in clear). */
static int has_bytes(const uint8_t *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; hay != NULL && n <= len && i <= len - n; i++)
    if (memcmp(hay + i, needle, n) == 0) return 1;
  return 0;
}

/* The stage report as a workbook on the scenario's city `c`: a zip file holding the workbook
 * part, the same bytes every time (and, when the demo wrote one, the bytes of its
 * report.xlsx), the caller's to free with cz_bytes_free; every refusal leaves both outputs as
 * they were. */
static void test_xlsx(cz_campaign *c, const char *dir) {
  uint8_t *first = NULL, *again = NULL;
  size_t first_len = 0, again_len = 0;
  CHECK(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, &first, &first_len) == CZ_OK);
  CHECK(cz_last_error_code() == CZ_OK);
  CHECK(is_zip(first, first_len) && first_len > 1000);
  CHECK(has_bytes(first, first_len, "xl/workbook.xml"));
  /* Deterministic: the same report gives the same bytes (as-of 2010-10-31 is the latest date). */
  CHECK(cz_campaign_report_xlsx(c, NULL, NULL, "2010-10-31", CZ_ATTRIBUTION_AS_OF, &again, &again_len) == CZ_OK);
  CHECK(again != NULL && again != first);
  CHECK(again_len == first_len && memcmp(again, first, first_len) == 0);
  cz_bytes_free(again, again_len);
  /* The workbook the Rust tool wrote beside report.json, if this scenario has one. */
  char path[1024];
  snprintf(path, sizeof path, "%s/report.xlsx", dir);
  FILE *f = fopen(path, "rb");
  if (f) {
    fclose(f);
    size_t demo_len = 0;
    char *demo = slurp(dir, "report.xlsx", &demo_len);
    CHECK(demo_len == first_len && memcmp(demo, first, first_len) == 0);
    free(demo);
  }
  cz_bytes_free(first, first_len);
  /* Another scope, a span and the historical reading: another workbook. */
  CHECK(cz_campaign_report_xlsx(c, "t-01", "2010-07-01", NULL, CZ_ATTRIBUTION_HISTORICAL, &again, &again_len) == CZ_OK);
  CHECK(is_zip(again, again_len) && again_len > 1000);
  cz_bytes_free(again, again_len);
  cz_bytes_free(NULL, 0); /* NULL: nothing to free */
  cz_bytes_free(NULL, 42);

  /* Refusals: *bytes_out and *len_out untouched. */
  uint8_t sentinel = 0;
  uint8_t *bytes = &sentinel;
  size_t len = 12345;
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, NULL, &len), CZ_NULL_ARGUMENT, "bytes_out");
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, &bytes, NULL), CZ_NULL_ARGUMENT, "len_out");
  CHECK(bytes == &sentinel);
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, NULL, NULL), CZ_NULL_ARGUMENT, "bytes_out");
  CHECK(len == 12345);
  CHECK_ERR(cz_campaign_report_xlsx(NULL, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, &bytes, &len), CZ_NULL_ARGUMENT, "campaign");
  CHECK(bytes == &sentinel && len == 12345);
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, NULL, 7, &bytes, &len), CZ_INVALID_ARGUMENT, "attribution");
  CHECK(bytes == &sentinel && len == 12345);
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_HISTORICAL + 1, &bytes, &len),
            CZ_INVALID_ARGUMENT, "attribution");
  CHECK(bytes == &sentinel && len == 12345);
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, NULL, "2010-02-30", CZ_ATTRIBUTION_AS_OF, &bytes, &len),
            CZ_INVALID_ARGUMENT, "as_of");
  CHECK(bytes == &sentinel && len == 12345);
  CHECK_ERR(cz_campaign_report_xlsx(c, NULL, "2010-11-01", "2010-10-31", CZ_ATTRIBUTION_AS_OF, &bytes, &len),
            CZ_INVALID_ARGUMENT, "from");
  CHECK(bytes == &sentinel && len == 12345);
  CHECK_ERR(cz_campaign_report_xlsx(c, INVALID_UTF8, NULL, NULL, CZ_ATTRIBUTION_AS_OF, &bytes, &len),
            CZ_INVALID_UTF8, "UTF-8");
  CHECK(bytes == &sentinel && len == 12345);
  /* An unknown scope fails as cz_campaign_report_with fails for it: the same code and message. */
  char text_sentinel = 0;
  char *text = &text_sentinel;
  uint32_t with_code = cz_campaign_report_with(c, "nowhere", NULL, NULL, CZ_FORMAT_JSON, CZ_ATTRIBUTION_AS_OF, &text);
  CHECK(with_code != CZ_OK && text == &text_sentinel);
  char with_message[1024];
  snprintf(with_message, sizeof with_message, "%s", cz_last_error_message());
  CHECK_ERR(cz_campaign_report_xlsx(c, "nowhere", NULL, NULL, CZ_ATTRIBUTION_AS_OF, &bytes, &len), with_code, "nowhere");
  CHECK(with_code == 3002); /* an unknown id */
  CHECK(strcmp(cz_last_error_message(), with_message) == 0);
  CHECK(bytes == &sentinel && len == 12345);
  /* A success after the refusals clears the last error. */
  CHECK(cz_campaign_report_xlsx(c, NULL, NULL, NULL, CZ_ATTRIBUTION_HISTORICAL, &bytes, &len) == CZ_OK);
  CHECK(cz_last_error_code() == CZ_OK && cz_last_error_message()[0] == 0);
  CHECK(bytes != &sentinel && is_zip(bytes, len));
  cz_bytes_free(bytes, len);
}

static void test_scenario(const char *dir) {
  char *commands = slurp(dir, "commands.jsonl", NULL);
  char *expected = slurp(dir, "report.json", NULL);
  char *journal = slurp(dir, "journal.jsonl", NULL);
  cz_campaign *c = NULL;
  CHECK(cz_campaign_new(INFO, NULL, &c) == CZ_OK);
  char *result = NULL;
  CHECK(cz_campaign_import(c, commands, 0, &result) == CZ_OK);
  CHECK(strstr(result, "\"refused\":[]") != NULL);
  cz_string_free(result);
  char *report = NULL;
  CHECK(cz_campaign_report(c, NULL, NULL, "2010-10-31", CZ_FORMAT_JSON, &report) == CZ_OK);
  CHECK(report != NULL && strcmp(report, expected) == 0);
  cz_string_free(report);
  /* The latest date recorded is the default as-of date. */
  CHECK(cz_campaign_report(c, NULL, NULL, NULL, CZ_FORMAT_JSON, &report) == CZ_OK);
  CHECK(strcmp(report, expected) == 0);
  cz_string_free(report);
  CHECK(cz_campaign_report(c, "t-01", "2010-07-01", NULL, CZ_FORMAT_TEXT, &report) == CZ_OK);
  CHECK(strstr(report, "全镇") != NULL);
  cz_string_free(report);
  CHECK(cz_campaign_report(c, NULL, NULL, NULL, CZ_FORMAT_HTML, &report) == CZ_OK);
  CHECK(strncmp(report, "<!DOCTYPE html>", 15) == 0);
  cz_string_free(report);

  /* The journal the Rust tool wrote, replayed: the same report. */
  cz_campaign *replayed = NULL;
  CHECK(cz_campaign_replay(journal, &replayed) == CZ_OK);
  CHECK(cz_campaign_report(replayed, NULL, NULL, NULL, CZ_FORMAT_JSON, &report) == CZ_OK);
  CHECK(strcmp(report, expected) == 0);
  cz_string_free(report);
  cz_campaign_free(replayed);

  /* The same report as a workbook, before the records below change the city. */
  test_xlsx(c, dir);

  /* A pledge, and the typed paths on real ids. */
  char *pledge = NULL;
  CHECK(cz_campaign_pledge_json(c, "pm-m-000001", &pledge) == CZ_OK);
  CHECK(strstr(pledge, "\"owner\":{\"member\":\"m-000001\"}") != NULL);
  CHECK(strstr(pledge, "\"status\":\"published\"") != NULL);
  cz_string_free(pledge);
  uint64_t before = seq_of(c), seq = 0;
  cz_date oct = {2010, 10, 31}, nov = {2010, 11, 30};
  const char *cadres[] = {"m-000001", "m-000002"};
  CHECK(cz_campaign_record_reception(c, oct, "v-001", NULL, "v-001", cadres, 2, 4, &seq) == CZ_OK);
  CHECK(seq == before + 1);
  CHECK(cz_campaign_record_reception(c, oct, "v-001", "m-000001", "v-001", cadres, 2, 2, &seq) == CZ_OK);
  CHECK_ERR(cz_campaign_record_reception(c, oct, "v-001", NULL, "v-001", cadres, 2, 0, &seq), 1009, "visitors");
  CHECK(cz_campaign_record_visit(c, oct, "v-001", NULL, "m-000002", "h-v-001-00", &seq) == CZ_OK);
  CHECK_ERR(cz_campaign_record_visit(c, oct, "v-002", NULL, "m-000002", "h-v-001-00", NULL), 3004, "");
  const char *values[] = {"1.5"};
  CHECK(cz_campaign_report_progress(c, nov, "v-001", NULL, "pm-m-000001", 2010, 11, values, 1, 0, &seq) == CZ_OK);
  CHECK(cz_campaign_report_progress(c, nov, "v-001", NULL, "pm-m-000001", 2010, 11, values, 1, 0, NULL) != CZ_OK);
  CHECK(cz_campaign_report_progress(c, nov, "v-001", NULL, "pm-m-000001", 2010, 11, values, 1, CZ_PROGRESS_CORRECTION, &seq) == CZ_OK);
  const char *bad_values[] = {"1.5e3"};
  CHECK_ERR(cz_campaign_report_progress(c, nov, "v-001", NULL, "pm-m-000001", 2010, 11, bad_values, 1, CZ_PROGRESS_CORRECTION, NULL), 1004, "");
  CHECK(cz_campaign_pledge_json(c, "pm-m-000001", &pledge) == CZ_OK);
  CHECK(strstr(pledge, "\"1.5\"") != NULL);
  cz_string_free(pledge);

  /* A member's evaluation, explained. */
  char *eval = NULL;
  CHECK_ERR(cz_campaign_member_evaluation_json(c, "m-000001", "2010", &eval), 3002, "m-000001");
  CHECK(cz_campaign_execute(c,
      "{\"at\":\"2010-12-20\",\"actor\":{\"org\":\"v-001\"},\"event\":{\"record_member_evaluation\":"
      "{\"member\":\"m-000001\",\"round\":\"2010\",\"report_submitted\":\"2010-12-01\","
      "\"self_review\":{\"score\":\"95\"},\"peers\":{\"score\":\"92\"},\"masses\":{\"score\":\"90\"},"
      "\"committee\":{\"score\":\"94\"}}}}", NULL) == CZ_OK);
  CHECK(cz_campaign_member_evaluation_json(c, "m-000001", "2010", &eval) == CZ_OK);
  CHECK(strstr(eval, "\"score\":\"92.75\"") != NULL);
  CHECK(strstr(eval, "\"steps\"") != NULL);
  cz_string_free(eval);
  CHECK_ERR(cz_campaign_member_evaluation_json(c, "m-000001", "20x0", &eval), 1008, "round");

  /* The audit of a claim computed from the report's own figure. */
  char *findings = NULL;
  CHECK(cz_campaign_audit_json(c,
      "{\"claims\":[{\"id\":\"a\",\"figure\":\"deliberation.proposed\",\"claimed\":\"12\"},"
      "{\"id\":\"b\",\"figure\":\"deliberation.proposed\",\"claimed\":\"13\"}]}",
      NULL, NULL, "2010-10-31", &findings) == CZ_OK);
  CHECK(strstr(findings, "\"verdict\":\"supported\"") != NULL);
  CHECK(strstr(findings, "\"verdict\":\"unsupported\"") != NULL);
  cz_string_free(findings);

  cz_campaign_free(c);
  free(commands);
  free(expected);
  free(journal);
}

int main(void) {
  const char *dir = getenv("CZ_SCENARIO_DIR");
  if (!dir) dir = "target/bindings-scenario";
  test_lifecycle_and_errors();
  test_journal_files();
  test_attribution();
  test_scenario(dir);
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("C ABI test: all %d checks passed\n", checks);
  return 0;
}
