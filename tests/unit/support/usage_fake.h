/* The unit tests' stand-in for usage_count_list (support/usage_fake.c). */
#ifndef USAGE_FAKE_H
#define USAGE_FAKE_H

/* Every list counted since the last reset, joined by '|' ("(none)" for NULL). */
extern char usage_fake_counted[4096];
extern int usage_fake_calls;
void usage_fake_reset(void);

#endif
