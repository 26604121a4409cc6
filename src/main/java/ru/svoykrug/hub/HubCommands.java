package ru.svoykrug.hub;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import ru.svoykrug.hub.imports.ImportReport;
import ru.svoykrug.hub.imports.SalesFileImport;
import ru.svoykrug.hub.nightly.NightCalendar;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.privacy.PersonalDataRotation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One-shot commands against the hub's database (the embedded default in ./data, or HUB_DB_URL):
 * {@code import-sales --connection ID --file FILE}, {@code nightly --date YYYY-MM-DD} and
 * {@code rotate-personal-data-keys} (hub stopped). They start the
 * hub without its web server, schedules, simulators or first sync, do their one thing and stop.
 */
public final class HubCommands {

    private HubCommands() {
    }

    public static int run(String command, String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && args[i].contains("=")) {
                settings.add(args[i]); // a setting for the hub itself, as --hub.data-dir=/srv/hub
                continue;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad option '" + args[i] + "': options come as --name value");
                return 2;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return switch (command) {
            case "import-sales" -> importSales(options, settings);
            case "nightly" -> nightly(options, settings);
            case "rotate-personal-data-keys" -> rotatePersonalDataKeys(settings);
            default -> {
                System.err.println("unknown command " + command);
                yield 2;
            }
        };
    }

    private static int importSales(Map<String, String> options, List<String> settings) throws Exception {
        String connection = options.get("connection");
        String file = options.get("file");
        if (connection == null || file == null) {
            System.err.println("usage: hub.jar import-sales --connection <id> --file sales.csv");
            return 2;
        }
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            System.err.println("cannot read " + path.toAbsolutePath());
            return 2;
        }
        try (ConfigurableApplicationContext hub = start(settings)) {
            ImportReport report = hub.getBean(SalesFileImport.class).importFile(connection, path);
            System.out.printf("rows: %d, imported: %d, changed in staging: %d, rejected: %d%n",
                    report.rows(), report.imported(), report.changed(), report.badRows().size());
            report.badRows().forEach(bad -> System.out.printf("line %d: %s%n", bad.line(), bad.reason()));
            return report.badRows().isEmpty() ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("import failed: " + e.getMessage());
            return 1;
        }
    }

    /** With every hub node stopped: new primary keys for names and phones, everything re-encrypted and re-indexed. */
    private static int rotatePersonalDataKeys(List<String> settings) {
        try (ConfigurableApplicationContext hub = start(settings)) {
            hub.getBean(PersonalDataRotation.class).rotate()
                    .forEach((table, rows) -> System.out.printf("  %s: %d rows%n", table, rows));
            System.out.println("personal data keys rotated");
            return 0;
        } catch (Exception e) {
            System.err.println("rotation failed (nothing changed): " + e.getMessage());
            return 1;
        }
    }

    private static int nightly(Map<String, String> options, List<String> settings) {
        LocalDate date = null;
        try {
            if (options.containsKey("date")) {
                date = LocalDate.parse(options.get("date"));
            }
        } catch (DateTimeParseException e) {
            System.err.println("--date must be YYYY-MM-DD, not " + options.get("date"));
            return 2;
        }
        try (ConfigurableApplicationContext hub = start(settings)) {
            // without --date: yesterday in the programme's zone (hub.nightly.zone), not the JVM's
            if (date == null) {
                date = hub.getBean(NightCalendar.class).yesterday();
            }
            JobExecution night = hub.getBean(NightlyRuns.class).runAndWait(date, Duration.ofHours(6));
            System.out.printf("night of %s: %s (execution %d)%n", date, night.getStatus(), night.getId());
            night.getStepExecutions().forEach(step -> System.out.printf("  %s: %s, written %d%n",
                    step.getStepName(), step.getStatus(), step.getWriteCount()));
            return night.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
        } catch (NightCalendar.NightOutOfRangeException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (NightlyRuns.NightAlreadyRunningException e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("night failed: " + e.getMessage());
            return 1;
        }
    }

    private static ConfigurableApplicationContext start(List<String> settings) {
        List<String> args = new ArrayList<>(List.of("--spring.quartz.auto-startup=false", "--hub.first-sync=false",
                "--hub.demo.simulators=false", "--logging.level.root=WARN"));
        args.addAll(settings);
        return new SpringApplicationBuilder(HubApplication.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }
}
