package ru.svoykrug.hub;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SliceRule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house rules the compiler does not check, over all the main code of ru.svoykrug.hub: no package
 * cycle (between the top packages, and between any two packages, the root one included), and no source
 * file over 300 lines without a reason at its top.
 */
class ArchitectureTest {

    private static final String ROOT = "ru.svoykrug.hub";
    private static final int LONGEST = 300;
    private static final int TOP_LINES = 15;
    private static final Pattern REASON = Pattern.compile("^\\s*(//|/?\\*+)\\s*over " + LONGEST + " lines because\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Path MAIN_SOURCES = Path.of("src/main/java");


    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void theTopPackagesHaveNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theTopPackagesAndTheRootHaveNoCycle() {
        slices().assignedFrom(packages("top package", ArchitectureTest::topPackage)).should().beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void noTwoPackagesAtAnyDepthFormACycle() {
        slices().assignedFrom(packages("package", ArchitectureTest::wholePackage)).should().beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void noMainSourceFileIsOver300LinesWithoutAReasonAtItsTop() throws IOException {
        List<String> unexplained;
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            unexplained = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(ArchitectureTest::longWithoutReason)
                    .map(f -> MAIN_SOURCES.relativize(f) + " (" + lines(f).size() + " lines)")
                    .sorted()
                    .toList();
        }
        assertThat(unexplained).as("split them, or begin them with a comment '// Over %d lines because ...'", LONGEST)
                .isEmpty();
    }

    @Test
    void theRuleForLongFilesReadsTheReasonAtTheTop() {
        assertThat(REASON.matcher("// Over 300 lines because the vendor's answers are spelled out here").matches()).isTrue();
        assertThat(REASON.matcher(" * over 300 lines because it is one state machine").matches()).isTrue();
        assertThat(REASON.matcher("// 300 lines or so").matches()).isFalse();
    }

    private static boolean longWithoutReason(Path file) {
        List<String> lines = lines(file);
        return lines.size() > LONGEST && lines.stream().limit(TOP_LINES).noneMatch(l -> REASON.matcher(l).matches());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first package below ru.svoykrug.hub, or "(root)" for the application's own classes. */
    private static String topPackage(String name) {
        String below = wholePackage(name);
        int dot = below.indexOf('.');
        return dot < 0 ? below : below.substring(0, dot);
    }

    /** The package below ru.svoykrug.hub, or "(root)" for the application's own classes. */
    private static String wholePackage(String name) {
        return name.equals(ROOT) ? "(root)" : name.substring(ROOT.length() + 1);
    }

    private static SliceAssignment packages(String what, java.util.function.UnaryOperator<String> slice) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass type) {
                String name = type.getPackageName();
                return name.equals(ROOT) || name.startsWith(ROOT + ".") ? SliceIdentifier.of(slice.apply(name)) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "every " + what + " of " + ROOT;
            }
        };
    }

    private static DescribedPredicate<JavaClass> inPackage(String name) {
        return DescribedPredicate.describe("in " + name, c -> c.getPackageName().equals(name));
    }
}
