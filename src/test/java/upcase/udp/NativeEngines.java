package upcase.udp;

import org.junit.jupiter.api.Assumptions;
import upcase.nativeio.Availability;

/** For the tests of the native engine: they skip, with the reason, where it cannot run. */
final class NativeEngines {
    private NativeEngines() {}

    static void assumeAvailable() {
        Availability here = Availability.here();
        Assumptions.assumeTrue(here.available(), () -> "no native engine here: " + here.reason());
    }
}
