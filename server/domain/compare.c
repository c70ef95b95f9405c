/* Fingertips' "compared with benchmark" rule for a value with a confidence interval. */
#include "compare.h"

enum compare_verdict compare_verdict_of(bool has_interval, double lower, double upper,
                                        double comparator, enum polarity polarity) {
    if (!has_interval || lower > upper)
        return COMPARE_NOT_COMPARED;
    int side = lower > comparator ? 1 : upper < comparator ? -1 : 0;
    if (side == 0)
        return COMPARE_SIMILAR;
    int good = polarity_good_direction(polarity);
    if (good == 0)
        return side > 0 ? COMPARE_HIGHER : COMPARE_LOWER;
    return side == good ? COMPARE_BETTER : COMPARE_WORSE;
}

const char *compare_verdict_name(enum compare_verdict v) {
    switch (v) {
    case COMPARE_BETTER:
        return "better";
    case COMPARE_WORSE:
        return "worse";
    case COMPARE_SIMILAR:
        return "similar";
    case COMPARE_HIGHER:
        return "higher";
    case COMPARE_LOWER:
        return "lower";
    case COMPARE_NOT_COMPARED:
        break;
    }
    return "not_compared";
}
