package upcase;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void runsOnJava25() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25);
    }
}
