/* What the C tests share: CHECK counts a check and reports a failure with the thread's last
 * error; CHECK_ERR checks a call's code and its message (Chinese, a newline, English); slurp
 * reads a test file whole. Each test file includes it once and ends by reporting `checks` and
 * `failures`. */
#ifndef CZ_TEST_CHECK_H
#define CZ_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chuangzheng.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                \
  do {                                                                             \
    checks++;                                                                      \
    if (!(cond)) {                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n  last error [%u]: %s\n", __FILE__, \
              __LINE__, #cond, cz_last_error_code(), cz_last_error_message());     \
      failures++;                                                                  \
    }                                                                              \
  } while (0)

/* The last failure's code is `code` and its message holds `needle`. */
#define CHECK_ERR(call, code, needle)                                           \
  do {                                                                          \
    uint32_t rc_ = (call);                                                      \
    CHECK(rc_ == (code));                                                       \
    CHECK(cz_last_error_code() == (code));                                      \
    CHECK(strstr(cz_last_error_message(), (needle)) != NULL);                   \
    CHECK(strchr(cz_last_error_message(), '\n') != NULL); /* Chinese, then English */ \
  } while (0)

/* A file's bytes, NUL-terminated; its length in *len if not NULL. */
static char *slurp(const char *dir, const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  buf[n] = '\0';
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}

#endif
