package upcase.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import upcase.proxy.ProxyPolicy;
import upcase.proxy.TrustedSources;

/** The TCP listener's PROXY protocol (docs/PROTOCOL.md §PROXY): both options or neither. */
final class ProxyOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--proxy-protocol", defaultValue = "${env:UPCASE_PROXY_PROTOCOL:-false}",
            description = "Expect a PROXY protocol header (v1 or v2) from the --proxy-trusted balancers before the "
                    + "data; others are direct clients (env UPCASE_PROXY_PROTOCOL=true).")
    boolean enabled;

    @Option(names = "--proxy-trusted", paramLabel = "CIDR[,CIDR...]", defaultValue = "${env:UPCASE_PROXY_TRUSTED}",
            converter = TrustedSourcesConverter.class,
            description = "The load balancers allowed to send a PROXY header, such as 10.0.0.0/8,::1; they must "
                    + "send one (env UPCASE_PROXY_TRUSTED).")
    TrustedSources trusted;

    /** The policy, or a usage error when only one of the two options is given. */
    ProxyPolicy policy() {
        if (enabled && trusted == null) {
            throw new ParameterException(spec.commandLine(), "--proxy-protocol needs --proxy-trusted CIDR[,CIDR...]: "
                    + "the balancers whose PROXY headers are believed");
        }
        if (!enabled && trusted != null) {
            throw new ParameterException(spec.commandLine(), "--proxy-trusted is given without --proxy-protocol");
        }
        return enabled ? ProxyPolicy.trusting(trusted) : ProxyPolicy.OFF;
    }

    static final class TrustedSourcesConverter implements ITypeConverter<TrustedSources> {
        @Override
        public TrustedSources convert(String value) {
            try {
                return TrustedSources.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
