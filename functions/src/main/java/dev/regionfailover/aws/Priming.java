package dev.regionfailover.aws;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.handler.HandlerResponse;
import io.quarkus.runtime.StartupEvent;

/**
 * SnapStart priming (sam-template.snapstart.yaml): a CRaC {@link Resource} that Lambda calls just before it takes
 * the snapshot of the initialised function. It does, once and before the snapshot, what every restored instance
 * would otherwise do on its first event:
 * <ul>
 * <li>creates the SDK clients through {@link AwsClients}: every client of the standby region (DynamoDB journal,
 * SNS, EventBridge, RDS, CloudWatch), Route 53, and the primary region's RDS and CloudWatch clients. Creating a
 * client is local (configuration, endpoint rules, the shared HTTP client); no request is sent, so nothing can fail
 * at snapshot time for want of a network, and no credentials or connections end up in the snapshot;</li>
 * <li>writes a complete {@link HandlerResponse} (with a report, its steps and every nested type) with the
 * application's ObjectMapper and reads it back, so Jackson's serialisers for every type a handler answers with are
 * built and in the snapshot.</li>
 * </ul>
 * Quarkus itself already boots before the snapshot (quarkus.snapstart.* defaults: full warm-up, class preloading).
 *
 * <p>The resource is registered at start-up only when Lambda initialises a SnapStart version
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) or when the system property {@code failover.priming=true} asks
 * for it (a CRaC JDK outside Lambda). Plain JVM and native functions pay nothing for it. A priming step that fails is
 * logged and skipped: a snapshot without priming is slower to warm up, not wrong.
 */
@ApplicationScoped
public class Priming implements Resource {

    private static final Logger LOG = Logger.getLogger(Priming.class);
    private static final Instant SAMPLE_TIME = Instant.parse("2026-01-01T00:00:00.123456Z");

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    @Inject
    Instance<ObjectMapper> mapper;

    /** What priming did: the clients it created, and the response it round-tripped through JSON. */
    public record Primed(Map<String, Object> clients, HandlerResponse sample, String json, HandlerResponse readBack) {
    }

    void onStart(@Observes StartupEvent start) {
        if (shouldRegister(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"), System.getProperty("failover.priming"))) {
            // The global context keeps this bean; the bean lives as long as the application.
            Core.getGlobalContext().register(this);
            LOG.info("SnapStart priming registered: SDK clients and JSON binding are warmed before the snapshot");
        }
    }

    /** Whether to register for the checkpoint: on a SnapStart initialisation, or when asked for explicitly. */
    public static boolean shouldRegister(String initializationType, String property) {
        return "snap-start".equals(initializationType) || Boolean.parseBoolean(property);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        int clients = 0;
        try {
            clients = createClients().size();
        } catch (RuntimeException e) {
            LOG.warnf("priming: could not create the SDK clients (they will be created on first use): %s",
                    Errors.describe(e));
        }
        try {
            roundTrip();
        } catch (RuntimeException e) {
            LOG.warnf("priming: the JSON round trip failed (Jackson will warm up on the first event): %s",
                    Errors.describe(e));
        }
        LOG.infof("priming before the snapshot: %d SDK clients created, JSON binding warmed, in %d ms", clients,
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: no connection was opened and no credential was resolved before the snapshot.
    }

    /** Everything priming does, with what it produced; beforeCheckpoint does the same and only logs failures. */
    public Primed prime() {
        Map<String, Object> clients = createClients();
        Primed json = roundTrip();
        return new Primed(clients, json.sample(), json.json(), json.readBack());
    }

    private Primed roundTrip() {
        HandlerResponse sample = (HandlerResponse) sample(HandlerResponse.class, 0);
        try {
            ObjectMapper json = mapper.get();
            String written = json.writeValueAsString(sample);
            return new Primed(Map.of(), sample, written, json.readValue(written, HandlerResponse.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot round-trip a HandlerResponse through JSON", e);
        }
    }

    /** Every client the functions use, created (and cached by AwsClients) without sending a request. */
    private Map<String, Object> createClients() {
        String standby = config.standby().region();
        String primary = config.primary().region();
        Map<String, Object> clients = new java.util.LinkedHashMap<>();
        clients.put("dynamodb@" + standby, aws.dynamoDb());
        clients.put("sns@" + standby, aws.sns());
        clients.put("events@" + standby, aws.eventBridge());
        clients.put("rds@" + standby, aws.rds(standby));
        clients.put("cloudwatch@" + standby, aws.cloudWatch(standby));
        clients.put("route53", aws.route53());
        clients.put("rds@" + primary, aws.rds(primary));
        clients.put("cloudwatch@" + primary, aws.cloudWatch(primary));
        return clients;
    }

    /**
     * A value of {@code type} with every field set, built from the type's record components, so that the sample
     * covers every type a handler's answer can hold (a new report field included) without naming them here.
     */
    static Object sample(Type type, int depth) {
        Class<?> raw = raw(type);
        if (raw == String.class || raw == CharSequence.class) {
            return "priming";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Boolean.TRUE;
        }
        if (raw == int.class || raw == Integer.class) {
            return 1;
        }
        if (raw == long.class || raw == Long.class) {
            return 1L;
        }
        if (raw == double.class || raw == Double.class) {
            return 1.5;
        }
        if (raw == float.class || raw == Float.class) {
            return 1.5f;
        }
        if (raw == Instant.class) {
            return SAMPLE_TIME;
        }
        if (raw == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (raw.isEnum()) {
            return raw.getEnumConstants()[0];
        }
        if (depth > 6) {
            return raw.isPrimitive() ? Array.get(Array.newInstance(raw, 1), 0) : null;
        }
        if (raw == Optional.class) {
            return Optional.ofNullable(sample(argument(type, 0), depth + 1));
        }
        if (List.class.isAssignableFrom(raw) || raw == Collection.class) {
            Object element = sample(argument(type, 0), depth + 1);
            return element == null ? List.of() : List.of(element);
        }
        if (Set.class.isAssignableFrom(raw)) {
            Object element = sample(argument(type, 0), depth + 1);
            return element == null ? Set.of() : Set.of(element);
        }
        if (Map.class.isAssignableFrom(raw)) {
            Object value = sample(argument(type, 1), depth + 1);
            return value == null ? Map.of() : Map.of("priming", value);
        }
        if (raw.isRecord()) {
            RecordComponent[] components = raw.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(components[i].getGenericType(), depth + 1);
                if (values[i] == null && types[i].isPrimitive()) {
                    values[i] = Array.get(Array.newInstance(types[i], 1), 0);
                }
            }
            try {
                Constructor<?> canonical = raw.getDeclaredConstructor(types);
                canonical.setAccessible(true);
                return canonical.newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build a sample " + raw.getSimpleName(), e);
            }
        }
        return null; // a type priming does not know how to fill (JsonNode, say) stays empty
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
