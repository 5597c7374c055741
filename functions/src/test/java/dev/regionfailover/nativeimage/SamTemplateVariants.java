package dev.regionfailover.nativeimage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The two deployment variants of sam-template.yaml, made from it so that they never drift from it: the same stack
 * with only the runtime changed.
 * <ul>
 * <li>sam-template.native.yaml: {@code provided.al2023}, the native executable of {@code ./mvnw package -Dnative}
 * (its function.zip, in the same place), no JVM options, {@code DISABLE_SIGNAL_HANDLERS};</li>
 * <li>sam-template.snapstart.yaml: {@code java25} with SnapStart on published versions, a {@code live} alias
 * published on every deployment, and the alarm action and the outputs pointing at the alias (the unpublished
 * {@code $LATEST} has no snapshot).</li>
 * </ul>
 * {@link SamTemplateVariantsTest} checks the files against this; run it with {@code -Dsam.variants.write=true} to
 * write them.
 */
final class SamTemplateVariants {

    private static final Pattern ALIASED_REF = Pattern.compile("(?m)^(\\s*FunctionName: !Ref )(\\w+Function)$");
    private static final Pattern FUNCTION_ARN = Pattern.compile("!GetAtt (\\w+Function)\\.Arn\\b");

    private SamTemplateVariants() {
    }

    static String nativeVariant(String base) {
        List<String> lines = header(base, """
                # GENERATED from sam-template.yaml by SamTemplateVariantsTest: the NATIVE variant. Do not edit by hand;
                # change sam-template.yaml and regenerate (docs/native.md). The only differences: the provided.al2023
                # runtime, the handler name that runtime ignores, no JVM options, DISABLE_SIGNAL_HANDLERS. CodeUri is the
                # zip that `./mvnw package -Dnative` builds in the same place (functions/target/function.zip, holding the
                # native executable as `bootstrap`).
                """);
        int[] globals = globalsFunction(lines);
        replaceKey(lines, globals, "    Handler:", List.of(
                "    # provided.al2023 runs the zip's `bootstrap` (the native executable); the handler name is not used.",
                "    Handler: not.used.in.provided.runtime"));
        globals = globalsFunction(lines);
        replaceKey(lines, globals, "    Runtime:", List.of(
                "    # Native executable (GraalVM/Mandrel, built with -march=x86-64-v2) on Amazon Linux 2023.",
                "    Runtime: provided.al2023"));
        globals = globalsFunction(lines);
        replaceKey(lines, globals, "        JAVA_TOOL_OPTIONS:", List.of(
                "        # Quarkus's guide for native Lambdas: the executable leaves signal handling to the runtime.",
                "        DISABLE_SIGNAL_HANDLERS: 'true'"));
        return String.join("\n", lines) + "\n";
    }

    static String snapStartVariant(String base) {
        List<String> lines = header(base, """
                # GENERATED from sam-template.yaml by SamTemplateVariantsTest: the SNAPSTART variant. Do not edit by
                # hand; change sam-template.yaml and regenerate (docs/native.md). The only differences: SnapStart on
                # published versions, an alias `live` published on every deployment, and the alarm action and the
                # outputs naming the alias, because only published versions have a snapshot.
                """);
        int[] globals = globalsFunction(lines);
        int runtime = find(lines, globals, "    Runtime:");
        lines.addAll(runtime + 1, List.of(
                "    # SnapStart: Lambda initialises the function when a version is published, runs the CRaC",
                "    # beforeCheckpoint hooks (aws/Priming.java: SDK clients created, JSON binding warmed, no network),",
                "    # snapshots it, and starts new instances from the snapshot instead of booting the JVM.",
                "    SnapStart:",
                "      ApplyOn: PublishedVersions",
                "    # Each deployment publishes a version and points the alias `live` at it; SAM connects the event",
                "    # sources to the alias. The unpublished $LATEST would start without a snapshot.",
                "    AutoPublishAlias: live"));
        String text = String.join("\n", lines) + "\n";
        text = ALIASED_REF.matcher(text).replaceAll("$1$2.Alias");
        text = FUNCTION_ARN.matcher(text).replaceAll("!Ref $1.Alias");
        return text;
    }

    private static List<String> header(String base, String comment) {
        List<String> lines = new ArrayList<>(List.of(comment.strip().split("\n")));
        lines.addAll(List.of(base.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** The line range of {@code Globals: Function:}, from its key to the next top-level key. */
    private static int[] globalsFunction(List<String> lines) {
        int globals = lines.indexOf("Globals:");
        if (globals < 0) {
            throw new IllegalStateException("sam-template.yaml has no Globals section");
        }
        int end = globals + 1;
        while (end < lines.size() && (lines.get(end).isEmpty() || lines.get(end).startsWith(" ")
                || lines.get(end).startsWith("#"))) {
            end++;
        }
        return new int[] {globals, end};
    }

    private static int find(List<String> lines, int[] range, String key) {
        for (int i = range[0]; i < range[1]; i++) {
            if (lines.get(i).startsWith(key)) {
                return i;
            }
        }
        throw new IllegalStateException("Globals of sam-template.yaml has no '" + key.strip() + "'");
    }

    /** Replaces a key's line, and the comment lines right above it (they describe the old value). */
    private static void replaceKey(List<String> lines, int[] range, String key, List<String> replacement) {
        int at = find(lines, range, key);
        int from = at;
        while (from - 1 > range[0] && lines.get(from - 1).strip().startsWith("#")) {
            from--;
        }
        for (int i = at; i >= from; i--) {
            lines.remove(i);
        }
        lines.addAll(from, replacement);
    }
}
