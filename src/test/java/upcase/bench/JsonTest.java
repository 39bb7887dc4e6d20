package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("p50", 12.5);
        inner.put("count", 3L);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("scenario", "tcp");
        outer.put("latency", inner);
        outer.put("rate", null);
        outer.put("ok", true);
        outer.put("list", List.of(1, "two"));
        outer.put("empty", Map.of());
        outer.put("nan", Double.NaN);
        outer.put("whole", 3.0);
        assertThat(Json.write(outer)).isEqualTo("""
                {
                  "scenario": "tcp",
                  "latency": {
                    "p50": 12.5,
                    "count": 3
                  },
                  "rate": null,
                  "ok": true,
                  "list": [1, "two"],
                  "empty": {},
                  "nan": null,
                  "whole": 3
                }
                """);
    }

    @Test
    void numbersStayNumbers() {
        assertThat(Json.write(Arrays.asList(1e-7, 123456789.125, -0.5, Long.MAX_VALUE)))
                .isEqualTo("[1.0E-7, 1.23456789125E8, -0.5, 9223372036854775807]\n");
    }
}
