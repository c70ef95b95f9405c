/* Fuzzes the server end to end: the real daemon, route table, guards and handlers run in
 * this process (so libFuzzer sees their coverage and ASan their memory), on a loopback
 * port; each input is sent as the raw bytes of one connection, the write side is closed,
 * and the answer is read to the end. Whatever comes back must be HTTP. Without
 * FUZZ_DATABASE_URL the database is unreachable, so the routes that need it answer 503
 * and the parsing before them is what is fuzzed; with it, the handlers too (use a
 * scratch database: inputs may write). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"
#include "http/daemon.h"
#include "http/routes.h"
#include "log.h"
#include "stats.h"
#include "store/db.h"
#include "usage.h"

static int port;

static void check(int ok) {
    if (!ok)
        abort();
}

static int free_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        abort();
    int p = ntohs(a.sin_port);
    close(s);
    return p;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    signal(SIGPIPE, SIG_IGN);
    port = free_port();
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    setenv("WELLBEING_LISTEN", listen, 1);
    setenv("WELLBEING_ACCESS_LOG", "0", 1);
    setenv("WELLBEING_THREADS", "2", 1);
    const char *db = getenv("FUZZ_DATABASE_URL");
    setenv("WELLBEING_DATABASE_URL",
           db ? db : "host=/nonexistent-wellbeing-fuzz dbname=none connect_timeout=1", 1);
    int n = 1;
    char *args[] = {"fuzz_http", NULL};
    char **av = args;
    check(config_load(&n, av));
    check(stats_init(routes_count, routes_label));
    check(db_init(g_config.database_url, g_config.db_pool, 200));
    usage_start();
    log_start();
    check(http_start());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check(s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0);
    struct timeval tv = {0, 300000}; /* an unfinished request is never answered */
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (size_t off = 0; off < size;) {
        ssize_t w = send(s, data + off, size - off, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server may answer and close before it has read everything */
        off += (size_t)w;
    }
    shutdown(s, SHUT_WR);
    char buf[65536];
    size_t got = 0;
    char head[16] = "";
    for (;;) {
        ssize_t r = recv(s, buf, sizeof buf, 0);
        if (r <= 0)
            break;
        if (got == 0) {
            /* A kept-alive connection is not closed after the answer, so once bytes come,
             * a short silence ends it (libmicrohttpd writes an answer in one go). */
            struct timeval idle = {0, 50000};
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
        }
        if (got < sizeof head - 1) {
            size_t take = (size_t)r < sizeof head - 1 - got ? (size_t)r : sizeof head - 1 - got;
            memcpy(head + got, buf, take);
            head[got + take] = '\0';
        }
        got += (size_t)r;
    }
    close(s);
    /* Nothing back is fine (an empty or cut request); anything back is an HTTP answer. */
    check(got == 0 || strncmp(head, "HTTP/1.", 7) == 0 || got < 7);
    return 0;
}
