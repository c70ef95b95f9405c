/* The worker lanes (server/http/workers.c): a full queue refuses at once, a job that
 * waited past its lane's deadline runs late, a continuation goes past the limit and
 * is never late until the pool stops, and stopping runs every queued job (late) so
 * each can still answer and resume its connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "http/workers.h"

struct job {
    struct work work;
    atomic_int ran, late;
};

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;

/* Holds its worker until the gate opens. */
static void blocking(struct work *w, bool late) {
    struct job *j = (struct job *)(void *)w;
    pthread_mutex_lock(&gate);
    pthread_mutex_unlock(&gate);
    atomic_store(&j->late, late);
    atomic_fetch_add(&j->ran, 1);
}

static void sleep_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static bool wait_ran(struct job *j) {
    for (int i = 0; i < 500 && !atomic_load(&j->ran); i++)
        sleep_ms(10);
    return atomic_load(&j->ran) == 1;
}

static void test_full_late_continue_stop(void **state) {
    (void)state;
    struct workers_config cfg = {.threads = {1, 1}, .queue = {1, 1}, .deadline_ms = {50, 50}};
    assert_true(workers_start(&cfg));
    struct job running = {.work.run = blocking}, queued = {.work.run = blocking},
               refused = {.work.run = blocking}, more = {.work.run = blocking},
               after = {.work.run = blocking};
    pthread_mutex_lock(&gate);
    assert_true(workers_submit(WORK_READ, &running.work));
    for (int i = 0; i < 100 && workers_running() == 0; i++)
        sleep_ms(10);
    assert_int_equal(workers_running(), 1);
    assert_true(workers_submit(WORK_READ, &queued.work));   /* the queue's one place */
    assert_false(workers_submit(WORK_READ, &refused.work)); /* full: refused at once */
    assert_true(workers_continue(WORK_READ, &more.work));   /* past the limit */
    sleep_ms(120);                                          /* both wait past the 50 ms deadline */
    pthread_mutex_unlock(&gate);
    assert_true(wait_ran(&running) && wait_ran(&queued) && wait_ran(&more));
    assert_false(atomic_load(&running.late));
    assert_true(atomic_load(&queued.late)); /* waited its limit: answers 503 */
    assert_false(atomic_load(&more.late));  /* a continuation is never late for waiting */
    assert_int_equal(atomic_load(&refused.ran), 0);

    /* Stopping: queued jobs run late, new ones are refused, continuations are taken
     * until the threads are joined, and refused after. */
    pthread_mutex_lock(&gate);
    struct job busy = {.work.run = blocking}, waiting = {.work.run = blocking};
    assert_true(workers_submit(WORK_SUBMIT, &busy.work));
    for (int i = 0; i < 100 && workers_running() == 0; i++)
        sleep_ms(10);
    assert_true(workers_submit(WORK_SUBMIT, &waiting.work));
    workers_drain();
    assert_true(workers_stopping());
    assert_false(workers_submit(WORK_READ, &after.work));
    pthread_mutex_unlock(&gate);
    workers_stop();
    assert_int_equal(atomic_load(&busy.ran), 1);
    assert_false(atomic_load(&busy.late)); /* it was running: it finished as it was */
    assert_int_equal(atomic_load(&waiting.ran), 1);
    assert_true(atomic_load(&waiting.late));
    assert_false(workers_continue(WORK_READ, &after.work));
    assert_int_equal(atomic_load(&after.ran), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_late_continue_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
