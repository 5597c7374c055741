import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code bin/native-image} of the stand-in GraalVM home that bin/native-build-check builds. GraalVM 25.0.2 has no
 * {@code svm-driver} jar on Maven Central, so this does the driver's job for the options Quarkus passes: it answers
 * {@code --version}, translates driver options into builder options, refuses any option it does not know, and runs
 * {@code com.oracle.svm.hosted.NativeImageGeneratorRunner} on the real builder jars with
 * {@code -H:+ExitAfterRelocatableImageWrite} (the image's relocatable {@code .o} is written, nothing is linked).
 *
 * <p>Verification only: the result is not a deployable executable. Run by a Java 25 JDK; system properties
 * {@code standin.home} (the stand-in home) and {@code standin.jdk} (the JDK copy the builder runs on) are set by the
 * shell script.
 */
public final class NativeImage {

    static final String VERSION = "25.0.2";
    static final String JDK_BUILD = "25.0.2+10";
    static final String BUILD = JDK_BUILD + ".1";
    static final String VENDOR_VERSION = "GraalVM CE " + BUILD;

    /** Config files a jar may carry under META-INF/native-image, and the builder option that takes each. */
    static final Map<String, String> CONFIG_FILES = Map.of(
            "reflect-config.json", "ReflectionConfigurationResources",
            "resource-config.json", "ResourceConfigurationResources",
            "jni-config.json", "JNIConfigurationResources",
            "proxy-config.json", "DynamicProxyConfigurationResources",
            "serialization-config.json", "SerializationConfigurationResources",
            "predefined-classes-config.json", "PredefinedClassesConfigurationResources",
            "reachability-metadata.json", "ReachabilityMetadataResources");

    /** Driver options of the form --name=value and the builder option each becomes. */
    static final Map<String, String> VALUE_OPTIONS = Map.of(
            "--features", "-H:Features",
            "--enable-url-protocols", "-H:EnableURLProtocols",
            "--enable-monitoring", "-H:EnableMonitoringFeatures",
            "--enable-native-access", "-H:EnableNativeAccess",
            "--link-at-build-time", "-H:LinkAtBuildTime",
            "--add-opens", "-H:AddOpens",
            "--add-exports", "-H:AddExports",
            "--add-reads", "-H:AddReads",
            "-march", "-H:MicroArchitecture");

    final List<String> builderJvm = new ArrayList<>();
    final List<String> builderArgs = new ArrayList<>();
    final Set<String> imageClasspath = new LinkedHashSet<>();
    final List<String[]> excludeConfigs = new ArrayList<>();
    String jar;
    String imageName;

    public static void main(String[] args) throws Exception {
        List<String> all = expandArgFiles(List.of(args));
        if (all.contains("--version")) {
            System.out.println("native-image " + VERSION + " 2026-01-20");
            System.out.println("GraalVM Runtime Environment " + VENDOR_VERSION + " (build " + JDK_BUILD + "-jvmci-b01)");
            System.out.println("Substrate VM " + VENDOR_VERSION + " (build " + JDK_BUILD + ", serial gc)");
            return;
        }
        NativeImage driver = new NativeImage();
        try {
            driver.parse(all, null);
            driver.readJars();
        } catch (Refused e) {
            System.err.println("native-image (stand-in, bin/native-build-check): " + e.getMessage());
            System.exit(2);
        }
        System.exit(driver.run());
    }

    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    static List<String> expandArgFiles(List<String> args) throws IOException {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("@") && a.length() > 1) {
                for (String line : Files.readAllLines(Path.of(a.substring(1)))) {
                    if (!line.isBlank()) {
                        out.add(line.strip());
                    }
                }
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** Translates driver options; origin is null for the command line, else the properties file they come from. */
    void parse(List<String> args, String origin) throws Refused {
        String at = origin == null ? "" : "@" + origin;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            if (a.startsWith("-J")) {
                builderJvm.add(a.substring(2));
            } else if (a.startsWith("-H:") || a.startsWith("-R:")) {
                builderArgs.add(a);
            } else if (a.startsWith("-D")) {
                builderJvm.add(a);
            } else if (a.equals("--no-fallback")) {
                builderArgs.add("-H:FallbackThreshold" + at + "=0");
            } else if (a.equals("--link-at-build-time")) {
                builderArgs.add("-H:LinkAtBuildTime" + at + "=");
            } else if (a.equals("--allow-incomplete-classpath")) {
                // Deprecated and the default since GraalVM 22: the driver ignores it too.
            } else if (name.equals("--initialize-at-run-time") || name.equals("--initialize-at-build-time")) {
                String kind = name.endsWith("run-time") ? "run_time" : "build_time";
                if (value == null || value.isEmpty()) {
                    throw new Refused(a + " without classes (all classes) is not supported");
                }
                String translated = Stream.of(value.split(",")).filter(s -> !s.isEmpty())
                        .map(s -> s + ":" + kind).collect(Collectors.joining(","));
                builderArgs.add("-H:ClassInitialization" + at + "=" + translated);
            } else if (value != null && VALUE_OPTIONS.containsKey(name)) {
                builderArgs.add(VALUE_OPTIONS.get(name) + at + "=" + value);
            } else if ((a.equals("--add-opens") || a.equals("--add-exports")) && i + 1 < args.size()) {
                builderArgs.add(VALUE_OPTIONS.get(a) + at + "=" + args.get(++i));
            } else if (a.equals("--exclude-config") && i + 2 < args.size()) {
                excludeConfigs.add(new String[] {args.get(++i), args.get(++i)});
            } else if (origin == null && a.equals("-jar") && i + 1 < args.size()) {
                jar = args.get(++i);
            } else if (origin == null && (a.equals("-cp") || a.equals("--class-path") || a.equals("-classpath"))
                    && i + 1 < args.size()) {
                imageClasspath.addAll(List.of(args.get(++i).split(":")));
            } else if (origin == null && a.equals("-o") && i + 1 < args.size()) {
                imageName = args.get(++i);
            } else if (origin == null && !a.startsWith("-") && imageName == null) {
                imageName = a; // the image name, which Quarkus gives before -jar
            } else {
                throw new Refused("unknown option " + a + (origin == null ? "" : " (in " + origin + ")")
                        + ": add its translation to native-check/NativeImage.java, or remove it");
            }
        }
    }

    /** The -jar jar's manifest gives the main class and class path; each jar's META-INF/native-image is applied. */
    void readJars() throws Refused, IOException {
        if (jar == null) {
            throw new Refused("only the -jar form is supported");
        }
        Path jarPath = Path.of(jar).toAbsolutePath();
        imageClasspath.add(jarPath.toString());
        try (JarFile jf = new JarFile(jarPath.toFile())) {
            Manifest m = jf.getManifest();
            String main = m.getMainAttributes().getValue("Main-Class");
            if (main == null) {
                throw new Refused(jar + " has no Main-Class");
            }
            builderArgs.add("-H:Class=" + main);
            String cp = m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String entry : cp.trim().split("\\s+")) {
                    imageClasspath.add(jarPath.getParent().resolve(entry).normalize().toString());
                }
            }
        }
        if (imageName == null) {
            String file = jarPath.getFileName().toString();
            imageName = file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
        }
        for (String entry : List.copyOf(imageClasspath)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                applyMetaInf(p);
            }
        }
    }

    boolean excluded(Path jarPath, String resource) {
        for (String[] ex : excludeConfigs) {
            if (Pattern.compile(ex[0]).matcher(jarPath.toString()).matches()
                    && Pattern.compile(ex[1]).matcher(resource).matches()) {
                return true;
            }
        }
        return false;
    }

    void applyMetaInf(Path jarPath) throws Refused, IOException {
        try (JarFile jf = new JarFile(jarPath.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.startsWith("META-INF/native-image/") || entry.isDirectory() || excluded(jarPath, name)) {
                    continue;
                }
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (file.equals("native-image.properties")) {
                    Properties props = new Properties();
                    try (InputStream in = jf.getInputStream(entry)) {
                        props.load(in);
                    }
                    String origin = "jar:file://" + jarPath + "!/" + name;
                    String dir = name.substring(0, name.lastIndexOf('/'));
                    String argsValue = props.getProperty("Args");
                    if (argsValue != null) {
                        parse(split(argsValue.replace("${.}", dir)), origin);
                    }
                    String javaArgs = props.getProperty("JavaArgs");
                    if (javaArgs != null) {
                        builderJvm.addAll(split(javaArgs));
                    }
                    for (String key : props.stringPropertyNames()) {
                        if (!key.equals("Args") && !key.equals("JavaArgs") && !key.equals("ImageName")) {
                            throw new Refused("unknown native-image.properties key " + key + " in " + origin);
                        }
                    }
                } else if (CONFIG_FILES.containsKey(file)) {
                    builderArgs.add("-H:" + CONFIG_FILES.get(file) + "=" + name);
                }
            }
        }
    }

    static List<String> split(String s) {
        return Stream.of(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
    }

    int run() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("standin.home"));
        Path jdk = Path.of(System.getProperty("standin.jdk"));
        Path builderDir = home.resolve("lib/builder");
        List<Path> jars;
        try (Stream<Path> s = Files.list(builderDir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        String compiler = jars.stream().filter(p -> p.getFileName().toString().startsWith("compiler-"))
                .map(Path::toString).findFirst().orElseThrow();
        String modulePath = jars.stream().map(Path::toString).filter(p -> !p.equals(compiler))
                .collect(Collectors.joining(":"));

        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.resolve("bin/java").toString());
        cmd.addAll(List.of("-XX:+UseParallelGC", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "-XX:-UseJVMCICompiler", "-Xss10m", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=org.graalvm.nativeimage.builder",
                "-Dtruffle.TrustAllTruffleRuntimeProviders=true",
                "-Dtruffle.TruffleRuntime=com.oracle.truffle.api.impl.DefaultTruffleRuntime",
                "-Dgraalvm.ForcePolyglotInvalid=true", "-Dgraalvm.locatorDisabled=true",
                "-Dsubstratevm.HostLibC=glibc"));
        Map<String, Set<String>> exports = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(home.resolve("lib/builder-exports.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.strip().split("=", 2);
                exports.computeIfAbsent(kv[0], k -> new java.util.TreeSet<>()).addAll(List.of(kv[1].split(",")));
            }
        }
        exports.forEach((k, v) -> cmd.add("--add-exports=" + k + "=" + String.join(",", v)));
        cmd.addAll(List.of("-Djava.awt.headless=true", "-Dorg.graalvm.vendor=GraalVM Community",
                "-Dorg.graalvm.vendorurl=https://www.graalvm.org/", "-Dorg.graalvm.vendorversion=" + VENDOR_VERSION,
                "-Dorg.graalvm.version=" + VERSION, "-Dcom.oracle.graalvm.isaot=true",
                "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader", "-Xshare:off",
                "-Djdk.reflect.useOldSerializableConstructor=true",
                "-Djdk.internal.lambda.disableEagerInitialization=true",
                "-Djdk.internal.lambda.eagerlyInitialize=false",
                "-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false",
                "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1",
                "-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false"));
        String xmx = System.getenv().getOrDefault("NATIVE_CHECK_XMX", "9g");
        cmd.add("-Xmx" + xmx);
        cmd.addAll(builderJvm);
        cmd.addAll(List.of("--add-modules=ALL-DEFAULT", "--upgrade-module-path", compiler,
                "--module-path", modulePath,
                "--module", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner"));
        cmd.addAll(List.of("-imagecp", String.join(":", imageClasspath)));
        cmd.add("-H:CLibraryPath=" + home.resolve("lib/svm/clibraries/linux-amd64"));
        cmd.add("-H:Path=" + Path.of("").toAbsolutePath());
        cmd.add("-H:Name=" + imageName);
        cmd.add("-H:ImageBuildID=" + UUID.randomUUID());
        cmd.addAll(builderArgs);
        // The builder writes the .o into its temporary directory, and deletes that directory unless it was given.
        Path imagePath = Path.of("").toAbsolutePath();
        Path temp = imagePath.resolve("native-check-tmp");
        deleteTree(temp);
        cmd.addAll(List.of("-H:+UnlockExperimentalVMOptions", "-H:TempDirectory=" + temp,
                "-H:+ExitAfterRelocatableImageWrite", "-H:-UnlockExperimentalVMOptions"));

        if (System.getenv("NATIVE_CHECK_PRINT_COMMAND") != null) {
            System.err.println(String.join(" \\\n  ", cmd));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("USE_NATIVE_IMAGE_JAVA_PLATFORM_MODULE_SYSTEM", "true");
        int exit = pb.start().waitFor();
        if (exit == 0 && Files.isDirectory(temp)) {
            // The relocatable object, kept beside the image path as <name>.o; the rest of the temporary tree goes.
            try (Stream<Path> s = Files.walk(temp)) {
                for (Path o : s.filter(p -> p.getFileName().toString().equals(imageName + ".o")).toList()) {
                    Files.move(o, imagePath.resolve(imageName + ".o"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            deleteTree(temp);
        }
        return exit;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
