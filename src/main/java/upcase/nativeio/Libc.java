package upcase.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls this package makes, as downcall handles, and the Linux constants they take.
 * The constants are those of Linux on x86_64 and aarch64 (the generic and x86 ABIs agree on every
 * one used here); {@link Availability} refuses other systems before this class is loaded.
 *
 * <p>Every call that can fail captures {@code errno} into a call-state segment the caller
 * provides: the JVM may itself call the C library between the call and a later read of errno
 * (Linker.Option.captureCallState exists for exactly that).
 */
final class Libc {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_REUSEPORT = 15;
    static final int SOL_IP = 0;
    static final int IP_PKTINFO = 8;
    static final int SOL_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_WAITFORONE = 0x10000;
    static final int SHUT_RD = 0;
    static final int SHUT_WR = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SO_LINGER = 13;
    static final int SO_ERROR = 4;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    /** send(): an EPIPE instead of a SIGPIPE for a peer that is gone. */
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int ENOTSOCK = 88;
    static final int ENOTCONN = 107;
    static final int ENOMEM = 12;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int EPROTO = 71;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ECONNREFUSED = 111;
    static final int ENOBUFS = 105;
    static final int EINPROGRESS = 115;
    static final int ENOSYS = 38;
    static final int EBUSY = 16;
    static final int EPERM = 1;
    static final int ETIME = 62;
    static final int ECANCELED = 125;
    static final int ENOENT = 2;
    static final int EALREADY = 114;

    /** io_uring's system calls, which the C library does not wrap: the same numbers on x86_64 and aarch64 (asm-generic). */
    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final long SYS_IO_URING_REGISTER = 427;
    static final int PROT_READ_WRITE = 0x1 | 0x2;
    static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** The layout of the call state the handles below fill in; allocate one per calling thread. */
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    /** int socket(int domain, int type, int protocol) */
    static final MethodHandle SOCKET = capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    /** int setsockopt(int fd, int level, int name, const void *value, socklen_t length) */
    static final MethodHandle SETSOCKOPT = capturing("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** int bind(int fd, const struct sockaddr *address, socklen_t length) */
    static final MethodHandle BIND = capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** int getsockname(int fd, struct sockaddr *address, socklen_t *length) */
    static final MethodHandle GETSOCKNAME = capturing("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** int recvmmsg(int fd, struct mmsghdr *messages, unsigned count, int flags, struct timespec *timeout) */
    static final MethodHandle RECVMMSG = capturing("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** int sendmmsg(int fd, struct mmsghdr *messages, unsigned count, int flags) */
    static final MethodHandle SENDMMSG = capturing("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /** int shutdown(int fd, int how) */
    static final MethodHandle SHUTDOWN = capturing("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** int listen(int fd, int backlog) */
    static final MethodHandle LISTEN = capturing("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) */
    static final MethodHandle ACCEPT4 = capturing("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    /** int connect(int fd, const struct sockaddr *address, socklen_t length) */
    static final MethodHandle CONNECT = capturing("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** int getsockopt(int fd, int level, int name, void *value, socklen_t *length) */
    static final MethodHandle GETSOCKOPT = capturing("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** ssize_t recv(int fd, void *buffer, size_t length, int flags) */
    static final MethodHandle RECV = capturing("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** ssize_t send(int fd, const void *buffer, size_t length, int flags) */
    static final MethodHandle SEND = capturing("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** ssize_t read(int fd, void *buffer, size_t length): the eventfd's counter */
    static final MethodHandle READ = capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** ssize_t write(int fd, const void *buffer, size_t length): the eventfd's counter */
    static final MethodHandle WRITE = capturing("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** int epoll_create1(int flags) */
    static final MethodHandle EPOLL_CREATE1 = capturing("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event) */
    static final MethodHandle EPOLL_CTL = capturing("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /** int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout) */
    static final MethodHandle EPOLL_WAIT = capturing("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /** int eventfd(unsigned int initval, int flags) */
    static final MethodHandle EVENTFD = capturing("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** long syscall(long number, ...), with two variadic arguments: io_uring_setup(entries, params). */
    static final MethodHandle SYSCALL2 = variadic(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
    /** long syscall(long number, ...), with four: io_uring_register(fd, opcode, arg, count). */
    static final MethodHandle SYSCALL4 = variadic(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    /** long syscall(long number, ...), with six: io_uring_enter(fd, to_submit, min_complete, flags, arg, argsz). */
    static final MethodHandle SYSCALL6 = variadic(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    /** void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset) */
    static final MethodHandle MMAP = capturing("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int munmap(void *address, size_t length) */
    static final MethodHandle MUNMAP = capturing("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** int getpeername(int fd, struct sockaddr *address, socklen_t *length) */
    static final MethodHandle GETPEERNAME = capturing("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** int close(int fd) */
    static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** char *strerror(int errno): glibc returns a string that lives as long as the process for every known errno. */
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** The C library's message for {@code errno}: "Address already in use", as the JDK's own exceptions say. */
    static String message(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(name), descriptor, CAPTURE_ERRNO);
    }

    /**
     * syscall(2): every argument after the number is variadic, passed as a long (the kernel reads
     * whole registers; an int would leave the upper half to chance).
     */
    private static MethodHandle variadic(FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find("syscall"), descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    private static MemorySegment find(String name) {
        return C.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
    }
}
