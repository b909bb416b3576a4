/* The checks the C tests share: CHECK counts a check and reports a failure with the thread's
 * last error; CHECK_ERR checks a call's code and its message (Chinese, a newline, English). Each
 * test file includes it once and ends by reporting `checks` and `failures`. */
#ifndef CZ_TEST_CHECK_H
#define CZ_TEST_CHECK_H

#include <stdio.h>
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

#endif
