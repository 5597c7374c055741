package dev.regionfailover.logs;

import java.util.Map;
import java.util.concurrent.Callable;

import org.jboss.logging.MDC;

/**
 * What every log line of an invocation says about where it comes from, in the logging MDC, which Quarkus's JSON
 * log writes as {@code "mdc": {...}} on each line: the plan, the Lambda request id and the handler for the whole
 * invocation, and the pair and run id while a pair's run goes on. CloudWatch Logs Insights can then filter one run
 * or one request (README, "Logs") without parsing messages.
 *
 * <p>The MDC is per thread, and a plan of several pairs runs them on a pool: {@link #carried} hands the caller's
 * context to the task, so a pair's lines carry the invocation's request id too.
 */
public final class LogContext {

    public static final String PLAN = "plan";
    public static final String REQUEST_ID = "requestId";
    public static final String HANDLER = "handler";
    public static final String PAIR = "pair";
    public static final String RUN_ID = "runId";

    private LogContext() {
    }

    /** The start of an invocation: nothing of an earlier one (a warm container) is left behind. */
    public static void invocation(String handler, String plan, String requestId) {
        MDC.clear();
        MDC.put(HANDLER, handler);
        MDC.put(PLAN, plan);
        if (requestId != null && !requestId.isBlank()) {
            MDC.put(REQUEST_ID, requestId);
        }
    }

    /** The pair a thread now works on; its run id once a run is started or resumed. */
    public static void pair(String pair) {
        MDC.put(PAIR, pair);
        MDC.remove(RUN_ID);
    }

    public static void run(String runId) {
        MDC.put(RUN_ID, runId);
    }

    /** The end of an invocation. */
    public static void clear() {
        MDC.clear();
    }

    /** {@code task}, run on another thread with the context of the thread that makes it, and none after. */
    public static <T> Callable<T> carried(Callable<T> task) {
        Map<String, Object> captured = Map.copyOf(MDC.getMap());
        return () -> {
            MDC.clear();
            captured.forEach(MDC::put);
            try {
                return task.call();
            } finally {
                MDC.clear();
            }
        };
    }
}
