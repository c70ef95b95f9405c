/* The floor for the read benchmark: libmicrohttpd answering from memory with no routing,
 * no database and no work, set up as wellbeingd sets up its daemon (internal polling
 * thread, epoll, a thread pool of the same size, the same limits) and sending the same
 * bytes and headers. Whatever wellbeingd adds on top of this is its own cost.
 *
 * usage: bare_mhd PORT THREADS PATH=FILE [PATH=FILE ...]
 * Each PATH (the URL path, query ignored) is answered 200 with FILE's bytes read at start. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BODIES 8

struct body {
    char path[512];
    char *data;
    size_t len;
};

static struct body bodies[MAX_BODIES];
static int nbodies;

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_size, void **state) {
    (void)cls;
    (void)method;
    (void)version;
    (void)upload_data;
    (void)upload_size;
    if (!*state) { /* first call: headers only, as wellbeingd sees it */
        *state = (void *)1;
        return MHD_YES;
    }
    const struct body *b = &bodies[0];
    for (int i = 1; i < nbodies && strcmp(b->path, url) != 0; i++)
        b = &bodies[i];
    struct MHD_Response *r =
        MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "ETag", "\"v1-0000000000000000\"");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "Vary", "Accept, Authorization, Origin");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code) {
    (void)cls;
    (void)conn;
    (void)code;
    *state = NULL;
}

static char *slurp(const char *file, size_t *len) {
    FILE *f = fopen(file, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
        free(d);
        d = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return d;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: bare_mhd PORT THREADS PATH=FILE [PATH=FILE ...]\n");
        return 2;
    }
    for (int i = 3; i < argc && nbodies < MAX_BODIES; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq || (size_t)(eq - argv[i]) >= sizeof bodies[0].path) {
            fprintf(stderr, "bare_mhd: %s is not PATH=FILE\n", argv[i]);
            return 2;
        }
        struct body *b = &bodies[nbodies++];
        memcpy(b->path, argv[i], (size_t)(eq - argv[i]));
        b->data = slurp(eq + 1, &b->len);
        if (!b->data) {
            fprintf(stderr, "bare_mhd: cannot read %s\n", eq + 1);
            return 1;
        }
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Loopback only, like every server the benchmark starts. */
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, 0, NULL, NULL, answer, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)atoi(argv[2]), MHD_OPTION_CONNECTION_LIMIT, 1024u,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bare_mhd: cannot listen on port %s\n", argv[1]);
        return 1;
    }
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    for (int i = 0; i < nbodies; i++)
        free(bodies[i].data);
    return 0;
}
