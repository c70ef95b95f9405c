/* The dashboard's static files. Every answer comes from data_dir/dashboard: a name is
 * one path segment from a short alphabet, its resolved path (symlinks followed) must
 * still lie inside that folder, and only regular files of known types are sent.
 * Caching: the page, its script and its styles are "no-cache" with an ETag and
 * Last-Modified, so a browser asks each time and gets a 304 while they are unchanged;
 * vendor files carry their version in their name and are "immutable" for a year. */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "http/problem.h"

#define NAME_MAX_LEN 100

static const char CACHE_REVALIDATE[] = "no-cache";
static const char CACHE_IMMUTABLE[] = "public, max-age=31536000, immutable";
/* The page loads only its own files and talks only to this server. */
static const char PAGE_CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data: blob:; connect-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                               "form-action 'self'";

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
};

static void serve_file(struct request *rq, struct reply *rp, const char *subdir, const char *name,
                       const char *cache_control);
static bool resolve_inside(const char *subdir, const char *name, char *out, size_t size);
static bool not_modified(struct request *rq, const char *etag, time_t mtime);

bool static_name_ok(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > NAME_MAX_LEN || name[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

const char *static_content_type(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

void static_get_index(struct request *rq, struct reply *rp) {
    serve_file(rq, rp, "", "index.html", CACHE_REVALIDATE);
}

void static_get_asset(struct request *rq, struct reply *rp) {
    serve_file(rq, rp, "", req_param(rq, 0), CACHE_REVALIDATE);
}

void static_get_vendor(struct request *rq, struct reply *rp) {
    serve_file(rq, rp, "vendor/", req_param(rq, 0), CACHE_IMMUTABLE);
}

/* Resolves data_dir/dashboard/subdir+name and accepts it only when the real path lies
 * inside the real dashboard folder: a symlink that leads out is refused like a "..". */
static bool resolve_inside(const char *subdir, const char *name, char *out, size_t size) {
    char dir[PATH_MAX], root[PATH_MAX], want[PATH_MAX + 256];
    snprintf(dir, sizeof dir, "%s/dashboard", g_config.data_dir);
    if (!realpath(dir, root))
        return false;
    snprintf(want, sizeof want, "%s/%s%s", root, subdir, name);
    char real[PATH_MAX];
    if (!realpath(want, real))
        return false;
    size_t rlen = strlen(root);
    if (strncmp(real, root, rlen) != 0 || real[rlen] != '/' || strlen(real) >= size)
        return false;
    strcpy(out, real);
    return true;
}

/* RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since. */
static bool not_modified(struct request *rq, const char *etag, time_t mtime) {
    if (req_header(rq, "If-None-Match"))
        return req_none_match(rq, etag);
    const char *ims = req_header(rq, "If-Modified-Since");
    if (!ims)
        return false;
    struct tm tm = {0};
    const char *end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end)
        return false;
    return mtime <= timegm(&tm);
}

static void serve_file(struct request *rq, struct reply *rp, const char *subdir, const char *name,
                       const char *cache_control) {
    const char *type = static_content_type(name);
    char path[PATH_MAX];
    if (!static_name_ok(name) || !type || !resolve_inside(subdir, name, path, sizeof path)) {
        problem_reply(rp, 404, "no dashboard file %s; the board page is at /", rq->path);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        else if (errno != ENOENT && errno != ELOOP)
            log_error("static", "cannot open %s: %s", path, strerror(errno));
        problem_reply(rp, 404, "no dashboard file %s; the board page is at /", rq->path);
        return;
    }
    char etag[64], modified[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
                 (unsigned long long)st.st_mtim.tv_nsec);
    struct tm tm;
    gmtime_r(&st.st_mtim.tv_sec, &tm);
    strftime(modified, sizeof modified, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    rp->no_etag = true;
    if (not_modified(rq, etag, st.st_mtim.tv_sec)) {
        close(fd);
        rp->status = 304;
    } else {
        /* The daemon sends the file from the descriptor and closes it when done. */
        reply_file(rp, 200, type, fd, (uint64_t)st.st_size);
        if (strncmp(type, "text/html", 9) == 0) {
            reply_header(rp, "Content-Security-Policy", PAGE_CSP);
            reply_header(rp, "Referrer-Policy", "no-referrer");
        }
    }
    reply_header(rp, "ETag", etag);
    reply_header(rp, "Last-Modified", modified);
    reply_header(rp, "Cache-Control", cache_control);
}
