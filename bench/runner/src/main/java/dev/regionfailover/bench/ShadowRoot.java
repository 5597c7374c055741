package dev.regionfailover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away project root made of symbolic links, so that the project's own, unchanged {@code bin/invoke} runs a
 * different zip or gets extra jars on the function's class path. {@code bin/invoke} finds everything relative to
 * the folder it is called from: {@code functions/target/function.zip} (here: a link to the zip under test) and the
 * Lambda runtime client's jars in {@code .tools/lambda-ric/} (here: links to the project's jars, plus the extras,
 * which the runtime's class path then includes as it includes the runtime client). {@code bin/invoke} itself is a
 * link to the project's script, so what runs is byte for byte the same command as {@code bin/invoke} in the
 * project.
 */
public final class ShadowRoot implements AutoCloseable {

    private final Path dir;

    private ShadowRoot(Path dir) {
        this.dir = dir;
    }

    public static ShadowRoot create(Path projectRoot, Path zip, List<Path> extraJars) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it first (./mvnw -DskipTests install)");
        }
        try {
            Path dir = Files.createTempDirectory("bench-root-");
            Files.createDirectories(dir.resolve("bin"));
            Files.createSymbolicLink(dir.resolve("bin/invoke"), projectRoot.resolve("bin/invoke"));
            Files.createDirectories(dir.resolve("functions/target"));
            Files.createSymbolicLink(dir.resolve("functions/target/function.zip"), zip.toAbsolutePath());
            Path ric = dir.resolve(".tools/lambda-ric");
            Files.createDirectories(ric);
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(projectRoot.resolve(".tools/lambda-ric"),
                    "*.jar")) {
                for (Path jar : jars) {
                    Files.createSymbolicLink(ric.resolve(jar.getFileName()), jar.toAbsolutePath());
                }
            }
            for (Path jar : extraJars) {
                // bin/install-rie may already have put the same jar there (utils-lite, beside the runtime client).
                if (!Files.exists(ric.resolve(jar.getFileName()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(ric.resolve(jar.getFileName()), jar.toAbsolutePath());
                }
            }
            // Same runtime API server as the project's own invocations: the RIE if it is installed.
            Path rie = projectRoot.resolve(".tools/bin");
            if (Files.isDirectory(rie)) {
                Files.createSymbolicLink(dir.resolve(".tools/bin"), rie.toAbsolutePath());
            }
            return new ShadowRoot(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a shadow project root", e);
        }
    }

    public Path path() {
        return dir;
    }

    @Override
    public void close() {
        deleteTree(dir);
    }

    /** Deletes a folder; symbolic links are removed, never followed. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the benchmark for
        }
    }
}
