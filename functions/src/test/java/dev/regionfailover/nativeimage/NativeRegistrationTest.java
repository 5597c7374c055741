package dev.regionfailover.nativeimage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import dev.regionfailover.aws.JsonTypes;
import dev.regionfailover.handler.HandlerResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Checks without GraalVM what a native image needs for JSON: every type the functions write or read with Jackson,
 * and every type reachable from those through record components, fields and getters (element types of lists and
 * maps included), must be registered for reflection in {@link JsonTypes}. A native image without the registration
 * builds, starts, and then fails (or writes {@code {}}) at the first answer.
 *
 * <p>The types are found in the compiled classes, not listed here: a method that calls an ObjectMapper (or
 * ObjectWriter/ObjectReader) to write or bind a value, directly or through a helper in its class, contributes the
 * project's types in its parameters' generic signature and the class literals it uses; types carrying a Jackson
 * annotation and {@link HandlerResponse} (what every handler answers) are roots too. So a new field of a new type in
 * the report, or a new document the notifier publishes, fails this test until it is registered.
 */
class NativeRegistrationTest {

    private static final String PRODUCT = "dev.regionfailover.";
    private static final Set<String> MAPPERS = Set.of("com/fasterxml/jackson/databind/ObjectMapper",
            "com/fasterxml/jackson/databind/ObjectWriter", "com/fasterxml/jackson/databind/ObjectReader");
    private static final Set<String> BINDING = Set.of("writeValue", "writeValueAsString", "writeValueAsBytes",
            "readValue", "readValues", "convertValue", "treeToValue", "valueToTree", "updateValue");

    private static final Set<Class<?>> ROOTS = new LinkedHashSet<>();
    private static final Set<String> JSON_METHODS = new TreeSet<>();
    private static Set<Class<?>> reachable;

    @BeforeAll
    static void scan() throws Exception {
        Path classes = Path.of(HandlerResponse.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                scanClass(file);
            }
        }
        ROOTS.add(HandlerResponse.class);
        reachable = reachableFrom(ROOTS);
    }

    @Test
    void everyTypeWrittenAsJsonIsRegisteredForReflection() {
        Set<Class<?>> registered = new HashSet<>(Arrays.asList(
                JsonTypes.class.getAnnotation(RegisterForReflection.class).targets()));
        Set<String> missing = reachable.stream().filter(type -> !registered.contains(type))
                .map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(missing.isEmpty(), "bound to or from JSON but not registered for reflection (a native image "
                + "could not serialise them): " + missing + ". Add them to the targets of "
                + "@RegisterForReflection on " + JsonTypes.class.getName() + ". Roots found: "
                + names(ROOTS) + " through " + JSON_METHODS);
    }

    @Test
    void theScanFindsTheJsonCodeAndTheReportItHolds() {
        // If the scan stopped finding anything, the test above would pass for nothing.
        assertTrue(JSON_METHODS.stream().anyMatch(m -> m.startsWith("dev.regionfailover.handler.EventIo.")),
                "EventIo writes every handler's answer: " + JSON_METHODS);
        assertTrue(JSON_METHODS.size() >= 2, "at least the handlers' and the notifier's JSON: " + JSON_METHODS);
        for (String type : List.of("dev.regionfailover.failover.FailoverReport",
                "dev.regionfailover.failover.StepRecord", "dev.regionfailover.failover.Trigger")) {
            assertTrue(names(reachable).contains(type), type + " is in every report: " + names(reachable));
        }
    }

    // ---- the bytecode scan --------------------------------------------------------------------------------------

    /** Per class: which methods bind JSON, which same-class methods each calls, which class literals each uses. */
    private static void scanClass(Path file) throws IOException {
        Map<String, Set<String>> calls = new HashMap<>();
        Map<String, Set<String>> literals = new HashMap<>();
        Set<String> binding = new HashSet<>();
        String[] owner = new String[1];
        boolean[] annotated = new boolean[1];
        try (InputStream in = Files.newInputStream(file)) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                        String[] interfaces) {
                    owner[0] = name;
                }

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    annotated[0] |= descriptor.startsWith("Lcom/fasterxml/jackson/annotation/");
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    String method = name + descriptor;
                    calls.put(method, new HashSet<>());
                    literals.put(method, new HashSet<>());
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String insnOwner, String insnName, String insnDesc,
                                boolean isInterface) {
                            if (MAPPERS.contains(insnOwner) && BINDING.contains(insnName)) {
                                binding.add(method);
                            } else if (insnOwner.equals(owner[0])) {
                                calls.get(method).add(insnName + insnDesc);
                            }
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof org.objectweb.asm.Type type
                                    && type.getSort() == org.objectweb.asm.Type.OBJECT) {
                                literals.get(method).add(type.getClassName());
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        String className = owner[0].replace('/', '.');
        if (!className.startsWith(PRODUCT)) {
            return;
        }
        // A method that calls a same-class method that binds JSON binds JSON too (toJson helpers, handle(...)).
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> entry : calls.entrySet()) {
                if (!binding.contains(entry.getKey()) && entry.getValue().stream().anyMatch(binding::contains)) {
                    binding.add(entry.getKey());
                    grew = true;
                }
            }
        }
        Class<?> type = load(className);
        if (annotated[0]) {
            ROOTS.add(type);
        }
        for (String method : binding) {
            JSON_METHODS.add(className + "." + method.substring(0, method.indexOf('(')));
            literals.get(method).stream().filter(name -> name.startsWith(PRODUCT)).map(NativeRegistrationTest::load)
                    .forEach(ROOTS::add);
            for (Method declared : type.getDeclaredMethods()) {
                if (method.equals(declared.getName() + org.objectweb.asm.Type.getMethodDescriptor(declared))) {
                    for (Type parameter : declared.getGenericParameterTypes()) {
                        productTypes(parameter, ROOTS);
                    }
                }
            }
        }
    }

    // ---- what the roots hold ------------------------------------------------------------------------------------

    private static Set<Class<?>> reachableFrom(Set<Class<?>> roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!type.getName().startsWith(PRODUCT) || !seen.add(type)) {
                continue;
            }
            Set<Class<?>> held = new LinkedHashSet<>();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    productTypes(component.getGenericType(), held);
                }
            } else if (!type.isEnum()) {
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        productTypes(field.getGenericType(), held);
                    }
                }
                for (Method method : type.getMethods()) {
                    if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                            && (method.getName().startsWith("get") || method.getName().startsWith("is"))) {
                        productTypes(method.getGenericReturnType(), held);
                    }
                }
            }
            todo.addAll(held);
        }
        return seen;
    }

    /** The project's classes named anywhere in a (generic) type. */
    private static void productTypes(Type type, Set<Class<?>> into) {
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                productTypes(c.getComponentType(), into);
            } else if (c.getName().startsWith(PRODUCT)) {
                into.add(c);
            }
        } else if (type instanceof ParameterizedType p) {
            productTypes(p.getRawType(), into);
            for (Type argument : p.getActualTypeArguments()) {
                productTypes(argument, into);
            }
        } else if (type instanceof GenericArrayType a) {
            productTypes(a.getGenericComponentType(), into);
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                productTypes(bound, into);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                productTypes(bound, into);
            }
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeRegistrationTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("compiled class " + name + " cannot be loaded", e);
        }
    }

    private static List<String> names(Set<Class<?>> types) {
        return types.stream().map(Class::getName).sorted().toList();
    }
}
