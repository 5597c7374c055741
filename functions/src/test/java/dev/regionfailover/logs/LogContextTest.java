package dev.regionfailover.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @AfterEach
    void clear() {
        LogContext.clear();
    }

    @Test
    void aPairsTaskOnThePoolCarriesTheInvocationsContextAndLeavesNothingOnItsThread() throws Exception {
        LogContext.invocation("health-check", "orders-db", "req-1");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Map<String, Object> inTask = pool.submit(LogContext.carried(() -> {
                LogContext.pair("inventory");
                LogContext.run("20261203T070000Z-abcd");
                return Map.copyOf(MDC.getMap());
            })).get();
            Map<String, Object> afterTask = pool.submit(() -> Map.copyOf(MDC.getMap())).get();

            assertEquals(Map.of("handler", "health-check", "plan", "orders-db", "requestId", "req-1",
                    "pair", "inventory", "runId", "20261203T070000Z-abcd"), inTask);
            assertEquals(Map.of(), afterTask);
            // the caller's own context is untouched by what the task added
            assertEquals(Map.of("handler", "health-check", "plan", "orders-db", "requestId", "req-1"),
                    Map.copyOf(MDC.getMap()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewInvocationStartsFromNothingAndANewPairForgetsTheLastRun() {
        LogContext.invocation("alarm", "orders-db", "req-1");
        LogContext.pair("orders-db");
        LogContext.run("run-1");

        LogContext.pair("inventory");
        assertEquals(Map.of("handler", "alarm", "plan", "orders-db", "requestId", "req-1", "pair", "inventory"),
                Map.copyOf(MDC.getMap()));

        LogContext.invocation("manual-failover", "orders-db", null);
        assertEquals(Map.of("handler", "manual-failover", "plan", "orders-db"), Map.copyOf(MDC.getMap()));
    }
}
