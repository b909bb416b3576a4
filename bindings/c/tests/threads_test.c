/* One campaign handle used by many threads at once: typed receptions, JSON commands, reports and
 * refused commands interleaved. Every call succeeds or fails on its own; every record lands once;
 * each thread's last error is its own. Run by bindings/c/run_tests.sh (also under valgrind). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chuangzheng.h"

#define THREADS 8
#define CALLS 200

static cz_campaign *campaign;

/* The campaign's seq (UINT64_MAX when it cannot be read). */
static uint64_t seq_of(const cz_campaign *c) {
  uint64_t seq = UINT64_MAX;
  return cz_campaign_seq(c, &seq) == CZ_OK ? seq : UINT64_MAX;
}

static const char *SETUP[] = {
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"city\",\"name\":\"市委\",\"kind\":\"city_committee\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"t-1\",\"name\":\"镇\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"t-1\"},\"event\":{\"create_org\":{\"id\":\"v-1\",\"name\":\"村\",\"kind\":\"village\",\"parent\":\"t-1\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"t-1\"},\"event\":{\"add_member\":{\"id\":\"m-1\",\"org\":\"v-1\",\"category\":\"farmer\",\"role\":\"secretary\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"t-1\"},\"event\":{\"register_household\":{\"id\":\"h-1\",\"village\":\"v-1\"}}}",
};

struct outcome {
  int ok;
  int refused_as_expected;
  int own_error;
};

static void *work(void *arg) {
  struct outcome *o = arg;
  const char *cadres[] = {"m-1"};
  cz_date day = {2010, 6, 1};
  for (int i = 0; i < CALLS; i++) {
    uint64_t seq = 0;
    switch (i % 4) {
      case 0:
        if (cz_campaign_record_reception(campaign, day, "v-1", NULL, "v-1", cadres, 1, 1 + (uint32_t)(i % 5), &seq) == CZ_OK && seq > 0) o->ok++;
        break;
      case 1:
        if (cz_campaign_record_visit(campaign, day, "v-1", "m-1", "m-1", "h-1", &seq) == CZ_OK) o->ok++;
        break;
      case 2:
        if (cz_campaign_execute(campaign,
                "{\"at\":\"2010-06-01\",\"actor\":{\"org\":\"v-1\"},\"event\":{\"record_reception\":{\"village\":\"v-1\",\"cadres\":[\"m-1\"],\"visitors\":2}}}",
                &seq) == CZ_OK) o->ok++;
        break;
      default: {
        /* A refused command on this thread: its error is this thread's. */
        if (cz_campaign_execute(campaign,
                "{\"at\":\"2010-06-01\",\"actor\":{\"org\":\"v-1\"},\"event\":{\"record_visit\":{\"cadre\":\"m-1\",\"household\":\"h-404\"}}}",
                NULL) == 3002) o->refused_as_expected++;
        if (cz_last_error_code() == 3002 && strstr(cz_last_error_message(), "h-404") != NULL) o->own_error++;
        char *r = NULL;
        if (cz_campaign_report(campaign, NULL, NULL, "2010-06-30", CZ_FORMAT_JSON, &r) == CZ_OK) o->ok++;
        cz_string_free(r);
      }
    }
  }
  return NULL;
}

int main(void) {
  if (cz_campaign_new("{\"id\":\"t\",\"name\":\"线程\"}", NULL, &campaign) != CZ_OK) return 2;
  for (size_t i = 0; i < sizeof SETUP / sizeof *SETUP; i++) {
    if (cz_campaign_execute(campaign, SETUP[i], NULL) != CZ_OK) {
      fprintf(stderr, "setup %zu: %s\n", i, cz_last_error_message());
      return 2;
    }
  }
  uint64_t start = seq_of(campaign);
  pthread_t threads[THREADS];
  struct outcome outcomes[THREADS];
  memset(outcomes, 0, sizeof outcomes);
  for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, work, &outcomes[t]);
  for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
  int failures = 0;
  for (int t = 0; t < THREADS; t++) {
    if (outcomes[t].ok != CALLS || outcomes[t].refused_as_expected != CALLS / 4 || outcomes[t].own_error != CALLS / 4) {
      fprintf(stderr, "thread %d: ok %d, refused %d, own error %d\n", t, outcomes[t].ok,
              outcomes[t].refused_as_expected, outcomes[t].own_error);
      failures++;
    }
  }
  /* Three records per four calls on every thread, each recorded once. */
  uint64_t expected = start + (uint64_t)THREADS * (CALLS / 4) * 3;
  if (seq_of(campaign) != expected) {
    fprintf(stderr, "seq %llu, expected %llu\n", (unsigned long long)seq_of(campaign),
            (unsigned long long)expected);
    failures++;
  }
  char *report = NULL;
  if (cz_campaign_report(campaign, NULL, NULL, "2010-06-30", CZ_FORMAT_JSON, &report) != CZ_OK ||
      strstr(report, "\"m123.receptions\": 800") == NULL) {
    fprintf(stderr, "the report does not count the 800 receptions\n");
    failures++;
  }
  cz_string_free(report);
  cz_campaign_free(campaign);
  if (failures) return 1;
  printf("threads test: %d threads x %d calls on one handle, every record once\n", THREADS, CALLS);
  return 0;
}
