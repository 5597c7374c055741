package dev.regionfailover.tools;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each AWS service of the emulator answers: one endpoint for all (the usual emulator), or one per shard of a
 * {@link ShardedEmulator}. Keys are the SDKs' service identifiers of service-specific endpoints ({@code RDS},
 * {@code ROUTE_53}, ...: the suffix of {@code AWS_ENDPOINT_URL_<SERVICE>}, AWS SDKs and Tools Reference Guide,
 * "Identifiers for service-specific endpoints"); a service not listed answers at {@code fallback}.
 */
public record Endpoints(URI fallback, Map<String, URI> services) {

    public Endpoints {
        services = Map.copyOf(services);
    }

    public static Endpoints single(URI endpoint) {
        return new Endpoints(endpoint, Map.of());
    }

    /** The endpoint of the service whose SDK identifier is {@code serviceId}. */
    public URI of(String serviceId) {
        return services.getOrDefault(serviceId, fallback);
    }

    /**
     * The environment that sends a process's SDK clients here without code: {@code AWS_ENDPOINT_URL} and one
     * {@code AWS_ENDPOINT_URL_<SERVICE>} per sharded service, which the SDK prefers for that service.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", fallback.toString());
        new TreeMap<>(services).forEach((id, uri) -> env.put("AWS_ENDPOINT_URL_" + id, uri.toString()));
        return env;
    }
}
