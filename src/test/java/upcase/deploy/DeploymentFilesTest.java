package upcase.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;
import upcase.cli.CommandModel;
import upcase.net.Durations;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpServerConfig;

/**
 * The deployment files (deploy/kubernetes/*.yaml, deploy/container/Containerfile) say what
 * upcase is: every manifest reads into Kubernetes' own object model with no field unknown to
 * it, the ports are upcase's defaults, the probes ask the health endpoints, and every command
 * line parses with upcase's picocli model.
 */
class DeploymentFilesTest {
    private static final Path KUBERNETES = Path.of("deploy", "kubernetes");
    private static final Path CONTAINERFILE = Path.of("deploy", "container", "Containerfile");
    private static final String METRICS_PORT_NAME = "metrics";

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "Job", Job.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class);

    /**
     * Strict: fabric8's classes keep fields they do not know in an any-setter map, silently;
     * without any-setters, an unknown field (a typo, a field of another API version) fails.
     */
    private static final YAMLMapper STRICT = YAMLMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static List<HasMetadata> read(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document : STRICT.readValues(STRICT.createParser(yaml), JsonNode.class).readAll()) {
            String kind = document.path("kind").asString();
            Class<? extends HasMetadata> type = KINDS.get(kind);
            assertThat(type).as("a kind this test knows: %s", kind).isNotNull();
            resources.add(STRICT.treeToValue(document, type));
        }
        return resources;
    }

    private static List<HasMetadata> all() throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                resources.addAll(read(Files.readString(file)));
            }
        }
        return resources;
    }

    private static <T> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    @Test
    void everyManifestReadsStrictly() throws IOException {
        assertThat(all()).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Deployment", "Service", "PodDisruptionBudget", "PersistentVolumeClaim", "Job");
    }

    @Test
    void aFieldKubernetesDoesNotKnowFails() {
        String typo = """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: upcase}
                spec:
                  minAvailable: 2
                  selecter: {matchLabels: {app: upcase}}
                """;
        assertThatThrownBy(() -> read(typo)).hasMessageContaining("selecter");
    }

    @Test
    void theDeploymentRunsUpcasesServersAsDocumented() throws IOException {
        Deployment deployment = one(all(), Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container upcase = pod.getContainers().getFirst();
        List<String> args = upcase.getArgs();
        assertThat(args.getFirst()).isEqualTo("server");

        assertThat(portNamed(upcase, "tcp")).extracting(ContainerPort::getContainerPort, ContainerPort::getProtocol)
                .containsExactly(TcpServerConfig.DEFAULT_PORT, "TCP");
        assertThat(portNamed(upcase, "udp")).extracting(ContainerPort::getContainerPort, ContainerPort::getProtocol)
                .containsExactly(UdpServerConfig.DEFAULT_PORT, "UDP");
        int metrics = Integer.parseInt(valueOf(args, "--metrics").replaceFirst(".*:", ""));
        assertThat(portNamed(upcase, METRICS_PORT_NAME).getContainerPort()).isEqualTo(metrics);

        assertHttpProbe(upcase.getReadinessProbe(), "/health/ready");
        assertHttpProbe(upcase.getLivenessProbe(), "/health/live");

        // The kubelet's SIGKILL comes after the grace period: it must not cut the drain short.
        Duration drain = Durations.parse(valueOf(args, "--drain-delay")).plus(Durations.parse(valueOf(args, "--drain-timeout")));
        assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).isGreaterThan(drain);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(upcase.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(upcase.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(upcase.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(upcase.getResources().getLimits()).containsKey("memory");
        assertParses(args);
    }

    @Test
    void theServiceAndTheBudgetSelectTheDeploymentsPods() throws IOException {
        List<HasMetadata> resources = all();
        Deployment deployment = one(resources, Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Container upcase = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();

        Service service = one(resources, Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts())
                .extracting(ServicePort::getPort, ServicePort::getProtocol)
                .contains(tuple(TcpServerConfig.DEFAULT_PORT, "TCP"),
                        tuple(UdpServerConfig.DEFAULT_PORT, "UDP"));
        for (ServicePort port : service.getSpec().getPorts()) {
            ContainerPort target = portNamed(upcase, port.getTargetPort().getStrVal());
            assertThat(target.getProtocol()).as("protocol of %s", port.getName()).isEqualTo(port.getProtocol());
        }

        PodDisruptionBudget budget = one(resources, PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isLessThan(deployment.getSpec().getReplicas());
    }

    @Test
    void theBenchJobRunsIndexedGeneratorsAgainstTheServiceAndKeepsTheirLogs() throws IOException {
        List<HasMetadata> resources = all();
        Job job = one(resources, Job.class);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getParallelism()).isEqualTo(job.getSpec().getCompletions());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        List<String> args = pod.getContainers().getFirst().getArgs();
        assertThat(args.subList(0, 4)).containsExactly("bench", "tcp", one(resources, Service.class).getMetadata().getName(),
                String.valueOf(TcpServerConfig.DEFAULT_PORT));
        // Each generator its own log, named by its index, on the shared claim.
        assertThat(valueOf(args, "--histogram-log")).startsWith("/results/").contains("$(INDEX)");
        assertThat(pod.getContainers().getFirst().getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/results"));
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                .isEqualTo(one(resources, PersistentVolumeClaim.class).getMetadata().getName()));
        assertParses(args);
    }

    @Test
    void theContainerfileExposesTheDefaultPortsAndRunsACommandUpcaseHas() throws IOException {
        String file = Files.readString(CONTAINERFILE);
        assertThat(instruction(file, "EXPOSE").split("\\s+")).contains(
                TcpServerConfig.DEFAULT_PORT + "/tcp", UdpServerConfig.DEFAULT_PORT + "/udp");
        assertThat(instruction(file, "STOPSIGNAL")).isEqualTo("SIGTERM");
        assertThat(instruction(file, "USER")).doesNotStartWith("0").doesNotStartWith("root");
        List<String> cmd = Arrays.asList(STRICT.readValue(instruction(file, "CMD"), String[].class));
        String metrics = valueOf(cmd, "--metrics");
        assertThat(instruction(file, "EXPOSE")).contains(metrics.replaceFirst(".*:", "") + "/tcp");
        assertThat(instruction(file, "HEALTHCHECK")).contains(":" + metrics.replaceFirst(".*:", "") + "/health/ready");
        assertParses(cmd);
    }

    /** The arguments parse with upcase's model (unknown options, missing or malformed values fail). */
    private static void assertParses(List<String> args) {
        CommandModel.commandLine().parseArgs(args.toArray(String[]::new));
    }

    private static String valueOf(List<String> args, String flag) {
        int i = args.indexOf(flag);
        assertThat(i).as("%s in %s", flag, args).isNotNegative().isLessThan(args.size() - 1);
        return args.get(i + 1);
    }

    private static ContainerPort portNamed(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString(METRICS_PORT_NAME));
    }

    /** An instruction's arguments, continuation lines joined. */
    private static String instruction(String containerfile, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+((?:[^\\n]*\\\\\\n)*[^\\n]*)$")
                .matcher(containerfile);
        assertThat(m.find()).as("%s in the Containerfile", name).isTrue();
        return m.group(1).replaceAll("\\\\\\n\\s*", " ").strip();
    }
}
