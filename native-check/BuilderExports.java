import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Prints the {@code --add-exports} the builder's JVM needs (bin/native-build-check), one {@code module/package=targets}
 * a line: for every class that a builder jar's classes refer to in a JDK package that its module does not export, the
 * package is exported to the builder modules that refer to it. GraalVM's native-image driver passes the equivalent
 * list; the Maven Central jars come without the driver, so the list is derived from the jars themselves.
 *
 * <p>Argument: the builder jar directory.
 */
public final class BuilderExports {

    public static void main(String[] args) throws Exception {
        Map<String, String> jdkPackages = new TreeMap<>();
        for (ModuleReference ref : ModuleFinder.ofSystem().findAll()) {
            var d = ref.descriptor();
            Set<String> exported = new TreeSet<>();
            d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source()));
            for (String p : d.packages()) {
                if (!exported.contains(p)) {
                    jdkPackages.put(p, d.name());
                }
            }
        }
        Map<String, Set<String>> exports = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                String module = ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
                try (JarFile jf = new JarFile(jar.toFile())) {
                    for (JarEntry e : jf.stream().toList()) {
                        if (!e.getName().endsWith(".class") || e.getName().endsWith("module-info.class")
                                || e.getName().startsWith("META-INF/")) {
                            continue;
                        }
                        byte[] bytes = jf.getInputStream(e).readAllBytes();
                        for (PoolEntry pe : ClassFile.of().parse(bytes).constantPool()) {
                            if (pe instanceof ClassEntry ce) {
                                String name = ce.asInternalName();
                                while (name.startsWith("[")) {
                                    name = name.substring(1);
                                }
                                if (name.startsWith("L") && name.endsWith(";")) {
                                    name = name.substring(1, name.length() - 1);
                                }
                                int slash = name.lastIndexOf('/');
                                if (slash < 0) {
                                    continue;
                                }
                                String pkg = name.substring(0, slash).replace('/', '.');
                                String owner = jdkPackages.get(pkg);
                                if (owner != null) {
                                    exports.computeIfAbsent(owner + "/" + pkg, k -> new TreeSet<>()).add(module);
                                }
                            }
                        }
                    }
                }
            }
        }
        exports.forEach((k, v) -> System.out.println(k + "=" + String.join(",", v)));
    }
}
