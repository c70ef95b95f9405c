/* Complementary suppression by relations (see suppress.h). Tables here are one figure's
 * breakdown cells, tens to a few hundred, so relations are found by scanning. */
#include "suppress.h"

#include <stdlib.h>

static bool child_of(const struct suppress_cell *c, const struct suppress_cell *margin, int dim,
                     int ndims);
static bool protect(struct suppress_cell *cells, int n, int ndims, int margin, int dim,
                    double threshold, int *scratch);
static bool bare_unknown(const struct suppress_cell *cells, int n, int ndims, int u);
static int determined(const struct suppress_cell *cells, int n, int nreal, int ndims, int *col_of,
                      bool *pinned);
static bool hide_near(struct suppress_cell *cells, int n, int ndims, int cell);
static int find_cell(const struct suppress_cell *cells, int n, int ndims, const int *cat);
static struct suppress_cell *closed_table(const struct suppress_cell *cells, int n, int ndims,
                                          int *out_n);

/* c is one step below margin along dim: a category there, the same elsewhere. */
static bool child_of(const struct suppress_cell *c, const struct suppress_cell *margin, int dim,
                     int ndims) {
    if (c->cat[dim] == SUPPRESS_ALL)
        return false;
    for (int e = 0; e < ndims; e++)
        if (e != dim && c->cat[e] != margin->cat[e])
            return false;
    return true;
}

/* An unknown cell with no cell of the table under it. */
static bool bare_unknown(const struct suppress_cell *cells, int n, int ndims, int u) {
    if (!cells[u].unknown)
        return false;
    for (int d = 0; d < ndims; d++) {
        if (cells[u].cat[d] != SUPPRESS_ALL)
            continue;
        for (int i = 0; i < n; i++)
            if (i != u && child_of(&cells[i], &cells[u], d, ndims))
                return false;
    }
    return true;
}

void suppress_primary(struct suppress_cell *cells, int n, double threshold) {
    for (int i = 0; i < n; i++) {
        cells[i].complement = false;
        if (cells[i].value >= 1 && cells[i].value <= threshold)
            cells[i].hidden = true;
    }
}

/* Judges one relation and hides cells until it holds; true when it hid any. */
static bool protect(struct suppress_cell *cells, int n, int ndims, int margin, int dim,
                    double threshold, int *kids) {
    int nkids = 0;
    for (int i = 0; i < n; i++)
        if (i != margin && child_of(&cells[i], &cells[margin], dim, ndims))
            kids[nkids++] = i;
    if (nkids == 0)
        return false;
    bool changed = false;
    for (;;) {
        int hidden = cells[margin].hidden;
        /* A cell nobody reported, with nothing reported under it, is an unknown that
         * helps hide others but no secret: a relation whose only hidden cells are such
         * has nothing to protect, unless what they come to (the margin less the visible
         * cells) is itself a small count. (An unreported margin is the sum of cells that
         * may be secrets, so it counts as one.) */
        int secrets = cells[margin].hidden && !bare_unknown(cells, n, ndims, margin);
        double visible_sum = 0;
        for (int k = 0; k < nkids; k++) {
            if (cells[kids[k]].hidden) {
                hidden++;
                secrets += !bare_unknown(cells, n, ndims, kids[k]);
            } else {
                visible_sum += cells[kids[k]].value;
            }
        }
        if (secrets == 0 && (cells[margin].hidden || cells[margin].value - visible_sum < 1 ||
                             cells[margin].value - visible_sum > threshold))
            return changed;
        bool small_sum =
            hidden >= 2 && !cells[margin].hidden && cells[margin].value - visible_sum <= threshold;
        if (hidden == 0 || (hidden >= 2 && !small_sum) || hidden == nkids + 1)
            return changed;
        int pick = -1;
        for (int k = 0; k < nkids; k++) {
            const struct suppress_cell *c = &cells[kids[k]];
            if (!c->hidden && (pick < 0 || c->value < cells[pick].value))
                pick = kids[k];
        }
        /* The margin goes only to stop a derivation: a small sum of cells that are all
         * hidden already tells no one cell, and the margin may be the headline figure. */
        if (pick < 0 && small_sum)
            return changed;
        if (pick < 0)
            pick = margin;
        cells[pick].hidden = cells[pick].complement = true;
        changed = true;
    }
}

/* Whether the table already has a cell with these categories. */
static int find_cell(const struct suppress_cell *cells, int n, int ndims, const int *cat) {
    for (int i = 0; i < n; i++) {
        int e = 0;
        while (e < ndims && cells[i].cat[e] == cat[e])
            e++;
        if (e == ndims)
            return i;
    }
    return -1;
}

/* The table closed under margins: a margin nobody reported ("sex=female" when only
 * "age_band=16-24;sex=female" and its neighbours were) still ties its cells to the margins
 * above it, so it joins the work table as an unknown: hidden, never shown. NULL when the
 * closure would pass SUPPRESS_MAX_WORK cells or memory ran out. */
static struct suppress_cell *closed_table(const struct suppress_cell *cells, int n, int ndims,
                                          int *out_n) {
    int cap = n * 2 + 16, w = n;
    struct suppress_cell *work = malloc((size_t)cap * sizeof *work);
    if (!work)
        return NULL;
    for (int i = 0; i < n; i++)
        work[i] = cells[i];
    for (int i = 0; i < w; i++)
        for (int d = 0; d < ndims; d++) {
            if (work[i].cat[d] == SUPPRESS_ALL)
                continue;
            int cat[SUPPRESS_MAX_DIMS];
            for (int e = 0; e < ndims; e++)
                cat[e] = e == d ? SUPPRESS_ALL : work[i].cat[e];
            if (find_cell(work, w, ndims, cat) >= 0)
                continue;
            if (w == cap) {
                struct suppress_cell *more = cap * 2 <= SUPPRESS_MAX_WORK
                                                 ? realloc(work, (size_t)cap * 2 * sizeof *work)
                                                 : NULL;
                if (!more) {
                    free(work);
                    return NULL;
                }
                work = more;
                cap *= 2;
            }
            struct suppress_cell *m = &work[w++];
            *m = (struct suppress_cell){.value = 0, .hidden = true, .unknown = true};
            for (int e = 0; e < SUPPRESS_MAX_DIMS; e++)
                m->cat[e] = e < ndims ? cat[e] : SUPPRESS_ALL;
        }
    *out_n = w;
    return work;
}

int suppress_complement(struct suppress_cell *cells, int n, int ndims, double threshold) {
    if (n <= 0 || ndims <= 0)
        return 0;
    int before = 0;
    for (int i = 0; i < n; i++)
        before += cells[i].complement;
    int w = 0;
    struct suppress_cell *work = closed_table(cells, n, ndims, &w);
    int *kids = work ? malloc((size_t)w * sizeof *kids) : NULL;
    bool *pinned = work ? malloc((size_t)n * sizeof *pinned) : NULL;
    bool gave_up = !kids || !pinned;
    for (int round = 0; !gave_up && round <= w; round++) {
        bool changed = true;
        while (changed) {
            changed = false;
            for (int m = 0; m < w; m++)
                for (int d = 0; d < ndims; d++)
                    if (work[m].cat[d] == SUPPRESS_ALL &&
                        protect(work, w, ndims, m, d, threshold, kids))
                        changed = true;
        }
        /* Each relation now holds alone; taken together they can still pin a cell down
         * (two protected blocks joined by one hidden cell in a two-way table). */
        int found = determined(work, w, n, ndims, kids, pinned);
        if (found < 0) {
            gave_up = true;
            break;
        }
        bool hid = false;
        for (int i = 0; i < n && !hid; i++)
            hid = pinned[i] && hide_near(work, w, ndims, i);
        if (!hid && found) { /* pinned through cells further off: hide the smallest anywhere */
            int pick = -1;
            for (int i = 0; i < n; i++)
                if (!work[i].hidden && (pick < 0 || work[i].value < work[pick].value))
                    pick = i;
            if (pick >= 0)
                work[pick].hidden = work[pick].complement = hid = true;
        }
        if (!hid)
            break;
    }
    /* Without the memory to judge the relations, hide every cell rather than risk one. */
    for (int i = 0; i < n; i++) {
        if (gave_up && !cells[i].hidden)
            cells[i].hidden = cells[i].complement = true;
        else if (!gave_up && work[i].hidden && !cells[i].hidden)
            cells[i].hidden = cells[i].complement = true;
        if (cells[i].unknown)
            cells[i].complement = false;
    }
    free(kids);
    free(pinned);
    free(work);
    int after = 0;
    for (int i = 0; i < n; i++)
        after += cells[i].complement;
    return after - before;
}

/* Which reported hidden cells (the first nreal) follow from the visible ones by some
 * combination of the relations, not only one subtraction, marked in pinned; returns how
 * many, or -1 when memory ran out. The relations restricted to the hidden cells are
 * brought to reduced row echelon form: a cell is determined exactly when its column is a
 * pivot whose row has no other entry. col_of: n ints of scratch. */
static int determined(const struct suppress_cell *cells, int n, int nreal, int ndims, int *col_of,
                      bool *pinned) {
    int h = 0;
    for (int i = 0; i < nreal; i++)
        pinned[i] = false;
    for (int i = 0; i < n; i++)
        col_of[i] = cells[i].hidden ? h++ : -1;
    if (h == 0)
        return 0;
    int rows = 0, cap = n * ndims;
    double *a = calloc((size_t)cap * (size_t)h, sizeof *a);
    int *cell_of = malloc((size_t)h * sizeof *cell_of);
    if (!a || !cell_of) {
        free(a);
        free(cell_of);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (col_of[i] >= 0)
            cell_of[col_of[i]] = i;
    for (int m = 0; m < n; m++)
        for (int d = 0; d < ndims; d++) {
            if (cells[m].cat[d] != SUPPRESS_ALL)
                continue;
            double *row = a + (size_t)rows * (size_t)h;
            bool any_kid = false, any_hidden = col_of[m] >= 0;
            if (col_of[m] >= 0)
                row[col_of[m]] = 1;
            for (int i = 0; i < n; i++)
                if (i != m && child_of(&cells[i], &cells[m], d, ndims)) {
                    any_kid = true;
                    if (col_of[i] >= 0)
                        row[col_of[i]] = -1, any_hidden = true;
                }
            if (any_kid && any_hidden)
                rows++;
            else
                for (int c = 0; c < h; c++)
                    row[c] = 0;
        }
    int rank = 0;
    for (int c = 0; c < h && rank < rows; c++) {
        int piv = -1;
        for (int r = rank; r < rows; r++)
            if (a[(size_t)r * h + c] > 1e-9 || a[(size_t)r * h + c] < -1e-9) {
                piv = r;
                break;
            }
        if (piv < 0)
            continue;
        for (int k = 0; k < h; k++) {
            double t = a[(size_t)piv * h + k];
            a[(size_t)piv * h + k] = a[(size_t)rank * h + k];
            a[(size_t)rank * h + k] = t;
        }
        double p = a[(size_t)rank * h + c];
        for (int k = 0; k < h; k++)
            a[(size_t)rank * h + k] /= p;
        for (int r = 0; r < rows; r++) {
            double f = a[(size_t)r * h + c];
            if (r == rank || (f < 1e-12 && f > -1e-12))
                continue;
            for (int k = 0; k < h; k++)
                a[(size_t)r * h + k] -= f * a[(size_t)rank * h + k];
        }
        rank++;
    }
    int found = 0;
    for (int r = 0; r < rank; r++) {
        int nonzero = 0, col = -1;
        for (int k = 0; k < h; k++)
            if (a[(size_t)r * h + k] > 1e-9 || a[(size_t)r * h + k] < -1e-9)
                nonzero++, col = k;
        if (nonzero == 1 && cell_of[col] < nreal && !cells[cell_of[col]].unknown) {
            pinned[cell_of[col]] = true;
            found++;
        }
    }
    free(a);
    free(cell_of);
    return found;
}

/* Hides the smallest visible cell of a relation the cell is in (below it first, then
 * beside it, then its margin); false when every relation around it is hidden already. */
static bool hide_near(struct suppress_cell *cells, int n, int ndims, int cell) {
    int pick = -1;
    for (int i = 0; i < n; i++) {
        if (cells[i].hidden || i == cell)
            continue;
        bool related = false;
        for (int d = 0; d < ndims && !related; d++)
            related = child_of(&cells[i], &cells[cell], d, ndims) ||
                      child_of(&cells[cell], &cells[i], d, ndims);
        for (int d = 0; d < ndims && !related; d++) /* a sibling: the same margin */
            if (cells[i].cat[d] != SUPPRESS_ALL && cells[cell].cat[d] != SUPPRESS_ALL) {
                bool same_elsewhere = true;
                for (int e = 0; e < ndims; e++)
                    if (e != d && cells[i].cat[e] != cells[cell].cat[e])
                        same_elsewhere = false;
                related = same_elsewhere;
            }
        if (related && (pick < 0 || cells[i].value < cells[pick].value))
            pick = i;
    }
    if (pick < 0)
        return false;
    cells[pick].hidden = cells[pick].complement = true;
    return true;
}
