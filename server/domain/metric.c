/* What a metric's catalogue words mean for its figures. */
#include "metric.h"

#include <string.h>

#include "target.h"

void metric_classify(struct metric *m) {
    m->freq = PERIOD_MONTHLY;
    period_freq_parse(m->frequency, &m->freq);
    m->is_rate = strcmp(m->kind, "rate") == 0;
    m->is_flow = strcmp(m->kind, "flow") == 0;
    m->is_count = strcmp(m->unit, "count") == 0;
    m->lower_is_better = strcmp(m->polarity, "lower_is_better") == 0;
    m->scale = strcmp(m->unit, "percent") == 0         ? 100
               : strcmp(m->unit, "rate_per_1000") == 0 ? 1000
                                                       : 1;
}

bool metric_declares(const struct metric *m, const char *dimension) {
    size_t n = strlen(dimension);
    for (const char *p = m->dims; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, dimension, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

double metric_round(const struct metric *m, double v) {
    return target_round(v, m->is_count ? 0 : m->decimals + 2);
}

double metric_round_expected(const struct metric *m, double v) {
    return target_round(v, m->decimals > 1 ? m->decimals : 1);
}

void metric_period_text(const struct metric *m, int month, char *buf, size_t size) {
    struct period p = {month / 12, month % 12 + 1, m->freq};
    period_format(&p, buf, size);
}
