/* The short example every binding shows: open a campaign, import commands, get the report.
 *
 *   cc -Iinclude bindings/c/example.c -Ltarget/debug -lchuangzheng -o example
 *   LD_LIBRARY_PATH=target/debug ./example commands.jsonl [YYYY-MM-DD]
 *
 * Prints the stage report in Chinese, as of the given date (default: the latest recorded). */
#include <stdio.h>
#include <stdlib.h>

#include "chuangzheng.h"

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  if (text && fread(text, 1, (size_t)n, f) == (size_t)n) {
    text[n] = '\0';
  } else {
    free(text);
    text = NULL;
  }
  fclose(f);
  return text;
}

static int fail(const char *what) {
  fprintf(stderr, "%s failed [%u]:\n%s\n", what, cz_last_error_code(), cz_last_error_message());
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s COMMANDS.jsonl [AS_OF]\n", argv[0]);
    return 2;
  }
  char *commands = read_file(argv[1]);
  if (!commands) {
    perror(argv[1]);
    return 2;
  }

  /* 1. Open a campaign in memory, under the default rules (NULL). */
  cz_campaign *campaign = NULL;
  if (cz_campaign_new("{\"id\":\"dg-2010\",\"name\":\"东港市创先争优活动（演示数据）\"}", NULL, &campaign) != CZ_OK)
    return fail("cz_campaign_new");

  /* 2. Import the commands: all or nothing. CZ_REFUSED_LINES: nothing recorded, and the
     result (written all the same) lists the refused lines. */
  char *result = NULL;
  uint32_t imported = cz_campaign_import(campaign, commands, 0, &result);
  if (imported == CZ_REFUSED_LINES) {
    fprintf(stderr, "refused: %s\n", result);
    cz_string_free(result);
    free(commands);
    cz_campaign_free(campaign);
    return 1;
  }
  if (imported != CZ_OK) return fail("cz_campaign_import");
  fprintf(stderr, "import: %s\n", result);
  cz_string_free(result); /* every string the library returns: freed once, with cz_string_free */
  free(commands);

  /* 3. The stage report of the whole tree, in Chinese. */
  char *report = NULL;
  if (cz_campaign_report(campaign, NULL, NULL, argc > 2 ? argv[2] : NULL, CZ_FORMAT_TEXT, &report) != CZ_OK)
    return fail("cz_campaign_report");
  fputs(report, stdout);
  cz_string_free(report);

  cz_campaign_free(campaign);
  return 0;
}
