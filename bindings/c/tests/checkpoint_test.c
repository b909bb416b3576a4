/* Checkpoints through the C ABI: the scenario's commands imported into a journal with
 * checkpoints signed by an HMAC-SM3 key and by an SM2 key (the test-only pair beside this file),
 * verified under the right key, under a wrong one (4013), with records after the last checkpoint
 * (4014), and every kind of bad argument. Run by bindings/c/run_tests.sh from the repository's
 * root (also under valgrind). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chuangzheng.h"
#include "check.h"

static const char *INFO = "{\"id\":\"dg-2010\",\"name\":\"东港市创先争优活动（演示数据）\"}";
static const char *KEYS = "bindings/c/tests";
static const uint8_t HMAC[] = "0123456789abcdef0123456789abcdef"; /* 32 bytes and a NUL */
static const uint8_t WRONG_HMAC[] = "fedcba9876543210fedcba9876543210";
#define HMAC_LEN 32

static char *commands;

/* A new journal at `path` holding the scenario's commands, checkpoints signed every 500 records
   by (alg, key); the handle stays open. */
static cz_campaign *signed_journal(const char *path, const char *alg, const uint8_t *key, size_t len) {
  unlink(path);
  cz_campaign *c = NULL;
  CHECK(cz_campaign_create(path, INFO, NULL, &c) == CZ_OK);
  char *result = NULL;
  CHECK(cz_campaign_import_signed(c, commands, 0, alg, key, len, "test-key", 500, &result) == CZ_OK);
  CHECK(result != NULL && strstr(result, "\"refused\":[]") != NULL);
  CHECK(result != NULL && strstr(result, "\"checkpoints\":") != NULL);
  cz_string_free(result);
  return c;
}

/* cz_journal_verify_signed's code; on success the report holds `needle`. */
static uint32_t verify(const char *path, const char *alg, const void *key, size_t len, const char *needle) {
  char *report = NULL;
  uint32_t rc = cz_journal_verify_signed(path, NULL, NULL, alg, key, len, &report);
  if (rc == CZ_OK) {
    CHECK(strstr(report, "\"last_signed\":") != NULL && strstr(report, needle) != NULL);
    cz_string_free(report);
  } else {
    CHECK(report == NULL); /* written only on success */
  }
  return rc;
}

static void test_hmac(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/cz-c-cp-hmac-%ld.jsonl", (long)getpid());
  cz_campaign *c = signed_journal(path, "hmac-sm3", HMAC, HMAC_LEN);
  uint64_t seq = 0;
  CHECK(cz_campaign_seq(c, &seq) == CZ_OK);
  char last[32];
  snprintf(last, sizeof last, "\"last_signed\":%llu", (unsigned long long)seq);
  CHECK(verify(path, "hmac-sm3", HMAC, HMAC_LEN, last) == CZ_OK);
  CHECK(verify(path, "hmac-sm3", WRONG_HMAC, HMAC_LEN, "") == 4013);
  CHECK(strstr(cz_last_error_message(), "hmac-sm3") != NULL);
  /* A record after the last checkpoint: an unsigned tail, until the next checkpoint. */
  CHECK(cz_campaign_execute(c,
      "{\"at\":\"2010-12-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":"
      "{\"id\":\"t-cp\",\"name\":\"检查点镇党委\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}",
      NULL) == CZ_OK);
  CHECK_ERR(verify(path, "hmac-sm3", HMAC, HMAC_LEN, ""), 4014, "");
  uint64_t cp = 0;
  CHECK(cz_campaign_checkpoint(c, "hmac-sm3", HMAC, HMAC_LEN, "test-key", &cp) == CZ_OK);
  CHECK(cp == seq + 2);
  CHECK(verify(path, "hmac-sm3", HMAC, HMAC_LEN, "\"checkpoints\":") == CZ_OK);
  /* The anchors still apply. */
  uint64_t wrong_seq = 1;
  char *report = NULL;
  CHECK_ERR(cz_journal_verify_signed(path, NULL, &wrong_seq, "hmac-sm3", HMAC, HMAC_LEN, &report), 4011, "");
  cz_campaign_free(c);
  unlink(path);
}

static void test_sm2(void) {
  size_t private_len = 0, public_len = 0, other_len = 0;
  char *private_key = slurp(KEYS, "test-only-sm2-private.pem", &private_len);
  char *public_key = slurp(KEYS, "test-only-sm2-public.pem", &public_len);
  char *other_key = slurp(KEYS, "test-only-sm2-other-public.pem", &other_len);
  char path[64];
  snprintf(path, sizeof path, "/tmp/cz-c-cp-sm2-%ld.jsonl", (long)getpid());
  cz_campaign *c = signed_journal(path, "sm2", (const uint8_t *)private_key, private_len);
  CHECK(verify(path, "sm2", public_key, public_len, "\"checkpoints\":") == CZ_OK);
  CHECK_ERR(verify(path, "sm2", other_key, other_len, ""), 4013, "sm2");
  /* The private key where the public one is asked for, and the reverse. */
  CHECK_ERR(verify(path, "sm2", private_key, private_len, ""), 4012, "pubout");
  uint64_t seq = 0;
  CHECK_ERR(cz_campaign_checkpoint(c, "sm2", (const uint8_t *)public_key, public_len, "test-key", &seq), 4012, "private key");
  /* No checkpoint of the key's algorithm: every record is unsigned. */
  CHECK_ERR(verify(path, "hmac-sm3", HMAC, HMAC_LEN, ""), 4014, "");
  cz_campaign_free(c);
  unlink(path);
  free(private_key);
  free(public_key);
  free(other_key);
}

static void test_bad_arguments(void) {
  cz_campaign *c = NULL;
  CHECK(cz_campaign_new(INFO, NULL, &c) == CZ_OK);
  uint64_t seq = 99;
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", HMAC, HMAC_LEN, "test-key", &seq), 4015, "");
  CHECK_ERR(cz_campaign_checkpoint(c, "rsa", HMAC, HMAC_LEN, "test-key", &seq), CZ_INVALID_ARGUMENT, "argument alg \"rsa\"");
  CHECK_ERR(cz_campaign_checkpoint(c, NULL, HMAC, HMAC_LEN, "test-key", &seq), CZ_NULL_ARGUMENT, "alg");
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", NULL, HMAC_LEN, "test-key", &seq), CZ_NULL_ARGUMENT, "argument key is NULL");
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", NULL, 0, "test-key", &seq), 4012, "HMAC-SM3 key: 0 bytes");
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", HMAC, 8, "test-key", &seq), 4012, "shorter than the 16 bytes");
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", HMAC, HMAC_LEN, " padded ", &seq), 4012, "key id");
  CHECK_ERR(cz_campaign_checkpoint(c, "hmac-sm3", HMAC, HMAC_LEN, NULL, &seq), CZ_NULL_ARGUMENT, "key_id");
  CHECK_ERR(cz_campaign_checkpoint(c, "sm2", (const uint8_t *)"not a key", 9, "test-key", &seq), 4012, "SM2 private key");
  CHECK_ERR(cz_campaign_checkpoint(NULL, "hmac-sm3", HMAC, HMAC_LEN, "test-key", &seq), CZ_NULL_ARGUMENT, "campaign");
  CHECK(seq == 99); /* written only on success */
  char *result = NULL;
  CHECK_ERR(cz_campaign_import_signed(c, commands, 0, "hmac", HMAC, HMAC_LEN, "test-key", 0, &result), CZ_INVALID_ARGUMENT, "alg");
  CHECK_ERR(cz_campaign_import_signed(c, commands, 0, "hmac-sm3", HMAC, 4, "test-key", 0, &result), 4012, "HMAC-SM3");
  CHECK_ERR(cz_campaign_import_signed(c, commands, 0, "hmac-sm3", HMAC, HMAC_LEN, "test-key", 0, NULL), CZ_NULL_ARGUMENT, "result_json_out");
  CHECK(result == NULL);
  CHECK(cz_campaign_seq(c, &seq) == CZ_OK && seq == 0); /* nothing recorded */
  char *report = NULL;
  CHECK_ERR(cz_journal_verify_signed("/nonexistent/journal.jsonl", NULL, NULL, "hmac-sm3", HMAC, HMAC_LEN, &report), 4001, "/nonexistent");
  CHECK_ERR(cz_journal_verify_signed("/tmp", NULL, NULL, "SM2", HMAC, HMAC_LEN, &report), CZ_INVALID_ARGUMENT, "alg");
  CHECK(report == NULL);
  cz_campaign_free(c);
}

int main(void) {
  const char *dir = getenv("CZ_SCENARIO_DIR");
  if (!dir) dir = "target/bindings-scenario";
  commands = slurp(dir, "commands.jsonl", NULL);
  test_hmac();
  test_sm2();
  test_bad_arguments();
  free(commands);
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("C checkpoint test: all %d checks passed\n", checks);
  return 0;
}
