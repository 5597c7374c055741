package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.OrderPaths;
import dev.regionfailover.tools.ProjectRoot;
import dev.regionfailover.tools.Topology;

/**
 * The order paths as sam-template.yaml deploys them (its buses and rules, with its own patterns, put into the
 * emulator by OrderPaths), fed with the entries files operators use (events/put-events): each order reaches the
 * operator-bus function and no other, the default bus takes none while DefaultBusOrders is off, a forced order on
 * the force bus reaches only the force function, and the event as EventBridge delivers it is one the handler acts on.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover") })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateOrderRulesIT {

    private static final Path ROOT = ProjectRoot.find();

    private Topology world;
    private OrderPaths orders;

    @BeforeAll
    void deployTheTemplatesOrderPaths() throws Exception {
        world = EmulatorResource.topology();
        orders = OrderPaths.deploy(ROOT, world, Map.of("PlanName", Topology.PLAN), Set.of());
    }

    @AfterAll
    void close() {
        orders.close();
        world.close();
    }

    private static List<Path> entriesFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("events/put-events"))) {
            return files.sorted().toList();
        }
    }

    private static List<String> functions(List<OrderPaths.Delivery> deliveries) {
        return deliveries.stream().map(delivery -> delivery.function() + "/" + delivery.operatorPath()).toList();
    }

    @Test
    void theTemplateHasTheOperatorAndForceBusesAndNoDefaultBusRuleByDefault() {
        assertEquals(List.of("regionfailover-orders-db-operator -> ManualFailoverFunction/operator-bus",
                "regionfailover-orders-db-force -> ForceFailoverFunction/force-bus"),
                orders.paths().stream().map(path -> path.bus() + " -> " + path.function() + "/" + path.operatorPath())
                        .toList());
    }

    @Test
    void everyOperatorEntriesFileReachesTheOperatorBusFunctionOnly() throws IOException {
        List<Path> files = entriesFiles();
        assertEquals(7, files.size(), files.toString());
        for (Path file : files) {
            orders.putEvents(file, detail -> detail, null);
            assertEquals(List.of("ManualFailoverFunction/operator-bus"), functions(orders.deliveries()),
                    file.getFileName().toString());
        }
    }

    @Test
    void theDefaultBusDeliversNoOrderWhileDefaultBusOrdersIsOff() throws IOException {
        for (Path file : entriesFiles()) {
            orders.putEvents(file, detail -> detail, "default");
            assertEquals(List.of(), functions(orders.deliveries()), file.getFileName().toString());
        }
    }

    @Test
    void aForcedOrderOnTheForceBusReachesTheForceFunctionOnly() throws IOException {
        orders.putEvents(ROOT.resolve("events/put-events/manual-failover.json"), detail -> detail.put("force", true)
                .put("dryRun", true), "regionfailover-orders-db-force");
        assertEquals(List.of("ForceFailoverFunction/force-bus"), functions(orders.deliveries()));
        // Only "Manual Failover Requested" is taken there: a failback belongs on the operator bus.
        orders.putEvents(ROOT.resolve("events/put-events/failback.json"), detail -> detail,
                "regionfailover-orders-db-force");
        assertEquals(List.of(), functions(orders.deliveries()));
    }

    @Test
    void theOrderAsEventBridgeDeliversItIsOneTheHandlerActsOn() throws IOException {
        orders.putEvents(ROOT.resolve("events/put-events/dry-run.json"), detail -> detail, null);
        List<OrderPaths.Delivery> deliveries = orders.deliveries();
        assertEquals(1, deliveries.size());
        AwsCallRecorder.clear();

        JsonPath response = Lambda.invokeAsWritten(deliveries.get(0).event());

        assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }
}
