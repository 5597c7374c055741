package dev.regionfailover.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Cadence;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.failover.StepStatus;
import dev.regionfailover.failover.Trigger;
import dev.regionfailover.health.HealthHistory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The journal in DynamoDB. Items under partition key {@code pk = plan} (or a pair's own partition):
 * <ul>
 * <li>{@code STATE}: phase, the current run's definition (kind, flags, mode, generation, target, trigger), lease
 * owner and expiry, cooldown, generation, and a version that every change compares and increments;</li>
 * <li>{@code RUN#<runId>}: the run's header: its definition, verdict, state and timing;</li>
 * <li>{@code RUN#<runId>#STEP#<nn>}: one item per step with start, end, status and detail;</li>
 * <li>{@code HEALTH}: the failing streak (hysteresis that survives cold starts), versioned;</li>
 * <li>{@code SIGNAL#<time>#<alarm>}: alarm transitions recorded without being acted on.</li>
 * </ul>
 */
@ApplicationScoped
public class DynamoJournalStore implements JournalStore {

    private static final Logger LOG = Logger.getLogger(DynamoJournalStore.class);

    private static final String STATE = "STATE";
    private static final String HEALTH = "HEALTH";
    private static final String RDS_EVENT = "RDS-EVENT#";
    /** How often a conditional write of the health streak is tried again after losing a race. */
    private static final int HEALTH_WRITE_ATTEMPTS = 5;

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    /** The partition key of this view; the plan's own when null. Health and readiness are plan-wide. */
    private String partition;

    @Override
    public JournalStore forPartition(String partitionKey) {
        if (partitionKey.equals(config.plan())) {
            return this;
        }
        DynamoJournalStore view = new DynamoJournalStore();
        view.aws = aws;
        view.config = config;
        view.partition = partitionKey;
        return view;
    }

    private String partition() {
        return partition == null ? config.plan() : partition;
    }

    @Override
    public Lifecycle.PlanState state() {
        Map<String, AttributeValue> state = get(STATE).orElse(Map.of());
        if (state.isEmpty()) {
            return Lifecycle.PlanState.initial();
        }
        return new Lifecycle.PlanState(
                Lifecycle.Phase.valueOf(text(state, "phase").orElse("IDLE")),
                text(state, "runId").filter(id -> !id.isEmpty()).map(id -> spec(id, state)),
                text(state, "leaseOwner").orElse(null),
                Instant.ofEpochMilli(number(state, "leaseExpiresAt").orElse(0L)),
                Instant.ofEpochMilli(number(state, "cooldownUntil").orElse(0L)),
                Optional.ofNullable(state.get("cooldownRefused")).map(AttributeValue::bool).orElse(false),
                number(state, "generation").orElse(0L).intValue(),
                number(state, "version").orElse(0L));
    }

    /**
     * The persisted run definition. A STATE item written before runs were persisted whole lacks the flags: they
     * read as an automatic, unforced, unplanned failover of the configured mode, with no approval (there was none
     * then), which is what such runs were.
     */
    private Lifecycle.RunSpec spec(String runId, Map<String, AttributeValue> state) {
        return new Lifecycle.RunSpec(runId,
                RunKind.valueOf(text(state, "runKind").orElse(RunKind.FAILOVER.name())),
                flag(state, "runForce"), flag(state, "runPlanned"),
                text(state, "runMode").map(FailoverConfig.FailoverMode::valueOf).orElse(config.mode()),
                number(state, "runGeneration").orElse(number(state, "generation").orElse(0L)).intValue(),
                text(state, "runTarget").orElse(""),
                new Trigger(text(state, "runTrigger").map(Trigger.Kind::valueOf).orElse(Trigger.Kind.SCHEDULE),
                        text(state, "runTriggerDetail").orElse(""), text(state, "runRequestedBy").orElse("")),
                text(state, "runReason").orElse(""),
                text(state, "runStartedAt").map(Instant::parse).orElse(Instant.EPOCH),
                flag(state, "runApprovalRequired"));
    }

    @Override
    public boolean start(Lifecycle.RunSpec run, String owner, long version, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", s("RUNNING"));
        values.put(":run", s(run.runId()));
        values.put(":owner", s(owner));
        values.put(":expires", n(now.plus(config.timeouts().lease()).toEpochMilli()));
        values.put(":now", s(now.toString()));
        values.put(":next", n(version + 1));
        values.put(":kind", s(run.kind().name()));
        values.put(":force", AttributeValue.fromBool(run.force()));
        values.put(":planned", AttributeValue.fromBool(run.planned()));
        values.put(":mode", s(run.mode().name()));
        values.put(":generation", n(run.generation()));
        values.put(":target", s(run.target()));
        values.put(":trigger", s(run.startedBy().kind().name()));
        values.put(":triggerDetail", s(run.startedBy().description()));
        values.put(":requestedBy", s(run.startedBy().requestedBy()));
        values.put(":reason", s(run.reason()));
        values.put(":startedAt", s(run.startedAt().toString()));
        values.put(":approval", AttributeValue.fromBool(run.approvalRequired()));
        String condition;
        if (version == 0) {
            // A STATE item that only an acknowledgement has written so far has no version yet.
            condition = "attribute_not_exists(version) OR version = :version";
        } else {
            condition = "version = :version";
        }
        values.put(":version", n(version));
        return conditionally(run.runId(), owner, version + 1, request -> request.tableName(config.journalTable())
                .key(key(STATE))
                .updateExpression("SET phase = :running, runId = :run, runKind = :kind, runForce = :force, "
                        + "runPlanned = :planned, runMode = :mode, runGeneration = :generation, runTarget = :target, "
                        + "runTrigger = :trigger, runTriggerDetail = :triggerDetail, runRequestedBy = :requestedBy, "
                        + "runReason = :reason, runStartedAt = :startedAt, runApprovalRequired = :approval, "
                        + "leaseOwner = :owner, "
                        + "leaseExpiresAt = :expires, updatedAt = :now, version = :next")
                .conditionExpression(condition)
                .expressionAttributeValues(values));
    }

    @Override
    public boolean resume(String runId, String owner, long version, Instant now) {
        return conditionally(runId, owner, version + 1, request -> request.tableName(config.journalTable())
                .key(key(STATE))
                .updateExpression("SET phase = :running, leaseOwner = :owner, leaseExpiresAt = :expires, "
                        + "updatedAt = :now, version = :next")
                .conditionExpression("runId = :run AND version = :version")
                .expressionAttributeValues(Map.of(":running", s("RUNNING"), ":owner", s(owner),
                        ":expires", n(now.plus(config.timeouts().lease()).toEpochMilli()), ":now", s(now.toString()),
                        ":next", n(version + 1), ":run", s(runId), ":version", n(version))));
    }

    /**
     * Takes the lease for {@code runId} with one conditional write. A failed condition is not always a rival: when
     * an attempt's write was applied and its answer lost (a timeout, a dropped connection, a 5xx after the write),
     * the SDK's retry meets our own write and fails the condition. Taken as lost, the run would not act, yet hold
     * the lease for its whole length, and a failover would wait that long. So a failed condition is read back
     * (strongly consistent): the lease is ours exactly when the state shows our write, this run, this owner (the
     * Lambda request id, which no rival shares) and the version we wrote.
     */
    private boolean conditionally(String runId, String owner, long writtenVersion,
            Consumer<UpdateItemRequest.Builder> update) {
        if (conditionally(update)) {
            return true;
        }
        Map<String, AttributeValue> state = get(STATE).orElse(Map.of());
        boolean ours = text(state, "runId").filter(runId::equals).isPresent()
                && text(state, "leaseOwner").filter(owner::equals).isPresent()
                && number(state, "version").filter(version -> version == writtenVersion).isPresent();
        if (ours) {
            LOG.infof("run %s: the lease write was applied and its answer lost; the retry found it ours", runId);
        }
        return ours;
    }

    /**
     * One conditional write: false when its condition fails. For the health streak a lost answer needs no read
     * back: the loop reads the streak again, and an evaluation already recorded at that moment is not counted twice.
     */
    private boolean conditionally(Consumer<UpdateItemRequest.Builder> update) {
        try {
            aws.dynamoDb().updateItem(update);
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /**
     * Ends the run's hold on the plan. Conditional on still owning the lease, so a run whose lease expired and was
     * taken over cannot overwrite its successor's state. A refused run leaves the plan IDLE: a later trigger may
     * try again when the guard allows.
     */
    @Override
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
            // The retry of a release that was applied and whose answer was lost finds no lease owner: it is done.
            Map<String, AttributeValue> state = get(STATE).orElse(Map.of());
            boolean released = text(state, "runId").filter(runId::equals).isPresent()
                    && text(state, "leaseOwner").isEmpty() && text(state, "phase").filter(phase::equals).isPresent();
            if (!released) {
                throw new IllegalStateException("lost the lease of run " + runId + " before releasing it", e);
            }
        }
    }

    /**
     * Saves a run's place when the invocation is about to end: the run stays RUNNING, but its lease ends now, so
     * the next trigger (the schedule, an alarm, an RDS event, an operator) resumes it at once from the journal.
     */
    @Override
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

    @Override
    public void startRun(Lifecycle.RunSpec run, String verdict, Instant failingSince, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key("RUN#" + run.runId()));
        item.put("runId", s(run.runId()));
        item.put("kind", s(run.kind().name()));
        item.put("state", s(RunState.RUNNING.name()));
        item.put("trigger", s(run.startedBy().kind().name()));
        item.put("triggerDetail", s(run.startedBy().description()));
        item.put("requestedBy", s(run.startedBy().requestedBy()));
        item.put("reason", s(run.reason()));
        item.put("force", AttributeValue.fromBool(run.force()));
        item.put("planned", AttributeValue.fromBool(run.planned()));
        item.put("mode", s(run.mode().name()));
        item.put("generation", n(run.generation()));
        item.put("target", s(run.target()));
        item.put("verdict", s(verdict));
        if (failingSince != null) {
            item.put("failingSince", s(failingSince.toString()));
        }
        item.put("startedAt", s(now.toString()));
        try {
            aws.dynamoDb().putItem(put -> put.tableName(config.journalTable()).item(item)
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException resumed) {
            // The run already has its header: this invocation resumes it.
        }
    }

    @Override
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

    /**
     * One item per source in the plan's own partition, whatever this store's pair: the rds-event function knows the
     * event's source, not which pair's run waits for it, and the wait knows the cluster it waits on.
     */
    @Override
    public void noteRdsEvent(String source, Cadence.Told told, Instant now) {
        aws.dynamoDb().putItem(request -> request.tableName(config.journalTable())
                .item(Map.of("pk", s(config.plan()), "sk", s(RDS_EVENT + source), "rdsEvent", s(told.what()),
                        "rdsEventAt", s(told.at().toString()), "notedAt", s(now.toString()))));
    }

    @Override
    public Optional<Cadence.Told> latestRdsEvent(String source) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(request -> request.tableName(config.journalTable())
                .key(Map.of("pk", s(config.plan()), "sk", s(RDS_EVENT + source))).consistentRead(true)
                .projectionExpression("rdsEvent, rdsEventAt")).item();
        if (item == null || !item.containsKey("rdsEvent")) {
            return Optional.empty();
        }
        return Optional.of(new Cadence.Told(item.get("rdsEvent").s(), Instant.parse(item.get("rdsEventAt").s())));
    }

    @Override
    public Optional<Approval> approval(String runId) {
        return get("RUN#" + runId).filter(run -> run.containsKey("approvalExpiresAt")).map(run -> new Approval(
                text(run, "approvalRequestedAt").map(Instant::parse).orElse(Instant.EPOCH),
                Instant.ofEpochMilli(number(run, "approvalExpiresAt").orElseThrow()), flag(run, "approvalTold"),
                text(run, "approvedBy"), text(run, "approvedAt").map(Instant::parse)));
    }

    @Override
    public void approvalTold(String runId) {
        updateRunIf(runId, "SET approvalTold = :true", "attribute_exists(approvalExpiresAt)",
                Map.of(":true", AttributeValue.fromBool(true)));
    }

    @Override
    public Approval requestApproval(String runId, Instant now, Instant expiresAt) {
        // A failed condition: an earlier invocation of the run asked (or this one did, and the answer was lost).
        // That request stands.
        updateRunIf(runId, "SET approvalRequestedAt = :now, approvalExpiresAt = :expires",
                "attribute_exists(pk) AND attribute_not_exists(approvalExpiresAt)",
                Map.of(":now", s(now.toString()), ":expires", n(expiresAt.toEpochMilli())));
        return approval(runId).orElseThrow(() -> new IllegalStateException("run " + runId
                + " has no header item to record its approval request on"));
    }

    @Override
    public Grant approve(String runId, String approvedBy, Instant now) {
        if (updateRunIf(runId, "SET approvedBy = :by, approvedAt = :at",
                "attribute_exists(approvalExpiresAt) AND approvalExpiresAt > :now AND attribute_not_exists(approvedAt)",
                Map.of(":by", s(approvedBy), ":at", s(now.toString()), ":now", n(now.toEpochMilli())))) {
            return Grant.GRANTED;
        }
        // Read back why (a lost answer to our own write reads as granted before).
        Optional<Approval> approval = approval(runId);
        return approval.isEmpty() ? Grant.NOT_REQUESTED
                : approval.get().granted() ? Grant.ALREADY_GRANTED : Grant.EXPIRED;
    }

    /** One conditional update of a run's header item; false when the condition failed. */
    private boolean updateRunIf(String runId, String update, String condition, Map<String, AttributeValue> values) {
        try {
            aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                    .key(key("RUN#" + runId))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException failed) {
            return false;
        }
    }

    @Override
    public boolean markCooldownRefusal(long version) {
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

    @Override
    public void endCooldown(Instant now) {
        aws.dynamoDb().updateItem(request -> request.tableName(config.journalTable())
                .key(key(STATE))
                .updateExpression("SET cooldownUntil = :now, updatedAt = :at")
                .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":at", s(now.toString()))));
    }

    @Override
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

    @Override
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

    @Override
    public HealthHistory healthHistory() {
        return get(HEALTH).map(DynamoJournalStore::history).orElse(HealthHistory.none());
    }

    private static HealthHistory history(Map<String, AttributeValue> item) {
        AttributeValue ids = item.get("recentEventIds");
        return new HealthHistory(text(item, "failingSince").map(Instant::parse).orElse(null),
                text(item, "lastCountedAt").map(Instant::parse).orElse(null),
                number(item, "countedFailures").orElse(0L).intValue(),
                ids == null || !ids.hasL() ? List.of() : ids.l().stream().map(AttributeValue::s).toList(),
                number(item, "version").orElse(0L));
    }

    @Override
    public HealthHistory recordEvaluation(boolean failing, String verdict, Optional<String> eventId, Instant now,
            Duration interval) {
        for (int attempt = 1;; attempt++) {
            HealthHistory before = healthHistory();
            HealthHistory after = before.next(failing, eventId, now, interval);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":verdict", s(verdict));
            values.put(":now", s(now.toString()));
            values.put(":counted", n(after.counted()));
            values.put(":ids", AttributeValue.fromL(after.recentEventIds().stream().map(DynamoJournalStore::s)
                    .toList()));
            values.put(":version", n(before.version()));
            values.put(":next", n(after.version()));
            String update = "SET lastVerdict = :verdict, lastEvaluatedAt = :now, countedFailures = :counted, "
                    + "recentEventIds = :ids, version = :next";
            if (after.failing()) {
                values.put(":since", s(after.failingSince().toString()));
                values.put(":counted_at", s(after.lastCountedAt().toString()));
                update += ", failingSince = :since, lastCountedAt = :counted_at";
            } else {
                update += " REMOVE failingSince, lastCountedAt";
            }
            String expression = update;
            boolean written = conditionally(request -> request.tableName(config.journalTable())
                    .key(key(HEALTH))
                    .updateExpression(expression)
                    .conditionExpression("attribute_not_exists(version) OR version = :version")
                    .expressionAttributeValues(values));
            if (written) {
                return after;
            }
            if (attempt >= HEALTH_WRITE_ATTEMPTS) {
                // Evaluations at the same moment, each recording itself: they are one evaluation as hysteresis
                // counts them, and the others' record stands for this one.
                return healthHistory();
            }
        }
    }

    /**
     * Keeps the latest readiness document and returns whether the plan was ready before it (empty the first time),
     * in one atomic update, so a regression is noticed exactly once.
     */
    @Override
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

    /** Expires after 30 days. */
    @Override
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

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    private static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? Optional.empty()
                : Optional.of((long) Double.parseDouble(value.n()));
    }
}
