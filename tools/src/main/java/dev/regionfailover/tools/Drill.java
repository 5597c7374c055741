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
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The failover drill: a complete rehearsal against the local emulator, with the packaged function.zip run by
 * bin/invoke under a Lambda runtime API, exactly as Lambda would run it. It seeds a primary in us-east-1 with a
 * replica in us-west-2, rehearses with a dry run, breaks the primary, lets the alarm and the schedule decide, and
 * prints the failover's timeline from the journal and the state of the world after it. Operators' orders go the
 * way they go in production: PutEvents on the stack's operator bus, then the template's own rule (OrderPaths).
 */
public final class Drill {

    /** The drill's hysteresis: counted evaluations at least this far apart ... */
    private static final Duration EVALUATION_INTERVAL = Duration.ofSeconds(2);
    /** ... and FAILED only after failing this long. */
    private static final Duration FAILED_AFTER = Duration.ofSeconds(3);
    private static final Duration HYSTERESIS_WAIT = FAILED_AFTER.plusMillis(500);

    private final ObjectMapper mapper = new ObjectMapper();
    private final StringBuilder report = new StringBuilder();
    private final List<String> failures = new ArrayList<>();
    private final Path root = ProjectRoot.find();
    private PackagedFunction function;
    private OrderPaths orders;

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length > 0 ? List.of(args)
                : List.of("rds-instance", "aurora-global", "reader-routing");
        System.exit(new Drill().run(scenarios));
    }

    private int run(List<String> scenarios) throws Exception {
        line("Region failover drill: plan " + Topology.PLAN + ", " + Topology.PRIMARY_REGION + " -> "
                + Topology.STANDBY_REGION + " and back (local AWS emulator, packaged function.zip)");
        for (String kind : scenarios) {
            line("");
            line("=".repeat(100));
            // reader-routing: an RDS pair whose readers use latency records, moved by health checks alone
            runScenario(kind.equals("reader-routing") ? new Topology.Options(4, "rds-instance", "health-check-switch",
                    true) : new Topology.Options(4, kind, "record-update"));
        }
        line("");
        line(failures.isEmpty()
                ? "DRILL PASSED: " + String.join(", ", scenarios) + ": orders taken on the stack's operator bus only "
                        + "(the default bus and a forced order refused), promoted once, DNS repointed (readers too), "
                        + "people notified, the new writer published, failed back with no data loss, re-armed."
                : "DRILL FAILED: " + String.join("; ", failures));
        Path out = root.resolve("drill-output/drill-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("(report saved to " + root.relativize(out) + ")");
        return failures.isEmpty() ? 0 : 1;
    }

    private void runScenario(Topology.Options options) throws Exception {
        boolean aurora = "aurora-global".equals(options.databaseKind());
        line("SCENARIO " + (options.readers() ? "reader-routing" : options.databaseKind()) + (aurora
                ? ": Aurora global database " + Topology.GLOBAL_CLUSTER
                : ": RDS instance " + Topology.PRIMARY_ID + " with cross-region replica " + Topology.REPLICA_ID)
                + (options.readers() ? "; writers on failover records (health-check-switch), readers on "
                        + Topology.READER_RECORD + " (a latency record per region)" : ""));
        try (Emulator emulator = Emulator.start(Map.of("EMULATOR_PROMOTION_SECONDS", "3",
                "EMULATOR_GLOBAL_FAILOVER_SECONDS", "3"));
                Topology world = new Topology(emulator.endpoint()).seed(options);
                // The order buses and rules of sam-template.yaml with its defaults: DefaultBusOrders=false.
                OrderPaths orders = OrderPaths.deploy(root, world, Map.of("PlanName", Topology.PLAN), Set.of())) {
            this.orders = orders;
            Map<String, String> environment = new java.util.LinkedHashMap<>(world.functionEnvironment());
            environment.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            environment.put("AWS_ACCESS_KEY_ID", "drill");
            environment.put("AWS_SECRET_ACCESS_KEY", "drill");
            environment.put("FAILOVER_TIMEOUTS_POLL_INTERVAL", "PT0.5S");
            // where the template publishes each pair's writer by default (TopologyParametersPrefix)
            environment.put("FAILOVER_TOPOLOGY_PARAMETERS_PREFIX", Topology.TOPOLOGY_PREFIX);
            // Hysteresis in time, as in production but in seconds (the defaults are PT1M and PT2M): the alarm alone
            // cannot fail over; the schedule's evaluation, HYSTERESIS_WAIT later, can.
            environment.put("FAILOVER_HEALTH_EVALUATION_INTERVAL", "PT" + EVALUATION_INTERVAL.toSeconds() + "S");
            environment.put("FAILOVER_HEALTH_FAILED_AFTER", "PT" + FAILED_AFTER.toSeconds() + "S");
            function = new PackagedFunction(root, environment);
            line("emulator: " + emulator.endpoint());
            line("order paths (sam-template.yaml's buses and rules, in the emulator):");
            orders.paths().forEach(path -> line(String.format("  bus %-31s rule %-46s -> %s (%s)", path.bus(),
                    path.rule(), path.function(), path.operatorPath())));
            line("");
            line("BEFORE");
            describeWorld(world);

            line("");
            String dryRunFile = options.readers() ? "events/put-events/reader-routing-dry-run.json"
                    : "events/put-events/dry-run.json";
            line("1. Rehearsal: an operator's dry run, put on the operator bus (aws events put-events --entries file://"
                    + dryRunFile + ")");
            JsonNode dryRun = order(dryRunFile, detail -> detail, null);
            expect("DRY_RUN", dryRun);
            for (JsonNode step : dryRun.path("report").path("steps")) {
                line(String.format("     %-18s %-12s %s", step.path("name").asText(), step.path("status").asText(),
                        abbreviate(step.path("detail").asText(), 150)));
            }
            expectEquals("journal entries after the dry run", 0, world.journal().size());

            line("");
            line("1b. Authority: who may move the database (docs/security.md)");
            String recordBefore = world.dnsAnswer();
            line("     the same order on the default bus (DefaultBusOrders=false):");
            orders.putEvents(root.resolve(dryRunFile), detail -> detail, "default");
            List<OrderPaths.Delivery> unrouted = orders.deliveries();
            line("     -> delivered to " + (unrouted.isEmpty() ? "no function: no rule takes orders there"
                    : unrouted.stream().map(OrderPaths.Delivery::function).toList()));
            expectEquals("functions the default bus delivered an order to", List.of(), unrouted);
            line("     a forced failover (\"force\": true) on the operator bus, the rehearsal right:");
            JsonNode forced = order("events/put-events/manual-failover.json",
                    detail -> detail.put("force", true), null);
            expect("REJECTED", forced);
            line("     " + abbreviate(forced.path("reason").asText(), 160));
            expectEquals("DNS answer after the refused orders", recordBefore, world.dnsAnswer());
            expectEquals("journal entries after the refused orders", 0, world.journal().size());
            // Refusals are told to people (at most once a minute per kind, so the forced order's notice is the one).
            for (String body : world.receiveNotifications()) {
                line("     SNS notification: \"" + mapper.readTree(body).path("Subject").asText() + "\"");
            }
            world.discardNotifications();

            line("");
            line("2. Outage: the primary stops answering; both watched alarms go to ALARM");
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "drill outage"));

            line("");
            line("3. The alarm arrives (events/alarm-eventbridge.json, alarm handler)");
            JsonNode first = invoke("alarm", "events/alarm-eventbridge.json");
            expect("EVALUATED", first);
            line("     verdict: " + abbreviate(first.path("verdict").asText(), 160));

            line("");
            line("4. The next scheduled evaluation, " + HYSTERESIS_WAIT.toSeconds() + " s later (events/schedule.json, "
                    + "health-check handler)");
            Thread.sleep(HYSTERESIS_WAIT.toMillis());
            JsonNode failover = invoke("health-check", "events/schedule.json");
            expect("COMPLETED", failover);
            line("     " + failover.path("reason").asText());
            recoveryTime(failover);

            line("");
            line("5. A late duplicate alarm (events/alarm-lambda-action.json, alarm handler)");
            // ALREADY_DONE, or (Aurora, whose old primary is a healthy secondary again) a verdict short of FAILED:
            // either way no second run.
            String late = invoke("alarm", "events/alarm-lambda-action.json").path("outcome").asText();
            if (!late.equals("ALREADY_DONE") && !late.equals("EVALUATED")) {
                failures.add("the late alarm was answered " + late);
            }
            expectEquals("runs in the journal after the late alarm", 1L, world.journal().stream()
                    .filter(item -> item.get("sk").s().matches("RUN#[^#]+")).count());

            line("");
            line("AFTER THE FAILOVER");
            describeWorld(world);
            expectEquals("DNS answer after the failover", world.standbyWriterEndpoint(), world.dnsAnswer());
            if (options.readers()) {
                expectEquals("reader answer in " + Topology.PRIMARY_REGION + " after the failover",
                        world.standbyReaderEndpoint(), world.readerAnswer(Topology.PRIMARY_REGION));
            }
            notifications(world, "Failover Completed");
            publishedTopology(world, world.standbyWriterEndpoint());

            line("");
            line("6. The primary region recovers; an operator fails back, on the operator bus "
                    + "(events/put-events/failback.json)");
            // What RDS publishes once the new replica in the primary region has caught up with the fenced writer.
            if (aurora) {
                world.reportAuroraLag(Topology.PRIMARY_REGION, Topology.AURORA_PRIMARY, 0);
            } else {
                world.reportReplicaLag(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1", 0);
            }
            JsonNode failback = order("events/put-events/failback.json", detail -> detail, null);
            expect("COMPLETED", failback);
            line("     " + failback.path("reason").asText());
            recoveryTime(failback);

            line("");
            timelines(world);
            line("");
            line("AFTER THE FAILBACK");
            describeWorld(world);
            expectEquals("DNS answer after the failback", aurora ? world.auroraPrimary().endpoint()
                    : world.instance(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1").endpoint().address(),
                    world.dnsAnswer());
            if (options.readers()) {
                expectEquals("reader answer in " + Topology.STANDBY_REGION + " after the failback",
                        world.instance(Topology.STANDBY_REGION, Topology.REPLICA_ID + "-g1").endpoint().address(),
                        world.readerAnswer(Topology.STANDBY_REGION));
            }
            notifications(world, "Failback Completed");
            publishedTopology(world, world.dnsAnswer());
        }
    }

    private JsonNode invoke(String handler, String eventFile) throws IOException, InterruptedException {
        return answer(handler, function.invoke(handler, eventFile));
    }

    /**
     * An operator's order as an operator sends it, PutEvents with an entries file of events/put-events (its Detail
     * edited, its bus replaced unless null), then handed as EventBridge delivered it to the one function whose rule
     * took it, configured as the template configures that function.
     */
    private JsonNode order(String entriesFile, UnaryOperator<ObjectNode> edit, String bus)
            throws IOException, InterruptedException {
        orders.putEvents(root.resolve(entriesFile), edit, bus);
        List<OrderPaths.Delivery> deliveries = orders.deliveries();
        if (deliveries.size() != 1) {
            failures.add(entriesFile + " was delivered to " + deliveries.size() + " functions, not 1");
            return mapper.createObjectNode();
        }
        OrderPaths.Delivery delivery = deliveries.get(0);
        line("     delivered to " + delivery.function() + " (FAILOVER_OPERATOR_PATH=" + delivery.operatorPath() + ")");
        return answer("manual-failover", function.deliver("manual-failover", delivery.event(),
                Map.of("FAILOVER_OPERATOR_PATH", delivery.operatorPath())));
    }

    private JsonNode answer(String handler, PackagedFunction.Invocation invocation) {
        if (!invocation.answered()) {
            failures.add(handler + " invocation exited " + invocation.exit());
            line("     invocation failed (exit " + invocation.exit() + "): " + abbreviate(invocation.stderr(), 400));
            return invocation.response();
        }
        line(String.format("     -> %s (process %d ms, %s; function log %s)", invocation.outcome(),
                invocation.processMillis(), invocation.coldStart(), invocation.log()));
        return invocation.response();
    }

    /** Every run in the journal, with each step's start, duration, status and detail. */
    private void timelines(Topology world) {
        List<Map<String, AttributeValue>> items = world.journal();
        List<Map<String, AttributeValue>> runs = items.stream().filter(item -> item.get("sk").s().startsWith("RUN#")
                && !item.get("sk").s().contains("#STEP#")).toList();
        if (runs.isEmpty()) {
            failures.add("no run in the journal");
        }
        for (Map<String, AttributeValue> run : runs) {
            String runId = run.get("runId").s();
            Instant start = Instant.parse(run.get("startedAt").s());
            line("TIMELINE of run " + runId + " (from the journal; t = seconds since the lease was taken)");
            line(String.format("  %-7s %-24s %-13s %9s  %s", "t", "step", "status", "took", "detail"));
            for (Map<String, AttributeValue> step : items) {
                if (!step.get("sk").s().startsWith("RUN#" + runId + "#STEP#")) {
                    continue;
                }
                double at = Duration.between(start, Instant.parse(step.get("startedAt").s())).toMillis() / 1000.0;
                long took = step.containsKey("durationMs") ? Long.parseLong(step.get("durationMs").n()) : -1;
                line(String.format("  %6.2fs %-24s %-13s %7d ms  %s", at, step.get("step").s(),
                        step.get("status").s(), took, abbreviate(step.get("detail").s(), 110)));
                if (step.get("status").s().equals("FAILED") || step.get("status").s().equals("IN_PROGRESS")) {
                    failures.add("step " + step.get("step").s() + " of run " + runId + " ended "
                            + step.get("status").s());
                }
            }
            line(String.format("  run %s: %s", run.get("state").s(), run.containsKey("summary")
                    ? run.get("summary").s() : ""));
            detection(run, items);
            line("");
        }
    }

    /**
     * Detection and decision of a run a failing verdict started: from the streak's first failing evaluation to
     * the verdict (the run's start) and to the promotion asked of AWS (PROMOTE_REPLICA's end).
     */
    private void detection(Map<String, AttributeValue> run, List<Map<String, AttributeValue>> items) {
        if (!run.containsKey("failingSince")) {
            return;
        }
        String runId = run.get("runId").s();
        Instant firstFailing = Instant.parse(run.get("failingSince").s());
        Instant started = Instant.parse(run.get("startedAt").s());
        Instant promotionAsked = items.stream()
                .filter(step -> step.get("sk").s().startsWith("RUN#" + runId + "#STEP#")
                        && step.get("step").s().equals("PROMOTE_REPLICA") && step.containsKey("endedAt"))
                .map(step -> Instant.parse(step.get("endedAt").s())).findFirst().orElse(null);
        double detection = Duration.between(firstFailing, started).toMillis() / 1000.0;
        line(String.format("  DETECTION %.2f s: first failing evaluation %s -> verdict FAILED, run started "
                + "(hysteresis here: evaluations %d s apart, FAILED after %d s; defaults 60 s and 120 s)", detection,
                firstFailing, EVALUATION_INTERVAL.toSeconds(), FAILED_AFTER.toSeconds()));
        if (promotionAsked != null) {
            line(String.format("  DECISION  %.2f s: run started -> promotion requested; first failing signal -> "
                    + "promotion requested: %.2f s", Duration.between(started, promotionAsked).toMillis() / 1000.0,
                    Duration.between(firstFailing, promotionAsked).toMillis() / 1000.0));
        }
        if (Duration.between(firstFailing, started).compareTo(FAILED_AFTER) < 0) {
            failures.add("run " + runId + " started " + detection + " s after the first failing evaluation, before "
                    + "the verdict could be FAILED (" + FAILED_AFTER.toSeconds() + " s)");
        }
    }

    /** The run report's RTO breakdown (FailoverReport.rto), as the notification carries it. */
    private void recoveryTime(JsonNode response) {
        JsonNode rto = response.path("report").path("rto");
        List<String> phases = new ArrayList<>();
        for (String[] phase : new String[][] {{"detectionSeconds", "detection"}, {"decisionSeconds", "decision"},
                {"managedOperationSeconds", "managed operation"}, {"expectedNoticeLagSeconds", "of which notice lag "
                        + "expected"}, {"switchoverSeconds", "DNS switch"}}) {
            if (rto.has(phase[0])) {
                phases.add(String.format("%s %.2f s", phase[1], rto.path(phase[0]).asDouble()));
            }
        }
        if (phases.isEmpty()) {
            failures.add("the run's report has no RTO breakdown: " + abbreviate(response.toString(), 200));
        }
        line("     RTO (run report): " + String.join(" | ", phases));
    }

    private void describeWorld(Topology world) {
        if (world.options().databaseKind().equals("aurora-global")) {
            for (var member : world.globalCluster().globalClusterMembers()) {
                line(String.format("  %-34s %s", member.dbClusterArn().substring(member.dbClusterArn().lastIndexOf(':')
                        + 1) + " (" + member.dbClusterArn().split(":")[3] + ")", Boolean.TRUE.equals(member.isWriter())
                                ? "writer of " + Topology.GLOBAL_CLUSTER : "secondary"));
            }
        } else {
            for (DBInstance instance : world.instances()) {
                line(String.format("  %-34s %-10s %-40s %s", instance.dbInstanceIdentifier() + " ("
                        + instance.availabilityZone().replaceAll("[a-z]$", "") + ")", instance.dbInstanceStatus(),
                        instance.readReplicaSourceDBInstanceIdentifier() == null ? "standalone writer"
                                : "replica of " + instance.readReplicaSourceDBInstanceIdentifier()
                                        .substring(instance.readReplicaSourceDBInstanceIdentifier().lastIndexOf(':') + 1),
                        "security groups " + instance.vpcSecurityGroups().stream()
                                .map(group -> group.vpcSecurityGroupId()).toList()));
            }
        }
        line(String.format("  %-34s answers %s%s", Topology.RECORD, world.dnsAnswer(), world.options().healthCheckSwitch()
                ? " (failover records; switch alarm " + world.switchAlarmState() + ")" : " (CNAME)"));
        if (world.options().readers()) {
            for (String region : List.of(Topology.PRIMARY_REGION, Topology.STANDBY_REGION)) {
                line(String.format("  %-34s answers %s to a client in %s (its reader there: %s, health alarm %s)",
                        Topology.READER_RECORD, world.readerAnswer(region), region,
                        world.readerRecords().getOrDefault(region, "no record"), world.readerAlarmState(region)));
            }
        }
    }

    /** The notifications since the last look: one SNS message and one lifecycle event of the wanted kind. */
    private void notifications(Topology world, String detailType) throws IOException {
        List<String> sns = world.receiveNotifications();
        List<String> events = world.receiveLifecycleEvents();
        for (String body : sns) {
            JsonNode envelope = mapper.readTree(body);
            line("  SNS notification: \"" + envelope.path("Subject").asText() + "\"");
        }
        List<String> detailTypes = new ArrayList<>();
        for (String body : events) {
            detailTypes.add(mapper.readTree(body).path("detail-type").asText());
            line("  EventBridge event: " + detailTypes.get(detailTypes.size() - 1));
        }
        expectEquals("SNS notifications", 1, sns.size());
        // the run's own event, and the published writer's move
        expectEquals("lifecycle events", List.of(detailType, "Topology Changed"),
                detailTypes.stream().sorted().toList());
    }

    /**
     * The topology the run published in Parameter Store, read as a consumer reads it (aws ssm get-parameter):
     * the writer it names must be the one DNS sends clients to, and the primary region's copy the same.
     */
    private void publishedTopology(Topology world, String expectedWriterEndpoint) throws IOException {
        String name = Topology.topologyParameter(Topology.PLAN);
        line("PUBLISHED TOPOLOGY (aws ssm get-parameter --name " + name + ", in " + Topology.STANDBY_REGION + ")");
        String value = world.parameter(Topology.STANDBY_REGION, name);
        if (value == null) {
            failures.add("no topology was published at " + name);
            return;
        }
        JsonNode document = mapper.readTree(value);
        JsonNode writer = document.path("writer");
        line(String.format("  %-10s %s in %s, endpoint %s", "writer", writer.path("id").asText(),
                writer.path("region").asText(), writer.path("endpoint").asText()));
        line(String.format("  %-10s %s in %s", "standby", document.path("standby").path("id").asText(),
                document.path("standby").path("region").asText()));
        line(String.format("  %-10s generation %d, phase %s, %s; last run %s (%s %s)", "state",
                document.path("generation").asInt(), document.path("phase").asText(),
                document.path("settled").asBoolean() ? "settled" : "NOT settled: " + document.path("notes"),
                document.path("lastRun").path("id").asText(), document.path("lastRun").path("kind").asText(),
                document.path("lastRun").path("outcome").asText()));
        String endpoint = world.parameter(Topology.STANDBY_REGION, name + "/writer-endpoint");
        line("  " + name + "/writer-endpoint = " + endpoint + "   ({{resolve:ssm:" + name + "/writer-endpoint}})");
        expectEquals("published writer endpoint", expectedWriterEndpoint, endpoint);
        expectEquals("published topology settled", true, document.path("settled").asBoolean());
        expectEquals("the primary region's copy of the topology", value,
                world.parameter(Topology.PRIMARY_REGION, name));
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
