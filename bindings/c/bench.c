/* Nanoseconds per call from C: the typed fast path for a 123 reception, the same reception as a
 * JSON command, and cz_campaign_seq (the boundary alone: a NULL check, the panic guard and the
 * handle's lock). Compare with `cargo bench --bench ffi`, which times the same reception from
 * Rust without the C ABI: the difference is the ABI's overhead. Figures go to BENCHMARKS.md.
 *
 *   bindings/c/bench.sh     (builds the release library and this program, runs it) */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chuangzheng.h"

#define N 200000
#define ROUNDS 5

static const char *SETUP[] = {
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"city\",\"name\":\"市委\",\"kind\":\"city_committee\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":{\"id\":\"t-1\",\"name\":\"镇\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"t-1\"},\"event\":{\"create_org\":{\"id\":\"v-1\",\"name\":\"村\",\"kind\":\"village\",\"parent\":\"t-1\"}}}",
    "{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"t-1\"},\"event\":{\"add_member\":{\"id\":\"m-1\",\"org\":\"v-1\",\"category\":\"farmer\",\"role\":\"secretary\"}}}",
};

static cz_campaign *fresh(void) {
  cz_campaign *c = NULL;
  if (cz_campaign_new("{\"id\":\"b\",\"name\":\"bench\"}", NULL, &c) != CZ_OK) exit(2);
  for (size_t i = 0; i < sizeof SETUP / sizeof *SETUP; i++)
    if (cz_campaign_execute(c, SETUP[i], NULL) != CZ_OK) exit(2);
  return c;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(const char *what, double *ns) {
  qsort(ns, ROUNDS, sizeof *ns, cmp);
  printf("%-34s median %8.1f ns/call  (min %8.1f, max %8.1f; %d rounds of %d calls)\n", what,
         ns[ROUNDS / 2], ns[0], ns[ROUNDS - 1], ROUNDS, N);
}

int main(void) {
  const char *cadres[] = {"m-1"};
  const cz_date day = {2010, 6, 1};
  const char *json =
      "{\"at\":\"2010-06-01\",\"actor\":{\"org\":\"v-1\"},\"event\":{\"record_reception\":"
      "{\"village\":\"v-1\",\"cadres\":[\"m-1\"],\"visitors\":2}}}";
  double typed[ROUNDS], viajson[ROUNDS], seq[ROUNDS];
  volatile uint64_t sink = 0;
  for (int r = 0; r < ROUNDS; r++) {
    cz_campaign *c = fresh();
    double t0 = now();
    for (int i = 0; i < N; i++)
      if (cz_campaign_record_reception(c, day, "v-1", NULL, "v-1", cadres, 1, 2, NULL) != CZ_OK) exit(3);
    typed[r] = (now() - t0) / N;
    cz_campaign_free(c);

    c = fresh();
    t0 = now();
    for (int i = 0; i < N; i++)
      if (cz_campaign_execute(c, json, NULL) != CZ_OK) exit(3);
    viajson[r] = (now() - t0) / N;

    t0 = now();
    for (int i = 0; i < N; i++) {
      uint64_t s = 0;
      sink += cz_campaign_seq(c, &s) + s;
    }
    seq[r] = (now() - t0) / N;
    cz_campaign_free(c);
  }
  report("typed cz_campaign_record_reception", typed);
  report("JSON cz_campaign_execute", viajson);
  report("cz_campaign_seq (boundary only)", seq);
  return sink == 0;
}
