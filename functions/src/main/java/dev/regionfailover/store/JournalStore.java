package dev.regionfailover.store;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.failover.FailoverRequest;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.failover.StepStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The plan's coordination store, one DynamoDB table in the standby region (the single source of truth, as
 * Patroni keeps its leader key in a consensus store). Items under partition key {@code pk = plan}:
 * <ul>
 * <li>{@code STATE}: phase (RUNNING, COMPLETED, FAILED, IDLE), current run, lease owner and expiry, and a version
 * that every change compares and increments, so two triggers cannot both take the lease;</li>
 * <li>{@code RUN#<runId>}: the run's trigger, reason, verdict, state and timing;</li>
 * <li>{@code RUN#<runId>#STEP#<nn>}: one item per step with start, end, status and detail;</li>
 * <li>{@code HEALTH}: consecutive failing evaluations (hysteresis that survives cold starts);</li>
 * <li>{@code SIGNAL#<time>#<alarm>}: alarm transitions recorded without being acted on.</li>
 * </ul>
 */
@ApplicationScoped
public class JournalStore {

    private static final String STATE = "STATE";
    private static final String HEALTH = "HEALTH";
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    /** The partition key of this view; the plan's own when null. Health and readiness are plan-wide. */
    private String partition;

    /** The journal of one database pair of the plan: its lease, runs and steps. */
    public JournalStore forPartition(String partitionKey) {
        if (partitionKey.equals(config.plan())) {
            return this;
        }
        JournalStore view = new JournalStore();
        view.aws = aws;
        view.config = config;
        view.partition = partitionKey;
        return view;
    }

    private String partition() {
        return partition == null ? config.plan() : partition;
    }

    /**
     * Takes the plan's lease for a new run, or to resume a run whose holder died. {@code resumeOnly} (an RDS
     * event) never starts a new run. A failover starts from IDLE; a failback from COMPLETED (failed over).
     */
    public LeaseOutcome acquire(String owner, RunKind kind, boolean byOperator, boolean resumeOnly, Instant now) {
        Map<String, AttributeValue> state = get(STATE).orElse(Map.of());
        String phase = text(state, "phase").orElse("IDLE");
        String runId = text(state, "runId").orElse(null);
        String runKind = text(state, "runKind").orElse(RunKind.FAILOVER.name());
        long version = number(state, "version").orElse(0L);
        if (resumeOnly && !"RUNNING".equals(phase)) {
            return new LeaseOutcome.NothingToResume(phase, runId);
        }
        boolean sameKind = runKind.equals(kind.name());
        if (kind == RunKind.FAILBACK && ("IDLE".equals(phase) || !sameKind && !"COMPLETED".equals(phase))) {
            return new LeaseOutcome.WrongPhase(phase, runId, "IDLE".equals(phase)
                    ? "the plan has not failed over: there is nothing to fail back"
                    : "the last " + runKind.toLowerCase() + " run " + runId + " is " + phase
                            + "; resume it with a Manual Failover Requested event first");
        }
        if (kind == RunKind.FAILOVER && !sameKind && "FAILED".equals(phase)) {
            return new LeaseOutcome.WrongPhase(phase, runId, "the last failback run " + runId
                    + " failed; resume it with a Failback Requested event");
        }
        boolean resume = false;
        switch (phase) {
            case "RUNNING" -> {
                Instant expires = Instant.ofEpochMilli(number(state, "leaseExpiresAt").orElse(0L));
                if (expires.isAfter(now)) {
                    return new LeaseOutcome.Busy(runId, expires);
                }
                resume = true;
            }
            case "COMPLETED" -> {
                if (kind == RunKind.FAILOVER) {
                    return new LeaseOutcome.AlreadyCompleted(runId, text(state, "updatedAt").map(Instant::parse)
                            .orElse(null));
                }
                runId = null;
            }
            case "FAILED" -> {
                if (!byOperator) {
                    return new LeaseOutcome.PreviouslyFailed(runId);
                }
                resume = true;
            }
            default -> {
                Instant cooldownUntil = Instant.ofEpochMilli(number(state, "cooldownUntil").orElse(0L));
                if (kind == RunKind.FAILOVER && !byOperator && !resumeOnly && cooldownUntil.isAfter(now)) {
                    return new LeaseOutcome.CoolingDown(runId, cooldownUntil, markCooldownRefusal(version));
                }
                runId = null;
            }
        }
        String leasedRun = resume ? runId : newRunId(now);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", s("RUNNING"));
        values.put(":run", s(leasedRun));
        values.put(":owner", s(owner));
        values.put(":expires", n(now.plus(config.timeouts().lease()).toEpochMilli()));
        values.put(":now", s(now.toString()));
        values.put(":next", n(version + 1));
        values.put(":kind", s(kind.name()));
        if (!state.isEmpty()) {
            values.put(":version", n(version));
        }
        String condition = state.isEmpty() ? "attribute_not_exists(pk)" : "version = :version";
        try {
            aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                    .key(key(STATE))
                    .updateExpression("SET phase = :running, runId = :run, runKind = :kind, leaseOwner = :owner, "
                            + "leaseExpiresAt = :expires, updatedAt = :now, version = :next")
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException lost) {
            Map<String, AttributeValue> winner = get(STATE).orElse(Map.of());
            return new LeaseOutcome.Busy(text(winner, "runId").orElse("unknown"),
                    Instant.ofEpochMilli(number(winner, "leaseExpiresAt").orElse(0L)));
        }
        return new LeaseOutcome.Acquired(leasedRun, resume);
    }

    /** Where the plan stands, in one consistent read: what a trigger needs to know before doing any work. */
    public enum Phase {
        IDLE, RUNNING, RUNNING_EXPIRED, COMPLETED, FAILED
    }

    public Phase phase(Instant now) {
        Map<String, AttributeValue> state = get(STATE).orElse(Map.of());
        return switch (text(state, "phase").orElse("IDLE")) {
            case "RUNNING" -> Instant.ofEpochMilli(number(state, "leaseExpiresAt").orElse(0L)).isAfter(now)
                    ? Phase.RUNNING : Phase.RUNNING_EXPIRED;
            case "COMPLETED" -> Phase.COMPLETED;
            case "FAILED" -> Phase.FAILED;
            default -> Phase.IDLE;
        };
    }

    /** A read-only account of the lease, for the dry run. */
    public String describeLease(Instant now) {
        Map<String, AttributeValue> state = get(STATE).orElse(Map.of());
        String phase = text(state, "phase").orElse("IDLE");
        String runId = text(state, "runId").orElse("none");
        return switch (phase) {
            case "RUNNING" -> Instant.ofEpochMilli(number(state, "leaseExpiresAt").orElse(0L)).isAfter(now)
                    ? "lease held by run " + runId + ": a failover now would be a duplicate"
                    : "lease of run " + runId + " expired: a failover now would resume it";
            case "COMPLETED" -> "plan already failed over in run " + runId + ": a failover now would do nothing";
            case "FAILED" -> "last run " + runId + " failed: only an operator's failover would resume it";
            default -> "lease free: a failover now would start a new run";
        };
    }

    /**
     * Ends the run's hold on the plan. Conditional on still owning the lease, so a run whose lease expired and was
     * taken over cannot overwrite its successor's state. A refused run leaves the plan IDLE: a later trigger may
     * try again when the guard allows.
     */
    public void release(String runId, String owner, RunKind kind, RunState outcome, Instant now) {
        boolean failedBack = kind == RunKind.FAILBACK && outcome == RunState.COMPLETED;
        boolean completed = outcome == RunState.COMPLETED;
        String phase = switch (outcome) {
            // A completed failback re-arms the plan, one generation on; a completed failover waits for failback.
            case COMPLETED -> failedBack ? "IDLE" : "COMPLETED";
            case FAILED -> "FAILED";
            case REFUSED, RUNNING -> kind == RunKind.FAILBACK ? "COMPLETED" : "IDLE";
        };
        String generation = (failedBack ? ", generation = if_not_exists(generation, :zero) + :one" : "")
                + (completed ? ", cooldownUntil = :cooldown, cooldownRefused = :false" : "");
        // DynamoDB rejects expression values that the expression does not use.
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":phase", s(phase), ":now", s(now.toString()),
                ":one", n(1), ":run", s(runId), ":owner", s(owner)));
        if (failedBack) {
            values.put(":zero", n(0));
        }
        if (completed) {
            values.put(":cooldown", n(now.plus(config.cooldown()).toEpochMilli()));
            values.put(":false", AttributeValue.fromBool(false));
        }
        try {
            aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                    .key(key(STATE))
                    .updateExpression("SET phase = :phase, updatedAt = :now, version = version + :one" + generation
                            + " REMOVE leaseOwner, leaseExpiresAt")
                    .conditionExpression("runId = :run AND leaseOwner = :owner")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("lost the lease of run " + runId + " before releasing it", e);
        }
    }

    /**
     * Saves a run's place when the invocation is about to end: the run stays RUNNING, but its lease ends now, so
     * the next trigger (the schedule, an alarm, an RDS event, an operator) resumes it at once from the journal.
     */
    public void pause(String runId, String owner, Instant now) {
        try {
            aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                    .key(key(STATE))
                    .updateExpression("SET leaseExpiresAt = :now, updatedAt = :at, version = version + :one")
                    .conditionExpression("runId = :run AND leaseOwner = :owner")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":at", s(now.toString()),
                            ":one", n(1), ":run", s(runId), ":owner", s(owner))));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("lost the lease of run " + runId + " before pausing it", e);
        }
    }

    public void startRun(String runId, FailoverRequest request, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key("RUN#" + runId));
        item.put("runId", s(runId));
        item.put("state", s(RunState.RUNNING.name()));
        item.put("trigger", s(request.trigger().kind().name()));
        item.put("triggerDetail", s(request.trigger().description()));
        item.put("requestedBy", s(request.trigger().requestedBy()));
        item.put("reason", s(request.reason()));
        item.put("force", AttributeValue.fromBool(request.force()));
        item.put("verdict", s(request.verdict() == null ? "none" : request.verdict().summary()));
        item.put("startedAt", s(now.toString()));
        try {
            aws.dynamoDb().putItem(put -> put.tableName(config.journalTable()).item(item)
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException resumed) {
            // The run already has its header: this invocation resumes it.
        }
    }

    public void finishRun(String runId, RunState state, String summary, Double dataLossWindowSeconds,
            Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":state", s(state.name()));
        values.put(":summary", s(summary));
        values.put(":now", s(now.toString()));
        String update = "SET #state = :state, summary = :summary, endedAt = :now";
        if (dataLossWindowSeconds != null) {
            values.put(":loss", n(dataLossWindowSeconds));
            update += ", dataLossWindowSeconds = :loss";
        }
        String expression = update;
        aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                .key(key("RUN#" + runId))
                .updateExpression(expression)
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(values));
    }

    /** True for the first refusal within a cooldown (it is notified), false afterwards; one conditional write. */
    private boolean markCooldownRefusal(long version) {
        try {
            aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                    .key(key(STATE))
                    .updateExpression("SET cooldownRefused = :true")
                    .conditionExpression("version = :version AND (attribute_not_exists(cooldownRefused) "
                            + "OR cooldownRefused = :false)")
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":false",
                            AttributeValue.fromBool(false), ":version", n(version))));
            return true;
        } catch (ConditionalCheckFailedException alreadyTold) {
            return false;
        }
    }

    /** An operator's acknowledgement ends the cooldown: automatic failovers are armed again. */
    public void endCooldown(Instant now) {
        aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                .key(key(STATE))
                .updateExpression("SET cooldownUntil = :now, updatedAt = :at")
                .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":at", s(now.toString()))));
    }

    /** The pair's generation: how many failbacks have completed (see DatabasePairs). */
    public int generation() {
        return get(STATE).flatMap(item -> number(item, "generation")).orElse(0L).intValue();
    }

    /** {@code position}: the step's place in its run, which orders the journal's timeline. */
    public void recordStep(String runId, int position, StepRecord step) {
        Map<String, AttributeValue> item = new HashMap<>(key(stepKey(runId, position, step.name())));
        item.put("step", s(step.name().name()));
        item.put("status", s(step.status().name()));
        item.put("startedAt", s(step.startedAt().toString()));
        if (step.endedAt() != null) {
            item.put("endedAt", s(step.endedAt().toString()));
            item.put("durationMs", n(step.durationMillis()));
        }
        item.put("detail", s(step.detail()));
        if (step.warning() != null) {
            item.put("warning", s(step.warning()));
        }
        aws.dynamoDb().putItem(put -> put.tableName(config.journalTable()).item(item));
    }

    /** The run's steps in workflow order, as journaled so far. */
    public List<StepRecord> steps(String runId) {
        QueryResponse response = aws.dynamoDb().query(query -> query.tableName(config.journalTable())
                .consistentRead(true)
                .keyConditionExpression("pk = :plan AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":plan", s(partition()), ":prefix", s("RUN#" + runId + "#STEP#"))));
        List<StepRecord> steps = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            steps.add(new StepRecord(StepName.valueOf(item.get("step").s()), StepStatus.valueOf(item.get("status").s()),
                    Instant.parse(item.get("startedAt").s()),
                    text(item, "endedAt").map(Instant::parse).orElse(null),
                    text(item, "detail").orElse(""), text(item, "warning").orElse(null)));
        }
        return steps;
    }

    public Optional<Map<String, AttributeValue>> run(String runId) {
        return get("RUN#" + runId);
    }

    /** Counts a failing evaluation (atomically) or resets the count; returns the consecutive failures now. */
    public int recordEvaluation(boolean failing, String verdict, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":verdict", s(verdict));
        values.put(":now", s(now.toString()));
        String update;
        if (failing) {
            update = "SET lastVerdict = :verdict, lastEvaluatedAt = :now ADD consecutiveFailures :one";
            values.put(":one", n(1));
        } else {
            update = "SET lastVerdict = :verdict, lastEvaluatedAt = :now, consecutiveFailures = :zero";
            values.put(":zero", n(0));
        }
        Map<String, AttributeValue> updated = aws.dynamoDb().updateItem(request -> request
                .tableName(config.journalTable())
                .key(key(HEALTH))
                .updateExpression(update)
                .expressionAttributeValues(values)
                .returnValues("ALL_NEW")).attributes();
        return number(updated, "consecutiveFailures").orElse(0L).intValue();
    }

    public int consecutiveFailures() {
        return get(HEALTH).flatMap(item -> number(item, "consecutiveFailures")).orElse(0L).intValue();
    }

    /**
     * Keeps the latest readiness document and returns whether the plan was ready before it (empty the first time),
     * in one atomic update, so a regression is noticed exactly once.
     */
    public Optional<Boolean> recordReadiness(boolean ready, String document, Instant now) {
        Map<String, AttributeValue> old = aws.dynamoDb().updateItem(request -> request
                .tableName(config.journalTable())
                .key(key("READINESS"))
                .updateExpression("SET ready = :ready, #document = :document, evaluatedAt = :now")
                .expressionAttributeNames(Map.of("#document", "document"))
                .expressionAttributeValues(Map.of(":ready", AttributeValue.fromBool(ready), ":document", s(document),
                        ":now", s(now.toString())))
                .returnValues("ALL_OLD")).attributes();
        AttributeValue before = old == null ? null : old.get("ready");
        return before == null || before.bool() == null ? Optional.empty() : Optional.of(before.bool());
    }

    /** An alarm transition that is not acted on, kept for the audit trail (expires after 30 days). */
    public void recordSignal(String alarmName, String state, String previous, String timestamp, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key("SIGNAL#" + now + "#" + alarmName));
        item.put("alarmName", s(alarmName));
        item.put("state", s(state));
        item.put("previousState", s(previous));
        item.put("alarmTimestamp", s(timestamp));
        item.put("expiresAt", n(now.plus(Duration.ofDays(30)).getEpochSecond()));
        aws.dynamoDb().putItem(put -> put.tableName(config.journalTable()).item(item));
    }

    private static String stepKey(String runId, int position, StepName step) {
        return String.format("RUN#%s#STEP#%02d#%s", runId, position, step.name());
    }

    /** Sorts by time, so the journal lists runs in the order they started. */
    private static String newRunId(Instant now) {
        return RUN_ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Optional<Map<String, AttributeValue>> get(String sortKey) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(request -> request
                .tableName(config.journalTable()).key(key(sortKey)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private Map<String, AttributeValue> key(String sortKey) {
        return Map.of("pk", s(partition()), "sk", s(sortKey));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value == null ? "" : value);
    }

    private static AttributeValue n(Number value) {
        return AttributeValue.fromN(value.toString());
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? Optional.empty() : Optional.of(value.s());
    }

    private static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? Optional.empty()
                : Optional.of((long) Double.parseDouble(value.n()));
    }
}
