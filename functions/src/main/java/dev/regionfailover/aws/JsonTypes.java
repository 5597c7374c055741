package dev.regionfailover.aws;

import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.readiness.Readiness;
import dev.regionfailover.topology.PublishedTopology;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The types the functions write as JSON with Jackson, registered for reflection so that a native image
 * ({@code ./mvnw package -Dnative}, sam-template.native.yaml) can serialise them: Jackson finds record components,
 * accessors and enum constants by reflection, which GraalVM removes unless told. In JVM mode and under SnapStart
 * this changes nothing.
 *
 * <p>The roots are a handler's answer ({@link HandlerResponse}) and what the notifier publishes
 * ({@link FailoverReport}, {@link Readiness}), and the published topology ({@link PublishedTopology}, also read
 * back); {@code registerFullHierarchy} makes Quarkus register, at build time, every type they hold as well (record
 * components, list element types, enums, and what those hold in turn), so a new field of a new type needs no entry
 * here. The notifier's other messages are maps of strings and of these. Events are read as JSON trees, never bound
 * to classes. What checks it is the native run itself: {@code bin/native-verify} (in {@code bin/test}) sends every
 * file of events/ through the native image, with the topology published as the template's default does, and fails
 * on a wrong answer or an ERROR line of ours (docs/native.md).
 */
@RegisterForReflection(targets = {HandlerResponse.class, FailoverReport.class, Readiness.class,
        PublishedTopology.class}, registerFullHierarchy = true)
public final class JsonTypes {

    private JsonTypes() {
    }
}
