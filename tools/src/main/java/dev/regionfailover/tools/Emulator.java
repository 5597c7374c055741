package dev.regionfailover.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The AWS emulator (moto server with the project's fidelity extensions, see emulator/README.md) as a child
 * process on a free loopback port. Nothing is assumed to be running: whoever needs the emulator starts its own.
 */
public final class Emulator implements AutoCloseable {

    private static final String READY = "EMULATOR_READY ";
    private static final String DNS = "EMULATOR_DNS ";

    private final Process process;
    private final URI endpoint;
    private final String nameServer;

    private Emulator(Process process, URI endpoint, String nameServer) {
        this.process = process;
        this.endpoint = endpoint;
        this.nameServer = nameServer;
    }

    /** Starts the emulator; {@code environment} adds settings such as EMULATOR_PROMOTION_SECONDS. */
    public static Emulator start(Map<String, String> environment) {
        Path root = ProjectRoot.find();
        List<String> command = new ArrayList<>(List.of(python(root).toString(),
                root.resolve("emulator/launcher.py").toString(), "--host", "127.0.0.1", "--port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the emulator (" + command.get(0)
                    + "); run bin/setup-emulator first", e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        // READY first, then (with the fault proxy) CONTROL, then DNS: the global writer endpoints' name server
        CompletableFuture<String[]> ready = CompletableFuture.supplyAsync(() -> {
            String url = null;
            try {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.startsWith(READY)) {
                        url = line.substring(READY.length()).trim();
                    } else if (line.startsWith(DNS) && url != null) {
                        return new String[] { url, line.substring(DNS.length()).trim() };
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String[] started = ready.get(60, TimeUnit.SECONDS);
            if (started == null) {
                throw new IllegalStateException("the emulator exited before it was ready (exit code "
                        + process.waitFor() + "); run bin/setup-emulator, then emulator/launcher.py by hand to see why");
            }
            return new Emulator(process, URI.create(started[0]), started[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting the emulator", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the emulator did not report ready within 60 s", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The emulator's process (a benchmark counts its CPU time). */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** {@code host:port} (UDP) of the name server that answers for Aurora global writer endpoints. */
    public String nameServer() {
        return nameServer;
    }

    /** Forgets every resource in every region (moto's own control API). */
    public void reset() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    endpoint.resolve("/moto-api/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("emulator reset answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The project's virtualenv made by bin/setup-emulator, else what FAILOVER_EMULATOR_PYTHON names, else python3. */
    private static Path python(Path root) {
        String configured = System.getenv("FAILOVER_EMULATOR_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path venv = root.resolve(".venv/bin/python");
        return Files.isExecutable(venv) ? venv : Path.of("python3");
    }
}
