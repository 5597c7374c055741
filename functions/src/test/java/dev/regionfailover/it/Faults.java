package dev.regionfailover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The emulator's fault-injecting proxy (emulator/fault_proxy.py), driven through its control API. */
final class Faults {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Faults() {
    }

    /** Replaces every rule, e.g. {"blackhole": ["us-east-1"]} or {"errorRate": 0.3, "seed": 7}. */
    static JsonNode set(String rules) {
        return call(HttpRequest.newBuilder(control()).POST(HttpRequest.BodyPublishers.ofString(rules))
                .header("Content-Type", "application/json"));
    }

    static JsonNode clear() {
        return call(HttpRequest.newBuilder(control()).DELETE());
    }

    /** The proxy's counters: requests seen, faults injected by kind, region, service and operation. */
    static JsonNode counters() {
        return call(HttpRequest.newBuilder(control()).GET()).path("counters");
    }

    private static URI control() {
        return URI.create(System.getProperty("aws.endpointUrl")).resolve("/_faults");
    }

    private static JsonNode call(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("fault proxy answered " + response.statusCode() + ": "
                        + response.body());
            }
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
