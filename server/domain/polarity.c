/* Polarity names and the direction that counts as improvement. */
#include "polarity.h"

#include <string.h>

bool polarity_parse(const char *text, enum polarity *out) {
    if (!text)
        return false;
    if (strcmp(text, "higher_is_better") == 0)
        *out = POLARITY_HIGHER_IS_BETTER;
    else if (strcmp(text, "lower_is_better") == 0)
        *out = POLARITY_LOWER_IS_BETTER;
    else if (strcmp(text, "neutral") == 0)
        *out = POLARITY_NEUTRAL;
    else
        return false;
    return true;
}

const char *polarity_name(enum polarity p) {
    switch (p) {
    case POLARITY_LOWER_IS_BETTER:
        return "lower_is_better";
    case POLARITY_NEUTRAL:
        return "neutral";
    case POLARITY_HIGHER_IS_BETTER:
        break;
    }
    return "higher_is_better";
}

int polarity_good_direction(enum polarity p) {
    switch (p) {
    case POLARITY_HIGHER_IS_BETTER:
        return 1;
    case POLARITY_LOWER_IS_BETTER:
        return -1;
    case POLARITY_NEUTRAL:
        break;
    }
    return 0;
}
