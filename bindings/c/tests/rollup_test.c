/* Rollups through the C ABI: the scenario's journal (a copy, with a torn last line appended)
 * opened read-only, with and without its report, its bytes unchanged and every command refused
 * (4016); two townships' figures from it merged (a char * array), the merge's counts the sum of
 * the townships' own reports, its report as text and as a workbook (freed with cz_bytes_free);
 * and the merge's refusals (5004-5007) and bad arguments; a snapshot written beside the journal,
 * opened from by both opens, a damaged one skipped with its reason, 4017 without a journal file. Run by bindings/c/run_tests.sh from the
 * repository's root (also under valgrind). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chuangzheng.h"
#include "check.h"

static const char *AS_OF = "2010-10-31";
static const char *HOUSEHOLD =
    "{\"at\":\"2010-10-31\",\"actor\":{\"org\":\"v-001\"},"
    "\"event\":{\"register_household\":{\"id\":\"h-ro\",\"village\":\"v-001\"}}}";
/* A write cut short: a record's first bytes, no newline. */
static const char TORN[] = "{\"seq\":99999,\"at\":\"2010-11-";
static const uint8_t HMAC[] = "0123456789abcdef0123456789abcdef";

static char name[48]; /* the journal's copy, in /tmp */
static char path[64];

/* Writes `len` bytes to `file`, appending when `mode` is "ab". */
static void write_file(const char *file, const char *mode, const char *bytes, size_t len) {
  FILE *f = fopen(file, mode);
  if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", file);
    exit(2);
  }
}

/* The count `key` among a JSON report's top-level "figures" (`"key": 12`; the sections before
   it name the same keys, with text), the report pretty-printed; -1 when absent or not a number. */
static long long figure(const char *json, const char *key) {
  char quoted[128];
  snprintf(quoted, sizeof quoted, "\"%s\":", key);
  const char *figures = json ? strstr(json, "\n  \"figures\": {") : NULL;
  const char *at = figures ? strstr(figures, quoted) : NULL;
  if (!at) return -1;
  at += strlen(quoted);
  while (*at == ' ') at++;
  char *end = NULL;
  long long n = strtoll(at, &end, 10);
  return end == at ? -1 : n;
}

/* A scope's figures as of AS_OF (NULL when refused; the caller checks). */
static char *figures_of(cz_campaign *c, const char *scope, const char *as_of, uint32_t attribution) {
  char *json = NULL;
  CHECK(cz_campaign_figures(c, scope, NULL, as_of, attribution, &json) == CZ_OK && json != NULL);
  return json;
}

/* The journal opened read-only: without and with its report, whole and torn; the file's bytes
   the same after; commands, imports and checkpoints refused with 4016. Returns the handle of
   the torn journal (still open), for the figures. */
static cz_campaign *test_read_only(const char *journal, size_t journal_len) {
  write_file(path, "wb", journal, journal_len);

  /* report_out NULL: no report asked for, the handle all the same. */
  cz_campaign *c = NULL;
  CHECK(cz_campaign_open_read_only(path, &c, NULL) == CZ_OK && c != NULL);
  uint64_t seq = 0;
  CHECK(cz_campaign_seq(c, &seq) == CZ_OK && seq > 1900);
  cz_campaign_free(c);

  /* A whole journal: its records, no torn tail. */
  char *report = NULL;
  c = NULL;
  CHECK(cz_campaign_open_read_only(path, &c, &report) == CZ_OK && c != NULL && report != NULL);
  char expect[96];
  snprintf(expect, sizeof expect, "\"records\":%llu", (unsigned long long)seq);
  CHECK(report != NULL && strstr(report, expect) != NULL);
  CHECK(report != NULL && strstr(report, "\"torn_tail\":null") != NULL);
  cz_string_free(report);
  cz_campaign_free(c);

  /* A torn last line: reported (where it starts, how long), left in the file. */
  write_file(path, "ab", TORN, strlen(TORN));
  size_t before_len = 0;
  char *before = slurp("/tmp", name, &before_len);
  CHECK(before_len == journal_len + strlen(TORN));
  report = NULL;
  c = NULL;
  CHECK(cz_campaign_open_read_only(path, &c, &report) == CZ_OK && c != NULL);
  CHECK(report != NULL && strstr(report, expect) != NULL);
  snprintf(expect, sizeof expect, "\"offset\":%zu", journal_len);
  CHECK(report != NULL && strstr(report, expect) != NULL);
  snprintf(expect, sizeof expect, "\"len\":%zu", strlen(TORN));
  CHECK(report != NULL && strstr(report, expect) != NULL);
  cz_string_free(report);
  uint64_t torn_seq = 0;
  CHECK(cz_campaign_seq(c, &torn_seq) == CZ_OK && torn_seq == seq);

  /* Every write refused, naming the journal; nothing recorded, no output written. */
  uint64_t out_seq = 77;
  CHECK_ERR(cz_campaign_execute(c, HOUSEHOLD, &out_seq), 4016, "cz-c-rollup-");
  CHECK(out_seq == 77);
  cz_date at = {2010, 10, 31};
  CHECK_ERR(cz_campaign_record_visit(c, at, "v-001", NULL, "m-000001", "h-v-001-00", &out_seq), 4016, "");
  char *result = NULL;
  CHECK_ERR(cz_campaign_import(c, HOUSEHOLD, CZ_IMPORT_KEEP_GOING, &result), 4016, "");
  CHECK(result == NULL);
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", HMAC, 32, "test-key", &out_seq), 4016, "");
  CHECK(out_seq == 77);
  CHECK(cz_campaign_seq(c, &torn_seq) == CZ_OK && torn_seq == seq);

  /* The file's bytes are what they were, torn tail included; nothing beside it. */
  size_t after_len = 0;
  char *after = slurp("/tmp", name, &after_len);
  CHECK(after_len == before_len && memcmp(before, after, before_len) == 0);
  char beside[96];
  snprintf(beside, sizeof beside, "%s.torn-%zu", path, journal_len);
  CHECK(access(beside, F_OK) != 0);
  free(before);
  free(after);

  /* Refusals of the open itself: outputs untouched. */
  cz_campaign *none = NULL;
  report = NULL;
  CHECK_ERR(cz_campaign_open_read_only("/nonexistent/journal.jsonl", &none, &report), 4001, "/nonexistent");
  CHECK(none == NULL && report == NULL);
  CHECK_ERR(cz_campaign_open_read_only(NULL, &none, &report), CZ_NULL_ARGUMENT, "path");
  CHECK_ERR(cz_campaign_open_read_only(path, NULL, &report), CZ_NULL_ARGUMENT, "campaign_out");
  CHECK(none == NULL && report == NULL);
  return c;
}

/* A snapshot beside the journal: both opens load it, the same records and figures; a damaged
   one is skipped and reported; none without a journal file (4017) or read-only (4016). */
static void test_snapshot(const char *journal, size_t journal_len) {
  char snap_path[80];
  snprintf(snap_path, sizeof snap_path, "%s.snapshot", path);
  write_file(path, "wb", journal, journal_len);
  unlink(snap_path);
  cz_campaign *c = NULL;
  CHECK(cz_campaign_open(path, &c) == CZ_OK && c != NULL);
  uint64_t seq = 0, held = 0;
  CHECK(cz_campaign_seq(c, &seq) == CZ_OK && seq > 1900);
  char *whole = figures_of(c, NULL, AS_OF, CZ_ATTRIBUTION_AS_OF);
  CHECK(cz_campaign_save_snapshot(c, &held) == CZ_OK && held == seq);
  CHECK(cz_campaign_save_snapshot(c, NULL) == CZ_OK);
  CHECK(access(snap_path, F_OK) == 0);
  cz_campaign_free(c);

  /* Opened from it: the same records and figures; the read-only report says so. */
  c = NULL;
  CHECK(cz_campaign_open(path, &c) == CZ_OK && c != NULL);
  char *again = figures_of(c, NULL, AS_OF, CZ_ATTRIBUTION_AS_OF);
  CHECK(whole && again && strcmp(whole, again) == 0);
  cz_string_free(again);
  cz_campaign_free(c);
  char *report = NULL;
  c = NULL;
  CHECK(cz_campaign_open_read_only(path, &c, &report) == CZ_OK && c != NULL);
  char expect[64];
  snprintf(expect, sizeof expect, "\"snapshot\":%llu", (unsigned long long)seq);
  CHECK(report != NULL && strstr(report, expect) != NULL);
  CHECK(report != NULL && strstr(report, "\"snapshot_skipped\":null") != NULL);
  CHECK_ERR(cz_campaign_save_snapshot(c, &held), 4016, "read-only");
  cz_string_free(report);
  cz_campaign_free(c);

  /* A damaged snapshot: skipped, the reason given, the journal replayed whole. */
  size_t snap_len = 0;
  char *snap = slurp("/tmp", strrchr(snap_path, '/') + 1, &snap_len);
  snap[snap_len / 2] ^= 1;
  write_file(snap_path, "wb", snap, snap_len);
  free(snap);
  report = NULL;
  c = NULL;
  CHECK(cz_campaign_open_read_only(path, &c, &report) == CZ_OK && c != NULL);
  CHECK(report != NULL && strstr(report, "\"snapshot\":null") != NULL);
  CHECK(report != NULL && strstr(report, "checksum") != NULL);
  again = figures_of(c, NULL, AS_OF, CZ_ATTRIBUTION_AS_OF);
  CHECK(whole && again && strcmp(whole, again) == 0);
  cz_string_free(again);
  cz_string_free(report);
  cz_campaign_free(c);
  cz_string_free(whole);

  /* Written by itself every 100 records; a failure to write one told once, the record kept. */
  c = NULL;
  CHECK(cz_campaign_open(path, &c) == CZ_OK && c != NULL);
  CHECK(cz_campaign_take_snapshot_error(c) == CZ_OK);
  CHECK(cz_campaign_set_snapshot_every(c, 1) == CZ_OK);
  char tmp[96];
  snprintf(tmp, sizeof tmp, "%s.tmp", snap_path);
  CHECK(mkdir(tmp, 0700) == 0); /* where the temporary file would go */
  uint64_t rec = 0;
  CHECK(cz_campaign_execute(c, HOUSEHOLD, &rec) == CZ_OK && rec == seq + 1);
  CHECK_ERR(cz_campaign_take_snapshot_error(c), 4001, "snapshot");
  CHECK(cz_campaign_take_snapshot_error(c) == CZ_OK);
  CHECK(rmdir(tmp) == 0);
  CHECK(cz_campaign_set_snapshot_every(c, 0) == CZ_OK);
  CHECK_ERR(cz_campaign_set_snapshot_every(NULL, 5), CZ_NULL_ARGUMENT, "campaign");
  CHECK_ERR(cz_campaign_take_snapshot_error(NULL), CZ_NULL_ARGUMENT, "campaign");
  cz_campaign_free(c);
  report = NULL;
  c = NULL;
  CHECK(cz_campaign_open_read_only(path, &c, &report) == CZ_OK && c != NULL);
  snprintf(expect, sizeof expect, "\"records\":%llu", (unsigned long long)(seq + 1));
  CHECK(report != NULL && strstr(report, expect) != NULL);
  CHECK(report != NULL && strstr(report, "\"snapshot\":null") != NULL); /* the damaged one, still */
  cz_string_free(report);
  cz_campaign_free(c);

  /* No journal file: 4017; a NULL handle refused. */
  char *snapshot_json = NULL;
  CHECK(cz_campaign_open(path, &c) == CZ_OK);
  CHECK(cz_campaign_snapshot_json(c, &snapshot_json) == CZ_OK);
  cz_campaign_free(c);
  cz_campaign *mem = NULL;
  CHECK(cz_campaign_from_snapshot(snapshot_json, &mem) == CZ_OK && mem != NULL);
  held = 77;
  CHECK_ERR(cz_campaign_save_snapshot(mem, &held), 4017, "snapshot");
  CHECK(held == 77);
  CHECK_ERR(cz_campaign_save_snapshot(NULL, &held), CZ_NULL_ARGUMENT, "campaign");
  cz_campaign_free(mem);
  cz_string_free(snapshot_json);
  unlink(snap_path);
}

/* Two townships' figures merged: counts summed, reported as text and as a workbook. */
static void test_merge(cz_campaign *c) {
  char *t01 = figures_of(c, "t-01", AS_OF, CZ_ATTRIBUTION_AS_OF);
  char *t02 = figures_of(c, "t-02", AS_OF, CZ_ATTRIBUTION_AS_OF);
  CHECK(t01 != NULL && strstr(t01, "\"chuangzheng.stage_figures\"") != NULL);

  const char *docs[] = {t01, t02};
  char *merged = NULL;
  CHECK(cz_figures_merge(docs, 2, NULL, &merged) == CZ_OK && merged != NULL);

  /* The merge's counts are the sum of each township's own report's. */
  char *r01 = NULL, *r02 = NULL, *sum = NULL;
  CHECK(cz_campaign_report(c, "t-01", NULL, AS_OF, CZ_FORMAT_JSON, &r01) == CZ_OK);
  CHECK(cz_campaign_report(c, "t-02", NULL, AS_OF, CZ_FORMAT_JSON, &r02) == CZ_OK);
  CHECK(cz_figures_report(merged, CZ_FORMAT_JSON, &sum) == CZ_OK);
  const char *keys[] = {"pledge.practical.total", "pledge.practical.completed", "m123.receptions",
                        "m123.visitors_received", "carrier.dual_post.members"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    long long a = figure(r01, keys[i]), b = figure(r02, keys[i]), m = figure(sum, keys[i]);
    CHECK(a >= 0 && b >= 0 && m == a + b);
  }
  CHECK(figure(sum, "pledge.practical.total") > 0);
  cz_string_free(r01);
  cz_string_free(r02);
  cz_string_free(sum);

  /* Text: each township a row. */
  char *text = NULL;
  CHECK(cz_figures_report(merged, CZ_FORMAT_TEXT, &text) == CZ_OK && text != NULL);
  CHECK(text != NULL && strstr(text, "阶段点评报告") && strstr(text, "第1镇党委") && strstr(text, "第2镇党委"));
  cz_string_free(text);
  /* A title names the whole. */
  char *titled = NULL;
  CHECK(cz_figures_merge(docs, 2, "两镇合计", &titled) == CZ_OK);
  text = NULL;
  CHECK(cz_figures_report(titled, CZ_FORMAT_TEXT, &text) == CZ_OK && text && strstr(text, "两镇合计"));
  cz_string_free(text);
  cz_string_free(titled);

  /* The workbook: a zip file's bytes, freed with their length. */
  uint8_t *xlsx = NULL;
  size_t xlsx_len = 0;
  CHECK(cz_figures_report_xlsx(merged, &xlsx, &xlsx_len) == CZ_OK && xlsx != NULL);
  CHECK(xlsx_len > 1000 && memcmp(xlsx, "PK\x03\x04", 4) == 0);
  cz_bytes_free(xlsx, xlsx_len);

  cz_string_free(merged);
  cz_string_free(t01);
  cz_string_free(t02);
}

/* What a merge refuses, and bad arguments: outputs untouched. */
static void test_refusals(cz_campaign *c) {
  char *t01 = figures_of(c, "t-01", AS_OF, CZ_ATTRIBUTION_AS_OF);
  char *t02_sept = figures_of(c, "t-02", "2010-09-30", CZ_ATTRIBUTION_AS_OF);
  char *t02_hist = figures_of(c, "t-02", AS_OF, CZ_ATTRIBUTION_HISTORICAL);
  char *v002 = figures_of(c, "v-002", AS_OF, CZ_ATTRIBUTION_AS_OF);
  char *out = NULL;

  const char *twice[] = {t01, t01};
  CHECK_ERR(cz_figures_merge(twice, 2, NULL, &out), 5006, "t-01");
  const char *sept[] = {t01, t02_sept};
  CHECK_ERR(cz_figures_merge(sept, 2, NULL, &out), 5005, "as_of");
  const char *hist[] = {t01, t02_hist};
  CHECK_ERR(cz_figures_merge(hist, 2, NULL, &out), 5005, "attribution");
  const char *garbage[] = {t01, "garbage"};
  CHECK_ERR(cz_figures_merge(garbage, 2, NULL, &out), 5004, "docs[1]");
  CHECK_ERR(cz_figures_merge(NULL, 0, NULL, &out), 5004, "nothing to merge");
  CHECK_ERR(cz_figures_merge(NULL, 1, NULL, &out), CZ_NULL_ARGUMENT, "docs");
  const char *hole[] = {t01, NULL};
  CHECK_ERR(cz_figures_merge(hole, 2, NULL, &out), CZ_NULL_ARGUMENT, "docs[1]");
  CHECK_ERR(cz_figures_merge(twice, 1, NULL, NULL), CZ_NULL_ARGUMENT, "json_out");
  /* A title that is no name: refused with the name's code (1001 empty, 1011 padded). */
  CHECK(cz_figures_merge(twice, 1, "", &out) != CZ_OK && strstr(cz_last_error_message(), "title"));
  CHECK(cz_figures_merge(twice, 1, " 合计", &out) != CZ_OK && strstr(cz_last_error_message(), "title"));
  CHECK(out == NULL);

  /* Scopes without a common parent merge, but report only under a title (5007). */
  const char *loose[] = {t01, v002};
  char *merged = NULL;
  CHECK(cz_figures_merge(loose, 2, NULL, &merged) == CZ_OK);
  CHECK_ERR(cz_figures_report(merged, CZ_FORMAT_TEXT, &out), 5007, "title");
  uint8_t *xlsx = NULL;
  size_t xlsx_len = 12345;
  CHECK_ERR(cz_figures_report_xlsx(merged, &xlsx, &xlsx_len), 5007, "title");
  CHECK(xlsx == NULL && xlsx_len == 12345);
  cz_string_free(merged);

  CHECK_ERR(cz_figures_report("garbage", CZ_FORMAT_JSON, &out), 5004, "");
  CHECK_ERR(cz_figures_report(t01, 7, &out), CZ_INVALID_ARGUMENT, "format");
  CHECK_ERR(cz_figures_report(NULL, CZ_FORMAT_JSON, &out), CZ_NULL_ARGUMENT, "figures_json");
  CHECK_ERR(cz_figures_report_xlsx("{}", &xlsx, &xlsx_len), 5004, "");
  CHECK_ERR(cz_figures_report_xlsx(t01, NULL, &xlsx_len), CZ_NULL_ARGUMENT, "bytes_out");
  CHECK_ERR(cz_figures_report_xlsx(t01, &xlsx, NULL), CZ_NULL_ARGUMENT, "len_out");
  CHECK(xlsx == NULL && xlsx_len == 12345);
  CHECK_ERR(cz_campaign_figures(c, "no-such-org", NULL, AS_OF, CZ_ATTRIBUTION_AS_OF, &out), 3002, "no-such-org");
  CHECK_ERR(cz_campaign_figures(c, NULL, NULL, NULL, 7, &out), CZ_INVALID_ARGUMENT, "attribution");
  CHECK_ERR(cz_campaign_figures(c, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, NULL), CZ_NULL_ARGUMENT, "json_out");
  CHECK_ERR(cz_campaign_figures(NULL, NULL, NULL, NULL, CZ_ATTRIBUTION_AS_OF, &out), CZ_NULL_ARGUMENT, "campaign");
  CHECK(out == NULL);

  cz_string_free(t01);
  cz_string_free(t02_sept);
  cz_string_free(t02_hist);
  cz_string_free(v002);
}

int main(void) {
  const char *dir = getenv("CZ_SCENARIO_DIR");
  if (!dir) dir = "target/bindings-scenario";
  size_t journal_len = 0;
  char *journal = slurp(dir, "journal.jsonl", &journal_len);
  snprintf(name, sizeof name, "cz-c-rollup-%ld.jsonl", (long)getpid());
  snprintf(path, sizeof path, "/tmp/%s", name);
  cz_campaign *c = test_read_only(journal, journal_len);
  test_merge(c);
  test_refusals(c);
  cz_campaign_free(c);
  test_snapshot(journal, journal_len);
  unlink(path);
  free(journal);
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("C rollup test: all %d checks passed\n", checks);
  return 0;
}
