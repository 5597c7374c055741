package dev.regionfailover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.FreshOrders;

/**
 * One run of {@code bin/invoke HANDLER EVENT}: a fresh runtime API server and a fresh JVM, one event, as Lambda
 * runs a cold function. The figure is the one bin/invoke prints itself ("cold start to first response": from the
 * start of the runtime API server, which starts the JVM, to the response), plus the runtime API server's REPORT
 * line from the function log (Init Duration: JVM start to the runtime's first request for an event; Duration: the
 * handler's work on the event).
 */
public final class BinInvoke {

    private static final Pattern COLD = Pattern.compile("cold start to first response: (\\d+) ms");
    private static final Pattern INIT = Pattern.compile("Init Duration: ([0-9.]+) ms");
    private static final Pattern DURATION = Pattern.compile("\tDuration: ([0-9.]+) ms");
    private static final Pattern KEPT = Pattern.compile("kept (\\S+) \\(INVOKE_KEEP=1\\)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BinInvoke() {
    }

    /** What one invocation gave. {@code body} is the response document, or null when it was not JSON. */
    public record Result(int exit, String stdout, String stderr, JsonNode body, long coldStartMs, double initMs,
            double durationMs, Path kept) {

        public String outcome() {
            return body == null ? "" : body.path("outcome").asText("");
        }

        public String describeFailure() {
            return "exit " + exit + ": " + abbreviate(stderr.strip(), 600);
        }
    }

    public static Result run(Path root, String handler, Path event, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            // Sent as EventBridge would deliver it now: an operator order counts only while fresh.
            Path sent = log.resolveSibling(log.getFileName() + ".event.json");
            Files.writeString(sent, FreshOrders.stamp(Files.readString(event)));
            ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/invoke").toString(), handler,
                    sent.toString()).directory(root.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("INVOKE_LOG", log.toString());
            Process process = builder.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            int exit = process.waitFor();
            String stderr = err.join();
            String functionLog = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            JsonNode body = null;
            try {
                body = out.isBlank() ? null : MAPPER.readTree(out);
            } catch (IOException notJson) {
                body = null;
            }
            Matcher kept = KEPT.matcher(stderr);
            return new Result(exit, out, stderr, body, find(COLD, stderr, -1), find(INIT, functionLog, Double.NaN),
                    find(DURATION, functionLog, Double.NaN), kept.find() ? Path.of(kept.group(1)) : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bin/invoke", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long find(Pattern pattern, String text, long fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : fallback;
    }

    private static double find(Pattern pattern, String text, double fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
