package dev.regionfailover.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.aws.Errors;
import dev.regionfailover.config.FailoverConfig.DatabaseKind;
import dev.regionfailover.config.FailoverConfig.DnsStrategy;
import dev.regionfailover.parameters.PlanParameterStore;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The plan's database pairs: the one named in the top-level settings, then each entry of
 * {@code failover.additional-databases}, a JSON array (one environment variable, FAILOVER_ADDITIONAL_DATABASES,
 * rather than a family of generated names):
 *
 * <pre>
 * [{"name": "inventory", "primaryDbInstanceId": "inventory-db", "standbyDbInstanceId": "inventory-db-replica",
 *   "recordName": "inventory-db.example.internal"},
 *  {"name": "billing", "databaseKind": "aurora-global", "auroraGlobalClusterId": "billing-global",
 *   "recordName": "billing-db.example.internal", "dnsStrategy": "health-check-switch", "switchAlarmName": "..."}]
 * </pre>
 *
 * then, with {@code failover.plan-parameters-prefix}, each SSM parameter {@code <prefix>/<plan>/pairs/<name>}, whose
 * value is one such entry (its {@code name} may be left out: it is the parameter's last segment), in the order of
 * their names. The two forms combine, and a name may appear only once across both: Lambda's 4 KB of environment
 * variables hold a plan of about 20 pairs, Parameter Store any number. Both are validated alike, with the same
 * messages, each naming where the entry came from.
 *
 * <p>Omitted fields take the top-level value (hosted zone, TTL, DNS strategy, database kind, fencing groups). The
 * first pair keeps the plan's own journal partition, so a plan of one journals as it always did; each other pair
 * journals under {@code <plan>/<name>}.
 *
 * <p>The pairs are read once per container ({@link ConfigValidator} asks at start-up) and kept: a changed parameter
 * takes effect in containers started after the change, so that one run never sees two versions of its plan.
 */
@ApplicationScoped
public class PlanPairs {

    private static final Set<String> KEYS = Set.of("name", "databaseKind", "primaryDbInstanceId",
            "standbyDbInstanceId", "auroraGlobalClusterId", "hostedZoneId", "recordName", "ttl", "dnsStrategy",
            "switchAlarmName", "fenceSecurityGroupIds", "failoverMode", "readerRecordName",
            "readerAlarmNamePrefix", "crossAccountRoleArn", "externalId", "crossAccountRoute53");
    /** IAM's forms: a role ARN (its path and name), and what sts:ExternalId accepts. */
    private static final java.util.regex.Pattern ROLE_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final java.util.regex.Pattern EXTERNAL_ID = java.util.regex.Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    @Inject
    FailoverConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    PlanParameterStore parameters;

    private volatile List<DatabasePair> pairs;

    /** The plan's pairs, the plan's own first; read once, and kept only once they are all valid. */
    public List<DatabasePair> all() {
        List<DatabasePair> known = pairs;
        if (known == null) {
            known = List.copyOf(parse());
            pairs = known;
        }
        return known;
    }

    /**
     * Every pair, or an IllegalArgumentException naming the setting or parameter and the field that is wrong (an
     * IllegalStateException if Parameter Store cannot be read).
     */
    private List<DatabasePair> parse() {
        List<DatabasePair> found = new ArrayList<>();
        found.add(new DatabasePair(config.plan(), config.databaseKind(), config.primary().region(),
                config.primary().dbInstanceId(), config.standby().region(), config.standby().dbInstanceId(),
                config.aurora().globalClusterId(), new DatabasePair.Dns(config.dns().hostedZoneId(),
                        config.dns().recordName(), config.dns().ttl(), config.dns().strategy(),
                        config.dns().switchAlarmName(), config.readers().recordName().map(name -> new DatabasePair.Readers(
                                name, config.readers().ttl(), config.readers().alarmNamePrefix().orElse("")))),
                config.fence().securityGroupIds().orElse(List.of()), config.plan(), config.mode(),
                crossAccount(config, config.crossAccount().roleArn(), config.crossAccount().externalId(),
                        config.crossAccount().route53(), "failover.cross-account")));
        Set<String> names = new HashSet<>(Set.of(config.plan()));
        Optional<String> json = config.additionalDatabases().filter(text -> !text.isBlank());
        if (json.isPresent()) {
            JsonNode entries = json(json.get(), "failover.additional-databases");
            if (entries == null || !entries.isArray()) {
                throw new IllegalArgumentException("failover.additional-databases must be a JSON array of objects");
            }
            for (int i = 0; i < entries.size(); i++) {
                found.add(entry(config, entries.get(i), "failover.additional-databases[" + i + "]", Optional.empty(),
                        names));
            }
        }
        Optional<String> path = pairsPath(config);
        if (path.isPresent()) {
            List<PlanParameterStore.StoredParameter> stored;
            try {
                stored = parameters.under(path.get());
            } catch (SdkException e) {
                throw new IllegalStateException("cannot read the plan's pairs from SSM Parameter Store under "
                        + path.get() + ": " + Errors.describe(e), e);
            }
            for (PlanParameterStore.StoredParameter parameter : stored.stream()
                    .sorted(Comparator.comparing(PlanParameterStore.StoredParameter::name)).toList()) {
                String at = "SSM parameter " + parameter.name();
                found.add(entry(config, json(parameter.value(), at), at,
                        Optional.of(parameter.name().substring(parameter.name().lastIndexOf('/') + 1)), names));
            }
        }
        return found;
    }

    /** Where the plan's pairs are kept in Parameter Store, if they are: {@code <prefix>/<plan>/pairs}. */
    public static Optional<String> pairsPath(FailoverConfig config) {
        return config.planParametersPrefix().filter(prefix -> !prefix.isBlank())
                .map(prefix -> prefix + "/" + config.plan() + "/pairs");
    }

    private JsonNode json(String text, String at) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(at + " is not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * One pair from its JSON entry, found {@code at} (named so in every message); {@code impliedName} is the name
     * its location gives it (a parameter's last segment), which the entry may leave out but not contradict.
     */
    private static DatabasePair entry(FailoverConfig config, JsonNode entry, String at, Optional<String> impliedName,
            Set<String> names) {
        if (entry == null || !entry.isObject()) {
            throw new IllegalArgumentException(at + " must be an object");
        }
        entry.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(at + " has an unknown field '" + key + "' (known: " + KEYS + ")");
            }
        });
        String name = text(entry, "name", at).or(() -> impliedName)
                .orElseThrow(() -> new IllegalArgumentException(at + ".name is missing"));
        if (impliedName.isPresent() && !impliedName.get().equals(name)) {
            throw new IllegalArgumentException(at + ".name '" + name + "' differs from the parameter's own name '"
                    + impliedName.get() + "'");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException(at + ".name '" + name + "' must be made of letters, digits, - and _ "
                    + "(at most 63, starting with a letter or digit)");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException(at + ".name '" + name + "' is already the name of a pair of plan "
                    + config.plan() + "; each pair needs a name of its own (it names the pair's journal)");
        }
        DatabaseKind kind = text(entry, "databaseKind", at).map(value -> enumOf(DatabaseKind.class, value,
                at + ".databaseKind")).orElse(config.databaseKind());
        FailoverConfig.FailoverMode mode = text(entry, "failoverMode", at).map(value -> enumOf(
                FailoverConfig.FailoverMode.class, value, at + ".failoverMode")).orElse(config.mode());
        DnsStrategy strategy = text(entry, "dnsStrategy", at).map(value -> enumOf(DnsStrategy.class, value,
                at + ".dnsStrategy")).orElse(config.dns().strategy());
        Optional<String> primaryId = text(entry, "primaryDbInstanceId", at);
        Optional<String> standbyId = text(entry, "standbyDbInstanceId", at);
        Optional<String> globalId = text(entry, "auroraGlobalClusterId", at);
        if (kind == DatabaseKind.RDS_INSTANCE && (primaryId.isEmpty() || standbyId.isEmpty())) {
            throw new IllegalArgumentException(at + " (rds-instance) needs primaryDbInstanceId and standbyDbInstanceId");
        }
        if (kind == DatabaseKind.AURORA_GLOBAL && globalId.isEmpty()) {
            throw new IllegalArgumentException(at + " (aurora-global) needs auroraGlobalClusterId");
        }
        if (strategy == DnsStrategy.GLOBAL_WRITER_ENDPOINT && kind != DatabaseKind.AURORA_GLOBAL) {
            throw new IllegalArgumentException(at + ".dnsStrategy global-writer-endpoint needs databaseKind "
                    + "aurora-global: only an Aurora global database has a writer endpoint that follows the writer");
        }
        Optional<String> switchAlarm = text(entry, "switchAlarmName", at);
        if (strategy == DnsStrategy.HEALTH_CHECK_SWITCH && switchAlarm.isEmpty()) {
            throw new IllegalArgumentException(at + " (health-check-switch) needs switchAlarmName");
        }
        String record = text(entry, "recordName", at)
                .orElseThrow(() -> new IllegalArgumentException(at + ".recordName is missing"));
        JsonNode ttl = entry.path("ttl");
        if (!ttl.isMissingNode() && !ttl.canConvertToLong()) {
            throw new IllegalArgumentException(at + ".ttl must be a number of seconds");
        }
        Optional<String> readerName = text(entry, "readerRecordName", at);
        Optional<String> readerAlarms = text(entry, "readerAlarmNamePrefix", at);
        if (readerName.isPresent() != readerAlarms.isPresent()) {
            throw new IllegalArgumentException(at + " needs readerRecordName and readerAlarmNamePrefix together");
        }
        List<String> fence = new ArrayList<>();
        JsonNode groups = entry.path("fenceSecurityGroupIds");
        if (groups.isMissingNode()) {
            fence.addAll(config.fence().securityGroupIds().orElse(List.of()));
        } else if (groups.isArray()) {
            groups.forEach(group -> fence.add(group.asText()));
        } else {
            throw new IllegalArgumentException(at + ".fenceSecurityGroupIds must be an array of security group ids");
        }
        return new DatabasePair(name, kind, config.primary().region(), primaryId, config.standby().region(), standbyId,
                globalId, new DatabasePair.Dns(text(entry, "hostedZoneId", at).orElse(config.dns().hostedZoneId()),
                        record, ttl.isMissingNode() ? config.dns().ttl() : ttl.asLong(), strategy, switchAlarm,
                        readerName.map(reader -> new DatabasePair.Readers(reader, config.readers().ttl(),
                                readerAlarms.orElseThrow()))),
                List.copyOf(fence), config.plan() + "/" + name, mode,
                crossAccount(config, text(entry, "crossAccountRoleArn", at), text(entry, "externalId", at),
                        flag(entry, "crossAccountRoute53", at), at));
    }

    /**
     * A pair's other account, if it names a role: a role ARN, listed in failover.cross-account.role-arns (what IAM
     * lets the functions assume: a role missing there would fail every call of the pair with AccessDenied, in the
     * middle of an incident), with a valid external id if any.
     */
    private static Optional<DatabasePair.CrossAccount> crossAccount(FailoverConfig config, Optional<String> roleArn,
            Optional<String> externalId, boolean route53, String at) {
        String role = at.equals("failover.cross-account") ? at + ".role-arn" : at + ".crossAccountRoleArn";
        if (roleArn.isEmpty()) {
            if (externalId.isPresent() || route53) {
                throw new IllegalArgumentException(at + (at.equals("failover.cross-account") ? ".external-id and "
                        + ".route53 need " : ": externalId and crossAccountRoute53 need ") + role);
            }
            return Optional.empty();
        }
        if (!ROLE_ARN.matcher(roleArn.get()).matches()) {
            throw new IllegalArgumentException(role + " is '" + roleArn.get() + "', not an IAM role ARN "
                    + "(arn:aws:iam::<account>:role/<name>)");
        }
        List<String> allowed = config.crossAccount().roleArns().orElse(List.of());
        if (!allowed.contains(roleArn.get())) {
            throw new IllegalArgumentException(role + " names " + roleArn.get() + ", which "
                    + "failover.cross-account.role-arns does not list (" + (allowed.isEmpty() ? "empty" : allowed)
                    + "): IAM lets the functions assume only those roles (SAM CrossAccountRoleArns)");
        }
        if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
            throw new IllegalArgumentException(at + (at.equals("failover.cross-account") ? ".external-id"
                    : ".externalId") + " must be 2 to 1224 characters of letters, digits and +=,.@:/-");
        }
        if (roleArn.get().split(":")[4].equals(config.accountId())) {
            throw new IllegalArgumentException(role + " is a role of this stack's own account " + config.accountId()
                    + ": a pair in this account needs no role");
        }
        return Optional.of(new DatabasePair.CrossAccount(roleArn.get(), externalId, route53));
    }

    private static boolean flag(JsonNode entry, String field, String at) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(at + "." + field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static Optional<String> text(JsonNode entry, String field, String at) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(at + "." + field + " must be a non-empty string");
        }
        return Optional.of(value.asText());
    }

    /** The same spelling the environment variables use: rds-instance, health-check-switch. */
    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String at) {
        try {
            return Enum.valueOf(type, value.toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + " is '" + value + "', not one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.name().toLowerCase().replace('_', '-')).toList());
        }
    }
}
