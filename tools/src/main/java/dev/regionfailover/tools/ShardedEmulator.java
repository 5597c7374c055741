package dev.regionfailover.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator split over several processes, so that one Python process (moto serves every request under one
 * interpreter lock) is not what a fleet benchmark measures. Each shard is an {@link Emulator} with the fault proxy
 * (EMULATOR_FAULTS=1) in front of its own moto, so each can inject latency; clients reach a shard through the
 * SDK's service-specific endpoints ({@link Endpoints#environment()}).
 *
 * <p>The shards follow moto's own couplings: a service whose behaviour reads another's state stays with it.
 * Route 53 health checks of type CLOUDWATCH_METRIC read CloudWatch alarms (emulator/route53_fidelity.py), so the
 * two share a shard; SNS delivers to SQS subscriptions and EventBridge rules to SQS targets inside moto, so they
 * stay in the default shard with SSM, STS and the rest; RDS (with the Aurora global endpoints' name server) and
 * DynamoDB, the busiest, have one each.
 */
public final class ShardedEmulator implements AutoCloseable {

    /** Shard name to the SDK identifiers of the services it serves; the last, "default", serves the rest. */
    public static final Map<String, List<String>> SHARDS = layout();

    private final Map<String, Emulator> emulators;
    private final Endpoints endpoints;

    private ShardedEmulator(Map<String, Emulator> emulators) {
        this.emulators = emulators;
        Map<String, URI> services = new HashMap<>();
        SHARDS.forEach((shard, ids) -> ids.forEach(id -> services.put(id, emulators.get(shard).endpoint())));
        this.endpoints = new Endpoints(emulators.get("default").endpoint(), services);
    }

    private static Map<String, List<String>> layout() {
        Map<String, List<String>> shards = new LinkedHashMap<>();
        shards.put("rds", List.of("RDS"));
        shards.put("dynamodb", List.of("DYNAMODB"));
        shards.put("cloudwatch-route53", List.of("CLOUDWATCH", "ROUTE_53"));
        shards.put("default", List.of());
        return java.util.Collections.unmodifiableMap(shards);
    }

    /** Starts every shard, each with {@code environment} (EMULATOR_PROMOTION_SECONDS, EMULATOR_LATENCY, ...). */
    public static ShardedEmulator start(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("EMULATOR_FAULTS", "1");
        Map<String, Emulator> started = new LinkedHashMap<>();
        try {
            for (String shard : SHARDS.keySet()) {
                started.put(shard, Emulator.start(env));
            }
            return new ShardedEmulator(started);
        } catch (RuntimeException e) {
            started.values().forEach(Emulator::close);
            throw e;
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Posts one rule (a JSON object, fault_proxy.py's control API) to every shard's proxy. */
    public void setFaults(String rule) {
        emulators.values().forEach(emulator -> control(emulator, HttpRequest.BodyPublishers.ofString(rule)));
    }

    /** Each shard's counters ({@code GET /_faults}), as JSON text. */
    public Map<String, String> faultCounters() {
        Map<String, String> counters = new LinkedHashMap<>();
        emulators.forEach((shard, emulator) -> counters.put(shard, control(emulator, null)));
        return counters;
    }

    private static String control(Emulator emulator, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.endpoint().resolve("/_faults"))
                .header("Content-Type", "application/json");
        request = body == null ? request.GET() : request.POST(body);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the fault proxy of " + emulator.endpoint() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code host:port} (UDP) of the name server that answers for Aurora global writer endpoints: the rds shard's,
     * whose process moves them.
     */
    public String nameServer() {
        return emulators.get("rds").nameServer();
    }

    /** The shards' processes, for CPU accounting. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> processes = new ArrayList<>();
        emulators.values().forEach(emulator -> processes.add(emulator.process()));
        return processes;
    }

    @Override
    public void close() {
        emulators.values().forEach(Emulator::close);
    }
}
