package dev.regionfailover.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The failover drill: a complete rehearsal against the local emulator, with the packaged function.zip run by
 * bin/invoke under a Lambda runtime API, exactly as Lambda would run it. It seeds a primary in us-east-1 with a
 * replica in us-west-2, rehearses with a dry run, breaks the primary, lets the alarm and the schedule decide, and
 * prints the failover's timeline from the journal and the state of the world after it.
 */
public final class Drill {

    private static final Pattern COLD_START = Pattern.compile("cold start to first response: (\\d+) ms");

    private final ObjectMapper mapper = new ObjectMapper();
    private final StringBuilder report = new StringBuilder();
    private final List<String> failures = new ArrayList<>();
    private final Path root = ProjectRoot.find();
    private Map<String, String> functionEnvironment;

    public static void main(String[] args) throws Exception {
        System.exit(new Drill().run());
    }

    private int run() throws Exception {
        line("Region failover drill: plan " + Topology.PLAN + ", " + Topology.PRIMARY_REGION + " -> "
                + Topology.STANDBY_REGION + " (local AWS emulator, packaged function.zip)");
        line("=".repeat(100));
        try (Emulator emulator = Emulator.start(Map.of("EMULATOR_PROMOTION_SECONDS", "3"));
                Topology world = new Topology(emulator.endpoint()).seed(4)) {
            functionEnvironment = new java.util.LinkedHashMap<>(world.functionEnvironment());
            functionEnvironment.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            functionEnvironment.put("AWS_ACCESS_KEY_ID", "drill");
            functionEnvironment.put("AWS_SECRET_ACCESS_KEY", "drill");
            functionEnvironment.put("FAILOVER_TIMEOUTS_POLL_INTERVAL", "PT0.5S");
            line("emulator: " + emulator.endpoint());
            line("");
            line("BEFORE");
            describeWorld(world);

            line("");
            line("1. Rehearsal: an operator's dry run (events/dry-run.json, manual-failover handler)");
            JsonNode dryRun = invoke("manual-failover", "events/dry-run.json");
            expect("DRY_RUN", dryRun);
            for (JsonNode step : dryRun.path("report").path("steps")) {
                line(String.format("     %-18s %-12s %s", step.path("name").asText(), step.path("status").asText(),
                        step.path("detail").asText()));
            }
            expectEquals("journal entries after the dry run", 0, world.journal().size());

            line("");
            line("2. Outage: " + Topology.PRIMARY_ID + " stops answering; both watched alarms go to ALARM");
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "drill outage"));

            line("");
            line("3. The alarm arrives (events/alarm-eventbridge.json, alarm handler)");
            JsonNode first = invoke("alarm", "events/alarm-eventbridge.json");
            expect("EVALUATED", first);
            line("     verdict: " + abbreviate(first.path("verdict").asText(), 160));

            line("");
            line("4. The next scheduled evaluation (events/schedule.json, health-check handler)");
            JsonNode failover = invoke("health-check", "events/schedule.json");
            expect("COMPLETED", failover);
            line("     " + failover.path("reason").asText());

            line("");
            line("5. A late duplicate alarm (events/alarm-lambda-action.json, alarm handler)");
            JsonNode duplicate = invoke("alarm", "events/alarm-lambda-action.json");
            expect("ALREADY_DONE", duplicate);

            line("");
            timeline(world);
            line("");
            line("AFTER");
            describeWorld(world);
            DBInstance replica = world.replica();
            expectEquals("replica link", null, replica.readReplicaSourceDBInstanceIdentifier());
            expectEquals("DNS target", replica.endpoint().address(), world.recordTarget());
            notifications(world);
        }
        line("");
        line(failures.isEmpty() ? "DRILL PASSED: the replica was promoted, DNS repointed, people notified, once."
                : "DRILL FAILED: " + String.join("; ", failures));
        Path out = root.resolve("drill-output/drill-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("(report saved to " + root.relativize(out) + ")");
        return failures.isEmpty() ? 0 : 1;
    }

    private JsonNode invoke(String handler, String eventFile) throws IOException, InterruptedException {
        Path log = root.resolve("drill-output/" + handler + "-" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/invoke").toString(), handler, eventFile)
                .directory(root.toFile());
        builder.environment().putAll(functionEnvironment);
        builder.environment().put("INVOKE_LOG", log.toString());
        Instant started = Instant.now();
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long took = Duration.between(started, Instant.now()).toMillis();
        Matcher cold = COLD_START.matcher(stderr);
        String coldStart = cold.find() ? cold.group(1) + " ms to first response" : "no timing";
        if (exit != 0) {
            failures.add(handler + " invocation exited " + exit);
            line("     invocation failed (exit " + exit + "): " + abbreviate(stderr.strip(), 400));
            return mapper.createObjectNode();
        }
        JsonNode response = mapper.readTree(stdout);
        line(String.format("     -> %s (process %d ms, %s; function log %s)", response.path("outcome").asText(),
                took, coldStart, root.relativize(log)));
        return response;
    }

    private void timeline(Topology world) {
        List<Map<String, AttributeValue>> items = world.journal();
        Map<String, AttributeValue> run = items.stream().filter(item -> item.get("sk").s().startsWith("RUN#")
                && !item.get("sk").s().contains("#STEP#")).findFirst().orElse(null);
        if (run == null) {
            failures.add("no run in the journal");
            line("TIMELINE: no run in the journal");
            return;
        }
        String runId = run.get("runId").s();
        Instant start = Instant.parse(run.get("startedAt").s());
        line("TIMELINE of run " + runId + " (from the journal; t = seconds since the lease was taken)");
        line(String.format("  %-7s %-18s %-13s %9s  %s", "t", "step", "status", "took", "detail"));
        for (Map<String, AttributeValue> step : items) {
            if (!step.get("sk").s().startsWith("RUN#" + runId + "#STEP#")) {
                continue;
            }
            double at = Duration.between(start, Instant.parse(step.get("startedAt").s())).toMillis() / 1000.0;
            long took = step.containsKey("durationMs") ? Long.parseLong(step.get("durationMs").n()) : -1;
            line(String.format("  %6.2fs %-18s %-13s %7d ms  %s", at, step.get("step").s(), step.get("status").s(),
                    took, abbreviate(step.get("detail").s(), 120)));
            if (!step.get("status").s().equals("DONE")) {
                failures.add("step " + step.get("step").s() + " ended " + step.get("status").s());
            }
        }
        line(String.format("  run %s: %s", run.get("state").s(), run.containsKey("summary")
                ? run.get("summary").s() : ""));
    }

    private void describeWorld(Topology world) {
        DBInstance primary = world.primary();
        DBInstance replica = world.replica();
        line(String.format("  %-34s %-10s %s", Topology.PRIMARY_ID + " (" + Topology.PRIMARY_REGION + ")",
                primary.dbInstanceStatus(), "security groups " + primary.vpcSecurityGroups().stream()
                        .map(group -> group.vpcSecurityGroupId()).toList()));
        line(String.format("  %-34s %-10s %s", Topology.REPLICA_ID + " (" + Topology.STANDBY_REGION + ")",
                replica.dbInstanceStatus(), replica.readReplicaSourceDBInstanceIdentifier() == null
                        ? "standalone writer" : "replica of " + replica.readReplicaSourceDBInstanceIdentifier()));
        line(String.format("  %-34s CNAME -> %s", Topology.RECORD, world.recordTarget()));
    }

    private void notifications(Topology world) throws IOException {
        List<String> sns = world.receiveNotifications();
        List<String> events = world.receiveLifecycleEvents();
        for (String body : sns) {
            JsonNode envelope = mapper.readTree(body);
            line("  SNS notification: \"" + envelope.path("Subject").asText() + "\"");
        }
        for (String body : events) {
            line("  EventBridge event: " + mapper.readTree(body).path("detail-type").asText());
        }
        expectEquals("SNS notifications", 1, sns.size());
        expectEquals("lifecycle events", 1, events.size());
    }

    private void expect(String outcome, JsonNode response) {
        expectEquals("outcome", outcome, response.path("outcome").asText());
    }

    private void expectEquals(String what, Object expected, Object actual) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            failures.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
