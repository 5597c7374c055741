package dev.regionfailover.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
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

        Path root = Path.of("").toAbsolutePath();
        Path template = (Files.exists(root.resolve("sam-template.yaml")) ? root : root.getParent())
                .resolve("sam-template.yaml");
        Set<String> unknown = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(Files.readString(template));
        while (matcher.find()) {
            used.add(matcher.group(1));
            if (!settings.contains(matcher.group(1))) {
                unknown.add(matcher.group(1));
            }
        }
        assertTrue(used.size() > 20, "the template sets " + used);
        assertEquals(Set.of(), unknown, "FAILOVER_* variables of sam-template.yaml that no setting reads");
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
