package upcase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request head parser: what a scraper sends, and what anything else gets (400). */
class RequestHeadTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static RequestHead parse(String head) throws HttpError {
        byte[] b = bytes(head);
        int end = RequestHead.end(b, b.length);
        assertThat(end).as("the head ends").isEqualTo(b.length);
        return RequestHead.parse(b, end);
    }

    @Test
    void prometheusScrape() throws HttpError {
        RequestHead head = parse("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9900\r\nUser-Agent: Prometheus/2.42.0\r\n"
                + "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n\r\n");
        assertThat(head).isEqualTo(new RequestHead("GET", "/metrics",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
    }

    @Test
    void queryAbsoluteFormBareLineFeedsAndRepeatedAccept() throws HttpError {
        assertThat(parse("GET /metrics?name[]=x HTTP/1.0\n\n").path()).isEqualTo("/metrics");
        assertThat(parse("GET http://host:1/health/ready HTTP/1.1\r\n\r\n").path()).isEqualTo("/health/ready");
        assertThat(parse("GET http://host HTTP/1.1\r\n\r\n").path()).isEqualTo("/");
        assertThat(parse("GET / HTTP/1.1\r\naccept: a\r\nACCEPT: b\r\n\r\n").accept()).isEqualTo("a, b");
        assertThat(parse("GET / HTTP/1.1\r\n\r\n").accept()).isNull();
    }

    @Test
    void theEndIsFoundOnlyOnceItHasArrived() {
        byte[] partial = bytes("GET /metrics HTTP/1.1\r\nHost: x\r\n");
        assertThat(RequestHead.end(partial, partial.length)).isEqualTo(-1);
        assertThat(RequestHead.end(new byte[0], 0)).isEqualTo(-1);
        byte[] pipelined = bytes("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        assertThat(RequestHead.end(pipelined, pipelined.length)).isEqualTo(18);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\n\n",
        "hello\n\n",
        "GET /metrics\r\n\r\n",
        "GET /metrics HTTP/2.0\r\n\r\n",
        "get /metrics HTTP/1.1\r\n\r\n",
        "GET  /metrics HTTP/1.1\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nno colon\r\n\r\n",
        "GET /metrics HTTP/1.1\r\n: empty name\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nBad Name: x\r\n\r\n",
        "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\n\n",
    })
    void anythingElseIsABadRequest(String head) {
        byte[] b = bytes(head);
        assertThatThrownBy(() -> RequestHead.parse(b, b.length))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
