package dev.regionfailover.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every file of events/ through the packaged function, as {@code sam local invoke -e} would pass it: each with
 * its handler, against the local emulator, in an order that gives each its meaning (an RDS pair from its first
 * alarm to its failback, then an Aurora global database for the RDS events), and each outcome checked. A file
 * that this table does not name fails the check, so a new event file comes with its expected answer. The
 * put-events entries files are checked to deliver exactly their invocation file's event.
 */
public final class EventFiles {

    private record Call(String file, String handler, String outcome, Consumer<Topology> before) {

        Call(String file, String handler, String outcome) {
            this(file, handler, outcome, world -> { });
        }
    }

    /** An RDS instance pair with reader routing: every operator and alarm event, in a failover's order. */
    private static final List<Call> RDS = List.of(
            new Call("alarm-ok.json", "alarm", "RECORDED"),
            new Call("alarm-eventbridge.json", "alarm", "EVALUATED"),
            new Call("alarm-lambda-action.json", "alarm", "EVALUATED"),
            new Call("schedule.json", "health-check", "EVALUATED"),
            new Call("dry-run.json", "manual-failover", "DRY_RUN"),
            new Call("reader-routing-dry-run.json", "manual-failover", "DRY_RUN"),
            new Call("rds-global-failover-completed.json", "rds-event", "IGNORED"),
            // a planned switchover waits for lag 0; the replica is 4 s behind
            new Call("planned-switchover.json", "manual-failover", "REFUSED"),
            new Call("manual-failover.json", "manual-failover", "COMPLETED"),
            new Call("cooldown-acknowledged.json", "manual-failover", "ACKNOWLEDGED"),
            // no run of this automatic plan waits for approval: the order is read, authorised, and approves nothing
            new Call("failover-approved.json", "manual-failover", "NOT_APPLICABLE"),
            new Call("failback.json", "manual-failover", "COMPLETED",
                    world -> world.reportReplicaLag(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1", 0)));

    /** An Aurora global database: the RDS events resume only a running failover, so here they find none. */
    private static final List<Call> AURORA = List.of(
            new Call("rds-global-failover-completed.json", "rds-event", "NOTHING_TO_RESUME"),
            new Call("rds-switchover-finished.json", "rds-event", "NOTHING_TO_RESUME"),
            new Call("rds-global-failover-failed.json", "rds-event", "NOTHING_TO_RESUME"),
            // seeded with lag 0: a switchover loses nothing
            new Call("planned-switchover.json", "manual-failover", "COMPLETED"));

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path root = ProjectRoot.find();
    private final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        System.exit(new EventFiles().run());
    }

    private int run() throws Exception {
        Path events = root.resolve("events");
        Set<String> named = new TreeSet<>();
        Stream.concat(RDS.stream(), AURORA.stream()).forEach(call -> named.add(call.file()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(events)) {
            files.filter(file -> file.toString().endsWith(".json")).forEach(file -> present.add(file.getFileName()
                    .toString()));
        }
        if (!named.equals(present)) {
            Set<String> unchecked = new TreeSet<>(present);
            unchecked.removeAll(named);
            Set<String> missing = new TreeSet<>(named);
            missing.removeAll(present);
            failures.add("events/ and this check disagree: not checked " + unchecked + ", missing " + missing);
        }
        checkEntriesFiles(events);
        play(new Topology.Options(4, "rds-instance", "record-update", true), RDS);
        play(new Topology.Options(0, "aurora-global", "record-update"), AURORA);
        // bin/invoke runs a native executable instead of function.zip when INVOKE_NATIVE names one (bin/native-verify).
        String nativeExecutable = System.getenv("INVOKE_NATIVE");
        String function = nativeExecutable == null || nativeExecutable.isEmpty() ? "the packaged function"
                : "the native executable " + nativeExecutable + " (verification only, not deployable)";
        System.out.println(failures.isEmpty()
                ? "EVENT FILES PASSED: every file of events/ gave its expected answer from " + function
                : "EVENT FILES FAILED (" + function + "): " + String.join("; ", failures));
        return failures.isEmpty() ? 0 : 1;
    }

    private void play(Topology.Options options, List<Call> calls) throws Exception {
        System.out.println("== " + options.databaseKind() + (options.readers() ? " with reader routing" : ""));
        try (Emulator emulator = Emulator.start(Map.of("EMULATOR_PROMOTION_SECONDS", "1",
                "EMULATOR_GLOBAL_FAILOVER_SECONDS", "1"));
                Topology world = new Topology(emulator.endpoint()).seed(options)) {
            Map<String, String> environment = new LinkedHashMap<>(world.functionEnvironment());
            environment.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            environment.put("AWS_ACCESS_KEY_ID", "events");
            environment.put("AWS_SECRET_ACCESS_KEY", "events");
            environment.put("FAILOVER_TIMEOUTS_POLL_INTERVAL", "PT0.2S");
            // the topology published, as the template does by default: its JSON written and read back (natively too)
            environment.put("FAILOVER_TOPOLOGY_PARAMETERS_PREFIX", Topology.TOPOLOGY_PREFIX);
            PackagedFunction function = new PackagedFunction(root, environment);
            for (Call call : calls) {
                call.before().accept(world);
                PackagedFunction.Invocation invocation = function.invoke(call.handler(), "events/" + call.file());
                boolean ok = invocation.answered() && invocation.outcome().equals(call.outcome());
                System.out.printf("  %-36s %-16s %-18s %s (%d ms)%n", call.file(), call.handler(),
                        invocation.answered() ? invocation.outcome() : "exit " + invocation.exit(),
                        ok ? "as expected" : "EXPECTED " + call.outcome(), invocation.processMillis());
                if (invocation.answered()) {
                    checkLogContext(call, invocation);
                }
                if (!ok) {
                    failures.add(call.file() + " (" + call.handler() + "): expected " + call.outcome() + ", got "
                            + (invocation.answered() ? invocation.outcome() + ": " + invocation.response()
                                    .path("reason").asText() : "exit " + invocation.exit() + " "
                                            + invocation.stderr()) + " (log " + invocation.log() + ")");
                }
            }
        }
    }

    /**
     * Every JSON line our code logs carries the invocation's context in its MDC (plan, handler, Lambda request id),
     * and an invocation that ran a run has lines carrying its run id: what an operator filters on in CloudWatch
     * Logs Insights. None of our lines is at ERROR: every event here has an answer that needs no error, and an
     * error our code caught and logged (a notification that could not be written as JSON, say, in a native image
     * that lacks a reflection registration) would otherwise pass unseen behind the expected outcome.
     */
    private void checkLogContext(Call call, PackagedFunction.Invocation invocation) throws IOException {
        List<String> problems = new ArrayList<>();
        boolean runId = false;
        int ours = 0;
        for (String line : Files.readAllLines(root.resolve(invocation.log()))) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode json = mapper.readTree(line);
            if (!json.path("loggerName").asText().startsWith("dev.regionfailover")) {
                continue;
            }
            ours++;
            JsonNode mdc = json.path("mdc");
            if (!mdc.path("plan").asText().equals(Topology.PLAN) || !mdc.path("handler").asText().equals(call.handler())
                    || mdc.path("requestId").asText().isEmpty()) {
                problems.add("a line without the invocation's context: " + line);
            }
            runId |= !mdc.path("runId").asText().isEmpty();
            if (json.path("level").asText().equals("ERROR")) {
                problems.add("an ERROR line: " + line);
            }
        }
        if (ours == 0) {
            problems.add("no JSON line of ours");
        }
        if (call.outcome().equals("COMPLETED") && !runId) {
            problems.add("no line carries the run id");
        }
        if (!problems.isEmpty()) {
            failures.add(call.file() + " (" + call.handler() + ") log " + invocation.log() + ": " + problems.get(0));
        }
    }

    /** Each put-events/X.json delivers events/X.json: the same source, detail-type and detail. */
    private void checkEntriesFiles(Path events) throws IOException {
        try (Stream<Path> files = Files.list(events.resolve("put-events"))) {
            for (Path entries : files.sorted().toList()) {
                String name = entries.getFileName().toString();
                Path delivered = events.resolve(name);
                if (!Files.exists(delivered)) {
                    failures.add("put-events/" + name + " has no events/" + name + " to compare with");
                    continue;
                }
                JsonNode entry = mapper.readTree(entries.toFile()).path(0);
                JsonNode event = mapper.readTree(delivered.toFile());
                boolean same = entry.path("Source").asText().equals(event.path("source").asText())
                        && entry.path("DetailType").asText().equals(event.path("detail-type").asText())
                        && mapper.readTree(entry.path("Detail").asText()).equals(event.path("detail"));
                System.out.printf("  put-events/%-36s %s%n", name, same ? "delivers events/" + name
                        : "DIFFERS from events/" + name);
                if (!same) {
                    failures.add("put-events/" + name + " does not deliver events/" + name);
                }
            }
        }
    }
}
