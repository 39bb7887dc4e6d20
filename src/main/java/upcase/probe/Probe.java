package upcase.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import upcase.tls.ClientContext;

/**
 * Runs the checks of a level against the servers given. The TCP checks run one after another on
 * one thread and the UDP checks on another: checks of one transport must not overlap (the
 * one-client-at-a-time check would be fooled), but the two transports are independent, and
 * running them side by side halves the time a silent server costs.
 *
 * <p>Every wait is bounded (see {@link Timing}), and the whole probe by {@link #BUDGET}: a check
 * whose turn comes after it fails as not run, so a hung server costs at most the budget.
 */
public final class Probe {
    /** The longest a probe runs, whatever the servers do: within a minute with the JVM's start. */
    public static final Duration BUDGET = Duration.ofSeconds(50);
    /** How long past the budget a check still running may take to report before it counts as unfinished. */
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final Settings settings;
    private final Map<Transport, InetSocketAddress> targets;
    private final List<Check> checks;
    private final Duration budget;
    /** Why the checks of a transport without a server did not run. */
    private final Function<Transport, String> absent;

    Probe(Settings settings, Map<Transport, InetSocketAddress> targets, List<Check> checks, Duration budget) {
        this(settings, targets, checks, budget, t -> "not run: no --" + t.id() + " HOST:PORT given");
    }

    private Probe(Settings settings, Map<Transport, InetSocketAddress> targets, List<Check> checks, Duration budget,
            Function<Transport, String> absent) {
        this.settings = settings;
        this.targets = Map.copyOf(targets);
        this.checks = List.copyOf(checks);
        this.budget = budget;
        this.absent = absent;
    }

    /** The same probe, saying {@code absent.apply(transport)} for the checks of a transport not given. */
    public Probe absentBecause(Function<Transport, String> absent) {
        return new Probe(settings, targets, checks, budget, absent);
    }

    /**
     * The probe of {@code settings}, its servers' names resolved once: every check then talks
     * to the same addresses, and a name that does not resolve fails before any output.
     *
     * @throws UnknownHostException naming the host
     * @throws IOException with --tls, a CA or client certificate file that cannot be read, in one line
     */
    public static Probe of(Settings settings) throws IOException {
        Map<Transport, InetSocketAddress> targets = new EnumMap<>(Transport.class);
        for (var e : settings.endpoints().entrySet()) {
            targets.put(e.getKey(), e.getValue().resolve());
        }
        ClientContext tls = null;
        if (settings.tls() != null) {
            // Made here, on the caller's thread, so that an unreadable CA file fails before any check;
            // used by the TCP lane alone (one thread: see ClientContext).
            Endpoint tcp = settings.endpoints().get(Transport.TCP);
            tls = ClientContext.create(settings.tls(), tcp.host(), tcp.toString());
        }
        return new Probe(settings, targets, Checks.at(settings.level(), tls), BUDGET);
    }

    public List<Check> checks() {
        return checks;
    }

    /**
     * Runs every check and hands each outcome to {@code each} in catalogue order, as soon as it
     * and every outcome before it are known.
     */
    public Report run(Consumer<Outcome> each) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        checks.forEach(c -> futures.add(new CompletableFuture<>()));
        List<Thread> lanes = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            List<Integer> lane = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                if (checks.get(i).transport() == transport) {
                    lane.add(i);
                }
            }
            InetSocketAddress target = targets.get(transport);
            if (target == null) {
                Result none = notGiven(transport);
                lane.forEach(i -> futures.get(i).complete(new Outcome(checks.get(i), none, Duration.ZERO)));
            } else if (!lane.isEmpty()) {
                lanes.add(Thread.ofVirtual().name("upcase-probe-" + transport.id()).start(() -> {
                    for (int i : lane) {
                        futures.get(i).complete(runOne(checks.get(i), target, deadline));
                    }
                }));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < checks.size(); i++) {
                Outcome outcome = await(futures.get(i), checks.get(i), deadline + GRACE.toNanos());
                each.accept(outcome);
                outcomes.add(outcome);
            }
        } finally {
            // Normally finished by now; a lane stuck past the grace is told to stop (its sockets close).
            lanes.forEach(Thread::interrupt);
        }
        return new Report(outcomes);
    }

    /**
     * The report of a probe that could not run (the program under test never answered): every
     * check of a transport given fails with {@code why}, the others do not apply, as in {@link #run}.
     */
    public Report notRun(String why, Consumer<Outcome> each) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Check check : checks) {
            Result result = targets.containsKey(check.transport()) ? Result.fail("not run: " + why) : notGiven(check.transport());
            Outcome outcome = new Outcome(check, result, Duration.ZERO);
            each.accept(outcome);
            outcomes.add(outcome);
        }
        return new Report(outcomes);
    }

    private Result notGiven(Transport transport) {
        return Result.notApplicable(absent.apply(transport));
    }

    private Outcome runOne(Check check, InetSocketAddress target, long deadline) {
        long start = System.nanoTime();
        Result result;
        if (deadline - start <= 0) {
            result = Result.fail("not run: the probe's " + Timing.format(budget) + " went to the checks before it");
        } else {
            try {
                result = check.body().run(target, Timing.startingNow(settings.timeout(), deadline));
            } catch (IOException e) {
                result = Result.fail(Diagnosis.unreachable(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = Result.fail("not finished: the probe was interrupted");
            } catch (RuntimeException e) {
                // A bug in a check must not hide the other checks' results.
                result = Result.fail("the probe could not run this check: " + e);
            }
        }
        return new Outcome(check, result, Duration.ofNanos(System.nanoTime() - start));
    }

    private Outcome await(CompletableFuture<Outcome> future, Check check, long until) throws InterruptedException {
        try {
            return future.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Outcome(check, Result.fail("not finished within the probe's " + Timing.format(budget)),
                    Duration.ZERO);
        } catch (ExecutionException e) {
            throw new IllegalStateException("lanes complete every future normally", e.getCause());
        }
    }
}
