package dev.regionfailover.event;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.regionfailover.event.RejectedEvent.Kind;

/** Field access on untrusted JSON that fails with a message naming the field, never with a stack trace. */
final class Json {

    private Json() {
    }

    static String requiredText(JsonNode node, String path) {
        return optionalText(node, path)
                .filter(text -> !text.isBlank())
                .orElseThrow(() -> new RejectedEvent(Kind.MALFORMED, "missing field " + path));
    }

    static Optional<String> optionalText(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null || value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new RejectedEvent(Kind.MALFORMED, "field " + path + " must be a string, not " + describe(value));
        }
        return Optional.of(value.asText());
    }

    /** Absent takes the fallback; null does not: a flag that decides between a rehearsal and a failover is explicit. */
    static boolean optionalBoolean(JsonNode node, String path, boolean fallback) {
        JsonNode value = at(node, path);
        if (value == null || value.isMissingNode()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new RejectedEvent(Kind.MALFORMED, "field " + path + " must be true or false, not " + describe(value));
        }
        return value.booleanValue();
    }

    static JsonNode requiredObject(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw new RejectedEvent(Kind.MALFORMED, "missing field " + path);
        }
        if (!value.isObject()) {
            throw new RejectedEvent(Kind.MALFORMED, "field " + path + " must be an object, not " + describe(value));
        }
        return value;
    }

    /** Dotted paths, because EventBridge keys such as {@code detail-type} contain dashes but never dots. */
    private static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(part);
        }
        return current;
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase();
    }
}
