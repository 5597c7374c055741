package dev.regionfailover.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithName;

/**
 * The template configures the functions through FAILOVER_* environment variables; each must name a setting of
 * {@link FailoverConfig}, or the function would run without it (SmallRye ignores an unknown variable).
 */
class SamTemplateConfigTest {

    private static final Pattern VARIABLE = Pattern.compile("(?m)^\\s+(FAILOVER_[A-Z0-9_]+):");

    @Test
    void everyFailoverVariableOfTheTemplateIsASetting() throws IOException {
        Set<String> settings = new TreeSet<>();
        collect(FailoverConfig.class, "failover.", settings);
        assertTrue(settings.contains("FAILOVER_READERS_ALARM_NAME_PREFIX"), settings.toString());

        Set<String> unknown = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(template());
        while (matcher.find()) {
            used.add(matcher.group(1));
            if (!settings.contains(matcher.group(1))) {
                unknown.add(matcher.group(1));
            }
        }
        assertTrue(used.size() > 20, "the template sets " + used);
        assertEquals(Set.of(), unknown, "FAILOVER_* variables of sam-template.yaml that no setting reads");
    }

    /**
     * Each order path is a function of its own with its own bus (docs/security.md): the force function is the only
     * one that may force, its rule is on the force bus, and the default-bus path exists only when DefaultBusOrders
     * turns it on (off by default).
     */
    @Test
    void eachOrderPathIsAFunctionOnItsOwnBus() throws IOException {
        String template = template();
        Map<String, String> paths = new TreeMap<>();
        Map<String, String> buses = new TreeMap<>();
        String resource = null;
        for (String line : template.split("\n")) {
            Matcher key = Pattern.compile("^  (\\w+):$").matcher(line);
            if (key.matches()) {
                resource = key.group(1);
            }
            Matcher path = Pattern.compile("^\\s+FAILOVER_OPERATOR_PATH: (\\S+)$").matcher(line);
            if (path.matches()) {
                paths.put(resource, path.group(1));
            }
            Matcher bus = Pattern.compile("^\\s+EventBusName: (.+)$").matcher(line);
            if (bus.matches()) {
                buses.put(resource, bus.group(1));
            }
        }
        assertEquals(Map.of("ManualFailoverFunction", "operator-bus", "ForceFailoverFunction", "force-bus",
                "DefaultBusOrderFunction", "default-bus"), paths);
        assertEquals("!Ref OperatorEventBus", buses.get("ManualFailoverFunction"));
        assertEquals("!Ref ForceEventBus", buses.get("ForceFailoverFunction"));
        assertEquals("default", buses.get("DefaultBusOrderFunction"));
        for (String path : paths.values()) {
            FailoverConfig.OrderPath.valueOf(path.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        assertTrue(template.contains("  DefaultBusOrderFunction:\n    Type: AWS::Serverless::Function\n"
                + "    Condition: DefaultBusOrdersOn\n"), "the default-bus function exists only with DefaultBusOrders");
        assertTrue(Pattern.compile("(?m)^  DefaultBusOrders:\n(    .*\n)*?    Default: 'false'$").matcher(template)
                .find(), "DefaultBusOrders is off unless enabled");
        // A forced order needs the force bus: only the force function's rule is there.
        assertEquals(1, template.split("EventBusName: !Ref ForceEventBus", -1).length - 1);
    }

    private static String template() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path template = (Files.exists(root.resolve("sam-template.yaml")) ? root : root.getParent())
                .resolve("sam-template.yaml");
        return Files.readString(template);
    }

    /** Every leaf setting as its environment variable: failover.readers.record-name is FAILOVER_READERS_RECORD_NAME. */
    private static void collect(Class<?> group, String prefix, Set<String> into) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName renamed = method.getAnnotation(WithName.class);
            String name = prefix + (renamed != null ? renamed.value()
                    : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == FailoverConfig.class) {
                collect(type, name + ".", into);
            } else {
                into.add(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
    }
}
