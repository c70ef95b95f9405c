/* A stand-in for server/usage.c in unit tests of the cache: usage.c counts metric
 * reads into the database, which a unit test has not got. This one remembers what it
 * was asked to count, so a test can check that a hit counts its metrics. */
#include "support/usage_fake.h"

#include <stdio.h>
#include <string.h>

#include "usage.h"

char usage_fake_counted[4096];
int usage_fake_calls;

void usage_count_list(const char *metrics) {
    usage_fake_calls++;
    size_t used = strlen(usage_fake_counted);
    snprintf(usage_fake_counted + used, sizeof usage_fake_counted - used, "%s%s", used ? "|" : "",
             metrics ? metrics : "(none)");
}

void usage_fake_reset(void) {
    usage_fake_counted[0] = '\0';
    usage_fake_calls = 0;
}
