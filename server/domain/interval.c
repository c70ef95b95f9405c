/* Wilson (1927) and Byar (Breslow and Day 1987) from their published formulas, as the
 * PHE/OHID technical guidance "Confidence intervals" gives them. */
#include "interval.h"

#include <math.h>

bool interval_wilson(double x, double n, double z, double *lower, double *upper) {
    if (!(n > 0) || !(x >= 0) || x > n || !(z > 0) || !isfinite(n))
        return false;
    double p = x / n, z2 = z * z;
    double centre = 2 * x + z2;
    double spread = z * sqrt(z2 + 4 * x * (1 - p));
    double denom = 2 * (n + z2);
    *lower = (centre - spread) / denom;
    *upper = (centre + spread) / denom;
    /* At x = 0 or x = n the formula lands on 0 or 1 up to rounding; say so exactly. */
    if (x == 0)
        *lower = 0;
    if (x == n)
        *upper = 1;
    return true;
}

bool interval_byar(double x, double z, double *lower, double *upper) {
    if (!(x >= 0) || !isfinite(x) || !(z > 0))
        return false;
    if (x == 0) {
        *lower = 0;
    } else {
        double a = 1 - 1 / (9 * x) - z / (3 * sqrt(x));
        *lower = x * a * a * a;
    }
    double x1 = x + 1;
    double b = 1 - 1 / (9 * x1) + z / (3 * sqrt(x1));
    *upper = x1 * b * b * b;
    return true;
}
