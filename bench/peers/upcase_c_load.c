/*
 * upcase_c_load.c: an independent load generator for bench/compare.sh (GENERATOR=c), so that the
 * servers can be measured by a program that is not the project's own and costs less CPU per
 * request than a JVM. One thread, one epoll set; every reply is checked byte for byte.
 *
 *   upcase-c-load tcp HOST PORT [--connections N] [--depth D] [--size S] [--duration T]
 *                               [--warmup T] [--timeout T] [--json FILE] [--ascii]
 *   upcase-c-load udp HOST PORT [--sockets N] [--depth D] [--size S] [--duration T]
 *                               [--timeout T] [--max-loss PERCENT] [--json FILE] [--ascii]
 *   upcase-c-load connect HOST PORT [--concurrency C] [--size S] [--duration T] [--timeout T]
 *                               [--json FILE] [--ascii]
 *
 * The options and JSON fields that compare.sh uses are upcase bench's (docs/BENCH.md): durations
 * written 500ms, 3s, 2m; --ascii is accepted and changes nothing, since the text is ASCII and
 * every peer uppercases it the same way.
 *
 * The text: a line of S bytes (S >= 32) is a tag "STREAM:SEQ:" in lowercase hex, lowercase
 * filler a-z starting at a place that varies from line to line, and (TCP) a line feed; a
 * datagram is the same without the line feed. A reply must be exactly the line with a-z
 * uppercased.
 * - tcp: each of N connections keeps D lines in flight (a new line goes out when a reply is
 *   complete). Replies are checked in order as they arrive; a line whose reply differs is one
 *   mismatch. Latency: from the write of a line to the last byte of its reply. Replies still
 *   owed --timeout after sending stops, and connections that close or fail, are errors.
 * - udp: each of N connected sockets keeps D datagrams in flight, matched by their tag (replies
 *   may come in any order). A datagram unanswered after --timeout is lost and replaced; a reply
 *   that arrives later is late (it stays lost). A reply that names no datagram of its socket, or
 *   differs, is a mismatch. More than --max-loss percent lost (default 1) fails the run.
 * - connect: `upcase bench connect`'s pattern, the textbook client's: each of C workers opens a
 *   connection, sends one line when it is up, reads the reply, closes, and starts over at once.
 *   Latency: from the connect call to the reply's last byte. A reply that differs is a mismatch;
 *   a failed connect, a close before the whole reply, or an exchange still open --timeout after
 *   sending stops, an error. It exists because the JVM generator's connects, not the servers,
 *   limited this scenario (docs/PERFORMANCE.md): here an exchange is nine system calls
 *   (socket, connect, epoll_ctl ADD, a wait, send, epoll_ctl MOD, a wait, recv, close).
 * Replies and latencies count inside the measured window (after --warmup, tcp only); errors,
 * mismatches and losses over the whole run. Exit 0 when the run is correct, 1 when not,
 * 2 on bad usage.
 *
 * Build: bench/peers/build-c.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    MIN_SIZE = 32,
    MAX_TCP_SIZE = 1 << 20,
    MAX_DATAGRAM = 65507,
    EVENTS = 4096,
    /* Latencies up to 10 s at 1 µs resolution; beyond that, one overflow count and the max. */
    HISTOGRAM_US = 10 * 1000 * 1000,
    TICK_MS = 5,
};

static const char *usage_text =
    "usage: upcase-c-load tcp HOST PORT [--connections N] [--depth D] [--size S] [--duration T]\n"
    "                     [--warmup T] [--timeout T] [--json FILE] [--ascii]\n"
    "       upcase-c-load udp HOST PORT [--sockets N] [--depth D] [--size S] [--duration T]\n"
    "                     [--timeout T] [--max-loss PERCENT] [--json FILE] [--ascii]\n"
    "       upcase-c-load connect HOST PORT [--concurrency C] [--size S] [--duration T] [--timeout T]\n"
    "                     [--json FILE] [--ascii]\n";

static int usage(const char *why, const char *what) {
    fprintf(stderr, "upcase-c-load: %s%s%s\n%s", why, what ? ": " : "", what ? what : "", usage_text);
    exit(2);
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

/* --- counts and latencies -------------------------------------------------------------------- */

static uint32_t *histogram;
static uint64_t histogram_overflow, latency_max_ns, latency_count;
static uint64_t sent, replies, errors, mismatches, lost, late, reply_bytes;
static uint64_t window_start, window_end;   /* the measured window, ns */

static void record_reply(uint64_t sent_at, uint64_t at, size_t bytes) {
    if (at < window_start || at > window_end) {
        return;
    }
    replies++;
    reply_bytes += bytes;
    uint64_t ns = at - sent_at;
    uint64_t us = ns / 1000;
    latency_count++;
    if (ns > latency_max_ns) {
        latency_max_ns = ns;
    }
    if (us < HISTOGRAM_US) {
        histogram[us]++;
    } else {
        histogram_overflow++;
    }
}

static double percentile_us(double p) {
    if (latency_count == 0) {
        return 0;
    }
    uint64_t rank = (uint64_t) (p / 100.0 * (double) latency_count + 0.999999);
    if (rank == 0) {
        rank = 1;
    }
    uint64_t seen = 0;
    for (uint64_t us = 0; us < HISTOGRAM_US; us++) {
        seen += histogram[us];
        if (seen >= rank) {
            return (double) us;
        }
    }
    return (double) latency_max_ns / 1000.0;
}

/* --- the text -------------------------------------------------------------------------------- */

/* Line SEQ of stream STREAM, SIZE bytes, as sent (lowercase). */
static void make_line(unsigned char *out, size_t size, unsigned stream, uint64_t seq, int newline) {
    int tag = snprintf((char *) out, size, "%x:%llx:", stream, (unsigned long long) seq);
    size_t body = newline ? size - 1 : size;
    for (size_t i = (size_t) tag; i < body; i++) {
        out[i] = (unsigned char) ('a' + (seq * 7 + stream + i) % 26);
    }
    if (newline) {
        out[size - 1] = '\n';
    }
}

static void upper_ascii(unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char) (p[i] - 'a') < 26) {
            p[i] -= 'a' - 'A';
        }
    }
}

/* --- options --------------------------------------------------------------------------------- */

struct options {
    const char *mode, *host, *port, *json;
    unsigned streams, depth;
    size_t size;
    uint64_t duration_ns, warmup_ns, timeout_ns;
    double max_loss;
};

static uint64_t parse_duration(const char *option, const char *text) {
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || value < 0) {
        usage("not a duration (500ms, 3s, 2m)", option);
    }
    double scale = !strcmp(end, "ms") ? 1e6 : (!strcmp(end, "s") || !*end) ? 1e9 : !strcmp(end, "m") ? 60e9 : -1;
    if (scale < 0) {
        usage("not a duration (500ms, 3s, 2m)", option);
    }
    return (uint64_t) (value * scale);
}

static unsigned long parse_count(const char *option, const char *text, unsigned long min, unsigned long max) {
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || *text == '\0' || *end != '\0' || value < min || value > max) {
        usage("out of range or not a number", option);
    }
    return value;
}

static struct options parse(int argc, char **argv) {
    struct options o = {.streams = 10, .depth = 1, .size = 64, .duration_ns = 10000000000u,
                        .warmup_ns = 1000000000u, .timeout_ns = 0, .max_loss = 1.0};
    if (argc < 4 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp") && strcmp(argv[1], "connect"))) {
        usage("tcp, udp or connect, a host and a port", NULL);
    }
    o.mode = argv[1];
    o.host = argv[2];
    o.port = argv[3];
    int udp = !strcmp(o.mode, "udp");
    int connecting = !strcmp(o.mode, "connect");
    o.timeout_ns = udp ? 1000000000u : 10000000000u;
    if (udp || connecting) {
        o.warmup_ns = 0;
    }
    if (connecting) {
        o.streams = 1;
    }
    for (int i = 4; i < argc; i++) {
        const char *option = argv[i];
        if (!strcmp(option, "--ascii")) {
            continue;
        }
        if (i + 1 >= argc) {
            usage("missing value", option);
        }
        const char *value = argv[++i];
        if (!strcmp(option, "--concurrency") && connecting) {
            o.streams = (unsigned) parse_count(option, value, 1, 100000);
        } else if (!strcmp(option, "--connections") && !udp && !connecting) {
            o.streams = (unsigned) parse_count(option, value, 1, 1000000);
        } else if (!strcmp(option, "--sockets") && udp) {
            o.streams = (unsigned) parse_count(option, value, 1, 100000);
        } else if (!strcmp(option, "--depth") && !connecting) {
            o.depth = (unsigned) parse_count(option, value, 1, 4096);
        } else if (!strcmp(option, "--size")) {
            o.size = parse_count(option, value, MIN_SIZE, udp ? MAX_DATAGRAM : MAX_TCP_SIZE);
        } else if (!strcmp(option, "--duration")) {
            o.duration_ns = parse_duration(option, value);
        } else if (!strcmp(option, "--warmup") && !udp && !connecting) {
            o.warmup_ns = parse_duration(option, value);
        } else if (!strcmp(option, "--timeout")) {
            o.timeout_ns = parse_duration(option, value);
        } else if (!strcmp(option, "--max-loss") && udp) {
            o.max_loss = strtod(value, NULL);
        } else if (!strcmp(option, "--json")) {
            o.json = value;
        } else {
            usage("unknown option", option);
        }
    }
    return o;
}

static struct addrinfo *resolve(const struct options *o, int type) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = type, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *address;
    int rc = getaddrinfo(o->host, o->port, &hints, &address);
    if (rc != 0) {
        fprintf(stderr, "upcase-c-load: %s port %s: %s\n", o->host, o->port, gai_strerror(rc));
        exit(1);
    }
    return address;
}

static int epoll_fd;

static void watch(int op, int fd, unsigned events, void *tag) {
    struct epoll_event event = {.events = events, .data.ptr = tag};
    if (epoll_ctl(epoll_fd, op, fd, &event) < 0) {
        fprintf(stderr, "upcase-c-load: epoll_ctl: %s\n", strerror(errno));
        exit(1);
    }
}

/* --- tcp ------------------------------------------------------------------------------------- */

struct connection {
    int fd, open;
    unsigned index;
    uint64_t next_seq, head_seq;   /* lines [head_seq, next_seq) are in flight */
    uint64_t *sent_at;             /* by seq % depth */
    unsigned char *expected;       /* the head line's reply */
    size_t matched;                /* bytes of it received */
    int head_wrong;
    unsigned char *out;            /* lines not yet taken by the kernel */
    size_t out_length;
};

static const struct options *opt;
static int sending = 1;

static void close_connection(struct connection *c, const char *why) {
    if (!c->open) {
        return;
    }
    if (why != NULL) {
        errors++;
        fprintf(stderr, "upcase-c-load: connection %u: %s\n", c->index, why);
    }
    close(c->fd);
    c->open = 0;
}

static void flush_out(struct connection *c) {
    while (c->out_length > 0) {
        ssize_t n = send(c->fd, c->out, c->out_length, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watch(EPOLL_CTL_MOD, c->fd, EPOLLIN | EPOLLOUT, c);
                return;
            }
            close_connection(c, strerror(errno));
            return;
        }
        memmove(c->out, c->out + n, c->out_length - (size_t) n);
        c->out_length -= (size_t) n;
    }
    watch(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
}

static void send_line(struct connection *c, uint64_t at) {
    make_line(c->out + c->out_length, opt->size, c->index, c->next_seq, 1);
    c->out_length += opt->size;
    c->sent_at[c->next_seq % opt->depth] = at;
    if (c->next_seq == c->head_seq) {
        make_line(c->expected, opt->size, c->index, c->head_seq, 1);
        upper_ascii(c->expected, opt->size);
        c->matched = 0;
        c->head_wrong = 0;
    }
    c->next_seq++;
    sent++;
}

static void on_tcp_readable(struct connection *c, unsigned char *buffer) {
    ssize_t n = recv(c->fd, buffer, 65536, 0);
    if (n == 0) {
        close_connection(c, "closed by the server");
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close_connection(c, strerror(errno));
        }
        return;
    }
    uint64_t at = now_ns();
    size_t done = 0, total = (size_t) n;
    int more = 0;
    while (done < total) {
        if (c->head_seq == c->next_seq) {
            close_connection(c, "reply bytes for a line not sent");
            return;
        }
        size_t take = opt->size - c->matched;
        if (take > total - done) {
            take = total - done;
        }
        if (memcmp(buffer + done, c->expected + c->matched, take) != 0) {
            c->head_wrong = 1;
        }
        c->matched += take;
        done += take;
        if (c->matched == opt->size) {
            if (c->head_wrong) {
                mismatches++;
            } else {
                record_reply(c->sent_at[c->head_seq % opt->depth], at, opt->size);
            }
            c->head_seq++;
            c->matched = 0;
            c->head_wrong = 0;
            if (c->head_seq < c->next_seq) {
                make_line(c->expected, opt->size, c->index, c->head_seq, 1);
                upper_ascii(c->expected, opt->size);
            }
            if (sending) {
                send_line(c, at);
                more = 1;
            }
        }
    }
    if (more) {
        flush_out(c);
    }
}

static int run_tcp(void) {
    struct addrinfo *address = resolve(opt, SOCK_STREAM);
    struct connection *connections = calloc(opt->streams, sizeof *connections);
    unsigned char *buffer = malloc(65536);
    if (connections == NULL || buffer == NULL) {
        fprintf(stderr, "upcase-c-load: out of memory\n");
        return 1;
    }
    uint64_t start = now_ns();
    window_start = start + opt->warmup_ns;
    window_end = window_start + opt->duration_ns;
    for (unsigned i = 0; i < opt->streams; i++) {
        struct connection *c = &connections[i];
        c->index = i;
        c->sent_at = calloc(opt->depth, sizeof *c->sent_at);
        c->expected = malloc(opt->size);
        c->out = malloc(opt->size * opt->depth);
        if (c->sent_at == NULL || c->expected == NULL || c->out == NULL) {
            fprintf(stderr, "upcase-c-load: out of memory\n");
            return 1;
        }
        c->fd = socket(address->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int on = 1;
        if (c->fd < 0) {
            fprintf(stderr, "upcase-c-load: socket: %s\n", strerror(errno));
            errors++;
            continue;
        }
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        if (connect(c->fd, address->ai_addr, address->ai_addrlen) < 0 && errno != EINPROGRESS) {
            fprintf(stderr, "upcase-c-load: connect: %s\n", strerror(errno));
            errors++;
            close(c->fd);
            continue;
        }
        c->open = 1;
        /* The first EPOLLOUT says the connection is up (or failed): then the lines go out. */
        watch(EPOLL_CTL_ADD, c->fd, EPOLLOUT, c);
    }
    freeaddrinfo(address);

    struct epoll_event *events = calloc(EVENTS, sizeof *events);
    uint64_t drain_end = window_end + opt->timeout_ns;
    for (;;) {
        uint64_t now = now_ns();
        if (sending && now >= window_end) {
            sending = 0;
        }
        if (!sending) {
            int owed = 0;
            for (unsigned i = 0; i < opt->streams && !owed; i++) {
                owed = connections[i].open && connections[i].head_seq < connections[i].next_seq;
            }
            if (!owed || now >= drain_end) {
                break;
            }
        }
        int n = epoll_wait(epoll_fd, events, EVENTS, TICK_MS);
        for (int i = 0; i < n; i++) {
            struct connection *c = events[i].data.ptr;
            if (!c->open) {
                continue;
            }
            if (c->next_seq == 0 && (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
                int error = 0;
                socklen_t length = sizeof error;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
                if (error != 0) {
                    close_connection(c, strerror(error));
                    continue;
                }
                if (!sending) {
                    continue;
                }
                uint64_t at = now_ns();
                for (unsigned d = 0; d < opt->depth; d++) {
                    send_line(c, at);
                }
                flush_out(c);
                continue;
            }
            if (events[i].events & EPOLLOUT) {
                flush_out(c);
            }
            if (c->open && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) {
                on_tcp_readable(c, buffer);
            }
        }
    }
    for (unsigned i = 0; i < opt->streams; i++) {
        struct connection *c = &connections[i];
        if (c->open && c->head_seq < c->next_seq) {
            errors += c->next_seq - c->head_seq;
            fprintf(stderr, "upcase-c-load: connection %u: %llu replies never came\n", i,
                    (unsigned long long) (c->next_seq - c->head_seq));
        }
        if (c->open) {
            close(c->fd);
        }
    }
    return 0;
}

/* --- connect --------------------------------------------------------------------------------- */

struct worker {
    int fd;                        /* -1 between exchanges */
    unsigned index;
    uint64_t seq, started;
    unsigned char *expected;       /* this exchange's reply */
    size_t matched;
    int wrong, connected;
};

static void end_exchange(struct worker *w, const char *why) {
    if (why != NULL) {
        errors++;
        fprintf(stderr, "upcase-c-load: worker %u: %s\n", w->index, why);
    }
    close(w->fd);   /* and with it its epoll registration */
    w->fd = -1;
}

static void start_exchange(struct worker *w, const struct addrinfo *address) {
    w->started = now_ns();
    w->matched = 0;
    w->wrong = 0;
    w->connected = 0;
    w->fd = socket(address->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (w->fd < 0) {
        errors++;
        fprintf(stderr, "upcase-c-load: socket: %s\n", strerror(errno));
        return;
    }
    sent++;
    if (connect(w->fd, address->ai_addr, address->ai_addrlen) < 0 && errno != EINPROGRESS) {
        end_exchange(w, strerror(errno));
        return;
    }
    /* One line, written once: no Nagle delay to turn off (it holds only data behind unacked data). */
    watch(EPOLL_CTL_ADD, w->fd, EPOLLOUT, w);
}

/* The connection is up (or failed): the line goes out whole, or the exchange fails. */
static void on_connected(struct worker *w, unsigned char *line) {
    make_line(line, opt->size, w->index, w->seq, 1);
    memcpy(w->expected, line, opt->size);
    upper_ascii(w->expected, opt->size);
    ssize_t n = send(w->fd, line, opt->size, MSG_NOSIGNAL);
    if (n != (ssize_t) opt->size) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        end_exchange(w, n < 0 ? strerror(error ? error : errno) : "the line did not fit the socket buffer");
        return;
    }
    w->connected = 1;
    watch(EPOLL_CTL_MOD, w->fd, EPOLLIN, w);
}

static void on_reply(struct worker *w, unsigned char *buffer) {
    ssize_t n = recv(w->fd, buffer, 65536, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return;
    }
    if (n <= 0) {
        end_exchange(w, n == 0 ? "closed by the server before the whole reply" : strerror(errno));
        return;
    }
    size_t take = (size_t) n;
    if (w->matched + take > opt->size) {
        end_exchange(w, "reply bytes for a line not sent");
        return;
    }
    if (memcmp(buffer, w->expected + w->matched, take) != 0) {
        w->wrong = 1;
    }
    w->matched += take;
    if (w->matched < opt->size) {
        return;
    }
    if (w->wrong) {
        mismatches++;
    } else {
        record_reply(w->started, now_ns(), opt->size);
    }
    w->seq++;
    end_exchange(w, NULL);
}

static int run_connect(void) {
    struct addrinfo *address = resolve(opt, SOCK_STREAM);
    struct worker *workers = calloc(opt->streams, sizeof *workers);
    unsigned char *buffer = malloc(65536), *line = malloc(opt->size);
    struct epoll_event *events = calloc(EVENTS, sizeof *events);
    if (workers == NULL || buffer == NULL || line == NULL || events == NULL) {
        fprintf(stderr, "upcase-c-load: out of memory\n");
        return 1;
    }
    window_start = now_ns();
    window_end = window_start + opt->duration_ns;
    uint64_t drain_end = window_end + opt->timeout_ns;
    for (unsigned i = 0; i < opt->streams; i++) {
        workers[i].index = i;
        workers[i].expected = malloc(opt->size);
        if (workers[i].expected == NULL) {
            fprintf(stderr, "upcase-c-load: out of memory\n");
            return 1;
        }
        start_exchange(&workers[i], address);
    }
    for (;;) {
        uint64_t now = now_ns();
        int busy = 0;
        for (unsigned i = 0; i < opt->streams; i++) {
            if (workers[i].fd < 0 && now < window_end) {
                start_exchange(&workers[i], address);   /* a failed socket or connect: again at the next tick */
            }
            busy |= workers[i].fd >= 0;
        }
        if (!busy || now >= drain_end) {
            break;
        }
        int n = epoll_wait(epoll_fd, events, EVENTS, TICK_MS);
        for (int i = 0; i < n; i++) {
            struct worker *w = events[i].data.ptr;
            if (w->fd < 0) {
                continue;
            }
            if (!w->connected) {
                on_connected(w, line);
            } else {
                on_reply(w, buffer);
            }
            if (w->fd < 0 && now_ns() < window_end) {
                start_exchange(w, address);
            }
        }
    }
    for (unsigned i = 0; i < opt->streams; i++) {
        if (workers[i].fd >= 0) {
            end_exchange(&workers[i], "no reply within --timeout after sending stopped");
        }
    }
    freeaddrinfo(address);
    return 0;
}

/* --- udp ------------------------------------------------------------------------------------- */

struct datagram_socket {
    int fd;
    unsigned index;
    uint64_t next_seq;
    uint64_t *seq;        /* the datagrams in flight: seq and when each went, by slot */
    uint64_t *sent_at;    /* 0: the slot is free */
};

static void send_datagram(struct datagram_socket *s, unsigned slot, unsigned char *buffer, uint64_t at) {
    make_line(buffer, opt->size, s->index, s->next_seq, 0);
    ssize_t n = send(s->fd, buffer, opt->size, 0);
    if (n < 0) {
        /* EAGAIN, or ECONNREFUSED from an ICMP error: the slot stays free and the next tick tries again. */
        if (errno == ECONNREFUSED) {
            errors++;
        }
        s->sent_at[slot] = 0;
        return;
    }
    s->seq[slot] = s->next_seq++;
    s->sent_at[slot] = at;
    sent++;
}

static void on_datagram_readable(struct datagram_socket *s, unsigned char *buffer, unsigned char *expected) {
    for (;;) {
        ssize_t n = recv(s->fd, buffer, 65536, 0);
        if (n < 0) {
            if (errno == ECONNREFUSED) {
                errors++;
                continue;
            }
            return;   /* EAGAIN */
        }
        uint64_t at = now_ns();
        unsigned stream;
        unsigned long long seq;
        char tag[40];
        size_t tag_length = (size_t) n < sizeof tag - 1 ? (size_t) n : sizeof tag - 1;
        memcpy(tag, buffer, tag_length);
        tag[tag_length] = '\0';
        if (sscanf(tag, "%X:%llX:", &stream, &seq) != 2 || stream != s->index) {
            mismatches++;
            continue;
        }
        unsigned slot = 0;
        while (slot < opt->depth && !(s->sent_at[slot] != 0 && s->seq[slot] == seq)) {
            slot++;
        }
        if (slot == opt->depth) {
            if (seq < s->next_seq) {
                late++;   /* counted lost already (or a second reply) */
            } else {
                mismatches++;
            }
            continue;
        }
        make_line(expected, opt->size, s->index, seq, 0);
        upper_ascii(expected, opt->size);
        if ((size_t) n != opt->size || memcmp(buffer, expected, opt->size) != 0) {
            mismatches++;
        } else {
            record_reply(s->sent_at[slot], at, (size_t) n);
        }
        s->sent_at[slot] = 0;
        if (sending) {
            send_datagram(s, slot, expected, at);
        }
    }
}

static int run_udp(void) {
    struct addrinfo *address = resolve(opt, SOCK_DGRAM);
    struct datagram_socket *sockets = calloc(opt->streams, sizeof *sockets);
    unsigned char *buffer = malloc(65536), *scratch = malloc(65536);
    if (sockets == NULL || buffer == NULL || scratch == NULL) {
        fprintf(stderr, "upcase-c-load: out of memory\n");
        return 1;
    }
    uint64_t start = now_ns();
    window_start = start;
    window_end = start + opt->duration_ns;
    for (unsigned i = 0; i < opt->streams; i++) {
        struct datagram_socket *s = &sockets[i];
        s->index = i;
        s->seq = calloc(opt->depth, sizeof *s->seq);
        s->sent_at = calloc(opt->depth, sizeof *s->sent_at);
        s->fd = socket(address->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int buffer_size = 1 << 20;
        /* Connected: the kernel drops datagrams from anyone but the server. */
        if (s->seq == NULL || s->sent_at == NULL || s->fd < 0
                || setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &buffer_size, sizeof buffer_size) < 0
                || connect(s->fd, address->ai_addr, address->ai_addrlen) < 0) {
            fprintf(stderr, "upcase-c-load: udp socket %u: %s\n", i, strerror(errno));
            return 1;
        }
        watch(EPOLL_CTL_ADD, s->fd, EPOLLIN, s);
        uint64_t at = now_ns();
        for (unsigned d = 0; d < opt->depth; d++) {
            send_datagram(s, d, scratch, at);
        }
    }
    freeaddrinfo(address);

    struct epoll_event *events = calloc(EVENTS, sizeof *events);
    uint64_t last_tick = start;
    for (;;) {
        uint64_t now = now_ns();
        if (sending && now >= window_end) {
            sending = 0;
        }
        if (now - last_tick >= TICK_MS * 1000000u) {
            /* Datagrams owed longer than --timeout are lost: their slots go to new datagrams. */
            last_tick = now;
            int owed = 0;
            for (unsigned i = 0; i < opt->streams; i++) {
                struct datagram_socket *s = &sockets[i];
                for (unsigned d = 0; d < opt->depth; d++) {
                    if (s->sent_at[d] != 0 && now - s->sent_at[d] > opt->timeout_ns) {
                        lost++;
                        s->sent_at[d] = 0;
                    }
                    if (s->sent_at[d] == 0 && sending) {
                        send_datagram(s, d, scratch, now);
                    }
                    owed |= s->sent_at[d] != 0;
                }
            }
            if (!sending && !owed) {
                break;
            }
        }
        int n = epoll_wait(epoll_fd, events, EVENTS, TICK_MS);
        for (int i = 0; i < n; i++) {
            on_datagram_readable(events[i].data.ptr, buffer, scratch);
        }
    }
    for (unsigned i = 0; i < opt->streams; i++) {
        close(sockets[i].fd);
    }
    return 0;
}

/* --- main ------------------------------------------------------------------------------------ */

int main(int argc, char **argv) {
    struct options options = parse(argc, argv);
    opt = &options;
    histogram = calloc(HISTOGRAM_US, sizeof *histogram);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (histogram == NULL || epoll_fd < 0) {
        fprintf(stderr, "upcase-c-load: %s\n", strerror(errno));
        return 1;
    }
    int udp = !strcmp(options.mode, "udp");
    if ((udp ? run_udp() : !strcmp(options.mode, "connect") ? run_connect() : run_tcp()) != 0) {
        return 1;
    }
    double seconds = (double) options.duration_ns / 1e9;
    double loss_percent = sent ? 100.0 * (double) lost / (double) sent : 0;
    int ok = errors == 0 && mismatches == 0 && replies > 0 && (!udp || loss_percent <= options.max_loss);
    printf("%s %s:%s: %llu replies in %.3f s (%.0f/s), p50 %.0f us, p99 %.0f us, sent %llu, errors %llu, "
           "mismatches %llu, lost %llu, late %llu: %s\n",
           options.mode, options.host, options.port, (unsigned long long) replies, seconds, (double) replies / seconds,
           percentile_us(50), percentile_us(99), (unsigned long long) sent, (unsigned long long) errors,
           (unsigned long long) mismatches, (unsigned long long) lost, (unsigned long long) late, ok ? "ok" : "failed");
    if (options.json != NULL) {
        FILE *f = fopen(options.json, "w");
        if (f == NULL) {
            fprintf(stderr, "upcase-c-load: %s: %s\n", options.json, strerror(errno));
            return 1;
        }
        fprintf(f, "{\"scenario\": \"%s\", \"generator\": \"upcase-c-load\", \"duration_s\": %.6f, "
                   "\"replies\": %llu, \"replies_per_s\": %.1f, \"mb_per_s\": %.3f, "
                   "\"latency_us\": {\"p50\": %.0f, \"p90\": %.0f, \"p99\": %.0f, \"p99_9\": %.0f, \"max\": %.0f, "
                   "\"count\": %llu}, \"sent\": %llu, \"errors\": %llu, \"mismatches\": %llu, \"lost\": %llu, "
                   "\"late\": %llu, \"loss_percent\": %.4f, \"result\": \"%s\"}\n",
                options.mode, seconds, (unsigned long long) replies, (double) replies / seconds,
                (double) reply_bytes / seconds / 1e6, percentile_us(50), percentile_us(90), percentile_us(99),
                percentile_us(99.9), (double) latency_max_ns / 1000.0, (unsigned long long) latency_count,
                (unsigned long long) sent, (unsigned long long) errors, (unsigned long long) mismatches,
                (unsigned long long) lost, (unsigned long long) late, loss_percent, ok ? "ok" : "failed");
        fclose(f);
    }
    return ok ? 0 : 1;
}
