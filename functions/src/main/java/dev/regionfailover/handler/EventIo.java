package dev.regionfailover.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BiConsumer;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.aws.Errors;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.RejectedEvent;
import dev.regionfailover.event.RejectedEvent.Kind;
import dev.regionfailover.logs.LogContext;

/**
 * The part every handler shares: read the raw event with a size bound, parse it, run the handler's action, and
 * write the response. Handlers take raw streams rather than bound POJOs so that malformed input is answered with
 * a clear reason by us, not with a deserialisation stack trace by the runtime. A rejected event is logged with a
 * short, escaped excerpt (so it is not lost) and answered without any AWS call having been made.
 */
@ApplicationScoped
public class EventIo {

    private static final Logger LOG = Logger.getLogger(EventIo.class);
    /** EventBridge's own limit on an event; nothing we act on is larger. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    private static final int EXCERPT = 400;
    /** A reason quotes parts of the event: bounded and escaped, so a hostile event can neither flood nor forge. */
    static final int MAX_REASON = 1024;

    @Inject
    ObjectMapper mapper;

    @Inject
    FailoverConfig config;

    public void handle(String handler, Context context, InputStream input, OutputStream output,
            Function<JsonNode, HandlerResponse> action) throws IOException {
        handle(handler, context, input, output, action, (kind, reason) -> {
        });
    }

    /**
     * As above; {@code onRefusedOrder} hears of an event refused for its sender or its age (a security event, see
     * {@link Kind#toldToPeople()}), after the refusal is decided and before it is answered.
     */
    public void handle(String handler, Context context, InputStream input, OutputStream output,
            Function<JsonNode, HandlerResponse> action, BiConsumer<Kind, String> onRefusedOrder) throws IOException {
        LogContext.invocation(handler, config.plan(), context == null ? null : context.getAwsRequestId());
        try {
            respond(handler, input, output, action, onRefusedOrder);
        } finally {
            LogContext.clear();
        }
    }

    private void respond(String handler, InputStream input, OutputStream output,
            Function<JsonNode, HandlerResponse> action, BiConsumer<Kind, String> onRefusedOrder) throws IOException {
        byte[] raw = input.readNBytes(MAX_EVENT_BYTES + 1);
        HandlerResponse response;
        try {
            response = action.apply(parse(raw));
            response = response.withReason(safe(response.reason()));
            LOG.infof("%s handler: %s: %s", handler, response.outcome(), response.reason());
        } catch (RejectedEvent rejected) {
            String reason = safe(rejected.getMessage());
            LOG.warnf("%s handler rejected an event (%s): %s; event excerpt: %s", handler, rejected.kind(), reason,
                    excerpt(raw));
            response = HandlerResponse.of("REJECTED", rejected.kind() + ": " + reason);
            if (rejected.kind().toldToPeople()) {
                try {
                    onRefusedOrder.accept(rejected.kind(), reason);
                } catch (RuntimeException e) {
                    LOG.errorf("could not report the refused event: %s", Errors.describe(e));
                }
            }
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "%s handler failed", handler);
            // Rethrown so Lambda retries and, after that, sends the event to the dead-letter destination; without
            // a stack trace, so the invocation's error response shows no internals.
            throw new HandlerFailure(handler + " handler failed: " + Errors.describe(unexpected));
        }
        mapper.writeValue(output, response);
    }

    private JsonNode parse(byte[] raw) {
        if (raw.length > MAX_EVENT_BYTES) {
            throw new RejectedEvent(Kind.MALFORMED, "event larger than " + MAX_EVENT_BYTES + " bytes");
        }
        if (raw.length == 0) {
            throw new RejectedEvent(Kind.MALFORMED, "empty event");
        }
        try {
            // Trailing content ({...} garbage) is malformed input, not an event with a harmless tail.
            // Duplicate keys are refused too: {"dryRun": true, "dryRun": false} must not mean a real failover.
            JsonNode json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(raw);
            if (json == null || !json.isObject()) {
                throw new RejectedEvent(Kind.MALFORMED, "event is not a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new RejectedEvent(Kind.MALFORMED, "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RejectedEvent(Kind.MALFORMED, "unreadable event: " + e.getMessage());
        }
    }

    /** Enough of the event to recognise it in the logs, with control characters escaped (no log forging). */
    static String excerpt(byte[] raw) {
        String text = new String(raw, 0, Math.min(raw.length, EXCERPT), java.nio.charset.StandardCharsets.UTF_8);
        String safe = escape(text, Integer.MAX_VALUE);
        return raw.length > EXCERPT ? safe + "… (" + raw.length + " bytes)" : safe;
    }

    static String safe(String reason) {
        return reason == null ? null : escape(reason, MAX_REASON);
    }

    /** Control characters and Unicode line breaks as \\uXXXX escapes, at most {@code limit} characters kept. */
    private static String escape(String text, int limit) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), limit) + 16);
        int i = 0;
        while (i < text.length() && safe.length() < limit) {
            int c = text.codePointAt(i);
            if (Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029) {
                safe.append(String.format("\\u%04x", c));
            } else {
                safe.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return i < text.length() ? safe + "… (" + text.length() + " characters)" : safe.toString();
    }

    /** An internal failure, reported without its stack trace. */
    public static final class HandlerFailure extends RuntimeException {
        HandlerFailure(String message) {
            super(message, null, false, false);
        }
    }
}
