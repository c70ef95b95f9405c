/* A metric's polarity: which way is good. Shared by the SPC judgements and the benchmark
 * comparisons. Pure. */
#ifndef POLARITY_H
#define POLARITY_H

#include <stdbool.h>

enum polarity { POLARITY_HIGHER_IS_BETTER, POLARITY_LOWER_IS_BETTER, POLARITY_NEUTRAL };

/* "higher_is_better", "lower_is_better" or "neutral"; false for anything else. */
bool polarity_parse(const char *text, enum polarity *out);
const char *polarity_name(enum polarity p);
/* +1 when a rise is good, -1 when a fall is good, 0 when neither is. */
int polarity_good_direction(enum polarity p);

#endif
