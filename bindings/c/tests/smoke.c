/* The C ABI used from C: a campaign in memory and on a journal file, a refused command with its
 * code and message, the state as JSON, versions, and NULL handling. Run by scripts/test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chuangzheng.h"

static int failures = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

/* The campaign's seq, checked to be read. */
static uint64_t seq_of(const cz_campaign *c) {
  uint64_t seq = UINT64_MAX;
  CHECK(cz_campaign_seq(c, &seq) == CZ_OK);
  return seq;
}

static const char *INFO = "{\"id\":\"dg-2010\",\"name\":\"东港市\"}";
static const char *ROOT =
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},"
    "\"event\":{\"create_org\":{\"id\":\"city\",\"name\":\"市委\",\"kind\":\"city_committee\"}}}";
static const char *TOWN =
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},"
    "\"event\":{\"create_org\":{\"id\":\"t-01\",\"name\":\"镇\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}";

int main(void) {
  char version[32];
  snprintf(version, sizeof version, "%d.%d.%d", CZ_VERSION_MAJOR, CZ_VERSION_MINOR, CZ_VERSION_PATCH);
  CHECK(strcmp(cz_version(), version) == 0);

  /* In memory: the root, a refused second root, a township. */
  cz_campaign *c = NULL;
  CHECK(cz_campaign_new(INFO, NULL, &c) == CZ_OK);
  uint64_t seq = 0;
  CHECK(cz_campaign_execute(c, ROOT, &seq) == CZ_OK && seq == 1);
  CHECK(cz_campaign_execute(c, ROOT, &seq) == 3006);
  CHECK(strstr(cz_last_error_message(), "root") != NULL);
  CHECK(seq_of(c) == 1);
  CHECK(cz_campaign_execute(c, TOWN, NULL) == CZ_OK);
  CHECK(cz_campaign_execute(c, "{", &seq) == 3001);
  CHECK(cz_campaign_execute(c, NULL, &seq) == CZ_NULL_ARGUMENT);
  char *state = NULL;
  CHECK(cz_campaign_state_json(c, &state) == CZ_OK);
  CHECK(state != NULL && strstr(state, "\"t-01\"") != NULL);
  cz_string_free(state);
  cz_campaign_free(c);
  cz_campaign_free(NULL);
  cz_string_free(NULL);

  /* Bad rules: the code names the rule, the message its field. */
  c = NULL;
  CHECK(cz_campaign_new(INFO, "{\"version\":1,\"name\":\"t\",\"method123\":{\"receptions_per_week\":0}}", &c) == 2109);
  CHECK(c == NULL);
  CHECK(strstr(cz_last_error_message(), "method123.receptions_per_week") != NULL);

  /* On a journal: create, record, close, reopen, and the record is there. */
  char path[64];
  snprintf(path, sizeof path, "/tmp/cz-c-smoke-%ld.jsonl", (long)getpid());
  unlink(path);
  CHECK(cz_campaign_create(path, INFO, NULL, &c) == CZ_OK);
  CHECK(cz_campaign_execute(c, ROOT, &seq) == CZ_OK);
  CHECK(cz_campaign_create(path, INFO, NULL, &c) == 4002); /* never overwritten */
  cz_campaign_free(c);
  c = NULL;
  CHECK(cz_campaign_open(path, &c) == CZ_OK);
  CHECK(seq_of(c) == 1);
  cz_campaign_free(c);
  unlink(path);

  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("C ABI smoke test: all checks passed\n");
  return 0;
}
