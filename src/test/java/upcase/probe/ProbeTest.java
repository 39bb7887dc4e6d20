package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner with stand-in checks (no sockets): order, lanes, bounds, failures and n/a. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProbeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 9);

    private static Check check(String id, Check.Body body) {
        Transport transport = id.startsWith("udp.") ? Transport.UDP : Transport.TCP;
        return new Check(id, Level.FULL, transport, "a stand-in", body);
    }

    private static Report run(List<Check> checks, Duration budget, List<Outcome> seen, Transport... given)
            throws InterruptedException {
        Map<Transport, Endpoint> endpoints = new EnumMap<>(Transport.class);
        Map<Transport, InetSocketAddress> targets = new EnumMap<>(Transport.class);
        for (Transport t : given) {
            endpoints.put(t, new Endpoint("127.0.0.1", 9));
            targets.put(t, NOWHERE);
        }
        Probe probe = new Probe(new Settings(endpoints, Level.FULL, TIMEOUT), targets, checks, budget);
        return probe.run(seen::add);
    }

    @Test
    void transportsRunSideBySideAndOutcomesComeInCatalogueOrder() throws Exception {
        CountDownLatch udpRan = new CountDownLatch(1);
        // The TCP check can only pass if the UDP check runs while it waits: in another lane.
        List<Check> checks = List.of(
                check("tcp.full.waits-for-udp", (target, timing) ->
                        udpRan.await(10, TimeUnit.SECONDS) ? Result.pass() : Result.fail("the UDP check never ran")),
                check("udp.full.quick", (target, timing) -> {
                    udpRan.countDown();
                    return Result.pass();
                }));
        List<Outcome> seen = new ArrayList<>();

        Report report = run(checks, Probe.BUDGET, seen, Transport.TCP, Transport.UDP);

        assertThat(seen).extracting(o -> o.check().id()).containsExactly("tcp.full.waits-for-udp", "udp.full.quick");
        assertThat(report.outcomes()).isEqualTo(seen);
        assertThat(report.summary()).isEqualTo("2 passed, 0 failed");
    }

    @Test
    void checksWhoseTurnComesAfterTheBudgetFailAsNotRun() throws Exception {
        Check.Body waitsAllItMay = (target, timing) -> {
            Thread.sleep(timing.nextWait());
            return Result.pass();
        };
        List<Check> checks = List.of(check("tcp.full.a", waitsAllItMay), check("tcp.full.b", waitsAllItMay),
                check("tcp.full.c", waitsAllItMay));

        Report report = run(checks, Duration.ofMillis(300), new ArrayList<>(), Transport.TCP);

        // a waits its 200ms, b what is left of the 300ms, and c's turn comes after the budget.
        assertThat(Probing.ids(report, Verdict.PASS)).containsExactly("tcp.full.a", "tcp.full.b");
        assertThat(Probing.diagnosis(report, "tcp.full.c")).isEqualTo("not run: the probe's 300ms went to the checks before it");
    }

    @Test
    void aCheckThatNeverEndsIsReportedUnfinishedAndDoesNotHangTheProbe() throws Exception {
        List<Check> checks = List.of(check("tcp.full.hangs", (target, timing) -> {
            new CountDownLatch(1).await(); // ignores its timing: a bug the budget still bounds
            return Result.pass();
        }), check("udp.full.fine", (target, timing) -> Result.pass()));

        Report report = run(checks, Duration.ofMillis(100), new ArrayList<>(), Transport.TCP, Transport.UDP);

        assertThat(Probing.diagnosis(report, "tcp.full.hangs")).isEqualTo("not finished within the probe's 100ms");
        assertThat(Probing.ids(report, Verdict.PASS)).containsExactly("udp.full.fine");
    }

    @Test
    void anUnreachableServerAndABrokenCheckAreFailuresWithTheirReason() throws Exception {
        List<Check> checks = List.of(
                check("tcp.full.refused", (target, timing) -> {
                    throw new ConnectException("Connection refused");
                }),
                check("tcp.full.broken", (target, timing) -> {
                    throw new IllegalStateException("a bug");
                }),
                check("tcp.full.after", (target, timing) -> Result.pass()));

        Report report = run(checks, Probe.BUDGET, new ArrayList<>(), Transport.TCP);

        assertThat(Probing.diagnosis(report, "tcp.full.refused")).startsWith("connection refused: nothing listens there");
        assertThat(Probing.diagnosis(report, "tcp.full.broken"))
                .isEqualTo("the probe could not run this check: java.lang.IllegalStateException: a bug");
        assertThat(Probing.ids(report, Verdict.PASS)).containsExactly("tcp.full.after");
        assertThat(report.allPassed()).isFalse();
    }

    @Test
    void checksOfATransportNotGivenDoNotApplyAndDoNotFail() throws Exception {
        List<Check> checks = List.of(check("tcp.full.a", (target, timing) -> Result.pass()),
                check("udp.full.b", (target, timing) -> Result.fail("must not run")));

        Report report = run(checks, Probe.BUDGET, new ArrayList<>(), Transport.TCP);

        assertThat(Probing.ids(report, Verdict.NOT_APPLICABLE)).containsExactly("udp.full.b");
        assertThat(Probing.diagnosis(report, "udp.full.b")).isEqualTo("not run: no --udp HOST:PORT given");
        assertThat(report.allPassed()).isTrue();
        assertThat(report.summary()).isEqualTo("1 passed, 0 failed");
    }

    @Test
    void aCheckMayWaitSomeTimeoutsButNeverPastTheProbe() {
        long now = System.nanoTime();
        Timing own = Timing.startingNow(Duration.ofSeconds(2), now + Duration.ofMinutes(1).toNanos());
        assertThat(own.deadline() - now).isBetween(Duration.ofSeconds(8).toNanos(), Duration.ofSeconds(9).toNanos());
        assertThat(own.nextWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(own.withTimeout(Duration.ofMillis(200)).nextWait()).isEqualTo(Duration.ofMillis(200));

        Timing shared = own.sharingOneTimeout();
        assertThat(shared.deadline() - now).isBetween(Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(3).toNanos());

        Timing capped = Timing.startingNow(Duration.ofSeconds(2), now + Duration.ofMillis(500).toNanos());
        assertThat(capped.sharingOneTimeout()).isEqualTo(capped);
        assertThat(capped.nextWait()).isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(new Timing(Duration.ofSeconds(2), now - 1).nextWait()).isZero();
        Timing forYears = Timing.startingNow(Duration.ofDays(365 * 1000), now + Duration.ofSeconds(50).toNanos());
        assertThat(forYears.deadline()).isEqualTo(now + Duration.ofSeconds(50).toNanos());
    }

    @Test
    void waitsAreWrittenShort() {
        assertThat(Timing.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(Timing.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(Timing.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
