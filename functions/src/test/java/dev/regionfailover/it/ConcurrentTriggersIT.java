package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.event.AlarmSignal;
import dev.regionfailover.event.EventBridgeEnvelope;
import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Exactly once: 1,000 triggers at the same moment (alarms, schedule ticks and operator orders, mixed), as many
 * Lambda instances would deliver them during an outage, produce exactly one promotion and one DNS change. Every
 * other trigger answers quickly with its reason. Each call here stands for one Lambda invocation: its own owner
 * id, on its own thread, through the service that the handlers call.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "handler", value = "alarm"))
class ConcurrentTriggersIT {

    private static final int TRIGGERS = 1000;
    private static final int INSTANCES = 32;

    @Inject
    FailoverService service;

    @Test
    void aThousandConcurrentTriggersPromoteExactlyOnce() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));
            AwsCallRecorder.clear();
            ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < TRIGGERS; i++) {
                int trigger = i;
                results.add(instances.submit(() -> invoke(trigger)));
            }
            Map<String, Integer> outcomes = new TreeMap<>();
            List<Long> duplicateMillis = new ArrayList<>();
            for (Future<Result> result : results) {
                Result done = result.get(5, TimeUnit.MINUTES);
                outcomes.merge(done.outcome(), 1, Integer::sum);
                if (!done.outcome().equals("COMPLETED")) {
                    duplicateMillis.add(done.millis());
                }
            }
            instances.shutdown();

            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"), outcomes.toString());
            assertEquals(1, AwsCallRecorder.count("ChangeResourceRecordSets"), outcomes.toString());
            assertEquals(1, outcomes.getOrDefault("COMPLETED", 0), outcomes.toString());
            assertTrue(List.of("ALREADY_DONE", "COMPLETED", "DUPLICATE", "EVALUATED").containsAll(outcomes.keySet()),
                    outcomes.toString());
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(1, world.journal().stream().filter(item -> item.get("sk").s().matches("RUN#[^#]+")).count());
            assertEquals(1, world.receiveNotifications().size());
            Collections.sort(duplicateMillis);
            // The figure for docs/reliability.md; the assertions above are the test.
            System.out.printf("RELIABILITY exactly-once: %d triggers, %s, duplicate handling p50 %d ms, p99 %d ms%n",
                    TRIGGERS, outcomes, percentile(duplicateMillis, 50), percentile(duplicateMillis, 99));
        }
    }

    private record Result(String outcome, long millis) {
    }

    private Result invoke(int trigger) {
        long started = System.nanoTime();
        String owner = "instance-" + trigger;
        HandlerResponse response = switch (trigger % 3) {
            case 0 -> service.onAlarm(new AlarmSignal(Topology.WATCHED_ALARMS.get(0), "", Topology.PRIMARY_REGION,
                    Topology.ACCOUNT, AlarmSignal.AlarmState.ALARM, AlarmSignal.AlarmState.OK, "outage", "",
                    AlarmSignal.Shape.EVENTBRIDGE), Deadline.unbounded(), owner);
            case 1 -> service.onSchedule(new EventBridgeEnvelope("tick-" + trigger, "aws.events", "Scheduled Event",
                    Topology.ACCOUNT, Topology.STANDBY_REGION, "", new ObjectMapper().createObjectNode()),
                    Deadline.unbounded(), owner);
            default -> service.onOperator(new OperatorCommand(OperatorCommand.Action.FAILOVER, "outage drill",
                    false, false, "oncall", "regionfailover.operator", Topology.ACCOUNT, "op-" + trigger),
                    Deadline.unbounded(), owner);
        };
        return new Result(response.outcome(), (System.nanoTime() - started) / 1_000_000);
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }
}
