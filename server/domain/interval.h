/* Confidence intervals as OHID Fingertips and PHEindicatormethods compute them: Wilson's
 * score interval for a proportion (phe_proportion) and Byar's approximation to the
 * Poisson interval for a count (byars_lower, byars_upper). Pure. */
#ifndef INTERVAL_H
#define INTERVAL_H

#include <stdbool.h>

/* The standard normal quantile for a two-sided 95% interval, qnorm(0.975); the issue's
 * 1.959964 is this rounded to six decimals. */
#define INTERVAL_Z95 1.959963984540054

/* Wilson's score interval for x of n, as proportions (0..1): false, with nothing
 * written, unless 0 <= x <= n and n > 0 and z > 0. */
bool interval_wilson(double x, double n, double z, double *lower, double *upper);
/* Byar's interval for an observed count x >= 0 (the lower limit of 0 is 0); false for a
 * negative or non-finite x or z <= 0. */
bool interval_byar(double x, double z, double *lower, double *upper);

#endif
