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
 *              Cooldown Acknowledged | Failover Approved
 * detail:      {"plan": "orders-db", "reason": "...", "dryRun": false, "force": false, "requestedBy": "..."}
 *              Failover Approved also names the run(s) it approves: "runId": "..." or "runIds": ["...", ...]
 * </pre>
 * Unknown keys in {@code detail} are refused rather than ignored: a misspelt {@code "dryrun": true} must not
 * turn a rehearsal into a real failover.
 */
public final class OperatorEventParser {

    public static final String DETAIL_TYPE = "Manual Failover Requested";
    public static final String SWITCHOVER_DETAIL_TYPE = "Planned Switchover Requested";
    public static final String FAILBACK_DETAIL_TYPE = "Failback Requested";
    public static final String ACKNOWLEDGE_DETAIL_TYPE = "Cooldown Acknowledged";
    public static final String APPROVAL_DETAIL_TYPE = "Failover Approved";
    private static final Set<String> DETAIL_KEYS = Set.of("plan", "reason", "dryRun", "force", "requestedBy", "runId",
            "runIds");
    /** A run id as RunIds makes them (20261203T151647Z-c45ab375); anything else names no run of ours. */
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}");
    private static final int MAX_RUN_IDS = 200;
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
        boolean ours = Set.of(DETAIL_TYPE, SWITCHOVER_DETAIL_TYPE, FAILBACK_DETAIL_TYPE, ACKNOWLEDGE_DETAIL_TYPE,
                APPROVAL_DETAIL_TYPE).contains(envelope.detailType());
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
            case APPROVAL_DETAIL_TYPE -> OperatorCommand.Action.APPROVE;
            default -> throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: detail-type '"
                    + AlarmSignal.abbreviate(envelope.detailType()) + "', expected '" + DETAIL_TYPE + "', '"
                    + SWITCHOVER_DETAIL_TYPE + "', '" + FAILBACK_DETAIL_TYPE + "', '" + ACKNOWLEDGE_DETAIL_TYPE
                    + "' or '" + APPROVAL_DETAIL_TYPE + "'");
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
                        + " (known: plan, reason, dryRun, force, requestedBy, and runId or runIds for "
                        + APPROVAL_DETAIL_TYPE + ")");
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
        boolean force = Json.optionalBoolean(detail, "force", false);
        List<String> runIds = runIds(detail, action);
        if (action == OperatorCommand.Action.APPROVE && force) {
            throw new RejectedEvent(Kind.MALFORMED, "detail.force: an approval lets a run go on as it was defined, "
                    + "it cannot force it; send Manual Failover Requested with force on the force bus instead");
        }
        return new OperatorCommand(action, reason, Json.optionalBoolean(detail, "dryRun", false), force,
                AlarmSignal.abbreviate(requestedBy), envelope.source(), envelope.account(), envelope.id(), runIds);
    }

    /** An approval names its runs, exactly one way; no other order names any. */
    private static List<String> runIds(JsonNode detail, OperatorCommand.Action action) {
        boolean one = detail.has("runId");
        boolean many = detail.has("runIds");
        if (action != OperatorCommand.Action.APPROVE) {
            if (one || many) {
                throw new RejectedEvent(Kind.MALFORMED, "detail." + (one ? "runId" : "runIds") + " names runs, "
                        + "which only a " + APPROVAL_DETAIL_TYPE + " order does");
            }
            return List.of();
        }
        if (one == many) {
            throw new RejectedEvent(Kind.MALFORMED, "a " + APPROVAL_DETAIL_TYPE + " order names the run it approves: "
                    + "detail.runId (one) or detail.runIds (a list), not " + (one ? "both" : "neither"));
        }
        List<String> ids = new java.util.ArrayList<>();
        if (one) {
            ids.add(Json.requiredText(detail, "runId"));
        } else {
            JsonNode list = detail.get("runIds");
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_RUN_IDS) {
                throw new RejectedEvent(Kind.MALFORMED, "detail.runIds must be a list of 1 to " + MAX_RUN_IDS
                        + " run ids");
            }
            for (JsonNode id : list) {
                if (!id.isTextual()) {
                    throw new RejectedEvent(Kind.MALFORMED, "detail.runIds must hold run ids (strings)");
                }
                ids.add(id.asText());
            }
        }
        for (String id : ids) {
            if (!RUN_ID.matcher(id).matches()) {
                throw new RejectedEvent(Kind.MALFORMED, "'" + AlarmSignal.abbreviate(id) + "' is not a run id (such "
                        + "as 20261203T151647Z-c45ab375, from the approval request)");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(ids));
    }
}
