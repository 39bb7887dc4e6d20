package upcase.cli;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"upcase " + number()};
    }

    /** {@code 0.1.0}, or {@code (development build)} when run from classes rather than the jar. */
    static String number() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
