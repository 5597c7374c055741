package dev.regionfailover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK that the cold starts run the JVM rows on (bin/invoke's JAVA_HOME): its home and what its {@code release}
 * file says it is. The benchmark's own JDK is one; a second (Java 25, the templates' runtime) is another.
 */
public record Jdk(Path home, int feature, String version, String vendor) {

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");
    private static final Pattern VENDOR = Pattern.compile("(?m)^IMPLEMENTOR=\"([^\"]+)\"");

    /** The JDK at {@code home}, read from its release file; refused when there is none or no java in it. */
    public static Jdk at(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
            throw new IllegalArgumentException(home + " is not a JDK (no bin/java or release file)");
        }
        try {
            String text = Files.readString(release);
            Matcher version = VERSION.matcher(text);
            if (!version.find()) {
                throw new IllegalArgumentException(release + " names no JAVA_VERSION");
            }
            Matcher vendor = VENDOR.matcher(text);
            String v = version.group(1);
            return new Jdk(home, Integer.parseInt(v.replaceFirst("^1\\.", "").split("[.+-]")[0]), v,
                    vendor.find() ? vendor.group(1) : "unknown vendor");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + release, e);
        }
    }

    /** The JDK running this benchmark: bin/invoke's default when JAVA_HOME is not set to another. */
    public static Jdk running() {
        Path home = Path.of(System.getProperty("java.home"));
        // java.home is the JDK itself on 9+; a JRE-style layout keeps the release file one level up.
        return Files.isRegularFile(home.resolve("release")) ? at(home) : at(home.getParent());
    }

    /** How rows name it: "Java 17". */
    public String name() {
        return "Java " + feature;
    }

    /** For the text: "Java 17 (OpenJDK 17.0.15, Debian)". */
    public String describe() {
        return name() + " (" + vendor + " " + version + ")";
    }
}
