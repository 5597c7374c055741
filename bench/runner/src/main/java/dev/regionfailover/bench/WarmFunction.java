package dev.regionfailover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One function instance that stays up between invocations, as a warm Lambda execution environment does:
 * {@code bin/invoke}'s own runtime API server and bootstrap, kept by {@code INVOKE_KEEP=1} from a preparatory
 * {@code bin/invoke} run, started once and sent many events. The JVM starts on the first event (lazy init, as
 * bin/invoke and the RIE do) and then serves every later event; its environment is the one bin/invoke gives a
 * function (a clean environment plus the caller's FAILOVER_*, AWS_* and QUARKUS_* variables).
 */
public final class WarmFunction implements AutoCloseable {

    private static final String INVOKE_PATH = "/2015-03-31/functions/function/invocations";
    private static final Pattern INIT = Pattern.compile("Init Duration: ([0-9.]+) ms");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final Process server;
    private final URI invokeUri;
    private final Path log;

    private WarmFunction(Process server, URI invokeUri, Path log) {
        this.server = server;
        this.invokeUri = invokeUri;
        this.log = log;
    }

    /** What one event got back, with the wall-clock times (epoch microseconds) it was sent and answered. */
    public record Response(int status, String body, boolean functionError, long sentMicros, long receivedMicros) {

        public double latencyMs() {
            return (receivedMicros - sentMicros) / 1000.0;
        }
    }

    /**
     * Starts the runtime API server of a folder that {@code INVOKE_KEEP=1 bin/invoke} left ({@code runtime-api.py},
     * {@code bootstrap}, {@code task/}); the function's JVM starts with the first event.
     */
    public static WarmFunction start(Path kept, String handler, Map<String, String> environment, Path log) {
        Path script = kept.resolve("runtime-api.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(kept + " holds no runtime-api.py: the warm runs need bin/invoke's "
                    + "built-in runtime API server (INVOKE_RUNTIME_API=builtin)");
        }
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("python3", "-u", script.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + port, kept.resolve("bootstrap").toString())
                .directory(kept.resolve("task").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(functionEnvironment(kept, handler, environment));
        try {
            Files.createDirectories(log.getParent());
            Process server = builder.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!listening(port)) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    server.destroyForcibly();
                    throw new IllegalStateException("the runtime API server did not start; see " + log);
                }
                Thread.sleep(20);
            }
            return Cleanup.register(new WarmFunction(server, URI.create("http://127.0.0.1:" + port + INVOKE_PATH),
                    log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the runtime API server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Response invoke(byte[] event) {
        HttpRequest request = HttpRequest.newBuilder(invokeUri).timeout(Duration.ofSeconds(960))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(event))
                .build();
        long sent = nowMicros();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(
                    StandardCharsets.UTF_8));
            long received = nowMicros();
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("X-Amz-Function-Error").isPresent(), sent, received);
        } catch (IOException e) {
            throw new UncheckedIOException("the runtime API server did not answer; see " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The runtime's Init Duration (JVM start to its first request for an event), from the server's REPORT line. */
    public double initMs() {
        try {
            Matcher m = INIT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        Cleanup.done(this);
        server.destroy(); // SIGTERM: the server stops the function's JVM, then exits
        try {
            if (!server.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    /** The environment bin/invoke gives a function (see its "the function's environment" section). */
    static Map<String, String> functionEnvironment(Path kept, String handler, Map<String, String> caller) {
        Map<String, String> host = System.getenv();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", host.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", host.getOrDefault("HOME", "/tmp"));
        env.put("LANG", host.getOrDefault("LANG", "C.UTF-8"));
        env.put("TZ", ":UTC");
        env.put("TMPDIR", host.getOrDefault("TMPDIR", "/tmp"));
        env.put("LAMBDA_TASK_ROOT", kept.resolve("task").toString());
        env.put("LAMBDA_RUNTIME_DIR", kept.toString());
        env.put("_HANDLER", "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        String name = caller.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "region-failover-" + handler);
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        if (host.containsKey("JAVA_HOME")) {
            env.put("JAVA_HOME", host.get("JAVA_HOME"));
        }
        Map<String, String> merged = new LinkedHashMap<>(host);
        merged.putAll(caller);
        merged.forEach((key, value) -> {
            if (key.startsWith("FAILOVER_") || key.startsWith("AWS_") || key.startsWith("QUARKUS_")) {
                env.put(key, value);
            }
        });
        env.put("QUARKUS_LAMBDA_HANDLER", handler);
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", merged.getOrDefault("AWS_LAMBDA_FUNCTION_TIMEOUT", "900"));
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", merged.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
        String region = merged.getOrDefault("AWS_REGION", "us-west-2");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        return env;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
