package dev.regionfailover.event;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.regionfailover.event.RejectedEvent.Kind;

/**
 * Reads and authorises an operator's failover request:
 * <pre>
 * source:      regionfailover.operator (configurable)
 * detail-type: Manual Failover Requested | Planned Switchover Requested | Failback Requested |
 *              Cooldown Acknowledged
 * detail:      {"plan": "orders-db", "reason": "...", "dryRun": false, "force": false, "requestedBy": "..."}
 * </pre>
 * Unknown keys in {@code detail} are refused rather than ignored: a misspelt {@code "dryrun": true} must not
 * turn a rehearsal into a real failover.
 */
public final class OperatorEventParser {

    public static final String DETAIL_TYPE = "Manual Failover Requested";
    public static final String SWITCHOVER_DETAIL_TYPE = "Planned Switchover Requested";
    public static final String FAILBACK_DETAIL_TYPE = "Failback Requested";
    public static final String ACKNOWLEDGE_DETAIL_TYPE = "Cooldown Acknowledged";
    private static final Set<String> DETAIL_KEYS = Set.of("plan", "reason", "dryRun", "force", "requestedBy");
    private static final int MAX_REASON = 1024;

    private final String plan;
    private final List<String> allowedSources;
    private final Optional<List<String>> allowedAccounts;

    public OperatorEventParser(String plan, List<String> allowedSources, Optional<List<String>> allowedAccounts) {
        this.plan = plan;
        this.allowedSources = allowedSources;
        this.allowedAccounts = allowedAccounts;
    }

    public OperatorCommand parse(JsonNode json) {
        if (!EventBridgeEnvelope.looksLikeOne(json)) {
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected an EventBridge event "
                    + "with source and detail-type");
        }
        EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(json);
        boolean ours = Set.of(DETAIL_TYPE, SWITCHOVER_DETAIL_TYPE, FAILBACK_DETAIL_TYPE, ACKNOWLEDGE_DETAIL_TYPE)
                .contains(envelope.detailType());
        if (!allowedSources.contains(envelope.source())) {
            // An order from the wrong source is a forgery (told to people); anything else is just not ours.
            throw ours ? new RejectedEvent(Kind.UNAUTHORISED, "source '" + AlarmSignal.abbreviate(envelope.source())
                    + "' may not command a failover (allowed: " + String.join(", ", allowedSources) + ")")
                    : new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: " + envelope.describe());
        }
        OperatorCommand.Action action = switch (envelope.detailType()) {
            case DETAIL_TYPE -> OperatorCommand.Action.FAILOVER;
            case SWITCHOVER_DETAIL_TYPE -> OperatorCommand.Action.SWITCHOVER;
            case FAILBACK_DETAIL_TYPE -> OperatorCommand.Action.FAILBACK;
            case ACKNOWLEDGE_DETAIL_TYPE -> OperatorCommand.Action.ACKNOWLEDGE_COOLDOWN;
            default -> throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: detail-type '"
                    + AlarmSignal.abbreviate(envelope.detailType()) + "', expected '" + DETAIL_TYPE + "', '"
                    + SWITCHOVER_DETAIL_TYPE + "', '" + FAILBACK_DETAIL_TYPE + "' or '" + ACKNOWLEDGE_DETAIL_TYPE
                    + "'");
        };
        allowedAccounts.filter(accounts -> !accounts.isEmpty()).ifPresent(accounts -> {
            if (!accounts.contains(envelope.account())) {
                throw new RejectedEvent(Kind.UNAUTHORISED, "account '" + AlarmSignal.abbreviate(envelope.account())
                        + "' may not command a failover");
            }
        });
        JsonNode detail = Json.requiredObject(json, "detail");
        for (Iterator<String> keys = detail.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!DETAIL_KEYS.contains(key)) {
                throw new RejectedEvent(Kind.MALFORMED, "unknown field detail." + AlarmSignal.abbreviate(key)
                        + " (known: plan, reason, dryRun, force, requestedBy)");
            }
        }
        Json.optionalText(detail, "plan").filter(named -> !named.equals(plan)).ifPresent(named -> {
            throw new RejectedEvent(Kind.UNKNOWN, "the event names plan '" + AlarmSignal.abbreviate(named)
                    + "', this function serves plan '" + plan + "'");
        });
        String reason = Json.requiredText(detail, "reason");
        if (reason.length() > MAX_REASON) {
            throw new RejectedEvent(Kind.MALFORMED, "detail.reason is longer than " + MAX_REASON + " characters");
        }
        String requestedBy = Json.optionalText(detail, "requestedBy").orElse("unknown");
        return new OperatorCommand(action, reason, Json.optionalBoolean(detail, "dryRun", false),
                Json.optionalBoolean(detail, "force", false), AlarmSignal.abbreviate(requestedBy),
                envelope.source(), envelope.account(), envelope.id());
    }
}
