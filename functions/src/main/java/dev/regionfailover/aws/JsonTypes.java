package dev.regionfailover.aws;

import dev.regionfailover.event.RejectedEvent;
import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.failover.RtoBreakdown;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.failover.StepStatus;
import dev.regionfailover.failover.Trigger;
import dev.regionfailover.failover.WorkflowResult;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.readiness.Readiness;
import dev.regionfailover.topology.PublishedTopology;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type the functions write as JSON with Jackson, registered for reflection so that a native image
 * ({@code ./mvnw package -Dnative}, sam-template.native.yaml) can serialise them: Jackson finds record components,
 * accessors and enum constants by reflection, which GraalVM removes unless told. In JVM mode and under SnapStart
 * this changes nothing.
 *
 * <p>The roots are a handler's answer ({@link HandlerResponse}) and what the notifier publishes
 * ({@link FailoverReport}, {@link Readiness}, {@link PublishedTopology}); the rest is what they hold. Events are read
 * as JSON trees, never bound to classes; the one type read back is the published topology, written here too. {@code NativeRegistrationTest} scans the compiled classes
 * for every type written or read with an ObjectMapper, and every type reachable from them, and fails if one is
 * missing here: add it to {@code targets}.
 */
@RegisterForReflection(targets = {
        HandlerResponse.class,
        FailoverReport.class,
        RtoBreakdown.class,
        Trigger.class,
        Trigger.Kind.class,
        RunKind.class,
        WorkflowResult.class,
        WorkflowResult.Outcome.class,
        WorkflowResult.PairOutcome.class,
        RunState.class,
        StepRecord.class,
        StepName.class,
        StepStatus.class,
        Readiness.class,
        Readiness.Check.class,
        RejectedEvent.Kind.class,
        PublishedTopology.class,
        PublishedTopology.Side.class,
        PublishedTopology.LastRun.class,
        PublishedTopology.Whereabouts.class,
})
public final class JsonTypes {

    private JsonTypes() {
    }
}
