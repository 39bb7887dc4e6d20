/*
 * upcase_c_server.c: the C reference server of bench/compare.sh, the limit the Java servers are
 * measured against (issue 13). One thread, one epoll instance, no library but libc.
 *
 *   upcase-c-server [--bind ADDR] [--tcp-port N] [--udp-port N]     (0: the kernel picks a port)
 *
 * Defaults: 127.0.0.1, TCP 6789, UDP 9876, as upcase. Prints "c: tcp listening on ADDR:PORT" and
 * "c: udp listening on ADDR:PORT" to stderr once bound (the shape of upcase's own lines, which
 * compare.sh and the tests wait for), then serves until killed (SIGTERM, SIGINT).
 *
 * The contract is upcase's (docs/PROTOCOL.md) in its --ascii form, and only as far as the
 * benchmark needs it:
 * - TCP: every byte read is answered at once, lines are not waited for (TCP 1); replies in order
 *   (TCP 3); when the client shuts down its sending side, what remains is sent and the connection
 *   closed (TCP 5); TCP_NODELAY (TCP 6); a reply the kernel does not take whole is kept and the
 *   connection is not read from until it is written (TCP 7), so a connection holds at most one
 *   read (64 KiB) of replies, and no buffer at all when idle.
 * - UDP: one reply per datagram, to its sender, exactly the transformed payload (UDP 1), from
 *   0 to 65,507 bytes (UDP 2). Read with recvmmsg and answered with sendmmsg, a batch at a time.
 * - Only ASCII a-z is uppercased (Transform 3, Python's bytes.upper()): the benchmark's text is
 *   ASCII, so its replies are the same as upcase's Unicode transform.
 * Not here: the loop guard, the rate limit, connection limits and idle timeouts, faults, TLS,
 * metrics. When accept runs out of descriptors the listener is paused until a connection closes.
 *
 * Build: bench/peers/build-c.sh (gcc -O2 -Wall -Wextra -Werror).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    /* Events per epoll_wait. The JDK selector takes at most 1,024 per call; 10,000 busy
     * connections then need ten calls where this needs three. */
    EVENTS = 4096,
    /* One TCP read, and so the most reply bytes a connection keeps when the kernel will not take
     * them (TCP 7). */
    READ_SIZE = 64 * 1024,
    /* Reads per readable connection per wakeup: level-triggered epoll reports it again, so one
     * busy connection cannot starve the others. */
    READS_PER_WAKEUP = 16,
    /* Datagrams per recvmmsg and sendmmsg, each in a slot that holds the largest datagram. */
    BATCH = 64,
    DATAGRAM_SLOT = 65536,
    BATCHES_PER_WAKEUP = 16,
    /* The same kernel buffers and backlog as upcase and the Netty peer. */
    UDP_SOCKET_BUFFER = 4 << 20,
    BACKLOG = 65535,
};

struct connection {
    int fd;
    /* Reply bytes the kernel did not take: pending[sent, length). NULL unless a write fell short. */
    unsigned char *pending;
    size_t sent, length;
};

static int epoll_fd;
static int tcp_listener = -1;
static int udp_socket = -1;
/* The epoll data of the two listening sockets; a connection's is its struct. */
static char LISTENER_TAG, DATAGRAM_TAG;
static int listener_paused;

static unsigned char read_buffer[READ_SIZE];
static unsigned char slots[BATCH][DATAGRAM_SLOT];
static struct mmsghdr messages[BATCH];
static struct iovec vectors[BATCH];
static struct sockaddr_storage senders[BATCH];

static void upper_ascii(unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char) (p[i] - 'a') < 26) {
            p[i] -= 'a' - 'A';
        }
    }
}

static void watch(int op, int fd, unsigned events, void *tag) {
    struct epoll_event event = {.events = events, .data.ptr = tag};
    if (epoll_ctl(epoll_fd, op, fd, &event) < 0) {
        fprintf(stderr, "c: epoll_ctl: %s\n", strerror(errno));
        exit(1);
    }
}

static void close_connection(struct connection *c) {
    close(c->fd); /* also removes it from the epoll set */
    free(c->pending);
    free(c);
    if (listener_paused) {
        listener_paused = 0;
        watch(EPOLL_CTL_ADD, tcp_listener, EPOLLIN, &LISTENER_TAG);
    }
}

/* Writes what is pending; returns 1 when all of it went, 0 when the kernel took less (the
 * connection now waits for EPOLLOUT), -1 when the connection was closed. */
static int flush_pending(struct connection *c) {
    while (c->sent < c->length) {
        ssize_t n = send(c->fd, c->pending + c->sent, c->length - c->sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += (size_t) n;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        } else {
            close_connection(c); /* EPIPE, ECONNRESET: the client went away */
            return -1;
        }
    }
    /* Idle connections hold no buffer (TCP 7). */
    free(c->pending);
    c->pending = NULL;
    c->sent = c->length = 0;
    return 1;
}

/* Sends n reply bytes; what the kernel does not take is kept and reading stops until it is
 * written. Returns 1 if all went, 0 if some is pending, -1 if the connection was closed. */
static int reply(struct connection *c, const unsigned char *bytes, size_t n) {
    ssize_t w = send(c->fd, bytes, n, MSG_NOSIGNAL);
    if (w == (ssize_t) n) {
        return 1;
    }
    if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close_connection(c);
            return -1;
        }
        w = 0;
    }
    c->pending = malloc(READ_SIZE);
    if (c->pending == NULL) {
        fprintf(stderr, "c: out of memory: closing a connection\n");
        close_connection(c);
        return -1;
    }
    c->length = n - (size_t) w;
    c->sent = 0;
    memcpy(c->pending, bytes + w, c->length);
    watch(EPOLL_CTL_MOD, c->fd, EPOLLOUT, c);
    return 0;
}

static void on_readable(struct connection *c) {
    for (int i = 0; i < READS_PER_WAKEUP; i++) {
        ssize_t n = recv(c->fd, read_buffer, READ_SIZE, 0);
        if (n > 0) {
            upper_ascii(read_buffer, (size_t) n);
            if (reply(c, read_buffer, (size_t) n) != 1) {
                return;
            }
            if (n < READ_SIZE) {
                /* Most likely drained: level-triggered epoll says so if not, and the recv that
                 * would return EAGAIN is saved. */
                return;
            }
        } else if (n == 0) {
            /* Half-close (TCP 5): nothing is pending, or this connection would not be read. */
            close_connection(c);
            return;
        } else if (errno == EINTR) {
            continue;
        } else {
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                close_connection(c); /* ECONNRESET: normal */
            }
            return;
        }
    }
}

static void on_writable(struct connection *c) {
    if (flush_pending(c) == 1) {
        watch(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
    }
}

static void on_acceptable(void) {
    for (;;) {
        int fd = accept4(tcp_listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Level-triggered, the listener would wake every wait and fail again: pause it
                 * until a connection closes. */
                fprintf(stderr, "c: accept: %s: not accepting until a connection closes\n", strerror(errno));
                watch(EPOLL_CTL_DEL, tcp_listener, 0, NULL);
                listener_paused = 1;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fprintf(stderr, "c: accept: %s\n", strerror(errno));
            }
            return;
        }
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        struct connection *c = calloc(1, sizeof *c);
        if (c == NULL) {
            fprintf(stderr, "c: out of memory: refusing a connection\n");
            close(fd);
            continue;
        }
        c->fd = fd;
        watch(EPOLL_CTL_ADD, fd, EPOLLIN, c);
    }
}

static void on_datagrams(void) {
    for (int b = 0; b < BATCHES_PER_WAKEUP; b++) {
        for (int i = 0; i < BATCH; i++) {
            vectors[i].iov_len = DATAGRAM_SLOT;
            messages[i].msg_hdr.msg_namelen = sizeof senders[i];
            messages[i].msg_hdr.msg_flags = 0;
        }
        int n = recvmmsg(udp_socket, messages, BATCH, 0, NULL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fprintf(stderr, "c: recvmmsg: %s\n", strerror(errno));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            upper_ascii(slots[i], messages[i].msg_len);
            vectors[i].iov_len = messages[i].msg_len;
        }
        /* The received headers name each sender: the batch goes back as it came. */
        for (int done = 0; done < n;) {
            int sent = sendmmsg(udp_socket, messages + done, (unsigned) (n - done), 0);
            if (sent > 0) {
                done += sent;
            } else if (sent < 0 && errno == EINTR) {
                continue;
            } else {
                done++; /* this reply cannot be sent (buffer full, an error queued): UDP may drop it */
            }
        }
        if (n < BATCH) {
            return; /* drained, most likely; the recvmmsg that would say EAGAIN is saved */
        }
    }
}

static int parse_port(const char *option, const char *value) {
    char *end;
    errno = 0;
    long port = strtol(value, &end, 10);
    if (errno != 0 || *value == '\0' || *end != '\0' || port < 0 || port > 65535) {
        fprintf(stderr, "c: %s: not a port (0-65535): %s\n", option, value);
        exit(2);
    }
    return (int) port;
}

/* A socket of the given type bound to host:port, non-blocking; prints its "listening" line. */
static int open_socket(const char *host, int port, int type) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = type,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *address;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    int rc = getaddrinfo(host, service, &hints, &address);
    if (rc != 0) {
        fprintf(stderr, "c: --bind: not a numeric address: %s (%s)\n", host, gai_strerror(rc));
        exit(2);
    }
    const char *proto = type == SOCK_STREAM ? "tcp" : "udp";
    int fd = socket(address->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1, buffer = UDP_SOCKET_BUFFER;
    /* Socket options before bind. */
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0
            || (type == SOCK_DGRAM && (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer) < 0
                                       || setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer) < 0))
            || bind(fd, address->ai_addr, address->ai_addrlen) < 0
            || (type == SOCK_STREAM && listen(fd, BACKLOG) < 0)) {
        fprintf(stderr, "c: %s %s port %d: %s\n", proto, host, port, strerror(errno));
        exit(1);
    }
    freeaddrinfo(address);

    struct sockaddr_storage bound;
    socklen_t length = sizeof bound;
    char name[NI_MAXHOST], number[NI_MAXSERV];
    getsockname(fd, (struct sockaddr *) &bound, &length);
    getnameinfo((struct sockaddr *) &bound, length, name, sizeof name, number, sizeof number,
                NI_NUMERICHOST | NI_NUMERICSERV);
    if (bound.ss_family == AF_INET6) {
        fprintf(stderr, "c: %s listening on [%s]:%s\n", proto, name, number);
    } else {
        fprintf(stderr, "c: %s listening on %s:%s\n", proto, name, number);
    }
    return fd;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int tcp_port = 6789, udp_port = 9876;
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        if (i + 1 >= argc || (strcmp(option, "--bind") && strcmp(option, "--tcp-port") && strcmp(option, "--udp-port"))) {
            fprintf(stderr, "c: unknown option or missing value: %s\n"
                            "usage: upcase-c-server [--bind ADDR] [--tcp-port N] [--udp-port N]\n", option);
            return 2;
        }
        const char *value = argv[++i];
        if (!strcmp(option, "--bind")) {
            host = value;
        } else if (!strcmp(option, "--tcp-port")) {
            tcp_port = parse_port(option, value);
        } else {
            udp_port = parse_port(option, value);
        }
    }
    setvbuf(stderr, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);

    for (int i = 0; i < BATCH; i++) {
        vectors[i].iov_base = slots[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &senders[i];
    }
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) {
        fprintf(stderr, "c: epoll_create1: %s\n", strerror(errno));
        return 1;
    }
    tcp_listener = open_socket(host, tcp_port, SOCK_STREAM);
    udp_socket = open_socket(host, udp_port, SOCK_DGRAM);
    watch(EPOLL_CTL_ADD, tcp_listener, EPOLLIN, &LISTENER_TAG);
    watch(EPOLL_CTL_ADD, udp_socket, EPOLLIN, &DATAGRAM_TAG);

    static struct epoll_event events[EVENTS];
    for (;;) {
        int n = epoll_wait(epoll_fd, events, EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fprintf(stderr, "c: epoll_wait: %s\n", strerror(errno));
            return 1;
        }
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &LISTENER_TAG) {
                on_acceptable();
            } else if (tag == &DATAGRAM_TAG) {
                on_datagrams();
            } else {
                struct connection *c = tag;
                /* A connection waits either for input or, with replies pending, for output;
                 * errors and hang-ups surface from the recv or send that follows. */
                if (c->pending != NULL) {
                    on_writable(c);
                } else {
                    on_readable(c);
                }
            }
        }
    }
}
