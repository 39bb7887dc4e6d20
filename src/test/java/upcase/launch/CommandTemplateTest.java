package upcase.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import upcase.probe.Transport;

class CommandTemplateTest {
    @Test
    void theTransportsProbedAreThePlaceholdersGiven() {
        assertThat(new CommandTemplate("python3 server.py {udp}").transports()).containsExactly(Transport.UDP);
        assertThat(new CommandTemplate("java S.java {tcp}").transports()).containsExactly(Transport.TCP);
        assertThat(new CommandTemplate("./server {tcp} {udp}").transports()).containsExactly(Transport.TCP, Transport.UDP);
        CommandTemplate shared = new CommandTemplate("./server {port}");
        assertThat(shared.transports()).containsExactly(Transport.TCP, Transport.UDP);
        assertThat(shared.sharedPort()).isTrue();
    }

    @Test
    void rendersPortsAndTheDirectoryQuotedForTheShell() {
        CommandTemplate t = new CommandTemplate("python3 {dir}/server.py {tcp} {udp}");
        String command = t.render(Map.of(Transport.TCP, 40001, Transport.UDP, 40002), Path.of("/tmp/it's a dir"));
        assertThat(command).isEqualTo("python3 '/tmp/it'\\''s a dir'/server.py 40001 40002");
        assertThat(new CommandTemplate("s {port} {port}").render(Map.of(Transport.TCP, 7, Transport.UDP, 7), Path.of("/")))
                .isEqualTo("s 7 7");
    }

    @Test
    void aCommandWithoutAPortOrWithBothKindsIsRefused() {
        assertThatThrownBy(() -> new CommandTemplate("python3 server.py 12000"))
                .hasMessageContaining("{port}").hasMessageContaining("{udp}");
        assertThatThrownBy(() -> new CommandTemplate("./s {port} {tcp}")).hasMessageContaining("not both");
        assertThatThrownBy(() -> new CommandTemplate("  ")).hasMessage("the command to run is empty");
    }
}
