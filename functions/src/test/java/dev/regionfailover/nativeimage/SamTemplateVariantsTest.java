package dev.regionfailover.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sam-template.native.yaml and sam-template.snapstart.yaml are sam-template.yaml with the runtime changed and
 * nothing else ({@link SamTemplateVariants}): a change to the stack shows up in all three, or this test fails.
 * With {@code -Dsam.variants.write=true} it writes them instead (see docs/native.md); cfn-lint checks all three.
 */
class SamTemplateVariantsTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sam-template.native.yaml, native", "sam-template.snapstart.yaml, snapstart"})
    void variantIsTheTemplateWithOnlyItsRuntimeChanged(String file, String variant) throws IOException {
        UnaryOperator<String> make = variant.equals("native") ? SamTemplateVariants::nativeVariant
                : SamTemplateVariants::snapStartVariant;
        String expected = make.apply(Files.readString(ROOT.resolve("sam-template.yaml"), StandardCharsets.UTF_8));
        Path target = ROOT.resolve(file);
        if (Boolean.getBoolean("sam.variants.write")) {
            Files.writeString(target, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(target, StandardCharsets.UTF_8), file + " no longer matches "
                + "sam-template.yaml. Regenerate it: ./mvnw -pl functions -am test -Dtest=SamTemplateVariantsTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dsam.variants.write=true");
    }
}
