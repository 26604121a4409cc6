package ru.svoykrug.hub.simulate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulators' imports run one way: {@code simulate} (the registry and the demo) uses the systems,
 * each system ({@code simulate.<system>}) uses only {@code simulate.kit}, and the kit uses none of them;
 * so there is no package cycle, and a system can be added or removed without touching another.
 */
class SimulatorLayersTest {

    private static final Path ROOT = Path.of("src/main/java/ru/svoykrug/hub/simulate");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?ru\\.svoykrug\\.hub\\.simulate\\.?([a-z0-9]*)[.;]", Pattern.MULTILINE);

    @Test
    void importsRunFromTheRegistryToTheSystemsToTheKitOnly() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = ROOT.relativize(file.getParent()).toString();
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String target = m.group(1);
                    boolean allowed = pkg.isEmpty() || target.equals(pkg) || (!pkg.equals("kit") && target.equals("kit"));
                    if (!allowed) {
                        wrong.add(file.getFileName() + " (simulate." + pkg + ") imports simulate." + target);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
