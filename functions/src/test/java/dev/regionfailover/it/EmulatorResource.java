package dev.regionfailover.it;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.regionfailover.tools.Emulator;
import dev.regionfailover.tools.Topology;

/**
 * Starts a fresh emulator for one test class, seeds the two-region topology, and points every SDK client of the
 * functions at it the way AWS_ENDPOINT_URL would ({@code aws.endpointUrl} is the same SDK setting as a system
 * property). Arguments: {@code handler} (which @Named handler the mock event server invokes),
 * {@code replicaLagSeconds}, {@code databaseKind}, {@code dnsStrategy}, {@code readers} (see {@link Topology.Options}),
 * {@code additionalPairs} (names of more RDS pairs in the same plan, comma-separated), {@code parameterPairs} (how
 * many more RDS pairs, p001, p002, ..., kept in Parameter Store rather than the environment), {@code promotionSeconds} (how long
 * the emulator keeps a promoted replica {@code modifying}, 1 by default), {@code faults} (true:
 * the emulator behind its fault-injecting proxy), {@code otherAccountPairs} (pairs seeded in the workload account
 * Topology.OTHER_ACCOUNT, named with its role), any {@code failover.*} setting, and
 * {@code backend} ({@code emulator}, the default, or {@code localstack}).
 */
public class EmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static final String OPTIONS = "it.topology.options";

    private AutoCloseable backend;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        URI endpoint;
        String nameServer = null;
        if ("localstack".equals(args.get("backend"))) {
            LocalStackBackend localStack = LocalStackBackend.start();
            backend = localStack;
            endpoint = localStack.endpoint();
        } else {
            Map<String, String> environment = new HashMap<>(Map.of("EMULATOR_PROMOTION_SECONDS",
                    args.getOrDefault("promotionSeconds", "1")));
            if (Boolean.parseBoolean(args.getOrDefault("faults", "false"))) {
                environment.put("EMULATOR_FAULTS", "1");
            }
            // EMULATOR_* arguments set the emulator's own durations (EMULATOR_GLOBAL_FAILOVER_SECONDS, ...)
            args.forEach((name, value) -> {
                if (name.startsWith("EMULATOR_")) {
                    environment.put(name, value);
                }
            });
            Emulator emulator = Emulator.start(environment);
            backend = emulator;
            endpoint = emulator.endpoint();
            nameServer = emulator.nameServer();
        }
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", args.getOrDefault("secretAccessKey", "test"));
        Map<String, String> config;
        Topology.Options options = new Topology.Options(
                Double.parseDouble(args.getOrDefault("replicaLagSeconds", "5")),
                args.getOrDefault("databaseKind", "rds-instance"),
                args.getOrDefault("dnsStrategy", "record-update"),
                Boolean.parseBoolean(args.getOrDefault("readers", "false")));
        System.setProperty(OPTIONS, options.replicaLagSeconds() + "," + options.databaseKind() + ","
                + options.dnsStrategy() + "," + options.readers());
        try (Topology topology = new Topology(endpoint)) {
            config = new HashMap<>(topology.seed(options).functionConfig());
            String additional = args.getOrDefault("additionalPairs", "");
            if (!additional.isBlank()) {
                // name, or name:failover-mode
                config.put("failover.additional-databases", "[" + String.join(",", java.util.Arrays
                        .stream(additional.split(",")).map(entry -> {
                            String[] parts = entry.split(":");
                            String json = topology.seedAdditionalPair(parts[0], 3);
                            return parts.length > 1 ? "{\"failoverMode\":\"" + parts[1] + "\"," + json.substring(1)
                                    : json;
                        }).toList()) + "]");
            }
            String otherAccountPairs = args.getOrDefault("otherAccountPairs", "");
            if (!otherAccountPairs.isBlank()) {
                // pairs in the workload account, reached through its role (Topology.OtherAccount)
                try (Topology.OtherAccount other = topology.otherAccount()) {
                    config.put("failover.additional-databases", "[" + String.join(",", java.util.Arrays
                            .stream(otherAccountPairs.split(",")).map(name -> other.seedPair(name, 3)).toList())
                            + "]");
                }
                config.put("failover.cross-account.role-arns", Topology.OTHER_ACCOUNT_ROLE);
            }
            int stored = parameterPairs(args.getOrDefault("parameterPairs", "0"));
            for (int i = 1; i <= stored; i++) {
                String name = parameterPair(i);
                topology.putPairParameter(name, topology.seedAdditionalPair(name, 3));
            }
            if (stored > 0) {
                config.put("failover.plan-parameters-prefix", Topology.PLAN_PARAMETERS_PREFIX);
            }
        }
        config.put("quarkus.lambda.handler", args.getOrDefault("handler", "alarm"));
        if (nameServer != null) {
            // the emulator's name server answers for the Aurora global writer endpoints (global-writer-endpoint)
            config.put("failover.dns.name-server", nameServer);
        }
        // Any failover.* argument is passed to the functions as configuration (timeouts for the fault tests), and
        // quarkus.http.test-timeout to the test's HTTP client (an invocation of many pairs takes longer than 30 s).
        args.forEach((name, value) -> {
            if (name.startsWith("failover.") || name.equals("quarkus.http.test-timeout")) {
                config.put(name, value);
            }
        });
        if (args.containsKey("leaseSeconds")) {
            config.put("failover.timeouts.lease", "PT" + args.get("leaseSeconds") + "S");
        }
        return config;
    }

    @Override
    public void stop() {
        if (backend != null) {
            try {
                backend.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the AWS backend", e);
            }
        }
        System.clearProperty("aws.endpointUrl");
    }

    /** How many pairs {@code parameterPairs} asks for: the argument, unless -Dit.parameter-pairs says otherwise. */
    public static int parameterPairs(String argument) {
        return Integer.getInteger("it.parameter-pairs", Integer.parseInt(argument));
    }

    /** The name of the i-th pair that {@code parameterPairs} keeps in Parameter Store (from 1). */
    public static String parameterPair(int i) {
        return String.format("p%03d", i);
    }

    /** The seeded world of the running test class. */
    public static Topology topology() {
        String[] options = System.getProperty(OPTIONS).split(",");
        return Topology.attach(URI.create(System.getProperty("aws.endpointUrl")),
                new Topology.Options(Double.parseDouble(options[0]), options[1], options[2],
                        Boolean.parseBoolean(options[3])));
    }
}
