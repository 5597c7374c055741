package dev.regionfailover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The invariants of issue 10, read back from what the emulator reports (RDS, Route 53), the journal table and
 * the notifications delivered to SQS, after every action of a generated history ({@link EmulatorHistoriesIT}).
 * A broken one throws an AssertionError that names it.
 */
final class EmulatorInvariants {

    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "REFUSED");
    private static final List<String> AUTOMATIC = List.of("ALARM", "SCHEDULE");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Topology world;
    /** A run's definition as first journalled: kind, force, planned, mode, trigger. */
    private final Map<String, String> definitions = new HashMap<>();
    private final Map<String, Integer> promotions = new HashMap<>();
    private final Map<String, Integer> dnsChanges = new HashMap<>();
    private final Map<String, Integer> outcomeNotices = new HashMap<>();
    /** How often a run was seen FAILED and then taken up again (an operator's retry ends it once more). */
    private final Map<String, Integer> retries = new HashMap<>();
    private final Map<String, String> lastState = new HashMap<>();
    private final List<JsonNode> notices = new ArrayList<>();
    private int checks;

    EmulatorInvariants(Topology world) {
        this.world = world;
    }

    int checks() {
        return checks;
    }

    /**
     * Attributes the AWS calls of one invocation to the run the journal names afterwards, and checks the per-run
     * counts: one promotion, one DNS change per direction (a failover's repoint; a failback's repoint and re-arm).
     */
    void afterInvocation(List<String> calls) {
        long promoted = calls.stream().filter(call -> call.endsWith(":PromoteReadReplica")).count();
        long dns = calls.stream().filter(call -> call.endsWith(":ChangeResourceRecordSets")).count();
        if (promoted + dns == 0) {
            return;
        }
        Map<String, AttributeValue> state = stateOf(world.journal());
        if (state == null || !state.containsKey("runId")) {
            throw new AssertionError("promotion or DNS change outside any run: " + calls);
        }
        String run = state.get("runId").s();
        String kind = state.get("runKind").s();
        int promotionsOfRun = promotions.merge(run, (int) promoted, Integer::sum);
        if (promotionsOfRun > 1) {
            throw new AssertionError("run " + run + " (" + kind + ") asked for " + promotionsOfRun + " promotions");
        }
        int dnsOfRun = dnsChanges.merge(run, (int) dns, Integer::sum);
        int allowed = kind.equals("FAILBACK") ? 2 : 1;
        if (dnsOfRun > allowed) {
            throw new AssertionError("run " + run + " (" + kind + ") changed DNS " + dnsOfRun + " times");
        }
    }

    /**
     * Everything checkable at rest, between invocations. {@code published}: whether SNS was called since the last
     * check (the SQS subscriber is read only then: an empty receive long-polls for a second).
     */
    void afterAction(boolean published) {
        checks++;
        // one scan of the journal per check: each costs a round trip to the emulator
        List<Map<String, AttributeValue>> journal = world.journal();
        Map<String, AttributeValue> state = stateOf(journal);
        boolean running = state != null && "RUNNING".equals(state.get("phase").s());
        List<DBInstance> instances = world.instances();
        String target = world.recordTarget();
        for (DBInstance instance : instances) {
            if (instance.endpoint() == null || !instance.endpoint().address().equals(target)) {
                continue;
            }
            if (instance.readReplicaSourceDBInstanceIdentifier() != null) {
                throw new AssertionError("the writer name " + target + " names " + instance.dbInstanceIdentifier()
                        + ", a replica of " + instance.readReplicaSourceDBInstanceIdentifier());
            }
            if (!running && fenced(instance)) {
                throw new AssertionError("at rest (phase " + phase(state) + ") the writer name names "
                        + instance.dbInstanceIdentifier() + ", which our fence holds");
            }
        }
        List<String> unfencedWriters = instances.stream()
                .filter(instance -> instance.readReplicaSourceDBInstanceIdentifier() == null && !fenced(instance))
                .map(DBInstance::dbInstanceIdentifier).toList();
        if (unfencedWriters.size() > 1) {
            throw new AssertionError("more than one unfenced writer: " + unfencedWriters);
        }
        if (published) {
            receiveNotices();
        }
        for (Map<String, AttributeValue> item : journal) {
            String sk = item.get("sk").s();
            if (sk.equals("STATE") && item.containsKey("runId") && !item.get("runId").s().isEmpty()) {
                definitionUnchanged(item.get("runId").s(), define(item, "run"));
                continue;
            }
            if (!sk.startsWith("RUN#") || sk.contains("#STEP#")) {
                continue;
            }
            String run = item.get("runId").s();
            definitionUnchanged(run, define(item, ""));
            String runState = item.get("state").s();
            if ("FAILED".equals(lastState.get(run)) && !"FAILED".equals(runState)) {
                retries.merge(run, 1, Integer::sum);
            }
            lastState.put(run, runState);
            automaticFailoverNeedsAFailedVerdict(run, item);
            neverSilent(run, runState, state);
        }
    }

    private void receiveNotices() {
        for (String body : world.receiveNotifications()) {
            try {
                JsonNode message = mapper.readTree(mapper.readTree(body).get("Message").asText());
                notices.add(message);
                if (message.hasNonNull("runId") && ENDED.contains(message.path("state").asText())) {
                    String run = message.get("runId").asText();
                    int told = outcomeNotices.merge(run, 1, Integer::sum);
                    if (told > 1 + retries.getOrDefault(run, 0)) {
                        throw new AssertionError("run " + run + " notified its outcome " + told + " times, with "
                                + retries.getOrDefault(run, 0) + " retries after it failed: " + message);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void definitionUnchanged(String run, String definition) {
        String first = definitions.putIfAbsent(run, definition);
        if (first != null && !first.equals(definition)) {
            throw new AssertionError("run " + run + " changed its definition from " + first + " to " + definition);
        }
    }

    /** The run's kind and flags, spelt the same from the STATE item (prefix "run") and from its RUN# header. */
    private static String define(Map<String, AttributeValue> item, String prefix) {
        return "kind=" + text(item, prefix.isEmpty() ? "kind" : prefix + "Kind")
                + " force=" + flag(item, prefix.isEmpty() ? "force" : prefix + "Force")
                + " planned=" + flag(item, prefix.isEmpty() ? "planned" : prefix + "Planned")
                + " mode=" + text(item, prefix.isEmpty() ? "mode" : prefix + "Mode")
                + " trigger=" + text(item, prefix.isEmpty() ? "trigger" : prefix + "Trigger");
    }

    private static void automaticFailoverNeedsAFailedVerdict(String run, Map<String, AttributeValue> header) {
        if (header.get("kind").s().equals("FAILOVER") && AUTOMATIC.contains(text(header, "trigger"))
                && !text(header, "verdict").startsWith("FAILED")) {
            throw new AssertionError("automatic run " + run + " started by " + text(header, "trigger")
                    + " on the verdict " + text(header, "verdict"));
        }
    }

    /**
     * A run has ended with its outcome told, or is RUNNING with a lease already given up (paused: the next
     * trigger takes it at once); no invocation is in flight between actions, so a held lease means a lost run.
     */
    private void neverSilent(String run, String runState, Map<String, AttributeValue> state) {
        if (ENDED.contains(runState)) {
            if (!outcomeNotices.containsKey(run)) {
                throw new AssertionError("run " + run + " ended " + runState + " without an outcome notification");
            }
            return;
        }
        if (!runState.equals("RUNNING")) {
            throw new AssertionError("run " + run + " is in an unknown state " + runState);
        }
        if (state == null || !run.equals(text(state, "runId")) || !"RUNNING".equals(phase(state))) {
            throw new AssertionError("run " + run + " is RUNNING but the plan's state is " + state);
        }
        long expires = state.containsKey("leaseExpiresAt") ? Long.parseLong(state.get("leaseExpiresAt").n()) : 0;
        if (expires > System.currentTimeMillis()) {
            throw new AssertionError("run " + run + " is RUNNING between invocations with its lease held until "
                    + expires + ": no later trigger could resume it");
        }
    }

    /** Whether the plan is mid-run (a paused run a later trigger resumes). */
    boolean running() {
        return "RUNNING".equals(phase(stateOf(world.journal())));
    }

    private static Map<String, AttributeValue> stateOf(List<Map<String, AttributeValue>> journal) {
        return journal.stream().filter(item -> item.get("sk").s().equals("STATE")).findFirst().orElse(null);
    }

    private static String phase(Map<String, AttributeValue> state) {
        return state == null ? "none" : text(state, "phase");
    }

    private static boolean fenced(DBInstance instance) {
        return instance.vpcSecurityGroups().stream()
                .anyMatch(group -> group.vpcSecurityGroupId().equals(Topology.FENCE_SECURITY_GROUP));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }
}
