package dev.regionfailover.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged function.zip, run once per event by bin/invoke under a Lambda runtime API, as Lambda would run it,
 * with the function's configuration in its environment.
 */
final class PackagedFunction {

    private static final Pattern COLD_START = Pattern.compile("cold start to first response: (\\d+) ms");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path root;
    private final Map<String, String> environment;

    /** {@code environment}: the function's configuration, the emulator's endpoint and credentials. */
    PackagedFunction(Path root, Map<String, String> environment) {
        this.root = root;
        this.environment = Map.copyOf(environment);
    }

    /** One invocation: its response (empty when it gave none), how it went, and where its log is. */
    record Invocation(int exit, JsonNode response, long processMillis, String coldStart, Path log, String stderr) {

        boolean answered() {
            return exit == 0;
        }

        String outcome() {
            return response.path("outcome").asText();
        }
    }

    /** {@code eventFile}: relative to the project root; an operator order in it is sent with the current time. */
    Invocation invoke(String handler, String eventFile) throws IOException, InterruptedException {
        // Sent as EventBridge would deliver it now: an operator order counts only while fresh.
        return deliver(handler, FreshOrders.stamp(Files.readString(root.resolve(eventFile))), Map.of());
    }

    /**
     * One invocation with {@code event} exactly as given (say, as EventBridge delivered it), by a function whose
     * configuration differs from the others' by {@code overrides} (as the template's order functions differ).
     */
    Invocation deliver(String handler, String eventText, Map<String, String> overrides)
            throws IOException, InterruptedException {
        Path log = root.resolve("drill-output/" + handler + "-" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        Path event = log.resolveSibling(log.getFileName().toString().replace(".log", ".event.json"));
        Files.writeString(event, eventText);
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/invoke").toString(), handler, event.toString())
                .directory(root.toFile());
        builder.environment().putAll(environment);
        builder.environment().putAll(overrides);
        builder.environment().put("INVOKE_LOG", log.toString());
        Instant started = Instant.now();
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long took = Duration.between(started, Instant.now()).toMillis();
        Matcher cold = COLD_START.matcher(stderr);
        String coldStart = cold.find() ? cold.group(1) + " ms to first response" : "no timing";
        JsonNode response = exit == 0 ? mapper.readTree(stdout) : mapper.createObjectNode();
        return new Invocation(exit, response, took, coldStart, root.relativize(log), stderr.strip());
    }
}
